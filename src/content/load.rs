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

/// The sections that loaded, by folder, and the folders hidden as drafts.
struct Sections {
    list: Vec<Section>,
    by_dir: HashMap<String, usize>,
    draft_dirs: Vec<String>,
}

impl Sections {
    /// Is this path inside a draft section (which hides everything below it)?
    fn in_draft(&self, rel: &str) -> bool {
        self.draft_dirs.iter().any(|d| d.is_empty() || rel.starts_with(&format!("{d}/")))
    }

    /// The section whose folder is `dir` or the nearest above it.
    fn nearest(&self, dir: &str) -> Option<usize> {
        let mut d = dir;
        loop {
            if let Some(&i) = self.by_dir.get(d) {
                return Some(i);
            }
            if d.is_empty() {
                return None;
            }
            d = parent_dir(d);
        }
    }
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
    let sections = load_sections(config, opts, &content, &walk, &mut diags, &mut failed);
    let (mut pages, bundle_dirs, skipped_drafts) =
        load_pages(config, opts, &content, &walk, &sections, &mut diags, &mut failed);
    let mut sections = sections;
    let files = place_files(&content, &walk, &mut sections, &bundle_dirs, &mut pages);
    let mut site = Site {
        pages,
        sections: sections.list,
        taxonomies: Vec::new(),
        by_source: HashMap::with_capacity(walk.markdown.len()),
        skipped_drafts,
        failed,
    };
    for (i, s) in site.sections.iter().enumerate() {
        site.by_source.insert(s.source.relative.clone(), Item::Section(i));
    }
    for (i, p) in site.pages.iter().enumerate() {
        site.by_source.insert(p.source.relative.clone(), Item::Page(i));
    }
    list_pages(&mut site);
    site.taxonomies = taxonomy::collect(config, &site);
    taxonomy::facets(&mut site);
    (site, files, Diagnostics(diags))
}

/// Reads every `_index.md`; drafts hide their folders (unless drafts are built).
fn load_sections(
    config: &Config,
    opts: &LoadOptions,
    content: &Path,
    walk: &Walk,
    diags: &mut Vec<Diagnostic>,
    failed: &mut Vec<String>,
) -> Sections {
    let files: Vec<&String> = walk.markdown.iter().filter(|r| file_name(r) == "_index.md").collect();
    let parsed: Vec<_> = files.par_iter().map(|rel| (rel.as_str(), parse_section(content, rel))).collect();
    let mut draft_dirs = Vec::new();
    let mut kept = Vec::new();
    for (rel, parsed) in parsed {
        match parsed {
            Err(d) => {
                failed.push(rel.to_string());
                diags.push(d);
            }
            Ok(p) if p.fm.draft == Some(true) && !opts.drafts => draft_dirs.push(parent_dir(rel).to_string()),
            Ok(p) => kept.push((rel, p)),
        }
    }
    kept.sort_by(|a, b| (a.0 != "_index.md", a.0).cmp(&(b.0 != "_index.md", b.0)));
    let mut s = Sections { list: Vec::new(), by_dir: HashMap::new(), draft_dirs };
    if !files.iter().any(|r| r.as_str() == "_index.md") {
        s.list.push(implicit_root(config, content));
        s.by_dir.insert(String::new(), 0);
    }
    for (rel, p) in kept {
        if s.in_draft(rel) {
            continue;
        }
        s.by_dir.insert(parent_dir(rel).to_string(), s.list.len());
        s.list.push(resolve_section(config, content, rel, p, diags));
    }
    let parents: Vec<Option<usize>> = s
        .list
        .iter()
        .map(|sec| {
            let dir = parent_dir(&sec.source.relative);
            if dir.is_empty() {
                None
            } else {
                s.nearest(parent_dir(dir))
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
    walk: &Walk,
    sections: &Sections,
    diags: &mut Vec<Diagnostic>,
    failed: &mut Vec<String>,
) -> (Vec<Page>, BTreeSet<String>, Vec<String>) {
    let bundle_dirs: BTreeSet<String> = walk
        .markdown
        .iter()
        .filter(|r| file_name(r) == "index.md" && !sections.by_dir.contains_key(parent_dir(r)))
        .map(|r| parent_dir(r).to_string())
        .collect();
    let files: Vec<&String> =
        walk.markdown.iter().filter(|r| file_name(r) != "_index.md" && !sections.in_draft(r)).collect();
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
        .map(|rel| {
            let p = match parse_page(content, rel, &budget) {
                Err(d) => return (rel.as_str(), Loaded::Failed, vec![d]),
                Ok(p) => p,
            };
            if p.fm.draft == Some(true) && !opts.drafts {
                return (rel.as_str(), Loaded::Draft, Vec::new());
            }
            let is_bundle = file_name(rel) == "index.md" && bundle_dirs.contains(parent_dir(rel));
            let home_dir = if is_bundle { parent_dir(parent_dir(rel)) } else { parent_dir(rel) };
            let Some(section) = sections.nearest(home_dir) else { return (rel.as_str(), Loaded::Homeless, Vec::new()) };
            let mut found = Vec::new();
            match resolve_page(config, &opts.today, content, rel, is_bundle, section, p, &mut found) {
                Some(page) => (rel.as_str(), Loaded::Page(Box::new(page)), found),
                None => (rel.as_str(), Loaded::Failed, found),
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

/// Files beside the markdown: a bundle's files go beside its page, the rest keep their
/// folder. Files of draft sections and of bundles whose page is left out stay out with them.
fn place_files(
    content: &Path,
    walk: &Walk,
    sections: &mut Sections,
    bundle_dirs: &BTreeSet<String>,
    pages: &mut [Page],
) -> Vec<ContentFile> {
    let bundle_page: HashMap<String, usize> = pages
        .iter()
        .enumerate()
        .filter(|(_, p)| {
            p.source.relative.ends_with("/index.md") && bundle_dirs.contains(parent_dir(&p.source.relative))
        })
        .map(|(i, p)| (parent_dir(&p.source.relative).to_string(), i))
        .collect();
    let mut files = Vec::new();
    for rel in &walk.others {
        if sections.in_draft(rel) {
            continue;
        }
        let mut dir = parent_dir(rel);
        let owner = loop {
            if let Some(&i) = bundle_page.get(dir) {
                break Some((i, dir));
            }
            if dir.is_empty() {
                break None;
            }
            dir = parent_dir(dir);
        };
        let output = match owner {
            Some((i, bundle)) => {
                let url = format!("{}{}", pages[i].path, &rel[bundle.len() + 1..]);
                pages[i].assets.push(url.clone());
                url[1..].to_string()
            }
            None if bundle_dirs.iter().any(|b| rel.starts_with(&format!("{b}/"))) => continue,
            None => {
                let out = format!("{}{}", dir_path(parent_dir(rel)), file_name(rel));
                if let Some(&s) = sections.by_dir.get(parent_dir(rel)) {
                    sections.list[s].assets.push(out.clone());
                }
                out[1..].to_string()
            }
        };
        files.push(ContentFile { output, relative: rel.clone(), source: content.join(rel) });
    }
    files
}

/// The root section when there is no `content/_index.md`.
fn implicit_root(config: &Config, content: &Path) -> Section {
    Section {
        source: Source {
            relative: "_index.md".into(),
            file: "content/_index.md".into(),
            abs: content.join("_index.md"),
            lang: config.language.clone(),
        },
        title: config.title.clone(),
        description: Some(config.description.clone()).filter(|d| !d.is_empty()),
        path: "/".into(),
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
