//! One profile in several languages (`[output] languages`, texts written
//! per language beside each field): a document per language in every
//! layout and variant, read back from the written files. The bilingual
//! sample (`input/lena-vogel.toml`, English and German) and a fixture in
//! English, Hebrew and Chinese (`tests/fixtures/translations/three.toml`,
//! with the fonts of `tests/fonts/`).

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use crate::support::*;

const ALL_VARIANTS: &str = "long,onepage,anon,anon-onepage";

fn three() -> PathBuf {
    repo().join("tests/fixtures/translations/three.toml")
}

/// Renders `profile` in `layout`, every variant, with the test fonts only.
fn render(profile: &Path, layout: &str, out: &Path, extra: &[&str]) -> Ran {
    cvgen(&repo())
        .env("CVGEN_ANON_KEY", "translations")
        .args(["render", "--ignore-system-fonts", "--font-path"])
        .arg(repo().join("tests/fonts"))
        .args(["--layout", layout, "--variant", ALL_VARIANTS, "-o"])
        .arg(out)
        .args(extra)
        .arg(profile)
        .ok()
}

/// Whether squashed extracted text holds `words`: in reading order, or, for
/// right-to-left text an extractor gives in drawing order, reversed.
/// Case aside: layouts may set headings in capitals.
fn holds(text: &str, words: &str) -> bool {
    let (text, words) = (text.to_lowercase(), squash(words).to_lowercase());
    let reversed: String = words.chars().rev().collect();
    text.contains(&words) || text.contains(&reversed)
}

fn pdfs(dir: &Path) -> BTreeSet<String> {
    std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|name| name.ends_with(".pdf"))
        .collect()
}

/// The single candidate id of a folder's anonymized documents.
fn candidate_id(dir: &Path) -> String {
    let ids: BTreeSet<String> = candidates(dir)
        .iter()
        .map(|p| {
            let name = p.file_name().unwrap().to_string_lossy().into_owned();
            let rest = name.strip_prefix("candidate-").unwrap();
            rest.split(['.', '-']).next().unwrap().to_owned()
        })
        .collect();
    assert_eq!(
        ids.len(),
        1,
        "one person, one id in every language: {ids:?}"
    );
    ids.into_iter().next().unwrap()
}

#[test]
fn a_profile_in_two_languages_is_made_in_each_in_every_layout() {
    let profile = repo().join("input/lena-vogel.toml");
    for layout in LAYOUTS {
        let out = scratch();
        let ran = render(&profile, layout, out.path(), &["--deny-warnings"]);
        assert!(!ran.stderr.contains("warning:"), "{layout}: {}", ran.stderr);
        let id = candidate_id(out.path());
        let expected: BTreeSet<String> = ["en", "de"]
            .iter()
            .flat_map(|lang| {
                [
                    format!("lena-vogel.{lang}.pdf"),
                    format!("lena-vogel-onepage.{lang}.pdf"),
                    format!("candidate-{id}.{lang}.pdf"),
                    format!("candidate-{id}-onepage.{lang}.pdf"),
                ]
            })
            .collect();
        assert_eq!(pdfs(out.path()), expected, "{layout}");
        let read = |name: &str| squash(&pdf_text(&out.path().join(name)));
        // Each document in its own language: its words, its dates, its
        // fixed headings, and none of the other language's sentences.
        let german = read("lena-vogel.de.pdf");
        let english = read("lena-vogel.en.pdf");
        for (text, own, other) in [
            (
                &german,
                [
                    "Dateningenieurin",
                    "Leitung der Event-Pipeline",
                    "Wissenschaftliche Mitarbeiterin",
                    "Technische Universität München",
                    "Muttersprache",
                    "Okt. 2015",
                ],
                "Lead the event pipeline",
            ),
            (
                &english,
                [
                    "Data engineer",
                    "Lead the event pipeline",
                    "Research Assistant",
                    "Technical University of Munich",
                    "Native",
                    "Oct 2015",
                ],
                "Leitung der Event-Pipeline",
            ),
        ] {
            for words in own {
                assert!(text.contains(&squash(words)), "{layout}: {words} missing");
            }
            assert!(
                !text.contains(&squash(other)),
                "{layout}: {other} leaked in"
            );
        }
        let (de_heading, en_heading) = ("berufserfahrung", "experience");
        assert!(german.to_lowercase().contains(de_heading), "{layout}");
        assert!(english.to_lowercase().contains(en_heading), "{layout}");
        for lang in ["en", "de"] {
            // The one page fits, in each language (German runs longer).
            let onepage = out.path().join(format!("lena-vogel-onepage.{lang}.pdf"));
            assert_eq!(page_count(&onepage), 1, "{layout} {lang}");
            // Anonymized: no personal datum in any language's form.
            for anon in [
                format!("candidate-{id}.{lang}.pdf"),
                format!("candidate-{id}-onepage.{lang}.pdf"),
            ] {
                let text = read(&anon).to_lowercase();
                for secret in [
                    "lena",
                    "vogel",
                    "münchen",
                    "munich",
                    "lvogel",
                    "12345678",
                    "example.org",
                ] {
                    assert!(!text.contains(secret), "{layout} {anon}: {secret}");
                }
                let word = if lang == "de" {
                    "kandidat"
                } else {
                    "candidate"
                };
                assert!(text.contains(&format!("{word}{id}")), "{layout} {anon}");
            }
        }
    }
}

