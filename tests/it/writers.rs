//! What a Norwegian writer meets: messages in bokmål by default (English on request), every
//! problem of a file at once, links pasted from the browser checked and rewritten, and
//! components called in the text the way Zola 0.23 calls them.

use crate::support::{copy_dir, page, TestSite};
use jobbvinner::build::{build, Target};
use jobbvinner::output::Memory;
use std::path::Path;

const COMPONENTS: &str = r#"{% component boks(tittel: string, apen: bool = false) -%}
<div class="boks{% if apen %} apen{% endif %}"><p>{{ tittel }}</p>{% if body %}{{ body }}{% endif %}</div>
{%- endcomponent boks %}
{% component merke(tekst: string, antall: integer = 1) -%}
<span class="merke">{{ tekst }}×{{ antall }}</span>
{%- endcomponent merke %}"#;

fn with_components(body: &str) -> TestSite {
    TestSite::new()
        .file("templates/components/boks.html", COMPONENTS)
        .file("content/_index.md", "+++\n+++\n")
        .file("content/a.md", &page("title = \"A\"", body))
}

/// Renders into memory; returns page `rel`'s HTML.
fn render(site: &TestSite, rel: &str) -> String {
    let out = Memory::default();
    build(&site.options(), Target::Sink(&out)).unwrap_or_else(|d| panic!("{d}"));
    let files = out.take();
    String::from_utf8(files.get(rel).unwrap_or_else(|| panic!("no {rel}")).to_vec()).unwrap()
}

#[test]
fn components_inline_with_a_body_in_both_syntaxes_and_raw_text() {
    let s = with_components(
        "Før {{ <merke tekst=\"ny\" antall={3} /> }} etter.\n\n\
         {% <boks tittel=\"Fakta <og> tall\" apen={true}> %}\n- **7** samlinger\n- se [B](@/b.md)\n{% </boks> %}\n\
         Rett under.\n\n\
         {{ merke(tekst=\"gammel\", antall=2) }}\n\n\
         {% boks(tittel=\"Zola 0.22\") %}Med *tekst*{% end %}\n\n\
         ```\n{% raw %}{{ page.title }} og {% if x %}{% endraw %}\n```\n",
    )
    .file("content/b.md", &page("title = \"B\"", ""));
    let html = render(&s, "a/index.html");
    assert!(html.contains("<p>Før <span class=\"merke\">ny×3</span> etter.</p>"), "{html}");
    // A call alone on its lines replaces its paragraph; the body is markdown with links.
    assert!(html.contains("<div class=\"boks apen\"><p>Fakta &lt;og&gt; tall</p><ul>\n<li><strong>7</strong> samlinger</li>\n<li>se <a href=\"https://example.no/b/\">B</a></li>\n</ul>\n</div>\n<p>Rett under.</p>"), "{html}");
    assert!(html.contains("<span class=\"merke\">gammel×2</span>"), "{html}");
    assert!(html.contains("<div class=\"boks\"><p>Zola 0.22</p><p>Med <em>tekst</em></p>\n</div>"), "{html}");
    assert!(html.contains("<code>{{ page.title }} og {% if x %}\n</code>"), "{html}");
    assert!(!html.contains('\u{E000}'), "no placeholder left: {html}");
}

#[test]
fn wrong_calls_are_reported_at_their_lines_in_the_writers_words() {
    let s = with_components(
        "Tekst.\n\n{{ <boxs tittel=\"x\" /> }}\n\n{{ <boks titel=\"x\" /> }}\n\n{{ <merke tekst=\"x\" antall=\"tre\" /> }}\n\n\
         {{ <boks /> }}\n\nSe {{ page.title }} her.\n\n{% <boks tittel=\"x\"> %}\naldri lukket\n",
    );
    let e = s.errors();
    let expected = [
        "content/a.md:6:1: there is no component `boxs`; did you mean `boks`? The components are: boks and merke",
        "content/a.md:8:1: the component `boks` has no argument `titel`; did you mean `tittel`? Its arguments are: apen and tittel",
        "content/a.md:10:1: the argument `antall` of `merke` must be a whole number in braces, e.g. antall={3}",
        "content/a.md:12:1: the component `boks` needs the argument `tittel`: text in quotes, e.g. tittel=\"...\"",
        "content/a.md:14:4: `{{ page.title }}` is template syntax, which texts only use to call components",
        "content/a.md:16:1: `boks` is opened with {% <boks> %} but never closed: end it with {% </boks> %}",
    ];
    assert_eq!(e.len(), expected.len(), "{e:#?}");
    for (got, want) in e.iter().zip(expected) {
        assert!(got.starts_with(want), "\n got: {got}\nwant: {want}");
    }
}

