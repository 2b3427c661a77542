//! Template context, functions and filters, and overriding theme templates.

use crate::support::{page, TestSite};

#[test]
fn functions_and_filters() {
    let tpl = r#"<main>
{{ "2023-06-09" | date }}|{{ "2023-06-09" | date(format="%-d.%-m.%Y") }}|{{ "Blåbær på Ørland" | slugify }}
{{ "Se **dette**" | markdown(inline=true) }}
{% set p = get_page(path="tips/a.md") %}{{ p.title }}={{ p.permalink }}
{% set s = get_section(path="tips/_index.md") %}{{ s.title }}:{{ s.pages | length }}
{% set t = get_taxonomy(kind="kommune") %}{% for term in t.terms %}{{ term.name }}/{{ term.pages_count }};{% endfor %}
{{ get_taxonomy_url(kind="kommune", name="Midtre Gauldal") }}
{{ get_url(path="@/tips/a.md#steg") }}
{% set m = get_section(path="mangler/_index.md", required=false) %}{% if m %}finnes{% else %}ingen{% endif %}
{{ config.extra.kontakt }}|{{ current_path }}
</main>"#;
    let s = TestSite::new()
        .file("site.toml", &format!("{}[extra]\nkontakt = \"post@example.no\"\n", crate::support::SITE_TOML))
        .file("templates/index.html", tpl)
        .file("content/_index.md", &page("title = \"Hjem\"", ""))
        .file("content/tips/_index.md", &page("title = \"Tips\"", ""))
        .file(
            "content/tips/a.md",
            &page("title = \"A\"\n[taxonomies]\nkommune = [\"Midtre Gauldal\", \"Ørland\"]", "## Steg"),
        )
        .file("content/tips/b.md", &page("title = \"B\"\n[taxonomies]\nkommune = [\"Midtre Gauldal\"]", ""));
    s.build();
    let lines: Vec<String> = s.read("index.html").lines().map(str::to_string).collect();
    assert_eq!(
        lines[1..lines.len() - 1],
        [
            "9. juni 2023|9.6.2023|blabaer-pa-orland",
            "Se <strong>dette</strong>",
            "A=https://example.no/tips/a/",
            "Tips:2",
            "Midtre Gauldal/2;Ørland/1;",
            "https://example.no/kommune/midtre-gauldal/",
            "https://example.no/tips/a/#steg",
            "ingen",
            "post@example.no|/",
        ]
    );
}

#[test]
fn section_page_template_and_inheritance() {
    let s = TestSite::new()
        .file("templates/base.html", "<html><main>{% block content %}{% endblock %}</main></html>")
        .file("templates/historie.html", "{% extends \"base.html\" %}{% block content %}historie: {{ page.title }} ({{ page.extra.kommune }}){% endblock %}")
        .file("content/historier/_index.md", &page("title = \"Historier\"\npage_template = \"historie.html\"", ""))
        .file("content/historier/a.md", &page("title = \"A\"\n[extra]\nkommune = \"Skaun\"", ""))
        .file("content/historier/b.md", &page("title = \"B\"\ntemplate = \"page.html\"", ""));
    s.build();
    assert_eq!(s.read("historier/a/index.html"), "<html><main>historie: A (Skaun)</main></html>");
    assert!(s.read("historier/b/index.html").starts_with("<main><h1>B</h1>"));
}

#[test]
fn html_is_escaped_unless_marked_safe() {
    let s = TestSite::new().file("content/a.md", &page("title = \"<script>alert(1)</script>\"", ""));
    s.build();
    let html = s.read("a/index.html");
    assert!(html.contains("&lt;script&gt;") && !html.contains("<script>"));
}
