//! What was sent where: once an application is sent (`sent = <date>`, or a
//! `status` past draft), its documents are kept as they were sent. A record
//! beside its manifests (`<out>/<application>/.cvgen/sent.json`) holds the
//! date, the hash of its inputs (application, profile, posting) and of every
//! document; later runs leave the documents alone and say when the inputs
//! have changed since, until `--force` makes them again on purpose.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::error::WriteError;
use crate::hash::{hex, sha256};
use crate::incremental::{self, STATE_DIR};

/// The record of a sent application's documents.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Record {
    /// The day it was sent, as the application says (`2026-11-20`), or
    /// empty if it says only its status.
    pub sent: String,
    pub status: String,
    /// The hash of everything the documents were made from.
    pub inputs_sha256: String,
    /// Every file of its documents, by name, with its hash when sent.
    pub documents: Vec<(String, String)>,
}

/// Where the record of an application whose documents go to `dir` lives.
pub fn record_path(dir: &Path) -> PathBuf {
    dir.join(STATE_DIR).join("sent.json")
}

pub fn load(dir: &Path) -> Option<Record> {
    incremental::load_json(&record_path(dir))
}

pub fn save(dir: &Path, record: &Record) -> Result<(), WriteError> {
    incremental::save_json(&record_path(dir), record)
}

/// The hash of a file as it is now, if it can be read.
pub fn file_hash(path: &Path) -> Option<String> {
    std::fs::read(path).ok().map(|bytes| hex(&sha256(&bytes)))
}

/// What changed since an application's documents (in `dir`) were sent.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Since {
    /// Its inputs hash otherwise now (`inputs`, the plan's hash).
    pub inputs_changed: bool,
    /// Every document the record names is still as it was sent.
    pub intact: bool,
}

impl Record {
    pub fn since(&self, dir: &Path, inputs: &[u8; 32]) -> Since {
        Since {
            inputs_changed: self.inputs_sha256 != hex(inputs),
            intact: self
                .documents
                .iter()
                .all(|(name, hash)| file_hash(&dir.join(name)).as_deref() == Some(hash.as_str())),
        }
    }
}
