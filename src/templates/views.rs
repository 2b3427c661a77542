//! What templates see: pages, sections and taxonomies as template values, built directly
//! (no detour through JSON). Listing views (everything but the full content) are built once
//! per page; template values share their contents behind reference counts, so a list page
//! costs what it shows, not the whole site. A page's HTML is kept when the site keeps its
//! text, and rendered again from its file when it does not ([`crate::content::Body`]).

use super::components::ComponentEngine;
use crate::config::Config;
use crate::content::{Item, Links, Page, Site, SortBy};
use crate::error::Diagnostic;
use crate::markdown::{self, Heading};
use std::sync::Arc;
use tera::{Map, Value};

/// Prebuilt views for one build.
pub struct Views {
    /// `config` as templates see it, per language (the default language's first).
    pub configs: Vec<(String, Value)>,
    /// Listing view of every page, by page index.
    pub pages: Vec<Value>,
    /// Each page's HTML, when the site keeps its texts.
    html: Vec<Option<Value>>,
    /// Each page's (lower, higher) neighbours in its section's listing.
    neighbours: Vec<(Option<usize>, Option<usize>)>,
    /// The components texts call, for texts rendered again.
    pub components: Option<Arc<ComponentEngine>>,
    /// The image stage, for texts rendered again.
    pub images: Option<Arc<crate::assets::images::ImageStage>>,
}

