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
