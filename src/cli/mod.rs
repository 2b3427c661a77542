//! The command line: `build`, `check`, `new` and `serve`, with a global `--root` and
//! `--messages`; help and messages in bokmål unless English is asked for ([`localize`]).

mod localize;

use crate::build::{build, BuildOptions, BuildReport, Target};
use crate::error::Diagnostics;
use crate::messages::Message;
use crate::msg;
use crate::report;
use clap::{FromArgMatches, Parser, Subcommand};
use std::ffi::OsString;
use std::path::PathBuf;

/// A fast, accessible static site generator for the Jobbvinner website.
#[derive(Parser, Debug)]
#[command(name = "jobbvinner", version, about)]
pub struct Cli {
    /// The site's folder (where site.toml is).
    #[arg(long, global = true, default_value = ".", value_name = "DIR")]
    pub root: PathBuf,
    /// Language of messages and help: nb (bokmål, the default) or en; also JOBBVINNER_MESSAGES.
    #[arg(long, global = true, value_name = "LANG")]
    pub messages: Option<String>,
    #[command(subcommand)]
    pub command: Command,
}

/// The subcommands.
#[derive(Subcommand, Debug)]
pub enum Command {
    /// Build the site into the output folder (public/ by default).
    Build {
        /// Output folder, relative to the site root unless absolute.
        #[arg(long, short, default_value = "public", value_name = "DIR")]
        output: PathBuf,
        /// Use this base URL instead of the one in site.toml.
        #[arg(long, value_name = "URL")]
        base_url: Option<String>,
        /// Include pages and sections marked draft = true.
        #[arg(long)]
        drafts: bool,
        /// Fail the build on warnings too.
        #[arg(long)]
        deny_warnings: bool,
    },
    /// Do everything build does, but write nothing: report all errors and warnings.
    Check {
        /// Include drafts.
        #[arg(long)]
        drafts: bool,
        /// Exit with an error on warnings too.
        #[arg(long)]
        deny_warnings: bool,
    },
    /// Create a new page with the front matter its section expects, e.g. `new tips/min-tips.md`.
    New {
        /// The page to create, relative to content/.
        path: String,
        /// Content type to start from (from content-types.toml); by default the section's type.
        #[arg(long = "type", value_name = "TYPE")]
        kind: Option<String>,
        /// Create the page's translation in this language (x.nn.md beside x.md).
        #[arg(long, value_name = "LANG")]
        lang: Option<String>,
    },
    /// Build the site in memory, preview it over HTTP and rebuild on every change.
    Serve {
        /// Port to listen on.
        #[arg(long, default_value_t = 1111)]
        port: u16,
        /// Address to bind (anything but loopback makes the preview reachable from other machines).
        #[arg(long, default_value = "127.0.0.1", value_name = "ADDR")]
        bind: String,
        /// Include drafts.
        #[arg(long)]
        drafts: bool,
        /// Open the preview in the default browser.
        #[arg(long)]
        open: bool,
    },
}

/// Parses `args` (program name first) and runs the command; returns the exit code.
pub fn run_with_args<I, T>(args: I) -> i32
where
    I: IntoIterator<Item = T>,
    T: Into<OsString> + Clone,
{
    let args: Vec<OsString> = args.into_iter().map(Into::into).collect();
    let lang = match localize::choose_language(&args) {
        Ok(lang) => lang,
        Err(given) => {
            crate::messages::set_language("nb");
            eprintln!("{}: {}", msg!("report.error"), msg!("cli.error.bad_language", value = given));
            return 2;
        }
    };
    crate::messages::set_language(lang);
    let parsed = localize::command(lang)
        .try_get_matches_from(&args)
        .and_then(|m| Cli::from_arg_matches(&m).map_err(|e| e.format(&mut localize::command(lang))));
    match parsed {
        Ok(cli) => run(cli),
        Err(e) if matches!(e.kind(), clap::error::ErrorKind::DisplayHelp | clap::error::ErrorKind::DisplayVersion) => {
            let _ = e.print();
            0
        }
        Err(e) if e.kind() == clap::error::ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand => {
            let _ = e.print();
            2
        }
        Err(e) => {
            eprintln!("{}: {}", msg!("report.error"), localize::error_message(&e));
            eprintln!("{}", msg!("cli.more", command = command_of(&args)));
            2
        }
    }
}

