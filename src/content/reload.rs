//! Reloads single files of an already loaded site, for `serve`'s incremental rebuilds. Only
//! edits that keep the site's shape are handled here; the caller compares the result with the
//! old item and falls back to a full load for anything structural.

use super::listing::{list_pages, sort_pages};
use super::resolve::{parse_page, parse_section, resolve_page, resolve_section};
use super::walk::{file_name, parent_dir};
use super::{taxonomy, Item, LoadOptions, Page, Section, Site, SortBy};
use crate::config::Config;
use crate::error::Diagnostics;

/// Why a file could not be reloaded on its own.
#[derive(Debug)]
pub enum NotReloaded {
    /// It has errors (a full load reports them, with everything else).
    Errors(Diagnostics),
    /// Its change alters the site's shape (e.g. it became a draft).
    Structural,
}

/// Page `i` re-read from disk, in the same place of the site (section, bundle files).
pub fn reload_page(config: &Config, opts: &LoadOptions, site: &Site, i: usize) -> Result<Page, NotReloaded> {
    let old = &site.pages[i];
    let rel = old.source.relative.as_str();
    let content = config.layout.content();
    let budget = std::sync::atomic::AtomicU64::new(if old.body.keep { u64::MAX } else { 0 });
    let p = parse_page(&content, rel, &budget).map_err(|d| NotReloaded::Errors(d.into()))?;
    if p.fm.draft == Some(true) && !opts.drafts {
        return Err(NotReloaded::Structural);
    }
    let dir = parent_dir(rel);
    let own_section = if dir.is_empty() { "_index.md".to_string() } else { format!("{dir}/_index.md") };
    let is_bundle = file_name(rel) == "index.md" && !matches!(site.by_source.get(&own_section), Some(Item::Section(_)));
    let mut diags = Vec::new();
    let page = resolve_page(config, &opts.today, &content, rel, is_bundle, old.section, p, &mut diags);
    let page = match page {
        Some(page) if diags.is_empty() => page,
        _ => return Err(NotReloaded::Errors(Diagnostics(diags))),
    };
    // What the file says is new; the bundle's files come from the loaded site. Every field
    // is named, so a new one cannot be forgotten.
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
        template,
        weight,
        authors,
        taxonomies,
        extra,
        spans,
        section,
        assets: _,
        listed,
        render,
        body,
        rendered,
    } = page;
    Ok(Page {
        source,
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
        spans,
        section,
        assets: old.assets.clone(),
        listed,
        render,
        body,
        rendered,
    })
}

/// Section `s` re-read from disk, keeping its place in the tree and its listing.
pub fn reload_section(config: &Config, opts: &LoadOptions, site: &Site, s: usize) -> Result<Section, NotReloaded> {
    let old = &site.sections[s];
    let rel = old.source.relative.as_str();
    let content = config.layout.content();
    let p = parse_section(&content, rel).map_err(|d| NotReloaded::Errors(d.into()))?;
    if p.fm.draft == Some(true) && !opts.drafts {
        return Err(NotReloaded::Structural);
    }
    let mut diags = Vec::new();
    let new = resolve_section(config, &content, rel, p, &mut diags);
    if !diags.is_empty() {
        return Err(NotReloaded::Errors(Diagnostics(diags)));
    }
    // What the file says is new; where the section stands in the tree and what it lists
    // come from the loaded site. Every field is named, so a new one cannot be forgotten.
    let Section {
        source,
        title,
        description,
        path,
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
        spans,
        assets: _,
        filters,
        facets: _,
        search_index,
        parent: _,
        pages: _,
        subsections: _,
        body,
        rendered,
    } = new;
    Ok(Section {
        source,
        title,
        description,
        path,
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
        spans,
        assets: old.assets.clone(),
        filters,
        facets: old.facets.clone(),
        search_index,
        parent: old.parent,
        pages: old.pages.clone(),
        subsections: old.subsections.clone(),
        body,
        rendered,
    })
}

/// Re-sorts every section's listing and regroups the taxonomies after pages changed.
pub fn relist(config: &Config, site: &mut Site) {
    list_pages(site);
    super::listing::add_fallbacks(config, site);
    site.taxonomies = taxonomy::collect(config, site);
    taxonomy::facets(site);
}

/// Re-sorts only the listings that hold one of `pages`, after edits that change their order
/// (title, date, weight) but not which listings they are in.
pub fn resort(site: &mut Site, pages: &[usize]) {
    let holds = |list: &[usize]| list.iter().any(|i| pages.contains(i));
    for s in 0..site.sections.len() {
        if holds(&site.sections[s].pages) {
            let mut list = std::mem::take(&mut site.sections[s].pages);
            sort_pages(&site.pages, &mut list, site.sections[s].sort_by);
            site.sections[s].pages = list;
        }
    }
    for t in 0..site.taxonomies.len() {
        for k in 0..site.taxonomies[t].terms.len() {
            if holds(&site.taxonomies[t].terms[k].pages) {
                let mut list = std::mem::take(&mut site.taxonomies[t].terms[k].pages);
                sort_pages(&site.pages, &mut list, SortBy::Date);
                site.taxonomies[t].terms[k].pages = list;
            }
        }
    }
    if site.sections.iter().any(|s| !s.filters.is_empty()) {
        taxonomy::facets(site);
    }
}
