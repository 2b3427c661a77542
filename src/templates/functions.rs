//! Filters and global functions for templates: Norwegian dates, markdown, slugs, and lookups
//! of pages, sections, taxonomies and URLs (with content hashes for cache busting).

use super::views::Views;
use crate::config::Config;
use crate::content::{Item, Links, Site};
use crate::date::Date;
use crate::markdown::{self, LinkResolver};
use serde_json::Value;
use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use tera::{Error, Result, Tera};

/// What the functions look things up in.
pub struct Shared {
    /// The site being built.
    pub site: Arc<Site>,
    /// Its config (menu URLs resolved).
    pub config: Arc<Config>,
    /// Prebuilt views.
    pub views: Arc<Views>,
    /// Folders static files are served from, highest priority first.
    pub static_dirs: Vec<PathBuf>,
    /// Cache of content hashes for `get_url(cachebust=true)`.
    pub hashes: Mutex<HashMap<String, String>>,
}

/// Registers every filter and function on `tera`.
pub fn register(tera: &mut Tera, shared: Arc<Shared>) {
    tera.register_filter("date", date_filter);
    tera.register_filter("slugify", |v: &Value, _: &HashMap<String, Value>| {
        Ok(Value::String(crate::slug::slugify(&text(v, "slugify")?)))
    });
    tera.register_filter("urlencode", |v: &Value, _: &HashMap<String, Value>| {
        Ok(Value::String(urlencode(&text(v, "urlencode")?)))
    });
    tera.register_filter("markdown", MarkdownFilter(shared.clone()));
    tera.register_function("now", |_: &HashMap<String, Value>| Ok(Value::String(crate::date::today().iso)));

    let s = shared.clone();
    tera.register_function("get_page", move |args: &HashMap<String, Value>| {
        let path = arg_str(args, "path", "get_page")?;
        match s.site.by_source.get(path.trim_start_matches("@/")) {
            Some(Item::Page(i)) => Ok(s.views.page(&s.site, *i)),
            _ => Err(Error::msg(format!("get_page: no page at content/{path}"))),
        }
    });
    let s = shared.clone();
    tera.register_function("get_section", move |args: &HashMap<String, Value>| {
        let path = arg_str(args, "path", "get_section")?;
        let metadata_only = args.get("metadata_only").and_then(Value::as_bool).unwrap_or(false);
        let required = args.get("required").and_then(Value::as_bool).unwrap_or(true);
        match s.site.by_source.get(path.trim_start_matches("@/")) {
            Some(&Item::Section(i)) => Ok(s.views.item(&s.site, &s.config, Item::Section(i), !metadata_only)),
            _ if !required => Ok(Value::Null),
            _ => Err(Error::msg(format!(
                "get_section: no section at content/{path} (pass required=false to allow that)"
            ))),
        }
    });
    let s = shared.clone();
    tera.register_function("get_taxonomy", move |args: &HashMap<String, Value>| {
        let kind = arg_str(args, "kind", "get_taxonomy")?;
        let required = args.get("required").and_then(Value::as_bool).unwrap_or(true);
        match s.site.taxonomies.iter().position(|t| t.name == kind) {
            Some(t) => Ok(s.views.taxonomy(&s.site, &s.config, t, true)),
            None if !required => Ok(Value::Null),
            None => Err(Error::msg(format!("get_taxonomy: no taxonomy `{kind}` in site.toml"))),
        }
    });
    let s = shared.clone();
    tera.register_function("get_taxonomy_url", move |args: &HashMap<String, Value>| {
        let kind = arg_str(args, "kind", "get_taxonomy_url")?;
        let name = arg_str(args, "name", "get_taxonomy_url")?;
        let tax = s.site.taxonomies.iter().find(|t| t.name == kind);
        let tax = tax.ok_or_else(|| Error::msg(format!("get_taxonomy_url: no taxonomy `{kind}` in site.toml")))?;
        let slug = crate::slug::slugify(&name);
        match tax.terms.iter().find(|t| t.slug == slug) {
            Some(term) => Ok(Value::String(s.config.permalink(&term.path))),
            None => Err(Error::msg(format!("get_taxonomy_url: `{name}` is not a term of `{kind}` on any listed page"))),
        }
    });
    let s = shared;
    tera.register_function("get_url", move |args: &HashMap<String, Value>| {
        let path = arg_str(args, "path", "get_url")?;
        let cachebust = args.get("cachebust").and_then(Value::as_bool).unwrap_or(false);
        url_for(&s, &path, cachebust)
    });
}

