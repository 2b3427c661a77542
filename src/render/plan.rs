//! Planning: every file the build will write, listed before anything renders. Each planned
//! output says what produces it ([`Job`]), which source asked for it (for messages), and the
//! inputs it reads ([`Input`]), so that `serve` re-renders exactly the outputs whose inputs
//! changed. Two sources that would write the same path are an error naming both.
//!
//! A new kind of output (a feed, a sitemap, an image variant) is one more [`Job`] variant:
//! planned here with its inputs, produced in [`super::Renderer::produce`], counted in
//! [`super::stats`].

use crate::assets::images::ImageStage;
use crate::assets::StaticFile;
use crate::config::Config;
use crate::content::{Item, Site};
use crate::error::{Diagnostic, Diagnostics};
use crate::msg;
use crate::output::output_file;
use crate::templates::record::{Input, List};
use std::collections::HashMap;
use std::path::PathBuf;

/// What produces one output file.
#[derive(Debug, Clone, PartialEq)]
pub enum Job {
    /// A page.
    Page(usize),
    /// Page `pager` (1-based) of a section.
    Section { section: usize, pager: usize },
    /// The list of a taxonomy's terms.
    TaxonomyList(usize),
    /// Page `pager` of one term's listing.
    Term { taxonomy: usize, term: usize, pager: usize },
    /// Page `pager` of a section's filter page (`section.facets[facet].terms[term]`).
    Filter { section: usize, facet: usize, term: usize, pager: usize },
    /// A section's `search.json`.
    SearchIndex(usize),
    /// A redirect page to this URL.
    Redirect(String),
    /// `404.html`, when the theme has that template.
    NotFound,
    /// A file published as it is.
    Copy(PathBuf),
    /// An image variant (index in the image stage), made from its source.
    Image(usize),
}

/// A planned output file.
#[derive(Debug, Clone)]
pub struct Planned {
    /// Output path relative to the output root, e.g. `tips/x/index.html`.
    pub rel: String,
    /// What produces it.
    pub job: Job,
    /// The source that asked for it (for messages), e.g. `content/tips/x.md`.
    pub origin: String,
    /// What it reads, besides what its templates look up while rendering.
    pub inputs: Vec<Input>,
}

/// What an item's view reads of its translations (their titles and addresses, for
/// `hreflang` and language switchers).
fn translation_inputs(site: &Site, item: Item) -> impl Iterator<Item = Input> + '_ {
    site.translations_of(item).iter().filter(move |&&t| t != item).map(|&t| match t {
        Item::Page(j) => Input::Listing(j),
        Item::Section(j) => Input::SectionMeta(j),
    })
}

/// The pages shown on pager `pager` (1-based) of a listing, as rendering slices them.
pub fn pager_slice(all: &[usize], per: Option<usize>, pager: usize, reversed: bool) -> Vec<usize> {
    let Some(per) = per else { return all.to_vec() };
    let skip = (pager - 1) * per;
    if reversed {
        all.iter().rev().skip(skip).take(per).copied().collect()
    } else {
        all.iter().skip(skip).take(per).copied().collect()
    }
}

/// The site path of pager `pager` of a listing at `base`.
pub fn pager_path(base: &str, paginate_path: &str, pager: usize) -> String {
    if pager <= 1 {
        base.to_string()
    } else {
        format!("{base}{paginate_path}/{pager}/")
    }
}

/// How many pagers a listing of `items` pages has.
pub fn pager_count(items: usize, per: Option<usize>) -> usize {
    per.map_or(1, |n| items.div_ceil(n).max(1))
}

