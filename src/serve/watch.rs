//! Watches the site's sources with `notify` and hands the rebuild loop batches of changed
//! paths: events are collected until none has come for a short quiet time (the debounce), so
//! an editor's save (temporary file, rename, attribute change) becomes one rebuild.

use notify::event::{AccessKind, AccessMode, EventKind};
use notify::{RecursiveMode, Watcher as _};
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::sync::mpsc::{self, Receiver, RecvTimeoutError};
use std::time::{Duration, Instant};

/// Folders under the site root whose changes rebuild the site.
pub const WATCHED: [&str; 7] = ["content", "themes", "assets", "templates", "static", "i18n", "data"];

/// Files at the site root whose changes rebuild the site.
const ROOT_FILES: [&str; 2] = [crate::config::CONFIG_FILE, "content-types.toml"];

/// The watcher and the stream of changed paths.
pub struct Watch {
    root: PathBuf,
    watcher: notify::RecommendedWatcher,
    watching: BTreeSet<String>,
    events: Receiver<PathBuf>,
    sender: mpsc::Sender<PathBuf>,
}

impl Watch {
    /// Starts watching `root` (site.toml and the [`WATCHED`] folders that exist).
    pub fn start(root: &Path) -> notify::Result<Watch> {
        let (tx, events) = mpsc::channel();
        let sender = tx.clone();
        let filter_root = root.to_path_buf();
        let watcher = notify::recommended_watcher(move |res: notify::Result<notify::Event>| {
            let Ok(event) = res else { return };
            // Reads (our own rebuilds open the files) are not changes.
            if let EventKind::Access(kind) = event.kind {
                if kind != AccessKind::Close(AccessMode::Write) {
                    return;
                }
            }
            for path in event.paths {
                if relevant(&filter_root, &path) {
                    let _ = tx.send(path);
                }
            }
        })?;
        let mut w = Watch { root: root.to_path_buf(), watcher, watching: BTreeSet::new(), events, sender };
        w.watcher.watch(root, RecursiveMode::NonRecursive)?;
        w.watch_new_folders();
        Ok(w)
    }

    /// A sender into the batch stream (an empty path wakes the rebuild loop to stop it).
    pub fn sender(&self) -> mpsc::Sender<PathBuf> {
        self.sender.clone()
    }

    /// Watches any [`WATCHED`] folder that exists now but did not before.
    fn watch_new_folders(&mut self) {
        for dir in WATCHED {
            let path = self.root.join(dir);
            if !self.watching.contains(dir)
                && path.is_dir()
                && self.watcher.watch(&path, RecursiveMode::Recursive).is_ok()
            {
                self.watching.insert(dir.to_string());
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

/// Is `path` site.toml or inside a watched folder (and not an editor's temporary file)?
fn relevant(root: &Path, path: &Path) -> bool {
    let Ok(rel) = path.strip_prefix(root) else { return false };
    let name = rel.file_name().map(|n| n.to_string_lossy()).unwrap_or_default();
    if crate::content::is_temp_file(&name) {
        return false;
    }
    let first = rel.components().next().map(|c| c.as_os_str().to_string_lossy().into_owned()).unwrap_or_default();
    ROOT_FILES.contains(&first.as_str()) || WATCHED.contains(&first.as_str())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn relevant_paths() {
        let root = Path::new("/site");
        assert!(relevant(root, Path::new("/site/site.toml")));
        assert!(relevant(root, Path::new("/site/content/tips/a.md")));
        assert!(relevant(root, Path::new("/site/themes/x/templates/page.html")));
        assert!(!relevant(root, Path::new("/site/content/tips/.a.md.swp")));
        assert!(!relevant(root, Path::new("/site/content/tips/a.md~")));
        assert!(!relevant(root, Path::new("/site/public/index.html")));
        assert!(!relevant(root, Path::new("/site/.git/index")));
        assert!(!relevant(root, Path::new("/elsewhere/site.toml")));
    }
}
