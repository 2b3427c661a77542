//! Incremental rebuilds for `serve`: keeps the last good build's state (site, views, plan,
//! what every output read while rendering) and, for a batch of changed files, patches the
//! state and re-renders only the outputs whose inputs changed. The stages are the ones
//! `build` runs ([`build::prepare`], [`crate::render::Renderer::render_one`]), so the result is the same,
//! byte for byte, as a clean build; `tests/it/incremental.rs` checks that.
//!
//! - a page or section edit that keeps the site's shape: the file is re-read, type-checked and
//!   its markdown re-rendered; listings, taxonomies and filter pages are re-sorted if the order
//!   could change; then the page, its neighbours, the pagers, filter pages, term pages and
//!   `search.json` listing it, and every output whose template looked it up (`get_page`,
//!   `get_section`, `get_taxonomy`, …) are re-rendered (`patch.rs`, `select.rs`);
//! - a template edit: the outputs whose template uses it (through extends, include, import or
//!   components; see [`graph`]);
//! - a static file: copied again, plus the outputs that cache-bust it (`get_url`);
//! - site.toml, new, removed or renamed content files, new or removed templates, and edits
//!   that move a page (slug, path, draft, …): a full rebuild in memory.
//!
//! Any error sends the batch through a full rebuild, which reports every problem the way
//! `build` does; the files served stay those of the last good build. With [`Early`], the
//! outputs open in browsers are rendered and served before the rest ([`Served`] makes
//! requests for the rest wait).

mod changes;
pub mod graph;
mod output;
mod patch;
mod select;
mod served;

pub use served::{Files, Served};

use crate::build::{self, BuildOptions, Prepared};
use crate::config::Config;
use crate::content::types::ContentTypes;
use crate::content::{ContentFile, LoadOptions, Site};
use crate::error::Diagnostics;
use crate::i18n::Translations;
use crate::render::{self, Planned, RenderStats};
use crate::templates::record::Access;
use crate::templates::{self, views::Views, Templates};
use changes::{classify, Change};
use graph::Graph;
use output::{put, read_statics, render_jobs, update_statics};
use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::path::PathBuf;
use std::sync::Arc;
use std::time::{Duration, Instant};

/// What a rebuild did.
#[derive(Debug, Clone, Default)]
pub struct Rebuilt {
    /// True for a full rebuild.
    pub full: bool,
    /// Files rendered (all of them for a full rebuild).
    pub rendered: usize,
    /// Files copied.
    pub copied: usize,
    /// Files no longer in the output.
    pub removed: usize,
    /// Did any served file change?
    pub changed: bool,
    /// Only stylesheets changed on disk (the browser can swap them without reloading).
    pub css_only: bool,
    /// `Early::ready` was called: browsers were told before the whole rebuild was done.
    pub early: bool,
    /// Counts of the whole output.
    pub stats: RenderStats,
    /// Wall time.
    pub elapsed: Duration,
}

/// The outputs open in browsers, rendered first in a large rebuild.
pub struct Early<'a> {
    /// Output paths, e.g. `tips/index.html`.
    pub first: &'a HashSet<String>,
    /// Called once they are served, with "only stylesheets changed" and the time so far.
    pub ready: &'a mut dyn FnMut(bool, Duration),
}

/// A preview build that can be updated file by file.
pub struct Session {
    opts: BuildOptions,
    root: PathBuf,
    state: Option<State>,
    files: Arc<Served>,
}

/// The last good build.
struct State {
    load_opts: LoadOptions,
    config: Arc<Config>,
    site: Arc<Site>,
    views: Arc<Views>,
    /// None while the site is being patched (the engine holds references to it).
    templates: Option<Templates>,
    sources: BTreeMap<String, (String, String)>,
    graph: Graph,
    plan: Vec<Planned>,
    /// What each planned output read, by plan index.
    deps: Vec<Vec<Access>>,
    statics: BTreeMap<String, PathBuf>,
    content_files: Vec<ContentFile>,
    static_dirs: Vec<PathBuf>,
    types: Option<ContentTypes>,
    translations: Arc<Translations>,
}