/// Lists every file the build will produce (rendered and copied), and reports two sources
/// for one path naming both.
pub fn plan(
    site: &Site,
    config: &Config,
    has_404: bool,
    statics: &[StaticFile],
    images: &ImageStage,
) -> Result<Vec<Planned>, Diagnostics> {
    let mut out = Vec::with_capacity(site.pages.len() + site.sections.len() + statics.len() + 64);
    let redirect = |out: &mut Vec<Planned>, from: &str, to: &str, origin: &str| {
        let job = Job::Redirect(config.permalink(to));
        out.push(Planned { rel: output_file(from), job, origin: origin.to_string(), inputs: Vec::new() });
    };
    for (i, s) in site.sections.iter().enumerate() {
        let origin = &s.source.file;
        if s.render {
            if let Some(to) = &s.redirect_to {
                let to = if to.contains("://") {
                    to.clone()
                } else {
                    config.permalink(&format!("/{}", to.trim_start_matches('/')))
                };
                let rel = output_file(&s.path);
                out.push(Planned { rel, job: Job::Redirect(to), origin: origin.clone(), inputs: Vec::new() });
            } else {
                for pager in 1..=pager_count(s.pages.len(), s.paginate_by) {
                    out.push(Planned {
                        rel: output_file(&pager_path(&s.path, &s.paginate_path, pager)),
                        job: Job::Section { section: i, pager },
                        origin: origin.clone(),
                        inputs: [Input::Section(i), Input::Pager(List::Section(i), pager)]
                            .into_iter()
                            .chain(translation_inputs(site, Item::Section(i)))
                            .collect(),
                    });
                }
                if s.paginate_by.is_some() {
                    redirect(&mut out, &format!("{}{}/1/", s.path, s.paginate_path), &s.path, origin);
                }
                for (f, facet) in s.facets.iter().enumerate() {
                    let tax = &site.taxonomies[facet.taxonomy];
                    for (k, ft) in facet.terms.iter().enumerate() {
                        let list = List::Facet(i, facet.taxonomy, tax.terms[ft.term].slug.clone());
                        for pager in 1..=pager_count(ft.pages.len(), s.paginate_by) {
                            out.push(Planned {
                                rel: output_file(&pager_path(&ft.path, &s.paginate_path, pager)),
                                job: Job::Filter { section: i, facet: f, term: k, pager },
                                origin: format!("{origin} (filters)"),
                                inputs: vec![
                                    Input::Section(i),
                                    Input::SectionMeta(i),
                                    Input::Terms(facet.taxonomy),
                                    Input::Pager(list.clone(), pager),
                                ],
                            });
                        }
                    }
                }
                if s.search_index {
                    let mut inputs = vec![Input::Section(i), Input::SectionPages(i)];
                    inputs.extend(s.pages.iter().map(|&p| Input::Page(p)));
                    out.push(Planned {
                        rel: format!("{}search.json", s.path.trim_start_matches('/')),
                        job: Job::SearchIndex(i),
                        origin: format!("{origin} (search_index)"),
                        inputs,
                    });
                }
            }
        }
        for a in &s.aliases {
            redirect(&mut out, a, &s.path, origin);
        }
    }
    for (i, p) in site.pages.iter().enumerate() {
        if p.render {
            let (rel, origin) = (output_file(&p.path), p.source.file.clone());
            let inputs = std::iter::once(Input::Page(i)).chain(translation_inputs(site, Item::Page(i))).collect();
            out.push(Planned { rel, job: Job::Page(i), origin, inputs });
        }
        for a in &p.aliases {
            redirect(&mut out, a, &p.path, &p.source.file);
        }
    }
    for (t, tax) in site.taxonomies.iter().enumerate() {
        // Another language's taxonomy without terms (no page in it uses it) has no page.
        if tax.terms.is_empty() && tax.lang != config.language {
            continue;
        }
        let origin = format!("site.toml (taxonomy `{}`)", tax.name);
        let rel = output_file(&tax.path);
        out.push(Planned { rel, job: Job::TaxonomyList(t), origin: origin.clone(), inputs: vec![Input::Terms(t)] });
        for (k, term) in tax.terms.iter().enumerate() {
            for pager in 1..=pager_count(term.pages.len(), tax.paginate_by) {
                out.push(Planned {
                    rel: output_file(&pager_path(&term.path, "page", pager)),
                    job: Job::Term { taxonomy: t, term: k, pager },
                    origin: format!("term `{}` of {origin}", term.name),
                    inputs: vec![Input::Pager(List::Term(t, term.slug.clone()), pager)],
                });
            }
        }
    }
    if has_404 {
        out.push(Planned { rel: "404.html".into(), job: Job::NotFound, origin: "404.html".into(), inputs: Vec::new() });
    }
    for f in statics {
        out.push(Planned {
            rel: f.rel.clone(),
            job: Job::Copy(f.source.clone()),
            origin: f.shown.clone(),
            inputs: vec![Input::File(f.source.clone())],
        });
    }
    // Every image registered so far (texts, front matter, unreferenced raster files); the
    // source is the input, so an edited photo is made again.
    for (k, v) in images.freeze() {
        let (_, source) = images.get(k);
        out.push(Planned {
            rel: v.rel,
            job: Job::Image(k),
            origin: source.shown.clone(),
            inputs: vec![Input::File(source.abs.clone())],
        });
    }
    check_collisions(&out).map(|()| out)
}

