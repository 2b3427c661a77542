//! Front-matter images: every `image` field a content type declares (a story's lead image, a
//! testimonial's photo) is registered with the stage before the plan is made, in the
//! responsive widths, cut to the field's `fill` size around its focal point when the type
//! asks for one, and as the page's sharing image (the first image field). Problems with the
//! file are reported at the field's line.

use super::{ImageStage, Op, OutFormat, Spec};
use crate::content::types::{ContentTypes, Kind};
use crate::content::{Page, Site};
use crate::error::{Diagnostic, Diagnostics};
use crate::msg;

/// The default focal point of a cut: the upper middle, where faces usually are.
pub const DEFAULT_FOCUS: (u8, u8) = (50, 25);

/// `"50% 25%"` → (50, 25); `None` for anything else.
pub fn parse_focus(s: &str) -> Option<(u8, u8)> {
    let mut parts = s.split_whitespace().map(|p| p.trim_end_matches('%').parse::<u8>().ok().filter(|&v| v <= 100));
    let (x, y) = (parts.next()??, parts.next()??);
    parts.next().is_none().then_some((x, y))
}

/// A front-matter value by dotted key (`extra.image`).
pub fn value<'a>(page: &'a Page, key: &str) -> Option<&'a toml::Value> {
    let rest = key.strip_prefix("extra.")?;
    let mut parts = rest.split('.');
    let mut v = page.extra.get(parts.next()?)?;
    for p in parts {
        v = v.get(p)?;
    }
    Some(v)
}

/// Registers the image fields of every typed page; returns the problems found.
pub fn register(site: &Site, types: Option<&ContentTypes>, stage: &ImageStage) -> Diagnostics {
    let mut diags = Diagnostics::default();
    let Some(types) = types else { return diags };
    for page in &site.pages {
        let Some((_, def)) = types.type_of(site, page) else { continue };
        let mut first = true;
        for (key, f) in def.fields.iter().filter(|(_, f)| f.kind == Kind::Image) {
            let Some(src) = value(page, key).and_then(|v| v.as_str()) else { continue };
            let Some(found) = stage.locate(&page.source.abs, &page.source.relative, src) else { continue };
            let at = |m| {
                let pos = page.spans.value(key).or(page.spans.key(key));
                match pos {
                    Some(p) => Diagnostic::at(&page.source.file, p.line, p.col, m),
                    None => Diagnostic::error(&page.source.file, m),
                }
            };
            let (i, source) = stage.source(&found.abs, &found.shown, &found.rel);
            let result = source.probe.clone().and_then(|_| {
                stage.responsive(i)?;
                if first {
                    stage.sharing(i)?;
                }
                if let Some([w, h]) = f.fill {
                    let focus = match f.focus.as_deref().and_then(|k| value(page, k).map(|v| (k, v))) {
                        Some((k, v)) => match v.as_str().and_then(parse_focus) {
                            Some(focus) => focus,
                            None => {
                                diags.push(at(msg!("images.bad_focus", key = k.rsplit('.').next().unwrap_or(k))));
                                DEFAULT_FOCUS
                            }
                        },
                        None => DEFAULT_FOCUS,
                    };
                    for scale in [1, 2] {
                        let op = Op::Fill(w * scale, h * scale, focus);
                        for format in [
                            OutFormat::Webp,
                            if source.probe.as_ref().is_ok_and(|p| p.alpha) { OutFormat::Png } else { OutFormat::Jpeg },
                        ] {
                            let quality = if format == OutFormat::Webp {
                                stage.config.webp_quality
                            } else {
                                stage.config.quality
                            };
                            stage.variant(i, Spec { op, format, quality })?;
                        }
                    }
                }
                Ok(())
            });
            first = false;
            if let Err(p) = result {
                diags.push(at(super::problem_message(&source.shown, &p, stage.config.max_pixels)));
            }
        }
    }
    diags
}

#[cfg(test)]
mod tests {
    #[test]
    fn focal_points() {
        assert_eq!(super::parse_focus("50% 25%"), Some((50, 25)));
        assert_eq!(super::parse_focus("0 100"), Some((0, 100)));
        assert_eq!(super::parse_focus("midt"), None);
        assert_eq!(super::parse_focus("50% 101%"), None);
    }
}
