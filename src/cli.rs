//! The command line: `build`, `check`, `new` and `serve`, with a global `--root`.

use crate::build::{build, BuildOptions, BuildReport, Target};
use crate::error::Diagnostics;
use clap::{Parser, Subcommand};
use std::ffi::OsString;
use std::io::Write;
use std::path::PathBuf;

/// A fast, accessible static site generator for the Jobbvinner website.
#[derive(Parser, Debug)]
#[command(name = "jobbvinner", version, about)]
pub struct Cli {
    /// The site's folder (where site.toml is).
    #[arg(long, global = true, default_value = ".", value_name = "DIR")]
    pub root: PathBuf,
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
    },
    /// Do everything build does, but write nothing: report all errors.
    Check {
        /// Include drafts.
        #[arg(long)]
        drafts: bool,
    },
    /// Create a new page with the front matter its section expects, e.g. `new tips/min-tips.md`.
    New {
        /// The page to create, relative to content/.
        path: String,
        /// Content type to start from (from content-types.toml); by default the section's type.
        #[arg(long = "type", value_name = "TYPE")]
        kind: Option<String>,
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
    let cli = match Cli::try_parse_from(args) {
        Ok(c) => c,
        Err(e) => {
            let _ = e.print();
            return if e.use_stderr() { 2 } else { 0 };
        }
    };
    run(cli)
}

/// Runs a parsed command line.
pub fn run(cli: Cli) -> i32 {
    let root = cli.root;
    match cli.command {
        Command::Build { output, base_url, drafts } => {
            let opts = BuildOptions { root: root.clone(), base_url, drafts };
            let target = if output.is_absolute() { output.clone() } else { root.join(&output) };
            let shown = if root == std::path::Path::new(".") { output } else { target.clone() };
            report(build(&opts, Target::Disk(target)), &shown.display().to_string(), "Built")
        }
        Command::Check { drafts } => {
            let opts = BuildOptions { root, base_url: None, drafts };
            report(build(&opts, Target::Check), "nothing written", "Checked")
        }
        Command::New { path, kind } => match crate::scaffold::new_page(&root, &path, kind.as_deref()) {
            Ok(created) => {
                println!("Created {}", created.display());
                0
            }
            Err(d) => print_errors(&d),
        },
        Command::Serve { port, bind, drafts, open } => {
            let opts = crate::serve::ServeOptions {
                bind,
                port,
                open,
                ..crate::serve::ServeOptions::new(BuildOptions { root, base_url: None, drafts })
            };
            match crate::serve::serve(opts) {
                Ok(()) => 0,
                Err(e) => {
                    eprintln!("error: {e}");
                    1
                }
            }
        }
    }
}

fn report(result: Result<BuildReport, Diagnostics>, destination: &str, verb: &str) -> i32 {
    match result {
        Ok(r) => {
            println!("{verb} {} ({destination})", summary(&r));
            match r.drafts_left_out {
                0 => {}
                1 => println!("1 draft was left out; --drafts builds and checks it too"),
                n => println!("{n} drafts were left out; --drafts builds and checks them too"),
            }
            0
        }
        Err(d) => print_errors(&d),
    }
}

/// One line: pages, sections, other files, time.
pub fn summary(r: &BuildReport) -> String {
    counts(&r.stats, r.files_copied, r.elapsed)
}

/// What a build produced and how long it took, in one line (also used by `serve`).
pub fn counts(s: &crate::render::RenderStats, copied: usize, elapsed: std::time::Duration) -> String {
    let filters = if s.filter_pages > 0 { format!(", {} filter pages", s.filter_pages) } else { String::new() };
    format!(
        "{} pages, {} sections (+{} paginated), {} taxonomy pages{filters}, {} redirects and {} copied files in {} ms",
        s.pages,
        s.sections,
        s.pagers,
        s.taxonomy_pages,
        s.redirects,
        copied,
        elapsed.as_millis()
    )
}

fn print_errors(d: &Diagnostics) -> i32 {
    let list = d.clone().into_sorted();
    let stderr = std::io::stderr();
    let mut err = stderr.lock();
    for diag in &list {
        let _ = writeln!(err, "error: {diag}");
    }
    let n = list.len();
    let _ = writeln!(err, "{n} error{}; nothing was written", if n == 1 { "" } else { "s" });
    1
}
