//! Content types: the front matter each kind of page must have, declared in
//! `content-types.toml` (the site's own, else the theme's). This module holds the schema and
//! reads it; [`check`] checks pages against it, each problem at the key's place (from the
//! page's front-matter positions) with what to write; [`places`] knows Norway's
//! municipalities and counties; [`help`] gives each field's help in the message language;
//! [`labels`] maps the display names of values back to the values.

mod check;
mod help;
mod labels;
pub mod places;

use super::{Page, Site};
use crate::config::Config;
use crate::error::{toml_diagnostic, Diagnostic, Diagnostics};
use crate::msg;
pub use help::Help;
use labels::Labels;
use places::Places;
use serde::Deserialize;
use std::collections::BTreeMap;
use std::path::PathBuf;

/// The declared types, and the places data their `kommune`/`fylke` fields are checked against.
#[derive(Debug, Default)]
pub struct ContentTypes {
    pub types: BTreeMap<String, TypeDef>,
    places: Option<Places>,
    /// Display names of allowed values per language, from the interface texts.
    labels: Labels,
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
    /// Image: the theme shows it cut to this width and height (e.g. a square portrait); the
    /// cut is planned with the other sizes.
    pub fill: Option<[u32; 2]>,
    /// Image: the field holding the point to keep when it is cut (`"50% 25%"`).
    pub focus: Option<String>,
    /// Records: each item's fields and kinds.
    #[serde(default)]
    pub items: BTreeMap<String, Kind>,
    /// Fields that, when one of them is set, make this required field optional: a testimonial
    /// needs `extra.name` unless it sets `extra.anonymous`. One key or a list.
    #[serde(default, deserialize_with = "one_or_more")]
    pub required_unless: Vec<String>,
    /// Fields a page may not set together with this one: `extra.anonymous` excludes
    /// `extra.name` and `extra.photo`. One key or a list.
    #[serde(default, deserialize_with = "one_or_more")]
    pub excludes: Vec<String>,
    /// What the field is, for messages: one text, or one per message language.
    pub help: Option<Help>,
    /// The interface-text table (in `i18n/<lang>.toml`) that gives the display names of
    /// `values` in each language, e.g. `tip.effort_level`; a taxonomy field's is
    /// `terms.<taxonomy>`. A page that writes a display name is told the value to write.
    pub labels: Option<String>,
}

fn yes() -> bool {
    true
}

