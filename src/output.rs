//! Stage 5 of the pipeline: every output byte goes through an [`Output`]. `build` writes to a
//! staging folder beside the target and swaps it in only when the whole build succeeded, so
//! a failed or interrupted build never leaves a broken `public/`. `serve` and tests keep the
//! site in memory; `check` discards it.

use std::collections::BTreeMap;
use std::io;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

/// An empty file every disk build leaves in its output folder, so that a later build knows the
/// folder is its own to replace (and never replaces a folder of someone else's files).
pub const MARKER: &str = ".jobbvinner-output";

/// Where rendered files go. Paths are relative to the output root, `/`-separated.
pub trait Output: Sync {
    /// Writes one file.
    fn write(&self, rel: &str, bytes: &[u8]) -> io::Result<()>;
    /// Copies a source file to `rel`.
    fn copy(&self, rel: &str, source: &Path) -> io::Result<()> {
        self.write(rel, &std::fs::read(source)?)
    }
}

/// Writes into a folder on disk.
pub struct DiskOutput {
    dir: PathBuf,
}

impl DiskOutput {
    /// Writes below `dir`.
    pub fn new(dir: PathBuf) -> Self {
        DiskOutput { dir }
    }

    fn target(&self, rel: &str) -> io::Result<PathBuf> {
        if rel.split('/').any(|c| c == ".." || c.is_empty()) || rel.contains('\\') {
            return Err(io::Error::new(
                io::ErrorKind::InvalidInput,
                format!("refusing to write outside the output: {rel}"),
            ));
        }
        let path = self.dir.join(rel);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent)?;
        }
        Ok(path)
    }
}

impl Output for DiskOutput {
    fn write(&self, rel: &str, bytes: &[u8]) -> io::Result<()> {
        std::fs::write(self.target(rel)?, bytes)
    }
    fn copy(&self, rel: &str, source: &Path) -> io::Result<()> {
        std::fs::copy(source, self.target(rel)?).map(|_| ())
    }
}

/// Keeps the site in memory (for `serve` and tests).
#[derive(Default)]
pub struct MemoryOutput {
    /// Output path → bytes.
    pub files: Mutex<BTreeMap<String, Vec<u8>>>,
}

impl Output for MemoryOutput {
    fn write(&self, rel: &str, bytes: &[u8]) -> io::Result<()> {
        self.files.lock().unwrap_or_else(|p| p.into_inner()).insert(rel.to_string(), bytes.to_vec());
        Ok(())
    }
}

/// Discards everything (for `check`).
pub struct NullOutput;

impl Output for NullOutput {
    fn write(&self, _: &str, _: &[u8]) -> io::Result<()> {
        Ok(())
    }
    fn copy(&self, _: &str, source: &Path) -> io::Result<()> {
        std::fs::metadata(source).map(|_| ())
    }
}

/// A staging folder that replaces the target folder on [`Staging::commit`] and is removed
/// if dropped uncommitted.
pub struct Staging {
    staging: PathBuf,
    target: PathBuf,
    committed: bool,
}

impl Staging {
    /// Creates an empty staging folder next to `target`.
    pub fn begin(target: &Path) -> io::Result<Staging> {
        let parent = target.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
        std::fs::create_dir_all(parent)?;
        let name = target.file_name().map_or("public".into(), |n| n.to_string_lossy().into_owned());
        remove_stale(parent, &name);
        let staging = parent.join(format!(".{name}.staging-{}", std::process::id()));
        if staging.exists() {
            std::fs::remove_dir_all(&staging)?;
        }
        std::fs::create_dir(&staging)?;
        std::fs::write(staging.join(MARKER), "")?;
        Ok(Staging { staging, target: target.to_path_buf(), committed: false })
    }

    /// The folder to write into.
    pub fn dir(&self) -> &Path {
        &self.staging
    }

