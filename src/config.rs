//! Stage 1 of the pipeline: `site.toml` → [`Config`]. The raw serde form holds only what the
//! user wrote; [`Config`] is the resolved form the later stages use.

use crate::error::{toml_diagnostic, Diagnostic, Diagnostics};
use crate::layout::Layout;
pub use crate::layout::CONFIG_FILE;
use crate::messages::Message;
use crate::msg;
use serde::Deserialize;
use std::collections::BTreeMap;
use std::path::Path;

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
    languages: Option<BTreeMap<String, RawLanguage>>,
    markdown: Option<RawMarkdown>,
    images: Option<RawImages>,
    extra: Option<toml::Table>,
}

/// `[markdown]`: how writers' texts are treated.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawMarkdown {
    raw_html: Option<RawHtml>,
}

/// What happens to raw HTML in a writer's text (`[markdown] raw_html`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum RawHtml {
    /// Published as written, as Zola does: for sites whose writers are trusted with script.
    Allow,
    /// Cleaned of script, event handlers and unsafe addresses, with a warning (the default).
    #[default]
    #[serde(alias = "sanitise")]
    Sanitize,
    /// Refused: every piece of raw HTML is an error.
    Deny,
}

/// `[images]`: how images are published.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawImages {
    widths: Option<Vec<u32>>,
    quality: Option<u8>,
    webp_quality: Option<u8>,
    max_pixels: Option<u64>,
    sizes: Option<String>,
}

/// `[languages.nn]`: a language besides the default one (Zola's form).
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawLanguage {
    title: Option<String>,
    description: Option<String>,
    menus: Option<BTreeMap<String, Vec<MenuItem>>>,
    fallback: Option<bool>,
}

/// A language the site is published in besides the default, under `/<code>/`.
#[derive(Debug, Clone, PartialEq)]
pub struct Language {
    /// `nn`, `en`.
    pub code: String,
    /// The site's title in this language.
    pub title: String,
    /// The site's description in this language.
    pub description: String,
    /// Its menus (`@/` links resolved like the default language's); the default language's
    /// when site.toml gives it none.
    pub menus: BTreeMap<String, Vec<MenuItem>>,
    /// Listings in this language also show pages of the default language that have no
    /// translation (marked, linking to their own address; never copied).
    pub fallback: bool,
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

/// `[images]` in site.toml.
#[derive(Debug, Clone, PartialEq)]
pub struct ImageConfig {
    /// Widths published for a responsive image, narrowest first (default 480, 960, 1600).
    pub widths: Vec<u32>,
    /// JPEG quality, 1–100 (default 82).
    pub quality: u8,
    /// WebP quality, 1–100 (default 80).
    pub webp_quality: u8,
    /// Images with more pixels are refused (decompression bombs; default 50 megapixels).
    pub max_pixels: u64,
    /// The `sizes` attribute of images in texts.
    pub sizes: String,
}

impl Default for ImageConfig {
    fn default() -> Self {
        ImageConfig {
            widths: vec![480, 960, 1600],
            quality: 82,
            webp_quality: 80,
            max_pixels: 50_000_000,
            sizes: "(min-width: 50rem) 46rem, calc(100vw - 2rem)".into(),
        }
    }
}

/// The resolved site configuration.
#[derive(Debug, Clone)]
pub struct Config {
    /// Where the site's sources are (root and theme).
    pub layout: Layout,
    /// Site title.
    pub title: String,
    /// Absolute base URL without a trailing slash, e.g. `https://jobbvinner.no`.
    pub base_url: String,
    /// The base URL as site.toml gives it, whatever a build uses instead (`--base-url`, the
    /// preview's address): links pasted from the published site point there.
    pub site_url: String,
    /// Default content language (`nb`).
    pub language: String,
    /// Site description for meta tags.
    pub description: String,
    /// Declared taxonomies, in order.
    pub taxonomies: Vec<TaxonomyConfig>,
    /// Named menus (main, footer, …).
    pub menus: BTreeMap<String, Vec<MenuItem>>,
    /// The other languages, Norwegian ones first.
    pub languages: Vec<Language>,
    /// What happens to raw HTML in writers' texts.
    pub raw_html: RawHtml,
    /// How images are published (`[images]`).
    pub images: ImageConfig,
    /// Free table for templates.
    pub extra: toml::Table,
}

impl Config {
    /// Reads and validates `site.toml` under `root`.
    pub fn load(root: &Path) -> Result<Config, Diagnostics> {
        let path = root.join(CONFIG_FILE);
        let src = std::fs::read_to_string(&path).map_err(|e| {
            Diagnostic::error(
                CONFIG_FILE,
                msg!("config.unreadable", path = path.display().to_string(), detail = crate::error::io_message(&e)),
            )
        })?;
        Config::parse(root, &src)
    }

