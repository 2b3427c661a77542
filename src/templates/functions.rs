//! Filters and global functions for templates: Norwegian dates, markdown, slugs, and lookups
//! of pages, sections, taxonomies and URLs (with content hashes for cache busting).

use super::record::{record, Input};
use super::views::Views;
use crate::config::Config;
use crate::content::{Item, Links, Site};
use crate::date::{Date, DateNames};
use crate::hyphenate::Hyphenator;
use crate::i18n::Translations;
use crate::markdown::{self, LinkResolver};
use crate::messages::Message;
use crate::msg;
use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use tera::{Error, Filter, Kwargs, State, Tera, TeraResult as Result, Value};

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
    /// Interface text per language (`t`, and the names `date` prints).
    pub translations: Arc<Translations>,
}

/// Registers every filter and function on `tera`.
pub fn register(tera: &mut Tera, shared: Arc<Shared>) {
    tera.register_filter("date", DateFilter(shared.clone()));
    let s = shared.clone();
    let translate = move |args: Kwargs, state: &State<'_>| -> Result<String> {
        let key: String = args.must_get("key")?;
        let lang = lang_of(&args, state, &s.config)?;
        let fill: Vec<(String, String)> = args
            .iter()
            .filter(|(k, _)| !matches!(k.as_str(), Some("key" | "lang")))
            .map(|(k, v)| (k.to_string(), v.as_str().map_or_else(|| v.to_string(), String::from)))
            .collect();
        let fill: Vec<(&str, &str)> = fill.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
        s.translations.get(&lang, &key, &fill).map_err(fail)
    };
    tera.register_function("t", translate.clone());
    // Zola's name for the same lookup.
    tera.register_function("trans", translate);
    tera.register_filter("slugify", |v: &str, _: Kwargs, _: &State<'_>| crate::slug::slugify(v));
    tera.register_filter("urlencode", |v: &str, _: Kwargs, _: &State<'_>| urlencode(v));
    tera.register_filter("markdown", MarkdownFilter(shared.clone()));
    super::urls::register(tera);
    super::share::register(tera);
    // A taxonomy term's or a type value's name in the language being rendered: the canonical
    // (bokmål) value writers use, shown as `[terms.<kind>]` in i18n/<lang>.toml names it.
    let s = shared.clone();
    tera.register_filter("term_label", move |v: &str, args: Kwargs, state: &State<'_>| -> Result<String> {
        let kind: String = args.must_get("kind")?;
        let lang = lang_of(&args, state, &s.config)?;
        Ok(s.translations.find(&lang, &format!("terms.{kind}.{v}")).unwrap_or(v).to_string())
    });
    tera.register_filter("soft_hyphens", SoftHyphens { shared: shared.clone(), by_lang: Mutex::new(HashMap::new()) });
    tera.register_function("now", |_: Kwargs, _: &State<'_>| crate::date::today().iso);
    super::images::register(
        tera,
        super::images::Shared {
            content_dir: shared.config.layout.root.join("content"),
            images: shared.views.images.clone(),
        },
    );

    let s = shared.clone();
    tera.register_function("get_page", move |args: Kwargs, state: &State<'_>| -> Result<Value> {
        let path: String = args.must_get("path")?;
        let lang = lang_of(&args, state, &s.config)?;
        match s.site.by_source.get(path.trim_start_matches("@/")).map(|&i| in_lang(&s.site, i, &lang)) {
            Some(Item::Page(i)) => {
                record(Input::Page(i));
                s.views.page(&s.site, &s.config, i).map_err(|d| fail(d.message))
            }
            _ => Err(fail(msg!("functions.no_page", function = "get_page", path = path))),
        }
    });
    let s = shared.clone();
    tera.register_function("get_section", move |args: Kwargs, state: &State<'_>| -> Result<Value> {
        let path: String = args.must_get("path")?;
        let metadata_only = args.get::<bool>("metadata_only")?.unwrap_or(false);
        let required = args.get::<bool>("required")?.unwrap_or(true);
        let lang = lang_of(&args, state, &s.config)?;
        // A language without fallback does not list the default language's sections.
        let shown = |i: usize| {
            let own = s.site.sections[i].source.lang == lang;
            own || lang == s.config.language || s.config.other_language(&lang).is_some_and(|l| l.fallback)
        };
        match s.site.by_source.get(path.trim_start_matches("@/")).map(|&i| in_lang(&s.site, i, &lang)) {
            Some(Item::Section(i)) if shown(i) => {
                record(if metadata_only { Input::SectionMeta(i) } else { Input::SectionPages(i) });
                s.views.item(&s.site, &s.config, Item::Section(i), !metadata_only).map_err(|d| fail(d.message))
            }
            _ if !required => Ok(Value::none()),
            _ => Err(fail(msg!("functions.no_section", path = path))),
        }
    });
    let s = shared.clone();
    tera.register_function("get_taxonomy", move |args: Kwargs, state: &State<'_>| -> Result<Value> {
        let kind: String = args.must_get("kind")?;
        let required = args.get::<bool>("required")?.unwrap_or(true);
        let lang = lang_of(&args, state, &s.config)?;
        match s.site.taxonomy_index(&kind, &lang) {
            Some(t) => {
                record(Input::Taxonomy(t));
                Ok(s.views.taxonomy(&s.site, &s.config, t, true))
            }
            None if !required => Ok(Value::none()),
            None => Err(fail(msg!("functions.no_taxonomy", function = "get_taxonomy", kind = kind))),
        }
    });
    let s = shared.clone();
    tera.register_function("get_taxonomy_url", move |args: Kwargs, state: &State<'_>| -> Result<Value> {
        let kind: String = args.must_get("kind")?;
        let name: String = args.must_get("name")?;
        let lang = lang_of(&args, state, &s.config)?;
        let t = s.site.taxonomy_index(&kind, &lang);
        if let Some(t) = t {
            record(Input::Terms(t));
        }
        let tax = t.map(|t| &s.site.taxonomies[t]);
        let tax =
            tax.ok_or_else(|| fail(msg!("functions.no_taxonomy", function = "get_taxonomy_url", kind = &kind)))?;
        let required = args.get::<bool>("required")?.unwrap_or(true);
        match tax.term(&name) {
            Some(term) => Ok(Value::from(s.config.permalink(&term.path))),
            // A term only on pages not listed yet (future-dated) has no page of its own.
            None if !required => Ok(Value::none()),
            None => Err(fail(msg!("functions.no_term", name = name, kind = kind))),
        }
    });
    let s = shared.clone();
    tera.register_function("get_pages", move |args: Kwargs, state: &State<'_>| -> Result<Value> {
        let lang = lang_of(&args, state, &s.config)?;
        let pages = pages_matching(&s.site, &args, &lang)?;
        let limit = args.get::<usize>("limit")?.unwrap_or(usize::MAX);
        let pages = &pages[..pages.len().min(limit)];
        if super::record::active() {
            // The section's order, the term's members (and their order), the pages shown.
            if let Some(sec) = args.get::<&str>("section")?.and_then(|n| section_index(&s.site, n, &lang).ok()) {
                record(Input::SectionList(sec));
            }
            if let (Some(kind), Some(name)) = (args.get::<&str>("taxonomy")?, args.get::<&str>("term")?) {
                if let Some(t) = s.site.taxonomy_index(kind, &lang) {
                    record(Input::Term(t, crate::slug::slugify(name)));
                }
            }
            pages.iter().for_each(|&p| record(Input::Listing(p)));
        }
        Ok(s.views.listing(pages))
    });
    let s = shared.clone();
    tera.register_function("get_related", move |args: Kwargs, state: &State<'_>| -> Result<Value> {
        let path: String = args.must_get("path")?;
        let lang = lang_of(&args, state, &s.config)?;
        let Some(&Item::Page(page)) = s.site.by_source.get(path.trim_start_matches("@/")) else {
            return Err(fail(msg!("functions.no_page", function = "get_related", path = path)));
        };
        let sections = match args.get::<Vec<String>>("sections")? {
            Some(names) => Some(names.iter().map(|n| section_index(&s.site, n, &lang)).collect::<Result<Vec<_>>>()?),
            None => None,
        };
        let limit = args.get::<usize>("limit")?.unwrap_or(4);
        let related = related_pages(&s.site, page, sections.as_deref(), limit);
        if super::record::active() {
            // The page's terms, their members (and their dates, for ties), the pages shown.
            record(Input::Page(page));
            for (kind, names) in &s.site.pages[page].taxonomies {
                if let Some(t) = s.site.taxonomy_index(kind, &lang) {
                    names.iter().for_each(|n| record(Input::Term(t, crate::slug::slugify(n))));
                }
            }
            related.iter().for_each(|&p| record(Input::Listing(p)));
        }
        Ok(s.views.listing(&related))
    });
    let s = shared;
    tera.register_function("get_url", move |args: Kwargs, state: &State<'_>| -> Result<String> {
        let path: String = args.must_get("path")?;
        let cachebust = args.get::<bool>("cachebust")?.unwrap_or(false);
        let lang = lang_of(&args, state, &s.config)?;
        url_for(&s, &path, cachebust, &lang)
    });
}

