//! Stage 2 of the pipeline: the content model. [`load`] walks `content/` and returns a
//! [`Site`]: plain data (pages, sections, taxonomies, a link map) with no engines or I/O.
//! The markdown stage later fills each item's [`Rendered`] part.
//!
//! - [`walk`]: the files of `content/`;
//! - [`frontmatter`]: the `+++` block, read field by field with positions;
//! - [`resolve`]: front matter → [`Page`] and [`Section`] (URLs, dates, checks);
//! - [`listing`] and [`taxonomy`]: sorted listings, terms and filter pages;
//! - [`load`] assembles the site, [`reload`] re-reads single files for `serve`;
//! - [`links`]: `@/` links and menus; [`types`]: content types and their checks.

pub mod frontmatter;
pub mod links;
mod listing;
mod load;
mod reload;
mod resolve;
mod taxonomy;
pub mod types;
mod walk;

pub use frontmatter::{split, Spans};
pub use links::{resolve_menus, Links};
pub use load::{load, ContentFile, LoadOptions};
pub use reload::{relist, reload_page, reload_section, resort};
pub use walk::is_temp_file;

use crate::date::Date;
use crate::markdown::Rendered;
use std::collections::{BTreeMap, HashMap};
use std::path::PathBuf;

/// Where an item came from, and which language it is in: together its identity.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Source {
    /// Path relative to `content/`, `/`-separated: `tips/x.md` or `historier/a/index.md`.
    pub relative: String,
    /// Path relative to the site root, for diagnostics: `content/tips/x.md`.
    pub file: String,
    /// Absolute path on disk.
    pub abs: PathBuf,
    /// Language code: the site's unless the file is a translation.
    pub lang: String,
    /// The path without the language, shared by an item's translations: `tips/x.md` for
    /// `tips/x.md` and `tips/x.nn.md`.
    pub key: String,
}

/// The markdown of an item, with the file line where it starts (for diagnostics). The text
/// is kept until it is rendered, and its HTML after, while the site's texts fit in the text
/// budget ([`super::LoadOptions::text_budget`]); beyond it, a page keeps neither and its
/// text is read (and rendered) again when needed, so memory stays bounded.
#[derive(Debug, Clone, Default)]
pub struct Body {
    /// The file's text, while it is kept (none once rendered, or when the page keeps none).
    text: Option<Text>,
    /// 1-based file line of the first body line.
    pub line: usize,
    /// Does this item keep its texts (markdown until rendered, then HTML) in memory?
    pub keep: bool,
}

/// A file's whole text and where its body starts in it (so the body is not copied).
#[derive(Debug, Clone, Default)]
pub struct Text {
    whole: String,
    start: usize,
}

impl Text {
    /// A file's text whose body starts at byte `start`.
    pub(crate) fn new(whole: String, start: usize) -> Text {
        let start = if whole.is_char_boundary(start) { start } else { whole.len() };
        Text { whole, start }
    }

    /// The markdown body.
    pub fn as_str(&self) -> &str {
        &self.whole[self.start..]
    }
}

impl Body {
    /// A body starting at file line `line`, with its text when it is kept.
    pub fn new(text: Option<Text>, line: usize) -> Body {
        Body { keep: text.is_some(), text, line }
    }

    /// An empty text (the root section when the site has no `content/_index.md`).
    pub fn empty() -> Body {
        Body { text: Some(Text::default()), line: 1, keep: true }
    }

    /// The markdown: taken from memory, or read again from the item's file.
    pub fn take(&mut self, source: &Source) -> Result<Text, crate::error::Diagnostic> {
        match self.text.take() {
            Some(t) => Ok(t),
            None => self.read(source),
        }
    }

    /// The markdown, read again from the item's file.
    pub fn read(&self, source: &Source) -> Result<Text, crate::error::Diagnostic> {
        resolve::read_body(source, self.line)
    }

    /// Lets the kept text go.
    pub fn forget(&mut self) {
        self.text = None;
    }
}

