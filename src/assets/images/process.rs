//! One image's work, as pure functions over bytes: recognise the format (refusing HEIC with
//! advice), read the size without decoding, decode under a pixel limit, turn it upright (EXIF
//! orientation), convert its colours to sRGB (ICC profile), resize or crop, and encode. No
//! encoder here writes EXIF, XMP, IPTC or an ICC profile, so every published file is free of
//! the camera's metadata; colours survive because they are converted to sRGB first.

use super::{Geometry, OutFormat};
use fast_image_resize as fr;
use image::{DynamicImage, ImageDecoder, ImageFormat, ImageReader, Limits};
use std::io::Cursor;

/// What is wrong with a source image.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Problem {
    /// HEIC/HEIF, the iPhone's default format: not supported, the writer saves a JPEG.
    Heic,
    /// Not a format the site publishes (JPEG, PNG, WebP, GIF).
    Unsupported,
    /// More pixels than `[images] max_pixels` (width, height).
    TooLarge(u32, u32),
    /// Unreadable, truncated or corrupt (the decoder's words).
    Broken(String),
}

/// A source's format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SourceFormat {
    /// JPEG.
    Jpeg,
    /// PNG.
    Png,
    /// WebP.
    Webp,
    /// GIF (the first frame is published).
    Gif,
}

impl SourceFormat {
    /// The name `get_image_metadata` gives (Zola's).
    pub fn name(self) -> &'static str {
        match self {
            SourceFormat::Jpeg => "jpg",
            SourceFormat::Png => "png",
            SourceFormat::Webp => "webp",
            SourceFormat::Gif => "gif",
        }
    }

    fn image_format(self) -> ImageFormat {
        match self {
            SourceFormat::Jpeg => ImageFormat::Jpeg,
            SourceFormat::Png => ImageFormat::Png,
            SourceFormat::Webp => ImageFormat::WebP,
            SourceFormat::Gif => ImageFormat::Gif,
        }
    }
}

/// What reading a source's header tells.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Probe {
    /// Width as shown (after EXIF orientation).
    pub width: u32,
    /// Height as shown.
    pub height: u32,
    /// Its format.
    pub format: SourceFormat,
    /// Does it have an alpha channel (published as PNG rather than JPEG)?
    pub alpha: bool,
    /// It carries an ICC profile that cannot be read: its colours are taken as sRGB.
    pub bad_profile: bool,
}

/// The format of `bytes`, from their first bytes.
pub fn sniff(bytes: &[u8]) -> Result<SourceFormat, Problem> {
    if bytes.len() >= 12 && &bytes[4..8] == b"ftyp" {
        let brand = &bytes[8..12];
        let heic = [b"heic", b"heix", b"hevc", b"hevx", b"heim", b"heis", b"mif1", b"msf1"];
        return Err(if heic.iter().any(|b| *b == brand) { Problem::Heic } else { Problem::Unsupported });
    }
    match image::guess_format(bytes) {
        Ok(ImageFormat::Jpeg) => Ok(SourceFormat::Jpeg),
        Ok(ImageFormat::Png) => Ok(SourceFormat::Png),
        Ok(ImageFormat::WebP) => Ok(SourceFormat::Webp),
        Ok(ImageFormat::Gif) => Ok(SourceFormat::Gif),
        _ if bytes.is_empty() => Err(Problem::Broken("empty file".into())),
        _ => Err(Problem::Unsupported),
    }
}

/// Limits for a decoder: the pixel limit plus room for its buffers.
fn limits(max_pixels: u64) -> Limits {
    let mut l = Limits::default();
    l.max_alloc = Some(max_pixels.saturating_mul(8).max(64 << 20));
    l
}

fn broken(e: image::ImageError) -> Problem {
    Problem::Broken(e.to_string())
}

/// A decoder over `bytes`, refused beyond `max_pixels`.
fn decoder(bytes: &[u8], max_pixels: u64) -> Result<(impl ImageDecoder + '_, SourceFormat), Problem> {
    let format = sniff(bytes)?;
    let mut reader = ImageReader::with_format(Cursor::new(bytes), format.image_format());
    reader.limits(limits(max_pixels));
    let d = reader.into_decoder().map_err(broken)?;
    let (w, h) = d.dimensions();
    if u64::from(w) * u64::from(h) > max_pixels {
        return Err(Problem::TooLarge(w, h));
    }
    if w == 0 || h == 0 {
        return Err(Problem::Broken("no pixels".into()));
    }
    Ok((d, format))
}

/// Does the orientation turn the image on its side?
fn sideways(o: image::metadata::Orientation) -> bool {
    use image::metadata::Orientation as O;
    matches!(o, O::Rotate90 | O::Rotate270 | O::Rotate90FlipH | O::Rotate270FlipH)
}

