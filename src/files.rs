//! Reading what a user names: only regular files, and never more than a
//! limit, whatever the file's metadata claims. A FIFO would block a run
//! forever and `/dev/zero` would fill memory; both are refused.

use std::io::{self, Read};
use std::path::Path;

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
}
