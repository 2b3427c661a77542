//! Soft hyphens in long words, for browsers without a hyphenation dictionary.
//!
//! `hyphens: auto` needs the browser to have a dictionary for the page's language; Chromium on
//! Linux, for one, has none for Norwegian (nor any other), so a compound such as
//! «Tilgjengelighetserklæring» in a heading on a phone is cut wherever the line ends. The
//! `soft_hyphens` template filter marks where long words may break, with soft hyphens (U+00AD:
//! invisible unless the browser breaks the line there, and then shown as «-»):
//!
//! 1. between the parts of a compound, when the word can be read as parts that the language
//!    file lists (`[hyphenation] parts` in `i18n/<lang>.toml`), with a joining «s» or «e» kept
//!    with the part before it («rekrutterings|patruljer») and an inflection ending with the
//!    last part («patrulje|ne» is not a break);
//! 2. inside each part and in what is left unread, between syllables by the Norwegian rule: a
//!    single consonant between vowels begins the next syllable, of several the last one does
//!    (ma-te, vin-ter), and sounds written with two letters stay together (sta-sjon, ri-kje);
//!    a listed part that the rule would split wrongly is listed with its breaks marked «-»
//!    («pro-gram», not «prog-ram»).
//!
//! Only words of at least [`MIN_WORD`] letters are touched: shorter ones fit any line. No break
//! leaves fewer than three letters on either side. The filter works on plain text, or with
//! `html=true` on HTML, where it changes only text (not tags, attributes, entities or the
//! content of `pre`, `code`, `kbd`, `samp`, `script`, `style` and `textarea`).

use std::collections::HashMap;

/// The shortest word that gets soft hyphens.
pub const MIN_WORD: usize = 12;
const SOFT_HYPHEN: char = '\u{AD}';
/// Letters kept together at either end of a word («re-» and «-re» read badly).
const MIN_FRAGMENT: usize = 3;
/// Endings that inflect the last part of a word; never a break before them.
const ENDINGS: &[&str] =
    &["a", "e", "en", "ene", "ens", "er", "ere", "erne", "ernes", "ers", "es", "et", "ets", "ne", "r", "s"];
/// Letters that join the parts of a compound, kept with the part before.
const JOINS: &[char] = &['s', 'e'];
/// Two letters written for one sound: never split.
const DIGRAPHS: &[&str] = &["kj", "sj", "tj", "gj", "hj", "hv", "ch", "ph", "th"];

/// The parts of compounds for one language, with the breaks inside each.
#[derive(Debug, Default)]
pub struct Hyphenator {
    /// Each part in lower case → the positions (in characters) where it may break inside, when
    /// the list marks them (else the syllable rule applies).
    parts: HashMap<String, Option<Vec<usize>>>,
    longest: usize,
}

impl Hyphenator {
    /// Reads a list of parts separated by white space, with «-» marking where one may break
    /// inside when the syllable rule would get it wrong: `"helse fag arbeider pro-gram"`.
    pub fn new(list: &str) -> Hyphenator {
        let mut parts = HashMap::new();
        let mut longest = 0;
        for entry in list.split_whitespace() {
            let mut word = String::new();
            let mut breaks = Vec::new();
            for c in entry.chars() {
                if c == '-' {
                    breaks.push(word.chars().count());
                } else {
                    word.extend(c.to_lowercase());
                }
            }
            let n = word.chars().count();
            if n < 2 {
                continue;
            }
            breaks.retain(|&b| b > 0 && b < n);
            longest = longest.max(n);
            parts.insert(word, if entry.contains('-') { Some(breaks) } else { None });
        }
        Hyphenator { parts, longest }
    }

    /// `text` with soft hyphens in its long words.
    pub fn text(&self, text: &str) -> String {
        let mut out = String::with_capacity(text.len() + 16);
        self.push_text(text, &mut out);
        out
    }

