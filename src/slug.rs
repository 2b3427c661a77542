//! Slugs as Norwegian public sites publish them: lower case ASCII, æ→ae, ø→o, å→a, accents
//! dropped, single hyphens between words.

/// Makes a URL slug from any text: `"Kvalitet i praksisstudiene!"` → `kvalitet-i-praksisstudiene`.
pub fn slugify(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut pending_hyphen = false;
    for c in text.chars().flat_map(char::to_lowercase) {
        let mapped: &str = match c {
            'a'..='z' | '0'..='9' => {
                push_word(&mut out, &mut pending_hyphen, c.encode_utf8(&mut [0; 4]));
                continue;
            }
            'æ' | 'ä' => "ae",
            'ø' | 'ö' | 'œ' => "o",
            'å' | 'à' | 'á' | 'â' | 'ã' => "a",
            'é' | 'è' | 'ê' | 'ë' => "e",
            'í' | 'ì' | 'î' | 'ï' => "i",
            'ó' | 'ò' | 'ô' | 'õ' => "o",
            'ú' | 'ù' | 'û' | 'ü' => "u",
            'ç' => "c",
            'ñ' => "n",
            'ß' => "ss",
            'ð' => "d",
            'þ' => "th",
            'č' | 'ć' => "c",
            'š' => "s",
            'ž' => "z",
            'đ' => "d",
            'ŋ' => "n",
            _ => {
                pending_hyphen = !out.is_empty();
                continue;
            }
        };
        push_word(&mut out, &mut pending_hyphen, mapped);
    }
    out
}

fn push_word(out: &mut String, pending_hyphen: &mut bool, s: &str) {
    if *pending_hyphen {
        out.push('-');
        *pending_hyphen = false;
    }
    out.push_str(s);
}

/// A title from a file or folder name: `bedre-introduksjon` → `Bedre introduksjon`. Names
/// written without æ, ø and å (`forste-mote-med-laerlingene`, as slugs are) get them back for
/// the words of [`WORDS`] whose ASCII form means nothing else: «Første møte med lærlingene».
pub fn humanize(name: &str) -> String {
    let words: Vec<String> = name.split(['-', '_', ' ']).filter(|w| !w.is_empty()).map(restore).collect();
    let s = words.join(" ");
    let mut c = s.chars();
    c.next().map(|f| f.to_uppercase().chain(c).collect()).unwrap_or_default()
}

/// Norwegian words with æ, ø or å that file names are likely to hold without them, and
/// whose ASCII form is not a word of its own (so not «for», «bor», «ma», «la», «fa», «na»).
/// Endings are added below (-r, -e, -er, -en, -ene, -et, -a, -s).
const WORDS: &str = "første møte hjørne område fokusområde lærling lærer læring læringsnettverk \
    rådgiver rådgivning søker søknad søkere søknader fagopplæring opplæring vår våre høst både \
    også gjør gjøre hjelpe tilhørighet trygghet kjøre nøkkel nøkkelperson også få får går står \
    så nå når må kåre ønske ønsker særlig vær være værende spørsmål svar år årlig månedlig \
    måned måneder tips høy høyskole høgskole høgskolen sykepleierstudent førsteår første \
    kompetanseløft løft løfte forslag fører førstelinje helsefagarbeider kvalitet praksisstudiene \
    samarbeid bærekraft bærekraftig tjenesteområde ambassadør ambassadører rekrutteringspatrulje \
    ungdomsskole videregående fullføre fullført møteplass møtested lærlingplass lærlingeplass \
    lønn lønnet høringsuttalelse Ørsta Ålesund Bodø Tønsberg \
    Tromsø Skjåk Lærdal Åfjord Råde sør sørlandet være besøk besøke gjennomføre gjennomføring \
    prøve prøvd prøvde forsøk førerkort etterpå dagsmøte personalmøte tiltak på";

/// `forste` → `første`, when the word is known; otherwise as written.
fn restore(word: &str) -> String {
    if !word.is_ascii() {
        return word.to_string();
    }
    let lower = word.to_ascii_lowercase();
    for w in WORDS.split_whitespace() {
        for ending in ["", "r", "e", "er", "en", "ene", "et", "a", "ne", "s"] {
            let full = format!("{w}{ending}");
            if slugify(&full) == lower && full != lower {
                return full;
            }
        }
    }
    word.to_string()
}

/// Sort key for titles in Norwegian alphabetical order (… x y z æ ø å), case-insensitive.
pub fn norwegian_sort_key(text: &str) -> Vec<u32> {
    text.chars()
        .flat_map(char::to_lowercase)
        .map(|c| match c {
            'æ' | 'ä' => 'z' as u32 + 1,
            'ø' | 'ö' => 'z' as u32 + 2,
            'å' => 'z' as u32 + 3,
            'é' | 'è' => 'e' as u32,
            c => c as u32,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn titles_from_file_names_keep_or_regain_norwegian_letters() {
        assert_eq!(humanize("første-møte-med-ørsta"), "Første møte med ørsta");
        assert_eq!(humanize("forste-mote-med-laerlingene"), "Første møte med lærlingene");
        assert_eq!(humanize("besok-i-tromso"), "Besøk i Tromsø");
        assert_eq!(humanize("fokusomrader"), "Fokusområder");
        assert_eq!(humanize("tips-for-ledere"), "Tips for ledere");
        assert_eq!(humanize("bedre_introduksjon"), "Bedre introduksjon");
    }

    #[test]
    fn norwegian_transliteration() {
        assert_eq!(slugify("Tilgjengelighetserklæring"), "tilgjengelighetserklaering");
        assert_eq!(slugify("Rekrutteringspatruljer og ambassadører"), "rekrutteringspatruljer-og-ambassadorer");
        assert_eq!(slugify("Blåbær på Ørland"), "blabaer-pa-orland");
        assert_eq!(slugify("Café Ståle"), "cafe-stale");
        assert_eq!(slugify("  Hei -- på -- deg!  "), "hei-pa-deg");
        assert_eq!(slugify("ÆØÅ"), "aeoa");
        assert_eq!(slugify("10 000 sykepleiere"), "10-000-sykepleiere");
        assert_eq!(slugify("«Sitat»"), "sitat");
        assert_eq!(slugify("!!!"), "");
    }

    #[test]
    fn norwegian_order() {
        let mut v = vec!["Åse", "Øystein", "Ærlig", "Zorro", "anne"];
        v.sort_by_key(|s| norwegian_sort_key(s));
        assert_eq!(v, vec!["anne", "Zorro", "Ærlig", "Øystein", "Åse"]);
    }
}
