//! Raw HTML in writers' texts, by `[markdown] raw_html`: cleaned with a warning at its line
//! (the default), refused (`deny`) or published as written (`allow`); the theme's components
//! are trusted; SVG drawings with script are refused; every page of the bundled site carries
//! a Content-Security-Policy and no inline script.

use crate::support::{copy_dir, page, TestSite};
use jobbvinner::build::{build, BuildOptions, Target};
use std::path::Path;

/// Common XSS payloads as a writer's editor might paste them, one per line.
const HOSTILE: &str = r#"Før.

<script>alert(1)</script>

<img src="x" onerror="alert(2)" alt="bilde">

[klikk](javascript:alert(3)) og [også](JaVaScRiPt:alert(4)) og <a href="java&#115;cript:alert(5)">denne</a>

## Overskrift {onclick="alert(6)" lang=nn}

<iframe src="https://sporing.example/x"></iframe>

<p style="color:red" onmouseover="alert(7)">Rød</p>

<svg><script>alert(8)</script></svg>

<details><summary>Mer</summary>

Innhold *her*.

</details>

<form action="https://sporing.example"><input name="x"></form>

![data](data:text/html;base64,PHNjcmlwdD5hbGVydCg5KTwvc2NyaXB0Pg==)

Etter.
"#;

fn site(rule: Option<&str>) -> TestSite {
    let toml = match rule {
        Some(r) => format!("{}\n[markdown]\nraw_html = \"{r}\"\n", crate::support::SITE_TOML),
        None => crate::support::SITE_TOML.to_string(),
    };
    TestSite::new()
        .file("site.toml", &toml)
        .file("templates/components/knapp.html", "{% component knapp(tekst: string) %}<button type=\"button\" data-x=\"1\">{{ tekst }}</button><script src=\"/knapp.js\" defer></script>{% endcomponent knapp %}")
        .file("content/a.md", &page("title = \"A\"", HOSTILE))
}

#[test]
fn sanitize_is_the_default_and_names_each_removal_at_its_line() {
    let s = site(None);
    let report = s.build();
    let html = s.read("a/index.html");
    for bad in
        ["alert(", "javascript", "onerror", "onclick", "onmouseover", "<iframe", "<form", "sporing.example", "style="]
    {
        assert!(!html.contains(bad), "{bad} got through:\n{html}");
    }
    // What writers legitimately use stays.
    for good in
        ["<details>", "<summary>Mer</summary>", "<em>her</em>", "alt=\"bilde\"", "lang=\"nn\"", "Før.", "Etter.", "Rød"]
    {
        assert!(html.contains(good), "{good} is missing:\n{html}");
    }
    let warnings: Vec<String> = report.warnings.0.iter().map(ToString::to_string).collect();
    let at = |line: usize, needle: &str| {
        assert!(
            warnings.iter().any(|w| w.starts_with(&format!("content/a.md:{line}:")) && w.contains(needle)),
            "no warning at line {line} about {needle}: {warnings:#?}"
        );
    };
    // The text starts on line 4 of the file (after three lines of front matter).
    at(6, "<script>");
    at(8, "onerror");
    at(10, "javascript:alert(3)");
    at(10, "JaVaScRiPt:alert(4)");
    at(10, "href");
    at(12, "onclick");
    at(14, "<iframe>");
    at(16, "style");
    at(16, "onmouseover");
    at(26, "<form>");
    at(28, "data:text/html");
}

#[test]
fn the_warnings_are_in_bokmal_for_writers() {
    let s = site(None);
    let out = s.cli_in("nb", &["check"]);
    let text = String::from_utf8_lossy(&out.stderr).to_string() + &String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{text}");
    assert!(text.contains("advarsel: content/a.md:6:1: HTML-taggen <script> ble fjernet"), "{text}");
    assert!(text.contains("lenken til `javascript:alert(3)` ble fjernet"), "{text}");
}

