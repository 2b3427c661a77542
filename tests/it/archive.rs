//! Section filter pages, search.json, interface text (`t`) and related pages.

use crate::support::{page, TestSite};

const SECTION: &str = r#"<main><h1>{% if filter %}{{ filter.taxonomy_title }}: {{ filter.name }} ({{ filter.count }}){% else %}{{ section.title }}{% endif %}</h1>
{% for f in section.filters %}[{{ f.name }}:{% for t in f.terms %}{{ t.name }}={{ t.count }}@{{ t.permalink }};{% endfor %}]{% endfor %}
{% for p in section.pages %}{{ p.title }},{% endfor %}
{% if paginator %}{{ paginator.current_index }}/{{ paginator.number_pagers }} next={{ paginator.next }}{% endif %}
{{ section.search_index | default(value="no index") }}
</main>"#;

fn tips_site() -> TestSite {
    let tip = |title: &str, date: &str, f: &str, k: &str| {
        page(
            &format!("title = \"{title}\"\ndate = {date}\n[taxonomies]\nfokusomrade = [{f}]\nkommune = [{k}]"),
            "Sykepleierne i <em>kommunen</em> &amp; skolen.",
        )
    };
    TestSite::new()
        .file("templates/section.html", SECTION)
        .file(
            "content/tips/_index.md",
            &page(
                "title = \"Tips\"\nsort_by = \"date\"\npaginate_by = 2\nfilters = [\"fokusomrade\", \"kommune\"]\nsearch_index = true",
                "",
            ),
        )
        .file("content/tips/a.md", &tip("A", "2024-01-01", "\"Mentor\"", "\"Bodø\""))
        .file("content/tips/b.md", &tip("B", "2024-02-01", "\"Mentor\", \"Praksis\"", "\"Ålesund\""))
        .file("content/tips/c.md", &tip("C", "2024-03-01", "\"Mentor\"", "\"Bodø\""))
        .file("content/tips/d.md", &tip("D", "2024-04-01", "\"Praksis\"", "\"Bodø\""))
        // Pages outside the section with the same terms are not counted.
        .file("content/andre/_index.md", &page("title = \"Andre\"", ""))
        .file("content/andre/x.md", &tip("X", "2024-05-01", "\"Mentor\"", "\"Bodø\""))
}

#[test]
fn filter_pages_per_term_paginated_like_the_section() {
    let s = tips_site();
    let report = s.build();
    assert_eq!(report.stats.filter_pages, 6, "mentor (2 pagers), praksis, bodø (2 pagers), ålesund");
    let all = s.read("tips/index.html");
    assert!(all.contains("<h1>Tips</h1>"), "{all}");
    assert!(all.contains("[fokusomrade:Mentor=3@https://example.no/tips/fokusomrade/mentor/;Praksis=2@https://example.no/tips/fokusomrade/praksis/;]"), "{all}");
    assert!(all.contains("[kommune:Bodø=3@https://example.no/tips/kommune/bodo/;Ålesund=1@https://example.no/tips/kommune/alesund/;]"), "{all}");
    let mentor = s.read("tips/fokusomrade/mentor/index.html");
    assert!(mentor.contains("<h1>fokusomrade: Mentor (3)</h1>"), "{mentor}");
    assert!(mentor.contains("\nC,B,\n1/2 next=https://example.no/tips/fokusomrade/mentor/page/2/"), "{mentor}");
    let mentor2 = s.read("tips/fokusomrade/mentor/page/2/index.html");
    assert!(mentor2.contains("\nA,\n2/2 next=\n"), "{mentor2}");
    let alesund = s.read("tips/kommune/alesund/index.html");
    assert!(alesund.contains("\nB,\n1/1"), "{alesund}");
    assert!(!s.exists("andre/fokusomrade"));
}

#[test]
fn search_index_lists_the_sections_pages_as_plain_text() {
    let s = tips_site();
    s.build();
    assert!(s.read("tips/index.html").contains("https://example.no/tips/search.json"));
    let json: serde_json::Value = serde_json::from_str(&s.read("tips/search.json")).unwrap();
    let pages = json["pages"].as_array().unwrap();
    let titles: Vec<_> = pages.iter().map(|p| p["title"].as_str().unwrap()).collect();
    assert_eq!(titles, ["D", "C", "B", "A"]);
    assert_eq!(pages[2]["taxonomies"]["fokusomrade"], serde_json::json!(["Mentor", "Praksis"]));
    assert_eq!(pages[0]["permalink"], "https://example.no/tips/d/");
    assert_eq!(pages[0]["date"], "2024-04-01");
    assert_eq!(pages[0]["text"], "Sykepleierne i kommunen & skolen.");
    assert_eq!(pages[0]["example"], false);
    assert!(!s.exists("andre/search.json"));
}

