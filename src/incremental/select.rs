//! Chooses the outputs to re-render: those whose planned input changed (the page itself, the
//! pager or term page listing it) and those whose recorded reads hit something that changed.

use super::{Invalidated, State};
use crate::render::{pager_slice, Job};
use crate::templates::record::Access;

/// Must planned output `k` be rendered again?
pub(super) fn needs(st: &State, k: usize, inv: &Invalidated) -> bool {
    let planned = &st.plan[k];
    if inv.all || inv.new_rels.contains(&planned.rel) || st.deps[k].iter().any(|a| hit(a, inv)) {
        return true;
    }
    let site = &st.site;
    match &planned.job {
        Job::Page(i) => inv.pages.contains(i),
        Job::Section { section, pager } => {
            let s = &site.sections[*section];
            if inv.sections.contains(section) {
                return true;
            }
            if !inv.section_pages.contains(section) {
                return false;
            }
            let old = inv.before.as_ref().map_or(&s.pages, |b| &b.lists[*section]);
            let slice = |all: &[usize]| pager_slice(all, s.paginate_by, *pager, s.paginate_reversed);
            old.len() != s.pages.len() || changed_slice(&slice(old), &slice(&s.pages), inv)
        }
        Job::TaxonomyList(t) => inv.terms.contains(t),
        Job::Term { taxonomy, term, pager } => {
            if !inv.taxonomies.contains(taxonomy) {
                return false;
            }
            let tax = &site.taxonomies[*taxonomy];
            let new = &tax.terms[*term];
            let old = match &inv.before {
                Some(b) => match b.taxonomies[*taxonomy].terms.iter().find(|t| t.slug == new.slug) {
                    Some(t) => t,
                    None => return true,
                },
                None => new,
            };
            let slice = |all: &[usize]| pager_slice(all, tax.paginate_by, *pager, false);
            old.name != new.name
                || old.pages.len() != new.pages.len()
                || changed_slice(&slice(&old.pages), &slice(&new.pages), inv)
        }
        Job::Filter { section, facet, term, pager } => {
            let s = &site.sections[*section];
            let f = &s.facets[*facet];
            if inv.sections.contains(section)
                || inv.section_meta.contains(section)
                || inv.facets.contains(section)
                || inv.terms.contains(&f.taxonomy)
            {
                return true;
            }
            let slice = pager_slice(&f.terms[*term].pages, s.paginate_by, *pager, s.paginate_reversed);
            slice.iter().any(|i| inv.listed.contains(i))
        }
        Job::SearchIndex(s) => {
            inv.sections.contains(s)
                || inv.section_pages.contains(s)
                || site.sections[*s].pages.iter().any(|i| inv.pages.contains(i))
        }
        Job::Redirect(_) | Job::NotFound => false,
    }
}

/// A pager's pages differ, or one of them shows differently in listings.
fn changed_slice(old: &[usize], new: &[usize], inv: &Invalidated) -> bool {
    old != new || new.iter().any(|i| inv.listed.contains(i))
}

/// Does a recorded read see something that changed?
fn hit(access: &Access, inv: &Invalidated) -> bool {
    match access {
        Access::Template(name) => inv.templates.contains(name),
        Access::Page(i) => inv.pages.contains(i),
        Access::SectionMeta(s) => inv.section_meta.contains(s),
        Access::SectionPages(s) => inv.section_meta.contains(s) || inv.section_pages.contains(s),
        Access::Taxonomy(t) => inv.taxonomies.contains(t),
        Access::Terms(t) => inv.terms.contains(t),
        Access::Term(t, slug) => inv.term_members.contains(&(*t, slug.clone())),
        Access::SectionList(s) => inv.section_lists.contains(s),
        Access::Listing(i) => inv.listed.contains(i),
        Access::Static(rel) => inv.statics.contains(rel),
    }
}
