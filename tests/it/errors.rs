//! Every user mistake becomes `path:line:col: message`, all of them together, and a failed
//! build leaves the output folder exactly as it was.

use crate::support::{page, TestSite};

#[test]
fn front_matter_mistakes_are_located_and_explained() {
    let s = TestSite::new()
        .file("content/a.md", "+++\ntitle = \"A\"\ntitel = \"x\"\n+++\n")
        .file("content/b.md", "+++\ntitle = \"B\"\ndate = \"9. juni 2023\"\n+++\n")
        .file("content/c.md", "+++\ndescription = \"uten tittel\"\n+++\n")
        .file("content/d.md", "---\ntitle: D\n---\n")
        .file("content/e.md", "# Ingen front matter\n")
        .file("content/f.md", "+++\ntitle = \"F\"\ndraft = \"ja\"\n+++\n")
        .file("content/g.md", "+++\ntitle = \"G\"\n[taxonomies]\n\"fokusområde\" = [\"x\"]\n+++\n")
        .file("content/h.md", "+++\ntitle = \"H\"\ndate = 2023-02-30\n+++\n")
        .file("content/s/_index.md", "+++\nsort_by = \"dato\"\n+++\n")
        .file("content/t1.md", "+++\ntitle = \"T\"\ndate = 9. juni 2023\n+++\n")
        .file("content/t2.md", "+++\ntitle = \"T\"\ntitle = \"U\"\n+++\n")
        .file("content/t3.md", "+++\ntitle = \"T\"\n[taxonomies]\nkommune = 5\n+++\n")
        // One name without brackets is a one-item list.
        .file("content/t5.md", "+++\ntitle = \"T\"\n[taxonomies]\nkommune = \"Melhus\"\n+++\n")
        .file("content/t4.md", "+++\ntitle = \"T\n+++\n");
    let e = s.errors();
    let expect = [
        "content/a.md:3:1: unknown key `titel`; did you mean `title`? (put custom fields under [extra])",
        "content/b.md:3:8: `9. juni 2023` is not a date: write date = 2023-06-09 (year-month-day, without quotes)",
        "content/d.md:1:1: front matter must be TOML between +++ lines",
        "content/e.md:1:1: missing front matter",
        "content/f.md:3:9: `draft` must be true or false, without quotes (here it is \"ja\")",
        "content/g.md:4:1: unknown taxonomy `fokusområde`; did you mean `fokusomrade`?",
        "content/h.md:3:8: `2023-02-30` is not a date that exists: write date = year-month-day, e.g. 2023-06-09",
        "content/s/_index.md:2:11: sort_by = \"dato\" is not a sort order: use \"date\", \"weight\", \"title\" or \"none\"; did you mean \"date\"?",
        "content/t1.md:3:8: `9. juni 2023` is not a date: write date = 2023-06-09 (year-month-day, without quotes)",
        "content/t2.md:3:1: `title` is set twice (first on line 2): remove one of the lines",
        "content/t3.md:4:11: `kommune` must be a list of names in square brackets, e.g. [\"Melhus\", \"Skaun\"] (here it is 5)",
        "content/t4.md:2:11: the text of `title` is not closed: end it with \" on the same line",
    ];
    assert_eq!(e.len(), expect.len(), "{e:#?}");
    for (got, want) in e.iter().zip(expect) {
        assert!(got.starts_with(want), "\n got: {got}\nwant: {want}");
    }
}

#[test]
fn one_wrong_value_does_not_hide_the_other_problems_of_the_file() {
    let s = TestSite::new().file(
        "content/a.md",
        "+++\ntitle = \"A\"\ndate = 9. juni 2023\ndraft = \"nei\"\nweight = \"1\"\ntitel = \"x\"\n[taxonomies]\nkomune = [\"Melhus\"]\n+++\nSe [b](@/b.md).\n",
    );
    let e = s.errors();
    let at: Vec<&str> = e.iter().map(|l| l.split(": ").next().unwrap()).collect();
    assert_eq!(
        at,
        [
            "content/a.md:3:8",
            "content/a.md:4:9",
            "content/a.md:5:10",
            "content/a.md:6:1",
            "content/a.md:8:1",
            "content/a.md:10:4"
        ],
        "{e:#?}"
    );
}

