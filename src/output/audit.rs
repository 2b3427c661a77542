//! `check`'s sink: writes nothing, and keeps of every page what a site audit needs: the ids
//! its links can point at, and every address it refers to (links, images, scripts, frames,
//! stylesheets, `srcset` candidates), with the tag and attribute it was found in.

use super::Sink;
use std::collections::BTreeMap;
use std::io;
use std::path::Path;
use std::sync::Mutex;

/// One address found in a page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reference {
    /// The element, lower case: `a`, `img`, `link`, `script`, `iframe`, `source`, …
    pub tag: String,
    /// The attribute: `href`, `src`, `srcset`, `action`, `poster`, `data`.
    pub attr: String,
    /// The address, entities decoded.
    pub url: String,
}

/// What an audit needs of one HTML output.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Page {
    /// Every `id` (and `name` of an `a`) in the page.
    pub ids: Vec<String>,
    /// Every address the page refers to.
    pub references: Vec<Reference>,
}

/// Outputs as an audit sees them.
#[derive(Default)]
pub struct Audit {
    pages: Mutex<BTreeMap<String, Page>>,
    files: Mutex<Vec<String>>,
}

impl Audit {
    /// The HTML outputs by output path.
    pub fn pages(&self) -> BTreeMap<String, Page> {
        self.pages.lock().unwrap_or_else(|p| p.into_inner()).clone()
    }

    /// Every output path, HTML or not, sorted.
    pub fn outputs(&self) -> Vec<String> {
        let mut all: Vec<String> = self.pages.lock().unwrap_or_else(|p| p.into_inner()).keys().cloned().collect();
        all.extend(self.files.lock().unwrap_or_else(|p| p.into_inner()).iter().cloned());
        all.sort();
        all
    }
}

impl Sink for Audit {
    fn write(&self, rel: &str, bytes: Vec<u8>) -> io::Result<()> {
        if rel.ends_with(".html") || rel.ends_with(".htm") {
            let page = scan(&String::from_utf8_lossy(&bytes));
            self.pages.lock().unwrap_or_else(|p| p.into_inner()).insert(rel.to_string(), page);
        } else {
            self.files.lock().unwrap_or_else(|p| p.into_inner()).push(rel.to_string());
        }
        Ok(())
    }

    fn copy(&self, rel: &str, source: &Path) -> io::Result<()> {
        std::fs::metadata(source)?;
        self.files.lock().unwrap_or_else(|p| p.into_inner()).push(rel.to_string());
        Ok(())
    }
}

/// Attributes that hold addresses.
const URL_ATTRS: &[&str] = &["href", "src", "srcset", "action", "poster", "data", "formaction"];

/// The ids and references of an HTML document. Comments and the text of `script` and
/// `style` elements are skipped; malformed markup never fails, it only yields less.
pub fn scan(html: &str) -> Page {
    let mut page = Page::default();
    let mut rest = html;
    while let Some(lt) = rest.find('<') {
        rest = &rest[lt + 1..];
        if let Some(after) = rest.strip_prefix("!--") {
            rest = after.find("-->").map_or("", |i| &after[i + 3..]);
            continue;
        }
        let name_len = rest.find(|c: char| !c.is_ascii_alphanumeric()).unwrap_or(rest.len());
        if name_len == 0 {
            continue;
        }
        let tag = rest[..name_len].to_ascii_lowercase();
        let (attrs, after) = attributes(&rest[name_len..]);
        for (name, value) in attrs {
            if name == "id" || (name == "name" && tag == "a") {
                page.ids.push(value);
            } else if name == "srcset" {
                for candidate in value.split(',') {
                    if let Some(url) = candidate.split_whitespace().next() {
                        page.references.push(Reference { tag: tag.clone(), attr: name.clone(), url: url.into() });
                    }
                }
            } else if URL_ATTRS.contains(&name.as_str()) {
                page.references.push(Reference { tag: tag.clone(), attr: name, url: value });
            }
        }
        rest = after;
        if tag == "script" || tag == "style" {
            let close = format!("</{tag}");
            rest = find_ci(rest, &close).map_or("", |i| &rest[i..]);
        }
    }
    page
}

