//! Helpers for tests that run the real binary and read the PDFs it writes.

use std::ffi::OsStr;
use std::path::{Path, PathBuf};
use std::process::{Child, Command};

/// The repository root, where `input/` and `layouts/` live.
pub fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// A `cvgen` command running in `dir`, built up with [`Cvgen::args`] and
/// finished with [`Cvgen::ok`] (exit 0 expected), [`Cvgen::fails`] (a given
/// exit code expected) or [`Cvgen::run`] (whatever happens).
pub fn cvgen(dir: &Path) -> Cvgen {
    let mut command = Command::new(env!("CARGO_BIN_EXE_cvgen"));
    command
        .current_dir(dir)
        .env_remove("SOURCE_DATE_EPOCH")
        .env_remove("CVGEN_ANON_KEY");
    Cvgen { command }
}

/// A run of the binary being put together.
pub struct Cvgen {
    command: Command,
}

/// What a finished run of the binary left.
pub struct Ran {
    /// The exit code; `None` if a signal ended the process.
    pub code: Option<i32>,
    pub stdout: Vec<u8>,
    /// Standard error as text, for messages and assertions.
    pub stderr: String,
}

impl Cvgen {
    pub fn arg(mut self, arg: impl AsRef<OsStr>) -> Self {
        self.command.arg(arg);
        self
    }

    pub fn args<I: IntoIterator<Item = S>, S: AsRef<OsStr>>(mut self, args: I) -> Self {
        self.command.args(args);
        self
    }

    pub fn env(mut self, key: &str, value: impl AsRef<OsStr>) -> Self {
        self.command.env(key, value);
        self
    }

    /// Runs to the end. A panic is never an acceptable way to end.
    pub fn run(mut self) -> Ran {
        let output = self.command.output().expect("cvgen runs");
        let ran = Ran {
            code: output.status.code(),
            stdout: output.stdout,
            stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
        };
        assert!(
            !ran.stderr.contains("panicked") && ran.code != Some(101),
            "cvgen panicked:\n{}",
            ran.stderr
        );
        ran
    }

    /// Runs to the end and expects success.
    pub fn ok(self) -> Ran {
        let ran = self.run();
        assert_eq!(ran.code, Some(0), "cvgen failed:\n{}", ran.stderr);
        ran
    }

    /// Runs to the end and expects exit code `code`.
    pub fn fails(self, code: i32) -> Ran {
        let ran = self.run();
        assert_eq!(
            ran.code,
            Some(code),
            "expected exit {code}:\n{}",
            ran.stderr
        );
        ran
    }

    /// Starts the run without waiting for it.
    pub fn spawn(mut self) -> Child {
        self.command.spawn().expect("cvgen starts")
    }
}

/// A scratch job-search repository holding copies of the sample profiles
/// in `input/`.
pub fn job_search_repo() -> tempfile::TempDir {
    let dir = scratch();
    for entry in std::fs::read_dir(repo().join("input")).unwrap() {
        let path = entry.unwrap().path();
        std::fs::create_dir_all(dir.path().join("input")).unwrap();
        std::fs::copy(
            &path,
            dir.path().join("input").join(path.file_name().unwrap()),
        )
        .unwrap();
    }
    dir
}

/// Copies the example job applications (`applications/`) into a scratch
/// repository made by [`job_search_repo`].
pub fn copy_applications(dir: &Path) {
    std::fs::create_dir_all(dir.join("applications")).unwrap();
    for name in ["acme-backend.toml", "globex-devrel.toml"] {
        std::fs::copy(
            repo().join("applications").join(name),
            dir.join("applications").join(name),
        )
        .unwrap();
    }
}

/// A fresh temporary folder.
pub fn scratch() -> tempfile::TempDir {
    tempfile::tempdir().expect("temporary folder")
}

/// Writes a file, creating its folder.
pub fn write(path: &Path, text: &str) {
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).expect("create folder");
    }
    std::fs::write(path, text).expect("write file");
}

