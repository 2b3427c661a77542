//! `jobbvinner serve`: builds the site into memory and serves it over HTTP on loopback.
//! Plain preview for now; nothing is written to disk and `public/` is never touched.

use crate::build::{build, BuildOptions, Target};
use crate::output::MemoryOutput;
use std::collections::BTreeMap;
use std::io::{BufRead, BufReader, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::Arc;

/// Builds once and serves until the process is stopped.
pub fn serve(mut opts: BuildOptions, bind: &str, port: u16) -> std::io::Result<()> {
    let listener = TcpListener::bind((bind, port))?;
    let addr = listener.local_addr()?;
    if !addr.ip().is_loopback() {
        eprintln!("warning: serving on {addr}: other machines on the network can read this preview");
    }
    let host = if addr.ip().is_unspecified() { format!("127.0.0.1:{}", addr.port()) } else { addr.to_string() };
    opts.base_url = Some(format!("http://{host}"));
    let memory = MemoryOutput::default();
    match build(&opts, Target::Memory(&memory)) {
        Ok(r) => println!("Built {}", crate::cli::summary(&r)),
        Err(d) => {
            for e in d.into_sorted() {
                eprintln!("error: {e}");
            }
            return Err(std::io::Error::other("the site has errors; fix them and run serve again"));
        }
    }
    let files = Arc::new(memory.files.into_inner().unwrap_or_else(|p| p.into_inner()));
    println!("Serving on http://{host}/ (Ctrl+C to stop)");
    for stream in listener.incoming().flatten() {
        let files = files.clone();
        std::thread::spawn(move || {
            let _ = handle(stream, &files);
        });
    }
    Ok(())
}

fn handle(stream: TcpStream, files: &BTreeMap<String, Vec<u8>>) -> std::io::Result<()> {
    stream.set_read_timeout(Some(std::time::Duration::from_secs(10)))?;
    let mut reader = BufReader::new(stream.try_clone()?);
    let mut request_line = String::new();
    reader.read_line(&mut request_line)?;
    loop {
        let mut line = String::new();
        if reader.read_line(&mut line)? == 0 || line.trim().is_empty() {
            break;
        }
    }
    let mut parts = request_line.split_whitespace();
    let (method, target) = (parts.next().unwrap_or(""), parts.next().unwrap_or("/"));
    let mut out = stream;
    if method != "GET" && method != "HEAD" {
        return respond(&mut out, "405 Method Not Allowed", "text/plain", b"method not allowed", method == "HEAD");
    }
    let path = percent_decode(target.split(['?', '#']).next().unwrap_or("/"));
    if path.split('/').any(|c| c == "..") {
        return respond(&mut out, "400 Bad Request", "text/plain", b"bad path", false);
    }
    let rel = path.trim_start_matches('/');
    let key = if rel.is_empty() || rel.ends_with('/') { format!("{rel}index.html") } else { rel.to_string() };
    if let Some(body) = files.get(&key) {
        return respond(&mut out, "200 OK", content_type(&key), body, method == "HEAD");
    }
    if files.contains_key(&format!("{key}/index.html")) {
        let head = format!(
            "HTTP/1.1 301 Moved Permanently\r\nLocation: {path}/\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
        );
        return out.write_all(head.as_bytes());
    }
    let body = files.get("404.html").map_or(&b"404 Not Found"[..], Vec::as_slice);
    respond(&mut out, "404 Not Found", "text/html; charset=utf-8", body, method == "HEAD")
}

fn respond(out: &mut TcpStream, status: &str, ctype: &str, body: &[u8], head_only: bool) -> std::io::Result<()> {
    let head = format!(
        "HTTP/1.1 {status}\r\nContent-Type: {ctype}\r\nContent-Length: {}\r\nCache-Control: no-cache\r\nX-Content-Type-Options: nosniff\r\nConnection: close\r\n\r\n",
        body.len()
    );
    out.write_all(head.as_bytes())?;
    if !head_only {
        out.write_all(body)?;
    }
    out.flush()
}

/// The Content-Type for a file name.
pub fn content_type(name: &str) -> &'static str {
    match name.rsplit('.').next().unwrap_or("") {
        "html" | "htm" => "text/html; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "js" | "mjs" => "text/javascript; charset=utf-8",
        "json" => "application/json",
        "xml" => "application/xml",
        "txt" => "text/plain; charset=utf-8",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "gif" => "image/gif",
        "webp" => "image/webp",
        "avif" => "image/avif",
        "ico" => "image/x-icon",
        "woff2" => "font/woff2",
        "pdf" => "application/pdf",
        _ => "application/octet-stream",
    }
}

fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' && i + 2 < bytes.len() {
            let hex = |b: u8| (b as char).to_digit(16);
            if let (Some(h), Some(l)) = (hex(bytes[i + 1]), hex(bytes[i + 2])) {
                out.push((h * 16 + l) as u8);
                i += 3;
                continue;
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percent_decoding_is_byte_safe() {
        assert_eq!(percent_decode("/s%C3%B8k/%2e%2e/"), "/søk/../");
        assert_eq!(percent_decode("/%zz/%4"), "/%zz/%4");
        assert_eq!(percent_decode("/æ%"), "/æ%");
    }

    #[test]
    fn content_types() {
        assert_eq!(content_type("tips/index.html"), "text/html; charset=utf-8");
        assert_eq!(content_type("css/site.css"), "text/css; charset=utf-8");
        assert_eq!(content_type("bilder/x.svg"), "image/svg+xml");
        assert_eq!(content_type("noe"), "application/octet-stream");
    }
}
