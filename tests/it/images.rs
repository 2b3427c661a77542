//! Images: phone photos published resized, upright, as WebP plus JPEG, without their
//! metadata; the markup; the cache; the template functions; and every error with its file.

use crate::support::{page, TestSite, SITE_TOML};
use image::GenericImageView;

/// Marks that must not survive into the output.
const MODEL: &str = "Pixelfon 9 Pro";
const MAKE: &str = "Pixelfabrikken";
const XMP_MARK: &str = "GPSLatitude";

/// A JPEG of `w`×`h` pixels (a gradient, so it compresses like a photo) carrying EXIF (make,
/// model, orientation, GPS position, a maker note) and XMP, as a phone writes them.
pub fn phone_jpeg(w: u32, h: u32, orientation: u16) -> Vec<u8> {
    let img = image::RgbImage::from_fn(w, h, |x, y| image::Rgb([(x * 255 / w) as u8, (y * 255 / h) as u8, 90]));
    let mut plain = Vec::new();
    image::codecs::jpeg::JpegEncoder::new_with_quality(&mut plain, 90).encode_image(&img).unwrap();
    let mut out = plain[..2].to_vec();
    out.extend(segment(0xE1, &exif(orientation)));
    let xmp = format!(
        "http://ns.adobe.com/xap/1.0/\0<x:xmpmeta><rdf:Description exif:{XMP_MARK}=\"63,25.4567N\" tiff:Model=\"{MODEL}\"/></x:xmpmeta>"
    );
    out.extend(segment(0xE1, xmp.as_bytes()));
    out.extend_from_slice(&plain[2..]);
    out
}

fn segment(marker: u8, body: &[u8]) -> Vec<u8> {
    let len = (body.len() + 2) as u16;
    let mut s = vec![0xFF, marker];
    s.extend(len.to_be_bytes());
    s.extend_from_slice(body);
    s
}

/// A big-endian TIFF/EXIF block: IFD0 with Make, Model, Orientation, a maker note (through
/// an Exif IFD) and a GPS IFD with latitude and longitude.
fn exif(orientation: u16) -> Vec<u8> {
    // Layout: header (8) | IFD0 (2 + 6*12 + 4 = 78) at 8 | Exif IFD (2 + 12 + 4 = 18) at 86 |
    // GPS IFD (2 + 5*12 + 4 = 66) at 104 | data at 170.
    let mut data: Vec<u8> = Vec::new();
    let data_at = 170u32;
    let mut put = |bytes: &[u8]| {
        let off = data_at + data.len() as u32;
        data.extend_from_slice(bytes);
        off
    };
    let make = put(format!("{MAKE}\0").as_bytes());
    let model = put(format!("{MODEL}\0").as_bytes());
    let note = put(b"MAKERNOTE-SECRET-SERIAL-12345\0");
    let rational = |v: &[(u32, u32)]| {
        v.iter().flat_map(|(a, b)| a.to_be_bytes().into_iter().chain(b.to_be_bytes())).collect::<Vec<u8>>()
    };
    let lat = put(&rational(&[(63, 1), (25, 1), (4567, 100)]));
    let lon = put(&rational(&[(10, 1), (23, 1), (1234, 100)]));
    let entry = |tag: u16, kind: u16, count: u32, value: [u8; 4]| {
        let mut e = tag.to_be_bytes().to_vec();
        e.extend(kind.to_be_bytes());
        e.extend(count.to_be_bytes());
        e.extend(value);
        e
    };
    let mut t = b"MM\0\x2A\0\0\0\x08".to_vec();
    t.extend(6u16.to_be_bytes());
    t.extend(entry(0x010F, 2, (MAKE.len() + 1) as u32, make.to_be_bytes()));
    t.extend(entry(0x0110, 2, (MODEL.len() + 1) as u32, model.to_be_bytes()));
    let o = orientation.to_be_bytes();
    t.extend(entry(0x0112, 3, 1, [o[0], o[1], 0, 0]));
    t.extend(entry(0x0131, 2, 4, *b"v1\0\0"));
    t.extend(entry(0x8769, 4, 1, 86u32.to_be_bytes()));
    t.extend(entry(0x8825, 4, 1, 104u32.to_be_bytes()));
    t.extend(0u32.to_be_bytes());
    assert_eq!(t.len(), 86);
    t.extend(1u16.to_be_bytes());
    t.extend(entry(0x927C, 7, 30, note.to_be_bytes()));
    t.extend(0u32.to_be_bytes());
    assert_eq!(t.len(), 104);
    t.extend(5u16.to_be_bytes());
    t.extend(entry(0x0000, 1, 4, [2, 2, 0, 0]));
    t.extend(entry(0x0001, 2, 2, *b"N\0\0\0"));
    t.extend(entry(0x0002, 5, 3, lat.to_be_bytes()));
    t.extend(entry(0x0003, 2, 2, *b"E\0\0\0"));
    t.extend(entry(0x0004, 5, 3, lon.to_be_bytes()));
    t.extend(0u32.to_be_bytes());
    assert_eq!(t.len(), 170);
    t.extend(data);
    let mut out = b"Exif\0\0".to_vec();
    out.extend(t);
    out
}

