//! Records what each render reads, for `serve`'s incremental rebuilds: the template it starts
//! from and every page, section, taxonomy or static file its template functions looked up.
//! Recording is per thread and off unless [`recording`] is running, so `build` pays nothing.

use std::cell::RefCell;

/// One thing a render read besides its own planned input.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Access {
    /// The template the render started from (its `extends`/`include` chain is scanned apart).
    Template(String),
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
    static LOG: RefCell<Option<Vec<Access>>> = const { RefCell::new(None) };
}

/// Is this thread recording? (Lets callers skip building an [`Access`] when not.)
pub fn active() -> bool {
    LOG.with(|log| log.borrow().is_some())
}

/// Notes an access if this thread is recording.
pub fn record(access: Access) {
    LOG.with(|log| {
        if let Some(list) = log.borrow_mut().as_mut() {
            list.push(access);
        }
    });
}

/// Runs `f` and returns what it read, sorted and without duplicates.
pub fn recording<R>(f: impl FnOnce() -> R) -> (R, Vec<Access>) {
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
        record(Access::Page(1));
        let ((), got) = recording(|| {
            record(Access::Page(2));
            record(Access::Page(2));
            record(Access::Terms(0));
        });
        assert_eq!(got, vec![Access::Page(2), Access::Terms(0)]);
        assert_eq!(recording(|| ()).1, vec![]);
    }
}
