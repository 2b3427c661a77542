//! Components called in a text, the way Zola 0.23 writes them on Tera 2:
//! `{{ <video url="…" /> }}` inline, `{% <faktaboks tittel="…"> %}markdown{% </faktaboks> %}`
//! with a body, and `{% raw %}…{% endraw %}` around text that only looks like template
//! syntax. Zola 0.22's shortcode calls, `{{ name(arg=…) }}` and
//! `{% name(arg=…) %}body{% end %}`, call the same components.
//!
//! [`extract`] runs before the markdown parser: each call becomes a placeholder the parser
//! passes through as text (a call alone on its line becomes its own paragraph), and
//! [`substitute`] puts each component's HTML in its place afterwards. Other template syntax
//! in a text is reported, never run: a text is the writer's, not the theme's.

use crate::error::Pos;
use crate::messages::Message;
use crate::msg;
use serde_json::Value;

/// Starts and ends a placeholder (Unicode private-use characters, which no text needs).
const OPEN: char = '\u{E000}';
const CLOSE: char = '\u{E001}';

/// One component call found in a text.
#[derive(Debug, Clone, PartialEq)]
pub struct Call {
    /// The component's name, as written.
    pub name: String,
    /// Arguments in the order written.
    pub args: Vec<(String, Value)>,
    /// The body's markdown, for calls with a body.
    pub body: Option<String>,
    /// Line of the text where the body starts (1-based).
    pub body_line: usize,
    /// Where the call starts in the text.
    pub pos: Pos,
    /// Alone on its line(s): its HTML replaces the paragraph it would otherwise sit in.
    pub block: bool,
}

/// A text with its calls taken out.
#[derive(Debug, Default)]
pub struct Extracted {
    /// The text with a placeholder for each call and raw blocks unwrapped.
    pub text: String,
    /// The calls, by placeholder number.
    pub calls: Vec<Call>,
    /// For each line of `text`, the line of the original it comes from (1-based).
    pub lines: Vec<usize>,
    /// Mistakes in the template syntax.
    pub errors: Vec<(Pos, Message)>,
}

impl Extracted {
    /// The original line of line `line` (1-based) of the extracted text.
    pub fn original_line(&self, line: usize) -> usize {
        self.lines.get(line.saturating_sub(1)).copied().unwrap_or(line)
    }
}

/// Does this text contain anything [`extract`] would act on?
pub fn has_template_syntax(text: &str) -> bool {
    find_open(text).is_some()
}

/// Takes the component calls, raw blocks and template comments out of `text`.
pub fn extract(text: &str) -> Extracted {
    let starts = std::iter::once(0).chain(text.match_indices('\n').map(|(i, _)| i + 1)).collect();
    let mut x = Scanner { text, starts, at: 0, out: Out::default(), calls: Vec::new(), errors: Vec::new() };
    x.run();
    let Scanner { out, calls, errors, .. } = x;
    Extracted { text: out.text, calls, lines: out.lines, errors }
}

/// The extracted text as it grows, with the original line of each of its lines.
struct Out {
    text: String,
    lines: Vec<usize>,
}

impl Default for Out {
    fn default() -> Out {
        Out { text: String::new(), lines: vec![1] }
    }
}

impl Out {
    /// Copies original text that starts on line `line` of the original.
    fn copy(&mut self, s: &str, line: usize) {
        let mut l = line;
        for c in s.chars() {
            self.text.push(c);
            if c == '\n' {
                l += 1;
                self.lines.push(l);
            }
        }
    }

    /// Adds text of our own, without line breaks.
    fn push(&mut self, s: &str) {
        self.text.push_str(s);
    }

    /// Adds a line break of our own; the new line counts as line `next` of the original.
    fn newline(&mut self, next: usize) {
        self.text.push('\n');
        self.lines.push(next);
    }

    /// Is the text so far empty or ending in a blank line?
    fn at_paragraph_start(&self) -> bool {
        let t = self.text.trim_end_matches([' ', '\t']);
        t.is_empty() || t.ends_with("\n\n")
    }
}

