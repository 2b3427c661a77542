//! Front matter → content model: reads one file's fields ([`parse_page`], [`parse_section`])
//! and resolves them into a [`Page`] or [`Section`]: its URL, dates, aliases, template and
//! taxonomy terms, each checked and reported at its place with what to write.

use super::frontmatter::{split, At, Fields, Spans};
use super::walk::{dir_path, file_name, parent_dir};
use super::{Body, Page, Section, SortBy, Source, Text};
use crate::config::Config;
use crate::date::Date;
use crate::error::{suggest, Diagnostic, Pos};
use crate::messages::Message;
use crate::msg;
use crate::slug::slugify;
use std::path::Path;
use std::sync::atomic::{AtomicU64, Ordering};

/// The keys a page's front matter may have (Zola's).
pub(super) const PAGE_KEYS: &[&str] = &[
    "title",
    "description",
    "date",
    "updated",
    "draft",
    "slug",
    "path",
    "aliases",
    "template",
    "weight",
    "authors",
    "taxonomies",
    "extra",
    "in_search_index",
    "render",
];

/// The keys a section's front matter may have (Zola's, and our `filters` and `search_index`).
pub(super) const SECTION_KEYS: &[&str] = &[
    "title",
    "description",
    "draft",
    "sort_by",
    "weight",
    "template",
    "page_template",
    "paginate_by",
    "paginate_path",
    "paginate_reversed",
    "transparent",
    "render",
    "redirect_to",
    "aliases",
    "extra",
    "filters",
    "search_index",
    "in_search_index",
    "insert_anchor_links",
    "generate_feeds",
];

/// A page's front matter as written, with the places of values that are checked later.
#[derive(Debug, Default)]
pub(super) struct PageFrontMatter {
    pub(super) title: Option<At<String>>,
    pub(super) description: Option<String>,
    pub(super) date: Option<Date>,
    pub(super) updated: Option<Date>,
    pub(super) draft: Option<bool>,
    pub(super) slug: Option<At<String>>,
    pub(super) path: Option<At<String>>,
    pub(super) aliases: Vec<At<String>>,
    pub(super) template: Option<At<String>>,
    pub(super) weight: Option<i64>,
    pub(super) authors: Vec<String>,
    pub(super) taxonomies: Vec<(At<String>, Vec<String>)>,
    pub(super) extra: toml::Table,
    pub(super) render: Option<bool>,
}

/// A section's (`_index.md`) front matter as written.
#[derive(Debug, Default)]
pub(super) struct SectionFrontMatter {
    pub(super) title: Option<At<String>>,
    pub(super) description: Option<String>,
    pub(super) draft: Option<bool>,
    pub(super) sort_by: Option<At<String>>,
    pub(super) weight: Option<i64>,
    pub(super) template: Option<At<String>>,
    pub(super) page_template: Option<At<String>>,
    pub(super) paginate_by: Option<usize>,
    pub(super) paginate_path: Option<String>,
    pub(super) paginate_reversed: Option<bool>,
    pub(super) transparent: Option<bool>,
    pub(super) render: Option<bool>,
    pub(super) redirect_to: Option<String>,
    pub(super) aliases: Vec<At<String>>,
    pub(super) extra: toml::Table,
    pub(super) filters: Vec<At<String>>,
    pub(super) search_index: Option<bool>,
}

/// One file read: its front matter, where each key stands, its body, and the problems found
/// so far (a value of the wrong kind is reported here and left out, the rest is read).
pub(super) struct Parsed<T> {
    pub(super) fm: T,
    pub(super) spans: Spans,
    pub(super) body: Body,
    pub(super) diags: Vec<Diagnostic>,
}

