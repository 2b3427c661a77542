//! The preview server: previews without touching public/, live reload over server-sent events,
//! the error overlay, path safety, HEAD, ranges, 405, and bursts of requests.

use crate::support::{page, TestSite};
use jobbvinner::serve::{start, ServeOptions, Server};
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::time::{Duration, Instant};

/// Generous, only so that a broken server fails the test instead of hanging it.
const TIMEOUT: Duration = Duration::from_secs(30);

struct Reply {
    status: u16,
    head: String,
    body: Vec<u8>,
}

impl Reply {
    fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }
    fn header(&self, name: &str) -> Option<String> {
        self.head.lines().find_map(|l| {
            let (k, v) = l.split_once(':')?;
            k.eq_ignore_ascii_case(name).then(|| v.trim().to_string())
        })
    }
}

fn raw(addr: SocketAddr, request: &[u8]) -> Reply {
    let mut stream = TcpStream::connect_timeout(&addr, TIMEOUT).unwrap();
    stream.set_read_timeout(Some(TIMEOUT)).unwrap();
    stream.write_all(request).unwrap();
    let mut response = Vec::new();
    stream.read_to_end(&mut response).unwrap();
    let split = response.windows(4).position(|w| w == b"\r\n\r\n").expect("a response head");
    let head = String::from_utf8_lossy(&response[..split]).into_owned();
    let status = head.split_whitespace().nth(1).and_then(|s| s.parse().ok()).unwrap_or(0);
    Reply { status, head, body: response[split + 4..].to_vec() }
}

fn request(addr: SocketAddr, method: &str, path: &str, extra: &str) -> Reply {
    raw(addr, format!("{method} {path} HTTP/1.1\r\nHost: x\r\n{extra}Connection: close\r\n\r\n").as_bytes())
}

fn get(addr: SocketAddr, path: &str) -> Reply {
    request(addr, "GET", path, "")
}

fn site() -> TestSite {
    let s = TestSite::new();
    // A raster file is re-encoded (its metadata stripped), so it must be a real image.
    let mut png = Vec::new();
    image::DynamicImage::new_rgba8(2, 2)
        .write_to(&mut std::io::Cursor::new(&mut png), image::ImageFormat::Png)
        .unwrap();
    std::fs::create_dir_all(s.root().join("assets")).unwrap();
    std::fs::write(s.root().join("assets/logo.png"), png).unwrap();
    s
        .file("content/a.md", &page("title = \"A\"", "Første versjon."))
        .file("content/b.md", &page("title = \"B\"", "Bee."))
        .file("templates/404.html", "<html><body><main>Fant ikke siden</main></body></html>")
        .file("templates/page.html", "<html><head><link rel=\"stylesheet\" href=\"{{ get_url(path='site.css', cachebust=true) }}\"></head><body><h1>{{ page.title }}</h1>{{ page.content | safe }}</body></html>")
        .file("assets/site.css", "body { color: black }\n")
}

fn serve(s: &TestSite) -> Server {
    let mut opts = ServeOptions::new(s.options());
    opts.port = 0;
    opts.quiet = true;
    start(opts).expect("server starts")
}

/// An event-stream client.
struct Events(BufReader<TcpStream>);

impl Events {
    fn connect(server: &Server) -> Events {
        Events::viewing(server, "")
    }

    /// A browser showing `path` (rendered first after a change).
    fn viewing(server: &Server, path: &str) -> Events {
        let before = server.listeners();
        let mut stream = TcpStream::connect(server.addr()).unwrap();
        stream.set_read_timeout(Some(TIMEOUT)).unwrap();
        write!(stream, "GET /__jobbvinner/events?path={path} HTTP/1.1\r\nHost: x\r\n\r\n").unwrap();
        let mut reader = BufReader::new(stream);
        let mut line = String::new();
        reader.read_line(&mut line).unwrap();
        assert!(line.starts_with("HTTP/1.1 200"), "{line}");
        let started = Instant::now();
        while server.listeners() == before && started.elapsed() < TIMEOUT {
            std::thread::sleep(Duration::from_millis(5));
        }
        Events(reader)
    }

    /// The next event's (name, data), skipping comments.
    fn next(&mut self) -> (String, String) {
        let (mut event, mut data) = (String::new(), String::new());
        loop {
            let mut line = String::new();
            assert!(self.0.read_line(&mut line).unwrap() > 0, "event stream closed");
            let line = line.trim_end();
            if let Some(e) = line.strip_prefix("event: ") {
                event = e.to_string();
            } else if let Some(d) = line.strip_prefix("data: ") {
                data = d.to_string();
            } else if line.is_empty() && !event.is_empty() {
                return (event, data);
            }
        }
    }
}

