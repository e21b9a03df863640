//! Word, plain text and Markdown beside the PDF: the same content, read
//! back as their readers get it.

use std::io::Read;
use std::path::Path;

use crate::support::*;

/// Every part of a Word file, by name.
fn docx_parts(path: &Path) -> Vec<(String, String)> {
    let file = std::fs::File::open(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let mut archive = zip::ZipArchive::new(file).expect("a zip");
    (0..archive.len())
        .map(|i| {
            let mut part = archive.by_index(i).unwrap();
            let mut text = String::new();
            part.read_to_string(&mut text).unwrap();
            (part.name().unwrap().into_owned(), text)
        })
        .collect()
}

/// The paragraphs of a Word file's body: (style, text).
fn docx_paragraphs(path: &Path) -> Vec<(String, String)> {
    let parts = docx_parts(path);
    let (_, xml) = parts
        .iter()
        .find(|(name, _)| name == "word/document.xml")
        .expect("word/document.xml");
    let tree = roxmltree::Document::parse(xml).expect("well-formed XML");
    tree.descendants()
        .filter(|n| n.tag_name().name() == "p")
        .map(|p| {
            let style = p
                .descendants()
                .find(|n| n.tag_name().name() == "pStyle")
                .and_then(|n| n.attributes().next().map(|a| a.value().to_owned()))
                .unwrap_or_default();
            let text = p
                .descendants()
                .filter(|n| n.tag_name().name() == "t")
                .filter_map(|n| n.text())
                .collect();
            (style, text)
        })
        .collect()
}

/// What a reader of a file gets: a PDF's text, a Word file's every part
/// (text and attribute values), or the text itself.
pub fn file_text(path: &Path) -> String {
    match path.extension().and_then(|e| e.to_str()) {
        Some("pdf") => pdf_text(path),
        Some("docx") => docx_parts(path)
            .iter()
            .map(|(_, xml)| {
                let tree = roxmltree::Document::parse(xml).expect("well-formed XML");
                tree.descendants()
                    .flat_map(|n| {
                        n.text()
                            .filter(|_| n.is_text())
                            .map(str::to_owned)
                            .into_iter()
                            .chain(n.attributes().map(|a| a.value().to_owned()))
                    })
                    .collect::<Vec<_>>()
                    .join("\n")
            })
            .collect::<Vec<_>>()
            .join("\n"),
        _ => std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display())),
    }
}

