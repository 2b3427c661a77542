//! Which templates use which: Tera 2 does not expose a template's parents and includes, so the
//! sources are scanned for `{% extends %}`, `{% include %}`, `{% import %}` and for uses of
//! components (`<card …/>`, defined anywhere with `{% component card(…) %}`).

use std::collections::{BTreeMap, BTreeSet, HashMap};

/// Template name → the templates it uses directly.
#[derive(Debug, Default, PartialEq)]
pub struct Graph {
    uses: BTreeMap<String, BTreeSet<String>>,
    /// Templates naming another one with an expression: they may use any template.
    dynamic: BTreeSet<String>,
    /// Component name → the template defining it.
    pub components: BTreeMap<String, String>,
}

impl Graph {
    /// Scans template name → (display path, source).
    pub fn new(files: &BTreeMap<String, (String, String)>) -> Graph {
        let mut g = Graph::default();
        for (name, (_, src)) in files {
            for tag in tags(src) {
                let mut words = tag.split_whitespace();
                match words.next() {
                    Some("extends" | "include" | "import") => {
                        let named = quoted(tag);
                        if named.is_empty() {
                            g.dynamic.insert(name.clone());
                        }
                        g.uses.entry(name.clone()).or_default().extend(named);
                    }
                    Some("component") => {
                        let def = words.next().unwrap_or("").split('(').next().unwrap_or("");
                        if !def.is_empty() {
                            g.components.insert(def.to_string(), name.clone());
                        }
                    }
                    _ => {}
                }
            }
        }
        for (name, (_, src)) in files {
            for (component, file) in &g.components {
                if file != name && uses_component(src, component) {
                    g.uses.entry(name.clone()).or_default().insert(file.clone());
                }
            }
        }
        g
    }

    /// Every template whose output may change when the `changed` templates change: the
    /// changed ones and all that use them, directly or through others.
    pub fn affected(&self, changed: &BTreeSet<String>) -> BTreeSet<String> {
        let mut users: HashMap<&str, Vec<&str>> = HashMap::new();
        for (user, used) in &self.uses {
            for u in used {
                users.entry(u.as_str()).or_default().push(user.as_str());
            }
        }
        let mut out: BTreeSet<String> = changed.clone();
        out.extend(self.dynamic.iter().cloned());
        let mut todo: Vec<String> = out.iter().cloned().collect();
        while let Some(t) = todo.pop() {
            for &u in users.get(t.as_str()).into_iter().flatten() {
                if out.insert(u.to_string()) {
                    todo.push(u.to_string());
                }
            }
        }
        out
    }
}

/// The inside of every `{% … %}` tag, without whitespace-control dashes.
fn tags(src: &str) -> impl Iterator<Item = &str> {
    src.split("{%").skip(1).filter_map(|rest| {
        let inner = rest.split("%}").next()?;
        Some(inner.trim().trim_start_matches('-').trim_end_matches('-').trim())
    })
}

/// Every string literal in a tag ("…" or '…').
fn quoted(tag: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = tag;
    while let Some(start) = rest.find(['"', '\'']) {
        let q = rest.as_bytes()[start] as char;
        let after = &rest[start + 1..];
        let Some(end) = after.find(q) else { break };
        out.push(after[..end].to_string());
        rest = &after[end + 1..];
    }
    out
}

/// Does `src` contain `<name` followed by a character that cannot continue the name?
fn uses_component(src: &str, name: &str) -> bool {
    let needle = format!("<{name}");
    src.match_indices(&needle).any(|(i, _)| {
        src[i + needle.len()..].chars().next().is_none_or(|c| !(c.is_alphanumeric() || c == '_' || c == '-'))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn files(list: &[(&str, &str)]) -> BTreeMap<String, (String, String)> {
        list.iter().map(|(n, s)| (n.to_string(), (format!("templates/{n}"), s.to_string()))).collect()
    }

    #[test]
    fn follows_extends_includes_and_components() {
        let g = Graph::new(&files(&[
            ("base.html", "<html>{% include \"partials/nav.html\" %}{% block b %}{% endblock %}</html>"),
            ("partials/nav.html", "<nav></nav>"),
            ("page.html", "{%- extends 'base.html' -%}{% block b %}{{ <card p={page} /> }}{% endblock %}"),
            ("macros.html", "{% component card(p: map) %}x{% endcomponent card %}"),
            ("section.html", "{% extends \"base.html\" %}<cardigan>"),
            ("other.html", "plain"),
        ]));
        let set = |l: &[&str]| l.iter().map(|s| s.to_string()).collect::<BTreeSet<_>>();
        assert_eq!(
            g.affected(&set(&["partials/nav.html"])),
            set(&["partials/nav.html", "base.html", "page.html", "section.html"])
        );
        assert_eq!(g.affected(&set(&["macros.html"])), set(&["macros.html", "page.html"]));
        assert_eq!(g.affected(&set(&["other.html"])), set(&["other.html"]));
        assert_eq!(g.components.get("card").map(String::as_str), Some("macros.html"));
    }

    #[test]
    fn dynamic_includes_depend_on_everything() {
        let g = Graph::new(&files(&[("a.html", "{% include name %}"), ("b.html", "x")]));
        assert!(g.affected(&["b.html".to_string()].into()).contains("a.html"));
    }
}
