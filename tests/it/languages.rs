//! Bokmål, nynorsk and English side by side: the bundled site's translations link both ways,
//! carry hreflang alternates and a switcher, speak their own interface and dates, show terms
//! by their names in each language, fall back (nynorsk) or not (English) as site.toml says,
//! and never publish a translation file as a page of the default language. A small site shows
//! the link warning and the rules for translation files.

use crate::support::{page, TestSite};
use std::collections::BTreeSet;
use std::path::Path;

fn bundled() -> &'static Path {
    crate::support::bundled_public()
}

fn read(rel: &str) -> String {
    std::fs::read_to_string(bundled().join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
}

/// The `href` of the switcher's link in language `lang` (and whether it says «home page»).
fn switch_target(html: &str, lang: &str) -> (String, bool) {
    let nav = &html[html.find("class=\"lang-switch\"").expect("a language switcher")..];
    let nav = &nav[..nav.find("</nav>").unwrap()];
    let li = nav
        .split("<li>")
        .find(|li| li.contains(&format!("hreflang=\"{lang}\"")))
        .unwrap_or_else(|| panic!("no {lang} link in {nav}"));
    let href = li.split("href=\"").nth(1).unwrap().split('"').next().unwrap().to_string();
    (href, li.contains("lang-switch__home"))
}

const SITE: &str = "https://jobbvinner.no";

#[test]
fn translations_link_both_ways_with_hreflang_and_the_switcher() {
    let nb = read("tips/studenter-i-par/index.html");
    let nn = read("nn/tips/studentar-i-par/index.html");
    assert!(nb.contains("<html lang=\"nb\">") && nn.contains("<html lang=\"nn\">"));
    for html in [&nb, &nn] {
        assert!(
            html.contains(&format!("<link rel=\"alternate\" hreflang=\"nb\" href=\"{SITE}/tips/studenter-i-par/\">"))
        );
        assert!(html
            .contains(&format!("<link rel=\"alternate\" hreflang=\"nn\" href=\"{SITE}/nn/tips/studentar-i-par/\">")));
        assert!(html.contains(&format!(
            "<link rel=\"alternate\" hreflang=\"x-default\" href=\"{SITE}/tips/studenter-i-par/\">"
        )));
        assert!(!html.contains("hreflang=\"en\" href=\"https://jobbvinner.no/en/tips"), "no English version exists");
    }
    assert_eq!(switch_target(&nb, "nn"), (format!("{SITE}/nn/tips/studentar-i-par/"), false));
    assert_eq!(switch_target(&nn, "nb"), (format!("{SITE}/tips/studenter-i-par/"), false));
    // No English tip: the switcher leads to the English home page and says so, in English.
    assert_eq!(switch_target(&nn, "en"), (format!("{SITE}/en/"), true));
    assert!(nn.contains("English<span class=\"lang-switch__home\"> (home page)</span>"));
    let about = read("en/about/index.html");
    assert_eq!(switch_target(&about, "nb"), (format!("{SITE}/om-jobbvinner/"), false));
    assert_eq!(switch_target(&about, "nn"), (format!("{SITE}/nn/om-jobbvinner/"), false));
    // Every page has the switcher and a right <html lang>.
    for (rel, lang) in [("index.html", "nb"), ("nn/index.html", "nn"), ("en/index.html", "en"), ("404.html", "nb")] {
        let html = read(rel);
        assert!(html.contains(&format!("<html lang=\"{lang}\">")) && html.contains("class=\"lang-switch\""), "{rel}");
    }
}

#[test]
fn each_language_speaks_its_own_interface_and_dates() {
    let skip = |rel: &str| {
        read(rel)
            .split("class=\"skip-link\" href=\"#hovedinnhold\">")
            .nth(1)
            .unwrap()
            .split('<')
            .next()
            .unwrap()
            .to_string()
    };
    assert_eq!(skip("index.html"), "Hopp til hovedinnhold");
    assert_eq!(skip("nn/index.html"), "Hopp til hovudinnhaldet");
    assert_eq!(skip("en/index.html"), "Skip to main content");
    assert!(read("nn/tips/studentar-i-par/index.html").contains("<time datetime=\"2025-02-04\">4. februar 2025</time>"));
    assert!(read("en/nurses-from-abroad/index.html").contains("<time datetime=\"2026-12-02\">2 December 2026</time>"));
    assert!(read("en/index.html").contains("<meta property=\"og:locale\" content=\"en_GB\">"));
    assert!(read("nn/index.html").contains("<meta property=\"og:locale\" content=\"nn_NO\">"));
}

#[test]
fn terms_keep_their_key_and_show_their_name_in_each_language() {
    // A nynorsk tip writes malgruppe = ["Ledere"]; the term page is under the key's slug and
    // is called «Leiarar».
    let nn = read("nn/malgruppe/ledere/index.html");
    assert!(nn.contains("Leiarar") || nn.contains("Lei\u{AD}arar"), "{}", crate::support::main_of(&nn));
    assert!(!crate::support::main_of(&nn).contains(">Ledere<"));
    let nb = read("malgruppe/ledere/index.html");
    assert!(crate::support::main_of(&nb).contains("Ledere"));
    // Filter pages of the nynorsk tips archive: under /nn/tips/, named in nynorsk.
    let filter = read("nn/tips/malgruppe/sykepleiere/index.html");
    assert!(
        filter.contains("sjukepleiarar") || filter.contains("Sjukepleiarar"),
        "{}",
        crate::support::main_of(&filter)
    );
    assert!(!bundled().join("nn/tips/nn").exists(), "the language code appears twice in filter paths");
}

#[test]
fn nynorsk_falls_back_to_bokmal_pages_marked_and_english_does_not() {
    let nn = read("nn/tips/index.html");
    let main = crate::support::main_of(&nn);
    // An untranslated tip is listed with lang="nb", a tag, and its bokmål address.
    assert!(main.contains("<article class=\"card\" lang=\"nb\">"), "{main}");
    let card = &main[main.find("<article class=\"card\" lang=\"nb\">").unwrap()..];
    let href = card.split("href=\"").nth(1).unwrap().split('"').next().unwrap();
    let slug = href.strip_prefix(&format!("{SITE}/tips/")).unwrap_or_else(|| panic!("{href} is not a bokmål tip"));
    assert!(bundled().join(format!("tips/{slug}index.html")).exists(), "{href}");
    assert!(!bundled().join(format!("nn/tips/{slug}")).exists(), "no copy under /nn/");
    assert!(card[..card.find("</article>").unwrap()].contains("På bokmål"));
    // English has no fallback: no bokmål listings on its home page, no empty taxonomy pages.
    let en = crate::support::main_of(&read("en/index.html")).to_string();
    assert!(!en.contains("lang=\"nb\"") && !en.contains("/historier/") && !en.contains("/tips/"), "{en}");
    assert!(!bundled().join("en/malgruppe").exists() && !bundled().join("en/tips").exists());
}

#[test]
fn translation_files_are_never_pages_of_the_default_language() {
    let mut dirs = BTreeSet::new();
    for e in walkdir::WalkDir::new(bundled()).into_iter().filter_map(Result::ok) {
        let name = e.file_name().to_string_lossy().to_string();
        if e.file_type().is_dir()
            && (name.ends_with("-nn") || name.ends_with("-en") || name.ends_with(".nn") || name.ends_with(".en"))
        {
            dirs.insert(e.path().display().to_string());
        }
    }
    assert!(dirs.is_empty(), "{dirs:?}");
    assert!(bundled().join("nn/om-jobbvinner/index.html").exists() && !bundled().join("om-jobbvinner-nn").exists());
}

#[test]
fn the_theme_has_every_interface_text_in_every_language() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("themes/jobbvinner/i18n");
    fn keys(t: &toml::Table, prefix: &str, out: &mut BTreeSet<String>) {
        for (k, v) in t {
            let key = format!("{prefix}{k}");
            match v {
                // Display names of terms are per language by nature (bokmål shows the keys).
                toml::Value::Table(_) if key == "terms" => {}
                toml::Value::Table(inner) => keys(inner, &format!("{key}."), out),
                _ => {
                    out.insert(key);
                }
            }
        }
    }
    let of = |lang: &str| {
        let text = std::fs::read_to_string(dir.join(format!("{lang}.toml"))).unwrap();
        let mut out = BTreeSet::new();
        keys(&text.parse::<toml::Table>().unwrap(), "", &mut out);
        out
    };
    let nb = of("nb");
    for lang in ["nn", "en"] {
        let other = of(lang);
        let missing: Vec<_> = nb.difference(&other).collect();
        let extra: Vec<_> = other.difference(&nb).collect();
        assert!(missing.is_empty() && extra.is_empty(), "{lang}.toml: missing {missing:?}, extra {extra:?}");
    }
}

