//! The template engine (Tera 2): loads the theme's templates and the site's own `templates/`
//! (which override the theme file by file) and turns Tera's errors into diagnostics that name
//! the template file, its line and column, and the page being rendered. Stage 4 (`render`)
//! drives it; this module owns no site data.

pub mod components;
mod functions;
mod images;
pub mod record;
pub mod share;
pub mod urls;
pub mod views;

pub use functions::{register, Shared};

use crate::error::{Diagnostic, Diagnostics};
use crate::layout::{Layout, Role};
use crate::msg;
use std::collections::BTreeMap;

/// A loaded template set.
pub struct Templates {
    /// The engine, with filters and functions registered.
    pub tera: tera::Tera,
    /// Template name → (file path relative to the site root, source text).
    pub files: BTreeMap<String, (String, String)>,
}

/// Template name → (display path, source): the site's own files override the theme's, file
/// by file.
pub fn collect_files(layout: &Layout) -> Result<BTreeMap<String, (String, String)>, Diagnostics> {
    let mut files = BTreeMap::new();
    let mut diags = Diagnostics::default();
    for place in layout.dirs(Role::Templates).iter().rev() {
        collect(&place.abs, &place.shown, &mut files, &mut diags);
    }
    diags.check().map(|()| files)
}

impl Templates {
    /// Builds an engine from name → (display path, source). `setup` registers filters and
    /// functions first: Tera 2 checks at load time that every one a template uses exists.
    pub fn from_files(
        files: BTreeMap<String, (String, String)>,
        setup: impl FnOnce(&mut tera::Tera),
    ) -> Result<Templates, Diagnostics> {
        let mut tera = tera::Tera::default();
        setup(&mut tera);
        tera.autoescape_on([".html", ".htm", ".xml", ".svg"]);
        tera.set_escape_fn(escape_html);
        let Err(e) = tera.add_raw_templates(files.iter().map(|(n, (_, s))| (n.as_str(), s.as_str()))) else {
            return Ok(Templates { tera, files });
        };
        // Tera stops at the first bad template; load each alone to report every syntax error.
        let mut diags: Vec<Diagnostic> = files
            .iter()
            .filter_map(|(name, (_, src))| {
                let mut alone = tera::Tera::default();
                alone.register_from(&tera);
                let err = alone.add_raw_template(name, src).err()?;
                matches!(err.kind(), tera::ErrorKind::SyntaxError(_)).then(|| to_diagnostic(&files, &err, None))
            })
            .collect();
        if diags.is_empty() {
            diags.push(to_diagnostic(&files, &e, None));
        }
        Err(Diagnostics(diags))
    }

    /// No engine, only the sources: what `serve` keeps while it patches the site the
    /// engine's functions look at.
    pub fn empty(files: BTreeMap<String, (String, String)>) -> Templates {
        Templates { tera: tera::Tera::default(), files }
    }

    /// Is there a template with this name?
    pub fn has(&self, name: &str) -> bool {
        self.files.contains_key(name)
    }

    /// Renders `name` for the content file `rendering` (used in error messages).
    pub fn render(&self, name: &str, ctx: &tera::Context, rendering: &str) -> Result<Vec<u8>, Diagnostic> {
        if record::active() {
            record::record(record::Input::Template(name.to_string()));
        }
        let mut out = Vec::with_capacity(16 * 1024);
        match self.tera.render_to(name, ctx, &mut out) {
            Ok(()) => Ok(out),
            Err(e) => Err(to_diagnostic(&self.files, &e, Some(name)).while_rendering(rendering)),
        }
    }
}

