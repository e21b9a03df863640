//! cvgen as a make step and a CI batch: reproducible bytes, incremental
//! runs, dependency files that real make uses, atomic writes under kill,
//! shards, and the JSON report.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};

use crate::support::*;

/// Something read from every PDF in a folder, by file name.
fn per_pdf<T>(dir: &Path, read: impl Fn(&Path) -> T) -> BTreeMap<String, T> {
    std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "pdf"))
        .map(|p| {
            (
                p.file_name().unwrap().to_str().unwrap().to_owned(),
                read(&p),
            )
        })
        .collect()
}

/// Every PDF in a folder with its bytes.
fn pdfs(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    per_pdf(dir, |p| std::fs::read(p).unwrap())
}

fn mtimes(dir: &Path) -> BTreeMap<String, SystemTime> {
    per_pdf(dir, |p| p.metadata().unwrap().modified().unwrap())
}

/// Runs `cvgen render` with a JSON report and returns it.
fn render_with_report(dir: &Path, args: &[&str]) -> serde_json::Value {
    let Ran { stdout, .. } = cvgen(dir).args(["render", "--report", "-"]).args(args).ok();
    serde_json::from_slice(&stdout).unwrap()
}

fn statuses(report: &serde_json::Value) -> BTreeMap<String, String> {
    report["jobs"]
        .as_array()
        .unwrap()
        .iter()
        .map(|job| {
            let output = Path::new(job["output"].as_str().unwrap())
                .file_name()
                .unwrap()
                .to_str()
                .unwrap()
                .to_owned();
            (output, job["status"].as_str().unwrap().to_owned())
        })
        .collect()
}

#[test]
fn bytes_do_not_depend_on_jobs_or_the_working_directory() {
    let a = job_search_repo();
    let b = job_search_repo();
    cvgen(a.path()).args(["render", "-j", "1"]).ok();
    cvgen(b.path()).args(["render", "--jobs", "2"]).ok();
    let first = pdfs(&a.path().join("output"));
    let second = pdfs(&b.path().join("output"));
    // Three variants of four samples, and of the bilingual one in each language.
    assert_eq!(first.len(), 18);
    assert_eq!(
        first.keys().collect::<Vec<_>>(),
        second.keys().collect::<Vec<_>>()
    );
    for (name, bytes) in &first {
        assert!(
            bytes == &second[name],
            "{name} differs between -j 1 in one folder and -j 2 in another"
        );
    }
    // SOURCE_DATE_EPOCH fixes the date; the same epoch gives the same bytes.
    cvgen(b.path())
        .env("SOURCE_DATE_EPOCH", "1700000000")
        .args(["render", "-o", "dated"])
        .ok();
    cvgen(a.path())
        .env("SOURCE_DATE_EPOCH", "1700000000")
        .args(["render", "-o", "dated"])
        .ok();
    assert_eq!(pdfs(&a.path().join("dated")), pdfs(&b.path().join("dated")));
}

#[test]
fn a_second_run_writes_nothing_and_an_edit_renders_only_its_profile() {
    let dir = job_search_repo();
    let first = render_with_report(dir.path(), &[]);
    assert!(statuses(&first).values().all(|s| s == "written"), "{first}");
    let before = mtimes(&dir.path().join("output"));
    std::thread::sleep(Duration::from_millis(20));

    let second = render_with_report(dir.path(), &[]);
    assert!(
        statuses(&second).values().all(|s| s == "unchanged"),
        "{second}"
    );
    assert_eq!(
        mtimes(&dir.path().join("output")),
        before,
        "unchanged outputs keep their mtime"
    );

    // Edit one profile: only its outputs are made again.
    let profile = dir.path().join("input/reed-allman.toml");
    let text = std::fs::read_to_string(&profile)
        .unwrap()
        .replace("Human Bits", "Human Things");
    std::fs::write(&profile, text).unwrap();
    let third = statuses(&render_with_report(dir.path(), &[]));
    for (output, status) in &third {
        let mine = output.starts_with("reed-allman") || output == "candidate-75da5b0f.pdf";
        assert_eq!(
            status,
            if mine { "written" } else { "unchanged" },
            "{output}: {third:?}"
        );
    }

    // A deleted or edited output is made again; --force makes everything.
    std::fs::remove_file(dir.path().join("output/my-story.pdf")).unwrap();
    std::fs::write(dir.path().join("output/positions.pdf"), b"%PDF-1.7 edited").unwrap();
    let fourth = statuses(&render_with_report(dir.path(), &[]));
    assert_eq!(fourth["my-story.pdf"], "written");
    assert_eq!(fourth["positions.pdf"], "written");
    assert_eq!(fourth["mark-callan.pdf"], "unchanged");
    let forced = statuses(&render_with_report(dir.path(), &["--force"]));
    assert!(forced.values().all(|s| s == "written"), "{forced:?}");
}