#[test]
fn broken_internal_links_and_anchors_point_at_the_link() {
    let s = TestSite::new()
        .file("content/tips/_index.md", &page("title = \"Tips\"", ""))
        .file("content/tips/a.md", &page("title = \"A\"", "## Steg en\n\nTekst"))
        .file(
            "content/tips/b.md",
            &page(
                "title = \"B\"",
                "Første linje.\n\nSe [a](@/tips/a.md#steg-to) og\n[c](@/tips/c.md) og [d](@/tips/ad.md).",
            ),
        )
        .file("content/tips/u.md", &page("title = \"U\"\ndraft = true", ""))
        .file("content/tips/v.md", &page("title = \"V\"", "[utkast](@/tips/u.md)"));
    let e = s.errors();
    assert_eq!(
        e,
        vec![
            "content/tips/b.md:6:4: link to a missing heading: content/tips/a.md has no heading #steg-to; did you mean #steg-en?",
            "content/tips/b.md:7:1: link to a missing page: there is no content/tips/c.md; did you mean @/tips/a.md?",
            "content/tips/b.md:7:21: link to a missing page: there is no content/tips/ad.md; did you mean @/tips/a.md?",
            "content/tips/v.md:4:1: @/tips/u.md is a draft and left out of this build: remove the link, publish the page (draft = false), or build with --drafts",
        ]
    );
}

#[test]
fn two_sources_for_one_url_name_both() {
    let s = TestSite::new()
        .file("content/om.md", &page("title = \"Om\"", ""))
        .file("content/annet.md", &page("title = \"Annet\"\nslug = \"om\"", ""))
        .file("content/tredje.md", &page("title = \"Tredje\"\naliases = [\"/om/\"]", ""));
    let e = s.errors();
    assert!(e.iter().any(|l| l.contains("content/annet.md and content/om.md would both write the URL /om/")), "{e:#?}");
    assert!(e.iter().any(|l| l.contains("content/tredje.md") && l.contains("/om/")), "{e:#?}");
}

#[test]
fn config_errors_name_key_and_line() {
    let s = TestSite::new().file("site.toml", "title = \"x\"\n\nlanguag = \"nb\"\n");
    assert_eq!(
        s.errors(),
        vec!["site.toml:3:1: unknown key `languag`; did you mean `language`? (put custom fields under [extra])"]
    );
    let s = TestSite::new().file("site.toml", "title = \"x\"\nmenus = 3\n");
    assert!(
        s.errors()[0].starts_with("site.toml:2:9: `menus` has the wrong kind of value: it must be a table of fields"),
        "{:?}",
        s.errors()
    );
    let s = TestSite::new().file("site.toml", "title = \"x\"\n[[menus.main]]\nname = \"Tips\"\nurl = \"@/tips.md\"\n");
    assert!(s.errors()[0].starts_with("site.toml:4:1: menu item `Tips`: link to a missing page"), "{:?}", s.errors());
}

#[test]
fn template_errors_name_template_line_and_page() {
    let s = TestSite::new()
        .file("content/a.md", &page("title = \"A\"", ""))
        .file("content/b.md", &page("title = \"B\"", ""))
        .file("templates/page.html", "<main>\n<h1>{{ page.title }}</h1>\n{{ page.tittel }}\n</main>");
    let e = s.errors();
    assert_eq!(e.len(), 1, "{e:#?}");
    assert!(
        e[0].starts_with("templates/page.html:3:9: `tittel` is not defined here; did you mean `title`?"),
        "{}",
        e[0]
    );
    assert!(e[0].ends_with("(while rendering content/a.md and 1 more)"), "{}", e[0]);

    let s = TestSite::new()
        .file("content/a.md", &page("title = \"A\"", ""))
        .file("templates/page.html", "<p>\n{% if page.title %}\n");
    let e = s.errors();
    assert!(e[0].starts_with("templates/page.html:3:1: template syntax error"), "{e:#?}");

    let s = TestSite::new().file("content/a.md", &page("title = \"A\"\ntemplate = \"historie.html\"", ""));
    assert_eq!(
        s.errors(),
        vec!["content/a.md:3:1: template `historie.html` not found: add templates/historie.html or choose a theme in site.toml that has it (while rendering content/a.md)"]
    );
    let s = TestSite::new().file("content/a.md", &page("title = \"A\"\ntemplate = \"page\"", ""));
    assert!(s.errors()[0].contains("template `page` not found: did you mean \"page.html\"?"), "{:?}", s.errors());
    // A missing default template is one error for the whole site, at the missing file.
    let s = TestSite::bare()
        .file("site.toml", "title = \"x\"\n")
        .file("templates/index.html", "<main></main>")
        .file("content/a.md", &page("title = \"A\"", ""))
        .file("content/b.md", &page("title = \"B\"", ""))
        .file("content/c.md", &page("title = \"C\"", ""));
    assert_eq!(
        s.errors(),
        vec!["templates/page.html: template `page.html` not found: add templates/page.html or choose a theme in site.toml that has it (while rendering content/a.md and 2 more)"]
    );
}

#[test]
fn all_errors_are_reported_together() {
    let s = TestSite::new()
        .file("content/a.md", "+++\ntitel = \"A\"\n+++\n")
        .file("content/b.md", &page("title = \"B\"", "[x](@/mangler.md)"))
        .file("content/c/_index.md", "+++\npaginate_by = \"ti\"\n+++\n")
        .file("templates/section.html", "{% for %}");
    let e = s.errors();
    assert_eq!(e.len(), 4, "{e:#?}");
    assert!(e[0].starts_with("content/a.md:2:1:"));
    assert!(e[1].starts_with("content/b.md:4:1:"));
    assert!(e[2].starts_with("content/c/_index.md:2:15:"));
    assert!(e[3].starts_with("templates/section.html:1:"));
}

