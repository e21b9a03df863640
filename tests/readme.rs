//! The README's example profile must stay a valid profile.

// Test helpers may panic on what a test controls.
#![allow(clippy::unwrap_used)]

mod common;

use common::*;

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
    let (output, stderr) = run(cvgen(dir.path()).args(["render", "in", "-o", "out"]));
    assert!(output.status.success(), "{stderr}");
    let text = pdf_text(&dir.path().join("out/ada.pdf"));
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
