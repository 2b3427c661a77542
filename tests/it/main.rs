//! Integration tests: fixture sites built through the library and the real binary.
#![allow(unreachable_pub)]

mod support;

mod archive;
mod bundled;
mod cli;
mod content;
mod errors;
mod escaping;
mod images;
mod incremental;
mod languages;
mod output;
mod publish;
mod rawhtml;
mod serve;
mod sharing;
mod templates;
mod typed_languages;
mod types;
mod writers;
mod zola;
