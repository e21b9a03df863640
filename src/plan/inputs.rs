//! Finding the profiles a run names.

use std::collections::HashSet;
use std::path::{Path, PathBuf};

use crate::error::SetupError;

/// Expands the inputs into profile files: files as given, folders to their
/// `*.toml` files in name order. A file named twice (`a.toml ./a.toml`, or
/// a file and its folder) is one profile.
pub(crate) fn find_profiles(inputs: &[PathBuf]) -> Result<Vec<PathBuf>, SetupError> {
    let mut found: Vec<PathBuf> = Vec::new();
    for input in inputs {
        if input.is_dir() {
            let read = |source| SetupError::ReadDir {
                path: input.clone(),
                source,
            };
            let mut files: Vec<PathBuf> = std::fs::read_dir(input)
                .map_err(read)?
                .filter_map(|entry| entry.ok().map(|e| e.path()))
                .filter(|path| path.extension().is_some_and(|e| e == "toml") && path.is_file())
                .collect();
            if files.is_empty() {
                return Err(SetupError::NoProfiles(input.clone()));
            }
            files.sort();
            found.extend(files);
        } else if input.exists() || Path::new(input).is_symlink() {
            found.push(input.clone());
        } else {
            return Err(SetupError::MissingInput(input.clone()));
        }
    }
    let mut seen = HashSet::new();
    found.retain(|path| seen.insert(path.canonicalize().unwrap_or_else(|_| path.clone())));
    Ok(found)
}
