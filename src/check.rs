//! Checks of what writers put in the text: images that do not exist or have no alt text, web
//! addresses without `https://`, and a heading structure screen-reader users can navigate
//! (the page title is the only level-1 heading; levels never skip). Heading structure is an
//! error on pages of the site's content types and a warning elsewhere, so content written
//! for Zola builds as it is. The seed of the `check` command's audit.

use crate::content::Source;
use crate::error::{Pos, Severity};
use crate::markdown::Rendered;
use crate::messages::Message;
use crate::msg;
use std::path::PathBuf;

/// A problem in an item's text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    /// Where in the markdown.
    pub pos: Pos,
    /// Error or warning.
    pub severity: Severity,
    /// What is wrong.
    pub message: Message,
}

impl Problem {
    /// Does it fail the build?
    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}

/// Problems in one item's text; `typed`: the item belongs to one of the site's content types.
pub fn body_problems(source: &Source, r: &Rendered, static_dirs: &[PathBuf], typed: bool) -> Vec<Problem> {
    let structure = if typed { Severity::Error } else { Severity::Warning };
    let mut out = Vec::new();
    let mut push = |pos, severity, message| out.push(Problem { pos, severity, message });
    let mut previous = 1;
    for &(level, pos) in &r.heading_levels {
        if level == 1 {
            push(pos, structure, msg!("body.level_one_heading"));
        } else if level > previous + 1 {
            let (want, got) = ("#".repeat(previous as usize + 1), "#".repeat(level as usize));
            push(pos, structure, msg!("body.skipped_level", from = previous, to = level, want = want, got = got));
        }
        previous = level.max(1);
    }
    for img in &r.images {
        if img.alt.trim().is_empty() && !img.decorative {
            push(img.pos, Severity::Error, msg!("body.image_without_alt", src = &img.src));
        }
        if let Some(problem) = missing_image(source, &img.src, static_dirs) {
            push(img.pos, Severity::Error, problem);
        }
    }
    for link in r.links.iter().filter(|l| l.dest.starts_with("www.")) {
        push(link.pos, Severity::Error, msg!("body.address_without_scheme", dest = &link.dest));
    }
    out
}

fn missing_image(source: &Source, src: &str, static_dirs: &[PathBuf]) -> Option<Message> {
    if src.contains("://") || src.starts_with("data:") || src.starts_with("@/") || src.is_empty() {
        return None;
    }
    let path = src.split(['?', '#']).next().unwrap_or(src);
    let found = match path.strip_prefix('/') {
        Some(rel) => static_dirs.iter().any(|d| d.join(rel).is_file()),
        None => source.abs.parent().is_some_and(|d| d.join(path).is_file()),
    };
    if found {
        return None;
    }
    Some(if path.starts_with('/') {
        msg!("body.image_not_in_assets", src = src, path = path)
    } else {
        let hint = static_dirs.iter().any(|d| d.join(path).is_file()).then(|| msg!("hint.shared_file", path = path));
        msg!("body.image_not_beside", src = src, file = &source.file, hint = hint)
    })
}

/// The addresses a plan publishes (`/tips/x/`, `/tips/x/index.html`, `/bilder/y.jpg`),
/// each with the content file behind it when there is one.
pub struct Published {
    paths: std::collections::HashMap<String, Option<String>>,
}

impl Published {
    /// What `plan` will write.
    pub fn new(plan: &[crate::render::Planned]) -> Published {
        let mut paths = std::collections::HashMap::with_capacity(plan.len() * 2);
        for p in plan {
            let source = p.origin.strip_prefix("content/").filter(|s| s.ends_with(".md")).map(str::to_string);
            if let Some(dir) = p.rel.strip_suffix("index.html") {
                paths.insert(format!("/{dir}"), source.clone());
            }
            paths.insert(format!("/{}", p.rel), source);
        }
        Published { paths }
    }

    /// Does the site publish this path (query and anchor ignored; `/a/b` finds `/a/b/`)?
    pub fn has(&self, path: &str) -> bool {
        let path = decode(path.split(['?', '#']).next().unwrap_or(path));
        self.paths.contains_key(&path) || (!path.ends_with('/') && self.paths.contains_key(&format!("{path}/")))
    }

