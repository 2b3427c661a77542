//! Stage 3 of the pipeline: markdown → HTML with pulldown-cmark. Independent of the content
//! model and the templates: it takes text and a [`LinkResolver`] and returns data: the HTML,
//! the summary, the table of contents, word counts, and every link and image it found (for
//! anchor checks now and the link/accessibility audit later). Components called in the text
//! ([`calls`]) are rendered through the resolver, which knows the theme's.

pub mod calls;
pub mod sanitize;

use crate::config::RawHtml;
use crate::error::Pos;
use crate::messages::Message;
use crate::slug::slugify;
use pulldown_cmark::{CowStr, Event, HeadingLevel, Options as CmarkOptions, Parser, Tag, TagEnd};
use serde::Serialize;
use std::cell::Cell;
use std::collections::{HashMap, VecDeque};
use std::fmt::Write;

/// What a text refers to outside itself: the pages its `@/` links name, links to the site's
/// own addresses, and the components it calls.
pub trait LinkResolver: Sync {
    /// `target` is a path under `content/`, e.g. `tips/x.md`; returns the URL or what is wrong.
    fn resolve(&self, target: &str) -> Result<String, Message>;

    /// A link to the site's own address (`/tips/x/`, `https://<own host>/tips/x/`): the URL
    /// to publish (under the configured base URL) and the path on the site (`/tips/x/`);
    /// `None` for any other link.
    fn own_link(&self, _dest: &str) -> Option<(String, String)> {
        None
    }

    /// The HTML of an image in the text (`alt` empty for a decorative one), or what is wrong
    /// with it; `None` leaves it as written (web addresses, SVG, no image stage).
    fn image(&self, _src: &str, _alt: &str) -> Option<Result<String, Message>> {
        None
    }

    /// The HTML of a component called in the text, with its arguments (`@/` links already
    /// resolved) and its body's HTML.
    fn component(
        &self,
        call: &calls::Call,
        _args: &[(String, serde_json::Value)],
        _body: Option<&str>,
    ) -> Result<String, Message> {
        Err(crate::msg!("components.none", name = call.name.as_str()))
    }
}

/// Publishes the images texts show (the image stage does).
pub trait Pictures: Sync {
    /// The HTML of image `src` in the text of the content file `item_abs` (`item_rel` under
    /// `content/`), or what is wrong with it; `None` leaves it as written (web addresses,
    /// SVG, files that do not exist).
    fn picture(
        &self,
        item_abs: &std::path::Path,
        item_rel: &str,
        src: &str,
        alt: &str,
    ) -> Option<Result<String, Message>>;
}

/// Renders the components called in texts (the theme's and the site's).
pub trait Components: Sync {
    /// `name`'s HTML for `args` and the body's HTML, or what is wrong with the call.
    fn render(&self, name: &str, args: &[(String, serde_json::Value)], body: Option<&str>) -> Result<String, Message>;
}

/// How to render.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// Use Norwegian quotation marks «» for smart double quotes.
    pub norwegian_quotes: bool,
    /// Leave out the HTML of the whole text (everything else, the summary included, is
    /// produced): for a first pass over a site too large to keep every page's HTML.
    pub without_html: bool,
    /// What happens to raw HTML, heading attributes and script addresses in links.
    pub raw_html: RawHtml,
}

impl Options {
    /// The options for text in a language: Norwegian quotation marks for bokmål and nynorsk.
    pub fn for_language(lang: &str) -> Options {
        Options { norwegian_quotes: matches!(lang, "nb" | "nn" | "no"), ..Options::default() }
    }

    /// The site's options for a text in `lang`, with or without its HTML.
    pub fn for_text(config: &crate::config::Config, lang: &str, with_html: bool) -> Options {
        Options { without_html: !with_html, raw_html: config.raw_html, ..Options::for_language(lang) }
    }
}

/// A heading in the table of contents.
#[derive(Debug, Clone, Default, Serialize, PartialEq)]
pub struct Heading {
    /// 1–6.
    pub level: u32,
    /// The unique id (anchor) of the heading.
    pub id: String,
    /// The heading's plain text.
    pub title: String,
    /// Headings nested below this one.
    pub children: Vec<Heading>,
}

