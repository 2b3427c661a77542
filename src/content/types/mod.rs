//! Content types: the front matter each kind of page must have, declared in
//! `content-types.toml` (the site's own, else the theme's). This module holds the schema and
//! reads it; [`check`] checks pages against it, each problem at the key's place (from the
//! page's front-matter positions) with what to write; [`places`] knows Norway's
//! municipalities and counties.

mod check;
pub mod places;

use super::{Page, Site};
use crate::config::Config;
use crate::error::{toml_diagnostic, Diagnostic, Diagnostics};
use crate::msg;
use places::Places;
use serde::Deserialize;
use std::collections::BTreeMap;
use std::path::PathBuf;

/// The declared types, and the places data their `kommune`/`fylke` fields are checked against.
#[derive(Debug, Default)]
pub struct ContentTypes {
    pub types: BTreeMap<String, TypeDef>,
    places: Option<Places>,
    /// Folder of the types file (archetypes and data are found beside it).
    pub dir: PathBuf,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct TypesFile {
    places: Option<String>,
    #[serde(default)]
    types: BTreeMap<String, TypeDef>,
}

/// One content type.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TypeDef {
    /// Sections (folder names under content/) whose pages have this type.
    #[serde(default)]
    pub sections: Vec<String>,
    /// Templates whose pages have this type.
    #[serde(default)]
    pub templates: Vec<String>,
    /// Archetype file `jobbvinner new` starts from (in `archetypes/`).
    pub archetype: Option<String>,
    /// Unknown keys in `[extra]` are errors.
    #[serde(default)]
    pub strict: bool,
    #[serde(default)]
    pub fields: BTreeMap<String, FieldDef>,
}

/// One front-matter field of a type, by dotted key (`description`, `extra.people`).
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FieldDef {
    pub kind: Kind,
    #[serde(default = "yes")]
    pub required: bool,
    #[serde(default)]
    pub values: Vec<String>,
    /// Image: the field holding its alt text.
    pub alt: Option<String>,
    /// Image: a field that must be `true` before it may be published.
    pub consent: Option<String>,
    /// Records: each item's fields and kinds.
    #[serde(default)]
    pub items: BTreeMap<String, Kind>,
    /// What the field is, for messages.
    pub help: Option<String>,
}

fn yes() -> bool {
    true
}

/// What a field holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Kind {
    Text,
    List,
    Bool,
    Integer,
    Date,
    Image,
    Links,
    Records,
    Kommune,
    Fylke,
}

impl ContentTypes {
    /// Loads `content-types.toml` from the site root, else from the theme; `None` when neither has one.
    pub fn load(config: &Config) -> Result<Option<ContentTypes>, Diagnostics> {
        let Some(place) = config.layout.content_types().into_iter().find(|p| p.abs.is_file()) else {
            return Ok(None);
        };
        let display = place.shown;
        let dir = place.abs.parent().map(PathBuf::from).unwrap_or_default();
        let text = std::fs::read_to_string(&place.abs)
            .map_err(|e| Diagnostic::error(&display, msg!("io.error", detail = crate::error::io_message(&e))))?;
        let file: TypesFile = toml::from_str(&text).map_err(|e| toml_diagnostic(&display, &text, 1, &e))?;
        let places = match &file.places {
            Some(rel) => {
                let shown = match display.rsplit_once('/') {
                    Some((folder, _)) => format!("{folder}/{rel}"),
                    None => rel.clone(),
                };
                let data = std::fs::read_to_string(dir.join(rel)).map_err(|e| {
                    let m = msg!("types.places_unreadable", file = &shown, detail = crate::error::io_message(&e));
                    match text.lines().position(|l| l.trim_start().starts_with("places")) {
                        Some(i) => Diagnostic::at(&display, i + 1, 1, m),
                        None => Diagnostic::error(&display, m),
                    }
                })?;
                Some(Places::parse(&data, &shown)?)
            }
            None => None,
        };
        let types = ContentTypes { types: file.types, places, dir };
        types.check_definitions(&display, &text)?;
        Ok(Some(types))
    }

    fn check_definitions(&self, display: &str, text: &str) -> Result<(), Diagnostics> {
        let mut diags = Diagnostics::default();
        for (name, t) in &self.types {
            for (key, f) in &t.fields {
                let needs_places = matches!(f.kind, Kind::Kommune | Kind::Fylke);
                if needs_places && self.places.is_none() {
                    let kind = format!("{:?}", f.kind).to_lowercase();
                    let m = msg!("types.needs_places", name = name, key = key, kind = kind);
                    diags.push(match text.lines().position(|l| l.contains(key.as_str())) {
                        Some(i) => Diagnostic::at(display, i + 1, 1, m),
                        None => Diagnostic::error(display, m),
                    });
                }
            }
        }
        diags.check()
    }

    /// The type of a page: by its template, else by its section's folder.
    pub fn type_of(&self, site: &Site, page: &Page) -> Option<(&str, &TypeDef)> {
        if let Some(t) = &page.template {
            if let Some((n, d)) = self.types.iter().find(|(_, d)| d.templates.contains(t)) {
                return Some((n, d));
            }
        }
        let dir = site.sections[page.section].source.relative.trim_end_matches("_index.md").trim_end_matches('/');
        self.types.iter().find(|(_, d)| d.sections.iter().any(|s| s == dir)).map(|(n, d)| (n.as_str(), d))
    }

    /// Checks every typed page; `static_dirs` are where root-relative images live.
    pub fn check(&self, site: &Site, static_dirs: &[PathBuf]) -> Diagnostics {
        let mut diags = Diagnostics::default();
        for page in &site.pages {
            diags.extend(self.check_page(site, page, static_dirs).0);
        }
        diags
    }

    /// Checks one page (`serve` checks only the pages it reloads). Each problem is reported
    /// where the page's front matter has the key (or its table, or the opening `+++`).
    pub fn check_page(&self, site: &Site, page: &Page, static_dirs: &[PathBuf]) -> Diagnostics {
        let Some((name, def)) = self.type_of(site, page) else { return Diagnostics::default() };
        let problems = check::Checker { types: self, site, page, name, def, static_dirs }.run();
        Diagnostics(
            problems
                .into_iter()
                .map(|p| {
                    let pos = page.spans.place(&p.key, p.at_value);
                    Diagnostic::at(&page.source.file, pos.line, pos.col, p.message)
                })
                .collect(),
        )
    }
}