/// Reads a source's size (as shown), format and colour type without decoding its pixels.
pub fn probe(bytes: &[u8], max_pixels: u64) -> Result<Probe, Problem> {
    let (mut d, format) = decoder(bytes, max_pixels)?;
    let (w, h) = d.dimensions();
    let alpha = d.color_type().has_alpha();
    let orientation = d.orientation().unwrap_or(image::metadata::Orientation::NoTransforms);
    let bad_profile = d
        .icc_profile()
        .ok()
        .flatten()
        .is_some_and(|icc| !is_srgb(&icc) && moxcms::ColorProfile::new_from_slice(&icc).is_err());
    let (width, height) = if sideways(orientation) { (h, w) } else { (w, h) };
    Ok(Probe { width, height, format, alpha, bad_profile })
}

/// Does a JPEG have its end marker after its last scan? (0xFF in the compressed data is
/// always followed by 0, so the markers cannot appear by chance there; a thumbnail inside the
/// EXIF block has its own scan and end before the main image's scan.)
fn jpeg_complete(bytes: &[u8]) -> bool {
    let last = |m: u8| bytes.windows(2).rposition(|w| w[0] == 0xFF && w[1] == m);
    match (last(0xDA), last(0xD9)) {
        (Some(sos), Some(eoi)) => eoi > sos,
        _ => false,
    }
}

/// A profile that says it is sRGB needs no conversion.
fn is_srgb(icc: &[u8]) -> bool {
    icc.windows(4).any(|w| w == b"sRGB")
}

/// A decoded source: upright, 8-bit RGB or RGBA, in sRGB.
pub struct Decoded {
    /// The pixels.
    pub image: DynamicImage,
}

/// Decodes a source, applies its orientation and converts its colours to sRGB.
pub fn decode(bytes: &[u8], max_pixels: u64) -> Result<Decoded, Problem> {
    let (mut d, format) = decoder(bytes, max_pixels)?;
    if format == SourceFormat::Jpeg && !jpeg_complete(bytes) {
        // The JPEG decoder fills a cut-off image with grey rather than failing.
        return Err(Problem::Broken("the file ends before the image does".into()));
    }
    let icc = d.icc_profile().ok().flatten();
    let orientation = d.orientation().unwrap_or(image::metadata::Orientation::NoTransforms);
    let alpha = d.color_type().has_alpha();
    let mut image = DynamicImage::from_decoder(d).map_err(broken)?;
    image.apply_orientation(orientation);
    let mut image =
        if alpha { DynamicImage::ImageRgba8(image.into_rgba8()) } else { DynamicImage::ImageRgb8(image.into_rgb8()) };
    if let Some(icc) = icc.filter(|p| !is_srgb(p)) {
        to_srgb(&mut image, &icc);
    }
    Ok(Decoded { image })
}

/// Converts pixels in the colours of `icc` (e.g. Display P3) to sRGB. A profile that cannot
/// be read leaves the pixels as they are (the build warned about it when it read the file).
fn to_srgb(image: &mut DynamicImage, icc: &[u8]) {
    use moxcms::{ColorProfile, Layout, TransformOptions};
    let Ok(from) = ColorProfile::new_from_slice(icc) else { return };
    let layout = if image.color().has_alpha() { Layout::Rgba } else { Layout::Rgb };
    let Ok(t) = from.create_transform_8bit(layout, &ColorProfile::new_srgb(), layout, TransformOptions::default())
    else {
        return;
    };
    let buf: &mut [u8] = match image {
        DynamicImage::ImageRgb8(b) => b,
        DynamicImage::ImageRgba8(b) => b,
        _ => return,
    };
    let mut out = vec![0u8; buf.len()];
    if t.transform(buf, &mut out).is_ok() {
        buf.copy_from_slice(&out);
    }
}

/// Resizes (and crops) a decoded image to `g` with a Lanczos3 filter.
pub fn resize(src: &DynamicImage, g: &Geometry) -> Result<DynamicImage, Problem> {
    let (sw, sh) = (src.width(), src.height());
    if g.crop.is_none() && (g.width, g.height) == (sw, sh) {
        return Ok(src.clone());
    }
    let alpha = src.color().has_alpha();
    let pt = if alpha { fr::PixelType::U8x4 } else { fr::PixelType::U8x3 };
    let view = fr::images::ImageRef::new(sw, sh, src.as_bytes(), pt).map_err(|e| Problem::Broken(e.to_string()))?;
    let mut dst = fr::images::Image::new(g.width, g.height, pt);
    let mut opts = fr::ResizeOptions::new().resize_alg(fr::ResizeAlg::Convolution(fr::FilterType::Lanczos3));
    if let Some((x, y, w, h)) = g.crop {
        opts = opts.crop(f64::from(x), f64::from(y), f64::from(w), f64::from(h));
    }
    fr::Resizer::new().resize(&view, &mut dst, &opts).map_err(|e| Problem::Broken(e.to_string()))?;
    let (w, h, buf) = (g.width, g.height, dst.into_vec());
    let out = if alpha {
        image::RgbaImage::from_raw(w, h, buf).map(DynamicImage::ImageRgba8)
    } else {
        image::RgbImage::from_raw(w, h, buf).map(DynamicImage::ImageRgb8)
    };
    out.ok_or_else(|| Problem::Broken("resize".into()))
}

