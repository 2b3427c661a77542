//! Incremental rebuilds for `serve`: keeps the last good build's [`Prepared`] state and what
//! every output read while rendering, and, for a batch of changed files, patches the state
//! and produces again only the outputs whose inputs changed. The stages and the render path
//! are the ones `build` runs ([`build::prepare`], [`crate::render::Renderer::run`] into a
//! memory sink), so the result is the same, byte for byte, as a clean build;
//! `tests/it/incremental.rs` checks that.
//!
//! - a page or section edit that keeps the site's shape: the file is re-read, type-checked
//!   and its markdown re-rendered; listings, taxonomies and filter pages are re-sorted if the
//!   order could change (`patch.rs`);
//! - a template edit: the templates that use it (through extends, include, import or
//!   components; see [`graph`]);
//! - a static file: the files to publish are listed again;
//! - a photo (any raster image): a full rebuild in memory, whose image work the cache spares;
//! - site.toml, new, removed or renamed content files, new or removed templates, and edits
//!   that move a page (slug, path, draft, …): a full rebuild in memory.
//!
//! What to produce again is then one rule for every kind of output (`select.rs`): an
//! output whose declared or recorded inputs changed. Any error sends the batch through a
//! full rebuild, which reports every problem the way `build` does; the files served stay
//! those of the last good build. With [`Early`], the outputs open in browsers are rendered
//! and served before the rest ([`Served`] makes requests for the rest wait).

mod changes;
pub mod graph;
mod patch;
mod select;
mod served;

pub use served::{Files, Served};

use crate::build::{self, BuildOptions, Prepared};
use crate::content::LoadOptions;
use crate::error::Diagnostics;
use crate::output::Memory;
use crate::render::{self, Job, RenderStats};
use crate::templates::record::{Input, List};
use crate::templates::{self, Templates};
use changes::{classify, Change};
use graph::Graph;
use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::path::PathBuf;
use std::sync::Arc;
use std::time::{Duration, Instant};

/// What a rebuild did.
#[derive(Debug, Clone, Default)]
pub struct Rebuilt {
    /// True for a full rebuild.
    pub full: bool,
    /// Files produced (all of them for a full rebuild).
    pub rendered: usize,
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
    /// Problems that did not stop the rebuild (full rebuilds only).
    pub warnings: Diagnostics,
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
    state: Option<State>,
    files: Arc<Served>,
}

/// The last good build: the prepared site and what each output read.
struct State {
    load_opts: LoadOptions,
    prepared: Prepared,
    /// Which templates use which.
    graph: Graph,
    /// What each planned output read while rendering, by plan index.
    deps: Vec<Vec<Input>>,
}