    /// `html` with soft hyphens in the long words of its text.
    pub fn html(&self, html: &str) -> String {
        let mut out = String::with_capacity(html.len() + 64);
        let mut rest = html;
        // The element whose content is left alone, while inside one (`pre`, `code`, …).
        let mut raw: Option<String> = None;
        while !rest.is_empty() {
            if let Some(after) = rest.strip_prefix('<') {
                let end = after.find('>').map_or(rest.len(), |i| i + 2);
                let tag = &rest[..end];
                let name: String = tag
                    .trim_start_matches('<')
                    .trim_start_matches('/')
                    .chars()
                    .take_while(|c| c.is_ascii_alphanumeric())
                    .collect::<String>()
                    .to_ascii_lowercase();
                let closing = tag.starts_with("</");
                match &raw {
                    Some(r) if closing && *r == name => raw = None,
                    None if !closing
                        && matches!(
                            name.as_str(),
                            "pre" | "code" | "kbd" | "samp" | "script" | "style" | "textarea"
                        )
                        && !tag.ends_with("/>") =>
                    {
                        raw = Some(name)
                    }
                    _ => {}
                }
                out.push_str(tag);
                rest = &rest[end..];
                continue;
            }
            let end = rest.find('<').unwrap_or(rest.len());
            let chunk = &rest[..end];
            if raw.is_some() {
                out.push_str(chunk);
            } else {
                // Entities (&amp; &#173;) are not letters, so they end a word and stay whole.
                self.push_text(chunk, &mut out);
            }
            rest = &rest[end..];
        }
        out
    }

    fn push_text(&self, text: &str, out: &mut String) {
        let mut word_start = None;
        for (i, c) in text.char_indices() {
            // A soft hyphen already there belongs to the word (which is then left as it is).
            if c.is_alphabetic() || c == SOFT_HYPHEN {
                word_start.get_or_insert(i);
                continue;
            }
            if let Some(s) = word_start.take() {
                self.push_word(&text[s..i], out);
            }
            out.push(c);
        }
        if let Some(s) = word_start {
            self.push_word(&text[s..], out);
        }
    }

    fn push_word(&self, word: &str, out: &mut String) {
        let chars: Vec<char> = word.chars().collect();
        if chars.len() < MIN_WORD || word.contains(SOFT_HYPHEN) {
            out.push_str(word);
            return;
        }
        let breaks = self.breaks(&chars);
        let mut next = breaks.iter().peekable();
        for (i, c) in chars.iter().enumerate() {
            if next.peek() == Some(&&i) {
                out.push(SOFT_HYPHEN);
                next.next();
            }
            out.push(*c);
        }
    }

    /// Where `word` may break: positions (in characters) before which a soft hyphen goes.
    pub fn breaks(&self, word: &[char]) -> Vec<usize> {
        let lower: Vec<char> = word.iter().map(|c| c.to_lowercase().next().unwrap_or(*c)).collect();
        let n = lower.len();
        // Groups of pieces: a new group starts between two listed parts. Letters left unread
        // stay in one group with the parts beside them, whose joint is then unknown.
        let mut groups: Vec<Vec<Piece<'_>>> = Vec::new();
        let mut prev_listed = false;
        for piece in self.segments(&lower) {
            match groups.last_mut() {
                Some(g) if !(prev_listed && piece.listed) => g.push(piece),
                _ => groups.push(vec![piece]),
            }
            prev_listed = piece.listed;
        }
        let mut breaks = Vec::new();
        for g in &groups {
            let (start, end) = (g[0].start, g[g.len() - 1].end);
            if start > 0 {
                breaks.push(start);
            }
            match g.as_slice() {
                [Piece { marked: Some(inner), .. }] => breaks.extend(inner.iter().map(|b| start + b)),
                _ => {
                    breaks.extend(syllable_breaks(&lower[start..end]).into_iter().map(|b| start + b));
                    for p in g {
                        if let Some(inner) = p.marked {
                            // The rule's breaks inside a part with marked breaks give way to them.
                            breaks.retain(|&b| b <= p.start || b >= p.start + p.part_len);
                            breaks.extend(inner.iter().map(|b| p.start + b));
                        }
                    }
                }
            }
        }
        breaks.retain(|&b| b >= MIN_FRAGMENT && b + MIN_FRAGMENT <= n);
        breaks.sort_unstable();
        breaks.dedup();
        // No one-letter piece between two breaks («fag-e-le-ver» → «fag-ele-ver»).
        let mut kept: Vec<usize> = Vec::with_capacity(breaks.len());
        for b in breaks {
            if kept.last().is_none_or(|&last| b - last >= 2) {
                kept.push(b);
            }
        }
        kept
    }

