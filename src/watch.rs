//! `cvgen watch`: render, then render again whenever a watched file
//! changes, until Ctrl-C.
//!
//! Watching is by polling the files' metadata (size, modification time,
//! inode) every few milliseconds. That sees every way editors save: in
//! place, truncate-and-write, and write-a-copy-then-rename (which replaces
//! the inode a kernel watch was following), on every platform, with no
//! watch descriptors to run out of; a stat of a few dozen files costs
//! microseconds. A change waits until the files hold still for a moment
//! (an editor's save is several writes), then one render runs over all
//! inputs: documents whose inputs did not change are skipped as in any
//! incremental run, so only what the change affects is compiled. Between
//! renders the process keeps Typst's memoized layout warm.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant, SystemTime};

use crate::batch::{self, Event};
use crate::config::RenderConfig;
use crate::job::Outcome;

/// How often the files are looked at.
const POLL: Duration = Duration::from_millis(2);

/// How long the files must hold still before a render.
const SETTLE: Duration = Duration::from_millis(4);

/// The most folders a watch walks: a tree larger than this is no job
/// search, and walking it every 2 ms would cost more than it is worth.
const MAX_FOLDERS: usize = 10_000;

/// What a file looked like: size, modification time, inode.
type Stamp = (u64, Option<SystemTime>, u64);

/// The watched files and how they looked.
fn snapshot(roots: &[PathBuf]) -> BTreeMap<PathBuf, Stamp> {
    let mut files = BTreeMap::new();
    let mut stack: Vec<PathBuf> = roots.to_vec();
    // Each real folder once: a symlink to a folder above (`a -> .`) would
    // otherwise be walked forever.
    let mut folders = std::collections::HashSet::new();
    while let Some(path) = stack.pop() {
        let Ok(meta) = std::fs::metadata(&path) else {
            continue;
        };
        if meta.is_dir() {
            let real = std::fs::canonicalize(&path).unwrap_or_else(|_| path.clone());
            if !folders.insert(real) || folders.len() > MAX_FOLDERS {
                continue;
            }
            if let Ok(entries) = std::fs::read_dir(&path) {
                for entry in entries.flatten() {
                    let name = entry.file_name();
                    // Editors' swap and backup files, and cvgen's own
                    // temporaries, are not inputs.
                    let name = name.to_string_lossy();
                    if !name.starts_with('.') && !name.ends_with('~') && !name.ends_with(".swp") {
                        stack.push(entry.path());
                    }
                }
            }
        } else {
            files.insert(path, stamp(&meta));
        }
    }
    files
}

#[cfg(unix)]
fn stamp(meta: &std::fs::Metadata) -> Stamp {
    use std::os::unix::fs::MetadataExt;
    (meta.len(), meta.modified().ok(), meta.ino())
}

#[cfg(not(unix))]
fn stamp(meta: &std::fs::Metadata) -> Stamp {
    (meta.len(), meta.modified().ok(), 0)
}

/// Watches `config.inputs`, the user layouts folder and the photos beside
/// the profiles; renders on every change until `stop` is set. `line`
/// prints one line per render.
pub(crate) fn watch(
    config: &RenderConfig,
    stop: Arc<AtomicBool>,
    mut line: impl FnMut(&str),
    mut event: impl FnMut(Event),
) -> Result<(), crate::error::SetupError> {
    let mut roots = config.inputs.clone();
    roots.push(
        config
            .layouts_dir
            .clone()
            .unwrap_or_else(|| PathBuf::from("layouts")),
    );
    let out_dir = config.write.as_ref().map(|w| w.out_dir.clone());
    // The output folder may sit inside a watched one; its files are not inputs.
    let watched = |files: BTreeMap<PathBuf, Stamp>| -> BTreeMap<PathBuf, Stamp> {
        match &out_dir {
            Some(out) => files
                .into_iter()
                .filter(|(p, _)| !p.starts_with(out))
                .collect(),
            None => files,
        }
    };
    // Beside the inputs: whatever the last render read (a profile an
    // application names in another folder, a photo, a font file).
    let exe = std::env::current_exe().ok();
    let mut read: Vec<PathBuf> = Vec::new();
    let all = |read: &[PathBuf]| -> Vec<PathBuf> {
        let mut all = roots.clone();
        all.extend(read.iter().filter(|p| Some(*p) != exe.as_ref()).cloned());
        all
    };
    let run = |why: &str,
               read: &mut Vec<PathBuf>,
               line: &mut dyn FnMut(&str),
               event: &mut dyn FnMut(Event)| {
        let started = Instant::now();
        match batch::run(config, &mut *event) {
            Ok(summary) => {
                *read = summary.inputs.clone();
                let made: Vec<String> = summary
                    .outcomes
                    .iter()
                    .filter_map(|o| match o {
                        Outcome::Made { output, .. } => Some(display(output)),
                        _ => None,
                    })
                    .collect();
                line(&format!(
                    "{why}: {} made, {} unchanged, {} failed in {} ms{}",
                    made.len(),
                    summary.unchanged(),
                    summary.failures(),
                    started.elapsed().as_millis(),
                    if made.is_empty() {
                        String::new()
                    } else {
                        format!(" ({})", made.join(", "))
                    }
                ));
            }
            Err(err) => line(&format!("{why}: {err}")),
        }
    };
    // Taken before the render, so that a save during it is not lost.
    let before = watched(snapshot(&all(&read)));
    run("rendered", &mut read, &mut line, &mut event);
    let mut last = carry(&before, watched(snapshot(&all(&read))));
    crate::typst::compile::keep_warm();
    line("watching for changes (Ctrl-C stops)");
    while !stop.load(Ordering::Relaxed) {
        std::thread::sleep(POLL);
        let now = watched(snapshot(&all(&read)));
        if now == last {
            continue;
        }
        // Wait for the save to finish: the files must hold still.
        let mut settled = now;
        loop {
            std::thread::sleep(SETTLE);
            let again = watched(snapshot(&all(&read)));
            if again == settled {
                break;
            }
            settled = again;
        }
        let changed: Vec<String> = settled
            .iter()
            .filter(|(path, stamp)| last.get(*path) != Some(stamp))
            .map(|(path, _)| display(path))
            .chain(
                last.keys()
                    .filter(|path| !settled.contains_key(*path))
                    .map(|path| format!("{} (removed)", display(path))),
            )
            .collect();
        run(&changed.join(", "), &mut read, &mut line, &mut event);
        last = carry(&settled, watched(snapshot(&all(&read))));
    }
    Ok(())
}

/// The watch after a render: what it read may differ (a new photo), so the
/// files it started or stopped reading join or leave the watch as they are
/// now; the others keep the state the render started from, so that a save
/// made during the render is seen next.
fn carry(
    before: &BTreeMap<PathBuf, Stamp>,
    now: BTreeMap<PathBuf, Stamp>,
) -> BTreeMap<PathBuf, Stamp> {
    now.into_iter()
        .map(|(path, stamp)| match before.get(&path) {
            Some(earlier) => (path, *earlier),
            None => (path, stamp),
        })
        .collect()
}

fn display(path: &Path) -> String {
    path.display().to_string()
}