/// A link found in the markdown.
#[derive(Debug, Clone, PartialEq)]
pub struct Link {
    /// The destination as written.
    pub dest: String,
    /// For `@/` links: the target source path and the anchor, if any.
    pub internal: Option<(String, Option<String>)>,
    /// For links to the site's own address (pasted from the browser): the path on the site,
    /// e.g. `/tips/x/`, checked against the planned output once it is known.
    pub own: Option<String>,
    /// Byte offset in the markdown.
    pub offset: usize,
    /// Line and column in the markdown, for diagnostics.
    pub pos: Pos,
}

/// An image found in the markdown.
#[derive(Debug, Clone, PartialEq)]
pub struct Image {
    /// The image source as written.
    pub src: String,
    /// The alt text (empty if none).
    pub alt: String,
    /// Marked decorative (title «dekorativ»): published with an empty alt.
    pub decorative: bool,
    /// Byte offset in the markdown.
    pub offset: usize,
    /// Line and column in the markdown.
    pub pos: Pos,
}

/// What rendering one markdown text produced.
#[derive(Debug, Clone, Default)]
pub struct Rendered {
    /// The full HTML.
    pub html: String,
    /// HTML before `<!-- more -->`, if the marker is present.
    pub summary: Option<String>,
    /// Nested table of contents (every heading, so also every heading id).
    pub toc: Vec<Heading>,
    /// Words of prose (code blocks excluded).
    pub word_count: usize,
    /// Minutes at 200 words a minute, rounded up.
    pub reading_time: usize,
    /// Links found.
    pub links: Vec<Link>,
    /// Images found.
    pub images: Vec<Image>,
    /// Every heading's level and place, in order (for structure checks).
    pub heading_levels: Vec<(u32, Pos)>,
    /// Problems found: (place in the markdown, message).
    pub errors: Vec<(Pos, Message)>,
    /// Things to tell the writer that do not stop the build (raw HTML cleaned).
    pub warnings: Vec<(Pos, Message)>,
}

impl Rendered {
    /// Every heading id, in order.
    pub fn heading_ids(&self) -> Vec<&str> {
        fn walk<'a>(hs: &'a [Heading], out: &mut Vec<&'a str>) {
            for h in hs {
                out.push(&h.id);
                walk(&h.children, out);
            }
        }
        let mut out = Vec::new();
        walk(&self.toc, &mut out);
        out
    }

    /// Is there a heading with this id?
    pub fn has_heading(&self, id: &str) -> bool {
        fn find(hs: &[Heading], id: &str) -> bool {
            hs.iter().any(|h| h.id == id || find(&h.children, id))
        }
        find(&self.toc, id)
    }

    /// Lets go of what only the checks of the text needed (images, headings' places, all
    /// links but those to another page's heading, which a later edit of that page may
    /// break, and those to the site's own addresses, checked against the planned output):
    /// on a large site this is a good part of each page's memory.
    pub fn keep_for_site(&mut self) {
        self.links.retain(|l| matches!(&l.internal, Some((_, Some(_)))) || l.own.is_some());
        self.links.shrink_to_fit();
        self.images = Vec::new();
        self.heading_levels = Vec::new();
        self.errors = Vec::new();
    }
}

/// A heading being collected: level, explicit id, classes and attributes, and its events.
struct OpenHeading<'a> {
    level: HeadingLevel,
    id: Option<CowStr<'a>>,
    classes: Vec<CowStr<'a>>,
    attrs: Vec<(CowStr<'a>, Option<CowStr<'a>>)>,
    events: Vec<Event<'a>>,
    text: String,
}

const SUMMARY_MARKER: &str = "<!-- more -->";

