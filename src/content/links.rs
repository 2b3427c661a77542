//! Link resolution against the loaded site: internal `@/path.md` links in markdown and
//! templates, links pasted from the browser to the site's own address (published under the
//! configured base URL), the components a text calls, and the `@/` URLs of the menus in
//! site.toml.

use super::{Site, Source};
use crate::config::{Config, CONFIG_FILE};
use crate::error::{suggest, Diagnostic, Diagnostics};
use crate::markdown::{calls::Call, Components, LinkResolver, Pictures};
use crate::messages::Message;
use crate::msg;

/// A [`LinkResolver`] over a loaded site: `tips/x.md` → the page's permalink, and images
/// through the image stage (relative to `item`'s folder).
#[derive(Clone, Copy)]
pub struct Links<'a> {
    /// The site whose sources are linked to.
    pub site: &'a Site,
    /// For base URLs.
    pub config: &'a Config,
    /// The components texts may call (none while the templates are broken).
    pub components: Option<&'a dyn Components>,
    /// The image stage (none: images are left as the writer wrote them).
    pub images: Option<&'a dyn Pictures>,
    /// The page or section whose text is rendered (its folder holds its images).
    pub item: Option<&'a Source>,
}

impl<'a> Links<'a> {
    /// Links over `site` with no components and no images.
    pub fn new(site: &'a Site, config: &'a Config) -> Links<'a> {
        Links { site, config, components: None, images: None, item: None }
    }

    /// The same links for the text of `item`.
    pub fn for_item(self, item: &'a Source) -> Links<'a> {
        Links { item: Some(item), ..self }
    }
}

impl LinkResolver for Links<'_> {
    fn resolve(&self, target: &str) -> Result<String, Message> {
        let target = target.trim_start_matches('/');
        if let Some(item) = self.site.by_source.get(target) {
            return Ok(self.config.permalink(self.site.item_path(*item)));
        }
        if self.site.failed.iter().any(|f| f == target) {
            // Its own error is already reported; the build fails anyway.
            return Ok(String::from("#"));
        }
        if self.site.skipped_drafts.iter().any(|d| d == target) {
            return Err(msg!("links.to_draft", target = target));
        }
        let hint = match suggest(target, self.site.by_source.keys().map(String::as_str)) {
            Some(s) => msg!("hint.did_you_mean_link", target = s),
            None => msg!("hint.internal_links"),
        };
        Err(msg!("links.missing_page", target = target, hint = hint))
    }

    fn own_link(&self, dest: &str) -> Option<(String, String)> {
        let path = own_path(dest, &self.config.site_url).or_else(|| own_path(dest, &self.config.base_url))?;
        Some((self.config.permalink(&path), path))
    }

    fn image(&self, src: &str, alt: &str) -> Option<Result<String, Message>> {
        let item = self.item?;
        self.images?.picture(&item.abs, &item.relative, src, alt)
    }

    fn component(
        &self,
        call: &Call,
        args: &[(String, serde_json::Value)],
        body: Option<&str>,
    ) -> Result<String, Message> {
        match self.components {
            Some(c) => c.render(&call.name, args, body),
            None => Err(msg!("components.none", name = call.name.as_str())),
        }
    }
}

/// The path on the site (`/tips/x/`, with any query and anchor) of a link to the site's own
/// address `base` (`https://jobbvinner.no`, maybe with a path): root-relative links and
/// links to the same host (`http` or `https`, with or without `www.`).
pub(crate) fn own_path(dest: &str, base: &str) -> Option<String> {
    let (host, base_path) = split_url(base).unwrap_or(("", base.trim_end_matches('/')));
    let absolute = !dest.starts_with('/');
    let path = if dest.starts_with("//") {
        return None;
    } else if !absolute {
        dest.to_string()
    } else {
        let (h, p) = split_url(dest)?;
        let bare = |h: &str| h.trim_start_matches("www.").to_ascii_lowercase();
        if host.is_empty() || bare(h) != bare(host) {
            return None;
        }
        if p.is_empty() {
            "/".to_string()
        } else {
            p.to_string()
        }
    };
    // Under a base path, links pasted from the published site carry it: take it off.
    match path.strip_prefix(base_path) {
        Some(rest) if !base_path.is_empty() && (rest.is_empty() || rest.starts_with(['/', '?', '#'])) => {
            Some(if rest.starts_with('/') { rest.to_string() } else { format!("/{rest}") })
        }
        // Another site on the same host.
        _ if absolute && !base_path.is_empty() => None,
        _ => Some(path),
    }
}

/// `https://host/path` → (`host`, `/path`); `None` unless http(s).
fn split_url(url: &str) -> Option<(&str, &str)> {
    let rest = url.strip_prefix("https://").or_else(|| url.strip_prefix("http://"))?;
    let end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    Some((&rest[..end], &rest[end..]))
}

/// Resolves `@/` menu URLs in site.toml (every language's) to permalinks; a link to a
/// missing page is reported at its line.
pub fn resolve_menus(config: &mut Config, site: &Site) -> Diagnostics {
    let mut diags = Diagnostics::default();
    let src = std::fs::read_to_string(config.layout.root.join(CONFIG_FILE)).unwrap_or_default();
    let mut resolved = config.menus.clone();
    resolve_menu_items(config, site, &src, &mut resolved, &mut diags);
    let mut others = config.languages.clone();
    for l in &mut others {
        resolve_menu_items(config, site, &src, &mut l.menus, &mut diags);
    }
    config.menus = resolved;
    config.languages = others;
    diags
}

fn resolve_menu_items(
    config: &Config,
    site: &Site,
    src: &str,
    menus: &mut std::collections::BTreeMap<String, Vec<crate::config::MenuItem>>,
    diags: &mut Diagnostics,
) {
    for item in menus.values_mut().flatten() {
        let Some(target) = item.url.strip_prefix("@/") else { continue };
        match Links::new(site, config).resolve(target) {
            Ok(url) => item.url = url,
            Err(m) => {
                let m = msg!("links.menu_item", name = &item.name, problem = m);
                diags.push(match src.lines().position(|l| l.contains(&item.url)) {
                    Some(i) => Diagnostic::at(CONFIG_FILE, i + 1, 1, m),
                    None => Diagnostic::error(CONFIG_FILE, m),
                });
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::own_path;

    #[test]
    fn own_addresses_become_site_paths() {
        let base = "https://jobbvinner.no";
        assert_eq!(own_path("/tips/x/", base).as_deref(), Some("/tips/x/"));
        assert_eq!(own_path("https://jobbvinner.no/tips/x/#steg", base).as_deref(), Some("/tips/x/#steg"));
        assert_eq!(own_path("http://www.Jobbvinner.no", base).as_deref(), Some("/"));
        assert_eq!(own_path("https://ks.no/tips/", base), None);
        assert_eq!(own_path("//cdn.example/x.js", base), None);
        assert_eq!(own_path("tips/x/", base), None);
        let sub = "https://ks.no/jobbvinner";
        assert_eq!(own_path("https://ks.no/jobbvinner/tips/x/", sub).as_deref(), Some("/tips/x/"));
        assert_eq!(own_path("/jobbvinner/tips/", sub).as_deref(), Some("/tips/"));
        assert_eq!(own_path("/tips/", sub).as_deref(), Some("/tips/"));
        assert_eq!(own_path("https://ks.no/jobbvinner", sub).as_deref(), Some("/"));
        assert_eq!(own_path("https://ks.no/annet/", sub), None);
    }
}