/// A template function's error: worded from the message catalogue, handed to Tera, which
/// reports it at the template's line.
fn fail(m: Message) -> Error {
    Error::message(m.to_string())
}

/// The language a text is for: `lang=`, else the template's `lang`, else the site's.
fn lang_of(args: &Kwargs, state: &State<'_>, config: &Config) -> Result<String> {
    // `lang=none` (a component's unset `@lang`) counts as not given.
    let given = args.get::<Value>("lang")?.and_then(|v| v.as_str().map(str::to_string)).filter(|l| !l.is_empty());
    Ok(match given {
        Some(l) => l,
        None => state.get::<String>("lang").ok().flatten().unwrap_or_else(|| config.language.clone()),
    })
}

/// An item in language `lang` when it has a translation in it, else the item itself:
/// templates name the default language's file (`get_page(path="om.md")`) and get the page
/// in the language being rendered.
fn in_lang(site: &Site, item: Item, lang: &str) -> Item {
    site.translation_in(item, lang).unwrap_or(item)
}

/// A section named as `tips`, `tips/_index.md` or `@/tips/_index.md`, in language `lang`
/// when it has a translation in it.
fn section_index(site: &Site, name: &str, lang: &str) -> Result<usize> {
    let name = name.trim_start_matches("@/").trim_end_matches('/');
    let file = if name.ends_with(".md") { name.to_string() } else { format!("{name}/_index.md") };
    match site.by_source.get(file.trim_start_matches('/')).map(|&i| in_lang(site, i, lang)) {
        Some(Item::Section(i)) => Ok(i),
        _ => Err(fail(msg!("functions.no_section_at", file = file))),
    }
}

