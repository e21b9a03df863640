//! Hostile and careless inputs against the newer surfaces (reports,
//! exports, imports, applications, make, watch): special files and
//! symlinks where cvgen reads and writes, names that are path components,
//! two processes writing one folder, parser bombs. Each case failed before
//! its fix; `tests/hostile/README.md` lists the classes.

use std::os::unix::fs::FileTypeExt;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use crate::support::*;

const PROFILE: &str = "[basics]\nname = \"Pat Example\"\nemail = \"pat@example.org\"\n\
    [[section]]\nkind = \"text\"\ntitle = \"About\"\nbody = \"Builds things.\"\n";

fn mkfifo(path: &Path) {
    let status = Command::new("mkfifo")
        .arg(path)
        .status()
        .expect("mkfifo runs");
    assert!(status.success());
}

/// Reads a FIFO to its end on another thread.
fn drain(path: &Path) -> std::thread::JoinHandle<String> {
    let path = path.to_owned();
    std::thread::spawn(move || std::fs::read_to_string(path).unwrap())
}

#[test]
fn reports_and_exports_are_written_through_links_and_pipes() {
    let dir = scratch();
    write(&dir.path().join("in/p.toml"), PROFILE);
    // A symlink stays a symlink; the file it points at gets the report.
    write(&dir.path().join("real.json"), "");
    std::os::unix::fs::symlink("real.json", dir.path().join("link.json")).unwrap();
    cvgen(dir.path())
        .args(["render", "in", "-q", "-o", "out", "--report", "link.json"])
        .ok();
    let link = std::fs::symlink_metadata(dir.path().join("link.json")).unwrap();
    assert!(link.file_type().is_symlink(), "the link was replaced");
    let report = std::fs::read_to_string(dir.path().join("real.json")).unwrap();
    assert!(report.contains("\"jobs\""), "{report}");
    // A FIFO gets the report and stays a FIFO.
    let fifo = dir.path().join("pipe.json");
    mkfifo(&fifo);
    let reader = drain(&fifo);
    cvgen(dir.path())
        .args(["render", "in", "-q", "-o", "out", "--report", "pipe.json"])
        .ok();
    assert!(reader.join().unwrap().contains("\"jobs\""));
    let meta = std::fs::symlink_metadata(&fifo).unwrap();
    assert!(meta.file_type().is_fifo(), "the FIFO was replaced");
    // The same for an export.
    write(&dir.path().join("real-export.json"), "");
    std::os::unix::fs::symlink("real-export.json", dir.path().join("export.json")).unwrap();
    cvgen(dir.path())
        .args(["export", "in/p.toml", "-o", "export.json"])
        .ok();
    let link = std::fs::symlink_metadata(dir.path().join("export.json")).unwrap();
    assert!(link.file_type().is_symlink());
    let json = std::fs::read_to_string(dir.path().join("real-export.json")).unwrap();
    assert!(json.contains("Pat Example"), "{json}");
    // `-o -` prints.
    let Ran { stdout, .. } = cvgen(dir.path())
        .args(["export", "in/p.toml", "-o", "-"])
        .ok();
    let stdout = String::from_utf8_lossy(&stdout);
    assert!(stdout.contains("Pat Example"), "{stdout}");
}

#[test]
fn an_applications_profile_must_be_a_profile_and_is_never_echoed() {
    let dir = scratch();
    write(&dir.path().join("input/p.toml"), PROFILE);
    write(
        &dir.path().join("secrets/.env"),
        "API_KEY=hunter2-do-not-print\n",
    );
    write(
        &dir.path().join("secrets/db.toml"),
        "password = \"hunter2-do-not-print\"\n[db]\nhost = \"db.internal\"\n",
    );
    mkfifo(&dir.path().join("secrets/pipe.toml"));
    let app = |name: &str, profile: &str| {
        write(
            &dir.path().join(format!("applications/{name}.toml")),
            &format!("profile = \"{profile}\"\ncompany = \"Acme\"\nposition = \"Engineer\"\n"),
        );
    };
    app("env", "../secrets/.env");
    app("db", "../secrets/db.toml");
    app("pipe", "../secrets/pipe.toml");
    app("other", "env.toml");
    app("good", "../input/p.toml");
    let Ran { stderr, .. } = cvgen(dir.path()).args(["check", "applications"]).fails(1);
    assert!(!stderr.contains("hunter2"), "a secret was echoed: {stderr}");
    assert!(!stderr.contains("db.internal"), "{stderr}");
    for expected in [
        "the profile `../secrets/.env` is not a .toml file",
        "`../secrets/db.toml` is not a cvgen profile",
        "the profile `../secrets/pipe.toml` is not a regular file",
        "`env.toml` is not a cvgen profile (it is an application",
    ] {
        assert!(stderr.contains(expected), "`{expected}` missing: {stderr}");
    }
    assert!(
        !stderr.contains("good.toml:"),
        "the good one checks: {stderr}"
    );
}

