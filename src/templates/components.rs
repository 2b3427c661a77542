//! The components writers call in their texts (`{{ <video url="…" /> }}`), defined in the
//! theme's and the site's templates with Tera 2's `{% component name(args) %}`. They render
//! while the markdown stage runs, before the site's views exist, so this is an engine of its
//! own holding only the templates that define components, with the same filters and
//! functions (lookups of other pages find none here). Calls are checked against each
//! component's declared arguments first, so a writer's mistake is named in their words at
//! the call's line, not as a template error.

use super::functions::{register, Shared};
use super::views::Views;
use crate::config::Config;
use crate::content::Site;
use crate::i18n::Translations;
use crate::markdown::Components;
use crate::messages::Message;
use crate::msg;
use std::collections::BTreeMap;
use std::sync::Arc;
use tera::{ComponentArgType, Context};

/// The engine for components called in texts.
pub struct ComponentEngine {
    tera: tera::Tera,
    /// Every component's name, sorted.
    names: Vec<String>,
    /// The site's default language, passed to components that take `@lang`.
    lang: String,
    /// Template name → display path, for the templates that offer components to texts.
    pub sources: BTreeMap<String, String>,
}

impl ComponentEngine {
    /// The components defined in `files` (name → (display path, source)); `None` when no
    /// template defines one, or the templates are broken (the full engine reports why).
    pub fn load(
        files: &BTreeMap<String, (String, String)>,
        config: &Arc<Config>,
        translations: &Arc<Translations>,
    ) -> Option<ComponentEngine> {
        let defining: Vec<(&str, &str)> = files
            .iter()
            .filter(|(_, (_, src))| src.contains("{% component") || src.contains("{%- component"))
            .map(|(n, (_, src))| (n.as_str(), src.as_str()))
            .collect();
        if defining.is_empty() {
            return None;
        }
        let mut empty = Site::default();
        let shared = Arc::new(Shared {
            site: Arc::new(Site::default()),
            config: config.clone(),
            views: Arc::new(Views::new(&mut empty, config)),
            static_dirs: crate::assets::static_dirs(&config.layout),
            hashes: Default::default(),
            translations: translations.clone(),
        });
        let mut tera = tera::Tera::default();
        register(&mut tera, shared);
        tera.autoescape_on([".html", ".htm", ".xml", ".svg"]);
        tera.set_escape_fn(super::escape_html);
        tera.add_raw_templates(defining.iter().copied()).ok()?;
        // Writers call what the theme and the site offer them in components/ (or Zola's
        // components.html); components other templates define are the theme's own.
        let offered = |n: &str| n.starts_with("components/") || n == "components.html";
        let mut names: Vec<String> = defining
            .iter()
            .filter(|(n, _)| offered(n))
            .flat_map(|(_, src)| defined_names(src))
            .filter(|n| tera.contains_component(n))
            .collect();
        names.sort_unstable();
        names.dedup();
        let sources = defining
            .iter()
            .filter(|(n, _)| offered(n))
            .filter_map(|(n, _)| files.get(*n).map(|(shown, _)| (n.to_string(), shown.clone())))
            .collect();
        Some(ComponentEngine { tera, names, lang: config.language.clone(), sources })
    }

    /// The names of the components.
    pub fn names(&self) -> &[String] {
        &self.names
    }

    /// What is wrong with a call of `name` with these arguments, if anything.
    fn check(&self, name: &str, args: &[(String, serde_json::Value)]) -> Result<(), Message> {
        let def = self.names.iter().any(|n| n == name).then(|| self.tera.get_component_definition(name)).flatten();
        let Some(def) = def else {
            let names: Vec<&str> = self.names.iter().map(String::as_str).collect();
            let list = crate::messages::and_list(&names);
            return Err(match crate::suggest::suggest(name, names.iter().copied()) {
                Some(best) => msg!("components.unknown_near", name = name, best = best, names = list),
                None => msg!("components.unknown", name = name, names = list),
            });
        };
        let declared: Vec<&str> = def.args().iter().filter(|a| !a.is_implicit()).map(|a| a.name()).collect();
        for (arg, value) in args {
            let Some(spec) = def.args().iter().find(|a| a.name() == arg && !a.is_implicit()) else {
                if def.rest_param().is_some() {
                    continue;
                }
                let args = if declared.is_empty() {
                    msg!("components.takes_none")
                } else {
                    msg!("components.args_are", args = crate::messages::and_list(&declared))
                };
                return Err(match crate::suggest::suggest(arg, declared.iter().copied()) {
                    Some(best) => {
                        msg!("components.unknown_arg_near", name = name, arg = arg.as_str(), best = best, args = args)
                    }
                    None => msg!("components.unknown_arg", name = name, arg = arg.as_str(), args = args),
                });
            };
            if let Some(kind) = spec.arg_type() {
                if !fits(kind, value) {
                    return Err(msg!(
                        "components.wrong_kind",
                        name = name,
                        arg = arg.as_str(),
                        kind = kind_message(kind, arg)
                    ));
                }
            }
        }
        for spec in def.args().iter().filter(|a| a.is_required()) {
            if !args.iter().any(|(n, _)| n == spec.name()) {
                let kind = spec.arg_type().map_or_else(
                    || kind_message(ComponentArgType::String, spec.name()),
                    |k| kind_message(k, spec.name()),
                );
                return Err(msg!("components.missing_arg", name = name, arg = spec.name(), kind = kind));
            }
        }
        Ok(())
    }
}