#[test]
fn serve_previews_without_touching_public() {
    let s = TestSite::new()
        .file("content/a.md", &page("title = \"A\"", "Hei"))
        .file("templates/404.html", "<main>Fant ikke siden</main>");
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_jobbvinner"))
        .env("JOBBVINNER_MESSAGES", "en")
        .args(["--root", s.root().to_str().unwrap(), "serve", "--port", "0"])
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    let addr = lines
        .by_ref()
        .map_while(Result::ok)
        .find_map(|l| l.strip_prefix("Serving on http://").map(|r| r.split('/').next().unwrap_or("").to_string()))
        .expect("serving line");
    let addr: SocketAddr = addr.parse().unwrap();
    let r = get(addr, "/a/");
    assert_eq!(r.status, 200);
    assert!(r.text().contains("<h1>A</h1>") && r.header("content-type").unwrap().starts_with("text/html"));
    assert_eq!(get(addr, "/a").status, 301);
    let r = get(addr, "/finnes-ikke/");
    assert_eq!(r.status, 404);
    assert!(r.text().contains("Fant ikke siden"));
    assert_eq!(get(addr, "/../../etc/passwd").status, 400);
    child.kill().unwrap();
    child.wait().unwrap();
    assert!(!s.public().exists());
}

#[test]
fn edits_reload_the_browser_and_errors_show_an_overlay() {
    let s = site();
    let server = serve(&s);
    let addr = server.addr();
    let first = get(addr, "/a/");
    assert!(first.text().contains("Første versjon."));
    // The reload script is a file of its own (pages may forbid inline script).
    let tag = "<script src=\"/__jobbvinner/reload.js\"></script>";
    assert!(first.text().find(tag).unwrap() < first.text().rfind("</body>").unwrap());
    let script = get(addr, "/__jobbvinner/reload.js");
    assert!(script.text().contains("/__jobbvinner/events") && script.text().contains("EventSource"));
    let mut events = Events::connect(&server);

    std::fs::write(s.root().join("content/a.md"), page("title = \"A\"", "Andre versjon.")).unwrap();
    assert_eq!(events.next().0, "reload");
    assert!(get(addr, "/a/").text().contains("Andre versjon."));

    // An error: the last good build stays, the browser gets the errors with file and line.
    std::fs::write(s.root().join("content/a.md"), "+++\ntitle = \"A\"\ntitel = 1\n+++\nTredje.").unwrap();
    let (event, data) = events.next();
    assert_eq!(event, "errors");
    assert!(data.contains("content/a.md:3:1: unknown key `titel`"), "{data}");
    assert!(get(addr, "/a/").text().contains("Andre versjon."));
    // A browser that connects now is told at once.
    let mut late = Events::connect(&server);
    assert_eq!(late.next().0, "errors");
    // Fixing it reloads (which clears the overlay).
    std::fs::write(s.root().join("content/a.md"), page("title = \"A\"", "Fjerde versjon.")).unwrap();
    assert_eq!(events.next().0, "reload");
    assert!(get(addr, "/a/").text().contains("Fjerde versjon."));

    // A template change: the page in view first, then the rest; requests wait for it.
    let mut viewer = Events::viewing(&server, "/a/");
    let page_html = std::fs::read_to_string(s.root().join("templates/page.html")).unwrap();
    std::fs::write(s.root().join("templates/page.html"), page_html.replace("<h1>", "<h1 class=\"ny\">")).unwrap();
    assert_eq!(viewer.next().0, "reload");
    assert!(get(addr, "/a/").text().contains("<h1 class=\"ny\">A</h1>"));
    assert!(get(addr, "/b/").text().contains("<h1 class=\"ny\">B</h1>"));
    assert_eq!(viewer.next().0, "settled");
    assert_eq!(events.next().0, "reload");
    assert_eq!(events.next().0, "settled");

    // A stylesheet change swaps stylesheets instead of reloading.
    std::fs::write(s.root().join("assets/site.css"), "body { color: navy }\n").unwrap();
    assert_eq!(events.next().0, "css");
    assert_eq!(get(addr, "/site.css").text(), "body { color: navy }\n");
    // The page links the new content hash, as a clean build would.
    let hash_before = first.text().split("site.css?h=").nth(1).unwrap()[..10].to_string();
    assert!(!get(addr, "/a/").text().contains(&hash_before));
    server.stop();
    assert!(!s.public().exists());
}

