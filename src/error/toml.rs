//! TOML parser and deserialiser complaints (front matter, site.toml, content-types.toml,
//! translation files) worded for a writer: the common mistakes get their own message in the
//! catalogue's language saying what to write; anything else is wrapped in a sentence with
//! the parser's English text as the detail.

use super::{suggest, Diagnostic};
use crate::messages::Message;
use crate::msg;

/// Turns a TOML deserialisation error into a diagnostic. `first_line` is the file line where
/// `src` starts. Unknown keys get a "did you mean" from the keys serde says it expected.
pub fn toml_diagnostic(path: &str, src: &str, first_line: usize, err: &toml::de::Error) -> Diagnostic {
    let offset = err.span().map_or(0, |s| s.start);
    let message = toml_message(src, first_line, err.message().trim(), err.span());
    Diagnostic::at_offset(path, src, offset, first_line, message)
}

/// Words a TOML parser's or deserialiser's complaint for a writer: unknown keys with a
/// suggestion, Norwegian dates with their ISO form, and for each common mistake what to
/// write instead; anything else wrapped with the parser's text as the detail. `first_line`
/// is the file line where `src` starts.
pub fn toml_message(src: &str, first_line: usize, msg: &str, span: Option<std::ops::Range<usize>>) -> Message {
    if let Some((key, expected)) = unknown_key(msg) {
        return unknown_key_message(&key, &expected);
    }
    let at = span.as_ref().map_or(0, |s| s.start.min(src.len()));
    let spanned = span.clone().and_then(|s| src.get(s)).unwrap_or("").trim();
    // The key and raw value on the line of the error, for messages that name them.
    let line_start = src[..at].rfind('\n').map_or(0, |i| i + 1);
    let line = src[line_start..].lines().next().unwrap_or("");
    let (key, value) = line.split_once('=').map_or((line.trim(), ""), |(k, v)| (k.trim(), v.trim()));
    let raw = value.trim_matches('"');
    let m = |s: &str| msg.starts_with(s);
    // Yes and no as a Norwegian writes them, unquoted (the parser may read "nei" as a number).
    let yes_no = raw.to_lowercase();
    if !value.starts_with(['"', '\'']) && matches!(yes_no.as_str(), "ja" | "nei" | "yes" | "no" | "sant" | "usant") {
        let want = if matches!(yes_no.as_str(), "ja" | "yes" | "sant") { "true" } else { "false" };
        return msg!("toml.yes_no", key = key, value = raw, want = want);
    }
    if m("string values must be quoted") {
        if let (true, Some(iso)) = (matches!(key, "date" | "updated"), crate::date::suggest_iso(raw)) {
            return msg!("toml.not_a_date", raw = raw, key = key, iso = iso);
        }
        let curly = ['«', '»', '“', '”', '„', '‘', '’'];
        if value.starts_with(curly) {
            let inner = value.trim_matches(curly).trim();
            return msg!("toml.curly_quotes", key = key, value = value, inner = inner);
        }
        return msg!("toml.unquoted", key = key, value = value);
    }
    if m("invalid basic string") || m("invalid literal string") || m("invalid multi-line") {
        return msg!("toml.unclosed_string", key = key);
    }
    if m("key with no value") {
        let written = line.trim();
        return match written.split_once('=') {
            Some((k, _)) if k.trim().contains(' ') => {
                msg!("toml.key_space", fixed = k.trim().replace(' ', "_"))
            }
            _ => msg!("toml.no_value", key = written.split_whitespace().next().unwrap_or(written)),
        };
    }
    if m("duplicate key") {
        let first = src[..at].lines().position(|l| {
            let l = l.trim();
            l.split('=').next().is_some_and(|k| k.trim() == spanned) || l == format!("[{spanned}]")
        });
        return match first {
            Some(i) => msg!("toml.duplicate_key_at", key = spanned, line = i + first_line),
            None => msg!("toml.duplicate_key", key = spanned),
        };
    }
    if m("invalid date") || m("invalid time") {
        return msg!("toml.bad_date", raw = spanned, key = key);
    }
    if m("unclosed array") {
        return msg!("toml.unclosed_list", key = key);
    }
    if m("missing comma between array elements") {
        return msg!("toml.list_comma");
    }
    if m("unclosed table") {
        return msg!("toml.unclosed_header", name = line.trim().trim_start_matches('[').trim());
    }
    if m("unclosed inline table") {
        return msg!("toml.unclosed_inline");
    }
    if m("invalid boolean") {
        return msg!("toml.bool", key = key);
    }
    if m("unquoted keys cannot be empty") {
        return msg!("toml.empty_key");
    }
    if m("unexpected key or value") {
        return msg!("toml.trailing", key = key);
    }
    if m("missing escaped value") || m("invalid escape") {
        return msg!("toml.escape");
    }
    if m("invalid float") || m("invalid integer") || m("invalid number") {
        return msg!("toml.number", raw = spanned);
    }
    if let Some(rest) = msg.strip_prefix("invalid type: ") {
        if let Some((found, expected)) = rest.split_once(", expected ") {
            return msg!("toml.wrong_type", key = key, expected = kind(expected), found = kind_found(found));
        }
    }
    if let Some(rest) = msg.strip_prefix("missing field `") {
        return msg!("toml.missing_field", name = rest.split('`').next().unwrap_or(rest));
    }
    if let Some(rest) = msg.strip_prefix("unknown variant `") {
        let value = rest.split('`').next().unwrap_or(rest);
        let allowed: Vec<&str> = rest.split('`').skip(2).step_by(2).collect();
        let quoted: Vec<String> = allowed.iter().map(|a| format!("\"{a}\"")).collect();
        let list: Vec<&str> = quoted.iter().map(String::as_str).collect();
        return msg!("toml.unknown_variant", value = value, allowed = crate::messages::or_list(&list));
    }
    msg!("toml.other", detail = msg)
}

