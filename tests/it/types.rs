//! Content types: typed front matter checked against content-types.toml and the places data.

use crate::support::{page, TestSite};

const TYPES: &str = r#"
places = "data/steder.toml"

[types.historie]
sections = ["historier"]
archetype = "historie.md"
strict = true
[types.historie.fields]
description = { kind = "text", help = "one or two sentences" }
"taxonomies.fokusomrade" = { kind = "list", values = ["Mentorprogram", "Kvalitet i praksisstudiene"] }
"taxonomies.kommune" = { kind = "kommune" }
"taxonomies.fylke" = { kind = "fylke" }
"extra.people" = { kind = "list", help = "the people in the story" }
"extra.image" = { kind = "image", alt = "extra.image_alt" }
"extra.image_alt" = { kind = "text" }

[types.erfaring]
sections = ["erfaringer"]
[types.erfaring.fields]
"extra.quote" = { kind = "text" }
"extra.photo" = { kind = "image", required = false, alt = "extra.photo_alt", consent = "extra.photo_consent" }
"extra.photo_alt" = { kind = "text", required = false }
"extra.photo_consent" = { kind = "bool", required = false }

[types.tips]
sections = ["tips"]
[types.tips.fields]
"extra.effort" = { kind = "text", values = ["lav", "middels", "høy"] }
"extra.resources" = { kind = "links", required = false }

[types.nettverk]
templates = ["nettverk.html"]
[types.nettverk.fields]
"extra.gatherings" = { kind = "records", items = { number = "integer", title = "text", when = "text", topics = "list" } }
"#;

const PLACES: &str = r#"
[[fylke]]
number = "50"
name = "Trøndelag"
names = ["Trøndelag", "Trööndelage"]
[[fylke]]
number = "18"
name = "Nordland"
[[kommune]]
number = "5028"
name = "Melhus"
fylke = "Trøndelag"
[[kommune]]
number = "1804"
name = "Bodø"
fylke = "Nordland"
[[fylke]]
number = "55"
name = "Troms"
names = ["Troms", "Romsa", "Tromssa"]
[[kommune]]
number = "5501"
name = "Tromsø"
names = ["Tromsø", "Romsa", "Tromssa"]
fylke = "Troms"
"#;

fn typed_site() -> TestSite {
    TestSite::new()
        .file(
            "site.toml",
            &crate::support::SITE_TOML
                .replace("{ name = \"kommune\" }", "{ name = \"kommune\" }, { name = \"fylke\" }"),
        )
        .file("content-types.toml", TYPES)
        .file("data/steder.toml", PLACES)
        .file("templates/nettverk.html", "<main>{{ page.title }}</main>")
        .file("assets/bilder/a.svg", "<svg xmlns=\"http://www.w3.org/2000/svg\"/>")
        .file("content/historier/_index.md", &page("title = \"Historier\"", ""))
        .file("content/erfaringer/_index.md", &page("title = \"Erfaringer\"", ""))
        .file("content/tips/_index.md", &page("title = \"Tips\"", ""))
}

const GOOD_STORY: &str = r#"title = "Mentorer i Melhus"
description = "Om mentorene."
[taxonomies]
fokusomrade = ["Mentorprogram"]
kommune = ["Melhus"]
fylke = ["Trøndelag"]
[extra]
people = ["Kari, mentor"]
image = "/bilder/a.svg"
image_alt = "En tegning""#;

#[test]
fn valid_typed_pages_build() {
    let s = typed_site()
        .file("content/historier/a.md", &page(GOOD_STORY, "Tekst."))
        .file(
            "content/erfaringer/b.md",
            &page(
                "title = \"B\"\n[extra]\nquote = \"Bra\"\nphoto = \"foto.svg\"\nphoto_alt = \"Kari smiler\"\nphoto_consent = true",
                "",
            ),
        )
        .file("content/erfaringer/foto.svg", "<svg xmlns=\"http://www.w3.org/2000/svg\"/>")
        .file(
            "content/tips/c.md",
            &page("title = \"C\"\n[extra]\neffort = \"lav\"\nresources = [{ title = \"A\", url = \"@/historier/a.md\" }]", ""),
        )
        .file(
            "content/nettverk.md",
            &page(
                "title = \"Nettverk\"\ntemplate = \"nettverk.html\"\n[extra]\ngatherings = [{ number = 1, title = \"Oppstart\", when = \"Vår, år 1\", topics = [\"Prosjektgruppe\"] }]",
                "",
            ),
        );
    s.build();
    assert!(s.read("historier/a/index.html").contains("Mentorer i Melhus"));
}

