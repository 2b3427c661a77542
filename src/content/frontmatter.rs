//! Front matter: splitting a file into its `+++` TOML block and markdown body, reading the
//! block as a spanned TOML table, and taking its fields one by one, so that one value of the
//! wrong type is reported at its place while every other field is still read and checked.
//! Where each key and value stands is kept ([`Spans`]) for later checks (content types).
//! Keys follow Zola, so content written for Zola reads unchanged.

use crate::date::Date;
use crate::error::{suggest, toml_message, Diagnostic, Pos};
use crate::messages::Message;
use crate::msg;
use toml::de::{DeTable, DeValue};
use toml::Spanned;

/// A value as written, with where it stands in the file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct At<T> {
    /// The value.
    pub value: T,
    /// Where it starts.
    pub pos: Pos,
}

/// A file split into front matter and body, with the file lines where each starts.
#[derive(Debug)]
pub struct Split<'a> {
    /// The TOML text between the `+++` lines.
    pub front_matter: &'a str,
    /// 1-based file line of the first front-matter line.
    pub front_matter_line: usize,
    /// The markdown after the closing `+++`.
    pub body: &'a str,
    /// 1-based file line where the body starts.
    pub body_line: usize,
}

/// Splits `text` at its `+++` front-matter fences. `path` is only used for diagnostics.
pub fn split<'a>(path: &str, text: &'a str) -> Result<Split<'a>, Diagnostic> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let leading = text.len() - text.trim_start().len();
    let start_line = text[..leading].matches('\n').count() + 1;
    let rest = &text[leading..];
    let first = rest.lines().next().unwrap_or("").trim_end();
    if first == "---" {
        return Err(Diagnostic::at(path, start_line, 1, msg!("frontmatter.yaml")));
    }
    if first != "+++" {
        return Err(Diagnostic::at(path, start_line, 1, msg!("frontmatter.missing")));
    }
    let after_open = &rest[first.len()..];
    let after_open = after_open.strip_prefix("\r\n").or_else(|| after_open.strip_prefix('\n')).unwrap_or(after_open);
    let mut offset = 0;
    for line in after_open.split_inclusive('\n') {
        if line.trim_end() == "+++" {
            let front_matter = &after_open[..offset];
            let body = &after_open[offset + line.len()..];
            let front_matter_line = start_line + 1;
            let body_line = front_matter_line + front_matter.matches('\n').count() + 1;
            return Ok(Split { front_matter, front_matter_line, body, body_line });
        }
        offset += line.len();
    }
    Err(Diagnostic::at(path, start_line, 1, msg!("frontmatter.not_closed")))
}

/// Where each front-matter key and its value stand in the file, by dotted key
/// (`title`, `taxonomies.kommune`, `extra.people`); list items as `key[0]`, `key[1]`, ….
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Spans {
    /// The line of the opening `+++`: where a missing key is to be added.
    pub fence: usize,
    entries: Vec<(Box<str>, Pos, Pos)>,
}

impl Spans {
    /// Where `key` is written.
    pub fn key(&self, key: &str) -> Option<Pos> {
        self.entries.iter().find(|(k, _, _)| &**k == key).map(|(_, p, _)| *p)
    }

    /// Where the value of `key` starts.
    pub fn value(&self, key: &str) -> Option<Pos> {
        self.entries.iter().find(|(k, _, _)| &**k == key).map(|(_, _, p)| *p)
    }

    /// Where to point for `key`: its value (or key), else the line of its table, else the
    /// opening fence.
    pub fn place(&self, key: &str, at_value: bool) -> Pos {
        let own = if at_value { self.value(key) } else { self.key(key) };
        let table = key.rsplit_once('.').and_then(|(t, _)| self.key(t)).map(|p| Pos { col: 1, ..p });
        own.or(table).unwrap_or(Pos { line: self.fence, col: 1 })
    }

    fn collect(&mut self, prefix: &str, table: &DeTable<'_>, at: &dyn Fn(usize) -> Pos) {
        for (k, v) in table.iter() {
            let name = if prefix.is_empty() { k.get_ref().to_string() } else { format!("{prefix}.{}", k.get_ref()) };
            self.entries.push((name.clone().into(), at(k.span().start), at(v.span().start)));
            match v.get_ref() {
                DeValue::Table(t) => self.collect(&name, t, at),
                DeValue::Array(items) => {
                    for (i, item) in items.iter().enumerate() {
                        let item_name = format!("{name}[{i}]");
                        self.entries.push((item_name.into(), at(item.span().start), at(item.span().start)));
                    }
                }
                _ => {}
            }
        }
    }
}

