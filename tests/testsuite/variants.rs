//! The three default variants of every sample profile, read back from the
//! written files: one-page fits and keeps the top of each section; anonymized
//! PDFs hold no personal data in text, metadata or bytes.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use crate::support::*;

/// Renders `input/` with all variants in every built-in layout, once per
/// test run, into `<target tmp>/variants/<layout>/`.
fn rendered() -> &'static Path {
    static ROOT: OnceLock<PathBuf> = OnceLock::new();
    ROOT.get_or_init(|| {
        let root = Path::new(env!("CARGO_TARGET_TMPDIR")).join("variants");
        let _ = std::fs::remove_dir_all(&root);
        for layout in LAYOUTS {
            let Ran { code, stderr, .. } = cvgen(&repo())
                .args(["render", "input", "--layout", layout])
                .args(["--variant", "long,onepage,anon,anon-onepage", "-o"])
                .arg(root.join(layout))
                .run();
            assert!(code == Some(0), "{layout}: {stderr}");
        }
        root
    })
}

/// The output folder of each built-in layout.
fn render_all() -> Vec<PathBuf> {
    LAYOUTS.iter().map(|l| rendered().join(l)).collect()
}

/// Every sample document language: `(slug, profile)`, the profile as
/// that language reads it. A profile made in several languages is here
/// once per language, its slug naming it (`lena-vogel.de`).
fn profiles() -> Vec<(String, toml::Table)> {
    let mut found = Vec::new();
    for entry in std::fs::read_dir(repo().join("input")).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|e| e == "toml") {
            let stem = path.file_stem().unwrap().to_str().unwrap().to_owned();
            let profile: toml::Table =
                toml::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
            let languages = profile
                .get("output")
                .and_then(|o| o.get("languages"))
                .and_then(|l| l.as_array())
                .cloned()
                .unwrap_or_default();
            if languages.len() < 2 {
                found.push((stem, profile));
                continue;
            }
            for language in languages.iter().filter_map(|l| l.as_str()) {
                let toml::Value::Table(localized) =
                    in_language(&toml::Value::Table(profile.clone()), language)
                else {
                    unreachable!()
                };
                found.push((format!("{stem}.{language}"), localized));
            }
        }
    }
    found.sort_by(|a, b| a.0.cmp(&b.0));
    found
}

/// A document's file: `file("lena-vogel.de", "-onepage")` is
/// `lena-vogel-onepage.de.pdf`.
fn file(slug: &str, variant: &str) -> String {
    match slug.split_once('.') {
        Some((stem, language)) => format!("{stem}{variant}.{language}.pdf"),
        None => format!("{slug}{variant}.pdf"),
    }
}

fn basics(profile: &toml::Table) -> BTreeMap<String, String> {
    profile
        .get("basics")
        .and_then(|b| b.as_table())
        .map(|b| {
            b.iter()
                .filter_map(|(k, v)| Some((k.clone(), v.as_str()?.to_owned())))
                .collect()
        })
        .unwrap_or_default()
}

/// The personal values an independent check looks for: the name and its
/// parts, email, website and its domain.
fn personal_values(profile: &toml::Table) -> Vec<String> {
    let basics = basics(profile);
    let mut values = Vec::new();
    if let Some(name) = basics.get("name") {
        values.push(name.clone());
        values.extend(
            name.split_whitespace()
                .filter(|p| p.len() >= 3)
                .map(str::to_owned),
        );
    }
    if let Some(email) = basics.get("email") {
        values.push(email.clone());
    }
    if let Some(url) = basics.get("url") {
        values.push(url.clone());
        values.push(
            url.trim_start_matches("https://")
                .trim_start_matches("http://")
                .to_owned(),
        );
    }
    values
}

fn contains_word_ci(hay: &str, needle: &str) -> bool {
    let hay = hay.to_lowercase();
    let needle = needle.to_lowercase();
    hay.match_indices(&needle).any(|(at, _)| {
        let before = hay[..at]
            .chars()
            .next_back()
            .is_none_or(|c| !c.is_alphanumeric());
        let after = hay[at + needle.len()..]
            .chars()
            .next()
            .is_none_or(|c| !c.is_alphanumeric());
        before && after
    })
}

#[test]
fn every_variant_of_every_sample_is_written() {
    for out in render_all() {
        every_variant_of_every_sample_is_written_in(&out);
    }
}

