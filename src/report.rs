//! What the command line and the preview print: every diagnostic as one line
//! (`error: content/a.md:3:1: …`, `warning: …`), sorted, and the closing summaries, all
//! worded from the message catalogue. `cli` and `serve` both print through here.

use crate::error::{Diagnostic, Diagnostics, Severity};
use crate::messages::Message;
use crate::msg;
use std::io::Write;

/// One diagnostic as printed: severity, place and message.
pub fn line(d: &Diagnostic) -> String {
    let severity = match d.severity {
        Severity::Error => msg!("report.error"),
        Severity::Warning => msg!("report.warning"),
    };
    format!("{severity}: {d}")
}

/// Prints every diagnostic, sorted, to standard error; returns how many were errors.
pub fn print(diags: &Diagnostics) -> usize {
    let list = diags.clone().into_sorted();
    let mut err = std::io::stderr().lock();
    for d in &list {
        let _ = writeln!(err, "{}", line(d));
    }
    list.iter().filter(|d| d.is_error()).count()
}

/// "2 errors and 1 warning; nothing was written" and the like: `what` says what happened
/// to the output.
pub fn counts(diags: &Diagnostics, what: Message) -> Message {
    let errors = diags.error_count();
    let warnings = diags.len() - errors;
    let e = match errors {
        1 => msg!("report.one_error"),
        n => msg!("report.errors", n = n),
    };
    match warnings {
        0 => msg!("report.counts", problems = e, what = what),
        1 => msg!("report.counts_warnings", problems = e, warnings = msg!("report.one_warning"), what = what),
        n => msg!("report.counts_warnings", problems = e, warnings = msg!("report.warnings", n = n), what = what),
    }
}
