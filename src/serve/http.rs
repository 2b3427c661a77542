//! A small HTTP/1.1 responder for the preview: GET and HEAD of files held in memory, with
//! safe path decoding, byte ranges, the theme's 404 page and the live-reload script injected
//! into HTML. One request per connection (`Connection: close`).

use super::reload::{self, Hub};
use crate::incremental::Served;
use std::io::{self, Read, Write};
use std::net::TcpStream;
use std::sync::Arc;
use std::time::Duration;

/// The longest request head accepted (request line and headers).
const MAX_HEAD: usize = 16 * 1024;

/// A parsed request head.
#[derive(Debug, PartialEq)]
pub struct Request {
    /// `GET`, `HEAD`, …
    pub method: String,
    /// The request target as sent, e.g. `/tips/?x=1`.
    pub target: String,
    /// The `Range` header, if any.
    pub range: Option<String>,
}

/// What to send back.
#[derive(Debug, PartialEq)]
pub struct Response {
    /// Status line text, e.g. `200 OK`.
    pub status: &'static str,
    /// Headers besides the ones every response gets.
    pub headers: Vec<(&'static str, String)>,
    /// The body (not sent for HEAD).
    pub body: Arc<[u8]>,
}

impl Response {
    fn text(status: &'static str, body: &str) -> Response {
        Response {
            status,
            headers: vec![("Content-Type", "text/plain; charset=utf-8".into())],
            body: body.as_bytes().into(),
        }
    }
}

/// Serves one connection.
pub fn handle(mut stream: TcpStream, files: &Served, hub: &Hub) -> io::Result<()> {
    stream.set_read_timeout(Some(Duration::from_secs(5)))?;
    stream.set_write_timeout(Some(Duration::from_secs(10)))?;
    let req = match read_head(&mut stream) {
        Ok(Some(r)) => r,
        Ok(None) => return Ok(()),
        Err(status) => {
            write(&mut stream, &Response::text(status, status), false)?;
            return drain(&mut stream);
        }
    };
    let (path, query) = req.target.split_once('?').unwrap_or((&req.target, ""));
    if path == reload::EVENTS && req.method == "GET" {
        let viewing =
            query.split('&').find_map(|kv| kv.strip_prefix("path=")).and_then(safe_path).map(|p| output_key(&p));
        return hub.subscribe(stream, viewing);
    }
    let response = respond(&req, files);
    write(&mut stream, &response, req.method == "HEAD")
}

/// Closes our side and reads what the client still sends for a moment, so that the client
/// sees the error response rather than a reset connection.
fn drain(stream: &mut TcpStream) -> io::Result<()> {
    stream.shutdown(std::net::Shutdown::Write)?;
    stream.set_read_timeout(Some(Duration::from_millis(200)))?;
    let mut sink = [0u8; 4096];
    for _ in 0..64 {
        if matches!(stream.read(&mut sink), Ok(0) | Err(_)) {
            break;
        }
    }
    Ok(())
}

/// Reads and parses the request head; `Ok(None)` if the client sent nothing.
fn read_head(stream: &mut TcpStream) -> Result<Option<Request>, &'static str> {
    let mut buf = Vec::with_capacity(1024);
    let mut chunk = [0u8; 2048];
    let end = loop {
        if let Some(i) = find(&buf, b"\r\n\r\n") {
            break i;
        }
        if buf.len() > MAX_HEAD {
            return Err("431 Request Header Fields Too Large");
        }
        match stream.read(&mut chunk) {
            Ok(0) if buf.is_empty() => return Ok(None),
            Ok(0) => return Err("400 Bad Request"),
            Ok(n) => buf.extend_from_slice(&chunk[..n]),
            Err(_) if buf.is_empty() => return Ok(None),
            Err(_) => return Err("408 Request Timeout"),
        }
    };
    parse_head(&buf[..end]).ok_or("400 Bad Request").map(Some)
}

fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).position(|w| w == needle)
}

/// Parses `METHOD target HTTP/1.x` and the headers this server uses.
pub fn parse_head(head: &[u8]) -> Option<Request> {
    let text = std::str::from_utf8(head).ok()?;
    let mut lines = text.split("\r\n");
    let mut parts = lines.next()?.split(' ');
    let (method, target, version) = (parts.next()?, parts.next()?, parts.next()?);
    if parts.next().is_some() || !version.starts_with("HTTP/1.") || method.is_empty() {
        return None;
    }
    let mut range = None;
    for line in lines {
        let (name, value) = line.split_once(':')?;
        if name.eq_ignore_ascii_case("range") {
            range = Some(value.trim().to_string());
        }
    }
    Some(Request { method: method.to_string(), target: target.to_string(), range })
}

