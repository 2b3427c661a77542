//! `jobbvinner serve`: builds the site into memory, serves it over HTTP (loopback unless
//! `--bind` says otherwise), watches the sources and rebuilds incrementally on every change,
//! telling browsers to reload. Nothing is written to disk and `public/` is never touched.
//!
//! - [`http`]: requests and responses (safe paths, ranges, 404, content types);
//! - [`reload`]: the event stream, the injected script and the error overlay;
//! - [`watch`]: file watching with a short debounce;
//! - [`crate::incremental`]: what a change rebuilds.

pub mod http;
pub mod reload;
pub mod watch;

use crate::build::BuildOptions;
use crate::error::Diagnostics;
use crate::incremental::{Early, Rebuilt, Served, Session};
use crate::messages::Message;
use crate::msg;
use crate::report;
use reload::Hub;
use std::collections::HashSet;
use std::io::{self, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{self, SyncSender, TrySendError};
use std::sync::Arc;
use std::thread::JoinHandle;
use std::time::Duration;

/// Threads answering requests; more connections wait in a bounded queue.
const WORKERS: usize = 8;
/// Connections waiting for a worker; beyond this new ones get a quick 503.
const QUEUE: usize = 256;

/// How to serve.
#[derive(Debug, Clone)]
pub struct ServeOptions {
    /// What to build (`base_url` is replaced by the server's address).
    pub build: BuildOptions,
    /// Address to bind.
    pub bind: String,
    /// Port (0 picks a free one).
    pub port: u16,
    /// Open the preview in a browser.
    pub open: bool,
    /// Quiet time that ends a batch of file events.
    pub debounce: Duration,
    /// Print nothing per rebuild (benchmarks).
    pub quiet: bool,
}

impl ServeOptions {
    /// Defaults for the site at `build.root`: 127.0.0.1:1111, 10 ms debounce.
    pub fn new(build: BuildOptions) -> ServeOptions {
        ServeOptions {
            build,
            bind: "127.0.0.1".into(),
            port: 1111,
            open: false,
            debounce: Duration::from_millis(10),
            quiet: false,
        }
    }
}

/// A running preview server.
pub struct Server {
    addr: SocketAddr,
    url: String,
    stop: Arc<AtomicBool>,
    wake: mpsc::Sender<PathBuf>,
    threads: Vec<JoinHandle<()>>,
    hub: Arc<Hub>,
}

impl Server {
    /// The address it listens on.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// The preview's base URL, e.g. `http://127.0.0.1:1111`.
    pub fn url(&self) -> &str {
        &self.url
    }

    /// Browsers listening for reloads.
    pub fn listeners(&self) -> usize {
        self.hub.clients()
    }

    /// Blocks until the server stops (it never does by itself).
    pub fn wait(mut self) {
        for t in self.threads.drain(..) {
            let _ = t.join();
        }
    }

    /// Stops accepting, rebuilding and watching, and waits for the threads.
    pub fn stop(mut self) {
        self.shutdown();
    }

    fn shutdown(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        let _ = self.wake.send(PathBuf::new());
        let _ = TcpStream::connect_timeout(&self.addr, Duration::from_secs(1));
        for t in self.threads.drain(..) {
            let _ = t.join();
        }
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        if !self.threads.is_empty() {
            self.shutdown();
        }
    }
}

/// Builds once, then serves and rebuilds until the process is stopped.
pub fn serve(opts: ServeOptions) -> io::Result<()> {
    let open = opts.open;
    let server = start(opts)?;
    println!("{}", msg!("report.serving", url = server.url()));
    let _ = io::stdout().flush();
    if open {
        open_browser(&format!("{}/", server.url()));
    }
    server.wait();
    Ok(())
}

/// Binds, builds once (errors are printed and shown in the browser; the server runs anyway
/// and picks up the fix), and starts the server, watcher and rebuild threads. Returns once
/// the first build is done and requests are being answered.
pub fn start(mut opts: ServeOptions) -> io::Result<Server> {
    let listener = TcpListener::bind((opts.bind.as_str(), opts.port))?;
    let addr = listener.local_addr()?;
    if !addr.ip().is_loopback() {
        eprintln!("{}: {}", msg!("report.warning"), msg!("serve.exposed", addr = addr.to_string()));
    }
    let host = if addr.ip().is_unspecified() { format!("127.0.0.1:{}", addr.port()) } else { addr.to_string() };
    let url = format!("http://{host}");
    opts.build.base_url = Some(url.clone());
    let hub = Arc::new(Hub::default());
    let mut session = Session::new(opts.build.clone());
    let files = session.files();
    match session.full_rebuild() {
        Ok(r) => {
            if !opts.quiet {
                report::print(&r.warnings);
                println!("{}", summary(&r));
            }
        }
        Err(d) => report_errors(&hub, d),
    }
    let root = opts.build.root.canonicalize()?;
    let theme = crate::config::Config::load(&root).ok().and_then(|c| c.layout.theme);
    let mut watch = watch::Watch::start(&root, theme.as_deref()).map_err(io::Error::other)?;
    let wake = watch.sender();
    let stop = Arc::new(AtomicBool::new(false));

    let mut threads = Vec::new();
    let (tx, rx) = mpsc::sync_channel::<TcpStream>(QUEUE);
    let rx = Arc::new(std::sync::Mutex::new(rx));
    for _ in 0..WORKERS {
        let (rx, files, hub) = (rx.clone(), files.clone(), hub.clone());
        threads.push(std::thread::spawn(move || worker(&rx, &files, &hub)));
    }
    let stop_accept = stop.clone();
    threads.push(std::thread::spawn(move || accept(&listener, &tx, &stop_accept)));
    let (stop_rebuild, hub_rebuild) = (stop.clone(), hub.clone());
    let (debounce, quiet) = (opts.debounce, opts.quiet);
    threads.push(std::thread::spawn(move || {
        while let Some(batch) = watch.next_batch(debounce) {
            if stop_rebuild.load(Ordering::SeqCst) {
                break;
            }
            rebuild(&mut session, &batch, &hub_rebuild, quiet);
        }
    }));
    let (stop_ping, hub_ping) = (stop.clone(), hub.clone());
    threads.push(std::thread::spawn(move || {
        let mut ticks = 0u32;
        while !stop_ping.load(Ordering::SeqCst) {
            std::thread::sleep(Duration::from_millis(200));
            ticks += 1;
            if ticks.is_multiple_of(75) {
                hub_ping.ping();
            }
        }
    }));
    Ok(Server { addr, url, stop, wake, threads, hub })
}

fn accept(listener: &TcpListener, queue: &SyncSender<TcpStream>, stop: &AtomicBool) {
    for stream in listener.incoming() {
        if stop.load(Ordering::SeqCst) {
            break;
        }
        let Ok(stream) = stream else { continue };
        if let Err(TrySendError::Full(mut stream)) = queue.try_send(stream) {
            let _ = stream.set_write_timeout(Some(Duration::from_millis(200)));
            let _ = stream.write_all(
                b"HTTP/1.1 503 Service Unavailable\r\nRetry-After: 1\r\nContent-Length: 0\r\nConnection: close\r\n\r\n",
            );
        }
    }
}

fn worker(queue: &std::sync::Mutex<mpsc::Receiver<TcpStream>>, files: &Served, hub: &Hub) {
    loop {
        let next = queue.lock().unwrap_or_else(|p| p.into_inner()).recv();
        let Ok(stream) = next else { return };
        // A bug in one request must not take a worker down with it.
        let _ = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| http::handle(stream, files, hub)));
    }
}

