//! `cvgen export`.

use std::path::Path;

use super::printer::Printer;
use super::{Done, print_out};
use crate::cli::ExportArgs;
use crate::error::CommandError;

/// `cvgen export PROFILE`: the profile as JSON Resume, on standard output
/// or into a file; what JSON Resume cannot hold is reported.
pub(super) fn export(args: ExportArgs) -> Done {
    let printer = Printer::new();
    let read = match crate::profile::read(&args.profile) {
        Ok(read) => read,
        Err(err) => return Err(CommandError::Failed(Some(err.to_string()))),
    };
    let checked = crate::check::check(&read.text, crate::plan::this_month(), None);
    let errors = checked.diagnostics.iter().any(|d| d.is_error());
    let Some(profile) = checked.profile.filter(|_| !errors) else {
        let report = crate::diagnostic::Report::new(&args.profile, read.text, checked.diagnostics);
        printer.line(&report.render(printer.color));
        return Err(CommandError::Failed(None));
    };
    let (json, notes) = crate::interop::export(&profile);
    for line in notes.lines() {
        printer.warning(&format!("{}: {line}", args.profile.display()));
    }
    match &args.out {
        None => print_out(&json),
        Some(out) => {
            if out == Path::new("-") {
                print_out(&json);
                return Ok(());
            }
            crate::output::write_named(out, json.as_bytes())
                .map_err(|err| CommandError::Failed(Some(err.to_string())))?;
            printer.line(&format!("wrote {}", out.display()));
        }
    }
    Ok(())
}