    /// The word read as listed parts (with a joining letter or an ending after them) and
    /// letters left unread: the reading that leaves the fewest letters unread, then the one
    /// with the fewest pieces.
    fn segments<'a>(&'a self, w: &[char]) -> Vec<Piece<'a>> {
        let n = w.len();
        // best[i]: (letters unread, pieces, the piece that ends at i).
        let mut best: Vec<Option<(usize, usize, Piece<'a>)>> = vec![None; n + 1];
        let empty = Piece { start: 0, end: 0, part_len: 0, listed: false, marked: None };
        best[0] = Some((0, 0, empty));
        let better = |cand: (usize, usize), old: &Option<(usize, usize, Piece<'a>)>| {
            old.as_ref().is_none_or(|o| cand < (o.0, o.1))
        };
        for i in 0..n {
            let Some((cost, pieces, _)) = best[i] else { continue };
            let unread = Piece { start: i, end: i + 1, part_len: 1, listed: false, marked: None };
            if better((cost + 1, pieces + 1), &best[i + 1]) {
                best[i + 1] = Some((cost + 1, pieces + 1, unread));
            }
            let mut key = String::new();
            for j in i..n.min(i + self.longest) {
                key.push(w[j]);
                let Some(marked) = self.parts.get(&key) else { continue };
                let end = j + 1;
                let mut ends = vec![end];
                if end < n && JOINS.contains(&w[end]) {
                    ends.push(end + 1);
                }
                for ending in ENDINGS {
                    let e: Vec<char> = ending.chars().collect();
                    if end + e.len() == n && w[end..] == e[..] {
                        ends.push(n);
                    }
                }
                for to in ends {
                    let piece = Piece { start: i, end: to, part_len: end - i, listed: true, marked: marked.as_deref() };
                    if better((cost, pieces + 1), &best[to]) {
                        best[to] = Some((cost, pieces + 1, piece));
                    }
                }
            }
        }
        let mut pieces = Vec::new();
        let mut at = n;
        while at > 0 {
            let Some((_, _, piece)) = best[at] else { break };
            pieces.push(piece);
            at = piece.start;
        }
        pieces.reverse();
        pieces
    }
}

/// A piece of a word: a listed part (and the joining letter or ending after it), or a letter
/// left unread.
#[derive(Clone, Copy, Debug)]
struct Piece<'a> {
    start: usize,
    end: usize,
    /// Letters of the listed part itself (without the joining letter or ending).
    part_len: usize,
    listed: bool,
    /// The breaks the list marks inside the part.
    marked: Option<&'a [usize]>,
}

fn is_vowel(c: char) -> bool {
    matches!(
        c,
        'a' | 'e' | 'i' | 'o' | 'u' | 'y' | 'æ' | 'ø' | 'å' | 'é' | 'è' | 'ê' | 'ó' | 'ò' | 'ô' | 'ü' | 'ä' | 'ö'
    )
}

