//! cvgen under real make, with the Makefile exactly as the README prints
//! it: everything once, then nothing; touched and edited inputs; deleted
//! outputs of every variant; user layouts that override built-in ones; file
//! names that make reads specially. After each change `make -q` must say
//! the build is up to date.

use std::path::Path;
use std::process::Command;
use std::time::Duration;

use crate::support::*;

/// The Makefile the README shows, taken from it.
fn readme_makefile() -> String {
    let readme = std::fs::read_to_string(repo().join("README.md")).unwrap();
    let start = readme.find("```make\n").expect("README shows a Makefile") + "```make\n".len();
    let end = start + readme[start..].find("```").unwrap();
    readme[start..end].to_owned()
}

/// A job-search repository with the README's Makefile.
fn repo_with_makefile() -> tempfile::TempDir {
    let dir = job_search_repo();
    write(&dir.path().join("Makefile"), &readme_makefile());
    dir
}

fn make_command(dir: &Path) -> Command {
    let mut command = Command::new("make");
    command
        .current_dir(dir)
        .arg(format!("CVGEN={}", env!("CARGO_BIN_EXE_cvgen")))
        .env_remove("SOURCE_DATE_EPOCH")
        .env_remove("MAKEFLAGS");
    command
}

/// Runs make; returns the profiles it rendered, in order.
fn make(dir: &Path) -> Vec<String> {
    let output = make_command(dir).output().expect("make runs");
    let text = String::from_utf8_lossy(&output.stdout).into_owned()
        + &String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "{text}");
    text.lines()
        .filter_map(|line| line.split_once(" render '"))
        .map(|(_, rest)| rest.split('\'').next().unwrap().to_owned())
        .collect()
}

/// Whether `make -q` finds everything up to date.
fn up_to_date(dir: &Path) -> bool {
    let status = make_command(dir).arg("-q").status().expect("make runs");
    assert!(status.code().is_some_and(|c| c <= 1), "make -q: {status}");
    status.success()
}

/// Lets the clock pass a file-time tick, so that a later write is newer.
fn tick() {
    std::thread::sleep(Duration::from_millis(1100));
}

fn append(path: &Path, text: &str) {
    let old = std::fs::read_to_string(path).unwrap();
    std::fs::write(path, old + text).unwrap();
}

fn touch(path: &Path) {
    let file = std::fs::File::options().append(true).open(path).unwrap();
    file.set_modified(std::time::SystemTime::now()).unwrap();
}

const SAMPLES: [&str; 5] = [
    "input/lena-vogel.toml",
    "input/mark-callan.toml",
    "input/my-story.toml",
    "input/positions.toml",
    "input/reed-allman.toml",
];

#[test]
fn make_renders_everything_once_then_nothing() {
    let dir = repo_with_makefile();
    assert_eq!(make(dir.path()), SAMPLES);
    assert!(dir.path().join("output/.cvgen/mark-callan.d").exists());
    assert!(dir.path().join("output/.cvgen/mark-callan.stamp").exists());
    // A profile in two languages has one rule for the documents of both.
    let rule = std::fs::read_to_string(dir.path().join("output/.cvgen/lena-vogel.d")).unwrap();
    for file in ["lena-vogel.en.pdf", "lena-vogel-onepage.de.pdf"] {
        assert!(rule.contains(&format!("output/{file}")), "{rule}");
    }
    assert!(up_to_date(dir.path()));
    assert_eq!(make(dir.path()), Vec::<String>::new());
}

#[test]
fn a_touched_profile_renders_once_then_make_settles() {
    let dir = repo_with_makefile();
    make(dir.path());
    let pdf = dir.path().join("output/my-story.pdf");
    let before = pdf.metadata().unwrap().modified().unwrap();
    tick();
    touch(&dir.path().join("input/my-story.toml"));
    assert!(!up_to_date(dir.path()));
    assert_eq!(make(dir.path()), ["input/my-story.toml"]);
    // Nothing changed, so the PDF was left alone...
    assert_eq!(pdf.metadata().unwrap().modified().unwrap(), before);
    // ...and make does not run cvgen again, ever.
    assert!(up_to_date(dir.path()));
    assert_eq!(make(dir.path()), Vec::<String>::new());
}