/// The response to a request, from the files in memory.
pub fn respond(req: &Request, files: &Served) -> Response {
    if req.method != "GET" && req.method != "HEAD" {
        let mut r = Response::text("405 Method Not Allowed", "method not allowed: use GET or HEAD");
        r.headers.push(("Allow", "GET, HEAD".into()));
        return r;
    }
    let Some(path) = safe_path(&req.target) else {
        return Response::text("400 Bad Request", "bad path");
    };
    if path == reload::SCRIPT_PATH {
        return with_range("text/javascript; charset=utf-8", Arc::from(reload::SCRIPT_BODY.as_bytes()), None);
    }
    let key = output_key(&path);
    if let Some(body) = files.get(&key) {
        let ctype = content_type(&key);
        let body = if ctype.starts_with("text/html") { reload::inject(&body) } else { body };
        return with_range(ctype, body, req.range.as_deref());
    }
    if files.contains(&format!("{key}/index.html")) {
        let raw = req.target.split(['?', '#']).next().unwrap_or("/");
        return Response {
            status: "301 Moved Permanently",
            headers: vec![("Location", format!("{raw}/"))],
            body: Arc::from(&b""[..]),
        };
    }
    let body = files
        .get("404.html")
        .unwrap_or_else(|| Arc::from(&b"<!doctype html><title>404</title><h1>404 Not Found</h1>"[..]));
    Response {
        status: "404 Not Found",
        headers: vec![("Content-Type", "text/html; charset=utf-8".into())],
        body: reload::inject(&body),
    }
}

/// The output file for a decoded request path: `/tips/` → `tips/index.html`.
pub fn output_key(path: &str) -> String {
    let rel = path.trim_start_matches('/');
    if rel.is_empty() || rel.ends_with('/') {
        format!("{rel}index.html")
    } else {
        rel.to_string()
    }
}

/// A 200 with the whole body, or a 206/416 for a `Range: bytes=` request.
fn with_range(ctype: &'static str, body: Arc<[u8]>, range: Option<&str>) -> Response {
    let len = body.len();
    let mut headers = vec![("Content-Type", ctype.to_string()), ("Accept-Ranges", "bytes".into())];
    let Some(spec) = range.and_then(|r| r.strip_prefix("bytes=")) else {
        return Response { status: "200 OK", headers, body };
    };
    match parse_range(spec, len) {
        // Several ranges, or a malformed one: the whole file (allowed by RFC 9110).
        RangeResult::Ignore => Response { status: "200 OK", headers, body },
        RangeResult::Unsatisfiable => {
            headers.push(("Content-Range", format!("bytes */{len}")));
            Response { status: "416 Range Not Satisfiable", headers, body: Arc::from(&b""[..]) }
        }
        RangeResult::Range(start, end) => {
            headers.push(("Content-Range", format!("bytes {start}-{end}/{len}")));
            Response { status: "206 Partial Content", headers, body: body[start..=end].into() }
        }
    }
}

/// A `Range` header's meaning for a body of `len` bytes.
#[derive(Debug, PartialEq)]
pub enum RangeResult {
    /// Serve the whole body.
    Ignore,
    /// 416.
    Unsatisfiable,
    /// Inclusive byte range.
    Range(usize, usize),
}

/// Parses the part after `bytes=`: `a-b`, `a-` or `-n`; one range only.
pub fn parse_range(spec: &str, len: usize) -> RangeResult {
    if spec.contains(',') {
        return RangeResult::Ignore;
    }
    let Some((a, b)) = spec.trim().split_once('-') else { return RangeResult::Ignore };
    let num = |s: &str| -> Option<usize> {
        (!s.is_empty() && s.bytes().all(|c| c.is_ascii_digit())).then(|| s.parse().unwrap_or(usize::MAX))
    };
    match (num(a.trim()), num(b.trim())) {
        (Some(start), end) if b.trim().is_empty() || end.is_some() => {
            let end = end.unwrap_or(usize::MAX).min(len.saturating_sub(1));
            if start >= len {
                RangeResult::Unsatisfiable
            } else if end < start {
                RangeResult::Ignore
            } else {
                RangeResult::Range(start, end)
            }
        }
        (None, Some(n)) if a.trim().is_empty() => {
            if n == 0 || len == 0 {
                RangeResult::Unsatisfiable
            } else {
                RangeResult::Range(len - n.min(len), len - 1)
            }
        }
        _ => RangeResult::Ignore,
    }
}