/// The text of a PDF, page by page, as a text extractor reads it.
pub fn pdf_pages(path: &Path) -> Vec<String> {
    let bytes = std::fs::read(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    pdf_extract::extract_text_from_mem_by_pages(&bytes)
        .unwrap_or_else(|e| panic!("{}: cannot extract text: {e}", path.display()))
}

/// The whole text of a PDF.
pub fn pdf_text(path: &Path) -> String {
    pdf_pages(path).join("\n")
}

/// The text of a long-form PDF without its page furniture: the "Page n of N"
/// footer of each page and the running header (`name`) from page 2 on.
pub fn body_text(path: &Path, name: Option<&str>) -> String {
    let pages = pdf_pages(path);
    let count = pages.len();
    let mut body = Vec::new();
    for (index, page) in pages.into_iter().enumerate() {
        let mut page = page;
        let footer = format!("Page {} of {count}", index + 1);
        if let Some(at) = page.rfind(&footer) {
            page.replace_range(at..at + footer.len(), "");
        }
        if let Some(name) = name.filter(|_| index > 0)
            && let Some(at) = page.find(name)
        {
            page.replace_range(at..at + name.len(), "");
        }
        body.push(page);
    }
    body.join("\n")
}

/// The built-in layouts.
pub const LAYOUTS: [&str; 4] = ["classic", "modern", "compact", "academic"];

/// The number of pages of a PDF.
pub fn page_count(path: &Path) -> usize {
    lopdf::Document::load(path)
        .unwrap_or_else(|e| panic!("{}: not a PDF: {e}", path.display()))
        .get_pages()
        .len()
}

/// Text with all whitespace removed, for comparisons that must not depend on
/// where lines break or how justified text is spaced.
pub fn squash(text: &str) -> String {
    text.chars()
        .filter(|c| !c.is_whitespace() && *c != '\u{ad}')
        .collect()
}

/// Asserts that `needles` occur in `haystack` in this order (after squashing
/// whitespace), naming the first one that is missing or out of order.
pub fn assert_in_order(haystack: &str, needles: &[String], what: &str) {
    let hay = squash(haystack);
    let mut from = 0;
    for needle in needles {
        let needle_sq = squash(needle);
        match hay[from..].find(&needle_sq) {
            Some(at) => from += at + needle_sq.len(),
            None if hay.contains(&needle_sq) => panic!("{what}: out of order: {needle:?}"),
            None => panic!("{what}: missing: {needle:?}"),
        }
    }
}

/// The anonymized PDFs in a folder (`candidate-*`), sorted.
pub fn candidates(dir: &Path) -> Vec<PathBuf> {
    let mut found: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| {
            p.file_name()
                .and_then(|n| n.to_str())
                .is_some_and(|n| n.starts_with("candidate-"))
        })
        .collect();
    found.sort();
    found
}

/// All bytes of a PDF an extractor can reach: the file as written and every
/// stream decompressed.
pub fn all_bytes(path: &Path) -> Vec<u8> {
    let mut bytes = std::fs::read(path).unwrap();
    let mut doc = lopdf::Document::load(path).unwrap();
    doc.decompress();
    let mut plain = Vec::new();
    doc.save_to(&mut plain).unwrap();
    bytes.extend(plain);
    bytes
}

