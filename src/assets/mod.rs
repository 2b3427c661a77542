//! The assets stage: files published as they are. Lists the static folders (the site's
//! `assets/` and `static/` override the theme's `static/` file by file) and the files beside
//! the markdown in `content/`, each with the output path it is published at. Raster images
//! are never published as they are: [`images`] re-encodes them (resized for the pages that
//! show them, metadata stripped).

pub mod images;

pub mod svg;

use crate::content::{is_temp_file, ContentFile};
use crate::layout::{Layout, Role};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// A file to publish as it is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StaticFile {
    /// Output path relative to the output root, `/`-separated (no leading slash).
    pub rel: String,
    /// The source file.
    pub source: PathBuf,
    /// Shown in messages: the source's path relative to the site root.
    pub shown: String,
}

/// The static folders that exist, highest priority first.
pub fn static_dirs(layout: &Layout) -> Vec<PathBuf> {
    layout.dirs(Role::Static).into_iter().map(|p| p.abs).collect()
}

/// Every file of the static folders (the first folder that has a path wins), then the
/// content folder's files. Two content files for one output path are both kept, so that
/// the plan reports the collision naming both.
pub fn static_files(layout: &Layout, content_files: &[ContentFile]) -> Vec<StaticFile> {
    let mut files: BTreeMap<String, StaticFile> = BTreeMap::new();
    for place in layout.dirs(Role::Static).into_iter().rev().filter(|p| p.abs.is_dir()) {
        for entry in walkdir::WalkDir::new(&place.abs).into_iter().filter_map(Result::ok) {
            let name = entry.file_name().to_string_lossy();
            if !entry.file_type().is_file() || is_temp_file(&name) {
                continue;
            }
            let rel = relative(entry.path(), &place.abs);
            let shown = format!("{}/{rel}", place.shown);
            files.insert(rel.clone(), StaticFile { rel, source: entry.path().to_path_buf(), shown });
        }
    }
    let mut out: Vec<StaticFile> = files.into_values().collect();
    out.extend(content_files.iter().map(|f| StaticFile {
        rel: f.output.clone(),
        source: f.source.clone(),
        shown: format!("content/{}", f.relative),
    }));
    out
}

/// `/`-separated path of `path` below `base`.
fn relative(path: &Path, base: &Path) -> String {
    let rel = path.strip_prefix(base).unwrap_or(path);
    rel.components().map(|c| c.as_os_str().to_string_lossy()).collect::<Vec<_>>().join("/")
}

/// The files to copy, less raster images: those a page or template shows are published
/// only in their variants; every other raster file is registered to be published at its own
/// address re-encoded (its metadata stripped), or reported when it cannot be read (a HEIC
/// photo left in a page's folder fails the build with the advice to save it as JPEG).
pub fn images_of(stage: &images::ImageStage, statics: Vec<StaticFile>) -> (Vec<StaticFile>, crate::error::Diagnostics) {
    let used = stage.used_sources();
    let mut diags = crate::error::Diagnostics::default();
    let mut out = Vec::with_capacity(statics.len());
    for f in statics {
        if !images::is_raster(&f.rel) {
            out.push(f);
            continue;
        }
        if used.contains(&f.source) {
            continue;
        }
        let (i, source) = stage.source(&f.source, &f.shown, &f.rel);
        let spec = source.probe.as_ref().map(|p| images::Spec {
            op: images::Op::Original,
            format: images::OutFormat::of(p.format),
            quality: if p.format == images::SourceFormat::Webp {
                stage.config.webp_quality
            } else {
                stage.config.quality
            },
        });
        if let Err(p) = spec.map_err(Clone::clone).and_then(|spec| stage.original(i, spec, &f.rel)) {
            diags.push(crate::error::Diagnostic::error(
                &f.shown,
                images::problem_message(&f.shown, &p, stage.config.max_pixels),
            ));
        }
    }
    (out, diags)
}