#[test]
fn every_problem_is_reported_at_its_line_with_what_to_write() {
    let story = r#"title = "Feil"
[taxonomies]
fokusomrade = ["Mentorprogramm"]
kommune = ["Bodo", "Melhus"]
fylke = ["Nordland"]
[extra]
image = "/bilder/mangler.svg"
kommnue = "Bodø""#;
    let s = typed_site()
        .file("content/historier/feil.md", &page(story, ""))
        .file("content/erfaringer/foto.md", &page("title = \"F\"\n[extra]\nquote = \"Bra\"\nphoto = \"/bilder/a.svg\"", ""))
        .file(
            "content/tips/t.md",
            &page("title = \"T\"\n[extra]\neffort = \"litt\"\nresources = [{ title = \"X\", url = \"@/historier/feill.md\" }]", ""),
        )
        .file(
            "content/nettverk.md",
            &page(
                "title = \"N\"\ntemplate = \"nettverk.html\"\n[extra]\ngatherings = [{ number = 1, title = \"Oppstart\", topics = [] }]",
                "",
            ),
        );
    let errors = s.errors();
    let expected = [
        "content/erfaringer/foto.md:5:1: `photo` may only be published with the person's recorded consent: set photo_consent = true once the consent is on file, or remove `photo`",
        "content/erfaringer/foto.md:5:1: `photo` needs alt text: add photo_alt = \"what the image shows\" in [extra], for readers who cannot see it",
        "content/historier/feil.md:1:1: missing `description`, which every page of type `historie` needs: one or two sentences",
        "content/historier/feil.md:4:15: `Mentorprogramm` is not an allowed value of `fokusomrade`; did you mean \"Mentorprogram\"? Write \"Mentorprogram\" or \"Kvalitet i praksisstudiene\"",
        "content/historier/feil.md:5:11: Melhus is in Trøndelag, which the page's fylke does not list: add \"Trøndelag\"",
        "content/historier/feil.md:5:11: `Bodo` is not a Norwegian municipality (the division from 2024); did you mean \"Bodø\"?",
        "content/historier/feil.md:7:1: missing `people` in [extra], which every page of type `historie` needs: the people in the story",
        "content/historier/feil.md:8:1: `image` needs alt text: add image_alt = \"what the image shows\" in [extra], for readers who cannot see it",
        "content/historier/feil.md:8:9: image `/bilder/mangler.svg` not found: the file must be at assets/bilder/mangler.svg (or static/bilder/mangler.svg)",
        "content/historier/feil.md:9:1: unknown key `kommnue` in [extra]; pages of type `historie` may have: image, image_alt, people",
        "content/nettverk.md:5:14: item 1 of `gatherings` is missing `when`",
        "content/nettverk.md:5:14: item 1 of `gatherings`: `topics` must be a non-empty list of texts",
        "content/tips/t.md:4:10: `litt` is not an allowed value of `effort`: write \"lav\", \"middels\" or \"høy\"",
        "content/tips/t.md:5:13: link 1 in `resources` points to content/historier/feill.md, which does not exist; did you mean @/historier/feil.md?",
    ];
    assert_eq!(errors, expected);
}

#[test]
fn consent_false_is_refused_and_types_file_errors_are_located() {
    let s = typed_site().file(
        "content/erfaringer/f.md",
        &page("title = \"F\"\n[extra]\nquote = \"Q\"\nphoto = \"/bilder/a.svg\"\nphoto_alt = \"Et bilde\"\nphoto_consent = false", ""),
    );
    let errors = s.errors();
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert!(errors[0].starts_with("content/erfaringer/f.md:5:1: `photo` may only be published"), "{errors:?}");
    let s = typed_site()
        .file("content-types.toml", "[types.x]\nsections = [\"a\"]\n[types.x.fields]\nb = { kind = \"txet\" }\n");
    let errors = s.errors();
    assert!(errors[0].starts_with("content-types.toml:4:"), "{errors:?}");
}

