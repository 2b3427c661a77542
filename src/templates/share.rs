//! Sharing and search-engine metadata: `json_ld` writes a value as JSON for a
//! `<script type="application/ld+json">` element, escaped so that no title or description can
//! close the element or start markup (`<`, `>`, `&` and the two JavaScript line separators
//! become `\uXXXX`). The theme decides what the data says; this only makes it safe.

use tera::{Kwargs, State, Tera, Value};

/// JSON that is safe inside a `<script>` element.
pub fn script_json(v: &Value) -> String {
    // Through serde_json's own value, whose maps are sorted: the same bytes on every build.
    let json = serde_json::to_value(v).and_then(|v| serde_json::to_string(&v)).unwrap_or_else(|_| "null".into());
    let mut out = String::with_capacity(json.len() + 16);
    for c in json.chars() {
        match c {
            '<' => out.push_str("\\u003c"),
            '>' => out.push_str("\\u003e"),
            '&' => out.push_str("\\u0026"),
            '\u{2028}' => out.push_str("\\u2028"),
            '\u{2029}' => out.push_str("\\u2029"),
            c => out.push(c),
        }
    }
    out
}

/// Registers the `json_ld` filter.
pub fn register(tera: &mut Tera) {
    tera.register_filter("json_ld", |v: Value, _: Kwargs, _: &State<'_>| Value::safe_string(&script_json(&v)));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn no_title_closes_the_script() {
        let v = Value::from_serializable(&serde_json::json!({
            "headline": "</script><script>alert(1)</script> & <!-- \u{2028}",
            "n": 3,
        }));
        let out = script_json(&v);
        assert!(!out.contains('<') && !out.contains('>') && !out.contains('&') && !out.contains('\u{2028}'));
        let back: serde_json::Value = serde_json::from_str(&out).unwrap();
        assert_eq!(back["headline"], "</script><script>alert(1)</script> & <!-- \u{2028}");
        assert_eq!(back["n"], 3);
        assert!(out.find("\"headline\"") < out.find("\"n\""), "keys are sorted: {out}");
    }
}
