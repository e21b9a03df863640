//! The anonymizer on names from other places (`tests/fixtures/privacy/`):
//! Chinese, Japanese, Korean, Arabic, Hebrew, Greek and Cyrillic names in
//! their own prose, accents in both Unicode forms, apostrophes, hyphens, a
//! birth date and a city in other written forms, and a person named like
//! ordinary words. Every layout; the PDFs are read back from the written
//! files by a text extractor that shares no code with cvgen (`pdf-extract`,
//! in-process, so the test needs nothing beyond the Rust toolchain; poppler's
//! `pdftotext` reads them the same way, see the README).

use std::path::Path;

use unicode_normalization::UnicodeNormalization;
use unicode_normalization::char::is_combining_mark;

use crate::support::*;

/// What a written PDF says, as an independent extractor reads it: the
/// text `pdf-extract` finds through the fonts' Unicode maps, then the
/// `/ActualText` of marked content in page order, which is where the text
/// of glyphs no font could draw lives (what `pdftotext` reads for them).
fn extracted(pdf: &Path) -> String {
    let mut text = pdf_text(pdf);
    let bytes = all_bytes(pdf);
    let mut actual = Vec::new();
    let needle = b"/ActualText<";
    let mut at = 0;
    while let Some(found) = bytes[at..].windows(needle.len()).position(|w| w == needle) {
        let start = at + found + needle.len();
        let end = start + bytes[start..].iter().position(|b| *b == b'>').unwrap_or(0);
        let hex = std::str::from_utf8(&bytes[start..end]).unwrap_or("");
        let units: Vec<u16> = (0..hex.len() / 4)
            .filter_map(|i| u16::from_str_radix(&hex[i * 4..i * 4 + 4], 16).ok())
            .filter(|unit| *unit != 0xFEFF)
            .collect();
        actual.extend(units);
        at = end;
    }
    text.push('\n');
    text.push_str(&String::from_utf16_lossy(&actual));
    text
}