/// A Tera error as a diagnostic at the template file, line and column it names.
fn to_diagnostic(files: &BTreeMap<String, (String, String)>, e: &tera::Error, fallback: Option<&str>) -> Diagnostic {
    let display = |name: &str| files.get(name).map_or_else(|| format!("templates/{name}"), |(p, _)| p.clone());
    match e.kind() {
        tera::ErrorKind::SyntaxError(r) | tera::ErrorKind::RenderingError(r) => {
            let m = if matches!(e.kind(), tera::ErrorKind::SyntaxError(_)) {
                msg!("templates.syntax", detail = r.message())
            } else {
                tera_message(r.message())
            };
            let span = r.span();
            Diagnostic::at(display(r.filename()), span.start_line, span.start_col + 1, m)
        }
        tera::ErrorKind::MissingParent { current, parent } => {
            let m = msg!("templates.missing_parent", parent = parent.as_str());
            match line_of(files, current, parent) {
                Some(line) => Diagnostic::at(display(current), line, 1, m),
                None => Diagnostic::error(display(current), m),
            }
        }
        _ => {
            let mut text = e.to_string();
            let mut cur = std::error::Error::source(e);
            while let Some(s) = cur {
                text = format!("{text}: {s}");
                cur = s.source();
            }
            // Some errors (unknown filter or function) carry their place only in the text:
            // "error: Unknown filter `upcase`\n --> page.html:9:25".
            if let Some((name, line, col)) = located(&text) {
                let first = text.lines().next().unwrap_or("").trim_start_matches("error: ");
                return Diagnostic::at(display(name), line, col, tera_message(first));
            }
            Diagnostic::error(display(fallback.unwrap_or("")), tera_message(&text))
        }
    }
}

/// The `name:line:col` after " --> " in a rendered Tera report.
fn located(msg: &str) -> Option<(&str, usize, usize)> {
    let at = msg.split(" --> ").nth(1)?.split_whitespace().next()?;
    let (rest, col) = at.rsplit_once(':')?;
    let (name, line) = rest.rsplit_once(':')?;
    Some((name, line.parse().ok()?, col.parse().ok()?))
}

/// Tera's complaint worded for the catalogue's language: the common ones get their own
/// message ("Field `x` is not defined" with a "did you mean"), the rest keep Tera's text as
/// the detail.
fn tera_message(msg: &str) -> crate::messages::Message {
    let name = || msg.split('`').nth(1).unwrap_or("").to_string();
    if let Some((head, fields)) = msg.split_once(". Available fields: ") {
        let field = head.split('`').nth(1).unwrap_or("");
        return match crate::error::suggest(field, fields.split(", ")) {
            Some(s) => msg!("templates.undefined_near", name = field, best = s, fields = fields),
            None => msg!("templates.undefined", name = field, fields = fields),
        };
    }
    if msg.contains("is not defined") && msg.starts_with("Field `") || msg.starts_with("Variable `") {
        return msg!("templates.undefined_bare", name = name());
    }
    for (prefix, key) in [
        ("Unknown filter `", "filter"),
        ("Unknown function `", "function"),
        ("Unknown test `", "test"),
        ("Unknown component `", "component"),
        ("Unknown template `", "template"),
    ] {
        if msg.starts_with(prefix) {
            let kind = match key {
                "filter" => msg!("templates.kind_filter"),
                "function" => msg!("templates.kind_function"),
                "test" => msg!("templates.kind_test"),
                "component" => msg!("templates.kind_component"),
                _ => msg!("templates.kind_template"),
            };
            return msg!("templates.unknown", kind = kind, name = name());
        }
    }
    if let Some(rest) = msg.strip_prefix("Component `") {
        let component = rest.split('`').next().unwrap_or("");
        let files: Vec<&str> = rest.split('`').skip(2).step_by(2).collect();
        let (a, b) = (files.first().copied().unwrap_or(""), files.get(1).copied().unwrap_or(""));
        return msg!("templates.component_twice", name = component, first = a, second = b);
    }
    msg!("templates.error", detail = msg)
}

/// The first line of template `name` that mentions `needle`.
fn line_of(files: &BTreeMap<String, (String, String)>, name: &str, needle: &str) -> Option<usize> {
    files.get(name).and_then(|(_, src)| src.lines().position(|l| l.contains(needle))).map(|i| i + 1)
}

