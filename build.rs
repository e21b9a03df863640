//! Names this build of cvgen by its sources: the Rust code, the built-in
//! layouts and language files compiled into it, and the locked versions of
//! its dependencies (Typst among them). A document made by another build
//! of the same version is made again rather than kept as "unchanged"
//! (`key` in src/job/write.rs).

use std::fs;
use std::path::{Path, PathBuf};

fn main() {
    let roots = ["src", "layouts", "Cargo.lock"];
    let mut files = Vec::new();
    for root in roots {
        println!("cargo:rerun-if-changed={root}");
        collect(Path::new(root), &mut files);
    }
    files.sort();
    // FNV-1a, 64 bits: stable across toolchains, and enough to tell builds
    // apart (it guards no secret).
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    let mut feed = |bytes: &[u8]| {
        for byte in bytes {
            hash ^= u64::from(*byte);
            hash = hash.wrapping_mul(0x0100_0000_01b3);
        }
    };
    for file in &files {
        let bytes = fs::read(file).unwrap_or_default();
        feed(file.to_string_lossy().replace('\\', "/").as_bytes());
        feed(&(bytes.len() as u64).to_le_bytes());
        feed(&bytes);
    }
    println!("cargo:rustc-env=CVGEN_SOURCES={hash:016x}");
}

fn collect(path: &Path, files: &mut Vec<PathBuf>) {
    if path.is_file() {
        files.push(path.to_owned());
    } else if let Ok(entries) = fs::read_dir(path) {
        for entry in entries.flatten() {
            collect(&entry.path(), files);
        }
    }
}
