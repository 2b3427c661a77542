//! Raw HTML in a writer's text, by the site's `[markdown] raw_html` rule: `sanitize` (the
//! default) cleans it with ammonia and warns about what was taken out, `deny` refuses it,
//! `allow` publishes it as written (Zola's behaviour). One list of allowed tags and
//! attributes serves both the cleaner and the scan that tells the writer what it removed.

use crate::messages::Message;
use crate::msg;
use std::collections::HashSet;
use std::sync::OnceLock;

/// Tags a text may contain: what markdown itself produces and what writers reasonably use.
const TAGS: &[&str] = &[
    "a",
    "abbr",
    "b",
    "bdi",
    "bdo",
    "blockquote",
    "br",
    "caption",
    "cite",
    "code",
    "col",
    "colgroup",
    "dd",
    "del",
    "details",
    "dfn",
    "div",
    "dl",
    "dt",
    "em",
    "figcaption",
    "figure",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "hr",
    "i",
    "img",
    "input",
    "ins",
    "kbd",
    "li",
    "mark",
    "ol",
    "p",
    "picture",
    "pre",
    "q",
    "s",
    "samp",
    "small",
    "source",
    "span",
    "strong",
    "sub",
    "summary",
    "sup",
    "table",
    "tbody",
    "td",
    "tfoot",
    "th",
    "thead",
    "time",
    "tr",
    "u",
    "ul",
    "var",
    "wbr",
];

/// Attributes allowed on every tag (and every `aria-` and `data-` attribute).
const GENERIC: &[&str] = &["id", "class", "lang", "dir", "title", "role", "hidden"];

/// Attributes allowed on one tag.
const BY_TAG: &[(&str, &[&str])] = &[
    ("a", &["href", "hreflang", "tabindex"]),
    ("img", &["src", "alt", "width", "height", "loading", "decoding", "srcset", "sizes"]),
    ("source", &["srcset", "sizes", "type", "media", "width", "height"]),
    ("th", &["style", "align", "colspan", "rowspan", "scope"]),
    ("td", &["style", "align", "colspan", "rowspan"]),
    ("col", &["span"]),
    ("colgroup", &["span"]),
    ("ol", &["start", "reversed", "type"]),
    ("li", &["value"]),
    ("input", &["type", "checked", "disabled"]),
    ("time", &["datetime"]),
    ("blockquote", &["cite"]),
    ("q", &["cite"]),
    ("del", &["cite", "datetime"]),
    ("ins", &["cite", "datetime"]),
    ("details", &["open"]),
];

/// Addresses a link or image may have: these schemes, or none (relative and `#` links).
const SCHEMES: &[&str] = &["http", "https", "mailto", "tel"];

/// Attributes holding an address.
const URL_ATTRS: &[&str] = &["href", "src", "cite", "srcset"];

fn cleaner() -> &'static ammonia::Builder<'static> {
    static B: OnceLock<ammonia::Builder<'static>> = OnceLock::new();
    B.get_or_init(|| {
        let mut b = ammonia::Builder::empty();
        b.tags(TAGS.iter().copied().collect())
            .generic_attributes(GENERIC.iter().copied().collect())
            .generic_attribute_prefixes(["aria-", "data-"].into_iter().collect())
            .tag_attributes(BY_TAG.iter().map(|(t, a)| (*t, a.iter().copied().collect())).collect())
            .url_schemes(SCHEMES.iter().copied().collect())
            .clean_content_tags(["script", "style", "template"].into_iter().collect())
            .link_rel(None)
            .strip_comments(false);
        b
    })
}

/// The HTML with everything not on the lists taken out (tags, attributes, addresses).
pub fn clean(html: &str) -> String {
    cleaner().clean(html).to_string()
}

