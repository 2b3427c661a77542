//! Test support: small sites written into temp folders and built through the library.

use jobbvinner::build::{build, BuildOptions, BuildReport, Target};
use std::path::{Path, PathBuf};

pub const SITE_TOML: &str = r#"title = "Testside"
base_url = "https://example.no"
taxonomies = [{ name = "fokusomrade", paginate_by = 2 }, { name = "kommune" }]
"#;

/// Minimal templates that show what the generator passes to them.
pub const TEMPLATES: &[(&str, &str)] = &[
    ("index.html", "<!doctype html><html lang=\"{{ lang }}\"><title>{{ section.title }}</title><main>{{ section.content | safe }}<ul>{% for p in section.pages %}<li>{{ p.title }}</li>{% endfor %}</ul></main></html>"),
    ("section.html", "<main><h1>{{ section.title }}</h1><ul>{% for p in section.pages %}<li><a href=\"{{ p.permalink }}\">{{ p.title }}</a>{% if p.date %} <time datetime=\"{{ p.date }}\">{{ p.date | date }}</time>{% endif %}</li>{% endfor %}</ul>{% if paginator %}<p>side {{ paginator.current_index }}/{{ paginator.number_pagers }} next={{ paginator.next | default(value='') }}</p>{% endif %}</main>"),
    ("page.html", "<main><h1>{{ page.title }}</h1>{% if page.date %}<time datetime=\"{{ page.date }}\">{{ page.date | date }}</time>{% endif %}<p>ord={{ page.word_count }} min={{ page.reading_time }}</p>{% if page.summary %}<div class=\"summary\">{{ page.summary | safe }}</div>{% endif %}{{ page.content | safe }}<ol class=\"toc\">{% for h in page.toc %}<li>{{ h.title }}#{{ h.id }}</li>{% endfor %}</ol>{% for a in page.assets %}<img src=\"{{ a }}\" alt=\"\">{% endfor %}</main>"),
    ("taxonomy_list.html", "<main><h1>{{ taxonomy.name }}</h1>{% for t in terms %}<a href=\"{{ t.permalink }}\">{{ t.name }} ({{ t.pages_count }})</a>{% endfor %}</main>"),
    ("taxonomy_single.html", "<main><h1>{{ term.name }}</h1>{% for p in term.pages %}<li>{{ p.title }}</li>{% endfor %}{% if paginator %}<p>side {{ paginator.current_index }}/{{ paginator.number_pagers }}</p>{% endif %}</main>"),
];

pub struct TestSite {
    pub dir: tempfile::TempDir,
}

impl TestSite {
    /// A site with site.toml and the minimal templates.
    pub fn new() -> Self {
        let s = TestSite::bare().file("site.toml", SITE_TOML).file("content/_index.md", "+++\n+++\n");
        TEMPLATES.iter().fold(s, |s, (n, t)| s.file(&format!("templates/{n}"), t))
    }

    /// An empty folder.
    pub fn bare() -> Self {
        TestSite { dir: tempfile::tempdir().expect("temp dir") }
    }

    /// A copy of a fixture under tests/fixtures/.
    pub fn fixture(name: &str) -> Self {
        let s = TestSite::bare();
        copy_dir(&Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures").join(name), s.root());
        s
    }

    pub fn root(&self) -> &Path {
        self.dir.path()
    }

    /// Writes a file (creating folders).
    pub fn file(self, rel: &str, text: &str) -> Self {
        let p = self.root().join(rel);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, text).unwrap();
        self
    }

    pub fn options(&self) -> BuildOptions {
        BuildOptions::new(self.root())
    }

    pub fn public(&self) -> PathBuf {
        self.root().join("public")
    }

    /// Builds into public/; panics with the errors on failure.
    pub fn build(&self) -> BuildReport {
        match build(&self.options(), Target::Disk(self.public())) {
            Ok(r) => r,
            Err(d) => panic!("build failed:\n{d}"),
        }
    }

    /// Builds and returns the errors as `path:line:col: message` lines (sorted).
    pub fn errors(&self) -> Vec<String> {
        match build(&self.options(), Target::Disk(self.public())) {
            Ok(_) => panic!("expected the build to fail"),
            Err(d) => d.into_sorted().iter().map(ToString::to_string).collect(),
        }
    }

    /// Reads an output file.
    pub fn read(&self, rel: &str) -> String {
        std::fs::read_to_string(self.public().join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
    }

    pub fn exists(&self, rel: &str) -> bool {
        self.public().join(rel).exists()
    }

    /// Runs the real binary with `--root <site>` and the given args, messages in English.
    pub fn cli(&self, args: &[&str]) -> std::process::Output {
        self.cli_in("en", args)
    }

    /// Runs the real binary with messages in `lang` (`nb` is what a writer gets by default).
    pub fn cli_in(&self, lang: &str, args: &[&str]) -> std::process::Output {
        std::process::Command::new(env!("CARGO_BIN_EXE_jobbvinner"))
            .env("JOBBVINNER_MESSAGES", lang)
            .arg("--root")
            .arg(self.root())
            .args(args)
            .output()
            .expect("run jobbvinner")
    }
}

pub fn copy_dir(from: &Path, to: &Path) {
    for entry in walkdir::WalkDir::new(from) {
        let entry = entry.unwrap();
        let target = to.join(entry.path().strip_prefix(from).unwrap());
        if entry.file_type().is_dir() {
            std::fs::create_dir_all(&target).unwrap();
        } else {
            std::fs::copy(entry.path(), &target).unwrap();
        }
    }
}

/// A page file with TOML front matter.
pub fn page(front: &str, body: &str) -> String {
    format!("+++\n{front}\n+++\n{body}")
}

/// The part of an HTML document between `<main>` and `</main>`.
pub fn main_of(html: &str) -> &str {
    let start = html.find("<main").expect("<main>");
    let end = html.rfind("</main>").expect("</main>") + "</main>".len();
    &html[start..end]
}

/// The bundled site (content, theme, assets, site.toml) built once per test run into a temp
/// folder; returns its output folder.
pub fn bundled_public() -> &'static Path {
    static BUILT: std::sync::OnceLock<(tempfile::TempDir, PathBuf)> = std::sync::OnceLock::new();
    let (_, public) = BUILT.get_or_init(|| {
        let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
        let tmp = tempfile::tempdir().unwrap();
        for part in ["content", "themes", "assets", "static"] {
            if repo.join(part).is_dir() {
                copy_dir(&repo.join(part), &tmp.path().join(part));
            }
        }
        std::fs::copy(repo.join("site.toml"), tmp.path().join("site.toml")).unwrap();
        let public = tmp.path().join("public");
        build(&jobbvinner::build::BuildOptions::new(tmp.path()), Target::Disk(public.clone()))
            .unwrap_or_else(|d| panic!("{d}"));
        (tmp, public)
    });
    public
}

/// Every HTML page of an output folder that is not a redirect stub: (path relative to the
/// folder, text).
pub fn html_pages(public: &Path) -> Vec<(String, String)> {
    walkdir::WalkDir::new(public)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.path().extension().is_some_and(|x| x == "html"))
        .filter_map(|e| {
            let text = std::fs::read_to_string(e.path()).ok()?;
            let rel = e.path().strip_prefix(public).ok()?.to_string_lossy().replace('\\', "/");
            (!text.contains("http-equiv=\"refresh\"")).then_some((rel, text))
        })
        .collect()
}
