//! Producing the bytes of a rebuild: rendering planned outputs (recording what each read),
//! reading static files, and storing what changed into the served map.

use super::{Fallback, Files, Invalidated, State};
use crate::build;
use crate::error::{Diagnostic, Diagnostics};
use crate::render::{self, Renderer};
use crate::templates::record::{recording, Access};
use rayon::prelude::*;
use std::collections::{BTreeMap, BTreeSet};
use std::path::PathBuf;
use std::sync::Arc;

/// A rendered output: plan index, bytes, and what it read.
pub(super) type Rendered = (usize, Vec<u8>, Vec<Access>);

/// A file to serve: output path and bytes.
pub(super) type File = (String, Arc<[u8]>);

/// Renders planned outputs in parallel, recording what each read.
pub(super) fn render_jobs(st: &State, jobs: &[usize]) -> Result<Vec<Rendered>, Diagnostics> {
    let templates =
        st.templates.as_ref().ok_or_else(|| Diagnostics::from(Diagnostic::new("templates", 1, 1, "no templates")))?;
    let renderer = Renderer { site: &st.site, config: &st.config, templates, views: &st.views };
    let base = renderer.base_context();
    let results: Vec<Result<Rendered, Diagnostic>> = jobs
        .par_iter()
        .map(|&k| {
            let (bytes, deps) = recording(|| renderer.render_one(&st.plan[k], &base));
            bytes.map(|b| (k, b, deps))
        })
        .collect();
    let mut ok = Vec::with_capacity(results.len());
    let mut errors = Vec::new();
    for r in results {
        match r {
            Ok(x) => ok.push(x),
            Err(d) => errors.push(d),
        }
    }
    if errors.is_empty() {
        Ok(ok)
    } else {
        Err(render::group(errors))
    }
}

/// Reads static files to copy.
pub(super) fn read_statics(files: &[(String, PathBuf)]) -> Result<Vec<File>, Diagnostics> {
    let read: Vec<Result<File, Diagnostic>> = files
        .par_iter()
        .map(|(rel, src)| std::fs::read(src).map(|b| (rel.clone(), b.into())).map_err(|e| build::io_diag(src, e)))
        .collect();
    let (ok, errors): (Vec<_>, Vec<_>) = read.into_iter().partition(Result::is_ok);
    if errors.is_empty() {
        Ok(ok.into_iter().flatten().collect())
    } else {
        Err(Diagnostics(errors.into_iter().filter_map(Result::err).collect()))
    }
}

/// Stores files that differ from what is served; notes the old bytes in `undo`. True if any did.
pub(super) fn put(
    files: &mut Files,
    items: impl IntoIterator<Item = File>,
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

/// Re-lists the static files; marks the outputs whose source or bytes may have changed.
pub(super) fn update_statics(
    st: &mut State,
    touched: &BTreeSet<PathBuf>,
    inv: &mut Invalidated,
) -> Result<(), Fallback> {
    let fresh = build::static_files(&st.static_dirs, st.content_files.clone(), &st.plan).map_err(|_| Fallback)?;
    let fresh: BTreeMap<String, PathBuf> = fresh.into_iter().collect();
    for (rel, src) in &fresh {
        if st.statics.get(rel) != Some(src) || touched.contains(src) {
            inv.statics.insert(rel.clone());
        }
    }
    let removed: Vec<String> = st.statics.keys().filter(|r| !fresh.contains_key(*r)).cloned().collect();
    // Body checks and content types check that images exist: a removed file may break a page.
    if !removed.is_empty() {
        return Err(Fallback);
    }
    inv.removed.extend(removed);
    // A removed static file may have been cache-busted: re-render what read it.
    inv.statics.extend(st.statics.keys().filter(|r| !fresh.contains_key(*r)).cloned());
    st.statics = fresh;
    Ok(())
}
