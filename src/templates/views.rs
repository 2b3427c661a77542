//! What templates see: pages, sections and taxonomies as template values. Listing views
//! (everything but the full content) are built once per page; template values share their
//! contents behind reference counts, so a list page costs what it shows, not the whole site.

use crate::config::Config;
use crate::content::{Item, Page, Site, SortBy};
use crate::markdown::Heading;
use serde_json::json;
use tera::Value;

/// Prebuilt views for one build.
pub struct Views {
    /// `config` as templates see it.
    pub config: Value,
    /// Listing view of every page, by page index.
    pub pages: Vec<Value>,
    /// Each page's content and table of contents, built once and shared by every render.
    full: Vec<(Value, Value)>,
    /// Each page's (lower, higher) neighbours in its section's listing.
    neighbours: Vec<(Option<usize>, Option<usize>)>,
}

/// Converts JSON built with `json!` into a template value.
pub fn value(v: &serde_json::Value) -> Value {
    Value::from_serializable(v)
}

/// Returns `v` (a map) with `extra` entries added.
fn with(v: &Value, extra: Vec<(&'static str, Value)>) -> Value {
    let mut map = v.as_map().cloned().unwrap_or_default();
    for (k, x) in extra {
        map.insert(k.into(), x);
    }
    Value::from(map)
}

impl Views {
    /// Builds the shared views. `config` must already have its menu URLs resolved. Pages'
    /// HTML moves into the views (the templates are its only reader from here on).
    pub fn new(site: &mut Site, config: &Config) -> Views {
        use rayon::prelude::*;
        let pages = site.pages.par_iter().map(|p| value(&page_listing(p, config))).collect();
        let full = site
            .pages
            .par_iter_mut()
            .map(|p| {
                let html = std::mem::take(&mut p.rendered.html);
                (Value::safe_string(&html), value(&toc(&p.rendered.toc, &config.permalink(&p.path))))
            })
            .collect();
        let neighbours = neighbours(site);
        Views { config: value(&config_view(config)), pages, full, neighbours }
    }

    /// A page's rendered HTML.
    pub fn content(&self, i: usize) -> &str {
        self.full[i].0.as_str().unwrap_or_default()
    }

    /// Rebuilds page `i`'s views after it was reloaded (its HTML moves in, as in [`Views::new`]).
    pub fn update_page(&mut self, site: &mut Site, config: &Config, i: usize) {
        let p = &mut site.pages[i];
        self.pages[i] = value(&page_listing(p, config));
        let html = std::mem::take(&mut p.rendered.html);
        self.full[i] = (Value::safe_string(&html), value(&toc(&p.rendered.toc, &config.permalink(&p.path))));
    }

    /// Recomputes every page's neighbours; returns the pages whose neighbours changed.
    pub fn update_neighbours(&mut self, site: &Site) -> Vec<usize> {
        let new = neighbours(site);
        let changed = (0..new.len()).filter(|&i| new[i] != self.neighbours[i]).collect();
        self.neighbours = new;
        changed
    }

    /// Page `i`'s (lower, higher) neighbours.
    pub fn neighbours(&self, i: usize) -> (Option<usize>, Option<usize>) {
        self.neighbours[i]
    }

    /// The full view of a page: its listing view plus content, table of contents and neighbours.
    pub fn page(&self, site: &Site, config: &Config, i: usize) -> Value {
        let (lower, higher) = self.neighbours[i];
        let brief = |j: Option<usize>| {
            j.map_or(Value::none(), |j| {
                value(&json!({"title": site.pages[j].title, "permalink": config.permalink(&site.pages[j].path)}))
            })
        };
        with(
            &self.pages[i],
            vec![
                ("content", self.full[i].0.clone()),
                ("toc", self.full[i].1.clone()),
                ("lower", brief(lower)),
                ("higher", brief(higher)),
            ],
        )
    }

    /// A section's view, carrying the listed pages given.
    pub fn section(&self, site: &Site, config: &Config, s: usize, pages: &[usize]) -> Value {
        let sec = &site.sections[s];
        let permalink = config.permalink(&sec.path);
        let mut v = item_common(&sec.title, sec.description.as_deref(), &sec.path, &sec.source, &sec.extra, config);
        let m = v.as_object_mut().expect("object");
        m.insert("toc".into(), toc(&sec.rendered.toc, &permalink));
        m.insert("word_count".into(), json!(sec.rendered.word_count));
        m.insert("reading_time".into(), json!(sec.rendered.reading_time));
        m.insert(
            "subsections".into(),
            json!(sec.subsections.iter().map(|&c| &site.sections[c].source.relative).collect::<Vec<_>>()),
        );
        m.insert(
            "assets".into(),
            json!(sec.assets.iter().map(|a| config.permalink(&format!("/{a}"))).collect::<Vec<_>>()),
        );
        m.insert("weight".into(), json!(sec.weight));
        m.insert("pages_count".into(), json!(sec.pages.len()));
        m.insert("filters".into(), filters(site, config, s));
        if sec.search_index {
            m.insert("search_index".into(), json!(config.permalink(&format!("{}search.json", sec.path))));
        }
        with(&value(&v), vec![("content", Value::safe_string(&sec.rendered.html)), ("pages", self.listing(pages))])
    }

    /// The filter a filter page shows: taxonomy, term and the page's own URL.
    pub fn filter(&self, site: &Site, config: &Config, s: usize, facet: usize, term: usize) -> Value {
        let f = &site.sections[s].facets[facet];
        let tax = &site.taxonomies[f.taxonomy];
        let ft = &f.terms[term];
        let t = &tax.terms[ft.term];
        value(&json!({
            "taxonomy": tax.name, "taxonomy_title": tax.title, "name": t.name, "slug": t.slug,
            "permalink": config.permalink(&ft.path), "count": ft.pages.len(),
        }))
    }

    /// Listing views of the given pages.
    pub fn listing(&self, pages: &[usize]) -> Value {
        Value::from(pages.iter().map(|&i| self.pages[i].clone()).collect::<Vec<_>>())
    }

    /// A taxonomy's view with its terms; `with_pages` adds each term's page listing.
    pub fn taxonomy(&self, site: &Site, config: &Config, t: usize, with_pages: bool) -> Value {
        let tax = &site.taxonomies[t];
        let terms: Vec<Value> = (0..tax.terms.len())
            .map(|k| self.term(site, config, t, k, with_pages.then_some(&tax.terms[k].pages[..])))
            .collect();
        with(&taxonomy_meta(site, config, t), vec![("terms", Value::from(terms))])
    }

    /// One term's view, carrying `pages` when given.
    pub fn term(&self, site: &Site, config: &Config, t: usize, k: usize, pages: Option<&[usize]>) -> Value {
        let term = &site.taxonomies[t].terms[k];
        let v = value(&json!({
            "name": term.name, "slug": term.slug, "path": term.path,
            "permalink": config.permalink(&term.path), "pages_count": term.pages.len(),
        }));
        match pages {
            Some(pages) => with(&v, vec![("pages", self.listing(pages))]),
            None => v,
        }
    }

    /// View of an item (page or section) for `get_page`/`get_section`.
    pub fn item(&self, site: &Site, config: &Config, item: Item, with_pages: bool) -> Value {
        match item {
            Item::Page(i) => self.page(site, config, i),
            Item::Section(s) => {
                let pages: &[usize] = if with_pages { &site.sections[s].pages } else { &[] };
                self.section(site, config, s, pages)
            }
        }
    }
}

/// Each page's (lower, higher) neighbours in its section's listing.
fn neighbours(site: &Site) -> Vec<(Option<usize>, Option<usize>)> {
    let mut neighbours = vec![(None, None); site.pages.len()];
    for (si, s) in site.sections.iter().enumerate() {
        let asc = matches!(s.sort_by, SortBy::Weight | SortBy::Title | SortBy::None);
        for (pos, &i) in s.pages.iter().enumerate() {
            // Pages passed up by a transparent section get their neighbours at home only.
            if site.pages[i].section != si {
                continue;
            }
            let prev = pos.checked_sub(1).map(|p| s.pages[p]);
            let next = s.pages.get(pos + 1).copied();
            neighbours[i] = if asc { (prev, next) } else { (next, prev) };
        }
    }
    neighbours
}

/// A taxonomy's name, title and URLs, without its terms.
pub fn taxonomy_meta(site: &Site, config: &Config, t: usize) -> Value {
    let tax = &site.taxonomies[t];
    value(&json!({
        "name": tax.name, "title": tax.title, "slug": tax.path.trim_matches('/'), "path": tax.path,
        "permalink": config.permalink(&tax.path),
    }))
}

/// `section.filters`: each filter taxonomy with its terms, their filter-page URLs and counts.
fn filters(site: &Site, config: &Config, s: usize) -> serde_json::Value {
    let facets = site.sections[s].facets.iter().map(|f| {
        let tax = &site.taxonomies[f.taxonomy];
        let terms: Vec<_> = f
            .terms
            .iter()
            .map(|ft| {
                let t = &tax.terms[ft.term];
                json!({"name": t.name, "slug": t.slug, "permalink": config.permalink(&ft.path), "count": ft.pages.len()})
            })
            .collect();
        json!({"name": tax.name, "title": tax.title, "terms": terms})
    });
    serde_json::Value::Array(facets.collect())
}

fn config_view(config: &Config) -> serde_json::Value {
    json!({
        "title": config.title,
        "base_url": config.base_url,
        "language": config.language,
        "description": config.description,
        "taxonomies": config.taxonomies,
        "menus": config.menus,
        "extra": toml_to_json(&toml::Value::Table(config.extra.clone())),
    })
}

fn item_common(
    title: &str,
    description: Option<&str>,
    path: &str,
    source: &crate::content::Source,
    extra: &toml::Table,
    config: &Config,
) -> serde_json::Value {
    json!({
        "title": title,
        "description": description,
        "path": path,
        "permalink": config.permalink(path),
        "relative_path": source.relative,
        "extra": toml_to_json(&toml::Value::Table(extra.clone())),
        "lang": source.lang,
    })
}

/// A page as listings show it: everything but its content and table of contents. Every
/// field of [`Page`] is named, so a new one is either shown or said to be left out.
fn page_listing(p: &Page, config: &Config) -> serde_json::Value {
    let Page {
        source,
        title,
        description,
        date,
        updated,
        draft,
        slug,
        path,
        aliases,
        template: _,
        weight,
        authors,
        taxonomies,
        extra,
        spans: _,
        section: _,
        assets,
        listed: _,
        render: _,
        body: _,
        rendered,
    } = p;
    let mut v = item_common(title, description.as_deref(), path, source, extra, config);
    let m = v.as_object_mut().expect("object");
    m.insert("date".into(), json!(date.as_ref().map(|d| &d.iso)));
    m.insert("updated".into(), json!(updated.as_ref().map(|d| &d.iso)));
    m.insert("draft".into(), json!(draft));
    m.insert("slug".into(), json!(slug));
    m.insert("summary".into(), json!(rendered.summary));
    m.insert("word_count".into(), json!(rendered.word_count));
    m.insert("reading_time".into(), json!(rendered.reading_time));
    m.insert("taxonomies".into(), json!(taxonomies));
    m.insert("authors".into(), json!(authors));
    m.insert("weight".into(), json!(weight));
    m.insert("assets".into(), json!(assets.iter().map(|a| config.permalink(a)).collect::<Vec<_>>()));
    m.insert("aliases".into(), json!(aliases));
    v
}

fn toc(headings: &[Heading], permalink: &str) -> serde_json::Value {
    serde_json::Value::Array(
        headings
            .iter()
            .map(|h| {
                json!({
                    "level": h.level, "id": h.id, "title": h.title,
                    "permalink": format!("{permalink}#{}", h.id), "children": toc(&h.children, permalink),
                })
            })
            .collect(),
    )
}

/// Converts TOML to JSON for templates; dates become ISO strings.
pub fn toml_to_json(v: &toml::Value) -> serde_json::Value {
    match v {
        toml::Value::String(s) => serde_json::Value::String(s.clone()),
        toml::Value::Integer(i) => json!(i),
        toml::Value::Float(f) => json!(f),
        toml::Value::Boolean(b) => serde_json::Value::Bool(*b),
        toml::Value::Datetime(d) => serde_json::Value::String(d.to_string()),
        toml::Value::Array(a) => serde_json::Value::Array(a.iter().map(toml_to_json).collect()),
        toml::Value::Table(t) => {
            serde_json::Value::Object(t.iter().map(|(k, v)| (k.clone(), toml_to_json(v))).collect())
        }
    }
}
