//! The subcommands, one file each: what each prints and how it ends. The
//! work itself happens in the pipeline modules; [`printer`] is the one
//! place where diagnostics and failures are printed, and the error a
//! command returns decides the exit code ([`CommandError::exit`]).

mod applications;
mod check;
mod export;
mod import;
mod layouts;
mod manual;
mod new;
mod printer;
mod render;
mod report;
mod schema;
mod watch;

use std::io::Write;
use std::process::ExitCode;

use crate::cli::{Cli, Command};
use crate::error::{CommandError, Exit};
use printer::Printer;

/// What a command returns: done, or why not.
type Done = Result<(), CommandError>;

/// Runs a command line: dispatches to its command, prints what it did not
/// print itself, and turns the result into the exit code.
pub fn run(cli: Cli) -> ExitCode {
    let result = match cli.command {
        Command::Render(args) => render::render(args),
        Command::Check(args) => check::check(args),
        Command::Layouts(args) => layouts::layouts(args),
        Command::Schema(args) => schema::schema(&args.format),
        Command::New(args) => new::new(&args.dir),
        Command::Import(args) => import::import(args),
        Command::Watch(args) => watch::watch(args),
        Command::Export(args) => export::export(args),
        Command::Applications(args) => applications::applications(args),
        Command::Completions(args) => manual::completions(args.shell),
        Command::Man => manual::man(),
    };
    let exit = match result {
        Ok(()) => Exit::Success,
        Err(failure) => {
            if let Some(message) = failure.message() {
                Printer::new().error(&message);
            }
            failure.exit()
        }
    };
    exit.into()
}

/// Writes to standard output; a reader that went away (`| head`) is not an
/// error of cvgen's.
fn print_out(text: &str) {
    let mut out = std::io::stdout().lock();
    let _ = out.write_all(text.as_bytes()).and_then(|()| out.flush());
}