    /// Swaps the staging folder in place of the target; the old output is removed afterwards.
    pub fn commit(mut self) -> io::Result<()> {
        let old = self.staging.with_file_name(format!(
            ".{}.old-{}",
            self.target.file_name().map_or("public".into(), |n| n.to_string_lossy().into_owned()),
            std::process::id()
        ));
        let had_old = self.target.exists();
        if had_old {
            std::fs::rename(&self.target, &old)?;
        }
        if let Err(e) = std::fs::rename(&self.staging, &self.target) {
            if had_old {
                let _ = std::fs::rename(&old, &self.target);
            }
            return Err(e);
        }
        self.committed = true;
        if had_old {
            remove_dir_parallel(&old)?;
        }
        Ok(())
    }
}

/// Removes staging and old-output folders left by builds that were killed. On Linux a folder
/// whose process still runs is left alone (a concurrent build owns it).
fn remove_stale(parent: &Path, name: &str) {
    let Ok(entries) = std::fs::read_dir(parent) else { return };
    for entry in entries.flatten() {
        let file_name = entry.file_name().to_string_lossy().into_owned();
        let pid = [format!(".{name}.staging-"), format!(".{name}.old-")]
            .iter()
            .find_map(|prefix| file_name.strip_prefix(prefix.as_str())?.parse::<u32>().ok());
        let Some(pid) = pid else { continue };
        let alive = cfg!(target_os = "linux") && Path::new(&format!("/proc/{pid}")).exists();
        if !alive {
            let _ = std::fs::remove_dir_all(entry.path());
        }
    }
}

/// Removes a folder tree, its top-level entries in parallel (large outputs have many).
fn remove_dir_parallel(dir: &Path) -> io::Result<()> {
    use rayon::prelude::*;
    let entries: Vec<PathBuf> = std::fs::read_dir(dir)?.filter_map(|e| e.ok().map(|e| e.path())).collect();
    entries.par_iter().try_for_each(|p| {
        if std::fs::symlink_metadata(p)?.is_dir() {
            std::fs::remove_dir_all(p)
        } else {
            std::fs::remove_file(p)
        }
    })?;
    std::fs::remove_dir(dir)
}

impl Drop for Staging {
    fn drop(&mut self) {
        if !self.committed {
            let _ = std::fs::remove_dir_all(&self.staging);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn staging_swaps_and_cleans_up() {
        let tmp = tempfile::tempdir().unwrap();
        let target = tmp.path().join("public");
        std::fs::create_dir(&target).unwrap();
        std::fs::write(target.join("old.html"), "old").unwrap();
        {
            let s = Staging::begin(&target).unwrap();
            DiskOutput::new(s.dir().to_path_buf()).write("a/index.html", b"x").unwrap();
            // Dropped without commit: the old output stays.
        }
        assert!(target.join("old.html").exists());
        assert_eq!(std::fs::read_dir(tmp.path()).unwrap().count(), 1);
        let s = Staging::begin(&target).unwrap();
        DiskOutput::new(s.dir().to_path_buf()).write("a/index.html", b"x").unwrap();
        s.commit().unwrap();
        assert!(!target.join("old.html").exists());
        assert_eq!(std::fs::read(target.join("a/index.html")).unwrap(), b"x");
        assert_eq!(std::fs::read_dir(tmp.path()).unwrap().count(), 1);
    }

    #[test]
    fn stale_staging_from_killed_builds_is_removed() {
        let tmp = tempfile::tempdir().unwrap();
        let target = tmp.path().join("public");
        let dead = tmp.path().join(".public.staging-4000000000");
        std::fs::create_dir_all(dead.join("x")).unwrap();
        let unrelated = tmp.path().join(".publicity.staging-1");
        std::fs::create_dir(&unrelated).unwrap();
        Staging::begin(&target).unwrap().commit().unwrap();
        assert!(!dead.exists());
        assert!(unrelated.exists());
        assert!(target.is_dir());
    }

    #[test]
    fn refuses_paths_that_escape() {
        let tmp = tempfile::tempdir().unwrap();
        let out = DiskOutput::new(tmp.path().to_path_buf());
        assert!(out.write("../x", b"").is_err());
        assert!(out.write("a//b", b"").is_err());
    }
}
