//! The pipeline, in one readable function: config → load content → render markdown →
//! render templates → write output. Each stage collects every problem it finds; the build
//! stops before writing anything if there are any, so `public/` is never half-updated.

use crate::config::Config;
use crate::content::{self, ContentFile, Links, LoadOptions, Site};
use crate::error::{suggest, Diagnostic, Diagnostics};
use crate::markdown::{self, Rendered};
use crate::output::{DiskOutput, MemoryOutput, NullOutput, Output, Staging};
use crate::render::{self, RenderStats, Renderer};
use crate::templates::{self, views::Views, Templates};
use rayon::prelude::*;
use std::collections::BTreeMap;
use std::path::{Component, Path, PathBuf};
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
}

/// Where the output goes.
pub enum Target<'a> {
    /// A folder, replaced atomically on success.
    Disk(PathBuf),
    /// Memory (serve, tests).
    Memory(&'a MemoryOutput),
    /// Nowhere: `check`.
    Check,
}

/// What a successful build did.
#[derive(Debug, Clone, Default)]
pub struct BuildReport {
    /// Rendered files by kind.
    pub stats: RenderStats,
    /// Static and content files copied.
    pub files_copied: usize,
    /// Drafts not built (and not checked) because `--drafts` was not given.
    pub drafts_left_out: usize,
    /// Wall time.
    pub elapsed: Duration,
}

/// Everything a build has before rendering: the stages `build` and `serve` share, so an
/// incremental rebuild in `serve` cannot drift from a full build.
pub struct Prepared {
    /// The config, menu URLs resolved.
    pub config: Arc<Config>,
    /// The content model, markdown rendered (pages' HTML moved into the views).
    pub site: Arc<Site>,
    /// Prebuilt template views.
    pub views: Arc<Views>,
    /// The template engine, functions registered over `site`, `config` and `views`.
    pub templates: Templates,
    /// Every output file to render.
    pub plan: Vec<render::Planned>,
    /// Output path → source file of every file to copy.
    pub statics: Vec<(String, PathBuf)>,
    /// Non-markdown files under content/ (part of `statics`).
    pub content_files: Vec<ContentFile>,
    /// Static folders, highest priority first.
    pub static_dirs: Vec<PathBuf>,
    /// The content types pages are checked against, if the site or theme declares any.
    pub types: Option<content::types::ContentTypes>,
    /// Interface text for templates.
    pub translations: Arc<crate::i18n::Translations>,
}

/// Loads site.toml and applies `--base-url`.
pub fn load_config(opts: &BuildOptions) -> Result<Config, Diagnostics> {
    let mut config = Config::load(&opts.root)?;
    if let Some(url) = &opts.base_url {
        crate::config::check_base_url(url).map_err(|m| Diagnostic::new("--base-url", 1, 1, m))?;
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
            eprintln!("{stage:>10} done at {:?}", started.elapsed());
        }
    };
    let config = load_config(opts)?;
    let disk = match &target {
        Target::Disk(dir) => Some(check_output_dir(&config.root, dir)?),
        _ => None,
    };
    let load_opts = LoadOptions { drafts: opts.drafts, today: crate::date::today() };
    let Prepared { site, config, views, templates, plan, statics, .. } = prepare(config, &load_opts, &t)?;

    let staging = match &disk {
        Some(dir) => Some(Staging::begin(dir).map_err(|e| io_diag(dir, e))?),
        None => None,
    };
    let disk_output = staging.as_ref().map(|s| DiskOutput::new(s.dir().to_path_buf()));
    let output: &dyn Output = match (&target, &disk_output) {
        (_, Some(d)) => d,
        (Target::Memory(m), _) => *m,
        _ => &NullOutput,
    };
    let renderer = Renderer { site: &site, config: &config, templates: &templates, views: &views };
    t("plan");
    let stats = renderer.render_all(&plan, output)?;
    t("render");
    let copy_errors: Vec<Diagnostic> =
        statics.par_iter().filter_map(|(rel, src)| output.copy(rel, src).err().map(|e| io_diag(src, e))).collect();
    if !copy_errors.is_empty() {
        return Err(Diagnostics(copy_errors));
    }
    t("copy");
    if let (Some(staging), Some(dir)) = (staging, &disk) {
        staging.commit().map_err(|e| io_diag(dir, e))?;
    }
    t("commit");
    Ok(BuildReport {
        stats,
        files_copied: statics.len(),
        drafts_left_out: site.skipped_drafts.len(),
        elapsed: started.elapsed(),
    })
}