fn url_for(s: &Shared, path: &str, cachebust: bool) -> Result<Value> {
    if let Some(target) = path.strip_prefix("@/") {
        let (file, anchor) = target.split_once('#').map_or((target, None), |(f, a)| (f, Some(a)));
        let url = Links { site: &s.site, config: &s.config }
            .resolve(file)
            .map_err(|m| Error::msg(format!("get_url: {m}")))?;
        return Ok(Value::String(anchor.map_or(url.clone(), |a| format!("{url}#{a}"))));
    }
    if path.contains("://") || path.starts_with("mailto:") {
        return Ok(Value::String(path.to_string()));
    }
    let rel = path.trim_start_matches('/');
    let mut url = s.config.permalink(&format!("/{rel}"));
    if cachebust {
        let mut hashes = s.hashes.lock().unwrap_or_else(|p| p.into_inner());
        if let Some(h) = hashes.get(rel) {
            url = format!("{url}?h={h}");
        } else {
            let bytes = s.static_dirs.iter().find_map(|d| std::fs::read(d.join(rel)).ok());
            let bytes = bytes.ok_or_else(|| {
                Error::msg(format!(
                    "get_url: cannot cache-bust `{rel}`: no such file in assets/ or the theme's static/"
                ))
            })?;
            let h = format!("{:016x}", fnv1a(&bytes));
            url = format!("{url}?h={}", &h[..10]);
            hashes.insert(rel.to_string(), h[..10].to_string());
        }
    }
    Ok(Value::String(url))
}

/// FNV-1a 64: a fast, stable content hash for cache busting (not for security).
pub(crate) fn fnv1a(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |h, &b| (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3))
}

fn arg_str(args: &HashMap<String, Value>, key: &str, func: &str) -> Result<String> {
    match args.get(key) {
        Some(Value::String(s)) => Ok(s.clone()),
        Some(other) => Err(Error::msg(format!("{func}: `{key}` must be a string, got {other}"))),
        None => Err(Error::msg(format!("{func}: missing argument `{key}`"))),
    }
}

fn text(v: &Value, filter: &str) -> Result<String> {
    match v {
        Value::String(s) => Ok(s.clone()),
        Value::Number(n) => Ok(n.to_string()),
        Value::Null => Ok(String::new()),
        other => Err(Error::msg(format!("filter `{filter}` expects text, got {other}"))),
    }
}

/// `{{ page.date | date }}` → «9. juni 2023»; `date(format="%d.%m.%Y")` for other forms.
fn date_filter(v: &Value, args: &HashMap<String, Value>) -> Result<Value> {
    let raw = match v {
        Value::Null => return Ok(Value::String(String::new())),
        Value::String(s) => s.clone(),
        other => return Err(Error::msg(format!("filter `date` expects a date like 2023-06-09, got {other}"))),
    };
    let date = Date::parse(&raw).map_err(|m| Error::msg(format!("filter `date`: {m}")))?;
    Ok(Value::String(match args.get("format").and_then(Value::as_str) {
        Some(fmt) => date.format(fmt),
        None => date.norwegian(),
    }))
}

fn urlencode(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' | b'/' => out.push(b as char),
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

/// `{{ text | markdown }}` renders markdown (with `@/` links); `inline=true` drops the `<p>`.
struct MarkdownFilter(Arc<Shared>);

impl tera::Filter for MarkdownFilter {
    fn filter(&self, v: &Value, args: &HashMap<String, Value>) -> Result<Value> {
        let src = text(v, "markdown")?;
        let links = Links { site: &self.0.site, config: &self.0.config };
        let opts = markdown::Options { norwegian_quotes: matches!(self.0.config.language.as_str(), "nb" | "nn") };
        let r = markdown::render(&src, &opts, &links);
        if let Some((_, m)) = r.errors.first() {
            return Err(Error::msg(format!("filter `markdown`: {m}")));
        }
        let inline = args.get("inline").and_then(Value::as_bool).unwrap_or(false);
        let html = r.html.trim_end();
        let html = match (inline, html.strip_prefix("<p>").and_then(|h| h.strip_suffix("</p>"))) {
            (true, Some(inner)) if !inner.contains("<p>") => inner,
            _ => html,
        };
        Ok(Value::String(html.to_string()))
    }

    fn is_safe(&self) -> bool {
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn norwegian_date_filter() {
        let v = date_filter(&Value::String("2023-06-09".into()), &HashMap::new()).unwrap();
        assert_eq!(v, "9. juni 2023");
        let mut args = HashMap::new();
        args.insert("format".to_string(), Value::String("%-d.%-m.%Y".into()));
        assert_eq!(date_filter(&Value::String("2023-06-09T10:00:00".into()), &args).unwrap(), "9.6.2023");
        assert!(date_filter(&Value::String("i går".into()), &HashMap::new()).is_err());
    }

    #[test]
    fn urlencoding_and_hash() {
        assert_eq!(urlencode("sykepleiere og æ"), "sykepleiere%20og%20%C3%A6");
        assert_eq!(fnv1a(b""), 0xcbf2_9ce4_8422_2325);
    }
}
