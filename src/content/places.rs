//! Norway's counties and municipalities, from the theme's data file (Statistics Norway's
//! classification), for checking `kommune` and `fylke` names in front matter.

use crate::error::{suggest, toml_diagnostic, Diagnostic};
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
}

/// The counties that replaced a former county (2020 and 2024 reforms), for hints.
pub fn former_county(name: &str) -> Option<&'static str> {
    Some(match name {
        "Viken" => "Østfold, Akershus and Buskerud",
        "Vestfold og Telemark" => "Vestfold and Telemark",
        "Troms og Finnmark" => "Troms and Finnmark",
        "Sør-Trøndelag" | "Nord-Trøndelag" => "Trøndelag",
        "Hordaland" | "Sogn og Fjordane" => "Vestland",
        "Aust-Agder" | "Vest-Agder" => "Agder",
        "Hedmark" | "Oppland" => "Innlandet",
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
