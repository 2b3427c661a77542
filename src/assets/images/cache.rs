//! The image cache: encoded variants kept between builds in `.jobbvinner-cache/images/` under
//! the site root (outside `content/`, `static/` and `assets/`; git-ignored), one file per
//! variant, named by the hash of the source's bytes, the operation and the encoder settings.
//! A rebuild whose images did not change finds every variant here and decodes nothing; a
//! full build removes the entries it did not use.

use std::collections::HashSet;
use std::hash::{Hash, Hasher};
use std::io;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

/// Bumped when the processing changes, so that old variants are made again.
pub const ENCODER_VERSION: u32 = 1;

/// The folder under the site root.
pub const CACHE_DIR: &str = ".jobbvinner-cache/images";

/// A 64-bit hash of bytes (stable across runs: SipHash with fixed keys), with the length.
pub fn hash_bytes(bytes: &[u8]) -> u64 {
    let mut h = std::hash::DefaultHasher::new();
    h.write(bytes);
    h.write_usize(bytes.len());
    h.finish()
}

/// A 64-bit hash of anything hashable.
pub fn hash_of(value: &impl Hash) -> u64 {
    let mut h = std::hash::DefaultHasher::new();
    value.hash(&mut h);
    h.finish()
}

/// The cache folder and the entries this build used.
#[derive(Debug)]
pub struct Cache {
    dir: PathBuf,
    used: Mutex<HashSet<String>>,
}

impl Cache {
    /// The cache of the site at `root`.
    pub fn new(root: &Path) -> Cache {
        Cache { dir: root.join(CACHE_DIR), used: Mutex::new(HashSet::new()) }
    }

    /// The file of the entry `name` (e.g. `0123abcd-89ef.webp`), noted as used.
    pub fn path(&self, name: &str) -> PathBuf {
        self.used.lock().unwrap_or_else(|e| e.into_inner()).insert(name.to_string());
        self.dir.join(name)
    }

    /// Stores an entry (written beside and renamed, so a reader never sees half a file).
    pub fn put(&self, name: &str, bytes: &[u8]) -> io::Result<PathBuf> {
        std::fs::create_dir_all(&self.dir)?;
        let path = self.path(name);
        let tmp = self.dir.join(format!(".{name}.{}.tmp", std::process::id()));
        std::fs::write(&tmp, bytes)?;
        std::fs::rename(&tmp, &path)?;
        Ok(path)
    }

    /// Removes the entries this build did not use; returns how many.
    pub fn prune(&self) -> usize {
        let used = self.used.lock().unwrap_or_else(|e| e.into_inner());
        let Ok(entries) = std::fs::read_dir(&self.dir) else { return 0 };
        let mut removed = 0;
        for e in entries.filter_map(Result::ok) {
            let name = e.file_name().to_string_lossy().to_string();
            if !used.contains(&name) && std::fs::remove_file(e.path()).is_ok() {
                removed += 1;
            }
        }
        removed
    }
}
