//! Walks `content/`, parses every markdown file's front matter in parallel, and assembles the
//! [`Site`]: sections with their sorted listings, pages with their URLs, bundles' files, and
//! taxonomies. Every problem becomes a diagnostic; loading never stops at the first one.

use super::frontmatter::{self, PageFrontMatter, SectionFrontMatter, Split};
use super::{taxonomy, Body, Item, Page, Section, Site, SortBy, Source};
use crate::config::Config;
use crate::date::Date;
use crate::error::{suggest, Diagnostic, Diagnostics};
use crate::slug::{norwegian_sort_key, slugify};
use rayon::prelude::*;
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::{Path, PathBuf};
use toml::Spanned;

/// Options that change what is loaded.
#[derive(Debug, Clone)]
pub struct LoadOptions {
    /// Include pages and sections marked `draft = true`.
    pub drafts: bool,
    /// Pages dated after this day are rendered but not listed.
    pub today: Date,
}

/// A non-markdown file under `content/` and where it goes in the output.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ContentFile {
    /// Output path relative to the output root (no leading slash).
    pub output: String,
    /// Source file.
    pub source: PathBuf,
}

/// Is this a file an editor or the OS leaves around, which must never become content?
pub fn is_temp_file(name: &str) -> bool {
    name.starts_with('.')
        || name.starts_with('#')
        || name.ends_with('~')
        || name.ends_with(".swp")
        || name.ends_with(".swx")
        || name.ends_with(".tmp")
        || name.ends_with(".bak")
        || name.starts_with("~$")
        || name == "4913"
        || name.eq_ignore_ascii_case("Thumbs.db")
        || name.eq_ignore_ascii_case("desktop.ini")
}

struct Walk {
    /// Markdown files, `content/`-relative.
    markdown: Vec<String>,
    /// Other files, `content/`-relative.
    others: Vec<String>,
}

fn walk(content: &Path) -> Result<Walk, Diagnostic> {
    let mut w = Walk { markdown: Vec::new(), others: Vec::new() };
    let walker = walkdir::WalkDir::new(content)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| e.depth() == 0 || !is_temp_file(&e.file_name().to_string_lossy()));
    for entry in walker {
        let entry =
            entry.map_err(|e| Diagnostic::new("content", 1, 1, format!("cannot read the content folder: {e}")))?;
        if !entry.file_type().is_file() {
            continue;
        }
        let rel = entry.path().strip_prefix(content).unwrap_or(entry.path());
        let rel: String = rel.components().map(|c| c.as_os_str().to_string_lossy()).collect::<Vec<_>>().join("/");
        if rel.ends_with(".md") {
            w.markdown.push(rel);
        } else {
            w.others.push(rel);
        }
    }
    Ok(w)
}

pub(super) fn parent_dir(rel: &str) -> &str {
    rel.rfind('/').map_or("", |i| &rel[..i])
}

pub(super) fn file_name(rel: &str) -> &str {
    rel.rfind('/').map_or(rel, |i| &rel[i + 1..])
}

/// Site path of a content folder: each component slugified, e.g. `Gamle Tips/x` → `/gamle-tips/x/`.
fn dir_path(dir: &str) -> String {
    let mut p = String::from("/");
    for c in dir.split('/').filter(|c| !c.is_empty()) {
        p.push_str(&slugify(c));
        p.push('/');
    }
    p
}

pub(super) struct Parsed<T> {
    pub(super) fm: T,
    front_matter: String,
    front_matter_line: usize,
    body: Body,
}

pub(super) fn parse_file<T: for<'de> serde::Deserialize<'de>>(
    content: &Path,
    rel: &str,
) -> Result<Parsed<T>, Diagnostic> {
    let file = format!("content/{rel}");
    let bytes =
        std::fs::read(content.join(rel)).map_err(|e| Diagnostic::new(&file, 1, 1, format!("cannot read file: {e}")))?;
    let text = String::from_utf8(bytes).map_err(|e| {
        let (line, col) =
            crate::error::line_col(&String::from_utf8_lossy(&e.as_bytes()[..e.utf8_error().valid_up_to()]), usize::MAX);
        Diagnostic::new(&file, line, col, "the file is not valid UTF-8 text: save it as UTF-8 in your editor")
    })?;
    let split: Split<'_> = frontmatter::split(&file, &text)?;
    let fm = frontmatter::parse::<T>(&file, &split)?;
    Ok(Parsed {
        fm,
        front_matter: split.front_matter.to_string(),
        front_matter_line: split.front_matter_line,
        body: Body { markdown: split.body.to_string(), line: split.body_line },
    })
}