struct Scanner<'t> {
    text: &'t str,
    /// Where each line of `text` starts.
    starts: Vec<usize>,
    at: usize,
    out: Out,
    calls: Vec<Call>,
    errors: Vec<(Pos, Message)>,
}

/// A tag found: its kind and where it ends.
enum Tag<'t> {
    /// `{% raw %}`.
    Raw,
    /// A call, self-closing (`{{ <x /> }}`, `{{ x() }}`) or opening a body.
    Call { name: &'t str, args: &'t str, old_style: bool, with_body: bool },
    /// `{# … #}`.
    Comment,
    /// Anything else between `{{ }}` or `{% %}`.
    Other,
}

impl<'t> Scanner<'t> {
    fn line_of(&self, offset: usize) -> usize {
        self.starts.partition_point(|&s| s <= offset).max(1)
    }

    fn pos_of(&self, offset: usize) -> Pos {
        let line = self.line_of(offset);
        Pos { line, col: self.text[self.starts[line - 1]..offset].chars().count() + 1 }
    }

    fn run(&mut self) {
        while let Some(rel) = find_open(&self.text[self.at..]) {
            let start = self.at + rel;
            self.out.copy(&self.text[self.at..start], self.line_of(self.at));
            self.at = start;
            self.tag(start);
        }
        self.out.copy(&self.text[self.at..], self.line_of(self.at));
        self.at = self.text.len();
    }

    /// Handles the tag starting at `start` (`{{`, `{%` or `{#`) and moves past it.
    fn tag(&mut self, start: usize) {
        let rest = &self.text[start..];
        let close = match &rest[..2] {
            "{{" => "}}",
            "{%" => "%}",
            _ => "#}",
        };
        let end = rest[2..].find(close).map(|i| i + 2);
        let Some(end) = end else {
            // An opening with no close: say so, keep the text as it is.
            self.errors.push((self.pos_of(start), msg!("components.not_closed", close = close)));
            self.out.copy(&rest[..2], self.line_of(start));
            self.at = start + 2;
            return;
        };
        let inner = &rest[2..end];
        let after = start + end + 2;
        match classify(&rest[..2], inner) {
            Tag::Comment => self.at = after,
            Tag::Raw => self.raw(start, after),
            Tag::Other => {
                let shown = rest[..end + 2].lines().next().unwrap_or("").to_string();
                self.errors.push((self.pos_of(start), msg!("components.template_text", text = shown)));
                self.out.copy(&rest[..end + 2], self.line_of(start));
                self.at = after;
            }
            Tag::Call { name, args, old_style, with_body } => {
                let pos = self.pos_of(start);
                let args = match parse_args(args, old_style) {
                    Ok(a) => a,
                    Err(m) => {
                        self.errors.push((pos, msg!("components.bad_args", name = name, problem = m)));
                        Vec::new()
                    }
                };
                let (body, body_line, end) = if with_body {
                    match self.find_end(name, old_style, after) {
                        Some((body_end, tag_end)) => {
                            let body = trim_body(&self.text[after..body_end]);
                            let skipped = self.text[after..body_end].len()
                                - self.text[after..body_end].trim_start_matches([' ', '\t']).len();
                            let body_start =
                                after + skipped + usize::from(self.text[after + skipped..].starts_with('\n'));
                            (Some(body.to_string()), self.line_of(body_start), tag_end)
                        }
                        None => {
                            let m = if old_style {
                                msg!("components.no_end_old", name = name)
                            } else {
                                msg!("components.no_end", name = name)
                            };
                            self.errors.push((pos, m));
                            (None, pos.line, after)
                        }
                    }
                } else {
                    (None, pos.line, after)
                };
                self.place(Call { name: name.to_string(), args, body, body_line, pos, block: false }, start, end);
            }
        }
    }

