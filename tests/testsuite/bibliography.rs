//! Publications from a bibliography (`tests/fixtures/bibliography/`): a
//! research profile whose three publication sections read one BibTeX file,
//! by kind, in two citation styles. In every layout the references print in
//! the sections' order with their links; anonymized documents have neither
//! the person's name nor a link or identifier; a broken file is reported at
//! its line and stops only its profile; an edited file makes the documents
//! again. The profile's talks, grants, teaching and supervision print in
//! every layout too.

use std::path::Path;

use crate::support::*;

/// A scratch folder with the research profile and its bibliography.
fn researcher() -> tempfile::TempDir {
    let dir = scratch();
    let fixture = repo().join("tests/fixtures/bibliography");
    for name in ["researcher.toml", "papers.bib"] {
        std::fs::copy(fixture.join(name), dir.path().join(name)).unwrap();
    }
    dir
}

fn render(dir: &Path, args: &[&str]) -> Ran {
    cvgen(dir)
        .args(["render", "researcher.toml", "-o", "out"])
        .args(args)
        .ok()
}

/// The references in the order the sections ask for: articles newest
/// first (IEEE, numbered), conference papers newest first (APA), the
/// thesis and the patent oldest first.
const ORDER: [&str; 9] = [
    "Journal articles",
    "[1]",
    "Elastic Queues for Bursty Workloads",
    "[2]",
    "Tail Latency Under Contention",
    "Conference papers",
    "Snapshot Isolation Without Clocks",
    "Cheap Consensus for Small Clusters",
    "Thesis and patents",
];

#[test]
fn every_layout_prints_the_references_in_order_with_their_links() {
    let dir = researcher();
    for layout in LAYOUTS {
        render(
            dir.path(),
            &["--layout", layout, "--variant", "long,onepage,anon"],
        );
        let long = dir.path().join("out/researcher.pdf");
        // Some layouts set headings in capitals: compare without case.
        let text = squash(&pdf_text(&long)).to_lowercase();
        let mut order: Vec<String> = ORDER.iter().map(|s| s.to_lowercase()).collect();
        order.push("scheduling in shared clusters".into());
        order.push("adaptive batching of remote calls".into());
        assert_in_order(&text, &order, &format!("{layout} long form"));
        // A year alone reads "(2018).", without the comma hayagriva 0.10
        // leaves for a month (hayagriva#246).
        assert!(text.contains("(2018).cheapconsensus"), "{layout}: {text}");
        for shown in [
            "van der Berg",
            "Ødegård",
            "García Márquez",
            "Delft University",
        ] {
            let shown = squash(shown).to_lowercase();
            assert!(text.contains(&shown), "{layout}: {shown} missing");
        }
        let bytes = all_bytes(&long);
        let has = |needle: &str| bytes.windows(needle.len()).any(|w| w == needle.as_bytes());
        assert!(
            has("https://doi.org/10.1145/3580000.1"),
            "{layout}: DOI link"
        );
        assert!(
            has("https://jsr.example/papers/tail-latency"),
            "{layout}: URL link"
        );
        let onepage = dir.path().join("out/researcher-onepage.pdf");
        assert_eq!(page_count(&onepage), 1, "{layout}");

        let anon = candidates(&dir.path().join("out"));
        assert_eq!(anon.len(), 1, "{layout}: {anon:?}");
        let text = pdf_text(&anon[0]);
        let squashed = squash(&text).to_lowercase();
        for gone in ["Berg", "10.1145", "10.5555", "doi", "jsr.example", "https"] {
            assert!(
                !squashed.contains(&squash(gone).to_lowercase()),
                "{layout}: `{gone}` in the anonymized CV:\n{text}"
            );
        }
        let bytes = all_bytes(&anon[0]);
        assert!(!bytes.windows(4).any(|w| w == b"/URI"), "{layout}: a link");
        // The rest of each reference stays: titles, co-authors, venues.
        assert_in_order(&squashed, &order, &format!("{layout} anonymized"));
        for stays in ["Candidate", "Ødegård", "García Márquez", "Lee"] {
            let stays = squash(stays).to_lowercase();
            assert!(squashed.contains(&stays), "{layout}: {stays}");
        }
    }
}

