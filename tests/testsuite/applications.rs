//! Job applications (`applications/`): one profile cut per job. The
//! examples tailor `input/reed-allman.toml` for a backend role and for a
//! developer-relations role.

use std::path::Path;

use crate::support::*;

/// A scratch job-search repository with the samples and the example
/// applications.
fn repo_with_applications() -> tempfile::TempDir {
    let dir = job_search_repo();
    copy_applications(dir.path());
    dir
}

fn text_of(path: &Path) -> String {
    squash(&pdf_text(path))
}

#[test]
fn an_application_keeps_the_content_its_tags_select() {
    let dir = repo_with_applications();
    cvgen(dir.path())
        .args(["render", "applications", "-o", "output", "-q"])
        .ok();
    let out = dir.path().join("output");
    let backend = text_of(&out.join("acme-backend/reed-allman.pdf"));
    let devrel = text_of(&out.join("globex-devrel/reed-allman-onepage.pdf"));
    // Tagged backend: in the backend CV, not in the other.
    let api = squash("Co-built IronMQ v3");
    assert!(backend.contains(&api) && !devrel.contains(&api));
    // Tagged community: excluded from the backend CV, kept in the other.
    let talks = squash("Presented talks at Devoxx");
    assert!(!backend.contains(&talks) && devrel.contains(&talks));
    // Untagged content stays in both.
    let untagged = squash("Involved in building out a hosted version of Fn");
    assert!(
        backend.contains(&untagged)
            && text_of(&out.join("acme-backend/reed-allman.pdf")).contains(&untagged)
    );
    // Each application's headline and summary.
    assert!(backend.contains(&squash(
        "Distributed systems engineer: queues, storage, schedulers"
    )));
    assert!(devrel.contains(&squash("I build developer tools and talk about them")));
    // Sections in the order the application asks, after the summary.
    let labor = backend
        .find("LABOR")
        .or_else(|| backend.find("Labor"))
        .unwrap();
    let education = backend
        .find("EDUCATION")
        .or_else(|| backend.find("Education"))
        .unwrap();
    let summary = backend
        .find(&squash("building distributed compute"))
        .unwrap();
    assert!(summary < labor && labor < education, "{backend}");
    // Each in its own folder; the anonymized one named by the id only.
    assert!(!candidates(&out.join("acme-backend")).is_empty());
    assert!(!out.join("reed-allman.pdf").exists());
}

#[test]
fn per_application_priority_decides_what_the_one_page_keeps() {
    let dir = repo_with_applications();
    let tooling = |priority: &str| {
        format!(
            "profile = \"../input/reed-allman.toml\"\ncompany = \"C\"\nposition = \"P\"\n\
             [tailor]\npriority = {{ tooling = \"{priority}\", backend = \"low\", community = \"low\" }}\n\
             [output]\nvariants = [\"onepage\"]\n"
        )
    };
    write(
        &dir.path().join("applications/tools-high.toml"),
        &tooling("high"),
    );
    write(
        &dir.path().join("applications/tools-low.toml"),
        &tooling("low"),
    );
    cvgen(dir.path())
        .args([
            "render",
            "applications/tools-high.toml",
            "applications/tools-low.toml",
        ])
        .args(["-o", "output", "-q"])
        .ok();
    let high = text_of(&dir.path().join("output/tools-high/reed-allman-onepage.pdf"));
    let low = text_of(&dir.path().join("output/tools-low/reed-allman-onepage.pdf"));
    let refactoring = squash("Built a statement level control flow graph");
    assert!(high.contains(&refactoring), "{high}");
    assert!(!low.contains(&refactoring), "{low}");
}