/// Stages 2–4 up to the plan: load content, render markdown, build views and templates, plan
/// the output and list the files to copy. `t` marks stage ends for `JOBBVINNER_TIMINGS`.
pub fn prepare(mut config: Config, load_opts: &LoadOptions, t: &dyn Fn(&str)) -> Result<Prepared, Diagnostics> {
    // Later stages run on whatever loaded, so one run reports every problem.
    let (mut site, files, mut diags) = content::load(&config, load_opts);
    let static_dirs = static_dirs(&config);
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
    if !site.sections.is_empty() {
        diags.extend(render_markdown(&mut site, &config, &static_dirs).0);
        diags.extend(resolve_menus(&mut config, &site).0);
    }
    t("markdown");
    let translations = Arc::new(crate::i18n::Translations::load(&config).unwrap_or_else(|d| {
        diags.extend(d.0);
        Default::default()
    }));
    let views = Arc::new(Views::new(&mut site, &config));
    let site = Arc::new(site);
    let config = Arc::new(config);
    let templates = templates::collect_files(&config)
        .and_then(|files| engine(files, &site, &config, &views, &static_dirs, &translations));
    t("templates");
    let templates = match templates {
        Ok(t) if diags.is_empty() => t,
        Ok(_) => return Err(diags),
        Err(d) => {
            diags.extend(d.0);
            return Err(diags);
        }
    };
    let plan = render::plan(&site, &config, templates.has("404.html"))?;
    let statics = static_files(&static_dirs, files.clone(), &plan)?;
    Ok(Prepared {
        config,
        site,
        views,
        templates,
        plan,
        statics,
        content_files: files,
        static_dirs,
        types,
        translations,
    })
}

/// The template engine over one state of the site.
pub(crate) fn engine(
    files: BTreeMap<String, (String, String)>,
    site: &Arc<Site>,
    config: &Arc<Config>,
    views: &Arc<Views>,
    static_dirs: &[PathBuf],
    translations: &Arc<crate::i18n::Translations>,
) -> Result<Templates, Diagnostics> {
    let shared = Arc::new(templates::Shared {
        site: site.clone(),
        config: config.clone(),
        views: views.clone(),
        static_dirs: static_dirs.to_vec(),
        hashes: Default::default(),
        translations: translations.clone(),
    });
    Templates::from_files(files, |tera| templates::register(tera, shared))
}

pub(crate) fn io_diag(path: &Path, e: std::io::Error) -> Diagnostic {
    Diagnostic::new(path.display().to_string(), 1, 1, format!("file system error: {e}"))
}