/// `jobbvinner` or `jobbvinner build`: what to ask `--help` of after a mistake.
fn command_of(args: &[OsString]) -> String {
    let known = ["build", "check", "new", "serve"];
    match args.iter().skip(1).map(|a| a.to_string_lossy()).find(|a| known.contains(&a.as_ref())) {
        Some(sub) => format!("jobbvinner {sub}"),
        None => "jobbvinner".to_string(),
    }
}

/// Runs a parsed command line.
pub fn run(cli: Cli) -> i32 {
    let root = cli.root;
    match cli.command {
        Command::Build { output, base_url, drafts, deny_warnings } => {
            let opts =
                BuildOptions { base_url, drafts, deny_warnings, free_memory: false, ..BuildOptions::new(root.clone()) };
            let target = if output.is_absolute() { output.clone() } else { root.join(&output) };
            let shown = if root == std::path::Path::new(".") { output } else { target.clone() };
            let dest = shown.display().to_string();
            finish(build(&opts, Target::Disk(target)), |counts| msg!("report.built", counts = counts, dest = dest))
        }
        Command::Check { drafts, deny_warnings } => {
            let opts = BuildOptions { drafts, deny_warnings, free_memory: false, ..BuildOptions::new(root) };
            let audit = crate::output::Audit::default();
            let result = build(&opts, Target::Sink(&audit));
            if let Ok(r) = &result {
                for line in r.translations.iter().flat_map(crate::check::TranslationStatus::lines) {
                    println!("{line}");
                }
            }
            finish(result, |counts| msg!("report.checked", counts = counts))
        }
        Command::New { path, kind, lang } => {
            match crate::scaffold::new_page(&root, &path, kind.as_deref(), lang.as_deref()) {
                Ok(created) => {
                    println!("{}", msg!("new.created", path = created.display().to_string()));
                    0
                }
                Err(d) => fail(&d),
            }
        }
        Command::Serve { port, bind, drafts, open } => {
            let opts = crate::serve::ServeOptions {
                bind,
                port,
                open,
                ..crate::serve::ServeOptions::new(BuildOptions { drafts, ..BuildOptions::new(root) })
            };
            let (bind, port) = (opts.bind.clone(), opts.port);
            match crate::serve::serve(opts) {
                Ok(()) => 0,
                Err(e) if e.kind() == std::io::ErrorKind::AddrInUse => {
                    let next = port.saturating_add(1).to_string();
                    let m = msg!("serve.port_in_use", port = port.to_string(), bind = bind, next = next);
                    eprintln!("{}: {m}", msg!("report.error"));
                    1
                }
                Err(e) => {
                    eprintln!(
                        "{}: {}",
                        msg!("report.error"),
                        msg!("serve.failed", detail = crate::error::io_message(&e))
                    );
                    1
                }
            }
        }
    }
}

/// Prints a build's warnings and summary line, or its problems; returns the exit code.
fn finish(result: Result<BuildReport, Diagnostics>, done: impl FnOnce(Message) -> Message) -> i32 {
    match result {
        Ok(r) => {
            if !r.warnings.is_empty() {
                report::print(&r.warnings);
                let n = r.warnings.len();
                let w = if n == 1 { msg!("report.one_warning") } else { msg!("report.warnings", n = n) };
                eprintln!("{}", msg!("report.warnings_only", warnings = w));
            }
            println!("{}", done(r.stats.summary(r.elapsed)));
            match r.drafts_left_out {
                0 => {}
                1 => println!("{}", msg!("report.draft_left_out")),
                n => println!("{}", msg!("report.drafts_left_out", n = n)),
            }
            0
        }
        Err(d) => fail(&d),
    }
}

/// Prints every problem and the count line; the exit code for a failed command.
fn fail(d: &Diagnostics) -> i32 {
    report::print(d);
    eprintln!("{}", report::counts(d, msg!("report.nothing_written")));
    1
}
