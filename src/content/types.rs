//! Content types: the front matter each kind of page must have, declared in
//! `content-types.toml` (the site's own, else the theme's). Checked after loading; each
//! problem is reported at the key's line (or its table's) with what to write.

use super::places::Places;
use super::{Page, Site};
use crate::config::Config;
use crate::date::Date;
use crate::error::{suggest, toml_diagnostic, Diagnostic, Diagnostics};
use serde::Deserialize;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

const FILE: &str = "content-types.toml";

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

/// A problem found on a page: the dotted key it concerns and the message.
struct Problem {
    key: String,
    /// Point at the value (after `=`) rather than the key.
    at_value: bool,
    message: String,
}

impl ContentTypes {
    /// Loads `content-types.toml` from the site root, else from the theme; `None` when neither has one.
    pub fn load(config: &Config) -> Result<Option<ContentTypes>, Diagnostics> {
        let mut candidates = vec![(config.root.clone(), FILE.to_string())];
        if let Some(theme) = &config.theme {
            candidates.push((config.root.join("themes").join(theme), format!("themes/{theme}/{FILE}")));
        }
        let Some((dir, display)) = candidates.into_iter().find(|(d, _)| d.join(FILE).is_file()) else {
            return Ok(None);
        };
        let text = std::fs::read_to_string(dir.join(FILE))
            .map_err(|e| Diagnostic::new(&display, 1, 1, format!("cannot read: {e}")))?;
        let file: TypesFile = toml::from_str(&text).map_err(|e| toml_diagnostic(&display, &text, 1, &e))?;
        let places = match &file.places {
            Some(rel) => {
                let shown = format!("{}/{rel}", display.trim_end_matches(FILE).trim_end_matches('/'));
                let shown = shown.trim_start_matches('/').to_string();
                let data = std::fs::read_to_string(dir.join(rel)).map_err(|e| {
                    let line = text.lines().position(|l| l.trim_start().starts_with("places")).map_or(1, |i| i + 1);
                    Diagnostic::new(&display, line, 1, format!("cannot read the places file {shown}: {e}"))
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
                    let line = text.lines().position(|l| l.contains(key.as_str())).map_or(1, |i| i + 1);
                    let msg = format!("type `{name}`: `{key}` is a {:?} field, but no `places` file is given", f.kind);
                    diags.push(Diagnostic::new(display, line, 1, msg.to_lowercase()));
                }
            }
        }
        if diags.is_empty() {
            Ok(())
        } else {
            Err(diags)
        }
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

    /// Checks one page (`serve` checks only the pages it reloads).
    pub fn check_page(&self, site: &Site, page: &Page, static_dirs: &[PathBuf]) -> Diagnostics {
        let mut diags = Diagnostics::default();
        let Some((name, def)) = self.type_of(site, page) else { return diags };
        let problems = Checker { types: self, site, page, name, def, static_dirs }.run();
        if problems.is_empty() {
            return diags;
        }
        let text = std::fs::read_to_string(&page.source.abs).unwrap_or_default();
        let (fm, first_line) =
            super::split(&page.source.file, &text).map(|s| (s.front_matter, s.front_matter_line)).unwrap_or(("", 2));
        for p in problems {
            let (line, col) = locate(fm, first_line, &p.key, p.at_value);
            diags.push(Diagnostic::new(&page.source.file, line, col, p.message));
        }
        diags
    }
}

struct Checker<'a> {
    types: &'a ContentTypes,
    site: &'a Site,
    page: &'a Page,
    name: &'a str,
    def: &'a TypeDef,
    static_dirs: &'a [PathBuf],
}

impl Checker<'_> {
    fn run(&self) -> Vec<Problem> {
        let mut out = Vec::new();
        // A present image reports its own missing alt text; don't report the alt field too.
        let alts: Vec<&str> = self
            .def
            .fields
            .iter()
            .filter(|(k, f)| f.kind == Kind::Image && self.value(k).is_some())
            .filter_map(|(_, f)| f.alt.as_deref())
            .collect();
        for (key, f) in &self.def.fields {
            match self.value(key) {
                None if f.required && !alts.contains(&key.as_str()) => out.push(self.missing(key, f)),
                None => {}
                Some(v) => self.check_value(key, f, &v, &mut out),
            }
        }
        if self.def.strict {
            let known: Vec<&str> = self.def.fields.keys().filter_map(|k| k.strip_prefix("extra.")).collect();
            for key in self.page.extra.keys().filter(|k| !known.contains(&k.as_str())) {
                let hint = match suggest(key, known.iter().copied()) {
                    Some(s) => format!("did you mean `{s}`?"),
                    None => format!("pages of type `{}` may have: {}", self.name, known.join(", ")),
                };
                out.push(Problem {
                    key: format!("extra.{key}"),
                    at_value: false,
                    message: format!("unknown key `{key}` in [extra]; {hint}"),
                });
            }
        }
        out
    }

