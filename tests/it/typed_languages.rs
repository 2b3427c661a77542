//! Content types across languages: translations (`x.nn.md`, `x.en.md`) are checked by their
//! original's type with the same canonical (bokmål) values, a display name written instead of
//! its value is answered with the value, and help texts come in the language of the messages.

use crate::support::{copy_dir, TestSite};
use std::path::Path;

/// The bundled site (content, theme, assets, site.toml) in a temp folder.
fn bundled() -> TestSite {
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    let s = TestSite::bare();
    for part in ["content", "themes", "assets"] {
        copy_dir(&repo.join(part), &s.root().join(part));
    }
    std::fs::copy(repo.join("site.toml"), s.root().join("site.toml")).unwrap();
    s
}

/// A nynorsk translation of a bokmål tip, with display names and wrong values.
const NN_WRONG: &str = r#"+++
title = "Gi studenten ein fast rettleiar"
description = "Ein fast rettleiar gjer praksisen tryggare for studenten."
date = 2025-03-01

[taxonomies]
fokusomrade = ["Kvalitet i praksisstudia"]
malgruppe = ["Leiarar", "Sjukepleiarar"]
fylke = ["Troms og Finnmark"]

[extra]
steps = []
effort = "stor"
+++

Tekst.
"#;

/// An English translation, in a language that has no tips section of its own (the page is
/// listed under the English home page), with English display names and no steps.
const EN_WRONG: &str = r#"+++
title = "Give the student one supervisor"
description = "One supervisor makes the placement safer for the student."
date = 2025-03-01

[taxonomies]
fokusomrade = ["Kvalitet i praksisstudiene"]
malgruppe = ["Nurses"]

[extra]
effort = "Low"
+++

Text.
"#;

/// The same nynorsk translation written right: canonical values, as on a bokmål page.
const NN_RIGHT: &str = r#"+++
title = "Gi studenten ein fast rettleiar"
description = "Ein fast rettleiar gjer praksisen tryggare for studenten."
date = 2025-03-01

[taxonomies]
fokusomrade = ["Kvalitet i praksisstudiene"]
malgruppe = ["Ledere", "Sykepleiere"]
kommune = ["Tromsø"]
fylke = ["Troms"]

[extra]
steps = ["Avtal med høgskulen kven som er rettleiar før praksisen startar."]
effort = "lav"
+++

Tekst.
"#;

const NN: &str = "content/tips/gi-studenten-en-fast-veileder.nn.md";
const EN: &str = "content/tips/gi-studenten-en-fast-veileder.en.md";
const DRAFT: &str = "content/tips/navn-pa-tipset.md";

/// `check --drafts` in the messages language `lang`: (succeeded, error lines).
fn check(s: &TestSite, lang: &str) -> (bool, Vec<String>) {
    let out = s.cli_in(lang, &["check", "--drafts"]);
    let err = String::from_utf8_lossy(&out.stderr);
    let prefix = if lang == "nb" { "feil: " } else { "error: " };
    let lines = err.lines().filter_map(|l| l.strip_prefix(prefix)).map(str::to_string).collect();
    (out.status.success(), lines)
}

/// The error lines about one file, without the file name: `line:col: message`.
fn about(lines: &[String], file: &str) -> Vec<String> {
    lines.iter().filter_map(|l| l.strip_prefix(file)).filter_map(|l| l.strip_prefix(':')).map(str::to_string).collect()
}

