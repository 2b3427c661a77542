//! Content edits that keep the site's shape: re-read the changed files, re-render their
//! markdown, patch the site and the views in place, re-sort listings when the order could
//! change, and note what changed for [`super::select`].

use super::{Fallback, Invalidated, State};
use crate::content::{self, Item, Page, Section, Taxonomy};
use crate::markdown;
use std::collections::{BTreeSet, HashMap};
use std::sync::Arc;

/// Listings as they were before a change re-sorted them.
pub(super) struct Before {
    /// Each section's listed pages.
    pub(super) lists: Vec<Vec<usize>>,
    /// The taxonomies.
    pub(super) taxonomies: Vec<Taxonomy>,
    /// Each section's filter pages: (path, pages) of every term of every facet.
    pub(super) facets: Vec<Vec<(String, Vec<usize>)>>,
}

/// A section's filter pages as comparable data.
fn facet_pages(s: &Section) -> Vec<(String, Vec<usize>)> {
    s.facets.iter().flat_map(|f| f.terms.iter().map(|t| (t.path.clone(), t.pages.clone()))).collect()
}

enum Edited {
    Page(usize, Box<Page>),
    Section(usize, Box<Section>),
}

/// Applies edits of existing pages and sections (`content/`-relative paths).
pub(super) fn content(st: &mut State, rels: &BTreeSet<String>, inv: &mut Invalidated) -> Result<(), Fallback> {
    let (config, opts) = (&st.config, &st.load_opts);
    let mut edited = Vec::new();
    for rel in rels {
        match st.site.by_source.get(rel) {
            Some(&Item::Page(i)) => {
                let new = content::reload_page(config, opts, &st.site, i).map_err(|_| Fallback)?;
                if moved_page(&st.site.pages[i], &new) {
                    return Err(Fallback);
                }
                edited.push(Edited::Page(i, Box::new(new)));
            }
            Some(&Item::Section(s)) => {
                let new = content::reload_section(config, opts, &st.site, s).map_err(|_| Fallback)?;
                if moved_section(&st.site.sections[s], &new) {
                    return Err(Fallback);
                }
                edited.push(Edited::Section(s, Box::new(new)));
            }
            None => return Err(Fallback),
        }
    }
    // Markdown, with links resolved against the site as it is (no URL changes here).
    let mopts = crate::build::markdown_options(config);
    {
        let links = content::Links { site: &st.site, config };
        for e in &mut edited {
            let (source, body, rendered) = match e {
                Edited::Page(_, p) => (&p.source, &mut p.body, &mut p.rendered),
                Edited::Section(_, s) => (&s.source, &mut s.body, &mut s.rendered),
            };
            *rendered = markdown::render(&body.markdown, &mopts, &links);
            // Markdown errors and body checks: a full rebuild reports them at their lines.
            if !rendered.errors.is_empty() || !crate::check::body_problems(source, rendered, &st.static_dirs).is_empty()
            {
                return Err(Fallback);
            }
            body.markdown = String::new();
        }
    }

    // Patch in place: the engine (which shares the site) must go first.
    st.templates = None;
    let site = Arc::get_mut(&mut st.site).ok_or(Fallback)?;
    let views = Arc::get_mut(&mut st.views).ok_or(Fallback)?;
    // Membership changes re-list everything (and re-plan); order changes re-sort in place.
    let (mut relist, mut resort) = (false, false);
    let mut dated = Vec::new();
    let mut headings_changed = false;
    let mut pages = Vec::new();
    for e in edited {
        match e {
            Edited::Page(i, new) => {
                let old = &site.pages[i];
                relist |= old.listed != new.listed || old.taxonomies != new.taxonomies;
                resort |= old.title != new.title || old.date != new.date || old.weight != new.weight;
                if old.date != new.date {
                    dated.push(i);
                }
                headings_changed |= old.rendered.heading_ids != new.rendered.heading_ids;
                site.pages[i] = *new;
                pages.push(i);
            }
            Edited::Section(s, new) => {
                headings_changed |= site.sections[s].rendered.heading_ids != new.rendered.heading_ids;
                site.sections[s] = *new;
                inv.sections.insert(s);
                inv.section_pages.insert(s);
                inv.section_meta.insert(s);
            }
        }
    }
    if relist || resort {
        inv.before = Some(Before {
            lists: site.sections.iter().map(|s| s.pages.clone()).collect(),
            taxonomies: site.taxonomies.clone(),
            facets: site.sections.iter().map(facet_pages).collect(),
        });
        if relist {
            content::relist(config, site);
        } else {
            content::resort(site, &pages);
        }
    }
    // Content types: the reloaded pages must still fit theirs (a full rebuild reports it).
    if let Some(types) = &st.types {
        if pages.iter().any(|&i| !types.check_page(site, &site.pages[i], &st.static_dirs).is_empty()) {
            return Err(Fallback);
        }
    }
    let edited_items: BTreeSet<String> = rels.clone();
    if !anchors_ok(site, &edited_items, headings_changed) {
        return Err(Fallback);
    }

    // Views: the edited pages' own, then neighbours (old and new ones show their titles).
    let old_neighbours: Vec<(Option<usize>, Option<usize>)> = pages.iter().map(|&i| views.neighbours(i)).collect();
    for &i in &pages {
        let before = views.pages[i].clone();
        views.update_page(site, config, i);
        if views.pages[i] != before {
            inv.listed.insert(i);
        }
        inv.pages.insert(i);
    }
    inv.pages.extend(views.update_neighbours(site));
    for (n, &i) in pages.iter().enumerate() {
        let (a, b) = old_neighbours[n];
        let (c, d) = views.neighbours(i);
        inv.pages.extend([a, b, c, d].into_iter().flatten());
    }

    // Listings and taxonomies that show a changed page, or whose order or members changed.
    for (s, sec) in site.sections.iter().enumerate() {
        let old = inv.before.as_ref().map_or(&sec.pages, |b| &b.lists[s]);
        if old.len() != sec.pages.len() {
            inv.section_meta.insert(s);
        }
        if *old != sec.pages {
            inv.section_lists.insert(s);
        }
        if *old != sec.pages || sec.pages.iter().any(|i| inv.listed.contains(i)) {
            inv.section_pages.insert(s);
        }
    }
    // Filter pages: new or removed ones, or other counts, change the section's view too.
    let mut replan = relist;
    if let Some(b) = &inv.before {
        for (s, sec) in site.sections.iter().enumerate() {
            let (old, new) = (&b.facets[s], facet_pages(sec));
            if *old == new {
                continue;
            }
            inv.facets.insert(s);
            let shape = |v: &[(String, Vec<usize>)]| v.iter().map(|(p, l)| (p.clone(), l.len())).collect::<Vec<_>>();
            if shape(old) != shape(&new) {
                replan = true;
                inv.sections.insert(s);
                inv.section_meta.insert(s);
                inv.section_pages.insert(s);
            }
        }
    }
    term_members(site, inv, relist, &dated);
    for (t, tax) in site.taxonomies.iter().enumerate() {
        let shows_changed = tax.terms.iter().any(|term| term.pages.iter().any(|i| inv.listed.contains(i)));
        let (reordered, terms_changed) = match &inv.before {
            Some(b) => {
                let old = &b.taxonomies[t].terms;
                let key = |t: &content::Term| (t.name.clone(), t.slug.clone(), t.pages.len());
                (
                    old.len() != tax.terms.len() || old.iter().zip(&tax.terms).any(|(a, b)| a.pages != b.pages),
                    !old.iter().map(key).eq(tax.terms.iter().map(key)),
                )
            }
            None => (false, false),
        };
        if shows_changed || reordered || terms_changed {
            inv.taxonomies.insert(t);
        }
        if terms_changed {
            inv.terms.insert(t);
        }
    }
    if replan {
        let has_404 = st.sources.contains_key("404.html");
        let plan = crate::render::plan(&st.site, &st.config, has_404).map_err(|_| Fallback)?;
        st.replan(plan, inv);
    }
    Ok(())
}