/// Loads the content tree of the site at `config.root`.
/// Returns the site with every item that loaded, the files to copy, and the problems found;
/// the caller fails the build if there are any, after collecting later stages' problems too.
pub fn load(config: &Config, opts: &LoadOptions) -> (Site, Vec<ContentFile>, Diagnostics) {
    let content = config.root.join("content");
    if !content.is_dir() {
        let d = Diagnostic::new("content", 1, 1, "the content/ folder is missing: create it and add content/_index.md");
        return (Site::default(), Vec::new(), d.into());
    }
    let walk = match walk(&content) {
        Ok(w) => w,
        Err(d) => return (Site::default(), Vec::new(), d.into()),
    };
    let mut failed = Vec::new();
    let mut diags = Diagnostics::default();

    // Sections first: their folders decide where pages belong.
    let section_files: Vec<&String> = walk.markdown.iter().filter(|r| file_name(r) == "_index.md").collect();
    let parsed_sections: Vec<_> =
        section_files.par_iter().map(|rel| (rel.as_str(), parse_file::<SectionFrontMatter>(&content, rel))).collect();
    let mut draft_dirs: Vec<String> = Vec::new();
    let mut kept = Vec::new();
    for (rel, parsed) in parsed_sections {
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
    // A draft section hides everything below it.
    let in_draft = |rel: &str| draft_dirs.iter().any(|d| d.is_empty() || rel.starts_with(&format!("{d}/")));
    let mut sections: Vec<Section> = Vec::new();
    let mut section_by_dir: HashMap<String, usize> = HashMap::new();
    if !section_files.iter().any(|r| r.as_str() == "_index.md") {
        sections.push(implicit_root(config, &content));
        section_by_dir.insert(String::new(), 0);
    }
    for (rel, p) in kept.into_iter().filter(|(rel, _)| !in_draft(rel)) {
        section_by_dir.insert(parent_dir(rel).to_string(), sections.len());
        sections.push(resolve_section(config, &content, rel, p, &mut diags));
    }
    let nearest_section = |dir: &str| -> Option<usize> {
        let mut d = dir;
        loop {
            if let Some(&i) = section_by_dir.get(d) {
                return Some(i);
            }
            if d.is_empty() {
                return None;
            }
            d = parent_dir(d);
        }
    };
    for s in sections.iter_mut() {
        let dir = parent_dir(&s.source.relative);
        s.parent = if dir.is_empty() { None } else { nearest_section(parent_dir(dir)) };
    }

    // Pages.
    let bundle_dirs: BTreeSet<String> = walk
        .markdown
        .iter()
        .filter(|r| file_name(r) == "index.md" && !section_by_dir.contains_key(parent_dir(r)))
        .map(|r| parent_dir(r).to_string())
        .collect();
    let page_files: Vec<&String> =
        walk.markdown.iter().filter(|r| file_name(r) != "_index.md" && !in_draft(r)).collect();
    let parsed_pages: Vec<_> =
        page_files.par_iter().map(|rel| (rel.as_str(), parse_file::<PageFrontMatter>(&content, rel))).collect();
    let mut pages: Vec<Page> = Vec::new();
    let mut skipped_drafts = Vec::new();
    for (rel, parsed) in parsed_pages {
        let p = match parsed {
            Err(d) => {
                failed.push(rel.to_string());
                diags.push(d);
                continue;
            }
            Ok(p) => p,
        };
        if p.fm.draft == Some(true) && !opts.drafts {
            skipped_drafts.push(rel.to_string());
            continue;
        }
        let is_bundle = file_name(rel) == "index.md" && bundle_dirs.contains(parent_dir(rel));
        let home_dir = if is_bundle { parent_dir(parent_dir(rel)) } else { parent_dir(rel) };
        let Some(section) = nearest_section(home_dir) else { continue };
        match resolve_page(config, opts, &content, rel, is_bundle, section, p, &mut diags) {
            Some(page) => pages.push(page),
            None => failed.push(rel.to_string()),
        }
    }

    // Files beside the markdown: bundle assets go beside their page, the rest keep their folder.
    let mut files = Vec::new();
    let bundle_page: HashMap<String, usize> = pages
        .iter()
        .enumerate()
        .filter(|(_, p)| {
            p.source.relative.ends_with("/index.md") && bundle_dirs.contains(parent_dir(&p.source.relative))
        })
        .map(|(i, p)| (parent_dir(&p.source.relative).to_string(), i))
        .collect();
    for rel in walk.others.iter().filter(|r| !in_draft(r)) {
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
                let inner = &rel[bundle.len() + 1..];
                let url = format!("{}{inner}", pages[i].path);
                pages[i].assets.push(url.clone());
                url[1..].to_string()
            }
            None => {
                let out = format!("{}{}", dir_path(parent_dir(rel)), file_name(rel));
                if let Some(&s) = section_by_dir.get(parent_dir(rel)) {
                    sections[s].assets.push(out.clone());
                }
                out[1..].to_string()
            }
        };
        files.push(ContentFile { output, source: content.join(rel) });
    }

    let mut site = Site { pages, sections, taxonomies: Vec::new(), by_source: HashMap::new(), skipped_drafts, failed };
    for (i, s) in site.sections.iter().enumerate() {
        site.by_source.insert(s.source.relative.clone(), Item::Section(i));
    }
    for (i, p) in site.pages.iter().enumerate() {
        site.by_source.insert(p.source.relative.clone(), Item::Page(i));
    }
    list_pages(&mut site);
    site.taxonomies = taxonomy::collect(config, &site);
    taxonomy::facets(&mut site);
    (site, files, diags)
}