/// Reads a file's text; a file that cannot be read, is not UTF-8 or has no front matter
/// cannot be read further.
fn read(content: &Path, rel: &str) -> Result<String, Diagnostic> {
    let file = format!("content/{rel}");
    let bytes = std::fs::read(content.join(rel)).map_err(|e| {
        Diagnostic::error(&file, msg!("content.unreadable_file", detail = crate::error::io_message(&e)))
    })?;
    String::from_utf8(bytes).map_err(|e| {
        let valid = String::from_utf8_lossy(&e.as_bytes()[..e.utf8_error().valid_up_to()]).into_owned();
        let (line, col) = crate::error::line_col(&valid, usize::MAX);
        Diagnostic::at(&file, line, col, msg!("content.not_utf8"))
    })
}

/// The body of an item's file, read again (for a site that keeps no texts in memory). The
/// body must still start at `line`, or the file changed while it was being built.
pub(super) fn read_body(source: &super::Source, line: usize) -> Result<Text, Diagnostic> {
    let text = String::from_utf8(std::fs::read(&source.abs).map_err(|e| {
        Diagnostic::error(&source.file, msg!("content.unreadable_file", detail = crate::error::io_message(&e)))
    })?)
    .map_err(|_| Diagnostic::error(&source.file, msg!("content.not_utf8")))?;
    let (start, body_line) = body_start(&source.file, &text)?;
    if body_line != line {
        return Err(Diagnostic::error(&source.file, msg!("content.changed_while_building")));
    }
    Ok(Text::new(text, start))
}

/// Where the body starts in a file's text: byte offset and line.
fn body_start(file: &str, text: &str) -> Result<(usize, usize), Diagnostic> {
    let s = split(file, text)?;
    Ok((s.body.as_ptr() as usize - text.as_ptr() as usize, s.body_line))
}

/// Reads a page file, keeping its text in memory while `budget` (bytes) allows.
pub(super) fn parse_page(content: &Path, rel: &str, budget: &AtomicU64) -> Result<Parsed<PageFrontMatter>, Diagnostic> {
    let text = read(content, rel)?;
    let size = text.len() as u64;
    let keep = budget.fetch_update(Ordering::Relaxed, Ordering::Relaxed, |left| left.checked_sub(size)).is_ok();
    let file = format!("content/{rel}");
    let s = split(&file, &text)?;
    let mut f = Fields::parse(&file, &s);
    let fm = PageFrontMatter {
        title: f.text("title"),
        description: f.text("description").map(|t| t.value),
        date: f.date("date"),
        updated: f.date("updated"),
        draft: f.bool("draft"),
        slug: f.text("slug"),
        path: f.text("path"),
        aliases: f.texts("aliases").unwrap_or_default(),
        template: f.text("template"),
        weight: f.integer("weight"),
        authors: f.texts("authors").unwrap_or_default().into_iter().map(|a| a.value).collect(),
        taxonomies: f.terms("taxonomies"),
        extra: f.table("extra").unwrap_or_default(),
        render: f.bool("render"),
    };
    // Zola's key, accepted: search engines and the site search are told by the theme.
    f.bool("in_search_index");
    let (start, line) = (s.body.as_ptr() as usize - text.as_ptr() as usize, s.body_line);
    let (spans, diags) = f.finish(PAGE_KEYS);
    let body = Body::new(keep.then(|| Text::new(text, start)), line);
    Ok(Parsed { fm, spans, body, diags })
}