    /// A field's value as TOML, whichever part of the page holds it.
    fn value(&self, key: &str) -> Option<toml::Value> {
        let p = self.page;
        let text = |s: &str| toml::Value::String(s.to_string());
        match key.split_once('.') {
            Some(("extra", k)) => p.extra.get(k).cloned(),
            Some(("taxonomies", k)) => {
                p.taxonomies.get(k).map(|v| toml::Value::Array(v.iter().map(|s| text(s)).collect()))
            }
            _ => match key {
                "title" => Some(text(&p.title)),
                "description" => p.description.as_deref().map(text),
                "date" => p.date.as_ref().map(|d| text(&d.iso)),
                "updated" => p.updated.as_ref().map(|d| text(&d.iso)),
                "authors" if !p.authors.is_empty() => {
                    Some(toml::Value::Array(p.authors.iter().map(|s| text(s)).collect()))
                }
                _ => None,
            },
        }
    }

    fn missing(&self, key: &str, f: &FieldDef) -> Problem {
        let (table, leaf) = split_key(key);
        let place = if table.is_empty() { String::new() } else { format!(" in [{table}]") };
        let help = f.help.as_deref().map(|h| format!(": {h}")).unwrap_or_default();
        let example = match (f.kind, f.values.first()) {
            (Kind::List | Kind::Kommune | Kind::Fylke, Some(v)) => format!(" (e.g. {leaf} = [\"{v}\"])"),
            (Kind::Text, Some(v)) => format!(" (e.g. {leaf} = \"{v}\")"),
            _ => String::new(),
        };
        Problem {
            key: key.to_string(),
            at_value: false,
            message: format!("missing `{leaf}`{place}, which every page of type `{}` needs{help}{example}", self.name),
        }
    }

    fn check_value(&self, key: &str, f: &FieldDef, v: &toml::Value, out: &mut Vec<Problem>) {
        let leaf = split_key(key).1;
        let mut bad = |message: String| out.push(Problem { key: key.to_string(), at_value: true, message });
        match f.kind {
            Kind::Text => match v.as_str() {
                Some(s) if s.trim().is_empty() && f.required => bad(format!("`{leaf}` is empty{}", help(f))),
                Some(s) if !f.values.is_empty() && !s.is_empty() => {
                    if let Some(m) = not_allowed(leaf, s, &f.values) {
                        bad(m);
                    }
                }
                Some(_) => {}
                None => bad(format!("`{leaf}` must be text in quotes, e.g. {leaf} = \"...\"")),
            },
            Kind::List => match strings(v) {
                Some(items) if items.is_empty() && f.required => {
                    bad(format!("`{leaf}` is empty: list at least one{}", help(f)))
                }
                Some(items) => {
                    for s in items.iter().filter(|_| !f.values.is_empty()) {
                        if let Some(m) = not_allowed(leaf, s, &f.values) {
                            bad(m);
                        }
                    }
                }
                None => bad(format!("`{leaf}` must be a list of texts, e.g. {leaf} = [\"...\", \"...\"]")),
            },
            Kind::Bool if v.as_bool().is_none() => bad(format!("`{leaf}` must be true or false (without quotes)")),
            Kind::Integer if v.as_integer().is_none() => bad(format!("`{leaf}` must be a whole number")),
            Kind::Date => {
                let ok = v.as_datetime().is_some() || v.as_str().is_some_and(|s| Date::parse(s).is_ok());
                if !ok {
                    bad(format!("`{leaf}` must be a date, e.g. {leaf} = 2024-05-14"));
                }
            }
            Kind::Image => self.check_image(key, f, v, out),
            Kind::Links => self.check_links(leaf, v, &mut bad),
            Kind::Records => check_records(leaf, f, v, &mut bad),
            Kind::Kommune | Kind::Fylke if strings(v).is_some_and(|l| l.is_empty()) => {
                if f.required {
                    bad(format!("`{leaf}` is empty: list at least one{}", help(f)));
                }
            }
            Kind::Kommune => self.check_kommune(leaf, v, &mut bad),
            Kind::Fylke => self.check_fylke(leaf, v, &mut bad),
            Kind::Bool | Kind::Integer => {}
        }
    }