impl Components for ComponentEngine {
    fn render(&self, name: &str, args: &[(String, serde_json::Value)], body: Option<&str>) -> Result<String, Message> {
        self.check(name, args)?;
        let mut ctx = Context::new();
        for (k, v) in args {
            ctx.insert(k.clone(), v);
        }
        let mut implicits = Context::new();
        implicits.insert("lang", &self.lang);
        self.tera.render_component_with_implicits(name, &ctx, &implicits, body, true).map_err(|e| {
            let mut detail = e.to_string();
            let mut cur = std::error::Error::source(&e);
            while let Some(s) = cur {
                detail = format!("{detail}: {s}");
                cur = s.source();
            }
            let first = detail.lines().next().unwrap_or("").trim_start_matches("error: ").to_string();
            msg!("components.failed", name = name, detail = first)
        })
    }
}

/// The names after `{% component ` in a template's source.
fn defined_names(src: &str) -> Vec<String> {
    src.match_indices("component ")
        .filter(|(i, _)| src[..*i].trim_end_matches([' ', '-']).ends_with("{%"))
        .filter_map(|(i, m)| {
            let rest = &src[i + m.len()..];
            let end = rest.find(|c: char| !(c.is_ascii_alphanumeric() || c == '_' || c == '.'))?;
            (end > 0).then(|| rest[..end].to_string())
        })
        .collect()
}

/// Does `value` have the declared kind?
fn fits(kind: ComponentArgType, value: &serde_json::Value) -> bool {
    match kind {
        ComponentArgType::String => value.is_string(),
        ComponentArgType::Bool => value.is_boolean(),
        ComponentArgType::Integer => value.is_i64() || value.is_u64(),
        ComponentArgType::Float | ComponentArgType::Number => value.is_number(),
        ComponentArgType::Array => value.is_array(),
        ComponentArgType::Map => value.is_object(),
        _ => true,
    }
}

/// How to write a value of `kind` for argument `arg`, in the writer's words.
fn kind_message(kind: ComponentArgType, arg: &str) -> Message {
    match kind {
        ComponentArgType::Bool => msg!("components.kind_bool", arg = arg),
        ComponentArgType::Integer => msg!("components.kind_integer", arg = arg),
        ComponentArgType::Float | ComponentArgType::Number => msg!("components.kind_number", arg = arg),
        ComponentArgType::Array => msg!("components.kind_list", arg = arg),
        _ => msg!("components.kind_text", arg = arg),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn engine(src: &str) -> ComponentEngine {
        let root = std::env::temp_dir();
        let config = Arc::new(Config::parse(&root, "title = \"T\"").unwrap());
        let files = BTreeMap::from([(
            "components/a.html".to_string(),
            ("templates/components/a.html".to_string(), src.to_string()),
        )]);
        ComponentEngine::load(&files, &config, &Arc::new(Translations::default())).expect("components")
    }

    #[test]
    fn calls_are_checked_before_rendering() {
        let e = engine(
            "{% component faktaboks(tittel: string, apen: bool = false) %}<div>{{ tittel }}{{ body }}</div>{% endcomponent %}",
        );
        let ok = e.render("faktaboks", &[("tittel".into(), "<Fakta>".into())], Some("<p>x</p>")).unwrap();
        assert_eq!(ok, "<div>&lt;Fakta&gt;<p>x</p></div>");
        let unknown = e.render("faktaboxs", &[], None).unwrap_err();
        assert_eq!(
            unknown.text("nb"),
            "det finnes ingen komponent `faktaboxs`; mente du `faktaboks`? Komponentene er: faktaboks"
        );
        let arg = e.render("faktaboks", &[("tittle".into(), "x".into())], None).unwrap_err();
        assert_eq!(
            arg.text("en"),
            "the component `faktaboks` has no argument `tittle`; did you mean `tittel`? Its arguments are: apen and tittel"
        );
        let kind =
            e.render("faktaboks", &[("tittel".into(), "x".into()), ("apen".into(), "ja".into())], None).unwrap_err();
        assert_eq!(
            kind.text("nb"),
            "argumentet `apen` til `faktaboks` må være {true} eller {false}, for eksempel apen={true}"
        );
        let missing = e.render("faktaboks", &[], None).unwrap_err();
        assert_eq!(
            missing.text("en"),
            "the component `faktaboks` needs the argument `tittel`: text in quotes, e.g. tittel=\"...\""
        );
    }
}