/// A content page: any `.md` file other than `_index.md`.
#[derive(Debug, Clone)]
pub struct Page {
    pub source: Source,
    pub title: String,
    pub description: Option<String>,
    pub date: Option<Date>,
    pub updated: Option<Date>,
    pub draft: bool,
    pub slug: String,
    /// Site path of the page, e.g. `/tips/x/`.
    pub path: String,
    pub aliases: Vec<String>,
    /// Template named in front matter.
    pub template: Option<String>,
    pub weight: Option<i64>,
    pub authors: Vec<String>,
    pub taxonomies: BTreeMap<String, Vec<String>>,
    pub extra: toml::Table,
    /// Where each front-matter key and value stands, for later checks.
    pub spans: Spans,
    /// Index of the section that lists this page.
    pub section: usize,
    /// Files of a page bundle, relative to `content/`, copied beside the page's output.
    pub assets: Vec<String>,
    /// False for pages dated in the future: rendered, but left out of listings.
    pub listed: bool,
    /// False when front matter says `render = false`.
    pub render: bool,
    pub body: Body,
    /// Filled by the markdown stage.
    pub rendered: Rendered,
}

/// How a section orders its pages.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SortBy {
    /// Newest first; undated pages last.
    Date,
    /// Lowest weight first; pages without weight last.
    Weight,
    /// Norwegian alphabetical order.
    Title,
    /// File path order.
    None,
}

/// A section: a folder with `_index.md` (or the implicit root).
#[derive(Debug, Clone)]
pub struct Section {
    pub source: Source,
    pub title: String,
    pub description: Option<String>,
    /// Site path, e.g. `/tips/`; the root is `/`.
    pub path: String,
    pub sort_by: SortBy,
    pub weight: Option<i64>,
    pub template: Option<String>,
    pub page_template: Option<String>,
    pub paginate_by: Option<usize>,
    pub paginate_path: String,
    pub paginate_reversed: bool,
    pub transparent: bool,
    pub render: bool,
    pub redirect_to: Option<String>,
    pub aliases: Vec<String>,
    pub extra: toml::Table,
    /// Where each front-matter key and value stands, for later checks.
    pub spans: Spans,
    pub assets: Vec<String>,
    /// Taxonomy names with static filter pages (front matter `filters`).
    pub filters: Vec<String>,
    /// Filter pages per taxonomy in `filters`, filled after taxonomies are collected.
    pub facets: Vec<Facet>,
    /// Write `search.json` with the section's pages.
    pub search_index: bool,
    /// Parent section, `None` for the root.
    pub parent: Option<usize>,
    /// Listed pages, sorted.
    pub pages: Vec<usize>,
    /// Direct subsections, sorted by weight then path.
    pub subsections: Vec<usize>,
    pub body: Body,
    pub rendered: Rendered,
}

/// One taxonomy term (e.g. `Mentorprogram` in `fokusomrade`).
#[derive(Debug, Clone)]
pub struct Term {
    pub name: String,
    pub slug: String,
    pub path: String,
    /// Listed pages with this term, newest first.
    pub pages: Vec<usize>,
}

/// A taxonomy in one language, with its terms, in Norwegian alphabetical order.
#[derive(Debug, Clone)]
pub struct Taxonomy {
    pub name: String,
    /// The language of its pages and listings.
    pub lang: String,
    pub title: String,
    pub path: String,
    pub paginate_by: Option<usize>,
    pub terms: Vec<Term>,
    /// Term slug → index in `terms`.
    pub by_slug: HashMap<String, usize>,
}

impl Taxonomy {
    /// A taxonomy with its terms (in display order), indexed by slug.
    pub fn new(
        name: String,
        lang: String,
        title: String,
        path: String,
        paginate_by: Option<usize>,
        terms: Vec<Term>,
    ) -> Self {
        let by_slug = terms.iter().enumerate().map(|(k, t)| (t.slug.clone(), k)).collect();
        Taxonomy { name, lang, title, path, paginate_by, terms, by_slug }
    }

