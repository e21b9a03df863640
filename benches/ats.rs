//! The ATS report: what applicant tracking systems read of cvgen's PDFs.
//!
//! ```text
//! cargo bench --bench ats              # print the figures
//! cargo bench --bench ats -- --check   # and exit 1 below the bar
//! ```
//!
//! It renders every sample profile of `input/` in every layout `cvgen
//! layouts` lists, in the variants long, onepage, anon and anon-onepage,
//! with the fixed words in English, German and French, and reads each PDF
//! back with the extractors resume parsers are built on: poppler's
//! `pdftotext`, pdfminer.six, pypdf and PyMuPDF (each with its defaults),
//! beside cvgen's own (`cvgen check --ats`) and lopdf's `extract_text` (a
//! line per text object, so only its words count). Each reading is reviewed
//! against the layout data the document was made from (see `cvgen::ats`):
//! the share of the profile's words read whole and in order, and what reads
//! badly (headings sharing a line, broken contacts, page furniture inside
//! the text, a value crossing a page, dates away from their entry).
//!
//! The Python extractors run from a virtual environment:
//!
//! ```text
//! python3 -m venv target/ats-venv
//! target/ats-venv/bin/pip install -r benches/ats/requirements.txt
//! ```
//!
//! (`ATS_PYTHON` names another interpreter that has them.)
//!
//! `--check` fails if any extractor but lopdf reads a document below 99.5%
//! or with a finding. `--profiles DIR` reads the profiles of another folder
//! instead, each in its own language.

// A report may stop on what it controls.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;

use cvgen::ats;
use serde_json::Value as Json;

const CVGEN: &str = env!("CARGO_BIN_EXE_cvgen");
const LANGS: [&str; 3] = ["en", "de", "fr"];
const VARIANTS: &str = "long,onepage,anon,anon-onepage";
const MIN_RECALL: f64 = 0.995;
/// The extractors of `benches/ats/extract.py`, with the names they print.
const PYTHON_EXTRACTORS: [(&str, &str); 3] = [
    ("pdfminer", "pdfminer.six"),
    ("pypdf", "pypdf"),
    ("pymupdf", "PyMuPDF"),
];

/// A rendered PDF and the layout data it was made from.
struct Document {
    label: String,
    pdf: PathBuf,
    data: Json,
}

/// One extractor's readings.
struct Tally {
    name: String,
    /// Counts words only: lopdf breaks lines at every text object.
    words_only: bool,
    documents: usize,
    words: usize,
    read: usize,
    recalls: Vec<f64>,
    findings: Vec<String>,
}

impl Tally {
    fn new(name: &str) -> Self {
        Self {
            name: name.to_owned(),
            words_only: false,
            documents: 0,
            words: 0,
            read: 0,
            recalls: Vec::new(),
            findings: Vec::new(),
        }
    }

    fn add(&mut self, document: &Document, pages: &ats::Pages) {
        let mut review = ats::review(&document.data, pages);
        if self.words_only {
            review.findings.retain(|f| {
                !matches!(
                    f,
                    ats::Finding::HeadingNotAlone { .. } | ats::Finding::DatesApart { .. }
                )
            });
        }
        self.documents += 1;
        self.words += review.words;
        self.read += review.read;
        self.recalls.push(review.recall());
        for finding in &review.findings {
            self.findings.push(format!("{}: {finding}", document.label));
        }
    }

    fn lowest(&self) -> f64 {
        self.recalls.iter().copied().fold(1.0, f64::min)
    }
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let check = args.iter().any(|a| a == "--check");
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    let profiles = args
        .iter()
        .position(|a| a == "--profiles")
        .map(|at| std::path::absolute(args.get(at + 1).expect("--profiles DIR")).unwrap());
    // The samples with the fixed words in each language; other profiles in
    // their own.
    let langs: Vec<Option<&str>> = match profiles {
        Some(_) => vec![None],
        None => LANGS.into_iter().map(Some).collect(),
    };
    let profiles = profiles.unwrap_or_else(|| repo.join("input"));
    let python = extractors(repo);
    let scratch = tempfile::tempdir().unwrap();
    let layouts = layouts(repo);
    let mut documents = Vec::new();
    for &lang in &langs {
        for layout in &layouts {
            documents.extend(render(repo, &profiles, scratch.path(), layout, lang));
        }
    }

