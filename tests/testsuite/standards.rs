//! Accessible, archival PDFs: every document claims PDF/UA-1 and PDF/A-2a
//! by default (Typst checks both on export), with what they need: a title
//! shown in the title bar, the language, tags, alt text for the photo.

use std::path::{Path, PathBuf};

use crate::support::*;

/// The catalog's XMP metadata, as text.
fn xmp(pdf: &Path) -> String {
    let doc = lopdf::Document::load(pdf).unwrap();
    let catalog = doc.catalog().unwrap();
    let Ok(reference) = catalog.get(b"Metadata").and_then(|m| m.as_reference()) else {
        return String::new();
    };
    let stream = doc.get_object(reference).unwrap().as_stream().unwrap();
    let bytes = stream
        .decompressed_content()
        .unwrap_or_else(|_| stream.content.clone());
    String::from_utf8_lossy(&bytes).into_owned()
}

/// Every PDF under a folder, recursively.
fn pdfs(dir: &Path) -> Vec<PathBuf> {
    let mut found = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            found.extend(pdfs(&path));
        } else if path.extension().is_some_and(|e| e == "pdf") {
            found.push(path);
        }
    }
    found
}

#[test]
fn every_document_claims_pdf_ua_1_and_pdf_a_2a() {
    let dir = job_search_repo();
    copy_applications(dir.path());
    std::fs::remove_file(dir.path().join("applications/globex-devrel.toml")).unwrap();
    let mut checked = 0;
    for layout in LAYOUTS {
        let out = dir.path().join(layout);
        cvgen(dir.path())
            .args(["render", "input", "applications", "--layout", layout])
            .args([
                "--variant",
                "long,onepage,anon,anon-onepage,letter,anon-letter",
                "-q",
                "-o",
            ])
            .arg(&out)
            .ok();
        for pdf in pdfs(&out) {
            let meta = xmp(&pdf);
            for claim in [
                "<pdfaid:part>2</pdfaid:part>",
                "<pdfaid:conformance>A</pdfaid:conformance>",
                "<pdfuaid:part>1</pdfuaid:part>",
            ] {
                assert!(meta.contains(claim), "{}: no {claim}", pdf.display());
            }
            let doc = lopdf::Document::load(&pdf).unwrap();
            let catalog = doc.catalog().unwrap();
            assert!(
                catalog.get(b"StructTreeRoot").is_ok(),
                "{}: untagged",
                pdf.display()
            );
            assert!(
                catalog.get(b"Lang").is_ok(),
                "{}: no language",
                pdf.display()
            );
            let shows_title = catalog
                .get(b"ViewerPreferences")
                .ok()
                .and_then(|v| match v {
                    lopdf::Object::Reference(r) => doc.get_dictionary(*r).ok(),
                    lopdf::Object::Dictionary(d) => Some(d),
                    _ => None,
                })
                .and_then(|prefs| prefs.get(b"DisplayDocTitle").ok())
                .and_then(|v| v.as_bool().ok());
            assert_eq!(shows_title, Some(true), "{}", pdf.display());
            checked += 1;
        }
    }
    // 4 samples and the bilingual one's 2 languages x 4 variants + the
    // application's 6 documents, per layout.
    assert_eq!(checked, LAYOUTS.len() as i32 * (24 + 6));
}

#[test]
fn a_standard_is_chosen_or_turned_off_and_bad_names_are_refused() {
    let dir = job_search_repo();
    cvgen(dir.path())
        .args(["render", "input/my-story.toml", "--variant", "long", "-q"])
        .args(["--pdf-standard", "none", "-o", "none"])
        .ok();
    assert!(!xmp(&dir.path().join("none/my-story.pdf")).contains("pdfaid"));
    cvgen(dir.path())
        .args(["render", "input/my-story.toml", "--variant", "long", "-q"])
        .args(["--pdf-standard", "a-2b", "-o", "b"])
        .ok();
    let meta = xmp(&dir.path().join("b/my-story.pdf"));
    assert!(
        meta.contains("<pdfaid:conformance>B</pdfaid:conformance>") && !meta.contains("pdfuaid")
    );
    let ran = cvgen(dir.path())
        .args(["render", "input/my-story.toml", "--pdf-standard", "a-9"])
        .fails(2);
    assert!(
        ran.stderr.contains("unknown PDF standard `a-9`"),
        "{}",
        ran.stderr
    );
    write(
        &dir.path().join("input/odd.toml"),
        "[basics]\nname = \"P\"\n[output]\npdf_standards = [\"a-2b\", \"a-3b\"]\n",
    );
    let ran = cvgen(dir.path()).args(["check", "input/odd.toml"]).fails(1);
    assert!(
        ran.stderr.contains("input/odd.toml:4:17") && ran.stderr.contains("do not go together"),
        "{}",
        ran.stderr
    );
}

#[test]
fn a_user_layout_without_a_title_gets_one() {
    let dir = job_search_repo();
    write(
        &dir.path().join("layouts/bare.typ"),
        "// bare: sets no document title\n#let cv = json(\"/cv.json\")\n#cv.basics.name\n\
         #metadata(\"end\") <cvgen-end>\n",
    );
    write(
        &dir.path().join("in/pat.toml"),
        "[basics]\nname = \"Pat Doe\"\n",
    );
    cvgen(dir.path())
        .args([
            "render",
            "in/pat.toml",
            "--layout",
            "bare",
            "--variant",
            "long",
        ])
        .args(["-q", "-o", "out"])
        .ok();
    let meta = xmp(&dir.path().join("out/pat.pdf"));
    assert!(meta.contains("Pat Doe – Curriculum Vitae"), "{meta}");
}
