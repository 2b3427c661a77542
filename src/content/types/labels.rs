//! Display names of allowed values, from the interface texts (`i18n/<lang>.toml`): front
//! matter in every language writes the canonical (bokmål) value, `malgruppe = ["Ledere"]`,
//! and the theme shows it by its name in the page's language (`[terms.malgruppe] Ledere =
//! "Leiarar"` in nn.toml). A writer who types the display name instead is told the value.

use super::FieldDef;
use crate::config::Config;
use crate::layout::Role;

/// The display names of one table of values in one language file.
#[derive(Debug, Default)]
struct Table {
    lang: String,
    /// The file, for messages: `themes/jobbvinner/i18n/nn.toml`.
    file: String,
    /// Dotted table key: `terms.malgruppe`, `tip.effort_level`.
    path: String,
    /// (canonical value, display name).
    names: Vec<(String, String)>,
}

/// The display names of every field's values, in every language that names them.
#[derive(Debug, Default)]
pub(super) struct Labels {
    /// The site's files before the theme's (the site's names override the theme's).
    tables: Vec<Table>,
}

/// A display name found for a value that is not allowed.
pub(super) struct Found<'a> {
    /// The allowed value it stands for.
    pub(super) value: &'a str,
    /// The file that names it.
    pub(super) file: &'a str,
}

/// The interface-text table holding the display names of a field's values: the field's
/// `labels`, else `terms.<taxonomy>` for a taxonomy field.
fn dotted(key: &str, f: &FieldDef) -> Option<String> {
    match &f.labels {
        Some(t) => Some(t.clone()),
        None => key.strip_prefix("taxonomies.").map(|t| format!("terms.{t}")),
    }
}

impl Labels {
    /// Reads the tables the fields need from the site's and the theme's `i18n/` files. A file
    /// that cannot be read or parsed is skipped: the interface texts report it themselves.
    pub(super) fn load<'a>(config: &Config, fields: impl Iterator<Item = (&'a String, &'a FieldDef)>) -> Labels {
        let mut wanted: Vec<String> =
            fields.filter(|(_, f)| !f.values.is_empty()).filter_map(|(k, f)| dotted(k, f)).collect();
        wanted.sort_unstable();
        wanted.dedup();
        let mut tables = Vec::new();
        if wanted.is_empty() {
            return Labels { tables };
        }
        for place in config.layout.dirs(Role::I18n) {
            let Ok(entries) = std::fs::read_dir(&place.abs) else { continue };
            let mut files: Vec<_> = entries.flatten().map(|e| e.path()).collect();
            files.sort();
            for path in files.iter().filter(|p| p.extension().is_some_and(|e| e == "toml")) {
                let lang = path.file_stem().and_then(|s| s.to_str()).unwrap_or_default().to_string();
                let Ok(text) = std::fs::read_to_string(path) else { continue };
                let Ok(table) = toml::from_str::<toml::Table>(&text) else { continue };
                for want in &wanted {
                    let found = want.split('.').try_fold(&table, |t, part| t.get(part).and_then(|v| v.as_table()));
                    let names: Vec<(String, String)> = found
                        .into_iter()
                        .flatten()
                        .filter_map(|(k, v)| v.as_str().map(|v| (k.clone(), v.to_string())))
                        .collect();
                    if !names.is_empty() {
                        let file = format!("{}/{lang}.toml", place.shown);
                        tables.push(Table { lang: lang.clone(), file, path: want.clone(), names });
                    }
                }
            }
        }
        Labels { tables }
    }

    /// The allowed value of field `key` whose display name `written` is, in the page's
    /// language `lang` first, then in any other. A display name that differs from its value
    /// only in capitals (`Lav` for `lav`) is left to the ordinary suggestion.
    pub(super) fn value_of<'a>(&'a self, key: &str, f: &'a FieldDef, lang: &str, written: &str) -> Option<Found<'a>> {
        let path = dotted(key, f)?;
        let written = written.trim().to_lowercase();
        let tables = self.tables.iter().filter(|t| t.path == path);
        let (own, others): (Vec<&Table>, Vec<&Table>) = tables.partition(|t| t.lang == lang);
        own.into_iter().chain(others).find_map(|t| {
            t.names
                .iter()
                .filter(|(value, name)| name.trim().to_lowercase() == written && value.to_lowercase() != written)
                .find_map(|(value, _)| f.values.iter().find(|v| *v == value))
                .map(|value| Found { value, file: &t.file })
        })
    }
}
