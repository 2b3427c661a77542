//! Sorts the paths of a batch of file events into what they change: a content file the site
//! already has, the templates, a static file, nothing, or the site's shape (a full rebuild).

use super::State;
use std::path::{Component, Path, PathBuf};

/// What one changed path means for the rebuild.
pub(super) enum Change {
    /// A page or section the site has, by `content/`-relative path.
    Content(String),
    /// Something under a templates folder.
    Templates,
    /// A file that is copied (static folders, bundle files).
    Static(PathBuf),
    /// Nothing the site uses.
    Ignore,
    /// The site's shape or configuration.
    Full,
}

/// Where a changed path belongs.
pub(super) fn classify(st: &State, root: &Path, given_root: &Path, path: &Path) -> Change {
    let rel = path.strip_prefix(root).or_else(|_| path.strip_prefix(given_root)).unwrap_or(path);
    let parts: Vec<String> = rel
        .components()
        .map(|c| match c {
            Component::Normal(s) => s.to_string_lossy().into_owned(),
            _ => String::from(".."),
        })
        .collect();
    if parts.iter().any(|p| p == "..") || parts.is_empty() {
        return Change::Ignore;
    }
    let name = parts.last().map_or("", String::as_str);
    if crate::content::is_temp_file(name) {
        return Change::Ignore;
    }
    let abs = st.config.root.join(parts.join("/"));
    let theme = st.config.theme.as_deref();
    let under = |n: usize| parts[n..].join("/");
    match parts.iter().map(String::as_str).collect::<Vec<_>>().as_slice() {
        ["site.toml"] => Change::Full,
        ["content", _, ..] => {
            let rel = under(1);
            let inside = format!("{rel}/");
            let known = st.site.by_source.keys().any(|k| *k == rel || k.starts_with(&inside))
                || st.content_files.iter().any(|f| f.source.starts_with(&abs));
            if abs.is_dir() {
                Change::Full
            } else if !abs.exists() && !known {
                // Gone and never part of the site: e.g. a tool's temporary file (sed -i).
                Change::Ignore
            } else if rel.ends_with(".md") {
                match (abs.is_file(), st.site.by_source.contains_key(&rel)) {
                    (true, true) => Change::Content(rel),
                    _ => Change::Full,
                }
            } else if abs.is_file() && st.content_files.iter().any(|f| f.source == abs) {
                Change::Static(abs)
            } else {
                Change::Full
            }
        }
        ["templates", ..] => Change::Templates,
        ["assets" | "static", ..] => Change::Static(abs),
        ["themes", t, "templates", ..] if Some(*t) == theme => Change::Templates,
        ["themes", t, "static", ..] if Some(*t) == theme => Change::Static(abs),
        ["themes", _, "archetypes", ..] => Change::Ignore,
        // Content types, places data, interface text, anything else of the theme.
        ["themes", t, ..] if Some(*t) == theme => Change::Full,
        ["content"] | ["i18n" | "data", ..] | ["content-types.toml"] => Change::Full,
        _ => Change::Ignore,
    }
}