/// Reads a section file (`_index.md`).
pub(super) fn parse_section(content: &Path, rel: &str) -> Result<Parsed<SectionFrontMatter>, Diagnostic> {
    let text = read(content, rel)?;
    let file = format!("content/{rel}");
    let s = split(&file, &text)?;
    let mut f = Fields::parse(&file, &s);
    let fm = SectionFrontMatter {
        title: f.text("title"),
        description: f.text("description").map(|t| t.value),
        draft: f.bool("draft"),
        sort_by: f.text("sort_by"),
        weight: f.integer("weight"),
        template: f.text("template"),
        page_template: f.text("page_template"),
        paginate_by: f.count("paginate_by"),
        paginate_path: f.text("paginate_path").map(|t| t.value),
        paginate_reversed: f.bool("paginate_reversed"),
        transparent: f.bool("transparent"),
        render: f.bool("render"),
        redirect_to: f.text("redirect_to").map(|t| t.value),
        aliases: f.texts("aliases").unwrap_or_default(),
        extra: f.table("extra").unwrap_or_default(),
        filters: f.texts("filters").unwrap_or_default(),
        search_index: f.bool("search_index"),
    };
    // Zola's keys, accepted for compatibility.
    f.bool("in_search_index");
    f.text("insert_anchor_links");
    f.bool("generate_feeds");
    let (start, line) = (s.body.as_ptr() as usize - text.as_ptr() as usize, s.body_line);
    let (spans, diags) = f.finish(SECTION_KEYS);
    let body = Body::new(Some(Text::new(text, start)), line);
    Ok(Parsed { fm, spans, body, diags })
}

/// Collects problems at positions of one file.
struct Report<'a> {
    file: &'a str,
    diags: &'a mut Vec<Diagnostic>,
}

impl Report<'_> {
    fn at(&mut self, pos: Pos, message: Message) {
        self.diags.push(Diagnostic::at(self.file, pos.line, pos.col, message));
    }
}

/// The language of `content/<rel>` and its path in every language (a file whose language
/// is not the site's was refused before it got here).
fn language_and_key(config: &Config, rel: &str) -> (String, String) {
    super::walk::language_of(rel, config).unwrap_or_else(|_| (config.language.clone(), rel.to_string()))
}

/// Resolves a section read from `content/<rel>`.
pub(super) fn resolve_section(
    config: &Config,
    content: &Path,
    rel: &str,
    p: Parsed<SectionFrontMatter>,
    diags: &mut Vec<Diagnostic>,
) -> Section {
    let (lang, key) = language_and_key(config, rel);
    let lang = lang.as_str();
    let file = format!("content/{rel}");
    let dir = parent_dir(rel);
    let Parsed { fm, spans, body, diags: found } = p;
    diags.extend(found);
    let mut r = Report { file: &file, diags };
    let SectionFrontMatter {
        title,
        description,
        draft: _,
        sort_by,
        weight,
        template,
        page_template,
        paginate_by,
        paginate_path,
        paginate_reversed,
        transparent,
        render,
        redirect_to,
        aliases,
        extra,
        filters,
        search_index,
    } = fm;
    let sort_by = match sort_by {
        None => SortBy::None,
        Some(At { value, pos }) => match value.as_str() {
            "none" => SortBy::None,
            "date" | "update_date" => SortBy::Date,
            "weight" => SortBy::Weight,
            "title" | "title_bytes" | "slug" => SortBy::Title,
            other => {
                let hint = suggest(other, ["date", "weight", "title", "none"])
                    .map(|s| msg!("hint.did_you_mean_value", value = s));
                r.at(pos, msg!("content.bad_sort_by", value = other, hint = hint));
                SortBy::None
            }
        },
    };
    let title = match title {
        Some(t) => t.value,
        None if dir.is_empty() => config.title_in(lang).to_string(),
        None => crate::slug::humanize(file_name(dir)),
    };
    Section {
        source: Source {
            relative: rel.to_string(),
            file: file.clone(),
            abs: content.join(rel),
            lang: lang.to_string(),
            key,
        },
        title,
        description,
        path: format!("{}{}", config.lang_prefix(lang), dir_path(dir)),
        sort_by,
        weight,
        template: template_name(&mut r, template),
        page_template: template_name(&mut r, page_template),
        paginate_by: paginate_by.filter(|n| *n > 0),
        paginate_path: paginate_path.map(|s| slugify(&s)).filter(|s| !s.is_empty()).unwrap_or_else(|| "page".into()),
        paginate_reversed: paginate_reversed.unwrap_or(false),
        transparent: transparent.unwrap_or(false),
        render: render.unwrap_or(true),
        redirect_to,
        aliases: resolve_aliases(&mut r, aliases),
        extra,
        spans,
        assets: Vec::new(),
        filters: resolve_filters(config, &mut r, filters),
        facets: Vec::new(),
        search_index: search_index.unwrap_or(false),
        parent: None,
        pages: Vec::new(),
        subsections: Vec::new(),
        body,
        rendered: Default::default(),
    }
}

