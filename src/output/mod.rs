//! Stage 6 of the pipeline: every output byte goes through a [`Sink`]. The render stage hands
//! each planned output to one, rendered or copied; what the sink does with it is all that
//! differs between `build` (a staging folder swapped in when everything succeeded, so a failed
//! or interrupted build never leaves a broken `public/`; [`disk`]), `serve` and tests (memory;
//! [`memory`]) and `check` (nothing written, what a site audit needs kept; [`audit`]). The rules
//! for the output folder's paths live here too.

pub mod audit;
pub mod disk;
pub mod memory;

pub use audit::Audit;
pub use disk::{check_output_dir, Disk, Staging, MARKER};
pub use memory::Memory;

use std::io;
use std::path::Path;

/// Where outputs go. Paths are relative to the output root, `/`-separated.
pub trait Sink: Sync {
    /// Takes one rendered file.
    fn write(&self, rel: &str, bytes: Vec<u8>) -> io::Result<()>;
    /// Takes one file published as it is.
    fn copy(&self, rel: &str, source: &Path) -> io::Result<()>;
}

/// Output file for a site path: `/tips/x/` → `tips/x/index.html`; `/gammel.html` stays a file.
pub fn output_file(path: &str) -> String {
    let p = path.trim_start_matches('/');
    if p.ends_with(".html") || p.ends_with(".htm") {
        p.to_string()
    } else {
        format!("{p}index.html")
    }
}

/// The site path an output file is served at: `tips/x/index.html` → `/tips/x/`.
pub fn site_path(rel: &str) -> String {
    format!("/{}", rel.strip_suffix("index.html").unwrap_or(rel))
}

/// Does an output path stay inside the output folder (no `..`, empty parts or backslashes)?
pub fn is_safe(rel: &str) -> bool {
    !rel.split('/').any(|c| c == ".." || c.is_empty()) && !rel.contains('\\')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn output_files_and_site_paths() {
        assert_eq!(output_file("/"), "index.html");
        assert_eq!(output_file("/tips/x/"), "tips/x/index.html");
        assert_eq!(output_file("/arkiv/side.html"), "arkiv/side.html");
        assert_eq!(site_path("tips/x/index.html"), "/tips/x/");
        assert_eq!(site_path("404.html"), "/404.html");
        assert!(is_safe("a/b.css") && !is_safe("../x") && !is_safe("a//b") && !is_safe("a\\b"));
    }
}
