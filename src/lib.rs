//! jobbvinner: a static site generator for the Jobbvinner website.
//!
//! The pipeline, one module per stage:
//! 1. [`config`]: `site.toml` → [`config::Config`]
//! 2. [`content`]: `content/` → [`content::Site`] (pages, sections, taxonomies)
//! 3. [`markdown`]: markdown → HTML, table of contents, links and images found
//! 4. [`render`] with [`templates`]: Tera templates → one file per page, pager and term
//! 5. [`output`]: every byte goes through one writer (staged disk folder, memory, or nowhere)
//!
//! [`build`] runs them in order; [`cli`], [`scaffold`] and [`serve`] sit beside the pipeline,
//! and [`incremental`] re-runs parts of it for `serve` when files change.

pub mod build;
pub mod check;
pub mod cli;
pub mod config;
pub mod content;
pub mod date;
pub mod error;
pub mod i18n;
pub mod incremental;
pub mod markdown;
pub mod output;
pub mod render;
pub mod scaffold;
pub mod search;
pub mod serve;
pub mod slug;
pub mod templates;