#[test]
fn file_names_starting_with_a_dot_name_no_outputs() {
    let dir = scratch();
    write(&dir.path().join("input/p.toml"), PROFILE);
    for name in ["..toml", "...toml", ".cvgen.toml"] {
        write(
            &dir.path().join("applications").join(name),
            "profile = \"../input/p.toml\"\ncompany = \"Acme\"\nposition = \"Engineer\"\n",
        );
    }
    let Ran { stderr, .. } = cvgen(dir.path())
        .args(["render", "applications", "-o", "out/cv"])
        .fails(1);
    assert_eq!(
        stderr
            .matches("a file name starting with `.` cannot name outputs")
            .count(),
        3,
        "{stderr}"
    );
    // Nothing beside or above the output folder, nothing inside it.
    let mut above: Vec<String> = std::fs::read_dir(dir.path().join("out"))
        .map(|entries| {
            entries
                .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
                .collect()
        })
        .unwrap_or_default();
    above.sort();
    assert!(above.iter().all(|name| name == "cv"), "{above:?}");
    assert!(!dir.path().join("out/cv/..pdf").exists());
    assert!(!dir.path().join("out/cv/.cvgen/p.pdf").exists());
}

/// Make runs one process per profile: two profiles of one person, each
/// rendered by its own process, must not take turns at one file.
#[test]
fn a_file_another_process_wrote_for_another_profile_is_not_replaced() {
    let dir = scratch();
    let same = "[anonymize]\nid = \"same\"\n";
    write(
        &dir.path().join("input/a.toml"),
        &format!("{PROFILE}{same}"),
    );
    write(
        &dir.path().join("input/b.toml"),
        &format!(
            "{}{same}",
            PROFILE.replace("Builds things.", "Runs things.")
        ),
    );
    let render = |profile: &str| {
        cvgen(dir.path()).args(["render", profile, "--variant", "anon", "-q", "-o", "output"])
    };
    render("input/a.toml").ok();
    let first = std::fs::read(dir.path().join("output/candidate-same.pdf")).unwrap();
    let Ran { stderr, .. } = render("input/b.toml").fails(2);
    assert!(
        stderr.contains("candidate-same.pdf") && stderr.contains("a.toml"),
        "{stderr}"
    );
    assert_eq!(
        std::fs::read(dir.path().join("output/candidate-same.pdf")).unwrap(),
        first,
        "the first profile's file was replaced"
    );
    // A profile that is gone holds nothing.
    std::fs::remove_file(dir.path().join("input/a.toml")).unwrap();
    render("input/b.toml").ok();
    assert!(pdf_text(&dir.path().join("output/candidate-same.pdf")).contains("Runs things"));
}

/// What redaction writes is never read as Markdown: no live link appears
/// in the anonymized CV, no asterisks, and other links keep their text.
#[test]
fn redacted_text_becomes_no_link_and_shows_no_markup() {
    let dir = scratch();
    write(
        &dir.path().join("in/jane.toml"),
        "[basics]\nname = \"Jane Roe\"\n[[section]]\nkind = \"text\"\ntitle = \"About\"\n\
         body = \"Jane(https://evil.example.com) and *Jane* wrote [the docs](https://docs.example.org).\"\n\
         [anonymize]\nid = \"jr\"\n",
    );
    cvgen(dir.path())
        .args(["render", "in", "--variant", "anon", "-q", "-o", "out"])
        .ok();
    let pdf = dir.path().join("out/candidate-jr.pdf");
    let text = squash(&pdf_text(&pdf));
    assert!(text.contains("[name](https://evil.example.com)"), "{text}");
    assert!(text.contains("and[name]wrotethedocs"), "{text}");
    assert!(!text.contains('*'), "{text}");
    let bytes = String::from_utf8_lossy(&all_bytes(&pdf)).into_owned();
    assert!(
        !bytes.contains("/URI (https://evil"),
        "a live link was made"
    );
    assert!(bytes.contains("docs.example.org"), "the other link stays");
}

/// An application reached through a symlinked folder renders the profile
/// that make and `cat` see, not the one its path names as a string.
#[test]
fn an_applications_profile_is_found_as_the_file_system_finds_it() {
    let dir = scratch();
    write(
        &dir.path().join("input/p.toml"),
        &PROFILE.replace("Pat Example", "Top Level"),
    );
    write(
        &dir.path().join("deep/input/p.toml"),
        &PROFILE.replace("Pat Example", "Deep Down"),
    );
    write(
        &dir.path().join("deep/er/apps/job.toml"),
        "profile = \"../../input/p.toml\"\ncompany = \"Acme\"\nposition = \"Engineer\"\n",
    );
    std::fs::create_dir_all(dir.path().join("applications")).unwrap();
    std::os::unix::fs::symlink("../deep/er/apps", dir.path().join("applications/link")).unwrap();
    // What the shell sees at the path the application names:
    let seen =
        std::fs::read_to_string(dir.path().join("applications/link/../../input/p.toml")).unwrap();
    assert!(seen.contains("Deep Down"));
    cvgen(dir.path())
        .args([
            "render",
            "applications/link/job.toml",
            "--variant",
            "long",
            "-q",
            "-o",
            "out",
        ])
        .ok();
    assert!(pdf_text(&dir.path().join("out/job/p.pdf")).contains("Deep Down"));
}

