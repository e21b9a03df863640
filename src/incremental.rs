//! Incremental builds: a job whose inputs are unchanged since it last wrote
//! its output is skipped, and its file is left alone (mtime kept).
//!
//! Each output has a small manifest in `<out>/.cvgen/<file>.json`: a key over
//! everything known before compiling (cvgen's version, the profile's bytes,
//! layout, parameters, variant and anonymization options, the fonts found), the
//! files the compile read (layout files, files in the profile's folder) with
//! their hashes, and the hash of the output itself, so a deleted or edited
//! output is made again. One manifest per output means parallel cvgen
//! processes (make -j) never write the same file.
//!
//! The same records give make a rule per profile (`--deps`, see
//! `makefile`).

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::error::WriteError;
use crate::hash::{hex, sha256};
use crate::output;
use crate::typst::world::Dependency;

/// The folder, inside the output folder, that holds the manifests.
pub const STATE_DIR: &str = ".cvgen";

/// What an output was made from.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Manifest {
    pub key: String,
    /// The PDF's hash; empty when only previews were asked for.
    pub output_sha256: String,
    /// PNG previews written beside the PDF, by file name, with their hashes.
    #[serde(default)]
    pub previews: Vec<(String, String)>,
    /// Word, text and Markdown files written beside the PDF, by file name,
    /// with their hashes.
    #[serde(default)]
    pub files: Vec<(String, String)>,
    pub dependencies: Vec<Recorded>,
    /// For an application with a job posting: which of its terms the
    /// document showed when made, for reports of later runs.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub coverage: Option<serde_json::Value>,
}

/// A file a compile read, and its hash then.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Recorded {
    /// `layout` (below the layouts root), `profile` (below the profile's
    /// folder), `bibliography` (below the profile's folder, read while
    /// planning) or `font` (a font file; its hash is a stamp of path, size
    /// and modification time).
    pub kind: String,
    pub path: String,
    pub sha256: String,
}

impl Recorded {
    pub fn dependency(&self) -> Option<Dependency> {
        match self.kind.as_str() {
            "layout" => Some(Dependency::Layout(self.path.clone())),
            "profile" => Some(Dependency::Profile(self.path.clone())),
            "font" => Some(Dependency::Font(self.path.clone())),
            "bibliography" => Some(Dependency::Bibliography(self.path.clone())),
            _ => None,
        }
    }

    pub fn new(dependency: &Dependency, hash: &[u8; 32]) -> Self {
        let (kind, path) = match dependency {
            Dependency::Layout(path) => ("layout", path),
            Dependency::Profile(path) => ("profile", path),
            Dependency::Font(path) => ("font", path),
            Dependency::Bibliography(path) => ("bibliography", path),
        };
        Self {
            kind: kind.into(),
            path: path.clone(),
            sha256: hex(hash),
        }
    }
}

/// Where the manifest of an output lives.
pub fn manifest_path(output: &Path) -> PathBuf {
    let dir = output.parent().unwrap_or(Path::new("."));
    let name = output
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    dir.join(STATE_DIR).join(format!("{name}.json"))
}

/// The manifest of an output, if there is a readable one.
pub fn load(output: &Path) -> Option<Manifest> {
    load_json(&manifest_path(output))
}

/// Records what an output was made from.
pub fn save(output: &Path, manifest: &Manifest) -> Result<(), WriteError> {
    save_json(&manifest_path(output), manifest)
}

/// A record of cvgen's state (a manifest, what was sent), if there is a
/// readable one.
pub fn load_json<T: serde::de::DeserializeOwned>(path: &Path) -> Option<T> {
    let text = std::fs::read(path).ok()?;
    serde_json::from_slice(&text).ok()
}

/// Writes a record of cvgen's state atomically, making its folder.
pub fn save_json<T: Serialize>(path: &Path, value: &T) -> Result<(), WriteError> {
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir).map_err(|source| WriteError {
            path: dir.to_owned(),
            source,
        })?;
    }
    let json = serde_json::to_vec_pretty(value).unwrap_or_default();
    output::write_atomic(path, &json)
}

/// Whether `output` is up to date: same key, every recorded file unchanged
/// (`current` gives a file's hash now, `None` if it is gone), and the output
/// still the file that was written.
pub fn is_fresh(
    manifest: &Manifest,
    key: &str,
    output: &Path,
    current: impl Fn(&Dependency) -> Option<[u8; 32]>,
) -> bool {
    manifest.key == key
        && manifest.dependencies.iter().all(|recorded| {
            recorded
                .dependency()
                .and_then(|dependency| current(&dependency))
                .is_some_and(|hash| hex(&hash) == recorded.sha256)
        })
        && (manifest.output_sha256.is_empty() || unchanged(output, &manifest.output_sha256))
        && manifest
            .previews
            .iter()
            .chain(&manifest.files)
            .all(|(name, hash)| unchanged(&output.with_file_name(name), hash))
}

/// Whether a file is still the one that was written.
/// Removes the files an earlier manifest of `output` recorded beside it
/// (Word, text, Markdown) that `kept` no longer names: a format no longer
/// asked for. Only a file still as cvgen wrote it goes; one a person has
/// edited since stays.
pub fn remove_dropped_files(previous: &Manifest, output: &Path, kept: &[String]) {
    for (name, hash) in &previous.files {
        let path = output.with_file_name(name);
        if !kept.contains(name) && unchanged(&path, hash) {
            // If it cannot be removed, it is left as it was.
            let _ = std::fs::remove_file(path);
        }
    }
}

fn unchanged(path: &Path, sha256_hex: &str) -> bool {
    std::fs::read(path).is_ok_and(|bytes| hex(&sha256(&bytes)) == sha256_hex)
}

/// Where make's stamp of a profile goes: `<out>/.cvgen/<stem>.stamp`
/// (an application's stem is `applications/<name>`). A run
/// with `--deps` writes it after every document of the profile is made or
/// found up to date, so it is newer than everything they were made from.
pub fn stamp_path(out_dir: &Path, stem: &str) -> PathBuf {
    out_dir.join(STATE_DIR).join(format!("{stem}.stamp"))
}

/// Where the make rule of a profile's stamp goes: `<out>/.cvgen/<stem>.d`.
pub fn deps_path(out_dir: &Path, stem: &str) -> PathBuf {
    out_dir.join(STATE_DIR).join(format!("{stem}.d"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn manifests_live_in_a_state_folder_beside_the_output() {
        assert_eq!(
            manifest_path(Path::new("output/a.pdf")),
            PathBuf::from("output/.cvgen/a.pdf.json")
        );
        assert_eq!(
            deps_path(Path::new("output"), "a"),
            PathBuf::from("output/.cvgen/a.d")
        );
    }
}
