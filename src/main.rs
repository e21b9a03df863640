use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    cvgen::run(cvgen::cli::Cli::parse())
}
