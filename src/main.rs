use std::process::ExitCode;

use clap::Parser;
use cvgen::cli::{Cli, Command};

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Render(args) => cvgen::commands::render(args),
        Command::Check(args) => cvgen::commands::check(args),
        Command::Layouts(args) => cvgen::commands::layouts(args),
        Command::Schema => cvgen::commands::schema(),
    };
    match result {
        Ok(code) => code,
        Err(err) => {
            eprintln!("error: {err}");
            ExitCode::from(2)
        }
    }
}
