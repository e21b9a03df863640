//! Starting out and moving in: `cvgen new` writes a repository that make
//! renders; JSON Resume and RenderCV files import completely (what has no
//! home is reported and kept as comments); an export validates against the
//! JSON Resume schema and round-trips; `cvgen watch` re-renders on in-place
//! and rename saves and stops cleanly on Ctrl-C.

use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

use serde_json::Value as Json;

use crate::support::*;

fn make(dir: &Path) -> std::process::Output {
    Command::new("make")
        .current_dir(dir)
        .arg(format!("CVGEN={}", env!("CARGO_BIN_EXE_cvgen")))
        .env_remove("MAKEFLAGS")
        .output()
        .unwrap()
}

#[test]
fn new_writes_a_repository_that_checks_and_make_renders() {
    let dir = scratch();
    let repo = dir.path().join("job-search");
    cvgen(dir.path()).args(["new", "job-search"]).ok();
    for file in [
        "input/cv.toml",
        "applications/example-corp.toml",
        "applications/postings/example-corp.txt",
        "Makefile",
        ".gitignore",
        "README.md",
        "schema/profile.schema.json",
    ] {
        assert!(repo.join(file).is_file(), "{file} written");
    }
    // The starter shows the features it is there to teach.
    let profile = std::fs::read_to_string(repo.join("input/cv.toml")).unwrap();
    for feature in [
        "priority = ",
        "tags = ",
        "short = ",
        "[anonymize]",
        "#:schema",
    ] {
        assert!(profile.contains(feature), "starter shows {feature}");
    }
    cvgen(&repo)
        .args(["check", "--deny-warnings", "input", "applications"])
        .ok();
    let made = make(&repo);
    assert!(
        made.status.success(),
        "{}",
        String::from_utf8_lossy(&made.stderr)
    );
    for pdf in [
        "output/cv.pdf",
        "output/cv-onepage.pdf",
        "output/example-corp/cv.pdf",
        "output/example-corp/cv-letter.pdf",
    ] {
        assert!(repo.join(pdf).is_file(), "{pdf} made");
    }
    assert_eq!(page_count(&repo.join("output/cv-onepage.pdf")), 1);
    assert!(pdf_text(&repo.join("output/cv.pdf")).contains("Alex Example"));
    assert_eq!(candidates(&repo.join("output")).len(), 1);
    // The example application answers its posting, and says how well.
    let listed = cvgen(&repo).args(["applications"]).ok();
    let listed = String::from_utf8_lossy(&listed.stdout).into_owned();
    let row = listed
        .lines()
        .find(|l| l.contains("Example Corp"))
        .unwrap_or_else(|| panic!("{listed}"));
    assert!(row.contains("draft") && row.ends_with("current"), "{row}");
    assert!(row.contains(" on one page"), "{row}");
    // The Makefile is the README's.
    let readme = std::fs::read_to_string(crate::support::repo().join("README.md")).unwrap();
    let makefile = std::fs::read_to_string(repo.join("Makefile")).unwrap();
    assert!(readme.contains(&format!("```make\n{makefile}```")));
}

#[test]
fn new_never_overwrites_and_writes_nothing_when_it_refuses() {
    let dir = scratch();
    write(&dir.path().join("Makefile"), "mine:\n\ttrue\n");
    let ran = cvgen(dir.path()).args(["new", "."]).fails(2);
    assert!(
        ran.stderr.contains("Makefile already exists"),
        "{}",
        ran.stderr
    );
    assert_eq!(
        std::fs::read_to_string(dir.path().join("Makefile")).unwrap(),
        "mine:\n\ttrue\n"
    );
    assert!(!dir.path().join("input").exists(), "nothing else written");
}

fn fixture(path: &str) -> std::path::PathBuf {
    repo().join("tests/fixtures").join(path)
}

/// Empty strings, arrays and objects carry no data.
fn without_empties(value: &Json) -> Json {
    match value {
        Json::Object(map) => Json::Object(
            map.iter()
                .filter(|(_, v)| !matches!(v, Json::String(s) if s.is_empty()))
                .filter(|(_, v)| !matches!(v, Json::Array(a) if a.is_empty()))
                .map(|(k, v)| (k.clone(), without_empties(v)))
                .collect(),
        ),
        Json::Array(items) => Json::Array(items.iter().map(without_empties).collect()),
        other => other.clone(),
    }
}

