//! Job postings in applications: the posting's terms against the tailored
//! documents (`cvgen check`, `--report`), fitting steered by them, sent
//! applications kept as they were sent, and `cvgen applications`. Postings
//! of our own in English and German with known terms, read from files.

use std::path::Path;

use crate::support::*;

/// November 2026: the one page's timeline window is fixed.
const EPOCH: &str = "1793491200";

/// A CV of four roles of six bullets each, two pages long: the newest
/// role's first bullets are what a one page keeps longest, and the oldest
/// role's last bullet (the only one naming Kubernetes) is among the first
/// to go; a low-priority bullet holds the only "Terraform".
fn robin() -> String {
    let roles = [
        ("Staff Engineer", "Umbrella Systems", "2023-02", "present"),
        ("Senior Engineer", "Hooli", "2019-05", "2023-01"),
        (
            "Software Engineer",
            "Vandelay Industries",
            "2015-09",
            "2019-04",
        ),
        ("Junior Developer", "Soylent Corp", "2008-01", "2012-06"),
    ];
    let filler = [
        "Rebuilt the billing service so that invoices for every region are computed in one nightly pass instead of four separate jobs",
        "Led the design reviews for the storage team and wrote the guidelines that new services follow when they choose a database",
        "Cut the median response time of the public search endpoint by half through caching and careful query planning across shards",
        "Mentored four engineers through their first year and ran the weekly reading group on distributed systems papers",
        "Wrote the runbooks and alerting rules that brought the pager load of the team down to one page per week on average",
        "Automated the release process with a small command line tool that every team in the company now uses for deploys",
    ];
    let mut text = "[basics]\nname = \"Robin Example\"\nemail = \"robin@example.org\"\n\n\
                    [[section]]\nkind = \"work\"\n"
        .to_owned();
    for (i, (position, org, start, end)) in roles.iter().enumerate() {
        text += &format!(
            "\n[[section.entries]]\nposition = \"{position}\"\nname = \"{org}\"\n\
             start_date = \"{start}\"\nend_date = \"{end}\"\nhighlights = [\n"
        );
        let short = org.split(' ').next().unwrap();
        for (j, bullet) in filler.iter().enumerate() {
            text += &match (i, j) {
                (3, 5) => "  \"Moved the build farm onto Kubernetes clusters and retired the last hand-configured build machines.\",\n".to_owned(),
                (1, 4) => "  { text = \"Provisioned every environment with Terraform modules reviewed like code.\", priority = \"low\" },\n".to_owned(),
                _ => format!("  \"{bullet} at {short}.\",\n"),
            };
        }
        text += "]\n";
    }
    text + "\n[[section]]\nkind = \"skills\"\n\n[[section.entries]]\nname = \"Languages\"\n\
            keywords = [\"Python\", \"Go\", \"SQL\"]\n"
}

const POSTING: &str = "Platform Engineer

About the role
We run our services on Kubernetes and Terraform. You will own our Kafka pipelines.

Requirements:
- Kubernetes
- Python
- Experience with GraphQL.

What we offer:
- A generous salary, stock options and free lunch.

We are an equal opportunity employer and welcome applicants regardless of background.
";

