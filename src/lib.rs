//! cvgen turns CV profiles written in TOML into typeset PDFs, compiling
//! parameterized Typst layouts with the Typst compiler embedded as a library.
//!
//! The pipeline, one module per stage, each reading only what the stages
//! before it produced: [`cli`] resolves the command line into a plain
//! `config` -> `plan` reads and checks every profile (`profile`, `check`)
//! and decides its layout, parameters, variants, photo and output paths ->
//! `render` runs the planned jobs in parallel -> `job` makes one document:
//! the `variant` transform (anonymized, one-page), the layout data
//! (`data`, `markup`), the sandboxed Typst world and compile (`typst`), the
//! leak check, and the atomic write (`output`, `incremental`, `claims`). `commands`
//! prints what happened and decides the exit code.

pub mod ats;
pub mod cli;

mod application;
mod calendar;
mod check;
mod claims;
mod commands;
mod config;
mod data;
mod diagnostic;
mod emit;
mod error;
mod files;
mod hash;
mod incremental;
mod interop;
mod job;
mod layout;
mod link;
mod markup;
mod new;
mod output;
mod photo;
mod plan;
mod preview;
mod profile;
mod render;
mod standard;
mod typst;
mod variant;
mod watch;
mod workers;

pub use commands::run;