/// Breaks between syllables: in each run of consonants between two vowels, before its last
/// consonant, or before a two-letter sound that ends the run («sta-sjon»). The run must have
/// vowels on both sides, so a word's first and last consonants stay where they are.
fn syllable_breaks(w: &[char]) -> Vec<usize> {
    let mut out = Vec::new();
    let mut i = 0;
    while i < w.len() {
        if !is_vowel(w[i]) {
            i += 1;
            continue;
        }
        // Skip the vowel group, then the consonants after it.
        let mut j = i;
        while j < w.len() && is_vowel(w[j]) {
            j += 1;
        }
        let c0 = j;
        while j < w.len() && !is_vowel(w[j]) {
            j += 1;
        }
        if j < w.len() && j > c0 {
            let mut at = j - 1;
            if j - c0 >= 2 {
                let tail: String = w[j - 2..j].iter().collect();
                if DIGRAPHS.contains(&tail.as_str()) {
                    at = j - 2;
                    // «skj» stays whole too.
                    if tail == "kj" && j - c0 >= 3 && w[j - 3] == 's' {
                        at = j - 3;
                    }
                }
            }
            out.push(at);
        }
        i = j;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn marked(h: &Hyphenator, s: &str) -> String {
        h.text(s).replace(SOFT_HYPHEN, "-")
    }

    const PARTS: &str = "helse fag arbeider rekruttering patrulje tilgjengelighet er-klæ-ring \
        bachelor oppgave praksis veileder mentor pro-gram";

    #[test]
    fn compounds_break_between_their_parts() {
        let h = Hyphenator::new(PARTS);
        assert_eq!(marked(&h, "Tilgjengelighetserklæring"), "Til-gjen-ge-lig-hets-er-klæ-ring");
        assert_eq!(marked(&h, "rekrutteringspatruljer"), "rek-rut-te-rings-pat-rul-jer");
        assert_eq!(marked(&h, "Helsefagarbeidere"), "Hel-se-fag-ar-bei-dere");
        assert_eq!(marked(&h, "bacheloroppgaver"), "bache-lor-opp-ga-ver");
        assert_eq!(marked(&h, "mentorprogrammet"), "men-tor-pro-gram-met");
        // No one-letter piece between breaks.
        assert_eq!(marked(&Hyphenator::new("helse fag elev"), "helsefagelever"), "hel-se-fag-ele-ver");
    }

    #[test]
    fn unknown_words_break_between_syllables() {
        let h = Hyphenator::new("");
        assert_eq!(marked(&h, "kommunikasjonsavdelingen"), "kom-mu-ni-ka-sjon-sav-de-lin-gen");
        assert_eq!(marked(&h, "utdanningsmessa"), "utdan-nings-messa");
        // Two-letter sounds stay whole.
        assert!(!marked(&h, "informasjonsstasjonen").contains("s-j"));
        assert_eq!(marked(&h, "helsefagarbeidere"), "hel-se-fa-gar-bei-dere");
    }

    #[test]
    fn short_words_numbers_and_marked_words_are_left_alone() {
        let h = Hyphenator::new(PARTS);
        assert_eq!(h.text("Helsefag og mentor"), "Helsefag og mentor");
        assert_eq!(h.text("1234567890123"), "1234567890123");
        let already = "Til\u{AD}gjengelighetserklæring";
        assert_eq!(h.text(already), already);
    }

    #[test]
    fn html_changes_only_text() {
        let h = Hyphenator::new(PARTS);
        let html = "<h2 id=\"rekrutteringspatruljer\" title=\"rekrutteringspatruljer\">Rekrutteringspatruljer &amp; \
                    <code>rekrutteringspatruljer</code></h2><pre>helsefagarbeidere</pre><p>helsefagarbeidere</p>";
        let out = h.html(html).replace(SOFT_HYPHEN, "-");
        assert_eq!(
            out,
            "<h2 id=\"rekrutteringspatruljer\" title=\"rekrutteringspatruljer\">Rek-rut-te-rings-pat-rul-jer &amp; \
             <code>rekrutteringspatruljer</code></h2><pre>helsefagarbeidere</pre><p>hel-se-fag-ar-bei-dere</p>"
        );
    }
}