fn every_variant_of_every_sample_is_written_in(out: &Path) {
    for (slug, _) in profiles() {
        assert!(out.join(file(&slug, "")).exists(), "{slug}: long-form");
        assert!(
            out.join(file(&slug, "-onepage")).exists(),
            "{slug}: one-page"
        );
    }
    let anon = candidates(out);
    assert_eq!(anon.len(), 2 * profiles().len(), "{anon:?}");
}

#[test]
fn one_page_variants_have_one_page_and_keep_the_top_of_each_section() {
    for out in render_all() {
        one_page_variants_have_one_page_and_keep_the_top_of_each_section_in(&out);
    }
}

fn one_page_variants_have_one_page_and_keep_the_top_of_each_section_in(out: &Path) {
    let mut compared = 0;
    for (slug, profile) in profiles() {
        let pdf = out.join(file(&slug, "-onepage"));
        assert_eq!(page_count(&pdf), 1, "{slug}");
        let text = pdf_text(&pdf);
        for (key, value) in basics(&profile) {
            if ["name", "email"].contains(&key.as_str()) {
                assert!(
                    squash(&text).contains(&squash(&value)),
                    "{slug}: {key} {value:?} is missing"
                );
            }
        }
        // Every section whose heading survived keeps its first entry.
        for section in profile
            .get("section")
            .and_then(|s| s.as_array())
            .into_iter()
            .flatten()
        {
            let title = section.get("title").and_then(|t| t.as_str()).unwrap_or("");
            let first = section
                .get("entries")
                .and_then(|e| e.as_array())
                .and_then(|e| e.first());
            let (false, Some(first)) = (title.is_empty(), first) else {
                continue;
            };
            // Layouts may set headings in capitals (`modern` does).
            if !squash(&text)
                .to_lowercase()
                .contains(&squash(title).to_lowercase())
            {
                continue;
            }
            let heading = ["position", "name", "study_type", "institution"]
                .iter()
                .find_map(|k| first.get(*k).and_then(|v| v.as_str()))
                .unwrap();
            assert!(
                squash(&text).contains(&squash(heading)),
                "{slug}: {title} lost its top entry {heading:?}"
            );
            compared += 1;
        }
    }
    // Headings must have been found, or the loop above checked nothing.
    assert!(
        compared >= 4,
        "{}: only {compared} sections compared",
        out.display()
    );
}

#[test]
fn anonymized_pdfs_hold_no_personal_data_anywhere() {
    for out in render_all() {
        anonymized_pdfs_hold_no_personal_data_anywhere_in(&out);
    }
}

fn anonymized_pdfs_hold_no_personal_data_anywhere_in(out: &Path) {
    let mut checked = 0;
    for (slug, profile) in profiles() {
        let values = personal_values(&profile);
        if values.is_empty() {
            continue;
        }
        // No anonymized file, this profile's or another's, holds any of
        // these values.
        for pdf in candidates(out) {
            let name = pdf.file_name().unwrap().to_str().unwrap().to_owned();
            for value in &values {
                assert!(
                    !name.to_lowercase().contains(&value.to_lowercase()),
                    "{slug}: file name {name}"
                );
            }
            let text = pdf_text(&pdf);
            let bytes = String::from_utf8_lossy(&all_bytes(&pdf)).into_owned();
            for value in &values {
                assert!(
                    !contains_word_ci(&text, value),
                    "{name}: text holds {value:?} of {slug}"
                );
                assert!(
                    !contains_word_ci(&bytes, value),
                    "{name}: bytes hold {value:?} of {slug}"
                );
            }
            let doc = lopdf::Document::load(&pdf).unwrap();
            let info = doc
                .trailer
                .get(b"Info")
                .and_then(|o| o.as_reference())
                .and_then(|r| doc.get_dictionary(r));
            if let Ok(info) = info {
                for key in [&b"Title"[..], b"Author", b"Keywords", b"Subject"] {
                    if let Ok(value) = info.get(key) {
                        let value = lopdf::decode_text_string(value).unwrap_or_default();
                        assert!(
                            values.iter().all(|v| !contains_word_ci(&value, v)),
                            "{name}: metadata {value:?}"
                        );
                    }
                }
            }
            checked += 1;
        }
    }
    assert!(checked >= 4, "checked {checked} anonymized files");
}

