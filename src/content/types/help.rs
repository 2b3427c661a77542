//! A field's help text, in the language messages are shown in: `help = "…"` is one text for
//! every language, `help = { nb = "…", en = "…" }` one per message language (a language
//! without its own text gets another language's).

use crate::messages::{language_code, languages, Arg, Message};
use serde::Deserialize;
use std::fmt;

/// What a field is, for messages, in one or more message languages.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Help {
    /// (message language, text) in the order written; the language is empty for a text
    /// given for every language. A key that is no message language is kept as written, for
    /// the types file's check to report.
    texts: Vec<(String, String)>,
}

impl Help {
    /// The text for messages in `lang`: its own, else the one for every language, else
    /// another language's (in the order messages list their languages: English, bokmål).
    pub fn text(&self, lang: &str) -> Option<&str> {
        self.own(lang).or_else(|| self.own("")).or_else(|| languages().find_map(|l| self.own(l)))
    }

    /// The text written for `lang` itself (`""`: the one for every language), without fallback.
    pub fn own(&self, lang: &str) -> Option<&str> {
        self.texts.iter().find(|(k, _)| k == lang).map(|(_, t)| t.as_str())
    }

    /// The help as a message: it carries the text for each message language, and each
    /// language's catalogue (`types.help_text`) takes its own when the message is worded, so
    /// a message is worded in one language throughout. `None` without any text.
    pub fn message(&self) -> Option<Message> {
        let args: Option<Vec<(&'static str, Arg)>> =
            languages().map(|l| self.text(l).map(|t| (l, Arg::from(t)))).collect();
        // The argument names are the languages, so the `msg!` macro cannot build it.
        args.map(|args| Message::new("types.help_text", args))
    }

    /// The languages written in a help table that messages do not exist in (`sv`, a typo).
    pub fn unknown_languages(&self) -> impl Iterator<Item = &str> {
        self.texts.iter().map(|(k, _)| k.as_str()).filter(|k| !k.is_empty() && !languages().any(|l| l == *k))
    }
}

impl From<&str> for Help {
    fn from(text: &str) -> Help {
        Help { texts: vec![(String::new(), text.to_string())] }
    }
}

impl<'de> Deserialize<'de> for Help {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Help, D::Error> {
        struct Texts;
        impl<'de> serde::de::Visitor<'de> for Texts {
            type Value = Help;
            // Worded so that the TOML messages call it text (see `error::toml::kind`).
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a string, or a string per message language")
            }
            fn visit_str<E: serde::de::Error>(self, s: &str) -> Result<Help, E> {
                Ok(Help::from(s))
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<Help, A::Error> {
                let mut texts = Vec::new();
                while let Some((lang, text)) = map.next_entry::<String, String>()? {
                    // `no`, `nob` and `en-GB` are read as the message languages they name.
                    let code = language_code(&lang).map_or(lang, str::to_string);
                    texts.push((code, text));
                }
                Ok(Help { texts })
            }
        }
        d.deserialize_any(Texts)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(toml_value: &str) -> Help {
        #[derive(Deserialize)]
        struct F {
            help: Help,
        }
        toml::from_str::<F>(&format!("help = {toml_value}")).unwrap().help
    }

    #[test]
    fn one_text_serves_every_language() {
        let h = read("\"who the tip is for\"");
        assert_eq!(h.text("nb"), Some("who the tip is for"));
        assert_eq!(h.text("en"), Some("who the tip is for"));
        assert_eq!(h.unknown_languages().count(), 0);
    }

    #[test]
    fn a_text_per_language_is_chosen_by_the_message_language_with_the_other_as_fallback() {
        let h = read("{ nb = \"hvem tipset er for\", en = \"who the tip is for\" }");
        assert_eq!(h.text("nb"), Some("hvem tipset er for"));
        assert_eq!(h.text("en"), Some("who the tip is for"));
        // Worded when shown: the same message in each language takes its own text.
        let m = h.message().unwrap();
        assert_eq!(m.text("nb"), "hvem tipset er for");
        assert_eq!(m.text("en"), "who the tip is for");
        let empty = crate::msg!("types.empty_list", key = "malgruppe", help = crate::msg!("types.help", help = m));
        assert_eq!(empty.text("nb"), "`malgruppe` er tom: skriv minst én: hvem tipset er for");
        assert_eq!(empty.text("en"), "`malgruppe` is empty: list at least one: who the tip is for");
        // Only one language: the other falls back to it, in either direction.
        let only_en = read("{ en = \"who the tip is for\" }");
        assert_eq!(only_en.message().unwrap().text("nb"), "who the tip is for");
        let only_nb = read("{ nb = \"hvem tipset er for\" }");
        assert_eq!(only_nb.message().unwrap().text("en"), "hvem tipset er for");
        // Language codes as people write them; an unknown one is kept for the check to report.
        let h = read("{ no = \"hvem\", en-GB = \"who\", sv = \"vem\" }");
        assert_eq!((h.text("nb"), h.text("en")), (Some("hvem"), Some("who")));
        assert_eq!(h.unknown_languages().collect::<Vec<_>>(), ["sv"]);
        assert_eq!(Help::default().message(), None);
    }

    #[test]
    fn help_must_be_text_or_texts() {
        #[derive(Debug, Deserialize)]
        #[allow(dead_code)]
        struct F {
            help: Help,
        }
        let err = toml::from_str::<F>("help = 3").unwrap_err();
        assert!(err.message().contains("expected a string, or a string per message language"), "{err}");
        assert!(toml::from_str::<F>("help = { nb = 3 }").is_err());
    }
}