#[test]
fn pasted_links_are_checked_and_published_under_the_base_url() {
    let s = TestSite::new()
        .file("site.toml", &crate::support::SITE_TOML.replace("https://example.no", "https://example.no/jobbvinner"))
        .file("content/tips/_index.md", &page("title = \"Tips\"", ""))
        .file("content/tips/lange-navn.md", &page("title = \"Lange navn\"", ""))
        .file(
            "content/a.md",
            &page(
                "title = \"A\"",
                "[1](/tips/lange-navn/) [2](https://example.no/jobbvinner/tips/lange-navn/#x) \
                 [3](https://www.example.no/jobbvinner/tips/) [4](https://ks.no/tips/) [5](/jobbvinner/tips/lange-navn/)",
            ),
        );
    let html = render(&s, "a/index.html");
    for (n, href) in [
        (1, "https://example.no/jobbvinner/tips/lange-navn/"),
        (2, "https://example.no/jobbvinner/tips/lange-navn/#x"),
        (3, "https://example.no/jobbvinner/tips/"),
        (4, "https://ks.no/tips/"),
        (5, "https://example.no/jobbvinner/tips/lange-navn/"),
    ] {
        assert!(html.contains(&format!("<a href=\"{href}\">{n}</a>")), "{n}: {html}");
    }
    let broken = s.file(
        "content/b.md",
        &page("title = \"B\"", "Se [her](/tips/lange-nav/)\nog [der](https://example.no/jobbvinner/finnes/ikke/)."),
    );
    let e = broken.errors();
    assert_eq!(
        e,
        [
            "content/b.md:4:4: link to /tips/lange-nav/, which is not an address on this site; did you mean /tips/lange-navn/? Better still, write @/tips/lange-navn.md: that link keeps working if the address changes",
            "content/b.md:5:4: link to https://example.no/jobbvinner/finnes/ikke/, which is not an address on this site",
        ]
    );
}

/// The bundled site with one more file, checked with the real binary.
fn bundled_with(rel: &str, text: &str) -> tempfile::TempDir {
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    let tmp = tempfile::tempdir().unwrap();
    for part in ["content", "themes", "assets"] {
        copy_dir(&repo.join(part), &tmp.path().join(part));
    }
    std::fs::copy(repo.join("site.toml"), tmp.path().join("site.toml")).unwrap();
    std::fs::write(tmp.path().join(rel), text).unwrap();
    tmp
}

fn check(root: &Path, lang: Option<&str>) -> (bool, String) {
    let mut cmd = std::process::Command::new(env!("CARGO_BIN_EXE_jobbvinner"));
    cmd.env_remove("JOBBVINNER_MESSAGES").arg("--root").arg(root).arg("check");
    if let Some(l) = lang {
        cmd.args(["--messages", l]);
    }
    let out = cmd.output().unwrap();
    (out.status.success(), String::from_utf8_lossy(&out.stderr).into_owned())
}

const BROKEN_TIP: &str = r#"+++
title = ""
description = "Prøv dette"
date = "9. juni 2023"
draft = "nei"

[taxonomies]
fokusomrade = ["Mentorprogram"]
malgruppe = ["Veiledere"]
kommune = ["Tromsø"]
fylke = ["Troms og Finnmark"]

[extra]
steps = ["Gjør noe"]
effort = "stor"
resources = [{ title = "Finnes ikke", url = "@/tips/finnes-ikke.md" }]
+++

Se [denne siden](/tips/finnes-ikke/) og {{ <faktaboks tittle="x" /> }}.
"#;

