//! Norway's counties and municipalities, from the theme's data file (Statistics Norway's
//! classification), and the rules for `kommune` and `fylke` names in front matter: that a
//! name exists (with a suggestion for typos and former counties) and that a municipality's
//! county is named on the page.

use crate::error::{suggest, toml_diagnostic, Diagnostic};
use crate::messages::Message;
use crate::msg;
use serde::Deserialize;

/// The counties and municipalities of one division.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Places {
    #[serde(default)]
    pub fylke: Vec<Place>,
    #[serde(default)]
    pub kommune: Vec<Place>,
}

/// A county or municipality.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Place {
    pub number: String,
    /// The official name as the classification writes it (`Unjárga - Nesseby`).
    pub name: String,
    /// Each language form of a multilingual name, any of which may be written.
    #[serde(default)]
    pub names: Vec<String>,
    /// A municipality's county (plain Norwegian form).
    pub fylke: Option<String>,
}

impl Place {
    /// The name, any language form, or the name without its county (`Herøy (Nordland)` → `Herøy`).
    fn matches(&self, name: &str) -> bool {
        let plain = self.name.split(" (").next().unwrap_or(&self.name);
        self.name == name || plain == name || self.names.iter().any(|n| n == name)
    }

    fn all_names(&self) -> impl Iterator<Item = &str> {
        std::iter::once(self.name.as_str()).chain(self.names.iter().map(String::as_str))
    }
}

impl Places {
    /// Parses the data file; `display` names it in errors.
    pub fn parse(text: &str, display: &str) -> Result<Places, Diagnostic> {
        toml::from_str(text).map_err(|e| toml_diagnostic(display, text, 1, &e))
    }

    /// The municipalities with this name (two share a name in some cases, e.g. Herøy).
    pub fn kommuner(&self, name: &str) -> Vec<&Place> {
        self.kommune.iter().filter(|k| k.matches(name)).collect()
    }

    /// Is this a county name?
    pub fn is_fylke(&self, name: &str) -> bool {
        self.fylke.iter().any(|f| f.matches(name))
    }

    /// A county's plain Norwegian form (as municipalities name it), from any of its names.
    pub fn canonical_fylke(&self, name: &str) -> Option<&str> {
        let f = self.fylke.iter().find(|f| f.matches(name))?;
        Some(f.names.first().unwrap_or(&f.name))
    }

    /// The closest municipality name, for "did you mean".
    pub fn suggest_kommune(&self, name: &str) -> Option<&str> {
        suggest(name, self.kommune.iter().flat_map(Place::all_names))
    }

    /// The closest county name.
    pub fn suggest_fylke(&self, name: &str) -> Option<&str> {
        suggest(name, self.fylke.iter().flat_map(Place::all_names))
    }

    /// What is wrong with a municipality name on a page that names `counties` (plain forms)
    /// in its county field `field` (`has_county_field`: the type has one at all).
    pub fn check_kommune(
        &self,
        name: &str,
        counties: &[String],
        has_county_field: bool,
        field: &str,
    ) -> Option<Message> {
        let found = self.kommuner(name);
        if found.is_empty() {
            let plain = name.trim_end_matches(" kommune").trim_end_matches(" herad");
            let hint = match self.suggest_kommune(plain) {
                Some(s) => msg!("hint.did_you_mean_value", value = s),
                None => msg!("hint.kommune_as_ssb"),
            };
            return Some(msg!("places.not_a_kommune", name = name, hint = hint));
        }
        let home: Vec<&str> = found.iter().filter_map(|k| k.fylke.as_deref()).collect();
        if home.iter().any(|h| counties.iter().any(|c| c == h)) || home.is_empty() || !has_county_field {
            return None;
        }
        let (all, first) = (crate::messages::or_list(&home), home[0]);
        Some(if counties.is_empty() {
            msg!("places.add_county", name = name, home = all, field = field, county = first)
        } else {
            msg!("places.county_not_listed", name = name, home = all, field = field, county = first)
        })
    }

    /// What is wrong with a county name, if anything. For a former county, `kommuner` (the
    /// municipalities the page names) decide exactly what to write in `field` instead.
    pub fn check_fylke(&self, name: &str, kommuner: &[String], field: &str) -> Option<Message> {
        if self.is_fylke(name) {
            return None;
        }
        if let Some(now) = former_county(name) {
            let mut homes: Vec<&str> = Vec::new();
            let mut named: Vec<&str> = Vec::new();
            for k in kommuner {
                for place in self.kommuner(k) {
                    if let Some(home) = place.fylke.as_deref().filter(|h| now.contains(h)) {
                        if !homes.contains(&home) {
                            homes.push(home);
                        }
                        named.push(k.as_str());
                    }
                }
            }
            if !homes.is_empty() {
                let write: Vec<String> = homes.iter().map(|h| format!("\"{h}\"")).collect();
                return Some(msg!(
                    "places.former_county_for",
                    name = name,
                    kommuner = crate::messages::and_list(&named),
                    homes = crate::messages::and_list(&homes),
                    field = field,
                    write = write.join(", ")
                ));
            }
        }
        let hint = match (former_county(name), self.suggest_fylke(name)) {
            (Some([one]), _) => msg!("hint.former_county_merged", name = name, now = *one),
            (Some(now), _) => msg!("hint.former_county", name = name, now = crate::messages::or_list(now)),
            (None, Some(s)) => msg!("hint.did_you_mean_value", value = s),
            (None, None) => msg!("hint.counties_since_2024"),
        };
        Some(msg!("places.not_a_fylke", name = name, hint = hint))
    }
}

/// The counties that replaced a former county (2020 and 2024 reforms), for hints.
pub fn former_county(name: &str) -> Option<&'static [&'static str]> {
    Some(match name {
        "Viken" => &["Østfold", "Akershus", "Buskerud"],
        "Vestfold og Telemark" => &["Vestfold", "Telemark"],
        "Troms og Finnmark" => &["Troms", "Finnmark"],
        "Sør-Trøndelag" | "Nord-Trøndelag" => &["Trøndelag"],
        "Hordaland" | "Sogn og Fjordane" => &["Vestland"],
        "Aust-Agder" | "Vest-Agder" => &["Agder"],
        "Hedmark" | "Oppland" => &["Innlandet"],
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const DATA: &str = r#"
[[fylke]]
number = "15"
name = "Møre og Romsdal"
[[fylke]]
number = "18"
name = "Nordland"
names = ["Nordland", "Nordlánnda"]
[[kommune]]
number = "1515"
name = "Herøy (Møre og Romsdal)"
fylke = "Møre og Romsdal"
[[kommune]]
number = "1818"
name = "Herøy (Nordland)"
fylke = "Nordland"
[[kommune]]
number = "1804"
name = "Bodø"
fylke = "Nordland"
"#;

    #[test]
    fn lookups_and_suggestions() {
        let p = Places::parse(DATA, "k.toml").unwrap();
        assert_eq!(p.kommuner("Herøy").len(), 2);
        assert_eq!(p.kommuner("Herøy (Nordland)").len(), 1);
        assert!(p.kommuner("Bodo").is_empty());
        assert_eq!(p.suggest_kommune("Bodo"), Some("Bodø"));
        assert!(p.is_fylke("Nordlánnda"));
        assert_eq!(p.canonical_fylke("Nordlánnda"), Some("Nordland"));
        assert_eq!(p.suggest_fylke("Møre og Romdsal"), Some("Møre og Romsdal"));
        assert!(Places::parse("[[kommune]]\nnavn = 1", "k.toml").is_err());
    }
}
