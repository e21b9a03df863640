//! The sandboxed Typst world every job compiles in.
//!
//! It serves exactly four things: the layout files (at `/layouts/...`), the
//! job's data (at `/cv.json`), its photo re-encoded without metadata (at
//! `/photo.jpg`), and files inside the profile's own folder (at
//! `/profile/...`). Nothing else on disk is reachable: `..` is refused by the
//! virtual paths, and a symlink in the profile folder that resolves outside it
//! is refused here. `today()` is fixed, so output does not depend on the clock.

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, OnceLock};

use typst::diag::{FileError, FileResult};
use typst::foundations::{Bytes, Datetime, Duration};
use typst::syntax::{FileId, RootedPath, Source, VirtualPath, VirtualRoot};
use typst::text::{Font, FontBook};
use typst::utils::LazyHash;
use typst::{Library, LibraryExt, World};
use typst_kit::diagnostics::DiagnosticWorld;

use super::fonts::Fonts;
use crate::files::{self, InsideError, ReadError};
use crate::layout::{self, Layouts};
use crate::photo::{PHOTO_PATH, Photo};

/// The virtual path of a job's data.
pub const DATA_PATH: &str = "/cv.json";
/// The virtual folder of the layout files.
pub const LAYOUTS_ROOT: &str = "/layouts";
/// The virtual folder mapped to the profile's folder.
pub const PROFILE_ROOT: &str = "/profile";

/// Typst's standard library, the same for every run of the process.
static LIBRARY: OnceLock<LazyHash<Library>> = OnceLock::new();

/// The standard library, built on first use (by another thread if
/// [`prepare_library`] started it: this then waits for it).
fn library() -> &'static LazyHash<Library> {
    LIBRARY.get_or_init(|| LazyHash::new(Library::builder().build()))
}

/// Starts building the standard library on another thread, so that a
/// fresh process (a make step) builds it while it plans, not after: about
/// 3 ms of a make step's 30-90.
pub fn prepare_library() {
    let _ = std::thread::Builder::new().spawn(library);
}

/// What all jobs of a run share: the standard library, the fonts, the parsed
/// layout sources and the fixed date. Built once, read by every worker.
pub struct Environment {
    library: &'static LazyHash<Library>,
    fonts: std::sync::Arc<Fonts>,
    layouts: HashMap<FileId, LayoutSource>,
    today: Datetime,
    data_id: FileId,
    photo_id: FileId,
}

struct LayoutSource {
    source: Source,
    bytes: Bytes,
    hash: [u8; 32],
    name: String,
    /// Path below the layouts root (`lib/cv.typ`).
    path: String,
}

/// A file a compile read, for incremental builds and make dependencies.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum Dependency {
    /// A layout file, by path below the layouts root.
    Layout(String),
    /// A file in the profile's folder, by path relative to it.
    Profile(String),
    /// A font file on disk (not an embedded font), by path.
    Font(String),
    /// A bibliography in the profile's folder, by path relative to it:
    /// read while planning, it reaches the layout formatted, never as a file.
    Bibliography(String),
}

/// Interns a path below the project root. The set of paths is fixed per run
/// (file ids are process-wide and never freed), never one per document.
pub fn file_id(path: &str) -> Option<FileId> {
    Some(RootedPath::new(VirtualRoot::Project, VirtualPath::new(path).ok()?).intern())
}

impl Environment {
    pub fn new(layouts: &Layouts, fonts: std::sync::Arc<Fonts>, today: Datetime) -> Self {
        let mut sources = HashMap::new();
        for (path, file) in layouts.files() {
            let Some(id) = file_id(&format!("{LAYOUTS_ROOT}/{path}")) else {
                continue;
            };
            let text = String::from_utf8_lossy(&file.bytes).into_owned();
            let layout = LayoutSource {
                source: Source::new(id, text),
                bytes: Bytes::new(file.bytes.clone()),
                hash: crate::hash::sha256(&file.bytes),
                name: layout::display_path(path, &file.origin),
                path: path.to_owned(),
            };
            sources.insert(id, layout);
        }
        let data_id = file_id(DATA_PATH).unwrap_or_else(|| unreachable!("constant path is valid"));
        let photo_id =
            file_id(PHOTO_PATH).unwrap_or_else(|| unreachable!("constant path is valid"));
        Self {
            library: library(),
            fonts,
            layouts: sources,
            today,
            data_id,
            photo_id,
        }
    }

