//! Taxonomies: groups listed pages by the terms in their `[taxonomies]` front matter.

use super::{Facet, FacetTerm, Site, SortBy, Taxonomy, Term};
use crate::config::Config;
use crate::slug::{norwegian_sort_key, slugify};
use std::collections::{BTreeMap, HashMap};

/// Builds every declared taxonomy in every language from the site's listed pages of that
/// language (and, where the language falls back, the default language's pages it has no
/// translation of). Terms whose names differ only in case or accents share a slug and are
/// merged under the first spelling seen.
pub(super) fn collect(config: &Config, site: &Site) -> Vec<Taxonomy> {
    let mut out = Vec::new();
    for lang in config.language_codes() {
        let fallback = config.other_language(lang).is_some_and(|l| l.fallback);
        let shown = |page: &super::Page, i: usize| {
            page.listed
                && (page.source.lang == lang
                    || (fallback
                        && page.source.lang == config.language
                        && site.translation_in(super::Item::Page(i), lang).is_none()))
        };
        for tc in &config.taxonomies {
            out.push(collect_one(config, site, tc, lang, &shown));
        }
    }
    out
}

/// One taxonomy in one language over the pages `shown` lets in.
fn collect_one(
    config: &Config,
    site: &Site,
    tc: &crate::config::TaxonomyConfig,
    lang: &str,
    shown: &dyn Fn(&super::Page, usize) -> bool,
) -> Taxonomy {
    {
        {
            let base = format!("{}/{}/", config.lang_prefix(lang), tc.slug);
            let mut by_slug: BTreeMap<String, Term> = BTreeMap::new();
            for (i, page) in site.pages.iter().enumerate().filter(|(i, p)| shown(p, *i)) {
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
                super::listing::sort_pages(&site.pages, &mut t.pages, SortBy::Date);
            }
            terms.sort_by_cached_key(|t| norwegian_sort_key(&t.name));
            Taxonomy::new(tc.name.clone(), lang.to_string(), tc.title.clone(), base, tc.paginate_by, terms)
        }
    }
}

/// Fills each section's filter pages: for every taxonomy in its `filters`, every term that a
/// listed page of the section carries, with those pages in the section's order.
pub(super) fn facets(site: &mut Site) {
    for s in 0..site.sections.len() {
        let sec = &site.sections[s];
        let mut facets = Vec::new();
        for t in sec.filters.iter().filter_map(|name| site.taxonomy_index(name, &sec.source.lang)) {
            let tax = &site.taxonomies[t];
            // The taxonomy's own segment, without its language's prefix (`/nn/fokusomrade/`).
            let slug = tax.path.trim_matches('/').rsplit('/').next().unwrap_or_default();
            let by_slug: HashMap<&str, usize> =
                tax.terms.iter().enumerate().map(|(k, t)| (t.slug.as_str(), k)).collect();
            let mut pages: Vec<Vec<usize>> = vec![Vec::new(); tax.terms.len()];
            for &p in &sec.pages {
                for name in site.pages[p].taxonomies.get(&tax.name).into_iter().flatten() {
                    if let Some(&k) = by_slug.get(slugify(name).as_str()) {
                        if pages[k].last() != Some(&p) {
                            pages[k].push(p);
                        }
                    }
                }
            }
            let terms = pages
                .into_iter()
                .enumerate()
                .filter(|(_, pages)| !pages.is_empty())
                .map(|(k, pages)| FacetTerm {
                    term: k,
                    path: format!("{}{}/{}/", sec.path, slug, tax.terms[k].slug),
                    pages,
                })
                .collect();
            facets.push(Facet { taxonomy: t, terms });
        }
        site.sections[s].facets = facets;
    }
}
