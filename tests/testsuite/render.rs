//! `cvgen render` end to end: literal text, reproducible bytes, contained
//! failures, clear errors, and the sandbox around layouts.

use crate::support::*;

/// Strings that would be code if profile text were ever spliced into Typst
/// source, and Markdown that would be a block if parsed as a document.
const INJECTIONS: &[&str] = &[
    "#read(\"/etc/passwd\")",
    "$x^2$",
    "<label>",
    "@ref",
    "back\\slash",
    "a ] bracket",
    "#panic(\"boom\")",
    "# not a heading",
];

fn injection_profile() -> String {
    let list = |items: &[&str]| {
        items
            .iter()
            .map(|s| format!("{s:?}"))
            .collect::<Vec<_>>()
            .join(", ")
    };
    format!(
        r#"[basics]
name = {name:?}
label = {label:?}

[[section]]
kind = "text"
title = {title:?}
body = {body:?}

[[section]]
kind = "work"

[[section.entries]]
position = {position:?}
name = {org:?}
start_date = "2020-01"
end_date = "present"
highlights = [{highlights}]
"#,
        name = "Eve #strong[x] Example",
        label = INJECTIONS[0],
        title = "$x^2$ <label>",
        body = INJECTIONS.join("\n\n"),
        position = "@ref ] \\",
        org = "#read(\"/etc/hostname\")",
        highlights = list(INJECTIONS),
    )
}

#[test]
fn profile_text_renders_literally_and_is_never_evaluated() {
    let dir = scratch();
    write(&dir.path().join("in/eve.toml"), &injection_profile());
    cvgen(dir.path()).args(["render", "in", "-o", "out"]).ok();
    let text = pdf_text(&dir.path().join("out/eve.pdf"));
    let mut expected: Vec<String> = vec![
        "Eve #strong[x] Example".into(),
        INJECTIONS[0].into(),
        "$x^2$ <label>".into(),
    ];
    expected.extend(INJECTIONS.iter().map(|s| s.to_string()));
    expected.push("@ref ] \\".into());
    expected.push("#read(\"/etc/hostname\")".into());
    expected.extend(INJECTIONS.iter().map(|s| s.to_string()));
    assert_in_order(&text, &expected, "injection profile");
    assert!(!text.contains("root:"), "/etc/passwd leaked into the PDF");
}

#[test]
fn two_runs_give_byte_identical_pdfs() {
    let first = scratch();
    let second = scratch();
    for out in [&first, &second] {
        cvgen(&repo())
            .args(["render", "input", "-o"])
            .arg(out.path())
            .ok();
    }
    let mut compared = 0;
    for entry in std::fs::read_dir(first.path()).unwrap() {
        let name = entry.unwrap().file_name();
        if !name.to_string_lossy().ends_with(".pdf") {
            continue;
        }
        let a = std::fs::read(first.path().join(&name)).unwrap();
        let b = std::fs::read(second.path().join(&name)).unwrap();
        assert!(a == b, "{name:?} differs between runs");
        compared += 1;
    }
    assert_eq!(
        compared, 18,
        "three variants of four profiles and the bilingual one's two"
    );
}

#[test]
fn a_missing_input_is_a_usage_error_naming_it() {
    let dir = scratch();
    let Ran { stderr, .. } = cvgen(dir.path()).args(["render", "nowhere.toml"]).fails(2);
    assert!(
        stderr.contains("error: nowhere.toml: no such file or folder"),
        "{stderr}"
    );
    assert!(
        !dir.path().join("output").exists(),
        "nothing is written for a usage error"
    );
}

#[test]
fn a_broken_profile_fails_alone_with_its_file_and_line() {
    let dir = scratch();
    write(
        &dir.path().join("in/good.toml"),
        "[basics]\nname = \"Good Person\"\n",
    );
    write(
        &dir.path().join("in/bad.toml"),
        "[basics]\nname = \"Bad\"\n\n[[section]]\nkind = \"work\"\ntitel = \"Jobs\"\n",
    );
    write(
        &dir.path().join("in/dates.toml"),
        "[[section]]\nkind = \"work\"\n[[section.entries]]\nstart_date = \"2019-13\"\n",
    );
    // A profile that cannot be read: a link to nothing.
    #[cfg(unix)]
    std::os::unix::fs::symlink("/nonexistent/profile.toml", dir.path().join("gone.toml")).unwrap();
    let Ran { stderr, .. } = cvgen(dir.path())
        .args(["render", "in", "gone.toml", "-o", "out"])
        .fails(1);
    assert!(
        stderr.contains("error: unknown field `titel`\n  ┌─ in/bad.toml:6:1"),
        "{stderr}"
    );
    assert!(
        stderr.contains("in/dates.toml:4:14") && stderr.contains("month 13"),
        "{stderr}"
    );
    #[cfg(unix)]
    assert!(
        stderr.contains("error: gone.toml: cannot read profile: No such file or directory\n"),
        "{stderr}"
    );
    assert!(
        dir.path().join("out/good.pdf").exists(),
        "the good profile still renders"
    );
    assert!(!dir.path().join("out/bad.pdf").exists());
    let mut leftovers: Vec<_> = std::fs::read_dir(dir.path().join("out"))
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .filter(|name| !name.starts_with("candidate-") && name != ".cvgen")
        .collect();
    leftovers.sort();
    assert_eq!(
        leftovers,
        ["good-onepage.pdf", "good.pdf"],
        "no temporary or partial files"
    );
}