fn implicit_root(config: &Config, content: &Path) -> Section {
    Section {
        source: Source {
            relative: "_index.md".into(),
            file: "content/_index.md".into(),
            abs: content.join("_index.md"),
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
        lang: config.language.clone(),
        assets: Vec::new(),
        filters: Vec::new(),
        facets: Vec::new(),
        search_index: false,
        parent: None,
        pages: Vec::new(),
        subsections: Vec::new(),
        body: Body::default(),
        rendered: Default::default(),
    }
}

/// Checks a template name from front matter; returns it with its file line for later errors.
fn template_name(
    file: &str,
    p_fm: &str,
    line: usize,
    t: Option<Spanned<String>>,
    diags: &mut Diagnostics,
) -> Option<String> {
    let t = t?;
    let name = t.get_ref().trim();
    if name.is_empty() || name.contains("..") || name.starts_with('/') {
        diags.push(Diagnostic::at_offset(
            file,
            p_fm,
            t.span().start,
            line,
            format!("`{name}` is not a template name; write a file name from templates/, e.g. \"page.html\""),
        ));
        return None;
    }
    Some(name.to_string())
}

pub(super) fn resolve_section(
    config: &Config,
    content: &Path,
    rel: &str,
    p: Parsed<SectionFrontMatter>,
    diags: &mut Diagnostics,
) -> Section {
    let file = format!("content/{rel}");
    let dir = parent_dir(rel);
    let fm = p.fm;
    let sort_by = match fm.sort_by.as_ref().map(|s| s.get_ref().as_str()) {
        None | Some("none") => SortBy::None,
        Some("date") | Some("update_date") => SortBy::Date,
        Some("weight") => SortBy::Weight,
        Some("title") | Some("title_bytes") | Some("slug") => SortBy::Title,
        Some(other) => {
            let span = fm.sort_by.as_ref().map(|s| s.span()).unwrap_or(0..0);
            let (fm_text, off, line) = (p.front_matter.as_str(), span.start, p.front_matter_line);
            let hint = suggest(other, ["date", "weight", "title", "none"])
                .map(|s| format!("; did you mean \"{s}\"?"))
                .unwrap_or_default();
            diags.push(Diagnostic::at_offset(
                &file,
                fm_text,
                off,
                line,
                format!(
                    "sort_by = \"{other}\" is not a sort order: use \"date\", \"weight\", \"title\" or \"none\"{hint}"
                ),
            ));
            SortBy::None
        }
    };
    let title = fm.title.unwrap_or_else(|| {
        if dir.is_empty() {
            config.title.clone()
        } else {
            crate::slug::humanize(file_name(dir))
        }
    });
    Section {
        source: Source { relative: rel.to_string(), file: file.clone(), abs: content.join(rel) },
        title,
        description: fm.description,
        path: dir_path(dir),
        sort_by,
        weight: fm.weight,
        template: template_name(&file, &p.front_matter, p.front_matter_line, fm.template, diags),
        page_template: template_name(&file, &p.front_matter, p.front_matter_line, fm.page_template, diags),
        paginate_by: fm.paginate_by.filter(|n| *n > 0),
        paginate_path: fm.paginate_path.map(|s| slugify(&s)).filter(|s| !s.is_empty()).unwrap_or_else(|| "page".into()),
        paginate_reversed: fm.paginate_reversed.unwrap_or(false),
        transparent: fm.transparent.unwrap_or(false),
        render: fm.render.unwrap_or(true),
        redirect_to: fm.redirect_to,
        aliases: aliases(&file, &p.front_matter, p.front_matter_line, fm.aliases, diags),
        extra: fm.extra.unwrap_or_default(),
        lang: config.language.clone(),
        assets: Vec::new(),
        filters: filters(config, &file, &p.front_matter, p.front_matter_line, fm.filters, diags),
        facets: Vec::new(),
        search_index: fm.search_index.unwrap_or(false),
        parent: None,
        pages: Vec::new(),
        subsections: Vec::new(),
        body: p.body,
        rendered: Default::default(),
    }
}

/// `filters = [...]`: each must name a taxonomy from site.toml.
fn filters(
    config: &Config,
    file: &str,
    fm: &str,
    line: usize,
    list: Option<Vec<Spanned<String>>>,
    diags: &mut Diagnostics,
) -> Vec<String> {
    let names = || config.taxonomies.iter().map(|t| t.name.as_str());
    let mut out = Vec::new();
    for f in list.unwrap_or_default() {
        if names().any(|n| n == f.get_ref()) {
            out.push(f.into_inner());
            continue;
        }
        let hint = match suggest(f.get_ref(), names()) {
            Some(s) => format!("did you mean \"{s}\"?"),
            None => format!("the taxonomies are: {}", names().collect::<Vec<_>>().join(", ")),
        };
        let msg = format!("filters: `{}` is not a taxonomy in site.toml; {hint}", f.get_ref());
        diags.push(Diagnostic::at_offset(file, fm, f.span().start, line, msg));
    }
    out
}

fn aliases(
    file: &str,
    fm: &str,
    line: usize,
    list: Option<Vec<Spanned<String>>>,
    diags: &mut Diagnostics,
) -> Vec<String> {
    let mut out = Vec::new();
    for a in list.unwrap_or_default() {
        let v = a.get_ref().trim();
        if v.is_empty() || v.contains("..") || v.contains("://") || v.contains(['?', '#', '\\']) {
            diags.push(Diagnostic::at_offset(
                file,
                fm,
                a.span().start,
                line,
                format!("alias `{v}` must be a path on this site, like \"/gammel/adresse/\""),
            ));
            continue;
        }
        let trimmed = v.trim_matches('/');
        out.push(if trimmed.ends_with(".html") {
            format!("/{trimmed}")
        } else {
            format!("/{trimmed}/").replace("//", "/")
        });
    }
    out
}

fn date_field(
    file: &str,
    fm: &str,
    line: usize,
    v: Option<Spanned<toml::Value>>,
    diags: &mut Diagnostics,
) -> Option<Date> {
    let v = v?;
    let result = match v.get_ref() {
        toml::Value::Datetime(d) => Date::parse(&d.to_string()),
        toml::Value::String(s) => Date::parse(s),
        other => Err(format!("a date must be written like 2023-06-09, not as {}", other.type_str())),
    };
    result.map_err(|m| diags.push(Diagnostic::at_offset(file, fm, v.span().start, line, m))).ok()
}

/// Splits a `2023-06-09-navn` file stem into its date and the rest.
fn date_prefix(stem: &str) -> Option<(Date, &str)> {
    let (d, rest) = (stem.get(..10)?, stem.get(10..)?);
    let rest = rest.strip_prefix(['-', '_'])?;
    Some((Date::parse(d).ok()?, rest))
}

#[allow(clippy::too_many_arguments)]
pub(super) fn resolve_page(
    config: &Config,
    opts: &LoadOptions,
    content: &Path,
    rel: &str,
    is_bundle: bool,
    section: usize,
    p: Parsed<PageFrontMatter>,
    diags: &mut Diagnostics,
) -> Option<Page> {
    let file = format!("content/{rel}");
    let (fm_text, line) = (p.front_matter.as_str(), p.front_matter_line);
    let fm = p.fm;
    let before = diags.len();
    let stem = if is_bundle { file_name(parent_dir(rel)) } else { file_name(rel).trim_end_matches(".md") };
    let (file_date, stem) = match date_prefix(stem) {
        Some((d, rest)) => (Some(d), rest),
        None => (None, stem),
    };
    let title = match fm.title {
        Some(t) if !t.trim().is_empty() => t,
        _ => {
            diags.push(Diagnostic::new(
                &file,
                line.saturating_sub(1),
                1,
                "missing `title`: add a line such as title = \"Slik fikk vi flere søkere\" to the front matter",
            ));
            String::new()
        }
    };
    let slug = match &fm.slug {
        Some(s) => {
            let v = slugify(s.get_ref());
            if v.is_empty() {
                diags.push(Diagnostic::at_offset(
                    &file,
                    fm_text,
                    s.span().start,
                    line,
                    "the slug has no letters or digits to make a URL from",
                ));
            }
            v
        }
        None => {
            let v = slugify(stem);
            if v.is_empty() {
                diags.push(Diagnostic::new(&file, 1, 1, "cannot make a URL from this file name: rename the file with letters or digits, or set slug = \"...\""));
            }
            v
        }
    };
    let path = match &fm.path {
        Some(p) => {
            let t = p.get_ref().trim().trim_matches('/');
            let segs: Vec<String> = t.split('/').filter(|s| !s.is_empty()).map(slugify).collect();
            if segs.iter().any(String::is_empty) || t.contains("..") {
                diags.push(Diagnostic::at_offset(
                    &file,
                    fm_text,
                    p.span().start,
                    line,
                    format!("path = \"{}\" is not a usable URL path; write e.g. \"/om-oss/\"", p.get_ref()),
                ));
            }
            if segs.is_empty() {
                "/".to_string()
            } else {
                format!("/{}/", segs.join("/"))
            }
        }
        None => {
            let dir = if is_bundle { parent_dir(parent_dir(rel)) } else { parent_dir(rel) };
            format!("{}{slug}/", dir_path(dir))
        }
    };
    let date = date_field(&file, fm_text, line, fm.date, diags).or(file_date);
    let updated = date_field(&file, fm_text, line, fm.updated, diags);
    let mut taxonomies = BTreeMap::new();
    for (name, terms) in fm.taxonomies.unwrap_or_default() {
        if config.taxonomy(name.get_ref()).is_none() {
            let declared: Vec<&str> = config.taxonomies.iter().map(|t| t.name.as_str()).collect();
            let hint = match suggest(name.get_ref(), declared.iter().copied()) {
                Some(s) => format!("; did you mean `{s}`?"),
                None if declared.is_empty() => "; declare it in site.toml: taxonomies = [{ name = \"...\" }]".into(),
                None => format!("; declared taxonomies: {}", declared.join(", ")),
            };
            diags.push(Diagnostic::at_offset(
                &file,
                fm_text,
                name.span().start,
                line,
                format!("unknown taxonomy `{}`{hint}", name.get_ref()),
            ));
            continue;
        }
        let mut clean: Vec<String> = Vec::new();
        for t in terms.0.iter().map(|t| t.trim()) {
            if slugify(t).is_empty() {
                diags.push(Diagnostic::at_offset(
                    &file,
                    fm_text,
                    name.span().start,
                    line,
                    format!("taxonomy term `{t}` in `{}` needs letters or digits", name.get_ref()),
                ));
            } else if !clean.iter().any(|c| c == t) {
                clean.push(t.to_string());
            }
        }
        taxonomies.insert(name.into_inner(), clean);
    }
    let listed = date.as_ref().is_none_or(|d| d.days_since_epoch() <= opts.today.days_since_epoch());
    let page = Page {
        source: Source { relative: rel.to_string(), file: file.clone(), abs: content.join(rel) },
        title,
        description: fm.description,
        date,
        updated,
        draft: fm.draft.unwrap_or(false),
        slug,
        path,
        aliases: aliases(&file, fm_text, line, fm.aliases, diags),
        template: template_name(&file, fm_text, line, fm.template, diags),
        weight: fm.weight,
        authors: fm.authors.unwrap_or_default(),
        taxonomies,
        extra: fm.extra.unwrap_or_default(),
        lang: config.language.clone(),
        section,
        assets: Vec::new(),
        listed,
        render: fm.render.unwrap_or(true),
        body: p.body,
        rendered: Default::default(),
    };
    (diags.len() == before).then_some(page)
}

/// Fills each section's sorted page listing and subsections.
pub(super) fn list_pages(site: &mut Site) {
    let mut listings: Vec<Vec<usize>> = vec![Vec::new(); site.sections.len()];
    for (i, p) in site.pages.iter().enumerate() {
        if !p.listed {
            continue;
        }
        let mut s = p.section;
        listings[s].push(i);
        // Transparent sections pass their pages up to their parent's listing.
        while site.sections[s].transparent {
            match site.sections[s].parent {
                Some(parent) => {
                    listings[parent].push(i);
                    s = parent;
                }
                None => break,
            }
        }
    }
    for (s, mut list) in listings.into_iter().enumerate() {
        sort_pages(&site.pages, &mut list, site.sections[s].sort_by);
        site.sections[s].pages = list;
    }
    let mut subs: Vec<Vec<usize>> = vec![Vec::new(); site.sections.len()];
    for (i, s) in site.sections.iter().enumerate() {
        if let Some(p) = s.parent {
            subs[p].push(i);
        }
    }
    for (i, mut list) in subs.into_iter().enumerate() {
        list.sort_by(|&a, &b| {
            let (a, b) = (&site.sections[a], &site.sections[b]);
            (a.weight.is_none(), a.weight, &a.path).cmp(&(b.weight.is_none(), b.weight, &b.path))
        });
        site.sections[i].subsections = list;
    }
}

/// Sorts page indices by the section's order; ties fall back to the source path.
pub(crate) fn sort_pages(pages: &[Page], list: &mut [usize], by: SortBy) {
    let src = |i: usize| pages[i].source.relative.as_str();
    match by {
        SortBy::Date => list.sort_by(|&a, &b| {
            let (da, db) = (&pages[a].date, &pages[b].date);
            db.is_some().cmp(&da.is_some()).then_with(|| db.cmp(da)).then_with(|| src(a).cmp(src(b)))
        }),
        SortBy::Weight => list.sort_by(|&a, &b| {
            let (wa, wb) = (pages[a].weight, pages[b].weight);
            (wa.is_none(), wa).cmp(&(wb.is_none(), wb)).then_with(|| src(a).cmp(src(b)))
        }),
        SortBy::Title => list.sort_by_cached_key(|&i| (norwegian_sort_key(&pages[i].title), src(i).to_string())),
        SortBy::None => list.sort_by(|&a, &b| src(a).cmp(src(b))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folder_paths_are_slugified() {
        assert_eq!(dir_path(""), "/");
        assert_eq!(dir_path("Gamle Tips/Søk"), "/gamle-tips/sok/");
    }

    #[test]
    fn date_prefixed_file_names() {
        let (d, rest) = date_prefix("2023-06-09-mentorer-i-melhus").unwrap();
        assert_eq!((d.iso.as_str(), rest), ("2023-06-09", "mentorer-i-melhus"));
        assert!(date_prefix("mentorer").is_none());
        assert!(date_prefix("2023-99-09-x").is_none());
    }

    #[test]
    fn temp_files_are_ignored() {
        assert!(is_temp_file("~$rapport.docx") && is_temp_file("desktop.ini") && is_temp_file(".DS_Store"));
        for n in [".x.md.swp", "x.md~", "#x.md#", ".DS_Store", "4913"] {
            assert!(is_temp_file(n), "{n}");
        }
        assert!(!is_temp_file("x.md"));
    }
}