const APPLICATION: &str = "profile = \"../input/robin.toml\"
company = \"Initech\"
position = \"Platform Engineer\"
posting = \"postings/initech.txt\"
keywords = [\"site reliability\"]
";

/// A job-search repository with Robin's profile and the Initech
/// application, its posting in a file beside it.
fn repository() -> tempfile::TempDir {
    let dir = scratch();
    write(&dir.path().join("input/robin.toml"), &robin());
    write(
        &dir.path().join("applications/postings/initech.txt"),
        POSTING,
    );
    write(&dir.path().join("applications/initech.toml"), APPLICATION);
    dir
}

fn said(ran: &Ran) -> String {
    format!("{}{}", String::from_utf8_lossy(&ran.stdout), ran.stderr)
}

#[test]
fn check_reports_the_postings_terms_against_the_long_form_and_the_one_page() {
    let dir = repository();
    let ran = cvgen(dir.path())
        .env("SOURCE_DATE_EPOCH", EPOCH)
        .args(["check", "applications/initech.toml"])
        .ok();
    let said = said(&ran);
    // Benefits ("salary", "lunch"), equal-opportunity text, stop words and
    // ordinary words used once ("run", "services", "pipelines") are no
    // terms; the listed phrase comes first, then by use.
    for line in [
        "applications/initech.toml: the job posting's 8 terms, each with how often the posting uses it",
        "applications/initech.toml:   on the one page: Kubernetes (2), Engineer (1), Python (1)",
        "applications/initech.toml:   only in the long form: Terraform (1)",
        "applications/initech.toml:     Terraform: dropped bullet “Provisioned every environment with Terraform mod…” (Experience › Senior Engineer, Hooli)",
        "applications/initech.toml:   not in the CV: site reliability (0), Platform (1), Kafka (1), GraphQL (1)",
    ] {
        assert!(said.contains(line), "{line}\n---\n{said}");
    }
    for boilerplate in ["salary", "lunch", "opportunity", "applicants", "background"] {
        assert!(
            !said.to_lowercase().contains(&format!(" {boilerplate} (")),
            "{said}"
        );
    }
}

/// Renders the applications' long form and one page with a report; the
/// report's job for the one page.
fn one_page_job(dir: &Path) -> serde_json::Value {
    cvgen(dir)
        .env("SOURCE_DATE_EPOCH", EPOCH)
        .args(["render", "applications", "--variant", "long,onepage"])
        .args(["--report", "report.json"])
        .ok();
    let report: serde_json::Value =
        serde_json::from_slice(&std::fs::read(dir.join("report.json")).unwrap()).unwrap();
    report["jobs"]
        .as_array()
        .unwrap()
        .iter()
        .find(|job| job["variant"] == "onepage")
        .unwrap()
        .clone()
}

#[test]
fn the_report_carries_the_coverage_of_each_document() {
    let dir = repository();
    let onepage = one_page_job(dir.path());
    assert_eq!(onepage["status"], "written");
    let coverage = &onepage["coverage"];
    assert_eq!(coverage["one_page"], true);
    let places: Vec<(String, String)> = coverage["terms"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| {
            (
                t["term"].as_str().unwrap().to_owned(),
                t["where"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    let expected = [
        ("site reliability", "missing"),
        ("Kubernetes", "one_page"),
        ("Platform", "missing"),
        ("Engineer", "one_page"),
        ("Terraform", "long_form"),
        ("Kafka", "missing"),
        ("Python", "one_page"),
        ("GraphQL", "missing"),
    ];
    let expected: Vec<(String, String)> = expected
        .iter()
        .map(|(a, b)| (a.to_string(), b.to_string()))
        .collect();
    assert_eq!(places, expected);
    // A later run that finds the documents up to date reports the same,
    // as recorded when they were made.
    let again = one_page_job(dir.path());
    assert_eq!(again["status"], "unchanged");
    assert_eq!(again["coverage"], *coverage);
}

#[test]
fn fitting_keeps_what_the_posting_asks_for_over_what_it_does_not() {
    let dir = repository();
    // The profile alone: the oldest role's last bullet is among the first
    // to go.
    cvgen(dir.path())
        .env("SOURCE_DATE_EPOCH", EPOCH)
        .args(["render", "input", "--variant", "long,onepage"])
        .ok();
    let alone = pdf_text(&dir.path().join("output/robin-onepage.pdf"));
    assert_eq!(page_count(&dir.path().join("output/robin.pdf")), 2);
    assert!(!alone.contains("Kubernetes"), "{alone}");
    // For the posting that asks for Kubernetes, it stays, and a bullet of
    // the same rank that asks for nothing goes in its place.
    let ran = cvgen(dir.path())
        .env("SOURCE_DATE_EPOCH", EPOCH)
        .args(["render", "applications", "--variant", "onepage", "-v"])
        .ok();
    let tailored = pdf_text(&dir.path().join("output/initech/robin-onepage.pdf"));
    assert_eq!(
        page_count(&dir.path().join("output/initech/robin-onepage.pdf")),
        1
    );
    assert!(
        squash(&tailored).contains("Kubernetesclusters"),
        "{tailored}"
    );
    assert!(
        squash(&alone).len() >= squash(&tailored).len() / 2,
        "both pages are full"
    );
    // `-v` says which term kept which line.
    assert!(
        ran.stderr.contains(
            "kept for the posting's “Kubernetes”: bullet “Moved the build farm onto Kubernetes clusters an…” (Experience › Junior Developer, Soylent Corp)"
        ),
        "{}",
        ran.stderr
    );
    // Priority still wins: the low bullet with Terraform went.
    assert!(!tailored.contains("Terraform"), "{tailored}");
}

#[test]
fn a_german_posting_is_read_with_german_words() {
    let dir = scratch();
    write(
        &dir.path().join("input/kim.toml"),
        "[basics]\nname = \"Kim Beispiel\"\n[layout]\nlang = \"de\"\n\
         [[section]]\nkind = \"work\"\n[[section.entries]]\nposition = \"Softwareentwicklerin\"\n\
         name = \"Beispiel AG\"\nstart_date = \"2020-01\"\nend_date = \"present\"\n\
         highlights = [\"Betrieb von Datenbanken auf Kubernetes.\", \"Entwicklung von Schnittstellen in Java.\"]\n\
         [[section]]\nkind = \"skills\"\n[[section.entries]]\nname = \"Sprachen\"\nkeywords = [\"Java\", \"Python\"]\n",
    );
    write(
        &dir.path().join("applications/postings/beispiel.md"),
        "Softwareentwickler (m/w/d) Backend\n\n\
         Deine Aufgaben:\n\
         - Du entwickelst Schnittstellen für unsere Datenbank.\n\
         - Betrieb unserer Dienste auf Kubernetes und OpenShift.\n\n\
         Dein Profil:\n\
         - Erfahrung mit Java und Go.\n\
         - Kenntnisse in PostgreSQL.\n\n\
         Wir bieten:\n\
         - 30 Tage Urlaub, ein Jobrad und flexible Arbeitszeiten.\n\n\
         Wir freuen uns über Bewerbungen unabhängig von Geschlecht und Herkunft.\n",
    );
    write(
        &dir.path().join("applications/beispiel.toml"),
        "profile = \"../input/kim.toml\"\ncompany = \"Beispiel AG\"\nposition = \"Entwicklerin\"\n\
         posting = \"postings/beispiel.md\"\n",
    );
    let ran = cvgen(dir.path())
        .args(["check", "applications/beispiel.toml"])
        .ok();
    let said = said(&ran);
    // The feminine job title meets the posting's, "Datenbanken" meets
    // "Datenbank"; "Urlaub", "Jobrad", "Geschlecht" are its boilerplate.
    for line in [
        "on the one page: Softwareentwickler (1), Schnittstellen (1), Datenbank (1), Kubernetes (1), Java (1)",
        "not in the CV: Backend (1), Dienste (1), OpenShift (1), Go (1), PostgreSQL (1)",
    ] {
        assert!(said.contains(line), "{line}\n---\n{said}");
    }
    for boilerplate in ["Urlaub", "Jobrad", "Geschlecht", "Herkunft", "Bewerbungen"] {
        assert!(!said.contains(boilerplate), "{boilerplate}: {said}");
    }
}

#[test]
fn a_posting_that_cannot_be_read_is_an_error_at_its_line() {
    let dir = repository();
    write(
        &dir.path().join("applications/initech.toml"),
        &APPLICATION.replace("postings/initech.txt", "postings/missing.txt"),
    );
    let ran = cvgen(dir.path())
        .args(["check", "applications/initech.toml"])
        .fails(1);
    assert!(
        ran.stderr
            .contains("the posting `postings/missing.txt` does not exist"),
        "{}",
        ran.stderr
    );
    assert!(ran.stderr.contains("initech.toml:4:11"), "{}", ran.stderr);
}

fn hashes_and_times(dir: &Path) -> Vec<(String, Vec<u8>, std::time::SystemTime)> {
    let mut files: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "pdf"))
        .map(|p| {
            let modified = std::fs::metadata(&p).unwrap().modified().unwrap();
            (
                p.file_name().unwrap().to_string_lossy().into_owned(),
                std::fs::read(&p).unwrap(),
                modified,
            )
        })
        .collect();
    files.sort();
    files
}

#[test]
fn a_sent_application_keeps_its_documents_until_forced() {
    let dir = repository();
    let sent = APPLICATION.to_owned() + "status = \"sent\"\nsent = \"2026-11-20\"\n";
    write(&dir.path().join("applications/initech.toml"), &sent);
    let render = |extra: &[&str]| {
        cvgen(dir.path())
            .env("SOURCE_DATE_EPOCH", EPOCH)
            .args(["render", "applications", "--variant", "long,onepage"])
            .args(extra)
            .ok()
    };
    render(&[]);
    let out = dir.path().join("output/initech");
    let before = hashes_and_times(&out);
    assert_eq!(before.len(), 2);
    let record: serde_json::Value =
        serde_json::from_slice(&std::fs::read(out.join(".cvgen/sent.json")).unwrap()).unwrap();
    assert_eq!(record["sent"], "2026-11-20");
    assert_eq!(record["documents"].as_array().unwrap().len(), 2);
    std::thread::sleep(std::time::Duration::from_millis(20));
    // The profile changes: the sent documents stay, byte for byte and
    // untouched, and the run says why.
    let profile = dir.path().join("input/robin.toml");
    let edited = std::fs::read_to_string(&profile)
        .unwrap()
        .replace("Staff Engineer", "Principal Engineer");
    std::fs::write(&profile, edited).unwrap();
    let ran = render(&[]);
    assert!(
        ran.stderr.contains(
            "applications/initech.toml: sent on 2026-11-20; its profile, application or posting changed since"
        ),
        "{}",
        ran.stderr
    );
    assert_eq!(hashes_and_times(&out), before);
    assert!(!pdf_text(&out.join("robin.pdf")).contains("Principal"));
    // On purpose, they are made again from the edited profile.
    render(&["--force"]);
    let after = hashes_and_times(&out);
    assert_ne!(after[0].1, before[0].1);
    assert!(pdf_text(&out.join("robin.pdf")).contains("Principal"));
}

#[test]
fn applications_lists_where_each_stands() {
    let dir = repository();
    write(
        &dir.path().join("applications/globex.toml"),
        "profile = \"../input/robin.toml\"\ncompany = \"Globex\"\nposition = \"SRE\"\n\
         status = \"interview\"\nsent = \"2026-10-02\"\n",
    );
    let table = cvgen(dir.path())
        .env("SOURCE_DATE_EPOCH", EPOCH)
        .args(["applications"])
        .ok();
    let table = String::from_utf8_lossy(&table.stdout).into_owned();
    let rows: Vec<Vec<&str>> = table
        .lines()
        .map(|l| {
            l.split("  ")
                .map(str::trim)
                .filter(|c| !c.is_empty())
                .collect()
        })
        .collect();
    assert_eq!(
        rows,
        [
            vec![
                "application",
                "company",
                "position",
                "status",
                "sent",
                "coverage",
                "documents"
            ],
            vec![
                "applications/globex.toml",
                "Globex",
                "SRE",
                "interview",
                "2026-10-02",
                "-",
                "not made"
            ],
            vec![
                "applications/initech.toml",
                "Initech",
                "Platform Engineer",
                "draft",
                "3/8 on one page",
                "not made"
            ],
        ],
        "{table}"
    );
    cvgen(dir.path())
        .env("SOURCE_DATE_EPOCH", EPOCH)
        .args(["render", "applications"])
        .ok();
    let json = cvgen(dir.path())
        .env("SOURCE_DATE_EPOCH", EPOCH)
        .args(["applications", "--json"])
        .ok();
    let json: serde_json::Value = serde_json::from_slice(&json.stdout).unwrap();
    let standing: Vec<(&str, &str)> = json
        .as_array()
        .unwrap()
        .iter()
        .map(|a| {
            (
                a["company"].as_str().unwrap(),
                a["documents"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(standing, [("Globex", "as sent"), ("Initech", "current")]);
    // An edit of the profile: the draft is out of date, the sent one kept.
    let profile = dir.path().join("input/robin.toml");
    let edited = std::fs::read_to_string(&profile).unwrap() + "\n# edited\n";
    std::fs::write(&profile, edited).unwrap();
    let json = cvgen(dir.path())
        .env("SOURCE_DATE_EPOCH", EPOCH)
        .args(["applications", "--json"])
        .ok();
    let json: serde_json::Value = serde_json::from_slice(&json.stdout).unwrap();
    let standing: Vec<&str> = json
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["documents"].as_str().unwrap())
        .collect();
    assert_eq!(standing, ["as sent; inputs changed since", "outdated"]);
    assert_eq!(json[1]["coverage"]["terms"][1]["term"], "Kubernetes");
}
