//! The template engine (Tera 1): loads the theme's templates and the site's own `templates/`
//! (which override the theme file by file), checks every template's syntax up front, and turns
//! Tera's errors into diagnostics that name the template file, its line, and the page being
//! rendered. Stage 4 (`render`) drives it; this module owns no site data.

mod functions;
pub mod views;

pub use functions::{register, Shared};

use crate::config::Config;
use crate::error::{Diagnostic, Diagnostics};
use std::collections::BTreeMap;
use std::path::Path;

/// A loaded template set.
pub struct Templates {
    /// The engine, with filters and functions registered by [`register`].
    pub tera: tera::Tera,
    /// Template name → (file path relative to the site root, source text).
    pub files: BTreeMap<String, (String, String)>,
}

impl Templates {
    /// Loads `themes/<theme>/templates/` and then `templates/` from the site root.
    pub fn load(config: &Config) -> Result<Templates, Diagnostics> {
        let mut files = BTreeMap::new();
        if let Some(theme) = &config.theme {
            collect(&config.root, &format!("themes/{theme}/templates"), &mut files)?;
        }
        collect(&config.root, "templates", &mut files)?;
        Templates::from_files(files)
    }

    /// Builds an engine from name → (display path, source).
    pub fn from_files(files: BTreeMap<String, (String, String)>) -> Result<Templates, Diagnostics> {
        let mut tera = tera::Tera::default();
        tera.autoescape_on(vec![".html", ".htm", ".xml", ".svg"]);
        tera.set_escape_fn(escape_html);
        let Err(e) = tera.add_raw_templates(files.iter().map(|(n, (_, s))| (n.as_str(), s.as_str()))) else {
            return Ok(Templates { tera, files });
        };
        // Tera stops at the first bad template; parse each alone to report them all.
        let diags: Vec<Diagnostic> = files
            .iter()
            .filter_map(|(name, (path, src))| tera::Template::new(name, None, src).err().map(|e| parse_error(path, &e)))
            .collect();
        if !diags.is_empty() {
            return Err(Diagnostics(diags));
        }
        let msg = chain(&e);
        let (path, line) = files
            .iter()
            .find_map(|(n, (p, s))| msg.contains(&format!("'{n}'")).then(|| (p.clone(), find_line(s, &msg))))
            .unwrap_or_else(|| ("templates".into(), 1));
        Err(Diagnostic::new(path, line, 1, msg).into())
    }

    /// Is there a template with this name?
    pub fn has(&self, name: &str) -> bool {
        self.files.contains_key(name)
    }

    /// Renders `name` for the content file `rendering` (used in error messages).
    pub fn render(&self, name: &str, ctx: &tera::Context, rendering: &str) -> Result<Vec<u8>, Diagnostic> {
        let mut out = Vec::with_capacity(16 * 1024);
        match self.tera.render_to(name, ctx, &mut out) {
            Ok(()) => Ok(out),
            Err(e) => Err(self.render_error(name, &e, rendering)),
        }
    }

    fn render_error(&self, name: &str, e: &tera::Error, rendering: &str) -> Diagnostic {
        let msg = chain(e);
        // Tera names the template in which it failed; find the line from the identifier it quotes.
        let failing = msg.split('\'').skip(1).step_by(2).filter(|n| self.files.contains_key(*n)).last().unwrap_or(name);
        let (path, src) = self.files.get(failing).map(|(p, s)| (p.as_str(), s.as_str())).unwrap_or((name, ""));
        let line = find_line(src, &msg);
        Diagnostic::new(path, line, 1, format!("{msg} (while rendering {rendering})"))
    }
}

