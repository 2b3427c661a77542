//! Interface text per language: `i18n/<lang>.toml` in the theme, overridden key by key by the
//! site's own `i18n/<lang>.toml`. Nested tables become dotted keys (`[nav] skip_link = "…"` →
//! `nav.skip_link`). Templates read them with `t(key=…)`; the `date` filter takes month and
//! weekday names and its default format from the `[date]` table.

use crate::config::Config;
use crate::date::DateNames;
use crate::error::{suggest, toml_diagnostic, Diagnostic, Diagnostics};
use std::collections::HashMap;
use std::path::Path;

/// Every language's strings.
#[derive(Debug, Default)]
pub struct Translations {
    langs: HashMap<String, Language>,
}

/// One language's strings and date names.
#[derive(Debug, Default)]
struct Language {
    strings: HashMap<String, String>,
    date: Option<DateNames>,
}

impl Translations {
    /// Loads the theme's files, then the site's; reports every bad file.
    pub fn load(config: &Config) -> Result<Translations, Diagnostics> {
        let mut dirs = Vec::new();
        if let Some(theme) = &config.theme {
            dirs.push(format!("themes/{theme}/i18n"));
        }
        dirs.push("i18n".to_string());
        let mut out = Translations::default();
        let mut diags = Diagnostics::default();
        for dir in dirs {
            let Ok(entries) = std::fs::read_dir(config.root.join(&dir)) else { continue };
            let mut files: Vec<_> = entries.flatten().map(|e| e.path()).collect();
            files.sort();
            for path in files.iter().filter(|p| p.extension().is_some_and(|e| e == "toml")) {
                let lang = path.file_stem().and_then(|s| s.to_str()).unwrap_or_default().to_string();
                let display = format!("{dir}/{lang}.toml");
                if let Err(d) = out.add_file(&lang, path, &display) {
                    diags.push(d);
                }
            }
        }
        if diags.is_empty() {
            Ok(out)
        } else {
            Err(diags)
        }
    }

    /// Adds one language's strings from TOML text (later files override earlier ones).
    pub fn add(&mut self, lang: &str, text: &str, display: &str) -> Result<(), Diagnostic> {
        let table: toml::Table = toml::from_str(text).map_err(|e| toml_diagnostic(display, text, 1, &e))?;
        let language = self.langs.entry(lang.to_string()).or_default();
        if let Some(toml::Value::Table(date)) = table.get("date") {
            let names = DateNames::from_table(date, language.date.as_ref())
                .map_err(|m| Diagnostic::new(display, line_of(text, "[date]"), 1, m))?;
            language.date = Some(names);
        }
        flatten("", &table, &mut language.strings);
        Ok(())
    }

    fn add_file(&mut self, lang: &str, path: &Path, display: &str) -> Result<(), Diagnostic> {
        let text =
            std::fs::read_to_string(path).map_err(|e| Diagnostic::new(display, 1, 1, format!("cannot read: {e}")))?;
        self.add(lang, &text, display)
    }

    /// The text for `key` in `lang`, with `{name}` placeholders filled from `args`.
    pub fn get(&self, lang: &str, key: &str, args: &[(String, String)]) -> Result<String, String> {
        let language = self.langs.get(lang).ok_or_else(|| {
            let mut known: Vec<_> = self.langs.keys().map(String::as_str).collect();
            known.sort_unstable();
            match known.is_empty() {
                true => format!("no interface text for language `{lang}`: add i18n/{lang}.toml to the theme or site"),
                false => format!("no i18n/{lang}.toml for language `{lang}` (there is: {})", known.join(", ")),
            }
        })?;
        let text = language.strings.get(key).ok_or_else(|| {
            let hint = suggest(key, language.strings.keys().map(String::as_str))
                .map(|s| format!("; did you mean `{s}`?"))
                .unwrap_or_default();
            format!("no text `{key}` in i18n/{lang}.toml{hint}")
        })?;
        let mut out = text.clone();
        for (name, value) in args {
            out = out.replace(&format!("{{{name}}}"), value);
        }
        Ok(out)
    }

    /// Month and weekday names for `lang`, when its file gives them.
    pub fn date_names(&self, lang: &str) -> Option<&DateNames> {
        self.langs.get(lang)?.date.as_ref()
    }
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

fn line_of(text: &str, needle: &str) -> usize {
    text.lines().position(|l| l.trim() == needle).map_or(1, |i| i + 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nested_keys_placeholders_and_overrides() {
        let mut t = Translations::default();
        t.add("nb", "[nav]\nskip = \"Hopp\"\n[pagination]\npage_of = \"Side {current} av {total}\"\n", "a").unwrap();
        t.add("nb", "[nav]\nskip = \"Gå til innhold\"\n", "b").unwrap();
        assert_eq!(t.get("nb", "nav.skip", &[]).unwrap(), "Gå til innhold");
        let args = [("current".to_string(), "2".to_string()), ("total".to_string(), "5".to_string())];
        assert_eq!(t.get("nb", "pagination.page_of", &args).unwrap(), "Side 2 av 5");
        assert!(t.get("nb", "nav.skp", &[]).unwrap_err().contains("did you mean `nav.skip`"));
        assert!(t.get("nn", "nav.skip", &[]).unwrap_err().contains("no i18n/nn.toml"));
    }

    #[test]
    fn date_names_are_checked() {
        let mut t = Translations::default();
        let e = t.add("nb", "x = 1\n[date]\nmonths = [\"jan\"]\n", "nb.toml").unwrap_err();
        assert_eq!(e.line, 2);
        assert!(e.message.contains("12"), "{}", e.message);
    }
}
