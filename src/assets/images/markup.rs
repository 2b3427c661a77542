//! The HTML of a responsive image: `<picture>` with a WebP `<source>` and a JPEG (or PNG)
//! `<img>`, each with `srcset` and `sizes`, and `width`/`height` from the real image so the
//! page does not shift while it loads. Every image is written `loading="lazy"`; the render
//! stage makes the first image of each page load eagerly ([`eager_first`]).

use super::Responsive;
use crate::markdown::escape_attr;

/// An output path as it goes into an address: anything but letters, digits and `-._~/`
/// percent-encoded, so that a space in a file name cannot split a `srcset`.
pub fn escape_path(rel: &str) -> String {
    let mut out = String::with_capacity(rel.len());
    for b in rel.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' | b'/' => out.push(b as char),
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

/// `url 480w, url 960w, …`.
pub fn srcset(variants: &[super::Variant], url: &dyn Fn(&str) -> String) -> String {
    variants.iter().map(|v| format!("{} {}w", url(&v.rel), v.geometry.width)).collect::<Vec<_>>().join(", ")
}

/// The `<picture>` of `r`. `url` turns an output path into its address.
pub fn picture(r: &Responsive, alt: &str, sizes: &str, class: Option<&str>, url: &dyn Fn(&str) -> String) -> String {
    let largest = r.largest();
    let class = class.map(|c| format!(" class=\"{}\"", escape_attr(c))).unwrap_or_default();
    format!(
        "<picture><source type=\"image/webp\" srcset=\"{}\" sizes=\"{sizes}\"><img{class} src=\"{}\" srcset=\"{}\" sizes=\"{sizes}\" width=\"{}\" height=\"{}\" alt=\"{}\" loading=\"lazy\" decoding=\"async\"></picture>",
        escape_attr(&srcset(&r.webp, url)),
        escape_attr(&url(&largest.rel)),
        escape_attr(&srcset(&r.fallback, url)),
        largest.geometry.width,
        largest.geometry.height,
        escape_attr(alt),
        sizes = escape_attr(sizes),
    )
}

/// The first image of a page loads at once (it is likely the largest thing seen first; no
/// `fetchpriority`, since it may also be a card far down a page); the others wait until they
/// are scrolled near. Applied to each rendered page.
pub fn eager_first(html: Vec<u8>) -> Vec<u8> {
    const LAZY: &[u8] = b" loading=\"lazy\" decoding=\"async\"";
    let Some(at) = html.windows(LAZY.len()).position(|w| w == LAZY) else { return html };
    let mut out = Vec::with_capacity(html.len() + 8);
    out.extend_from_slice(&html[..at]);
    out.extend_from_slice(b" decoding=\"async\"");
    out.extend_from_slice(&html[at + LAZY.len()..]);
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn only_the_first_image_loads_eagerly() {
        let lazy = " loading=\"lazy\" decoding=\"async\"";
        let html = format!("<iframe loading=\"lazy\"></iframe><img a{lazy}><img b{lazy}>");
        let want = format!("<iframe loading=\"lazy\"></iframe><img a decoding=\"async\"><img b{lazy}>");
        assert_eq!(String::from_utf8(super::eager_first(html.into_bytes())).unwrap(), want);
    }
}