/// Stage 3: renders every page's and section's markdown in parallel, then checks `#anchor`s
/// of internal links against the headings of their targets.
pub(crate) fn render_markdown(site: &mut Site, config: &Config, static_dirs: &[PathBuf]) -> Diagnostics {
    let opts = markdown_options(config);
    let (pages, sections): (Vec<Rendered>, Vec<Rendered>) = {
        let links = Links { site, config };
        let pages = site.pages.par_iter().map(|p| markdown::render(&p.body.markdown, &opts, &links)).collect();
        let sections = site.sections.par_iter().map(|s| markdown::render(&s.body.markdown, &opts, &links)).collect();
        (pages, sections)
    };
    for (p, r) in site.pages.iter_mut().zip(pages) {
        p.rendered = r;
    }
    for (s, r) in site.sections.iter_mut().zip(sections) {
        s.rendered = r;
    }
    let mut diags = Diagnostics::default();
    let items = site.pages.iter().map(|p| (&p.source, &p.body, &p.rendered));
    let items = items.chain(site.sections.iter().map(|s| (&s.source, &s.body, &s.rendered)));
    for (source, body, rendered) in items {
        let file = &source.file;
        let problems = crate::check::body_problems(source, rendered, static_dirs);
        for (offset, message) in rendered.errors.iter().chain(&problems) {
            diags.push(Diagnostic::at_offset(file, &body.markdown, *offset, body.line, message.clone()));
        }
        for link in &rendered.links {
            let Some((target, Some(anchor))) = &link.internal else { continue };
            let Some(&item) = site.by_source.get(target.trim_start_matches('/')) else { continue };
            let ids = &site.item_rendered(item).heading_ids;
            if !ids.iter().any(|id| id == anchor) {
                let hint = match suggest(anchor, ids.iter().map(String::as_str)) {
                    Some(s) => format!("; did you mean #{s}?"),
                    None if ids.is_empty() => "; that page has no headings".into(),
                    None => format!("; its headings are: #{}", ids.join(", #")),
                };
                diags.push(Diagnostic::at_offset(
                    file,
                    &body.markdown,
                    link.offset,
                    body.line,
                    format!("link to a missing heading: content/{target} has no heading #{anchor}{hint}"),
                ));
            }
        }
    }
    // The markdown is only needed for positions in diagnostics; free it before rendering
    // (on a large site it is tens of megabytes, and fresh memory is what costs here).
    for body in site.pages.iter_mut().map(|p| &mut p.body).chain(site.sections.iter_mut().map(|s| &mut s.body)) {
        body.markdown = String::new();
    }
    diags
}

/// Markdown options for the site's language.
pub(crate) fn markdown_options(config: &Config) -> markdown::Options {
    markdown::Options { norwegian_quotes: matches!(config.language.as_str(), "nb" | "nn") }
}

/// Resolves `@/` menu URLs in site.toml to permalinks.
fn resolve_menus(config: &mut Config, site: &Site) -> Diagnostics {
    let mut diags = Diagnostics::default();
    let src = std::fs::read_to_string(config.root.join(crate::config::CONFIG_FILE)).unwrap_or_default();
    let mut resolved = config.menus.clone();
    for item in resolved.values_mut().flatten() {
        if let Some(target) = item.url.strip_prefix("@/") {
            let links = Links { site, config };
            match markdown::LinkResolver::resolve(&links, target) {
                Ok(url) => item.url = url,
                Err(m) => {
                    let line = src.lines().position(|l| l.contains(&item.url)).map_or(1, |i| i + 1);
                    diags.push(Diagnostic::new(
                        crate::config::CONFIG_FILE,
                        line,
                        1,
                        format!("menu item `{}`: {m}", item.name),
                    ));
                }
            }
        }
    }
    config.menus = resolved;
    diags
}

/// Static folders, highest priority first: the site's `assets/`, its `static/` (Zola's name),
/// then the theme's `static/`.
fn static_dirs(config: &Config) -> Vec<PathBuf> {
    let mut dirs = vec![config.root.join("assets"), config.root.join("static")];
    if let Some(theme) = &config.theme {
        dirs.push(config.root.join("themes").join(theme).join("static"));
    }
    dirs
}

/// Every file to copy: static folders (the site wins over the theme) and content files.
/// A copied file that would overwrite a rendered page is an error.
pub(crate) fn static_files(
    dirs: &[PathBuf],
    content_files: Vec<ContentFile>,
    plan: &[render::Planned],
) -> Result<Vec<(String, PathBuf)>, Diagnostics> {
    let mut files: BTreeMap<String, PathBuf> = BTreeMap::new();
    for dir in dirs.iter().rev().filter(|d| d.is_dir()) {
        for entry in walkdir::WalkDir::new(dir).into_iter().filter_map(Result::ok) {
            let name = entry.file_name().to_string_lossy();
            if !entry.file_type().is_file() || content::is_temp_file(&name) {
                continue;
            }
            let rel = entry.path().strip_prefix(dir).unwrap_or(entry.path());
            let rel = rel.components().map(|c| c.as_os_str().to_string_lossy()).collect::<Vec<_>>().join("/");
            files.insert(rel, entry.path().to_path_buf());
        }
    }
    let mut diags = Diagnostics::default();
    for f in content_files {
        if let Some(prev) = files.insert(f.output.clone(), f.source.clone()) {
            diags.push(Diagnostic::new(
                f.source.display().to_string(),
                1,
                1,
                format!("this file and {} would both be written to /{}", prev.display(), f.output),
            ));
        }
    }
    let rendered: std::collections::HashMap<&str, &str> =
        plan.iter().map(|p| (p.rel.as_str(), p.origin.as_str())).collect();
    for (rel, src) in &files {
        if let Some(origin) = rendered.get(rel.as_str()) {
            diags.push(Diagnostic::new(
                src.display().to_string(),
                1,
                1,
                format!("this file would overwrite the page rendered from {origin} at /{rel}: rename or move it"),
            ));
        }
    }
    if diags.is_empty() {
        Ok(files.into_iter().collect())
    } else {
        Err(diags)
    }
}

