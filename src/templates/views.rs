//! What templates see: pages, sections and taxonomies as JSON values. Listing views (without
//! the full content) are built once per page and shared by every listing, so a list page
//! costs what it shows, not the whole site's text.

use crate::config::Config;
use crate::content::{Item, Page, Site, SortBy};
use crate::markdown::Heading;
use serde_json::{json, Map, Value};

/// Prebuilt views for one build.
pub struct Views {
    /// `config` as templates see it.
    pub config: Value,
    /// Listing view of every page, by page index.
    pub pages: Vec<Value>,
    /// Each page's (lower, higher) neighbours in its section's listing.
    neighbours: Vec<(Option<usize>, Option<usize>)>,
}

impl Views {
    /// Builds the shared views. `config` must already have its menu URLs resolved.
    pub fn new(site: &Site, config: &Config) -> Views {
        let pages = site.pages.iter().map(|p| page_listing(p, config)).collect();
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
        Views { config: config_view(config), pages, neighbours }
    }

    /// The full view of a page: its listing view plus content, table of contents and neighbours.
    pub fn page(&self, site: &Site, i: usize) -> Value {
        let p = &site.pages[i];
        let mut v = self.pages[i].clone();
        let m = v.as_object_mut().expect("page views are objects");
        m.insert("content".into(), Value::String(p.rendered.html.clone()));
        m.insert("toc".into(), toc(&p.rendered.toc, &m["permalink"]));
        let (lower, higher) = self.neighbours[i];
        let brief = |j: Option<usize>| {
            j.map_or(Value::Null, |j| json!({"title": site.pages[j].title, "permalink": self.pages[j]["permalink"]}))
        };
        m.insert("lower".into(), brief(lower));
        m.insert("higher".into(), brief(higher));
        v
    }

    /// A section's view. `pages` chooses which listed pages it carries.
    pub fn section(&self, site: &Site, config: &Config, s: usize, pages: &[usize]) -> Value {
        let sec = &site.sections[s];
        let mut v =
            item_common(&sec.title, sec.description.as_deref(), &sec.path, &sec.source, &sec.extra, &sec.lang, config);
        let m = v.as_object_mut().expect("object");
        m.insert("content".into(), Value::String(sec.rendered.html.clone()));
        m.insert("toc".into(), toc(&sec.rendered.toc, &m["permalink"].clone()));
        m.insert("word_count".into(), json!(sec.rendered.word_count));
        m.insert("reading_time".into(), json!(sec.rendered.reading_time));
        m.insert("pages".into(), Value::Array(pages.iter().map(|&i| self.pages[i].clone()).collect()));
        m.insert(
            "subsections".into(),
            Value::Array(
                sec.subsections.iter().map(|&c| Value::String(site.sections[c].source.relative.clone())).collect(),
            ),
        );
        m.insert(
            "assets".into(),
            json!(sec.assets.iter().map(|a| config.permalink(&format!("/{a}"))).collect::<Vec<_>>()),
        );
        m.insert("weight".into(), json!(sec.weight));
        m.insert("pages_count".into(), json!(sec.pages.len()));
        v
    }

    /// A taxonomy's view; `with_pages` adds each term's page listing.
    pub fn taxonomy(&self, site: &Site, config: &Config, t: usize, with_pages: bool) -> Value {
        let tax = &site.taxonomies[t];
        let terms: Vec<Value> = (0..tax.terms.len())
            .map(|k| self.term(site, config, t, k, with_pages.then_some(&tax.terms[k].pages[..])))
            .collect();
        let mut v = taxonomy_meta(site, config, t);
        v["terms"] = Value::Array(terms);
        v
    }