#[test]
fn the_report_has_the_documented_fields() {
    let dir = job_search_repo();
    write(&dir.path().join("input/broken.toml"), "[basics\n");
    let Ran { code, .. } = cvgen(dir.path())
        .args([
            "render",
            "--report",
            "report.json",
            "--variant",
            "long,onepage",
        ])
        .run();
    assert_eq!(code, Some(1));
    let report: serde_json::Value =
        serde_json::from_slice(&std::fs::read(dir.path().join("report.json")).unwrap()).unwrap();
    assert_eq!(report["failed"], 1);
    assert_eq!(report["written"], 12);
    for job in report["jobs"].as_array().unwrap() {
        for field in [
            "profile",
            "variant",
            "language",
            "format",
            "output",
            "status",
            "pages",
            "milliseconds",
            "compiles",
            "dropped",
            "reduced",
            "warnings",
            "errors",
        ] {
            assert!(job.get(field).is_some(), "job lacks {field}: {job}");
        }
        match job["status"].as_str().unwrap() {
            "written" => {
                assert!(job["pages"].as_u64().unwrap() >= 1);
                assert!(job["compiles"].as_u64().unwrap() >= 1);
                assert!(job["milliseconds"].is_u64());
                if job["variant"] == "onepage" {
                    assert_eq!(job["pages"], 1);
                }
                // The samples are in English but the bilingual one's German
                // documents, and every job writes a PDF.
                let output = job["output"].as_str().unwrap();
                let language = if output.ends_with(".de.pdf") {
                    "de"
                } else {
                    "en"
                };
                assert_eq!(job["language"], language, "{job}");
                assert_eq!(job["format"], "pdf", "{job}");
            }
            "failed" => {
                assert_eq!(job["profile"], "input/broken.toml");
                assert!(
                    job["errors"][0]
                        .as_str()
                        .unwrap()
                        .contains("input/broken.toml:1:"),
                    "{job}"
                );
            }
            other => panic!("unexpected status {other}"),
        }
    }
}

#[test]
fn shards_split_the_jobs_exactly() {
    let dir = job_search_repo();
    let mut union: Vec<String> = Vec::new();
    for k in 1..=3 {
        let shard = format!("{k}/3");
        let report =
            render_with_report(dir.path(), &["--shard", &shard, "-o", &format!("shard{k}")]);
        union.extend(statuses(&report).into_keys());
    }
    let full = statuses(&render_with_report(dir.path(), &["-o", "full"]));
    let mut sorted = union.clone();
    sorted.sort();
    sorted.dedup();
    assert_eq!(
        sorted.len(),
        union.len(),
        "a job ran in two shards: {union:?}"
    );
    assert_eq!(sorted, full.into_keys().collect::<Vec<_>>());
    cvgen(dir.path())
        .args(["render", "--shard", "4/3"])
        .fails(2);
}

#[test]
fn an_unwritable_output_folder_is_one_clear_error() {
    let dir = job_search_repo();
    write(&dir.path().join("a-file"), "not a folder");
    let Ran { stderr, .. } = cvgen(dir.path())
        .args(["render", "-o", "a-file/out"])
        .fails(2);
    assert!(
        stderr.starts_with("error: a-file/out: cannot write to the output folder:"),
        "{stderr}"
    );
}

/// Every PDF in `dir` is whole: it ends as a PDF ends and parses.
fn assert_pdfs_complete(dir: &Path) {
    for path in std::fs::read_dir(dir).unwrap().map(|e| e.unwrap().path()) {
        if path.extension().is_some_and(|e| e == "pdf") {
            let bytes = std::fs::read(&path).unwrap();
            assert!(
                bytes.trim_ascii_end().ends_with(b"%%EOF"),
                "{} is truncated",
                path.display()
            );
            lopdf::Document::load_mem(&bytes).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        }
    }
}

/// The temporary files in the output folder and its state folder.
fn temporaries(dir: &Path) -> Vec<PathBuf> {
    [dir.join("output"), dir.join("output/.cvgen")]
        .iter()
        .filter(|d| d.is_dir())
        .flat_map(|d| std::fs::read_dir(d).unwrap().map(|e| e.unwrap().path()))
        .filter(|p| p.file_name().unwrap().to_str().unwrap().ends_with(".tmp"))
        .collect()
}

#[test]
fn a_run_killed_mid_write_leaves_only_complete_pdfs() {
    let dir = job_search_repo();
    // A first run, so that the kill below interrupts the rewrite of files
    // that already exist.
    cvgen(dir.path()).args(["render", "-q"]).ok();
    // Every write pauses halfway (a test hook), so the kill lands inside one.
    let mut child = cvgen(dir.path())
        .args(["render", "-q", "--force", "-j", "1"])
        .env("CVGEN_TEST_STALL_WRITES_MS", "60000")
        .spawn();
    let started = std::time::Instant::now();
    let partial = loop {
        let found: Vec<PathBuf> = temporaries(dir.path())
            .into_iter()
            .filter(|p| p.metadata().is_ok_and(|m| m.len() > 0))
            .collect();
        if let Some(partial) = found.into_iter().next() {
            break partial;
        }
        assert!(
            started.elapsed() < Duration::from_secs(60),
            "no write was started within a minute"
        );
        std::thread::sleep(Duration::from_millis(10));
    };
    child.kill().unwrap();
    child.wait().unwrap();
    // The write was interrupted: its temporary file holds half a file...
    let bytes = std::fs::read(&partial).unwrap();
    assert!(!bytes.is_empty() && !bytes.trim_ascii_end().ends_with(b"%%EOF"));
    // ...and every file in place of an output is whole.
    assert_pdfs_complete(&dir.path().join("output"));
    // The next run clears what the killed one left and makes everything.
    cvgen(dir.path()).args(["render", "-q"]).ok();
    assert!(!partial.exists(), "{} was left behind", partial.display());
    assert_eq!(temporaries(dir.path()), Vec::<PathBuf>::new());
    assert_pdfs_complete(&dir.path().join("output"));
}
