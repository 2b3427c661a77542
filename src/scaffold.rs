//! `jobbvinner new <section>/<name>.md [--type T]`: creates a page from an archetype — the one
//! its content type names (content-types.toml; `--type` or the section's type), else
//! `archetypes/<section>.md`, else `default.md`; the site's archetypes/ first, then the
//! theme's — filling in `{{ title }}` and `{{ date }}`. It never overwrites a file.

use crate::config::Config;
use crate::content::types::ContentTypes;
use crate::error::{suggest, Diagnostic, Diagnostics};
use std::io::Write;
use std::path::{Path, PathBuf};

/// Creates `content/<rel>`; returns the created file's path.
pub fn new_page(root: &Path, rel: &str, kind: Option<&str>) -> Result<PathBuf, Diagnostics> {
    let config = Config::load(root)?;
    let rel = rel.trim_start_matches("content/").trim_start_matches('/');
    let bad = |m: String| Diagnostics::from(Diagnostic::new(format!("content/{rel}"), 1, 1, m));
    if !rel.ends_with(".md") || rel.split('/').any(|c| c.is_empty() || c == ".." || c == ".") || rel.contains('\\') {
        return Err(bad(
            "give the new page as <section>/<name>.md under content/, e.g. tips/bedre-introduksjon.md".into()
        ));
    }
    let name = rel.rsplit('/').next().unwrap_or(rel);
    if name == "_index.md" {
        return Err(bad("new creates pages; to make a section, create the folder and its _index.md yourself".into()));
    }
    let content = root.join("content");
    let parent = |p: &str| p.rfind('/').map_or(String::new(), |i| p[..i].to_string());
    // A page bundle (`historier/navn/index.md`) belongs to the section above its folder.
    let folder = parent(rel);
    let section = if name == "index.md" { parent(&folder) } else { folder.clone() };
    let section = section.as_str();
    if !content.join(section).join("_index.md").is_file() && !section.is_empty() {
        let sections = existing_sections(&content);
        let hint = suggest(section, sections.iter().map(String::as_str))
            .map(|s| format!("; did you mean {s}/?"))
            .unwrap_or_else(|| format!("; sections: {}", sections.join(", ")));
        return Err(bad(format!("there is no section content/{section}/ (it needs an _index.md){hint}")));
    }
    let stem =
        if name == "index.md" { folder.rsplit('/').next().unwrap_or(&folder) } else { name.trim_end_matches(".md") };
    let title = crate::slug::humanize(stem);
    let today = crate::date::today().iso;
    let typed = type_archetype(&config, section, kind).map_err(&bad)?;
    let template = match archetype(root, &config, section, typed.as_deref()) {
        Some(text) => text,
        None if typed.is_some() => {
            let name = typed.unwrap_or_default();
            return Err(bad(format!(
                "content-types.toml names the archetype {name}, but there is no archetypes/{name} in the site or the theme"
            )));
        }
        None => default_archetype(&config),
    };
    let text = template.replace("{{ title }}", &title.replace('"', "\\\"")).replace("{{ date }}", &today);
    let path = content.join(rel);
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).map_err(|e| bad(format!("cannot create the folder: {e}")))?;
    }
    let mut file = std::fs::OpenOptions::new().write(true).create_new(true).open(&path).map_err(|e| {
        if e.kind() == std::io::ErrorKind::AlreadyExists {
            bad("this file already exists and was left untouched: choose another name".into())
        } else {
            bad(format!("cannot create the file: {e}"))
        }
    })?;
    file.write_all(text.as_bytes()).map_err(|e| bad(format!("cannot write the file: {e}")))?;
    Ok(path)
}

/// The archetype file named by the chosen type (`--type`) or by the section's type.
fn type_archetype(config: &Config, section: &str, kind: Option<&str>) -> Result<Option<String>, String> {
    let types = ContentTypes::load(config).ok().flatten().unwrap_or_default();
    let def = match kind {
        Some(k) => Some(types.types.get(k).ok_or_else(|| {
            let names: Vec<&str> = types.types.keys().map(String::as_str).collect();
            match suggest(k, names.iter().copied()) {
                Some(s) => format!("there is no content type `{k}`; did you mean `{s}`?"),
                None if names.is_empty() => {
                    format!("there is no content type `{k}`: no content-types.toml declares any")
                }
                None => format!("there is no content type `{k}`; the types are: {}", names.join(", ")),
            }
        })?),
        None => types.types.values().find(|d| d.sections.iter().any(|s| s == section)),
    };
    Ok(def.and_then(|d| d.archetype.clone()))
}

/// The typed archetype when a type names one (and only it), else the section's, else default.md.
fn archetype(root: &Path, config: &Config, section: &str, typed: Option<&str>) -> Option<String> {
    let key = section.split('/').next_back().unwrap_or(section);
    let mut dirs = vec![root.join("archetypes")];
    if let Some(theme) = &config.theme {
        dirs.push(root.join("themes").join(theme).join("archetypes"));
    }
    let names: Vec<String> = match typed {
        Some(t) => vec![t.to_string()],
        None => vec![format!("{key}.md"), "default.md".to_string()],
    };
    names.iter().find_map(|n| dirs.iter().find_map(|d| std::fs::read_to_string(d.join(n)).ok()))
}

fn default_archetype(config: &Config) -> String {
    let mut s = String::from("+++\ntitle = \"{{ title }}\"\ndescription = \"\"\ndate = {{ date }}\ndraft = true\n");
    if !config.taxonomies.is_empty() {
        s.push_str("\n[taxonomies]\n");
        for t in &config.taxonomies {
            s.push_str(&format!("{} = []\n", t.name));
        }
    }
    s.push_str("+++\n\nSkriv innledningen her.\n\n<!-- more -->\n\nResten av teksten.\n");
    s
}

fn existing_sections(content: &Path) -> Vec<String> {
    walkdir::WalkDir::new(content)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_name() == "_index.md" && e.depth() > 1)
        .filter_map(|e| e.path().parent()?.strip_prefix(content).ok().map(|p| p.to_string_lossy().replace('\\', "/")))
        .collect()
}
