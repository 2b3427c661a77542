//! The image stage: every raster image the site uses (markdown images, front-matter image
//! fields, template functions, and raster files nobody references) is published re-encoded,
//! never as it is, so that no EXIF, GPS position, XMP, IPTC or maker note leaves the writer's
//! phone. Referenced images are published in the configured widths (`[images] widths`, never
//! wider than the source) as lossy WebP plus a JPEG fallback (PNG when the image has
//! transparency), upright, in sRGB. Unreferenced raster files keep their address, re-encoded
//! at full size in their own format.
//!
//! The stage is a registry that the earlier stages fill (markdown rendering, front matter,
//! template functions) and the render stage drains: each [`Variant`] is a planned output
//! (`render::Job::Image`) whose input is its source file. Work happens once per source (one
//! decode for all its variants, in parallel across sources) and is kept in the [`cache`];
//! [`process`] has the pixel work, [`markup`] the `<picture>` HTML.

pub mod cache;
pub mod fields;
pub mod markup;
pub mod process;

pub use crate::config::ImageConfig;
pub use process::{Probe, Problem, SourceFormat};

use crate::messages::Message;
use crate::msg;
use cache::{hash_bytes, hash_of, Cache, ENCODER_VERSION};
use rayon::prelude::*;
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

/// The size of the sharing image (`og:image`).
pub const SHARING: (u32, u32) = (1200, 630);

/// A published format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum OutFormat {
    /// Lossy WebP (libwebp).
    Webp,
    /// Baseline JPEG.
    Jpeg,
    /// PNG (images with transparency).
    Png,
    /// GIF (first frame; only for GIF files nobody references).
    Gif,
}

impl OutFormat {
    /// The file extension.
    pub fn ext(self) -> &'static str {
        match self {
            OutFormat::Webp => "webp",
            OutFormat::Jpeg => "jpg",
            OutFormat::Png => "png",
            OutFormat::Gif => "gif",
        }
    }

    /// The MIME type.
    pub fn mime(self) -> &'static str {
        match self {
            OutFormat::Webp => "image/webp",
            OutFormat::Jpeg => "image/jpeg",
            OutFormat::Png => "image/png",
            OutFormat::Gif => "image/gif",
        }
    }

    /// The format a source is re-encoded in at its own address.
    pub fn of(f: SourceFormat) -> OutFormat {
        match f {
            SourceFormat::Jpeg => OutFormat::Jpeg,
            SourceFormat::Png => OutFormat::Png,
            SourceFormat::Webp => OutFormat::Webp,
            SourceFormat::Gif => OutFormat::Gif,
        }
    }
}

/// What to do to the pixels. Nothing is ever made larger than the source.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Op {
    /// The source's size (re-encoded only).
    Original,
    /// This width, height in proportion (a responsive width; Zola's `fit_width`).
    FitWidth(u32),
    /// This height, width in proportion (Zola's `fit_height`).
    FitHeight(u32),
    /// Exactly this size, proportions ignored (Zola's `scale`).
    Scale(u32, u32),
    /// Within this box, proportions kept (Zola's `fit`).
    Fit(u32, u32),
    /// This size, cut to its proportions around a focal point in percent from the top left
    /// (Zola's `fill`, which always cuts around the centre).
    Fill(u32, u32, (u8, u8)),
}

/// The size of a variant, and the part of the source it shows when cut.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Geometry {
    /// Width in pixels.
    pub width: u32,
    /// Height in pixels.
    pub height: u32,
    /// (x, y, width, height) of the source shown, for `Fill`.
    pub crop: Option<(u32, u32, u32, u32)>,
}