/// Renders markdown to HTML, resolving `@/` links and components through `resolver`. A text
/// with template syntax has its component calls taken out first and their HTML put in after.
pub fn render(markdown: &str, opts: &Options, resolver: &dyn LinkResolver) -> Rendered {
    if !calls::has_template_syntax(markdown) {
        return render_text(markdown, opts, resolver);
    }
    let x = calls::extract(markdown);
    let mut r = render_text(&x.text, opts, resolver);
    // Places in the extracted text → places in the writer's text.
    let fix = |p: &mut Pos| p.line = x.original_line(p.line);
    r.links.iter_mut().for_each(|l| fix(&mut l.pos));
    r.images.iter_mut().for_each(|i| fix(&mut i.pos));
    r.heading_levels.iter_mut().for_each(|h| fix(&mut h.1));
    r.errors.iter_mut().for_each(|e| fix(&mut e.0));
    r.warnings.iter_mut().for_each(|e| fix(&mut e.0));
    r.errors.extend(x.errors.iter().cloned());
    let mut htmls = Vec::with_capacity(x.calls.len());
    for call in &x.calls {
        htmls.push(render_call(call, opts, resolver, &mut r));
    }
    if !x.calls.is_empty() {
        r.html = calls::substitute(&r.html, &x.calls, &htmls);
        r.summary = r.summary.map(|s| calls::substitute(&s, &x.calls, &htmls));
    }
    r
}

/// One call's HTML (empty when it fails: the problem goes into `r`). Its body is the
/// writer's markdown, rendered as the text around it is, its findings added to `r`'s at
/// their places in the text.
fn render_call(call: &calls::Call, opts: &Options, resolver: &dyn LinkResolver, r: &mut Rendered) -> String {
    let body = call.body.as_deref().map(|b| {
        let mut inner = render(b, &Options { without_html: false, ..opts.clone() }, resolver);
        let shift = |p: &mut Pos| p.line += call.body_line - 1;
        for mut l in inner.links {
            shift(&mut l.pos);
            r.links.push(l);
        }
        for mut i in inner.images {
            shift(&mut i.pos);
            r.images.push(i);
        }
        for mut h in inner.heading_levels {
            shift(&mut h.1);
            r.heading_levels.push(h);
        }
        for mut e in inner.errors {
            shift(&mut e.0);
            r.errors.push(e);
        }
        for mut e in inner.warnings {
            shift(&mut e.0);
            r.warnings.push(e);
        }
        r.word_count += inner.word_count;
        std::mem::take(&mut inner.html)
    });
    let mut args = call.args.clone();
    for (name, value) in &mut args {
        let Some(target) = value.as_str().and_then(|v| v.strip_prefix("@/")).map(str::to_string) else { continue };
        let (path, anchor) = match target.split_once('#') {
            Some((p, a)) => (p.to_string(), Some(a.to_string())),
            None => (target.clone(), None),
        };
        let dest = format!("@/{target}");
        r.links.push(Link {
            dest,
            internal: Some((path.clone(), anchor.clone())),
            own: None,
            offset: 0,
            pos: call.pos,
        });
        match resolver.resolve(&path) {
            Ok(url) => *value = serde_json::Value::String(anchor.map_or(url.clone(), |a| format!("{url}#{a}"))),
            Err(m) => {
                let m =
                    crate::msg!("components.in_argument", name = call.name.as_str(), arg = name.as_str(), problem = m);
                r.errors.push((call.pos, m));
            }
        }
    }
    match resolver.component(call, &args, body.as_deref()) {
        Ok(html) => html,
        Err(m) => {
            r.errors.push((call.pos, m));
            String::new()
        }
    }
}