/// The GPS latitude as it is stored (63/1 25/1).
fn gps_bytes() -> Vec<u8> {
    [63u32, 1, 25, 1].iter().flat_map(|v| v.to_be_bytes()).collect()
}

/// A test site with `[images]` settings and binary files.
fn site(images: &str) -> TestSite {
    let s = TestSite::new();
    std::fs::write(s.root().join("site.toml"), format!("{SITE_TOML}\n[images]\n{images}\n")).unwrap();
    s
}

fn put(s: &TestSite, rel: &str, bytes: &[u8]) {
    let p = s.root().join(rel);
    std::fs::create_dir_all(p.parent().unwrap()).unwrap();
    std::fs::write(p, bytes).unwrap();
}

/// Every output file, by path.
fn outputs(s: &TestSite) -> Vec<(String, Vec<u8>)> {
    let public = s.public();
    walkdir::WalkDir::new(&public)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            let rel = e.path().strip_prefix(&public).unwrap().to_string_lossy().replace('\\', "/");
            (rel, std::fs::read(e.path()).unwrap())
        })
        .collect()
}

fn contains(hay: &[u8], needle: &[u8]) -> bool {
    hay.windows(needle.len()).any(|w| w == needle)
}

fn dims(s: &TestSite, rel: &str) -> (u32, u32) {
    image::open(s.public().join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}")).dimensions()
}

fn photo_site() -> TestSite {
    let s = site("widths = [480, 960, 1600]");
    let s = s.file(
        "content/tur/index.md",
        &page("title = \"Tur\"", "Tekst.\n\n![Sykepleier på tur](foto.jpg)\n\nMer.\n\n![Utsikt](foto.jpg \"dekorativ\")\n\n![](pynt.jpg \"dekorativ\")\n"),
    );
    // 1200×800 turned on its side by EXIF orientation 6: shown 800×1200.
    put(&s, "content/tur/foto.jpg", &phone_jpeg(1200, 800, 6));
    put(&s, "content/tur/pynt.jpg", &phone_jpeg(64, 64, 1));
    // Nobody references these: published at their own address, re-encoded.
    put(&s, "content/tur/ekstra.jpg", &phone_jpeg(300, 200, 1));
    put(&s, "static/bilder/ikon.jpg", &phone_jpeg(40, 40, 1));
    s
}

#[test]
fn a_phone_photo_is_published_responsive_upright_and_without_metadata() {
    let s = photo_site();
    let report = s.build();
    let html = s.read("tur/index.html");
    // Upright: 800 wide, 1200 high; widths never above the source's.
    assert_eq!(dims(&s, "tur/foto-800x1200.jpg"), (800, 1200));
    assert_eq!(dims(&s, "tur/foto-480x720.jpg"), (480, 720));
    assert_eq!(dims(&s, "tur/foto-480x720.webp"), (480, 720));
    assert_eq!(dims(&s, "tur/foto-800x1200.webp"), (800, 1200));
    assert!(!s.exists("tur/foto-960x1440.jpg") && !s.exists("tur/foto-1600x2400.webp"), "never upscaled");
    // The original is never published as it is.
    assert!(!s.exists("tur/foto.jpg"));
    // Unreferenced raster files keep their address, re-encoded.
    assert_eq!(dims(&s, "tur/ekstra.jpg"), (300, 200));
    assert_eq!(dims(&s, "bilder/ikon.jpg"), (40, 40));
    // Markup: picture, WebP source first, srcset with widths, sizes, real width/height.
    let first = html.find("<picture>").expect("a picture");
    let pic = &html[first..html[first..].find("</picture>").unwrap() + first];
    assert!(pic.contains("<source type=\"image/webp\" srcset=\"https://example.no/tur/foto-480x720.webp 480w, https://example.no/tur/foto-800x1200.webp 800w\""), "{pic}");
    assert!(
        pic.contains(
            "srcset=\"https://example.no/tur/foto-480x720.jpg 480w, https://example.no/tur/foto-800x1200.jpg 800w\""
        ),
        "{pic}"
    );
    assert!(pic.contains("sizes=\""), "{pic}");
    assert!(pic.contains("width=\"800\" height=\"1200\" alt=\"Sykepleier på tur\""), "{pic}");
    // First image eager, the others lazy.
    assert!(pic.contains("alt=\"Sykepleier på tur\" decoding=\"async\">") && !pic.contains("loading="), "{pic}");
    assert_eq!(html.matches("loading=\"lazy\" decoding=\"async\"").count(), 2, "{html}");
    // Decorative: empty alt, no error.
    assert!(html.contains("alt=\"\" loading=\"lazy\""), "{html}");
    assert_eq!(report.stats.images, 8, "{:?}", report.stats);
    // No metadata anywhere in the output.
    for (rel, bytes) in outputs(&s) {
        for mark in [MODEL.as_bytes(), MAKE.as_bytes(), XMP_MARK.as_bytes(), b"Exif\0\0", b"MAKERNOTE", &gps_bytes()] {
            assert!(!contains(&bytes, mark), "{rel} still has {:?}", String::from_utf8_lossy(mark));
        }
    }
}

