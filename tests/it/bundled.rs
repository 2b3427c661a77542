//! The bundled Jobbvinner site: builds with no errors, every page type has real content,
//! every image has alt text, and every page stays within the weight budget.

use crate::support::copy_dir;
use jobbvinner::build::{build, BuildOptions, Target};
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

/// HTML + CSS + JS of any page, uncompressed, before images.
const PAGE_BUDGET: u64 = 100 * 1024;

/// The bundled site, built once for all tests here.
fn built() -> &'static Path {
    static SITE: OnceLock<(tempfile::TempDir, PathBuf)> = OnceLock::new();
    let (_, public) = SITE.get_or_init(|| {
        let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
        let tmp = tempfile::tempdir().unwrap();
        for part in ["content", "themes", "assets"] {
            copy_dir(&repo.join(part), &tmp.path().join(part));
        }
        std::fs::copy(repo.join("site.toml"), tmp.path().join("site.toml")).unwrap();
        let opts = BuildOptions::new(tmp.path());
        let public = tmp.path().join("public");
        let report = build(&opts, Target::Disk(public.clone())).unwrap_or_else(|d| panic!("{d}"));
        assert!(report.stats.pages >= 50, "{report:?}");
        (tmp, public)
    });
    public
}

fn read(rel: &str) -> String {
    std::fs::read_to_string(built().join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
}

fn html_files() -> Vec<(String, String)> {
    walkdir::WalkDir::new(built())
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.path().extension().is_some_and(|x| x == "html"))
        .map(|e| {
            let rel = e.path().strip_prefix(built()).unwrap().to_string_lossy().replace('\\', "/");
            (rel, std::fs::read_to_string(e.path()).unwrap())
        })
        .filter(|(_, html)| !html.contains("http-equiv=\"refresh\""))
        .collect()
}

/// Values of `attr="..."` in every tag named `tag` that also contains `filter`.
fn attrs(html: &str, tag: &str, filter: &str, attr: &str) -> Vec<Option<String>> {
    let open = format!("<{tag} ");
    html.match_indices(&open)
        .filter_map(|(i, _)| html[i..].find('>').map(|end| &html[i..i + end]))
        .filter(|t| t.contains(filter))
        .map(|t| {
            let key = format!(" {attr}=\"");
            t.find(&key).map(|s| t[s + key.len()..].split('"').next().unwrap_or_default().to_string())
        })
        .collect()
}

#[test]
fn bundled_site_builds_every_page_type() {
    let home = read("index.html");
    assert!(home.contains("<html lang=\"nb\""));
    for rel in [
        "tilgjengelighetserklaering/index.html",
        "om-jobbvinner/index.html",
        "laeringsnettverk/index.html",
        "404.html",
        "historier/index.html",
        "erfaringer/index.html",
        "tips/index.html",
        "tips/page/2/index.html",
        "tips/search.json",
        "tips/malgruppe/ledere/index.html",
        "tips/fokusomrade/mentorprogram/index.html",
        "fokusomrade/index.html",
        "fokusomrade/mentorprogram/index.html",
        "fokusomrader/mentorprogram/index.html",
    ] {
        assert!(built().join(rel).exists(), "{rel} is missing");
    }
    // The theme's rendering of one real tip, as a reviewed snapshot.
    let tip = read("tips/studenter-i-par/index.html");
    insta::assert_snapshot!("bundled_tip_main", crate::support::main_of(&tip));
}

#[test]
fn content_meets_the_minimums_over_all_focus_areas() {
    let count = |dir: &str| {
        html_files().iter().filter(|(rel, _)| rel.starts_with(dir) && rel.matches('/').count() == 2).count()
    };
    assert!(count("historier/") >= 10, "stories");
    assert!(count("erfaringer/") >= 12, "testimonials");
    let index: serde_json::Value = serde_json::from_str(&read("tips/search.json")).unwrap();
    let tips = index["pages"].as_array().unwrap();
    assert!(tips.len() >= 25, "tips: {}", tips.len());
    for area in [
        "mentorprogram",
        "ambassadorer-og-rekrutteringspatruljer",
        "samarbeid-med-utdanning",
        "kvalitet-i-praksisstudiene",
    ] {
        let term = read(&format!("fokusomrade/{area}/index.html"));
        assert!(term.matches("/historier/").count() >= 1, "{area} has no story");
        assert!(built().join(format!("tips/fokusomrade/{area}/index.html")).exists(), "{area} has no tips");
    }
}

#[test]
fn every_image_has_alt_text_and_every_page_one_h1() {
    for (rel, html) in html_files() {
        for alt in attrs(&html, "img", "", "alt") {
            assert!(alt.is_some(), "{rel}: an <img> without alt");
        }
        assert_eq!(html.matches("<h1").count(), 1, "{rel}: one h1");
        assert_eq!(html.matches("<main").count(), 1, "{rel}: one main");
    }
}

#[test]
fn every_page_is_within_the_weight_budget() {
    let base = "https://jobbvinner.no/";
    let size = |url: &str| -> u64 {
        let rel = url.strip_prefix(base).unwrap_or(url.trim_start_matches('/'));
        let rel = rel.split(['?', '#']).next().unwrap();
        std::fs::metadata(built().join(rel)).unwrap_or_else(|e| panic!("{url}: {e}")).len()
    };
    let mut weights: Vec<(u64, String)> = html_files()
        .into_iter()
        .map(|(rel, html)| {
            let css: u64 = attrs(&html, "link", "stylesheet", "href").into_iter().flatten().map(|u| size(&u)).sum();
            let js: u64 = attrs(&html, "script", "src=", "src").into_iter().flatten().map(|u| size(&u)).sum();
            (html.len() as u64 + css + js, rel)
        })
        .collect();
    weights.sort();
    let (max, page) = weights.last().unwrap();
    // Reported with `cargo test -- --nocapture`.
    println!(
        "page weight (HTML + CSS + JS, uncompressed): {} pages, median {:.1} KB, largest {:.1} KB ({page}), budget {} KB",
        weights.len(),
        weights[weights.len() / 2].0 as f64 / 1024.0,
        *max as f64 / 1024.0,
        PAGE_BUDGET / 1024
    );
    let over: Vec<_> = weights.iter().filter(|(w, _)| *w > PAGE_BUDGET).collect();
    assert!(over.is_empty(), "over the {PAGE_BUDGET}-byte budget: {over:?}");
}
