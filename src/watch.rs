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
    let mut files = Watched::new(config);
    // Taken before the render, so that a save during it is not lost.
    let before = files.snapshot();
    line(&render(config, "rendered", &mut files, &mut event));
    let mut last = carry(&before, files.snapshot());
    crate::typst::compile::keep_warm();
    line("watching for changes (Ctrl-C stops)");
    while !stop.load(Ordering::Relaxed) {
        std::thread::sleep(POLL);
        if files.snapshot() == last {
            continue;
        }
        let settled = files.settled();
        let changed = changes(&last, &settled);
        line(&render(config, &changed.join(", "), &mut files, &mut event));
        last = carry(&settled, files.snapshot());
    }
    Ok(())
}

/// The files a watch looks at: the inputs and the layouts folder, and
/// beside them whatever the last render read (a profile an application
/// names in another folder, a photo, a font file); never the outputs.
struct Watched {
    roots: Vec<PathBuf>,
    out_dir: Option<PathBuf>,
    exe: Option<PathBuf>,
    read: Vec<PathBuf>,
}

impl Watched {
    fn new(config: &RenderConfig) -> Self {
        let mut roots = config.inputs.clone();
        roots.push(
            config
                .layouts_dir
                .clone()
                .unwrap_or_else(|| PathBuf::from("layouts")),
        );
        Self {
            roots,
            out_dir: config.write.as_ref().map(|w| w.out_dir.clone()),
            exe: std::env::current_exe().ok(),
            read: Vec::new(),
        }
    }

    /// The watched files and their stamps now. The output folder may sit
    /// inside a watched one; its files are not inputs.
    fn snapshot(&self) -> BTreeMap<PathBuf, Stamp> {
        let mut all = self.roots.clone();
        all.extend(
            self.read
                .iter()
                .filter(|p| Some(*p) != self.exe.as_ref())
                .cloned(),
        );
        let files = snapshot(&all);
        match &self.out_dir {
            Some(out) => files
                .into_iter()
                .filter(|(p, _)| !p.starts_with(out))
                .collect(),
            None => files,
        }
    }

    /// The files once a save has finished: when they hold still.
    fn settled(&self) -> BTreeMap<PathBuf, Stamp> {
        let mut settled = self.snapshot();
        loop {
            std::thread::sleep(SETTLE);
            let again = self.snapshot();
            if again == settled {
                return settled;
            }
            settled = again;
        }
    }
}

/// Renders once, notes what the render read, and says in one line what
/// was made and how long it took.
fn render(
    config: &RenderConfig,
    why: &str,
    files: &mut Watched,
    event: &mut dyn FnMut(Event),
) -> String {
    let started = Instant::now();
    let summary = match batch::run(config, &mut *event) {
        Ok(summary) => summary,
        Err(err) => return format!("{why}: {err}"),
    };
    files.read = summary.inputs.clone();
    let made: Vec<String> = summary
        .outcomes
        .iter()
        .filter_map(|o| match o {
            Outcome::Made { output, .. } => Some(display(output)),
            _ => None,
        })
        .collect();
    format!(
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
    )
}

/// What changed between two snapshots: files new or changed, and files
/// removed.
fn changes(last: &BTreeMap<PathBuf, Stamp>, now: &BTreeMap<PathBuf, Stamp>) -> Vec<String> {
    now.iter()
        .filter(|(path, stamp)| last.get(*path) != Some(stamp))
        .map(|(path, _)| display(path))
        .chain(
            last.keys()
                .filter(|path| !now.contains_key(*path))
                .map(|path| format!("{} (removed)", display(path))),
        )
        .collect()
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
