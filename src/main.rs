/// glibc's allocator was a tenth of a batch's time (Typst allocates many small
/// values); mimalloc keeps per-thread free lists.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    cvgen::run(cvgen::cli::Cli::parse())
}