/// `get_pages(section=, taxonomy=, term=)`: listed pages, in the section's order (or newest
/// first across the site), keeping those with the term when one is given.
fn pages_matching(site: &Site, args: &Kwargs, lang: &str) -> Result<Vec<usize>> {
    let section = args.get::<&str>("section")?.map(|n| section_index(site, n, lang)).transpose()?;
    let term = match (args.get::<&str>("taxonomy")?, args.get::<&str>("term")?) {
        (Some(kind), Some(name)) => {
            let tax = site.taxonomies.iter().find(|t| t.name == kind && t.lang == lang);
            let tax = tax.ok_or_else(|| fail(msg!("functions.no_taxonomy", function = "get_pages", kind = kind)))?;
            Some(tax.term(name).map_or(&[][..], |t| &t.pages[..]))
        }
        (None, None) => None,
        _ => return Err(fail(msg!("functions.get_pages_term"))),
    };
    Ok(match (section, term) {
        (Some(s), Some(with_term)) => {
            let with_term: std::collections::HashSet<usize> = with_term.iter().copied().collect();
            site.sections[s].pages.iter().copied().filter(|p| with_term.contains(p)).collect()
        }
        (Some(s), None) => site.sections[s].pages.clone(),
        (None, Some(with_term)) => with_term.to_vec(),
        (None, None) => return Err(fail(msg!("functions.get_pages_what"))),
    })
}

