//! Front matter: splitting a file into its `+++` TOML block and markdown body, and the typed
//! serde forms of page and section front matter (only what the user wrote; resolving happens
//! in `load`). Keys follow Zola, so content written for Zola parses unchanged.

use crate::error::{toml_diagnostic, Diagnostic};
use serde::Deserialize;
use std::collections::BTreeMap;
use toml::Spanned;

/// A file split into front matter and body, with the file lines where each starts.
#[derive(Debug)]
pub struct Split<'a> {
    /// The TOML text between the `+++` lines.
    pub front_matter: &'a str,
    /// 1-based file line of the first front-matter line.
    pub front_matter_line: usize,
    /// The markdown after the closing `+++`.
    pub body: &'a str,
    /// 1-based file line where the body starts.
    pub body_line: usize,
}

/// Splits `text` at its `+++` front-matter fences. `path` is only used for diagnostics.
pub fn split<'a>(path: &str, text: &'a str) -> Result<Split<'a>, Diagnostic> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let leading = text.len() - text.trim_start().len();
    let start_line = text[..leading].matches('\n').count() + 1;
    let rest = &text[leading..];
    let first = rest.lines().next().unwrap_or("").trim_end();
    if first == "---" {
        return Err(Diagnostic::new(
            path,
            start_line,
            1,
            "front matter must be TOML between +++ lines; this file uses --- (YAML). Replace both --- lines with +++ and write the keys as TOML (key = \"value\")",
        ));
    }
    if first != "+++" {
        return Err(Diagnostic::new(
            path,
            start_line,
            1,
            "missing front matter: the file must start with a line +++, then keys such as title = \"...\", then a closing +++",
        ));
    }
    let after_open = &rest[first.len()..];
    let after_open = after_open.strip_prefix("\r\n").or_else(|| after_open.strip_prefix('\n')).unwrap_or(after_open);
    let mut offset = 0;
    for line in after_open.split_inclusive('\n') {
        if line.trim_end() == "+++" {
            let front_matter = &after_open[..offset];
            let body = &after_open[offset + line.len()..];
            let front_matter_line = start_line + 1;
            let body_line = front_matter_line + front_matter.matches('\n').count() + 1;
            return Ok(Split { front_matter, front_matter_line, body, body_line });
        }
        offset += line.len();
    }
    Err(Diagnostic::new(
        path,
        start_line,
        1,
        "the front matter is never closed: add a line with only +++ after the last front-matter key",
    ))
}

/// Parses front matter text into `T`, reporting errors at their file position.
pub(super) fn parse<T: for<'de> Deserialize<'de>>(path: &str, split: &Split<'_>) -> Result<T, Diagnostic> {
    toml::from_str(split.front_matter)
        .map_err(|e| toml_diagnostic(path, split.front_matter, split.front_matter_line, &e))
}

/// A page's front matter as written.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct PageFrontMatter {
    pub title: Option<String>,
    pub description: Option<String>,
    pub date: Option<Spanned<toml::Value>>,
    pub updated: Option<Spanned<toml::Value>>,
    pub draft: Option<bool>,
    pub slug: Option<Spanned<String>>,
    pub path: Option<Spanned<String>>,
    pub aliases: Option<Vec<Spanned<String>>>,
    pub template: Option<Spanned<String>>,
    pub weight: Option<i64>,
    pub authors: Option<Vec<String>>,
    pub taxonomies: Option<BTreeMap<Spanned<String>, Terms>>,
    pub extra: Option<toml::Table>,
    /// Zola key, accepted; the search index comes in a later version.
    #[allow(dead_code)]
    pub in_search_index: Option<bool>,
    /// Zola key: `render = false` keeps the page out of the output (it can still be linked data).
    pub render: Option<bool>,
}

/// A taxonomy's terms: a list, or one name written without brackets (`kommune = "Bodø"`).
#[derive(Debug, Default)]
pub(super) struct Terms(pub Vec<String>);

impl<'de> Deserialize<'de> for Terms {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct Visit;
        impl<'de> serde::de::Visitor<'de> for Visit {
            type Value = Terms;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("a list of names in square brackets, e.g. [\"Melhus\", \"Skaun\"]")
            }
            fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<Terms, E> {
                Ok(Terms(vec![v.to_string()]))
            }
            fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut seq: A) -> Result<Terms, A::Error> {
                let mut out = Vec::new();
                while let Some(v) = seq.next_element::<String>()? {
                    out.push(v);
                }
                Ok(Terms(out))
            }
        }
        d.deserialize_any(Visit)
    }
}

/// A section's (`_index.md`) front matter as written.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct SectionFrontMatter {
    pub title: Option<String>,
    pub description: Option<String>,
    pub draft: Option<bool>,
    pub sort_by: Option<Spanned<String>>,
    pub weight: Option<i64>,
    pub template: Option<Spanned<String>>,
    pub page_template: Option<Spanned<String>>,
    pub paginate_by: Option<usize>,
    pub paginate_path: Option<String>,
    pub paginate_reversed: Option<bool>,
    pub transparent: Option<bool>,
    pub render: Option<bool>,
    pub redirect_to: Option<String>,
    pub aliases: Option<Vec<Spanned<String>>>,
    pub extra: Option<toml::Table>,
    /// Taxonomies to write static filter pages for (`/tips/malgruppe/ledere/`).
    pub filters: Option<Vec<Spanned<String>>>,
    /// Write `search.json` of the section's pages.
    pub search_index: Option<bool>,
    /// Zola keys, accepted for compatibility (feeds and search come in later versions).
    #[allow(dead_code)]
    pub in_search_index: Option<bool>,
    #[allow(dead_code)]
    pub insert_anchor_links: Option<String>,
    #[allow(dead_code)]
    pub generate_feeds: Option<bool>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_with_line_numbers() {
        let s = split("a.md", "+++\ntitle = \"x\"\n+++\nHei\n").unwrap();
        assert_eq!(s.front_matter, "title = \"x\"\n");
        assert_eq!((s.front_matter_line, s.body_line), (2, 4));
        assert_eq!(s.body, "Hei\n");
        let s = split("a.md", "\u{feff}\n\n+++\r\n+++\r\nbody").unwrap();
        assert_eq!((s.front_matter, s.body, s.body_line), ("", "body", 5));
    }

    #[test]
    fn explains_missing_or_yaml_front_matter() {
        assert!(split("a.md", "# Hei").unwrap_err().message.contains("missing front matter"));
        assert!(split("a.md", "---\ntitle: x\n---\n").unwrap_err().message.contains("YAML"));
        let e = split("a.md", "+++\ntitle = \"x\"\n").unwrap_err();
        assert!(e.message.contains("never closed"));
    }

    #[test]
    fn typed_errors_point_at_the_key() {
        let text = "+++\ntitle = \"x\"\ndraft = \"yes\"\n+++\n";
        let s = split("c/a.md", text).unwrap();
        let e = parse::<PageFrontMatter>("c/a.md", &s).unwrap_err();
        assert_eq!((e.line, e.col), (3, 9));
        let s = split("c/a.md", "+++\ntitel = \"x\"\n+++\n").unwrap();
        let e = parse::<PageFrontMatter>("c/a.md", &s).unwrap_err();
        assert_eq!(e.line, 2);
        assert!(e.message.contains("did you mean `title`"), "{}", e.message);
    }
}
