//! `cvgen new [DIR]`: a job-search repository to start from. A commented
//! profile showing every common section and the features one-page fitting,
//! job applications and anonymizing read (`priority`, `tags`, `short`,
//! `[anonymize]`), an example application with a cover letter and the job
//! posting it answers, the
//! README's Makefile, the JSON Schemas editors complete from, a
//! `.gitignore` and a README. Nothing that exists is overwritten: if any
//! of the files is there, nothing is written.

use std::path::{Path, PathBuf};

/// The commented example profile a new repository starts from.
pub fn example_profile() -> &'static str {
    include_str!("cv.toml")
}

/// The files of a new repository: path and contents.
fn files() -> Vec<(&'static str, String)> {
    vec![
        ("input/cv.toml", include_str!("cv.toml").to_owned()),
        (
            "applications/example-corp.toml",
            include_str!("application.toml").to_owned(),
        ),
        (
            "applications/postings/example-corp.txt",
            include_str!("posting.txt").to_owned(),
        ),
        ("Makefile", include_str!("Makefile").to_owned()),
        (".gitignore", include_str!("gitignore").to_owned()),
        ("README.md", include_str!("README.md").to_owned()),
        (
            "schema/profile.schema.json",
            format!("{}\n", crate::profile::schema_json()),
        ),
        (
            "schema/application.schema.json",
            format!("{}\n", crate::application::schema_json()),
        ),
    ]
}

/// Why a repository could not be made.
#[derive(Debug, thiserror::Error)]
pub enum NewError {
    #[error(
        "{} already exist{} in {}; nothing was written (cvgen new never overwrites)",
        .existing.iter().map(|p| p.display().to_string()).collect::<Vec<_>>().join(", "),
        if .existing.len() == 1 { "s" } else { "" },
        .dir.display()
    )]
    Exists {
        dir: PathBuf,
        existing: Vec<PathBuf>,
    },
    #[error("cannot write {}: {source}", .path.display())]
    Write {
        path: PathBuf,
        source: std::io::Error,
    },
}

/// Writes a new repository into `dir` (made if missing); returns the files
/// written, relative to it.
pub fn create(dir: &Path) -> Result<Vec<PathBuf>, NewError> {
    let files = files();
    let existing: Vec<PathBuf> = files
        .iter()
        .map(|(path, _)| PathBuf::from(path))
        .filter(|path| dir.join(path).symlink_metadata().is_ok())
        .collect();
    if !existing.is_empty() {
        return Err(NewError::Exists {
            dir: dir.to_owned(),
            existing,
        });
    }
    let mut written = Vec::new();
    for (path, text) in files {
        let target = dir.join(path);
        let write = || -> std::io::Result<()> {
            if let Some(parent) = target.parent() {
                std::fs::create_dir_all(parent)?;
            }
            // create_new: a file that appeared since the check above is
            // still not overwritten.
            use std::io::Write;
            std::fs::OpenOptions::new()
                .write(true)
                .create_new(true)
                .open(&target)?
                .write_all(text.as_bytes())
        };
        if let Err(source) = write() {
            // Half a repository is worse than none: take back what was written.
            for path in &written {
                let _ = std::fs::remove_file(dir.join(path));
            }
            let _ = std::fs::remove_file(&target);
            return Err(NewError::Write {
                path: target,
                source,
            });
        }
        written.push(PathBuf::from(path));
    }
    Ok(written)
}