/// Applies one batch of changes and tells the browsers.
fn rebuild(session: &mut Session, batch: &[PathBuf], hub: &Hub, quiet: bool) {
    // Pages open in browsers are rendered first and reloaded as soon as they are ready.
    let files = session.files();
    let first: HashSet<String> =
        hub.viewed().into_iter().map(|key| if files.contains(&key) { key } else { "404.html".to_string() }).collect();
    let mut ready = |css_only: bool, elapsed: Duration| hub.reload(css_only, elapsed, true);
    let early = Early { first: &first, ready: &mut ready };
    let applied = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| session.apply_early(batch, Some(early))));
    // A bug must not stop the preview: forget the state and build everything again.
    let result = applied.unwrap_or_else(|_| {
        eprintln!("{}", msg!("serve.internal_error"));
        session.full_rebuild()
    });
    match result {
        Ok(r) if r.early => {
            if !quiet {
                report::print(&r.warnings);
                println!("{}", summary(&r));
            }
            hub.settled(r.elapsed);
        }
        Ok(r) if r.changed || hub.has_errors() => {
            if !quiet {
                report::print(&r.warnings);
                println!("{}", summary(&r));
            }
            hub.reload(r.css_only, r.elapsed, false);
        }
        Ok(_) => {}
        Err(d) => report_errors(hub, d),
    }
}

/// Prints the problems and shows them in every browser.
fn report_errors(hub: &Hub, d: Diagnostics) {
    report::print(&d);
    eprintln!("{}", report::counts(&d, msg!("report.still_serving")));
    let lines: Vec<String> = d.into_sorted().iter().map(report::line).collect();
    hub.errors(&lines);
}

/// One line after a rebuild: what the whole output holds, or what an incremental one did.
fn summary(r: &Rebuilt) -> Message {
    if r.full {
        msg!("report.serve_built", counts = r.stats.summary(r.elapsed))
    } else {
        let ms = format!("{:.1}", r.elapsed.as_secs_f64() * 1000.0);
        msg!("report.incremental", rendered = r.rendered, removed = r.removed, ms = ms)
    }
}

fn open_browser(url: &str) {
    let cmd = if cfg!(target_os = "macos") {
        std::process::Command::new("open").arg(url).spawn()
    } else if cfg!(windows) {
        std::process::Command::new("cmd").args(["/C", "start", "", url]).spawn()
    } else {
        std::process::Command::new("xdg-open").arg(url).spawn()
    };
    if cmd.is_err() {
        eprintln!("{}", msg!("serve.no_browser", url = url));
    }
}