#[test]
fn hostile_input_never_panics() {
    let s = TestSite::new()
        .file("content/empty.md", "")
        .file("content/only-fence.md", "+++")
        .file("content/binary.md", "+++\ntitle = \"\u{0}\"\n+++\n\u{0}\u{1}")
        .file("content/deep.md", &page("title = \"Dyp\"", &">".repeat(5000)))
        .file("content/brackets.md", &page("title = \"B\"", &"[".repeat(10000)))
        .file(
            "content/weird.md",
            &page("title = \"W\"\nslug = \"///\"\ndate = 99999999", "[x](@/)\n[y](@/#)\n![](@/../../etc/passwd)"),
        )
        .file("content/path.md", &page("title = \"P\"\npath = \"../../ut\"", ""))
        .file("content/tax.md", &page("title = \"T\"\n[taxonomies]\nkommune = [\"!!!\"]", ""))
        .file("content/alias.md", &page("title = \"A\"\naliases = [\"../../x\", \"https://evil.example/\"]", ""));
    std::fs::write(s.root().join("content/latin1.md"), b"+++\ntitle = \"\xe6\xf8\xe5\"\n+++\n").unwrap();
    let e = s.errors();
    for file in ["empty", "only-fence", "weird", "path", "tax", "alias", "latin1"] {
        assert!(e.iter().any(|l| l.starts_with(&format!("content/{file}.md:"))), "{file}: {e:#?}");
    }
    assert!(!s.root().join("ut").exists() && !s.root().parent().unwrap().join("ut").exists());
}

/// Random mixtures of the tokens that matter to the parsers: every build must end in a
/// result (success or diagnostics), never a panic.
#[test]
fn random_garbage_never_panics() {
    const TOKENS: &[&str] = &[
        "+++",
        "\n",
        "title = ",
        "\"",
        "date = ",
        "2023-06-09",
        "[taxonomies]",
        "kommune = [\"Ø\"]",
        "[extra]",
        "slug = ",
        "path = ",
        "aliases = [",
        "]",
        "@/",
        "a.md",
        "#",
        "## ",
        "[",
        "(",
        ")",
        "![",
        "<!-- more -->",
        "{{",
        "{%",
        "æøå",
        "\u{0}",
        "\r\n",
        "draft = true",
        "template = ",
        "..",
        "/",
        "|",
        "`",
        "*",
        "[^1]",
    ];
    let mut state: u64 = 0x9e37_79b9_7f4a_7c15;
    let mut next = || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state
    };
    for _ in 0..60 {
        let mut s = TestSite::new();
        for f in ["a.md", "b.md", "s/_index.md"] {
            let text: String = (0..(next() % 40)).map(|_| TOKENS[(next() % TOKENS.len() as u64) as usize]).collect();
            s = s.file(&format!("content/{f}"), &format!("+++\n{text}"));
        }
        let _ = jobbvinner::build::build(
            &s.options(),
            jobbvinner::build::Target::Sink(&jobbvinner::output::Audit::default()),
        );
    }
}

#[test]
fn body_text_problems_are_located() {
    let body = "Tekst.\n\n# Ny tittel\n\n## Del\n\n#### For dypt\n\n![](bilde.svg)\n\n![Et bilde](finnes-ikke.jpg)\n\n![Logo](/logo.svg) ![Kart](kart.svg)\n\nSe [KS](www.ks.no).\n";
    let s = TestSite::new()
        .file("static/logo.svg", "<svg xmlns=\"http://www.w3.org/2000/svg\"/>")
        .file("static/kart.svg", "<svg xmlns=\"http://www.w3.org/2000/svg\"/>")
        .file("content/bilde.svg", "<svg xmlns=\"http://www.w3.org/2000/svg\"/>")
        .file("content/a.md", &page("title = \"A\"", body));
    let e = s.errors();
    let expect = [
        "content/a.md:6:1: a level-1 heading (# …) in the text: the page title is the page's only level-1 heading; start sections with ##",
        "content/a.md:10:1: the heading jumps from level 2 to 4: write ### instead of #### (screen-reader users move through a page by heading levels)",
        "content/a.md:12:1: image without alt text: write ![what the image shows](bilde.svg), or ![](bilde.svg \"dekorativ\") for an image that only decorates and says nothing the text does not",
        "content/a.md:14:1: image `finnes-ikke.jpg` not found beside content/a.md",
        "content/a.md:16:20: image `kart.svg` not found beside content/a.md; it is one of the site's shared files (assets/ or static/), so write /kart.svg",
        "content/a.md:18:4: write web addresses in full: https://www.ks.no (without https:// the link leads nowhere)",
    ];
    assert_eq!(e, expect);
}
