//! The pipeline, in one readable function: config → load content → render markdown →
//! templates → plan → render into a sink. Each stage collects every problem it finds; the
//! build stops before producing anything if there are errors, so `public/` is never
//! half-updated. `serve` and `check` run the same [`prepare`] and [`crate::render::Renderer::run`].

use crate::assets;
use crate::assets::images::{ImageStage, ImageStats};
use crate::config::Config;
use crate::content::{self, ContentFile, Links, LoadOptions, Site};
use crate::error::{suggest, Diagnostic, Diagnostics};
use crate::markdown::{self, Rendered};
use crate::msg;
use crate::output::{self, Disk, Sink, Staging};
use crate::render::{self, Planned, RenderStats, Renderer};
use crate::templates::{self, components::ComponentEngine, views::Views, Templates};
use rayon::prelude::*;
use std::collections::BTreeMap;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::{Duration, Instant};

/// What to build and how.
#[derive(Debug, Clone)]
pub struct BuildOptions {
    /// The site root (holds site.toml).
    pub root: PathBuf,
    /// Replace `base_url` from site.toml.
    pub base_url: Option<String>,
    /// Include drafts.
    pub drafts: bool,
    /// Treat warnings as errors.
    pub deny_warnings: bool,
    /// Markdown (bytes) up to which texts are kept in memory ([`LoadOptions::text_budget`]).
    pub text_budget: u64,
    /// Free the build's data before returning. The command line exits right after a build,
    /// and freeing every page's data first would only cost time (compilers skip it the same
    /// way, e.g. clang's `-disable-free`).
    pub free_memory: bool,
}

impl BuildOptions {
    /// Options for the site at `root`: its own base URL, no drafts, warnings allowed, and the
    /// text budget from `JOBBVINNER_TEXT_BUDGET_MB` (default 96 MB: a site of about 15 000
    /// long articles keeps every text; beyond that, fresh memory costs more than reading and
    /// rendering a text again).
    pub fn new(root: impl Into<PathBuf>) -> BuildOptions {
        let mb = std::env::var("JOBBVINNER_TEXT_BUDGET_MB").ok().and_then(|v| v.parse::<u64>().ok()).unwrap_or(96);
        BuildOptions {
            root: root.into(),
            base_url: None,
            drafts: false,
            deny_warnings: false,
            text_budget: mb.saturating_mul(1024 * 1024),
            free_memory: true,
        }
    }

    /// What to load.
    pub fn load_options(&self) -> LoadOptions {
        LoadOptions { drafts: self.drafts, today: crate::date::today(), text_budget: self.text_budget }
    }
}

/// Where the output goes.
pub enum Target<'a> {
    /// A folder, replaced atomically on success.
    Disk(PathBuf),
    /// Any other sink: memory (serve, tests) or an audit (`check`).
    Sink(&'a dyn Sink),
}

/// What a successful build did.
#[derive(Debug, Clone, Default)]
pub struct BuildReport {
    /// Produced files by kind.
    pub stats: RenderStats,
    /// Drafts not built (and not checked) because `--drafts` was not given.
    pub drafts_left_out: usize,
    /// Problems worth fixing that did not stop the build.
    pub warnings: Diagnostics,
    /// Pages without a translation and translations older than their original, per
    /// language (`check` shows them).
    pub translations: Vec<crate::check::TranslationStatus>,
    /// What the image stage did (`processed` is 0 when every image came from the cache).
    pub images: ImageStats,
    /// Wall time.
    pub elapsed: Duration,
}

/// Everything a build has before rendering: the stages `build`, `check` and `serve` share,
/// so an incremental rebuild in `serve` cannot drift from a full build.
pub struct Prepared {
    /// The config, menu URLs resolved.
    pub config: Arc<Config>,
    /// The content model, markdown rendered (pages' HTML moved into the views).
    pub site: Arc<Site>,
    /// Prebuilt template views.
    pub views: Arc<Views>,
    /// The template engine, functions registered over `site`, `config` and `views`.
    pub templates: Templates,
    /// Every output file: rendered and copied.
    pub plan: Vec<Planned>,
    /// Non-markdown files under content/ (copied; part of the plan).
    pub content_files: Vec<ContentFile>,
    /// The content types pages are checked against, if the site or theme declares any.
    pub types: Option<content::types::ContentTypes>,
    /// Interface text for templates.
    pub translations: Arc<crate::i18n::Translations>,
    /// The images the site publishes.
    pub images: Arc<ImageStage>,
    /// Problems that do not stop the build.
    pub warnings: Diagnostics,
}

