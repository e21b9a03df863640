//! `cvgen export`.

use std::path::Path;

use super::printer::Printer;
use super::{Done, print_out};
use crate::cli::ExportArgs;
use crate::error::CommandError;

/// `cvgen export PROFILE`: the profile as JSON Resume, on standard output
/// or into a file (a file per language for a profile in several); what
/// JSON Resume cannot hold is reported.
pub(super) fn export(args: ExportArgs) -> Done {
    let printer = Printer::new();
    let read = match crate::profile::read(&args.profile) {
        Ok(read) => read,
        Err(err) => return Err(CommandError::Failed(Some(err.to_string()))),
    };
    let today = crate::plan::this_month();
    let first = crate::check::check(&read.text, today, None);
    let languages = first.languages.clone();
    let several = languages.len() > 1;
    let to_stdout = args.out.as_deref().is_none_or(|out| out == Path::new("-"));
    let chosen: Vec<String> = match &args.language {
        Some(code) if !languages.contains(code) => {
            return Err(CommandError::Failed(Some(format!(
                "{}: the profile is not written in `{code}`; its languages: {}",
                args.profile.display(),
                languages.join(", ")
            ))));
        }
        Some(code) => vec![code.clone()],
        None if to_stdout && several => {
            printer.warning(&format!(
                "{}: exporting {}, the first of its languages ({}); --lang picks another, -o FILE writes each",
                args.profile.display(),
                languages[0],
                languages.join(", ")
            ));
            vec![languages[0].clone()]
        }
        None => languages.clone(),
    };
    let mut first = Some(first);
    for code in &chosen {
        let checked = match first.take().filter(|_| code == &languages[0]) {
            Some(checked) => checked,
            None => crate::check::check(&read.text, today, Some(code)),
        };
        let errors = checked.diagnostics.iter().any(|d| d.is_error());
        let Some(profile) = checked.profile.filter(|_| !errors) else {
            let report =
                crate::diagnostic::Report::new(&args.profile, read.text, checked.diagnostics);
            printer.line(&report.render(printer.color));
            return Err(CommandError::Failed(None));
        };
        let (json, notes) = crate::interop::export(&profile);
        for line in notes.lines() {
            printer.warning(&format!("{}: {line}", args.profile.display()));
        }
        let Some(out) = args.out.as_deref().filter(|_| !to_stdout) else {
            print_out(&json);
            continue;
        };
        // One file per language, named after the one asked for.
        let out = match (several && args.language.is_none(), out.extension()) {
            (true, Some(ext)) => out.with_extension(format!("{code}.{}", ext.to_string_lossy())),
            (true, None) => out.with_extension(code),
            (false, _) => out.to_owned(),
        };
        crate::output::write_named(&out, json.as_bytes())
            .map_err(|err| CommandError::Failed(Some(err.to_string())))?;
        printer.line(&format!("wrote {}", out.display()));
    }
    Ok(())
}
