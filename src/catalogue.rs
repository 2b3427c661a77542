//! Texts by key and language, with `{name}` placeholders, read from TOML files whose nested
//! tables become dotted keys (`[nav] skip_link = "…"` → `nav.skip_link`). One mechanism for
//! the theme's interface strings ([`crate::i18n`]) and the generator's own messages
//! ([`crate::messages`]), so a language is added the same way for both.

use std::collections::HashMap;

/// Every language's texts.
#[derive(Debug, Default, Clone)]
pub struct Catalogue {
    langs: HashMap<String, HashMap<String, String>>,
}

/// Why a text could not be given.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Missing {
    /// No texts at all for this language; the languages there are.
    Language(Vec<String>),
    /// The language has no such key; the closest key, if one is close.
    Key(Option<String>),
}

impl Catalogue {
    /// Adds (or overrides, key by key) one language's texts from a parsed TOML table.
    pub fn add_table(&mut self, lang: &str, table: &toml::Table) {
        flatten("", table, self.langs.entry(lang.to_string()).or_default());
    }

    /// Does this language have any texts?
    pub fn has_language(&self, lang: &str) -> bool {
        self.langs.contains_key(lang)
    }

    /// The raw text of `key` in `lang`, placeholders unfilled.
    pub fn raw(&self, lang: &str, key: &str) -> Result<&str, Missing> {
        let texts = self.langs.get(lang).ok_or_else(|| {
            let mut known: Vec<String> = self.langs.keys().cloned().collect();
            known.sort_unstable();
            Missing::Language(known)
        })?;
        texts.get(key).map(String::as_str).ok_or_else(|| {
            Missing::Key(crate::suggest::suggest(key, texts.keys().map(String::as_str)).map(str::to_string))
        })
    }

    /// The raw text of an optional key, if present: no suggestion is looked for (cheap on hot
    /// paths such as display names, where a miss is normal).
    pub fn find(&self, lang: &str, key: &str) -> Option<&str> {
        self.langs.get(lang)?.get(key).map(String::as_str)
    }

    /// The text of `key` in `lang` with `{name}` placeholders filled from `args`.
    pub fn get(&self, lang: &str, key: &str, args: &[(&str, &str)]) -> Result<String, Missing> {
        Ok(fill(self.raw(lang, key)?, args))
    }

    /// Every key of a language, for checks.
    pub fn keys(&self, lang: &str) -> impl Iterator<Item = &str> {
        self.langs.get(lang).into_iter().flat_map(|t| t.keys().map(String::as_str))
    }
}

/// Replaces each `{name}` in `text` with its value; unknown placeholders stay as written.
pub fn fill(text: &str, args: &[(&str, &str)]) -> String {
    if args.is_empty() || !text.contains('{') {
        return text.to_string();
    }
    let mut out = String::with_capacity(text.len() + 32);
    let mut rest = text;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        let close = after.find('}');
        let value = close.and_then(|c| args.iter().find(|(n, _)| *n == &after[..c]));
        match (close, value) {
            (Some(c), Some((_, v))) => {
                out.push_str(v);
                rest = &after[c + 1..];
            }
            _ => {
                out.push('{');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

/// Nested tables become dotted keys; strings (and numbers) become texts.
fn flatten(prefix: &str, table: &toml::Table, out: &mut HashMap<String, String>) {
    for (k, v) in table {
        let key = if prefix.is_empty() { k.clone() } else { format!("{prefix}.{k}") };
        match v {
            toml::Value::Table(t) => flatten(&key, t, out),
            toml::Value::String(s) => {
                out.insert(key, s.clone());
            }
            toml::Value::Integer(_) | toml::Value::Float(_) | toml::Value::Boolean(_) => {
                out.insert(key, v.to_string());
            }
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nested_keys_overrides_and_placeholders() {
        let mut c = Catalogue::default();
        c.add_table("nb", &toml::from_str("[nav]\nskip = \"Hopp\"\npage = \"Side {n} av {total}\"").unwrap());
        c.add_table("nb", &toml::from_str("[nav]\nskip = \"Gå til innhold\"").unwrap());
        assert_eq!(c.get("nb", "nav.skip", &[]).unwrap(), "Gå til innhold");
        assert_eq!(c.get("nb", "nav.page", &[("n", "2"), ("total", "5")]).unwrap(), "Side 2 av 5");
        assert_eq!(c.raw("nb", "nav.skp"), Err(Missing::Key(Some("nav.skip".into()))));
        assert_eq!(c.raw("nn", "nav.skip"), Err(Missing::Language(vec!["nb".into()])));
    }

    #[test]
    fn fill_leaves_unknown_and_literal_braces() {
        assert_eq!(fill("{a} og {b} {", &[("a", "x")]), "x og {b} {");
        assert_eq!(fill("[{ title = \"{t}\" }]", &[("t", "T")]), "[{ title = \"T\" }]");
    }
}