/// Makes `path` absolute and removes `.`/`..` without touching the file system, after
/// resolving symlinks in the part that exists.
fn normalize(path: &Path) -> PathBuf {
    let abs =
        if path.is_absolute() { path.to_path_buf() } else { std::env::current_dir().unwrap_or_default().join(path) };
    let mut existing = abs.clone();
    let mut rest = Vec::new();
    while !existing.exists() {
        match (existing.file_name(), existing.parent()) {
            (Some(name), Some(parent)) => {
                rest.push(name.to_os_string());
                existing = parent.to_path_buf();
            }
            _ => break,
        }
    }
    let mut out = existing.canonicalize().unwrap_or(existing);
    for name in rest.into_iter().rev() {
        match Path::new(&name).components().next() {
            Some(Component::ParentDir) => {
                out.pop();
            }
            Some(Component::CurDir) | None => {}
            _ => out.push(name),
        }
    }
    out
}

/// Refuses output folders that would clobber the site's sources or anything above them.
fn check_output_dir(root: &Path, dir: &Path) -> Result<PathBuf, Diagnostic> {
    let root = normalize(root);
    let out = normalize(&if dir.is_absolute() { dir.to_path_buf() } else { root.join(dir) });
    let refuse = |why: &str| {
        Err(Diagnostic::new(
            dir.display().to_string(),
            1,
            1,
            format!(
                "refusing to use {} as the output folder: {why}; choose a new folder such as public/",
                out.display()
            ),
        ))
    };
    if root.starts_with(&out) {
        return refuse("it is the site root or contains it, and a build replaces the whole output folder");
    }
    for protected in ["content", "themes", "assets", "templates", "static", ".git"] {
        if out.starts_with(root.join(protected)) {
            return refuse(&format!("it is inside {protected}/, which holds the site's sources"));
        }
    }
    if out.exists() && !out.is_dir() {
        return refuse("it is a file");
    }
    // A build replaces the whole folder: only ever replace one that an earlier build wrote.
    let non_empty = std::fs::read_dir(&out).map(|mut d| d.next().is_some()).unwrap_or(false);
    if non_empty && !out.join(crate::output::MARKER).is_file() {
        return refuse(&format!(
            "it already holds files that jobbvinner did not write (no {} inside), and a build replaces the whole folder. Remove it first if it is an old output",
            crate::output::MARKER
        ));
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn output_folder_safety() {
        let tmp = tempfile::tempdir().unwrap();
        let root = tmp.path();
        for bad in [".", "..", "content", "themes/x", "assets", "content/../content/a", "/"] {
            assert!(check_output_dir(root, Path::new(bad)).is_err(), "{bad}");
        }
        for good in ["public", "out/site", "../elsewhere"] {
            assert!(check_output_dir(root, Path::new(good)).is_ok(), "{good}");
        }
        // An existing folder with someone else's files is refused; an earlier output is not.
        std::fs::create_dir_all(root.join("src")).unwrap();
        std::fs::write(root.join("src/main.rs"), "fn main() {}").unwrap();
        assert!(check_output_dir(root, Path::new("src")).unwrap_err().message.contains("did not write"));
        std::fs::create_dir_all(root.join("public")).unwrap();
        std::fs::write(root.join("public").join(crate::output::MARKER), "").unwrap();
        std::fs::write(root.join("public/index.html"), "").unwrap();
        assert!(check_output_dir(root, Path::new("public")).is_ok());
    }
}
