//! Interface text per language: `i18n/<lang>.toml` in the theme, overridden key by key by the
//! site's own `i18n/<lang>.toml`, held in a [`Catalogue`] (the mechanism the generator's own
//! messages use too). Templates read them with `t(key=…)`; the `date` filter takes month and
//! weekday names and its default format from the `[date]` table.

use crate::catalogue::{Catalogue, Missing};
use crate::config::Config;
use crate::date::DateNames;
use crate::error::{toml_diagnostic, Diagnostic, Diagnostics};
use crate::layout::Role;
use crate::messages::Message;
use crate::msg;
use std::collections::HashMap;
use std::path::Path;

/// Every language's strings and date names.
#[derive(Debug, Default)]
pub struct Translations {
    texts: Catalogue,
    dates: HashMap<String, DateNames>,
}

impl Translations {
    /// Loads the theme's files, then the site's; reports every bad file.
    pub fn load(config: &Config) -> Result<Translations, Diagnostics> {
        let mut out = Translations::default();
        let mut diags = Diagnostics::default();
        for place in config.layout.dirs(Role::I18n).iter().rev() {
            let Ok(entries) = std::fs::read_dir(&place.abs) else { continue };
            let mut files: Vec<_> = entries.flatten().map(|e| e.path()).collect();
            files.sort();
            for path in files.iter().filter(|p| p.extension().is_some_and(|e| e == "toml")) {
                let lang = path.file_stem().and_then(|s| s.to_str()).unwrap_or_default().to_string();
                let display = format!("{}/{lang}.toml", place.shown);
                if let Err(d) = out.add_file(&lang, path, &display) {
                    diags.push(d);
                }
            }
        }
        diags.check().map(|()| out)
    }

    /// Adds one language's strings from TOML text (later files override earlier ones).
    pub fn add(&mut self, lang: &str, text: &str, display: &str) -> Result<(), Diagnostic> {
        let table: toml::Table = toml::from_str(text).map_err(|e| toml_diagnostic(display, text, 1, &e))?;
        if let Some(toml::Value::Table(date)) = table.get("date") {
            let names =
                DateNames::from_table(date, self.dates.get(lang)).map_err(|m| match line_of(text, "[date]") {
                    Some(line) => Diagnostic::at(display, line, 1, m),
                    None => Diagnostic::error(display, m),
                })?;
            self.dates.insert(lang.to_string(), names);
        }
        self.texts.add_table(lang, &table);
        Ok(())
    }

    fn add_file(&mut self, lang: &str, path: &Path, display: &str) -> Result<(), Diagnostic> {
        let text = std::fs::read_to_string(path)
            .map_err(|e| Diagnostic::error(display, msg!("io.error", detail = crate::error::io_message(&e))))?;
        self.add(lang, &text, display)
    }

    /// The text for `key` in `lang`, with `{name}` placeholders filled from `args`.
    pub fn get(&self, lang: &str, key: &str, args: &[(&str, &str)]) -> Result<String, Message> {
        self.texts.get(lang, key, args).map_err(|m| match m {
            Missing::Language(known) if known.is_empty() => msg!("i18n.no_language", lang = lang),
            Missing::Language(known) => msg!("i18n.no_file", lang = lang, known = known),
            Missing::Key(hint) => {
                let hint = hint.map(|s| msg!("hint.did_you_mean_key", name = s));
                msg!("i18n.no_key", key = key, lang = lang, hint = hint)
            }
        })
    }

    /// The text of an optional key, if present (no error, no suggestion: a miss is normal).
    pub fn find(&self, lang: &str, key: &str) -> Option<&str> {
        self.texts.find(lang, key)
    }

    /// Month and weekday names for `lang`, when its file gives them.
    pub fn date_names(&self, lang: &str) -> Option<&DateNames> {
        self.dates.get(lang)
    }
}

fn line_of(text: &str, needle: &str) -> Option<usize> {
    text.lines().position(|l| l.trim() == needle).map(|i| i + 1)
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
        assert_eq!(t.get("nb", "pagination.page_of", &[("current", "2"), ("total", "5")]).unwrap(), "Side 2 av 5");
        assert!(t.get("nb", "nav.skp", &[]).unwrap_err().to_string().contains("did you mean `nav.skip`"));
        assert!(t.get("nn", "nav.skip", &[]).unwrap_err().to_string().contains("no i18n/nn.toml"));
    }

    #[test]
    fn date_names_are_checked() {
        let mut t = Translations::default();
        let e = t.add("nb", "x = 1\n[date]\nmonths = [\"jan\"]\n", "nb.toml").unwrap_err();
        assert_eq!(e.line(), Some(2));
        assert!(e.to_string().contains("12"), "{e}");
    }
}