    /// `{% raw %}…{% endraw %}`: the inside goes out as written.
    fn raw(&mut self, start: usize, after: usize) {
        let open = &self.text[start..after];
        let trim_after = open.ends_with("-%}");
        let trim_before = open.starts_with("{%-");
        if trim_before {
            let t = self.out.text.trim_end().len();
            self.out.text.truncate(t);
            let lines = self.out.text.matches('\n').count() + 1;
            self.out.lines.truncate(lines);
        }
        let mut from = after;
        let mut search = after;
        let end = loop {
            let Some(rel) = self.text[search..].find("{%") else { break None };
            let s = search + rel;
            match self.text[s..].find("%}") {
                Some(e) if self.text[s + 2..s + e].trim().trim_matches('-').trim() == "endraw" => {
                    break Some((s, s + e + 2))
                }
                Some(_) | None => search = s + 2,
            }
        };
        let Some((inner_end, tag_end)) = end else {
            self.errors.push((self.pos_of(start), msg!("components.no_endraw")));
            self.at = after;
            return;
        };
        let close = &self.text[inner_end..tag_end];
        let mut inner = &self.text[from..inner_end];
        if trim_after {
            let trimmed = inner.trim_start();
            from += inner.len() - trimmed.len();
            inner = trimmed;
        }
        if close.starts_with("{%-") {
            inner = inner.trim_end();
        }
        self.out.copy(inner, self.line_of(from));
        self.at = tag_end;
        if close.ends_with("-%}") {
            let rest = &self.text[self.at..];
            self.at += rest.len() - rest.trim_start().len();
        }
    }

    /// The body's end and the closing tag's end for a call of `name` opened before `from`;
    /// nested calls of the same name are counted.
    fn find_end(&self, name: &str, old_style: bool, from: usize) -> Option<(usize, usize)> {
        let mut depth = 1;
        let mut search = from;
        while let Some(rel) = self.text[search..].find("{%") {
            let s = search + rel;
            let e = s + self.text[s..].find("%}")?;
            let inner = self.text[s + 2..e].trim().trim_matches('-').trim();
            let closes = if old_style {
                inner == "end"
            } else {
                inner.strip_prefix("</").and_then(|r| r.strip_suffix('>')).map(str::trim) == Some(name)
            };
            let opens = if old_style {
                inner.split('(').next().map(str::trim) == Some(name) && inner.ends_with(')')
            } else {
                inner.strip_prefix('<').is_some_and(|r| {
                    !r.starts_with('/') && r.split([' ', '>', '/']).next() == Some(name) && !inner.ends_with("/>")
                })
            };
            if closes {
                depth -= 1;
                if depth == 0 {
                    return Some((s, e + 2));
                }
            } else if opens {
                depth += 1;
            }
            search = e + 2;
        }
        None
    }

    /// Puts a placeholder for `call` (spanning `start..end` of the text) into the output.
    fn place(&mut self, mut call: Call, start: usize, end: usize) {
        let line_start = self.text[..start].rfind('\n').map_or(0, |i| i + 1);
        let line_end = self.text[end..].find('\n').map_or(self.text.len(), |i| end + i);
        let alone = self.text[line_start..start].trim().is_empty() && self.text[end..line_end].trim().is_empty();
        let line = call.pos.line;
        let last = line + self.text[start..end].matches('\n').count();
        let placeholder = format!("{OPEN}{}{CLOSE}", self.calls.len());
        if alone {
            // Its own paragraph: a blank line before and after (the indent, already out,
            // keeps it inside a list item).
            call.block = true;
            if !self.out.at_paragraph_start() {
                self.out.newline(line);
                self.out.push(&self.text[line_start..start]);
            }
            self.out.push(&placeholder);
            for l in line + 1..=last {
                self.out.newline(l);
            }
            self.at = line_end;
            let next_blank = self.text[line_end..]
                .strip_prefix('\n')
                .is_none_or(|r| r.split('\n').next().unwrap_or("").trim().is_empty());
            if last == line && !next_blank {
                self.out.newline(line);
            }
        } else {
            self.out.push(&placeholder);
            for l in line + 1..=last {
                self.out.newline(l);
            }
            self.at = end;
        }
        self.calls.push(call);
    }
}

