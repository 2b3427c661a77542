//! `jobbvinner new <section>/<name>.md [--type T]`: creates a page from an archetype — the one
//! its content type names (content-types.toml; `--type` or the section's type), else
//! `archetypes/<section>.md`, else `default.md`; the site's archetypes/ first, then the
//! theme's — filling in `{{ title }}` and `{{ date }}`. It never overwrites a file.

use crate::config::Config;
use crate::content::types::ContentTypes;
use crate::error::{suggest, Diagnostic, Diagnostics};
use crate::layout::Role;
use crate::messages::Message;
use crate::msg;
use std::io::Write;
use std::path::{Path, PathBuf};

/// Creates `content/<rel>` (with `lang`: its translation `x.<lang>.md` beside it); returns
/// the created file's path.
pub fn new_page(root: &Path, rel: &str, kind: Option<&str>, lang: Option<&str>) -> Result<PathBuf, Diagnostics> {
    let config = Config::load(root)?;
    let rel = rel.trim_start_matches("content/").trim_start_matches('/');
    let bad = |m: Message| Diagnostics::from(Diagnostic::error(format!("content/{rel}"), m));
    if !rel.ends_with(".md") || rel.split('/').any(|c| c.is_empty() || c == ".." || c == ".") || rel.contains('\\') {
        return Err(bad(msg!("new.bad_path")));
    }
    if let Some(lang) = lang {
        if lang == config.language {
            return Err(bad(msg!("new.default_language", lang = lang)));
        }
        return new_translation(&config, rel, lang).map_err(bad);
    }
    let name = rel.rsplit('/').next().unwrap_or(rel);
    if name == "_index.md" {
        return Err(bad(msg!("new.not_a_section")));
    }
    let content = config.layout.content();
    let parent = |p: &str| p.rfind('/').map_or(String::new(), |i| p[..i].to_string());
    // A page bundle (`historier/navn/index.md`) belongs to the section above its folder.
    let folder = parent(rel);
    let section = if name == "index.md" { parent(&folder) } else { folder.clone() };
    let section = section.as_str();
    if !content.join(section).join("_index.md").is_file() && !section.is_empty() {
        let sections = existing_sections(&content);
        let hint = match suggest(section, sections.iter().map(String::as_str)) {
            Some(s) => msg!("hint.did_you_mean_folder", name = s),
            None => msg!("hint.sections_are", names = sections.clone()),
        };
        return Err(bad(msg!("new.no_section", section = section, hint = hint)));
    }
    let stem =
        if name == "index.md" { folder.rsplit('/').next().unwrap_or(&folder) } else { name.trim_end_matches(".md") };
    let title = crate::slug::humanize(stem);
    let today = crate::date::today().iso;
    let typed = type_archetype(&config, section, kind).map_err(&bad)?;
    let template = match archetype(&config, section, typed.as_deref()) {
        Some(text) => text,
        None if typed.is_some() => {
            return Err(bad(msg!("new.missing_archetype", name = typed.unwrap_or_default())));
        }
        None => default_archetype(&config),
    };
    let text = template.replace("{{ title }}", &title.replace('"', "\\\"")).replace("{{ date }}", &today);
    let path = content.join(rel);
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent)
            .map_err(|e| bad(msg!("new.cannot_create_folder", detail = crate::error::io_message(&e))))?;
    }
    let mut file = std::fs::OpenOptions::new().write(true).create_new(true).open(&path).map_err(|e| {
        if e.kind() == std::io::ErrorKind::AlreadyExists {
            bad(msg!("new.exists"))
        } else {
            bad(msg!("new.cannot_create", detail = crate::error::io_message(&e)))
        }
    })?;
    file.write_all(text.as_bytes())
        .map_err(|e| bad(msg!("new.cannot_write", detail = crate::error::io_message(&e))))?;
    Ok(path)
}

/// `x.<lang>.md` beside `x.md`: the original's front matter (the same canonical values for
/// taxonomies and types), marked as a draft, with a note of what to translate, and the
/// original's text to translate in place.
fn new_translation(config: &Config, rel: &str, lang: &str) -> Result<PathBuf, Message> {
    if config.languages.is_empty() {
        return Err(msg!("new.no_languages", lang = lang, default = &config.language));
    }
    if !config.has_language(lang) {
        let known = config.language_codes();
        return Err(msg!("new.no_language", lang = lang, known = crate::messages::and_list(&known)));
    }
    // `x.nn.md` names a translation already: the original is `x.md`.
    let stem = rel.trim_end_matches(".md");
    if let Some((base, code)) = stem.rsplit_once('.').filter(|(_, c)| config.has_language(c)) {
        return Err(msg!("new.is_translation", code = code, original = format!("{base}.md")));
    }
    let content = config.layout.content();
    let original = content.join(rel);
    let text = std::fs::read_to_string(&original).map_err(|_| msg!("new.no_original", rel = rel))?;
    let target_rel = format!("{}.{lang}.md", rel.trim_end_matches(".md"));
    let split = crate::content::split(&format!("content/{rel}"), &text).map_err(|d| d.message)?;
    let front: Vec<&str> = split.front_matter.lines().filter(|l| !l.trim_start().starts_with("draft")).collect();
    let note = msg!("new.translation_note", rel = rel, lang = lang).text(crate::messages::language());
    let mut out = format!("+++\n# {note}\ndraft = true\n");
    for l in front {
        out.push_str(l);
        out.push('\n');
    }
    out.push_str("+++\n");
    out.push_str(split.body);
    let path = content.join(&target_rel);
    let mut file = std::fs::OpenOptions::new().write(true).create_new(true).open(&path).map_err(|e| {
        if e.kind() == std::io::ErrorKind::AlreadyExists {
            msg!("new.translation_exists", file = format!("content/{target_rel}"))
        } else {
            msg!("new.cannot_create", detail = crate::error::io_message(&e))
        }
    })?;
    file.write_all(out.as_bytes()).map_err(|e| msg!("new.cannot_write", detail = crate::error::io_message(&e)))?;
    Ok(path)
}

/// The archetype file named by the chosen type (`--type`) or by the section's type.
fn type_archetype(config: &Config, section: &str, kind: Option<&str>) -> Result<Option<String>, Message> {
    let types = ContentTypes::load(config).ok().flatten().unwrap_or_default();
    let def = match kind {
        Some(k) => Some(types.types.get(k).ok_or_else(|| {
            let names: Vec<&str> = types.types.keys().map(String::as_str).collect();
            match suggest(k, names.iter().copied()) {
                Some(s) => msg!("new.no_type", kind = k, hint = msg!("hint.did_you_mean_key", name = s)),
                None if names.is_empty() => msg!("new.no_types", kind = k),
                None => msg!("new.no_type", kind = k, hint = msg!("hint.types_are", names = names)),
            }
        })?),
        None => types.types.values().find(|d| d.sections.iter().any(|s| s == section)),
    };
    Ok(def.and_then(|d| d.archetype.clone()))
}

/// The typed archetype when a type names one (and only it), else the section's, else default.md.
fn archetype(config: &Config, section: &str, typed: Option<&str>) -> Option<String> {
    let key = section.split('/').next_back().unwrap_or(section);
    let dirs: Vec<PathBuf> = config.layout.dirs(Role::Archetypes).into_iter().map(|p| p.abs).collect();
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