/// Pages sharing the most taxonomy terms with `page` (never itself), newest first on ties.
///
/// Every page renders this, and on a large site a term holds thousands of pages: scores are
/// counted in a per-thread array (reset after use) rather than a hash map, and only the
/// best `limit` are sorted.
pub(crate) fn related_pages(site: &Site, page: usize, sections: Option<&[usize]>, limit: usize) -> Vec<usize> {
    thread_local! {
        static SCORES: std::cell::RefCell<Vec<u32>> = const { std::cell::RefCell::new(Vec::new()) };
    }
    SCORES.with(|scores| {
        let mut scores = scores.borrow_mut();
        scores.resize(site.pages.len(), 0);
        let mut touched: Vec<usize> = Vec::new();
        for (kind, names) in &site.pages[page].taxonomies {
            let Some(tax) = site.taxonomies.iter().find(|t| &t.name == kind) else { continue };
            for name in names {
                let Some(term) = tax.term(name) else { continue };
                for &p in &term.pages {
                    if p != page && sections.is_none_or(|s| s.contains(&site.pages[p].section)) {
                        if scores[p] == 0 {
                            touched.push(p);
                        }
                        scores[p] += 1;
                    }
                }
            }
        }
        let mut ranked: Vec<(u32, usize)> = touched.iter().map(|&p| (scores[p], p)).collect();
        for &p in &touched {
            scores[p] = 0;
        }
        let date = |p: usize| site.pages[p].date.as_ref().map(|d| d.iso.as_str());
        let order = |a: &(u32, usize), b: &(u32, usize)| {
            b.0.cmp(&a.0).then_with(|| date(b.1).cmp(&date(a.1))).then_with(|| a.1.cmp(&b.1))
        };
        if ranked.len() > limit && limit > 0 {
            ranked.select_nth_unstable_by(limit - 1, order);
            ranked.truncate(limit);
        }
        ranked.sort_by(order);
        ranked.into_iter().take(limit).map(|(_, p)| p).collect()
    })
}

fn url_for(s: &Shared, path: &str, cachebust: bool, lang: &str) -> Result<String> {
    if let Some(target) = path.strip_prefix("@/") {
        let (file, anchor) = target.split_once('#').map_or((target, None), |(f, a)| (f, Some(a)));
        // The translation in the language being rendered, when there is one.
        let file = match s.site.by_source.get(file).map(|&i| in_lang(&s.site, i, lang)) {
            Some(item) => s.site.item_source(item).relative.as_str(),
            None => file,
        };
        let url =
            Links::new(&s.site, &s.config).resolve(file).map_err(|m| fail(msg!("functions.get_url", problem = m)))?;
        return Ok(anchor.map_or(url.clone(), |a| format!("{url}#{a}")));
    }
    if path.contains("://") || path.starts_with("mailto:") {
        return Ok(path.to_string());
    }
    let rel = path.trim_start_matches('/');
    let url = s.config.permalink(&format!("/{rel}"));
    if !cachebust {
        return Ok(url);
    }
    if super::record::active() {
        record(Input::Static(rel.to_string()));
    }
    let mut hashes = s.hashes.lock().unwrap_or_else(|p| p.into_inner());
    if let Some(h) = hashes.get(rel) {
        return Ok(format!("{url}?h={h}"));
    }
    let bytes = s
        .static_dirs
        .iter()
        .find_map(|d| std::fs::read(d.join(rel)).ok())
        .ok_or_else(|| fail(msg!("functions.cachebust_missing", rel = rel)))?;
    let h = format!("{:016x}", fnv1a(&bytes))[..10].to_string();
    hashes.insert(rel.to_string(), h.clone());
    Ok(format!("{url}?h={h}"))
}