/// The text of a PDF as a reader that honours `/ActualText` gets it (as
/// poppler and Acrobat do), glyph by glyph in the order they are drawn:
/// where a marked-content span gives the actual text of its glyphs, that
/// text instead of theirs; elsewhere each glyph's entry in its font's
/// Unicode map. Left-to-right text comes out in reading order; right-to-left
/// text in drawing order, which is reading order reversed.
pub fn drawn_text(path: &Path) -> String {
    use lopdf::{Document, Object, content::Content};

    let doc = Document::load(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let mut text = String::new();
    for (_, page) in doc.get_pages() {
        let maps: std::collections::BTreeMap<Vec<u8>, std::collections::BTreeMap<u32, String>> =
            doc.get_page_fonts(page)
                .unwrap()
                .into_iter()
                .map(|(name, font)| {
                    let map = font
                        .get(b"ToUnicode")
                        .and_then(|o| o.as_reference())
                        .and_then(|id| doc.get_object(id))
                        .and_then(|o| o.as_stream())
                        .and_then(|s| s.decompressed_content())
                        .map(|bytes| unicode_map(&bytes))
                        .unwrap_or_default();
                    (name, map)
                })
                .collect();
        let content = Content::decode(&doc.get_page_content(page).unwrap()).unwrap();
        let mut font = Vec::new();
        // Open marked-content sections; `Some` for those giving actual text.
        let mut marked: Vec<Option<String>> = Vec::new();
        for op in content.operations {
            let inside_actual = marked.iter().any(Option::is_some);
            match op.operator.as_str() {
                "BDC" => {
                    let actual = op
                        .operands
                        .get(1)
                        .and_then(|o| o.as_dict().ok())
                        .and_then(|d| {
                            d.get(b"ActualText")
                                .ok()
                                .and_then(|t| t.as_str().ok())
                                .map(utf16)
                        });
                    if let Some(actual) = &actual
                        && !inside_actual
                    {
                        text.push_str(actual);
                    }
                    marked.push(actual);
                }
                "BMC" => marked.push(None),
                "EMC" => {
                    marked.pop();
                }
                "Tf" => font = op.operands[0].as_name().unwrap().to_vec(),
                "Tj" | "TJ" | "'" | "\"" if !inside_actual => {
                    let strings: Vec<&[u8]> = op
                        .operands
                        .iter()
                        .flat_map(|o| match o {
                            Object::Array(items) => items.iter().collect(),
                            other => vec![other],
                        })
                        .filter_map(|o| o.as_str().ok())
                        .collect();
                    let map = &maps[&font];
                    for string in strings {
                        for code in string.chunks(2) {
                            let code = code.iter().fold(0u32, |n, b| n << 8 | u32::from(*b));
                            text.push_str(map.get(&code).map_or("", String::as_str));
                        }
                    }
                }
                "ET" => text.push('\n'),
                _ => {}
            }
        }
    }
    text
}

/// A `/ToUnicode` CMap's `bfchar` and `bfrange` entries, code to text.
fn unicode_map(cmap: &[u8]) -> std::collections::BTreeMap<u32, String> {
    let cmap = String::from_utf8_lossy(cmap);
    let hex = |s: &str| -> Vec<u8> {
        let s = s.trim_matches(|c| c == '<' || c == '>');
        (0..s.len() / 2)
            .map(|i| u8::from_str_radix(&s[2 * i..2 * i + 2], 16).unwrap())
            .collect()
    };
    let number = |s: &str| hex(s).iter().fold(0u32, |n, b| n << 8 | u32::from(*b));
    let mut map = std::collections::BTreeMap::new();
    let mut section = "";
    for line in cmap.lines().map(str::trim) {
        if line.ends_with("beginbfchar") || line.ends_with("beginbfrange") {
            section = if line.ends_with("beginbfchar") {
                "char"
            } else {
                "range"
            };
            continue;
        }
        if line.starts_with("endbf") {
            section = "";
            continue;
        }
        let fields: Vec<&str> = line.split_whitespace().collect();
        match (section, fields.as_slice()) {
            ("char", [code, target]) => {
                map.insert(number(code), utf16(&hex(target)));
            }
            ("range", [from, to, target]) if target.starts_with('<') => {
                let first = utf16(&hex(target));
                for (i, code) in (number(from)..=number(to)).enumerate() {
                    let mut units: Vec<u16> = first.encode_utf16().collect();
                    if let Some(last) = units.last_mut() {
                        *last += i as u16;
                    }
                    map.insert(code, String::from_utf16_lossy(&units));
                }
            }
            _ => {}
        }
    }
    map
}

/// UTF-16BE bytes (with or without a byte-order mark) as text.
fn utf16(bytes: &[u8]) -> String {
    let bytes = bytes.strip_prefix(&[0xfe, 0xff]).unwrap_or(bytes);
    let units: Vec<u16> = bytes
        .chunks(2)
        .map(|pair| u16::from_be_bytes([pair[0], *pair.get(1).unwrap_or(&0)]))
        .collect();
    String::from_utf16_lossy(&units)
}

/// Sends a signal (`"-INT"`, `"-TERM"`) to a child and waits for it to
/// exit, at most 30 seconds: a process that does not stop is a failure.
pub fn signal_and_wait(child: &mut std::process::Child, signal: &str) -> std::process::ExitStatus {
    let status = std::process::Command::new("kill")
        .args([signal, &child.id().to_string()])
        .status()
        .unwrap();
    assert!(status.success());
    let start = std::time::Instant::now();
    loop {
        if let Some(exit) = child.try_wait().unwrap() {
            return exit;
        }
        assert!(
            start.elapsed() < std::time::Duration::from_secs(30),
            "the process did not stop on {signal}"
        );
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
}

/// A profile's TOML as one of its languages reads it: every table of
/// translations (keys that are all language codes) replaced by the text in
/// `language`.
pub fn in_language(value: &toml::Value, language: &str) -> toml::Value {
    let code = |key: &str| {
        let primary = key.split('-').next().unwrap_or_default();
        (2..=3).contains(&primary.len()) && primary.bytes().all(|b| b.is_ascii_lowercase())
    };
    match value {
        toml::Value::Table(table)
            if !table.is_empty()
                && table.keys().all(|k| code(k))
                && table.contains_key(language) =>
        {
            in_language(&table[language], language)
        }
        toml::Value::Table(table) => toml::Value::Table(
            table
                .iter()
                .map(|(k, v)| (k.clone(), in_language(v, language)))
                .collect(),
        ),
        toml::Value::Array(items) => {
            toml::Value::Array(items.iter().map(|v| in_language(v, language)).collect())
        }
        other => other.clone(),
    }
}
