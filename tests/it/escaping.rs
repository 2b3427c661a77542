//! Nothing a writer types breaks out of an attribute in the bundled theme: a resources URL,
//! a bundle image's file name and a title full of quotes and angle brackets come out as
//! attribute values, not as new attributes or elements. (Raw HTML in markdown, steps
//! included, is the sanitiser's business.)

use crate::support::copy_dir;
use jobbvinner::build::{build, BuildOptions, Target};
use jobbvinner::output::audit::scan;
use std::path::Path;

const PAYLOAD: &str = "\\\"onmouseover=\\\"alert(1)\\\"><script>alert(2)</script>";

#[test]
fn hostile_urls_and_file_names_stay_inside_their_attributes() {
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    let tmp = tempfile::tempdir().unwrap();
    for part in ["content", "themes", "assets"] {
        copy_dir(&repo.join(part), &tmp.path().join(part));
    }
    std::fs::copy(repo.join("site.toml"), tmp.path().join("site.toml")).unwrap();
    let tip = format!(
        "+++\ntitle = \"Tittel {PAYLOAD}\"\ndescription = \"Beskrivelse {PAYLOAD}\"\ndate = 2024-01-01\n\n[taxonomies]\nfokusomrade = [\"Mentorprogram\"]\nmalgruppe = [\"Ledere\"]\n\n[extra]\nsteps = [\"Steg en.\"]\neffort = \"lav\"\nresources = [{{ title = \"Ressurs\", url = \"https://example.no/{PAYLOAD}\" }}]\n+++\n\nTekst.\n"
    );
    std::fs::write(tmp.path().join("content/tips/fiendtlig.md"), tip).unwrap();
    let bundle = tmp.path().join("content/historier/fiendtlig");
    std::fs::create_dir_all(&bundle).unwrap();
    let image = "bilde\"onerror=\"alert(3).svg";
    std::fs::write(bundle.join(image), "<svg xmlns=\"http://www.w3.org/2000/svg\"/>").unwrap();
    std::fs::write(
        bundle.join("index.md"),
        "+++\ntitle = \"Fiendtlig\"\ndescription = \"Test.\"\ndate = 2024-01-01\n\n[taxonomies]\nfokusomrade = [\"Mentorprogram\"]\nfylke = [\"Agder\"]\nkommune = [\"Kristiansand\"]\n\n[extra]\npeople = [\"A, B\"]\nimage = \"bilde\\\"onerror=\\\"alert(3).svg\"\nimage_alt = \"Et bilde\"\n+++\n\nTekst.\n",
    )
    .unwrap();
    let public = tmp.path().join("public");
    build(&BuildOptions::new(tmp.path()), Target::Disk(public.clone())).unwrap_or_else(|d| panic!("{d}"));
    let mut checked = 0;
    for entry in walkdir::WalkDir::new(&public).into_iter().filter_map(Result::ok) {
        if entry.path().extension().is_none_or(|e| e != "html") {
            continue;
        }
        let html = std::fs::read_to_string(entry.path()).unwrap();
        if !html.contains("alert(") {
            continue;
        }
        checked += 1;
        let page = scan(&html);
        let shown = entry.path().display();
        assert!(!html.contains("<script>alert"), "{shown}: a script element got through");
        assert!(
            !html.contains(" onmouseover=") && !html.contains(" onerror="),
            "{shown}: an event handler got through"
        );
        assert!(page.references.iter().all(|r| !r.url.starts_with("javascript:")), "{shown}");
    }
    assert!(checked >= 3, "the payload should show on the tip, the story and listings ({checked} pages)");
    let story = std::fs::read_to_string(public.join("historier/fiendtlig/index.html")).unwrap();
    assert!(story.contains("bilde&quot;onerror=&quot;alert(3).svg"), "the file name is escaped, not dropped");
}