impl Op {
    /// The variant's size for a source of `sw`×`sh` (as shown).
    pub fn geometry(self, sw: u32, sh: u32) -> Geometry {
        let prop =
            |num: u32, a: u32, b: u32| ((u64::from(num) * u64::from(a) + u64::from(b) / 2) / u64::from(b)) as u32;
        let (w, h, crop) = match self {
            Op::Original => (sw, sh, None),
            Op::FitWidth(w) => {
                let w = w.min(sw);
                (w, prop(sh, w, sw), None)
            }
            Op::FitHeight(h) => {
                let h = h.min(sh);
                (prop(sw, h, sh), h, None)
            }
            Op::Scale(w, h) => (w.min(sw), h.min(sh), None),
            Op::Fit(w, h) => {
                let (w, h) = (w.min(sw), h.min(sh));
                // The side that limits decides.
                if u64::from(w) * u64::from(sh) <= u64::from(h) * u64::from(sw) {
                    (w, prop(sh, w, sw), None)
                } else {
                    (prop(sw, h, sh), h, None)
                }
            }
            Op::Fill(w, h, (fx, fy)) => {
                // Never larger than the source: the largest box of these proportions inside it.
                let scale = (f64::from(sw) / f64::from(w)).min(f64::from(sh) / f64::from(h)).min(1.0);
                let (w, h) =
                    (((f64::from(w) * scale).round() as u32).max(1), ((f64::from(h) * scale).round() as u32).max(1));
                // The part of the source with the target's proportions, as large as fits.
                let (cw, ch) = if u64::from(sw) * u64::from(h) > u64::from(sh) * u64::from(w) {
                    (prop(sh, w, h).min(sw), sh)
                } else {
                    (sw, prop(sw, h, w).min(sh))
                };
                let place = |free: u32, f: u8| ((u64::from(free) * u64::from(f.min(100))) / 100) as u32;
                let x = place(sw - cw, fx);
                let y = place(sh - ch, fy);
                (w, h, Some((x, y, cw, ch)))
            }
        };
        Geometry { width: w.max(1), height: h.max(1), crop }
    }
}

/// What to make of a source.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Spec {
    /// The operation.
    pub op: Op,
    /// The published format.
    pub format: OutFormat,
    /// Encoder quality, 1–100.
    pub quality: u8,
}

/// A source image the site uses.
#[derive(Debug)]
pub struct Source {
    /// The file.
    pub abs: PathBuf,
    /// Its path from the site root, for messages (`content/historier/x/foto.jpg`).
    pub shown: String,
    /// The output path it would have as a file (`historier/x/foto.jpg`); variants go beside it.
    pub rel: String,
    /// Hash of its bytes (the cache key).
    pub hash: u64,
    /// What its header says, or what is wrong with it.
    pub probe: Result<Probe, Problem>,
}

/// One published file made from a source: a planned output.
#[derive(Debug, Clone, PartialEq)]
pub struct Variant {
    /// Output path, e.g. `historier/x/foto-960x720.webp`.
    pub rel: String,
    /// Index of its source.
    pub source: usize,
    /// What is done.
    pub spec: Spec,
    /// Its size.
    pub geometry: Geometry,
}

/// A responsive image: the same picture in several widths, as WebP and a fallback.
#[derive(Debug, Clone)]
pub struct Responsive {
    /// WebP variants, narrowest first.
    pub webp: Vec<Variant>,
    /// JPEG (or PNG) variants, narrowest first.
    pub fallback: Vec<Variant>,
}

impl Responsive {
    /// The widest fallback (its size gives `width`/`height`).
    pub fn largest(&self) -> &Variant {
        self.fallback.last().expect("a responsive image has at least one width")
    }
}

/// Counts for the build report.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ImageStats {
    /// Source images used.
    pub sources: usize,
    /// Image files published.
    pub variants: usize,
    /// Sources decoded this build (0 when everything came from the cache).
    pub processed: usize,
    /// Image files encoded this build.
    pub encoded: usize,
}

#[derive(Default)]
struct State {
    sources: Vec<Arc<Source>>,
    by_path: HashMap<PathBuf, usize>,
    variants: Vec<Variant>,
    by_rel: HashMap<String, usize>,
    /// Variants `0..planned` are in the plan; later ones were asked for while rendering.
    planned: usize,
    /// The plan has been made.
    frozen: bool,
    /// Variants asked for while rendering and not yet produced.
    late: Vec<usize>,
}

/// The registry of sources and variants for one build.
pub struct ImageStage {
    /// Settings.
    pub config: ImageConfig,
    /// The site's base URL (no trailing slash).
    base_url: String,
    /// The static folders, highest priority first, with their paths from the site root.
    static_dirs: Vec<(PathBuf, String)>,
    cache: Cache,
    state: Mutex<State>,
    processed: AtomicUsize,
    encoded: AtomicUsize,
}

impl std::fmt::Debug for ImageStage {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ImageStage").field("config", &self.config).finish_non_exhaustive()
    }
}

