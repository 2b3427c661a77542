//! Diagnostics: every problem with user input (config, content, templates, files) becomes a
//! [`Diagnostic`]: a severity, a path relative to the site root, a position when the problem
//! has one, a [`Message`] (a catalogue key with arguments, worded only when shown), and the
//! output being rendered when it showed. Stages collect them instead of stopping at the
//! first one; errors fail the build, warnings are printed and do not (unless asked to).

use crate::messages::Message;

mod toml;
mod wording;

pub use self::toml::{toml_diagnostic, toml_message, unknown_key_message};
use crate::msg;
pub use crate::suggest::suggest;
use std::fmt;
pub use wording::io_message;

/// How bad a problem is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Severity {
    /// The site cannot be published like this: the build fails.
    Error,
    /// Worth fixing; the build goes on (`--deny-warnings` makes it fail).
    Warning,
}

/// A 1-based line and column (counted in characters).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Pos {
    /// 1-based line.
    pub line: usize,
    /// 1-based column, in characters.
    pub col: usize,
}

/// The output being rendered when a problem showed: its source, and how many more outputs
/// hit the same problem (identical errors from many pages are grouped into one).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Rendering {
    /// The file that asked for the output, e.g. `content/tips/x.md`.
    pub source: String,
    /// Further outputs with the same problem.
    pub more: usize,
}

/// One problem found in a user's file.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Diagnostic {
    /// Path relative to the site root, with `/` separators (e.g. `content/tips/x.md`).
    pub path: String,
    /// Where in the file, when the problem has a place.
    pub pos: Option<Pos>,
    /// Error or warning.
    pub severity: Severity,
    /// What is wrong and, where we can tell, how to fix it.
    pub message: Message,
    /// The output being rendered, for problems found while rendering templates.
    pub rendering: Option<Box<Rendering>>,
}

impl Diagnostic {
    /// An error about a whole file (or a folder, or a setting), without a position.
    pub fn error(path: impl Into<String>, message: Message) -> Self {
        Diagnostic { path: path.into(), pos: None, severity: Severity::Error, message, rendering: None }
    }

    /// An error at a line and column.
    pub fn at(path: impl Into<String>, line: usize, col: usize, message: Message) -> Self {
        Diagnostic { pos: Some(Pos { line: line.max(1), col: col.max(1) }), ..Diagnostic::error(path, message) }
    }

    /// An error at byte `offset` of `text`, where `text` starts at line `first_line` of the
    /// file (front matter and markdown bodies start below line 1).
    pub fn at_offset(path: &str, text: &str, offset: usize, first_line: usize, message: Message) -> Self {
        let (line, col) = line_col(text, offset);
        Diagnostic::at(path, line + first_line - 1, col, message)
    }

    /// An error at `pos` of a text that starts at line `first_line` of the file (a markdown
    /// body below its front matter).
    pub fn in_text(path: &str, first_line: usize, pos: Pos, message: Message) -> Self {
        Diagnostic::at(path, first_line + pos.line - 1, pos.col, message)
    }

    /// The same problem as a warning.
    pub fn warning(self) -> Self {
        Diagnostic { severity: Severity::Warning, ..self }
    }

    /// The same problem, found while rendering the output asked for by `source`.
    pub fn while_rendering(self, source: &str) -> Self {
        Diagnostic { rendering: Some(Box::new(Rendering { source: source.to_string(), more: 0 })), ..self }
    }

    /// Is it an error (not a warning)?
    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }

    /// The line, if the problem has a position.
    pub fn line(&self) -> Option<usize> {
        self.pos.map(|p| p.line)
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.pos {
            Some(Pos { line, col }) => write!(f, "{}:{line}:{col}: {}", self.path, self.message)?,
            None => write!(f, "{}: {}", self.path, self.message)?,
        }
        if let Some(r) = &self.rendering {
            let m = match r.more {
                0 => msg!("diag.while_rendering", source = &r.source),
                n => msg!("diag.while_rendering_more", source = &r.source, more = n),
            };
            write!(f, " {m}")?;
        }
        Ok(())
    }
}

/// The problems of a stage or a build, errors and warnings together.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Diagnostics(pub Vec<Diagnostic>);

impl Diagnostics {
    /// Adds one diagnostic.
    pub fn push(&mut self, d: Diagnostic) {
        self.0.push(d);
    }
    /// True when nothing was reported.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
    /// Number of diagnostics, errors and warnings.
    pub fn len(&self) -> usize {
        self.0.len()
    }
    /// Is any of them an error?
    pub fn has_errors(&self) -> bool {
        self.0.iter().any(Diagnostic::is_error)
    }
    /// How many are errors.
    pub fn error_count(&self) -> usize {
        self.0.iter().filter(|d| d.is_error()).count()
    }
    /// Only the warnings.
    pub fn warnings(&self) -> Diagnostics {
        Diagnostics(self.0.iter().filter(|d| !d.is_error()).cloned().collect())
    }
    /// Every warning made an error (`--deny-warnings`).
    pub fn deny_warnings(self) -> Diagnostics {
        Diagnostics(self.0.into_iter().map(|d| Diagnostic { severity: Severity::Error, ..d }).collect())
    }
    /// `Ok(())` when there are no errors (warnings stay with the caller), else all of them.
    pub fn check(&self) -> Result<(), Diagnostics> {
        if self.has_errors() {
            Err(self.clone())
        } else {
            Ok(())
        }
    }
    /// Sorted by path, position and wording, duplicates removed: stable output for people
    /// and tests.
    pub fn into_sorted(mut self) -> Vec<Diagnostic> {
        self.0.sort_by_cached_key(|d| (d.path.clone(), d.pos, d.to_string()));
        self.0.dedup();
        self.0
    }
}

impl From<Diagnostic> for Diagnostics {
    fn from(d: Diagnostic) -> Self {
        Diagnostics(vec![d])
    }
}

impl Extend<Diagnostic> for Diagnostics {
    fn extend<T: IntoIterator<Item = Diagnostic>>(&mut self, iter: T) {
        self.0.extend(iter)
    }
}

impl fmt::Display for Diagnostics {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for d in &self.0 {
            writeln!(f, "{d}")?;
        }
        Ok(())
    }
}

impl std::error::Error for Diagnostics {}

/// 1-based (line, column) of byte `offset` in `text`; the column counts characters.
pub fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let mut offset = offset.min(text.len());
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    let before = &text[..offset];
    let line = before.bytes().filter(|&b| b == b'\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    (line, before[line_start..].chars().count() + 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_col_counts_chars() {
        assert_eq!(line_col("ab\næøå x", 0), (1, 1));
        assert_eq!(line_col("ab\næøå x", 3), (2, 1));
        assert_eq!(line_col("ab\næøå x", 10), (2, 5));
        assert_eq!(line_col("ab", 99), (1, 3));
    }

    #[test]
    fn display_with_and_without_position() {
        let m = || msg!("content.missing_folder");
        assert_eq!(Diagnostic::error("content", m()).to_string(), format!("content: {}", m()));
        let d = Diagnostic::at("content/a.md", 3, 2, m()).while_rendering("content/a.md");
        assert_eq!(d.to_string(), format!("content/a.md:3:2: {} (while rendering content/a.md)", m()));
        assert!(!Diagnostic::error("x", m()).warning().is_error());
    }
}
