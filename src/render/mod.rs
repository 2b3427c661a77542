//! Stage 5 of the pipeline: renders the planned outputs ([`plan`]) in parallel and hands each
//! to an output [`Sink`] as soon as it is ready. This is the one write path: `build` (a
//! staging folder), `serve` (memory, recording what each output read) and `check` (an audit
//! that writes nothing) differ only in the sink and the outputs they ask for.

pub mod plan;

pub use plan::{pager_count, pager_path, pager_slice, plan, Job, Planned};

use crate::assets::images::ImageStage;
use crate::config::Config;
use crate::content::Site;
use crate::error::{Diagnostic, Diagnostics, Rendering};
use crate::msg;
use crate::output::Sink;
use crate::templates::record::{recording, Input};
use crate::templates::views::{taxonomy_meta, Views};
use crate::templates::Templates;
use rayon::prelude::*;
use std::collections::HashMap;
use tera::{Context, Value};

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
    /// Files published as they are.
    pub copied: usize,
    /// Image files (variants, and raster files re-encoded without their metadata).
    pub images: usize,
}

impl RenderStats {
    /// What was produced and how long it took, as the one summary line `build`, `check` and
    /// `serve` print.
    pub fn summary(&self, elapsed: std::time::Duration) -> crate::messages::Message {
        let filters = (self.filter_pages > 0).then(|| msg!("summary.filters", count = self.filter_pages));
        msg!(
            "summary.counts",
            pages = self.pages,
            sections = self.sections,
            pagers = self.pagers,
            taxonomy_pages = self.taxonomy_pages,
            filters = filters,
            redirects = self.redirects,
            copied = self.copied,
            images = (self.images > 0).then(|| msg!("summary.images", count = self.images)),
            ms = elapsed.as_millis().to_string(),
        )
    }
}

/// The content file, its front-matter positions and the key that named a template.
type ChosenBy<'a> = Option<(&'a str, &'a crate::content::Spans, &'static str)>;

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
    /// The image stage.
    pub images: &'a ImageStage,
}