/// Is this file name a raster image the stage handles (or refuses with a message)?
pub fn is_raster(name: &str) -> bool {
    let ext = name.rsplit_once('.').map(|(_, e)| e.to_ascii_lowercase()).unwrap_or_default();
    matches!(ext.as_str(), "jpg" | "jpeg" | "png" | "webp" | "gif" | "heic" | "heif" | "avif" | "tif" | "tiff" | "bmp")
}

impl ImageStage {
    /// The stage of a site.
    pub fn new(site: &crate::config::Config) -> ImageStage {
        let layout = &site.layout;
        let static_dirs = layout.dirs(crate::layout::Role::Static).into_iter().map(|d| (d.abs, d.shown)).collect();
        ImageStage {
            config: site.images.clone(),
            base_url: site.base_url.clone(),
            static_dirs,
            cache: Cache::new(&layout.root),
            state: Mutex::new(State::default()),
            processed: AtomicUsize::new(0),
            encoded: AtomicUsize::new(0),
        }
    }

    fn state(&self) -> std::sync::MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// The source at `abs` (read, hashed and probed the first time), by index.
    pub fn source(&self, abs: &Path, shown: &str, rel: &str) -> (usize, Arc<Source>) {
        {
            let st = self.state();
            if let Some(&i) = st.by_path.get(abs) {
                return (i, st.sources[i].clone());
            }
        }
        let (hash, probe) = match std::fs::read(abs) {
            Ok(bytes) => (hash_bytes(&bytes), process::probe(&bytes, self.config.max_pixels)),
            Err(e) => (0, Err(Problem::Broken(crate::error::io_message(&e).to_string()))),
        };
        let mut st = self.state();
        if let Some(&i) = st.by_path.get(abs) {
            return (i, st.sources[i].clone());
        }
        let s =
            Arc::new(Source { abs: abs.to_path_buf(), shown: shown.to_string(), rel: rel.to_string(), hash, probe });
        let i = st.sources.len();
        st.sources.push(s.clone());
        st.by_path.insert(abs.to_path_buf(), i);
        (i, s)
    }

    /// The sources registered so far: those texts and front matter use (not published at
    /// their own address; their problems are reported where they are used).
    pub fn used_sources(&self) -> std::collections::HashSet<PathBuf> {
        self.state().by_path.keys().cloned().collect()
    }

    /// The variant `spec` of source `i` (registered once; late when the plan is made).
    pub fn variant(&self, i: usize, spec: Spec) -> Result<Variant, Problem> {
        self.register(i, spec, None)
    }

    /// Source `i` re-encoded at the output path `rel` (a raster file nobody references).
    pub fn original(&self, i: usize, spec: Spec, rel: &str) -> Result<Variant, Problem> {
        self.register(i, spec, Some(rel))
    }

    fn register(&self, i: usize, spec: Spec, rel: Option<&str>) -> Result<Variant, Problem> {
        let mut st = self.state();
        let src = st.sources[i].clone();
        let probe = src.probe.clone()?;
        let geometry = spec.op.geometry(probe.width, probe.height);
        let rel = rel.map_or_else(|| variant_rel(&src.rel, &spec, &geometry, &self.config), str::to_string);
        if let Some(&k) = st.by_rel.get(&rel) {
            return Ok(st.variants[k].clone());
        }
        let v = Variant { rel: rel.clone(), source: i, spec, geometry };
        let k = st.variants.len();
        st.variants.push(v.clone());
        st.by_rel.insert(rel, k);
        if st.frozen {
            st.late.push(k);
        }
        Ok(v)
    }

    /// The widths a source of width `w` is published in: the configured ones below it, and
    /// its own width when it is narrower than the widest (never upscaled).
    pub fn widths(&self, w: u32) -> Vec<u32> {
        let mut out: Vec<u32> = self.config.widths.iter().copied().filter(|&x| x < w).collect();
        let widest = self.config.widths.last().copied().unwrap_or(w);
        out.push(w.min(widest));
        out.dedup();
        out
    }

    /// The responsive set of source `i`.
    pub fn responsive(&self, i: usize) -> Result<Responsive, Problem> {
        let probe = self.state().sources[i].probe.clone()?;
        let fallback = if probe.alpha { OutFormat::Png } else { OutFormat::Jpeg };
        let mut r = Responsive { webp: Vec::new(), fallback: Vec::new() };
        for w in self.widths(probe.width) {
            let op = Op::FitWidth(w);
            r.webp.push(self.variant(i, Spec { op, format: OutFormat::Webp, quality: self.config.webp_quality })?);
            r.fallback.push(self.variant(i, Spec { op, format: fallback, quality: self.config.quality })?);
        }
        Ok(r)
    }

