//! Content edits that keep the site's shape: re-read the changed files, re-render their
//! markdown, patch the site and the views in place, re-sort listings when the order could
//! change, and note what changed (pages, listings and their pagers, taxonomies) for
//! [`super::select`].

use super::{Fallback, Invalidated, State};
use crate::content::{self, Item, Page, Section, Site, Taxonomy};
use crate::markdown;
use crate::render::{pager_count, pager_slice};
use crate::templates::record::List;
use std::collections::{BTreeSet, HashMap, HashSet};
use std::sync::Arc;

/// Listings as they were before a change re-sorted them.
struct Before {
    /// Each section's listed pages.
    lists: Vec<Vec<usize>>,
    /// The taxonomies.
    taxonomies: Vec<Taxonomy>,
    /// Each section's filter pages, by listing.
    facets: Vec<Vec<(List, Vec<usize>)>>,
}

/// A section's filter pages as comparable data: each term's listing and its pages.
fn facet_lists(site: &Site, s: usize) -> Vec<(List, Vec<usize>)> {
    let sec = &site.sections[s];
    sec.facets
        .iter()
        .flat_map(|f| {
            let tax = &site.taxonomies[f.taxonomy];
            f.terms
                .iter()
                .map(move |ft| (List::Facet(s, f.taxonomy, tax.terms[ft.term].slug.clone()), ft.pages.clone()))
        })
        .collect()
}

enum Edited {
    Page(usize, Box<Page>),
    Section(usize, Box<Section>),
}

/// Applies edits of existing pages and sections (`content/`-relative paths).
pub(super) fn content(st: &mut State, rels: &BTreeSet<String>, inv: &mut Invalidated) -> Result<(), Fallback> {
    let mut edited = reload(st, rels)?;
    render_markdown(st, &mut edited)?;

    // Patch in place: the engine (which shares the site) must go first.
    st.drop_engine();
    let p = &mut st.prepared;
    let config = p.config.clone();
    let site = Arc::get_mut(&mut p.site).ok_or(Fallback)?;
    let views = Arc::get_mut(&mut p.views).ok_or(Fallback)?;
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
                headings_changed |= old.rendered.heading_ids() != new.rendered.heading_ids();
                site.pages[i] = *new;
                pages.push(i);
            }
            Edited::Section(s, new) => {
                headings_changed |= site.sections[s].rendered.heading_ids() != new.rendered.heading_ids();
                site.sections[s] = *new;
                inv.sections.insert(s);
                inv.section_pages.insert(s);
                inv.section_meta.insert(s);
            }
        }
    }
    let before = (relist || resort).then(|| Before {
        lists: site.sections.iter().map(|s| s.pages.clone()).collect(),
        taxonomies: site.taxonomies.clone(),
        facets: (0..site.sections.len()).map(|s| facet_lists(site, s)).collect(),
    });
    if relist {
        content::relist(&config, site);
    } else if resort {
        content::resort(site, &pages);
    }
    // Content types: the reloaded pages must still fit theirs (a full rebuild reports it).
    let static_dirs = crate::assets::static_dirs(&config.layout);
    if let Some(types) = &p.types {
        if pages.iter().any(|&i| !types.check_page(site, &site.pages[i], &static_dirs).is_empty()) {
            return Err(Fallback);
        }
    }
    if !anchors_ok(site, rels, headings_changed) {
        return Err(Fallback);
    }

    // Views: the edited pages' own, then neighbours (old and new ones show their titles).
    let old_neighbours: Vec<(Option<usize>, Option<usize>)> = pages.iter().map(|&i| views.neighbours(i)).collect();
    for &i in &pages {
        let before = views.pages[i].clone();
        views.update_page(site, &config, i);
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
    // Pages of another language whose listing shows an edited page (fallback) have it as a
    // neighbour without being its neighbour in its own section.
    let edited: HashSet<usize> = pages.iter().copied().collect();
    for j in 0..site.pages.len() {
        let (a, b) = views.neighbours(j);
        if [a, b].into_iter().flatten().any(|n| edited.contains(&n)) {
            inv.pages.insert(j);
        }
    }

    let replan = listings(site, before.as_ref(), inv) || relist;
    term_members(site, before.as_ref(), inv, relist, &dated);
    if replan {
        st.replan(inv)?;
    }
    Ok(())
}

