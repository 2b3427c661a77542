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

/// A title from a file or folder name: `bedre-introduksjon` → `Bedre introduksjon`.
pub fn humanize(name: &str) -> String {
    let s = name.replace(['-', '_'], " ");
    let mut c = s.chars();
    c.next().map(|f| f.to_uppercase().chain(c).collect()).unwrap_or_default()
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
