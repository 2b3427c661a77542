//! Walking `content/`: the markdown files and the other files beside them, sorted, with
//! editors' and operating systems' leftovers skipped; and the path helpers the content
//! stage shares (folders, file names, the URL of a folder).

use crate::error::Diagnostic;
use crate::msg;
use crate::slug::slugify;
use std::path::Path;

/// Is this a file an editor or the OS leaves around, which must never become content?
pub fn is_temp_file(name: &str) -> bool {
    name.starts_with('.')
        || name.starts_with('#')
        || name.ends_with('~')
        || name.ends_with(".swp")
        || name.ends_with(".swx")
        || name.ends_with(".tmp")
        || name.ends_with(".bak")
        || name.starts_with("~$")
        || name == "4913"
        || name.eq_ignore_ascii_case("Thumbs.db")
        || name.eq_ignore_ascii_case("desktop.ini")
}

/// The files of the content folder, `content/`-relative and `/`-separated.
pub(super) struct Walk {
    /// Markdown files.
    pub(super) markdown: Vec<String>,
    /// Other files.
    pub(super) others: Vec<String>,
}

/// Lists the content folder, its folders in parallel; the files come out in the order of a
/// walk that visits each folder's entries sorted by name.
pub(super) fn walk(content: &Path) -> Result<Walk, Diagnostic> {
    let mut files = list(content, "").map_err(|e| {
        Diagnostic::error("content", msg!("content.unreadable_folder", detail = crate::error::io_message(&e)))
    })?;
    files.sort_unstable_by(|a, b| a.split('/').cmp(b.split('/')));
    let (markdown, others) = files.into_iter().partition(|f| f.ends_with(".md"));
    Ok(Walk { markdown, others })
}

/// The files below `dir` (shown as `rel`), skipping leftovers. Symbolic links are not
/// followed.
fn list(dir: &Path, rel: &str) -> std::io::Result<Vec<String>> {
    use rayon::prelude::*;
    let mut files = Vec::new();
    let mut dirs = Vec::new();
    for entry in std::fs::read_dir(dir)? {
        let entry = entry?;
        let name = entry.file_name().to_string_lossy().into_owned();
        if is_temp_file(&name) {
            continue;
        }
        let path = if rel.is_empty() { name } else { format!("{rel}/{name}") };
        let kind = entry.file_type()?;
        if kind.is_dir() {
            dirs.push((entry.path(), path));
        } else if kind.is_file() {
            files.push(path);
        }
    }
    let below: Vec<Vec<String>> = dirs.par_iter().map(|(d, r)| list(d, r)).collect::<Result<_, _>>()?;
    files.extend(below.into_iter().flatten());
    Ok(files)
}

/// A content file's language and its path without the language: `tips/x.nn.md` → (`nn`,
/// `tips/x.md`), `tips/_index.en.md` → (`en`, `tips/_index.md`), `tips/x.md` → (the default
/// language, `tips/x.md`). A suffix that looks like a language code but is not one of the
/// site's languages (or is the default's) is returned as the error.
pub(crate) fn language_of(rel: &str, config: &crate::config::Config) -> Result<(String, String), String> {
    let name = file_name(rel);
    let stem = name.strip_suffix(".md").unwrap_or(name);
    if let Some((base, code)) = stem.rsplit_once('.') {
        let looks_like_code = (2..=3).contains(&code.len()) && code.bytes().all(|b| b.is_ascii_lowercase());
        if looks_like_code && !base.is_empty() {
            if code != config.language && config.has_language(code) {
                let dir = parent_dir(rel);
                let key = if dir.is_empty() { format!("{base}.md") } else { format!("{dir}/{base}.md") };
                return Ok((code.to_string(), key));
            }
            return Err(code.to_string());
        }
    }
    Ok((config.language.clone(), rel.to_string()))
}

/// The folder of a `/`-separated path (`tips/x.md` → `tips`; `x.md` → ``).
pub(super) fn parent_dir(rel: &str) -> &str {
    rel.rfind('/').map_or("", |i| &rel[..i])
}

/// The last part of a `/`-separated path.
pub(super) fn file_name(rel: &str) -> &str {
    rel.rfind('/').map_or(rel, |i| &rel[i + 1..])
}

/// Site path of a content folder: each component slugified, e.g. `Gamle Tips/x` → `/gamle-tips/x/`.
pub(super) fn dir_path(dir: &str) -> String {
    let mut p = String::from("/");
    for c in dir.split('/').filter(|c| !c.is_empty()) {
        p.push_str(&slugify(c));
        p.push('/');
    }
    p
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folder_paths_are_slugified() {
        assert_eq!(dir_path(""), "/");
        assert_eq!(dir_path("Gamle Tips/Søk"), "/gamle-tips/sok/");
        assert_eq!((parent_dir("a/b/c.md"), file_name("a/b/c.md")), ("a/b", "c.md"));
    }

    #[test]
    fn temp_files_are_ignored() {
        assert!(is_temp_file("~$rapport.docx") && is_temp_file("desktop.ini") && is_temp_file(".DS_Store"));
        for n in [".x.md.swp", "x.md~", "#x.md#", ".DS_Store", "4913"] {
            assert!(is_temp_file(n), "{n}");
        }
        assert!(!is_temp_file("x.md"));
    }
}