/// Is this address one a reader's browser would run or load as a document of its own
/// (`javascript:`, `data:`, `vbscript:` …)? Relative addresses and `#` links are safe.
pub fn unsafe_url(url: &str) -> bool {
    // Browsers ignore whitespace and control characters inside a scheme.
    let squeezed: String = url.chars().filter(|c| !c.is_whitespace() && !c.is_control()).take(16).collect();
    let Some((scheme, _)) = squeezed.split_once(':') else { return false };
    if scheme.is_empty() || scheme.contains(['/', '?', '#']) {
        return false;
    }
    !SCHEMES.iter().any(|s| s.eq_ignore_ascii_case(scheme))
}

/// Is this attribute allowed on a heading written with `{attr=…}`?
pub fn heading_attr_allowed(name: &str) -> bool {
    let name = name.to_ascii_lowercase();
    GENERIC.contains(&name.as_str()) || name.starts_with("aria-") || name.starts_with("data-")
}

/// What the cleaner takes out of one fragment of raw HTML, as messages for the writer
/// (empty when the fragment passes as it is). A tag scan, not a parser: it names what is
/// removed, while [`clean`] does the removing on the whole text.
pub fn findings(fragment: &str) -> Vec<Message> {
    let mut out = Vec::new();
    let mut seen = HashSet::new();
    let mut rest = fragment;
    while let Some(at) = rest.find('<') {
        rest = &rest[at + 1..];
        if rest.starts_with("!--") {
            rest = rest.find("-->").map_or("", |e| &rest[e + 3..]);
            continue;
        }
        let closing = rest.starts_with('/');
        let body = rest.trim_start_matches('/');
        let name_len = body.find(|c: char| !c.is_ascii_alphanumeric() && c != '-').unwrap_or(body.len());
        if name_len == 0 {
            continue;
        }
        let name = body[..name_len].to_ascii_lowercase();
        let end = tag_end(body);
        let attrs = &body[name_len..end];
        rest = &body[end.min(body.len())..];
        if closing {
            continue;
        }
        if !TAGS.contains(&name.as_str()) {
            if seen.insert(format!("<{name}")) {
                out.push(msg!("markdown.html_tag_removed", tag = &name));
            }
            continue;
        }
        for (attr, value) in attributes(attrs) {
            let allowed = GENERIC.contains(&attr.as_str())
                || attr.starts_with("aria-")
                || attr.starts_with("data-")
                || BY_TAG.iter().any(|(t, a)| *t == name && a.contains(&attr.as_str()));
            if !allowed {
                if seen.insert(format!("{name} {attr}")) {
                    out.push(msg!("markdown.html_attr_removed", tag = &name, attr = &attr));
                }
            } else if URL_ATTRS.contains(&attr.as_str()) && unsafe_url(&value) && seen.insert(format!("url {value}")) {
                out.push(msg!("markdown.html_url_removed", tag = &name, attr = &attr));
            }
        }
    }
    out
}

/// Where a tag's `>` is, outside quoted values.
fn tag_end(s: &str) -> usize {
    let mut quote = None;
    for (i, c) in s.char_indices() {
        match (quote, c) {
            (None, '"' | '\'') => quote = Some(c),
            (Some(q), c) if c == q => quote = None,
            (None, '>') => return i,
            _ => {}
        }
    }
    s.len()
}

/// A tag's attributes as (lower-case name, value).
fn attributes(s: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let b = s.as_bytes();
    let mut i = 0;
    while i < b.len() {
        while i < b.len() && (b[i].is_ascii_whitespace() || b[i] == b'/') {
            i += 1;
        }
        let start = i;
        while i < b.len() && !b[i].is_ascii_whitespace() && b[i] != b'=' && b[i] != b'/' {
            i += 1;
        }
        if start == i {
            i += 1;
            continue;
        }
        let name = s[start..i].to_ascii_lowercase();
        while i < b.len() && b[i].is_ascii_whitespace() {
            i += 1;
        }
        let mut value = String::new();
        if i < b.len() && b[i] == b'=' {
            i += 1;
            while i < b.len() && b[i].is_ascii_whitespace() {
                i += 1;
            }
            if i < b.len() && (b[i] == b'"' || b[i] == b'\'') {
                let q = b[i];
                let from = i + 1;
                i = from;
                while i < b.len() && b[i] != q {
                    i += 1;
                }
                value = s[from..i.min(b.len())].to_string();
                i += 1;
            } else {
                let from = i;
                while i < b.len() && !b[i].is_ascii_whitespace() {
                    i += 1;
                }
                value = s[from..i].to_string();
            }
        }
        out.push((name, decode_entities(&value)));
    }
    out
}

