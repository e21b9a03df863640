//! Everything that touches the Typst compiler lives behind this module:
//! fonts, the sandboxed world, compiling and PDF export. The rest of cvgen
//! hands it data and gets back bytes or rendered diagnostics.

mod clusters;
pub mod compile;
pub mod fonts;
pub mod world;
