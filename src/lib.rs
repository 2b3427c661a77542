//! jobbvinner: a static site generator for the Jobbvinner website.
//!
//! The pipeline, one module per stage:
//! 1. [`config`]: `site.toml` → [`config::Config`] (with the site's [`layout`])
//! 2. [`content`]: `content/` → [`content::Site`] (pages, sections, taxonomies)
//! 3. [`markdown`]: markdown → HTML, table of contents, links and images found
//! 4. [`templates`]: the Tera engine and what templates see
//! 5. [`assets`]: files published as they are (images later)
//! 6. [`render`]: plans every output with its inputs and produces them into an [`output`] sink
//!    (a staged folder for `build`, memory for `serve`, an audit for `check`)
//!
//! [`build`] runs them in order; [`cli`], [`scaffold`] and [`serve`] sit beside the pipeline,
//! and [`incremental`] re-runs parts of it for `serve` when files change. Problems are
//! [`error::Diagnostic`]s whose [`messages`] are worded from one [`catalogue`] mechanism.

pub mod assets;
pub mod build;
pub mod catalogue;
pub mod check;
pub mod cli;
pub mod config;
pub mod content;
pub mod date;
pub mod error;
pub mod hyphenate;
pub mod i18n;
pub mod incremental;
pub mod layout;
pub mod markdown;

pub mod messages;
pub mod output;
pub mod render;
pub mod report;
pub mod scaffold;
pub mod search;
pub mod serve;
pub mod slug;
pub mod suggest;
pub mod templates;