    pub fn fonts(&self) -> &Fonts {
        &self.fonts
    }

    /// The run's fixed day (`SOURCE_DATE_EPOCH`'s, or a constant).
    pub fn today(&self) -> Datetime {
        self.today
    }

    /// The current hash of a layout file, by path below the layouts root.
    pub fn layout_hash(&self, path: &str) -> Option<[u8; 32]> {
        self.layouts
            .values()
            .find(|layout| layout.path == path)
            .map(|layout| layout.hash)
    }
}

/// One job's world: the shared environment plus this job's data and folder.
pub struct JobWorld<'a> {
    env: &'a Environment,
    main: FileId,
    data: Bytes,
    profile_dir: PathBuf,
    profile_name: Arc<str>,
    /// The prepared photo, served at `/photo.jpg`, and the profile's path to
    /// the original.
    photo: Option<(Bytes, String, [u8; 32])>,
    /// Whether a compile read the photo.
    photo_served: AtomicBool,
    /// Files read so far, with their bytes' hash.
    read: Mutex<BTreeMap<Dependency, [u8; 32]>>,
}

impl<'a> JobWorld<'a> {
    /// A world whose main file is the layout `name`, reading `data` as
    /// `/cv.json`, the prepared photo (with the profile's path to its
    /// original) as `/photo.jpg`, and files below `profile_dir` as
    /// `/profile/...`.
    pub fn new(
        env: &'a Environment,
        layout: &str,
        data: Bytes,
        photo: Option<(&Photo, &Path)>,
        profile_dir: &Path,
        profile_name: &str,
    ) -> Option<Self> {
        let main = file_id(&format!("{LAYOUTS_ROOT}/{layout}.typ"))?;
        let photo = photo.map(|(photo, original)| {
            (
                Bytes::new(photo.jpeg.clone()),
                original.to_string_lossy().into_owned(),
                photo.source_sha256,
            )
        });
        Some(Self {
            env,
            main,
            data,
            photo_served: AtomicBool::new(false),
            profile_dir: profile_dir.to_owned(),
            profile_name: profile_name.into(),
            photo,
            read: Mutex::new(BTreeMap::new()),
        })
    }

    /// The files the compiles in this world read, with their hashes.
    pub fn dependencies(&self) -> BTreeMap<Dependency, [u8; 32]> {
        self.read
            .lock()
            .map(|read| read.clone())
            .unwrap_or_default()
    }

    /// The prepared photo's bytes, if a compile in this world read them.
    pub fn served_photo(&self) -> Option<Bytes> {
        self.photo
            .as_ref()
            .filter(|_| self.photo_served.load(Ordering::Relaxed))
            .map(|(bytes, _, _)| bytes.clone())
    }

    fn record(&self, dependency: Dependency, hash: impl FnOnce() -> [u8; 32]) {
        if let Ok(mut read) = self.read.lock() {
            read.entry(dependency).or_insert_with(hash);
        }
    }

    /// Reads a file the profile names, refusing anything outside its folder.
    fn profile_file(&self, relative: &str) -> FileResult<Bytes> {
        read_profile_file(&self.profile_dir, relative)
    }
}

/// The largest file from a profile's folder a layout may read.
const MAX_PROFILE_FILE: u64 = 40_000_000;