impl Prepared {
    /// The renderer over this state.
    pub fn renderer(&self) -> Renderer<'_> {
        Renderer {
            site: &self.site,
            config: &self.config,
            templates: &self.templates,
            views: &self.views,
            images: &self.images,
        }
    }
}

/// Loads site.toml and applies `--base-url`.
pub fn load_config(opts: &BuildOptions) -> Result<Config, Diagnostics> {
    let mut config = Config::load(&opts.root)?;
    if let Some(url) = &opts.base_url {
        crate::config::check_base_url(url).map_err(|m| Diagnostic::error("--base-url", m))?;
        config.base_url = url.trim_end_matches('/').to_string();
    }
    Ok(config)
}

/// Runs the whole pipeline.
pub fn build(opts: &BuildOptions, target: Target<'_>) -> Result<BuildReport, Diagnostics> {
    let started = Instant::now();
    // JOBBVINNER_TIMINGS=1 prints how long each stage took, for profiling.
    let timings = std::env::var_os("JOBBVINNER_TIMINGS").is_some();
    let t = |stage: &str| {
        if timings {
            eprintln!("{stage:>10} done at {:?} ({} MB resident)", started.elapsed(), resident_mb());
        }
    };
    let config = load_config(opts)?;
    let disk = match &target {
        Target::Disk(dir) => Some(output::check_output_dir(&config.layout, dir)?),
        Target::Sink(_) => None,
    };
    let load_opts = opts.load_options();
    let prepared = prepare(config, &load_opts, &t)?;
    if opts.deny_warnings && !prepared.warnings.is_empty() {
        return Err(prepared.warnings.deny_warnings());
    }
    t("plan");
    let all: Vec<usize> = (0..prepared.plan.len()).collect();
    let produce = |sink: &dyn Sink| {
        prepared.renderer().run(&prepared.plan, &all, sink, false).map(|_| ()).map_err(|mut e| {
            e.extend(prepared.warnings.0.iter().cloned());
            e
        })
    };
    match target {
        Target::Disk(given) => {
            let dir = disk.unwrap_or(given);
            let staging = Staging::begin(&dir).map_err(|e| io_diag(&dir, &e))?;
            produce(&Disk::new(staging.dir().to_path_buf()))?;
            t("render");
            staging.commit().map_err(|e| io_diag(&dir, &e))?;
        }
        Target::Sink(sink) => {
            produce(sink)?;
            t("render");
        }
    }
    t("commit");
    let report = BuildReport {
        stats: render::stats(&prepared.plan),
        drafts_left_out: prepared.site.skipped_drafts.len(),
        warnings: prepared.warnings.clone(),
        translations: crate::check::translation_status(&prepared.site, &prepared.config),
        images: prepared.images.stats(),
        elapsed: started.elapsed(),
    };
    // Variants no page uses any more leave the cache.
    prepared.images.prune();
    if !opts.free_memory {
        std::mem::forget(prepared);
    }
    Ok(report)
}

/// Resident memory in MB (Linux), for `JOBBVINNER_TIMINGS`.
fn resident_mb() -> u64 {
    let statm = std::fs::read_to_string("/proc/self/statm").unwrap_or_default();
    let pages: u64 = statm.split_whitespace().nth(1).and_then(|p| p.parse().ok()).unwrap_or(0);
    pages * 4096 / 1_000_000
}

