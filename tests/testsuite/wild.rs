//! Inputs found in the wild (`tests/wild/`): each test failed before its
//! fix. Lost outputs first: no two jobs may write one file.

use std::path::{Path, PathBuf};
use std::process::Stdio;

use crate::support::*;

fn wild(case: &str) -> PathBuf {
    repo().join("tests/wild").join(case)
}

/// Files in a folder, sorted; none if it does not exist.
fn files(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .map(|entries| {
            entries
                .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
                .collect()
        })
        .unwrap_or_default();
    names.sort();
    names
}

#[test]
fn two_folders_with_the_same_profile_name_are_refused_before_anything_is_written() {
    let out = scratch();
    let Ran { stderr, .. } = cvgen(&wild("same-name"))
        .args(["render", "a", "b", "-o"])
        .arg(out.path())
        .fails(2);
    assert!(
        stderr.contains("p.pdf would be written twice, by a/p.toml (long) and by b/p.toml (long)"),
        "{stderr}"
    );
    assert!(
        stderr.contains("-o") && stderr.contains("[output] name"),
        "{stderr}"
    );
    assert_eq!(files(out.path()), Vec::<String>::new(), "nothing written");
}

#[test]
fn an_output_name_is_the_way_out_of_a_clash() {
    let dir = scratch();
    for folder in ["a", "b"] {
        let text = std::fs::read_to_string(wild("same-name").join(folder).join("p.toml")).unwrap();
        write(
            &dir.path().join(folder).join("p.toml"),
            &format!("[output]\nname = \"pat-{folder}\"\n\n{text}"),
        );
    }
    cvgen(dir.path())
        .args(["render", "a", "b", "--variant", "long", "-o", "out"])
        .ok();
    assert_eq!(
        files(&dir.path().join("out")),
        [".cvgen", "pat-a.pdf", "pat-b.pdf"]
    );
    assert!(pdf_text(&dir.path().join("out/pat-b.pdf")).contains("From folder b."));
}

#[test]
fn a_profile_named_like_another_ones_variant_is_refused() {
    let out = scratch();
    let Ran { stderr, .. } = cvgen(&wild("variant-names"))
        .args(["render", ".", "-o"])
        .arg(out.path())
        .fails(2);
    assert!(
        stderr.contains("alice-onepage.pdf would be written twice")
            && stderr.contains("alice-onepage.toml (long)")
            && stderr.contains("alice.toml (onepage)"),
        "{stderr}"
    );
    assert_eq!(files(out.path()), Vec::<String>::new());
}

#[test]
fn two_profiles_of_one_person_are_refused_until_one_has_its_own_id() {
    let dir = scratch();
    for name in ["sam-backend.toml", "sam-data.toml"] {
        std::fs::copy(wild("same-person").join(name), dir.path().join(name)).unwrap();
    }
    let Ran { stderr, .. } = cvgen(dir.path()).args(["render", "."]).fails(2);
    assert!(
        stderr.contains("would be written twice") && stderr.contains("[anonymize] id"),
        "{stderr}"
    );
    // With an id of its own, the second gets its own anonymized file; a
    // clash names the line that chose the id.
    let data = dir.path().join("sam-data.toml");
    let text = std::fs::read_to_string(&data).unwrap();
    write(&data, &format!("[anonymize]\nid = \"c-0042\"\n\n{text}"));
    cvgen(dir.path()).args(["render", ".", "-q"]).ok();
    assert!(dir.path().join("output/candidate-c-0042.pdf").exists());
    let backend = dir.path().join("sam-backend.toml");
    let text = std::fs::read_to_string(&backend).unwrap();
    write(&backend, &format!("[anonymize]\nid = \"c-0042\"\n\n{text}"));
    let Ran { stderr, .. } = cvgen(dir.path()).args(["render", "."]).fails(2);
    assert!(stderr.contains("named at ./sam-data.toml:2:6"), "{stderr}");
}

#[test]
fn the_same_profile_named_twice_renders_once() {
    let dir = scratch();
    write(
        &dir.path().join("in/p.toml"),
        "[basics]\nname = \"Pat\"\n[[section]]\nkind = \"text\"\nbody = \"Hello.\"\n",
    );
    let Ran { stderr, .. } = cvgen(dir.path())
        .args([
            "render",
            "in/p.toml",
            "./in/p.toml",
            "in",
            "--variant",
            "long",
        ])
        .ok();
    assert!(stderr.contains("rendered 1 document(s)"), "{stderr}");
}

#[test]
fn a_report_without_its_folder_is_refused_before_rendering() {
    let dir = job_search_repo();
    let Ran { stderr, .. } = cvgen(dir.path())
        .args(["render", "--report", "reports/r.json"])
        .fails(2);
    assert!(
        stderr.contains("reports/r.json: cannot write the report there"),
        "{stderr}"
    );
    assert!(!dir.path().join("output").exists(), "nothing rendered");
}

#[test]
fn a_closed_or_full_standard_output_is_no_panic() {
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_cvgen"))
        .arg("layouts")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    drop(child.stdout.take());
    let output = child.wait_with_output().unwrap();
    assert_eq!(output.status.code(), Some(0), "{output:?}");

    let dir = job_search_repo();
    let full = std::fs::File::create("/dev/full").unwrap();
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_cvgen"))
        .current_dir(dir.path())
        .args(["render", "input/my-story.toml", "--report", "-"])
        .stdout(full)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("cannot write the report"), "{stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
}

