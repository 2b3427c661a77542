//! Taxonomies: groups listed pages by the terms in their `[taxonomies]` front matter.

use super::{Site, SortBy, Taxonomy, Term};
use crate::config::Config;
use crate::slug::{norwegian_sort_key, slugify};
use std::collections::BTreeMap;

/// Builds every declared taxonomy from the site's listed pages. Terms whose names differ only
/// in case or accents share a slug and are merged under the first spelling seen.
pub(super) fn collect(config: &Config, site: &Site) -> Vec<Taxonomy> {
    config
        .taxonomies
        .iter()
        .map(|tc| {
            let base = format!("/{}/", tc.slug);
            let mut by_slug: BTreeMap<String, Term> = BTreeMap::new();
            for (i, page) in site.pages.iter().enumerate().filter(|(_, p)| p.listed) {
                for name in page.taxonomies.get(&tc.name).into_iter().flatten() {
                    let slug = slugify(name);
                    let term = by_slug.entry(slug.clone()).or_insert_with(|| Term {
                        name: name.clone(),
                        path: format!("{base}{slug}/"),
                        slug,
                        pages: Vec::new(),
                    });
                    term.pages.push(i);
                }
            }
            let mut terms: Vec<Term> = by_slug.into_values().collect();
            for t in &mut terms {
                super::load::sort_pages(&site.pages, &mut t.pages, SortBy::Date);
            }
            terms.sort_by_cached_key(|t| norwegian_sort_key(&t.name));
            Taxonomy { name: tc.name.clone(), title: tc.title.clone(), path: base, paginate_by: tc.paginate_by, terms }
        })
        .collect()
}
