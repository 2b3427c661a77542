//! The generator's own messages: a diagnostic carries a [`Message`] (a key and its
//! arguments), never a finished sentence, and is worded only when shown, from the catalogue
//! `src/messages/<lang>.toml` built into the binary (the same [`Catalogue`] mechanism as the
//! theme's interface strings). Write one with [`msg!`]: `msg!("content.bad_alias", alias = a)`.
//!
//! Messages are shown in one language per process, chosen with [`set_language`]: the command
//! line chooses bokmål unless told otherwise (`--messages en`, `JOBBVINNER_MESSAGES=en`); a program
//! that embeds the library and chooses nothing gets English, so that its logs and the test
//! suite read one stable language. The language of the page being checked never changes it.

use crate::catalogue::Catalogue;
use std::fmt;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::LazyLock;

/// The languages messages exist in, and their catalogues; the first is the fallback.
const CATALOGUES: &[(&str, &str)] =
    &[("en", include_str!("messages/en.toml")), ("nb", include_str!("messages/nb.toml"))];

/// Index into [`CATALOGUES`] of the language messages are shown in.
static CURRENT: AtomicUsize = AtomicUsize::new(0);

/// Shows messages in `lang` from now on (`nb` or `en`; `no`, `nob`, `nb_NO.UTF-8` and the
/// like are read as bokmål). Returns false, changing nothing, for a language without messages.
pub fn set_language(lang: &str) -> bool {
    match language_code(lang).and_then(|code| CATALOGUES.iter().position(|(l, _)| *l == code)) {
        Some(i) => {
            CURRENT.store(i, Ordering::Relaxed);
            true
        }
        None => false,
    }
}

/// The language messages are shown in now.
pub fn language() -> &'static str {
    CATALOGUES[CURRENT.load(Ordering::Relaxed).min(CATALOGUES.len() - 1)].0
}

/// The languages messages exist in.
pub fn languages() -> impl Iterator<Item = &'static str> {
    CATALOGUES.iter().map(|(l, _)| *l)
}

/// `nb`, `en`, or `None`: a language code as people write it, region and encoding ignored.
pub fn language_code(lang: &str) -> Option<&'static str> {
    let base = lang.split(['_', '-', '.', '@']).next().unwrap_or("").trim().to_ascii_lowercase();
    match base.as_str() {
        "nb" | "no" | "nob" | "bokmal" | "bokmål" | "norsk" => Some("nb"),
        "en" | "eng" | "english" => Some("en"),
        _ => None,
    }
}

static TEXTS: LazyLock<Catalogue> = LazyLock::new(|| {
    let mut c = Catalogue::default();
    for (lang, text) in CATALOGUES {
        // A broken catalogue is caught by the unit tests; never fail a build over it.
        if let Ok(table) = toml::from_str::<toml::Table>(text) {
            c.add_table(lang, &table);
        }
    }
    c
});

/// A message: a catalogue key and the values of its placeholders.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Message {
    /// Dotted catalogue key, e.g. `frontmatter.unknown_key`.
    pub key: &'static str,
    /// Placeholder name → value.
    pub args: Vec<(&'static str, Arg)>,
}

/// The value of a placeholder: text as it is (a file name, a value the writer typed), or
/// another message worded in the same language (a hint).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Arg {
    /// Shown as it is.
    Text(String),
    /// Worded from the catalogue.
    Msg(Box<Message>),
}

/// Builds a [`Message`]: `msg!("key", name = value, …)`; values are anything that converts
/// into an [`Arg`] (text, numbers, another message, an optional message).
#[macro_export]
macro_rules! msg {
    ($key:literal $(, $name:ident = $value:expr)* $(,)?) => {
        $crate::messages::Message::new($key, vec![$((stringify!($name), $crate::messages::Arg::from($value))),*])
    };
}