/// Reads a file below a profile's folder, refusing anything that resolves
/// outside it (a symlink pointing elsewhere, say), anything that is not a
/// regular file, and anything over [`MAX_PROFILE_FILE`].
pub fn read_profile_file(profile_dir: &Path, relative: &str) -> FileResult<Bytes> {
    match files::read_inside(profile_dir, Path::new(relative), MAX_PROFILE_FILE) {
        Ok(inside) => Ok(Bytes::new(inside.bytes)),
        Err(InsideError::Unresolved(path, err)) => Err(FileError::from_io(err, &path)),
        Err(InsideError::Outside(path, root)) => Err(FileError::Other(Some(
            format!(
                "{} resolves outside the profile's folder {}",
                path.display(),
                root.display()
            )
            .into(),
        ))),
        Err(InsideError::Folder) => Err(FileError::IsDirectory),
        Err(InsideError::Read(path, ReadError::Io(err))) => Err(FileError::from_io(err, &path)),
        Err(InsideError::Read(path, ReadError::NotAFile)) => Err(FileError::Other(Some(
            format!("{} is not a regular file", path.display()).into(),
        ))),
        Err(InsideError::Read(path, ReadError::TooLarge { .. })) => Err(FileError::Other(Some(
            format!(
                "{} is larger than the {} MB a layout may read",
                path.display(),
                MAX_PROFILE_FILE / 1_000_000
            )
            .into(),
        ))),
    }
}

impl World for JobWorld<'_> {
    fn library(&self) -> &LazyHash<Library> {
        self.env.library
    }

    fn book(&self) -> &LazyHash<FontBook> {
        self.env.fonts.store.book()
    }

    fn main(&self) -> FileId {
        self.main
    }

    fn source(&self, id: FileId) -> FileResult<Source> {
        match self.env.layouts.get(&id) {
            Some(layout) => {
                self.record(Dependency::Layout(layout.path.clone()), || layout.hash);
                Ok(layout.source.clone())
            }
            None if id == self.env.data_id || id == self.env.photo_id || self.file(id).is_ok() => {
                Err(FileError::NotSource)
            }
            None => Err(not_found(id)),
        }
    }

    fn file(&self, id: FileId) -> FileResult<Bytes> {
        if id == self.env.data_id {
            return Ok(self.data.clone());
        }
        if id == self.env.photo_id
            && let Some((bytes, original, hash)) = &self.photo
        {
            self.record(Dependency::Profile(original.clone()), || *hash);
            self.photo_served.store(true, Ordering::Relaxed);
            return Ok(bytes.clone());
        }
        if let Some(layout) = self.env.layouts.get(&id) {
            self.record(Dependency::Layout(layout.path.clone()), || layout.hash);
            return Ok(layout.bytes.clone());
        }
        let path = id.get().vpath().get_with_slash();
        match path
            .strip_prefix(PROFILE_ROOT)
            .and_then(|rest| rest.strip_prefix('/'))
        {
            Some(relative) if *id.get().root() == VirtualRoot::Project => {
                let bytes = self.profile_file(relative)?;
                self.record(Dependency::Profile(relative.to_owned()), || {
                    crate::hash::sha256(&bytes)
                });
                Ok(bytes)
            }
            _ => Err(not_found(id)),
        }
    }

    fn font(&self, index: usize) -> Option<Font> {
        if let Some(Some(file)) = self.env.fonts.files.get(index) {
            let path = file.path.to_string_lossy().into_owned();
            self.record(Dependency::Font(path), || file.stamp);
        }
        self.env.fonts.store.font(index)
    }

    fn today(&self, _offset: Option<Duration>) -> Option<Datetime> {
        Some(self.env.today)
    }
}

impl DiagnosticWorld for JobWorld<'_> {
    fn name(&self, id: FileId) -> String {
        if id == self.env.data_id {
            return format!("{} (data)", self.profile_name);
        }
        match self.env.layouts.get(&id) {
            Some(layout) => layout.name.clone(),
            None => id.get().vpath().get_with_slash().to_string(),
        }
    }
}

fn not_found(id: FileId) -> FileError {
    FileError::NotFound(PathBuf::from(id.get().vpath().get_with_slash()))
}

/// The date documents are made on: `SOURCE_DATE_EPOCH` when set, otherwise a
/// fixed day, so that nothing depends on the clock.
pub fn today(source_date_epoch: Option<&str>) -> Datetime {
    let fixed = || Datetime::from_ymd(2000, 1, 1).unwrap_or_else(|| unreachable!("valid date"));
    let Some(seconds) = crate::calendar::epoch_seconds(source_date_epoch) else {
        return fixed();
    };
    let (year, month, day) = crate::calendar::civil_from_days(seconds.div_euclid(86_400));
    i32::try_from(year)
        .ok()
        .and_then(|year| Datetime::from_ymd(year, month, day))
        .unwrap_or_else(fixed)
}