/// Resolves a page read from `content/<rel>`, listed in section `section`. `None` when the
/// page cannot have a URL (its problems are in `diags`).
#[allow(clippy::too_many_arguments)]
pub(super) fn resolve_page(
    config: &Config,
    today: &Date,
    content: &Path,
    rel: &str,
    is_bundle: bool,
    section: usize,
    p: Parsed<PageFrontMatter>,
    diags: &mut Vec<Diagnostic>,
) -> Option<Page> {
    let (lang, key) = language_and_key(config, rel);
    let lang = lang.as_str();
    let file = format!("content/{rel}");
    let Parsed { fm, spans, body, diags: found } = p;
    diags.extend(found);
    let mut r = Report { file: &file, diags };
    let PageFrontMatter {
        title,
        description,
        date,
        updated,
        draft,
        slug,
        path,
        aliases,
        template,
        weight,
        authors,
        taxonomies,
        extra,
        render,
    } = fm;
    // A translation's slug comes from the file name without its language (`x.nn.md` → x).
    let own = file_name(rel).trim_end_matches(".md");
    let own = if lang == config.language { own } else { own.strip_suffix(&format!(".{lang}")).unwrap_or(own) };
    let stem = if is_bundle { file_name(parent_dir(rel)) } else { own };
    let (file_date, stem) = match date_prefix(stem) {
        Some((d, rest)) => (Some(d), rest),
        None => (None, stem),
    };
    let mut has_url = true;
    let slug = match &slug {
        Some(At { value, pos }) => {
            let v = slugify(value);
            if v.is_empty() {
                r.at(*pos, msg!("content.slug_no_letters"));
                has_url = false;
            }
            v
        }
        None => {
            let v = slugify(stem);
            if v.is_empty() {
                r.diags.push(Diagnostic::error(&file, msg!("content.file_name_no_letters")));
                has_url = false;
            }
            v
        }
    };
    let path = match &path {
        Some(At { value, pos }) => {
            let t = value.trim().trim_matches('/');
            let segs: Vec<String> = t.split('/').filter(|s| !s.is_empty()).map(slugify).collect();
            if segs.iter().any(String::is_empty) || t.contains("..") {
                r.at(*pos, msg!("content.bad_path", path = value));
                has_url = false;
            }
            if segs.is_empty() {
                format!("{}/", config.lang_prefix(lang))
            } else {
                format!("{}/{}/", config.lang_prefix(lang), segs.join("/"))
            }
        }
        None => {
            let dir = if is_bundle { parent_dir(parent_dir(rel)) } else { parent_dir(rel) };
            format!("{}{}{slug}/", config.lang_prefix(lang), dir_path(dir))
        }
    };
    let date = date.or(file_date);
    let listed = date.as_ref().is_none_or(|d| d.days_since_epoch() <= today.days_since_epoch());
    let page = Page {
        source: Source {
            relative: rel.to_string(),
            file: file.clone(),
            abs: content.join(rel),
            lang: lang.to_string(),
            key,
        },
        title: title.map(|t| t.value).unwrap_or_default(),
        description,
        date,
        updated,
        draft: draft.unwrap_or(false),
        slug,
        path,
        aliases: resolve_aliases(&mut r, aliases),
        template: template_name(&mut r, template),
        weight,
        authors,
        taxonomies: resolve_terms(config, &mut r, taxonomies),
        extra,
        spans,
        section,
        assets: Vec::new(),
        listed,
        render: render.unwrap_or(true),
        body,
        rendered: Default::default(),
    };
    has_url.then_some(page)
}

