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