impl Renderer<'_> {
    /// Produces the planned outputs `jobs` (indices into `plan`) in parallel and hands each to
    /// `sink` as soon as it is ready; collects every error. With `record`, returns what each
    /// rendered output read (its template and its templates' lookups), by plan index.
    pub fn run(
        &self,
        plan: &[Planned],
        jobs: &[usize],
        sink: &dyn Sink,
        record: bool,
    ) -> Result<Vec<(usize, Vec<Input>)>, Diagnostics> {
        let base = self.base_context();
        // Image work first, one source per thread (each decoded once for all its sizes).
        let image_jobs: Vec<usize> =
            jobs.iter().filter_map(|&k| if let Job::Image(i) = plan[k].job { Some(i) } else { None }).collect();
        self.images.produce_all(&image_jobs);
        let produce = |k: usize| -> Result<Vec<Input>, Diagnostic> {
            let p = &plan[k];
            let (bytes, reads) = match &p.job {
                Job::Copy(source) => {
                    return sink.copy(&p.rel, source).map(|()| Vec::new()).map_err(|e| io_error(p, &e))
                }
                Job::Image(i) => {
                    let path = self.images.produce(*i).map_err(|(s, e)| image_error(self.images, &s, &e))?;
                    return sink.copy(&p.rel, &path).map(|()| Vec::new()).map_err(|e| io_error(p, &e));
                }
                Job::Page(_) if record => {
                    let (bytes, reads) = recording(|| self.render_one(p, &base));
                    (bytes.map(crate::assets::images::markup::eager_first), reads)
                }
                Job::Page(_) => (self.render_one(p, &base).map(crate::assets::images::markup::eager_first), Vec::new()),
                _ if record => recording(|| self.render_one(p, &base)),
                _ => (self.render_one(p, &base), Vec::new()),
            };
            sink.write(&p.rel, bytes?).map(|()| reads).map_err(|e| io_error(p, &e))
        };
        // Only what is asked for is gathered: the reads when recording, else the errors.
        let (reads, errors): (Vec<(usize, Vec<Input>)>, Vec<Diagnostic>) = if record {
            let all: Vec<_> = jobs.par_iter().map(|&k| produce(k).map(|r| (k, r))).collect();
            let (ok, bad): (Vec<_>, Vec<_>) = all.into_iter().partition(Result::is_ok);
            (ok.into_iter().flatten().collect(), bad.into_iter().filter_map(Result::err).collect())
        } else {
            (Vec::new(), jobs.par_iter().filter_map(|&k| produce(k).err()).collect())
        };
        // Images templates asked for that the plan did not have (e.g. `resize_image`).
        let mut errors = errors;
        if errors.is_empty() {
            let late = self.images.take_late();
            let ks: Vec<usize> = late.iter().map(|(k, _)| *k).collect();
            self.images.produce_all(&ks);
            errors.extend(
                late.par_iter()
                    .filter_map(|(k, v)| {
                        let path = match self.images.produce(*k) {
                            Ok(path) => path,
                            Err((s, e)) => return Some(image_error(self.images, &s, &e)),
                        };
                        sink.copy(&v.rel, &path).err().map(|e| {
                            Diagnostic::error(
                                &v.rel,
                                msg!("output.cannot_write", rel = &v.rel, detail = crate::error::io_message(&e)),
                            )
                        })
                    })
                    .collect::<Vec<_>>(),
            );
        }
        if errors.is_empty() {
            Ok(reads)
        } else {
            Err(group(errors))
        }
    }

    /// The context every render starts from (`config`, `lang`: the default language's).
    pub fn base_context(&self) -> Context {
        let mut ctx = Context::new();
        ctx.insert_value("config", self.views.config_for(&self.config.language));
        ctx.insert_value("lang", Value::from(self.config.language.as_str()));
        ctx
    }

    /// Renders one planned file to bytes.
    pub fn render_one(&self, p: &Planned, base: &Context) -> Result<Vec<u8>, Diagnostic> {
        let (site, config, views) = (self.site, self.config, self.views);
        let mut ctx = base.clone();
        let current_path = crate::output::site_path(&p.rel);
        ctx.insert_value("current_url", Value::from(config.permalink(&current_path)));
        ctx.insert_value("current_path", Value::from(current_path));
        // The language of what is rendered decides `lang` and which `config` (title, menus).
        let lang = match &p.job {
            Job::Page(i) => site.pages[*i].source.lang.as_str(),
            Job::Section { section, .. } | Job::Filter { section, .. } => site.sections[*section].source.lang.as_str(),
            Job::TaxonomyList(t) | Job::Term { taxonomy: t, .. } => site.taxonomies[*t].lang.as_str(),
            _ => config.language.as_str(),
        };
        if lang != config.language {
            ctx.insert_value("lang", Value::from(lang));
            ctx.insert_value("config", views.config_for(lang));
        }
        // `chosen_by`: the content file (and front-matter key) that named the template, if any.
        let mut chosen_by: ChosenBy<'_> = None;
        let (template, source) = match &p.job {
            Job::Redirect(to) => return Ok(redirect_html(&config.language, to).into_bytes()),
            Job::Copy(source) => {
                return std::fs::read(source).map_err(|e| io_error(p, &e));
            }
            Job::Image(k) => {
                let path = self.images.produce(*k).map_err(|(s, e)| image_error(self.images, &s, &e))?;
                return std::fs::read(path).map_err(|e| io_error(p, &e));
            }
            Job::SearchIndex(s) => return crate::search::index_json(site, config, views, *s),
            Job::NotFound => ("404.html".to_string(), "404.html".to_string()),
            Job::Page(i) => {
                let page = &site.pages[*i];
                ctx.insert_value("page", views.page(site, config, *i).map_err(|d| d.while_rendering(&p.origin))?);
                ctx.insert_value("lang", Value::from(page.source.lang.as_str()));
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
                ctx.insert_value("lang", Value::from(s.source.lang.as_str()));
                let default = if s.parent.is_none() { "index.html" } else { "section.html" };
                if s.template.is_some() {
                    chosen_by = Some((&s.source.file, &s.spans, "template"));
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
                ctx.insert_value("lang", Value::from(s.source.lang.as_str()));
                if s.template.is_some() {
                    chosen_by = Some((&s.source.file, &s.spans, "template"));
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
    fn page_template(&self, i: usize) -> (String, ChosenBy<'_>) {
        let page = &self.site.pages[i];
        if let Some(t) = &page.template {
            return (t.clone(), Some((&page.source.file, &page.spans, "template")));
        }
        let mut s = Some(page.section);
        while let Some(idx) = s {
            let sec = &self.site.sections[idx];
            if let Some(t) = &sec.page_template {
                return (t.clone(), Some((&sec.source.file, &sec.spans, "page_template")));
            }
            s = sec.parent;
        }
        ("page.html".into(), None)
    }

    /// The error for a template that does not exist: at the front-matter key that named it,
    /// or at the template file that is missing. Same place and text for every page, so the
    /// errors of a whole section collapse into one line.
    fn missing_template(&self, name: &str, chosen_by: ChosenBy<'_>, rendering: &str) -> Diagnostic {
        let with_ext = format!("{name}.html");
        // Suggest only for names a writer typed; a missing default has no better alternative.
        let hint = Some(with_ext.as_str())
            .filter(|_| chosen_by.is_some())
            .filter(|n| self.templates.has(n))
            .or_else(|| chosen_by.and(crate::error::suggest(name, self.templates.files.keys().map(String::as_str))))
            .map(|s| msg!("hint.did_you_mean_file", name = s));
        let message = msg!("render.missing_template", name = name, hint = hint);
        let d = match chosen_by {
            Some((file, spans, key)) => match spans.key(key) {
                Some(pos) => Diagnostic::at(file, pos.line, pos.col, message),
                None => Diagnostic::error(file, message),
            },
            None => Diagnostic::error(format!("templates/{name}"), message),
        };
        d.while_rendering(rendering)
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
            Job::Copy(_) => stats.copied += 1,
            Job::Image(_) => stats.images += 1,
        }
    }
    stats
}

/// A problem with an image, reported at the image file.
fn image_error(
    images: &ImageStage,
    source: &crate::assets::images::Source,
    p: &crate::assets::images::Problem,
) -> Diagnostic {
    Diagnostic::error(&source.shown, crate::assets::images::problem_message(&source.shown, p, images.config.max_pixels))
}

/// A file system error while producing an output, reported at the source that asked for it.
fn io_error(p: &Planned, e: &std::io::Error) -> Diagnostic {
    Diagnostic::error(&p.origin, msg!("output.cannot_write", rel = &p.rel, detail = crate::error::io_message(e)))
}

/// Merges identical problems from many outputs into one ("while rendering X and N more",
/// naming the first source in sort order).
pub(crate) fn group(errors: Vec<Diagnostic>) -> Diagnostics {
    let mut groups: Vec<Diagnostic> = Vec::new();
    let mut index: HashMap<Diagnostic, usize> = HashMap::new();
    for d in errors {
        let key = Diagnostic { rendering: None, ..d.clone() };
        match index.get(&key) {
            Some(&g) => {
                let (Some(have), Some(new)) = (&mut groups[g].rendering, d.rendering) else { continue };
                have.more += 1;
                if new.source < have.source {
                    have.source = new.source;
                }
            }
            None => {
                index.insert(key, groups.len());
                groups.push(Diagnostic { rendering: d.rendering.map(|r| Box::new(Rendering { more: 0, ..*r })), ..d });
            }
        }
    }
    Diagnostics(groups)
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
    fn identical_errors_from_many_pages_become_one_line() {
        let d = |page: &str| {
            Diagnostic::at("templates/page.html", 3, 9, msg!("render.missing_template", name = "x", hint = None))
                .while_rendering(page)
        };
        let grouped = group(vec![d("content/b.md"), d("content/a.md"), d("content/c.md")]);
        assert_eq!(grouped.0.len(), 1);
        assert!(grouped.0[0].to_string().ends_with(" (while rendering content/a.md and 2 more)"), "{}", grouped.0[0]);
    }
}
