//! Checking one page against its content type: required fields, kinds, allowed values,
//! images (that the file exists, has alt text and, where asked, recorded consent), links,
//! records, and municipalities and counties. Each problem names the dotted key it concerns;
//! the caller places it with the page's front-matter positions.

use super::{FieldDef, Kind, TypeDef};
use crate::content::{Page, Site};
use crate::date::Date;
use crate::error::suggest;
use crate::messages::Message;
use crate::msg;
use std::path::{Path, PathBuf};

/// A problem found on a page: the dotted key it concerns and what is wrong.
pub(super) struct Problem {
    pub(super) key: String,
    /// Point at the value (after `=`) rather than the key.
    pub(super) at_value: bool,
    pub(super) message: Message,
}

pub(super) struct Checker<'a> {
    pub(super) types: &'a super::ContentTypes,
    pub(super) site: &'a Site,
    pub(super) page: &'a Page,
    pub(super) name: &'a str,
    pub(super) def: &'a TypeDef,
    pub(super) static_dirs: &'a [PathBuf],
}

impl Checker<'_> {
    pub(super) fn run(&self) -> Vec<Problem> {
        let mut out = Vec::new();
        // Every typed page needs a title (generic pages may go without, as in Zola).
        if self.page.title.trim().is_empty() {
            let at_value = self.page.spans.value("title").is_some();
            out.push(Problem { key: "title".into(), at_value, message: msg!("content.missing_title") });
        }
        // A present image reports its own missing alt text; don't report the alt field too.
        let alts: Vec<&str> = self
            .def
            .fields
            .iter()
            .filter(|(k, f)| f.kind == Kind::Image && self.value(k).is_some())
            .filter_map(|(_, f)| f.alt.as_deref())
            .collect();
        for (key, f) in &self.def.fields {
            // A field named in `required_unless` that the page sets makes this one optional.
            let required = f.required && !f.required_unless.iter().any(|k| self.is_set(k));
            match self.value(key) {
                // A value that is there but could not be read has its own error already.
                None if required && !alts.contains(&key.as_str()) && self.page.spans.value(key).is_none() => {
                    out.push(self.missing(key, f))
                }
                None => {}
                Some(v) => self.check_value(key, f, required, &v, &mut out),
            }
            // A field that is set rules out the fields it `excludes`; each is reported where it is.
            if !f.excludes.is_empty() && self.is_set(key) {
                for other in f.excludes.iter().filter(|k| self.is_set(k)) {
                    let (by, leaf) = (split_key(key).1, split_key(other).1);
                    let message = msg!("types.excluded", key = leaf, by = by);
                    out.push(Problem { key: other.clone(), at_value: false, message });
                }
            }
        }
        if self.def.strict {
            let known: Vec<&str> = self.def.fields.keys().filter_map(|k| k.strip_prefix("extra.")).collect();
            for key in self.page.extra.keys().filter(|k| !known.contains(&k.as_str())) {
                let hint = match suggest(key, known.iter().copied()) {
                    Some(s) => msg!("hint.did_you_mean_key", name = s),
                    None => msg!("hint.type_may_have", name = self.name, keys = known.clone()),
                };
                out.push(Problem {
                    key: format!("extra.{key}"),
                    at_value: false,
                    message: msg!("types.unknown_extra_key", key = key.as_str(), hint = hint),
                });
            }
        }
        out
    }

    /// Whether the page sets a field: it is there and is not `false`, empty text or an empty
    /// list (what `required_unless` and `excludes` look at).
    fn is_set(&self, key: &str) -> bool {
        match self.value(key) {
            None => false,
            Some(toml::Value::Boolean(b)) => b,
            Some(toml::Value::String(s)) => !s.trim().is_empty(),
            Some(toml::Value::Array(a)) => !a.is_empty(),
            Some(_) => true,
        }
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
        let place = (!table.is_empty()).then(|| msg!("types.in_table", table = table));
        let example = match (f.kind, f.values.first()) {
            (Kind::List | Kind::Kommune | Kind::Fylke, Some(v)) => {
                Some(msg!("types.example_list", key = leaf, value = v))
            }
            (Kind::Text, Some(v)) => Some(msg!("types.example_text", key = leaf, value = v)),
            _ => None,
        };
        let message = if f.required_unless.is_empty() {
            msg!("types.missing", key = leaf, place = place, name = self.name, help = help(f), example = example)
        } else {
            let names: Vec<String> = f.required_unless.iter().map(|k| format!("`{}`", split_key(k).1)).collect();
            let unless = crate::messages::or_list(&names.iter().map(String::as_str).collect::<Vec<_>>());
            let (name, help) = (self.name, help(f));
            msg!(
                "types.missing_unless",
                key = leaf,
                place = place,
                name = name,
                unless = unless,
                help = help,
                example = example
            )
        };
        Problem { key: key.to_string(), at_value: false, message }
    }

    /// Checks a value that is there; `required` says whether the page must fill it in (the
    /// field's `required`, unless a field in its `required_unless` is set).
    fn check_value(&self, key: &str, f: &FieldDef, required: bool, v: &toml::Value, out: &mut Vec<Problem>) {
        let leaf = split_key(key).1;
        let mut bad = |message: Message| out.push(Problem { key: key.to_string(), at_value: true, message });
        match f.kind {
            Kind::Text => match v.as_str() {
                Some(s) if s.trim().is_empty() && required => bad(msg!("types.empty_text", key = leaf, help = help(f))),
                Some(s) if !f.values.is_empty() && !s.is_empty() => {
                    if let Some(m) = self.not_allowed(key, f, s) {
                        bad(m);
                    }
                }
                Some(_) => {}
                None => bad(msg!("types.expect_text", key = leaf)),
            },
            Kind::List => match strings(v) {
                Some(items) if items.is_empty() && required => {
                    bad(msg!("types.empty_list", key = leaf, help = help(f)))
                }
                Some(items) => {
                    for s in items.iter().filter(|_| !f.values.is_empty()) {
                        if let Some(m) = self.not_allowed(key, f, s) {
                            bad(m);
                        }
                    }
                }
                None => bad(msg!("types.expect_list", key = leaf)),
            },
            Kind::Bool if v.as_bool().is_none() => bad(msg!("types.expect_bool", key = leaf)),
            Kind::Integer if v.as_integer().is_none() => bad(msg!("types.expect_integer", key = leaf)),
            Kind::Date => {
                let ok = v.as_datetime().is_some() || v.as_str().is_some_and(|s| Date::parse(s).is_ok());
                if !ok {
                    bad(msg!("types.expect_date", key = leaf));
                }
            }
            Kind::Image => self.check_image(key, f, v, out),
            Kind::Links => self.check_links(leaf, v, &mut bad),
            Kind::Records => check_records(leaf, f, v, &mut bad),
            Kind::Kommune | Kind::Fylke if strings(v).is_some_and(|l| l.is_empty()) => {
                if required {
                    bad(msg!("types.empty_list", key = leaf, help = help(f)));
                }
            }
            Kind::Kommune => self.check_kommune(leaf, v, &mut bad),
            Kind::Fylke => self.check_fylke(leaf, v, &mut bad),
            Kind::Bool | Kind::Integer => {}
        }
    }

    /// A value outside the allowed ones: the value it is the display name of (`Leiarar` on a
    /// nynorsk page is `Ledere`), else the closest one, and all of them.
    fn not_allowed(&self, key: &str, f: &FieldDef, value: &str) -> Option<Message> {
        if f.values.iter().any(|v| v == value) {
            return None;
        }
        let leaf = split_key(key).1;
        if let Some(found) = self.types.labels.value_of(key, f, &self.page.source.lang, value) {
            let (best, file) = (found.value, found.file);
            return Some(msg!("types.display_name", value = value, key = leaf, best = best, file = file));
        }
        not_allowed(leaf, value, &f.values)
    }

    fn check_image(&self, key: &str, f: &FieldDef, v: &toml::Value, out: &mut Vec<Problem>) {
        let leaf = split_key(key).1;
        let problem = |at_value, message| Problem { key: key.to_string(), at_value, message };
        let Some(src) = v.as_str().filter(|s| !s.trim().is_empty()) else {
            out.push(problem(true, msg!("types.image_name", key = leaf)));
            return;
        };
        if src.contains("://") {
            out.push(problem(true, msg!("types.image_elsewhere", key = leaf)));
        } else if !self.image_exists(src) {
            let bundle = self.page.source.abs.parent().map(Path::to_path_buf).unwrap_or_default();
            let m = match src.strip_prefix('/') {
                Some(_) => msg!("body.image_not_in_assets", src = src, path = src),
                None => msg!("types.image_not_beside", src = src, folder = bundle.display().to_string()),
            };
            out.push(problem(true, m));
        }
        if let Some(alt) = &f.alt {
            let text = self.value(alt);
            if text.as_ref().and_then(|t| t.as_str()).is_none_or(|t| t.trim().is_empty()) {
                let (table, alt_leaf) = split_key(alt);
                let place = (!table.is_empty()).then(|| msg!("types.in_table", table = table));
                out.push(problem(false, msg!("types.image_needs_alt", key = leaf, alt = alt_leaf, place = place)));
            }
        }
        if let Some(consent) = &f.consent {
            if self.value(consent).and_then(|c| c.as_bool()) != Some(true) {
                let consent_leaf = split_key(consent).1;
                out.push(problem(false, msg!("types.image_needs_consent", key = leaf, consent = consent_leaf)));
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

    fn check_links(&self, leaf: &str, v: &toml::Value, bad: &mut dyn FnMut(Message)) {
        let Some(items) = v.as_array() else {
            return bad(msg!("types.expect_links", key = leaf));
        };
        for (n, item) in items.iter().enumerate() {
            let get = |k: &str| item.get(k).and_then(|x| x.as_str()).filter(|s| !s.trim().is_empty());
            let (Some(_), Some(url)) = (get("title"), get("url")) else {
                bad(msg!("types.link_needs_title_url", n = n + 1, key = leaf));
                continue;
            };
            if let Some(target) = url.strip_prefix("@/") {
                let file = target.split('#').next().unwrap_or(target);
                if !self.site.by_source.contains_key(file) {
                    let hint = suggest(file, self.site.by_source.keys().map(String::as_str))
                        .map(|s| msg!("hint.did_you_mean_link", target = s));
                    bad(msg!("types.link_missing", n = n + 1, key = leaf, file = file, hint = hint));
                }
            } else if !(url.starts_with("https://") || url.starts_with("http://") || url.starts_with("mailto:")) {
                bad(msg!("types.link_form", n = n + 1, key = leaf));
            }
        }
    }

    /// The counties the page names (in their plain form), from its county fields.
    fn counties(&self, places: &super::places::Places) -> (Vec<&String>, Vec<String>) {
        let fields: Vec<&String> =
            self.def.fields.iter().filter(|(_, f)| f.kind == Kind::Fylke).map(|(k, _)| k).collect();
        let named = fields
            .iter()
            .filter_map(|k| self.value(k))
            .filter_map(|v| strings_or_one(&v))
            .flatten()
            .filter_map(|c| places.canonical_fylke(&c).map(str::to_string))
            .collect();
        (fields, named)
    }

    fn check_kommune(&self, leaf: &str, v: &toml::Value, bad: &mut dyn FnMut(Message)) {
        let Some(places) = &self.types.places else { return };
        let Some(names) = strings_or_one(v) else {
            return bad(msg!("types.expect_kommune", key = leaf));
        };
        let (fields, counties) = self.counties(places);
        // A county that is not one (a former county, a typo) has its own error, which says
        // what to write for these municipalities.
        let unknown_county = fields
            .iter()
            .filter_map(|k| self.value(k))
            .filter_map(|v| strings_or_one(&v))
            .flatten()
            .any(|c| !places.is_fylke(&c));
        let field = fields.first().and_then(|k| k.rsplit('.').next()).unwrap_or("fylke");
        for name in names.iter().filter(|_| !unknown_county) {
            if let Some(m) = places.check_kommune(name, &counties, !fields.is_empty(), field) {
                bad(m);
            }
        }
    }

    fn check_fylke(&self, leaf: &str, v: &toml::Value, bad: &mut dyn FnMut(Message)) {
        let Some(places) = &self.types.places else { return };
        let Some(names) = strings_or_one(v) else {
            return bad(msg!("types.expect_fylke", key = leaf));
        };
        // The municipalities the page names, for exact advice about a former county.
        let kommuner: Vec<String> = self
            .def
            .fields
            .iter()
            .filter(|(_, f)| f.kind == Kind::Kommune)
            .filter_map(|(k, _)| self.value(k))
            .filter_map(|v| strings_or_one(&v))
            .flatten()
            .collect();
        for name in names {
            if let Some(m) = places.check_fylke(&name, &kommuner, leaf) {
                bad(m);
            }
        }
    }
}

fn check_records(leaf: &str, f: &FieldDef, v: &toml::Value, bad: &mut dyn FnMut(Message)) {
    let Some(items) = v.as_array().filter(|a| !a.is_empty()) else {
        return bad(msg!("types.expect_records", key = leaf));
    };
    for (n, item) in items.iter().enumerate() {
        let n = n + 1;
        let Some(table) = item.as_table() else {
            bad(msg!("types.record_not_table", n = n, key = leaf));
            continue;
        };
        for (field, kind) in &f.items {
            let ok = match (table.get(field), kind) {
                (None, _) => {
                    bad(msg!("types.record_missing", n = n, key = leaf, field = field));
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
                bad(msg!("types.record_kind", n = n, key = leaf, field = field, kind = kind_words(*kind)));
            }
        }
        for key in table.keys().filter(|k| !f.items.contains_key(*k)) {
            let hint =
                suggest(key, f.items.keys().map(String::as_str)).map(|s| msg!("hint.did_you_mean_key", name = s));
            bad(msg!("types.record_unknown_key", n = n, key = leaf, field = key, hint = hint));
        }
    }
}

fn kind_words(kind: Kind) -> Message {
    match kind {
        Kind::Text => msg!("types.kind_text"),
        Kind::List => msg!("types.kind_list"),
        Kind::Integer => msg!("types.kind_integer"),
        Kind::Bool => msg!("types.kind_bool"),
        Kind::Date => msg!("types.kind_date"),
        _ => msg!("types.kind_other"),
    }
}

/// The field's help text, as a hint (`: what it is`), in the language the message is worded in.
fn help(f: &FieldDef) -> Option<Message> {
    f.help.as_ref().and_then(super::Help::message).map(|h| msg!("types.help", help = h))
}

/// A value outside the allowed ones: the closest one, and all of them.
fn not_allowed(leaf: &str, value: &str, values: &[String]) -> Option<Message> {
    if values.iter().any(|v| v == value) {
        return None;
    }
    let quoted: Vec<String> = values.iter().map(|v| format!("\"{v}\"")).collect();
    let allowed = crate::messages::or_list(&quoted.iter().map(String::as_str).collect::<Vec<_>>());
    Some(match suggest(value, values.iter().map(String::as_str)) {
        Some(best) => msg!("types.not_allowed_near", value = value, key = leaf, best = best, allowed = allowed),
        None => msg!("types.not_allowed", value = value, key = leaf, allowed = allowed),
    })
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
