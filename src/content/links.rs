//! Resolves internal `@/path.md` links against the loaded site.

use super::Site;
use crate::config::Config;
use crate::error::suggest;
use crate::markdown::LinkResolver;

/// A [`LinkResolver`] over a loaded site: `tips/x.md` → the page's permalink.
pub struct Links<'a> {
    /// The site whose sources are linked to.
    pub site: &'a Site,
    /// For base URLs.
    pub config: &'a Config,
}

impl LinkResolver for Links<'_> {
    fn resolve(&self, target: &str) -> Result<String, String> {
        let target = target.trim_start_matches('/');
        if let Some(item) = self.site.by_source.get(target) {
            return Ok(self.config.permalink(self.site.item_path(*item)));
        }
        if self.site.failed.iter().any(|f| f == target) {
            // Its own error is already reported; the build fails anyway.
            return Ok(String::from("#"));
        }
        if self.site.skipped_drafts.iter().any(|d| d == target) {
            return Err(format!(
                "@/{target} is a draft and left out of this build: remove the link, publish the page (draft = false), or build with --drafts"
            ));
        }
        let hint = suggest(target, self.site.by_source.keys().map(String::as_str))
            .map(|s| format!("; did you mean @/{s}?"))
            .unwrap_or_else(|| "; internal links name a file under content/, e.g. @/tips/_index.md".into());
        Err(format!("link to a missing page: there is no content/{target}{hint}"))
    }
}