    fn check_image(&self, key: &str, f: &FieldDef, v: &toml::Value, out: &mut Vec<Problem>) {
        let leaf = split_key(key).1;
        let problem = |at_value, key: &str, message: String| Problem { key: key.to_string(), at_value, message };
        let Some(src) = v.as_str().filter(|s| !s.trim().is_empty()) else {
            out.push(problem(true, key, format!("`{leaf}` must be the image's file name in quotes")));
            return;
        };
        if src.contains("://") {
            out.push(problem(
                true,
                key,
                format!("`{leaf}` points to another site; put the image in assets/ or beside the page, so readers' browsers make no third-party requests"),
            ));
        } else if !self.image_exists(src) {
            let bundle = self.page.source.abs.parent().map(Path::to_path_buf).unwrap_or_default();
            let msg = if src.starts_with('/') {
                format!("image `{src}` not found: the file must be at assets{src} (or static{src})")
            } else {
                format!("image `{src}` not found beside the page (in {})", bundle.display())
            };
            out.push(problem(true, key, msg));
        }
        if let Some(alt) = &f.alt {
            let text = self.value(alt);
            if text.as_ref().and_then(|t| t.as_str()).is_none_or(|t| t.trim().is_empty()) {
                let (table, alt_leaf) = split_key(alt);
                let place = if table.is_empty() { String::new() } else { format!(" in [{table}]") };
                out.push(problem(
                    false,
                    key,
                    format!("`{leaf}` needs alt text: add {alt_leaf} = \"what the image shows\"{place}, for readers who cannot see it"),
                ));
            }
        }
        if let Some(consent) = &f.consent {
            if self.value(consent).and_then(|c| c.as_bool()) != Some(true) {
                let consent_leaf = split_key(consent).1;
                out.push(problem(
                    false,
                    key,
                    format!("`{leaf}` may only be published with the person's recorded consent: set {consent_leaf} = true once the consent is on file, or remove `{leaf}`"),
                ));
            }
        }
    }

    fn image_exists(&self, src: &str) -> bool {
        let src = src.split(['?', '#']).next().unwrap_or(src);
        match src.strip_prefix('/') {
            Some(rel) => {
                self.static_dirs.iter().any(|d| d.join(rel).is_file())
                    || self.page.assets.iter().any(|a| a.trim_start_matches('/') == rel)
                    || self.types.dir.join("static").join(rel).is_file()
            }
            None => self.page.source.abs.parent().is_some_and(|d| d.join(src).is_file()),
        }
    }

    fn check_links(&self, leaf: &str, v: &toml::Value, bad: &mut dyn FnMut(String)) {
        let Some(items) = v.as_array() else {
            return bad(format!("`{leaf}` must be a list like [{{ title = \"...\", url = \"@/side.md\" }}]"));
        };
        for (n, item) in items.iter().enumerate() {
            let get = |k: &str| item.get(k).and_then(|x| x.as_str()).filter(|s| !s.trim().is_empty());
            let (Some(_), Some(url)) = (get("title"), get("url")) else {
                bad(format!("link {} in `{leaf}` needs both title = \"...\" and url = \"...\"", n + 1));
                continue;
            };
            if let Some(target) = url.strip_prefix("@/") {
                let file = target.split('#').next().unwrap_or(target);
                if !self.site.by_source.contains_key(file) {
                    let hint = suggest(file, self.site.by_source.keys().map(String::as_str))
                        .map(|s| format!("; did you mean @/{s}?"))
                        .unwrap_or_default();
                    bad(format!("link {} in `{leaf}` points to content/{file}, which does not exist{hint}", n + 1));
                }
            } else if !(url.starts_with("https://") || url.starts_with("http://") || url.starts_with("mailto:")) {
                bad(format!(
                    "link {} in `{leaf}`: write internal links as @/path.md (e.g. @/tips/x.md) and others in full (https://...)",
                    n + 1
                ));
            }
        }
    }