/// The front matter of one file, being read field by field. Each `take_*` removes the key
/// and converts its value, reporting a value of the wrong kind at its place; what is left at
/// the end are unknown keys ([`Fields::finish`]).
pub struct Fields<'a> {
    file: &'a str,
    text: &'a str,
    first_line: usize,
    starts: Vec<usize>,
    entries: Vec<(Spanned<String>, Spanned<DeValue<'a>>)>,
    /// Lines (0-based, within the front matter) with a syntax error: their values, as far
    /// as the parser recovered them, are not read again.
    broken: Vec<usize>,
    /// Positions of every key and value.
    pub spans: Spans,
    /// Problems found so far.
    pub diags: Vec<Diagnostic>,
}

impl<'a> Fields<'a> {
    /// Reads the front matter of `split`; TOML syntax errors are collected (all of them, as
    /// far as the parser can recover) and the keys that could be read are kept.
    pub fn parse(file: &'a str, split: &Split<'a>) -> Fields<'a> {
        let text = split.front_matter;
        let (table, errors) = DeTable::parse_recoverable(text);
        let mut f = Fields {
            file,
            text,
            first_line: split.front_matter_line,
            starts: line_starts(text),
            entries: Vec::new(),
            broken: Vec::new(),
            spans: Spans { fence: split.front_matter_line.saturating_sub(1).max(1), entries: Vec::new() },
            diags: Vec::new(),
        };
        for e in &errors {
            let offset = e.span().map_or(0, |s| s.start);
            f.diags.push(Diagnostic::at_offset(
                file,
                text,
                offset,
                f.first_line,
                toml_message(text, f.first_line, e.message(), e.span()),
            ));
            f.broken.push(f.pos(offset).line - f.first_line);
        }
        let table = table.into_inner();
        let mut spans = std::mem::take(&mut f.spans);
        spans.collect("", &table, &|offset| f.pos(offset));
        spans.entries.shrink_to_fit();
        f.spans = spans;
        f.entries = table.into_iter().map(|(k, v)| (Spanned::new(k.span(), k.into_inner().into_owned()), v)).collect();
        f
    }

    /// The file position of byte `offset` of the front matter.
    fn pos(&self, offset: usize) -> Pos {
        let offset = offset.min(self.text.len());
        let line = self.starts.partition_point(|&s| s <= offset).saturating_sub(1);
        let start = self.starts[line].min(offset);
        let col = self.text.get(start..offset).map_or(1, |t| t.chars().count() + 1);
        Pos { line: self.first_line + line, col }
    }

    fn at<T>(&self, span: std::ops::Range<usize>, value: T) -> At<T> {
        At { value, pos: self.pos(span.start) }
    }

    /// A problem at byte `offset` of the front matter.
    fn error_at(&mut self, offset: usize, message: Message) {
        let Pos { line, col } = self.pos(offset);
        self.diags.push(Diagnostic::at(self.file, line, col, message));
    }

    fn take(&mut self, key: &str) -> Option<Spanned<DeValue<'a>>> {
        let i = self.entries.iter().position(|(k, _)| k.get_ref() == key)?;
        let (k, v) = self.entries.remove(i);
        let line = |offset| self.pos(offset).line - self.first_line;
        let (first, last) = (line(k.span().start), line(v.span().end.max(k.span().end)));
        // Its syntax error is reported already; what the parser made of it means nothing.
        let broken =
            self.broken.iter().any(|l| (first..=last).contains(l)) && !matches!(v.get_ref(), DeValue::Table(_));
        (!broken).then_some(v)
    }

    /// Reports a value of the wrong kind: what it must be, and what was written.
    fn wrong(&mut self, key: &str, v: &Spanned<DeValue<'_>>, expected: Message) {
        let written = self.text.get(v.span()).unwrap_or("").trim().to_string();
        self.error_at(
            v.span().start,
            msg!("frontmatter.wrong_kind", key = key, expected = expected, written = written),
        );
    }

    /// A text value.
    pub fn text(&mut self, key: &str) -> Option<At<String>> {
        let v = self.take(key)?;
        match v.get_ref() {
            DeValue::String(s) => Some(self.at(v.span(), s.to_string())),
            _ => {
                self.wrong(key, &v, msg!("frontmatter.expect_text", key = key));
                None
            }
        }
    }

    /// `true` or `false`.
    pub fn bool(&mut self, key: &str) -> Option<bool> {
        let v = self.take(key)?;
        match v.get_ref() {
            DeValue::Boolean(b) => Some(*b),
            _ => {
                self.wrong(key, &v, msg!("frontmatter.expect_bool"));
                None
            }
        }
    }

    /// A whole number.
    pub fn integer(&mut self, key: &str) -> Option<i64> {
        let v = self.take(key)?;
        match v.get_ref() {
            DeValue::Integer(i) => match i64::from_str_radix(i.as_str(), i.radix()) {
                Ok(n) => Some(n),
                Err(_) => {
                    self.wrong(key, &v, msg!("frontmatter.expect_integer"));
                    None
                }
            },
            _ => {
                self.wrong(key, &v, msg!("frontmatter.expect_integer"));
                None
            }
        }
    }

    /// A whole number of at least 0.
    pub fn count(&mut self, key: &str) -> Option<usize> {
        let v = self.take(key)?;
        let n = match v.get_ref() {
            DeValue::Integer(i) => usize::from_str_radix(i.as_str(), i.radix()).ok(),
            _ => None,
        };
        if n.is_none() {
            self.wrong(key, &v, msg!("frontmatter.expect_count"));
        }
        n
    }

    /// A list of texts.
    pub fn texts(&mut self, key: &str) -> Option<Vec<At<String>>> {
        let v = self.take(key)?;
        let list = match v.get_ref() {
            DeValue::Array(items) => items
                .iter()
                .map(|i| i.get_ref().as_str().map(|s| self.at(i.span(), s.to_string())))
                .collect::<Option<Vec<_>>>(),
            _ => None,
        };
        if list.is_none() {
            self.wrong(key, &v, msg!("frontmatter.expect_texts", key = key));
        }
        list
    }

    /// A date (`2023-06-09`, with or without quotes, or with a time of day).
    pub fn date(&mut self, key: &str) -> Option<Date> {
        let v = self.take(key)?;
        let parsed = match v.get_ref() {
            DeValue::Datetime(d) => Date::parse(&d.to_string()),
            // A date in quotes as a Norwegian writes it: say exactly what to write.
            DeValue::String(s) => match crate::date::suggest_iso(s) {
                Some(iso) if Date::parse(s).is_err() => Err(msg!("toml.not_a_date", raw = &**s, key = key, iso = iso)),
                _ => Date::parse(s),
            },
            _ => {
                self.wrong(key, &v, msg!("frontmatter.expect_date", key = key));
                return None;
            }
        };
        parsed.map_err(|m| self.error_at(v.span().start, m)).ok()
    }

    /// A table of anything (`[extra]`).
    pub fn table(&mut self, key: &str) -> Option<toml::Table> {
        let v = self.take(key)?;
        match to_toml(v.get_ref()) {
            toml::Value::Table(t) => Some(t),
            _ => {
                self.wrong(key, &v, msg!("frontmatter.expect_table", key = key));
                None
            }
        }
    }

    /// `[taxonomies]`: each name with its terms; one term written without brackets is a
    /// one-item list. Returns (name at its place, terms).
    pub fn terms(&mut self, key: &str) -> Vec<(At<String>, Vec<String>)> {
        let Some(v) = self.take(key) else { return Vec::new() };
        let DeValue::Table(table) = v.get_ref() else {
            self.wrong(key, &v, msg!("frontmatter.expect_table", key = key));
            return Vec::new();
        };
        let mut out = Vec::new();
        let mut bad = Vec::new();
        for (name, terms) in table.iter() {
            let list = match terms.get_ref() {
                DeValue::String(s) => Some(vec![s.to_string()]),
                DeValue::Array(items) => items.iter().map(|i| i.get_ref().as_str().map(str::to_string)).collect(),
                _ => None,
            };
            match list {
                Some(list) => out.push((self.at(name.span(), name.get_ref().to_string()), list)),
                None => bad.push((name.get_ref().to_string(), terms.clone())),
            }
        }
        for (name, terms) in bad {
            self.wrong(&name, &terms, msg!("frontmatter.expect_terms"));
        }
        out
    }

    /// Reports every key not taken as unknown, suggesting the closest of `allowed`.
    pub fn finish(mut self, allowed: &[&str]) -> (Spans, Vec<Diagnostic>) {
        let left = std::mem::take(&mut self.entries);
        for (key, _) in left {
            let hint = match suggest(key.get_ref(), allowed.iter().copied()) {
                Some(best) => Some(msg!("hint.did_you_mean_key", name = best)),
                None => Some(msg!("hint.allowed_keys", keys = allowed.to_vec())),
            };
            let extra = allowed.contains(&"extra").then(|| msg!("hint.custom_under_extra"));
            let m = msg!("frontmatter.unknown_key", key = key.get_ref(), hint = hint, extra = extra);
            self.error_at(key.span().start, m);
        }
        (self.spans, self.diags)
    }

    /// Is there a value for `key` that has not been taken yet?
    pub fn has(&self, key: &str) -> bool {
        self.entries.iter().any(|(k, _)| k.get_ref() == key)
    }
}