    /// One term's view, carrying `pages` when given.
    pub fn term(&self, site: &Site, config: &Config, t: usize, k: usize, pages: Option<&[usize]>) -> Value {
        let term = &site.taxonomies[t].terms[k];
        let mut v = json!({
            "name": term.name, "slug": term.slug, "path": term.path,
            "permalink": config.permalink(&term.path), "pages_count": term.pages.len(),
        });
        if let Some(pages) = pages {
            v["pages"] = Value::Array(pages.iter().map(|&i| self.pages[i].clone()).collect());
        }
        v
    }

    /// View of an item (page or section) for `get_page`/`get_section`.
    pub fn item(&self, site: &Site, config: &Config, item: Item, with_pages: bool) -> Value {
        match item {
            Item::Page(i) => self.page(site, i),
            Item::Section(s) => {
                let pages: &[usize] = if with_pages { &site.sections[s].pages } else { &[] };
                self.section(site, config, s, pages)
            }
        }
    }
}

/// A taxonomy's name, title and URLs, without its terms.
pub fn taxonomy_meta(site: &Site, config: &Config, t: usize) -> Value {
    let tax = &site.taxonomies[t];
    json!({
        "name": tax.name, "title": tax.title, "slug": tax.path.trim_matches('/'), "path": tax.path,
        "permalink": config.permalink(&tax.path),
    })
}

fn config_view(config: &Config) -> Value {
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
    lang: &str,
    config: &Config,
) -> Value {
    let mut m = Map::new();
    m.insert("title".into(), json!(title));
    m.insert("description".into(), json!(description));
    m.insert("path".into(), json!(path));
    m.insert("permalink".into(), json!(config.permalink(path)));
    m.insert("relative_path".into(), json!(source.relative));
    m.insert("extra".into(), toml_to_json(&toml::Value::Table(extra.clone())));
    m.insert("lang".into(), json!(lang));
    Value::Object(m)
}

fn page_listing(p: &Page, config: &Config) -> Value {
    let mut v = item_common(&p.title, p.description.as_deref(), &p.path, &p.source, &p.extra, &p.lang, config);
    let m = v.as_object_mut().expect("object");
    m.insert("date".into(), json!(p.date.as_ref().map(|d| &d.iso)));
    m.insert("updated".into(), json!(p.updated.as_ref().map(|d| &d.iso)));
    m.insert("draft".into(), json!(p.draft));
    m.insert("slug".into(), json!(p.slug));
    m.insert("summary".into(), json!(p.rendered.summary));
    m.insert("word_count".into(), json!(p.rendered.word_count));
    m.insert("reading_time".into(), json!(p.rendered.reading_time));
    m.insert("taxonomies".into(), json!(p.taxonomies));
    m.insert("authors".into(), json!(p.authors));
    m.insert("weight".into(), json!(p.weight));
    m.insert("assets".into(), json!(p.assets.iter().map(|a| config.permalink(a)).collect::<Vec<_>>()));
    m.insert("aliases".into(), json!(p.aliases));
    v
}

fn toc(headings: &[Heading], permalink: &Value) -> Value {
    let base = permalink.as_str().unwrap_or("");
    Value::Array(
        headings
            .iter()
            .map(|h| {
                json!({
                    "level": h.level, "id": h.id, "title": h.title,
                    "permalink": format!("{base}#{}", h.id), "children": toc(&h.children, permalink),
                })
            })
            .collect(),
    )
}

/// Converts TOML to JSON for templates; dates become ISO strings.
pub fn toml_to_json(v: &toml::Value) -> Value {
    match v {
        toml::Value::String(s) => Value::String(s.clone()),
        toml::Value::Integer(i) => json!(i),
        toml::Value::Float(f) => json!(f),
        toml::Value::Boolean(b) => Value::Bool(*b),
        toml::Value::Datetime(d) => Value::String(d.to_string()),
        toml::Value::Array(a) => Value::Array(a.iter().map(toml_to_json).collect()),
        toml::Value::Table(t) => Value::Object(t.iter().map(|(k, v)| (k.clone(), toml_to_json(v))).collect()),
    }
}
