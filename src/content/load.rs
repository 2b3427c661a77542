//! Assembles the [`Site`] from `content/`: sections first (their folders decide where pages
//! belong), then pages, read in parallel, then the files beside them, the listings and the
//! taxonomies. Every problem becomes a diagnostic; loading never stops at the first one.

use super::listing::list_pages;
use super::resolve::{parse_page, parse_section, resolve_page, resolve_section};
use super::walk::{dir_path, file_name, parent_dir, walk, Walk};
use super::{taxonomy, Body, Item, Page, Section, Site, SortBy, Source, Spans};
use crate::config::Config;
use crate::date::Date;
use crate::error::{Diagnostic, Diagnostics};
use crate::msg;
use rayon::prelude::*;
use std::collections::{BTreeSet, HashMap};
use std::path::{Path, PathBuf};

/// Options that change what is loaded.
#[derive(Debug, Clone)]
pub struct LoadOptions {
    /// Include pages and sections marked `draft = true`.
    pub drafts: bool,
    /// Pages dated after this day are rendered but not listed.
    pub today: Date,
    /// Markdown (bytes on disk) up to which pages keep their texts, markdown and HTML, in
    /// memory; the pages beyond it read and render their text again where it is needed, so
    /// memory stays bounded on a large site (see [`super::Body`]).
    pub text_budget: u64,
}

/// A non-markdown file under `content/` and where it goes in the output.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ContentFile {
    /// Output path relative to the output root (no leading slash).
    pub output: String,
    /// Source path relative to `content/`.
    pub relative: String,
    /// Source file.
    pub source: PathBuf,
}

/// The sections that loaded, by folder and language, and the folders hidden as drafts.
struct Sections {
    list: Vec<Section>,
    by_dir: HashMap<(String, String), usize>,
    /// (folder, language) of draft sections.
    draft_dirs: Vec<(String, String)>,
}

impl Sections {
    /// Is this path inside a draft section of its language (which hides everything below it)?
    fn in_draft(&self, rel: &str, lang: &str) -> bool {
        self.draft_dirs.iter().any(|(d, l)| l == lang && (d.is_empty() || rel.starts_with(&format!("{d}/"))))
    }

    /// The section of language `lang` whose folder is `dir` or the nearest above it.
    fn nearest(&self, dir: &str, lang: &str) -> Option<usize> {
        let mut d = dir;
        loop {
            if let Some(&i) = self.by_dir.get(&(d.to_string(), lang.to_string())) {
                return Some(i);
            }
            if d.is_empty() {
                return None;
            }
            d = parent_dir(d);
        }
    }

    /// Is `dir` a section's folder in any language?
    fn is_section_dir(&self, dir: &str) -> bool {
        self.by_dir.keys().any(|(d, _)| d == dir)
    }
}

/// A markdown file with its language and its path without the language.
struct Md<'a> {
    rel: &'a str,
    lang: String,
    key: String,
}

/// Loads the content tree of the site. Returns the site with every item that loaded, the
/// files to copy, and the problems found; the caller fails the build if any is an error,
/// after collecting later stages' problems too.
pub fn load(config: &Config, opts: &LoadOptions) -> (Site, Vec<ContentFile>, Diagnostics) {
    let content = config.layout.content();
    if !content.is_dir() {
        return (Site::default(), Vec::new(), Diagnostic::error("content", msg!("content.missing_folder")).into());
    }
    let walk = match walk(&content) {
        Ok(w) => w,
        Err(d) => return (Site::default(), Vec::new(), d.into()),
    };
    let mut diags = Vec::new();
    let mut failed = Vec::new();
    // Each file's language from its name (`x.nn.md`); a language the site does not have is
    // an error, never a page of the default language.
    let mut md = Vec::with_capacity(walk.markdown.len());
    for rel in &walk.markdown {
        match super::walk::language_of(rel, config) {
            Ok((lang, key)) => md.push(Md { rel, lang, key }),
            Err(code) => {
                failed.push(rel.clone());
                let known: Vec<String> = config.languages.iter().map(|l| l.code.clone()).collect();
                let m = if code == config.language {
                    msg!("content.default_language_suffix", code = &code, rel = rel.as_str())
                } else {
                    msg!(
                        "content.unknown_language",
                        code = &code,
                        known = crate::messages::and_list(&known.iter().map(String::as_str).collect::<Vec<_>>())
                    )
                };
                diags.push(Diagnostic::error(format!("content/{rel}"), m));
            }
        }
    }
    let sections = load_sections(config, opts, &content, &md, &mut diags, &mut failed);
    let (mut pages, bundle_dirs, skipped_drafts) =
        load_pages(config, opts, &content, &md, &sections, &mut diags, &mut failed);
    let mut sections = sections;
    let files = place_files(config, &content, &walk, &mut sections, &bundle_dirs, &mut pages);
    let mut site = Site {
        pages,
        sections: sections.list,
        taxonomies: Vec::new(),
        by_source: HashMap::with_capacity(walk.markdown.len()),
        skipped_drafts,
        failed,
        translations: HashMap::new(),
    };
    for (i, s) in site.sections.iter().enumerate() {
        site.by_source.insert(s.source.relative.clone(), Item::Section(i));
    }
    for (i, p) in site.pages.iter().enumerate() {
        site.by_source.insert(p.source.relative.clone(), Item::Page(i));
    }
    site.index_translations(&config.language_codes());
    list_pages(&mut site);
    super::listing::add_fallbacks(config, &mut site);
    site.taxonomies = taxonomy::collect(config, &site);
    taxonomy::facets(&mut site);
    (site, files, Diagnostics(diags))
}