    let mut tallies = Vec::new();
    let mut tally = Tally::new("pdftotext");
    for document in &documents {
        tally.add(document, &poppler(&document.pdf));
    }
    tallies.push(tally);
    for (extractor, name) in PYTHON_EXTRACTORS {
        let mut tally = Tally::new(name);
        let mut readings = python_readings(&python, repo, extractor, &documents);
        for document in &documents {
            let pages = readings.remove(&document.pdf).unwrap();
            tally.add(document, &pages);
        }
        tallies.push(tally);
    }
    let mut cvgen = Tally::new("cvgen");
    let mut lopdf = Tally::new("lopdf (words)");
    lopdf.words_only = true;
    for document in &documents {
        let bytes = std::fs::read(&document.pdf).unwrap();
        cvgen.add(document, &ats::read(&bytes).unwrap());
        lopdf.add(document, &lopdf_reading(&bytes));
    }
    tallies.extend([cvgen, lopdf]);

    println!(
        "{} profiles of {} x {} layouts ({}) x 4 variants x {}\n",
        std::fs::read_dir(&profiles).unwrap().count(),
        profiles.display(),
        layouts.len(),
        layouts.join(", "),
        match langs.as_slice() {
            [None] => "their own language".to_owned(),
            _ => format!("{} languages", langs.len()),
        }
    );
    println!(
        "{:<15} {:>9} {:>8} {:>8} {:>8} {:>9}",
        "extractor", "documents", "words", "recall", "lowest", "findings"
    );
    let mut failed = false;
    for tally in &tallies {
        println!(
            "{:<15} {:>9} {:>8} {:>7.2}% {:>7.2}% {:>9}",
            tally.name,
            tally.documents,
            tally.words,
            tally.read as f64 / tally.words.max(1) as f64 * 100.0,
            tally.lowest() * 100.0,
            tally.findings.len()
        );
        if !tally.words_only && (tally.lowest() < MIN_RECALL || !tally.findings.is_empty()) {
            failed = true;
        }
    }
    for tally in &tallies {
        for finding in &tally.findings {
            println!("  {}: {finding}", tally.name);
        }
    }
    if check && failed {
        eprintln!(
            "error: an extractor reads a document below {:.1}% or badly",
            MIN_RECALL * 100.0
        );
        std::process::exit(1);
    }
}

/// Checks that every extractor is there, or exits saying how to get it:
/// the report is not the report without them. The interpreter that has
/// the Python ones.
fn extractors(repo: &Path) -> PathBuf {
    let python = std::env::var_os("ATS_PYTHON")
        .map(PathBuf::from)
        .unwrap_or_else(|| repo.join("target/ats-venv/bin/python"));
    let probe = Command::new(&python)
        .args(["-c", "import pdfminer, pypdf, pymupdf"])
        .output();
    if !probe.is_ok_and(|out| out.status.success()) {
        eprintln!(
            "error: the report reads with pdfminer.six, pypdf and PyMuPDF, which {} does not have:\n  \
             python3 -m venv target/ats-venv\n  \
             target/ats-venv/bin/pip install -r benches/ats/requirements.txt",
            python.display()
        );
        std::process::exit(2);
    }
    if Command::new("pdftotext").arg("-v").output().is_err() {
        eprintln!("error: the report needs poppler's pdftotext (apt-get install poppler-utils)");
        std::process::exit(2);
    }
    python
}