#[test]
fn deny_refuses_raw_html_at_its_line_and_publishes_nothing() {
    let s = site(Some("deny"));
    let errors = s.errors();
    assert!(
        errors.iter().any(|e| e.starts_with("content/a.md:6:1:") && e.contains("HTML is not allowed")),
        "{errors:#?}"
    );
    assert!(
        errors.iter().any(|e| e.starts_with("content/a.md:10:") && e.contains("javascript:alert(3)")),
        "{errors:#?}"
    );
    assert!(errors.iter().any(|e| e.starts_with("content/a.md:12:") && e.contains("onclick")), "{errors:#?}");
    assert!(!s.exists("a/index.html"));
}

#[test]
fn allow_publishes_raw_html_as_zola_does() {
    let s = site(Some("allow"));
    let report = s.build();
    assert!(report.warnings.0.is_empty(), "{}", report.warnings);
    let html = s.read("a/index.html");
    assert!(html.contains("<script>alert(1)</script>") && html.contains("href=\"javascript:alert(3)\""));
    assert!(html.contains("onclick=") && html.contains("alert(6)"), "{html}");
}

#[test]
fn component_output_is_trusted_and_the_writers_text_inside_it_is_not() {
    let s = site(None).file(
        "content/b.md",
        &page("title = \"B\"", "{{ <knapp tekst=\"Trykk\" /> }}\n\nTekst <img src=x onerror=alert(1) alt=\"\">\n"),
    );
    s.build();
    let html = s.read("b/index.html");
    assert!(
        html.contains("<button type=\"button\" data-x=\"1\">Trykk</button><script src=\"/knapp.js\" defer></script>"),
        "{html}"
    );
    assert!(!html.contains("onerror"), "{html}");
}

#[test]
fn svg_drawings_with_script_are_refused_unless_allowed() {
    let svg = "<svg xmlns=\"http://www.w3.org/2000/svg\" onload=\"alert(1)\"><circle r=\"4\"/></svg>";
    let s = TestSite::new()
        .file("content/b/index.md", &page("title = \"B\"", "Tekst.\n"))
        .file("content/b/tegning.svg", svg)
        .file("content/b/ren.svg", "<svg xmlns=\"http://www.w3.org/2000/svg\"><circle r=\"4\"/></svg>");
    let errors = s.errors();
    assert_eq!(errors.len(), 1, "{errors:#?}");
    assert!(errors[0].starts_with("content/b/tegning.svg: ") && errors[0].contains("on…="), "{errors:#?}");
    let s = s.file("site.toml", &format!("{}\n[markdown]\nraw_html = \"allow\"\n", crate::support::SITE_TOML));
    s.build();
    assert!(s.exists("b/tegning.svg") && s.exists("b/ren.svg"));
}

#[test]
fn every_bundled_page_has_a_policy_and_no_inline_script() {
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    let tmp = tempfile::tempdir().unwrap();
    for part in ["content", "themes", "assets"] {
        copy_dir(&repo.join(part), &tmp.path().join(part));
    }
    std::fs::copy(repo.join("site.toml"), tmp.path().join("site.toml")).unwrap();
    let public = tmp.path().join("public");
    build(&BuildOptions::new(tmp.path()), Target::Disk(public.clone())).unwrap_or_else(|d| panic!("{d}"));
    let mut pages = 0;
    for entry in walkdir::WalkDir::new(&public).into_iter().filter_map(Result::ok) {
        if entry.path().extension().is_none_or(|e| e != "html") {
            continue;
        }
        let html = std::fs::read_to_string(entry.path()).unwrap();
        if html.contains("http-equiv=\"refresh\"") {
            continue; // a redirect stub
        }
        pages += 1;
        let shown = entry.path().display();
        let csp = "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src &#39;self&#39;; script-src &#39;self&#39;;";
        assert!(html.contains(csp), "{shown}");
        for (at, _) in html.match_indices("<script") {
            let tag = &html[at..html[at..].find('>').map_or(html.len(), |e| at + e)];
            // Data for search engines is not script (and the policy does not run it).
            let data = tag.contains("type=\"application/ld+json\"");
            assert!(tag.contains(" src=\"") || data, "{shown}: inline script {tag}");
        }
        assert!(!html.contains(" onclick=") && !html.contains(" onload="), "{shown}: an inline handler");
    }
    assert!(pages > 100, "{pages}");
}