/// Reads every `_index.md` (and `_index.<lang>.md`); drafts hide their folders in their
/// language (unless drafts are built). Every language has a root section: the implicit one
/// when there is no `_index.md` for it.
fn load_sections(
    config: &Config,
    opts: &LoadOptions,
    content: &Path,
    md: &[Md<'_>],
    diags: &mut Vec<Diagnostic>,
    failed: &mut Vec<String>,
) -> Sections {
    let files: Vec<&Md<'_>> = md.iter().filter(|m| file_name(&m.key) == "_index.md").collect();
    let parsed: Vec<_> = files.par_iter().map(|m| (*m, parse_section(content, m.rel))).collect();
    let mut draft_dirs = Vec::new();
    let mut kept = Vec::new();
    for (m, parsed) in parsed {
        match parsed {
            Err(d) => {
                failed.push(m.rel.to_string());
                diags.push(d);
            }
            Ok(p) if p.fm.draft == Some(true) && !opts.drafts => {
                draft_dirs.push((parent_dir(&m.key).to_string(), m.lang.clone()))
            }
            Ok(p) => kept.push((m, p)),
        }
    }
    // Roots first (the default language's first), then by path.
    let rank = |m: &Md<'_>| (m.key != "_index.md", m.lang != config.language, m.rel.to_string());
    kept.sort_by_key(|(m, _)| rank(m));
    let mut s = Sections { list: Vec::new(), by_dir: HashMap::new(), draft_dirs };
    for lang in config.language_codes() {
        if !files.iter().any(|m| m.key == "_index.md" && m.lang == lang) {
            s.by_dir.insert((String::new(), lang.to_string()), s.list.len());
            s.list.push(implicit_root(config, content, lang));
        }
    }
    for (m, p) in kept {
        if s.in_draft(&m.key, &m.lang) {
            continue;
        }
        s.by_dir.insert((parent_dir(&m.key).to_string(), m.lang.clone()), s.list.len());
        s.list.push(resolve_section(config, content, m.rel, p, diags));
    }
    let parents: Vec<Option<usize>> = s
        .list
        .iter()
        .map(|sec| {
            let dir = parent_dir(&sec.source.key);
            if dir.is_empty() {
                None
            } else {
                s.nearest(parent_dir(dir), &sec.source.lang)
            }
        })
        .collect();
    for (sec, parent) in s.list.iter_mut().zip(parents) {
        sec.parent = parent;
    }
    s
}

/// Reads every page (keeping bodies while they fit the text budget); returns them, the page
/// bundles' folders and the drafts left out.
fn load_pages(
    config: &Config,
    opts: &LoadOptions,
    content: &Path,
    md: &[Md<'_>],
    sections: &Sections,
    diags: &mut Vec<Diagnostic>,
    failed: &mut Vec<String>,
) -> (Vec<Page>, BTreeSet<String>, Vec<String>) {
    let bundle_dirs: BTreeSet<String> = md
        .iter()
        .filter(|m| file_name(&m.key) == "index.md" && !sections.is_section_dir(parent_dir(&m.key)))
        .map(|m| parent_dir(&m.key).to_string())
        .collect();
    let files: Vec<&Md<'_>> =
        md.iter().filter(|m| file_name(&m.key) != "_index.md" && !sections.in_draft(&m.key, &m.lang)).collect();
    /// What became of one file.
    enum Loaded {
        Page(Box<Page>),
        Draft,
        Failed,
        Homeless,
    }
    // Read, parse and resolve in parallel; only the results are gathered in order.
    let budget = std::sync::atomic::AtomicU64::new(opts.text_budget);
    let loaded: Vec<(&str, Loaded, Vec<Diagnostic>)> = files
        .par_iter()
        .map(|m| {
            let rel = m.rel;
            let p = match parse_page(content, rel, &budget) {
                Err(d) => return (rel, Loaded::Failed, vec![d]),
                Ok(p) => p,
            };
            if p.fm.draft == Some(true) && !opts.drafts {
                return (rel, Loaded::Draft, Vec::new());
            }
            let is_bundle = file_name(&m.key) == "index.md" && bundle_dirs.contains(parent_dir(&m.key));
            let home_dir = if is_bundle { parent_dir(parent_dir(&m.key)) } else { parent_dir(&m.key) };
            let Some(section) = sections.nearest(home_dir, &m.lang) else { return (rel, Loaded::Homeless, Vec::new()) };
            let mut found = Vec::new();
            match resolve_page(config, &opts.today, content, rel, is_bundle, section, p, &mut found) {
                Some(page) => (rel, Loaded::Page(Box::new(page)), found),
                None => (rel, Loaded::Failed, found),
            }
        })
        .collect();
    let mut pages = Vec::with_capacity(loaded.len());
    let mut skipped_drafts = Vec::new();
    for (rel, result, found) in loaded {
        diags.extend(found);
        match result {
            Loaded::Page(page) => pages.push(*page),
            Loaded::Draft => skipped_drafts.push(rel.to_string()),
            Loaded::Failed => failed.push(rel.to_string()),
            Loaded::Homeless => {}
        }
    }
    (pages, bundle_dirs, skipped_drafts)
}

/// Files beside the markdown: a bundle's files go beside its page (beside each of its
/// translations too), the rest keep their folder. Files of draft sections and of bundles
/// whose page is left out stay out with them.
fn place_files(
    config: &Config,
    content: &Path,
    walk: &Walk,
    sections: &mut Sections,
    bundle_dirs: &BTreeSet<String>,
    pages: &mut [Page],
) -> Vec<ContentFile> {
    let mut bundle_pages: HashMap<String, Vec<usize>> = HashMap::new();
    for (i, p) in pages.iter().enumerate() {
        let key = &p.source.key;
        if key.ends_with("/index.md") && bundle_dirs.contains(parent_dir(key)) {
            bundle_pages.entry(parent_dir(key).to_string()).or_default().push(i);
        }
    }
    let mut files = Vec::new();
    for rel in &walk.others {
        if sections.in_draft(rel, &config.language) {
            continue;
        }
        let mut dir = parent_dir(rel);
        let owner = loop {
            if let Some(list) = bundle_pages.get(dir) {
                break Some((list, dir));
            }
            if dir.is_empty() {
                break None;
            }
            dir = parent_dir(dir);
        };
        match owner {
            Some((list, bundle)) => {
                for &i in list {
                    let url = format!("{}{}", pages[i].path, &rel[bundle.len() + 1..]);
                    pages[i].assets.push(url.clone());
                    files.push(ContentFile {
                        output: url[1..].to_string(),
                        relative: rel.clone(),
                        source: content.join(rel),
                    });
                }
            }
            None if bundle_dirs.iter().any(|b| rel.starts_with(&format!("{b}/"))) => continue,
            None => {
                let out = format!("{}{}", dir_path(parent_dir(rel)), file_name(rel));
                for ((d, _), &s) in &sections.by_dir {
                    if d == parent_dir(rel) {
                        sections.list[s].assets.push(out.clone());
                    }
                }
                files.push(ContentFile {
                    output: out[1..].to_string(),
                    relative: rel.clone(),
                    source: content.join(rel),
                });
            }
        }
    }
    files
}

/// A language's root section when there is no `content/_index.md` (`_index.<lang>.md`).
fn implicit_root(config: &Config, content: &Path, lang: &str) -> Section {
    let relative = if lang == config.language { "_index.md".to_string() } else { format!("_index.{lang}.md") };
    Section {
        source: Source {
            file: format!("content/{relative}"),
            abs: content.join(&relative),
            relative,
            lang: lang.to_string(),
            key: "_index.md".into(),
        },
        title: config.title_in(lang).to_string(),
        description: Some(config.description_in(lang).to_string()).filter(|d| !d.is_empty()),
        path: format!("{}/", config.lang_prefix(lang)),
        sort_by: SortBy::None,
        weight: None,
        template: None,
        page_template: None,
        paginate_by: None,
        paginate_path: "page".into(),
        paginate_reversed: false,
        transparent: false,
        render: true,
        redirect_to: None,
        aliases: Vec::new(),
        extra: toml::Table::new(),
        spans: Spans::default(),
        assets: Vec::new(),
        filters: Vec::new(),
        facets: Vec::new(),
        search_index: false,
        parent: None,
        pages: Vec::new(),
        subsections: Vec::new(),
        body: Body::empty(),
        rendered: Default::default(),
    }
}