#[test]
fn an_edit_renders_only_what_it_affects() {
    let dir = repo_with_makefile();
    // The repository keeps its own copy of the components, as a user would
    // to adjust them.
    write(
        &dir.path().join("layouts/lib/cv.typ"),
        &std::fs::read_to_string(repo().join("layouts/lib/cv.typ")).unwrap(),
    );
    make(dir.path());
    tick();
    append(&dir.path().join("input/my-story.toml"), "\n# edited\n");
    assert_eq!(make(dir.path()), ["input/my-story.toml"]);
    assert!(up_to_date(dir.path()));
    tick();
    append(&dir.path().join("layouts/lib/cv.typ"), "\n// edited\n");
    assert_eq!(
        make(dir.path()),
        SAMPLES,
        "every profile uses the components"
    );
    assert!(up_to_date(dir.path()));
}

#[test]
fn a_deleted_output_of_any_variant_is_made_again() {
    let dir = repo_with_makefile();
    make(dir.path());
    let out = dir.path().join("output");
    let candidate = candidates(&out).remove(0);
    for gone in [out.join("my-story-onepage.pdf"), candidate] {
        std::fs::remove_file(&gone).unwrap();
        assert!(!up_to_date(dir.path()), "{} is gone", gone.display());
        assert_eq!(make(dir.path()).len(), 1);
        assert!(gone.exists(), "{} was not made again", gone.display());
        assert!(up_to_date(dir.path()));
    }
}

#[test]
fn profiles_without_the_long_form_settle() {
    let dir = repo_with_makefile();
    append(
        &dir.path().join("input/my-story.toml"),
        "\n[output]\nvariants = [\"onepage\", \"anon\"]\n",
    );
    make(dir.path());
    assert!(!dir.path().join("output/my-story.pdf").exists());
    assert!(up_to_date(dir.path()));
    assert_eq!(make(dir.path()), Vec::<String>::new());
}

#[test]
fn a_user_layout_overriding_a_built_in_one_remakes_its_profiles() {
    let dir = repo_with_makefile();
    make(dir.path());
    tick();
    // No ./layouts existed when the outputs were made.
    let classic = std::fs::read_to_string(repo().join("layouts/classic.typ")).unwrap();
    write(
        &dir.path().join("layouts/classic.typ"),
        &classic.replace("#set par(justify: true", "#set par(justify: false"),
    );
    assert!(!up_to_date(dir.path()));
    assert_eq!(make(dir.path()), SAMPLES, "every sample is in classic");
    assert!(up_to_date(dir.path()));
    let deps = std::fs::read_to_string(dir.path().join("output/.cvgen/my-story.d")).unwrap();
    assert!(deps.contains("\n  layouts/classic.typ"), "{deps}");
    // Every layout file is the user's now, and the binary stays a
    // prerequisite.
    assert!(deps.contains(env!("CARGO_BIN_EXE_cvgen")), "{deps}");
    tick();
    append(&dir.path().join("layouts/classic.typ"), "\n// again\n");
    assert_eq!(make(dir.path()), SAMPLES);
    assert!(up_to_date(dir.path()));
}

#[test]
fn file_names_make_reads_specially_work() {
    let dir = repo_with_makefile();
    // A profile without a name: its candidate id comes from its file name.
    let source = std::fs::read_to_string(dir.path().join("input/positions.toml")).unwrap();
    for name in ["c#-dev", "50%"] {
        write(&dir.path().join(format!("input/{name}.toml")), &source);
    }
    let first = make(dir.path());
    assert!(first.contains(&"input/c#-dev.toml".to_owned()), "{first:?}");
    assert!(first.contains(&"input/50%.toml".to_owned()), "{first:?}");
    assert!(dir.path().join("output/c#-dev.pdf").exists());
    assert!(up_to_date(dir.path()));
    tick();
    append(&dir.path().join("input/c#-dev.toml"), "\n# edited\n");
    assert_eq!(make(dir.path()), ["input/c#-dev.toml"]);
    assert!(up_to_date(dir.path()));
}

