//! Which profile writes which output, across runs and processes.
//!
//! One run refuses two jobs that would write one file (see
//! `plan::outputs`), but make runs one process per profile: two profiles
//! of one person (the same candidate id) or with the same `[output] name`
//! would each replace the other's file on every `make`, and make would
//! never settle. So a job claims its file when it writes it: a small file
//! in `<out>/.cvgen/claims/` names the output and its profile. Another
//! profile's claim refuses the write, unless that profile no longer exists
//! (renamed or deleted), when the claim passes on.
//!
//! A claim is a hard link to one file per profile that names it
//! (`<profile hash>.profile`): linking is as exclusive as creating a file,
//! and costs no new inode, which on a busy file system is most of what
//! creating a small file costs. Where links cannot be made, the claim is a
//! file of its own with the same text.

use std::io::Write;
use std::path::{Path, PathBuf};

use crate::hash::{hex, sha256};
use crate::incremental::STATE_DIR;

/// A file of the claims folder named by the hash of `key`.
fn claims_file(out_dir: &Path, key: &[u8], extension: &str) -> PathBuf {
    let digest = hex(&sha256(key));
    out_dir
        .join(STATE_DIR)
        .join("claims")
        .join(format!("{}.{extension}", &digest[..32]))
}

/// The claim file of an output.
fn claim_path(out_dir: &Path, output: &Path) -> PathBuf {
    let relative = output.strip_prefix(out_dir).unwrap_or(output);
    claims_file(out_dir, relative.to_string_lossy().as_bytes(), "claim")
}

/// A profile as claims name it: its canonical path, so that `a.toml` and
/// `./a.toml` are one profile.
fn identity(path: &Path) -> PathBuf {
    std::fs::canonicalize(path).unwrap_or_else(|_| path.to_owned())
}

/// The file a profile's claims link to.
fn profile_file(out_dir: &Path, source: &Path) -> PathBuf {
    claims_file(out_dir, source.as_os_str().as_encoded_bytes(), "profile")
}

/// The profile that holds the claim, if it still exists. Its last line
/// names it (claims of cvgen before links had the output on the first).
fn holder(claim: &Path) -> Option<PathBuf> {
    let text = std::fs::read_to_string(claim).ok()?;
    let owner = PathBuf::from(text.lines().rfind(|line| !line.is_empty())?);
    owner.exists().then_some(owner)
}

/// Makes `path` a claim for `source`, failing with `AlreadyExists` when
/// there is one: a link to the profile's file, or a file of its own.
fn make_claim(out_dir: &Path, path: &Path, source: &Path) -> std::io::Result<()> {
    let text = format!("{}\n", source.display());
    let target = profile_file(out_dir, source);
    // The profile's file is written whole (never seen half-written) and
    // always with the same text: its name is the hash of that text's path.
    let linked = match std::fs::hard_link(&target, path) {
        Err(err) if err.kind() == std::io::ErrorKind::NotFound => {
            crate::output::write_atomic(&target, text.as_bytes()).map_err(|err| err.source)?;
            std::fs::hard_link(&target, path)
        }
        linked => linked,
    };
    match linked {
        Err(err) if err.kind() != std::io::ErrorKind::AlreadyExists => write_new(path, &text),
        linked => linked,
    }
}

/// Creates `path` with `text`, failing if it exists.
fn write_new(path: &Path, text: &str) -> std::io::Result<()> {
    let mut file = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(path)?;
    file.write_all(text.as_bytes())
}

/// Another existing profile that claimed `output`, if one did.
pub fn other_owner(out_dir: &Path, output: &Path, source: &Path) -> Option<PathBuf> {
    holder(&claim_path(out_dir, output)).filter(|owner| *owner != identity(source))
}

/// Claims `output` for `source` before it is written, or says which other
/// profile holds it. An unreadable claim, or one of a profile that is gone,
/// passes to `source`. Claims are made with `create_new`, so of two
/// processes racing for one file, one wins and the other is told.
pub fn claim(out_dir: &Path, output: &Path, source: &Path) -> Result<(), PathBuf> {
    let path = claim_path(out_dir, output);
    let source = identity(source);
    if let Some(dir) = path.parent() {
        // Without the folder there is nothing to claim with; writing the
        // output fails on its own if the folder cannot be written.
        if std::fs::create_dir_all(dir).is_err() {
            return Ok(());
        }
    }
    // A claim taken over is removed and made again; three tries settle it
    // even when another process races for it.
    for _ in 0..3 {
        match make_claim(out_dir, &path, &source) {
            Ok(()) => return Ok(()),
            Err(err) if err.kind() == std::io::ErrorKind::AlreadyExists => match holder(&path) {
                Some(owner) if owner == source => return Ok(()),
                Some(owner) => return Err(owner),
                None => {
                    let _ = std::fs::remove_file(&path);
                }
            },
            Err(_) => return Ok(()),
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_claim_holds_for_its_profile_and_passes_when_the_profile_is_gone() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("out");
        let (a, b) = (dir.path().join("a.toml"), dir.path().join("b.toml"));
        std::fs::write(&a, "").unwrap();
        std::fs::write(&b, "").unwrap();
        let pdf = out.join("candidate-x.pdf");
        assert_eq!(claim(&out, &pdf, &a), Ok(()));
        assert_eq!(claim(&out, &pdf, &a), Ok(()), "its own claim");
        assert_eq!(claim(&out, &pdf, &b), Err(identity(&a)));
        assert_eq!(other_owner(&out, &pdf, &b), Some(identity(&a)));
        assert_eq!(other_owner(&out, &pdf, &a), None);
        std::fs::remove_file(&a).unwrap();
        assert_eq!(claim(&out, &pdf, &b), Ok(()), "a is gone: b takes it");
        assert_eq!(other_owner(&out, &pdf, &b), None);
    }

    #[test]
    fn a_claim_made_before_claims_were_links_still_holds() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("out");
        let (a, b) = (dir.path().join("a.toml"), dir.path().join("b.toml"));
        std::fs::write(&a, "").unwrap();
        std::fs::write(&b, "").unwrap();
        let pdf = out.join("cv.pdf");
        let old = claim_path(&out, &pdf);
        std::fs::create_dir_all(old.parent().unwrap()).unwrap();
        std::fs::write(&old, format!("cv.pdf\n{}\n", identity(&a).display())).unwrap();
        assert_eq!(claim(&out, &pdf, &b), Err(identity(&a)));
        assert_eq!(claim(&out, &pdf, &a), Ok(()));
    }
}