#[test]
fn empty_tailoring_and_blank_letters_are_errors_not_empty_documents() {
    let dir = scratch();
    write(
        &dir.path().join("input/p.toml"),
        "[basics]\nname = \"Pat Example\"\n[[section]]\nkind = \"list\"\ntitle = \"Work\"\n\
         items = [{ text = \"Backend\", tags = [\"backend\"] }]\n",
    );
    write(
        &dir.path().join("applications/none.toml"),
        "profile = \"../input/p.toml\"\ncompany = \"Acme\"\nposition = \"Engineer\"\n\
         [tailor]\nexclude = [\"backend\"]\n",
    );
    write(
        &dir.path().join("applications/blank.toml"),
        "profile = \"../input/p.toml\"\ncompany = \"Acme\"\nposition = \"Engineer\"\n\
         [output]\nvariants = [\"letter\"]\n[letter]\nbody = \"\"\"\n   \n\"\"\"\n",
    );
    let Ran { stderr, .. } = cvgen(dir.path())
        .args(["render", "applications", "-o", "out"])
        .fails(1);
    assert!(
        stderr.contains("the tailoring leaves no section of the CV"),
        "{stderr}"
    );
    assert!(stderr.contains("the letter's body is empty"), "{stderr}");
    assert!(!dir.path().join("out/none/p.pdf").exists());
    assert!(!dir.path().join("out/blank/p-letter.pdf").exists());
}

/// Parser bombs end quickly with an error at their place.
#[test]
fn deeply_nested_and_duplicated_imports_are_refused_at_their_place() {
    let dir = scratch();
    let deep = format!(
        "cv:\n  name: {}{}\n",
        "[".repeat(100_000),
        "]".repeat(100_000)
    );
    write(&dir.path().join("deep.yaml"), &deep);
    let start = Instant::now();
    let Ran { stderr, .. } = cvgen(dir.path())
        .args(["import", "deep.yaml", "-o", "deep.toml"])
        .fails(1);
    assert!(
        start.elapsed() < Duration::from_secs(20),
        "a hang, not an error"
    );
    assert!(
        stderr.contains("deep.yaml:2:") && stderr.contains("nested more than"),
        "{stderr}"
    );
    write(
        &dir.path().join("twice.json"),
        "{\"basics\": {\"name\": \"A\",\n \"name\": \"B\"}}",
    );
    let Ran { stderr, .. } = cvgen(dir.path())
        .args(["import", "twice.json", "-o", "twice.toml"])
        .fails(1);
    assert!(
        stderr.contains("twice.json:2:") && stderr.contains("`name` is given twice"),
        "{stderr}"
    );
    assert!(!dir.path().join("twice.toml").exists());
}

/// A photo counts against `--max-memory` like the rest of a job.
#[test]
fn photo_decoding_stays_within_the_memory_budget() {
    let dir = scratch();
    // 6000 x 6000 pixels of one colour: small on disk, 108 MB decoded.
    let image = image::DynamicImage::new_rgb8(6000, 6000);
    std::fs::create_dir_all(dir.path().join("in")).unwrap();
    image
        .save_with_format(dir.path().join("in/photo.png"), image::ImageFormat::Png)
        .unwrap();
    write(
        &dir.path().join("in/p.toml"),
        &PROFILE.replace("[basics]\n", "[basics]\nimage = \"photo.png\"\n"),
    );
    let Ran { stderr, .. } = cvgen(dir.path())
        .args(["render", "in", "--max-memory", "100", "-o", "out"])
        .fails(1);
    assert!(stderr.contains("--max-memory 100 MB"), "{stderr}");
    // Within the default budget it renders.
    cvgen(dir.path())
        .args(["render", "in", "--variant", "long", "-q", "-o", "out"])
        .ok();
}