#[test]
fn check_names_what_is_wrong_with_an_application_where_it_is() {
    let dir = repo_with_applications();
    write(
        &dir.path().join("applications/typo.toml"),
        "profile = \"../input/reed-allman.toml\"\ncompany = \"C\"\nposition = \"P\"\n\
         [tailor]\ntags = [\"backnd\"]\nsections = [\"Labour\"]\n",
    );
    write(
        &dir.path().join("applications/missing.toml"),
        "profile = \"../input/nobody.toml\"\ncompany = \"C\"\nposition = \"P\"\n",
    );
    write(
        &dir.path().join("input/tagged.toml"),
        "[basics]\nname = \"T\"\n[[section]]\nkind = \"work\"\n[[section.entries]]\nposition = \"Dev\"\n\
         [[section]]\nkind = \"projects\"\n[[section.entries]]\nname = \"UI kit\"\ntags = [\"frontend\"]\n",
    );
    write(
        &dir.path().join("applications/empty.toml"),
        "profile = \"../input/tagged.toml\"\ncompany = \"C\"\nposition = \"P\"\n\
         [tailor]\nexclude = [\"frontend\"]\n",
    );
    write(
        &dir.path().join("applications/link.toml"),
        "profile = \"../input/reed-allman.toml\"\ncompany = \"C\"\nposition = \"P\"\n\
         [letter]\nbody = \"See [my site](javascript:alert(1)).\"\n",
    );
    let ran = cvgen(dir.path()).args(["check", "applications"]).fails(1);
    let said = &ran.stderr;
    for expected in [
        "applications/typo.toml:5:9",
        "the profile has nothing tagged `backnd`",
        "did you mean `backend`?",
        "applications/typo.toml:6:13",
        "the profile has no section `Labour`",
        "did you mean `Labor`?",
        "applications/missing.toml:1:11",
        "the profile `../input/nobody.toml` does not exist",
        "applications/link.toml:5:23",
        "the link `javascript:alert(1)` (on “my site”) is not a web, mail or phone link",
    ] {
        assert!(said.contains(expected), "{expected:?} not in {said}");
    }
    // A filter that empties a section is a warning, and the CV still renders.
    assert!(said.contains("applications/empty.toml"), "{said}");
    let ran = cvgen(dir.path())
        .args(["check", "applications/empty.toml"])
        .ok();
    assert!(
        ran.stderr.contains("leaves nothing of section"),
        "{}",
        ran.stderr
    );
    // The examples check clean.
    cvgen(dir.path())
        .args([
            "check",
            "--deny-warnings",
            "applications/acme-backend.toml",
            "applications/globex-devrel.toml",
        ])
        .ok();
}

#[test]
fn two_applications_never_write_one_file() {
    let dir = repo_with_applications();
    std::fs::create_dir_all(dir.path().join("more")).unwrap();
    std::fs::copy(
        dir.path().join("applications/acme-backend.toml"),
        dir.path().join("more/acme-backend.toml"),
    )
    .unwrap();
    // The copy names the same profile from its own folder.
    let ran = cvgen(dir.path())
        .args([
            "render",
            "applications/acme-backend.toml",
            "more/acme-backend.toml",
            "-o",
            "output",
        ])
        .fails(2);
    let said = &ran.stderr;
    assert!(said.contains("acme-backend/reed-allman.pdf"), "{said}");
    assert!(
        !dir.path().join("output/acme-backend").exists(),
        "nothing is written"
    );
}

#[test]
fn an_application_rendered_alone_writes_its_make_rule() {
    let dir = repo_with_applications();
    cvgen(dir.path())
        .args([
            "render",
            "applications/acme-backend.toml",
            "-o",
            "output",
            "--deps",
            "-q",
        ])
        .ok();
    let rule =
        std::fs::read_to_string(dir.path().join("output/.cvgen/applications/acme-backend.d"))
            .unwrap();
    for prerequisite in [
        "applications/acme-backend.toml \\",
        "input/reed-allman.toml \\",
        "output/acme-backend/reed-allman-onepage.pdf \\",
    ] {
        assert!(
            rule.contains(prerequisite),
            "{prerequisite:?} not in {rule}"
        );
    }
    assert!(
        dir.path()
            .join("output/.cvgen/applications/acme-backend.stamp")
            .exists()
    );
}