/// The academic layout numbers every section's references, each number
/// read on the line of its reference; a numeric style keeps its own.
#[test]
fn the_academic_layout_numbers_references_on_their_lines() {
    let dir = researcher();
    render(
        dir.path(),
        &["--layout", "academic", "--variant", "long,anon"],
    );
    for pdf in [dir.path().join("out/researcher.pdf")]
        .into_iter()
        .chain(candidates(&dir.path().join("out")))
    {
        let lines: Vec<String> = pdf_text(&pdf)
            .lines()
            .map(|line| line.split_whitespace().collect::<Vec<_>>().join(" "))
            .collect();
        let starts = |prefix: &str| lines.iter().filter(|l| l.starts_with(prefix)).count();
        // Three sections of two references each.
        assert_eq!(
            starts("[1] "),
            3,
            "{}:\n{}",
            pdf.display(),
            lines.join("\n")
        );
        assert_eq!(
            starts("[2] "),
            3,
            "{}:\n{}",
            pdf.display(),
            lines.join("\n")
        );
        assert_eq!(starts("[3] "), 0, "{}", pdf.display());
        assert!(
            !lines.iter().any(|l| l.contains("[1] [1]")),
            "{}",
            pdf.display()
        );
        // APA's references are numbered by the layout, on their first line.
        assert!(
            lines
                .iter()
                .any(|l| l.starts_with("[2] ") && l.contains("Cheap Consensus for Small Clusters")),
            "{}:\n{}",
            pdf.display(),
            lines.join("\n")
        );
    }
}

#[test]
fn a_broken_bibliography_is_reported_at_its_line_and_stops_only_its_profile() {
    let dir = researcher();
    let bib = dir.path().join("papers.bib");
    let text = std::fs::read_to_string(&bib).unwrap();
    // Line 27: the conference paper loses the brace that closes its title.
    let broken = text.replace(
        "{Snapshot Isolation Without Clocks},",
        "{Snapshot Isolation Without Clocks,",
    );
    assert_ne!(broken, text);
    std::fs::write(&bib, broken).unwrap();
    write(
        &dir.path().join("other.toml"),
        "[basics]\nname = \"Other Person\"\n[[section]]\nkind = \"text\"\nbody = \"Fine.\"\n",
    );
    let ran = cvgen(dir.path())
        .args(["render", "researcher.toml", "other.toml", "-o", "out"])
        .fails(1);
    assert!(ran.stderr.contains("papers.bib:"), "{}", ran.stderr);
    let at = ran.stderr.split("papers.bib:").nth(1).unwrap_or_default();
    let line: usize = at
        .split(':')
        .next()
        .unwrap_or_default()
        .parse()
        .unwrap_or(0);
    assert!((27..=60).contains(&line), "line {line}:\n{}", ran.stderr);
    // And where the profile names it.
    assert!(ran.stderr.contains("researcher.toml:27:"), "{}", ran.stderr);
    assert!(!dir.path().join("out/researcher.pdf").exists());
    assert!(dir.path().join("out/other.pdf").exists());

    // A missing file, an unknown style or key: at the profile's line.
    std::fs::write(&bib, text).unwrap();
    let profile = dir.path().join("researcher.toml");
    let good = std::fs::read_to_string(&profile).unwrap();
    for (edit, message) in [
        (
            good.replace("style = \"ieee\"", "style = \"iee\""),
            "researcher.toml:28:9",
        ),
        (
            good.replace(
                "bibliography = \"papers.bib\"\nstyle",
                "bibliography = \"gone.bib\"\nstyle",
            ),
            "the bibliography `gone.bib` does not exist",
        ),
        (
            good.replace("kinds = [\"article\"]", "keys = [\"vdberg2020\", \"nope\"]"),
            "researcher.toml:29:23",
        ),
        (
            good.replace(
                "kind = \"work\"",
                "kind = \"work\"\nbibliography = \"papers.bib\"",
            ),
            "only those read a bibliography",
        ),
    ] {
        std::fs::write(&profile, edit).unwrap();
        let ran = cvgen(dir.path())
            .args(["render", "researcher.toml", "-o", "out"])
            .fails(1);
        assert!(ran.stderr.contains(message), "{message}:\n{}", ran.stderr);
    }
}

#[test]
fn an_edited_bibliography_makes_the_documents_again() {
    let dir = researcher();
    let report = |dir: &Path| -> serde_json::Value {
        let ran = render(dir, &["--deps", "--report", "-"]);
        serde_json::from_slice(&ran.stdout).unwrap()
    };
    let statuses = |report: &serde_json::Value| -> Vec<String> {
        report["jobs"]
            .as_array()
            .unwrap()
            .iter()
            .map(|job| job["status"].as_str().unwrap().to_owned())
            .collect()
    };
    assert!(statuses(&report(dir.path())).iter().all(|s| s == "written"));
    assert!(
        statuses(&report(dir.path()))
            .iter()
            .all(|s| s == "unchanged")
    );
    let deps = std::fs::read_to_string(dir.path().join("out/.cvgen/researcher.d")).unwrap();
    assert!(deps.contains("papers.bib"), "{deps}");

    let bib = dir.path().join("papers.bib");
    let text = std::fs::read_to_string(&bib).unwrap();
    std::fs::write(&bib, text.replace("Cheap Consensus", "Cheaper Consensus")).unwrap();
    assert!(statuses(&report(dir.path())).iter().all(|s| s == "written"));
    let text = pdf_text(&dir.path().join("out/researcher.pdf"));
    assert!(text.contains("Cheaper Consensus"), "{text}");
}

