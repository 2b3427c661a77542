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
        if img.alt.trim().is_empty() {
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