#[test]
fn three_languages_beside_each_other_right_to_left_and_cjk_included() {
    for layout in LAYOUTS {
        let out = scratch();
        let ran = render(&three(), layout, out.path(), &[]);
        // The bullet without Chinese is said once, at its place, and the
        // English text stands in.
        let warned = ran
            .stderr
            .matches("`highlights` has no `zh` translation; the `en` text is used")
            .count();
        assert_eq!(warned, 1, "{layout}: {}", ran.stderr);
        assert!(
            ran.stderr.contains("three.toml:35:3"),
            "{layout}: {}",
            ran.stderr
        );
        let id = candidate_id(out.path());
        let read = |name: String| squash(&pdf_text(&out.path().join(name)));
        let cases = [
            ("en", ["Noa Levi", "Summary", "Senior product designer"]),
            ("he", ["נועה לוי", "תקציר", "מעצבת מוצר בכירה"]),
            ("zh", ["李诺亚", "简介", "高级产品设计师"]),
        ];
        for (lang, words) in cases {
            let long = read(format!("three.{lang}.pdf"));
            for word in words {
                assert!(holds(&long, word), "{layout} {lang}: {word} in {long}");
            }
            let onepage = out.path().join(format!("three-onepage.{lang}.pdf"));
            assert_eq!(page_count(&onepage), 1, "{layout} {lang}");
            for anon in [
                format!("candidate-{id}.{lang}.pdf"),
                format!("candidate-{id}-onepage.{lang}.pdf"),
            ] {
                let text = read(anon.clone());
                // The job title stays; the person goes in every script.
                assert!(holds(&text, words[2]), "{layout} {anon}");
                for secret in [
                    "Noa",
                    "Levi",
                    "נועה",
                    "לוי",
                    "李诺亚",
                    "Haifa",
                    "חיפה",
                    "海法",
                    "noa.levi",
                ] {
                    assert!(!holds(&text, secret), "{layout} {anon}: {secret}");
                }
            }
        }
        let chinese = read("three.zh.pdf".to_owned());
        assert!(chinese.contains(&squash("Ran weekly usability sessions")));
    }
}

#[test]
fn check_says_how_complete_each_language_is_and_denied_warnings_fail() {
    let ran = cvgen(&repo())
        .args(["check", "--ignore-system-fonts", "--font-path"])
        .arg(repo().join("tests/fonts"))
        .arg(three())
        .ok();
    let said = format!("{}{}", String::from_utf8_lossy(&ran.stdout), ran.stderr);
    // 13 texts are translated; the Chinese lacks one bullet.
    assert!(
        said.contains(
            "translations: en: 13 of 13 fields, he: 13 of 13 fields, zh: 12 of 13 fields"
        ),
        "{said}"
    );
    for lang in ["en", "he", "zh"] {
        assert!(said.contains(&format!("({lang}, 1 page)")), "{said}");
    }
    let denied = cvgen(&repo())
        .args([
            "check",
            "--deny-warnings",
            "--ignore-system-fonts",
            "--font-path",
        ])
        .arg(repo().join("tests/fonts"))
        .arg(three())
        .fails(1);
    assert!(
        denied.stderr.contains("has no `zh` translation"),
        "{}",
        denied.stderr
    );
    assert!(
        denied.stderr.contains("warnings are denied"),
        "{}",
        denied.stderr
    );
}

#[test]
fn lang_picks_the_languages_to_make() {
    let out = scratch();
    render(&three(), "classic", out.path(), &["--lang", "he"]);
    let made = pdfs(out.path());
    assert_eq!(made.len(), 4, "{made:?}");
    assert!(
        made.iter().all(|name| name.ends_with(".he.pdf")),
        "{made:?}"
    );
    let bad = cvgen(&repo())
        .args(["render", "--lang", "hebrew!", "-o"])
        .arg(out.path())
        .arg(three())
        .fails(2);
    assert!(
        bad.stderr
            .contains("--lang: `hebrew!` is not a language code"),
        "{}",
        bad.stderr
    );
    // A profile without the language says so, rather than nothing.
    let repo = job_search_repo();
    let ran = cvgen(repo.path())
        .args(["render", "--lang", "de", "--variant", "long"])
        .ok();
    assert!(
        ran.stderr
            .contains("input/my-story.toml: nothing is made in de (--lang); it is written in en"),
        "{}",
        ran.stderr
    );
    assert!(repo.path().join("output/lena-vogel.de.pdf").exists());
    assert!(!repo.path().join("output/my-story.pdf").exists());
}

