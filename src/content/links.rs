//! Link resolution against the loaded site: internal `@/path.md` links in markdown and
//! templates, and the `@/` URLs of the menus in site.toml.

use super::Site;
use crate::config::{Config, CONFIG_FILE};
use crate::error::{suggest, Diagnostic, Diagnostics};
use crate::markdown::LinkResolver;
use crate::messages::Message;
use crate::msg;

/// A [`LinkResolver`] over a loaded site: `tips/x.md` → the page's permalink.
pub struct Links<'a> {
    /// The site whose sources are linked to.
    pub site: &'a Site,
    /// For base URLs.
    pub config: &'a Config,
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
}

/// Resolves `@/` menu URLs in site.toml to permalinks; a link to a missing page is reported
/// at its line.
pub fn resolve_menus(config: &mut Config, site: &Site) -> Diagnostics {
    let mut diags = Diagnostics::default();
    let src = std::fs::read_to_string(config.layout.root.join(CONFIG_FILE)).unwrap_or_default();
    let mut resolved = config.menus.clone();
    for item in resolved.values_mut().flatten() {
        let Some(target) = item.url.strip_prefix("@/") else { continue };
        match (Links { site, config }).resolve(target) {
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
    config.menus = resolved;
    diags
}
