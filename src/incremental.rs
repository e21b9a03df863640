//! Incremental builds: a job whose inputs are unchanged since it last wrote
//! its output is skipped, and its file is left alone (mtime kept).
//!
//! Each output has a small manifest in `<out>/.cvgen/<file>.json`: a key over
//! everything known before compiling (cvgen's version, the profile's bytes,
//! layout, parameters, variant and anonymization options, extra fonts), the
//! files the compile read (layout files, files in the profile's folder) with
//! their hashes, and the hash of the output itself, so a deleted or edited
//! output is made again. One manifest per output means parallel cvgen
//! processes (make -j) never write the same file.
//!
//! The same records give make-format dependency files (`--deps`).

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::error::WriteError;
use crate::output::{self, hex, sha256};
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
    pub dependencies: Vec<Recorded>,
}

/// A file a compile read, and its hash then.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Recorded {
    /// `layout` (below the layouts root) or `profile` (below the profile's folder).
    pub kind: String,
    pub path: String,
    pub sha256: String,
}

impl Recorded {
    pub fn dependency(&self) -> Option<Dependency> {
        match self.kind.as_str() {
            "layout" => Some(Dependency::Layout(self.path.clone())),
            "profile" => Some(Dependency::Profile(self.path.clone())),
            _ => None,
        }
    }

    pub fn new(dependency: &Dependency, hash: &[u8; 32]) -> Self {
        let (kind, path) = match dependency {
            Dependency::Layout(path) => ("layout", path),
            Dependency::Profile(path) => ("profile", path),
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
    let text = std::fs::read(manifest_path(output)).ok()?;
    serde_json::from_slice(&text).ok()
}

/// Records what an output was made from.
pub fn save(output: &Path, manifest: &Manifest) -> Result<(), WriteError> {
    let path = manifest_path(output);
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir).map_err(|source| WriteError {
            path: dir.to_owned(),
            source,
        })?;
    }
    let json = serde_json::to_vec_pretty(manifest).unwrap_or_default();
    output::write_atomic(&path, &json)
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
            .all(|(name, hash)| unchanged(&output.with_file_name(name), hash))
}

/// Whether a file is still the one that was written.
fn unchanged(path: &Path, sha256_hex: &str) -> bool {
    std::fs::read(path).is_ok_and(|bytes| hex(&sha256(&bytes)) == sha256_hex)
}

/// A make rule: `output: prerequisites`, plus an empty rule for each
/// prerequisite so that make does not fail when one is deleted (as
/// `gcc -MP` does).
pub fn make_rule(output: &Path, prerequisites: &[PathBuf]) -> String {
    let escape = |path: &Path| {
        path.display()
            .to_string()
            .replace(' ', "\\ ")
            .replace('$', "$$")
    };
    let mut rule = format!("{}:", escape(output));
    for prerequisite in prerequisites {
        rule.push_str(" \\\n  ");
        rule.push_str(&escape(prerequisite));
    }
    rule.push('\n');
    for prerequisite in prerequisites {
        rule.push_str(&format!("\n{}:\n", escape(prerequisite)));
    }
    rule
}

/// Where the dependency file of an output goes: beside it, `.d` for `.pdf`.
pub fn deps_path(output: &Path) -> PathBuf {
    output.with_extension("d")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn make_rules_escape_and_list_phony_prerequisites() {
        let rule = make_rule(
            Path::new("out/a b.pdf"),
            &[PathBuf::from("in/a b.toml"), PathBuf::from("layouts/x.typ")],
        );
        assert_eq!(
            rule,
            "out/a\\ b.pdf: \\\n  in/a\\ b.toml \\\n  layouts/x.typ\n\nin/a\\ b.toml:\n\nlayouts/x.typ:\n"
        );
    }

    #[test]
    fn manifests_live_in_a_state_folder_beside_the_output() {
        assert_eq!(
            manifest_path(Path::new("output/a.pdf")),
            PathBuf::from("output/.cvgen/a.pdf.json")
        );
        assert_eq!(
            deps_path(Path::new("output/a.pdf")),
            PathBuf::from("output/a.d")
        );
    }
}