    /// The sharing image (`og:image`) of source `i`: 1200×630 JPEG cut around its centre.
    pub fn sharing(&self, i: usize) -> Result<Variant, Problem> {
        let (w, h) = SHARING;
        self.variant(i, Spec { op: Op::Fill(w, h, (50, 50)), format: OutFormat::Jpeg, quality: self.config.quality })
    }

    /// Marks every variant registered so far as planned and returns them; any asked for
    /// later is produced after the planned outputs ([`ImageStage::take_late`]).
    pub fn freeze(&self) -> Vec<(usize, Variant)> {
        let mut st = self.state();
        st.planned = st.variants.len();
        st.frozen = true;
        st.late.clear();
        st.variants.iter().cloned().enumerate().collect()
    }

    /// The planned variants (after [`ImageStage::freeze`]).
    pub fn planned(&self) -> Vec<(usize, Variant)> {
        let st = self.state();
        st.variants.iter().take(st.planned).cloned().enumerate().collect()
    }

    /// Variants asked for while rendering, not in the plan, not yet produced.
    pub fn take_late(&self) -> Vec<(usize, Variant)> {
        let mut st = self.state();
        let late = std::mem::take(&mut st.late);
        late.into_iter().map(|k| (k, st.variants[k].clone())).collect()
    }

    /// Source `i`'s path from the site root, for messages.
    pub fn source_shown(&self, i: usize) -> String {
        self.state().sources[i].shown.clone()
    }

    /// A registered variant and its source.
    pub fn get(&self, k: usize) -> (Variant, Arc<Source>) {
        let st = self.state();
        let v = st.variants[k].clone();
        let s = st.sources[v.source].clone();
        (v, s)
    }

    fn cache_name(src: &Source, v: &Variant) -> String {
        format!("{:016x}-{:016x}.{}", src.hash, hash_of(&(v.spec, v.geometry, ENCODER_VERSION)), v.spec.format.ext())
    }

    /// The file holding variant `k`, made if the cache does not have it. [`ImageStage::produce_all`]
    /// runs first, so this only reads the cache unless that failed.
    pub fn produce(&self, k: usize) -> Result<PathBuf, (Arc<Source>, Problem)> {
        let (v, src) = self.get(k);
        let path = self.cache.path(&Self::cache_name(&src, &v));
        if path.is_file() {
            return Ok(path);
        }
        self.make(&src, &[v]).map_err(|p| (src.clone(), p))?;
        Ok(path)
    }

    /// Makes every missing variant among `ks`: sources in parallel, each decoded once, its
    /// variants encoded in parallel. No lock is held while rayon works (a thread waiting in
    /// a parallel loop may take up another item of the outer loop).
    pub fn produce_all(&self, ks: &[usize]) {
        let mut by_source: HashMap<usize, (Arc<Source>, Vec<Variant>)> = HashMap::new();
        for &k in ks {
            let (v, src) = self.get(k);
            if !self.cache.path(&Self::cache_name(&src, &v)).is_file() {
                by_source.entry(v.source).or_insert_with(|| (src, Vec::new())).1.push(v);
            }
        }
        let work: Vec<(Arc<Source>, Vec<Variant>)> = by_source.into_values().collect();
        if work.is_empty() {
            return;
        }
        let done = AtomicUsize::new(0);
        let finished = std::sync::atomic::AtomicBool::new(false);
        std::thread::scope(|scope| {
            if progress_wanted() {
                scope.spawn(|| progress(&done, work.len(), &finished));
            }
            // Errors come back when each output is produced.
            work.par_iter().for_each(|(src, vs)| {
                drop(self.make(src, vs));
                done.fetch_add(1, Ordering::Relaxed);
            });
            finished.store(true, Ordering::Relaxed);
        });
    }

