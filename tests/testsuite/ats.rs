//! What an applicant tracking system reads: every sample in every layout,
//! variant and language (English, German, French), read back by two
//! independent text extractors: cvgen's own (a reader of the drawn glyphs,
//! `cvgen::ats::read`) and lopdf's. Each must read the
//! profile's text whole and in its order (recall >= 99.5%), section
//! headings on lines of their own, email, phone and links unbroken, an
//! entry's dates on its head's lines, and page labels on lines of their
//! own, never inside a paragraph that crosses a page.
//!
//! `cargo bench --bench ats` runs the same review with poppler's
//! `pdftotext` and prints the figures the README publishes.

use std::path::Path;

use cvgen::ats;
use serde_json::Value as Json;

use crate::support::*;

/// The least share of a document's words an extractor must read whole and
/// in order. RenderCV publishes 99.1% for its own samples.
const MIN_RECALL: f64 = 0.995;

const VARIANTS: &str = "long,onepage,anon,anon-onepage";

/// Renders `input/` in a layout and language, with the layout data of each
/// document emitted beside it; returns (PDF, layout data) pairs.
fn render(dir: &Path, layout: &str, lang: &str) -> Vec<(std::path::PathBuf, Json)> {
    let out = dir.join(format!("{lang}-{layout}"));
    let emitted = dir.join(format!("emitted-{lang}-{layout}"));
    cvgen(dir)
        .args(["render", "input", "--layout", layout, "--set"])
        .arg(format!("lang={lang}"))
        .args(["--variant", VARIANTS, "-q", "-o"])
        .arg(&out)
        .arg("--emit-typst")
        .arg(&emitted)
        .ok();
    let mut documents = Vec::new();
    for entry in std::fs::read_dir(&emitted).unwrap() {
        let project = entry.unwrap().path();
        let name = project.file_name().unwrap().to_string_lossy().into_owned();
        let data: Json =
            serde_json::from_str(&std::fs::read_to_string(project.join("cv.json")).unwrap())
                .unwrap();
        // A profile made in several languages keeps each document's own.
        let lang = name.rsplit_once('.').map_or(lang, |(_, own)| own);
        assert_eq!(data["lang"]["lang"], lang, "{name} is set in {lang}");
        documents.push((out.join(format!("{name}.pdf")), data));
    }
    documents.sort_by(|a, b| a.0.cmp(&b.0));
    documents
}

/// The pages of `lopdf`'s text extraction, as lines. It decodes the glyphs
/// on its own (fonts' encodings and Unicode maps) and gives a line per text
/// object, in drawing order, without looking at positions: what it shows is
/// the words and their order, not the lines a reader sees.
fn lopdf_pages(pdf: &Path) -> ats::Pages {
    let doc = lopdf::Document::load(pdf).unwrap();
    doc.get_pages()
        .keys()
        .map(|&number| {
            doc.extract_text(&[number])
                .unwrap()
                .lines()
                .map(|line| line.split_whitespace().collect::<Vec<_>>().join(" "))
                .filter(|line| !line.is_empty())
                .collect()
        })
        .collect()
}

/// Whether a finding is about the lines a reader sees, which only an
/// extractor that joins glyphs into lines by position can speak to.
fn about_lines(finding: &ats::Finding) -> bool {
    matches!(
        finding,
        ats::Finding::HeadingNotAlone { .. } | ats::Finding::DatesApart { .. }
    )
}