    /// Parses config text (`site.toml`'s content).
    pub fn parse(root: &Path, src: &str) -> Result<Config, Diagnostics> {
        let raw: RawConfig = toml::from_str(src).map_err(|e| toml_diagnostic(CONFIG_FILE, src, 1, &e))?;
        let RawConfig {
            title,
            base_url,
            language,
            description,
            theme,
            taxonomies,
            menus,
            languages,
            markdown,
            images,
            extra,
        } = raw;
        let mut diags = Diagnostics::default();
        let language = language.unwrap_or_else(|| "nb".into());
        if !is_language_tag(&language) {
            diags.push(at_key(src, "language", msg!("config.bad_language", language = &language)));
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
                diags.push(at_key(src, "taxonomies", msg!("config.taxonomy_no_letters", name = &t.name)));
            } else if let Some(prev) = seen.insert(t.slug.clone(), t.name.clone()) {
                diags.push(at_key(
                    src,
                    "taxonomies",
                    msg!("config.taxonomies_share_url", first = prev, second = &t.name, slug = &t.slug),
                ));
            }
        }
        let mut others = Vec::new();
        for (code, l) in languages.unwrap_or_default() {
            if !is_language_tag(&code) || code == language {
                diags.push(at_key(
                    src,
                    "languages",
                    msg!("config.bad_other_language", code = &code, default = &language),
                ));
                continue;
            }
            others.push(Language {
                title: l.title.unwrap_or_else(|| title.clone().unwrap_or_default()),
                description: l.description.unwrap_or_else(|| description.clone().unwrap_or_default()),
                // No menus of its own: the default language's.
                menus: l.menus.unwrap_or_else(|| menus.clone().unwrap_or_default()),
                fallback: l.fallback.unwrap_or(false),
                code,
            });
        }
        others.sort_by_key(|l| (!matches!(l.code.as_str(), "nb" | "nn" | "no" | "se"), l.code.clone()));
        let all_menus = menus.iter().chain(others.iter().map(|l| &l.menus));
        for item in all_menus.flat_map(|m| m.values()).flatten() {
            if let Err(m) = check_menu_url(&item.url) {
                let line = src.lines().position(|l| l.contains(item.url.as_str()) && l.contains("url"));
                diags.push(match line {
                    Some(i) => Diagnostic::at(CONFIG_FILE, i + 1, 1, m),
                    None => Diagnostic::error(CONFIG_FILE, m),
                });
            }
        }
        if let Some(theme) = &theme {
            if theme.is_empty() || theme.contains(['/', '\\']) || theme.starts_with('.') {
                diags.push(at_key(src, "theme", msg!("config.bad_theme_name", theme = theme)));
            } else if !root.join("themes").join(theme).is_dir() {
                diags.push(at_key(src, "theme", msg!("config.theme_not_found", theme = theme)));
            }
        }
        let images = images_config(src, images, &mut diags);
        if !diags.is_empty() {
            return Err(diags);
        }
        Ok(Config {
            images,
            layout: Layout::new(root, theme.as_deref()),
            title: title.unwrap_or_default(),
            site_url: base_url.as_deref().unwrap_or("").trim_end_matches('/').to_string(),
            base_url: base_url.unwrap_or_else(|| "/".into()).trim_end_matches('/').to_string(),
            language,
            description: description.unwrap_or_default(),
            taxonomies,
            menus: menus.unwrap_or_default(),
            languages: others,
            raw_html: markdown.and_then(|m| m.raw_html).unwrap_or_default(),
            extra: extra.unwrap_or_default(),
        })
    }

    /// Every language's code, the default first.
    pub fn language_codes(&self) -> Vec<&str> {
        std::iter::once(self.language.as_str()).chain(self.languages.iter().map(|l| l.code.as_str())).collect()
    }

    /// Is this one of the site's languages?
    pub fn has_language(&self, code: &str) -> bool {
        code == self.language || self.languages.iter().any(|l| l.code == code)
    }

    /// A language other than the default.
    pub fn other_language(&self, code: &str) -> Option<&Language> {
        self.languages.iter().find(|l| l.code == code)
    }

    /// Where a language's pages live: `` for the default, `/nn` for nynorsk.
    pub fn lang_prefix(&self, code: &str) -> String {
        if code == self.language || code.is_empty() {
            String::new()
        } else {
            format!("/{code}")
        }
    }

    /// The site's title in a language.
    pub fn title_in(&self, code: &str) -> &str {
        self.other_language(code).map_or(&self.title, |l| &l.title)
    }

    /// The site's description in a language.
    pub fn description_in(&self, code: &str) -> &str {
        self.other_language(code).map_or(&self.description, |l| &l.description)
    }