/// Enough entity decoding to see a scheme written as `java&#115;cript:` or `&#x6A;avascript:`.
fn decode_entities(s: &str) -> String {
    if !s.contains('&') {
        return s.to_string();
    }
    let mut out = String::new();
    let mut rest = s;
    while let Some(at) = rest.find('&') {
        out.push_str(&rest[..at]);
        rest = &rest[at..];
        let end = rest.find(';').filter(|e| *e < 12);
        let decoded = end.and_then(|e| {
            let ent = &rest[1..e];
            let n = if let Some(h) = ent.strip_prefix("#x").or(ent.strip_prefix("#X")) {
                u32::from_str_radix(h, 16).ok()
            } else if let Some(d) = ent.strip_prefix('#') {
                d.parse().ok()
            } else {
                match ent {
                    "colon" => Some(58),
                    "tab" => Some(9),
                    "newline" => Some(10),
                    _ => None,
                }
            };
            n.and_then(char::from_u32).map(|c| (c, e))
        });
        match decoded {
            Some((c, e)) => {
                out.push(c);
                rest = &rest[e + 1..];
            }
            None => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markdown_output_passes_unchanged() {
        for html in [
            "<h2 id=\"a\">A <a class=\"heading-anchor\" href=\"#a\" aria-hidden=\"true\" tabindex=\"-1\">#</a></h2>",
            "<p><a href=\"https://example.no/x?a=1&amp;b=2\" title=\"t\">x</a></p>",
            "<table><thead><tr><th style=\"text-align: left\">a</th></tr></thead></table>",
            "<ul><li><input disabled=\"\" type=\"checkbox\" checked=\"\"> gjort</li></ul>",
            "<pre><code class=\"language-rust\">fn x() {}</code></pre>",
            "<p>\u{E000}0\u{E001}</p>",
        ] {
            assert_eq!(clean(html), html);
            assert!(findings(html).is_empty(), "{html}");
        }
    }

    #[test]
    fn script_handlers_and_unsafe_urls_go() {
        let html = "<p onclick=\"x()\">a<script>alert(1)</script><a href=\"javascript:alert(1)\">b</a><img src=x onerror=alert(1)></p>";
        let out = clean(html);
        for bad in ["onclick", "script", "javascript", "onerror", "alert"] {
            assert!(!out.contains(bad), "{bad} in {out}");
        }
        let f: Vec<String> = findings(html).iter().map(ToString::to_string).collect();
        assert_eq!(f.len(), 4, "{f:?}");
        assert!(f.iter().any(|m| m.contains("script")));
        assert!(f.iter().any(|m| m.contains("onerror")));
    }

    #[test]
    fn hidden_schemes_are_seen() {
        for url in ["javascript:x", " JaVaScRiPt:x", "java\tscript:x", "data:text/html,x", "vbscript:x"] {
            assert!(unsafe_url(url), "{url}");
        }
        for url in ["https://x.no", "/tips/", "#a", "mailto:a@b.no", "tips/a:b", "?q=a:b"] {
            assert!(!unsafe_url(url), "{url}");
        }
        assert_eq!(findings("<a href=\"java&#115;cript:x\">a</a>").len(), 1);
        assert_eq!(findings("<a href='&#x6A;avascript&colon;x'>a</a>").len(), 1);
    }

    #[test]
    fn heading_attributes() {
        assert!(heading_attr_allowed("lang") && heading_attr_allowed("data-x"));
        assert!(!heading_attr_allowed("onclick") && !heading_attr_allowed("style"));
    }
}
