//! SVG files beside the markdown: a drawing can carry script, event handlers and requests to
//! other hosts, which would run or leak when a reader opens it. Unless the site allows raw
//! HTML, such a file is refused with the reason, never published.

use super::StaticFile;
use crate::error::{Diagnostic, Diagnostics};
use crate::msg;

/// Checks the content folder's SVG files (the theme's and the site's static files are the
/// developers' and published as they are).
pub fn check(files: &[StaticFile]) -> Diagnostics {
    let mut diags = Diagnostics::default();
    for f in files.iter().filter(|f| f.shown.starts_with("content/") && is_svg(&f.rel)) {
        let Ok(bytes) = std::fs::read(&f.source) else { continue };
        if let Some(what) = danger(&String::from_utf8_lossy(&bytes)) {
            diags.push(Diagnostic::error(&f.shown, msg!("assets.svg_unsafe", what = what)));
        }
    }
    diags
}

fn is_svg(rel: &str) -> bool {
    rel.rsplit('.').next().is_some_and(|e| e.eq_ignore_ascii_case("svg") || e.eq_ignore_ascii_case("svgz"))
}

/// What in an SVG's text would run or fetch something, if anything.
pub fn danger(text: &str) -> Option<&'static str> {
    let t: String = text.chars().filter(|c| !c.is_whitespace() || *c == ' ').collect::<String>().to_ascii_lowercase();
    if t.contains("<script") || t.contains(":script") {
        return Some("<script>");
    }
    if t.contains("<foreignobject") || t.contains(":foreignobject") {
        return Some("<foreignObject>");
    }
    if t.contains("javascript:") || t.contains("vbscript:") || t.contains("data:text") {
        return Some("javascript:");
    }
    if has_handler(&t) {
        return Some("on…=");
    }
    for external in [
        "href=\"http",
        "href='http",
        "href=\"//",
        "href='//",
        "url(http",
        "url(\"http",
        "url('http",
        "url(//",
        "@import",
    ] {
        if t.contains(external) {
            return Some("http");
        }
    }
    None
}

/// An attribute `on<letters>=` (onload, onclick …) anywhere in a tag.
fn has_handler(t: &str) -> bool {
    let b = t.as_bytes();
    t.match_indices("on").any(|(i, _)| {
        let before = i.checked_sub(1).map(|j| b[j]);
        let starts = matches!(before, Some(b' ' | b'\t' | b'\n' | b'"' | b'\'' | b'/'));
        let mut j = i + 2;
        while j < b.len() && b[j].is_ascii_alphabetic() {
            j += 1;
        }
        while j < b.len() && b[j] == b' ' {
            j += 1;
        }
        starts && j > i + 2 && j < b.len() && b[j] == b'='
    })
}

#[cfg(test)]
mod tests {
    use super::danger;

    #[test]
    fn drawings_with_script_or_requests_are_refused() {
        let ok = r##"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10"><title>Logo on top</title><path d="M0 0h10"/><use href="#a"/></svg>"##;
        assert_eq!(danger(ok), None);
        for bad in [
            r#"<svg><script>alert(1)</script></svg>"#,
            r#"<svg><SCRIPT xlink:href="x.js"/></svg>"#,
            r#"<svg onload="alert(1)"></svg>"#,
            r#"<svg><rect ONCLICK = "x()"/></svg>"#,
            r#"<svg><a href="javascript:alert(1)"><text>x</text></a></svg>"#,
            r#"<svg><image href="https://tracker.example/p.png"/></svg>"#,
            r#"<svg><style>@import url(https://x.example/a.css)</style></svg>"#,
            r#"<svg><foreignObject><iframe src="x"/></foreignObject></svg>"#,
        ] {
            assert!(danger(bad).is_some(), "{bad}");
        }
    }
}