/// `[taxonomies]`: each name must be declared in site.toml and each term have letters.
fn resolve_terms(
    config: &Config,
    r: &mut Report<'_>,
    taxonomies: Vec<(At<String>, Vec<String>)>,
) -> std::collections::BTreeMap<String, Vec<String>> {
    let mut out = std::collections::BTreeMap::new();
    for (name, terms) in taxonomies {
        if config.taxonomy(&name.value).is_none() {
            let declared: Vec<&str> = config.taxonomies.iter().map(|t| t.name.as_str()).collect();
            let hint = match suggest(&name.value, declared.iter().copied()) {
                Some(s) => msg!("hint.did_you_mean_key", name = s),
                None if declared.is_empty() => msg!("hint.declare_taxonomy"),
                None => msg!("hint.declared_taxonomies", names = declared),
            };
            r.at(name.pos, msg!("content.unknown_taxonomy", name = &name.value, hint = hint));
            continue;
        }
        let mut clean: Vec<String> = Vec::new();
        for t in terms.iter().map(|t| t.trim()) {
            if slugify(t).is_empty() {
                r.at(name.pos, msg!("content.term_no_letters", term = t, taxonomy = &name.value));
            } else if !clean.iter().any(|c| c == t) {
                clean.push(t.to_string());
            }
        }
        out.insert(name.value, clean);
    }
    out
}

/// A template name from front matter: a file name from templates/, nothing else.
fn template_name(r: &mut Report<'_>, t: Option<At<String>>) -> Option<String> {
    let t = t?;
    let name = t.value.trim();
    if name.is_empty() || name.contains("..") || name.starts_with('/') {
        r.at(t.pos, msg!("content.bad_template_name", name = name));
        return None;
    }
    Some(name.to_string())
}

/// `filters = [...]`: each must name a taxonomy from site.toml.
fn resolve_filters(config: &Config, r: &mut Report<'_>, list: Vec<At<String>>) -> Vec<String> {
    let names = || config.taxonomies.iter().map(|t| t.name.as_str());
    let mut out = Vec::new();
    for f in list {
        if names().any(|n| n == f.value) {
            out.push(f.value);
            continue;
        }
        let hint = match suggest(&f.value, names()) {
            Some(s) => msg!("hint.did_you_mean_value", value = s),
            None => msg!("hint.taxonomies_are", names = names().collect::<Vec<_>>()),
        };
        r.at(f.pos, msg!("content.bad_filter", name = &f.value, hint = hint));
    }
    out
}

/// `aliases = [...]`: paths on this site, normalised to `/x/` (or `/x.html`).
fn resolve_aliases(r: &mut Report<'_>, list: Vec<At<String>>) -> Vec<String> {
    let mut out = Vec::new();
    for a in list {
        let v = a.value.trim();
        if v.is_empty() || v.contains("..") || v.contains("://") || v.contains(['?', '#', '\\', '"', '<', '>']) {
            r.at(a.pos, msg!("content.bad_alias", alias = v));
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

/// Splits a `2023-06-09-navn` file stem into its date and the rest.
fn date_prefix(stem: &str) -> Option<(Date, &str)> {
    let (d, rest) = (stem.get(..10)?, stem.get(10..)?);
    let rest = rest.strip_prefix(['-', '_'])?;
    Some((Date::parse(d).ok()?, rest))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn date_prefixed_file_names() {
        let (d, rest) = date_prefix("2023-06-09-mentorer-i-melhus").unwrap();
        assert_eq!((d.iso.as_str(), rest), ("2023-06-09", "mentorer-i-melhus"));
        assert!(date_prefix("mentorer").is_none());
        assert!(date_prefix("2023-99-09-x").is_none());
    }
}
