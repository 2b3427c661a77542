//! Stage 4 of the pipeline: plans every output file (pages, section pagers, taxonomy pages,
//! aliases, 404), refuses two sources that would write the same URL, then renders the plan in
//! parallel and hands each file to the [`Output`] as soon as it is ready.

use crate::config::Config;
use crate::content::Site;
use crate::error::{Diagnostic, Diagnostics};
use crate::output::Output;
use crate::templates::views::{taxonomy_meta, Views};
use crate::templates::Templates;
use rayon::prelude::*;
use std::collections::HashMap;
use tera::{Context, Value};

/// One file the build will write.
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
}

/// A planned output file.
#[derive(Debug, Clone)]
pub struct Planned {
    /// Output path relative to the output root, e.g. `tips/x/index.html`.
    pub rel: String,
    /// What renders it.
    pub job: Job,
    /// The source that asked for it (for collision errors).
    pub origin: String,
}

/// Counts of what was rendered, for the summary line.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct RenderStats {
    /// Content pages.
    pub pages: usize,
    /// Sections (their first page).
    pub sections: usize,
    /// Further pages of paginated sections.
    pub pagers: usize,
    /// Taxonomy list and term pages.
    pub taxonomy_pages: usize,
    /// Redirects (aliases, `page/1/`, `redirect_to`).
    pub redirects: usize,
    /// Static filter pages of sections with `filters`.
    pub filter_pages: usize,
}

/// Output file for a site path: `/tips/x/` → `tips/x/index.html`; `/gammel.html` stays a file.
pub fn output_file(path: &str) -> String {
    let p = path.trim_start_matches('/');
    if p.ends_with(".html") || p.ends_with(".htm") {
        p.to_string()
    } else {
        format!("{p}index.html")
    }
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

fn pager_path(base: &str, paginate_path: &str, pager: usize) -> String {
    if pager <= 1 {
        base.to_string()
    } else {
        format!("{base}{paginate_path}/{pager}/")
    }
}

fn pager_count(items: usize, per: Option<usize>) -> usize {
    per.map_or(1, |n| items.div_ceil(n).max(1))
}

/// Lists every file the templates will produce, and reports URL collisions naming both sources.
pub fn plan(site: &Site, config: &Config, has_404: bool) -> Result<Vec<Planned>, Diagnostics> {
    let mut out = Vec::new();
    let redirect = |out: &mut Vec<Planned>, from: &str, to: &str, origin: &str| {
        out.push(Planned {
            rel: output_file(from),
            job: Job::Redirect(config.permalink(to)),
            origin: origin.to_string(),
        });
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
                out.push(Planned { rel: output_file(&s.path), job: Job::Redirect(to), origin: origin.clone() });
            } else {
                for pager in 1..=pager_count(s.pages.len(), s.paginate_by) {
                    let rel = output_file(&pager_path(&s.path, &s.paginate_path, pager));
                    out.push(Planned { rel, job: Job::Section { section: i, pager }, origin: origin.clone() });
                }
                if s.paginate_by.is_some() {
                    redirect(&mut out, &format!("{}{}/1/", s.path, s.paginate_path), &s.path, origin);
                }
                for (f, facet) in s.facets.iter().enumerate() {
                    for (k, ft) in facet.terms.iter().enumerate() {
                        for pager in 1..=pager_count(ft.pages.len(), s.paginate_by) {
                            let rel = output_file(&pager_path(&ft.path, &s.paginate_path, pager));
                            let job = Job::Filter { section: i, facet: f, term: k, pager };
                            out.push(Planned { rel, job, origin: format!("{origin} (filters)") });
                        }
                    }
                }
                if s.search_index {
                    let rel = format!("{}search.json", s.path.trim_start_matches('/'));
                    out.push(Planned { rel, job: Job::SearchIndex(i), origin: format!("{origin} (search_index)") });
                }
            }
        }
        for a in &s.aliases {
            redirect(&mut out, a, &s.path, origin);
        }
    }
    for (i, p) in site.pages.iter().enumerate() {
        if p.render {
            out.push(Planned { rel: output_file(&p.path), job: Job::Page(i), origin: p.source.file.clone() });
        }
        for a in &p.aliases {
            redirect(&mut out, a, &p.path, &p.source.file);
        }
    }
    for (t, tax) in site.taxonomies.iter().enumerate() {
        let origin = format!("site.toml (taxonomy `{}`)", tax.name);
        out.push(Planned { rel: output_file(&tax.path), job: Job::TaxonomyList(t), origin: origin.clone() });
        for (k, term) in tax.terms.iter().enumerate() {
            for pager in 1..=pager_count(term.pages.len(), tax.paginate_by) {
                let rel = output_file(&pager_path(&term.path, "page", pager));
                out.push(Planned {
                    rel,
                    job: Job::Term { taxonomy: t, term: k, pager },
                    origin: format!("term `{}` of {origin}", term.name),
                });
            }
        }
    }
    if has_404 {
        out.push(Planned { rel: "404.html".into(), job: Job::NotFound, origin: "404.html".into() });
    }
    check_collisions(&out).map(|()| out)
}