#[test]
fn a_writers_broken_file_gets_every_problem_at_once_in_bokmal() {
    let site = bundled_with("content/tips/brutt.md", BROKEN_TIP);
    let (ok, err) = check(site.path(), None);
    assert!(!ok);
    let expected = [
        "feil: content/tips/brutt.md:2:9: tittelen mangler: legg til en linje som title = \"Slik fikk vi flere søkere\" i toppteksten",
        "feil: content/tips/brutt.md:4:8: `9. juni 2023` er ikke en dato: skriv date = 2023-06-09 (år-måned-dag, uten anførselstegn)",
        "feil: content/tips/brutt.md:5:9: `draft` må være true eller false, uten anførselstegn (her står det \"nei\")",
        "feil: content/tips/brutt.md:9:13: `Veiledere` er ikke en gyldig verdi for `malgruppe`; mente du «Ledere»? Du kan velge mellom \"Sykepleiere\", \"Helsefagarbeidere\", \"Ledere\", \"Studenter\", \"Elever\", \"Lærlinger\", \"Mentorer\" eller \"Tillitsvalgte\"",
        "feil: content/tips/brutt.md:11:9: `Troms og Finnmark` er ikke et fylke lenger (fylkesreformen i 2024): Tromsø ligger i Troms, så skriv fylke = [\"Troms\"]",
        "feil: content/tips/brutt.md:15:10: `stor` er ikke en gyldig verdi for `effort`; du kan velge mellom \"lav\", \"middels\" eller \"høy\"",
        "feil: content/tips/brutt.md:16:13: lenke 1 i `resources` går til content/tips/finnes-ikke.md, som ikke finnes",
        "feil: content/tips/brutt.md:19:4: lenken går til /tips/finnes-ikke/, som ikke er en adresse på dette nettstedet; den nærmeste siden som finnes, er /tips/",
        "feil: content/tips/brutt.md:19:41: komponenten `faktaboks` har ikke argumentet `tittle`; mente du `tittel`? Argumentene er: tekst og tittel",
        "9 feil; ingenting ble skrevet",
    ];
    let lines: Vec<&str> = err.lines().collect();
    assert_eq!(lines.len(), expected.len(), "{err}");
    for (got, want) in lines.iter().zip(expected) {
        assert!(got.starts_with(want), "\n got: {got}\nwant: {want}");
    }
    // The same problems in English when asked, whatever the page's language.
    let (_, en) = check(site.path(), Some("en"));
    assert!(en.contains("content/tips/brutt.md:4:8: `9. juni 2023` is not a date: write date = 2023-06-09"), "{en}");
    assert!(en.ends_with("9 errors; nothing was written\n"), "{en}");
}

#[test]
fn the_command_line_speaks_bokmal_unless_asked_for_english() {
    let run = |args: &[&str], env: Option<&str>| {
        let mut cmd = std::process::Command::new(env!("CARGO_BIN_EXE_jobbvinner"));
        cmd.env_remove("JOBBVINNER_MESSAGES").args(args);
        if let Some(l) = env {
            cmd.env("JOBBVINNER_MESSAGES", l);
        }
        let out = cmd.output().unwrap();
        (String::from_utf8_lossy(&out.stdout).into_owned(), String::from_utf8_lossy(&out.stderr).into_owned())
    };
    let (help, _) = run(&["--help"], None);
    assert!(help.contains("Bruk: jobbvinner [VALG] <KOMMANDO>") && help.contains("Bygg nettstedet"), "{help}");
    let (help, _) = run(&["build", "--help"], Some("en"));
    assert!(help.contains("Usage: jobbvinner build [OPTIONS]") && help.contains("[default: public]"), "{help}");
    let (_, err) = run(&["sevre"], None);
    assert!(err.contains("feil: ukjent kommando `sevre`; mente du `serve`?"), "{err}");
    let (_, err) = run(&["--messages", "en", "sevre"], Some("nb"));
    assert!(err.contains("error: unknown command `sevre`; did you mean `serve`?"), "{err}");
    let s = TestSite::new().file("content/a.md", &page("title = \"A\"", ""));
    let out = s.cli_in("nb", &["build"]);
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.starts_with("Bygde 1 sider, 1 seksjoner"), "{text}");
}
