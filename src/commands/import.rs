//! `cvgen import`.

use std::path::{Path, PathBuf};

use super::Done;
use super::printer::Printer;
use crate::cli::ImportArgs;
use crate::error::CommandError;
use crate::files::{ReadError, read_limited};
use crate::interop::{self, Format};

/// `cvgen import FILE`: a JSON Resume or RenderCV file into a profile. What
/// has no home is reported (and kept as comments in the profile); the
/// profile is checked before it is written, and never replaces one unless
/// asked.
pub(super) fn import(args: ImportArgs) -> Done {
    let printer = Printer::new();
    let fail = |message: &str| Err(CommandError::Failed(Some(message.to_owned())));
    let format = match Format::of(args.format.as_deref(), &args.file) {
        Ok(format) => format,
        Err(message) => return Err(CommandError::Usage(message)),
    };
    let limit = crate::profile::MAX_FILE_BYTES;
    let text = match read_limited(&args.file, limit).map(String::from_utf8) {
        Ok(Ok(text)) => text,
        Ok(Err(_)) => return fail(&format!("{}: not UTF-8 text", args.file.display())),
        Err(ReadError::NotAFile) => {
            return fail(&format!("{}: not a regular file", args.file.display()));
        }
        Err(ReadError::TooLarge { .. }) => {
            return fail(&format!(
                "{}: larger than {limit} bytes",
                args.file.display()
            ));
        }
        Err(ReadError::Io(err)) => return fail(&format!("{}: {err}", args.file.display())),
    };
    let (profile, notes) = match interop::import(&text, format, &args.file) {
        Ok(imported) => imported,
        Err(message) => return fail(&message),
    };
    let out = args.out.unwrap_or_else(|| {
        let stem = args.file.file_stem().unwrap_or_default().to_string_lossy();
        Path::new("input").join(format!("{stem}.toml"))
    });
    // What cvgen writes, cvgen must read: check it as `cvgen check` would.
    let checked = crate::check::check(&profile, crate::plan::this_month(), None);
    if checked.diagnostics.iter().any(|d| d.is_error()) {
        // The places are in the profile as it would have been written,
        // which is not on disk: say which file it came from.
        let shown = PathBuf::from(format!(
            "{} (imported from {}, not written)",
            out.display(),
            args.file.display()
        ));
        let report = crate::diagnostic::Report::new(&shown, profile, checked.diagnostics);
        printer.line(&report.render(printer.color));
        return fail(&format!(
            "the imported profile does not check; nothing was written to {}",
            out.display()
        ));
    }
    if !args.force && out.symlink_metadata().is_ok() {
        return Err(CommandError::Usage(format!(
            "{} exists; nothing was written (--force replaces it)",
            out.display()
        )));
    }
    for line in notes.lines() {
        printer.warning(&format!("{}: {line}", args.file.display()));
    }
    if let Some(parent) = out.parent().filter(|p| !p.as_os_str().is_empty()) {
        let _ = std::fs::create_dir_all(parent);
    }
    if let Err(err) = crate::output::write_named(&out, profile.as_bytes()) {
        return fail(&err.to_string());
    }
    printer.line(&format!(
        "wrote {} ({} note{})",
        out.display(),
        notes.lines().len(),
        if notes.lines().len() == 1 { "" } else { "s" }
    ));
    Ok(())
}
