//! The preview server: builds in memory, serves pages, 404s and refuses traversal.

use crate::support::{page, TestSite};
use std::io::{BufRead, BufReader, Read, Write};

fn get(addr: &str, path: &str) -> (u16, String) {
    let mut stream = std::net::TcpStream::connect(addr).unwrap();
    write!(stream, "GET {path} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n").unwrap();
    let mut response = String::new();
    stream.read_to_string(&mut response).unwrap();
    let status = response.split_whitespace().nth(1).unwrap_or("0").parse().unwrap_or(0);
    (status, response)
}

#[test]
fn serve_previews_without_touching_public() {
    let s = TestSite::new()
        .file("content/a.md", &page("title = \"A\"", "Hei"))
        .file("templates/404.html", "<main>Fant ikke siden</main>");
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_jobbvinner"))
        .args(["--root", s.root().to_str().unwrap(), "serve", "--port", "0"])
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    let addr = lines
        .by_ref()
        .map_while(Result::ok)
        .find_map(|l| {
            l.strip_prefix("Serving on http://")
                .map(|r| r.trim_end_matches(|c| c != '/').trim_end_matches('/').to_string())
        })
        .expect("serving line");
    let addr = addr.split_whitespace().next().unwrap().to_string();
    let (status, body) = get(&addr, "/a/");
    assert_eq!(status, 200);
    assert!(body.contains("<h1>A</h1>") && body.contains("text/html"));
    assert_eq!(get(&addr, "/a").0, 301);
    let (status, body) = get(&addr, "/finnes-ikke/");
    assert_eq!(status, 404);
    assert!(body.contains("Fant ikke siden"));
    assert_eq!(get(&addr, "/../../etc/passwd").0, 400);
    assert_eq!(get(&addr, "/%2e%2e/%2e%2e/etc/passwd").0, 400);
    child.kill().unwrap();
    child.wait().unwrap();
    assert!(!s.public().exists());
}