/// What a batch of changes invalidates.
#[derive(Default)]
struct Invalidated {
    /// Re-render everything.
    all: bool,
    /// Pages whose full view changed (content, neighbours).
    pages: BTreeSet<usize>,
    /// Pages whose listing view changed.
    listed: BTreeSet<usize>,
    /// Sections whose own fields changed.
    sections: BTreeSet<usize>,
    /// Sections whose listing changed (order, members, or a member's listing view).
    section_pages: BTreeSet<usize>,
    /// Sections whose page count changed.
    section_meta: BTreeSet<usize>,
    /// Taxonomies whose terms or term listings changed.
    taxonomies: BTreeSet<usize>,
    /// Taxonomies whose set of terms (names, counts) changed.
    terms: BTreeSet<usize>,
    /// Sections whose listed pages or their order changed.
    section_lists: BTreeSet<usize>,
    /// Terms (taxonomy, slug) whose members changed, or a member's date.
    term_members: BTreeSet<(usize, String)>,
    /// Sections whose filter pages (`filters`) list other pages or in another order.
    facets: BTreeSet<usize>,
    /// Listings before the change, when they were re-sorted.
    before: Option<patch::Before>,
    /// Templates whose output may have changed.
    templates: BTreeSet<String>,
    /// Static outputs whose bytes may have changed.
    statics: BTreeSet<String>,
    /// Outputs that did not exist before (render them).
    new_rels: BTreeSet<String>,
    /// Outputs that no longer exist.
    removed: BTreeSet<String>,
}

/// The batch cannot be applied incrementally: rebuild everything.
#[derive(Debug)]
struct Fallback;

impl Session {
    /// A session for the site; nothing is built until [`Session::full_rebuild`].
    pub fn new(opts: BuildOptions) -> Session {
        let root = opts.root.canonicalize().unwrap_or_else(|_| opts.root.clone());
        Session { opts, root, state: None, files: Arc::default() }
    }

    /// The served files, updated in place after every successful rebuild.
    pub fn files(&self) -> Arc<Served> {
        self.files.clone()
    }

    /// A copy of the output, sorted by path (for tests).
    pub fn snapshot(&self) -> BTreeMap<String, Vec<u8>> {
        self.files.read().iter().map(|(k, v)| (k.clone(), v.to_vec())).collect()
    }

    /// Builds everything in memory. On errors the served files stay as they were.
    pub fn full_rebuild(&mut self) -> Result<Rebuilt, Diagnostics> {
        let started = Instant::now();
        self.state = None;
        let load_opts = LoadOptions { drafts: self.opts.drafts, today: crate::date::today() };
        let config = build::load_config(&self.opts)?;
        let p = build::prepare(config, &load_opts, &|_| {})?;
        let mut st = State::new(p, load_opts);
        let all: Vec<usize> = (0..st.plan.len()).collect();
        let rendered = render_jobs(&st, &all)?;
        let statics: Vec<(String, PathBuf)> = st.statics.iter().map(|(r, s)| (r.clone(), s.clone())).collect();
        let copied = read_statics(&statics)?;
        let mut files = Files::with_capacity(rendered.len() + copied.len());
        for (k, bytes, deps) in rendered {
            st.deps[k] = deps;
            files.insert(st.plan[k].rel.clone(), bytes.into());
        }
        let copied_count = copied.len();
        files.extend(copied);
        let stats = render::stats(&st.plan);
        *self.files.write() = files;
        self.state = Some(st);
        Ok(Rebuilt {
            full: true,
            rendered: all.len(),
            copied: copied_count,
            removed: 0,
            changed: true,
            css_only: false,
            early: false,
            stats,
            elapsed: started.elapsed(),
        })
    }

    /// Applies a batch of changed paths (absolute, or relative to the site root).
    pub fn apply(&mut self, paths: &[PathBuf]) -> Result<Rebuilt, Diagnostics> {
        self.apply_early(paths, None)
    }

