//! The command line in the writer's language: every help text, heading, usage line and
//! command-line error comes from the message catalogue (`[cli]` in `src/messages/*.toml`),
//! laid over the command structure that `clap` derives from [`super::Cli`].

use crate::messages::{self, Message};
use crate::msg;
use clap::error::{ContextKind, ContextValue, ErrorKind};
use clap::{Arg, ArgAction, Command, CommandFactory};

/// The language to speak, chosen before the command line is parsed (help texts depend on it):
/// `--messages X` or `--messages=X` among `args`, else `JOBBVINNER_MESSAGES`, else bokmål. An unknown
/// value is returned as the error.
pub(super) fn choose_language(args: &[std::ffi::OsString]) -> Result<&'static str, String> {
    let mut given = None;
    let mut it = args.iter().skip(1).map(|a| a.to_string_lossy());
    while let Some(a) = it.next() {
        if a == "--" {
            break;
        }
        if a == "--messages" {
            given = Some(it.next().map(|v| v.into_owned()).unwrap_or_default());
        } else if let Some(v) = a.strip_prefix("--messages=") {
            given = Some(v.to_string());
        }
    }
    if let Some(v) = given {
        return messages::language_code(&v).ok_or(v);
    }
    Ok(std::env::var("JOBBVINNER_MESSAGES").ok().and_then(|v| messages::language_code(&v)).unwrap_or("nb"))
}

/// The derived command with every text in `lang`.
pub(super) fn command(lang: &str) -> Command {
    let cmd = super::Cli::command().version(env!("CARGO_PKG_VERSION")).disable_version_flag(true).arg(
        Arg::new("version")
            .short('V')
            .long("version")
            .action(ArgAction::Version)
            .help(text(lang, "cli.version"))
            .help_heading(text(lang, "cli.options")),
    );
    localize(cmd, None, lang)
}

/// The catalogue text of `key` in `lang` (the key itself if missing; a test checks that none is).
pub(super) fn text(lang: &str, key: &str) -> String {
    messages::lookup(lang, key, &[]).unwrap_or_else(|| key.to_string())
}

/// One command's texts; `sub` is the subcommand's name (`None` for the top level).
fn localize(mut cmd: Command, sub: Option<&str>, lang: &str) -> Command {
    let scope = sub.map_or_else(|| "cli".to_string(), |s| format!("cli.{s}"));
    let options = text(lang, "cli.options");
    let arguments = text(lang, "cli.arguments");
    cmd = cmd
        .about(text(lang, &format!("{scope}.about")))
        .override_usage(text(lang, &sub.map_or_else(|| "cli.usage_main".to_string(), |s| format!("cli.{s}.usage"))))
        .help_template(format!(
            "{{about-with-newline}}\n{} {{usage}}\n\n{{all-args}}{{after-help}}",
            text(lang, "cli.usage")
        ))
        .after_help(text(lang, "cli.after"))
        .subcommand_help_heading(text(lang, "cli.commands"))
        .subcommand_value_name(text(lang, "cli.command_value"))
        .disable_help_subcommand(true)
        .disable_help_flag(true)
        .arg(
            Arg::new("help")
                .short('h')
                .long("help")
                .action(ArgAction::Help)
                .help(text(lang, "cli.help"))
                .help_heading(options.clone()),
        );
    let ids: Vec<String> = cmd
        .get_arguments()
        .filter(|a| !matches!(a.get_id().as_str(), "help" | "version"))
        .map(|a| a.get_id().to_string())
        .collect();
    for id in ids {
        let key = format!("{scope}.{id}");
        let global = format!("cli.{id}");
        cmd = cmd.mut_arg(&id, |a| {
            let help = messages::lookup(lang, &key, &[]).unwrap_or_else(|| text(lang, &global));
            // Flags have the default "false", which is not worth saying.
            let takes_value = a.get_action().takes_values();
            let default = a.get_default_values().first().map(|v| v.to_string_lossy().into_owned());
            let (help, a) = match default {
                Some(d) if takes_value => (
                    format!("{help} [{}]", text(lang, "cli.default").replace("{value}", &d)),
                    a.hide_default_value(true),
                ),
                _ => (help, a),
            };
            let heading = if a.is_positional() { arguments.clone() } else { options.clone() };
            let names: Vec<String> = a
                .get_value_names()
                .unwrap_or_default()
                .iter()
                .map(|n| messages::lookup(lang, &format!("cli.value.{n}"), &[]).unwrap_or_else(|| n.to_string()))
                .collect();
            let a = a.help(help).help_heading(heading);
            if names.is_empty() {
                a
            } else {
                a.value_names(names)
            }
        });
    }
    let subs: Vec<String> = cmd.get_subcommands().map(|s| s.get_name().to_string()).collect();
    for s in subs {
        cmd = cmd.mut_subcommand(&s, |c| localize(c, Some(&s), lang));
    }
    cmd
}

