//! cvgen turns CV profiles written in TOML into typeset PDFs, compiling
//! parameterized Typst layouts with the Typst compiler embedded as a library.
//!
//! The pipeline, one module per stage: [`profile`] (TOML into typed data) ->
//! [`data`] (what a layout reads, Markdown parsed by [`markup`]) -> [`layout`]
//! (layout files and their parameters) -> [`typst`] (sandboxed world, compile,
//! PDF) -> [`output`] (atomic writes), driven by [`render`]. [`cli`] is the
//! thin front.

pub mod check;
pub mod cli;
pub mod commands;
pub mod data;
pub mod diagnostic;
pub mod emit;
pub mod error;
pub mod incremental;
pub mod job;
pub mod layout;
pub mod markup;
pub mod output;
pub mod photo;
pub mod preview;
pub mod profile;
pub mod render;
pub mod typst;
pub mod variant;