#[test]
fn two_extractors_read_every_sample_whole_in_every_layout_variant_and_language() {
    let dir = job_search_repo();
    let mut documents = 0;
    let mut lowest = (1.0_f64, String::new());
    let mut failures = Vec::new();
    for lang in ["en", "de", "fr"] {
        for layout in LAYOUTS {
            for (pdf, data) in render(dir.path(), layout, lang) {
                let bytes = std::fs::read(&pdf).unwrap();
                let extracted = [
                    ("cvgen", ats::read(&bytes).unwrap(), true),
                    ("lopdf", lopdf_pages(&pdf), false),
                ];
                for (extractor, pages, by_position) in extracted {
                    let mut review = ats::review(&data, &pages);
                    if !by_position {
                        review.findings.retain(|f| !about_lines(f));
                    }
                    let what = format!("{} by {extractor}", pdf.display());
                    if review.recall() < lowest.0 {
                        lowest = (review.recall(), what.clone());
                    }
                    assert!(review.words > 100, "{what}: the review found the text");
                    if review.recall() < MIN_RECALL || !review.findings.is_empty() {
                        failures.push(format!(
                            "{what}: {:.2}% of {} words read whole\n  {}",
                            review.recall() * 100.0,
                            review.words,
                            review
                                .findings
                                .iter()
                                .map(ToString::to_string)
                                .collect::<Vec<_>>()
                                .join("\n  "),
                        ));
                    }
                }
                documents += 1;
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    // 4 samples x 4 variants, but positions' one-page variants are off.
    assert!(documents >= 3 * 3 * 14, "{documents} documents");
    eprintln!(
        "{documents} documents; lowest recall {:.2}% ({})",
        lowest.0 * 100.0,
        lowest.1
    );
}

/// The review is not blind: the faults it exists to find, it finds.
#[test]
fn the_review_finds_headings_inline_broken_contacts_and_furniture_in_the_text() {
    let data: Json = serde_json::json!({
        "basics": {"name": "Ada Lovelace", "label": null, "contact": [
            {"kind": "email", "text": "ada@example.org", "link": "mailto:ada@example.org"},
        ]},
        "words": {"page": "Page {n} of {total}", "titles": {}},
        "sections": [{
            "kind": "work", "title": "Experience", "titled": true, "subtitle": null,
            "body": [], "items": [],
            "entries": [{
                "title": "Engineer", "org": "Analytical Engines", "location": null,
                "detail": null, "start": {"year": 1842}, "end": {"year": 1843},
                "summary": [[{"text": "Wrote the first published program for the engine."}]],
                "highlights": [], "parts": [], "keywords": [],
            }],
        }],
    });
    let lines = |lines: &[&str]| lines.iter().map(|l| l.to_string()).collect::<Vec<_>>();
    // Page 1 as read well up to the entry's summary, then `rest`.
    let first_page = |rest: &[&str]| {
        let mut page = lines(&[
            "Ada Lovelace",
            "ada@example.org",
            "Experience",
            "Engineer | 1842 – 1843",
            "Analytical Engines",
        ]);
        page.extend(lines(rest));
        page
    };
    // The paragraph on one page, the furniture on lines of its own.
    let good = vec![
        first_page(&[
            "Wrote the first published program for the engine.",
            "Page 1 of 2",
        ]),
        lines(&["Ada Lovelace", "Page 2 of 2"]),
    ];
    let review = ats::review(&data, &good);
    assert_eq!(review.findings, vec![], "{good:?}");
    assert_eq!(review.recall(), 1.0);
    // The paragraph goes on past the furniture of pages 1 and 2: each on a
    // line of its own, but a parser reads it inside the paragraph.
    let crossing = vec![
        first_page(&["Wrote the first published", "Page 1 of 2"]),
        lines(&["Ada Lovelace", "program for the engine.", "Page 2 of 2"]),
    ];
    let review = ats::review(&data, &crossing);
    assert_eq!(
        review.findings,
        vec![ats::Finding::CrossesPage {
            page: 1,
            text: "Wrote the first published program for the engine.".into()
        }],
        "{crossing:?}"
    );
    assert!(review.recall() < 1.0);
    // An extractor that reads the page label where it was drawn in the
    // content stream, between two lines of one paragraph on one page.
    let interrupted = vec![
        first_page(&[
            "Wrote the first published",
            "Page 1 of 2",
            "program for the engine.",
        ]),
        lines(&["Ada Lovelace", "Page 2 of 2"]),
    ];
    let review = ats::review(&data, &interrupted);
    assert_eq!(
        review.findings,
        vec![ats::Finding::Furniture {
            furniture: "Page 1 of 2".into(),
            line: "Wrote the first published program for the engine.".into()
        }],
        "{interrupted:?}"
    );
    assert!(review.recall() < 1.0);

    let bad = vec![lines(&[
        "Ada Lovelace",
        "ada@example.",
        "org",
        "Experience Engineer",
        "1842 – 1843",
    ])];
    let mut bad = bad;
    bad[0].extend(lines(&[
        "Analytical Engines",
        "Wrote the first published Page 1 of 2",
    ]));
    bad.push(lines(&["program for the engine."]));
    let review = ats::review(&data, &bad);
    let found: Vec<String> = review.findings.iter().map(ToString::to_string).collect();
    for expected in [
        "“ada@example.org” is broken up",
        "the heading “Experience” is not on a line of its own",
        "the dates of “Engineer” are not on a line of its own",
        "the page furniture “Page 1 of 2” is read inside the text",
        "“Wrote the first published program for the engine.” is not read whole",
    ] {
        assert!(
            found.iter().any(|f| f.starts_with(expected)),
            "{expected:?} not in {found:#?}"
        );
    }
    assert!(review.recall() < MIN_RECALL);
}

/// A layout set inline reads badly, and `cvgen check --ats` says so, at
/// the profile and variant; with --deny-warnings that fails the check.
#[test]
fn check_ats_lists_what_an_ats_reads_badly_in_a_users_layout() {
    let dir = job_search_repo();
    let layouts = dir.path().join("layouts");
    std::fs::create_dir_all(&layouts).unwrap();
    write(
        &layouts.join("inline.typ"),
        r#"// inline: every section run into one paragraph.
// @param date_format: choice(short, long) = "long" -- unused
// @param present: string = "" -- unused
#let cv = json("/cv.json")
#set page(paper: "a4")
#for section in cv.sections [
  *#section.title:* #for entry in section.entries [#entry.at("title", default: none) ]
]
#metadata("end") <cvgen-end>
"#,
    );
    let ran = cvgen(dir.path())
        .args([
            "check",
            "--ats",
            "input/reed-allman.toml",
            "--layout",
            "inline",
        ])
        .arg("--layouts")
        .arg(&layouts)
        .ok();
    let said = format!("{}{}", String::from_utf8_lossy(&ran.stdout), ran.stderr);
    assert!(
        said.contains(
            "input/reed-allman.toml (long): the heading “Labor” is not on a line of its own"
        ),
        "{said}"
    );
    assert!(
        said.contains("an applicant tracking system reads"),
        "{said}"
    );
    cvgen(dir.path())
        .args([
            "check",
            "--ats",
            "--deny-warnings",
            "input/reed-allman.toml",
        ])
        .args(["--layout", "inline", "--layouts"])
        .arg(&layouts)
        .fails(1);
    // The built-in layouts read well: the same check finds nothing.
    let ran = cvgen(dir.path()).args(["check", "--ats", "input"]).ok();
    let said = format!("{}{}", String::from_utf8_lossy(&ran.stdout), ran.stderr);
    // Three variants of four samples and of the bilingual one in each language.
    assert_eq!(said.matches("reads 100.0% of its").count(), 18, "{said}");
    assert!(!said.contains("(long):"), "{said}");
}

/// Right-to-left lines are read in reading order: every value of the
/// Arabic and Hebrew samples that keeps to one direction reads whole, the
/// headings alone on their lines, the dates beside their entries. (Values
/// that mix directions cannot be put back from the page unambiguously;
/// see the README.)
#[test]
fn right_to_left_lines_are_reviewed_in_reading_order() {
    let dir = scratch();
    for lang in ["ar", "he"] {
        let out = dir.path().join(lang);
        cvgen(&repo())
            .args(["render", &format!("tests/scripts/{lang}.toml")])
            .args(["--variant", "long", "-q", "--ignore-system-fonts"])
            .args(["--font-path", "tests/fonts", "-o"])
            .arg(&out)
            .arg("--emit-typst")
            .arg(dir.path().join(format!("{lang}-typ")))
            .ok();
        let data: Json = serde_json::from_str(
            &std::fs::read_to_string(dir.path().join(format!("{lang}-typ/{lang}/cv.json")))
                .unwrap(),
        )
        .unwrap();
        let pages = ats::read(&std::fs::read(out.join(format!("{lang}.pdf"))).unwrap()).unwrap();
        let review = ats::review(&data, &pages);
        let mixed = |text: &str| text.chars().any(|c| c.is_ascii_alphabetic());
        for finding in &review.findings {
            assert!(
                matches!(finding, ats::Finding::NotWhole { text } if mixed(text)),
                "{lang}: {finding}\n{}",
                pages.concat().join("\n")
            );
        }
        assert!(review.recall() > 0.75, "{lang}: {:.2}", review.recall());
    }
}

/// Chinese, Japanese and Thai wrap between any two letters and an extractor
/// ends its line there: the review counts letters, so a wrapped paragraph
/// still reads whole. A heading set in capitals reads as the words it was
/// given, in Turkish and German too.
#[test]
fn words_are_compared_as_each_script_wraps_and_capitalises_them() {
    assert_eq!(ats::words("王晓明 Go, C++"), ["王", "晓", "明", "go", "c"]);
    assert_eq!(ats::words("ใจดี"), ["ใ", "จ", "ดี"]);
    assert_eq!(ats::words("Senior Engineer"), ["senior", "engineer"]);
    // Headings set in capitals read as the words they were given.
    assert_eq!(ats::words("HAKKIMDA"), ats::words("Hakkımda"));
    assert_eq!(ats::words("İŞ DENEYİMİ"), ats::words("İş deneyimi"));
    assert_eq!(
        ats::words("WEITERBILDUNGSMASSNAHMEN"),
        ats::words("Weiterbildungsmaßnahmen")
    );
    let data: Json = serde_json::json!({
        "basics": {"name": "王晓明", "label": null, "contact": []},
        "words": {"page": "第 {n} 页", "titles": {}},
        "sections": [{
            "kind": "text", "title": "简介", "titled": true, "subtitle": null,
            "body": [[{"text": "我在分布式系统方面有八年经验。"}]],
            "items": [], "entries": [],
        }],
    });
    let wrapped = vec![vec![
        "王晓明".to_owned(),
        "简介".to_owned(),
        "我在分布式系统方".to_owned(),
        "面有八年经验。".to_owned(),
    ]];
    let review = ats::review(&data, &wrapped);
    assert_eq!(review.findings, vec![], "{wrapped:?}");
    assert_eq!(review.recall(), 1.0);
}