/// The next `{{`, `{%` or `{#` in `s`.
fn find_open(s: &str) -> Option<usize> {
    let b = s.as_bytes();
    b.windows(2).position(|w| w[0] == b'{' && matches!(w[1], b'{' | b'%' | b'#'))
}

/// What a tag is, from its opening (`{{`, `{%`, `{#`) and what is between the delimiters.
fn classify<'t>(open: &str, inner: &'t str) -> Tag<'t> {
    if open == "{#" {
        return Tag::Comment;
    }
    let inner = inner.strip_prefix('-').unwrap_or(inner);
    let inner = inner.strip_suffix('-').unwrap_or(inner).trim();
    if open == "{%" && inner == "raw" {
        return Tag::Raw;
    }
    if let Some(rest) = inner.strip_prefix('<') {
        if rest.starts_with('/') {
            return Tag::Other;
        }
        let (self_closing, rest) = match rest.strip_suffix("/>") {
            Some(r) => (true, r),
            None => (false, rest.strip_suffix('>').unwrap_or(rest)),
        };
        let name_end = rest.find(|c: char| c.is_whitespace()).unwrap_or(rest.len());
        let name = &rest[..name_end];
        if is_name(name) && (self_closing == (open == "{{")) {
            return Tag::Call { name, args: rest[name_end..].trim(), old_style: false, with_body: !self_closing };
        }
        return Tag::Other;
    }
    // Zola 0.22: `name(args)`.
    if let Some(paren) = inner.find('(') {
        let name = inner[..paren].trim();
        if is_name(name) && inner.ends_with(')') {
            let args = &inner[paren + 1..inner.len() - 1];
            return Tag::Call { name, args, old_style: true, with_body: open == "{%" };
        }
    }
    Tag::Other
}

fn is_name(s: &str) -> bool {
    let mut chars = s.chars();
    chars.next().is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '.')
}

/// A body without the line break after its opening tag and the white space before its
/// closing tag.
fn trim_body(s: &str) -> &str {
    let s = s.trim_start_matches([' ', '\t']);
    let s = s.strip_prefix("\r\n").or_else(|| s.strip_prefix('\n')).unwrap_or(s);
    s.trim_end()
}

/// Parses `a="x" b={3} c` (Tera 2) or `a="x", b=3` (Zola 0.22) into names and values.
fn parse_args(s: &str, old_style: bool) -> Result<Vec<(String, Value)>, Message> {
    let mut p = Lit { s, at: 0 };
    let mut out: Vec<(String, Value)> = Vec::new();
    loop {
        p.skip_ws();
        if old_style && p.peek() == Some(',') {
            p.at += 1;
            continue;
        }
        if p.at >= s.len() {
            return Ok(out);
        }
        let name = p.name().ok_or_else(|| msg!("components.expected_name", text = p.rest_shown()))?;
        p.skip_ws();
        if p.peek() != Some('=') {
            return Err(msg!("components.expected_equals", name = name.as_str()));
        }
        p.at += 1;
        p.skip_ws();
        let value = if !old_style && p.peek() == Some('{') {
            p.at += 1;
            let v = p.value()?;
            p.skip_ws();
            if p.peek() != Some('}') {
                return Err(msg!("components.bad_value", name = name.as_str()));
            }
            p.at += 1;
            v
        } else {
            p.value().map_err(|_| msg!("components.bad_value", name = name.as_str()))?
        };
        if out.iter().any(|(n, _)| n == &name) {
            return Err(msg!("components.twice", name = name.as_str()));
        }
        out.push((name, value));
    }
}

/// A small reader of literal values: strings, numbers, true/false and lists of them.
struct Lit<'s> {
    s: &'s str,
    at: usize,
}