/// `"extra.x"` or `["extra.x", "extra.y"]`.
fn one_or_more<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Vec<String>, D::Error> {
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum OneOrMore {
        One(String),
        More(Vec<String>),
    }
    Ok(match OneOrMore::deserialize(d)? {
        OneOrMore::One(key) => vec![key],
        OneOrMore::More(keys) => keys,
    })
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
        let labels = Labels::load(config, file.types.values().flat_map(|t| t.fields.iter()));
        let types = ContentTypes { types: file.types, places, labels, dir };
        types.check_definitions(&display, &text)?;
        Ok(Some(types))
    }

    fn check_definitions(&self, display: &str, text: &str) -> Result<(), Diagnostics> {
        let mut diags = Diagnostics::default();
        let place = |needle: &str, m: crate::messages::Message| match text.lines().position(|l| l.contains(needle)) {
            Some(i) => Diagnostic::at(display, i + 1, 1, m),
            None => Diagnostic::error(display, m),
        };
        for (name, t) in &self.types {
            for (key, f) in &t.fields {
                // `required_unless` and `excludes` must name fields of the same type: a typo
                // would otherwise silently make a field always required, or never excluded.
                let refs = f.required_unless.iter().map(|r| ("required_unless", r));
                for (option, other) in refs.chain(f.excludes.iter().map(|r| ("excludes", r))) {
                    if !t.fields.contains_key(other) {
                        let hint = crate::error::suggest(other, t.fields.keys().map(String::as_str))
                            .map(|s| msg!("hint.did_you_mean_key", name = s));
                        let m = msg!(
                            "types.unknown_field_ref",
                            name = name,
                            key = key,
                            option = option,
                            other = other,
                            hint = hint
                        );
                        diags.push(place(other.as_str(), m));
                    }
                }
                // A help text in a language messages do not exist in would never be shown.
                for lang in f.help.iter().flat_map(Help::unknown_languages) {
                    let langs: Vec<String> = crate::messages::languages().map(|l| format!("`{l}`")).collect();
                    let langs = crate::messages::and_list(&langs.iter().map(String::as_str).collect::<Vec<_>>());
                    let m = msg!("types.help_language", name = name, key = key, lang = lang, langs = langs);
                    diags.push(place(key.as_str(), m));
                }
                let needs_places = matches!(f.kind, Kind::Kommune | Kind::Fylke);
                if needs_places && self.places.is_none() {
                    let kind = format!("{:?}", f.kind).to_lowercase();
                    let m = msg!("types.needs_places", name = name, key = key, kind = kind);
                    diags.push(place(key.as_str(), m));
                }
            }
        }
        diags.check()
    }

    /// The type of a page: by its template, else by its section's folder. A translation has
    /// its original's type (see [`section_dir`]).
    pub fn type_of(&self, site: &Site, page: &Page) -> Option<(&str, &TypeDef)> {
        if let Some(t) = &page.template {
            if let Some((n, d)) = self.types.iter().find(|(_, d)| d.templates.contains(t)) {
                return Some((n, d));
            }
        }
        let dir = section_dir(site, page);
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

/// The folder (`tips`) of the section a page belongs to, the same for a page and its
/// translations: the folder of its section in its own language (`tips/_index.nn.md` is the
/// folder `tips`, as `tips/_index.md` is), or, when that language has no section file there
/// (`tips/x.nn.md` without `tips/_index.nn.md` is listed in the nynorsk home page), the
/// nearer folder with a section in the default language, where its original is.
fn section_dir<'a>(site: &'a Site, page: &Page) -> &'a str {
    let folder = |key: &'a str| key.rfind('/').map_or("", |i| &key[..i]);
    let own = folder(&site.sections[page.section].source.key);
    if page.source.relative == page.source.key {
        return own; // the default language: its section is the nearest one
    }
    let page_dir = page.source.key.rfind('/').map_or("", |i| &page.source.key[..i]);
    let holds = |dir: &str| dir.is_empty() || page_dir == dir || page_dir.starts_with(&format!("{dir}/"));
    site.sections
        .iter()
        .filter(|s| s.source.relative == s.source.key) // default-language sections
        .map(|s| folder(&s.source.key))
        .filter(|dir| holds(dir))
        .chain([own])
        .max_by_key(|dir| dir.len())
        .unwrap_or(own)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A types file read and its definitions checked, as `load` does (without places).
    fn read(text: &str) -> Result<ContentTypes, Vec<String>> {
        let file: TypesFile = toml::from_str(text).map_err(|e| vec![e.to_string()])?;
        let types = ContentTypes { types: file.types, places: None, labels: Labels::default(), dir: PathBuf::new() };
        match types.check_definitions("content-types.toml", text) {
            Ok(()) => Ok(types),
            Err(d) => Err(d.0.iter().map(|d| format!("{}:{}", d.line().unwrap_or(0), d.message.text("en"))).collect()),
        }
    }

    const TESTIMONIAL: &str = r#"