    /// Like [`Session::apply`], but renders the outputs in `early.first` before the others
    /// and calls `early.ready` as soon as they are served; requests for the rest wait until
    /// they are rendered too. If a later output fails, the early ones are put back.
    pub fn apply_early(&mut self, paths: &[PathBuf], early: Option<Early<'_>>) -> Result<Rebuilt, Diagnostics> {
        let started = Instant::now();
        let Some(st) = self.state.as_ref() else { return self.full_rebuild() };
        let (mut content, mut templates, mut statics) = (BTreeSet::new(), false, BTreeSet::new());
        for path in paths {
            match classify(st, &self.root, &self.opts.root, path) {
                Change::Full => return self.full_rebuild(),
                Change::Content(rel) => {
                    content.insert(rel);
                }
                Change::Templates => templates = true,
                Change::Static(p) => {
                    statics.insert(p);
                }
                Change::Ignore => {}
            }
        }
        if content.is_empty() && !templates && statics.is_empty() {
            return Ok(Rebuilt { elapsed: started.elapsed(), ..Rebuilt::default() });
        }
        let css_only =
            content.is_empty() && !templates && statics.iter().all(|p| p.extension().is_some_and(|e| e == "css"));
        match self.incremental(&content, templates, &statics, early, (css_only, started)) {
            Ok(mut r) => {
                r.css_only = css_only && r.changed;
                r.elapsed = started.elapsed();
                Ok(r)
            }
            Err(Fallback) => self.full_rebuild(),
        }
    }

    fn incremental(
        &mut self,
        content: &BTreeSet<String>,
        templates: bool,
        statics: &BTreeSet<PathBuf>,
        early: Option<Early<'_>>,
        (css_only, started): (bool, Instant),
    ) -> Result<Rebuilt, Fallback> {
        let st = self.state.as_mut().ok_or(Fallback)?;
        let mut inv = Invalidated::default();
        let plan_before: Vec<String> = st.plan.iter().map(|p| p.rel.clone()).collect();
        if !content.is_empty() {
            patch::content(st, content, &mut inv)?;
        }
        if templates {
            let sources = templates::collect_files(&st.config).map_err(|_| Fallback)?;
            if !sources.keys().eq(st.sources.keys()) {
                return Err(Fallback);
            }
            let changed: BTreeSet<String> =
                sources.iter().filter(|(n, s)| st.sources.get(*n) != Some(*s)).map(|(n, _)| n.clone()).collect();
            let graph = Graph::new(&sources);
            if graph.components != st.graph.components {
                inv.all = true;
            }
            inv.templates.extend(graph.affected(&changed));
            st.sources = sources;
            st.graph = graph;
        }
        let plan_changed = !st.plan.iter().map(|p| &p.rel).eq(plan_before.iter());
        if !statics.is_empty() || plan_changed {
            update_statics(st, statics, &mut inv)?;
        }
        // The engine's functions hold the site and views: build it anew over the patched ones
        // (this also empties the cache of cache-busting hashes).
        st.templates = None;
        st.templates = Some(
            build::engine(st.sources.clone(), &st.site, &st.config, &st.views, &st.static_dirs, &st.translations)
                .map_err(|_| Fallback)?,
        );
        let jobs: Vec<usize> = (0..st.plan.len()).filter(|&k| select::needs(st, k, &inv)).collect();
        // Outputs open in a browser first, when there are others to do after them.
        let (first, rest): (Vec<usize>, Vec<usize>) = match &early {
            Some(e) => jobs.iter().partition(|&&k| e.first.contains(&st.plan[k].rel)),
            None => (Vec::new(), jobs.clone()),
        };
        let (first, rest) =
            if first.is_empty() || rest.is_empty() { (jobs.clone(), Vec::new()) } else { (first, rest) };
        let rendered = render_jobs(st, &first).map_err(|_| Fallback)?;
        let copies: Vec<(String, PathBuf)> =
            inv.statics.iter().filter_map(|r| Some((r.clone(), st.statics.get(r)?.clone()))).collect();
        let copied = read_statics(&copies).map_err(|_| Fallback)?;
        let copied_count = copied.len();
        let mut undo = Vec::new();
        let mut changed = !inv.removed.is_empty();
        {
            let mut files = self.files.write();
            for rel in &inv.removed {
                undo.push((rel.clone(), files.remove(rel)));
            }
            let items = rendered.into_iter().map(|(k, bytes, deps)| {
                st.deps[k] = deps;
                (st.plan[k].rel.clone(), Arc::from(bytes))
            });
            changed |= put(&mut files, items.chain(copied), &mut undo);
        }
        if !rest.is_empty() {
            self.files.hold(rest.iter().map(|&k| st.plan[k].rel.clone()));
            if let Some(e) = early {
                (e.ready)(css_only, started.elapsed());
            }
            let rendered = match render_jobs(st, &rest) {
                Ok(r) => r,
                Err(_) => {
                    let mut files = self.files.write();
                    for (rel, old) in undo.into_iter().rev() {
                        match old {
                            Some(bytes) => files.insert(rel, bytes),
                            None => files.remove(&rel),
                        };
                    }
                    drop(files);
                    self.files.release();
                    return Err(Fallback);
                }
            };
            let items: Vec<(String, Arc<[u8]>)> = rendered
                .into_iter()
                .map(|(k, bytes, deps)| {
                    st.deps[k] = deps;
                    (st.plan[k].rel.clone(), Arc::from(bytes))
                })
                .collect();
            changed |= put(&mut self.files.write(), items, &mut Vec::new());
            self.files.release();
        }
        Ok(Rebuilt {
            full: false,
            rendered: jobs.len(),
            copied: copied_count,
            removed: inv.removed.len(),
            changed,
            css_only: false,
            early: !rest.is_empty(),
            stats: render::stats(&st.plan),
            elapsed: Duration::ZERO,
        })
    }
}

