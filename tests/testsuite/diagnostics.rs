//! Bad profiles: each of `tests/bad/*.toml` has one problem (or one class of
//! problem); `cvgen check` must end with the intended message and exit code,
//! never a panic. The messages are kept as snapshots; after an intended
//! change, regenerate them with
//! `INSTA_UPDATE=always cargo test --release --test testsuite diagnostics`
//! and review the diff.

use std::path::Path;

use crate::support::*;

/// What `cvgen check FILE` says, run in `dir`: the exit code, then stderr.
fn check(dir: &Path, file: &str, extra: &[&str]) -> String {
    let Ran { code, stderr, .. } = cvgen(dir).arg("check").arg(file).args(extra).run();
    assert!(
        !stderr.contains("panicked") && !stderr.contains("RUST_BACKTRACE"),
        "{file}: {stderr}"
    );
    let code = code.unwrap();
    assert!(code == 0 || code == 1, "{file}: exit {code}: {stderr}");
    format!("exit: {code}\n{stderr}")
}

#[test]
fn every_bad_profile_gets_its_message() {
    let dir = repo().join("tests/bad");
    let mut names: Vec<String> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .filter(|name| name.ends_with(".toml"))
        .collect();
    names.sort();
    assert!(names.len() >= 40, "the corpus has {} profiles", names.len());
    for name in names {
        let said = check(&dir, &name, &[]);
        let warnings_only = name.starts_with("warn-");
        assert_eq!(
            said.starts_with("exit: 0"),
            warnings_only,
            "{name}:\n{said}"
        );
        assert!(
            said.contains(if warnings_only {
                "warning: "
            } else {
                "error: "
            }),
            "{name}:\n{said}"
        );
        insta::assert_snapshot!(name.trim_end_matches(".toml"), said);
    }
}

#[test]
fn warnings_fail_when_denied() {
    let dir = repo().join("tests/bad");
    let said = check(&dir, "warn-end-before-start.toml", &["--deny-warnings"]);
    assert!(said.starts_with("exit: 1"), "{said}");
    assert!(said.contains("warnings are denied"), "{said}");
}

#[test]
fn oversized_and_overnested_input_is_refused_quickly() {
    let dir = scratch();
    let cases = [
        (
            "huge-file.toml",
            format!(
                "[[section]]\nkind = \"text\"\nbody = \"{}\"\n",
                "x".repeat(10_000_000)
            ),
            "limited to 1024 KB",
        ),
        (
            "long-string.toml",
            format!(
                "[[section]]\nkind = \"text\"\nbody = \"{}\"\n",
                "x".repeat(200_000)
            ),
            "a field holds at most",
        ),
        (
            "many-items.toml",
            format!(
                "[[section]]\nkind = \"list\"\nitems = [{}]\n",
                vec!["\"a\""; 100_000].join(", ")
            ),
            "this list has 100000 items",
        ),
        (
            "deep-arrays.toml",
            format!("a = {}{}\n", "[".repeat(100_000), "]".repeat(100_000)),
            "cannot recurse further",
        ),
        (
            "deep-tables.toml",
            format!(
                "[basics]\nname = {}1{}\n",
                "{ a = ".repeat(5_000),
                " }".repeat(5_000)
            ),
            "error: ",
        ),
    ];
    for (name, text, expected) in cases {
        write(&dir.path().join(name), &text);
        let started = std::time::Instant::now();
        let said = check(dir.path(), name, &[]);
        assert!(
            said.starts_with("exit: 1") && said.contains(expected),
            "{name}:\n{}",
            &said[..said.len().min(600)]
        );
        assert!(
            said.len() < 2_000,
            "{name}: the message quotes the input: {} bytes",
            said.len()
        );
        assert!(
            started.elapsed().as_secs() < 30,
            "{name} took {:?}",
            started.elapsed()
        );
    }
}

#[test]
fn the_checked_in_schema_is_current() {
    let Ran { stdout, .. } = cvgen(&repo()).arg("schema").ok();
    let checked_in = std::fs::read_to_string(repo().join("schema/profile.schema.json")).unwrap();
    assert!(
        String::from_utf8(stdout).unwrap() == checked_in,
        "schema/profile.schema.json is stale: run `cargo run --release -- schema > schema/profile.schema.json`"
    );
    for entry in std::fs::read_dir(repo().join("input")).unwrap() {
        let path = entry.unwrap().path();
        let text = std::fs::read_to_string(&path).unwrap();
        assert!(
            text.starts_with("#:schema ../schema/profile.schema.json\n"),
            "{}",
            path.display()
        );
    }
    let Ran { stdout, .. } = cvgen(&repo()).args(["schema", "application"]).ok();
    let checked_in =
        std::fs::read_to_string(repo().join("schema/application.schema.json")).unwrap();
    assert!(
        String::from_utf8(stdout).unwrap() == checked_in,
        "schema/application.schema.json is stale: run \
         `cargo run --release -- schema application > schema/application.schema.json`"
    );
    for entry in std::fs::read_dir(repo().join("applications")).unwrap() {
        let path = entry.unwrap().path();
        let text = std::fs::read_to_string(&path).unwrap();
        assert!(
            text.starts_with("#:schema ../schema/application.schema.json\n"),
            "{}",
            path.display()
        );
    }
}

#[test]
fn the_sample_profiles_check_clean_of_errors() {
    let said = check(&repo(), "input", &[]);
    assert!(said.starts_with("exit: 0"), "{said}");
    // The two problems the sources really have are reported as warnings.
    assert!(
        said.contains("warning: section `Personal Interests` is empty"),
        "{said}"
    );
    assert!(
        said.contains("warning: end date 2012-12 is before start date 2019-12"),
        "{said}"
    );
}

#[test]
fn characters_no_font_can_draw_are_named() {
    let dir = scratch();
    // Thai and Chinese are outside the bundled fonts; Greek and Cyrillic are in.
    write(
        &dir.path().join("p.toml"),
        "[basics]\nname = \"Pat\"\n[[section]]\nkind = \"text\"\nbody = \"Ελληνικά, кириллица, ไทย, 漢字\"\n",
    );
    // Without the system's fonts, whatever this machine has installed.
    // The empty boxes would break the PDF standards every document claims
    // by default, so the profile fails, pointing at the warning's field.
    let said = check(dir.path(), "p.toml", &["--ignore-system-fonts"]);
    assert!(said.starts_with("exit: 1"), "{said}");
    assert!(
        said.contains("no font draws 5 character(s) of this profile")
            && said.contains("(ua-1, a-2a) forbid empty boxes"),
        "{said}"
    );
    assert_eq!(
        said.matches("no font can draw").count(),
        1,
        "one warning for the field: {said}"
    );
    assert!(said.contains("p.toml:5:8"), "at the value: {said}");
    assert!(
        said.contains("ไ (U+0E44)") && said.contains("漢 (U+6F22)"),
        "{said}"
    );
    assert!(
        said.contains("fonts-noto-cjk") && said.contains("font-noto-sans-thai"),
        "{said}"
    );
    assert!(
        !said.contains("Ε (U+") && !said.contains("к (U+"),
        "Greek and Cyrillic are covered: {said}"
    );
    let denied = check(
        dir.path(),
        "p.toml",
        &["--ignore-system-fonts", "--deny-warnings"],
    );
    assert!(denied.starts_with("exit: 1"), "{denied}");
}
