//! What outputs read, for `serve`'s incremental rebuilds. An output's plan declares the
//! inputs it is made from (its page, the pager of a listing, a file to copy); while it
//! renders, the template it starts from and every page, section, taxonomy or static file its
//! template functions look up are recorded too. Recording is per thread and off unless
//! [`recording`] is running, so `build` pays nothing.

use std::cell::RefCell;
use std::path::PathBuf;

/// A listing, named so that it keeps its identity when indices shift.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum List {
    /// A section's listed pages.
    Section(usize),
    /// A taxonomy term's pages, by taxonomy and term slug.
    Term(usize, String),
    /// A section's filter page for a term: section, taxonomy and term slug.
    Facet(usize, usize, String),
}

/// One thing an output reads.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Input {
    /// The template the render started from (its `extends`/`include` chain is scanned apart).
    Template(String),
    /// A section's own view: its fields, its filters, its subsections.
    Section(usize),
    /// Pager `n` (1-based) of a listing: the pages it shows and how many there are in all.
    Pager(List, usize),
    /// A file published as it is, by its source path.
    File(PathBuf),
    /// `get_page`: a page's full view (content, neighbours).
    Page(usize),
    /// `get_section(metadata_only=true)`: a section's own fields and page count.
    SectionMeta(usize),
    /// `get_section`: a section with the listing of all its pages.
    SectionPages(usize),
    /// `get_taxonomy`: a taxonomy with every term's listing.
    Taxonomy(usize),
    /// `get_taxonomy_url`: which terms a taxonomy has.
    Terms(usize),
    /// `get_pages`, `get_related`: one term's members (by taxonomy and slug) and their dates.
    Term(usize, String),
    /// `get_pages(section=)`: a section's listed pages and their order.
    SectionList(usize),
    /// `get_pages`, `get_related`: a page's listing view.
    Listing(usize),
    /// `get_url(cachebust=true)`: a static file's content hash (output-relative path).
    Static(String),
}

thread_local! {
    static LOG: RefCell<Option<Vec<Input>>> = const { RefCell::new(None) };
}

/// Is this thread recording? (Lets callers skip building an [`Input`] when not.)
pub fn active() -> bool {
    LOG.with(|log| log.borrow().is_some())
}

/// Notes an input if this thread is recording.
pub fn record(input: Input) {
    LOG.with(|log| {
        if let Some(list) = log.borrow_mut().as_mut() {
            list.push(input);
        }
    });
}

/// Runs `f` and returns what it read, sorted and without duplicates.
pub fn recording<R>(f: impl FnOnce() -> R) -> (R, Vec<Input>) {
    let previous = LOG.with(|log| log.borrow_mut().replace(Vec::new()));
    let result = f();
    let mut list = LOG.with(|log| std::mem::replace(&mut *log.borrow_mut(), previous)).unwrap_or_default();
    list.sort();
    list.dedup();
    (result, list)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn records_only_inside() {
        record(Input::Page(1));
        let ((), got) = recording(|| {
            record(Input::Page(2));
            record(Input::Page(2));
            record(Input::Terms(0));
        });
        assert_eq!(got, vec![Input::Page(2), Input::Terms(0)]);
        assert_eq!(recording(|| ()).1, vec![]);
    }
}