    /// The term with this name (compared by slug, so case and accents may differ).
    pub fn term(&self, name: &str) -> Option<&Term> {
        self.by_slug.get(&crate::slug::slugify(name)).map(|&k| &self.terms[k])
    }
}

/// One taxonomy's filter pages of a section (`/tips/malgruppe/<term>/`).
#[derive(Debug, Clone)]
pub struct Facet {
    /// Index into `Site::taxonomies`.
    pub taxonomy: usize,
    pub terms: Vec<FacetTerm>,
}

/// The filter page of one term: the section's listed pages with that term, in section order.
#[derive(Debug, Clone)]
pub struct FacetTerm {
    /// Index into the taxonomy's terms.
    pub term: usize,
    /// Site path, e.g. `/tips/malgruppe/ledere/`.
    pub path: String,
    pub pages: Vec<usize>,
}

/// A reference to a page or a section by index.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Item {
    Page(usize),
    Section(usize),
}

/// Everything the content tree holds, ready for rendering.
#[derive(Debug, Clone, Default)]
pub struct Site {
    pub pages: Vec<Page>,
    pub sections: Vec<Section>,
    pub taxonomies: Vec<Taxonomy>,
    /// `content/`-relative source path → item, for `@/` links and `get_page`.
    pub by_source: HashMap<String, Item>,
    /// Source paths of drafts left out of this build, to explain links to them.
    pub skipped_drafts: Vec<String>,
    /// Source paths that failed to load; links to them are not reported again.
    pub failed: Vec<String>,
    /// Every item by its path without language (`tips/x.md`): the item in each language it
    /// exists in, the default language first.
    pub translations: HashMap<String, Vec<Item>>,
}

impl Site {
    /// The site path (`/tips/x/`) of an item.
    pub fn item_path(&self, item: Item) -> &str {
        match item {
            Item::Page(i) => &self.pages[i].path,
            Item::Section(i) => &self.sections[i].path,
        }
    }

    /// The index of the taxonomy called `name` in language `lang`.
    pub fn taxonomy_index(&self, name: &str, lang: &str) -> Option<usize> {
        self.taxonomies.iter().position(|t| t.name == name && t.lang == lang)
    }

    /// The source of an item.
    pub fn item_source(&self, item: Item) -> &Source {
        match item {
            Item::Page(i) => &self.pages[i].source,
            Item::Section(i) => &self.sections[i].source,
        }
    }

    /// An item in every language it exists in (itself included), the default language first.
    pub fn translations_of(&self, item: Item) -> &[Item] {
        self.translations.get(&self.item_source(item).key).map_or(&[], Vec::as_slice)
    }

    /// The item's version in language `lang`, if there is one.
    pub fn translation_in(&self, item: Item, lang: &str) -> Option<Item> {
        self.translations_of(item).iter().copied().find(|&t| self.item_source(t).lang == lang)
    }

    /// Fills [`Site::translations`] from the items (languages in `order`).
    pub fn index_translations(&mut self, order: &[&str]) {
        let mut map: HashMap<String, Vec<Item>> = HashMap::with_capacity(self.pages.len() + self.sections.len());
        let items = (0..self.sections.len()).map(Item::Section).chain((0..self.pages.len()).map(Item::Page));
        for item in items {
            map.entry(self.item_source(item).key.clone()).or_default().push(item);
        }
        let rank = |lang: &str| order.iter().position(|l| *l == lang).unwrap_or(usize::MAX);
        for list in map.values_mut() {
            list.sort_by_key(|&i| rank(&self.item_source(i).lang));
        }
        self.translations = map;
    }

    /// The rendered part of an item.
    pub fn item_rendered(&self, item: Item) -> &Rendered {
        match item {
            Item::Page(i) => &self.pages[i].rendered,
            Item::Section(i) => &self.sections[i].rendered,
        }
    }
}