    fn check_kommune(&self, leaf: &str, v: &toml::Value, bad: &mut dyn FnMut(String)) {
        let Some(places) = &self.types.places else { return };
        let Some(names) = strings_or_one(v) else {
            return bad(format!("`{leaf}` must be a list of municipality names, e.g. {leaf} = [\"Melhus\"]"));
        };
        // The counties the page names (in their plain form), from its county fields.
        let county_fields: Vec<&String> =
            self.def.fields.iter().filter(|(_, f)| f.kind == Kind::Fylke).map(|(k, _)| k).collect();
        let counties: Vec<&str> = county_fields
            .iter()
            .filter_map(|k| self.value(k))
            .filter_map(|v| strings_or_one(&v))
            .flatten()
            .filter_map(|c| places.canonical_fylke(&c))
            .collect();
        for name in names {
            let found = places.kommuner(&name);
            if found.is_empty() {
                let plain = name.trim_end_matches(" kommune").trim_end_matches(" herad");
                let hint = match places.suggest_kommune(plain) {
                    Some(s) => format!("; did you mean \"{s}\"?"),
                    None => "; use the name as Statistics Norway writes it, e.g. \"Midtre Gauldal\"".into(),
                };
                bad(format!("`{name}` is not a Norwegian municipality (the division from 2024){hint}"));
                continue;
            }
            let home: Vec<&str> = found.iter().filter_map(|k| k.fylke.as_deref()).collect();
            if home.iter().any(|h| counties.contains(h)) || home.is_empty() || county_fields.is_empty() {
                continue;
            }
            let field = county_fields[0].rsplit('.').next().unwrap_or("fylke");
            if counties.is_empty() {
                bad(format!("{name} is in {}: add {field} = [\"{}\"] as well", home.join(" or "), home[0]));
            } else {
                bad(format!(
                    "{name} is in {}, which the page's {field} does not list: add \"{}\"",
                    home.join(" or "),
                    home[0]
                ));
            }
        }
    }

    fn check_fylke(&self, leaf: &str, v: &toml::Value, bad: &mut dyn FnMut(String)) {
        let Some(places) = &self.types.places else { return };
        let Some(names) = strings_or_one(v) else {
            return bad(format!("`{leaf}` must be a list of county names, e.g. {leaf} = [\"Trøndelag\"]"));
        };
        for name in names.iter().filter(|n| !places.is_fylke(n)) {
            let hint = match (super::places::former_county(name), places.suggest_fylke(name)) {
                (Some(now), _) => format!("; {name} was split or merged in the county reforms: write {now}"),
                (None, Some(s)) => format!("; did you mean \"{s}\"?"),
                (None, None) => {
                    "; the 15 counties since 2024 are e.g. \"Østfold\", \"Akershus\", \"Buskerud\", \"Trøndelag\""
                        .into()
                }
            };
            bad(format!("`{name}` is not a Norwegian county (the division from 2024){hint}"));
        }
    }
}

fn check_records(leaf: &str, f: &FieldDef, v: &toml::Value, bad: &mut dyn FnMut(String)) {
    let Some(items) = v.as_array().filter(|a| !a.is_empty()) else {
        return bad(format!("`{leaf}` must be a list of tables, e.g. {leaf} = [{{ ... }}, {{ ... }}]"));
    };
    for (n, item) in items.iter().enumerate() {
        let Some(table) = item.as_table() else {
            bad(format!("item {} of `{leaf}` must be a table {{ ... }}", n + 1));
            continue;
        };
        for (field, kind) in &f.items {
            let ok = match (table.get(field), kind) {
                (None, _) => {
                    bad(format!("item {} of `{leaf}` is missing `{field}`", n + 1));
                    continue;
                }
                (Some(x), Kind::Text) => x.as_str().is_some_and(|s| !s.trim().is_empty()),
                (Some(x), Kind::List) => strings(x).is_some_and(|l| !l.is_empty()),
                (Some(x), Kind::Integer) => x.is_integer(),
                (Some(x), Kind::Bool) => x.is_bool(),
                (Some(x), Kind::Date) => x.is_datetime() || x.as_str().is_some_and(|s| Date::parse(s).is_ok()),
                (Some(_), _) => true,
            };
            if !ok {
                bad(format!("item {} of `{leaf}`: `{field}` must be {}", n + 1, kind_words(*kind)));
            }
        }
        for key in table.keys().filter(|k| !f.items.contains_key(*k)) {
            let hint = suggest(key, f.items.keys().map(String::as_str)).map(|s| format!("; did you mean `{s}`?"));
            bad(format!("item {} of `{leaf}` has an unknown key `{key}`{}", n + 1, hint.unwrap_or_default()));
        }
    }
}

