//! Incremental rebuilds (`serve`): after every scripted edit, creation, rename and deletion,
//! the in-memory output must equal a clean full build of the same files, path for path and
//! byte for byte.

use crate::support::{copy_dir, page};
use jobbvinner::build::{build, BuildOptions, Target};
use jobbvinner::incremental::{Early, Session};
use jobbvinner::output::Memory;
use std::collections::{BTreeMap, HashSet};
use std::path::{Path, PathBuf};
use std::time::Duration;

struct Site {
    _dir: tempfile::TempDir,
    root: PathBuf,
    session: Session,
    /// Markdown bytes up to which texts are kept in memory (0: every text read again).
    budget: u64,
}

impl Site {
    /// A copy of the bundled site (everything but the code).
    fn bundled() -> Site {
        Site::bundled_with(BuildOptions::new(".").text_budget)
    }

    /// A copy of the bundled site, keeping texts up to `budget` bytes of markdown.
    fn bundled_with(budget: u64) -> Site {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().to_path_buf();
        let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
        for d in ["content", "themes", "assets", "static", "templates", "i18n", "data"] {
            if repo.join(d).is_dir() {
                copy_dir(&repo.join(d), &root.join(d));
            }
        }
        for f in ["site.toml", "content-types.toml"] {
            if repo.join(f).is_file() {
                std::fs::copy(repo.join(f), root.join(f)).unwrap();
            }
        }
        let mut session = Session::new(options(&root, budget));
        session.full_rebuild().unwrap_or_else(|d| panic!("first build failed:\n{d}"));
        Site { _dir: dir, root, session, budget }
    }