#[test]
fn every_format_carries_the_same_content_in_the_same_order() {
    let out = scratch();
    cvgen(&repo().join("input"))
        .args(["render", "mark-callan.toml", "reed-allman.toml", "-q", "-o"])
        .arg(out.path())
        .args(["--variant", "long,onepage", "--format", "pdf,docx,txt,md"])
        .ok();
    for stem in ["mark-callan", "mark-callan-onepage", "reed-allman"] {
        let pdf = out.path().join(format!("{stem}.pdf"));
        let paragraphs = docx_paragraphs(&pdf.with_extension("docx"));
        // Real styles: the name is the title, sections are headings, bullets
        // a list with a numbering definition.
        let styles: Vec<&str> = paragraphs.iter().map(|(s, _)| s.as_str()).collect();
        assert_eq!(styles.first(), Some(&"Title"), "{stem}: {styles:?}");
        for style in ["Heading1", "EntryHead", "ListBullet"] {
            assert!(styles.contains(&style), "{stem}: no {style} in {styles:?}");
        }
        let parts = docx_parts(&pdf.with_extension("docx"));
        let part = |name: &str| {
            parts
                .iter()
                .find(|(n, _)| n == name)
                .map(|(_, x)| x.clone())
                .unwrap_or_else(|| panic!("{stem}: no {name}"))
        };
        assert!(part("word/numbering.xml").contains("w:numFmt w:val=\"bullet\""));
        assert!(part("word/styles.xml").contains("w:styleId=\"Heading1\""));
        assert!(part("docProps/core.xml").contains("Curriculum Vitae"));
        // The headings come in the PDF's order, in every format.
        let headings: Vec<String> = paragraphs
            .iter()
            .filter(|(s, _)| s == "Heading1")
            .map(|(_, t)| t.clone())
            .collect();
        assert!(headings.len() >= 3, "{stem}: {headings:?}");
        let pdf_text = squash(&pdf_text(&pdf));
        let squashed: Vec<String> = headings.iter().map(|h| squash(h)).collect();
        assert_in_order(&pdf_text, &squashed, &format!("{stem}.pdf"));
        let txt = std::fs::read_to_string(pdf.with_extension("txt")).unwrap();
        let md = std::fs::read_to_string(pdf.with_extension("md")).unwrap();
        let txt_lines: Vec<&str> = txt.lines().collect();
        for heading in &headings {
            // Headings stand on lines of their own.
            assert!(
                txt_lines.contains(&heading.as_str()),
                "{stem}.txt: {heading}"
            );
            assert!(
                md.contains(&format!("\n## {heading}\n")),
                "{stem}.md: {heading}"
            );
        }
        assert_in_order(&squash(&txt), &squashed, &format!("{stem}.txt"));
        // Every entry head of the Word file is in the PDF: the same entries.
        let heads: Vec<String> = paragraphs
            .iter()
            .filter(|(s, _)| s == "EntryHead")
            .map(|(_, t)| squash(t.split(" | ").next().unwrap_or(t)))
            .collect();
        assert_in_order(&pdf_text, &heads, &format!("{stem}.pdf (entries)"));
        // Paragraphs are not wrapped, bullets are dashes, no page furniture.
        assert!(txt.lines().any(|l| l.starts_with("- ")), "{stem}.txt");
        assert!(txt.lines().any(|l| l.len() > 120), "{stem}.txt is wrapped");
        assert!(!txt.contains("Page 1 of"), "{stem}.txt");
    }
    // The one page holds fewer entries than the long form, and what it
    // dropped is in neither of its files.
    let long = std::fs::read_to_string(out.path().join("mark-callan.txt")).unwrap();
    let one = std::fs::read_to_string(out.path().join("mark-callan-onepage.txt")).unwrap();
    assert!(one.len() < long.len());
    let one_pdf = squash(&pdf_text(&out.path().join("mark-callan-onepage.pdf")));
    let dropped: Vec<&str> = long
        .lines()
        .filter(|l| l.starts_with("- ") && l.len() > 60)
        .filter(|l| !one_pdf.contains(&squash(l)))
        .collect();
    assert!(!dropped.is_empty());
    for line in dropped {
        assert!(
            !one.contains(line),
            "the one page's text has a dropped line: {line}"
        );
    }
}