/// Parses attributes up to the end of the tag; returns them and the text after `>`.
fn attributes(mut s: &str) -> (Vec<(String, String)>, &str) {
    let mut out = Vec::new();
    loop {
        s = s.trim_start_matches(|c: char| c.is_whitespace() || c == '/');
        if s.is_empty() {
            return (out, s);
        }
        if let Some(after) = s.strip_prefix('>') {
            return (out, after);
        }
        let name_len = s.find(|c: char| c.is_whitespace() || matches!(c, '=' | '>' | '/')).unwrap_or(s.len());
        let name = s[..name_len].to_ascii_lowercase();
        s = s[name_len..].trim_start();
        let Some(after_eq) = s.strip_prefix('=') else {
            if name_len == 0 {
                s = &s[s.chars().next().map_or(0, char::len_utf8)..];
            }
            out.push((name, String::new()));
            continue;
        };
        let v = after_eq.trim_start();
        let (value, next) = match v.chars().next() {
            Some(q @ ('"' | '\'')) => match v[1..].find(q) {
                Some(end) => (&v[1..1 + end], &v[end + 2..]),
                None => (&v[1..], ""),
            },
            _ => {
                let end = v.find(|c: char| c.is_whitespace() || c == '>').unwrap_or(v.len());
                (&v[..end], &v[end..])
            }
        };
        out.push((name, decode(value)));
        s = next;
    }
}

/// Decodes the entities templates and the markdown stage write.
fn decode(s: &str) -> String {
    if !s.contains('&') {
        return s.to_string();
    }
    s.replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&#x27;", "'")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&#x2F;", "/")
        .replace("&amp;", "&")
}

/// Byte offset of `needle` in `hay`, ignoring ASCII case.
fn find_ci(hay: &str, needle: &str) -> Option<usize> {
    let (h, n) = (hay.as_bytes(), needle.as_bytes());
    (0..=h.len().checked_sub(n.len())?).find(|&i| h[i..i + n.len()].eq_ignore_ascii_case(n))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_and_references() {
        let p = scan(concat!(
            "<!doctype html><html><head><link rel=stylesheet href=\"/a.css?h=1&amp;x=2\">",
            "<script>if (a < b) { x = '<a href=\"/no\">'; }</script><style>a{}</style></head>",
            "<body><!-- <a href=\"/comment\"> --><h2 id=\"slik-gjor-du\">Slik</h2>",
            "<a name=top></a><a href='/tips/' class=x>Tips</a>",
            "<img src=\"/b.webp\" srcset=\"/b-480.webp 480w, /b-960.webp 960w\" alt=\"\">",
            "<iframe src=\"https://www.youtube.com/embed/x\"></iframe><input disabled><a href=\"#slik-gjor-du\">x</a>",
        ));
        assert_eq!(p.ids, ["slik-gjor-du", "top"]);
        let urls: Vec<(&str, &str, &str)> =
            p.references.iter().map(|r| (r.tag.as_str(), r.attr.as_str(), r.url.as_str())).collect();
        assert_eq!(
            urls,
            [
                ("link", "href", "/a.css?h=1&x=2"),
                ("a", "href", "/tips/"),
                ("img", "src", "/b.webp"),
                ("img", "srcset", "/b-480.webp"),
                ("img", "srcset", "/b-960.webp"),
                ("iframe", "src", "https://www.youtube.com/embed/x"),
                ("a", "href", "#slik-gjor-du"),
            ]
        );
    }

    #[test]
    fn malformed_markup_does_not_panic() {
        for html in ["<", "<a", "<a href=", "<a href=\"x", "<<>>", "<script>", "<!--", "<a =x>", "<é å='ø'>"] {
            let _ = scan(html);
        }
    }
}
