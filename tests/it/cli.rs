//! The binary: summary line, exit codes, `check`, `new`.

use crate::support::{page, TestSite};

#[test]
fn build_prints_one_summary_line() {
    let s = TestSite::new()
        .file("content/a.md", &page("title = \"A\"", ""))
        .file("content/s/_index.md", &page("title = \"S\"", ""))
        .file("content/s/b.md", &page("title = \"B\"", ""));
    let out = s.cli(&["build", "--base-url", "http://localhost:9000/"]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(stdout.lines().count(), 1, "{stdout}");
    assert!(
        stdout.starts_with(
            "Built 2 pages, 2 sections (+0 paginated), 2 taxonomy pages, 0 redirects and 0 copied files in "
        ),
        "{stdout}"
    );
    assert!(s.read("s/index.html").contains("href=\"http://localhost:9000/s/b/\""));
}

#[test]
fn errors_exit_1_and_are_listed_together() {
    let s = TestSite::new()
        .file("content/a.md", "+++\ntitel = \"A\"\n+++\n")
        .file("content/b.md", &page("title = \"B\"", "[x](@/c.md)"));
    let out = s.cli(&["build"]);
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    let lines: Vec<&str> = err.lines().collect();
    assert!(lines[0].starts_with("error: content/a.md:2:1: unknown key `titel`"), "{err}");
    assert!(lines[1].starts_with("error: content/b.md:4:1: link to a missing page"), "{err}");
    assert_eq!(lines[2], "2 errors; nothing was written");
    assert!(!s.public().exists());
}

#[test]
fn check_writes_nothing() {
    let s = TestSite::new().file("content/a.md", &page("title = \"A\"", ""));
    let out = s.cli(&["check"]);
    assert!(out.status.success());
    assert!(String::from_utf8_lossy(&out.stdout).starts_with("Checked 1 pages"));
    assert!(!s.public().exists());
    // A page of no content type may go without a title, as in Zola; a title of the wrong
    // kind is an error.
    let s = s.file("content/b.md", "+++\n+++\n");
    assert!(s.cli(&["check"]).status.success());
    let s = s.file("content/b.md", "+++\ntitle = 5\n+++\n");
    assert_eq!(s.cli(&["check"]).status.code(), Some(1));
}

#[test]
fn new_scaffolds_from_the_section_archetype_and_never_overwrites() {
    let s = TestSite::new()
        .file("content/tips/_index.md", &page("title = \"Tips\"", ""))
        .file("archetypes/tips.md", "+++\ntitle = \"{{ title }}\"\ndate = {{ date }}\n[extra]\nsteps = []\n+++\n");
    let out = s.cli(&["new", "tips/bedre-introduksjon.md"]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let text = std::fs::read_to_string(s.root().join("content/tips/bedre-introduksjon.md")).unwrap();
    assert!(text.starts_with("+++\ntitle = \"Bedre introduksjon\"\ndate = 20"), "{text}");
    assert!(text.contains("steps = []"));
    // The new page builds.
    assert!(s.cli(&["build"]).status.success());
    // Refuses to overwrite.
    std::fs::write(s.root().join("content/tips/bedre-introduksjon.md"), "mitt").unwrap();
    let again = s.cli(&["new", "tips/bedre-introduksjon.md"]);
    assert_eq!(again.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&again.stderr).contains("already exists"));
    assert_eq!(std::fs::read_to_string(s.root().join("content/tips/bedre-introduksjon.md")).unwrap(), "mitt");
    // Unknown section and paths outside content/ are refused.
    let e = s.cli(&["new", "tipss/x.md"]);
    assert!(
        String::from_utf8_lossy(&e.stderr).contains("did you mean tips/?"),
        "{}",
        String::from_utf8_lossy(&e.stderr)
    );
    assert_eq!(s.cli(&["new", "../x.md"]).status.code(), Some(1));
    // A page bundle belongs to the section above its folder.
    assert!(s.cli(&["new", "tips/med-bilder/index.md"]).status.success());
    let text = std::fs::read_to_string(s.root().join("content/tips/med-bilder/index.md")).unwrap();
    assert!(text.contains("title = \"Med bilder\""), "{text}");
    // Default archetype when the section has none: a draft with the site's taxonomies.
    let s = s.file("content/nytt/_index.md", &page("title = \"Nytt\"", ""));
    assert!(s.cli(&["new", "nytt/sak.md"]).status.success());
    let text = std::fs::read_to_string(s.root().join("content/nytt/sak.md")).unwrap();
    assert!(text.contains("draft = true") && text.contains("fokusomrade = []"), "{text}");
}

#[test]
fn new_scaffolds_every_content_type_of_the_bundled_theme() {
    let repo = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let s = TestSite::bare();
    for part in ["content", "themes", "assets"] {
        crate::support::copy_dir(&repo.join(part), &s.root().join(part));
    }
    std::fs::copy(repo.join("site.toml"), s.root().join("site.toml")).unwrap();
    let cases = [
        ("historie", "historier/ny-historie/index.md"),
        ("erfaring", "erfaringer/ny-erfaring.md"),
        ("tips", "tips/nytt-tips.md"),
        ("laeringsnettverk", "nytt-nettverk.md"),
    ];
    for (kind, path) in cases {
        let out = s.cli(&["new", "--type", kind, path]);
        assert!(out.status.success(), "{kind}: {}", String::from_utf8_lossy(&out.stderr));
        let text = std::fs::read_to_string(s.root().join("content").join(path)).unwrap();
        assert!(text.contains("draft = true"), "{kind}: {text}");
    }
    // The section's type is the default: a story scaffolded without --type is a story.
    assert!(s.cli(&["new", "historier/enda-en/index.md"]).status.success());
    let story = std::fs::read_to_string(s.root().join("content/historier/enda-en/index.md")).unwrap();
    assert!(story.contains("image_alt"), "{story}");
    // Drafts are left out, so the site still builds; with --drafts every unfilled field is
    // reported in the new files, and nowhere else.
    assert!(s.cli(&["build"]).status.success());
    let out = s.cli(&["check", "--drafts"]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    let errors: Vec<&str> = stderr.lines().filter_map(|l| l.strip_prefix("error: ")).collect();
    assert!(!errors.is_empty(), "{stderr}");
    let new_files =
        ["historier/ny-historie", "erfaringer/ny-erfaring", "tips/nytt-tips", "nytt-nettverk", "historier/enda-en"];
    for e in &errors {
        assert!(new_files.iter().any(|f| e.starts_with(&format!("content/{f}"))), "{e}");
    }
    let unknown = s.cli(&["new", "--type", "historia", "historier/x/index.md"]);
    assert!(String::from_utf8_lossy(&unknown.stderr).contains("did you mean `historie`?"));
}

/// `new --lang`: each way to get it wrong says what to do, in bokmål.
#[test]
fn new_translation_mistakes_say_what_to_do() {
    let langs = "\n[languages.nn]\ntitle = \"Testside\"\n";
    let s = TestSite::new()
        .file("site.toml", &format!("{}{langs}", crate::support::SITE_TOML))
        .file("content/a.md", &page("title = \"A\"", "Tekst."));
    let run = |args: &[&str]| {
        let out = s.cli_in("nb", args);
        (out.status.success(), String::from_utf8_lossy(&out.stderr).to_string())
    };
    let (ok, _) = run(&["new", "--lang", "nn", "a.md"]);
    assert!(ok && s.root().join("content/a.nn.md").is_file());
    for (args, want) in [
        (&["new", "--lang", "nn", "a.md"][..], "oversettelsen content/a.nn.md finnes allerede"),
        (&["new", "--lang", "nn", "a.nn.md"][..], "skriv originalens navn, a.md, og --lang nn"),
        (&["new", "--lang", "nb", "a.md"][..], "`nb` er nettstedets hovedspråk"),
        (&["new", "--lang", "de", "a.md"][..], "(det har: nb og nn)"),
    ] {
        let (ok, err) = run(args);
        assert!(!ok && err.contains(want), "{args:?}: {err}");
    }
    assert!(!s.root().join("content/a.nn.nn.md").exists());
    let single = TestSite::new().file("content/a.md", &page("title = \"A\"", "Tekst."));
    let out = single.cli_in("nb", &["new", "--lang", "nn", "a.md"]);
    assert!(String::from_utf8_lossy(&out.stderr).contains("nettstedet har bare ett språk (nb)"));
}

/// A busy port is named as such, with the way out.
#[test]
fn serve_on_a_busy_port_says_so() {
    let taken = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = taken.local_addr().unwrap().port().to_string();
    let s = TestSite::new();
    let out = s.cli_in("nb", &["serve", "--port", &port]);
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success());
    assert!(err.contains(&format!("port {port} på 127.0.0.1 er allerede i bruk")) && err.contains("--port"), "{err}");
}