/// Renders a text without template syntax. The events stream from the parser through
/// [`Stream`] into the HTML writer; only a heading's events are held (its id comes from its
/// text), and the summary is the HTML written before the marker.
fn render_text(markdown: &str, opts: &Options, resolver: &dyn LinkResolver) -> Rendered {
    let mut flags = CmarkOptions::ENABLE_TABLES
        | CmarkOptions::ENABLE_FOOTNOTES
        | CmarkOptions::ENABLE_STRIKETHROUGH
        | CmarkOptions::ENABLE_TASKLISTS
        | CmarkOptions::ENABLE_SMART_PUNCTUATION
        | CmarkOptions::ENABLE_HEADING_ATTRIBUTES;
    flags.remove(CmarkOptions::ENABLE_YAML_STYLE_METADATA_BLOCKS);
    let mut r = Rendered::default();
    let marker = Cell::new(false);
    let mut stream = Stream {
        parser: Parser::new_ext(markdown, flags).into_offset_iter(),
        opts,
        resolver,
        r: &mut r,
        marker: &marker,
        heading: None,
        pending: VecDeque::new(),
        used_ids: HashMap::new(),
        flat: Vec::new(),
        image_alt: None,
        image_events: None,
        in_code_block: false,
        heading_offsets: Vec::new(),
        error_offsets: Vec::new(),
        warning_offsets: Vec::new(),
        raw_seen: false,
    };
    let has_marker = markdown.contains(SUMMARY_MARKER);
    let (html, summary_at) = if opts.without_html && !has_marker {
        stream.by_ref().for_each(drop);
        (String::new(), None)
    } else {
        let capacity = if opts.without_html { 1024 } else { markdown.len() * 3 / 2 };
        let mut out = Out {
            html: String::with_capacity(capacity),
            marker: &marker,
            summary_at: None,
            stop_at_summary: opts.without_html,
        };
        let _ = pulldown_cmark::html::write_html_fmt(&mut out, stream.by_ref());
        // The writer learns of the marker at its next write; a marker at the very end
        // leaves everything before it as the summary.
        let at = out.summary_at.or(marker.get().then_some(out.html.len()));
        (out.html, at)
    };
    let Stream { flat, heading_offsets, error_offsets, warning_offsets, raw_seen, .. } = stream;
    // Raw HTML is cleaned in the whole text's HTML, where its tags are balanced.
    let clean = raw_seen && opts.raw_html == RawHtml::Sanitize;
    if let Some(at) = summary_at {
        r.summary = Some(if clean { sanitize::clean(&html[..at]) } else { html[..at].to_string() });
    }
    if !opts.without_html {
        r.html = if clean { sanitize::clean(&html) } else { html };
    }
    r.reading_time = r.word_count.div_ceil(200);
    r.toc = nest(flat);
    // Places for diagnostics, as lines and columns of the markdown.
    let lines = LineIndex::new(markdown);
    for l in &mut r.links {
        l.pos = lines.pos(l.offset);
    }
    for i in &mut r.images {
        i.pos = lines.pos(i.offset);
    }
    for (h, offset) in r.heading_levels.iter_mut().zip(heading_offsets) {
        h.1 = lines.pos(offset);
    }
    for (e, offset) in r.errors.iter_mut().zip(error_offsets) {
        e.0 = lines.pos(offset);
    }
    for (e, offset) in r.warnings.iter_mut().zip(warning_offsets) {
        e.0 = lines.pos(offset);
    }
    r
}

/// Where the HTML goes: a string, noting its length when the summary marker has passed
/// (`stop_at_summary`: and writing nothing more after it).
struct Out<'c> {
    html: String,
    marker: &'c Cell<bool>,
    summary_at: Option<usize>,
    stop_at_summary: bool,
}

impl std::fmt::Write for Out<'_> {
    fn write_str(&mut self, s: &str) -> std::fmt::Result {
        if self.summary_at.is_none() && self.marker.get() {
            self.summary_at = Some(self.html.len());
        }
        if !(self.stop_at_summary && self.summary_at.is_some()) {
            self.html.push_str(s);
        }
        Ok(())
    }
}

/// The parser's events, with what the site needs done to them: heading ids and anchor
/// links, `@/` links resolved, Norwegian quotation marks, the summary marker noted, and the
/// text's words, links, images and headings recorded.
struct Stream<'a, 'r, I> {
    parser: I,
    opts: &'r Options,
    resolver: &'r dyn LinkResolver,
    r: &'r mut Rendered,
    marker: &'r Cell<bool>,
    heading: Option<OpenHeading<'a>>,
    /// Events ready to go out (a finished heading's).
    pending: VecDeque<Event<'a>>,
    used_ids: HashMap<String, usize>,
    flat: Vec<Heading>,
    image_alt: Option<usize>,
    /// The events of an image being read (its alt text), when the resolver renders it.
    image_events: Option<(Tag<'a>, Vec<Event<'a>>)>,
    in_code_block: bool,
    heading_offsets: Vec<usize>,
    error_offsets: Vec<usize>,
    warning_offsets: Vec<usize>,
    /// Raw HTML went into the output (to be cleaned when the site sanitises).
    raw_seen: bool,
}

