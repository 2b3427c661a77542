//! Live reload over server-sent events: browsers connect to [`EVENTS`]; after a rebuild the
//! hub sends `reload` (or `css` when only stylesheets changed), and `errors` with the build's
//! problems, which the injected script shows as an overlay until a good build reloads the page.

use std::collections::HashSet;
use std::io::{self, Write};
use std::net::TcpStream;
use std::sync::Mutex;
use std::time::Duration;

/// The event stream's path.
pub const EVENTS: &str = "/__jobbvinner/events";

/// At most this many browsers listen at once; the oldest is dropped beyond it.
const MAX_CLIENTS: usize = 64;

/// The reload script's path: a file of its own, so that pages whose Content-Security-Policy
/// forbids inline script reload too.
pub const SCRIPT_PATH: &str = "/__jobbvinner/reload.js";

/// Injected before `</body>` of every HTML response in `serve` (never in `build` output).
pub const SCRIPT: &str = r#"<script src="/__jobbvinner/reload.js"></script>"#;

/// The reload script: reloads on `reload` keeping the scroll position, swaps stylesheets on
/// `css`, and shows the build's errors in an accessible overlay on `errors`.
pub const SCRIPT_BODY: &str = r#"(()=>{const K="jv-scroll",s=JSON.parse(sessionStorage.getItem(K)||"null");
if(s&&s.p===location.pathname){sessionStorage.removeItem(K);addEventListener("load",()=>scrollTo(0,s.y))}
const es=new EventSource("/__jobbvinner/events?path="+encodeURIComponent(location.pathname)),id="jv-errors";
es.addEventListener("reload",()=>{sessionStorage.setItem(K,JSON.stringify({p:location.pathname,y:scrollY}));location.reload()});
es.addEventListener("css",()=>{document.getElementById(id)?.remove();for(const l of document.querySelectorAll('link[rel~="stylesheet"]')){const u=new URL(l.href);u.searchParams.set("jv",Date.now());const n=l.cloneNode();n.href=u;n.onload=()=>l.remove();l.after(n)}});
es.addEventListener("errors",e=>{document.getElementById(id)?.remove();const d=document.createElement("div");d.id=id;d.setAttribute("role","alert");
d.style.cssText="position:fixed;left:0;right:0;bottom:0;max-height:60vh;overflow:auto;z-index:2147483647;background:#fff4f4;color:#600;border-top:4px solid #b00020;padding:1rem 1.5rem;font:15px/1.5 ui-monospace,monospace";
const h=document.createElement("h2");h.style.cssText="font-size:1.1em;margin:0 0 .5em";h.textContent="Nettstedet har feil – forhåndsvisningen viser siste fungerende versjon";const u=document.createElement("ul");
for(const t of JSON.parse(e.data)){const li=document.createElement("li");li.textContent=t;u.append(li)}
const b=document.createElement("button");b.type="button";b.textContent="Lukk";b.onclick=()=>d.remove();d.append(h,u,b);document.body.append(d)})})()"#;

/// `html` with [`SCRIPT`] before its last `</body>` (or at the end if it has none).
pub fn inject(html: &[u8]) -> std::sync::Arc<[u8]> {
    let at = rfind_ci(html, b"</body>").unwrap_or(html.len());
    let mut out = Vec::with_capacity(html.len() + SCRIPT.len());
    out.extend_from_slice(&html[..at]);
    out.extend_from_slice(SCRIPT.as_bytes());
    out.extend_from_slice(&html[at..]);
    out.into()
}

fn rfind_ci(hay: &[u8], needle: &[u8]) -> Option<usize> {
    (0..=hay.len().checked_sub(needle.len())?).rev().find(|&i| hay[i..i + needle.len()].eq_ignore_ascii_case(needle))
}

/// The browsers listening, and the errors of the last build (sent to new listeners too).
#[derive(Default)]
pub struct Hub {
    inner: Mutex<Inner>,
}

#[derive(Default)]
struct Inner {
    /// Each browser's stream and the output it shows (e.g. `tips/index.html`).
    clients: Vec<(TcpStream, Option<String>)>,
    errors: Option<String>,
}

