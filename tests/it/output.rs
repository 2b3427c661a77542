//! The output folder: atomic replacement, refusal of dangerous folders, static files.

use crate::support::{page, TestSite};

#[test]
fn failed_build_leaves_public_untouched() {
    let s = TestSite::new().file("content/a.md", &page("title = \"A\"", "Første"));
    s.build();
    let before = s.read("a/index.html");
    std::fs::write(s.public().join("marker.txt"), "beholdes").unwrap();
    let s = s.file("content/a.md", &page("title = \"A\"", "Andre")).file("content/b.md", "+++\nbad = 1\n+++\n");
    s.errors();
    assert_eq!(s.read("a/index.html"), before);
    assert_eq!(s.read("marker.txt"), "beholdes");
    let leftovers: Vec<_> = std::fs::read_dir(s.root())
        .unwrap()
        .filter_map(Result::ok)
        .filter(|e| e.file_name().to_string_lossy().starts_with('.'))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
    // A good build replaces the folder: stale files disappear.
    let s = s.file("content/b.md", &page("title = \"B\"", ""));
    s.build();
    assert!(s.read("a/index.html").contains("Andre"));
    assert!(!s.exists("marker.txt"));
}

#[test]
fn refuses_dangerous_output_folders() {
    let s = TestSite::new().file("content/a.md", &page("title = \"A\"", ""));
    for bad in [".", "content", "themes/x", "..", "assets"] {
        let out = s.cli(&["build", "--output", bad]);
        assert_eq!(out.status.code(), Some(1), "{bad}");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains("refusing to use"), "{bad}: {err}");
    }
    assert!(s.root().join("content/a.md").exists() && s.root().join("site.toml").exists());
}

#[test]
fn static_files_site_wins_over_theme() {
    let s = TestSite::new()
        .file("site.toml", &format!("{}theme = \"t\"\n", crate::support::SITE_TOML))
        .file("themes/t/templates/page.html", "<main>theme {{ page.title }}</main>")
        .file("themes/t/templates/section.html", "<main>theme section</main>")
        .file("themes/t/static/css/site.css", "body{color:red}")
        .file("themes/t/static/js/x.js", "1")
        .file("assets/css/site.css", "body{color:blue}")
        .file(
            "templates/page.html",
            "<main>site {{ page.title }} {{ get_url(path='css/site.css', cachebust=true) }}</main>",
        )
        .file("content/a.md", &page("title = \"A\"", ""));
    s.build();
    assert_eq!(s.read("css/site.css"), "body{color:blue}");
    assert!(s.exists("js/x.js"));
    let a = s.read("a/index.html");
    assert!(a.starts_with("<main>site A https://example.no/css/site.css?h="), "{a}");
    // The hash follows the content.
    let s = s.file("assets/css/site.css", "body{color:green}");
    s.build();
    assert_ne!(s.read("a/index.html"), a);
}

#[test]
fn static_file_may_not_overwrite_a_page() {
    let s = TestSite::new().file("content/a.md", &page("title = \"A\"", "")).file("assets/a/index.html", "x");
    let e = s.errors();
    assert!(e[0].contains("would overwrite the page rendered from content/a.md at /a/index.html"), "{e:?}");
}

#[test]
fn killed_build_leaves_the_previous_output_whole() {
    let mut s = TestSite::new();
    for i in 0..400 {
        s = s
            .file(&format!("content/p{i}.md"), &page(&format!("title = \"Side {i}\""), &"Tekst med ord. ".repeat(200)));
    }
    assert!(s.cli(&["build"]).status.success());
    let before: Vec<String> = list(&s.public());
    let s = s.file("content/ny.md", &page("title = \"Ny\"", ""));
    for delay_ms in [5, 30, 80] {
        let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_jobbvinner"))
            .env("JOBBVINNER_MESSAGES", "en")
            .arg("--root")
            .arg(s.root())
            .arg("build")
            .stdout(std::process::Stdio::null())
            .spawn()
            .unwrap();
        std::thread::sleep(std::time::Duration::from_millis(delay_ms));
        let _ = child.kill();
        let _ = child.wait();
        // Either the old build or the complete new one, never a mix.
        let after = list(&s.public());
        let new_build = after.len() == before.len() + 1 && after.contains(&"ny/index.html".to_string());
        assert!(after == before || new_build, "{} files after kill at {delay_ms} ms", after.len());
    }
    // The next build cleans up what the killed ones left.
    assert!(s.cli(&["build"]).status.success());
    let hidden: Vec<_> = std::fs::read_dir(s.root())
        .unwrap()
        .filter_map(Result::ok)
        .filter(|e| e.file_name().to_string_lossy().starts_with(".public"))
        .collect();
    assert!(hidden.is_empty(), "{hidden:?}");
}

fn list(dir: &std::path::Path) -> Vec<String> {
    let mut v: Vec<String> = walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .map(|e| e.path().strip_prefix(dir).unwrap().to_string_lossy().into_owned())
        .collect();
    v.sort();
    v
}

#[test]
fn never_replaces_a_folder_it_did_not_write() {
    let s = TestSite::new().file("content/a.md", &page("title = \"A\"", "")).file("notes/precious.txt", "keep me");
    let out = s.cli(&["build", "--output", "notes"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("did not write"));
    assert_eq!(std::fs::read_to_string(s.root().join("notes/precious.txt")).unwrap(), "keep me");
    // Its own earlier output is replaced as usual.
    assert!(s.cli(&["build"]).status.success());
    assert!(s.cli(&["build"]).status.success());
    let bad = s.cli(&["build", "--base-url", "jobbvinner.no"]);
    assert!(String::from_utf8_lossy(&bad.stderr)
        .contains("error: --base-url: base URL `jobbvinner.no` must start with https://"));
}

/// `check` renders through the same path as `build` into an audit that writes nothing and
/// keeps each page's ids and references for a site audit.
#[test]
fn check_keeps_ids_and_references_and_writes_nothing() {
    let s = TestSite::new()
        .file("content/a.md", &page("title = \"A\"", "## Slik gjør du\n\nSe [b](@/b.md#mer) og ![Kart](kart.svg)."))
        .file("content/kart.svg", "<svg xmlns=\"http://www.w3.org/2000/svg\"/>")
        .file("content/b.md", &page("title = \"B\"", "## Mer\n"));
    let audit = jobbvinner::output::Audit::default();
    let report = jobbvinner::build::build(&s.options(), jobbvinner::build::Target::Sink(&audit)).unwrap();
    assert_eq!(report.stats.pages, 2);
    let pages = audit.pages();
    let a = &pages["a/index.html"];
    assert_eq!(a.ids, ["slik-gjor-du"]);
    let urls: Vec<&str> = a.references.iter().map(|r| r.url.as_str()).collect();
    assert!(urls.contains(&"https://example.no/b/#mer") && urls.contains(&"kart.svg"), "{urls:?}");
    assert!(audit.outputs().contains(&"kart.svg".to_string()));
    assert!(!s.public().exists());
}