/// Re-reads the edited files; an edit that moves an item is a full rebuild.
fn reload(st: &State, rels: &BTreeSet<String>) -> Result<Vec<Edited>, Fallback> {
    let (config, opts, site) = (&st.prepared.config, &st.load_opts, &st.prepared.site);
    let mut edited = Vec::new();
    for rel in rels {
        match site.by_source.get(rel) {
            Some(&Item::Page(i)) => {
                let new = content::reload_page(config, opts, site, i).map_err(|_| Fallback)?;
                if moved_page(&site.pages[i], &new) {
                    return Err(Fallback);
                }
                edited.push(Edited::Page(i, Box::new(new)));
            }
            Some(&Item::Section(s)) => {
                let new = content::reload_section(config, opts, site, s).map_err(|_| Fallback)?;
                if moved_section(&site.sections[s], &new) {
                    return Err(Fallback);
                }
                edited.push(Edited::Section(s, Box::new(new)));
            }
            None => return Err(Fallback),
        }
    }
    Ok(edited)
}

/// Markdown of the edited items, with links resolved against the site as it is (no URL
/// changes here). Markdown errors and body problems go to a full rebuild, which reports them.
fn render_markdown(st: &State, edited: &mut [Edited]) -> Result<(), Fallback> {
    let (config, site) = (&st.prepared.config, &st.prepared.site);
    let links = st.prepared.views.links(site, config);
    let static_dirs = crate::assets::static_dirs(&config.layout);
    let typed = |p: &Page| st.prepared.types.as_ref().is_some_and(|t| t.type_of(site, p).is_some());
    for e in edited {
        let (source, body, rendered, typed) = match e {
            Edited::Page(_, p) => {
                let typed = typed(p);
                (&p.source, &mut p.body, &mut p.rendered, typed)
            }
            Edited::Section(_, s) => (&s.source, &mut s.body, &mut s.rendered, false),
        };
        let mopts = markdown::Options::for_text(config, &source.lang, body.keep);
        let text = body.take(source).map_err(|_| Fallback)?;
        *rendered = markdown::render(text.as_str(), &mopts, &links.for_item(source));
        let problems = crate::check::body_problems(source, rendered, &static_dirs, typed);
        // Warnings too: a full rebuild is what reports them.
        if !rendered.errors.is_empty()
            || !rendered.warnings.is_empty()
            || problems.iter().any(crate::check::Problem::is_error)
        {
            return Err(Fallback);
        }
        // Pasted links to the site's own addresses must lead somewhere the plan publishes.
        if rendered.links.iter().any(|l| l.own.is_some()) {
            let published = crate::check::Published::new(&st.prepared.plan);
            if !crate::check::own_links(rendered, &published).is_empty() {
                return Err(Fallback);
            }
        }
        rendered.keep_for_site();
    }
    Ok(())
}

/// Notes the listings whose members or order changed, and every pager that shows
/// something else now; returns whether the set of filter pages changed (re-plan).
fn listings(site: &Site, before: Option<&Before>, inv: &mut Invalidated) -> bool {
    let mut replan = false;
    for (s, sec) in site.sections.iter().enumerate() {
        let old = before.map_or(&sec.pages, |b| &b.lists[s]);
        if old.len() != sec.pages.len() {
            inv.section_meta.insert(s);
        }
        if *old != sec.pages {
            inv.section_lists.insert(s);
        }
        if *old != sec.pages || sec.pages.iter().any(|i| inv.listed.contains(i)) {
            inv.section_pages.insert(s);
        }
        let (per, rev) = (sec.paginate_by, sec.paginate_reversed);
        mark_pagers(inv, List::Section(s), old, &sec.pages, per, rev, false);
        // Filter pages: new or removed ones, or other counts, change the section's view too.
        let new = facet_lists(site, s);
        let old = before.map_or_else(|| new.clone(), |b| b.facets[s].clone());
        if old != new {
            let shape = |v: &[(List, Vec<usize>)]| v.iter().map(|(l, p)| (l.clone(), p.len())).collect::<Vec<_>>();
            if shape(&old) != shape(&new) {
                replan = true;
                inv.sections.insert(s);
                inv.section_meta.insert(s);
                inv.section_pages.insert(s);
            }
        }
        let old: HashMap<&List, &Vec<usize>> = old.iter().map(|(l, p)| (l, p)).collect();
        for (list, pages) in &new {
            mark_pagers(inv, list.clone(), old.get(list).map_or(&[][..], |p| p), pages, per, rev, false);
        }
    }
    for (t, tax) in site.taxonomies.iter().enumerate() {
        let shows_changed = tax.terms.iter().any(|term| term.pages.iter().any(|i| inv.listed.contains(i)));
        let old_terms = before.map_or(&tax.terms, |b| &b.taxonomies[t].terms);
        let key = |t: &content::Term| (t.name.clone(), t.slug.clone(), t.pages.len());
        let reordered =
            old_terms.len() != tax.terms.len() || old_terms.iter().zip(&tax.terms).any(|(a, b)| a.pages != b.pages);
        let terms_changed = !old_terms.iter().map(key).eq(tax.terms.iter().map(key));
        if shows_changed || reordered || terms_changed {
            inv.taxonomies.insert(t);
        }
        if terms_changed {
            inv.terms.insert(t);
        }
        // A language's taxonomy page exists only once it has terms (see `render::plan`).
        if old_terms.is_empty() != tax.terms.is_empty() {
            replan = true;
        }
        for term in &tax.terms {
            let old = old_terms.iter().find(|o| o.slug == term.slug);
            let renamed = old.is_some_and(|o| o.name != term.name);
            let old_pages = old.map_or(&[][..], |o| &o.pages[..]);
            let list = List::Term(t, term.slug.clone());
            mark_pagers(inv, list, old_pages, &term.pages, tax.paginate_by, false, renamed);
        }
    }
    replan
}