[types.erfaring]
sections = ["erfaringer"]
[types.erfaring.fields]
"extra.name" = { kind = "text", required_unless = "extra.anonymous" }
"extra.photo" = { kind = "image", required = false }
"extra.anonymous" = { kind = "bool", required = false, excludes = ["extra.name", "extra.photo"] }
"extra.example" = { kind = "bool", required = false }
"extra.source" = { kind = "text", required_unless = ["extra.example", "extra.anonymous"] }
"#;

    #[test]
    fn required_unless_and_excludes_take_one_key_or_a_list() {
        let types = read(TESTIMONIAL).unwrap();
        let fields = &types.types["erfaring"].fields;
        assert_eq!(fields["extra.name"].required_unless, ["extra.anonymous"]);
        assert_eq!(fields["extra.source"].required_unless, ["extra.example", "extra.anonymous"]);
        assert_eq!(fields["extra.anonymous"].excludes, ["extra.name", "extra.photo"]);
        // Neither option: nothing is relaxed or excluded, and the field stays required.
        assert!(fields["extra.example"].excludes.is_empty() && fields["extra.example"].required_unless.is_empty());
        assert!(fields["extra.name"].required);
    }

    #[test]
    fn required_unless_and_excludes_must_name_fields_of_the_type() {
        let text = TESTIMONIAL
            .replace("required_unless = \"extra.anonymous\"", "required_unless = \"extra.anonymus\"")
            .replace("\"extra.photo\"]", "\"extra.foto\"]");
        let errors = read(&text).expect_err("the misspelt references are errors");
        assert_eq!(
            errors,
            [
                "7:type `erfaring`: `extra.anonymous` names `extra.foto` in excludes, but the type has no field `extra.foto`; did you mean `extra.photo`?",
                "5:type `erfaring`: `extra.name` names `extra.anonymus` in required_unless, but the type has no field `extra.anonymus`; did you mean `extra.anonymous`?",
            ]
        );
        // Anything but a key or a list of keys is refused when the file is read.
        assert!(read(&TESTIMONIAL.replace("excludes = [\"extra.name\", \"extra.photo\"]", "excludes = 3")).is_err());
    }

    #[test]
    fn help_texts_must_be_in_languages_messages_are_shown_in() {
        let text = TESTIMONIAL.replace(
            "\"extra.example\" = { kind = \"bool\", required = false }",
            "\"extra.example\" = { kind = \"bool\", required = false, help = { nb = \"oppdiktet\", sv = \"påhittad\" } }",
        );
        let errors = read(&text).expect_err("a help text in Swedish is an error");
        assert_eq!(
            errors,
            ["8:type `erfaring`: `extra.example` has a help text in `sv`, but messages are shown only in `en` and `nb`: write help = { nb = \"...\", en = \"...\" }"]
        );
        let file: TypesFile = toml::from_str(&text).unwrap();
        let types = ContentTypes { types: file.types, places: None, labels: Labels::default(), dir: PathBuf::new() };
        let d = types.check_definitions("content-types.toml", &text).unwrap_err();
        assert_eq!(
            d.0[0].message.text("nb"),
            "typen `erfaring`: `extra.example` har en hjelpetekst på `sv`, men meldingene vises bare på `en` og `nb`: skriv help = { nb = \"...\", en = \"...\" }"
        );
    }

    /// The bundled theme's types: every help text is written in bokmål and in English, so a
    /// writer never gets an English explanation inside a Norwegian message (or the reverse).
    #[test]
    fn the_bundled_theme_explains_every_field_in_both_languages() {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("themes/jobbvinner/content-types.toml");
        let text = std::fs::read_to_string(path).unwrap();
        // Read as `load` does, but without the places file its kommune and fylke fields need.
        let types: TypesFile = toml::from_str(&text).unwrap();
        let mut helped = 0;
        for (name, t) in &types.types {
            for (key, f) in &t.fields {
                let Some(help) = &f.help else { continue };
                helped += 1;
                let (nb, en) = (help.own("nb"), help.own("en"));
                assert!(nb.is_some() && en.is_some(), "{name}.{key}: help needs nb and en, has {help:?}");
                assert_ne!(nb, en, "{name}.{key}: the bokmål help is the English one");
            }
        }
        assert!(helped > 30, "{helped} fields explained");
        let tips = &types.types["tips"].fields;
        let help = |key: &str| tips[key].help.as_ref().unwrap().message().unwrap();
        assert_eq!(help("description").text("nb"), "en kort oppsummering av tipset, én eller to setninger");
        assert_eq!(help("description").text("en"), "a short summary of the tip, one or two sentences");
        assert_eq!(help("taxonomies.malgruppe").text("nb"), "hvem tipset er for");
        assert_eq!(help("extra.steps").text("nb"), "stegene, hvert som en kort setning");
        let alt = types.types["historie"].fields["extra.image_alt"].help.as_ref().unwrap();
        assert_eq!(alt.text("nb"), Some("hva hovedbildet viser, for dem som ikke kan se det"));
        assert_eq!(tips["extra.effort"].labels.as_deref(), Some("tip.effort_level"));
    }
}
