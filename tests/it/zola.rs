//! Content written for Zola (sections, TOML front matter with Zola-only keys, date-prefixed
//! file names, page bundles, `@/` links with anchors, aliases, transparent sections) builds
//! unchanged.

use crate::support::TestSite;

#[test]
fn zola_content_builds_unchanged() {
    let s = TestSite::fixture("zola-site");
    let r = s.build();
    assert_eq!((r.stats.pages, r.stats.sections, r.stats.pagers), (4, 2, 1), "{r:?}");
    let first = s.read("blog/first-post/index.html");
    assert!(first.contains("<title>First post | A Zola-format site</title>"));
    assert!(first.contains("href=\"https://zola.example/blog/second-post/#how-it-works\""), "{first}");
    assert!(first.contains("href=\"https://zola.example/about/\""));
    assert!(first.contains("<a href=\"https://zola.example/tags/static-sites/\">static sites</a>"));
    // Date taken from the file name; neighbours by date.
    assert!(first.contains("rel=\"next\" href=\"https://zola.example/blog/second-post/\""), "{first}");
    let second = s.read("blog/second-post/index.html");
    assert!(second.contains("<img src=\"diagram.svg\" alt=\"A diagram\" />"));
    assert!(second.contains("<a href=\"https://zola.example/blog/second-post/#step-one\">Step one</a>"));
    assert!(s.exists("blog/second-post/diagram.svg"));
    // Pagination by 2, newest first; drafts left out.
    let blog = s.read("blog/index.html");
    assert!(blog.find("Third post").unwrap() < blog.find("Second post").unwrap());
    assert!(!blog.contains("First post") && !blog.contains("Not yet"));
    assert!(s.read("blog/page/2/index.html").contains("First post"));
    // Custom path, alias, render = false section, transparent listing on the home page.
    assert!(s.exists("about/index.html"));
    assert!(s.read("old-about/index.html").contains("url=https://zola.example/about/"));
    assert!(!s.exists("pages/index.html"));
    assert!(s.read("index.html").contains("Welcome to a site written for <strong>Zola</strong>."));
    assert!(s.read("categories/news/page/2/index.html").contains("First post"));
    insta::assert_snapshot!("zola_first_post", crate::support::main_of(&first));
}

/// Zola accepts pages without a title and headings of any level; so do we, with warnings
/// that do not stop the build (unless asked to), while the site's content types stay strict.
#[test]
fn generic_content_is_lenient_and_warns() {
    let s = TestSite::fixture("zola-site")
        .file("content/pages/notes.md", "+++\n+++\n# Notes\n\nSome text.\n\n#### Detail\n");
    let r = s.build();
    let warnings: Vec<String> = r.warnings.clone().into_sorted().iter().map(ToString::to_string).collect();
    assert_eq!(warnings.len(), 2, "{warnings:#?}");
    assert!(warnings[0].starts_with("content/pages/notes.md:3:1: a level-1 heading"), "{}", warnings[0]);
    assert!(
        warnings[1].starts_with("content/pages/notes.md:7:1: the heading jumps from level 1 to 4"),
        "{}",
        warnings[1]
    );
    assert!(s.read("pages/notes/index.html").contains("<h1 id=\"notes\">Notes"));
    let out = s.cli(&["build"]);
    assert!(out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("warning: content/pages/notes.md:3:1: a level-1 heading"), "{stderr}");
    assert!(stderr.contains("2 warnings; the build went on"), "{stderr}");
    let strict = s.cli(&["build", "--deny-warnings"]);
    assert_eq!(strict.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&strict.stderr);
    assert!(stderr.contains("error: content/pages/notes.md:3:1: a level-1 heading"), "{stderr}");
    assert!(stderr.ends_with("2 errors; nothing was written\n"), "{stderr}");
}