impl State {
    fn new(p: Prepared, load_opts: LoadOptions) -> State {
        let sources = p.templates.files.clone();
        State {
            load_opts,
            graph: Graph::new(&sources),
            sources,
            deps: vec![Vec::new(); p.plan.len()],
            config: p.config,
            site: p.site,
            views: p.views,
            templates: Some(p.templates),
            plan: p.plan,
            statics: p.statics.into_iter().collect(),
            content_files: p.content_files,
            static_dirs: p.static_dirs,
            types: p.types,
            translations: p.translations,
        }
    }

    /// Replaces the plan, carrying each output's recorded reads over by path.
    fn replan(&mut self, plan: Vec<Planned>, inv: &mut Invalidated) {
        let old: HashMap<&str, usize> = self.plan.iter().enumerate().map(|(k, p)| (p.rel.as_str(), k)).collect();
        let new_rels: BTreeSet<&str> = plan.iter().map(|p| p.rel.as_str()).collect();
        let mut deps = Vec::with_capacity(plan.len());
        for p in &plan {
            match old.get(p.rel.as_str()) {
                Some(&k) if self.plan[k].job == p.job || same_kind(&self.plan[k], p) => {
                    deps.push(std::mem::take(&mut self.deps[k]))
                }
                _ => {
                    inv.new_rels.insert(p.rel.clone());
                    deps.push(Vec::new());
                }
            }
        }
        inv.removed.extend(old.keys().filter(|r| !new_rels.contains(*r)).map(|r| r.to_string()));
        self.deps = deps;
        self.plan = plan;
    }
}

/// Term pagers keep their path when term indices shift: the same output, compared by slug.
fn same_kind(a: &Planned, b: &Planned) -> bool {
    use render::Job::Term;
    matches!((&a.job, &b.job), (Term { taxonomy: t1, pager: p1, .. }, Term { taxonomy: t2, pager: p2, .. }) if t1 == t2 && p1 == p2)
}
