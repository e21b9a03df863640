//! A plain Typst world over a project folder, as the `typst` command line
//! builds one: files by path below the root, fonts from a folder, a fixed
//! date. The emitted-project test compiles with it in-process, so it needs
//! no `typst` binary on the machine.

use std::path::{Path, PathBuf};

use typst::diag::{FileError, FileResult};
use typst::foundations::{Bytes, Datetime, Duration};
use typst::syntax::{FileId, RootedPath, Source, VirtualPath, VirtualRoot};
use typst::text::{Font, FontBook};
use typst::utils::LazyHash;
use typst::{Library, LibraryExt, World};
use typst_layout::PagedDocument;

pub struct ProjectWorld {
    root: PathBuf,
    main: FileId,
    library: LazyHash<Library>,
    book: LazyHash<FontBook>,
    fonts: Vec<Font>,
}

impl ProjectWorld {
    /// A world over `root` whose main file is `main` (relative to it), with
    /// every font file directly inside `fonts`.
    pub fn new(root: &Path, main: &str, fonts: &Path) -> Self {
        let mut found = Vec::new();
        let mut paths: Vec<PathBuf> = std::fs::read_dir(fonts)
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| p.extension().is_some_and(|e| e == "ttf" || e == "otf"))
            .collect();
        paths.sort();
        for path in paths {
            found.extend(Font::iter(Bytes::new(std::fs::read(path).unwrap())));
        }
        Self {
            root: root.to_owned(),
            main: id(&format!("/{main}")),
            library: LazyHash::new(Library::builder().build()),
            book: LazyHash::new(FontBook::from_fonts(&found)),
            fonts: found,
        }
    }

    /// Compiles the main file to PDF bytes, panicking with Typst's messages.
    pub fn pdf(&self) -> Vec<u8> {
        let document = typst::compile::<PagedDocument>(self)
            .output
            .unwrap_or_else(|errors| panic!("{}: {errors:?}", self.root.display()));
        typst_pdf::pdf(&document, &typst_pdf::PdfOptions::default())
            .unwrap_or_else(|errors| panic!("{}: {errors:?}", self.root.display()))
    }

    fn path(&self, id: FileId) -> PathBuf {
        self.root
            .join(id.get().vpath().get_with_slash().trim_start_matches('/'))
    }
}

fn id(path: &str) -> FileId {
    RootedPath::new(VirtualRoot::Project, VirtualPath::new(path).unwrap()).intern()
}

impl World for ProjectWorld {
    fn library(&self) -> &LazyHash<Library> {
        &self.library
    }

    fn book(&self) -> &LazyHash<FontBook> {
        &self.book
    }

    fn main(&self) -> FileId {
        self.main
    }

    fn source(&self, id: FileId) -> FileResult<Source> {
        let bytes = self.file(id)?;
        let text = std::str::from_utf8(&bytes).map_err(|_| FileError::InvalidUtf8)?;
        Ok(Source::new(id, text.to_owned()))
    }

    fn file(&self, id: FileId) -> FileResult<Bytes> {
        let path = self.path(id);
        std::fs::read(&path)
            .map(Bytes::new)
            .map_err(|err| FileError::from_io(err, &path))
    }

    fn font(&self, index: usize) -> Option<Font> {
        self.fonts.get(index).cloned()
    }

    fn today(&self, _offset: Option<Duration>) -> Option<Datetime> {
        Datetime::from_ymd(2000, 1, 1)
    }
}