fn check_collisions(plan: &[Planned]) -> Result<(), Diagnostics> {
    let mut seen: HashMap<&str, &Planned> = HashMap::with_capacity(plan.len());
    let mut diags = Diagnostics::default();
    for p in plan {
        if let Some(first) = seen.insert(&p.rel, p) {
            let url = format!("/{}", p.rel.trim_end_matches("index.html"));
            let (a, b) = if first.origin <= p.origin { (first, p) } else { (p, first) };
            let file = if a.origin.starts_with("content/") { a.origin.clone() } else { b.origin.clone() };
            diags.push(Diagnostic::new(
                file,
                1,
                1,
                format!(
                    "{} and {} would both write the URL {url}: give one of them another slug or path",
                    a.origin, b.origin
                ),
            ));
        }
    }
    if diags.is_empty() {
        Ok(())
    } else {
        Err(diags)
    }
}

/// Everything rendering needs besides the plan.
pub struct Renderer<'a> {
    /// The site.
    pub site: &'a Site,
    /// Its config.
    pub config: &'a Config,
    /// The template engine.
    pub templates: &'a Templates,
    /// Prebuilt views.
    pub views: &'a Views,
}

impl Renderer<'_> {
    /// Renders and writes every planned file in parallel; collects all errors.
    pub fn render_all(&self, plan: &[Planned], output: &dyn Output) -> Result<RenderStats, Diagnostics> {
        let base = self.base_context();
        let errors: Vec<Diagnostic> = plan
            .par_iter()
            .filter_map(|p| {
                let bytes = match self.render_one(p, &base) {
                    Ok(b) => b,
                    Err(d) => return Some(d),
                };
                output
                    .write(&p.rel, &bytes)
                    .err()
                    .map(|e| Diagnostic::new(&p.origin, 1, 1, format!("cannot write {}: {e}", p.rel)))
            })
            .collect();
        if !errors.is_empty() {
            return Err(group(errors));
        }
        Ok(stats(plan))
    }

    /// The context every render starts from (`config`, `lang`).
    pub fn base_context(&self) -> Context {
        let mut ctx = Context::new();
        ctx.insert_value("config", self.views.config.clone());
        ctx.insert_value("lang", Value::from(self.config.language.as_str()));
        ctx
    }

    /// Renders one planned file to bytes.
    pub fn render_one(&self, p: &Planned, base: &Context) -> Result<Vec<u8>, Diagnostic> {
        let (site, config, views) = (self.site, self.config, self.views);
        let mut ctx = base.clone();
        let current_path = format!("/{}", p.rel.trim_end_matches("index.html"));
        ctx.insert_value("current_url", Value::from(config.permalink(&current_path)));
        ctx.insert_value("current_path", Value::from(current_path));
        // `chosen_by`: the content file (and front-matter key) that named the template, if any.
        let mut chosen_by: Option<(&str, &'static str)> = None;
        let (template, source) = match &p.job {
            Job::Redirect(to) => return Ok(redirect_html(&config.language, to).into_bytes()),
            Job::SearchIndex(s) => return Ok(crate::search::index_json(site, config, views, *s)),
            Job::NotFound => ("404.html".to_string(), "404.html".to_string()),
            Job::Page(i) => {
                let page = &site.pages[*i];
                ctx.insert_value("page", views.page(site, config, *i));
                ctx.insert_value("lang", Value::from(page.lang.as_str()));
                let (template, by) = self.page_template(*i);
                chosen_by = by;
                (template, page.source.file.clone())
            }
            Job::Section { section, pager } => {
                let s = &site.sections[*section];
                let (pages, paginator) =
                    self.paginate(&s.pages, s.paginate_by, *pager, &s.path, &s.paginate_path, s.paginate_reversed);
                ctx.insert_value("section", views.section(site, config, *section, &pages));
                if let Some(pg) = paginator {
                    ctx.insert_value("paginator", pg);
                }
                ctx.insert_value("lang", Value::from(s.lang.as_str()));
                let default = if s.parent.is_none() { "index.html" } else { "section.html" };
                if s.template.is_some() {
                    chosen_by = Some((&s.source.file, "template"));
                }
                (s.template.clone().unwrap_or_else(|| default.into()), s.source.file.clone())
            }
            Job::Filter { section, facet, term, pager } => {
                let s = &site.sections[*section];
                let ft = &s.facets[*facet].terms[*term];
                let (pages, paginator) =
                    self.paginate(&ft.pages, s.paginate_by, *pager, &ft.path, &s.paginate_path, s.paginate_reversed);
                ctx.insert_value("section", views.section(site, config, *section, &pages));
                ctx.insert_value("filter", views.filter(site, config, *section, *facet, *term));
                if let Some(pg) = paginator {
                    ctx.insert_value("paginator", pg);
                }
                ctx.insert_value("lang", Value::from(s.lang.as_str()));
                if s.template.is_some() {
                    chosen_by = Some((&s.source.file, "template"));
                }
                (s.template.clone().unwrap_or_else(|| "section.html".into()), s.source.file.clone())
            }
            Job::TaxonomyList(t) => {
                let tax = &site.taxonomies[*t];
                let terms: Vec<Value> = (0..tax.terms.len()).map(|k| views.term(site, config, *t, k, None)).collect();
                ctx.insert_value("taxonomy", taxonomy_meta(site, config, *t));
                ctx.insert_value("terms", Value::from(terms));
                (self.taxonomy_template(&tax.name, "list.html", "taxonomy_list.html"), p.origin.clone())
            }
            Job::Term { taxonomy, term, pager } => {
                let tax = &site.taxonomies[*taxonomy];
                let t = &tax.terms[*term];
                let (pages, paginator) = self.paginate(&t.pages, tax.paginate_by, *pager, &t.path, "page", false);
                ctx.insert_value("taxonomy", taxonomy_meta(site, config, *taxonomy));
                ctx.insert_value("term", views.term(site, config, *taxonomy, *term, Some(&pages)));
                if let Some(pg) = paginator {
                    ctx.insert_value("paginator", pg);
                }
                (self.taxonomy_template(&tax.name, "single.html", "taxonomy_single.html"), p.origin.clone())
            }
        };
        if !self.templates.has(&template) {
            return Err(self.missing_template(&template, chosen_by, &source));
        }
        self.templates.render(&template, &ctx, &source)
    }

    /// A page's template, and the file and key that chose it (none for the default).
    fn page_template(&self, i: usize) -> (String, Option<(&str, &'static str)>) {
        let page = &self.site.pages[i];
        if let Some(t) = &page.template {
            return (t.clone(), Some((&page.source.file, "template")));
        }
        let mut s = Some(page.section);
        while let Some(idx) = s {
            let sec = &self.site.sections[idx];
            if let Some(t) = &sec.page_template {
                return (t.clone(), Some((&sec.source.file, "page_template")));
            }
            s = sec.parent;
        }
        ("page.html".into(), None)
    }

    /// The error for a template that does not exist: at the front-matter key that named it,
    /// or at the template file that is missing. Same place and text for every page, so the
    /// errors of a whole section collapse into one line.
    fn missing_template(&self, name: &str, chosen_by: Option<(&str, &'static str)>, rendering: &str) -> Diagnostic {
        let with_ext = format!("{name}.html");
        // Suggest only for names a writer typed; a missing default has no better alternative.
        let hint = Some(with_ext.as_str())
            .filter(|_| chosen_by.is_some())
            .filter(|n| self.templates.has(n))
            .or_else(|| chosen_by.and(crate::error::suggest(name, self.templates.files.keys().map(String::as_str))))
            .map(|s| format!("did you mean \"{s}\"? "))
            .unwrap_or_default();
        let message = format!(
            "template `{name}` not found: {hint}add templates/{name} or choose a theme in site.toml that has it (while rendering {rendering})"
        );
        match chosen_by {
            Some((file, key)) => {
                let text = std::fs::read_to_string(self.config.root.join(file)).unwrap_or_default();
                let line = text.lines().position(|l| l.trim_start().starts_with(key)).map_or(1, |i| i + 1);
                Diagnostic::new(file, line, 1, message)
            }
            None => Diagnostic::new(format!("templates/{name}"), 1, 1, message),
        }
    }

    fn taxonomy_template(&self, name: &str, own: &str, fallback: &str) -> String {
        let specific = format!("{name}/{own}");
        if self.templates.has(&specific) {
            specific
        } else {
            fallback.to_string()
        }
    }

    /// The pages of pager `pager` and the paginator value (when paginated).
    fn paginate(
        &self,
        all: &[usize],
        per: Option<usize>,
        pager: usize,
        base: &str,
        paginate_path: &str,
        reversed: bool,
    ) -> (Vec<usize>, Option<Value>) {
        let Some(per) = per else { return (all.to_vec(), None) };
        let count = pager_count(all.len(), Some(per));
        let pages = pager_slice(all, Some(per), pager, reversed);
        let link = |n: usize| Value::from(self.config.permalink(&pager_path(base, paginate_path, n)));
        let mut paginator = tera::Map::default();
        for (k, v) in [
            ("pages", self.views.listing(&pages)),
            ("current_index", Value::from(pager)),
            ("number_pagers", Value::from(count)),
            ("paginate_by", Value::from(per)),
            ("total_pages", Value::from(all.len())),
            ("first", link(1)),
            ("last", link(count)),
            ("previous", if pager > 1 { link(pager - 1) } else { Value::none() }),
            ("next", if pager < count { link(pager + 1) } else { Value::none() }),
            ("base_url", Value::from(self.config.permalink(&format!("{base}{paginate_path}/")))),
        ] {
            paginator.insert(k.into(), v);
        }
        let paginator = Value::from(paginator);
        (pages, Some(paginator))
    }
}

/// Counts a plan's files by kind, for the summary line.
pub fn stats(plan: &[Planned]) -> RenderStats {
    let mut stats = RenderStats::default();
    for p in plan {
        match p.job {
            Job::Page(_) => stats.pages += 1,
            Job::Section { pager: 1, .. } => stats.sections += 1,
            Job::Section { .. } => stats.pagers += 1,
            Job::TaxonomyList(_) | Job::Term { .. } => stats.taxonomy_pages += 1,
            Job::Filter { .. } => stats.filter_pages += 1,
            Job::SearchIndex(_) => {}
            Job::Redirect(_) => stats.redirects += 1,
            Job::NotFound => {}
        }
    }
    stats
}

/// Merges identical errors from many pages into one line each ("while rendering X and N more").
pub(crate) fn group(errors: Vec<Diagnostic>) -> Diagnostics {
    let mut groups: Vec<(Diagnostic, String, usize)> = Vec::new();
    let mut index: HashMap<(String, usize, usize, String), usize> = HashMap::new();
    for d in errors {
        let (core, rendering) = match d.message.rsplit_once(" (while rendering ") {
            Some((c, r)) => (c.to_string(), r.trim_end_matches(')').to_string()),
            None => (d.message.clone(), String::new()),
        };
        let key = (d.path.clone(), d.line, d.col, core.clone());
        match index.get(&key) {
            Some(&g) => {
                groups[g].2 += 1;
                if rendering < groups[g].1 {
                    groups[g].1 = rendering;
                }
            }
            None => {
                index.insert(key, groups.len());
                groups.push((Diagnostic { message: core, ..d }, rendering, 1));
            }
        }
    }
    Diagnostics(
        groups
            .into_iter()
            .map(|(mut d, rendering, n)| {
                if !rendering.is_empty() {
                    let more = if n > 1 { format!(" and {} more", n - 1) } else { String::new() };
                    d.message = format!("{} (while rendering {rendering}{more})", d.message);
                }
                d
            })
            .collect(),
    )
}

/// The HTML of a redirect page.
pub fn redirect_html(lang: &str, to: &str) -> String {
    let to = crate::markdown::escape_attr(to);
    format!(
        "<!doctype html>\n<html lang=\"{lang}\"><head><meta charset=\"utf-8\"><title>{to}</title><meta name=\"robots\" content=\"noindex\"><link rel=\"canonical\" href=\"{to}\"><meta http-equiv=\"refresh\" content=\"0; url={to}\"></head><body><p><a href=\"{to}\">{to}</a></p></body></html>\n"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn output_files_and_pagers() {
        assert_eq!(output_file("/"), "index.html");
        assert_eq!(output_file("/tips/x/"), "tips/x/index.html");
        assert_eq!(output_file("/arkiv/side.html"), "arkiv/side.html");
        assert_eq!(pager_path("/tips/", "page", 1), "/tips/");
        assert_eq!(pager_path("/tips/", "side", 3), "/tips/side/3/");
        assert_eq!((pager_count(0, Some(10)), pager_count(25, Some(10)), pager_count(25, None)), (1, 3, 1));
    }

    #[test]
    fn identical_errors_from_many_pages_become_one_line() {
        let d = |page: &str| Diagnostic::new("templates/page.html", 3, 9, format!("oops (while rendering {page})"));
        let grouped = group(vec![d("content/b.md"), d("content/a.md"), d("content/c.md")]);
        assert_eq!(grouped.0.len(), 1);
        assert_eq!(grouped.0[0].message, "oops (while rendering content/a.md and 2 more)");
    }

    #[test]
    fn collisions_name_both_sources() {
        let p = |rel: &str, origin: &str| Planned { rel: rel.into(), job: Job::NotFound, origin: origin.into() };
        let err = check_collisions(&[p("om/index.html", "content/om.md"), p("om/index.html", "content/annet.md")])
            .unwrap_err();
        assert!(err.0[0].message.starts_with("content/annet.md and content/om.md would both write the URL /om/"));
    }
}
