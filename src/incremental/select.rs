//! Chooses the outputs to produce again: those whose inputs changed. An output's inputs are
//! what its plan declares (its page, the pager of a listing, the file it copies) and what it
//! read while rendering (its template, the pages and listings its templates looked up), so
//! every kind of output, present or future, is selected by the same rule.

use super::{Invalidated, State};
use crate::templates::record::Input;

/// Must planned output `k` be produced again?
pub(super) fn needs(st: &State, k: usize, inv: &Invalidated) -> bool {
    let planned = &st.prepared.plan[k];
    inv.all || inv.new_rels.contains(&planned.rel) || planned.inputs.iter().chain(&st.deps[k]).any(|a| hit(a, inv))
}

/// Does this input see something that changed?
fn hit(input: &Input, inv: &Invalidated) -> bool {
    match input {
        Input::Template(name) => inv.templates.contains(name),
        Input::Section(s) => inv.sections.contains(s),
        Input::Pager(list, n) => inv.pagers.contains(&(list.clone(), *n)),
        Input::File(path) => inv.files.contains(path),
        Input::Page(i) => inv.pages.contains(i),
        Input::SectionMeta(s) => inv.section_meta.contains(s),
        Input::SectionPages(s) => inv.section_meta.contains(s) || inv.section_pages.contains(s),
        Input::Taxonomy(t) => inv.taxonomies.contains(t),
        Input::Terms(t) => inv.terms.contains(t),
        Input::Term(t, slug) => inv.term_members.contains(&(*t, slug.clone())),
        Input::SectionList(s) => inv.section_lists.contains(s),
        Input::Listing(i) => inv.listed.contains(i),
        Input::Static(rel) => inv.statics.contains(rel),
    }
}