/// Stages 2–4 up to the plan: load content, render markdown, build views and templates, and
/// plan every output. `t` marks stage ends for `JOBBVINNER_TIMINGS`. Errors stop here, with
/// the warnings found so far beside them; warnings alone travel on in [`Prepared`].
pub fn prepare(mut config: Config, load_opts: &LoadOptions, t: &dyn Fn(&str)) -> Result<Prepared, Diagnostics> {
    // Later stages run on whatever loaded, so one run reports every problem.
    let (mut site, files, mut diags) = content::load(&config, load_opts);
    let static_dirs = assets::static_dirs(&config.layout);
    let types = match content::types::ContentTypes::load(&config) {
        Ok(types) => types,
        Err(d) => {
            diags.extend(d.0);
            None
        }
    };
    if let Some(types) = &types {
        diags.extend(types.check(&site, &static_dirs).0);
    }
    t("load");
    let translations = Arc::new(crate::i18n::Translations::load(&config).unwrap_or_else(|d| {
        diags.extend(d.0);
        Default::default()
    }));
    let files_of_templates = templates::collect_files(&config.layout);
    // The components texts call render with the markdown, before the views exist.
    let components = files_of_templates
        .as_ref()
        .ok()
        .and_then(|f| ComponentEngine::load(f, &Arc::new(config.clone()), &translations))
        .map(Arc::new);
    let images = Arc::new(ImageStage::new(&config));
    if !site.sections.is_empty() {
        let c = components.as_deref().map(|c| c as &dyn crate::markdown::Components);
        diags.extend(render_markdown(&mut site, &config, &static_dirs, types.as_ref(), c, Some(&*images)).0);
        diags.extend(content::resolve_menus(&mut config, &site).0);
        diags.extend(assets::images::fields::register(&site, types.as_ref(), &images).0);
    }
    t("markdown");
    let mut views = Views::new(&mut site, &config);
    views.components = components;
    views.images = Some(images.clone());
    let views = Arc::new(views);
    let site = Arc::new(site);
    let config = Arc::new(config);
    let templates = files_of_templates.and_then(|files| engine(files, &site, &config, &views, &translations));
    t("templates");
    let templates = match templates {
        Ok(t) => t,
        Err(d) => {
            diags.extend(d.0);
            return Err(diags);
        }
    };
    // The plan is made even when there are errors, so that pasted links are checked in the
    // same run (unless a file failed to load: links to it would look broken).
    let statics = assets::static_files(&config.layout, &files);
    if config.raw_html != crate::config::RawHtml::Allow {
        diags.extend(assets::svg::check(&statics).0);
    }
    let (statics, image_problems) = assets::images_of(&images, statics);
    diags.extend(image_problems.0);
    diags.extend(images.warnings().0);
    let plan = render::plan(&site, &config, templates.has("404.html"), &statics, &images).map_err(|mut e| {
        e.extend(diags.0.iter().cloned());
        e
    })?;
    if site.failed.is_empty() {
        diags.extend(own_links(&site, &plan).0);
    }
    diags.check()?;
    Ok(Prepared {
        config,
        site,
        views,
        templates,
        plan,
        content_files: files,
        types,
        translations,
        images,
        warnings: diags,
    })
}

/// Links pasted from the browser to the site's own addresses, checked against what the plan
/// publishes.
pub(crate) fn own_links(site: &Site, plan: &[Planned]) -> Diagnostics {
    let published = crate::check::Published::new(plan);
    let items = site.pages.iter().map(|p| (&p.source, &p.body, &p.rendered));
    let items = items.chain(site.sections.iter().map(|s| (&s.source, &s.body, &s.rendered)));
    let mut diags = Diagnostics::default();
    for (source, body, rendered) in items {
        for (pos, m) in crate::check::own_links(rendered, &published) {
            diags.push(Diagnostic::in_text(&source.file, body.line, pos, m));
        }
    }
    diags
}

/// The template engine over one state of the site.
pub(crate) fn engine(
    files: BTreeMap<String, (String, String)>,
    site: &Arc<Site>,
    config: &Arc<Config>,
    views: &Arc<Views>,
    translations: &Arc<crate::i18n::Translations>,
) -> Result<Templates, Diagnostics> {
    let shared = Arc::new(templates::Shared {
        site: site.clone(),
        config: config.clone(),
        views: views.clone(),
        static_dirs: assets::static_dirs(&config.layout),
        hashes: Default::default(),
        translations: translations.clone(),
    });
    Templates::from_files(files, |tera| templates::register(tera, shared))
}

/// A file system error about a whole file or folder.
pub(crate) fn io_diag(path: &std::path::Path, e: &std::io::Error) -> Diagnostic {
    Diagnostic::error(path.display().to_string(), msg!("io.error", detail = crate::error::io_message(e)))
}