#[test]
fn translation_mistakes_are_errors_at_their_place() {
    let dir = scratch();
    let text = "[basics]\nname = \"P\"\nlabel = { de = \"Ingenieurin\" }\n\
                [output]\nlanguages = [\"en\", \"de\", \"xx\", \"de\"]\n\
                [[section]]\nkind = \"text\"\nbody = { en = \"Hi\", bogus = \"x\" }\n";
    write(&dir.path().join("in/p.toml"), text);
    let ran = cvgen(dir.path())
        .args(["render", "in", "-o", "out"])
        .fails(1);
    for (message, at) in [
        ("`label` has no `en` text", "p.toml:3:9"),
        ("unknown language `xx`", "p.toml:5:13"),
        ("`de` is listed twice", "p.toml:5:32"),
        ("`bogus` is not a language code", "p.toml:8:21"),
    ] {
        let found = ran
            .stderr
            .find(message)
            .unwrap_or_else(|| panic!("{message}: {}", ran.stderr));
        assert!(
            ran.stderr[found..].contains(at),
            "{message} at {at}: {}",
            ran.stderr
        );
    }
    assert!(!dir.path().join("out").exists() || pdfs(&dir.path().join("out")).is_empty());
}

#[test]
fn a_language_s_file_name_meeting_another_profile_s_is_refused_before_writing() {
    let dir = scratch();
    write(
        &dir.path().join("in/cv.toml"),
        "[basics]\nname = \"A\"\n[output]\nlanguages = [\"en\", \"de\"]\n",
    );
    write(
        &dir.path().join("in/cv.de.toml"),
        "[basics]\nname = \"B\"\n",
    );
    let ran = cvgen(dir.path())
        .args(["render", "in", "-o", "out", "--variant", "long"])
        .fails(2);
    assert!(ran.stderr.contains("cv.de.pdf"), "{}", ran.stderr);
    let out = dir.path().join("out");
    assert!(!out.exists() || pdfs(&out).is_empty(), "{:?}", pdfs(&out));
}

#[test]
fn an_application_is_made_in_the_language_it_picks() {
    let dir = job_search_repo();
    let application = "profile = \"../input/lena-vogel.toml\"\ncompany = \"Acme GmbH\"\n\
                       position = \"Dateningenieurin\"\nlanguage = \"de\"\n\
                       [letter]\nbody = \"Ich bewerbe mich um die Stelle.\"\n";
    write(&dir.path().join("applications/acme.toml"), application);
    cvgen(dir.path())
        .args([
            "render",
            "applications/acme.toml",
            "--variant",
            "long,letter",
        ])
        .ok();
    let out = dir.path().join("output/acme");
    let cv = squash(&pdf_text(&out.join("lena-vogel.de.pdf")));
    assert!(cv.contains(&squash("Leitung der Event-Pipeline")), "{cv}");
    let letter = squash(&pdf_text(&out.join("lena-vogel-letter.de.pdf")));
    assert!(
        letter.contains(&squash("Mit freundlichen Grüßen")),
        "{letter}"
    );
    assert!(!out.join("lena-vogel.en.pdf").exists());
    write(
        &dir.path().join("applications/acme.toml"),
        &application.replace("language = \"de\"", "language = \"fr\""),
    );
    let ran = cvgen(dir.path())
        .args(["render", "applications/acme.toml"])
        .fails(1);
    assert!(
        ran.stderr
            .contains("the profile is not written in `fr`; its languages: en, de"),
        "{}",
        ran.stderr
    );
    assert!(ran.stderr.contains("acme.toml:4:12"), "{}", ran.stderr);
}

#[test]
fn export_writes_a_json_resume_per_language() {
    let dir = scratch();
    let out = dir.path().join("cv.json");
    cvgen(&repo())
        .args(["export", "input/lena-vogel.toml", "-o"])
        .arg(&out)
        .ok();
    for (lang, label) in [("en", "Data engineer"), ("de", "Dateningenieurin")] {
        let path = dir.path().join(format!("cv.{lang}.json"));
        let json: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
        assert_eq!(json["basics"]["label"], label, "{lang}");
    }
}

#[test]
fn a_word_to_redact_given_per_language_is_redacted_in_every_form() {
    let dir = scratch();
    write(
        &dir.path().join("in/p.toml"),
        "[basics]\nname = \"Lena Vogel\"\n[output]\nlanguages = [\"en\", \"de\"]\n\
         [anonymize]\nredact = [{ en = \"Munich\", de = \"München\" }, \"Isar\"]\n\
         [[section]]\nkind = \"text\"\ntitle = { en = \"About\", de = \"Über mich\" }\n\
         body = { en = \"I live in Munich by the Isar.\", de = \"Ich lebe in München an der Isar.\" }\n",
    );
    cvgen(dir.path())
        .args(["render", "in", "-o", "out", "--variant", "anon"])
        .ok();
    let id = candidate_id(&dir.path().join("out"));
    for (lang, kept) in [("en", "Ilivein"), ("de", "Ichlebein")] {
        let text = squash(&pdf_text(
            &dir.path().join(format!("out/candidate-{id}.{lang}.pdf")),
        ));
        assert!(text.contains(kept), "{text}");
        for secret in ["Munich", "München", "Isar"] {
            assert!(!text.contains(secret), "{lang}: {secret} in {text}");
        }
    }
}