/// A research CV's other sections (talks, grants, teaching, supervision)
/// print in every layout under headings in the document's language, each
/// entry's dates read with it; anonymized documents leave the students'
/// names out and keep the rest.
#[test]
fn research_sections_print_in_every_layout_and_hide_the_students() {
    let dir = researcher();
    for layout in LAYOUTS {
        for (lang, headings) in [
            ("en", ["talks", "grants", "teaching", "supervision"]),
            ("de", ["vorträge", "drittmittel", "lehre", "betreuung"]),
        ] {
            let out = format!("out-{layout}-{lang}");
            cvgen(dir.path())
                .args(["render", "researcher.toml", "-o", &out, "--layout", layout])
                .args(["--variant", "long,anon", "--set", &format!("lang={lang}")])
                .ok();
            let long =
                squash(&pdf_text(&dir.path().join(&out).join("researcher.pdf"))).to_lowercase();
            let wanted = [
                headings[0],
                "queues that bend",
                "eurosys 2023 keynote",
                headings[1],
                "elastic infrastructure for science",
                "dutch research council (nwo)",
                "€800,000",
                headings[2],
                "distributed systems (in4150)",
                "lecturer",
                headings[3],
                "pieter jansen",
                "phd",
                "thesis: scheduling without clocks.",
            ];
            let wanted: Vec<String> = wanted.iter().map(|w| w.to_string()).collect();
            assert_in_order(&long, &wanted, &format!("{layout} {lang}"));
            let anon = candidates(&dir.path().join(&out));
            assert_eq!(anon.len(), 1, "{layout} {lang}: {anon:?}");
            let text = squash(&pdf_text(&anon[0])).to_lowercase();
            assert!(
                !text.contains("jansen"),
                "{layout} {lang}: the student:\n{text}"
            );
            let kept: Vec<String> = wanted
                .into_iter()
                .filter(|w| w != "pieter jansen")
                .collect();
            assert_in_order(&text, &kept, &format!("{layout} {lang} anonymized"));
        }
    }
}

/// A Russian profile whose papers name the person in Cyrillic and in
/// Latin letters: references are formatted in Russian (GOST, numbered by
/// the style, not again by the layout), and the anonymized CV has neither
/// spelling of the name nor a DOI, while the Turkish co-author stays.
#[test]
fn a_name_in_two_scripts_is_found_and_redacted_in_references() {
    let dir = scratch();
    let fixture = repo().join("tests/fixtures/bibliography");
    for name in ["sokolov.toml", "sokolov.bib"] {
        std::fs::copy(fixture.join(name), dir.path().join(name)).unwrap();
    }
    for layout in LAYOUTS {
        let out = format!("out-{layout}");
        cvgen(dir.path())
            .args(["render", "sokolov.toml", "-o", &out, "--layout", layout])
            .args(["--variant", "long,anon"])
            .ok();
        let long = pdf_text(&dir.path().join(&out).join("sokolov.pdf"));
        // Compared without spaces: extractors differ on the one between a
        // bold name and its comma.
        let lines: Vec<String> = long.lines().map(squash).collect();
        for (number, wanted) in [
            ("1.", "Соколов Д., Йылмаз А. Очереди без часов"),
            ("2.", "Yılmaz A., Sokolov D. Cheap Consensus"),
        ] {
            assert!(
                lines
                    .iter()
                    .any(|l| l.starts_with(number) && l.contains(&squash(wanted))),
                "{layout}: no line reads “{number}{wanted}”:\n{long}"
            );
        }
        assert!(!long.contains("[1]"), "{layout}: numbered twice:\n{long}");
        let anon = candidates(&dir.path().join(&out));
        assert_eq!(anon.len(), 1, "{layout}: {anon:?}");
        let text = squash(&pdf_text(&anon[0]));
        for gone in [
            "Соколов",
            "Sokolov",
            "Дмитрий",
            "Dmitry",
            "10.5555",
            "example.ru",
        ] {
            assert!(!text.contains(gone), "{layout}: `{gone}` in:\n{text}");
        }
        for stays in ["Кандидат", "Йылмаз А.", "Yılmaz A.", "Очереди без часов"]
        {
            assert!(
                text.contains(&squash(stays)),
                "{layout}: `{stays}` lost:\n{text}"
            );
        }
    }
}
