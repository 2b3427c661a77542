//! Sharing and search-engine metadata on every page of the bundled site: canonical URL, Open
//! Graph (title, description, url, type, locale, an absolute raster image with its size and
//! alt), twitter:card, and JSON-LD whose required properties are present; plain share links
//! with no third-party script.

use crate::support::{bundled_public, html_pages};

/// The `content` of `<meta property|name="key" content="…">`, if present.
fn meta<'a>(html: &'a str, key: &str) -> Option<&'a str> {
    let at = html.find(&format!("=\"{key}\" content=\""))?;
    let rest = &html[at + key.len() + 13..];
    Some(&rest[..rest.find('"')?])
}

/// Every JSON-LD block of a page, parsed.
fn json_ld(html: &str) -> Vec<serde_json::Value> {
    html.split("<script type=\"application/ld+json\">")
        .skip(1)
        .map(|s| serde_json::from_str(&s[..s.find("</script>").unwrap()]).expect("JSON-LD parses"))
        .collect()
}

fn text(v: &serde_json::Value, key: &str) -> String {
    v[key].as_str().unwrap_or_else(|| panic!("`{key}` missing in {v}")).to_string()
}

#[test]
fn every_page_carries_sharing_metadata_and_structured_data() {
    let public = bundled_public();
    let pages = html_pages(public);
    assert!(pages.len() > 300, "{}", pages.len());
    let (mut articles, mut sites) = (0, 0);
    for (rel, html) in &pages {
        let canonical = html.split("<link rel=\"canonical\" href=\"").nth(1).map(|s| &s[..s.find('"').unwrap()]);
        let canonical = canonical.unwrap_or_else(|| panic!("{rel}: no canonical"));
        assert!(canonical.starts_with("https://jobbvinner.no/"), "{rel}: {canonical}");
        assert_eq!(meta(html, "og:url"), Some(canonical), "{rel}");
        for key in ["og:title", "og:description", "og:type", "og:locale", "og:site_name", "twitter:card"] {
            assert!(meta(html, key).is_some_and(|v| !v.trim().is_empty()), "{rel}: no {key}");
        }
        let image = meta(html, "og:image").unwrap_or_else(|| panic!("{rel}: no og:image"));
        let file =
            image.strip_prefix("https://jobbvinner.no/").unwrap_or_else(|| panic!("{rel}: {image} is not absolute"));
        assert!(!file.ends_with(".svg"), "{rel}: og:image must be a raster image");
        assert!(public.join(file.split('?').next().unwrap()).is_file(), "{rel}: {image} is not published");
        if file == "deling.png" {
            assert_eq!((meta(html, "og:image:width"), meta(html, "og:image:height")), (Some("1200"), Some("630")));
            assert!(meta(html, "og:image:alt").is_some_and(|a| a.len() > 20), "{rel}");
        }
        let lds = json_ld(html);
        assert!(!lds.is_empty(), "{rel}: no JSON-LD");
        for ld in &lds {
            assert_eq!(ld["@context"], "https://schema.org", "{rel}");
            match ld["@type"].as_str() {
                Some("Article") => {
                    articles += 1;
                    assert_eq!(meta(html, "og:type"), Some("article"), "{rel}");
                    for key in ["headline", "datePublished", "dateModified", "url", "image", "inLanguage"] {
                        assert!(!text(ld, key).is_empty(), "{rel}: {key}");
                    }
                    assert_eq!(text(ld, "url"), canonical, "{rel}");
                    assert!(text(ld, "datePublished").len() == 10 && text(ld, "headline").len() < 200, "{rel}");
                    for who in ["author", "publisher"] {
                        assert_eq!(ld[who]["@type"], "Organization", "{rel}: {who}");
                        assert!(!text(&ld[who], "name").is_empty());
                    }
                }
                Some("WebSite") => {
                    sites += 1;
                    assert!(!text(ld, "name").is_empty() && !text(&ld["publisher"], "name").is_empty(), "{rel}");
                }
                Some("WebPage") | Some("Organization") => assert!(!text(ld, "name").is_empty(), "{rel}"),
                other => panic!("{rel}: unexpected @type {other:?}"),
            }
        }
    }
    assert!(articles > 50, "{articles} articles");
    assert_eq!(sites, 3, "a WebSite on each language's home page");
    let home = std::fs::read_to_string(public.join("index.html")).unwrap();
    assert!(json_ld(&home).iter().any(|v| v["@type"] == "Organization" && v["parentOrganization"]["name"] == "KS"));
}

#[test]
fn share_links_are_plain_links_with_the_page_address() {
    let html = std::fs::read_to_string(bundled_public().join("tips/studenter-i-par/index.html")).unwrap();
    // `/` may stay as it is in a query value (RFC 3986); `:` is encoded.
    let url = "https%3A//jobbvinner.no/tips/studenter-i-par/";
    for link in [
        format!("href=\"https://www.facebook.com/sharer/sharer.php?u={url}\""),
        format!("href=\"https://www.linkedin.com/sharing/share-offsite/?url={url}\""),
        format!("&amp;body={url}\""),
    ] {
        assert!(html.contains(&link), "{link}");
    }
    assert!(
        html.contains("data-copy-link=\"https://jobbvinner.no/tips/studenter-i-par/\"")
            && html.contains(" hidden>Kopier lenken</button>")
    );
    // No script or frame from another host on any page.
    for (rel, html) in html_pages(bundled_public()) {
        for tag in ["<script src=\"http", "<iframe src=\"http", "<img src=\"http"] {
            for (at, _) in html.match_indices(tag) {
                assert!(html[at..].starts_with(&format!("{tag}s://jobbvinner.no/")), "{rel}: {}", &html[at..at + 80]);
            }
        }
    }
}
