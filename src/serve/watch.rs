//! Watches the site's sources with `notify` and hands the rebuild loop batches of changed
//! paths: events are collected until none has come for a short quiet time (the debounce), so
//! an editor's save (temporary file, rename, attribute change) becomes one rebuild.

use crate::layout::Layout;
use notify::event::{AccessKind, AccessMode, EventKind};
use notify::{RecursiveMode, Watcher as _};
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::sync::mpsc::{self, Receiver, RecvTimeoutError};
use std::time::{Duration, Instant};

/// The watcher and the stream of changed paths.
pub struct Watch {
    layout: Layout,
    watcher: notify::RecommendedWatcher,
    watching: BTreeSet<PathBuf>,
    events: Receiver<PathBuf>,
    sender: mpsc::Sender<PathBuf>,
}

impl Watch {
    /// Starts watching the site's sources (the root for its files, and every source folder
    /// that exists), as the layout describes them; `root` is the canonical site root.
    pub fn start(root: &Path, theme: Option<&str>) -> notify::Result<Watch> {
        let layout = Layout::new(root, theme);
        let (tx, events) = mpsc::channel();
        let sender = tx.clone();
        let filter = layout.clone();
        let watcher = notify::recommended_watcher(move |res: notify::Result<notify::Event>| {
            let Ok(event) = res else { return };
            // Reads (our own rebuilds open the files) are not changes.
            if let EventKind::Access(kind) = event.kind {
                if kind != AccessKind::Close(AccessMode::Write) {
                    return;
                }
            }
            for path in event.paths {
                if relevant(&filter, &path) {
                    let _ = tx.send(path);
                }
            }
        })?;
        let mut w = Watch { layout, watcher, watching: BTreeSet::new(), events, sender };
        w.watcher.watch(root, RecursiveMode::NonRecursive)?;
        w.watch_new_folders();
        Ok(w)
    }

    /// A sender into the batch stream (an empty path wakes the rebuild loop to stop it).
    pub fn sender(&self) -> mpsc::Sender<PathBuf> {
        self.sender.clone()
    }

    /// Watches any source folder that exists now but did not before (a theme's folders are
    /// watched through `themes/`, so a theme can be added while serving).
    fn watch_new_folders(&mut self) {
        let mut dirs: Vec<PathBuf> = self
            .layout
            .sources()
            .into_iter()
            .filter(|p| p.origin == crate::layout::Origin::Site)
            .map(|p| p.abs)
            .collect();
        dirs.push(self.layout.root.join("themes"));
        for path in dirs {
            if !self.watching.contains(&path)
                && path.is_dir()
                && self.watcher.watch(&path, RecursiveMode::Recursive).is_ok()
            {
                self.watching.insert(path);
            }
        }
    }

    /// Blocks until something changed, then returns every path that changed until `quiet` passed
    /// without another event (at most `quiet` × 10 in all). `None` when the watcher is gone.
    pub fn next_batch(&mut self, quiet: Duration) -> Option<Vec<PathBuf>> {
        let first = self.events.recv().ok()?;
        let started = Instant::now();
        let mut paths: BTreeSet<PathBuf> = BTreeSet::from([first]);
        while started.elapsed() < quiet * 10 {
            match self.events.recv_timeout(quiet) {
                Ok(p) => {
                    paths.insert(p);
                }
                Err(RecvTimeoutError::Timeout) => break,
                Err(RecvTimeoutError::Disconnected) => break,
            }
        }
        self.watch_new_folders();
        Some(paths.into_iter().collect())
    }
}

/// Is `path` one of the site's sources, or inside `themes/` (the theme may be switched in
/// site.toml), and not an editor's temporary file?
fn relevant(layout: &Layout, path: &Path) -> bool {
    let Ok(rel) = path.strip_prefix(&layout.root) else { return false };
    let name = rel.file_name().map(|n| n.to_string_lossy()).unwrap_or_default();
    if crate::content::is_temp_file(&name) {
        return false;
    }
    layout.locate(rel).is_some() || rel.starts_with("themes")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn relevant_paths() {
        let layout = Layout::new(Path::new("/site"), Some("x"));
        let relevant = |p: &str| relevant(&layout, Path::new(p));
        assert!(relevant("/site/site.toml"));
        assert!(relevant("/site/content/tips/a.md"));
        assert!(relevant("/site/themes/x/templates/page.html"));
        assert!(relevant("/site/content-types.toml"));
        assert!(!relevant("/site/content/tips/.a.md.swp"));
        assert!(!relevant("/site/content/tips/a.md~"));
        assert!(!relevant("/site/public/index.html"));
        assert!(!relevant("/site/.git/index"));
        assert!(!relevant("/elsewhere/site.toml"));
    }
}
