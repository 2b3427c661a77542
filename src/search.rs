//! Search data: `search.json` for sections with `search_index = true`, read by the theme's
//! in-page filter. Plain text only; stemming happens in the browser for now.

use crate::config::Config;
use crate::content::Site;
use crate::error::Diagnostic;
use crate::templates::views::Views;
use serde_json::json;

/// The JSON index of a section's listed pages, in the section's order.
pub fn index_json(site: &Site, config: &Config, views: &Views, s: usize) -> Result<Vec<u8>, Diagnostic> {
    let pages: Vec<_> = site.sections[s]
        .pages
        .iter()
        .map(|&i| {
            let p = &site.pages[i];
            let html = views.content(site, config, i)?;
            Ok(json!({
                "title": p.title,
                "permalink": config.permalink(&p.path),
                "description": p.description,
                "date": p.date.as_ref().map(|d| &d.iso),
                "taxonomies": p.taxonomies,
                "example": p.extra.get("example").and_then(toml::Value::as_bool).unwrap_or(false),
                "text": text(html.as_str().unwrap_or_default(), &p.extra),
            }))
        })
        .collect::<Result<_, Diagnostic>>()?;
    Ok(serde_json::to_vec(&json!({ "pages": pages })).unwrap_or_default())
}

/// The searchable text of a page: its body, then the words in its `[extra]` (a tip's steps,
/// a testimonial's quote), leaving out file paths and addresses.
fn text(html: &str, extra: &toml::Table) -> String {
    let mut out = html_to_text(html);
    let mut add = |s: &str| {
        if !(s.starts_with('/') || s.starts_with("@/") || s.contains("://") || s.trim().is_empty()) {
            out.push(' ');
            out.push_str(s.trim());
        }
    };
    fn walk(v: &toml::Value, add: &mut dyn FnMut(&str)) {
        match v {
            toml::Value::String(s) => add(s),
            toml::Value::Array(a) => a.iter().for_each(|x| walk(x, add)),
            toml::Value::Table(t) => t.values().for_each(|x| walk(x, add)),
            _ => {}
        }
    }
    extra.values().for_each(|v| walk(v, &mut add));
    out.trim().to_string()
}

/// Visible text of an HTML fragment: tags dropped, common entities decoded, spaces collapsed.
pub fn html_to_text(html: &str) -> String {
    let mut text = String::with_capacity(html.len());
    let mut rest = html;
    while let Some(lt) = rest.find('<') {
        text.push_str(&rest[..lt]);
        let tag = rest[lt + 1..].trim_start_matches('/');
        let name_len = tag.find(|c: char| !c.is_ascii_alphanumeric()).unwrap_or(tag.len());
        // Inline tags join their text to the word around them; other tags separate words.
        if !matches!(
            &tag[..name_len],
            "a" | "em" | "strong" | "code" | "span" | "b" | "i" | "sup" | "sub" | "del" | "abbr"
        ) {
            text.push(' ');
        }
        rest = rest[lt..].find('>').map_or("", |gt| &rest[lt + gt + 1..]);
    }
    text.push_str(rest);
    let text = text
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&nbsp;", "\u{a0}")
        .replace("&amp;", "&");
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn extra_words_are_searchable_but_not_paths() {
        let extra: toml::Table =
            toml::from_str("steps = [\"Snakk med studentparet\"]\nimage = \"/bilder/a.svg\"\nresources = [{ title = \"Mer\", url = \"@/a.md\" }]").unwrap();
        assert_eq!(text("<p>Hei</p>", &extra), "Hei Mer Snakk med studentparet");
    }

    #[test]
    fn text_from_html() {
        let html = "<h2 id=\"a\">Slik <em>gjør</em> dere</h2><p>Sykepleier<em>ne</em> &amp; lytt &lt;3</p>";
        assert_eq!(html_to_text(html), "Slik gjør dere Sykepleierne & lytt <3");
    }
}
