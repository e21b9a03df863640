//! `--emit-typst`: a document as a self-contained Typst project, to hand-tune
//! a final version with the `typst` CLI or to compare against it.
//!
//! The project mirrors the sandbox a job compiled in, holding only what the
//! compile read: the layout files under `layouts/`, the data as `cv.json`,
//! the prepared photo as `photo.jpg`, files of the profile's folder under
//! `profile/`. For a one-page document the data is the fitted one, with the
//! content and typography the fit chose. Compile it with
//!
//! ```text
//! typst compile --root P --font-path fonts P/layouts/<layout>.typ out.pdf
//! ```

use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use crate::layout::Layouts;
use crate::output;
use crate::typst::world::Dependency;

/// What one document's project holds.
pub struct Project<'a> {
    pub data: &'a [u8],
    /// The prepared photo, if the layout placed it, and the profile's path
    /// to its original.
    pub photo: Option<(&'a [u8], &'a Path)>,
    pub dependencies: &'a [(Dependency, [u8; 32])],
    pub layouts: &'a Layouts,
    pub profile_dir: &'a Path,
}

/// The project folder of the document written to `output`: `DIR/<stem>/`.
pub fn project_dir(dir: &Path, output: &Path) -> PathBuf {
    let stem = output
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    dir.join(stem)
}

impl Project<'_> {
    /// Writes the project into `dir`, replacing what an earlier run left.
    pub fn write(&self, dir: &Path) -> io::Result<()> {
        if dir.exists() {
            fs::remove_dir_all(dir)?;
        }
        let put = |relative: &str, bytes: &[u8]| {
            let path = dir.join(relative);
            if let Some(parent) = path.parent() {
                fs::create_dir_all(parent)?;
            }
            output::write_atomic(&path, bytes).map_err(|err| io::Error::other(err.to_string()))
        };
        put("cv.json", self.data)?;
        if let Some((photo, _)) = self.photo {
            put("photo.jpg", photo)?;
        }
        let original = self.photo.map(|(_, original)| original);
        for (dependency, _) in self.dependencies {
            match dependency {
                Dependency::Layout(path) => {
                    if let Some(file) = self.layouts.file(path) {
                        put(&format!("layouts/{path}"), &file.bytes)?;
                    }
                }
                // The photo's original never leaves the profile's folder:
                // the project has the prepared copy.
                Dependency::Profile(relative) if original == Some(Path::new(relative)) => {}
                Dependency::Profile(relative) => {
                    let bytes = fs::read(self.profile_dir.join(relative))?;
                    put(&format!("profile/{relative}"), &bytes)?;
                }
                // Installed fonts stay where they are: `typst compile`
                // finds them as cvgen did (`--font-path` for the others).
                Dependency::Font(_) => {}
                // The project has the references as formatted (and, for an
                // anonymized document, redacted) in its data.
                Dependency::Bibliography(_) => {}
            }
        }
        Ok(())
    }
}