impl Lit<'_> {
    fn peek(&self) -> Option<char> {
        self.s[self.at..].chars().next()
    }

    fn skip_ws(&mut self) {
        let rest = &self.s[self.at..];
        self.at += rest.len() - rest.trim_start().len();
    }

    fn rest_shown(&self) -> String {
        self.s[self.at..].chars().take(20).collect()
    }

    fn name(&mut self) -> Option<String> {
        let rest = &self.s[self.at..];
        let end = rest.find(|c: char| !(c.is_ascii_alphanumeric() || c == '_')).unwrap_or(rest.len());
        if end == 0 || rest.as_bytes()[0].is_ascii_digit() {
            return None;
        }
        self.at += end;
        Some(rest[..end].to_string())
    }

    fn value(&mut self) -> Result<Value, Message> {
        self.skip_ws();
        let bad = || msg!("components.bad_literal");
        match self.peek().ok_or_else(bad)? {
            q @ ('"' | '\'' | '`') => {
                let rest = &self.s[self.at + 1..];
                let end = rest.find(q).ok_or_else(bad)?;
                let text = rest[..end].to_string();
                self.at += end + 2;
                Ok(Value::String(text))
            }
            '[' => {
                self.at += 1;
                let mut items = Vec::new();
                loop {
                    self.skip_ws();
                    match self.peek() {
                        Some(']') => {
                            self.at += 1;
                            return Ok(Value::Array(items));
                        }
                        Some(',') => self.at += 1,
                        Some(_) => items.push(self.value()?),
                        None => return Err(bad()),
                    }
                }
            }
            _ => {
                let rest = &self.s[self.at..];
                let end = rest.find(|c: char| c.is_whitespace() || matches!(c, ',' | ']' | '}')).unwrap_or(rest.len());
                let word = &rest[..end];
                let v = match word {
                    "true" => Value::Bool(true),
                    "false" => Value::Bool(false),
                    _ => {
                        if let Ok(i) = word.parse::<i64>() {
                            Value::from(i)
                        } else if let Ok(f) = word.parse::<f64>() {
                            serde_json::Number::from_f64(f).map(Value::Number).ok_or_else(bad)?
                        } else {
                            return Err(bad());
                        }
                    }
                };
                self.at += end;
                Ok(v)
            }
        }
    }
}