/// Notes the terms whose members changed (after a re-list), or that hold a page whose date
/// changed (old and new terms alike).
fn term_members(site: &content::Site, inv: &mut Invalidated, relisted: bool, dated: &[usize]) {
    type Members<'a> = HashMap<(usize, &'a str), Vec<usize>>;
    if !relisted && dated.is_empty() {
        return;
    }
    let index = |taxonomies: &'_ [Taxonomy]| -> Vec<(usize, String, Vec<usize>)> {
        let mut out = Vec::new();
        for (t, tax) in taxonomies.iter().enumerate() {
            for k in &tax.terms {
                out.push((t, k.slug.clone(), k.pages.clone()));
            }
        }
        out
    };
    let now = index(&site.taxonomies);
    let then = inv.before.as_ref().map(|b| index(&b.taxonomies)).unwrap_or_default();
    let mut changed = Vec::new();
    if relisted {
        fn members(list: &[(usize, String, Vec<usize>)]) -> Members<'_> {
            list.iter()
                .map(|(t, slug, pages)| {
                    let mut m = pages.clone();
                    m.sort_unstable();
                    ((*t, slug.as_str()), m)
                })
                .collect()
        }
        let (a, b) = (members(&now), members(&then));
        for key in a.keys().chain(b.keys()) {
            if a.get(key) != b.get(key) {
                changed.push((key.0, key.1.to_string()));
            }
        }
    }
    for (t, slug, pages) in now.iter().chain(&then) {
        if pages.iter().any(|i| dated.contains(i)) {
            changed.push((*t, slug.clone()));
        }
    }
    inv.term_members.extend(changed);
}

