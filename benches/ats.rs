//! The ATS report: what applicant tracking systems read of cvgen's PDFs.
//!
//! ```text
//! cargo bench --bench ats              # print the figures
//! cargo bench --bench ats -- --check   # and exit 1 below the bar
//! ```
//!
//! It renders every sample profile of `input/` in every built-in layout, in
//! the variants long, onepage, anon and anon-onepage, with the fixed words
//! in English, German and French, and reads each PDF back with three
//! extractors: poppler's `pdftotext` (what most tracking systems build on;
//! it must be installed), cvgen's own (`cvgen check --ats`), and lopdf's
//! `extract_text` (a line per text object, so only its words count). Each
//! reading is reviewed against the layout data the document was made from
//! (see `cvgen::ats`): the share of the profile's words read whole and in
//! order, and what reads badly (headings sharing a line, broken contacts,
//! page furniture inside the text, dates away from their entry).
//!
//! `--check` fails if poppler or cvgen reads any document below 99.5% or
//! with a finding.

// A report may stop on what it controls.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::{Path, PathBuf};
use std::process::Command;

use cvgen::ats;
use serde_json::Value as Json;

const CVGEN: &str = env!("CARGO_BIN_EXE_cvgen");
const LAYOUTS: [&str; 3] = ["classic", "modern", "compact"];
const LANGS: [&str; 3] = ["en", "de", "fr"];
const MIN_RECALL: f64 = 0.995;

/// One extractor's readings.
#[derive(Default)]
struct Tally {
    documents: usize,
    words: usize,
    read: usize,
    recalls: Vec<f64>,
    findings: Vec<String>,
}

fn main() {
    let check = std::env::args().any(|a| a == "--check");
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    let scratch = tempfile::tempdir().unwrap();
    if Command::new("pdftotext").arg("-v").output().is_err() {
        eprintln!("error: the report needs poppler's pdftotext (apt-get install poppler-utils)");
        std::process::exit(2);
    }
    let mut tallies: Vec<(&str, Tally)> = ["pdftotext", "cvgen", "lopdf (words)"]
        .into_iter()
        .map(|name| (name, Tally::default()))
        .collect();
    for lang in LANGS {
        for layout in LAYOUTS {
            for (pdf, data) in render(repo, scratch.path(), layout, lang) {
                let bytes = std::fs::read(&pdf).unwrap();
                let readings = [poppler(&pdf), ats::read(&bytes).unwrap(), lopdf(&bytes)];
                for ((name, tally), pages) in tallies.iter_mut().zip(readings) {
                    let mut review = ats::review(&data, &pages);
                    if name.starts_with("lopdf") {
                        review.findings.retain(|f| {
                            !matches!(
                                f,
                                ats::Finding::HeadingNotAlone { .. }
                                    | ats::Finding::DatesApart { .. }
                            )
                        });
                    }
                    tally.documents += 1;
                    tally.words += review.words;
                    tally.read += review.read;
                    tally.recalls.push(review.recall());
                    let document = format!(
                        "{lang} {layout} {}",
                        pdf.file_name().unwrap().to_string_lossy()
                    );
                    for finding in &review.findings {
                        tally.findings.push(format!("{document}: {finding}"));
                    }
                }
            }
        }
    }
    println!(
        "{} samples x {} layouts x 4 variants x {} languages\n",
        std::fs::read_dir(repo.join("input")).unwrap().count(),
        LAYOUTS.len(),
        LANGS.len()
    );
    println!(
        "{:<15} {:>9} {:>8} {:>8} {:>8} {:>9}",
        "extractor", "documents", "words", "recall", "lowest", "findings"
    );
    let mut failed = false;
    for (name, tally) in &tallies {
        let lowest = tally.recalls.iter().copied().fold(1.0, f64::min);
        println!(
            "{:<15} {:>9} {:>8} {:>7.2}% {:>7.2}% {:>9}",
            name,
            tally.documents,
            tally.words,
            tally.read as f64 / tally.words.max(1) as f64 * 100.0,
            lowest * 100.0,
            tally.findings.len()
        );
        if !name.starts_with("lopdf") && (lowest < MIN_RECALL || !tally.findings.is_empty()) {
            failed = true;
        }
    }
    for (name, tally) in &tallies {
        for finding in &tally.findings {
            println!("  {name}: {finding}");
        }
    }
    if check && failed {
        eprintln!(
            "error: a document reads below {:.1}% or badly",
            MIN_RECALL * 100.0
        );
        std::process::exit(1);
    }
}

/// Renders the samples in a layout and language; (PDF, layout data) pairs.
fn render(repo: &Path, scratch: &Path, layout: &str, lang: &str) -> Vec<(PathBuf, Json)> {
    let out = scratch.join(format!("{lang}-{layout}"));
    let emitted = scratch.join(format!("emitted-{lang}-{layout}"));
    let status = Command::new(CVGEN)
        .current_dir(repo)
        .args(["render", "input", "--layout", layout, "--set"])
        .arg(format!("lang={lang}"))
        .args(["--variant", "long,onepage,anon,anon-onepage", "-q", "-o"])
        .arg(&out)
        .arg("--emit-typst")
        .arg(&emitted)
        .status()
        .unwrap();
    assert!(status.success(), "cvgen render failed");
    let mut documents: Vec<(PathBuf, Json)> = std::fs::read_dir(&emitted)
        .unwrap()
        .map(|entry| {
            let project = entry.unwrap().path();
            let name = project.file_name().unwrap().to_string_lossy().into_owned();
            let data = std::fs::read_to_string(project.join("cv.json")).unwrap();
            (
                out.join(format!("{name}.pdf")),
                serde_json::from_str(&data).unwrap(),
            )
        })
        .collect();
    documents.sort_by(|a, b| a.0.cmp(&b.0));
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

/// lopdf's reading, page by page.
fn lopdf(pdf: &[u8]) -> ats::Pages {
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
