//! Watch-mode latency: from the write of a one-word edit of a two-page
//! profile to the last of its three PDFs (long, one-page, anonymized)
//! renamed into place, with `cvgen watch` running.
//!
//! ```text
//! cargo bench --bench watch              # 40 edits
//! cargo bench --bench watch -- 100       # another count
//! ```
//!
//! Each edit rewrites the profile in place with one word changed; the
//! latency ends when all three outputs are new files (a new inode: cvgen
//! renames each finished PDF into place). Prints the median, p95 and
//! slowest.

// A benchmark may stop on what it controls.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::os::unix::fs::MetadataExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

const CVGEN: &str = env!("CARGO_BIN_EXE_cvgen");

fn inode(path: &Path) -> Option<u64> {
    std::fs::metadata(path).ok().map(|m| m.ino())
}

fn main() {
    let edits: usize = std::env::args()
        .skip(1)
        .find_map(|a| a.parse().ok())
        .unwrap_or(40);
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(dir.path().join("input")).unwrap();
    let profile = dir.path().join("input/reed-allman.toml");
    let text = std::fs::read_to_string(repo.join("input/reed-allman.toml")).unwrap();
    std::fs::write(&profile, &text).unwrap();
    let outputs: Vec<PathBuf> = ["reed-allman.pdf", "reed-allman-onepage.pdf"]
        .iter()
        .map(|name| dir.path().join("output").join(name))
        .collect();
    let mut child = Command::new(CVGEN)
        .current_dir(dir.path())
        .args(["watch", "input"])
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let anonymized = || -> Option<PathBuf> {
        std::fs::read_dir(dir.path().join("output"))
            .ok()?
            .flatten()
            .map(|e| e.path())
            .find(|p| {
                p.file_name()
                    .unwrap()
                    .to_string_lossy()
                    .starts_with("candidate-")
            })
    };
    let start = Instant::now();
    while outputs.iter().any(|p| !p.exists()) || anonymized().is_none() {
        assert!(start.elapsed() < Duration::from_secs(60), "no first render");
        std::thread::sleep(Duration::from_millis(10));
    }
    let mut files = outputs.clone();
    files.push(anonymized().unwrap());
    // Let the first render finish its writes.
    std::thread::sleep(Duration::from_millis(300));
    let mut latencies = Vec::new();
    for i in 0..edits {
        let before: Vec<Option<u64>> = files.iter().map(|p| inode(p)).collect();
        let word = if i % 2 == 0 {
            "Self-employed"
        } else {
            "Self Employed"
        };
        let edited = text.replace("Self Employed", word);
        let written = Instant::now();
        std::fs::write(&profile, edited).unwrap();
        loop {
            let now: Vec<Option<u64>> = files.iter().map(|p| inode(p)).collect();
            if now.iter().zip(&before).all(|(a, b)| a != b) {
                break;
            }
            assert!(
                written.elapsed() < Duration::from_secs(30),
                "edit {i} never rendered"
            );
            std::thread::sleep(Duration::from_micros(200));
        }
        latencies.push(written.elapsed());
        std::thread::sleep(Duration::from_millis(100));
    }
    let _ = Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status();
    let _ = child.wait();
    latencies.sort();
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    let at = |q: f64| latencies[((latencies.len() - 1) as f64 * q).round() as usize];
    println!(
        "watch: {edits} one-word edits of a 2-page profile, 3 PDFs each: median {:.1} ms, p95 {:.1} ms, slowest {:.1} ms",
        ms(at(0.5)),
        ms(at(0.95)),
        ms(*latencies.last().unwrap())
    );
}