/// Watch on a folder that holds a link to itself starts, renders and stops
/// on SIGTERM as cleanly as on Ctrl-C, leaving no temporary file.
#[test]
fn watch_walks_a_linked_loop_once_and_stops_on_sigterm() {
    let dir = scratch();
    write(&dir.path().join("input/p.toml"), PROFILE);
    std::os::unix::fs::symlink(".", dir.path().join("input/loop")).unwrap();
    let mut child = Command::new(env!("CARGO_BIN_EXE_cvgen"))
        .current_dir(dir.path())
        .env_remove("SOURCE_DATE_EPOCH")
        .args(["watch", "input", "--variant", "long"])
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let pdf = dir.path().join("output/p.pdf");
    let start = Instant::now();
    while !pdf.is_file() {
        assert!(
            start.elapsed() < Duration::from_secs(60),
            "watch never rendered"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
    let exit = signal_and_wait(&mut child, "-TERM");
    assert_eq!(exit.code(), Some(0), "a clean stop");
    let leftovers: Vec<_> = std::fs::read_dir(dir.path().join("output"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|name| name.ends_with(".tmp"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
}

/// A word longer than a line is hyphenated onto the next; what still runs
/// off the page (a long hash) is reported by `check --ats`, which looks at
/// the page and not only at its text layer.
#[test]
fn text_that_would_run_off_the_page_wraps_or_is_reported() {
    let dir = scratch();
    let word =
        "Donaudampfschifffahrtsgesellschaftskapitänswitwenrentenversicherungsanstalt".repeat(2);
    let hash = "0123456789abcdef".repeat(10);
    write(
        &dir.path().join("word.toml"),
        &format!(
            "[basics]\nname = \"W\"\n[[section]]\nkind = \"text\"\ntitle = \"About\"\nbody = \"A {word} b.\"\n"
        ),
    );
    write(
        &dir.path().join("hash.toml"),
        &format!(
            "[basics]\nname = \"H\"\n[[section]]\nkind = \"text\"\ntitle = \"About\"\nbody = \"A {hash} b.\"\n"
        ),
    );
    for layout in LAYOUTS {
        let Ran { stderr, .. } = cvgen(dir.path())
            .args(["check", "word.toml", "--ats", "--layout", layout])
            .ok();
        assert!(!stderr.contains("runs off page"), "{layout}: {stderr}");
        let Ran { stderr, .. } = cvgen(dir.path())
            .args(["check", "hash.toml", "--ats", "--layout", layout])
            .ok();
        assert!(stderr.contains("runs off page 1"), "{layout}: {stderr}");
    }
}

/// compact sets skills in columns; a grid longer than a page would be read
/// column by column on each page, so many skills go in one column.
#[test]
fn many_skills_read_in_their_order_in_compact() {
    let dir = scratch();
    let mut toml = String::from("[basics]\nname = \"S\"\n[[section]]\nkind = \"skills\"\n");
    let names: Vec<String> = (0..300).map(|i| format!("Skill{i:03}")).collect();
    for name in &names {
        toml.push_str(&format!(
            "[[section.entries]]\nname = \"{name}\"\nkeywords = [\"x\"]\n"
        ));
    }
    write(&dir.path().join("s.toml"), &toml);
    cvgen(dir.path())
        .args([
            "render",
            "s.toml",
            "--layout",
            "compact",
            "--variant",
            "long",
            "-q",
            "-o",
            "out",
        ])
        .ok();
    let text = drawn_text(&dir.path().join("out/s.pdf"));
    assert_in_order(&squash(&text), &names, "skills");
}

/// Messages say what is wrong: an application without its `profile` line,
/// an import that does not check (its places are in a file not written),
/// and YAML's `.nan` and `.inf`, which come through as the text they are.
#[test]
fn messages_name_what_is_wrong() {
    let dir = scratch();
    write(
        &dir.path().join("applications/job.toml"),
        "company = \"Acme\"\nposition = \"Engineer\"\n[tailor]\ntags = [\"x\"]\n",
    );
    let Ran { stderr, .. } = cvgen(dir.path())
        .args(["check", "applications/job.toml"])
        .fails(1);
    assert!(
        stderr.contains("`company` belongs to a job application, which names its profile"),
        "{stderr}"
    );
    assert!(!stderr.contains("unknown table"), "{stderr}");
    write(
        &dir.path().join("r.json"),
        "{\"basics\": {\"name\": \"A\", \"email\": \"not-an-address\"}}",
    );
    let Ran { stderr, .. } = cvgen(dir.path())
        .args(["import", "r.json", "-o", "r.toml"])
        .fails(1);
    assert!(
        stderr.contains("r.toml (imported from r.json, not written)"),
        "{stderr}"
    );
    assert!(!dir.path().join("r.toml").exists());
    write(
        &dir.path().join("n.yaml"),
        "cv:\n  name: .nan\n  sections:\n    about:\n      - .inf\n",
    );
    cvgen(dir.path())
        .args(["import", "n.yaml", "-o", "n.toml"])
        .ok();
    let toml = std::fs::read_to_string(dir.path().join("n.toml")).unwrap();
    assert!(
        toml.contains("name = \".nan\"") && toml.contains(".inf"),
        "{toml}"
    );
}