#[test]
fn places_empty_lists_missing_county_former_counties_and_language_forms() {
    let story = |kommune: &str, fylke: &str| {
        page(&GOOD_STORY.replace("kommune = [\"Melhus\"]", kommune).replace("fylke = [\"Trøndelag\"]", fylke), "")
    };
    let s = typed_site()
        .file("content/historier/tom.md", &story("kommune = []", "fylke = []"))
        .file("content/historier/uten-fylke.md", &story("kommune = [\"Melhus\"]", ""))
        .file("content/historier/viken.md", &story("kommune = [\"Melhus\"]", "fylke = [\"Trøndelag\", \"Viken\"]"))
        // A county's other language form counts as the county.
        .file("content/historier/samisk.md", &story("kommune = [\"Melhus\"]", "fylke = [\"Trööndelage\"]"))
        .file("content/historier/kommune.md", &story("kommune = [\"Bodø kommune\"]", "fylke = [\"Nordland\"]"))
        // A former county next to a municipality: exactly what to write, and said once.
        .file("content/historier/tromso.md", &story("kommune = [\"Tromsø\"]", "fylke = [\"Troms og Finnmark\"]"));
    let errors = s.errors();
    let expected = [
        "content/historier/kommune.md:6:11: `Bodø kommune` is not a Norwegian municipality (the division from 2024); did you mean \"Bodø\"?",
        "content/historier/tom.md:6:11: `kommune` is empty: list at least one",
        "content/historier/tom.md:7:9: `fylke` is empty: list at least one",
        "content/historier/tromso.md:7:9: `Troms og Finnmark` is no longer a county (the county reform of 2024): Tromsø is in Troms, so write fylke = [\"Troms\"]",
        "content/historier/uten-fylke.md:4:1: missing `fylke` in [taxonomies], which every page of type `historie` needs",
        "content/historier/uten-fylke.md:6:11: Melhus is in Trøndelag: add fylke = [\"Trøndelag\"] as well",
        "content/historier/viken.md:7:9: `Viken` is not a Norwegian county (the division from 2024); Viken was split in the county reforms: write the county the municipality is in now, Østfold, Akershus or Buskerud",
    ];
    assert_eq!(errors, expected);
}

/// A site checked against the bundled theme's own content types and places, so that the rules
/// tested here are the ones the Jobbvinner site is held to.
fn theme_typed_site() -> TestSite {
    let theme = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("themes/jobbvinner");
    let read = |rel: &str| std::fs::read_to_string(theme.join(rel)).unwrap();
    let taxonomies = "{ name = \"kommune\" }, { name = \"fylke\" }, { name = \"malgruppe\" }";
    TestSite::new()
        .file("site.toml", &crate::support::SITE_TOML.replace("{ name = \"kommune\" }", taxonomies))
        .file("content-types.toml", &read("content-types.toml"))
        .file("data/kommuner.toml", &read("data/kommuner.toml"))
        .file("assets/bilder/a.svg", "<svg xmlns=\"http://www.w3.org/2000/svg\"/>")
        .file("content/erfaringer/_index.md", &page("title = \"Erfaringer\"", ""))
}

/// A testimonial with what every kind needs, then `taxonomies` and `extra` lines of its own.
fn testimonial(taxonomies: &str, extra: &str) -> String {
    let front = format!(
        "title = \"«Sitat»\"\ndescription = \"Om sitatet.\"\ndate = 2023-06-09\n[taxonomies]\nfokusomrade = [\"Mentorprogram\"]\n{taxonomies}\n[extra]\nquote = \"Et sitat.\"\nrole = \"Deltaker i læringsnettverket\"\n{extra}"
    );
    page(&front, "Tekst.")
}

const PLACE: &str = "kommune = [\"Melhus\"]\nfylke = [\"Trøndelag\"]";
const PERSON: &str = "name = \"Marit\"\nworkplace = \"Melhus kommune\"";

#[test]
fn the_theme_lets_a_real_person_be_quoted_anonymously_when_a_source_is_named() {
    let s = theme_typed_site()
        // Anonymous: no name, workplace, municipality or county, but a source (text or link).
        .file("content/erfaringer/brosjyre.md", &testimonial("", "anonymous = true\nsource = \"Jobbvinners brosjyre\""))
        .file(
            "content/erfaringer/lenke.md",
            &testimonial("", "anonymous = true\nsources = [{ title = \"Sak\", url = \"https://example.no/sak\" }]"),
        )
        // A named real person with the source's address; an invented person needs no source.
        .file(
            "content/erfaringer/navngitt.md",
            &testimonial(
                PLACE,
                &format!("{PERSON}\nsources = [{{ title = \"Sak\", url = \"https://example.no/sak\" }}]"),
            ),
        )
        .file("content/erfaringer/eksempel.md", &testimonial(PLACE, &format!("{PERSON}\nexample = true")))
        // `anonymous = false` is the same as leaving it out.
        .file(
            "content/erfaringer/ikke-anonym.md",
            &testimonial(PLACE, &format!("{PERSON}\nanonymous = false\nexample = true")),
        );
    s.build();
    assert!(s.read("erfaringer/brosjyre/index.html").contains("«Sitat»"));
}