/// Marks the pagers of one listing that show other pages now, or a page whose listing view
/// changed; all of them when the listing's length (shown on each) or its name changed.
fn mark_pagers(
    inv: &mut Invalidated,
    list: List,
    old: &[usize],
    new: &[usize],
    per: Option<usize>,
    reversed: bool,
    renamed: bool,
) {
    let shows_changed = |pages: &[usize]| pages.iter().any(|i| inv.listed.contains(i));
    if old == new && !renamed && !shows_changed(new) {
        return;
    }
    let all = renamed || old.len() != new.len();
    for n in 1..=pager_count(old.len().max(new.len()), per) {
        let (a, b) = (pager_slice(old, per, n, reversed), pager_slice(new, per, n, reversed));
        if all || a != b || shows_changed(&b) {
            inv.pagers.insert((list.clone(), n));
        }
    }
}

/// Notes the terms whose members changed (after a re-list), or that hold a page whose date
/// changed (old and new terms alike).
fn term_members(site: &Site, before: Option<&Before>, inv: &mut Invalidated, relisted: bool, dated: &[usize]) {
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
    let then = before.map(|b| index(&b.taxonomies)).unwrap_or_default();
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

/// Does this edit move the page, or change how it is rendered, beyond its own data? Every
/// field is named, so a new one must be sorted into "moves" or "does not".
fn moved_page(old: &Page, new: &Page) -> bool {
    let Page {
        source,
        title: _,
        description: _,
        date: _,
        updated: _,
        draft,
        slug,
        path,
        aliases,
        template,
        weight: _,
        authors: _,
        taxonomies: _,
        extra: _,
        spans: _,
        section,
        assets: _,
        listed: _,
        render,
        body: _,
        rendered: _,
    } = old;
    *source != new.source
        || *path != new.path
        || *slug != new.slug
        || *aliases != new.aliases
        || *template != new.template
        || *render != new.render
        || *draft != new.draft
        || *section != new.section
}

/// Does this edit change the section's URLs, order, pagination or templates? Every field
/// is named, so a new one must be sorted into "moves" or "does not".
fn moved_section(old: &Section, new: &Section) -> bool {
    let Section {
        source,
        title: _,
        description: _,
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
        extra: _,
        spans: _,
        assets: _,
        filters,
        facets: _,
        search_index,
        parent: _,
        pages: _,
        subsections: _,
        body: _,
        rendered: _,
    } = old;
    *source != new.source
        || *path != new.path
        || *sort_by != new.sort_by
        || *weight != new.weight
        || *template != new.template
        || *page_template != new.page_template
        || *paginate_by != new.paginate_by
        || *paginate_path != new.paginate_path
        || *paginate_reversed != new.paginate_reversed
        || *transparent != new.transparent
        || *render != new.render
        || *redirect_to != new.redirect_to
        || *aliases != new.aliases
        || *filters != new.filters
        || *search_index != new.search_index
}

/// Do all `@/…#anchor` links from or (if headings changed) to the edited items still land?
/// A broken one sends the batch to a full rebuild, which reports it where it is.
fn anchors_ok(site: &Site, edited: &BTreeSet<String>, headings_changed: bool) -> bool {
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
            if !site.item_rendered(item).has_heading(anchor) {
                return false;
            }
        }
    }
    true
}