#[test]
fn anonymized_pdfs_keep_the_content_and_name_the_candidate() {
    for out in render_all() {
        anonymized_pdfs_keep_the_content_and_name_the_candidate_in(&out);
    }
}

fn anonymized_pdfs_keep_the_content_and_name_the_candidate_in(out: &Path) {
    let texts: Vec<String> = candidates(out)
        .iter()
        .filter(|p| !p.to_str().unwrap().ends_with("-onepage.pdf"))
        .map(|p| pdf_text(p))
        .collect();
    let reed = texts
        .iter()
        .find(|t| t.to_lowercase().contains("labor"))
        .expect("an anonymized Labor section");
    assert!(reed.contains("Candidate "), "{reed}");
    assert!(squash(reed).contains(&squash(
        "Co-built IronMQ v3, a distributed message queue system"
    )));
}

#[test]
fn content_that_cannot_fit_fails_clearly_and_writes_nothing() {
    let dir = scratch();
    let long: Vec<String> = (0..40)
        .map(|i| {
            format!("\"Essential bullet number {i} that must stay on the page no matter what\"")
        })
        .collect();
    let profile = format!(
        "[basics]\nname = \"Too Much\"\n[[section]]\nkind = \"work\"\npriority = \"essential\"\n\
         [[section.entries]]\nposition = \"Everything\"\nhighlights = [{}]\n\
         [[section.entries]]\nposition = \"More\"\nhighlights = [{}]\n",
        long.join(", "),
        long.join(", ")
    );
    write(&dir.path().join("in/much.toml"), &profile);
    let Ran { stderr, .. } = cvgen(dir.path())
        .args(["render", "in", "-o", "out", "--variant", "onepage,long"])
        .fails(1);
    assert!(
        stderr.contains("error: in/much.toml (onepage): does not fit on one page"),
        "{stderr}"
    );
    assert!(
        stderr.contains("cm past the bottom of page 1")
            && stderr.contains("what is left: name and contact line"),
        "{stderr}"
    );
    assert!(!dir.path().join("out/much-onepage.pdf").exists());
    assert!(
        dir.path().join("out/much.pdf").exists(),
        "the long-form variant still renders"
    );
}

#[test]
fn verbose_fitting_reports_what_was_dropped() {
    let out = scratch();
    let Ran { stderr, .. } = cvgen(&repo())
        .args([
            "render",
            "input/mark-callan.toml",
            "--variant",
            "onepage",
            "--verbose",
            "-o",
        ])
        .arg(out.path())
        .ok();
    assert!(
        stderr.contains("fitted in") && stderr.contains("  dropped bullet “"),
        "{stderr}"
    );
}

#[test]
fn a_leak_stops_the_anonymized_file_from_being_written() {
    let dir = scratch();
    write(
        &dir.path().join("in/p.toml"),
        "[basics]\nname = \"Ursula Leakwell\"\n[layout]\nname = \"motto\"\n",
    );
    // A layout that prints a parameter: set to the name, it leaks it.
    write(
        &dir.path().join("layouts/motto.typ"),
        "// motto: prints a motto\n// @param motto: string = \"\" -- a motto\n#let cv = json(\"/cv.json\")\n\
         #cv.basics.name\n\n#cv.params.motto\n",
    );
    let Ran { stderr, .. } = cvgen(dir.path())
        .args([
            "render",
            "in",
            "-o",
            "out",
            "--variant",
            "anon",
            "--set",
            "motto=Hi, I am Leakwell",
        ])
        .fails(1);
    assert!(
        stderr.contains("still contains the name `Leakwell` in the text of page 1"),
        "{stderr}"
    );
    assert!(
        !dir.path().join("out").read_dir().unwrap().any(|_| true),
        "nothing written"
    );
}

#[test]
fn profiles_choose_their_default_variants() {
    let dir = scratch();
    write(
        &dir.path().join("in/p.toml"),
        "[basics]\nname = \"Pat Doe\"\n[output]\nvariants = [\"anon\"]\n[anonymize]\nid = \"c-0042\"\n",
    );
    cvgen(dir.path()).args(["render", "in", "-o", "out"]).ok();
    let written: Vec<_> = std::fs::read_dir(dir.path().join("out"))
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .filter(|name| name.to_string_lossy().ends_with(".pdf"))
        .collect();
    assert_eq!(written, ["candidate-c-0042.pdf"]);
    let Ran { stderr, .. } = cvgen(dir.path())
        .args(["render", "in", "-o", "out", "--variant", "longer"])
        .fails(2);
    assert!(
        stderr
            .contains("unknown variant `longer`; variants are: long, onepage, anon, anon-onepage"),
        "{stderr}"
    );
}