/// A command-line mistake worded from the catalogue: what was wrong and what would work.
pub(super) fn error_message(e: &clap::Error) -> Message {
    let ctx = |kind: ContextKind| match e.get(kind) {
        Some(ContextValue::String(s)) => s.clone(),
        Some(ContextValue::Strings(v)) => v.join(", "),
        Some(ContextValue::StyledStr(s)) => s.to_string(),
        Some(ContextValue::StyledStrs(v)) => v.iter().map(ToString::to_string).collect::<Vec<_>>().join(", "),
        Some(ContextValue::Number(n)) => n.to_string(),
        _ => String::new(),
    };
    let suggestion = |kind: ContextKind| {
        let s = ctx(kind);
        (!s.is_empty()).then(|| msg!("hint.did_you_mean_key", name = s))
    };
    match e.kind() {
        ErrorKind::InvalidSubcommand => msg!(
            "cli.error.unknown_command",
            name = ctx(ContextKind::InvalidSubcommand),
            hint = suggestion(ContextKind::SuggestedSubcommand)
        ),
        ErrorKind::UnknownArgument => {
            msg!(
                "cli.error.unknown_option",
                name = ctx(ContextKind::InvalidArg),
                hint = suggestion(ContextKind::SuggestedArg)
            )
        }
        ErrorKind::InvalidValue if ctx(ContextKind::InvalidValue).is_empty() => {
            msg!("cli.error.needs_value", arg = ctx(ContextKind::InvalidArg))
        }
        ErrorKind::InvalidValue | ErrorKind::ValueValidation => {
            let valid = ctx(ContextKind::ValidValue);
            let hint = (!valid.is_empty()).then(|| msg!("cli.error.valid_values", values = valid));
            msg!(
                "cli.error.invalid_value",
                value = ctx(ContextKind::InvalidValue),
                arg = ctx(ContextKind::InvalidArg),
                hint = hint
            )
        }
        ErrorKind::MissingRequiredArgument => msg!("cli.error.missing", arg = ctx(ContextKind::InvalidArg)),
        ErrorKind::MissingSubcommand | ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand => {
            msg!("cli.error.missing_command")
        }
        ErrorKind::ArgumentConflict => msg!("cli.error.conflict", arg = ctx(ContextKind::InvalidArg)),
        ErrorKind::TooManyValues | ErrorKind::WrongNumberOfValues => {
            msg!("cli.error.unexpected", value = ctx(ContextKind::InvalidValue))
        }
        _ => {
            let detail = e.to_string();
            let first = detail.lines().next().unwrap_or("").trim_start_matches("error: ").to_string();
            msg!("cli.error.other", detail = first)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every help text of every command and option exists in every language's catalogue.
    #[test]
    fn every_help_text_is_in_every_catalogue() {
        for lang in messages::languages() {
            let mut missing = Vec::new();
            let mut check = |key: String| {
                if messages::lookup(lang, &key, &[]).is_none() {
                    missing.push(key);
                }
            };
            let cmd = super::super::Cli::command();
            for key in
                ["about", "usage", "usage_main", "options", "arguments", "commands", "command_value", "help", "version"]
            {
                check(format!("cli.{key}"));
            }
            check("cli.after".into());
            check("cli.default".into());
            for a in cmd.get_arguments() {
                check(format!("cli.{}", a.get_id()));
            }
            for s in cmd.get_subcommands() {
                let name = s.get_name();
                check(format!("cli.{name}.about"));
                check(format!("cli.{name}.usage"));
                for a in s.get_arguments() {
                    check(format!("cli.{name}.{}", a.get_id()));
                }
            }
            assert!(missing.is_empty(), "messages/{lang}.toml lacks {missing:?}");
        }
    }

    #[test]
    fn help_is_worded_in_the_chosen_language() {
        let nb = command("nb").render_long_help().to_string();
        assert!(nb.contains("Bruk: jobbvinner [VALG] <KOMMANDO>"), "{nb}");
        assert!(
            nb.contains("Kommandoer:") && nb.contains("Valg:") && !nb.contains("::") && nb.contains("Vis hjelp"),
            "{nb}"
        );
        assert!(!nb.contains("Usage") && !nb.contains("Options") && !nb.contains("Print help"), "{nb}");
        let en = command("en").render_long_help().to_string();
        assert!(en.contains("Usage: jobbvinner [OPTIONS] <COMMAND>") && en.contains("Print help"), "{en}");
        let mut build = command("nb");
        let sub = build.find_subcommand_mut("build").unwrap().render_long_help().to_string();
        assert!(
            sub.contains("Bygg nettstedet") && sub.contains("[standard: public]") && sub.contains("--output <MAPPE>"),
            "{sub}"
        );
    }

    #[test]
    fn language_from_flag_then_environment() {
        let args = |a: &[&str]| a.iter().map(std::ffi::OsString::from).collect::<Vec<_>>();
        assert_eq!(choose_language(&args(&["jobbvinner", "--messages", "en", "build"])), Ok("en"));
        assert_eq!(choose_language(&args(&["jobbvinner", "build", "--messages=nb"])), Ok("nb"));
        assert_eq!(choose_language(&args(&["jobbvinner", "--messages", "sv"])), Err("sv".into()));
        assert!(choose_language(&args(&["jobbvinner", "new", "--", "--messages"])).is_ok());
    }

    #[test]
    fn command_line_mistakes_are_worded_in_both_languages() {
        let e = command("en").try_get_matches_from(["jobbvinner", "biuld"]).unwrap_err();
        let m = error_message(&e);
        assert_eq!(m.text("en"), "unknown command `biuld`; did you mean `build`?");
        assert_eq!(m.text("nb"), "ukjent kommando `biuld`; mente du `build`?");
        let e = command("nb").try_get_matches_from(["jobbvinner", "serve", "--port", "abc"]).unwrap_err();
        let m = error_message(&e);
        assert_eq!(m.text("nb"), "`abc` er ikke en gyldig verdi for --port <PORT>");
        assert_eq!(m.text("en"), "`abc` is not a valid value for --port <PORT>");
        let e = command("nb").try_get_matches_from(["jobbvinner", "build", "--draft"]).unwrap_err();
        assert_eq!(error_message(&e).text("nb"), "ukjent valg `--draft`; mente du `--drafts`?");
        let e = command("nb").try_get_matches_from(["jobbvinner", "new"]).unwrap_err();
        assert!(error_message(&e).text("nb").starts_with("mangler <STI>"), "{}", error_message(&e).text("nb"));
        let e = command("nb").try_get_matches_from(["jobbvinner", "build", "--base-url"]).unwrap_err();
        assert_eq!(error_message(&e).text("nb"), "--base-url <ADRESSE> trenger en verdi");
        assert_eq!(error_message(&e).text("en"), "--base-url <ADRESSE> needs a value");
    }
}