    /// Decodes `src` once and encodes `variants` into the cache.
    fn make(&self, src: &Source, variants: &[Variant]) -> Result<(), Problem> {
        let bytes = std::fs::read(&src.abs).map_err(|e| Problem::Broken(crate::error::io_message(&e).to_string()))?;
        if hash_bytes(&bytes) != src.hash {
            // Changed since it was read: its sizes in the pages would be wrong.
            return Err(Problem::Broken("the file changed during the build; build again".into()));
        }
        let decoded = process::decode(&bytes, self.config.max_pixels)?;
        drop(bytes);
        self.processed.fetch_add(1, Ordering::Relaxed);
        // One cache entry may serve two outputs (a bundle's file beside each translation).
        let mut names = std::collections::HashSet::new();
        let variants: Vec<&Variant> = variants.iter().filter(|x| names.insert(Self::cache_name(src, x))).collect();
        variants.par_iter().try_for_each(|x| {
            let img = process::resize(&decoded.image, &x.geometry)?;
            let out = process::encode(&img, x.spec.format, x.spec.quality)?;
            self.encoded.fetch_add(1, Ordering::Relaxed);
            self.cache
                .put(&Self::cache_name(src, x), &out)
                .map(|_| ())
                .map_err(|e| Problem::Broken(crate::error::io_message(&e).to_string()))
        })
    }

    /// Counts so far.
    pub fn stats(&self) -> ImageStats {
        let st = self.state();
        ImageStats {
            sources: st.sources.len(),
            variants: st.variants.len(),
            processed: self.processed.load(Ordering::Relaxed),
            encoded: self.encoded.load(Ordering::Relaxed),
        }
    }

    /// Warnings about the sources: colour profiles that cannot be read.
    pub fn warnings(&self) -> crate::error::Diagnostics {
        let st = self.state();
        let mut d = crate::error::Diagnostics::default();
        for s in st.sources.iter().filter(|s| s.probe.as_ref().is_ok_and(|p| p.bad_profile)) {
            d.push(crate::error::Diagnostic::error(&s.shown, msg!("images.bad_profile", file = &s.shown)).warning());
        }
        d
    }

    /// Removes cache entries this build did not use.
    pub fn prune(&self) -> usize {
        self.cache.prune()
    }
}

/// A progress line on a terminal (never in CI logs or piped output).
fn progress_wanted() -> bool {
    use std::io::IsTerminal;
    std::io::stderr().is_terminal() && std::env::var_os("CI").is_none()
}

/// Shows `done`/`total` on stderr once image work has taken a second, until `finished`;
/// then clears the line.
fn progress(done: &AtomicUsize, total: usize, finished: &std::sync::atomic::AtomicBool) {
    let start = std::time::Instant::now();
    let mut shown = false;
    while !finished.load(Ordering::Relaxed) {
        std::thread::sleep(std::time::Duration::from_millis(100));
        if start.elapsed() >= std::time::Duration::from_secs(1) {
            let n = done.load(Ordering::Relaxed);
            eprint!("\r{}", msg!("images.progress", done = n, total = total));
            shown = true;
        }
    }
    if shown {
        eprint!("\r\x1b[2K");
    }
}

/// A raster image a text, front matter or template names, found on disk.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FoundImage {
    /// The file.
    pub abs: PathBuf,
    /// Its path from the site root, for messages.
    pub shown: String,
    /// Where its variants are published: its path under `content/` (`historier/x/foto.jpg`,
    /// beside the page when its address follows its folder) or under a static folder.
    pub rel: String,
}

impl ImageStage {
    /// The raster image `src` in the text or front matter of the content file `item_abs`
    /// (`item_rel` under `content/`): a name beside the file, or `/path` in the static folders
    /// (the first that has it). `None` for web addresses, SVG and other files that are not
    /// raster images, and for files that do not exist (the body checks report those).
    pub fn locate(&self, item_abs: &Path, item_rel: &str, src: &str) -> Option<FoundImage> {
        let path = src.split(['?', '#']).next().unwrap_or(src);
        if path.contains("://") || path.starts_with("data:") || path.is_empty() || !is_raster(path) {
            return None;
        }
        let path = percent_decode(path);
        if path.split('/').any(|c| c == "..") {
            return None;
        }
        match path.strip_prefix('/') {
            Some(rel) => self.in_static(rel),
            None => {
                let abs = item_abs.parent()?.join(&path);
                if !abs.is_file() {
                    return None;
                }
                let dir = item_rel.rsplit_once('/').map_or("", |(d, _)| d);
                let in_content = if dir.is_empty() { path.clone() } else { format!("{dir}/{path}") };
                Some(FoundImage { abs, shown: format!("content/{in_content}"), rel: in_content })
            }
        }
    }

    /// `rel` in the first static folder that has it.
    pub fn in_static(&self, rel: &str) -> Option<FoundImage> {
        let (abs, shown) = self.static_dirs.iter().find(|(abs, _)| abs.join(rel).is_file())?;
        Some(FoundImage { abs: abs.join(rel), shown: format!("{shown}/{rel}"), rel: rel.to_string() })
    }