#[test]
fn links_are_links_and_markdown_reads_as_written() {
    let dir = scratch();
    write(
        &dir.path().join("cv.toml"),
        "[basics]\nname = \"Ada *Example*\"\nemail = \"ada@example.org\"\n\
         url = \"https://example.org/ada\"\n\n\
         [[section]]\ntitle = \"About\"\nkind = \"text\"\n\
         body = \"1. Not a list, # not a heading, [a link](https://example.org/x) and C# & <b>.\"\n",
    );
    let out = dir.path().join("out");
    cvgen(dir.path())
        .args([
            "render",
            "cv.toml",
            "-q",
            "--variant",
            "long",
            "--format",
            "docx,md,txt",
            "-o",
        ])
        .arg(&out)
        .ok();
    assert!(!out.join("cv.pdf").exists(), "no PDF was asked for");
    let parts = docx_parts(&out.join("cv.docx"));
    let rels = &parts
        .iter()
        .find(|(n, _)| n == "word/_rels/document.xml.rels")
        .unwrap()
        .1;
    for target in [
        "mailto:ada@example.org",
        "https://example.org/ada",
        "https://example.org/x",
    ] {
        assert!(
            rels.contains(&format!("Target=\"{target}\"")),
            "{target}: {rels}"
        );
    }
    let document = &parts
        .iter()
        .find(|(n, _)| n == "word/document.xml")
        .unwrap()
        .1;
    assert!(document.contains("<w:hyperlink r:id="), "{document}");
    assert!(document.contains("C# &amp; &lt;b&gt;"), "{document}");
    let md = std::fs::read_to_string(out.join("cv.md")).unwrap();
    assert!(md.starts_with("# Ada \\*Example\\*\n"), "{md}");
    assert!(
        md.contains("1\\. Not a list, \\# not a heading, [a link](<https://example.org/x>)"),
        "{md}"
    );
    let txt = std::fs::read_to_string(out.join("cv.txt")).unwrap();
    assert!(txt.contains("a link (https://example.org/x)"), "{txt}");
    // Unchanged inputs: nothing is made again; a deleted file is.
    let again = cvgen(dir.path())
        .args([
            "render",
            "cv.toml",
            "--variant",
            "long",
            "--format",
            "docx,md,txt",
            "-o",
        ])
        .arg(&out)
        .ok();
    assert!(again.stderr.contains("1 unchanged"), "{}", again.stderr);
    std::fs::remove_file(out.join("cv.md")).unwrap();
    cvgen(dir.path())
        .args([
            "render",
            "cv.toml",
            "-q",
            "--variant",
            "long",
            "--format",
            "docx,md,txt",
            "-o",
        ])
        .arg(&out)
        .ok();
    assert!(out.join("cv.md").exists());
    // A format no longer asked for goes, unless a person edited the file.
    let edited = format!("{txt}\nMy own note.\n");
    std::fs::write(out.join("cv.txt"), &edited).unwrap();
    cvgen(dir.path())
        .args([
            "render",
            "cv.toml",
            "-q",
            "--variant",
            "long",
            "--format",
            "docx",
            "-o",
        ])
        .arg(&out)
        .ok();
    assert!(out.join("cv.docx").exists());
    assert!(
        !out.join("cv.md").exists(),
        "the Markdown file cvgen made is gone"
    );
    assert_eq!(std::fs::read_to_string(out.join("cv.txt")).unwrap(), edited);
}

#[test]
fn a_tracking_system_reads_every_format_whole_and_in_order() {
    let dir = job_search_repo();
    let mut failures = Vec::new();
    let mut documents = 0;
    for layout in ["classic", "compact"] {
        let out = dir.path().join(format!("out-{layout}"));
        let emitted = dir.path().join(format!("emitted-{layout}"));
        cvgen(dir.path())
            .args(["render", "input", "--layout", layout, "-q"])
            .args(["--variant", "long,onepage,anon,anon-onepage"])
            .args(["--format", "docx,txt,md", "-o"])
            .arg(&out)
            .arg("--emit-typst")
            .arg(&emitted)
            .ok();
        for entry in std::fs::read_dir(&emitted).unwrap() {
            let project = entry.unwrap().path();
            let name = project.file_name().unwrap().to_string_lossy().into_owned();
            let data: serde_json::Value =
                serde_json::from_str(&std::fs::read_to_string(project.join("cv.json")).unwrap())
                    .unwrap();
            for extension in ["docx", "txt", "md"] {
                let file = out.join(format!("{name}.{extension}"));
                let lines: Vec<String> = match extension {
                    "docx" => docx_paragraphs(&file).into_iter().map(|(_, t)| t).collect(),
                    _ => std::fs::read_to_string(&file)
                        .unwrap()
                        .lines()
                        .map(str::to_owned)
                        .collect(),
                };
                let review = cvgen::ats::review(&data, &vec![lines]);
                assert!(
                    review.words > 50,
                    "{}: {} words",
                    file.display(),
                    review.words
                );
                if review.recall() < 0.995 || !review.findings.is_empty() {
                    failures.push(format!(
                        "{}: {:.2}% of {} words\n  {}",
                        file.display(),
                        review.recall() * 100.0,
                        review.words,
                        review
                            .findings
                            .iter()
                            .map(ToString::to_string)
                            .collect::<Vec<_>>()
                            .join("\n  ")
                    ));
                }
                documents += 1;
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    assert!(documents >= 2 * 14 * 3, "{documents} files");
}
