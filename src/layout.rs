//! Where a site's sources are: the one description of the folder layout. Every stage that
//! reads sources (content, templates, static files, interface text, data, archetypes,
//! content types), the watcher, the change classifier of `serve`, `new` and the output
//! folder's safety check ask this module, site first and theme second, instead of spelling
//! out folder names themselves.

use std::path::{Component, Path, PathBuf};

/// The config file's name, at the site root.
pub const CONFIG_FILE: &str = "site.toml";

/// The content types file's name, at the site root or the theme's.
pub const CONTENT_TYPES_FILE: &str = "content-types.toml";

/// What a source folder or file holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Role {
    /// `site.toml`.
    Config,
    /// Markdown and page bundles (`content/`).
    Content,
    /// Tera templates.
    Templates,
    /// Files published as they are (`assets/`, `static/`).
    Static,
    /// Interface text per language (`i18n/`).
    I18n,
    /// Data files such as the municipalities (`data/`).
    Data,
    /// Starting points for `jobbvinner new` (`archetypes/`).
    Archetypes,
    /// `content-types.toml`.
    ContentTypes,
}

/// Whose a source is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Origin {
    /// The site's own files: they win.
    Site,
    /// The theme's.
    Theme,
}

/// The site's folders, by role, in order of priority.
const SITE_DIRS: &[(Role, &str)] = &[
    (Role::Content, "content"),
    (Role::Templates, "templates"),
    (Role::Static, "assets"),
    (Role::Static, "static"),
    (Role::I18n, "i18n"),
    (Role::Data, "data"),
    (Role::Archetypes, "archetypes"),
];

/// A theme's folders, by role.
const THEME_DIRS: &[(Role, &str)] = &[
    (Role::Templates, "templates"),
    (Role::Static, "static"),
    (Role::I18n, "i18n"),
    (Role::Data, "data"),
    (Role::Archetypes, "archetypes"),
];

/// A source folder (or file): where it is and how to name it in messages.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Place {
    /// What it holds.
    pub role: Role,
    /// Absolute (or root-joined) path.
    pub abs: PathBuf,
    /// Path relative to the site root, `/`-separated, e.g. `themes/jobbvinner/templates`.
    pub shown: String,
    /// Site or theme.
    pub origin: Origin,
}

/// Where a changed path belongs: its role, whose it is, and its path inside that folder.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Located {
    /// What the folder holds.
    pub role: Role,
    /// Site or theme.
    pub origin: Origin,
    /// Path below the folder (`tips/x.md`), empty for the folder or file itself.
    pub inner: String,
}

/// The layout of one site: its root and theme.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Layout {
    /// The site root (holds site.toml).
    pub root: PathBuf,
    /// The theme's folder name under `themes/`, if any.
    pub theme: Option<String>,
}

impl Layout {
    /// The layout of the site at `root` using `theme`.
    pub fn new(root: &Path, theme: Option<&str>) -> Layout {
        Layout { root: root.to_path_buf(), theme: theme.map(str::to_string) }
    }

    /// The theme's folder, relative to the root (`themes/jobbvinner`).
    pub fn theme_dir(&self) -> Option<String> {
        self.theme.as_ref().map(|t| format!("themes/{t}"))
    }

    /// The content folder.
    pub fn content(&self) -> PathBuf {
        self.root.join("content")
    }

    /// The folders with this role, highest priority first (the site's before the theme's).
    pub fn dirs(&self, role: Role) -> Vec<Place> {
        let mut out: Vec<Place> = SITE_DIRS
            .iter()
            .filter(|(r, _)| *r == role)
            .map(|(_, d)| Place { role, abs: self.root.join(d), shown: d.to_string(), origin: Origin::Site })
            .collect();
        if let Some(theme) = self.theme_dir() {
            out.extend(THEME_DIRS.iter().filter(|(r, _)| *r == role).map(|(_, d)| Place {
                role,
                abs: self.root.join(&theme).join(d),
                shown: format!("{theme}/{d}"),
                origin: Origin::Theme,
            }));
        }
        out
    }