/// Puts each call's HTML in place of its placeholder in `html`; a block call's HTML
/// replaces the paragraph around its placeholder. `rendered[n]` is call `n`'s HTML.
pub fn substitute(html: &str, calls: &[Call], rendered: &[String]) -> String {
    let mut out = String::with_capacity(html.len() + rendered.iter().map(String::len).sum::<usize>());
    let mut rest = html;
    while let Some(i) = rest.find(OPEN) {
        let after = &rest[i + OPEN.len_utf8()..];
        let Some(j) = after.find(CLOSE) else { break };
        let Some(n) = after[..j].parse::<usize>().ok().filter(|&n| n < calls.len() && n < rendered.len()) else {
            out.push_str(&rest[..i + OPEN.len_utf8()]);
            rest = after;
            continue;
        };
        let before = &rest[..i];
        let tail = &after[j + CLOSE.len_utf8()..];
        if calls[n].block && before.ends_with("<p>") && tail.starts_with("</p>") {
            out.push_str(&before[..before.len() - 3]);
            out.push_str(rendered[n].trim_end());
            rest = &tail[4..];
        } else {
            out.push_str(before);
            out.push_str(&rendered[n]);
            rest = tail;
        }
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn inline_and_block_calls_in_both_syntaxes() {
        let x = extract(
            "Se {{ <video url=\"https://youtu.be/x\" /> }} her.\n\n{{ <kontakt tittel='Hei' antall={3} /> }}\n",
        );
        assert!(x.errors.is_empty(), "{:?}", x.errors);
        assert_eq!(x.calls.len(), 2);
        assert_eq!(x.calls[0].args, vec![("url".to_string(), json!("https://youtu.be/x"))]);
        assert!(!x.calls[0].block && x.calls[1].block);
        assert_eq!(x.calls[1].args[1], ("antall".to_string(), json!(3)));
        assert_eq!(x.calls[1].pos, Pos { line: 3, col: 1 });
        let old = extract("{{ video(url=\"u\", start=10, vis=true, ord=[\"a\", \"b\"]) }}");
        assert_eq!(old.calls[0].args.len(), 4, "{:?}", old.errors);
        assert_eq!(old.calls[0].args[3].1, json!(["a", "b"]));
    }

    #[test]
    fn bodies_nest_and_keep_their_lines() {
        let text = "Innledning\n{% <faktaboks tittel=\"Fakta\"> %}\n- 7 samlinger\n- {{ <b /> }}\n{% </faktaboks> %}\nSlutt [lenke](x)\n";
        let x = extract(text);
        assert!(x.errors.is_empty(), "{:?}", x.errors);
        assert_eq!(x.calls.len(), 1);
        let c = &x.calls[0];
        assert_eq!(c.body.as_deref(), Some("- 7 samlinger\n- {{ <b /> }}"));
        assert_eq!((c.pos.line, c.body_line, c.block), (2, 3, true));
        // "Slutt" is on line 6 of the original, whatever the extracted text looks like.
        let line = x.text.lines().position(|l| l.starts_with("Slutt")).unwrap() + 1;
        assert_eq!(x.original_line(line), 6);
        let old = extract("{% sitat(kilde=\"K\") %}\nTekst\n{% end %}");
        assert_eq!(old.calls[0].body.as_deref(), Some("Tekst"));
    }

    #[test]
    fn raw_keeps_template_text_and_other_syntax_is_reported() {
        let x = extract("{% raw %}{{ page.title }} og {% if x %}{% endraw %} ferdig");
        assert!(x.errors.is_empty() && x.calls.is_empty());
        assert_eq!(x.text, "{{ page.title }} og {% if x %} ferdig");
        let trimmed = extract("```\n{% raw -%}\n{{ x }}\n{%- endraw %}\n```");
        assert_eq!(trimmed.text, "```\n{{ x }}\n```");
        let bad = extract("Tekst {{ page.title }}\n{# en kommentar #}slutt");
        assert_eq!(bad.errors.len(), 1);
        assert_eq!(bad.errors[0].0, Pos { line: 1, col: 7 });
        assert!(bad.text.contains("{{ page.title }}") && bad.text.ends_with("\nslutt"));
        assert_eq!(extract("{% <x> %}uten slutt").errors.len(), 1);
        assert_eq!(extract("{{ <x a= /> }}").errors.len(), 1);
        assert_eq!(extract("{{ ikke lukket").errors.len(), 1);
        assert_eq!(extract("{% raw %}aldri slutt").errors.len(), 1);
    }

    #[test]
    fn substitution_replaces_block_paragraphs_and_inline_text() {
        let x = extract("A {{ <i /> }} B\n\n{{ <b /> }}\n");
        let html = format!("<p>A {OPEN}0{CLOSE} B</p>\n<p>{OPEN}1{CLOSE}</p>\n");
        let out = substitute(&html, &x.calls, &["<span>i</span>".into(), "<div>b</div>\n".into()]);
        assert_eq!(out, "<p>A <span>i</span> B</p>\n<div>b</div>\n");
    }

    #[test]
    fn hostile_input_does_not_panic() {
        for t in [
            "{{",
            "{%",
            "{#",
            "{{<",
            "{%<x>%}{%</x>%}",
            "{{ <x a={[} /> }}",
            "{% raw %}{% endraw",
            "{{ x( }}",
            "{%- raw -%}",
            "æ{{ <ø /> }}å",
            "{{ <x a=\"æ /> }}",
        ] {
            let x = extract(t);
            let _ = substitute(&x.text, &x.calls, &[]);
        }
    }
}