/// Encodes pixels. Nothing but the pixels is written: no EXIF, XMP, IPTC or ICC profile.
pub fn encode(img: &DynamicImage, format: OutFormat, quality: u8) -> Result<Vec<u8>, Problem> {
    let (w, h) = (img.width(), img.height());
    let mut out = Vec::new();
    let fail = |e: image::ImageError| Problem::Broken(e.to_string());
    match format {
        OutFormat::Webp => {
            let enc = match img {
                DynamicImage::ImageRgba8(b) => webp::Encoder::from_rgba(b, w, h),
                DynamicImage::ImageRgb8(b) => webp::Encoder::from_rgb(b, w, h),
                _ => return Err(Problem::Broken("pixel layout".into())),
            };
            let mem = enc.encode_simple(false, f32::from(quality)).map_err(|e| Problem::Broken(format!("{e:?}")))?;
            out.extend_from_slice(&mem);
        }
        OutFormat::Jpeg => {
            let rgb = match img {
                DynamicImage::ImageRgb8(_) => std::borrow::Cow::Borrowed(img),
                other => std::borrow::Cow::Owned(DynamicImage::ImageRgb8(other.to_rgb8())),
            };
            image::codecs::jpeg::JpegEncoder::new_with_quality(&mut out, quality).encode_image(&*rgb).map_err(fail)?;
        }
        OutFormat::Png => {
            use image::ImageEncoder;
            let enc = image::codecs::png::PngEncoder::new_with_quality(
                &mut out,
                image::codecs::png::CompressionType::Default,
                image::codecs::png::FilterType::Adaptive,
            );
            enc.write_image(img.as_bytes(), w, h, img.color().into()).map_err(fail)?;
        }
        OutFormat::Gif => {
            let frame = image::Frame::new(img.to_rgba8());
            let mut enc = image::codecs::gif::GifEncoder::new(&mut out);
            enc.encode_frame(frame).map_err(fail)?;
            drop(enc);
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn heic_and_unknown_formats_are_refused() {
        let mut heic = vec![0, 0, 0, 24];
        heic.extend_from_slice(b"ftypheic\0\0\0\0mif1heic");
        assert_eq!(sniff(&heic), Err(Problem::Heic));
        assert_eq!(sniff(b"%PDF-1.4 and more bytes"), Err(Problem::Unsupported));
        assert!(matches!(sniff(b""), Err(Problem::Broken(_))));
    }

    #[test]
    fn truncated_and_oversized_images_are_errors() {
        let img = DynamicImage::ImageRgb8(image::RgbImage::from_pixel(64, 48, image::Rgb([200, 10, 10])));
        let jpeg = encode(&img, OutFormat::Jpeg, 80).unwrap();
        let p = probe(&jpeg, 10_000).unwrap();
        assert_eq!((p.width, p.height, p.format, p.alpha), (64, 48, SourceFormat::Jpeg, false));
        assert_eq!(probe(&jpeg, 1000), Err(Problem::TooLarge(64, 48)));
        assert!(matches!(decode(&jpeg[..jpeg.len() / 3], 10_000), Err(Problem::Broken(_))));
    }

    #[test]
    fn display_p3_colours_are_converted_to_srgb() {
        let raw = image::Rgb([200u8, 60, 60]);
        let img = DynamicImage::ImageRgb8(image::RgbImage::from_pixel(16, 16, raw));
        let plain = encode(&img, OutFormat::Jpeg, 95).unwrap();
        let icc = moxcms::ColorProfile::new_display_p3().encode().unwrap();
        assert!(!is_srgb(&icc));
        // APP2 "ICC_PROFILE\0", chunk 1 of 1, after SOI.
        let mut body = b"ICC_PROFILE\0\x01\x01".to_vec();
        body.extend_from_slice(&icc);
        let mut jpeg = plain[..2].to_vec();
        jpeg.extend([0xFF, 0xE2]);
        jpeg.extend(((body.len() + 2) as u16).to_be_bytes());
        jpeg.extend(body);
        jpeg.extend_from_slice(&plain[2..]);
        let as_is = decode(&plain, 10_000).unwrap().image.to_rgb8().get_pixel(8, 8).0;
        let converted = decode(&jpeg, 10_000).unwrap().image.to_rgb8().get_pixel(8, 8).0;
        // The same numbers mean a more saturated red in Display P3: in sRGB, more red, less green.
        assert!(converted[0] > as_is[0] + 8 && converted[1] + 8 < as_is[1], "{as_is:?} → {converted:?}");
    }
}