fn kind_words(kind: Kind) -> &'static str {
    match kind {
        Kind::Text => "non-empty text",
        Kind::List => "a non-empty list of texts",
        Kind::Integer => "a whole number",
        Kind::Bool => "true or false",
        Kind::Date => "a date like 2024-05-14",
        _ => "of the declared kind",
    }
}

fn help(f: &FieldDef) -> String {
    f.help.as_deref().map(|h| format!(": {h}")).unwrap_or_default()
}

fn not_allowed(leaf: &str, value: &str, values: &[String]) -> Option<String> {
    if values.iter().any(|v| v == value) {
        return None;
    }
    let hint = match suggest(value, values.iter().map(String::as_str)) {
        Some(s) => format!("did you mean \"{s}\"?"),
        None => format!("choose one of: \"{}\"", values.join("\", \"")),
    };
    Some(format!("`{value}` is not an allowed value of `{leaf}`; {hint}"))
}

fn strings(v: &toml::Value) -> Option<Vec<String>> {
    v.as_array()?.iter().map(|x| x.as_str().map(String::from)).collect()
}

fn strings_or_one(v: &toml::Value) -> Option<Vec<String>> {
    v.as_str().map(|s| vec![s.to_string()]).or_else(|| strings(v))
}

/// `extra.people` → (`extra`, `people`); `description` → (``, `description`).
fn split_key(key: &str) -> (&str, &str) {
    key.rsplit_once('.').unwrap_or(("", key))
}

/// The file line and column of `key` in front matter `fm` (which starts at file line
/// `first_line`): the key itself, its value, or else its table's header, or else the start.
fn locate(fm: &str, first_line: usize, key: &str, at_value: bool) -> (usize, usize) {
    let (table, leaf) = split_key(key);
    let mut current = String::new();
    let mut header = None;
    for (i, line) in fm.lines().enumerate() {
        let t = line.trim_start();
        if t.starts_with('[') {
            current = t.trim_matches(|c| c == '[' || c == ']' || char::is_whitespace(c)).to_string();
            if current == table {
                header = Some(i);
            }
            continue;
        }
        let candidate = if current == table {
            Some(leaf)
        } else if current.is_empty() {
            Some(key)
        } else {
            None
        };
        let Some(name) = candidate else { continue };
        let Some(rest) = t.strip_prefix(name) else { continue };
        let Some(after) = rest.trim_start().strip_prefix('=') else { continue };
        let indent = line.len() - t.len();
        let col = if at_value { line.len() - after.trim_start().len() + 1 } else { indent + 1 };
        return (first_line + i, line[..col - 1].chars().count() + 1);
    }
    (header.map_or(first_line.saturating_sub(1).max(1), |h| first_line + h), 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn locates_keys_values_and_tables() {
        let fm = "title = \"x\"\n\n[taxonomies]\nkommune = [\"Bodo\"]\n\n[extra]\n  people = []\n";
        assert_eq!(locate(fm, 2, "title", false), (2, 1));
        assert_eq!(locate(fm, 2, "taxonomies.kommune", true), (5, 11));
        assert_eq!(locate(fm, 2, "extra.people", false), (8, 3));
        assert_eq!(locate(fm, 2, "extra.image", false), (7, 1), "missing key: its table");
        assert_eq!(locate(fm, 2, "description", false), (1, 1), "missing top-level key: the opening +++");
        assert_eq!(locate("extra.image = \"a\"\n", 2, "extra.image", true), (2, 15));
    }
}
