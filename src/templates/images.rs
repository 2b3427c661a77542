//! Image functions for templates, through the image stage: Zola's `resize_image` and
//! `get_image_metadata` (same arguments and results, so Zola themes keep working; `fill`
//! also takes a `focus` point, Zola's cuts around the centre), `responsive_image` (the
//! widths and formats of a `<picture>`) and `sharing_image` (1200×630 JPEG for `og:image`).
//! A path is under `content/` (`historier/x/foto.jpg`, e.g. `page.colocated_path ~ name`)
//! or in the static folders (`/bilder/x.jpg` or `bilder/x.jpg`). An image the plan does not
//! have yet is made after the planned outputs, through the same output.

use super::record::{record, Input};
use crate::assets::images::{self, fields, FoundImage, ImageStage, Op, OutFormat, Spec, Variant};
use crate::messages::Message;
use crate::msg;
use std::path::PathBuf;
use std::sync::Arc;
use tera::{Kwargs, State, Tera, TeraResult as Result, Value};

/// What the image functions look things up in.
pub(super) struct Shared {
    /// The site's `content/` folder.
    pub(super) content_dir: PathBuf,
    /// The image stage (none: every image function fails with a message).
    pub(super) images: Option<Arc<ImageStage>>,
}

/// A function's error, worded from the catalogue (Tera reports it at the template's line).
fn fail(m: Message) -> tera::Error {
    tera::Error::message(m.to_string())
}

/// Registers the image functions.
pub(super) fn register(tera: &mut Tera, shared: Shared) {
    let shared = Arc::new(shared);
    let s = shared.clone();
    tera.register_function("get_image_metadata", move |args: Kwargs, _: &State<'_>| -> Result<Value> {
        let (stage, i, probe) = source(&s, &args)?;
        let _ = (stage, i);
        Ok(map(&[
            ("width", Value::from(probe.width)),
            ("height", Value::from(probe.height)),
            ("format", Value::from(probe.format.name())),
            ("mime", Value::from(OutFormat::of(probe.format).mime())),
        ]))
    });
    let s = shared.clone();
    tera.register_function("resize_image", move |args: Kwargs, _: &State<'_>| -> Result<Value> {
        let (stage, i, probe) = source(&s, &args)?;
        let width: Option<u32> = args.get("width")?;
        let height: Option<u32> = args.get("height")?;
        let op: String = args.get("op")?.unwrap_or_else(|| "fill".to_string());
        let need = |v: Option<u32>, what: &str| v.ok_or_else(|| fail(msg!("images.needs_size", op = &op, what = what)));
        let op = match op.as_str() {
            "fit_width" => Op::FitWidth(need(width, "width")?),
            "fit_height" => Op::FitHeight(need(height, "height")?),
            "scale" => Op::Scale(need(width, "width")?, need(height, "height")?),
            "fit" => Op::Fit(need(width, "width")?, need(height, "height")?),
            "fill" => {
                let focus: Option<String> = args.get("focus")?;
                let focus = match focus {
                    Some(f) => fields::parse_focus(&f).ok_or_else(|| fail(msg!("images.bad_focus", key = "focus")))?,
                    None => (50, 50),
                };
                Op::Fill(need(width, "width")?, need(height, "height")?, focus)
            }
            other => return Err(fail(msg!("images.bad_op", op = other))),
        };
        let format: String = args.get("format")?.unwrap_or_else(|| "auto".to_string());
        let format = match format.as_str() {
            "auto" if probe.alpha || probe.format == images::SourceFormat::Png => OutFormat::Png,
            "auto" | "jpg" | "jpeg" => OutFormat::Jpeg,
            "png" => OutFormat::Png,
            "webp" => OutFormat::Webp,
            other => return Err(fail(msg!("images.bad_format", format = other))),
        };
        let default_q = if format == OutFormat::Webp { stage.config.webp_quality } else { stage.config.quality };
        let quality: u8 = args.get::<u8>("quality")?.unwrap_or(default_q).clamp(1, 100);
        let v = stage.variant(i, Spec { op, format, quality }).map_err(|p| problem(&stage, i, &p))?;
        Ok(map(&[
            ("url", Value::from(stage.url(&v.rel))),
            ("static_path", Value::from(v.rel.as_str())),
            ("width", Value::from(v.geometry.width)),
            ("height", Value::from(v.geometry.height)),
            ("orig_width", Value::from(probe.width)),
            ("orig_height", Value::from(probe.height)),
        ]))
    });
    let s = shared.clone();
    tera.register_function("responsive_image", move |args: Kwargs, _: &State<'_>| -> Result<Value> {
        let (stage, i, _) = source(&s, &args)?;
        let r = stage.responsive(i).map_err(|p| problem(&stage, i, &p))?;
        let url = |rel: &str| stage.url(rel);
        let largest = r.largest();
        Ok(map(&[
            ("src", Value::from(url(&largest.rel))),
            ("srcset", Value::from(images::markup::srcset(&r.fallback, &url))),
            ("webp_srcset", Value::from(images::markup::srcset(&r.webp, &url))),
            ("type", Value::from(largest.spec.format.mime())),
            ("width", Value::from(largest.geometry.width)),
            ("height", Value::from(largest.geometry.height)),
            ("sizes", Value::from(stage.config.sizes.as_str())),
        ]))
    });
    let s = shared.clone();
    tera.register_function("sharing_image", move |args: Kwargs, _: &State<'_>| -> Result<Value> {
        let (stage, i, _) = source(&s, &args)?;
        let v: Variant = stage.sharing(i).map_err(|p| problem(&stage, i, &p))?;
        Ok(map(&[
            ("url", Value::from(stage.url(&v.rel))),
            ("width", Value::from(v.geometry.width)),
            ("height", Value::from(v.geometry.height)),
            ("type", Value::from(v.spec.format.mime())),
        ]))
    });
}

/// The stage, the source's index and what its header says, for the `path` argument.
fn source(s: &Shared, args: &Kwargs) -> Result<(Arc<ImageStage>, usize, images::Probe)> {
    let path: String = args.must_get("path")?;
    let stage = s.images.clone().ok_or_else(|| fail(msg!("images.not_found", path = &path)))?;
    let found = find(s, &stage, &path).ok_or_else(|| fail(msg!("images.not_found", path = &path)))?;
    record(Input::File(found.abs.clone()));
    let (i, src) = stage.source(&found.abs, &found.shown, &found.rel);
    let probe = src.probe.clone().map_err(|p| problem(&stage, i, &p))?;
    Ok((stage, i, probe))
}

fn problem(stage: &ImageStage, i: usize, p: &images::Problem) -> tera::Error {
    let shown = stage.source_shown(i);
    fail(images::problem_message(&shown, p, stage.config.max_pixels))
}

/// `historier/x/foto.jpg` under `content/`, else `/bilder/x.jpg` or `bilder/x.jpg` in the
/// static folders.
fn find(s: &Shared, stage: &ImageStage, path: &str) -> Option<FoundImage> {
    let path = path.trim_start_matches("@/");
    if path.split('/').any(|c| c == "..") || !images::is_raster(path) {
        return None;
    }
    if !path.starts_with('/') {
        let abs = s.content_dir.join(path);
        if abs.is_file() {
            return Some(FoundImage { abs, shown: format!("content/{path}"), rel: path.to_string() });
        }
    }
    stage.in_static(path.trim_start_matches('/'))
}

fn map(items: &[(&'static str, Value)]) -> Value {
    let mut m = tera::Map::default();
    for (k, v) in items {
        m.insert((*k).into(), v.clone());
    }
    Value::from(m)
}
