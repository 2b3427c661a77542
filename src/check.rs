//! Checks of what writers put in the text: images that do not exist or have no alt text, web
//! addresses without `https://`, and a heading structure screen-reader users can navigate
//! (the page title is the only level-1 heading; levels never skip). The seed of the `check`
//! command's link, accessibility and SEO audit.

use crate::content::Source;
use crate::markdown::Rendered;
use std::path::PathBuf;

/// Problems in one item's text: (byte offset in the markdown, message).
pub fn body_problems(source: &Source, r: &Rendered, static_dirs: &[PathBuf]) -> Vec<(usize, String)> {
    let mut out = Vec::new();
    let mut previous = 1;
    for &(level, offset) in &r.heading_levels {
        if level == 1 {
            out.push((offset, "a level-1 heading (# …) in the text: the page title is the page's only level-1 heading; start sections with ##".into()));
        } else if level > previous + 1 {
            let (want, got) = ("#".repeat(previous as usize + 1), "#".repeat(level as usize));
            out.push((
                offset,
                format!("the heading jumps from level {previous} to {level}: write {want} instead of {got} (screen-reader users move through a page by heading levels)"),
            ));
        }
        previous = level.max(1);
    }
    for img in &r.images {
        if img.alt.trim().is_empty() {
            out.push((img.offset, format!("image without alt text: write ![what the image shows]({})", img.src)));
        }
        if let Some(problem) = missing_image(source, &img.src, static_dirs) {
            out.push((img.offset, problem));
        }
    }
    for link in r.links.iter().filter(|l| l.dest.starts_with("www.")) {
        out.push((
            link.offset,
            format!("write web addresses in full: https://{} (without https:// the link leads nowhere)", link.dest),
        ));
    }
    out
}

fn missing_image(source: &Source, src: &str, static_dirs: &[PathBuf]) -> Option<String> {
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
        format!("image `{src}` not found: the file must be at assets{path} (or static{path})")
    } else {
        let hint = if static_dirs.iter().any(|d| d.join(path).is_file()) {
            format!("; it is one of the site's shared files (assets/ or static/), so write /{path}")
        } else {
            String::new()
        };
        format!("image `{src}` not found beside {}{hint}", source.file)
    })
}