    /// A copy of a fixture under tests/fixtures/.
    fn fixture(name: &str) -> Site {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().to_path_buf();
        copy_dir(&Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures").join(name), &root);
        let budget = BuildOptions::new(".").text_budget;
        let mut session = Session::new(options(&root, budget));
        session.full_rebuild().unwrap_or_else(|d| panic!("first build failed:\n{d}"));
        Site { _dir: dir, root, session, budget }
    }

    fn path(&self, rel: &str) -> PathBuf {
        self.root.join(rel)
    }

    fn write(&self, rel: &str, text: &str) -> PathBuf {
        let p = self.path(rel);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(&p, text).unwrap();
        p
    }

    fn edit(&self, rel: &str, from: &str, to: &str) -> PathBuf {
        let p = self.path(rel);
        let text = std::fs::read_to_string(&p).unwrap();
        assert!(text.contains(from), "{rel} has no {from:?}");
        std::fs::write(&p, text.replacen(from, to, 1)).unwrap();
        p
    }

    fn append(&self, rel: &str, text: &str) -> PathBuf {
        let p = self.path(rel);
        let old = std::fs::read_to_string(&p).unwrap();
        std::fs::write(&p, format!("{old}\n{text}")).unwrap();
        p
    }

    /// Applies the changed paths and compares with a clean build; returns whether the
    /// rebuild was incremental.
    fn check(&mut self, step: &str, paths: &[PathBuf]) -> bool {
        // As `serve` does it: with two pages "open in a browser", rendered first.
        let first: HashSet<String> = ["index.html", "tips/index.html"].map(String::from).into();
        let mut ready = |_: bool, _: Duration| {};
        let early = Early { first: &first, ready: &mut ready };
        let r = self.session.apply_early(paths, Some(early)).unwrap_or_else(|d| panic!("{step}: rebuild failed:\n{d}"));
        let fresh = Memory::default();
        build(&options(&self.root, self.budget), Target::Sink(&fresh))
            .unwrap_or_else(|d| panic!("{step}: clean build failed:\n{d}"));
        let fresh = fresh.take().into_iter().map(|(k, v)| (k, v.to_vec())).collect();
        compare(step, &self.session.snapshot(), &fresh);
        !r.full
    }
}

fn options(root: &Path, text_budget: u64) -> BuildOptions {
    BuildOptions { base_url: Some("http://127.0.0.1:1111".into()), text_budget, ..BuildOptions::new(root) }
}

fn compare(step: &str, got: &BTreeMap<String, Vec<u8>>, want: &BTreeMap<String, Vec<u8>>) {
    let missing: Vec<&String> = want.keys().filter(|k| !got.contains_key(*k)).collect();
    let extra: Vec<&String> = got.keys().filter(|k| !want.contains_key(*k)).collect();
    assert!(missing.is_empty() && extra.is_empty(), "{step}: missing {missing:?}, extra {extra:?}");
    for (path, bytes) in want {
        if got[path] != *bytes {
            let (a, b) = (String::from_utf8_lossy(&got[path]), String::from_utf8_lossy(bytes));
            let at = a.bytes().zip(b.bytes()).position(|(x, y)| x != y).unwrap_or(a.len().min(b.len()));
            let from = at.saturating_sub(80);
            panic!(
                "{step}: {path} differs at byte {at}:\nincremental: {}\nclean build: {}",
                a.get(from..(at + 80).min(a.len())).unwrap_or("?"),
                b.get(from..(at + 80).min(b.len())).unwrap_or("?")
            );
        }
    }
}

/// A site too large to keep its texts reads each one again where it is needed; its output
/// is the same as when they are kept, and so is the output of an incremental rebuild.
#[test]
fn texts_read_again_give_the_same_output() {
    let mut kept = Site::bundled();
    let mut streamed = Site::bundled_with(0);
    assert_eq!(kept.session.snapshot(), streamed.session.snapshot(), "same first build");
    let tip = "content/tips/be-studentene-om-tilbakemelding.md";
    for s in [&mut kept, &mut streamed] {
        let p = s.edit(tip, "Det viktigste er", "Det aller viktigste er");
        assert!(s.check("body text", &[p]));
        let p = s.edit(tip, "title = \"Be studentene om tilbakemelding\"", "title = \"Spør studentene\"");
        assert!(s.check("title", &[p]));
        let p = s.edit("themes/jobbvinner/templates/base.html", "<body>", "<body class=\"b\">");
        assert!(s.check("base template", &[p]));
        let p = s.edit("content/tips/_index.md", "Hver måned publiserer", "Hver uke publiserer");
        assert!(s.check("section body", &[p]));
    }
    assert_eq!(kept.session.snapshot(), streamed.session.snapshot(), "same after the edits");
}

#[test]
fn incremental_output_equals_a_clean_build_after_every_step() {
    let mut s = Site::bundled();
    let tip = "content/tips/be-studentene-om-tilbakemelding.md";
    let story = "content/historier/bedre-veiledere-i-stange/index.md";

    // Page edits: the fast path.
    let p = s.edit(tip, "Det viktigste er", "Det aller viktigste er");
    assert!(s.check("body text", &[p]));
    let p = s.edit(tip, "Hver praksisperiode er", "Hver eneste praksisperiode er");
    assert!(s.check("summary text", &[p]));
    let p = s.edit(tip, "title = \"Be studentene om tilbakemelding\"", "title = \"Spør studentene\"");
    assert!(s.check("title", &[p]));
    let p = s.edit(tip, "date = 2026-07-07", "date = 2019-01-02");
    assert!(s.check("date that changes the order", &[p]));
    let p = s.edit(tip, "kommune = [\"Alta\"]", "kommune = [\"Alta\", \"Hammerfest\"]");
    assert!(s.check("new taxonomy term", &[p]));
    let p = s.edit(tip, "kommune = [\"Alta\", \"Hammerfest\"]", "kommune = [\"Tromsø\"]");
    s.edit(tip, "fylke = [\"Finnmark\"]", "fylke = [\"Troms\"]");
    assert!(s.check("terms removed and changed", &[p]));
    let p = s.edit(tip, "fokusomrade = [\"Kvalitet i praksisstudiene\"]", "fokusomrade = [\"Mentorprogram\"]");
    assert!(s.check("focus area changed (get_pages, get_related)", &[p]));
    let p = s.edit(tip, "fokusomrade = [\"Mentorprogram\"]", "fokusomrade = [\"Kvalitet i praksisstudiene\"]");
    assert!(s.check("focus area back", &[p]));
    let p = s.edit(tip, "date = 2019-01-02", "date = 2099-01-02");
    assert!(s.check("dated in the future: unlisted", &[p]));
    let p = s.edit(tip, "date = 2099-01-02", "date = 2026-07-07");
    assert!(s.check("listed again", &[p]));
    let p = s.edit(story, "+++\n", "+++\nweight = 3\n");
    s.check("bundle page front matter", &[p]);
    let p = s.edit("content/tips/_index.md", "Hver måned publiserer", "Hver uke publiserer");
    assert!(s.check("section body", &[p]));
    let p = s.edit("content/fokusomrader/_index.md", "title = \"Fokusområder\"", "title = \"Områder\"");
    assert!(s.check("section title (read by the home page)", &[p]));

    // Two pages at once, and a page that links to a heading of another.
    let a = s.edit("content/erfaringer/maja-johansen.md", "+++\n", "+++\nauthors = [\"Maja\"]\n");
    let b = s.append("content/om-jobbvinner.md", "## Ny overskrift\n\nTekst.\n");
    assert!(s.check("two pages", &[a, b]));
    let p = s.append("content/laeringsnettverk.md", "Se [overskriften](@/om-jobbvinner.md#ny-overskrift).\n");
    assert!(s.check("link to a new heading", &[p]));

    // Templates: an include, the base, a component file.
    let p = s.edit("themes/jobbvinner/templates/partials/pagination.html", "<nav", "<nav data-x=\"1\"");
    assert!(s.check("included template", &[p]));
    let p = s.edit("themes/jobbvinner/templates/base.html", "<body>", "<body class=\"b\">");
    assert!(s.check("base template", &[p]));
    let p = s.edit("themes/jobbvinner/templates/macros.html", "<article class=\"card{", "<article class=\"card c{");
    assert!(s.check("component", &[p]));
    let p = s.write("templates/page.html", "{% extends \"base.html\" %}{% block content %}<h1>{{ page.title }}</h1>{{ page.content | safe }}{% endblock content %}");
    s.check("new site template overriding the theme's", &[p]);
    let p = s.edit("templates/page.html", "<h1>", "<h1 class=\"t\">");
    assert!(s.check("edited override", &[p]));
    std::fs::remove_file(s.path("templates/page.html")).unwrap();
    s.check("override removed", &[s.path("templates/page.html")]);

    // Static files: edit (cache-busted stylesheet), create, override, delete.
    let p = s.edit("themes/jobbvinner/static/css/site.css", "", "/* endret */\n");
    assert!(s.check("stylesheet", &[p]));
    let p = s.write("assets/robots.txt", "User-agent: *\n");
    assert!(s.check("new static file", &[p]));
    let p = s.write("assets/css/site.css", "body { color: red }\n");
    assert!(s.check("site stylesheet overrides the theme's", &[p]));
    std::fs::remove_file(s.path("assets/css/site.css")).unwrap();
    assert!(s.check("override removed", &[s.path("assets/css/site.css")]));
    std::fs::remove_file(s.path("assets/robots.txt")).unwrap();
    // A full rebuild: body checks and content types check that the images pages name exist.
    s.check("static file removed", &[s.path("assets/robots.txt")]);

    // Pages and sections created, renamed, deleted.
    let copy = std::fs::read_to_string(s.path("content/tips/studenter-i-par.md")).unwrap();
    let p = s.write("content/tips/nytt-tips.md", &copy.replacen("title = \"", "title = \"Nytt: ", 1));
    s.check("page created", &[p]);
    let (from, to) = (s.path("content/tips/nytt-tips.md"), s.path("content/tips/omdopt-tips.md"));
    std::fs::rename(&from, &to).unwrap();
    s.check("page renamed", &[from, to.clone()]);
    std::fs::remove_file(&to).unwrap();
    s.check("page deleted", &[to]);
    let p = s.write("content/nyheter/_index.md", "+++\ntitle = \"Nyheter\"\nsort_by = \"date\"\n+++\n");
    let q = s.write("content/nyheter/forste.md", "+++\ntitle = \"Første\"\ndate = 2025-01-01\n+++\nHei.\n");
    s.check("section created", &[p, q]);
    let p = s.edit("content/nyheter/forste.md", "Hei.", "Hei igjen.");
    assert!(s.check("page in the new section", &[p]));
    std::fs::remove_dir_all(s.path("content/nyheter")).unwrap();
    s.check("section deleted", &[s.path("content/nyheter")]);
    let p = s.edit(tip, "+++\ntitle", "+++\nslug = \"ny-adresse\"\ntitle");
    s.check("slug changed: the page moves", &[p]);

    // Interface text and content types: full rebuilds.
    let p = s.edit("themes/jobbvinner/i18n/nb.toml", "\n", "\n# endret\n");
    s.check("interface text", &[p]);
    let p = s.edit("themes/jobbvinner/content-types.toml", "\n", "\n# endret\n");
    s.check("content types", &[p]);

    // site.toml.
    let p = s.edit("site.toml", "title = \"Jobbvinner\"", "title = \"Jobbvinner!\"");
    s.check("site.toml", &[p]);

    // Editors' temporary files change nothing, nor do files that came and went.
    let p = s.write("content/tips/.be-studentene.md.swp", "x");
    let r = s.session.apply(&[p]).unwrap();
    assert!(!r.changed && !r.full);
    let p = s.write("content/tips/sedAb12Cd", "x");
    std::fs::remove_file(&p).unwrap();
    let r = s.session.apply(&[p]).unwrap();
    assert!(!r.changed && !r.full);

    // A folder of bundle-less files removed.
    let p = s.write("content/vedlegg/skjema.txt", "skjema");
    s.check("content file created", &[p]);
    std::fs::remove_dir_all(s.path("content/vedlegg")).unwrap();
    s.check("its folder removed", &[s.path("content/vedlegg")]);
}

#[test]
fn the_zola_fixture_stays_equal_to_a_clean_build() {
    let mut s = Site::fixture("zola-site");
    let post = "content/blog/2023-06-09-first-post.md";
    let p = s.edit(post, "The opening paragraph.", "The opening paragraph, longer.");
    assert!(s.check("body", &[p]));
    let p = s.edit(post, "title = \"First post\"", "title = \"A first post\"");
    assert!(s.check("title (neighbours show it)", &[p]));
    let p = s.edit(post, "+++\ntitle", "+++\ndate = 2024-06-01\ntitle");
    assert!(s.check("date that changes the order", &[p]));
    let p = s.edit(post, "tags = [\"rust\", \"static sites\"]", "tags = [\"rust\", \"zola\"]");
    s.check("tags", &[p]);
    let p = s.edit("templates/macros.html", "<li>", "<li class=\"post\">");
    assert!(s.check("component", &[p]));
    let p = s.edit("templates/base.html", "<footer>", "<footer class=\"f\">");
    assert!(s.check("base template", &[p]));
    std::fs::remove_file(s.path("content/blog/third.md")).unwrap();
    s.check("page deleted", &[s.path("content/blog/third.md")]);
}

#[test]
fn lookups_of_terms_and_related_pages_follow_their_members() {
    let t = crate::support::TestSite::new()
        .file("templates/liste.html", "<main>{% for p in get_pages(taxonomy=\"kommune\", term=\"Bodø\", limit=1) %}{{ p.title }};{% endfor %}</main>")
        .file("templates/oversikt.html", "<main>{% for p in get_related(path=page.relative_path, limit=1) %}{{ p.title }};{% endfor %}</main>")
        .file("content/liste.md", &page("title = \"Liste\"\ntemplate = \"liste.html\"", ""))
        .file("content/oversikt.md", &page("title = \"Oversikt\"\ntemplate = \"oversikt.html\"\n[taxonomies]\nkommune = [\"Bodø\"]", ""))
        .file("content/a.md", &page("title = \"A\"\ndate = 2024-01-01\n[taxonomies]\nkommune = [\"Bodø\"]", "a"))
        .file("content/b.md", &page("title = \"B\"\ndate = 2024-02-01\n[taxonomies]\nkommune = [\"Tromsø\"]", "b"))
        .file("content/c.md", &page("title = \"C\"\ndate = 2024-03-01\n[taxonomies]\nkommune = [\"Bodø\"]", "c"));
    let root = t.root().to_path_buf();
    let budget = BuildOptions::new(".").text_budget;
    let mut session = Session::new(options(&root, budget));
    session.full_rebuild().unwrap();
    let mut s = Site { _dir: t.dir, root, session, budget };
    let p = s.edit("content/b.md", "Tromsø", "Bodø");
    assert!(s.check("a page joins the term", &[p]));
    let p = s.edit("content/a.md", "date = 2024-01-01", "date = 2025-01-01");
    assert!(s.check("a member's date changes the order", &[p]));
    let p = s.edit("content/c.md", "\"Bodø\"", "\"Tromsø\"");
    assert!(s.check("a page leaves the term", &[p]));
}

#[test]
fn errors_keep_the_last_good_output_and_fixing_them_recovers() {
    let mut s = Site::bundled();
    let before = s.session.snapshot();
    let tip = "content/tips/studenter-i-par.md";
    let p = s.edit(tip, "+++\ntitle", "+++\ntitel = \"x\"\ntitle");
    let err = s.session.apply(&[p]).unwrap_err();
    assert!(err.to_string().contains("content/tips/studenter-i-par.md:2:1: unknown key `titel`"), "{err}");
    assert_eq!(s.session.snapshot(), before, "the last good output stays");
    let p = s.edit(tip, "titel = \"x\"\n", "");
    s.check("fixed", &[p]);
    let p = s.edit(
        "themes/jobbvinner/templates/page.html",
        "{{ page.title | soft_hyphens }}",
        "{{ page.titel | soft_hyphens }}",
    );
    assert!(s.session.apply(&[p]).unwrap_err().to_string().contains("themes/jobbvinner/templates/page.html:"));
    let p = s.edit(
        "themes/jobbvinner/templates/page.html",
        "{{ page.titel | soft_hyphens }}",
        "{{ page.title | soft_hyphens }}",
    );
    s.check("template fixed", &[p]);
    let after_fix = s.session.snapshot();
    // A body check (a level-1 heading in the text) fails the fast path too.
    let p = s.append(tip, "# Overskrift\n");
    let err = s.session.apply(&[p]).unwrap_err().to_string();
    assert!(err.contains("content/tips/studenter-i-par.md:") && err.contains("level-1 heading"), "{err}");
    assert_eq!(s.session.snapshot(), after_fix, "the last good output stays");
    let p = s.edit(tip, "\n# Overskrift\n", "");
    s.check("body fixed", &[p]);
    let p = s.edit(tip, "title", "title = \"Y\"\nsubtitle");
    assert!(s.session.apply(std::slice::from_ref(&p)).is_err());
    assert!(s.session.apply(&[p]).is_err(), "still broken");
}

/// A translated page edited in `serve`: its text, its title (which the nynorsk listings show),
/// a new translation (the bokmål page gets alternates and the nynorsk listing loses a
/// fallback), and its removal again, each equal to a clean build.
#[test]
fn translations_stay_equal_to_a_clean_build() {
    let mut s = Site::bundled();
    let nn = "content/tips/studenter-i-par.nn.md";
    let p = s.append(nn, "Eit nytt avsnitt på nynorsk.");
    assert!(s.check("nynorsk body", &[p]));
    let p = s.edit(nn, "title = \"La studentane gå i par\"", "title = \"Studentane går i par\"");
    s.check("nynorsk title", &[p]);
    let original = std::fs::read_to_string(s.path("content/tips/gi-studenten-en-fast-veileder.md")).unwrap();
    let new = s.write(
        "content/tips/gi-studenten-en-fast-veileder.nn.md",
        &original.replace("title = \"Gi studenten en fast veileder\"", "title = \"Gi studenten ein fast rettleiar\""),
    );
    s.check("new translation", std::slice::from_ref(&new));
    std::fs::remove_file(&new).unwrap();
    s.check("translation removed", &[new]);
    let p = s.edit("content/tips/studenter-i-par.md", "+++\ntitle", "+++\nupdated = 2026-01-05\ntitle");
    s.check("original updated", &[p]);
}