    /// The address of an output path.
    pub fn url(&self, rel: &str) -> String {
        format!("{}/{}", self.base_url, markup::escape_path(rel))
    }
}

impl crate::markdown::Pictures for ImageStage {
    fn picture(&self, item_abs: &Path, item_rel: &str, src: &str, alt: &str) -> Option<Result<String, Message>> {
        let found = self.locate(item_abs, item_rel, src)?;
        let (i, source) = self.source(&found.abs, &found.shown, &found.rel);
        Some(match source.probe.clone().and_then(|_| self.responsive(i)) {
            Ok(r) => Ok(markup::picture(&r, alt, &self.config.sizes, None, &|rel| self.url(rel))),
            Err(p) => Err(problem_message(&source.shown, &p, self.config.max_pixels)),
        })
    }
}

/// `%20` → ` ` in a path written as a URL.
fn percent_decode(s: &str) -> String {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%' && i + 2 < b.len() {
            if let Ok(v) = u8::from_str_radix(&s[i + 1..i + 3], 16) {
                out.push(v);
                i += 3;
                continue;
            }
        }
        out.push(b[i]);
        i += 1;
    }
    String::from_utf8(out).unwrap_or_else(|_| s.to_string())
}

/// The output path of a variant: beside its source's, named by size (and by crop and
/// quality when they are not the defaults); `Original` keeps the source's own path.
fn variant_rel(src_rel: &str, spec: &Spec, g: &Geometry, config: &ImageConfig) -> String {
    if spec.op == Op::Original {
        return src_rel.to_string();
    }
    let stem = src_rel.rsplit_once('.').map_or(src_rel, |(s, _)| s);
    let mut name = format!("{stem}-{}x{}", g.width, g.height);
    if let Some(c) = g.crop {
        name.push_str(&format!("-c{:06x}", hash_of(&c) & 0xff_ffff));
    }
    let default_q = if spec.format == OutFormat::Webp { config.webp_quality } else { config.quality };
    if spec.quality != default_q {
        name.push_str(&format!("-q{}", spec.quality));
    }
    format!("{name}.{}", spec.format.ext())
}

/// The message for a problem with the image `file`.
pub fn problem_message(file: &str, p: &Problem, max_pixels: u64) -> Message {
    match p {
        Problem::Heic => msg!("images.heic", file = file),
        Problem::Unsupported => msg!("images.unsupported", file = file),
        Problem::TooLarge(w, h) => msg!(
            "images.too_large",
            file = file,
            width = w.to_string(),
            height = h.to_string(),
            megapixels = format!("{}", (max_pixels as f64 / 100_000.0).round() / 10.0)
        ),
        Problem::Broken(detail) => msg!("images.broken", file = file, detail = detail),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn geometry_never_upscales() {
        assert_eq!(Op::FitWidth(960).geometry(4000, 3000), Geometry { width: 960, height: 720, crop: None });
        assert_eq!(Op::FitWidth(960).geometry(800, 600), Geometry { width: 800, height: 600, crop: None });
        assert_eq!(Op::Fit(500, 500).geometry(4000, 3000), Geometry { width: 500, height: 375, crop: None });
        assert_eq!(Op::FitHeight(300).geometry(4000, 3000).width, 400);
        let g = Op::Fill(240, 240, (50, 25)).geometry(4000, 3000);
        assert_eq!((g.width, g.height), (240, 240));
        assert_eq!(g.crop, Some((500, 0, 3000, 3000)));
        let g = Op::Fill(240, 240, (50, 25)).geometry(3000, 4000);
        assert_eq!(g.crop, Some((0, 250, 3000, 3000)));
        let g = Op::Fill(1200, 630, (50, 50)).geometry(600, 600);
        assert_eq!((g.width, g.height), (600, 315));
    }

    #[test]
    fn widths_stop_at_the_source() {
        let site = crate::config::Config::parse(Path::new("/nonexistent"), "").unwrap();
        let stage = ImageStage::new(&site);
        assert_eq!(stage.widths(4000), [480, 960, 1600]);
        assert_eq!(stage.widths(1000), [480, 960, 1000]);
        assert_eq!(stage.widths(300), [300]);
        assert_eq!(stage.widths(960), [480, 960]);
    }
}