#[test]
fn a_fixture_site_reloads_after_an_edit() {
    let s = TestSite::fixture("zola-site");
    let server = serve(&s);
    let before = get(server.addr(), "/blog/third/");
    assert_eq!(before.status, 200);
    let mut events = Events::viewing(&server, "/blog/third/");
    let file = s.root().join("content/blog/third.md");
    let text = std::fs::read_to_string(&file).unwrap();
    std::fs::write(&file, format!("{text}\nEt helt nytt avsnitt.\n")).unwrap();
    assert_eq!(events.next().0, "reload");
    let after = get(server.addr(), "/blog/third/");
    assert!(after.text().contains("Et helt nytt avsnitt.") && !before.text().contains("Et helt nytt avsnitt."));
    server.stop();
}

#[test]
fn requests_are_answered_safely() {
    let s = site();
    let server = serve(&s);
    let addr = server.addr();
    for bad in [
        "/../../etc/passwd",
        "/%2e%2e/%2e%2e/etc/passwd",
        "/%2E%2E%2Fsite.toml",
        "/a/..%2f..%2fsite.toml",
        "/..\\..\\site.toml",
        "/a%5c..%5csite.toml",
        "/a/%00",
        "/%c0%ae%c0%ae/site.toml",
        "//etc/passwd",
    ] {
        let r = get(addr, bad);
        assert_eq!(r.status, 400, "{bad}");
        assert!(!r.text().contains("base_url"), "{bad}");
    }
    // Unknown paths: the theme's 404 page with status 404.
    let r = get(addr, "/finnes-ikke/");
    assert_eq!(r.status, 404);
    assert!(r.text().contains("<main>Fant ikke siden</main>"));
    // Content types, no caching.
    let css = get(addr, "/site.css");
    assert_eq!(css.header("content-type").as_deref(), Some("text/css; charset=utf-8"));
    assert_eq!(css.header("cache-control").as_deref(), Some("no-store"));
    assert_eq!(get(addr, "/logo.png").header("content-type").as_deref(), Some("image/png"));
    // HEAD: the same head, no body.
    let head = request(addr, "HEAD", "/a/", "");
    assert_eq!(head.status, 200);
    assert!(head.body.is_empty());
    assert_eq!(head.header("content-length").unwrap().parse::<usize>().unwrap(), get(addr, "/a/").body.len());
    // Ranges.
    let r = request(addr, "GET", "/site.css", "Range: bytes=0-3\r\n");
    assert_eq!((r.status, r.text().as_str()), (206, "body"));
    assert_eq!(r.header("content-range").as_deref(), Some("bytes 0-3/22"));
    let r = request(addr, "GET", "/site.css", "Range: bytes=-2\r\n");
    assert_eq!((r.status, r.body.as_slice()), (206, &b"}\n"[..]));
    let r = request(addr, "GET", "/site.css", "Range: bytes=100-\r\n");
    assert_eq!(r.status, 416);
    assert_eq!(r.header("content-range").as_deref(), Some("bytes */22"));
    // Other methods.
    for m in ["POST", "PUT", "DELETE", "OPTIONS", "PATCH"] {
        let r = request(addr, m, "/a/", "");
        assert_eq!(r.status, 405, "{m}");
        assert_eq!(r.header("allow").as_deref(), Some("GET, HEAD"));
    }
    // Garbage.
    assert_eq!(raw(addr, b"\xff\xfe garbage\r\n\r\n").status, 400);
    assert_eq!(raw(addr, &[b'A'; 20_000]).status, 431);
    // The build output itself never carries the script.
    s.build();
    assert!(!s.read("a/index.html").contains("__jobbvinner"));
}

#[test]
fn bursts_of_requests_all_get_answers() {
    let s = site();
    let server = serve(&s);
    let addr = server.addr();
    let started = Instant::now();
    let threads: Vec<_> = (0..6)
        .map(|t| {
            std::thread::spawn(move || {
                let mut statuses = Vec::new();
                for i in 0..400 {
                    if started.elapsed() > Duration::from_secs(120) {
                        break;
                    }
                    let path = ["/a/", "/b/", "/site.css", "/nei/", "/%2e%2e/x", "/"][(i + t) % 6];
                    let method = if i % 7 == 0 {
                        "HEAD"
                    } else if i % 11 == 0 {
                        "POST"
                    } else {
                        "GET"
                    };
                    statuses.push(request(addr, method, path, "").status);
                }
                statuses
            })
        })
        .collect();
    let mut count = 0;
    for t in threads {
        for status in t.join().expect("client thread") {
            assert!([200, 400, 404, 405, 503].contains(&status), "status {status}");
            count += 1;
        }
    }
    assert!(count >= 1000, "only {count} requests in time");
    assert_eq!(get(addr, "/a/").status, 200, "still answering");
}