/// An application with a letter whose body names the person and their
/// email, for the anonymized letter to hide.
fn letter_application(body: &str) -> String {
    format!(
        "profile = \"../input/reed-allman.toml\"\ncompany = \"Acme Storage\"\n\
         position = \"Staff Backend Engineer\"\n[output]\nvariants = [\"letter\", \"anon-letter\"]\n\
         [letter]\nrecipient = \"Dana Whitfield\"\ndate = \"2026-11-23\"\nbody = \"\"\"\n{body}\"\"\"\n"
    )
}

#[test]
fn the_letter_is_one_page_in_the_cvs_style_and_its_anonymized_twin_leaks_nothing() {
    let dir = repo_with_applications();
    write(
        &dir.path().join("applications/letter.toml"),
        &letter_application(
            "I am Reed Allman, and I write to apply.\n\n\
             Write to me at reed@rdallman.com or see rdallman.com.\n",
        ),
    );
    for layout in LAYOUTS {
        let out = dir.path().join(format!("out-{layout}"));
        cvgen(dir.path())
            .args([
                "render",
                "applications/letter.toml",
                "--layout",
                layout,
                "-q",
                "-o",
            ])
            .arg(&out)
            .ok();
        let letter = out.join("letter/reed-allman-letter.pdf");
        assert_eq!(page_count(&letter), 1, "{layout}");
        let text = squash(&pdf_text(&letter));
        for expected in [
            "ReedAllman",
            "reed@rdallman.com",
            "DanaWhitfield",
            "AcmeStorage",
            "November23,2026",
            "Application:StaffBackendEngineer",
            "DearDanaWhitfield,",
            "IamReedAllman,andIwritetoapply.",
            "Kindregards,",
        ] {
            assert!(
                text.contains(expected),
                "{layout}: {expected} not in {text}"
            );
        }
        // The header is the CV's: the letter starts with the name and
        // headline, as the CV does.
        assert!(text.starts_with("ReedAllman"), "{layout}: {text}");
        let anonymous = candidates(&out.join("letter")).remove(0);
        assert!(anonymous.to_string_lossy().ends_with("-letter.pdf"));
        assert_eq!(page_count(&anonymous), 1);
        let text = pdf_text(&anonymous).to_lowercase();
        let bytes = String::from_utf8_lossy(&all_bytes(&anonymous)).to_lowercase();
        for secret in ["reed", "allman", "rdallman"] {
            assert!(!text.contains(secret), "{layout}: {secret} in {text}");
            assert!(
                !bytes.contains(secret),
                "{layout}: {secret} in the PDF's bytes"
            );
        }
        assert!(text.contains("candidate"), "{layout}: {text}");
    }
}

#[test]
fn a_letter_too_long_for_a_page_fails_clearly_and_the_rest_is_made() {
    let dir = repo_with_applications();
    let body =
        "This paragraph goes on about queues and storage at some length. ".repeat(12) + "\n\n";
    write(
        &dir.path().join("applications/long.toml"),
        &letter_application(&body.repeat(12)),
    );
    let ran = cvgen(dir.path())
        .args([
            "render",
            "applications/long.toml",
            "applications/globex-devrel.toml",
            "-o",
            "out",
        ])
        .fails(1);
    assert!(
        ran.stderr.contains("applications/long.toml")
            && ran
                .stderr
                .contains("the cover letter does not fit on one page")
            && ran.stderr.contains("shorten its body (12 paragraph(s))"),
        "{}",
        ran.stderr
    );
    assert!(!dir.path().join("out/long/reed-allman-letter.pdf").exists());
    assert!(
        dir.path()
            .join("out/globex-devrel/reed-allman-onepage.pdf")
            .exists()
    );
}