#[test]
fn the_theme_refuses_an_anonymous_quote_without_source_or_with_a_name_and_a_real_one_without_source() {
    let photo = "photo = \"/bilder/a.svg\"\nphoto_alt = \"Marit\"\nphoto_consent = true";
    let s = theme_typed_site()
        .file("content/erfaringer/uten-kilde.md", &testimonial("", "anonymous = true"))
        .file(
            "content/erfaringer/med-navn.md",
            &testimonial(PLACE, &format!("anonymous = true\nsource = \"Brosjyre\"\n{PERSON}\n{photo}\nexample = true")),
        )
        .file("content/erfaringer/navngitt-uten-kilde.md", &testimonial(PLACE, PERSON))
        .file("content/erfaringer/uten-navn.md", &testimonial("", "example = true"));
    let expected = [
        "content/erfaringer/med-navn.md:14:1: `name` cannot be set on a page that sets `anonymous`: remove `name` or `anonymous`",
        "content/erfaringer/med-navn.md:16:1: `photo` cannot be set on a page that sets `anonymous`: remove `photo` or `anonymous`",
        "content/erfaringer/med-navn.md:19:1: `example` cannot be set on a page that sets `anonymous`: remove `example` or `anonymous`",
        "content/erfaringer/navngitt-uten-kilde.md:9:1: missing `source` in [extra], which a page of type `erfaring` needs unless it sets `example` or `sources`: where the quote was published (a real person's words need their source)",
        "content/erfaringer/uten-kilde.md:8:1: missing `source` in [extra], which a page of type `erfaring` needs unless it sets `example` or `sources`: where the quote was published (a real person's words need their source)",
        "content/erfaringer/uten-navn.md:5:1: missing `fylke` in [taxonomies], which a page of type `erfaring` needs unless it sets `anonymous`",
        "content/erfaringer/uten-navn.md:5:1: missing `kommune` in [taxonomies], which a page of type `erfaring` needs unless it sets `anonymous`: the municipality the person works in",
        "content/erfaringer/uten-navn.md:8:1: missing `name` in [extra], which a page of type `erfaring` needs unless it sets `anonymous`: the name of the person quoted",
        "content/erfaringer/uten-navn.md:8:1: missing `workplace` in [extra], which a page of type `erfaring` needs unless it sets `anonymous`: where the person works, e.g. \"Hjemmetjenesten, Melhus kommune\"",
    ];
    assert_eq!(s.errors(), expected);
}

#[test]
fn required_unless_and_excludes_work_for_any_type_and_kind() {
    let types = r#"
[types.sak]
sections = ["saker"]
[types.sak.fields]
"extra.lenke" = { kind = "links", required_unless = ["extra.intern", "extra.utkast"] }
"extra.intern" = { kind = "list", required = false, excludes = "extra.lenke" }
"extra.utkast" = { kind = "bool", required = false }
"#;
    let sak = |extra: &str| page(&format!("title = \"Sak\"\n[extra]\n{extra}"), "");
    let s = TestSite::new()
        .file("content-types.toml", types)
        .file("content/saker/_index.md", &page("title = \"Saker\"", ""))
        // A non-empty list, or true, makes `lenke` optional; an empty list or false does not.
        .file("content/saker/intern.md", &sak("intern = [\"HR\"]"))
        .file("content/saker/utkast.md", &sak("utkast = true"))
        .file("content/saker/tom-liste.md", &sak("intern = []"))
        .file("content/saker/usann.md", &sak("utkast = false"))
        // `excludes` given as one key; an empty `lenke` is not set, so it is not excluded.
        .file(
            "content/saker/begge.md",
            &sak("intern = [\"HR\"]\nlenke = [{ title = \"A\", url = \"https://example.no\" }]"),
        )
        .file("content/saker/tom-lenke.md", &sak("intern = [\"HR\"]\nlenke = []"));
    let expected = [
        "content/saker/begge.md:5:1: `lenke` cannot be set on a page that sets `intern`: remove `lenke` or `intern`",
        "content/saker/tom-liste.md:3:1: missing `lenke` in [extra], which a page of type `sak` needs unless it sets `intern` or `utkast`",
        "content/saker/usann.md:3:1: missing `lenke` in [extra], which a page of type `sak` needs unless it sets `intern` or `utkast`",
    ];
    assert_eq!(s.errors(), expected);
}