#[test]
fn unknown_filter_taxonomy_is_reported_at_its_line() {
    let s = tips_site()
        .file("content/tips/_index.md", &page("title = \"Tips\"\nfilters = [\"fokusomrade\", \"komune\"]", ""));
    let errors = s.errors();
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert!(
        errors[0].starts_with(
            "content/tips/_index.md:3:27: filters: `komune` is not a taxonomy in site.toml; did you mean \"kommune\"?"
        ),
        "{errors:?}"
    );
}

#[test]
fn filter_page_colliding_with_a_page_is_an_error() {
    let s = tips_site()
        .file("content/tips/kommune/_index.md", &page("title = \"Kommune\"", ""))
        .file("content/tips/kommune/bodo.md", &page("title = \"Bodø\"", ""));
    let errors = s.errors().join("\n");
    assert!(errors.contains("would both write the URL /tips/kommune/bodo/"), "{errors}");
}

#[test]
fn interface_text_from_i18n_files_with_site_overrides() {
    let tpl = r#"<main>{{ t(key="nav.skip") }}|{{ t(key="pagination.page_of", current=2, total=5) }}|{{ "2023-06-09" | date }}|{{ "2023-06-09" | date(lang="en") }}|{{ trans(key="nav.skip", lang="en") }}</main>"#;
    let s = TestSite::new()
        .file("site.toml", &format!("theme = \"t\"\n{}", crate::support::SITE_TOML))
        .file("templates/index.html", tpl)
        .file("themes/t/templates/.keep", "")
        .file("themes/t/i18n/nb.toml", "[nav]\nskip = \"Hopp til innhold\"\n[pagination]\npage_of = \"Side {current} av {total}\"\n")
        .file("i18n/nb.toml", "[nav]\nskip = \"Gå til hovedinnhold\"\n")
        .file(
            "themes/t/i18n/en.toml",
            "[nav]\nskip = \"Skip to content\"\n[date]\nformat = \"%-d %B %Y\"\nmonths = [\"January\", \"February\", \"March\", \"April\", \"May\", \"June\", \"July\", \"August\", \"September\", \"October\", \"November\", \"December\"]\n",
        );
    s.build();
    assert_eq!(
        s.read("index.html"),
        "<main>Gå til hovedinnhold|Side 2 av 5|9. juni 2023|9 June 2023|Skip to content</main>"
    );
}

#[test]
fn missing_interface_text_names_the_key_and_template_line() {
    let s = TestSite::new()
        .file("templates/index.html", "<main>\n{{ t(key=\"nav.skp\") }}</main>")
        .file("i18n/nb.toml", "[nav]\nskip = \"Hopp\"\n");
    let errors = s.errors();
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert!(errors[0].starts_with("templates/index.html:2:"), "{errors:?}");
    assert!(errors[0].contains("no text `nav.skp` in i18n/nb.toml; did you mean `nav.skip`?"), "{errors:?}");
    let s = TestSite::new().file("i18n/nb.toml", "[date]\nmonths = \"januar\"\n");
    let errors = s.errors();
    assert!(errors[0].starts_with("i18n/nb.toml:1:1: [date] months must be a list of 12 names"), "{errors:?}");
}

#[test]
fn get_pages_and_get_related() {
    let tpl = r#"<main>{% for p in get_pages(section="tips", taxonomy="fokusomrade", term="Mentor", limit=2) %}{{ p.title }},{% endfor %}|{% for p in get_pages(taxonomy="kommune", term="Bodø") %}{{ p.title }},{% endfor %}|{% for p in get_related(path="tips/b.md", sections=["tips"]) %}{{ p.title }},{% endfor %}|{% for p in get_related(path="tips/a.md", limit=2) %}{{ p.title }},{% endfor %}</main>"#;
    let s = tips_site().file("templates/index.html", tpl);
    s.build();
    // B shares Mentor with A and C, Praksis with D; A shares Mentor+Bodø with C and X (newest first).
    assert_eq!(s.read("index.html"), "<main>C,B,|X,D,C,A,|D,C,A,|X,C,</main>");
}
