//! Live-preview benchmark: the time from saving a file to the reload message reaching a
//! browser's event stream, on the synthetic site of `examples/bench.rs`.
//!
//! ```text
//! cargo run --release --example bench -- --generate-only /dev/shm/jv-serve/10000 10000
//! cargo run --release --example serve_bench -- /dev/shm/jv-serve/10000
//! ```
//!
//! The server runs in this process (`jobbvinner::serve::start`, port 0, the default 10 ms
//! debounce); a client reads its event stream over loopback like a browser. Each sample writes
//! one file and waits for the `reload` (or `css`) event, so it includes the file watcher's
//! latency and the debounce. Reported: median, min and max over 20 page body edits, 5 page
//! title edits (listings re-sorted), 5 base-template edits, 3 stylesheet edits and 3
//! structural edits (a page's slug: a full rebuild), and, for comparison, a cold `build` of the
//! same site into `/dev/shm` in the same run. The site is edited in place; the edits are
//! undone at the end.

use jobbvinner::build::BuildOptions;
use jobbvinner::serve::{start, ServeOptions};
use std::io::{BufRead, BufReader, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() {
    let root = PathBuf::from(std::env::args().nth(1).unwrap_or_else(|| "/dev/shm/jv-serve/10000".into()));
    if !root.join("site.toml").is_file() {
        eprintln!(
            "no site at {0}; generate one first:\n  cargo run --release --example bench -- --generate-only {0} 10000",
            root.display()
        );
        std::process::exit(2);
    }
    let mut opts = ServeOptions::new(BuildOptions::new(root.clone()));
    opts.port = 0;
    opts.quiet = true;
    let t = Instant::now();
    let server = start(opts).expect("server starts");
    println!("first build and start: {:.0} ms", ms(t.elapsed()));
    // A browser showing one page, and one showing another (rendered first after a change).
    let mut events = Events::connect(server.addr(), "/seksjon-0/side-100/");
    let _other = Events::connect(server.addr(), "/seksjon-1/");

    let pages: Vec<PathBuf> = (0..20)
        .map(|i| {
            root.join(format!("content/seksjon-{}/side-{}.md", i % 10, 100 + i * 37 - (100 + i * 37) % 10 + i % 10))
        })
        .collect();
    let originals: Vec<(PathBuf, String)> = pages
        .iter()
        .chain(
            [root.join("themes/jobbvinner/templates/base.html"), root.join("themes/jobbvinner/static/css/site.css")]
                .iter(),
        )
        .map(|p| (p.clone(), std::fs::read_to_string(p).unwrap_or_else(|e| panic!("{}: {e}", p.display()))))
        .collect();

    let mut body = Vec::new();
    for (n, p) in pages.iter().enumerate() {
        let text = std::fs::read_to_string(p).unwrap();
        body.push(events.time(p, &format!("{text}\nEn ny setning nummer {n}.\n"), "reload"));
    }
    report("page body edit", &body);

    let mut title = Vec::new();
    for (n, p) in pages.iter().take(5).enumerate() {
        let text = std::fs::read_to_string(p).unwrap();
        title.push(events.time(p, &text.replacen("title = \"", &format!("title = \"{n} "), 1), "reload"));
    }
    report("page title edit (re-sorted)", &title);

    let base = root.join("themes/jobbvinner/templates/base.html");
    let mut template = Vec::new();
    for n in 0..5 {
        let text = std::fs::read_to_string(&base).unwrap();
        template.push(events.time(&base, &text.replacen("<body>", &format!("<body data-edit=\"{n}\">"), 1), "reload"));
        // Back to the original for the next edit (not measured).
        let _ = events.time(&base, &text, "reload");
    }
    report("base template edit", &template);

    let css = root.join("themes/jobbvinner/static/css/site.css");
    let mut styles = Vec::new();
    for n in 0..3 {
        let text = std::fs::read_to_string(&css).unwrap();
        styles.push(events.time(&css, &format!("{text}\n/* {n} */\n"), "css"));
    }
    report("stylesheet edit", &styles);

    // A change of shape: a page's slug moves it, so everything is built again in memory.
    let moved = &pages[3];
    let original = std::fs::read_to_string(moved).unwrap();
    let mut structural = Vec::new();
    for n in 0..3 {
        let text = original.replacen("+++\n", &format!("+++\nslug = \"flyttet-{n}\"\n"), 1);
        structural.push(events.time(moved, &text, "reload"));
    }
    std::fs::write(moved, &original).unwrap();
    let _ = events.next();
    report("page slug (full rebuild)", &structural);
    // A cold build of the same site, for the ratio.
    let out = std::env::temp_dir().join("jobbvinner-serve-bench-out");
    let shm = Path::new("/dev/shm").join(format!("jobbvinner-serve-bench-{}", std::process::id()));
    let out = if Path::new("/dev/shm").is_dir() { shm } else { out };
    let mut cold = Vec::new();
    for _ in 0..3 {
        let _ = std::fs::remove_dir_all(&out);
        let t = Instant::now();
        jobbvinner::build::build(&BuildOptions::new(root.clone()), jobbvinner::build::Target::Disk(out.clone()))
            .expect("cold build");
        cold.push(ms(t.elapsed()));
    }
    let _ = std::fs::remove_dir_all(&out);
    let (cold_ms, lo, hi) = median(cold);
    let (full_ms, _, _) = median(structural.iter().map(|s| ms(s.rebuild)).collect());
    println!(
        "{:<28} {cold_ms:7.1} ms (min {lo:6.1}, max {hi:6.1}); full rebuild in serve / cold build = {:.2}",
        "cold build (3 runs)",
        full_ms / cold_ms
    );

    for (p, text) in originals {
        std::fs::write(p, text).unwrap();
    }
    server.stop();
}

struct Events(BufReader<TcpStream>);

impl Events {
    fn connect(addr: std::net::SocketAddr, viewing: &str) -> Events {
        let mut s = TcpStream::connect(addr).unwrap();
        s.set_read_timeout(Some(Duration::from_secs(120))).unwrap();
        write!(s, "GET /__jobbvinner/events?path={viewing} HTTP/1.1\r\nHost: x\r\n\r\n").unwrap();
        let mut reader = BufReader::new(s);
        let mut line = String::new();
        while reader.read_line(&mut line).unwrap() > 0 && !line.starts_with("retry:") {
            line.clear();
        }
        // Let the server register the listener before the first edit.
        std::thread::sleep(Duration::from_millis(200));
        Events(reader)
    }

    /// Writes `text` to `path`; returns the time until the `want` event arrives, the rebuild's
    /// time so far (which the event carries), and, when the page in view was reloaded before
    /// the rest was rendered, the time until the `settled` event (the whole output updated).
    fn time(&mut self, path: &Path, text: &str, want: &str) -> Sample {
        std::thread::sleep(Duration::from_millis(150));
        let t = Instant::now();
        std::fs::write(path, text).unwrap();
        let (event, data) = self.next();
        let reload = t.elapsed();
        assert_eq!(event, want, "unexpected event after editing {}", path.display());
        let settled = data.contains("\"early\":true").then(|| {
            assert_eq!(self.next().0, "settled");
            t.elapsed()
        });
        Sample { reload, rebuild: Duration::from_secs_f64(rebuild_ms(&data) / 1000.0), settled }
    }

    /// The next event's name and data.
    fn next(&mut self) -> (String, String) {
        let (mut event, mut line) = (String::new(), String::new());
        loop {
            line.clear();
            assert!(self.0.read_line(&mut line).unwrap() > 0, "event stream closed");
            if let Some(e) = line.trim_end().strip_prefix("event: ") {
                event = e.to_string();
            } else if let Some(d) = line.trim_end().strip_prefix("data: ") {
                return (event, d.to_string());
            }
        }
    }
}

/// One edit: save → reload event, the rebuild's time in the event, save → settled (if any).
struct Sample {
    reload: Duration,
    rebuild: Duration,
    settled: Option<Duration>,
}

fn rebuild_ms(data: &str) -> f64 {
    data.split("rebuild_ms\":").nth(1).and_then(|r| r.split([',', '}']).next()?.parse().ok()).unwrap_or(f64::NAN)
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

fn median(mut v: Vec<f64>) -> (f64, f64, f64) {
    v.sort_by(|a, b| a.total_cmp(b));
    let m = if v.len() % 2 == 1 { v[v.len() / 2] } else { (v[v.len() / 2 - 1] + v[v.len() / 2]) / 2.0 };
    (m, v[0], v[v.len() - 1])
}

fn report(what: &str, samples: &[Sample]) {
    let (m, lo, hi) = median(samples.iter().map(|s| ms(s.reload)).collect());
    let (rm, _, _) = median(samples.iter().map(|s| ms(s.rebuild)).collect());
    println!(
        "{what:<28} save→reload median {m:7.1} ms (min {lo:6.1}, max {hi:6.1}); rebuild median {rm:7.1} ms; {} edits",
        samples.len()
    );
    let settled: Vec<f64> = samples.iter().filter_map(|s| s.settled.map(ms)).collect();
    if !settled.is_empty() {
        let (m, lo, hi) = median(settled.clone());
        println!(
            "{:<28} save→all outputs median {m:7.1} ms (min {lo:6.1}, max {hi:6.1}); {} of the edits reloaded early",
            "",
            settled.len()
        );
    }
}