#[test]
fn a_letter_needs_an_application_with_a_letter_and_a_layout_that_sets_it() {
    let dir = repo_with_applications();
    write(
        &dir.path().join("input/wants-letter.toml"),
        "[basics]\nname = \"P\"\n[output]\nvariants = [\"long\", \"letter\"]\n",
    );
    let ran = cvgen(dir.path())
        .args(["check", "input/wants-letter.toml"])
        .fails(1);
    assert!(
        ran.stderr.contains("input/wants-letter.toml:4:12")
            && ran
                .stderr
                .contains("a cover letter belongs to a job application"),
        "{}",
        ran.stderr
    );
    write(
        &dir.path().join("applications/no-letter.toml"),
        "profile = \"../input/reed-allman.toml\"\ncompany = \"C\"\nposition = \"P\"\n\
         [output]\nvariants = [\"onepage\", \"letter\"]\n",
    );
    let ran = cvgen(dir.path())
        .args(["check", "applications/no-letter.toml"])
        .fails(1);
    assert!(
        ran.stderr.contains("applications/no-letter.toml:5:12")
            && ran.stderr.contains("the application has no [letter]"),
        "{}",
        ran.stderr
    );
    // A user layout that does not say it sets letters.
    write(
        &dir.path().join("layouts/plain.typ"),
        "// plain: no letters\n#let cv = json(\"/cv.json\")\n#metadata(\"end\") <cvgen-end>\n",
    );
    write(
        &dir.path().join("applications/plain.toml"),
        &(letter_application("Hello.") + "[layout]\nname = \"plain\"\n"),
    );
    let ran = cvgen(dir.path())
        .args(["check", "applications/plain.toml"])
        .fails(1);
    assert!(
        ran.stderr
            .contains("layout `plain` does not set cover letters"),
        "{}",
        ran.stderr
    );
}

/// A profile two applications name, rendered with them, is planned once:
/// its warnings are said once, and a broken one fails once, under its own
/// file, while each application says at its `profile` line why it was not
/// made.
#[test]
fn a_profile_is_planned_once_however_many_applications_name_it() {
    let dir = repo_with_applications();
    let profile = dir.path().join("input/reed-allman.toml");
    let text = std::fs::read_to_string(&profile).unwrap();
    // A date in the future is a warning, not an error.
    let warned = text.replacen("[basics]", "[basics]\nbirth_date = \"2999-01-01\"", 1);
    std::fs::write(&profile, &warned).unwrap();
    let ran = cvgen(dir.path())
        .args(["check", "input/reed-allman.toml", "applications"])
        .run();
    let said = &ran.stderr;
    let warnings = said.matches("reed-allman.toml:").count();
    assert!(warnings >= 1, "{said}");
    let once = said.matches("warning").count();
    // The same profile alone says the same warnings.
    let alone = cvgen(dir.path())
        .args(["check", "input/reed-allman.toml"])
        .run();
    assert_eq!(once, alone.stderr.matches("warning").count(), "{said}");

    // Broken: one error, under the profile; each application fails at its
    // profile line.
    let broken = text.replacen("[basics]", "[basics]\nnmae = \"typo\"", 1);
    std::fs::write(&profile, broken).unwrap();
    let ran = cvgen(dir.path())
        .args([
            "render",
            "applications",
            "input/reed-allman.toml",
            "-o",
            "output",
        ])
        .fails(1);
    let said = &ran.stderr;
    assert_eq!(said.matches("unknown field `nmae`").count(), 1, "{said}");
    for application in ["acme-backend.toml", "globex-devrel.toml"] {
        assert!(
            said.contains(&format!("failed: applications/{application}")),
            "{said}"
        );
    }
    assert_eq!(
        said.matches("has errors, reported under its own file")
            .count(),
        2,
        "{said}"
    );
    assert!(said.contains("failed: input/reed-allman.toml"), "{said}");
    assert!(!dir.path().join("output/acme-backend").exists());
}