    /// The content types files that may exist, the site's first.
    pub fn content_types(&self) -> Vec<Place> {
        let role = Role::ContentTypes;
        let mut out = vec![Place {
            role,
            abs: self.root.join(CONTENT_TYPES_FILE),
            shown: CONTENT_TYPES_FILE.into(),
            origin: Origin::Site,
        }];
        if let Some(theme) = self.theme_dir() {
            out.push(Place {
                role,
                abs: self.root.join(&theme).join(CONTENT_TYPES_FILE),
                shown: format!("{theme}/{CONTENT_TYPES_FILE}"),
                origin: Origin::Theme,
            });
        }
        out
    }

    /// Every source folder and file, for the watcher and the output folder's safety check.
    pub fn sources(&self) -> Vec<Place> {
        let roles = [Role::Content, Role::Templates, Role::Static, Role::I18n, Role::Data, Role::Archetypes];
        let mut out: Vec<Place> = roles.iter().flat_map(|r| self.dirs(*r)).collect();
        out.push(Place {
            role: Role::Config,
            abs: self.root.join(CONFIG_FILE),
            shown: CONFIG_FILE.into(),
            origin: Origin::Site,
        });
        out.extend(self.content_types());
        out
    }

    /// Where a path (absolute under the root, or root-relative) belongs, if it is a source.
    pub fn locate(&self, path: &Path) -> Option<Located> {
        let rel = path.strip_prefix(&self.root).unwrap_or(path);
        let mut parts = Vec::new();
        for c in rel.components() {
            match c {
                Component::Normal(s) => parts.push(s.to_string_lossy().into_owned()),
                Component::CurDir => {}
                _ => return None,
            }
        }
        let joined = parts.join("/");
        self.sources().into_iter().find_map(|p| {
            let inner = if joined == p.shown {
                String::new()
            } else if matches!(p.role, Role::Config | Role::ContentTypes) {
                return None;
            } else {
                joined.strip_prefix(&p.shown)?.strip_prefix('/')?.to_string()
            };
            Some(Located { role: p.role, origin: p.origin, inner })
        })
    }

    /// Is `dir` (absolute, symlinks resolved) one of the site's sources, inside one, or the
    /// root itself or above it? The output folder may be none of these.
    pub fn holds_sources(&self, dir: &Path) -> Option<String> {
        let root = self.root.canonicalize().unwrap_or_else(|_| self.root.clone());
        if root.starts_with(dir) {
            return Some(String::new());
        }
        let mut shown: Vec<String> = self.sources().into_iter().map(|p| p.shown).collect();
        // Every theme is a source, whichever the site uses now; so is the repository.
        shown.extend([".git".to_string(), "themes".to_string()]);
        shown.into_iter().find(|s| {
            let joined = root.join(s);
            dir.starts_with(joined.canonicalize().unwrap_or_else(|_| joined.clone())) || dir.starts_with(&joined)
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folders_by_role_site_first() {
        let l = Layout::new(Path::new("/s"), Some("t"));
        let shown = |r| l.dirs(r).into_iter().map(|p| p.shown).collect::<Vec<_>>();
        assert_eq!(shown(Role::Static), ["assets", "static", "themes/t/static"]);
        assert_eq!(shown(Role::Templates), ["templates", "themes/t/templates"]);
        assert_eq!(shown(Role::Content), ["content"]);
        let none = Layout::new(Path::new("/s"), None);
        assert_eq!(none.dirs(Role::I18n).len(), 1);
    }

    #[test]
    fn changed_paths_are_located() {
        let l = Layout::new(Path::new("/s"), Some("t"));
        let at = |p: &str| l.locate(Path::new(p)).map(|x| (x.role, x.origin, x.inner));
        assert_eq!(at("/s/content/tips/a.md"), Some((Role::Content, Origin::Site, "tips/a.md".into())));
        assert_eq!(at("/s/themes/t/templates/base.html"), Some((Role::Templates, Origin::Theme, "base.html".into())));
        assert_eq!(at("/s/themes/t/content-types.toml"), Some((Role::ContentTypes, Origin::Theme, String::new())));
        assert_eq!(at("/s/site.toml"), Some((Role::Config, Origin::Site, String::new())));
        assert_eq!(at("/s/assets/css/a.css"), Some((Role::Static, Origin::Site, "css/a.css".into())));
        assert_eq!(at("/s/themes/other/templates/x.html"), None);
        assert_eq!(at("/s/public/index.html"), None);
        assert_eq!(at("/s/content/../site.toml"), None);
        assert_eq!(at("/s/contents/x"), None);
    }
}
