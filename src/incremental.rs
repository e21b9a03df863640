//! Incremental builds: a job whose inputs are unchanged since it last wrote
//! its output is skipped, and its file is left alone (mtime kept).
//!
//! Each output has a small manifest in `<out>/.cvgen/<file>.json`: a key over
//! everything known before compiling (cvgen's version, the profile's bytes,
//! layout, parameters, variant and anonymization options, the fonts found), the
//! files the compile read (layout files, files in the profile's folder) with
//! their hashes, and the hash of the output itself, so a deleted or edited
//! output is made again. One manifest per output means parallel cvgen
//! processes (make -j) never write the same file. A run saves a profile's
//! manifests (of one folder) together when its jobs are done: one file
//! holding them by output name, which each output's manifest path names
//! by a hard link (see `output::write_linked`), so a profile's three
//! documents cost one file more, not three. The file stays small: a check
//! of one output reads the records of its profile only.
//!
//! The same records give make a rule per profile (`--deps`, see
//! `makefile`).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::{Mutex, PoisonError};

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
    dir.join(STATE_DIR)
        .join(format!("{}.json", file_name(output)))
}

/// Manifests as stored: one output's, or those a run saved together.
#[derive(Deserialize)]
#[serde(untagged)]
enum Stored {
    Together { outputs: BTreeMap<String, Manifest> },
    One(Manifest),
}

/// The manifest of an output, if there is a readable one.
pub fn load(output: &Path) -> Option<Manifest> {
    match load_json(&manifest_path(output))? {
        Stored::One(manifest) => Some(manifest),
        Stored::Together { mut outputs } => outputs.remove(&file_name(output)),
    }
}

/// An output's file name, as manifests name it and the files beside it.
pub(crate) fn file_name(output: &Path) -> String {
    output
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default()
}

/// The manifests of a run's documents, saved together when its jobs are
/// done. A run killed before that leaves documents without a manifest, or
/// with one that names the previous file's hash: they are made again.
#[derive(Default)]
pub struct Records(Mutex<Vec<(PathBuf, PathBuf, Manifest)>>);

impl Records {
    /// Records what `profile`'s `output` was made from, to be saved with
    /// the profile's others.
    pub fn add(&self, profile: &Path, output: PathBuf, manifest: Manifest) {
        self.0.lock().unwrap_or_else(PoisonError::into_inner).push((
            profile.to_owned(),
            output,
            manifest,
        ));
    }

    /// Saves the manifests recorded so far, those of one profile in one
    /// folder in one file; returns the profiles whose manifests could not
    /// be saved, with the error.
    pub fn save(&self) -> Vec<(PathBuf, WriteError)> {
        let recorded = std::mem::take(&mut *self.0.lock().unwrap_or_else(PoisonError::into_inner));
        let mut together: BTreeMap<(PathBuf, PathBuf), Vec<(PathBuf, Manifest)>> = BTreeMap::new();
        for (profile, output, manifest) in recorded {
            let folder = manifest_path(&output)
                .parent()
                .map(Path::to_owned)
                .unwrap_or_default();
            together
                .entry((folder, profile))
                .or_default()
                .push((output, manifest));
        }
        let mut failed = Vec::new();
        for ((folder, profile), records) in together {
            let paths: Vec<PathBuf> = records.iter().map(|(o, _)| manifest_path(o)).collect();
            let outputs: BTreeMap<String, &Manifest> = records
                .iter()
                .map(|(output, manifest)| (file_name(output), manifest))
                .collect();
            let json = serde_json::to_vec_pretty(&serde_json::json!({ "outputs": outputs }))
                .unwrap_or_default();
            let saved = std::fs::create_dir_all(&folder)
                .map_err(|source| WriteError {
                    path: folder.clone(),
                    source,
                })
                .and_then(|()| output::write_linked(&paths, &json));
            if let Err(error) = saved {
                failed.push((profile, error));
            }
        }
        failed
    }
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

    fn manifest(key: &str) -> Manifest {
        Manifest {
            key: key.into(),
            output_sha256: String::new(),
            previews: Vec::new(),
            files: Vec::new(),
            dependencies: Vec::new(),
            coverage: None,
        }
    }

    #[test]
    fn a_profiles_manifests_are_one_file_that_each_output_names() {
        let dir = tempfile::tempdir().unwrap();
        let out = |name: &str| dir.path().join(name);
        let records = Records::default();
        let (a, b) = (Path::new("a.toml"), Path::new("b.toml"));
        records.add(a, out("a.pdf"), manifest("a long"));
        records.add(b, out("b.pdf"), manifest("b long"));
        records.add(a, out("a-onepage.pdf"), manifest("a one page"));
        assert!(records.save().is_empty());
        assert_eq!(load(&out("a.pdf")), Some(manifest("a long")));
        assert_eq!(load(&out("a-onepage.pdf")), Some(manifest("a one page")));
        assert_eq!(load(&out("b.pdf")), Some(manifest("b long")));
        assert_eq!(load(&out("c.pdf")), None);
        #[cfg(unix)]
        {
            use std::os::unix::fs::MetadataExt;
            let inode = |name: &str| std::fs::metadata(manifest_path(&out(name))).unwrap().ino();
            assert_eq!(inode("a.pdf"), inode("a-onepage.pdf"));
            assert_ne!(inode("a.pdf"), inode("b.pdf"));
        }
        // A later run that makes one of them again leaves the other's.
        records.add(a, out("a.pdf"), manifest("a long, again"));
        assert!(records.save().is_empty());
        assert_eq!(load(&out("a.pdf")), Some(manifest("a long, again")));
        assert_eq!(load(&out("a-onepage.pdf")), Some(manifest("a one page")));
        assert!(records.save().is_empty(), "nothing left to save");
        // A manifest of one output, as earlier runs wrote them.
        save_json(&manifest_path(&out("old.pdf")), &manifest("old")).unwrap();
        assert_eq!(load(&out("old.pdf")), Some(manifest("old")));
    }

    #[test]
    fn records_that_cannot_be_saved_name_their_profile() {
        let dir = tempfile::tempdir().unwrap();
        // The state folder cannot be made: a file is in its way.
        std::fs::write(dir.path().join(STATE_DIR), "").unwrap();
        let records = Records::default();
        let output = dir.path().join("a.pdf");
        records.add(Path::new("a.toml"), output.clone(), manifest("a"));
        let failed = records.save();
        assert_eq!(failed.len(), 1);
        assert_eq!(failed[0].0, Path::new("a.toml"));
        assert_eq!(load(&output), None);
    }
}