#[test]
fn a_rebuild_with_unchanged_images_does_no_image_work() {
    let s = photo_site();
    let first = s.build();
    assert!(first.images.processed >= 4, "{:?}", first.images);
    let before = outputs(&s);
    let second = s.build();
    assert_eq!(second.images.processed, 0, "{:?}", second.images);
    assert_eq!(second.images.encoded, 0);
    assert_eq!(outputs(&s), before, "the same output from the cache");
    let cache = s.root().join(".jobbvinner-cache/images");
    let entries = || std::fs::read_dir(&cache).unwrap().count();
    assert_eq!(entries(), second.stats.images, "one cache entry per image file");
    // A changed image is made again, once; its old variants leave the cache.
    put(&s, "content/tur/foto.jpg", &phone_jpeg(1000, 700, 1));
    let third = s.build();
    assert_eq!(third.images.processed, 1, "{:?}", third.images);
    assert_eq!(dims(&s, "tur/foto-1000x700.jpg"), (1000, 700));
    assert_eq!(entries(), third.stats.images, "stale entries pruned");
    // Nothing in the source tree.
    for dir in ["content", "static"] {
        for e in walkdir::WalkDir::new(s.root().join(dir)).into_iter().filter_map(Result::ok) {
            let name = e.file_name().to_string_lossy().to_string();
            assert!(!name.contains("-480x") && !name.ends_with(".webp"), "{name} written into {dir}/");
        }
    }
}

#[test]
fn front_matter_images_and_template_functions() {
    let s = site("widths = [200, 400]")
        .file(
            "content-types.toml",
            "[types.erfaring]\nsections = [\"erfaringer\"]\n[types.erfaring.fields]\n\"extra.photo\" = { kind = \"image\", required = false, alt = \"extra.photo_alt\", fill = [100, 100], focus = \"extra.photo_focus\" }\n\"extra.photo_alt\" = { kind = \"text\", required = false }\n\"extra.photo_focus\" = { kind = \"text\", required = false }\n",
        )
        .file("content/erfaringer/_index.md", "+++\ntitle = \"Erfaringer\"\n+++\n")
        .file(
            "content/erfaringer/kari/index.md",
            &page("title = \"Kari\"\n[extra]\nphoto = \"kari.jpg\"\nphoto_alt = \"Kari smiler\"\nphoto_focus = \"50% 20%\"", "Tekst.\n"),
        )
        .file(
            "templates/page.html",
            "<main>{% set m = get_image_metadata(path=page.colocated_path ~ page.extra.photo | default(value='x')) %}meta={{ m.width }}x{{ m.height }} {{ m.format }}\n{% set r = resize_image(path=page.colocated_path ~ page.extra.photo, width=100, height=100, op=\"fill\", focus=page.extra.photo_focus) %}<img src=\"{{ r.url }}\" width=\"{{ r.width }}\" height=\"{{ r.height }}\" data-orig=\"{{ r.orig_width }}x{{ r.orig_height }}\">\n{% set z = resize_image(path=page.colocated_path ~ page.extra.photo, width=150, op=\"fit_width\", format=\"webp\") %}zola={{ z.url }} {{ z.width }}x{{ z.height }}\n{% set o = sharing_image(path=page.colocated_path ~ page.extra.photo) %}og={{ o.url }} {{ o.width }}x{{ o.height }}</main>",
        );
    put(&s, "content/erfaringer/kari/kari.jpg", &phone_jpeg(600, 400, 1));
    s.build();
    let html = s.read("erfaringer/kari/index.html");
    assert!(html.contains("meta=600x400 jpg"), "{html}");
    let src = html.split("<img src=\"").nth(1).unwrap().split('"').next().unwrap();
    let rel = src.trim_start_matches("https://example.no/");
    assert!(s.exists(rel), "{rel} planned and published");
    assert_eq!(dims(&s, rel), (100, 100));
    assert!(html.contains("width=\"100\" height=\"100\" data-orig=\"600x400\""), "{html}");
    assert!(html.contains("/erfaringer/kari/kari-150x100.webp 150x100"), "{html}");
    assert_eq!(dims(&s, "erfaringer/kari/kari-150x100.webp"), (150, 100));
    // The sharing image: 1200×630 cut, never upscaled: the largest 1200:630 box of the photo.
    assert!(html.contains("og=https://example.no/erfaringer/kari/kari-600x315"), "{html}");
    // Square crops at 1x and 2x (never upscaled: 200 fits in 400) in both formats.
    let published: Vec<String> = outputs(&s).into_iter().map(|(r, _)| r).collect();
    assert!(
        published.iter().any(|r| r.starts_with("erfaringer/kari/kari-200x200-c") && r.ends_with(".webp")),
        "{published:?}"
    );
}

