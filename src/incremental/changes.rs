//! Sorts the paths of a batch of file events into what they change: a content file the site
//! already has, the templates, a file published as it is, nothing, or the site's shape (a
//! full rebuild). Where a path belongs is the layout's answer ([`crate::layout::Layout::locate`]).

use crate::build::Prepared;
use crate::layout::Role;
use std::path::{Path, PathBuf};

/// What one changed path means for the rebuild.
pub(super) enum Change {
    /// A page or section the site has, by `content/`-relative path.
    Content(String),
    /// Something under a templates folder.
    Templates,
    /// A file that is published as it is (static folders, bundle files).
    Static(PathBuf),
    /// Nothing the site uses.
    Ignore,
    /// The site's shape or configuration.
    Full,
}

/// Where a changed path belongs.
pub(super) fn classify(p: &Prepared, path: &Path) -> Change {
    let layout = &p.config.layout;
    let root = layout.root.canonicalize().unwrap_or_else(|_| layout.root.clone());
    let rel = path.strip_prefix(&root).or_else(|_| path.strip_prefix(&layout.root)).unwrap_or(path);
    let name = rel.file_name().map(|n| n.to_string_lossy()).unwrap_or_default();
    if crate::content::is_temp_file(&name) {
        return Change::Ignore;
    }
    let Some(at) = layout.locate(rel) else { return Change::Ignore };
    let abs = layout.root.join(rel);
    match at.role {
        Role::Content if at.inner.is_empty() => Change::Full,
        Role::Content => content(p, &at.inner, &abs),
        Role::Templates => Change::Templates,
        Role::Static => Change::Static(abs),
        Role::Archetypes => Change::Ignore,
        Role::Config | Role::ContentTypes | Role::I18n | Role::Data => Change::Full,
    }
}

/// A path under `content/`: an edited page or section, an edited file beside them, or a
/// change of shape.
fn content(p: &Prepared, rel: &str, abs: &Path) -> Change {
    let inside = format!("{rel}/");
    let known = p.site.by_source.keys().any(|k| k == rel || k.starts_with(&inside))
        || p.content_files.iter().any(|f| f.source.starts_with(abs));
    if abs.is_dir() {
        Change::Full
    } else if !abs.exists() && !known {
        // Gone and never part of the site: e.g. a tool's temporary file (sed -i).
        Change::Ignore
    } else if rel.ends_with(".md") {
        match (abs.is_file(), p.site.by_source.contains_key(rel)) {
            (true, true) => Change::Content(rel.to_string()),
            _ => Change::Full,
        }
    } else if abs.is_file() && p.content_files.iter().any(|f| f.source == abs) {
        Change::Static(abs.to_path_buf())
    } else {
        Change::Full
    }
}
