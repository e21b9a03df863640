//! Reading what a user names: only regular files, and never more than a
//! limit, whatever the file's metadata claims. A FIFO would block a run
//! forever and `/dev/zero` would fill memory; both are refused.

use std::io::{self, Read};
use std::path::{Path, PathBuf};

/// Why a file could not be read.
#[derive(Debug)]
pub enum ReadError {
    /// A folder, FIFO, device or socket.
    NotAFile,
    /// More than the limit: `size` is what was seen, at least limit + 1.
    TooLarge {
        size: u64,
    },
    Io(io::Error),
}

/// Reads a regular file of at most `limit` bytes.
pub fn read_limited(path: &Path, limit: u64) -> Result<Vec<u8>, ReadError> {
    let metadata = std::fs::metadata(path).map_err(ReadError::Io)?;
    if !metadata.is_file() {
        return Err(ReadError::NotAFile);
    }
    if metadata.len() > limit {
        return Err(ReadError::TooLarge {
            size: metadata.len(),
        });
    }
    let file = std::fs::File::open(path).map_err(ReadError::Io)?;
    let mut bytes = Vec::with_capacity(metadata.len() as usize);
    // The file may have grown since, or lie about its size.
    file.take(limit + 1)
        .read_to_end(&mut bytes)
        .map_err(ReadError::Io)?;
    if bytes.len() as u64 > limit {
        return Err(ReadError::TooLarge {
            size: bytes.len() as u64,
        });
    }
    Ok(bytes)
}

/// Why a file named below a folder could not be read.
#[derive(Debug)]
pub enum InsideError {
    /// The folder or the file does not resolve (missing, unreadable):
    /// the path that failed, and why.
    Unresolved(PathBuf, io::Error),
    /// It resolves outside the folder (a symlink pointing elsewhere, `..`):
    /// the path as joined, and the folder.
    Outside(PathBuf, PathBuf),
    /// It is a folder.
    Folder,
    /// It cannot be read: the path as joined, and why.
    Read(PathBuf, ReadError),
}

/// A file below `dir` as read: its path from the folder (`/`-separated,
/// links resolved) and its bytes.
pub struct Inside {
    pub relative: String,
    pub bytes: Vec<u8>,
}

/// Reads `relative` below `dir` with links resolved, refusing anything that
/// resolves outside the folder, a folder, anything that is not a regular
/// file and more than `limit` bytes.
pub fn read_inside(dir: &Path, relative: &Path, limit: u64) -> Result<Inside, InsideError> {
    let root = dir
        .canonicalize()
        .map_err(|err| InsideError::Unresolved(dir.to_owned(), err))?;
    let path = root.join(relative);
    let real = path
        .canonicalize()
        .map_err(|err| InsideError::Unresolved(path.clone(), err))?;
    let Ok(inner) = real.strip_prefix(&root) else {
        return Err(InsideError::Outside(path, root));
    };
    let relative = inner.to_string_lossy().replace('\\', "/");
    if real.is_dir() {
        return Err(InsideError::Folder);
    }
    let bytes = read_limited(&real, limit).map_err(|err| InsideError::Read(path, err))?;
    Ok(Inside { relative, bytes })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_regular_files_within_the_limit_are_read() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a.toml");
        std::fs::write(&path, b"12345").unwrap();
        assert_eq!(read_limited(&path, 5).unwrap(), b"12345");
        assert!(matches!(
            read_limited(&path, 4),
            Err(ReadError::TooLarge { size: 5 })
        ));
        assert!(matches!(
            read_limited(dir.path(), 5),
            Err(ReadError::NotAFile)
        ));
        #[cfg(unix)]
        assert!(matches!(
            read_limited(Path::new("/dev/zero"), 5),
            Err(ReadError::NotAFile)
        ));
    }

    #[test]
    fn only_files_inside_the_folder_are_read() {
        let outer = tempfile::tempdir().unwrap();
        let dir = outer.path().join("profile");
        std::fs::create_dir_all(dir.join("sub")).unwrap();
        std::fs::write(dir.join("sub/a.bib"), b"x").unwrap();
        std::fs::write(outer.path().join("secret"), b"s").unwrap();
        let inside = read_inside(&dir, Path::new("sub/../sub/a.bib"), 5).unwrap();
        assert_eq!(
            (inside.relative.as_str(), inside.bytes.as_slice()),
            ("sub/a.bib", &b"x"[..])
        );
        assert!(matches!(
            read_inside(&dir, Path::new("../secret"), 5),
            Err(InsideError::Outside(..))
        ));
        assert!(matches!(
            read_inside(&dir, Path::new("sub"), 5),
            Err(InsideError::Folder)
        ));
        assert!(matches!(
            read_inside(&dir, Path::new("missing"), 5),
            Err(InsideError::Unresolved(..))
        ));
        assert!(matches!(
            read_inside(&dir, Path::new("sub/a.bib"), 0),
            Err(InsideError::Read(_, ReadError::TooLarge { size: 1 }))
        ));
        #[cfg(unix)]
        {
            std::os::unix::fs::symlink(outer.path().join("secret"), dir.join("link")).unwrap();
            assert!(matches!(
                read_inside(&dir, Path::new("link"), 5),
                Err(InsideError::Outside(..))
            ));
        }
    }
}
