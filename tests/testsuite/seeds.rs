//! The sample profiles in `input/` are transcriptions of the CVs kept in
//! `tests/fixtures/seeds/`. Their long-form PDFs must hold every line of the
//! source, in the source's order.

use std::path::Path;

use crate::support::*;

/// Month names as the layouts may shorten them.
const MONTHS: [&str; 12] = [
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
];

/// Lines up to this long may be reformatted by a layout; longer ones are
/// content and must appear verbatim.
const SHORT_LINE: usize = 120;

/// Words of a line for a match that tolerates reformatting: lower case, month
/// names cut to three letters.
fn words(line: &str) -> Vec<String> {
    line.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(|w| {
            let w = w.to_lowercase();
            match MONTHS
                .iter()
                .find(|m| w.len() >= 3 && m.starts_with(w.as_str()))
            {
                Some(month) => month[..3].to_owned(),
                None => w,
            }
        })
        .collect()
}

/// Checks that every line of `seed` is in `pdf`. Content lines (paragraphs,
/// bullets) must appear verbatim, in order. Lines a layout reformats (an
/// entry's dates, organisation and place) must have all their words close to
/// the last verbatim match.
fn assert_seed_complete(name: &str, seed: &str, pdf: &str) {
    let hay = squash(pdf);
    let mut from = 0;
    let mut verbatim = 0;
    let mut reformatted = Vec::new();
    for line in seed.lines() {
        let line = line.trim().trim_start_matches(['•', '-']).trim();
        if line.is_empty() {
            continue;
        }
        let needle = squash(line);
        if let Some(at) = hay[from..].find(&needle) {
            from += at + needle.len();
            verbatim += 1;
            continue;
        }
        // Only short lines (headings, dates, places) may be reformatted.
        assert!(
            line.chars().count() <= SHORT_LINE,
            "{name}: missing or out of order: {line:?}"
        );
        // Reformatted: every word must occur near the last verbatim match (a
        // layout may put an entry's title before the dates that the source
        // gives first).
        let start = hay.floor_char_boundary(from.saturating_sub(200));
        let end = hay.ceil_char_boundary(from + 400);
        let window = hay[start..end].to_lowercase();
        for word in words(line) {
            assert!(
                window.contains(&word),
                "{name}: line {line:?}: word {word:?} is missing or out of place"
            );
        }
        reformatted.push(line.to_owned());
    }
    // Guard against a test that passes by matching nothing verbatim.
    assert!(
        verbatim * 2 > verbatim + reformatted.len(),
        "{name}: too few verbatim lines: {reformatted:#?}"
    );
}

#[test]
fn every_seed_line_is_in_its_long_form_pdf_in_order_in_every_layout() {
    for layout in LAYOUTS {
        assert_seeds_complete(layout);
    }
}

fn assert_seeds_complete(layout: &str) {
    let out = scratch();
    let Ran { code, stderr, .. } = cvgen(&repo())
        .args([
            "render",
            "input",
            "--variant",
            "long",
            "--layout",
            layout,
            "-o",
        ])
        .arg(out.path())
        .run();
    assert!(code == Some(0), "{layout}: {stderr}");
    let seeds = repo().join("tests/fixtures/seeds");
    let mut checked = 0;
    for entry in std::fs::read_dir(&seeds).unwrap() {
        let path = entry.unwrap().path();
        let slug = path.file_stem().unwrap().to_str().unwrap().to_owned();
        // One source was saved with its middle dot ("·", UTF-8 C2 B7) decoded
        // as Thai (TIS-620), which reads "ยท"; the profile has the dot.
        let seed = std::fs::read_to_string(&path).unwrap().replace("ยท", "·");
        let pdf = out.path().join(format!("{slug}.pdf"));
        assert!(Path::new(&pdf).exists(), "{layout}: no PDF for seed {slug}");
        let profile: toml::Table = toml::from_str(
            &std::fs::read_to_string(repo().join(format!("input/{slug}.toml"))).unwrap(),
        )
        .unwrap();
        let name = profile
            .get("basics")
            .and_then(|b| b.get("name"))
            .and_then(|n| n.as_str());
        assert_seed_complete(&format!("{slug} ({layout})"), &seed, &body_text(&pdf, name));
        checked += 1;
    }
    assert_eq!(checked, 4);
}

#[test]
fn long_form_pdfs_are_numbered_and_carry_the_name_as_metadata() {
    let out = scratch();
    cvgen(&repo())
        .args(["render", "input/mark-callan.toml", "-o"])
        .arg(out.path())
        .ok();
    let pdf = out.path().join("mark-callan.pdf");
    let pages = pdf_pages(&pdf);
    assert!(
        pages.len() >= 3,
        "expected several pages, got {}",
        pages.len()
    );
    for (index, page) in pages.iter().enumerate() {
        let label = format!("Page {} of {}", index + 1, pages.len());
        assert!(page.contains(&label), "page {} lacks {label:?}", index + 1);
    }
    let doc = lopdf::Document::load(&pdf).unwrap();
    let info = doc
        .trailer
        .get(b"Info")
        .and_then(|o| o.as_reference())
        .and_then(|r| doc.get_dictionary(r))
        .unwrap();
    let title = lopdf::decode_text_string(info.get(b"Title").unwrap()).unwrap();
    let author = lopdf::decode_text_string(info.get(b"Author").unwrap()).unwrap();
    assert!(title.contains("Mark L Callan"), "title {title:?}");
    assert_eq!(author, "Mark L Callan");
}

#[test]
fn the_matcher_notices_a_dropped_line() {
    let seed = "Experience\nFirst bullet here\nSecond bullet here\n";
    let pdf = "Experience First bullet here";
    let result = std::panic::catch_unwind(|| assert_seed_complete("demo", seed, pdf));
    assert!(result.is_err(), "a missing line must fail the check");
    let first = "A first bullet that is long enough to count as content, not as a heading or a line of dates, so the order in which it appears matters for the check";
    let second = "A second bullet that is long enough to count as content, not as a heading or a line of dates, so the order in which it appears matters for the check";
    let seed = format!("Experience\n{first}\n{second}\n");
    let swapped = format!("Experience {second} {first}");
    let result = std::panic::catch_unwind(|| assert_seed_complete("demo", &seed, &swapped));
    assert!(result.is_err(), "lines out of order must fail the check");
}