#[test]
fn layout_parameters_are_checked_and_applied() {
    let dir = scratch();
    write(
        &dir.path().join("in/p.toml"),
        "[basics]\nname = \"Pat\"\n[layout]\npaper = \"us-letter\"\n",
    );
    cvgen(dir.path())
        .args(["render", "in", "-o", "out", "--set", "accent=#a00"])
        .ok();
    let doc = lopdf::Document::load(dir.path().join("out/p.pdf")).unwrap();
    let page = doc.get_pages().into_values().next().unwrap();
    let media = doc
        .get_dictionary(page)
        .unwrap()
        .get(b"MediaBox")
        .unwrap()
        .as_array()
        .unwrap()
        .clone();
    let width = media[2].as_float().unwrap();
    assert!(
        (width - 612.0).abs() < 0.5,
        "us-letter is 612pt wide, got {width}"
    );

    let Ran { stderr, .. } = cvgen(dir.path())
        .args(["render", "in", "-o", "out", "--set", "paper=a5"])
        .fails(2);
    assert!(
        stderr.contains("bad value for layout parameter `paper`")
            && stderr.contains("one of: a4, us-letter"),
        "{stderr}"
    );

    // A --set no layout has is one usage error, not one per profile.
    let Ran { stderr, .. } = cvgen(dir.path())
        .args(["render", "in", "-o", "out", "--set", "colour=#000"])
        .fails(2);
    assert!(
        stderr.contains("no layout has a parameter `colour`") && stderr.contains("accent"),
        "{stderr}"
    );
    assert_eq!(stderr.matches("error:").count(), 1, "{stderr}");

    let Ran { stderr, .. } = cvgen(dir.path())
        .args(["render", "in", "--layout", "fancy"])
        .fails(2);
    assert!(
        stderr.contains("unknown layout `fancy`; available layouts: academic, classic"),
        "{stderr}"
    );
}

#[test]
fn user_layouts_cannot_read_outside_the_sandbox() {
    let dir = scratch();
    write(
        &dir.path().join("in/p.toml"),
        "[basics]\nname = \"Pat\"\n[layout]\nname = \"peek\"\n",
    );
    write(&dir.path().join("secret.txt"), "top secret");
    for (target, expected) in [
        ("/etc/passwd", "file not found"),
        ("/profile/../secret.txt", "file not found"),
        ("../../secret.txt", "would escape the project root"),
    ] {
        write(
            &dir.path().join("layouts/peek.typ"),
            &format!("// peek: reads a file\n#read({target:?})\n"),
        );
        let Ran { code, stderr, .. } = cvgen(dir.path()).args(["render", "in", "-o", "out"]).run();
        assert_eq!(code, Some(1), "{target}: {stderr}");
        assert!(stderr.contains(expected), "{target}: {stderr}");
        assert!(
            stderr.contains("peek.typ:2:"),
            "{target}: error names the layout line: {stderr}"
        );
    }
    #[cfg(unix)]
    {
        std::os::unix::fs::symlink(
            dir.path().join("secret.txt"),
            dir.path().join("in/link.txt"),
        )
        .unwrap();
        write(
            &dir.path().join("layouts/peek.typ"),
            "// peek\n#read(\"/profile/link.txt\")\n",
        );
        let Ran { stderr, .. } = cvgen(dir.path())
            .args(["render", "in", "-o", "out"])
            .fails(1);
        assert!(stderr.contains("outside the profile's folder"), "{stderr}");
        assert!(!stderr.contains("top secret"));
    }
}

#[test]
fn user_layouts_override_and_import_the_built_in_components() {
    let dir = scratch();
    write(
        &dir.path().join("in/p.toml"),
        "[basics]\nname = \"Pat Doe\"\n[layout]\nname = \"mine\"\ntone = \"loud\"\n",
    );
    write(
        &dir.path().join("layouts/mine.typ"),
        "// mine: a user layout\n// @param tone: choice(quiet, loud) = \"quiet\" -- how it sounds\n\
         #import \"lib/cv.typ\": header\n#let cv = json(\"/cv.json\")\n#header(cv.basics)\nTone: #cv.params.tone\n",
    );
    cvgen(dir.path()).args(["render", "in", "-o", "out"]).ok();
    let text = pdf_text(&dir.path().join("out/p.pdf"));
    assert_in_order(
        &text,
        &["Pat Doe".into(), "Tone: loud".into()],
        "user layout",
    );
}