impl<'a, I: Iterator<Item = (Event<'a>, std::ops::Range<usize>)>> Iterator for Stream<'a, '_, I> {
    type Item = Event<'a>;

    fn next(&mut self) -> Option<Event<'a>> {
        loop {
            if let Some(e) = self.pending.pop_front() {
                return Some(e);
            }
            let (event, range) = self.parser.next()?;
            let Some(event) = self.process(event, range) else { continue };
            let event = match self.image_event(event) {
                Held::Nothing => continue,
                Held::One(e) => e,
                Held::Many(events) => {
                    match &mut self.heading {
                        Some(h) => h.events.extend(events),
                        None => self.pending.extend(events),
                    }
                    continue;
                }
            };
            match &mut self.heading {
                Some(h) => h.events.push(event),
                None => return Some(event),
            }
        }
    }
}

impl<'a, I> Stream<'a, '_, I> {
    /// Holds an image's events until its end, then asks the resolver for its HTML (a
    /// `<picture>` for a raster image); passes the events on as they were when it has none.
    fn image_event(&mut self, event: Event<'a>) -> Held<'a> {
        if let Event::Start(tag @ Tag::Image { .. }) = &event {
            self.image_events = Some((tag.clone(), Vec::new()));
            return Held::Nothing;
        }
        let Some((_, events)) = self.image_events.as_mut() else { return Held::One(event) };
        if !matches!(event, Event::End(TagEnd::Image)) {
            events.push(event);
            return Held::Nothing;
        }
        let Some((tag, events)) = self.image_events.take() else { return Held::Nothing };
        let Tag::Image { link_type, dest_url, title, id } = tag else { return Held::Nothing };
        let img = self.r.images.last().cloned();
        let decorative = img.as_ref().is_some_and(|i| i.decorative);
        let alt = img.as_ref().filter(|_| !decorative).map_or(String::new(), |i| i.alt.clone());
        let rendered = if dest_url.starts_with("@/") { None } else { self.resolver.image(&dest_url, &alt) };
        match rendered {
            Some(Ok(html)) => Held::One(Event::InlineHtml(html.into())),
            other => {
                if let Some(Err(m)) = other {
                    self.r.errors.push((Pos { line: 1, col: 1 }, m));
                    self.error_offsets.push(img.map_or(0, |i| i.offset));
                }
                let title = if decorative { CowStr::from("") } else { title };
                let mut out = Vec::with_capacity(events.len() + 2);
                out.push(Event::Start(Tag::Image { link_type, dest_url, title, id }));
                if !decorative {
                    out.extend(events);
                }
                out.push(Event::End(TagEnd::Image));
                Held::Many(out)
            }
        }
    }

    /// One event: recorded, rewritten, or (heading ends, the marker) turned into others.
    fn process(&mut self, event: Event<'a>, range: std::ops::Range<usize>) -> Option<Event<'a>> {
        match event {
            Event::Start(Tag::Heading { level, id, classes, attrs }) => {
                self.r.heading_levels.push((level as u32, Pos { line: 1, col: 1 }));
                self.heading_offsets.push(range.start);
                self.heading = Some(OpenHeading { level, id, classes, attrs, events: Vec::new(), text: String::new() });
                None
            }
            Event::End(TagEnd::Heading(_)) => {
                let h = self.heading.take()?;
                self.finish_heading(h);
                None
            }
            Event::Start(Tag::Link { link_type, dest_url, title, id }) => {
                let dest_url = self.safe_url(dest_url, range.start);
                let dest_url = link_dest(dest_url, range.start, self.resolver, self.r, &mut self.error_offsets);
                Some(Event::Start(Tag::Link { link_type, dest_url, title, id }))
            }
            Event::Start(Tag::Image { link_type, dest_url, title, id }) => {
                let pos = Pos { line: 1, col: 1 };
                let decorative = is_decorative(&title);
                let src = dest_url.to_string();
                self.r.images.push(Image { src, alt: String::new(), decorative, offset: range.start, pos });
                self.image_alt = Some(self.r.images.len() - 1);
                let dest_url = self.safe_url(dest_url, range.start);
                let dest_url = link_dest(dest_url, range.start, self.resolver, self.r, &mut self.error_offsets);
                Some(Event::Start(Tag::Image { link_type, dest_url, title, id }))
            }
            Event::End(TagEnd::Image) => {
                self.image_alt = None;
                Some(event)
            }
            Event::Start(Tag::CodeBlock(_)) => {
                self.in_code_block = true;
                Some(event)
            }
            Event::End(TagEnd::CodeBlock) => {
                self.in_code_block = false;
                Some(event)
            }
            Event::Text(text) => {
                if !self.in_code_block {
                    self.r.word_count += count_words(&text);
                }
                if let Some(h) = &mut self.heading {
                    h.text.push_str(&text);
                }
                if let Some(i) = self.image_alt {
                    self.r.images[i].alt.push_str(&text);
                }
                // Both quotation marks start with the byte 0xE2: one fast scan rules most texts out.
                let quoted = |t: &str| t.as_bytes().contains(&0xE2) && (t.contains('“') || t.contains('”'));
                let text = if self.opts.norwegian_quotes && quoted(&text) {
                    CowStr::from(text.replace('“', "«").replace('”', "»"))
                } else {
                    text
                };
                Some(Event::Text(text))
            }
            Event::Code(code) => {
                self.r.word_count += count_words(&code);
                if let Some(h) = &mut self.heading {
                    h.text.push_str(&code);
                }
                Some(Event::Code(code))
            }
            Event::Html(html) if !self.marker.get() && html.trim() == SUMMARY_MARKER => {
                self.marker.set(true);
                None
            }
            Event::Html(ref html) | Event::InlineHtml(ref html) => match self.opts.raw_html {
                RawHtml::Allow => Some(event),
                RawHtml::Sanitize => {
                    for m in sanitize::findings(html) {
                        self.warn(range.start, m);
                    }
                    self.raw_seen = true;
                    Some(event)
                }
                RawHtml::Deny => {
                    let t = html.trim();
                    let comment = t.starts_with("<!--") && t.ends_with("-->");
                    if !(t.is_empty() || comment) {
                        self.fail(range.start, crate::msg!("markdown.html_denied"));
                    }
                    None
                }
            },
            other => Some(other),
        }
    }

    /// A link's or image's address, or `#` in place of a script address (`javascript:` …)
    /// unless the site allows raw HTML.
    fn safe_url(&mut self, url: CowStr<'a>, offset: usize) -> CowStr<'a> {
        if self.opts.raw_html == RawHtml::Allow || !sanitize::unsafe_url(&url) {
            return url;
        }
        let m = crate::msg!("markdown.unsafe_link", url = url.chars().take(40).collect::<String>());
        match self.opts.raw_html {
            RawHtml::Deny => self.fail(offset, m),
            _ => self.warn(offset, m),
        }
        CowStr::Borrowed("#")
    }

    fn warn(&mut self, offset: usize, m: Message) {
        self.r.warnings.push((Pos { line: 1, col: 1 }, m));
        self.warning_offsets.push(offset);
    }

    fn fail(&mut self, offset: usize, m: Message) {
        self.r.errors.push((Pos { line: 1, col: 1 }, m));
        self.error_offsets.push(offset);
    }

    /// A heading's events with its opening tag (id, classes, attributes) before them and its
    /// anchor link and closing tag after.
    fn finish_heading(&mut self, h: OpenHeading<'a>) {
        let OpenHeading { level, id, classes, attrs, events, text } = h;
        let level_n = level as u32;
        let base = id.map(|i| i.to_string()).unwrap_or_else(|| slugify(&text));
        let id = unique_id(&mut self.used_ids, if base.is_empty() { "overskrift".into() } else { base });
        let mut open = format!("<h{level_n} id=\"{}\"", escape_attr(&id));
        if !classes.is_empty() {
            let _ = write!(open, " class=\"{}\"", escape_attr(&classes.join(" ")));
        }
        for (k, v) in &attrs {
            if self.opts.raw_html != RawHtml::Allow && !sanitize::heading_attr_allowed(k) {
                let m = crate::msg!("markdown.heading_attr_removed", attr = k.as_ref());
                let offset = self.heading_offsets.last().copied().unwrap_or(0);
                match self.opts.raw_html {
                    RawHtml::Deny => self.fail(offset, m),
                    _ => self.warn(offset, m),
                }
                continue;
            }
            let _ = write!(open, " {}=\"{}\"", escape_attr(k), escape_attr(v.as_deref().unwrap_or("")));
        }
        open.push('>');
        let close = format!(
            " <a class=\"heading-anchor\" href=\"#{}\" aria-hidden=\"true\" tabindex=\"-1\">#</a></h{level_n}>\n",
            escape_attr(&id)
        );
        self.pending.push_back(Event::Html(open.into()));
        self.pending.extend(events);
        self.pending.push_back(Event::Html(close.into()));
        self.flat.push(Heading { level: level_n, id, title: text.trim().to_string(), children: Vec::new() });
    }
}

/// What the image step lets through: nothing yet (an image is being read), one event, or an
/// image's events.
enum Held<'a> {
    Nothing,
    One(Event<'a>),
    Many(Vec<Event<'a>>),
}

/// An image the writer marks as decorative: title «dekorativ» (or «decorative»).
fn is_decorative(title: &str) -> bool {
    matches!(title.trim().to_lowercase().as_str(), "dekorativ" | "decorative")
}

/// Byte offsets → lines and columns (in characters) of one text.
struct LineIndex<'a> {
    text: &'a str,
    starts: Vec<usize>,
}

impl<'a> LineIndex<'a> {
    fn new(text: &'a str) -> Self {
        LineIndex { text, starts: std::iter::once(0).chain(text.match_indices('\n').map(|(i, _)| i + 1)).collect() }
    }

    fn pos(&self, offset: usize) -> Pos {
        let mut offset = offset.min(self.text.len());
        while !self.text.is_char_boundary(offset) {
            offset -= 1;
        }
        let line = self.starts.partition_point(|&s| s <= offset).max(1);
        let start = self.starts[line - 1];
        Pos { line, col: self.text[start..offset].chars().count() + 1 }
    }
}

/// Words in a text: runs of bytes between ASCII white space. Much faster than Unicode-aware
/// splitting, and the same for prose (a non-breaking space joins "30 000" into one word).
/// Counted as the places where a word starts, in byte-sized sums over runs of 255 bytes,
/// which the compiler vectorises (four times faster than a loop carrying the state).
#[inline(never)]
fn count_words(text: &str) -> usize {
    let b = text.as_bytes();
    let space = |c: u8| c == b' ' || c == b'\n' || c == b'\t' || c == b'\r';
    let Some(&first) = b.first() else { return 0 };
    let mut total = usize::from(!space(first));
    for (x, y) in b[..b.len() - 1].chunks(255).zip(b[1..].chunks(255)) {
        let mut starts: u8 = 0;
        for (&a, &c) in x.iter().zip(y) {
            starts += u8::from(space(a) & !space(c));
        }
        total += usize::from(starts);
    }
    total
}

/// Rewrites an `@/` destination to its URL and records the link.
fn link_dest<'a>(
    dest: CowStr<'a>,
    offset: usize,
    resolver: &dyn LinkResolver,
    r: &mut Rendered,
    error_offsets: &mut Vec<usize>,
) -> CowStr<'a> {
    let pos = Pos { line: 1, col: 1 };
    let Some(target) = dest.strip_prefix("@/") else {
        if let Some((url, path)) = resolver.own_link(&dest) {
            r.links.push(Link { dest: dest.to_string(), internal: None, own: Some(path), offset, pos });
            return url.into();
        }
        r.links.push(Link { dest: dest.to_string(), internal: None, own: None, offset, pos });
        return dest;
    };
    let (path, anchor) = match target.split_once('#') {
        Some((p, a)) => (p, Some(a.to_string())),
        None => (target, None),
    };
    let link =
        Link { dest: dest.to_string(), internal: Some((path.to_string(), anchor.clone())), own: None, offset, pos };
    r.links.push(link);
    match resolver.resolve(path) {
        Ok(url) => match anchor {
            Some(a) => format!("{url}#{a}").into(),
            None => url.into(),
        },
        Err(message) => {
            r.errors.push((pos, message));
            error_offsets.push(offset);
            dest
        }
    }
}