impl Hub {
    /// Takes over a connection that asked for the event stream; `viewing` is the output the
    /// browser shows, if it said.
    pub fn subscribe(&self, mut stream: TcpStream, viewing: Option<String>) -> io::Result<()> {
        stream.set_write_timeout(Some(Duration::from_millis(500)))?;
        stream.write_all(
            b"HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nCache-Control: no-store\r\nConnection: keep-alive\r\n\r\nretry: 500\n\n",
        )?;
        let mut inner = self.inner.lock().unwrap_or_else(|p| p.into_inner());
        if let Some(errors) = &inner.errors {
            stream.write_all(frame("errors", errors).as_bytes())?;
        }
        if inner.clients.len() >= MAX_CLIENTS {
            inner.clients.remove(0);
        }
        inner.clients.push((stream, viewing));
        Ok(())
    }

    /// The outputs browsers show now.
    pub fn viewed(&self) -> HashSet<String> {
        let inner = self.inner.lock().unwrap_or_else(|p| p.into_inner());
        inner.clients.iter().filter_map(|(_, v)| v.clone()).collect()
    }

    /// Says that a rebuild whose pages in view were sent early is complete (for tools).
    pub fn settled(&self, rebuild: std::time::Duration) {
        let data = format!("{{\"rebuild_ms\":{:.3}}}", rebuild.as_secs_f64() * 1000.0);
        let mut inner = self.inner.lock().unwrap_or_else(|p| p.into_inner());
        broadcast(&mut inner, &frame("settled", &data));
    }

    /// Tells every browser to reload (`css`: only swap stylesheets); clears the errors. The
    /// data carries the rebuild's time so far, and whether a `settled` event will follow (the
    /// pages in view were rendered before the rest), for tools and benchmarks.
    pub fn reload(&self, css_only: bool, rebuild: std::time::Duration, early: bool) {
        let data = format!("{{\"rebuild_ms\":{:.3},\"early\":{early}}}", rebuild.as_secs_f64() * 1000.0);
        let mut inner = self.inner.lock().unwrap_or_else(|p| p.into_inner());
        inner.errors = None;
        broadcast(&mut inner, &frame(if css_only { "css" } else { "reload" }, &data));
    }

    /// Shows these problems (`path:line:col: message` lines) in every browser.
    pub fn errors(&self, lines: &[String]) {
        let json = serde_json::to_string(lines).unwrap_or_else(|_| "[]".into());
        let mut inner = self.inner.lock().unwrap_or_else(|p| p.into_inner());
        broadcast(&mut inner, &frame("errors", &json));
        inner.errors = Some(json);
    }

    /// Keeps idle connections alive and forgets closed ones.
    pub fn ping(&self) {
        let mut inner = self.inner.lock().unwrap_or_else(|p| p.into_inner());
        broadcast(&mut inner, ": ping\n\n");
    }

    /// Did the last build fail?
    pub fn has_errors(&self) -> bool {
        self.inner.lock().unwrap_or_else(|p| p.into_inner()).errors.is_some()
    }

    /// How many browsers listen.
    pub fn clients(&self) -> usize {
        self.inner.lock().unwrap_or_else(|p| p.into_inner()).clients.len()
    }
}

fn frame(event: &str, data: &str) -> String {
    format!("event: {event}\ndata: {data}\n\n")
}

fn broadcast(inner: &mut Inner, message: &str) {
    inner.clients.retain_mut(|(c, _)| c.write_all(message.as_bytes()).and_then(|()| c.flush()).is_ok());
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn script_goes_before_the_last_body_end() {
        let out = inject(b"<html><body><p>x</p></BODY></html>");
        let s = String::from_utf8(out.to_vec()).unwrap();
        assert!(s.starts_with("<html><body><p>x</p><script src=") && s.ends_with("</script></BODY></html>"));
        let bare = inject(b"<p>x</p>");
        assert!(String::from_utf8(bare.to_vec()).unwrap().starts_with("<p>x</p><script src="));
        assert!(SCRIPT.contains(SCRIPT_PATH));
    }
}