/// What a batch of changes invalidates: the inputs that changed, by kind.
#[derive(Default)]
struct Invalidated {
    /// Produce everything again.
    all: bool,
    /// Pages whose full view changed (content, neighbours).
    pages: BTreeSet<usize>,
    /// Pages whose listing view changed.
    listed: BTreeSet<usize>,
    /// Sections whose own view changed (fields, filters).
    sections: BTreeSet<usize>,
    /// Sections whose listing changed (order, members, or a member's listing view).
    section_pages: BTreeSet<usize>,
    /// Sections whose page count changed.
    section_meta: BTreeSet<usize>,
    /// Pagers of listings that show other pages, or a page shown differently.
    pagers: BTreeSet<(List, usize)>,
    /// Taxonomies whose terms or term listings changed.
    taxonomies: BTreeSet<usize>,
    /// Taxonomies whose set of terms (names, counts) changed.
    terms: BTreeSet<usize>,
    /// Sections whose listed pages or their order changed.
    section_lists: BTreeSet<usize>,
    /// Terms (taxonomy, slug) whose members changed, or a member's date.
    term_members: BTreeSet<(usize, String)>,
    /// Templates whose output may have changed.
    templates: BTreeSet<String>,
    /// Source files whose bytes may have changed.
    files: BTreeSet<PathBuf>,
    /// Published files (output paths) whose bytes may have changed, for cache busting.
    statics: BTreeSet<String>,
    /// Outputs that did not exist before (produce them).
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
        Session { opts, state: None, files: Arc::default() }
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
        let load_opts = self.opts.load_options();
        let config = build::load_config(&self.opts)?;
        let prepared = build::prepare(config, &load_opts, &|_| {})?;
        let mut st = State::new(prepared, load_opts);
        let all: Vec<usize> = (0..st.prepared.plan.len()).collect();
        let files = st.produce(&all)?;
        let stats = render::stats(&st.prepared.plan);
        let warnings = st.prepared.warnings.clone();
        *self.files.write() = files.into_iter().collect();
        self.state = Some(st);
        Ok(Rebuilt {
            full: true,
            rendered: all.len(),
            removed: 0,
            changed: true,
            css_only: false,
            early: false,
            stats,
            warnings,
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
            match classify(&st.prepared, path) {
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
        if !content.is_empty() {
            patch::content(st, content, &mut inv)?;
        }
        let sources = if templates { Some(st.templates_changed(&mut inv)?) } else { None };
        if !statics.is_empty() {
            st.statics_changed(statics, &mut inv)?;
        }
        // The engine's functions hold the site and views: build it anew over the patched ones
        // (this also empties the cache of cache-busting hashes).
        st.rebuild_engine(sources)?;
        let jobs: Vec<usize> = (0..st.prepared.plan.len()).filter(|&k| select::needs(st, k, &inv)).collect();
        // Outputs open in a browser first, when there are others to do after them.
        let plan = &st.prepared.plan;
        let (first, rest): (Vec<usize>, Vec<usize>) = match &early {
            Some(e) => jobs.iter().partition(|&&k| e.first.contains(&plan[k].rel)),
            None => (Vec::new(), jobs.clone()),
        };
        let (first, rest) =
            if first.is_empty() || rest.is_empty() { (jobs.clone(), Vec::new()) } else { (first, rest) };
        let produced = st.produce(&first).map_err(|_| Fallback)?;
        let mut undo = Vec::new();
        let mut changed = !inv.removed.is_empty();
        {
            let mut files = self.files.write();
            for rel in &inv.removed {
                undo.push((rel.clone(), files.remove(rel)));
            }
            changed |= put(&mut files, produced, &mut undo);
        }
        if !rest.is_empty() {
            self.files.hold(rest.iter().map(|&k| st.prepared.plan[k].rel.clone()));
            if let Some(e) = early {
                (e.ready)(css_only, started.elapsed());
            }
            let produced = match st.produce(&rest) {
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
            changed |= put(&mut self.files.write(), produced, &mut Vec::new());
            self.files.release();
        }
        Ok(Rebuilt {
            full: false,
            rendered: jobs.len(),
            removed: inv.removed.len(),
            changed,
            css_only: false,
            early: !rest.is_empty(),
            stats: render::stats(&st.prepared.plan),
            warnings: Diagnostics::default(),
            elapsed: Duration::ZERO,
        })
    }
}

/// Stores files that differ from what is served; notes the old bytes in `undo`. True if any did.
fn put(
    files: &mut Files,
    items: impl IntoIterator<Item = (String, Arc<[u8]>)>,
    undo: &mut Vec<(String, Option<Arc<[u8]>>)>,
) -> bool {
    let mut changed = false;
    for (rel, bytes) in items {
        if files.get(&rel).is_none_or(|old| *old != bytes) {
            changed = true;
            undo.push((rel.clone(), files.insert(rel, bytes)));
        }
    }
    changed
}

impl State {
    fn new(prepared: Prepared, load_opts: LoadOptions) -> State {
        State {
            load_opts,
            graph: Graph::new(&prepared.templates.files),
            deps: vec![Vec::new(); prepared.plan.len()],
            prepared,
        }
    }

    /// Produces the planned outputs `jobs` through the one render path into memory,
    /// recording what each read.
    fn produce(&mut self, jobs: &[usize]) -> Result<BTreeMap<String, Arc<[u8]>>, Diagnostics> {
        let sink = Memory::default();
        let reads = self.prepared.renderer().run(&self.prepared.plan, jobs, &sink, true)?;
        for (k, read) in reads {
            self.deps[k] = read;
        }
        Ok(sink.take())
    }

    /// Drops the template engine, which holds the site and views, so they can be patched.
    fn drop_engine(&mut self) {
        self.prepared.templates = Templates::empty(std::mem::take(&mut self.prepared.templates.files));
    }

    /// Builds the engine again over the current site, views and template sources.
    fn rebuild_engine(&mut self, sources: Option<BTreeMap<String, (String, String)>>) -> Result<(), Fallback> {
        let sources = sources.unwrap_or_else(|| self.prepared.templates.files.clone());
        self.drop_engine();
        let p = &self.prepared;
        self.prepared.templates =
            build::engine(sources, &p.site, &p.config, &p.views, &p.translations).map_err(|_| Fallback)?;
        Ok(())
    }

    /// Reads the templates again; marks those that changed and every template using them.
    fn templates_changed(&mut self, inv: &mut Invalidated) -> Result<BTreeMap<String, (String, String)>, Fallback> {
        let sources = templates::collect_files(&self.prepared.config.layout).map_err(|_| Fallback)?;
        let old = &self.prepared.templates.files;
        if !sources.keys().eq(old.keys()) {
            return Err(Fallback);
        }
        let changed: BTreeSet<String> =
            sources.iter().filter(|(n, s)| old.get(*n) != Some(*s)).map(|(n, _)| n.clone()).collect();
        // Components called in texts render with the markdown: their templates rebuild all.
        let in_texts = self.prepared.views.components.as_ref().map(|c| &c.sources);
        if in_texts.is_some_and(|s| changed.iter().any(|n| s.contains_key(n))) {
            return Err(Fallback);
        }
        let graph = Graph::new(&sources);
        if graph.components != self.graph.components {
            inv.all = true;
        }
        inv.templates.extend(graph.affected(&changed));
        self.graph = graph;
        Ok(sources)
    }

    /// Lists the files to publish again: a changed file is copied again and the outputs that
    /// cache-bust it re-rendered; a new one is planned; a removed one goes to a full rebuild
    /// (body checks and content types check that images exist).
    fn statics_changed(&mut self, touched: &BTreeSet<PathBuf>, inv: &mut Invalidated) -> Result<(), Fallback> {
        let p = &self.prepared;
        // An edited, new or removed photo can change the size pages give it: a full rebuild
        // (in memory; unchanged photos come from the image cache).
        if touched.iter().any(|t| crate::assets::images::is_raster(&t.to_string_lossy())) {
            return Err(Fallback);
        }
        let fresh = crate::assets::static_files(&p.config.layout, &p.content_files);
        let fresh: Vec<_> = fresh.into_iter().filter(|f| !crate::assets::images::is_raster(&f.rel)).collect();
        let planned: HashMap<&str, &PathBuf> = p
            .plan
            .iter()
            .filter_map(|x| match &x.job {
                Job::Copy(src) => Some((x.rel.as_str(), src)),
                _ => None,
            })
            .collect();
        if planned.len() > fresh.len() || planned.keys().any(|rel| !fresh.iter().any(|f| f.rel == *rel)) {
            return Err(Fallback);
        }
        let replan = fresh.iter().any(|f| planned.get(f.rel.as_str()) != Some(&&f.source));
        for f in &fresh {
            if touched.contains(&f.source) || planned.get(f.rel.as_str()) != Some(&&f.source) {
                inv.files.insert(f.source.clone());
                inv.statics.insert(f.rel.clone());
            }
        }
        if replan {
            self.replan(inv)?;
        }
        Ok(())
    }

    /// Plans every output again, carrying each output's recorded reads over by path.
    fn replan(&mut self, inv: &mut Invalidated) -> Result<(), Fallback> {
        let p = &self.prepared;
        let statics = crate::assets::static_files(&p.config.layout, &p.content_files);
        let (statics, problems) = crate::assets::images_of(&p.images, statics);
        if !problems.is_empty() {
            return Err(Fallback);
        }
        let has_404 = p.templates.files.contains_key("404.html");
        let plan = render::plan(&p.site, &p.config, has_404, &statics, &p.images).map_err(|_| Fallback)?;
        let old: HashMap<&str, usize> = p.plan.iter().enumerate().map(|(k, x)| (x.rel.as_str(), k)).collect();
        let new_rels: BTreeSet<&str> = plan.iter().map(|x| x.rel.as_str()).collect();
        let mut deps = Vec::with_capacity(plan.len());
        for x in &plan {
            match old.get(x.rel.as_str()) {
                Some(&k) if p.plan[k].job == x.job || same_kind(&p.plan[k].job, &x.job) => {
                    deps.push(std::mem::take(&mut self.deps[k]))
                }
                _ => {
                    inv.new_rels.insert(x.rel.clone());
                    deps.push(Vec::new());
                }
            }
        }
        inv.removed.extend(old.keys().filter(|r| !new_rels.contains(*r)).map(|r| r.to_string()));
        self.deps = deps;
        self.prepared.plan = plan;
        Ok(())
    }
}

/// Term and filter pagers keep their path when term indices shift: the same output.
fn same_kind(a: &Job, b: &Job) -> bool {
    match (a, b) {
        (Job::Term { taxonomy: t1, pager: p1, .. }, Job::Term { taxonomy: t2, pager: p2, .. }) => t1 == t2 && p1 == p2,
        (Job::Filter { section: s1, pager: p1, .. }, Job::Filter { section: s2, pager: p2, .. }) => {
            s1 == s2 && p1 == p2
        }
        _ => false,
    }
}