    /// What to write instead of a missing `path`: a published page close to it, or the
    /// nearest section above it.
    pub fn nearest(&self, path: &str) -> Option<Message> {
        let path = decode(path.split(['?', '#']).next().unwrap_or(path));
        let pages = self.paths.keys().filter(|p| p.ends_with('/')).map(String::as_str);
        if let Some(best) = crate::suggest::suggest(&path, pages) {
            return Some(match &self.paths[best] {
                Some(source) => msg!("hint.own_link_source", path = best, source = source),
                None => msg!("hint.own_link", path = best),
            });
        }
        let mut up = path.trim_end_matches('/');
        while let Some(i) = up.rfind('/') {
            up = &up[..i];
            let candidate = format!("{up}/");
            if candidate != "/" && self.paths.contains_key(&candidate) {
                return Some(msg!("hint.own_link_section", path = candidate));
            }
        }
        None
    }
}

/// Percent-decoding of a path (`/tips/m%C3%B8te/` → `/tips/møte/`); invalid sequences stay.
fn decode(path: &str) -> String {
    let b = path.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        let hex = |c: u8| (c as char).to_digit(16);
        match (b[i], b.get(i + 1).copied().and_then(hex), b.get(i + 2).copied().and_then(hex)) {
            (b'%', Some(h), Some(l)) => {
                out.push((h * 16 + l) as u8);
                i += 3;
            }
            (c, _, _) => {
                out.push(c);
                i += 1;
            }
        }
    }
    String::from_utf8(out).unwrap_or_else(|_| path.to_string())
}

/// Links pasted from the browser (`/tips/x/`, `https://<own address>/tips/x/`) to addresses
/// the site does not publish: (place in the text, message), for one text's links.
pub fn own_links(r: &Rendered, published: &Published) -> Vec<(Pos, Message)> {
    r.links
        .iter()
        .filter_map(|l| {
            let path = l.own.as_deref()?;
            if published.has(path) {
                return None;
            }
            Some((l.pos, msg!("links.missing_own", dest = &l.dest, hint = published.nearest(path))))
        })
        .collect()
}

/// One language's translation work: the default language's pages it has no translation of,
/// and its translations older than their originals (by `updated`, else `date`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TranslationStatus {
    /// The language.
    pub lang: String,
    /// Source files (`content/…`) with no translation in it.
    pub missing: Vec<String>,
    /// (translation, original) source files where the original changed later.
    pub outdated: Vec<(String, String)>,
}

/// Every other language's [`TranslationStatus`] (drafts and pages that are not rendered
/// are left out).
pub fn translation_status(site: &crate::content::Site, config: &crate::config::Config) -> Vec<TranslationStatus> {
    use crate::content::Item;
    let changed = |p: &crate::content::Page| p.updated.as_ref().or(p.date.as_ref()).map(|d| d.days_since_epoch());
    config
        .languages
        .iter()
        .map(|l| {
            let mut status = TranslationStatus { lang: l.code.clone(), missing: Vec::new(), outdated: Vec::new() };
            for (i, p) in site.pages.iter().enumerate() {
                if p.source.lang != config.language || !p.render || p.draft {
                    continue;
                }
                match site.translation_in(Item::Page(i), &l.code) {
                    None => status.missing.push(p.source.file.clone()),
                    Some(Item::Page(t)) => {
                        let tr = &site.pages[t];
                        if let (Some(a), Some(b)) = (changed(p), changed(tr)) {
                            if a > b {
                                status.outdated.push((tr.source.file.clone(), p.source.file.clone()));
                            }
                        }
                    }
                    Some(Item::Section(_)) => {}
                }
            }
            status
        })
        .collect()
}

impl TranslationStatus {
    /// The lines `check` prints: how many are missing (and which, folder by folder) and
    /// which translations are older than their originals.
    pub fn lines(&self) -> Vec<Message> {
        let mut out = Vec::new();
        if !self.missing.is_empty() {
            out.push(match self.missing.len() {
                1 => msg!("translations.missing_one", lang = &self.lang),
                n => msg!("translations.missing", lang = &self.lang, n = n),
            });
            let mut by_dir: std::collections::BTreeMap<&str, Vec<&str>> = std::collections::BTreeMap::new();
            for f in &self.missing {
                let (dir, name) = f.rsplit_once('/').unwrap_or(("", f));
                by_dir.entry(dir).or_default().push(name);
            }
            for (dir, names) in by_dir {
                out.push(msg!("translations.folder", dir = dir, files = names.join(", ")));
            }
        }
        for (tr, orig) in &self.outdated {
            out.push(msg!("translations.outdated", translation = tr, original = orig));
        }
        out
    }
}