/// What serde expected, in the writer's words.
fn kind(expected: &str) -> Message {
    let e = expected.to_lowercase();
    if e.contains("bool") {
        msg!("toml.kind_bool")
    } else if e.contains("sequence") || e.contains("array") || e.contains("list") {
        msg!("toml.kind_list")
    } else if e.contains("integer")
        || e.contains("u64")
        || e.contains("usize")
        || e.contains("i64")
        || e.contains("u32")
    {
        msg!("toml.kind_integer")
    } else if e.contains("float") || e.contains("f64") {
        msg!("toml.kind_number")
    } else if e.contains("map") || e.contains("struct") || e.contains("table") {
        msg!("toml.kind_table")
    } else if e.contains("date") {
        msg!("toml.kind_date")
    } else if e.contains("str") {
        msg!("toml.kind_text")
    } else {
        msg!("toml.kind_other", what = expected)
    }
}

/// What serde found ("string \"nei\"", "integer `3`"), in the writer's words.
fn kind_found(found: &str) -> Message {
    let value = found.split_once(' ').map_or("", |(_, v)| v.trim_matches(['`', '"']));
    let word = found.split_whitespace().next().unwrap_or(found);
    match word {
        "string" => msg!("toml.found_text", value = value),
        "boolean" => msg!("toml.found_bool", value = value),
        "integer" | "floating" => msg!("toml.found_number", value = value),
        "sequence" => msg!("toml.found_list"),
        "map" => msg!("toml.found_table"),
        _ => msg!("toml.found_other", what = found),
    }
}

/// "unknown key `x`; did you mean `y`?", or the allowed keys when none is close.
pub fn unknown_key_message(key: &str, expected: &[String]) -> Message {
    let hint = match suggest(key, expected.iter().map(String::as_str)) {
        Some(best) => Some(msg!("hint.did_you_mean_key", name = best)),
        None if !expected.is_empty() => Some(msg!("hint.allowed_keys", keys = expected)),
        None => None,
    };
    let extra = expected.iter().any(|k| k == "extra").then(|| msg!("hint.custom_under_extra"));
    msg!("frontmatter.unknown_key", key = key, hint = hint, extra = extra)
}