#[test]
fn the_json_resume_sample_imports_completely_and_round_trips() {
    let dir = scratch();
    let sample = fixture("json-resume/sample.resume.json");
    let ran = cvgen(dir.path()).arg("import").arg(&sample).ok();
    // What has no home is reported, and kept in the file.
    assert!(ran.stderr.contains("meta: has no home"), "{}", ran.stderr);
    assert!(
        ran.stderr.contains("projects[0].type: has no home"),
        "{}",
        ran.stderr
    );
    assert!(
        ran.stderr
            .contains("imported as https://missdirection.example.com"),
        "{}",
        ran.stderr
    );
    let profile = dir.path().join("input/sample.resume.toml");
    let text = std::fs::read_to_string(&profile).unwrap();
    assert!(text.starts_with("#:schema ../schema/profile.schema.json\n"));
    assert!(
        text.contains("#   projects[0].type = \"application\""),
        "{text}"
    );
    // It renders, and every value of the sample is in the PDF.
    cvgen(dir.path())
        .args(["render", "input", "--variant", "long", "-q"])
        .ok();
    let printed = squash(&pdf_text(&dir.path().join("output/sample.resume.pdf")));
    for value in [
        "Richard Hendriks",
        "Pied Piper",
        "Teacher of the Month",
        "DB1101 - Basic SQL",
        "Digital Compression Pioneer Award",
        "Video compression for 3d media",
        "Native speaker",
        "Ferrets",
        "Erlich Bachman",
        "Miss Direction",
        "Smoogle",
        "Team lead",
    ] {
        assert!(printed.contains(&squash(value)), "{value} printed");
    }
    // Exported, it validates and gives the sample back, less what was
    // reported: meta, the project's type, and the scheme added to its url.
    let ran = cvgen(dir.path())
        .args(["export", "input/sample.resume.toml"])
        .ok();
    let exported: Json = serde_json::from_slice(&ran.stdout).unwrap();
    let schema: Json =
        serde_json::from_str(&std::fs::read_to_string(fixture("json-resume/schema.json")).unwrap())
            .unwrap();
    let errors = json_schema::errors(&schema, &exported);
    assert!(errors.is_empty(), "{errors:#?}");
    let mut expected: Json =
        serde_json::from_str(&std::fs::read_to_string(&sample).unwrap()).unwrap();
    expected.as_object_mut().unwrap().remove("meta");
    let project = &mut expected["projects"][0];
    project.as_object_mut().unwrap().remove("type");
    project["url"] = "https://missdirection.example.com".into();
    assert_eq!(without_empties(&exported), without_empties(&expected));
}

#[test]
fn a_rendercv_file_imports_with_every_entry_type() {
    let dir = scratch();
    let ran = cvgen(dir.path())
        .arg("import")
        .arg(fixture("rendercv/Jane_Roe_CV.yaml"))
        .ok();
    assert!(
        ran.stderr.contains("design: RenderCV's look"),
        "{}",
        ran.stderr
    );
    assert!(
        ran.stderr.contains("`Fall 2022` is not a date"),
        "{}",
        ran.stderr
    );
    let profile = std::fs::read_to_string(dir.path().join("input/Jane_Roe_CV.toml")).unwrap();
    // Sections in the file's order, each of the kind that prints it.
    let kinds: Vec<&str> = profile
        .lines()
        .filter_map(|l| l.strip_prefix("kind = "))
        .collect();
    assert_eq!(
        kinds,
        [
            "\"text\"",
            "\"work\"",
            "\"education\"",
            "\"projects\"",
            "\"publications\"",
            "\"skills\"",
            "\"list\"",
            "\"list\""
        ]
    );
    assert!(
        profile.contains("url = \"https://fosstodon.org/@jane\""),
        "{profile}"
    );
    assert!(
        profile.contains("url = \"https://doi.org/10.1000/xyz123\""),
        "{profile}"
    );
    assert!(profile.contains("name = \"tinyjit\""), "{profile}");
    cvgen(dir.path())
        .args(["render", "input", "--variant", "long", "-q"])
        .ok();
    let printed = squash(&pdf_text(&dir.path().join("output/Jane_Roe_CV.pdf")));
    for value in [
        "Jane Roe",
        "Senior Compiler Engineer",
        "Tensorworks",
        "University of Porto",
        "Fusing Kernels Without Fear",
        "Ana Silva",
        "C++, Rust, Python",
        "Keynote, Compiler Days 2023",
        "A method for fusing kernels (pending)",
    ] {
        assert!(printed.contains(&squash(value)), "{value} printed");
    }
}