/// Does this edit move the page, or change how it is rendered, beyond its own data?
fn moved_page(old: &Page, new: &Page) -> bool {
    old.path != new.path
        || old.slug != new.slug
        || old.aliases != new.aliases
        || old.template != new.template
        || old.render != new.render
        || old.draft != new.draft
        || old.lang != new.lang
}

/// Does this edit change the section's URLs, order, pagination or templates?
fn moved_section(old: &Section, new: &Section) -> bool {
    old.path != new.path
        || old.sort_by != new.sort_by
        || old.weight != new.weight
        || old.template != new.template
        || old.page_template != new.page_template
        || old.paginate_by != new.paginate_by
        || old.paginate_path != new.paginate_path
        || old.paginate_reversed != new.paginate_reversed
        || old.transparent != new.transparent
        || old.render != new.render
        || old.redirect_to != new.redirect_to
        || old.aliases != new.aliases
        || old.lang != new.lang
        || old.filters != new.filters
        || old.search_index != new.search_index
}

/// Do all `@/…#anchor` links from or (if headings changed) to the edited items still land?
/// A broken one sends the batch to a full rebuild, which reports it where it is.
fn anchors_ok(site: &content::Site, edited: &BTreeSet<String>, headings_changed: bool) -> bool {
    let items = site.pages.iter().map(|p| (&p.source.relative, &p.rendered));
    let items = items.chain(site.sections.iter().map(|s| (&s.source.relative, &s.rendered)));
    for (source, rendered) in items {
        let from_edited = edited.contains(source);
        if !from_edited && !headings_changed {
            continue;
        }
        for link in &rendered.links {
            let Some((target, Some(anchor))) = &link.internal else { continue };
            let target = target.trim_start_matches('/');
            if !from_edited && !edited.contains(target) {
                continue;
            }
            let Some(&item) = site.by_source.get(target) else { continue };
            if !site.item_rendered(item).heading_ids.iter().any(|id| id == anchor) {
                return false;
            }
        }
    }
    true
}