impl Message {
    /// A message with its arguments.
    pub fn new(key: &'static str, args: Vec<(&'static str, Arg)>) -> Message {
        Message { key, args }
    }

    /// The message worded in `lang` (English when the catalogue lacks the language or key).
    pub fn text(&self, lang: &str) -> String {
        let args: Vec<(&str, String)> = self.args.iter().map(|(n, a)| (*n, a.text(lang))).collect();
        let refs: Vec<(&str, &str)> = args.iter().map(|(n, v)| (*n, v.as_str())).collect();
        match TEXTS.get(lang, self.key, &refs).or_else(|_| TEXTS.get("en", self.key, &refs)) {
            Ok(text) => text,
            // Unreachable when the catalogue test passes; still say everything we know.
            Err(_) => {
                let shown: Vec<String> = args.iter().map(|(n, v)| format!("{n}={v}")).collect();
                format!("{} {}", self.key, shown.join(" "))
            }
        }
    }

    /// The value of argument `name`, if given as text.
    pub fn arg(&self, name: &str) -> Option<&str> {
        self.args.iter().find(|(n, _)| *n == name).and_then(|(_, a)| match a {
            Arg::Text(t) => Some(t.as_str()),
            Arg::Msg(_) => None,
        })
    }
}

/// The text of a key chosen at run time (the command line's help for each option), with
/// `{name}` placeholders filled; `None` when the language's catalogue lacks the key.
pub fn lookup(lang: &str, key: &str, args: &[(&str, &str)]) -> Option<String> {
    TEXTS.get(lang, key, args).ok()
}

/// `a`, `a and b`, `a, b and c`, worded in each language.
pub fn and_list(items: &[&str]) -> Message {
    joined(items, "list.and")
}

/// `a`, `a or b`, `a, b or c`.
pub fn or_list(items: &[&str]) -> Message {
    joined(items, "list.or")
}

fn joined(items: &[&str], key: &'static str) -> Message {
    match items {
        [] => Message::new("list.one", vec![("item", Arg::from(""))]),
        [one] => Message::new("list.one", vec![("item", Arg::from(*one))]),
        [rest @ .., last] => Message::new(key, vec![("first", Arg::from(rest.join(", "))), ("last", Arg::from(*last))]),
    }
}

impl fmt::Display for Message {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text(language()))
    }
}

impl Arg {
    fn text(&self, lang: &str) -> String {
        match self {
            Arg::Text(t) => t.clone(),
            Arg::Msg(m) => m.text(lang),
        }
    }
}

impl From<String> for Arg {
    fn from(s: String) -> Arg {
        Arg::Text(s)
    }
}

impl From<&String> for Arg {
    fn from(s: &String) -> Arg {
        Arg::Text(s.clone())
    }
}

impl From<&str> for Arg {
    fn from(s: &str) -> Arg {
        Arg::Text(s.to_string())
    }
}

impl From<usize> for Arg {
    fn from(n: usize) -> Arg {
        Arg::Text(n.to_string())
    }
}

impl From<u32> for Arg {
    fn from(n: u32) -> Arg {
        Arg::Text(n.to_string())
    }
}

impl From<Message> for Arg {
    fn from(m: Message) -> Arg {
        Arg::Msg(Box::new(m))
    }
}

/// An optional hint: nothing when `None`.
impl From<Option<Message>> for Arg {
    fn from(m: Option<Message>) -> Arg {
        m.map_or(Arg::Text(String::new()), Arg::from)
    }
}

/// A list of names, shown as `a, b, c`.
impl From<&[String]> for Arg {
    fn from(list: &[String]) -> Arg {
        Arg::Text(list.join(", "))
    }
}

impl From<Vec<String>> for Arg {
    fn from(list: Vec<String>) -> Arg {
        Arg::Text(list.join(", "))
    }
}