/// Stage 3: renders every page's and section's markdown in parallel, checks what writers put
/// in the text (stricter on pages of a content type), then checks the `#anchor`s of internal
/// links against the headings of their targets. A site that keeps no texts in memory reads
/// each one again here and keeps all but its HTML, which is rendered again with its page.
pub(crate) fn render_markdown(
    site: &mut Site,
    config: &Config,
    static_dirs: &[PathBuf],
    types: Option<&content::types::ContentTypes>,
    components: Option<&dyn crate::markdown::Components>,
    images: Option<&dyn crate::markdown::Pictures>,
) -> Diagnostics {
    // Pages beyond the text budget keep no HTML (it is rendered again with the page).
    // Each text is taken out of the site, rendered, and let go at once, so that the memory
    // of one text serves the HTML of the next (fresh memory is what costs on a large site).
    let page_bodies: Vec<content::Body> = site.pages.iter_mut().map(|p| std::mem::take(&mut p.body)).collect();
    let section_bodies: Vec<content::Body> = site.sections.iter_mut().map(|s| std::mem::take(&mut s.body)).collect();
    let render = |source: &content::Source, mut body: content::Body, links: &Links<'_>| {
        let opts = markdown::Options::for_text(config, &source.lang, body.keep);
        body.take(source).map(|text| (markdown::render(text.as_str(), &opts, links), body.line, body.keep))
    };
    type Done = Result<(Rendered, usize, bool), Diagnostic>;
    let (pages, sections): (Vec<Done>, Vec<Done>) = {
        let links = Links { site, config, components, images, item: None };
        let pages = page_bodies
            .into_par_iter()
            .zip(site.pages.par_iter())
            .map(|(body, p)| render(&p.source, body, &links.for_item(&p.source)))
            .collect();
        let sections = section_bodies
            .into_par_iter()
            .zip(site.sections.par_iter())
            .map(|(body, s)| render(&s.source, body, &links.for_item(&s.source)))
            .collect();
        (pages, sections)
    };
    let mut diags = Diagnostics::default();
    let done = |item_body: &mut content::Body, rendered: &mut Rendered, r: Done, diags: &mut Diagnostics| match r {
        Ok((r, line, keep)) => {
            *rendered = r;
            *item_body = content::Body::new(None, line);
            item_body.keep = keep;
        }
        Err(d) => diags.push(d),
    };
    for (p, r) in site.pages.iter_mut().zip(pages) {
        done(&mut p.body, &mut p.rendered, r, &mut diags);
    }
    for (s, r) in site.sections.iter_mut().zip(sections) {
        done(&mut s.body, &mut s.rendered, r, &mut diags);
    }
    let typed = |p: &content::Page| types.is_some_and(|t| t.type_of(site, p).is_some());
    let items = site.pages.iter().map(|p| (&p.source, &p.body, &p.rendered, typed(p)));
    let items = items.chain(site.sections.iter().map(|s| (&s.source, &s.body, &s.rendered, false)));
    for (source, body, rendered, typed) in items {
        let file = &source.file;
        for (pos, message) in &rendered.errors {
            diags.push(Diagnostic::in_text(file, body.line, *pos, message.clone()));
        }
        for (pos, message) in &rendered.warnings {
            diags.push(Diagnostic::in_text(file, body.line, *pos, message.clone()).warning());
        }
        for p in crate::check::body_problems(source, rendered, static_dirs, typed) {
            let error = p.is_error();
            let d = Diagnostic::in_text(file, body.line, p.pos, p.message);
            diags.push(if error { d } else { d.warning() });
        }
        // A translation linking to a page that exists in its own language: suggest that one.
        if source.lang != config.language {
            for link in &rendered.links {
                let Some((target, _)) = &link.internal else { continue };
                let Some(&item) = site.by_source.get(target.trim_start_matches('/')) else { continue };
                if site.item_source(item).lang == source.lang {
                    continue;
                }
                if let Some(own) = site.translation_in(item, &source.lang) {
                    let own = &site.item_source(own).relative;
                    let m = msg!("links.has_translation", target = target.as_str(), lang = &source.lang, own = own);
                    diags.push(Diagnostic::in_text(file, body.line, link.pos, m).warning());
                }
            }
        }
        for link in &rendered.links {
            let Some((target, Some(anchor))) = &link.internal else { continue };
            let Some(&item) = site.by_source.get(target.trim_start_matches('/')) else { continue };
            let ids = site.item_rendered(item).heading_ids();
            if !ids.contains(&anchor.as_str()) {
                let hint = match suggest(anchor, ids.iter().copied()) {
                    Some(s) => msg!("hint.did_you_mean_anchor", id = s),
                    None if ids.is_empty() => msg!("hint.no_headings"),
                    None => msg!("hint.headings_are", ids = ids.join(", #")),
                };
                let m = msg!("links.missing_anchor", target = target.as_str(), anchor = anchor.as_str(), hint = hint);
                diags.push(Diagnostic::in_text(file, body.line, link.pos, m));
            }
        }
    }
    for r in site.pages.iter_mut().map(|p| &mut p.rendered).chain(site.sections.iter_mut().map(|s| &mut s.rendered)) {
        r.keep_for_site();
    }
    diags
}