#[test]
fn import_refuses_to_replace_a_profile_and_names_a_bad_file_at_its_line() {
    let dir = scratch();
    write(
        &dir.path().join("input/old.toml"),
        "[basics]\nname = \"Old\"\n",
    );
    write(
        &dir.path().join("old.json"),
        "{\"basics\": {\"name\": \"New\"}}",
    );
    let ran = cvgen(dir.path()).args(["import", "old.json"]).fails(2);
    assert!(
        ran.stderr.contains("input/old.toml exists"),
        "{}",
        ran.stderr
    );
    assert!(
        std::fs::read_to_string(dir.path().join("input/old.toml"))
            .unwrap()
            .contains("Old")
    );
    write(
        &dir.path().join("bad.json"),
        "{\n  \"basics\": {\n    \"name\": \n}",
    );
    let ran = cvgen(dir.path()).args(["import", "bad.json"]).fails(1);
    assert!(ran.stderr.contains("bad.json:4:1"), "{}", ran.stderr);
}

/// Waits until `ready` holds, or panics after a while.
fn wait_for(what: &str, mut ready: impl FnMut() -> bool) {
    let start = Instant::now();
    while !ready() {
        assert!(
            start.elapsed() < Duration::from_secs(60),
            "timed out waiting for {what}"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
}

#[test]
fn watch_renders_after_in_place_and_rename_saves_and_stops_on_ctrl_c() {
    let dir = job_search_repo();
    for entry in std::fs::read_dir(dir.path().join("input")).unwrap() {
        let path = entry.unwrap().path();
        if !path.ends_with("reed-allman.toml") {
            std::fs::remove_file(path).unwrap();
        }
    }
    let profile = dir.path().join("input/reed-allman.toml");
    let pdf = dir.path().join("output/reed-allman.pdf");
    let mut child = Command::new(env!("CARGO_BIN_EXE_cvgen"))
        .current_dir(dir.path())
        .env_remove("SOURCE_DATE_EPOCH")
        .args(["watch", "input", "--variant", "long"])
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    wait_for("the first render", || pdf.is_file());
    let text = std::fs::read_to_string(&profile).unwrap();
    // In place, as most editors save.
    std::fs::write(
        &profile,
        text.replace("Self Employed", "Independent Consultant"),
    )
    .unwrap();
    wait_for("the in-place save", || {
        pdf_text_if_whole(&pdf).is_some_and(|t| t.contains("Independent Consultant"))
    });
    // Write a copy, then rename it over the file, as vim and others do.
    let copy = dir.path().join("input/.reed-allman.toml.swp");
    std::fs::write(&copy, text.replace("Self Employed", "Freelance Engineer")).unwrap();
    std::fs::rename(&copy, &profile).unwrap();
    wait_for("the rename save", || {
        pdf_text_if_whole(&pdf).is_some_and(|t| t.contains("Freelance Engineer"))
    });
    let exit = signal_and_wait(&mut child, "-INT");
    assert_eq!(exit.code(), Some(0), "a clean stop");
    let mut stderr = String::new();
    use std::io::Read;
    child
        .stderr
        .take()
        .unwrap()
        .read_to_string(&mut stderr)
        .unwrap();
    assert_eq!(
        stderr.matches("input/reed-allman.toml: 1 made").count(),
        2,
        "{stderr}"
    );
    assert!(stderr.trim_end().ends_with("stopped"), "{stderr}");
    // Nothing half-written is left behind.
    let leftovers: Vec<_> = std::fs::read_dir(dir.path().join("output"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|name| name.contains(".tmp"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
}

/// The text of a PDF, if it is a whole PDF (a render may be mid-rename).
fn pdf_text_if_whole(path: &Path) -> Option<String> {
    let bytes = std::fs::read(path).ok()?;
    pdf_extract::extract_text_from_mem(&bytes).ok()
}

/// A JSON Schema (draft 4) validator for the keywords the JSON Resume
/// schema uses: type, properties, additionalProperties, items,
/// additionalItems, pattern, $ref to its definitions, and the formats uri,
/// email and date.
mod json_schema {
    use serde_json::Value as Json;

    pub fn errors(schema: &Json, value: &Json) -> Vec<String> {
        let mut out = Vec::new();
        check(schema, schema, value, "", &mut out);
        out
    }

    fn check(root: &Json, schema: &Json, value: &Json, at: &str, out: &mut Vec<String>) {
        if let Some(reference) = schema.get("$ref").and_then(Json::as_str) {
            let name = reference.trim_start_matches("#/definitions/");
            return check(root, &root["definitions"][name], value, at, out);
        }
        if let Some(ty) = schema.get("type").and_then(Json::as_str) {
            let ok = match ty {
                "object" => value.is_object(),
                "array" => value.is_array(),
                "string" => value.is_string(),
                "number" => value.is_number(),
                "integer" => value.is_i64() || value.is_u64(),
                "boolean" => value.is_boolean(),
                _ => true,
            };
            if !ok {
                out.push(format!("{at}: not a {ty}"));
                return;
            }
        }
        if let (Some(pattern), Some(text)) =
            (schema.get("pattern").and_then(Json::as_str), value.as_str())
            && !regex::Regex::new(pattern).unwrap().is_match(text)
        {
            out.push(format!("{at}: {text:?} does not match {pattern}"));
        }
        if let (Some(format), Some(text)) =
            (schema.get("format").and_then(Json::as_str), value.as_str())
        {
            let ok = match format {
                "uri" => regex::Regex::new(r"^[A-Za-z][A-Za-z0-9+.-]*:[^\s]*$")
                    .unwrap()
                    .is_match(text),
                "email" => regex::Regex::new(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
                    .unwrap()
                    .is_match(text),
                "date" => regex::Regex::new(r"^\d{4}-\d{2}-\d{2}$")
                    .unwrap()
                    .is_match(text),
                _ => true,
            };
            if !ok {
                out.push(format!("{at}: {text:?} is not a valid {format}"));
            }
        }
        if let Some(map) = value.as_object() {
            let properties = schema.get("properties").and_then(Json::as_object);
            for (key, item) in map {
                let at = format!("{at}.{key}");
                match properties.and_then(|p| p.get(key)) {
                    Some(sub) => check(root, sub, item, &at, out),
                    None => match schema.get("additionalProperties") {
                        Some(Json::Bool(false)) => out.push(format!("{at}: not allowed")),
                        Some(sub @ Json::Object(_)) => check(root, sub, item, &at, out),
                        _ => {}
                    },
                }
            }
        }
        if let Some(items) = value.as_array() {
            match schema.get("items") {
                Some(Json::Array(schemas)) => {
                    for (i, item) in items.iter().enumerate() {
                        match schemas.get(i) {
                            Some(sub) => check(root, sub, item, &format!("{at}[{i}]"), out),
                            None if schema.get("additionalItems") == Some(&Json::Bool(false)) => {
                                out.push(format!("{at}[{i}]: not allowed"))
                            }
                            None => {}
                        }
                    }
                }
                Some(sub) => {
                    for (i, item) in items.iter().enumerate() {
                        check(root, sub, item, &format!("{at}[{i}]"), out);
                    }
                }
                None => {}
            }
        }
    }

    #[test]
    fn the_validator_finds_what_the_schema_forbids() {
        let schema: Json = serde_json::from_str(
            &std::fs::read_to_string(
                crate::support::repo().join("tests/fixtures/json-resume/schema.json"),
            )
            .unwrap(),
        )
        .unwrap();
        let bad = serde_json::json!({
            "unknown": 1,
            "basics": {"email": "not an email", "profiles": [{"url": "no scheme"}]},
            "work": [{"startDate": "June 2020", "highlights": [3]}],
        });
        let found = errors(&schema, &bad);
        for expected in [
            ".unknown: not allowed",
            ".basics.email",
            ".work[0].startDate",
            ".work[0].highlights[0]: not a string",
            ".basics.profiles[0].url",
        ] {
            assert!(
                found.iter().any(|e| e.starts_with(expected)),
                "{expected} in {found:#?}"
            );
        }
    }
}

/// What a render read is watched too: an application's profile in another
/// folder re-renders the application when it changes.
#[test]
fn watch_follows_what_the_documents_read() {
    let dir = job_search_repo();
    copy_applications(dir.path());
    let pdf = dir.path().join("output/acme-backend/reed-allman.pdf");
    let mut child = Command::new(env!("CARGO_BIN_EXE_cvgen"))
        .current_dir(dir.path())
        .env_remove("SOURCE_DATE_EPOCH")
        .args([
            "watch",
            "applications/acme-backend.toml",
            "--variant",
            "long",
        ])
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    // The profile is watched once the first render has said what it read.
    let said = std::sync::Arc::new(std::sync::Mutex::new(String::new()));
    {
        let said = said.clone();
        let stderr = child.stderr.take().unwrap();
        std::thread::spawn(move || {
            use std::io::BufRead;
            for line in std::io::BufReader::new(stderr)
                .lines()
                .map_while(Result::ok)
            {
                said.lock().unwrap().push_str(&(line + "\n"));
            }
        });
    }
    wait_for("the first render", || {
        pdf.is_file() && said.lock().unwrap().contains("watching for changes")
    });
    let profile = dir.path().join("input/reed-allman.toml");
    let text = std::fs::read_to_string(&profile).unwrap();
    std::fs::write(
        &profile,
        text.replace("Self Employed", "Independent Consultant"),
    )
    .unwrap();
    wait_for("the profile's edit", || {
        pdf_text_if_whole(&pdf).is_some_and(|t| t.contains("Independent Consultant"))
    });
    let _ = Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status();
    assert_eq!(child.wait().unwrap().code(), Some(0));
}

/// Shell completions and the manual page come from the command-line
/// definitions: every command and its options are in them.
#[test]
fn completions_and_the_manual_page_know_every_command() {
    for shell in ["bash", "zsh", "fish", "powershell", "elvish"] {
        let Ran { stdout, .. } = cvgen(&repo()).args(["completions", shell]).ok();
        let script = String::from_utf8_lossy(&stdout);
        for word in ["render", "watch", "import", "variant", "anon-key-file"] {
            assert!(script.contains(word), "{shell}: no {word}");
        }
    }
    let Ran { stdout, .. } = cvgen(&repo()).arg("man").ok();
    let page = String::from_utf8_lossy(&stdout);
    assert!(
        page.starts_with(".ie") && page.contains(".TH cvgen 1"),
        "{page}"
    );
    for section in [
        "CVGEN RENDER",
        "CVGEN WATCH",
        "CVGEN IMPORT",
        "CVGEN EXPORT",
    ] {
        assert!(page.contains(section), "no {section}");
    }
    assert!(page.contains(r"\-\-deny\-warnings"), "options are listed");
    let Ran { stderr, .. } = cvgen(&repo()).args(["completions", "tcsh"]).fails(2);
    assert!(stderr.contains("tcsh"), "{stderr}");
}

/// watch has no options it would take and ignore: its help does not
/// offer them, and the command line refuses them.
#[test]
fn watch_refuses_the_options_it_has_no_use_for() {
    let dir = job_search_repo();
    let help = cvgen(dir.path()).args(["watch", "--help"]).ok();
    let help = String::from_utf8_lossy(&help.stdout).into_owned();
    assert!(
        help.contains("--quiet") && help.contains("--layout"),
        "{help}"
    );
    for args in [
        &["--report", "r.json"][..],
        &["--deps"],
        &["--shard", "1/2"],
        &["-v"],
    ] {
        let flag = args[0];
        assert!(!help.contains(&format!("{flag} ")), "{flag} in {help}");
        let Ran { stderr, .. } = cvgen(dir.path()).arg("watch").args(args).fails(2);
        assert!(stderr.contains("unexpected argument"), "{args:?}: {stderr}");
        assert!(stderr.contains(flag), "{args:?}: {stderr}");
    }
    assert!(!dir.path().join("output").exists(), "nothing rendered");
}