    /// The menus in a language.
    pub fn menus_in(&self, code: &str) -> &BTreeMap<String, Vec<MenuItem>> {
        self.other_language(code).map_or(&self.menus, |l| &l.menus)
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

/// A base URL must be absolute (`https://jobbvinner.no`, optionally with a path), or links
/// break; it is written into every page's attributes, so it may not hold quotes, angle
/// brackets or other characters that could end an attribute.
pub fn check_base_url(url: &str) -> Result<(), Message> {
    let rest = url.strip_prefix("https://").or_else(|| url.strip_prefix("http://"));
    match rest {
        Some(host) if !host.is_empty() && !host.starts_with('/') && url_chars_ok(url) => Ok(()),
        _ => Err(msg!("config.bad_base_url", url = url)),
    }
}

/// A menu link: `@/file.md`, a path on the site (`/om/`), or a full `https://`, `http://` or
/// `mailto:` address, with nothing that could end an attribute or run script.
pub fn check_menu_url(url: &str) -> Result<(), Message> {
    let scheme_ok = url.starts_with("@/")
        || (url.starts_with('/') && !url.starts_with("//"))
        || ["https://", "http://", "mailto:"].iter().any(|s| url.len() > s.len() && url.starts_with(s));
    if scheme_ok && url_chars_ok(url) {
        Ok(())
    } else {
        Err(msg!("config.bad_menu_url", url = url))
    }
}

/// No white space, control characters, quotes, angle brackets or backslashes.
fn url_chars_ok(url: &str) -> bool {
    !url.chars().any(|c| c.is_whitespace() || c.is_control() || matches!(c, '"' | '\'' | '<' | '>' | '`' | '\\'))
}

/// `[images]` with defaults; widths sorted, out-of-range values reported at their line.
fn images_config(src: &str, raw: Option<RawImages>, diags: &mut Diagnostics) -> ImageConfig {
    let mut c = ImageConfig::default();
    let Some(raw) = raw else { return c };
    if let Some(mut w) = raw.widths {
        w.sort_unstable();
        w.dedup();
        if w.is_empty() || w.iter().any(|&x| x == 0 || x > 10_000) {
            diags.push(at_key(src, "widths", msg!("config.bad_image_widths")));
        } else {
            c.widths = w;
        }
    }
    for (key, value, slot) in
        [("quality", raw.quality, &mut c.quality), ("webp_quality", raw.webp_quality, &mut c.webp_quality)]
    {
        match value {
            Some(q) if (1..=100).contains(&q) => *slot = q,
            Some(_) => diags.push(at_key(src, key, msg!("config.bad_image_quality", key = key))),
            None => {}
        }
    }
    match raw.max_pixels {
        Some(0) => diags.push(at_key(src, "max_pixels", msg!("config.bad_max_pixels"))),
        Some(n) => c.max_pixels = n,
        None => {}
    }
    if let Some(s) = raw.sizes {
        c.sizes = s;
    }
    c
}

fn is_language_tag(s: &str) -> bool {
    !s.is_empty()
        && s.len() <= 12
        && s.split('-').all(|p| !p.is_empty() && p.chars().all(|c| c.is_ascii_alphanumeric()))
}

/// A diagnostic pointing at the line where `key` is set in site.toml (the whole file if it is
/// not set there).
fn at_key(src: &str, key: &str, message: Message) -> Diagnostic {
    let line = src.lines().position(|l| {
        let l = l.trim_start();
        l.starts_with(key) && l[key.len()..].trim_start().starts_with('=')
    });
    match line {
        Some(i) => Diagnostic::at(CONFIG_FILE, i + 1, 1, message),
        None => Diagnostic::error(CONFIG_FILE, message),
    }
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
        assert_eq!((d.path.as_str(), d.line()), ("site.toml", Some(2)));
        assert!(d.to_string().contains("unknown key `base_urll`; did you mean `base_url`?"), "{d}");
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
        assert_eq!(err.0[0].line(), Some(2));
    }

    #[test]
    fn urls_that_could_break_out_of_an_attribute_are_refused() {
        for bad in ["https://a.no/\"onload=\"x", "https://a.no/<script>", "https://a.no/ x", "https://a.no/'"] {
            assert!(check_base_url(bad).is_err(), "{bad}");
        }
        for good in ["@/tips/_index.md", "/om/", "https://ks.no/x?a=1&b=2", "mailto:post@ks.no"] {
            assert!(check_menu_url(good).is_ok(), "{good}");
        }
        for bad in
            ["javascript:alert(1)", "JAVASCRIPT:x", "data:text/html,x", "//evil.example", "/\"><x", "vbscript:x", ""]
        {
            assert!(check_menu_url(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn missing_theme_and_bad_language() {
        let err = parse("language = \"n b\"\ntheme = \"nope\"\n").unwrap_err();
        assert_eq!(err.len(), 2);
        assert_eq!(err.0[1].line(), Some(2));
        assert!(err.0[1].to_string().contains("themes/nope/"));
    }
}