const LANGS: &str =
    "\n[languages.nn]\ntitle = \"Testside\"\nfallback = true\n\n[languages.en]\ntitle = \"Test site\"\n";

#[test]
fn a_translation_linking_to_the_bokmal_page_is_told_of_its_own() {
    let s = TestSite::new()
        .file("site.toml", &format!("{}{LANGS}", crate::support::SITE_TOML))
        .file("content/a.md", &page("title = \"A\"", "Tekst."))
        .file("content/a.nn.md", &page("title = \"A på nynorsk\"", "Tekst."))
        .file("content/b.nn.md", &page("title = \"B\"", "Sjå [A](@/a.md) og [A på nynorsk](@/a.nn.md)."));
    let report = s.build();
    let warnings: Vec<String> = report.warnings.0.iter().map(ToString::to_string).collect();
    assert_eq!(warnings.len(), 1, "{warnings:#?}");
    assert!(warnings[0].starts_with("content/b.nn.md:4:") && warnings[0].contains("@/a.nn.md"), "{warnings:#?}");
    assert!(s.read("nn/b/index.html").contains("href=\"https://example.no/nn/a/\""));
    assert!(s.exists("nn/a/index.html") && s.exists("a/index.html") && !s.exists("a-nn/index.html"));
}

#[test]
fn a_translation_into_a_language_the_site_lacks_is_an_error() {
    let s = TestSite::new()
        .file("site.toml", &format!("{}{LANGS}", crate::support::SITE_TOML))
        .file("content/a.md", &page("title = \"A\"", "Tekst."))
        .file("content/a.de.md", &page("title = \"A auf Deutsch\"", "Text."));
    let errors = s.errors();
    assert!(errors.iter().any(|e| e.starts_with("content/a.de.md") && e.contains("de")), "{errors:#?}");
}
