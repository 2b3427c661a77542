//! Stage 1 of the pipeline: `site.toml` → [`Config`]. The raw serde form holds only what the
//! user wrote; [`Config`] is the resolved form the later stages use.

use crate::error::{toml_diagnostic, Diagnostic, Diagnostics};
use serde::Deserialize;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// The config file's name, at the site root.
pub const CONFIG_FILE: &str = "site.toml";

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawConfig {
    title: Option<String>,
    base_url: Option<String>,
    language: Option<String>,
    description: Option<String>,
    theme: Option<String>,
    taxonomies: Option<Vec<RawTaxonomy>>,
    menus: Option<BTreeMap<String, Vec<MenuItem>>>,
    extra: Option<toml::Table>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawTaxonomy {
    name: String,
    title: Option<String>,
    paginate_by: Option<usize>,
}

/// One link in a menu. `url` may be an internal `@/path.md` link, resolved at render time.
#[derive(Debug, Clone, Deserialize, serde::Serialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct MenuItem {
    /// The link text.
    pub name: String,
    /// Where it goes: `@/tips/_index.md`, `/om/` or a full URL.
    pub url: String,
}

/// A taxonomy declared in `site.toml`, such as `fokusomrade`.
#[derive(Debug, Clone, serde::Serialize, PartialEq)]
pub struct TaxonomyConfig {
    /// The key used in front matter `[taxonomies]`.
    pub name: String,
    /// Human title for listings; defaults to the name.
    pub title: String,
    /// URL segment for the taxonomy.
    pub slug: String,
    /// Term pages are paginated by this many pages, when set.
    pub paginate_by: Option<usize>,
}

/// The resolved site configuration.
#[derive(Debug, Clone)]
pub struct Config {
    /// The site root (where site.toml is).
    pub root: PathBuf,
    /// Site title.
    pub title: String,
    /// Absolute base URL without a trailing slash, e.g. `https://jobbvinner.no`.
    pub base_url: String,
    /// Default content language (`nb`).
    pub language: String,
    /// Site description for meta tags.
    pub description: String,
    /// Theme folder name under `themes/`, if any.
    pub theme: Option<String>,
    /// Declared taxonomies, in order.
    pub taxonomies: Vec<TaxonomyConfig>,
    /// Named menus (main, footer, …).
    pub menus: BTreeMap<String, Vec<MenuItem>>,
    /// Free table for templates.
    pub extra: toml::Table,
}

impl Config {
    /// Reads and validates `site.toml` under `root`.
    pub fn load(root: &Path) -> Result<Config, Diagnostics> {
        let path = root.join(CONFIG_FILE);
        let src = std::fs::read_to_string(&path).map_err(|e| {
            Diagnostic::new(
                CONFIG_FILE,
                1,
                1,
                format!("cannot read {}: {e}; run jobbvinner in the site's folder or pass --root DIR", path.display()),
            )
        })?;
        Config::parse(root, &src)
    }

    /// Parses config text (`site.toml`'s content).
    pub fn parse(root: &Path, src: &str) -> Result<Config, Diagnostics> {
        let raw: RawConfig = toml::from_str(src).map_err(|e| toml_diagnostic(CONFIG_FILE, src, 1, &e))?;
        let RawConfig { title, base_url, language, description, theme, taxonomies, menus, extra } = raw;
        let mut diags = Diagnostics::default();
        let language = language.unwrap_or_else(|| "nb".into());
        if !is_language_tag(&language) {
            diags.push(at_key(
                src,
                "language",
                format!("`{language}` is not a language code; use e.g. \"nb\", \"nn\" or \"en\""),
            ));
        }
        if let Some(url) = &base_url {
            if let Err(why) = check_base_url(url) {
                diags.push(at_key(src, "base_url", why));
            }
        }
        let mut seen = BTreeMap::new();
        let taxonomies: Vec<TaxonomyConfig> = taxonomies
            .unwrap_or_default()
            .into_iter()
            .map(|t| TaxonomyConfig {
                title: t.title.unwrap_or_else(|| t.name.clone()),
                slug: crate::slug::slugify(&t.name),
                paginate_by: t.paginate_by.filter(|n| *n > 0),
                name: t.name,
            })
            .collect();
        for t in &taxonomies {
            if t.slug.is_empty() {
                diags.push(at_key(
                    src,
                    "taxonomies",
                    format!("taxonomy name `{}` has no letters to make a URL from", t.name),
                ));
            } else if let Some(prev) = seen.insert(t.slug.clone(), t.name.clone()) {
                diags.push(at_key(
                    src,
                    "taxonomies",
                    format!("taxonomies `{prev}` and `{}` would share the URL /{}/", t.name, t.slug),
                ));
            }
        }
        if let Some(theme) = &theme {
            if theme.is_empty() || theme.contains(['/', '\\']) || theme.starts_with('.') {
                diags.push(at_key(src, "theme", format!("`{theme}` is not a theme folder name under themes/")));
            } else if !root.join("themes").join(theme).is_dir() {
                diags.push(at_key(
                    src,
                    "theme",
                    format!("theme `{theme}` not found: expected the folder themes/{theme}/"),
                ));
            }
        }
        if !diags.is_empty() {
            return Err(diags);
        }
        Ok(Config {
            root: root.to_path_buf(),
            title: title.unwrap_or_default(),
            base_url: base_url.unwrap_or_else(|| "/".into()).trim_end_matches('/').to_string(),
            language,
            description: description.unwrap_or_default(),
            theme,
            taxonomies,
            menus: menus.unwrap_or_default(),
            extra: extra.unwrap_or_default(),
        })
    }