/// FNV-1a 64: a fast, stable content hash for cache busting (not for security).
pub(crate) fn fnv1a(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |h, &b| (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3))
}

/// `{{ page.date | date }}` → «9. juni 2023» (names and default format from the language's
/// i18n file); `date(format="%-d.%-m.%Y")` for other forms, `lang=` for another language.
struct DateFilter(Arc<Shared>);

impl Filter<&Value, Result<String>> for DateFilter {
    fn call(&self, v: &Value, args: Kwargs, state: &State<'_>) -> Result<String> {
        if v.is_none() || v.is_undefined() {
            return Ok(String::new());
        }
        let raw = v.as_str().ok_or_else(|| fail(msg!("functions.date_expects", got = v.name())))?;
        let date = Date::parse(raw).map_err(|m| fail(msg!("functions.date_filter", problem = m)))?;
        let lang = lang_of(&args, state, &self.0.config)?;
        let fallback;
        let names = match self.0.translations.date_names(&lang) {
            Some(n) => n,
            None => {
                fallback = DateNames::default();
                &fallback
            }
        };
        Ok(match args.get::<&str>("format")? {
            Some(fmt) => date.format(fmt, names),
            None => date.format(&names.format, names),
        })
    }
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

impl Filter<&str, Result<Value>> for MarkdownFilter {
    fn call(&self, src: &str, args: Kwargs, state: &State<'_>) -> Result<Value> {
        let links = self.0.views.links(&self.0.site, &self.0.config);
        let lang = lang_of(&args, state, &self.0.config)?;
        let opts = markdown::Options::for_text(&self.0.config, &lang, true);
        let r = markdown::render(src, &opts, &links);
        if let Some((_, m)) = r.errors.first() {
            return Err(fail(msg!("functions.markdown_filter", problem = m.clone())));
        }
        let inline = args.get::<bool>("inline")?.unwrap_or(false);
        let html = r.html.trim_end();
        let html = match (inline, html.strip_prefix("<p>").and_then(|h| h.strip_suffix("</p>"))) {
            (true, Some(inner)) if !inner.contains("<p>") => inner,
            _ => html,
        };
        Ok(Value::safe_string(html))
    }

    fn is_safe(&self) -> bool {
        true
    }
}

/// `soft_hyphens`: soft hyphens in the long words of a text (see [`crate::hyphenate`]), with the
/// parts of compounds from the language file's `hyphenation.parts`. A safe string (HTML, such as
/// `page.content | safe`) or `html=true` is treated as HTML: only its text changes, and it stays
/// safe. None and undefined pass through.
struct SoftHyphens {
    shared: Arc<Shared>,
    /// The hyphenator of each language, read from its interface text once.
    by_lang: Mutex<HashMap<String, Arc<Hyphenator>>>,
}

impl SoftHyphens {
    fn hyphenator(&self, lang: &str) -> Arc<Hyphenator> {
        let mut cache = self.by_lang.lock().unwrap_or_else(|e| e.into_inner());
        cache
            .entry(lang.to_string())
            .or_insert_with(|| {
                // A language file without the key gets the syllable rule only.
                let parts = self.shared.translations.get(lang, "hyphenation.parts", &[]).unwrap_or_default();
                Arc::new(Hyphenator::new(&parts))
            })
            .clone()
    }
}

impl Filter<&Value, Result<Value>> for SoftHyphens {
    fn call(&self, v: &Value, args: Kwargs, state: &State<'_>) -> Result<Value> {
        let Some(text) = v.as_str() else {
            return Ok(v.clone());
        };
        let h = self.hyphenator(&lang_of(&args, state, &self.shared.config)?);
        if v.is_safe() || args.get::<bool>("html")?.unwrap_or(false) {
            Ok(Value::safe_string(&h.html(text)))
        } else {
            Ok(Value::from(h.text(text)))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urlencoding_and_hash() {
        assert_eq!(urlencode("sykepleiere og æ"), "sykepleiere%20og%20%C3%A6");
        assert_eq!(fnv1a(b""), 0xcbf2_9ce4_8422_2325);
    }
}