/// A layout that computes for ever: its jobs fail on their time budget,
/// the other profile renders.
#[test]
fn a_runaway_layout_fails_alone_within_its_time_budget() {
    let dir = scratch();
    write(
        &dir.path().join("layouts/slow.typ"),
        "// slow: never ends\n#let cv = json(\"/cv.json\")\n#for i in range(4000000000) { }\n",
    );
    write(
        &dir.path().join("in/a.toml"),
        "[basics]\nname = \"Pat\"\n[layout]\nname = \"slow\"\n",
    );
    write(&dir.path().join("in/b.toml"), "[basics]\nname = \"Kim\"\n");
    let started = std::time::Instant::now();
    let Ran { stderr, .. } = cvgen(dir.path())
        .args(["render", "in", "--variant", "long", "--timeout", "2"])
        .fails(1);
    assert!(
        started.elapsed().as_secs() < 60,
        "the run waited for the runaway"
    );
    assert!(
        stderr.contains("in/a.toml (long): took longer than 2 s") && stderr.contains("--timeout"),
        "{stderr}"
    );
    assert_eq!(files(&dir.path().join("output")), [".cvgen", "b.pdf"]);
}

/// A layout that allocates without end stops the run at its memory ceiling
/// with a clear message, instead of taking the machine's memory.
#[test]
fn a_run_over_its_memory_ceiling_stops_cleanly() {
    let dir = scratch();
    write(
        &dir.path().join("layouts/big.typ"),
        "// big: grows\n#let cv = json(\"/cv.json\")\n#let a = ()\n#for i in range(400000000) { a.push(i) }\n",
    );
    write(
        &dir.path().join("in/a.toml"),
        "[basics]\nname = \"Pat\"\n[layout]\nname = \"big\"\n",
    );
    let Ran { stderr, .. } = cvgen(dir.path())
        .args(["render", "in", "--variant", "long", "--max-memory", "400"])
        .fails(1);
    assert!(
        stderr.contains("in/a.toml (long): the run went over its memory ceiling of 400 MB"),
        "{stderr}"
    );
    assert!(!dir.path().join("output/a.pdf").exists());
}

#[test]
fn a_pipe_or_a_device_as_a_profile_is_refused_without_waiting() {
    let dir = scratch();
    let fifo = dir.path().join("p.toml");
    let made = std::process::Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .unwrap();
    assert!(made.success());
    let Ran { stderr, .. } = cvgen(dir.path())
        .args(["render", "p.toml", "/dev/zero"])
        .fails(1);
    assert!(stderr.contains("p.toml: not a regular file"), "{stderr}");
    assert!(stderr.contains("/dev/zero: not a regular file"), "{stderr}");
}

#[test]
fn emitting_typst_into_a_file_is_refused_before_anything_is_written() {
    let dir = job_search_repo();
    write(&dir.path().join("afile"), "not a folder");
    let Ran { stderr, .. } = cvgen(dir.path())
        .args(["render", "--emit-typst", "afile"])
        .fails(2);
    assert!(
        stderr.contains("--emit-typst afile: not a folder"),
        "{stderr}"
    );
    assert!(!dir.path().join("output").exists());
}

/// `render --deny-warnings` refuses what `check --deny-warnings` refuses,
/// including characters no font can draw.
#[test]
fn render_denies_the_warnings_check_denies() {
    let dir = scratch();
    write(
        &dir.path().join("in/p.toml"),
        "[basics]\nname = \"Pat\"\n[[section]]\nkind = \"text\"\nbody = \"ภาษาไทย\"\n",
    );
    cvgen(dir.path())
        .args(["check", "in", "--deny-warnings", "--ignore-system-fonts"])
        .fails(1);
    let Ran { stderr, .. } = cvgen(dir.path())
        .args([
            "render",
            "in",
            "--deny-warnings",
            "--ignore-system-fonts",
            // Empty boxes break PDF/A by themselves; without a standard
            // only the denial stops them.
            "--pdf-standard",
            "none",
            "--variant",
            "long",
        ])
        .fails(1);
    assert!(stderr.contains("warnings are denied"), "{stderr}");
    assert!(!dir.path().join("output/p.pdf").exists());
}

#[test]
fn the_report_carries_the_profile_checks_warnings() {
    let dir = scratch();
    write(
        &dir.path().join("in/p.toml"),
        "[basics]\nname = \"Pat\"\n[[section]]\nkind = \"work\"\n[[section.entries]]\n\
         position = \"Engineer\"\nstart_date = \"2019-12\"\nend_date = \"2012-12\"\n",
    );
    let Ran { stdout, .. } = cvgen(dir.path())
        .args(["render", "in", "--variant", "long", "--report", "-"])
        .ok();
    let report: serde_json::Value = serde_json::from_slice(&stdout).unwrap();
    let warnings = report["jobs"][0]["warnings"].to_string();
    assert!(
        warnings.contains("end date 2012-12 is before start date 2019-12"),
        "{warnings}"
    );
}

#[test]
fn a_writability_probe_left_by_a_killed_run_is_cleared() {
    let dir = job_search_repo();
    write(&dir.path().join("output/.cvgen-probe-Ab12Cd"), "");
    cvgen(dir.path())
        .args(["render", "input/my-story.toml", "-q"])
        .ok();
    assert!(!dir.path().join("output/.cvgen-probe-Ab12Cd").exists());
    assert!(
        !files(&dir.path().join("output"))
            .iter()
            .any(|f| f.ends_with(".tmp")),
        "{:?}",
        files(&dir.path().join("output"))
    );
}