    /// Absolute URL for a site path that starts with `/`.
    pub fn permalink(&self, path: &str) -> String {
        format!("{}{}", self.base_url, path)
    }

    /// The declared taxonomy with this name.
    pub fn taxonomy(&self, name: &str) -> Option<&TaxonomyConfig> {
        self.taxonomies.iter().find(|t| t.name == name)
    }
}

/// A base URL must be absolute (`https://jobbvinner.no`, optionally with a path), or links break.
pub fn check_base_url(url: &str) -> Result<(), String> {
    let rest = url.strip_prefix("https://").or_else(|| url.strip_prefix("http://"));
    match rest {
        Some(host) if !host.is_empty() && !host.starts_with('/') && !url.contains(char::is_whitespace) => Ok(()),
        _ => Err(format!(
            "base URL `{url}` must start with https:// or http:// and name a host, e.g. https://jobbvinner.no"
        )),
    }
}

fn is_language_tag(s: &str) -> bool {
    !s.is_empty()
        && s.len() <= 12
        && s.split('-').all(|p| !p.is_empty() && p.chars().all(|c| c.is_ascii_alphanumeric()))
}

/// A diagnostic pointing at the line where `key` is set in site.toml (line 1 if not found).
fn at_key(src: &str, key: &str, message: String) -> Diagnostic {
    let line = src
        .lines()
        .position(|l| {
            let l = l.trim_start();
            l.starts_with(key) && l[key.len()..].trim_start().starts_with('=')
        })
        .map_or(1, |i| i + 1);
    Diagnostic::new(CONFIG_FILE, line, 1, message)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(src: &str) -> Result<Config, Diagnostics> {
        Config::parse(Path::new("/nonexistent"), src)
    }

    #[test]
    fn defaults() {
        let c = parse("title = \"X\"\nbase_url = \"https://a.no/\"").unwrap();
        assert_eq!(c.language, "nb");
        assert_eq!(c.base_url, "https://a.no");
        assert_eq!(c.permalink("/tips/"), "https://a.no/tips/");
    }

    #[test]
    fn unknown_key_names_key_line_and_suggestion() {
        let err = parse("title = \"X\"\nbase_urll = \"https://a.no\"\n").unwrap_err();
        let d = &err.0[0];
        assert_eq!((d.path.as_str(), d.line, d.col), ("site.toml", 2, 1));
        assert!(d.message.contains("unknown key `base_urll`; did you mean `base_url`?"), "{}", d.message);
    }

    #[test]
    fn taxonomies_and_menus() {
        let c = parse(
            "taxonomies = [{ name = \"fokusområde\", paginate_by = 5 }]\n[[menus.main]]\nname = \"Tips\"\nurl = \"@/tips/_index.md\"\n",
        )
        .unwrap();
        assert_eq!(c.taxonomies[0].slug, "fokusomrade");
        assert_eq!(c.taxonomies[0].title, "fokusområde");
        assert_eq!(c.menus["main"][0].url, "@/tips/_index.md");
    }

    #[test]
    fn base_url_must_be_absolute() {
        assert!(check_base_url("https://jobbvinner.no/sub/").is_ok());
        assert!(check_base_url("http://127.0.0.1:1111").is_ok());
        for bad in ["jobbvinner.no", "https://", "/", "https:///x", "ftp://x"] {
            assert!(check_base_url(bad).is_err(), "{bad}");
        }
        let err = parse("title = \"x\"\nbase_url = \"jobbvinner.no\"\n").unwrap_err();
        assert_eq!(err.0[0].line, 2);
    }

    #[test]
    fn missing_theme_and_bad_language() {
        let err = parse("language = \"n b\"\ntheme = \"nope\"\n").unwrap_err();
        assert_eq!(err.len(), 2);
        assert_eq!(err.0[1].line, 2);
        assert!(err.0[1].message.contains("themes/nope/"));
    }
}