impl From<Vec<&str>> for Arg {
    fn from(list: Vec<&str>) -> Arg {
        Arg::Text(list.join(", "))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeSet;

    /// Every `msg!("key", a = …)` in the source names a key of every catalogue, with exactly
    /// the placeholders the catalogue's text uses.
    #[test]
    fn every_message_key_exists_with_its_placeholders() {
        let src = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
        let mut used: Vec<(String, BTreeSet<String>, String)> = Vec::new();
        for entry in walkdir::WalkDir::new(&src).into_iter().filter_map(Result::ok) {
            if entry.path().extension().is_none_or(|e| e != "rs") {
                continue;
            }
            let text = std::fs::read_to_string(entry.path()).unwrap();
            for (at, _) in text.match_indices("msg!(\"") {
                let call = &text[at + 6..];
                let Some(end) = call.find('"') else { continue };
                let key = &call[..end];
                let names = call_args(&call[end + 1..]);
                used.push((key.to_string(), names, entry.path().display().to_string()));
            }
        }
        assert!(used.len() > 20, "the scan found the calls");
        for (lang, text) in CATALOGUES {
            let table: toml::Table = toml::from_str(text).unwrap_or_else(|e| panic!("messages/{lang}.toml: {e}"));
            let mut c = Catalogue::default();
            c.add_table(lang, &table);
            for (key, names, file) in &used {
                if key == "key" {
                    continue; // the macro's own documentation
                }
                let raw = c.raw(lang, key).unwrap_or_else(|_| panic!("{file}: no `{key}` in messages/{lang}.toml"));
                let wanted = placeholders(raw);
                assert_eq!(&wanted, names, "{file}: `{key}` in messages/{lang}.toml uses {wanted:?}");
            }
        }
    }

    /// The `name = ` arguments of one `msg!` call, up to its closing parenthesis.
    fn call_args(rest: &str) -> BTreeSet<String> {
        let mut depth = 1;
        let mut end = rest.len();
        for (i, c) in rest.char_indices() {
            match c {
                '(' | '[' | '{' => depth += 1,
                ')' | ']' | '}' => {
                    depth -= 1;
                    if depth == 0 {
                        end = i;
                        break;
                    }
                }
                _ => {}
            }
        }
        let mut names = BTreeSet::new();
        let (mut level, mut start) = (0, 0);
        let body = &rest[..end];
        for (i, c) in body.char_indices() {
            match c {
                '(' | '[' | '{' => level += 1,
                ')' | ']' | '}' => level -= 1,
                ',' if level == 0 => {
                    add_name(&body[start..i], &mut names);
                    start = i + 1;
                }
                _ => {}
            }
        }
        add_name(&body[start..], &mut names);
        names
    }

    fn add_name(part: &str, names: &mut BTreeSet<String>) {
        if let Some((name, _)) = part.split_once('=') {
            let name = name.trim();
            if !name.is_empty() && name.chars().all(|c| c.is_alphanumeric() || c == '_') {
                names.insert(name.to_string());
            }
        }
    }

    fn placeholders(text: &str) -> BTreeSet<String> {
        let mut out = BTreeSet::new();
        let mut rest = text;
        while let Some(open) = rest.find('{') {
            rest = &rest[open + 1..];
            if let Some(close) = rest.find('}') {
                let name = &rest[..close];
                // `{3}` and `{true}` are examples of literal braces, not placeholders.
                let literal = name.chars().all(|c| c.is_ascii_digit()) || matches!(name, "true" | "false");
                if !name.is_empty() && !literal && name.chars().all(|c| c.is_alphanumeric() || c == '_') {
                    out.insert(name.to_string());
                }
            }
        }
        out
    }

    /// Every language has every message: a key only in English would show English to a
    /// writer who asked for bokmål.
    #[test]
    fn every_catalogue_has_the_same_keys() {
        let keys = |lang: &str| {
            let mut k: Vec<&str> = TEXTS.keys(lang).collect();
            k.sort_unstable();
            k
        };
        let en = keys("en");
        for (lang, _) in CATALOGUES {
            let other = keys(lang);
            let missing: Vec<&&str> = en.iter().filter(|k| !other.contains(k)).collect();
            let extra: Vec<&&str> = other.iter().filter(|k| !en.contains(k)).collect();
            assert!(
                missing.is_empty() && extra.is_empty(),
                "messages/{lang}.toml: missing {missing:?}, extra {extra:?}"
            );
        }
        assert_eq!(language_code("nb_NO.UTF-8"), Some("nb"));
        assert_eq!(language_code("no"), Some("nb"));
        assert_eq!(language_code("en-GB"), Some("en"));
        assert_eq!(language_code("sv"), None);
    }

    #[test]
    fn nested_messages_are_worded_in_the_same_language() {
        let hint = crate::msg!("hint.did_you_mean_key", name = "title");
        let m = crate::msg!("frontmatter.unknown_key", key = "titel", hint = hint, extra = None::<Message>);
        assert_eq!(m.to_string(), "unknown key `titel`; did you mean `title`?");
    }
}
