//! Listings: each section's pages in its order (with transparent sections passing theirs
//! up) and its subsections; the orders themselves, shared with taxonomies.

use super::{Page, Site, SortBy};
use crate::slug::norwegian_sort_key;

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

/// Listings of a language that falls back also show the default language's pages of the
/// same section that have no translation in it (they keep their own language and address).
pub(crate) fn add_fallbacks(config: &crate::config::Config, site: &mut Site) {
    for l in config.languages.iter().filter(|l| l.fallback) {
        for s in 0..site.sections.len() {
            let sec = &site.sections[s];
            if sec.source.lang != l.code {
                continue;
            }
            let Some(super::Item::Section(d)) = site.translation_in(super::Item::Section(s), &config.language) else {
                continue;
            };
            let extra: Vec<usize> = site.sections[d]
                .pages
                .iter()
                .copied()
                .filter(|&p| site.translation_in(super::Item::Page(p), &l.code).is_none())
                .collect();
            if extra.is_empty() {
                continue;
            }
            let mut list = std::mem::take(&mut site.sections[s].pages);
            list.extend(extra);
            sort_pages(&site.pages, &mut list, site.sections[s].sort_by);
            site.sections[s].pages = list;
        }
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