/// A map value from its entries.
fn map(entries: impl IntoIterator<Item = (&'static str, Value)>) -> Value {
    Value::from(entries.into_iter().map(|(k, v)| (k.into(), v)).collect::<Map>())
}

/// Returns `v` (a map) with `extra` entries added.
fn with(v: &Value, extra: impl IntoIterator<Item = (&'static str, Value)>) -> Value {
    let mut m = v.as_map().cloned().unwrap_or_default();
    for (k, x) in extra {
        m.insert(k.into(), x);
    }
    Value::from(m)
}

/// A list of texts.
fn texts<'a>(items: impl IntoIterator<Item = &'a String>) -> Value {
    Value::from(items.into_iter().map(|s| Value::from(s.as_str())).collect::<Vec<_>>())
}

impl Views {
    /// Builds the shared views. `config` must already have its menu URLs resolved. Pages'
    /// HTML moves into the views (the templates are its only reader from here on).
    pub fn new(site: &mut Site, config: &Config) -> Views {
        use rayon::prelude::*;
        let pages = site.pages.par_iter().map(|p| page_listing(p, config)).collect();
        let html = site
            .pages
            .par_iter_mut()
            .map(|p| {
                let html = std::mem::take(&mut p.rendered.html);
                p.body.keep.then(|| Value::safe_string(&html))
            })
            .collect();
        let neighbours = neighbours(site);
        let configs = config.language_codes().iter().map(|l| (l.to_string(), config_view(config, l))).collect();
        Views { configs, pages, html, neighbours, components: None, images: None }
    }

    /// `config` as templates in language `lang` see it (its title, description and menus).
    pub fn config_for(&self, lang: &str) -> Value {
        self.configs.iter().find(|(l, _)| l == lang).or(self.configs.first()).map_or(Value::none(), |(_, v)| v.clone())
    }

    /// Links for rendering texts again: over `site`, with the components.
    pub fn links<'a>(&'a self, site: &'a Site, config: &'a Config) -> Links<'a> {
        let components = self.components.as_deref().map(|c| c as &dyn markdown::Components);
        let images = self.images.as_deref().map(|i| i as &dyn markdown::Pictures);
        Links { site, config, components, images, item: None }
    }

    /// A page's rendered HTML: kept, or rendered again from its file.
    pub fn content(&self, site: &Site, config: &Config, i: usize) -> Result<Value, Diagnostic> {
        if let Some(html) = &self.html[i] {
            return Ok(html.clone());
        }
        let p = &site.pages[i];
        let text = p.body.read(&p.source)?;
        let opts = markdown::Options::for_text(config, &p.source.lang, true);
        let r = markdown::render(text.as_str(), &opts, &self.links(site, config).for_item(&p.source));
        Ok(Value::safe_string(&r.html))
    }

    /// Rebuilds page `i`'s views after it was reloaded (its HTML moves in, as in [`Views::new`]).
    pub fn update_page(&mut self, site: &mut Site, config: &Config, i: usize) {
        let p = &mut site.pages[i];
        let keep = p.body.keep;
        self.pages[i] = page_listing(p, config);
        let html = std::mem::take(&mut p.rendered.html);
        self.html[i] = keep.then(|| Value::safe_string(&html));
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

    /// The full view of a page: its listing view plus content, table of contents and
    /// neighbours (the table of contents is built here: only the page's own render and
    /// `get_page` need it).
    pub fn page(&self, site: &Site, config: &Config, i: usize) -> Result<Value, Diagnostic> {
        let (lower, higher) = self.neighbours[i];
        let brief = |j: Option<usize>| {
            j.map_or(Value::none(), |j| {
                let p = &site.pages[j];
                map([("title", Value::from(p.title.as_str())), ("permalink", Value::from(config.permalink(&p.path)))])
            })
        };
        Ok(with(
            &self.pages[i],
            [
                ("content", self.content(site, config, i)?),
                ("translations", translations(site, config, Item::Page(i))),
                ("toc", toc(&site.pages[i].rendered.toc, &config.permalink(&site.pages[i].path))),
                ("lower", brief(lower)),
                ("higher", brief(higher)),
            ],
        ))
    }

    /// A section's view, carrying the listed pages given.
    pub fn section(&self, site: &Site, config: &Config, s: usize, pages: &[usize]) -> Value {
        let sec = &site.sections[s];
        let permalink = config.permalink(&sec.path);
        let mut m = item_common(&sec.title, sec.description.as_deref(), &sec.path, &sec.source, &sec.extra, config);
        let subsections = sec.subsections.iter().map(|&c| &site.sections[c].source.relative);
        let assets = sec.assets.iter().map(|a| config.permalink(&format!("/{a}")));
        for (k, v) in [
            ("toc", toc(&sec.rendered.toc, &permalink)),
            ("translations", translations(site, config, Item::Section(s))),
            ("word_count", Value::from(sec.rendered.word_count)),
            ("reading_time", Value::from(sec.rendered.reading_time)),
            ("subsections", texts(subsections)),
            ("assets", Value::from(assets.map(Value::from).collect::<Vec<_>>())),
            ("weight", Value::from(sec.weight)),
            ("pages_count", Value::from(sec.pages.len())),
            ("filters", filters(site, config, s)),
            ("content", Value::safe_string(&sec.rendered.html)),
            ("pages", self.listing(pages)),
        ] {
            m.insert(k.into(), v);
        }
        if sec.search_index {
            m.insert("search_index".into(), Value::from(config.permalink(&format!("{}search.json", sec.path))));
        }
        Value::from(m)
    }

    /// The filter a filter page shows: taxonomy, term and the page's own URL.
    pub fn filter(&self, site: &Site, config: &Config, s: usize, facet: usize, term: usize) -> Value {
        let f = &site.sections[s].facets[facet];
        let tax = &site.taxonomies[f.taxonomy];
        let ft = &f.terms[term];
        let t = &tax.terms[ft.term];
        map([
            ("taxonomy", Value::from(tax.name.as_str())),
            ("taxonomy_title", Value::from(tax.title.as_str())),
            ("name", Value::from(t.name.as_str())),
            ("slug", Value::from(t.slug.as_str())),
            ("permalink", Value::from(config.permalink(&ft.path))),
            ("count", Value::from(ft.pages.len())),
        ])
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
        with(&taxonomy_meta(site, config, t), [("terms", Value::from(terms))])
    }

    /// One term's view, carrying `pages` when given.
    pub fn term(&self, site: &Site, config: &Config, t: usize, k: usize, pages: Option<&[usize]>) -> Value {
        let term = &site.taxonomies[t].terms[k];
        let mut entries = vec![
            ("name", Value::from(term.name.as_str())),
            ("slug", Value::from(term.slug.as_str())),
            ("path", Value::from(term.path.as_str())),
            ("permalink", Value::from(config.permalink(&term.path))),
            ("pages_count", Value::from(term.pages.len())),
        ];
        if let Some(pages) = pages {
            entries.push(("pages", self.listing(pages)));
        }
        map(entries)
    }

    /// View of an item (page or section) for `get_page`/`get_section`.
    pub fn item(&self, site: &Site, config: &Config, item: Item, with_pages: bool) -> Result<Value, Diagnostic> {
        match item {
            Item::Page(i) => self.page(site, config, i),
            Item::Section(s) => {
                let pages: &[usize] = if with_pages { &site.sections[s].pages } else { &[] };
                Ok(self.section(site, config, s, pages))
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
    map([
        ("name", Value::from(tax.name.as_str())),
        ("title", Value::from(tax.title.as_str())),
        ("slug", Value::from(tax.path.trim_matches('/'))),
        ("path", Value::from(tax.path.as_str())),
        ("permalink", Value::from(config.permalink(&tax.path))),
    ])
}

/// `section.filters`: each filter taxonomy with its terms, their filter-page URLs and counts.
fn filters(site: &Site, config: &Config, s: usize) -> Value {
    let facets = site.sections[s].facets.iter().map(|f| {
        let tax = &site.taxonomies[f.taxonomy];
        let terms = f.terms.iter().map(|ft| {
            let t = &tax.terms[ft.term];
            map([
                ("name", Value::from(t.name.as_str())),
                ("slug", Value::from(t.slug.as_str())),
                ("permalink", Value::from(config.permalink(&ft.path))),
                ("count", Value::from(ft.pages.len())),
            ])
        });
        map([
            ("name", Value::from(tax.name.as_str())),
            ("title", Value::from(tax.title.as_str())),
            ("terms", Value::from(terms.collect::<Vec<_>>())),
        ])
    });
    Value::from(facets.collect::<Vec<_>>())
}

/// An item's versions in every language it exists in (itself included), as Zola gives them:
/// `lang`, `title`, `permalink`, plus the language's `name`.
fn translations(site: &Site, config: &Config, item: Item) -> Value {
    let list = site.translations_of(item).iter().map(|&t| {
        let source = site.item_source(t);
        let title = match t {
            Item::Page(i) => site.pages[i].title.as_str(),
            Item::Section(i) => site.sections[i].title.as_str(),
        };
        map([
            ("lang", Value::from(source.lang.as_str())),
            ("name", Value::from(language_name(&source.lang))),
            ("title", Value::from(title)),
            ("permalink", Value::from(config.permalink(site.item_path(t)))),
        ])
    });
    Value::from(list.collect::<Vec<_>>())
}

/// A language's name in that language, for language switchers.
pub fn language_name(code: &str) -> &str {
    match code {
        "nb" | "no" => "Bokmål",
        "nn" => "Nynorsk",
        "en" => "English",
        "se" => "Davvisámegiella",
        "sv" => "Svenska",
        "da" => "Dansk",
        other => other,
    }
}

fn config_view(config: &Config, lang: &str) -> Value {
    let taxonomies = config.taxonomies.iter().map(|t| {
        map([
            ("name", Value::from(t.name.as_str())),
            ("title", Value::from(t.title.as_str())),
            ("slug", Value::from(t.slug.as_str())),
            ("paginate_by", Value::from(t.paginate_by)),
        ])
    });
    let menus: Map = config
        .menus_in(lang)
        .iter()
        .map(|(name, items)| {
            let items = items
                .iter()
                .map(|i| map([("name", Value::from(i.name.as_str())), ("url", Value::from(i.url.as_str()))]));
            (name.clone().into(), Value::from(items.collect::<Vec<_>>()))
        })
        .collect();
    // Every language with its name and home page, for switchers and `hreflang`.
    let languages = config.language_codes().into_iter().map(|code| {
        map([
            ("code", Value::from(code)),
            ("name", Value::from(language_name(code))),
            ("title", Value::from(config.title_in(code))),
            ("permalink", Value::from(config.permalink(&format!("{}/", config.lang_prefix(code))))),
        ])
    });
    map([
        ("title", Value::from(config.title_in(lang))),
        ("base_url", Value::from(config.base_url.as_str())),
        ("language", Value::from(config.language.as_str())),
        ("default_language", Value::from(config.language.as_str())),
        ("lang_prefix", Value::from(config.lang_prefix(lang))),
        ("languages", Value::from(languages.collect::<Vec<_>>())),
        ("description", Value::from(config.description_in(lang))),
        ("taxonomies", Value::from(taxonomies.collect::<Vec<_>>())),
        ("menus", Value::from(menus)),
        ("extra", table_value(&config.extra)),
    ])
}

/// The fields pages and sections share.
fn item_common(
    title: &str,
    description: Option<&str>,
    path: &str,
    source: &crate::content::Source,
    extra: &toml::Table,
    config: &Config,
) -> Map {
    [
        ("title", Value::from(title)),
        ("description", Value::from(description)),
        ("path", Value::from(path)),
        ("permalink", Value::from(config.permalink(path))),
        ("relative_path", Value::from(source.relative.as_str())),
        // The folder of the file (`historier/x/`), for images beside it (Zola's name).
        (
            "colocated_path",
            Value::from(source.relative.rsplit_once('/').map_or(String::new(), |(d, _)| format!("{d}/"))),
        ),
        ("extra", table_value(extra)),
        ("lang", Value::from(source.lang.as_str())),
    ]
    .into_iter()
    .map(|(k, v)| (k.into(), v))
    .collect()
}

/// A page as listings show it: everything but its content and table of contents. Every
/// field of [`Page`] is named, so a new one is either shown or said to be left out.
fn page_listing(p: &Page, config: &Config) -> Value {
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
    let mut m = item_common(title, description.as_deref(), path, source, extra, config);
    let terms: Map = taxonomies.iter().map(|(k, v)| (k.clone().into(), texts(v))).collect();
    for (k, v) in [
        ("date", Value::from(date.as_ref().map(|d| d.iso.as_str()))),
        ("updated", Value::from(updated.as_ref().map(|d| d.iso.as_str()))),
        ("draft", Value::from(*draft)),
        ("slug", Value::from(slug.as_str())),
        ("summary", Value::from(rendered.summary.as_deref())),
        ("word_count", Value::from(rendered.word_count)),
        ("reading_time", Value::from(rendered.reading_time)),
        ("taxonomies", Value::from(terms)),
        ("authors", texts(authors)),
        ("weight", Value::from(*weight)),
        ("assets", Value::from(assets.iter().map(|a| Value::from(config.permalink(a))).collect::<Vec<_>>())),
        ("aliases", texts(aliases)),
    ] {
        m.insert(k.into(), v);
    }
    Value::from(m)
}

fn toc(headings: &[Heading], permalink: &str) -> Value {
    Value::from(
        headings
            .iter()
            .map(|h| {
                map([
                    ("level", Value::from(h.level)),
                    ("id", Value::from(h.id.as_str())),
                    ("title", Value::from(h.title.as_str())),
                    ("permalink", Value::from(format!("{permalink}#{}", h.id))),
                    ("children", toc(&h.children, permalink)),
                ])
            })
            .collect::<Vec<_>>(),
    )
}

/// A TOML table as a template value.
fn table_value(t: &toml::Table) -> Value {
    Value::from(t.iter().map(|(k, v)| (k.clone().into(), toml_value(v))).collect::<Map>())
}

/// A TOML value as a template value; dates become ISO strings.
pub fn toml_value(v: &toml::Value) -> Value {
    match v {
        toml::Value::String(s) => Value::from(s.as_str()),
        toml::Value::Integer(i) => Value::from(*i),
        toml::Value::Float(f) => Value::from(*f),
        toml::Value::Boolean(b) => Value::from(*b),
        toml::Value::Datetime(d) => Value::from(d.to_string()),
        toml::Value::Array(a) => Value::from(a.iter().map(toml_value).collect::<Vec<_>>()),
        toml::Value::Table(t) => table_value(t),
    }
}