/// Two planned outputs at one path: the error names both sources and says what to do.
fn check_collisions(plan: &[Planned]) -> Result<(), Diagnostics> {
    let mut seen: HashMap<&str, &Planned> = HashMap::with_capacity(plan.len());
    let mut diags = Diagnostics::default();
    for p in plan {
        let Some(first) = seen.insert(&p.rel, p) else { continue };
        let url = crate::output::site_path(&p.rel);
        let (a, b) = if first.origin <= p.origin { (first, p) } else { (p, first) };
        let copied = |x: &Planned| matches!(x.job, Job::Copy(_) | Job::Image(_));
        let d = match (copied(a), copied(b)) {
            (true, true) => Diagnostic::error(&b.origin, msg!("plan.files_collide", other = &a.origin, rel = &p.rel)),
            (true, false) | (false, true) => {
                let (file, page) = if copied(a) { (a, b) } else { (b, a) };
                Diagnostic::error(&file.origin, msg!("plan.file_over_page", page = &page.origin, rel = &p.rel))
            }
            (false, false) => {
                let file = if a.origin.starts_with("content/") { &a.origin } else { &b.origin };
                Diagnostic::error(file, msg!("plan.urls_collide", first = &a.origin, second = &b.origin, url = url))
            }
        };
        diags.push(d);
    }
    diags.check()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn planned(rel: &str, job: Job, origin: &str) -> Planned {
        Planned { rel: rel.into(), job, origin: origin.into(), inputs: Vec::new() }
    }

    #[test]
    fn pagers() {
        assert_eq!(pager_path("/tips/", "page", 1), "/tips/");
        assert_eq!(pager_path("/tips/", "side", 3), "/tips/side/3/");
        assert_eq!((pager_count(0, Some(10)), pager_count(25, Some(10)), pager_count(25, None)), (1, 3, 1));
        assert_eq!(pager_slice(&[1, 2, 3, 4, 5], Some(2), 3, false), [5]);
        assert_eq!(pager_slice(&[1, 2, 3, 4, 5], Some(2), 1, true), [5, 4]);
    }

    #[test]
    fn collisions_name_both_sources() {
        let err = check_collisions(&[
            planned("om/index.html", Job::NotFound, "content/om.md"),
            planned("om/index.html", Job::NotFound, "content/annet.md"),
        ])
        .unwrap_err();
        assert!(
            err.0[0]
                .to_string()
                .starts_with("content/annet.md: content/annet.md and content/om.md would both write the URL /om/"),
            "{}",
            err.0[0]
        );
        let err = check_collisions(&[
            planned("om/index.html", Job::Page(0), "content/om.md"),
            planned("om/index.html", Job::Copy("/s/static/om/index.html".into()), "static/om/index.html"),
        ])
        .unwrap_err();
        assert!(
            err.0[0]
                .to_string()
                .starts_with("static/om/index.html: this file would overwrite the page rendered from content/om.md"),
            "{}",
            err.0[0]
        );
    }
}