/// Job applications under the README's Makefile: each is made once; an
/// edit of one remakes only it; an edit of the profile remakes it and every
/// application built on it.
#[test]
fn applications_remake_with_their_profile_and_on_their_own() {
    let dir = repo_with_makefile();
    copy_applications(dir.path());
    let mut everything: Vec<String> = SAMPLES.iter().map(|s| s.to_string()).collect();
    everything.extend([
        "applications/acme-backend.toml".to_owned(),
        "applications/globex-devrel.toml".to_owned(),
    ]);
    let mut made = make(dir.path());
    made.sort();
    everything.sort();
    assert_eq!(made, everything);
    assert!(
        dir.path()
            .join("output/acme-backend/reed-allman-onepage.pdf")
            .exists()
    );
    assert!(up_to_date(dir.path()));
    tick();
    append(
        &dir.path().join("applications/globex-devrel.toml"),
        "\n# edited\n",
    );
    assert_eq!(make(dir.path()), ["applications/globex-devrel.toml"]);
    assert!(up_to_date(dir.path()));
    tick();
    append(&dir.path().join("input/reed-allman.toml"), "\n# edited\n");
    let mut made = make(dir.path());
    made.sort();
    assert_eq!(
        made,
        [
            "applications/acme-backend.toml",
            "applications/globex-devrel.toml",
            "input/reed-allman.toml"
        ]
    );
    assert!(up_to_date(dir.path()));
    // A deleted output of an application is made again.
    std::fs::remove_file(dir.path().join("output/acme-backend/reed-allman.pdf")).unwrap();
    assert_eq!(make(dir.path()), ["applications/acme-backend.toml"]);
    assert!(up_to_date(dir.path()));
}

/// A profile named like an application's stamp (`application-x.toml`) and
/// the application `x.toml` each have a stamp of their own: make renders
/// both, then settles.
#[test]
fn a_profile_and_an_application_never_share_a_stamp() {
    let dir = repo_with_makefile();
    copy_applications(dir.path());
    std::fs::copy(
        dir.path().join("input/my-story.toml"),
        dir.path().join("input/application-acme-backend.toml"),
    )
    .unwrap();
    let made = make(dir.path());
    assert!(
        made.contains(&"input/application-acme-backend.toml".to_owned()),
        "{made:?}"
    );
    assert!(
        made.contains(&"applications/acme-backend.toml".to_owned()),
        "{made:?}"
    );
    assert!(
        dir.path()
            .join("output/application-acme-backend.pdf")
            .exists()
    );
    assert!(up_to_date(dir.path()));
    assert!(make(dir.path()).is_empty());
}

/// Two profiles of one person under make, one process each: the second
/// is refused rather than taking turns with the first at one file, and
/// make says so.
#[test]
fn two_profiles_of_one_person_do_not_take_turns_at_one_file_under_make() {
    let dir = repo_with_makefile();
    for name in ["b.toml", "c.toml"] {
        write(
            &dir.path().join("input").join(name),
            "[basics]\nname = \"Sam Same\"\nemail = \"sam@example.org\"\n\
             [[section]]\nkind = \"text\"\ntitle = \"About\"\nbody = \"Builds bridges.\"\n",
        );
    }
    let output = make_command(dir.path()).arg("-k").output().unwrap();
    let text = String::from_utf8_lossy(&output.stderr).into_owned();
    assert!(!output.status.success(), "make must fail: {text}");
    assert!(
        text.contains("candidate-") && text.contains("b.toml"),
        "{text}"
    );
    let candidates = candidates(&dir.path().join("output"));
    let ours: Vec<_> = candidates
        .iter()
        .filter(|p| squash(&pdf_text(p)).contains("Buildsbridges"))
        .collect();
    assert_eq!(ours.len(), 1, "{candidates:?}");
}