/// Byte offsets where each line of `text` starts.
fn line_starts(text: &str) -> Vec<usize> {
    std::iter::once(0).chain(text.match_indices('\n').map(|(i, _)| i + 1)).collect()
}

/// A parsed TOML value as a plain one.
fn to_toml(v: &DeValue<'_>) -> toml::Value {
    match v {
        DeValue::String(s) => toml::Value::String(s.to_string()),
        DeValue::Integer(i) => i64::from_str_radix(i.as_str(), i.radix())
            .map_or_else(|_| toml::Value::String(i.to_string()), toml::Value::Integer),
        DeValue::Float(f) => {
            f.as_str().parse::<f64>().map_or_else(|_| toml::Value::String(f.to_string()), toml::Value::Float)
        }
        DeValue::Boolean(b) => toml::Value::Boolean(*b),
        DeValue::Datetime(d) => toml::Value::Datetime(*d),
        DeValue::Array(a) => toml::Value::Array(a.iter().map(|x| to_toml(x.get_ref())).collect()),
        DeValue::Table(t) => {
            toml::Value::Table(t.iter().map(|(k, v)| (k.get_ref().to_string(), to_toml(v.get_ref()))).collect())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_with_line_numbers() {
        let s = split("a.md", "+++\ntitle = \"x\"\n+++\nHei\n").unwrap();
        assert_eq!(s.front_matter, "title = \"x\"\n");
        assert_eq!((s.front_matter_line, s.body_line), (2, 4));
        assert_eq!(s.body, "Hei\n");
        let s = split("a.md", "\u{feff}\n\n+++\r\n+++\r\nbody").unwrap();
        assert_eq!((s.front_matter, s.body, s.body_line), ("", "body", 5));
    }

    #[test]
    fn explains_missing_or_yaml_front_matter() {
        assert!(split("a.md", "# Hei").unwrap_err().to_string().contains("missing front matter"));
        assert!(split("a.md", "---\ntitle: x\n---\n").unwrap_err().to_string().contains("YAML"));
        let e = split("a.md", "+++\ntitle = \"x\"\n").unwrap_err();
        assert!(e.to_string().contains("never closed"));
    }

    fn read(text: &str) -> (Fields<'_>, Split<'_>) {
        let s = split("c/a.md", text).unwrap();
        let f = Fields::parse("c/a.md", &s);
        (f, s)
    }

    #[test]
    fn one_wrong_value_does_not_hide_the_others() {
        let text = "+++\ntitle = 5\ndraft = \"yes\"\nweight = 2\ntitel = \"x\"\n[extra]\npeople = [\"A\"]\n+++\n";
        let (mut f, _) = read(text);
        assert_eq!(f.text("title"), None);
        assert_eq!(f.bool("draft"), None);
        assert_eq!(f.integer("weight"), Some(2));
        assert!(f.table("extra").is_some());
        let (spans, diags) = f.finish(&["title", "draft", "weight", "extra"]);
        let shown: Vec<String> = diags.iter().map(ToString::to_string).collect();
        assert_eq!(shown.len(), 3, "{shown:#?}");
        assert!(shown[0].starts_with("c/a.md:2:9: `title` must be text"), "{}", shown[0]);
        assert!(shown[1].starts_with("c/a.md:3:9: `draft` must be true or false"), "{}", shown[1]);
        assert!(shown[2].starts_with("c/a.md:5:1: unknown key `titel`; did you mean `title`?"), "{}", shown[2]);
        assert_eq!(spans.key("extra.people"), Some(Pos { line: 7, col: 1 }));
        assert_eq!(spans.value("extra.people[0]"), Some(Pos { line: 7, col: 11 }));
        assert_eq!(spans.place("extra.image", false), Pos { line: 6, col: 1 });
        assert_eq!(spans.place("description", false), Pos { line: 1, col: 1 });
    }

    #[test]
    fn syntax_errors_keep_what_could_be_read() {
        let (mut f, _) = read("+++\ntitle = \"T\"\ndate = 9. juni 2023\nweight = 3\n+++\n");
        assert_eq!(f.text("title").map(|t| t.value), Some("T".to_string()));
        assert_eq!(f.integer("weight"), Some(3));
        assert!(f.diags.iter().any(|d| d.to_string().contains("write date = 2023-06-09")), "{:?}", f.diags);
    }

    #[test]
    fn terms_accept_one_name_without_brackets() {
        let (mut f, _) = read("+++\n[taxonomies]\nkommune = \"Melhus\"\nfylke = [\"Trøndelag\"]\nx = 5\n+++\n");
        let terms = f.terms("taxonomies");
        let names: Vec<(&str, Vec<String>)> = terms.iter().map(|(n, t)| (n.value.as_str(), t.clone())).collect();
        assert_eq!(names, [("fylke", vec!["Trøndelag".to_string()]), ("kommune", vec!["Melhus".to_string()])]);
        assert_eq!(f.diags.len(), 1);
    }
}