#[test]
fn translations_are_checked_by_their_type_in_bokmal_and_english_with_help_in_the_messages_language() {
    let s = bundled().file(NN, NN_WRONG).file(EN, EN_WRONG);
    // A new tip from the archetype, as a writer starts one (bokmål messages).
    let out = s.cli_in("nb", &["new", "tips/navn-pa-tipset.md"]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));

    let (ok, nb) = check(&s, "nb");
    assert!(!ok);
    let nn_file = "`{v}` er navnet nettstedet viser for «{c}» (i themes/jobbvinner/i18n/nn.toml); toppteksten bruker samme verdi på alle språk, så skriv \"{c}\" i `{k}`";
    let nb_display = |v: &str, c: &str, k: &str, file: &str| {
        nn_file.replace("nn.toml", file).replace("{v}", v).replace("{c}", c).replace("{k}", k)
    };
    assert_eq!(
        about(&nb, NN),
        [
            format!("7:15: {}", nb_display("Kvalitet i praksisstudia", "Kvalitet i praksisstudiene", "fokusomrade", "nn.toml")),
            format!("8:13: {}", nb_display("Leiarar", "Ledere", "malgruppe", "nn.toml")),
            format!("8:13: {}", nb_display("Sjukepleiarar", "Sykepleiere", "malgruppe", "nn.toml")),
            "9:9: `Troms og Finnmark` er ikke et norsk fylke (inndelingen fra 2024); Troms og Finnmark ble delt i fylkesreformene: skriv fylket kommunen ligger i nå, Troms eller Finnmark".to_string(),
            "12:9: `steps` er tom: skriv minst én: stegene, hvert som en kort setning".to_string(),
            "13:10: `stor` er ikke en gyldig verdi for `effort`; du kan velge mellom \"lav\", \"middels\" eller \"høy\"".to_string(),
        ],
        "{nb:#?}"
    );
    assert_eq!(
        about(&nb, EN),
        [
            format!("8:13: {}", nb_display("Nurses", "Sykepleiere", "malgruppe", "en.toml")),
            "10:1: `steps` mangler under [extra], og det må alle sider av typen `tips` ha: stegene, hvert som en kort setning".to_string(),
            format!("11:10: {}", nb_display("Low", "lav", "effort", "en.toml")),
        ],
        "{nb:#?}"
    );
    // The new tip's empty fields, explained in bokmål (positions follow the archetype).
    let draft: Vec<String> =
        about(&nb, DRAFT).iter().map(|l| l.splitn(3, ':').nth(2).unwrap_or("").trim().to_string()).collect();
    for want in [
        "`description` er tom: en kort oppsummering av tipset, én eller to setninger",
        "`fokusomrade` er tom: skriv minst én: fokusområdet (ett eller flere) som tipset hører til",
        "`malgruppe` er tom: skriv minst én: hvem tipset er for",
        "`steps` er tom: skriv minst én: stegene, hvert som en kort setning",
        "`effort` er tom: hvor mye arbeid tipset krever",
    ] {
        assert!(draft.iter().any(|l| l == want), "no «{want}» in {draft:#?}");
    }
    // No English help inside a bokmål message.
    for english in ["summary of the tip", "who the tip is for", "the steps", "how much work", "focus area"] {
        assert!(!nb.iter().any(|l| l.contains(english)), "English «{english}» in {nb:#?}");
    }

    let (ok, en) = check(&s, "en");
    assert!(!ok);
    let en_display = |v: &str, c: &str, k: &str, file: &str| {
        format!("`{v}` is how the site shows \"{c}\" (in themes/jobbvinner/i18n/{file}); front matter uses the same value in every language, so write \"{c}\" in `{k}`")
    };
    assert_eq!(
        about(&en, NN),
        [
            format!("7:15: {}", en_display("Kvalitet i praksisstudia", "Kvalitet i praksisstudiene", "fokusomrade", "nn.toml")),
            format!("8:13: {}", en_display("Leiarar", "Ledere", "malgruppe", "nn.toml")),
            format!("8:13: {}", en_display("Sjukepleiarar", "Sykepleiere", "malgruppe", "nn.toml")),
            "9:9: `Troms og Finnmark` is not a Norwegian county (the division from 2024); Troms og Finnmark was split in the county reforms: write the county the municipality is in now, Troms or Finnmark".to_string(),
            "12:9: `steps` is empty: list at least one: the steps, each a short sentence".to_string(),
            "13:10: `stor` is not an allowed value of `effort`: write \"lav\", \"middels\" or \"høy\"".to_string(),
        ],
        "{en:#?}"
    );
    assert_eq!(
        about(&en, EN),
        [
            format!("8:13: {}", en_display("Nurses", "Sykepleiere", "malgruppe", "en.toml")),
            "10:1: missing `steps` in [extra], which every page of type `tips` needs: the steps, each a short sentence"
                .to_string(),
            format!("11:10: {}", en_display("Low", "lav", "effort", "en.toml")),
        ],
        "{en:#?}"
    );
    let draft: Vec<String> =
        about(&en, DRAFT).iter().map(|l| l.splitn(3, ':').nth(2).unwrap_or("").trim().to_string()).collect();
    for want in [
        "`description` is empty: a short summary of the tip, one or two sentences",
        "`malgruppe` is empty: list at least one: who the tip is for",
        "`steps` is empty: list at least one: the steps, each a short sentence",
    ] {
        assert!(draft.iter().any(|l| l == want), "no «{want}» in {draft:#?}");
    }
    for norwegian in ["oppsummering", "hvem tipset", "stegene", "fokusområdet"] {
        assert!(!en.iter().any(|l| l.contains(norwegian)), "bokmål «{norwegian}» in {en:#?}");
    }
}

#[test]
fn a_translation_with_the_canonical_values_builds_and_shows_them_by_their_display_names() {
    let s = bundled().file(NN, NN_RIGHT);
    let out = s.cli_in("nb", &["build"]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(!err.contains(NN), "{err}");
    let html = s.read("nn/tips/gi-studenten-en-fast-veileder/index.html");
    assert!(html.contains("Leiarar") && html.contains("Låg"), "the nynorsk display names:\n{html}");
    // No new taxonomy terms from the translation: the nynorsk term pages are the bokmål terms'.
    assert!(s.exists("nn/malgruppe/ledere/index.html") && !s.exists("nn/malgruppe/leiarar/index.html"));
}
