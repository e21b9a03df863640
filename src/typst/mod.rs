//! Everything that touches the Typst compiler lives behind this module:
//! fonts, the sandboxed world, compiling and PDF export, and reading a
//! typeset document. The rest of cvgen hands it data and gets back bytes,
//! rendered diagnostics, or the two types re-exported here: a typeset
//! document, and the shared bytes a world serves.
//!
//! The one exception: `standard.rs` names PDF standards as Typst's PDF
//! writer spells them, and checks a list by converting it (a utility below
//! every stage, so that the command line and profiles can check names).
//! A test (`typst_stays_behind_its_module`) fails on any other use.

mod clusters;
pub mod compile;
pub mod document;
pub mod fonts;
pub mod world;

pub use typst::foundations::Bytes;
pub use typst_layout::PagedDocument;
