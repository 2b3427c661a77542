//! Writing to disk: a staging folder beside the target, filled by [`Disk`] and swapped in by
//! [`Staging::commit`] only when the whole build succeeded, and the rules for which folder a
//! build may replace at all ([`check_output_dir`]).

use super::Sink;
use crate::error::Diagnostic;
use crate::layout::Layout;
use crate::msg;
use std::io;
use std::path::{Component, Path, PathBuf};

/// An empty file every disk build leaves in its output folder, so that a later build knows the
/// folder is its own to replace (and never replaces a folder of someone else's files).
pub const MARKER: &str = ".jobbvinner-output";

/// Writes into a folder on disk.
pub struct Disk {
    dir: PathBuf,
}

impl Disk {
    /// Writes below `dir`.
    pub fn new(dir: PathBuf) -> Self {
        Disk { dir }
    }

    fn target(&self, rel: &str) -> io::Result<PathBuf> {
        if !super::is_safe(rel) {
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

impl Sink for Disk {
    fn write(&self, rel: &str, bytes: Vec<u8>) -> io::Result<()> {
        std::fs::write(self.target(rel)?, bytes)
    }
    fn copy(&self, rel: &str, source: &Path) -> io::Result<()> {
        std::fs::copy(source, self.target(rel)?).map(|_| ())
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

/// Refuses output folders that would clobber the site's sources or anything above them, or
/// a folder of someone else's files; returns the folder, absolute and normalised.
pub fn check_output_dir(layout: &Layout, dir: &Path) -> Result<PathBuf, Diagnostic> {
    let out = normalize(&if dir.is_absolute() { dir.to_path_buf() } else { layout.root.join(dir) });
    let shown = out.display().to_string();
    let refuse =
        |why| Err(Diagnostic::error(dir.display().to_string(), msg!("output.refused", dir = &shown, why = why)));
    match layout.holds_sources(&out) {
        Some(s) if s.is_empty() => return refuse(msg!("output.is_root")),
        Some(s) => return refuse(msg!("output.in_sources", folder = s)),
        None => {}
    }
    if out.exists() && !out.is_dir() {
        return refuse(msg!("output.is_file"));
    }
    // A build replaces the whole folder: only ever replace one that an earlier build wrote.
    let non_empty = std::fs::read_dir(&out).map(|mut d| d.next().is_some()).unwrap_or(false);
    if non_empty && !out.join(MARKER).is_file() {
        return refuse(msg!("output.not_ours", marker = MARKER));
    }
    Ok(out)
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
            Disk::new(s.dir().to_path_buf()).write("a/index.html", b"x".to_vec()).unwrap();
            // Dropped without commit: the old output stays.
        }
        assert!(target.join("old.html").exists());
        assert_eq!(std::fs::read_dir(tmp.path()).unwrap().count(), 1);
        let s = Staging::begin(&target).unwrap();
        Disk::new(s.dir().to_path_buf()).write("a/index.html", b"x".to_vec()).unwrap();
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
    fn output_folder_safety() {
        let tmp = tempfile::tempdir().unwrap();
        let root = tmp.path();
        let layout = Layout::new(root, Some("t"));
        for bad in [".", "..", "content", "themes/t/static", "themes/other", "assets", "content/../content/a", "/"] {
            assert!(check_output_dir(&layout, Path::new(bad)).is_err(), "{bad}");
        }
        for good in ["public", "out/site", "../elsewhere"] {
            assert!(check_output_dir(&layout, Path::new(good)).is_ok(), "{good}");
        }
        // An existing folder with someone else's files is refused; an earlier output is not.
        std::fs::create_dir_all(root.join("src")).unwrap();
        std::fs::write(root.join("src/main.rs"), "fn main() {}").unwrap();
        let refused = check_output_dir(&layout, Path::new("src")).unwrap_err();
        assert!(refused.to_string().contains("did not write"), "{refused}");
        std::fs::create_dir_all(root.join("public")).unwrap();
        std::fs::write(root.join("public").join(MARKER), "").unwrap();
        std::fs::write(root.join("public/index.html"), "").unwrap();
        assert!(check_output_dir(&layout, Path::new("public")).is_ok());
    }

    #[test]
    fn refuses_paths_that_escape() {
        let tmp = tempfile::tempdir().unwrap();
        let out = Disk::new(tmp.path().to_path_buf());
        assert!(out.write("../x", Vec::new()).is_err());
        assert!(out.write("a//b", Vec::new()).is_err());
    }
}
