//! Diagnostics: every problem with user input (config, content, templates) becomes a
//! [`Diagnostic`] with a path relative to the site root, a 1-based line and column, and a
//! message that says what to do. Stages collect them instead of stopping at the first one.

use std::fmt;

/// One problem found in a user's file.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Diagnostic {
    /// Path relative to the site root, with `/` separators (e.g. `content/tips/x.md`).
    pub path: String,
    /// 1-based line.
    pub line: usize,
    /// 1-based column, counted in characters.
    pub col: usize,
    /// What is wrong and, where we can tell, how to fix it.
    pub message: String,
}

impl Diagnostic {
    /// A diagnostic at an explicit position.
    pub fn new(path: impl Into<String>, line: usize, col: usize, message: impl Into<String>) -> Self {
        Diagnostic { path: path.into(), line: line.max(1), col: col.max(1), message: message.into() }
    }

    /// A diagnostic at byte offset `offset` of `text`, where `text` starts at line `first_line`
    /// of the file (used for front matter and markdown bodies, which start below line 1).
    pub fn at_offset(path: &str, text: &str, offset: usize, first_line: usize, message: impl Into<String>) -> Self {
        let (line, col) = line_col(text, offset);
        Diagnostic::new(path, line + first_line - 1, col, message)
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}:{}: {}", self.path, self.line, self.col, self.message)
    }
}

/// The error type of every stage: all the problems found, never just the first.
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
    /// Number of diagnostics.
    pub fn len(&self) -> usize {
        self.0.len()
    }
    /// Sorted by path and position, duplicates removed: stable output for people and tests.
    pub fn into_sorted(mut self) -> Vec<Diagnostic> {
        self.0.sort();
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

/// Turns a TOML deserialisation error into a diagnostic. `first_line` is the file line where
/// `src` starts. Unknown keys get a "did you mean" from the keys serde says it expected.
pub fn toml_diagnostic(path: &str, src: &str, first_line: usize, err: &toml::de::Error) -> Diagnostic {
    let offset = err.span().map_or(0, |s| s.start);
    let msg = err.message().trim();
    let message = match unknown_key(msg) {
        Some((key, expected)) => {
            let mut m = format!("unknown key `{key}`");
            if let Some(best) = suggest(&key, expected.iter().map(String::as_str)) {
                m.push_str(&format!("; did you mean `{best}`?"));
            } else if !expected.is_empty() {
                m.push_str(&format!("; allowed keys here: {}", expected.join(", ")));
            }
            if expected.iter().any(|k| k == "extra") {
                m.push_str(" (put custom fields under [extra])");
            }
            m
        }
        None => with_toml_hint(&msg.replace("invalid type", "wrong type"), src, err.span()),
    };
    Diagnostic::at_offset(path, src, offset, first_line, message)
}

/// Says what to do for the TOML mistakes writers make most.
fn with_toml_hint(msg: &str, src: &str, span: Option<std::ops::Range<usize>>) -> String {
    let spanned = span.clone().and_then(|s| src.get(s)).unwrap_or("").trim();
    // The key and raw value on the line of the error, for hints that name them.
    let line = span.map_or("", |s| {
        let start = src[..s.start.min(src.len())].rfind('\n').map_or(0, |i| i + 1);
        src[start..].lines().next().unwrap_or("")
    });
    let (key, value) = line.split_once('=').map_or(("", ""), |(k, v)| (k.trim(), v.trim()));
    let raw = value.trim_matches('"');
    if let (true, Some(iso)) = (matches!(key, "date" | "updated"), crate::date::suggest_iso(raw)) {
        return format!("`{raw}` is not a date: write {key} = {iso} (year-month-day, without quotes)");
    }
    if msg.starts_with("duplicate key") {
        return format!("duplicate key `{spanned}`: it is set twice; remove one of the lines");
    }
    let hint = if msg.contains("must be quoted") {
        "; put text in double quotes, e.g. title = \"Min tittel\" (dates are written without quotes: date = 2023-06-09)"
    } else if msg.contains("expected a sequence") {
        return format!("{msg}; write `{key}` as a list in square brackets, e.g. {key} = [\"...\", \"...\"]");
    } else if msg.contains("expected a boolean") {
        "; write true or false without quotes"
    } else if msg.contains("invalid basic string") || msg.contains("expected `\"`") {
        "; a quoted text is not closed: end it with \" on the same line"
    } else {
        ""
    };
    format!("{msg}{hint}")
}

/// Parses serde's "unknown field `x`, expected one of `a`, `b`" into the key and the choices.
fn unknown_key(msg: &str) -> Option<(String, Vec<String>)> {
    let rest = msg.strip_prefix("unknown field `")?;
    let end = rest.find('`')?;
    let key = rest[..end].to_string();
    let expected = rest[end + 1..].split('`').skip(1).step_by(2).map(str::to_string).collect();
    Some((key, expected))
}

/// The closest candidate to `word`, if it is close enough to be a likely typo.
pub fn suggest<'a>(word: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let lower = word.to_lowercase();
    candidates
        .into_iter()
        .map(|c| (edit_distance(&lower, &c.to_lowercase()), c))
        .filter(|(d, c)| *d <= (c.chars().count().max(3) / 3).max(1) + 1 && *d < c.chars().count())
        .min_by_key(|(d, c)| (*d, *c))
        .map(|(_, c)| c)
}

/// Levenshtein distance over characters.
fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut cur = vec![i + 1; b.len() + 1];
        for (j, cb) in b.iter().enumerate() {
            let cost = usize::from(ca != *cb);
            cur[j + 1] = (prev[j] + cost).min(prev[j + 1] + 1).min(cur[j] + 1);
        }
        prev = cur;
    }
    prev[b.len()]
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
    fn suggestions_catch_typos_only() {
        let keys = ["title", "description", "date", "taxonomies"];
        assert_eq!(suggest("titel", keys), Some("title"));
        assert_eq!(suggest("taxonomy", keys), Some("taxonomies"));
        assert_eq!(suggest("descripton", keys), Some("description"));
        assert_eq!(suggest("zebra", keys), None);
    }

    #[test]
    fn unknown_key_parsing() {
        let (k, e) = unknown_key("unknown field `titel`, expected one of `title`, `date`").unwrap();
        assert_eq!(k, "titel");
        assert_eq!(e, vec!["title", "date"]);
        assert!(unknown_key("invalid type").is_none());
    }
}