/// The layouts `cvgen layouts` lists: the names before the blank line.
fn layouts(repo: &Path) -> Vec<String> {
    let output = Command::new(CVGEN)
        .current_dir(repo)
        .arg("layouts")
        .output()
        .unwrap();
    assert!(output.status.success(), "cvgen layouts failed");
    String::from_utf8(output.stdout)
        .unwrap()
        .lines()
        .take_while(|line| !line.is_empty())
        .filter(|line| !line.starts_with(char::is_whitespace))
        .map(str::to_owned)
        .collect()
}

/// Renders the profiles in a layout (and language, if one is given), with
/// their layout data.
fn render(
    repo: &Path,
    profiles: &Path,
    scratch: &Path,
    layout: &str,
    lang: Option<&str>,
) -> Vec<Document> {
    let lang = lang.map(|lang| ("--set", format!("lang={lang}")));
    let tag = lang.as_ref().map_or("own", |(_, set)| &set[5..]).to_owned();
    let out = scratch.join(format!("{tag}-{layout}"));
    let emitted = scratch.join(format!("emitted-{tag}-{layout}"));
    let status = Command::new(CVGEN)
        .current_dir(repo)
        .arg("render")
        .arg(profiles)
        .args(["--layout", layout])
        .args(lang.iter().flat_map(|(flag, set)| [*flag, set.as_str()]))
        .args(["--variant", VARIANTS, "-q", "-o"])
        .arg(&out)
        .arg("--emit-typst")
        .arg(&emitted)
        .status()
        .unwrap();
    assert!(status.success(), "cvgen render failed");
    let mut documents: Vec<Document> = std::fs::read_dir(&emitted)
        .unwrap()
        .map(|entry| {
            let project = entry.unwrap().path();
            let name = project.file_name().unwrap().to_string_lossy().into_owned();
            let data = std::fs::read_to_string(project.join("cv.json")).unwrap();
            Document {
                label: format!("{tag} {layout} {name}.pdf"),
                pdf: out.join(format!("{name}.pdf")),
                data: serde_json::from_str(&data).unwrap(),
            }
        })
        .collect();
    documents.sort_by(|a, b| a.pdf.cmp(&b.pdf));
    documents
}

/// poppler's reading: pages split at form feeds.
fn poppler(pdf: &Path) -> ats::Pages {
    let output = Command::new("pdftotext")
        .arg(pdf)
        .arg("-")
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "pdftotext failed on {}",
        pdf.display()
    );
    let text = String::from_utf8_lossy(&output.stdout);
    let mut pages: ats::Pages = text.split('\x0c').map(lines).collect();
    if pages.last().is_some_and(Vec::is_empty) {
        pages.pop();
    }
    pages
}

/// One Python extractor's readings of every document, in one process.
fn python_readings(
    python: &Path,
    repo: &Path,
    extractor: &str,
    documents: &[Document],
) -> BTreeMap<PathBuf, ats::Pages> {
    let output = Command::new(python)
        .arg(repo.join("benches/ats/extract.py"))
        .arg(extractor)
        .args(documents.iter().map(|d| &d.pdf))
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "{extractor} failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    let read: BTreeMap<PathBuf, Vec<String>> = serde_json::from_slice(&output.stdout).unwrap();
    read.into_iter()
        .map(|(pdf, pages)| (pdf, pages.iter().map(|page| lines(page)).collect()))
        .collect()
}

/// lopdf's reading, page by page.
fn lopdf_reading(pdf: &[u8]) -> ats::Pages {
    let doc = lopdf::Document::load_mem(pdf).unwrap();
    doc.get_pages()
        .keys()
        .map(|&n| lines(&doc.extract_text(&[n]).unwrap()))
        .collect()
}

fn lines(text: &str) -> Vec<String> {
    text.lines()
        .map(|line| line.split_whitespace().collect::<Vec<_>>().join(" "))
        .filter(|line| !line.is_empty())
        .collect()
}