#[test]
fn a_chosen_id_that_names_the_person_is_caught() {
    let dir = scratch();
    write(
        &dir.path().join("in/p.toml"),
        "[basics]\nname = \"Pat Doe\"\n[anonymize]\nid = \"pat-doe\"\n",
    );
    let Ran { stderr, .. } = cvgen(dir.path())
        .args(["render", "in", "-o", "out", "--variant", "anon"])
        .fails(1);
    assert!(stderr.contains("still contains the name"), "{stderr}");
    assert!(!dir.path().join("out/candidate-pat-doe.pdf").exists());
}

/// Every bullet written as a table with nested `items`, anywhere in a
/// profile: (its text, its children's texts).
fn group_bullets(value: &toml::Value, out: &mut Vec<(String, Vec<String>)>) {
    match value {
        toml::Value::Table(table) => {
            if let (Some(text), Some(toml::Value::Array(items))) = (
                table.get("text").and_then(|t| t.as_str()),
                table.get("items"),
            ) && !items.is_empty()
            {
                let children = items
                    .iter()
                    .filter_map(|item| {
                        item.as_str()
                            .or_else(|| item.get("text").and_then(|t| t.as_str()))
                            .map(str::to_owned)
                    })
                    .collect();
                out.push((text.to_owned(), children));
            }
            table.values().for_each(|v| group_bullets(v, out));
        }
        toml::Value::Array(items) => items.iter().for_each(|v| group_bullets(v, out)),
        _ => {}
    }
}

/// Text as it prints: whitespace and Markdown emphasis marks removed.
fn printed(text: &str) -> String {
    squash(text).replace(['*', '`', '_'], "")
}

#[test]
fn one_page_variants_keep_no_heading_bullet_without_its_bullets() {
    // Group bullets the long forms print: what the check below is about.
    let mut groups_in_long_forms = 0;
    for out in render_all() {
        for (slug, profile) in profiles() {
            let long = printed(&pdf_text(&out.join(file(&slug, ""))));
            let text = printed(&pdf_text(&out.join(file(&slug, "-onepage"))));
            let mut groups = Vec::new();
            group_bullets(&toml::Value::Table(profile), &mut groups);
            for (heading, children) in groups {
                if long.contains(&printed(&heading)) {
                    groups_in_long_forms += 1;
                }
                if text.contains(&printed(&heading)) {
                    assert!(
                        children.iter().any(|child| text.contains(&printed(child))),
                        "{}: {slug}-onepage keeps {heading:?} without any of {children:?}",
                        out.display()
                    );
                }
            }
        }
    }
    assert!(
        groups_in_long_forms >= 3,
        "the samples' group bullets were not found"
    );
}

/// One-page fitting as a recruiter would want it, on the samples and a long
/// profile with priorities, `short` texts and three levels of bullets, in
/// every layout: a page at least 95% full whenever anything was dropped
/// (paragraphs go a sentence at a time, so the room a dropped paragraph
/// leaves is filled with its first sentences), at most 6 compiles a fit and
/// 4 at the median, and the newest entry of every kept section still there.
#[test]
fn one_page_fits_are_full_quick_and_keep_the_newest_entries() {
    let mut compiles = Vec::new();
    for layout in LAYOUTS {
        let out = scratch();
        let Ran { stdout, .. } = cvgen(&repo())
            .args(["render", "input", "tests/fixtures/long", "--layout", layout])
            .args([
                "--variant",
                "onepage,anon-onepage",
                "--report",
                "-",
                "-q",
                "-o",
            ])
            .arg(out.path())
            .ok();
        let report: serde_json::Value = serde_json::from_slice(&stdout).unwrap();
        for job in report["jobs"].as_array().unwrap() {
            let name = job["output"].as_str().unwrap();
            let dropped = job["dropped"].as_array().unwrap();
            let fitted = job["compiles"].as_u64().unwrap();
            compiles.push(fitted);
            assert!(fitted <= 6, "{layout} {name}: {fitted} compiles");
            if !dropped.is_empty() {
                let fill = job["fill"].as_f64().unwrap();
                assert!(fill >= 0.95, "{layout} {name}: {:.1}% full", fill * 100.0);
            }
        }
        // The long profile's newest role and its first bullet stay.
        let text = squash(&pdf_text(&out.path().join("long-onepage.pdf")));
        assert!(
            text.contains("Engineer7") && text.contains("Company0"),
            "{layout}: {text}"
        );
    }
    compiles.sort_unstable();
    let median = compiles[compiles.len() / 2];
    assert!(median <= 4, "median {median} compiles: {compiles:?}");
}