fn unique_id(used: &mut HashMap<String, usize>, base: String) -> String {
    let n = used.entry(base.clone()).or_insert(0);
    *n += 1;
    if *n == 1 {
        return base;
    }
    let mut candidate = format!("{base}-{}", *n - 1);
    while used.contains_key(&candidate) {
        *used.get_mut(&base).expect("just inserted") += 1;
        candidate = format!("{base}-{}", used[&base] - 1);
    }
    used.insert(candidate.clone(), 1);
    candidate
}

/// Turns a flat list of headings into a tree by level.
fn nest(flat: Vec<Heading>) -> Vec<Heading> {
    fn insert(into: &mut Vec<Heading>, h: Heading) {
        match into.last_mut() {
            Some(last) if last.level < h.level => insert(&mut last.children, h),
            _ => into.push(h),
        }
    }
    let mut out = Vec::new();
    for h in flat {
        insert(&mut out, h);
    }
    out
}

/// Escapes text for an HTML attribute value.
pub fn escape_attr(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '"' => out.push_str("&quot;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    struct Links;
    impl LinkResolver for Links {
        fn resolve(&self, target: &str) -> Result<String, Message> {
            match target {
                "tips/a.md" => Ok("/tips/a/".into()),
                _ => Err(crate::msg!("links.missing_page", target = target, hint = None)),
            }
        }
    }

    fn html(md: &str) -> String {
        render(md, &Options::for_language("nb"), &Links).html
    }

    #[test]
    fn headings_get_unique_ids_and_anchors() {
        let r = render("## Slik gjør vi\n\n## Slik gjør vi\n\n### Én ting {#egen}\n", &Options::default(), &Links);
        assert_eq!(r.heading_ids(), vec!["slik-gjor-vi", "slik-gjor-vi-1", "egen"]);
        assert!(r
            .html
            .contains("<h2 id=\"slik-gjor-vi\">Slik gjør vi <a class=\"heading-anchor\" href=\"#slik-gjor-vi\""));
        assert_eq!(r.toc.len(), 2);
        assert_eq!(r.toc[1].children[0].title, "Én ting");
    }

    #[test]
    fn internal_links_resolve_or_report() {
        let r = render("Se [a](@/tips/a.md#steg) og [b](@/tips/b.md).", &Options::default(), &Links);
        assert!(r.html.contains("href=\"/tips/a/#steg\""));
        assert_eq!(r.errors.len(), 1);
        assert_eq!(r.errors[0].1.to_string().as_str(), "link to a missing page: there is no content/tips/b.md");
        assert_eq!(r.links[0].internal, Some(("tips/a.md".into(), Some("steg".into()))));
    }

    #[test]
    fn summary_words_and_extensions() {
        let r = render("Første avsnitt.\n\n<!-- more -->\n\nResten her.\n", &Options::default(), &Links);
        assert_eq!(r.summary.as_deref(), Some("<p>Første avsnitt.</p>\n"));
        assert_eq!((r.word_count, r.reading_time), (4, 1));
        assert!(html("| a |\n|---|\n| b |").contains("<table>"));
        assert!(html("~~x~~").contains("<del>x</del>"));
        assert!(html("- [x] ferdig").contains("checkbox"));
        assert!(html("Tekst[^1]\n\n[^1]: Note").contains("footnote"));
        assert_eq!(html("\"Hei\" -- sa han"), "<p>«Hei» – sa han</p>\n");
    }

    #[test]
    fn images_are_reported_with_alt() {
        let r = render("![Sykepleier i arbeid](bilde.jpg)\n\n![](tom.png)", &Options::default(), &Links);
        assert_eq!(r.images[0].alt, "Sykepleier i arbeid");
        assert_eq!(r.images[1].alt, "");
    }

    #[test]
    fn hostile_input_does_not_panic() {
        for md in ["#", "[](@/)", "[x](@/#)", "![", "<!-- more -->", "#### {#}", "\u{0}", "## \n## \n"] {
            let _ = render(md, &Options::default(), &Links);
        }
    }
}