fn collect(root: &Path, dir: &str, files: &mut BTreeMap<String, (String, String)>) -> Result<(), Diagnostics> {
    let base = root.join(dir);
    if !base.is_dir() {
        return Ok(());
    }
    let mut diags = Diagnostics::default();
    for entry in walkdir::WalkDir::new(&base).sort_by_file_name().into_iter().filter_map(Result::ok) {
        let fname = entry.file_name().to_string_lossy();
        if !entry.file_type().is_file() || crate::content::is_temp_file(&fname) {
            continue;
        }
        let rel = entry.path().strip_prefix(&base).unwrap_or(entry.path());
        let name = rel.components().map(|c| c.as_os_str().to_string_lossy()).collect::<Vec<_>>().join("/");
        let display = format!("{dir}/{name}");
        match std::fs::read_to_string(entry.path()) {
            Ok(src) => {
                files.insert(name, (display, src));
            }
            Err(e) => diags.push(Diagnostic::new(display, 1, 1, format!("cannot read template: {e}"))),
        }
    }
    if diags.is_empty() {
        Ok(())
    } else {
        Err(diags)
    }
}

/// Escapes text for HTML content and quoted attributes. Unlike Tera's default it leaves `/`
/// alone, so URLs stay readable.
pub fn escape_html(s: &str) -> String {
    crate::markdown::escape_attr(s)
}

/// The whole error chain as one line.
fn chain(e: &dyn std::error::Error) -> String {
    let mut parts = vec![e.to_string()];
    let mut cur = e.source();
    while let Some(s) = cur {
        parts.push(s.to_string());
        cur = s.source();
    }
    parts.join(": ")
}

/// A Tera parse error: "--> 3:7" gives the position, "= expected …" the reason.
fn parse_error(path: &str, e: &tera::Error) -> Diagnostic {
    let text = chain(e);
    let (line, col) = text
        .split("--> ")
        .nth(1)
        .and_then(|rest| {
            let pos: String = rest.chars().take_while(|c| c.is_ascii_digit() || *c == ':').collect();
            let (l, c) = pos.split_once(':')?;
            Some((l.parse().ok()?, c.parse().ok()?))
        })
        .unwrap_or((1, 1));
    let reason = text
        .lines()
        .find_map(|l| l.trim().strip_prefix("= "))
        .map(str::to_string)
        .unwrap_or_else(|| text.lines().next().unwrap_or("").to_string());
    Diagnostic::new(path, line, col, format!("template syntax error: {reason}"))
}

/// The first line of `src` that mentions an identifier quoted with backticks in `msg`.
fn find_line(src: &str, msg: &str) -> usize {
    let needles: Vec<&str> = msg.split('`').skip(1).step_by(2).filter(|s| !s.is_empty()).collect();
    for needle in needles {
        // `page.foo` may be written as page.foo or page["foo"]; try the whole name, then its tail.
        for n in [needle, needle.rsplit('.').next().unwrap_or(needle)] {
            if let Some(i) = src.lines().position(|l| l.contains(n)) {
                return i + 1;
            }
        }
    }
    1
}

#[cfg(test)]
mod tests {
    use super::*;

    fn set(files: &[(&str, &str)]) -> BTreeMap<String, (String, String)> {
        files.iter().map(|(n, s)| (n.to_string(), (format!("templates/{n}"), s.to_string()))).collect()
    }

    #[test]
    fn syntax_errors_have_positions() {
        let err = Templates::from_files(set(&[("a.html", "ok\n{{ x "), ("b.html", "{% if %}")])).err().unwrap();
        assert_eq!(err.len(), 2);
        assert_eq!((err.0[0].path.as_str(), err.0[0].line), ("templates/a.html", 2));
        assert!(err.0[0].message.starts_with("template syntax error"));
    }

    #[test]
    fn render_errors_name_template_line_and_page() {
        let t = Templates::from_files(set(&[("base.html", "<p>\n{{ page.titel }}\n</p>")])).unwrap();
        let mut ctx = tera::Context::new();
        ctx.insert("page", &serde_json::json!({"title": "x"}));
        let d = t.render("base.html", &ctx, "content/a.md").unwrap_err();
        assert_eq!((d.path.as_str(), d.line), ("templates/base.html", 2));
        assert!(d.message.contains("while rendering content/a.md"), "{}", d.message);
    }
}