/// Writes a response; every one is uncached and closes the connection.
fn write(out: &mut TcpStream, r: &Response, head_only: bool) -> io::Result<()> {
    let mut head = format!("HTTP/1.1 {}\r\n", r.status);
    for (k, v) in &r.headers {
        head.push_str(&format!("{k}: {v}\r\n"));
    }
    head.push_str(&format!(
        "Content-Length: {}\r\nCache-Control: no-store\r\nX-Content-Type-Options: nosniff\r\nConnection: close\r\n\r\n",
        r.body.len()
    ));
    out.write_all(head.as_bytes())?;
    if !head_only {
        out.write_all(&r.body)?;
    }
    out.flush()
}

/// The decoded path of a request target, or `None` if it could name anything outside the
/// output: `..` or `.` segments (also percent-encoded), encoded `/` or `\`, backslashes, NUL,
/// control characters or invalid UTF-8.
pub fn safe_path(target: &str) -> Option<String> {
    let raw = target.split(['?', '#']).next().unwrap_or("");
    if !raw.starts_with('/') {
        return None;
    }
    let lower = raw.to_ascii_lowercase();
    if lower.contains("%2f") || lower.contains("%5c") || lower.contains("%00") {
        return None;
    }
    let decoded = String::from_utf8(percent_decode(raw)).ok()?;
    if decoded.contains(['\\', '\0']) || decoded.chars().any(char::is_control) {
        return None;
    }
    if decoded.split('/').any(|seg| seg == ".." || seg == ".") || decoded.contains("//") {
        return None;
    }
    Some(decoded)
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
        "woff" => "font/woff",
        "pdf" => "application/pdf",
        _ => "application/octet-stream",
    }
}

/// Decodes `%XX` escapes; anything else stays as it is.
pub fn percent_decode(s: &str) -> Vec<u8> {
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
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percent_decoding_is_byte_safe() {
        assert_eq!(percent_decode("/s%C3%B8k/%2e%2e/"), "/søk/../".as_bytes());
        assert_eq!(percent_decode("/%zz/%4"), b"/%zz/%4");
        assert_eq!(percent_decode("/æ%"), "/æ%".as_bytes());
        assert_eq!(percent_decode("/%41"), b"/A");
    }

    #[test]
    fn unsafe_paths_are_refused() {
        for bad in [
            "/../etc/passwd",
            "/%2e%2e/%2e%2e/etc/passwd",
            "/%2E%2E/x",
            "/a/..%2fb",
            "/a%2f..%2f..%2fetc",
            "/..\\..\\windows",
            "/a%5c..%5cb",
            "/a%00.html",
            "/./a",
            "//etc/passwd",
            "/%ff%fe",
            "relative",
            "http://evil/x",
        ] {
            assert_eq!(safe_path(bad), None, "{bad}");
        }
        assert_eq!(safe_path("/tips/s%C3%B8k/?q=1").as_deref(), Some("/tips/søk/"));
        assert_eq!(safe_path("/").as_deref(), Some("/"));
        assert_eq!(safe_path("/a..b/").as_deref(), Some("/a..b/"));
    }

    #[test]
    fn ranges() {
        use RangeResult::*;
        assert_eq!(parse_range("0-9", 100), Range(0, 9));
        assert_eq!(parse_range("90-", 100), Range(90, 99));
        assert_eq!(parse_range("-10", 100), Range(90, 99));
        assert_eq!(parse_range("-1000", 100), Range(0, 99));
        assert_eq!(parse_range("50-5000", 100), Range(50, 99));
        assert_eq!(parse_range("100-", 100), Unsatisfiable);
        assert_eq!(parse_range("-0", 100), Unsatisfiable);
        assert_eq!(parse_range("0-0,5-6", 100), Ignore);
        assert_eq!(parse_range("9-1", 100), Ignore);
        assert_eq!(parse_range("x-y", 100), Ignore);
        assert_eq!(parse_range("99999999999999999999999-", 100), Unsatisfiable);
    }

    #[test]
    fn heads() {
        let r = parse_head(b"GET /a/?x HTTP/1.1\r\nHost: x\r\nrange: bytes=0-1").unwrap();
        assert_eq!((r.method.as_str(), r.target.as_str(), r.range.as_deref()), ("GET", "/a/?x", Some("bytes=0-1")));
        assert!(parse_head(b"GET /a/").is_none());
        assert!(parse_head(b"GET /a/ HTTP/1.1\r\nbroken header").is_none());
        assert!(parse_head(&[0xff, 0xfe]).is_none());
    }

    #[test]
    fn content_types() {
        assert_eq!(content_type("tips/index.html"), "text/html; charset=utf-8");
        assert_eq!(content_type("css/site.css"), "text/css; charset=utf-8");
        assert_eq!(content_type("bilder/x.svg"), "image/svg+xml");
        assert_eq!(content_type("f.woff2"), "font/woff2");
        assert_eq!(content_type("noe"), "application/octet-stream");
    }
}