/// Parses serde's "unknown field `x`, expected one of `a`, `b`" into the key and the choices.
fn unknown_key(msg: &str) -> Option<(String, Vec<String>)> {
    let rest = msg.strip_prefix("unknown field `")?;
    let end = rest.find('`')?;
    let key = rest[..end].to_string();
    let expected = rest[end + 1..].split('`').skip(1).step_by(2).map(str::to_string).collect();
    Some((key, expected))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Each common mistake and the message it gets, in both languages.
    #[test]
    fn common_mistakes_are_worded_for_writers() {
        let cases: &[(&str, &str, &str)] = &[
            ("title = Min tittel", "put the text in double quotes: title = \"Min tittel\"", "sett teksten i doble anførselstegn: title = \"Min tittel\""),
            ("date = 9. juni 2023", "`9. juni 2023` is not a date: write date = 2023-06-09 (year-month-day, without quotes)", "`9. juni 2023` er ikke en dato: skriv date = 2023-06-09 (år-måned-dag, uten anførselstegn)"),
            ("title = «Hei»", "«Hei» has typographic quotation marks: the value needs plain double quotes, title = \"Hei\"", "«Hei» har typografiske anførselstegn: verdien må stå i rette doble anførselstegn, title = \"Hei\""),
            ("draft = nei", "write true or false instead of nei: draft = false", "skriv true eller false i stedet for nei: draft = false"),
            ("title = \"Min tittel", "the text of `title` is not closed: end it with \" on the same line", "teksten i `title` er ikke avsluttet: avslutt den med \" på samme linje"),
            ("min tittel = \"x\"", "a field name cannot contain spaces: write min_tittel (or the name the page type uses)", "et feltnavn kan ikke ha mellomrom: skriv min_tittel (eller navnet sidetypen bruker)"),
            ("title \"Min\"", "after `title` comes = and the value, e.g. title = \"...\"", "etter `title` kommer = og verdien, for eksempel title = \"...\""),
            ("title = \"a\"\ntitle = \"b\"", "`title` is set twice (first on line 1): remove one of the lines", "`title` står to ganger (først på linje 1): fjern den ene linjen"),
            ("date = 2023-13-45", "`2023-13-45` is not a date that exists: write date = year-month-day, e.g. 2023-06-09", "`2023-13-45` er ikke en dato som finnes: skriv date = år-måned-dag, for eksempel 2023-06-09"),
            ("tags = [\"a\", \"b\"", "the list in `tags` is not closed: end it with ]", "listen i `tags` er ikke avsluttet: avslutt den med ]"),
            ("tags = [\"a\" \"b\"]", "put a comma between the items of a list: [\"a\", \"b\"]", "sett komma mellom punktene i en liste: [\"a\", \"b\"]"),
            ("[extra", "the table name is not closed: write [extra]", "tabellnavnet er ikke avsluttet: skriv [extra]"),
            ("draft = True", "write true or false in small letters: draft = true", "skriv true eller false med små bokstaver: draft = true"),
            ("title = \"a\" b", "there is more after the value of `title` on this line: one field per line, and text in double quotes", "det står mer etter verdien av `title` på denne linjen: ett felt per linje, og tekst i doble anførselstegn"),
        ];
        for (src, en, nb) in cases {
            let e = src.parse::<toml::Table>().unwrap_err();
            let m = toml_message(src, 1, e.message(), e.span());
            assert_eq!(m.text("en"), *en, "{src}");
            assert_eq!(m.text("nb"), *nb, "{src}");
        }
        let other = toml_message("", 1, "something new", None);
        assert_eq!(other.text("nb"), "denne delen kunne ikke leses (TOML-leseren sier: something new)");
    }

    #[test]
    fn serde_complaints_are_worded_for_writers() {
        let m = toml_message("draft = \"nei\"", 1, "invalid type: string \"nei\", expected a boolean", Some(8..13));
        assert_eq!(
            m.text("nb"),
            "`draft` har feil slags verdi: den må være true eller false (her står det teksten \"nei\")"
        );
        assert_eq!(
            m.text("en"),
            "`draft` has the wrong kind of value: it must be true or false (here it is the text \"nei\")"
        );
        let m = toml_message(
            "sort_by = \"dato\"",
            1,
            "unknown variant `dato`, expected one of `date`, `title`",
            Some(10..16),
        );
        assert_eq!(m.text("nb"), "`dato` er ikke en gyldig verdi her: skriv \"date\" eller \"title\"");
        let m = toml_message("", 1, "missing field `name`", None);
        assert_eq!(m.text("en"), "`name` is missing: add a line name = ...");
    }

    #[test]
    fn unknown_key_parsing() {
        let (k, e) = unknown_key("unknown field `titel`, expected one of `title`, `date`").unwrap();
        assert_eq!(k, "titel");
        assert_eq!(e, vec!["title", "date"]);
        assert!(unknown_key("invalid type").is_none());
    }
}
