//! The content model: sections, pages, bundles, URLs, drafts, sorting, pagination, taxonomies.

use crate::support::{main_of, page, TestSite};

fn tips_site() -> TestSite {
    let mut s = TestSite::new()
        .file("content/_index.md", &page("title = \"Hjem\"", "Velkommen"))
        .file("content/tips/_index.md", &page("title = \"Tips\"\nsort_by = \"date\"\npaginate_by = 10", ""));
    for i in 1..=25 {
        s = s.file(
            &format!("content/tips/tips-{i:02}.md"),
            &page(
                &format!(
                    "title = \"Tips {i}\"\ndate = 2023-01-{i:02}\n[taxonomies]\nfokusomrade = [\"Mentorprogram\"]"
                ),
                "Tekst.",
            ),
        );
    }
    s
}

#[test]
fn pretty_urls_and_norwegian_slugs() {
    let s = TestSite::new()
        .file("content/Særlige Øvelser/_index.md", &page("title = \"Øvelser\"", ""))
        .file("content/Særlige Øvelser/Blåbær på Ørland.md", &page("title = \"Blåbær\"", "Hei"))
        .file("content/om.md", &page("title = \"Om\"\nslug = \"Om oss – Jobbvinner\"", ""))
        .file("content/x.md", &page("title = \"X\"\npath = \"/egen/sti\"", ""))
        .file("content/2023-06-09-mentorer-i-melhus.md", &page("title = \"Mentorer\"", ""));
    s.build();
    assert!(s.read("saerlige-ovelser/blabaer-pa-orland/index.html").contains("<h1>Blåbær</h1>"));
    assert!(s.exists("saerlige-ovelser/index.html"));
    assert!(s.exists("om-oss-jobbvinner/index.html"));
    assert!(s.exists("egen/sti/index.html"));
    let m = s.read("mentorer-i-melhus/index.html");
    assert!(m.contains("<time datetime=\"2023-06-09\">9. juni 2023</time>"), "{m}");
}

#[test]
fn sections_sort_and_paginate() {
    let s = tips_site();
    let r = s.build();
    assert_eq!(r.stats.pages, 25);
    let first = s.read("tips/index.html");
    assert!(first.contains("side 1/3 next=https://example.no/tips/page/2/"), "{first}");
    // Newest first.
    assert!(first.find("Tips 25").unwrap() < first.find("Tips 24").unwrap());
    assert!(!first.contains("Tips 15<"));
    let third = s.read("tips/page/3/index.html");
    assert!(third.contains("side 3/3") && third.contains("Tips 5<") && third.contains("Tips 1<"));
    assert!(s.read("tips/page/1/index.html").contains("url=https://example.no/tips/"));
}

#[test]
fn weight_and_title_order_follow_norwegian_alphabet() {
    let s = TestSite::new()
        .file("content/a/_index.md", &page("title = \"A\"\nsort_by = \"title\"", ""))
        .file("content/a/1.md", &page("title = \"Åsen\"", ""))
        .file("content/a/2.md", &page("title = \"Ørsta\"", ""))
        .file("content/a/3.md", &page("title = \"Ærlig\"", ""))
        .file("content/a/4.md", &page("title = \"Zebra\"", ""))
        .file("content/b/_index.md", &page("title = \"B\"\nsort_by = \"weight\"", ""))
        .file("content/b/x.md", &page("title = \"Tung\"\nweight = 9", ""))
        .file("content/b/y.md", &page("title = \"Lett\"\nweight = 1", ""))
        .file("content/b/z.md", &page("title = \"Uten vekt\"", ""));
    s.build();
    let a = s.read("a/index.html");
    let order: Vec<usize> = ["Zebra", "Ærlig", "Ørsta", "Åsen"].iter().map(|t| a.find(t).unwrap()).collect();
    assert!(order.windows(2).all(|w| w[0] < w[1]), "{a}");
    let b = s.read("b/index.html");
    assert!(
        b.find("Lett").unwrap() < b.find("Tung").unwrap() && b.find("Tung").unwrap() < b.find("Uten vekt").unwrap()
    );
}

