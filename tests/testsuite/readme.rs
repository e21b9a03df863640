//! The README's example profile must stay a valid profile.

use crate::support::*;

#[test]
fn the_readme_example_profile_renders() {
    let readme = std::fs::read_to_string(repo().join("README.md")).unwrap();
    let start = readme
        .find("```toml\n[basics]")
        .expect("README has a profile example")
        + "```toml\n".len();
    let end = start + readme[start..].find("```").unwrap();
    let dir = scratch();
    write(&dir.path().join("in/ada.toml"), &readme[start..end]);
    // The example names a photo beside the profile: a 1x1 PNG.
    std::fs::write(dir.path().join("in/photo.png"), ONE_PIXEL_PNG).unwrap();
    cvgen(dir.path()).args(["render", "in", "-o", "out"]).ok();
    let text = pdf_text(&dir.path().join("out/ada-example.pdf"));
    assert_in_order(
        &text,
        &[
            "Ada Example".into(),
            "ada@example.org".into(),
            "Objective".into(),
            "Building reliable infrastructure.".into(),
            "Principal Engineer | September 2022 – Present".into(),
            "Remote execution".into(),
            "Third level".into(),
            "Later, on the data team:".into(),
            "Human Bits".into(),
        ],
        "README example",
    );
}

/// The smallest valid PNG: one transparent pixel.
const ONE_PIXEL_PNG: &[u8] = &[
    0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0x00, 0x00, 0x00, 0x0D, 0x49, 0x48, 0x44, 0x52,
    0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x01, 0x08, 0x06, 0x00, 0x00, 0x00, 0x1F, 0x15, 0xC4,
    0x89, 0x00, 0x00, 0x00, 0x0A, 0x49, 0x44, 0x41, 0x54, 0x78, 0x9C, 0x63, 0x00, 0x01, 0x00, 0x00,
    0x05, 0x00, 0x01, 0x0D, 0x0A, 0x2D, 0xB4, 0x00, 0x00, 0x00, 0x00, 0x49, 0x45, 0x4E, 0x44, 0xAE,
    0x42, 0x60, 0x82,
];

/// The README's example of a profile in two languages makes a document in
/// each.
#[test]
fn the_readme_example_in_two_languages_renders_in_each() {
    let readme = std::fs::read_to_string(repo().join("README.md")).unwrap();
    let start = readme
        .find("```toml\n[output]\nlanguages")
        .expect("README has a translations example")
        + "```toml\n".len();
    let end = start + readme[start..].find("```").unwrap();
    let dir = scratch();
    write(&dir.path().join("in/lv.toml"), &readme[start..end]);
    let ran = cvgen(dir.path())
        .args([
            "render",
            "in",
            "-o",
            "out",
            "--variant",
            "long",
            "--deny-warnings",
        ])
        .ok();
    assert!(!ran.stderr.contains("warning"), "{}", ran.stderr);
    let german = squash(&pdf_text(&dir.path().join("out/lv.de.pdf")));
    let english = squash(&pdf_text(&dir.path().join("out/lv.en.pdf")));
    for words in [
        "Dateningenieurin",
        "München",
        "Berufserfahrung",
        "Datenverträge",
    ] {
        assert!(german.contains(&squash(words)), "{words}: {german}");
    }
    for words in ["Data engineer", "Munich", "Experience", "data contracts"] {
        assert!(english.contains(&squash(words)), "{words}: {english}");
    }
}