/// The one page keeps the career, as a recruiter reads it: every position
/// and degree that started within the last ten years (the run's date is
/// November 2026) keeps its title, organisation and start year, and no
/// list or skills section is cut to a lone item, in every layout, on the
/// samples and on a career of eight roles with group bullets.
#[test]
fn one_page_keeps_the_timeline_and_cuts_no_list_to_a_stub() {
    const SINCE: &str = "2016-11";
    let career = repo().join("tests/fixtures/timeline/career.toml");
    let mut all = profiles();
    all.push((
        "career".to_owned(),
        std::fs::read_to_string(&career).unwrap().parse().unwrap(),
    ));
    let mut roles_checked = 0;
    for layout in LAYOUTS {
        let out = scratch();
        cvgen(&repo())
            .env("SOURCE_DATE_EPOCH", "1793491200")
            .args([
                "render",
                "input",
                "tests/fixtures/timeline",
                "--layout",
                layout,
            ])
            .args(["--variant", "onepage", "-q", "-o"])
            .arg(out.path())
            .ok();
        for (slug, profile) in &all {
            let pdf = out.path().join(file(slug, "-onepage"));
            let text = printed(&pdf_text(&pdf));
            let sections = profile.get("section").and_then(|s| s.as_array());
            for section in sections.into_iter().flatten() {
                let kind = section.get("kind").and_then(|k| k.as_str()).unwrap_or("");
                let field = |table: &toml::Value, key: &str| {
                    table.get(key).and_then(|v| v.as_str()).map(str::to_owned)
                };
                if ["work", "education", "volunteer"].contains(&kind) {
                    let entries = section.get("entries").and_then(|e| e.as_array());
                    for entry in entries.into_iter().flatten() {
                        let start = field(entry, "start_date").or(field(entry, "end_date"));
                        let ongoing = field(entry, "end_date").as_deref() == Some("present");
                        let Some(start) = start.filter(|s| ongoing || s.as_str() >= SINCE) else {
                            continue;
                        };
                        let title = field(entry, "position").or(field(entry, "study_type"));
                        for part in [title, field(entry, "name"), Some(start[..4].to_owned())]
                            .into_iter()
                            .flatten()
                        {
                            assert!(
                                text.contains(&printed(&part)),
                                "{layout} {slug}: a role of the last ten years lost {part:?}"
                            );
                        }
                        roles_checked += 1;
                    }
                }
                // A list keeps two items or goes whole.
                let items = section.get("items").and_then(|i| i.as_array());
                let texts: Vec<String> = items
                    .into_iter()
                    .flatten()
                    .filter_map(|item| item.as_str().map(str::to_owned))
                    .collect();
                let kept = texts.iter().filter(|t| text.contains(&printed(t))).count();
                assert!(
                    kept != 1 || texts.len() == 1,
                    "{layout} {slug}: a list cut to one of {} items",
                    texts.len()
                );
                // So does a skills section, group by group.
                if kind == "skills" {
                    let groups = section.get("entries").and_then(|e| e.as_array());
                    let names: Vec<String> = groups
                        .into_iter()
                        .flatten()
                        .filter_map(|g| field(g, "name"))
                        .collect();
                    let kept = names
                        .iter()
                        .filter(|n| text.contains(&printed(&format!("{n}:"))))
                        .count();
                    assert!(
                        kept != 1 || names.len() == 1,
                        "{layout} {slug}: skills cut to one of {} groups",
                        names.len()
                    );
                }
            }
        }
    }
    // The samples and the career have roles in the window to check.
    assert!(roles_checked >= 3 * 6, "{roles_checked} roles checked");
}