#[test]
fn image_errors_name_the_file_and_line() {
    let s = site("max_pixels = 100000")
        .file("content/a.md", &page("title = \"A\"", "Tekst.\n\n![](uten-alt.jpg)\n"))
        .file("content/b.md", &page("title = \"B\"", "Tekst.\n\n![Et bilde](iphone.heic)\n"))
        .file("content/c.md", &page("title = \"C\"", "Tekst.\n\n![Et bilde](odelagt.jpg)\n"))
        .file("content/d.md", &page("title = \"D\"", "Tekst.\n\n![Et bilde](stort.jpg)\n"));
    put(&s, "content/uten-alt.jpg", &phone_jpeg(50, 50, 1));
    let mut heic = vec![0, 0, 0, 24];
    heic.extend_from_slice(b"ftypheic\0\0\0\0mif1heic");
    put(&s, "content/iphone.heic", &heic);
    put(&s, "content/odelagt.jpg", b"this is not a jpeg at all");
    put(&s, "content/stort.jpg", &phone_jpeg(400, 300, 1));
    // The last good output stays.
    std::fs::create_dir_all(s.public()).unwrap();
    std::fs::write(s.public().join("index.html"), "forrige").unwrap();
    std::fs::write(s.public().join(jobbvinner::output::MARKER), "").unwrap();
    let errors = s.errors();
    let all = errors.join("\n");
    assert!(all.contains("content/a.md:6:1: image without alt text"), "{all}");
    assert!(
        all.contains("content/b.md:6:1: content/iphone.heic is a HEIC photo") && all.contains("save it as JPEG"),
        "{all}"
    );
    assert!(all.contains("content/c.md:6:1: content/odelagt.jpg is not in an image format"), "{all}");
    assert!(all.contains("content/d.md:6:1: content/stort.jpg is 400×300 pixels, more than"), "{all}");
    assert_eq!(errors.len(), 4, "each problem once, where the image is used: {all}");
    assert_eq!(std::fs::read_to_string(s.public().join("index.html")).unwrap(), "forrige");
}

#[test]
fn a_truncated_photo_fails_the_build_naming_it() {
    let s = site("").file("content/a.md", &page("title = \"A\"", "![Et bilde](halv.jpg)\n"));
    let full = phone_jpeg(300, 200, 1);
    put(&s, "content/halv.jpg", &full[..full.len() / 2]);
    let all = s.errors().join("\n");
    assert!(all.contains("content/halv.jpg"), "{all}");
}