/// Letters and digits only, decomposed, without accents, lower case: a
/// value is found however it was spaced, accented or punctuated.
fn squashed(text: &str) -> String {
    text.nfkd()
        .filter(|c| !is_combining_mark(*c) && c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .map(|c| if c == 'ς' { 'σ' } else { c })
        .collect()
}

/// Whether extracted text holds a value: as written, or, for right-to-left
/// scripts, reversed (an extractor may give glyphs in visual order).
fn shows(text: &str, value: &str) -> bool {
    let reversed: String = value.chars().rev().collect();
    text.contains(value) || (rtl(value) && text.contains(&reversed))
}

fn rtl(value: &str) -> bool {
    value.chars().any(|c| matches!(c as u32, 0x0590..=0x06FF))
}

/// Per profile: its candidate id, and what must not be in its anonymized
/// PDFs (as `squashed` writes it).
const CASES: &[(&str, &str, &[&str])] = &[
    (
        "zh",
        "p-zh",
        &["王小明", "xiaoming", "xmwangexamplecn", "13800138000"],
    ),
    ("ja", "p-ja", &["佐藤陽翔", "はると", "haruto"]),
    ("ko", "p-ko", &["김민준", "minjun"]),
    (
        "ar",
        "p-ar",
        &["محمد", "الفارسي", "mohammed", "farsi", "muscat", "مسقط"],
    ),
    ("he", "p-he", &["דנה", "כהן", "dana", "cohen"]),
    (
        "el-ru",
        "p-el",
        &[
            "νικοσ",
            "παπαδοπουλοσ",
            "nikos",
            "papadopoulos",
            "николаи",
            "иванов",
        ],
    ),
    (
        "ie",
        "p-ie",
        &[
            "sean",
            "oneill",
            "neill",
            "brady",
            "14031988",
            "14march1988",
            "krakow",
        ],
    ),
    ("de", "p-de", &["jose", "muller", "mueller"]),
    ("common", "p-en", &["willgrantwrote", "grantled"]),
];

#[test]
fn names_in_every_script_and_spelling_leave_no_trace() {
    let fixtures = repo().join("tests/fixtures/privacy");
    for layout in LAYOUTS {
        let out = scratch();
        cvgen(&fixtures)
            .args(["render", ".", "--layout", layout])
            .args(["--ignore-system-fonts", "--font-path"])
            .arg(repo().join("tests/fonts"))
            .args(["--variant", "long,anon,anon-onepage", "-q", "-o"])
            .arg(out.path())
            .args(["--format", "pdf,docx,txt,md"])
            .ok();
        for (stem, id, secrets) in CASES {
            let long = squashed(&extracted(&out.path().join(format!("{stem}.pdf"))));
            // The long form shows the values, so the extractor can see them
            // and their absence below means something. Right-to-left text
            // comes out of the in-process extractor in visual order and in
            // shaped forms (a lam-alef ligature is one letter to it), so
            // there only what the long form shows is checked.
            let probes: Vec<String> = secrets
                .iter()
                .map(|s| squashed(s))
                .filter(|probe| {
                    let shown = shows(&long, probe);
                    assert!(
                        shown || rtl(probe),
                        "{layout}/{stem}: the long form lacks {probe}: {long}"
                    );
                    shown
                })
                .collect();
            assert!(
                probes.len() * 2 > secrets.len(),
                "{layout}/{stem}: {probes:?}"
            );
            for file in [
                format!("candidate-{id}.pdf"),
                format!("candidate-{id}-onepage.pdf"),
            ] {
                let text = squashed(&extracted(&out.path().join(&file)));
                for probe in &probes {
                    assert!(
                        !shows(&text, probe),
                        "{layout}/{file}: {probe} leaked: {text}"
                    );
                }
                assert!(
                    text.contains(&squashed(&format!("Candidate {id}"))),
                    "{text}"
                );
                // The same document as Word, text and Markdown: every part
                // of each, metadata and link targets included.
                for extension in ["docx", "txt", "md"] {
                    let other = out.path().join(&file).with_extension(extension);
                    let text = squashed(&crate::formats::file_text(&other));
                    for probe in &probes {
                        assert!(
                            !shows(&text, probe),
                            "{layout}/{}: {probe} leaked: {text}",
                            other.display()
                        );
                    }
                    assert!(
                        text.contains(&squashed(&format!("Candidate {id}"))),
                        "{}: {text}",
                        other.display()
                    );
                }
            }
        }
    }
}

/// Words of a text with their case, split at anything not a letter.
fn words(text: &str) -> Vec<String> {
    text.split(|c: char| !c.is_alphabetic())
        .filter(|w| !w.is_empty())
        .map(str::to_owned)
        .collect()
}

/// "Will Grant" loses the name and keeps the words: the measure the README
/// quotes (ordinary words kept and lost on this profile).
#[test]
fn a_name_made_of_ordinary_words_keeps_the_words() {
    let fixtures = repo().join("tests/fixtures/privacy");
    let out = scratch();
    cvgen(&fixtures)
        .args([
            "render",
            "common.toml",
            "--variant",
            "long,anon",
            "-q",
            "-o",
        ])
        .arg(out.path())
        .ok();
    let long = words(&extracted(&out.path().join("common.pdf")));
    let anon = words(&extracted(&out.path().join("candidate-p-en.pdf")));
    let count = |words: &[String], word: &str| words.iter().filter(|w| *w == word).count();
    for word in ["will", "grant", "ion"] {
        assert!(count(&long, word) > 0, "the test profile uses {word}");
        assert_eq!(
            count(&anon, word),
            count(&long, word),
            "ordinary `{word}` lost"
        );
    }
    assert_eq!(count(&anon, "Li"), 1, "Li-ion is a word, not the name");
    for name in ["Will", "Grant"] {
        assert_eq!(count(&anon, name), 0, "`{name}` as a name stayed: {anon:?}");
    }
}

/// A key held by the organisation changes every candidate id, so a list of
/// applicants is not enough to re-identify them; without one, the run says
/// so once.
#[test]
fn candidate_ids_come_from_a_key_when_there_is_one() {
    let dir = scratch();
    write(
        &dir.path().join("in/p.toml"),
        "[basics]\nname = \"Pat Doe\"\nemail = \"pat@example.org\"\n",
    );
    write(
        &dir.path().join("in/q.toml"),
        "[basics]\nname = \"Kim Roe\"\n",
    );
    let Ran { stderr, .. } = cvgen(dir.path())
        .args(["render", "in", "--variant", "anon", "-o", "plain"])
        .ok();
    assert_eq!(
        stderr.matches("derived without a key").count(),
        1,
        "{stderr}"
    );
    write(&dir.path().join("key"), "a secret the organisation keeps\n");
    let Ran { stderr, .. } = cvgen(dir.path())
        .args([
            "render",
            "in",
            "--variant",
            "anon",
            "--anon-key-file",
            "key",
            "-o",
            "keyed",
        ])
        .ok();
    assert!(!stderr.contains("without a key"), "{stderr}");
    let plain = candidates(&dir.path().join("plain"));
    let keyed = candidates(&dir.path().join("keyed"));
    assert_eq!((plain.len(), keyed.len()), (2, 2));
    for file in &keyed {
        assert!(!plain.iter().any(|p| p.file_name() == file.file_name()));
    }
    let with_env = cvgen(dir.path())
        .env("CVGEN_ANON_KEY", "a secret the organisation keeps\n")
        .args(["render", "in", "--variant", "anon", "-q", "-o", "env"])
        .ok();
    assert!(with_env.stderr.is_empty(), "{}", with_env.stderr);
    let env: Vec<_> = candidates(&dir.path().join("env"))
        .iter()
        .map(|p| p.file_name().unwrap().to_owned())
        .collect();
    let keyed: Vec<_> = keyed
        .iter()
        .map(|p| p.file_name().unwrap().to_owned())
        .collect();
    assert_eq!(env, keyed, "the same key gives the same ids");
}

/// `-v` says what an anonymized document was cleared of and what it kept
/// that could still point at the person.
#[test]
fn verbose_lists_what_was_redacted_and_what_stayed() {
    let Ran { stderr, .. } = cvgen(&repo())
        .args([
            "render",
            "tests/fixtures/privacy/ie.toml",
            "input/reed-allman.toml",
        ])
        .args(["--variant", "anon", "-v", "-o"])
        .arg(scratch().path())
        .ok();
    assert!(
        stderr.contains("redacted in the text: name ×") && stderr.contains("date ×2"),
        "{stderr}"
    );
    assert!(
        stderr.contains("kept: 4 employer name(s); --anon-employers"),
        "{stderr}"
    );
    assert!(stderr.contains("kept: exact dates"), "{stderr}");
}
