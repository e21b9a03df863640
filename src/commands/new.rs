//! `cvgen new`.

use std::path::Path;

use super::Done;
use super::printer::Printer;
use crate::error::CommandError;

/// `cvgen new [DIR]`: writes a starter repository, or nothing.
pub(super) fn new(dir: &Path) -> Done {
    let printer = Printer::new();
    match crate::new::create(dir) {
        Ok(written) => {
            for path in &written {
                printer.line(&format!("created {}", dir.join(path).display()));
            }
            printer.line(&format!(
                "next: edit {}, then run `make` there (or `cvgen render`)",
                dir.join("input/cv.toml").display()
            ));
            Ok(())
        }
        Err(err) => Err(CommandError::Usage(err.to_string())),
    }
}