#[test]
fn the_theme_shows_photos_responsive_with_a_raster_sharing_image() {
    let repo = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let s = TestSite::bare();
    for part in ["content", "themes", "assets"] {
        crate::support::copy_dir(&repo.join(part), &s.root().join(part));
    }
    std::fs::copy(repo.join("site.toml"), s.root().join("site.toml")).unwrap();
    // A story's lead image becomes a phone photo.
    let story = s.root().join("content/historier/mentorordningen-i-trondheim/index.md");
    let text = std::fs::read_to_string(&story).unwrap().replace("image = \"illustrasjon.svg\"", "image = \"foto.jpg\"");
    std::fs::write(&story, text).unwrap();
    put(&s, "content/historier/mentorordningen-i-trondheim/foto.jpg", &phone_jpeg(1600, 1200, 1));
    // A testimonial with a photo, cut square around a focal point.
    let s = s.file(
        "content/erfaringer/kari-test/index.md",
        &page(
            "title = \"«Jeg ble»\"\ndescription = \"Kari om mentoren.\"\ndate = 2024-05-14\n[taxonomies]\nfokusomrade = [\"Mentorprogram\"]\nkommune = [\"Trondheim\"]\nfylke = [\"Trøndelag\"]\n[extra]\nquote = \"Jeg ble.\"\nname = \"Kari Test\"\nrole = \"Sykepleier\"\nworkplace = \"Hjemmetjenesten\"\nexample = true\nphoto = \"kari.jpg\"\nphoto_alt = \"Kari smiler\"\nphoto_consent = true\nphoto_focus = \"50% 20%\"",
            "Kari forteller.\n",
        ),
    );
    put(&s, "content/erfaringer/kari-test/kari.jpg", &phone_jpeg(900, 1200, 1));
    let report = s.build();
    assert_eq!(report.images.encoded, report.stats.images, "every image file made once: {:?}", report.images);
    let story = s.read("historier/mentorordningen-i-trondheim/index.html");
    assert!(story.contains("<picture><source type=\"image/webp\" srcset=\"https://jobbvinner.no/historier/mentorordningen-i-trondheim/foto-480x360.webp 480w"), "{story}");
    assert!(story.contains("width=\"1600\" height=\"1200\""), "{story}");
    assert!(story.contains("<meta property=\"og:image\" content=\"https://jobbvinner.no/historier/mentorordningen-i-trondheim/foto-1200x630-c"), "{story}");
    assert!(
        story.contains("<meta property=\"og:image:width\" content=\"1200\">")
            && story.contains("<meta property=\"og:image:height\" content=\"630\">"),
        "{story}"
    );
    assert!(story.contains("<meta property=\"og:image:alt\""), "{story}");
    let og = story.split("og:image\" content=\"https://jobbvinner.no/").nth(1).unwrap().split('"').next().unwrap();
    assert_eq!(dims(&s, og), (1200, 630));
    let cards = s.read("historier/index.html");
    assert!(cards.contains("class=\"card__image\" src=\"https://jobbvinner.no/historier/mentorordningen-i-trondheim/foto-1600x1200.jpg\""), "{cards}");
    let kari = s.read("erfaringer/kari-test/index.html");
    assert!(kari.contains("class=\"testimonial__photo\""), "{kari}");
    assert!(kari.contains("width=\"160\" height=\"160\""), "{kari}");
    assert!(kari.contains(" 2x\""), "{kari}");
    for (rel, bytes) in outputs(&s) {
        assert!(!contains(&bytes, MODEL.as_bytes()) && !contains(&bytes, &gps_bytes()), "{rel} keeps metadata");
    }
}

#[test]
fn serve_makes_an_edited_photo_again_and_the_page_follows() {
    use jobbvinner::build::BuildOptions;
    use jobbvinner::incremental::Session;
    let s = photo_site();
    let opts = BuildOptions { base_url: Some("http://127.0.0.1:1111".into()), ..s.options() };
    let mut session = Session::new(opts);
    session.full_rebuild().unwrap_or_else(|d| panic!("{d}"));
    assert!(session.snapshot().contains_key("tur/foto-800x1200.webp"));
    put(&s, "content/tur/foto.jpg", &phone_jpeg(1000, 700, 1));
    let r = session.apply_early(&[s.root().join("content/tur/foto.jpg")], None).unwrap_or_else(|d| panic!("{d}"));
    assert!(r.changed);
    let after = session.snapshot();
    let page = String::from_utf8_lossy(&after["tur/index.html"]).to_string();
    assert!(page.contains("width=\"1000\" height=\"700\""), "{page}");
    assert!(after.contains_key("tur/foto-1000x700.webp") && !after.contains_key("tur/foto-800x1200.webp"));
    let webp = image::load_from_memory(&after["tur/foto-1000x700.webp"]).unwrap();
    assert_eq!(webp.dimensions(), (1000, 700));
}