#[test]
fn drafts_and_future_pages() {
    let s = TestSite::new()
        .file("content/n/_index.md", &page("title = \"N\"", ""))
        .file("content/n/utkast.md", &page("title = \"Utkast\"\ndraft = true", ""))
        .file(
            "content/n/fremtid.md",
            &page("title = \"Fremtid\"\ndate = 2999-01-01\n[taxonomies]\nkommune = [\"Melhus\"]", ""),
        )
        .file("content/n/na.md", &page("title = \"Nå\"\ndate = 2020-01-01", ""))
        .file("content/gammel/_index.md", &page("title = \"Gammel\"\ndraft = true", ""))
        .file("content/gammel/side.md", &page("title = \"Skjult\"", ""));
    s.build();
    assert!(!s.exists("n/utkast/index.html"));
    assert!(!s.exists("gammel/side/index.html") && !s.exists("gammel/index.html"));
    // Future pages are rendered but not listed, nor in taxonomies.
    assert!(s.exists("n/fremtid/index.html"));
    let list = s.read("n/index.html");
    assert!(list.contains("Nå") && !list.contains("Fremtid"));
    assert!(!s.exists("kommune/melhus/index.html"));

    let mut opts = s.options();
    opts.drafts = true;
    jobbvinner::build::build(&opts, jobbvinner::build::Target::Disk(s.public())).unwrap();
    assert!(s.exists("n/utkast/index.html"));
    assert!(s.exists("gammel/side/index.html"));
}

#[test]
fn page_bundles_copy_their_files() {
    let s = TestSite::new()
        .file("content/historier/_index.md", &page("title = \"Historier\"", ""))
        .file(
            "content/historier/Mentor i Melhus/index.md",
            &page("title = \"Mentor\"", "![Mentor og nyansatt](bilde.svg)"),
        )
        .file("content/historier/Mentor i Melhus/bilde.svg", "<svg/>")
        .file("content/historier/Mentor i Melhus/vedlegg/plan.pdf", "%PDF");
    // A raster file is re-encoded (its metadata stripped), so it must be a real image.
    let mut png = Vec::new();
    image::DynamicImage::new_rgba8(2, 2)
        .write_to(&mut std::io::Cursor::new(&mut png), image::ImageFormat::Png)
        .unwrap();
    std::fs::write(s.root().join("content/historier/logo.png"), png).unwrap();
    s.build();
    let html = s.read("historier/mentor-i-melhus/index.html");
    assert!(html.contains("src=\"https://example.no/historier/mentor-i-melhus/bilde.svg\""), "{html}");
    assert!(s.exists("historier/mentor-i-melhus/bilde.svg"));
    assert!(s.exists("historier/mentor-i-melhus/vedlegg/plan.pdf"));
    assert!(s.exists("historier/logo.png"));
}

#[test]
fn taxonomies_list_and_paginate_terms() {
    let s = tips_site();
    s.build();
    let list = s.read("fokusomrade/index.html");
    assert!(
        list.contains("<a href=\"https://example.no/fokusomrade/mentorprogram/\">Mentorprogram (25)</a>"),
        "{list}"
    );
    assert!(s.read("fokusomrade/mentorprogram/index.html").contains("side 1/13"));
    assert!(s.read("fokusomrade/mentorprogram/page/13/index.html").contains("Tips 1<"));
    // A declared taxonomy with no terms still gets its (empty) list page.
    assert!(s.exists("kommune/index.html"));
}

#[test]
fn aliases_write_redirects() {
    let s = TestSite::new()
        .file("content/ny.md", &page("title = \"Ny\"\naliases = [\"/gammel/adresse/\", \"arkiv/side.html\"]", ""));
    s.build();
    let r = s.read("gammel/adresse/index.html");
    assert!(r.contains("<meta http-equiv=\"refresh\" content=\"0; url=https://example.no/ny/\">"), "{r}");
    assert!(s.read("arkiv/side.html").contains("https://example.no/ny/"));
}

#[test]
fn markdown_features_reach_the_page() {
    let body = "Første avsnitt med \"sitat\".\n\n<!-- more -->\n\n## Slik gjør dere det\n\n- [x] Avtal møte\n\n| Uke | Tema |\n|---|---|\n| 1 | Velkommen |\n\nEn fotnote[^1] og ~~feil~~.\n\n## Slik gjør dere det\n\nSe [tips](@/tips.md#steg-2).\n\n[^1]: Kilde.\n";
    let s = TestSite::new()
        .file("content/a.md", &page("title = \"A\"", body))
        .file("content/tips.md", &page("title = \"Tips\"", "## Steg 1\n\n## Steg 2\n"));
    s.build();
    let html = s.read("a/index.html");
    let main = main_of(&html);
    insta::assert_snapshot!("markdown_features", main);
}

#[test]
fn transparent_sections_pass_pages_up() {
    let s = TestSite::new()
        .file("content/_index.md", &page("title = \"Hjem\"\nsort_by = \"title\"", ""))
        .file("content/arkiv/_index.md", &page("title = \"Arkiv\"\ntransparent = true", ""))
        .file("content/arkiv/b.md", &page("title = \"Bergen\"", ""))
        .file("content/a.md", &page("title = \"Alta\"", ""));
    s.build();
    let home = s.read("index.html");
    assert!(home.contains("<li>Alta</li><li>Bergen</li>"), "{home}");
}
