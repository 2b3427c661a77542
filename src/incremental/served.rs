//! The output as served: a map of files that rebuilds update in place, and the outputs a
//! rebuild has not reached yet. A request for one of those waits until it is rendered, so a
//! rebuild that renders the pages open in browsers first never serves a stale page after it.

use std::collections::{HashMap, HashSet};
use std::sync::{Arc, Condvar, Mutex, RwLock};
use std::time::{Duration, Instant};

/// Output path → bytes.
pub type Files = HashMap<String, Arc<[u8]>>;

/// A request waits at most this long for a pending output (then gets the old one).
const WAIT: Duration = Duration::from_secs(30);

/// The served output.
#[derive(Default)]
pub struct Served {
    files: RwLock<Files>,
    pending: Mutex<HashSet<String>>,
    settled: Condvar,
}

impl Served {
    /// The file at `rel`, once no rebuild is about to replace it.
    pub fn get(&self, rel: &str) -> Option<Arc<[u8]>> {
        self.wait_for(rel);
        self.read().get(rel).cloned()
    }

    /// Is there a file at `rel`?
    pub fn contains(&self, rel: &str) -> bool {
        self.read().contains_key(rel)
    }

    /// A copy of every file.
    pub fn snapshot(&self) -> Files {
        self.read().clone()
    }

    pub(super) fn read(&self) -> std::sync::RwLockReadGuard<'_, Files> {
        self.files.read().unwrap_or_else(|p| p.into_inner())
    }

    pub(super) fn write(&self) -> std::sync::RwLockWriteGuard<'_, Files> {
        self.files.write().unwrap_or_else(|p| p.into_inner())
    }

    /// Marks outputs a rebuild will replace shortly.
    pub(super) fn hold(&self, rels: impl IntoIterator<Item = String>) {
        self.pending.lock().unwrap_or_else(|p| p.into_inner()).extend(rels);
    }

    /// Ends every hold and wakes the requests waiting.
    pub(super) fn release(&self) {
        self.pending.lock().unwrap_or_else(|p| p.into_inner()).clear();
        self.settled.notify_all();
    }

    fn wait_for(&self, rel: &str) {
        let deadline = Instant::now() + WAIT;
        let mut pending = self.pending.lock().unwrap_or_else(|p| p.into_inner());
        while pending.contains(rel) {
            let left = deadline.saturating_duration_since(Instant::now());
            if left.is_zero() {
                return;
            }
            pending = self.settled.wait_timeout(pending, left).unwrap_or_else(|p| p.into_inner()).0;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn requests_for_pending_outputs_wait_for_them() {
        let served = Arc::new(Served::default());
        served.write().insert("a.html".into(), Arc::from(&b"old"[..]));
        served.hold(["a.html".to_string()]);
        let reader = {
            let served = served.clone();
            std::thread::spawn(move || served.get("a.html"))
        };
        std::thread::sleep(Duration::from_millis(20));
        served.write().insert("a.html".into(), Arc::from(&b"new"[..]));
        served.release();
        assert_eq!(&*reader.join().unwrap().unwrap(), b"new");
        assert!(served.contains("a.html") && !served.contains("b.html"));
    }
}