/// Adds the templates under `base` (shown as `dir`) to `files`, replacing same-named ones.
fn collect(base: &std::path::Path, dir: &str, files: &mut BTreeMap<String, (String, String)>, diags: &mut Diagnostics) {
    if !base.is_dir() {
        return;
    }
    for entry in walkdir::WalkDir::new(base).sort_by_file_name().into_iter().filter_map(Result::ok) {
        let fname = entry.file_name().to_string_lossy();
        if !entry.file_type().is_file() || crate::content::is_temp_file(&fname) {
            continue;
        }
        let rel = entry.path().strip_prefix(base).unwrap_or(entry.path());
        let name = rel.components().map(|c| c.as_os_str().to_string_lossy()).collect::<Vec<_>>().join("/");
        let display = format!("{dir}/{name}");
        match std::fs::read_to_string(entry.path()) {
            Ok(src) => {
                files.insert(name, (display, src));
            }
            Err(e) => diags
                .push(Diagnostic::error(display, msg!("templates.unreadable", detail = crate::error::io_message(&e)))),
        }
    }
}

/// Escapes text for HTML content and quoted attributes; `/` stays as it is, so URLs stay readable.
pub fn escape_html(input: &str, out: &mut dyn std::io::Write) -> std::io::Result<()> {
    let bytes = input.as_bytes();
    let mut start = 0;
    for (i, b) in bytes.iter().enumerate() {
        let rep: &[u8] = match b {
            b'&' => b"&amp;",
            b'"' => b"&quot;",
            b'<' => b"&lt;",
            b'>' => b"&gt;",
            b'\'' => b"&#39;",
            _ => continue,
        };
        out.write_all(&bytes[start..i])?;
        out.write_all(rep)?;
        start = i + 1;
    }
    out.write_all(&bytes[start..])
}

#[cfg(test)]
mod tests {
    use super::*;

    fn set(files: &[(&str, &str)]) -> BTreeMap<String, (String, String)> {
        files.iter().map(|(n, s)| (n.to_string(), (format!("templates/{n}"), s.to_string()))).collect()
    }

    #[test]
    fn syntax_errors_have_positions() {
        let err = Templates::from_files(set(&[("a.html", "ok\n{{ x "), ("b.html", "{% if %}")]), |_| {}).err().unwrap();
        assert_eq!(err.len(), 2, "{err}");
        assert_eq!((err.0[0].path.as_str(), err.0[0].line()), ("templates/a.html", Some(2)));
        assert!(err.0[0].to_string().starts_with("templates/a.html:2:5: template syntax error"), "{}", err.0[0]);
    }

    #[test]
    fn render_errors_name_template_line_and_page() {
        let t = Templates::from_files(set(&[("base.html", "<p>\n{{ page.titel }}\n</p>")]), |_| {}).unwrap();
        let mut ctx = tera::Context::new();
        ctx.insert("page", &serde_json::json!({"title": "x"}));
        let d = t.render("base.html", &ctx, "content/a.md").unwrap_err();
        assert_eq!((d.path.as_str(), d.line()), ("templates/base.html", Some(2)));
        let shown = d.to_string();
        assert!(
            shown.contains(":2:9: ") && shown.contains("titel") && shown.ends_with("(while rendering content/a.md)"),
            "{shown}"
        );
    }

    #[test]
    fn unknown_filters_are_located() {
        let err =
            Templates::from_files(set(&[("page.html", "<p>\n  {{ page.title | upcase }}</p>")]), |_| {}).err().unwrap();
        let d = &err.0[0];
        assert_eq!((d.path.as_str(), d.line()), ("templates/page.html", Some(2)), "{d}");
        assert!(d.to_string().contains("upcase") && !d.to_string().contains('\n'), "{d}");
    }

    #[test]
    fn escaping_keeps_slashes() {
        let mut out = Vec::new();
        escape_html("<a href=\"/x/\">Tom & Jerry's</a>", &mut out).unwrap();
        assert_eq!(String::from_utf8(out).unwrap(), "&lt;a href=&quot;/x/&quot;&gt;Tom &amp; Jerry&#39;s&lt;/a&gt;");
    }
}
