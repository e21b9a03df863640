//! Profiles in other scripts (`tests/scripts/`): Chinese (simplified and
//! traditional), Japanese, Korean, Arabic, Hebrew, Devanagari, Thai and a
//! Latin CV with an Arabic name. They render with the fonts in
//! `tests/fonts/` (Noto subsets) and never the system's, so the results do
//! not depend on what the machine has installed.

use std::path::{Path, PathBuf};

use crate::support::*;

const SCRIPTS: [&str; 9] = ["zh", "zh-TW", "ja", "ko", "ar", "he", "hi", "th", "mixed"];

fn scripts_dir() -> PathBuf {
    repo().join("tests/scripts")
}

fn test_fonts() -> PathBuf {
    repo().join("tests/fonts")
}

/// Renders every script profile in `layout`, all four variants, with
/// warnings denied: a character no font draws fails the run.
fn render_scripts(out: &Path, layout: &str, extra: &[&str]) -> Ran {
    cvgen(&repo())
        .args(["render", "--ignore-system-fonts", "--deny-warnings"])
        .arg("--font-path")
        .arg(test_fonts())
        .args([
            "--layout",
            layout,
            "--variant",
            "long,onepage,anon,anon-onepage",
        ])
        .args(extra)
        .arg("-o")
        .arg(out)
        .arg(scripts_dir())
        .ok()
}

/// The base names of the fonts a PDF embeds (`NotoSansArabic-Bold`).
fn embedded_fonts(path: &Path) -> Vec<String> {
    let doc = lopdf::Document::load(path).unwrap();
    let mut names = Vec::new();
    for object in doc.objects.values() {
        if let Ok(dict) = object.as_dict()
            && dict.get(b"Type").and_then(|t| t.as_name()).ok() == Some(b"Font")
            && let Ok(name) = dict.get(b"BaseFont").and_then(|n| n.as_name())
        {
            let name = String::from_utf8_lossy(name);
            // Subset fonts are named `ABCDEF+Family-Style`.
            let name = name.split_once('+').map_or(&*name, |(_, rest)| rest);
            names.push(name.to_owned());
        }
    }
    names
}

#[test]
fn every_script_renders_in_every_layout_and_variant_with_its_own_fonts() {
    let tmp = scratch();
    let expected = [
        ("zh", "NotoSansCJKsc"),
        ("zh-TW", "NotoSansCJKsc"),
        ("ja", "NotoSansCJKsc"),
        ("ko", "NotoSansCJKsc"),
        ("ar", "NotoNaskhArabic"),
        ("he", "NotoSansHebrew"),
        ("hi", "NotoSansDevanagari"),
        ("th", "NotoSansThai"),
        ("mixed", "NotoNaskhArabic"),
    ];
    for layout in LAYOUTS {
        let out = tmp.path().join(layout);
        render_scripts(&out, layout, &[]);
        for (profile, font) in expected {
            let long = out.join(format!("{profile}.pdf"));
            let fonts = embedded_fonts(&long);
            assert!(
                fonts.iter().any(|f| f.starts_with(font)),
                "{layout}/{profile}: expected {font} among {fonts:?}"
            );
            assert_eq!(page_count(&out.join(format!("{profile}-onepage.pdf"))), 1);
        }
        let anonymized = candidates(&out);
        assert_eq!(
            anonymized.len(),
            2 * SCRIPTS.len(),
            "{layout}: {anonymized:?}"
        );
    }
}

#[test]
fn fixed_words_come_in_the_profiles_language() {
    let tmp = scratch();
    render_scripts(tmp.path(), "modern", &[]);
    // Headings, the word for an ongoing end and the month-year order, as
    // an extractor reads them (CJK extracts whole in-process; the checks
    // below need no reordering).
    let cases = [
        (
            "zh",
            &[
                "工作经历",
                "教育背景",
                "2019年3月",
                "至今",
                "计算机科学硕士",
            ][..],
        ),
        ("zh-TW", &["工作經歷", "學歷", "2018年1月", "至今"][..]),
        (
            "ja",
            &["職歴", "学歴", "2020年4月", "現在", "情報学修士"][..],
        ),
        ("ko", &["경력", "학력", "2019년8월", "현재"][..]),
    ];
    for (profile, words) in cases {
        let text = squash(&pdf_text(&tmp.path().join(format!("{profile}.pdf"))));
        for word in words {
            assert!(
                text.contains(&squash(word)),
                "{profile}: {word:?} missing from {text}"
            );
        }
        assert!(!text.contains("Experience"), "{profile}: English heading");
    }
    // Anonymized documents call the person by the language's word.
    let anonymized = candidates(tmp.path());
    let texts: Vec<String> = anonymized.iter().map(|p| pdf_text(p)).collect();
    assert!(
        texts.iter().any(|t| t.contains("候选人")),
        "zh candidate word"
    );
    assert!(
        texts.iter().any(|t| t.contains("지원자")),
        "ko candidate word"
    );
}

/// Every string value of a script profile.
fn profile_values(profile: &str) -> Vec<String> {
    let source = std::fs::read_to_string(scripts_dir().join(format!("{profile}.toml"))).unwrap();
    let table: toml::Table = source.parse().unwrap();
    let mut values = Vec::new();
    collect_strings(&toml::Value::Table(table), &mut values);
    values
}

/// Left-to-right scripts extract character for character, in every layout:
/// no character lost, none doubled. A Thai tone mark over a raised vowel is
/// set in a run of its own; each run once carried the cluster's text, so
/// "ใช้" extracted as "ใช้ช้". Read as poppler reads it, honouring
/// `/ActualText`: Devanagari's reordered clusters (a short i drawn before
/// its consonant) are right only there.
#[test]
fn left_to_right_scripts_extract_character_for_character() {
    let tmp = scratch();
    for layout in LAYOUTS {
        let out = tmp.path().join(layout);
        render_scripts(&out, layout, &[]);
        for profile in ["zh", "zh-TW", "ja", "ko", "hi", "th"] {
            let text = squash(&drawn_text(&out.join(format!("{profile}.pdf"))));
            let mut compared = 0;
            for value in profile_values(profile)
                .iter()
                .filter(|v| !v.contains('@') && !v.contains('+'))
            {
                assert!(
                    text.contains(&squash(value)),
                    "{layout}/{profile}: {value:?} not in {text}"
                );
                compared += 1;
            }
            assert!(compared >= 10, "{profile}: compared {compared} values");
        }
    }
}

/// Right-to-left words extract letter for letter: every word of Arabic or
/// Hebrew letters and marks is in the text layer once, whole. Glyphs are
/// read in the order they are drawn, which for these scripts is the word
/// reversed (marks before their letter), so that is what is looked for. A mark that doubled its letter (a cluster's text on two
/// runs) or a lam-alef read backwards would fail it.
#[test]
fn right_to_left_words_extract_letter_for_letter() {
    let right_to_left = |c: char| matches!(c, '\u{0590}'..='\u{05FF}' | '\u{0600}'..='\u{06FF}');
    let tmp = scratch();
    for layout in LAYOUTS {
        let out = tmp.path().join(layout);
        render_scripts(&out, layout, &[]);
        for profile in ["ar", "he"] {
            let text = squash(&drawn_text(&out.join(format!("{profile}.pdf"))));
            let mut compared = 0;
            for value in profile_values(profile) {
                for word in value.split(|c: char| !right_to_left(c)) {
                    if word.chars().count() < 2 {
                        continue;
                    }
                    let drawn: String = word.chars().rev().collect();
                    assert!(
                        text.contains(&drawn),
                        "{layout}/{profile}: {word:?} (drawn {drawn:?}) not in {text}"
                    );
                    compared += 1;
                }
            }
            assert!(compared >= 4, "{profile}: compared {compared} words");
        }
    }
}

fn collect_strings(value: &toml::Value, out: &mut Vec<String>) {
    match value {
        toml::Value::String(text) => out.push(text.clone()),
        toml::Value::Array(items) => items.iter().for_each(|v| collect_strings(v, out)),
        toml::Value::Table(table) => {
            for (key, value) in table {
                if !matches!(key.as_str(), "layout" | "start_date" | "end_date" | "kind") {
                    collect_strings(value, out);
                }
            }
        }
        _ => {}
    }
}

/// The columns of a page image that hold ink in its top `rows` rows.
fn ink_columns(png: &Path, rows: f32) -> (u32, u32) {
    let image = image::open(png).unwrap().to_luma8();
    let (width, height) = image.dimensions();
    let (mut left, mut right) = (width, 0);
    for y in 0..(height as f32 * rows) as u32 {
        for x in 0..width {
            if image.get_pixel(x, y).0[0] < 128 {
                left = left.min(x);
                right = right.max(x);
            }
        }
    }
    (left, right)
}

#[test]
fn right_to_left_profiles_are_set_from_the_right() {
    let tmp = scratch();
    render_scripts(tmp.path(), "classic", &["--format", "png", "--dpi", "40"]);
    let width = image::open(tmp.path().join("ar-1.png")).unwrap().width();
    // The header (name, headline, contact) starts at the right margin in
    // Arabic and Hebrew and at the left one otherwise.
    for profile in ["ar", "he"] {
        let (left, right) = ink_columns(&tmp.path().join(format!("{profile}-1.png")), 0.12);
        assert!(
            left > width / 4 && right > width * 3 / 4,
            "{profile}: header ink spans {left}..{right} of {width}"
        );
    }
    for profile in ["zh", "mixed"] {
        let (left, right) = ink_columns(&tmp.path().join(format!("{profile}-1.png")), 0.12);
        assert!(
            left < width / 5 && right < width * 3 / 4,
            "{profile}: header ink spans {left}..{right} of {width}"
        );
    }
}

#[test]
fn a_missing_font_is_one_warning_per_field_naming_the_package() {
    let profile = scripts_dir().join("zh.toml");
    // Empty boxes break the PDF standards documents claim by default: the
    // profile fails, and the warnings say where and what to install.
    let ran = cvgen(&repo())
        .args(["check", "--ignore-system-fonts"])
        .arg(&profile)
        .fails(1);
    assert!(ran.stderr.contains("forbid empty boxes"), "{}", ran.stderr);
    let warnings = ran.stderr.matches("no font can draw").count();
    // Name, headline, city, country, summary, 2 positions, 2 employers, 2
    // cities, 3 bullets, school, area, degree, skill name, 2 languages and
    // 2 fluencies hold Chinese; plus the fixed words of the language.
    assert!(
        (20..=26).contains(&warnings),
        "one warning per field, not per character ({warnings}):\n{}",
        ran.stderr
    );
    assert!(
        ran.stderr.contains("zh.toml:4:8"),
        "the name's place:\n{}",
        ran.stderr
    );
    assert!(ran.stderr.contains("fonts-noto-cjk"), "{}", ran.stderr);
    assert!(
        ran.stderr.contains("the fixed words of 简体中文 (zh)"),
        "{}",
        ran.stderr
    );
    assert_eq!(
        ran.stderr.matches("王 (U+738B)").count(),
        1,
        "{}",
        ran.stderr
    );

    let denied = cvgen(&repo())
        .args(["check", "--ignore-system-fonts", "--deny-warnings"])
        .args(["--pdf-standard", "none"])
        .arg(&profile)
        .run();
    assert_ne!(denied.code, Some(0), "{}", denied.stderr);
    assert!(
        denied.stderr.contains("warnings are denied"),
        "{}",
        denied.stderr
    );

    // With the fonts there is nothing to say.
    let covered = cvgen(&repo())
        .args([
            "check",
            "--ignore-system-fonts",
            "--deny-warnings",
            "--font-path",
        ])
        .arg(test_fonts())
        .arg(&profile)
        .ok();
    assert!(!covered.stderr.contains("no font"), "{}", covered.stderr);
}

#[test]
fn the_fonts_a_document_used_are_its_make_dependencies() {
    let tmp = scratch();
    let render = || {
        cvgen(&repo())
            .args([
                "render",
                "--ignore-system-fonts",
                "--deps",
                "--variant",
                "long",
            ])
            .arg("--font-path")
            .arg(test_fonts())
            .arg("-o")
            .arg(tmp.path())
            .arg(scripts_dir().join("ar.toml"))
            .ok()
    };
    render();
    let deps = std::fs::read_to_string(tmp.path().join(".cvgen/ar.d")).unwrap();
    assert!(
        deps.contains("NotoNaskhArabic-Regular-subset.ttf"),
        "{deps}"
    );
    assert!(!deps.contains("NotoSansThai"), "only fonts it used: {deps}");
    // The run is incremental over the fonts too: unchanged, nothing to do.
    let again = render();
    assert!(
        again.stderr.contains("rendered 0 document(s), 1 unchanged"),
        "{}",
        again.stderr
    );
}

#[test]
fn a_user_adds_a_language_with_a_file() {
    let tmp = scratch();
    write(
        &tmp.path().join("layouts/lang/eo.toml"),
        "name = \"Esperanto\"\npresent = \"nun\"\n[titles]\nwork = \"Laborsperto\"\n",
    );
    write(
        &tmp.path().join("p.toml"),
        "[basics]\nname = \"Zamenhof\"\n[layout]\nlang = \"eo\"\n[[section]]\nkind = \"work\"\n\
         [[section.entries]]\nposition = \"Okulisto\"\nstart_date = \"2001-02\"\nend_date = \"present\"\n\
         [[section]]\nkind = \"skills\"\n[[section.entries]]\nname = \"Lingvoj\"\n",
    );
    let listed = cvgen(tmp.path()).args(["layouts"]).ok();
    let listing = String::from_utf8_lossy(&listed.stdout).into_owned();
    assert!(listing.contains("eo     Esperanto"), "{listing}");
    for code in [
        "en", "de", "fr", "es", "it", "pt", "nl", "pl", "sv", "tr", "ru", "uk", "zh", "ja", "ko",
        "ar", "he",
    ] {
        assert!(
            listing.contains(&format!("\n  {code} ")),
            "{code} listed:\n{listing}"
        );
    }
    cvgen(tmp.path())
        .args(["render", "--variant", "long", "-o", "out", "p.toml"])
        .ok();
    let text = pdf_text(&tmp.path().join("out/p.pdf"));
    assert!(
        text.contains("Laborsperto"),
        "the language's own heading: {text}"
    );
    assert!(text.contains("nun"), "its word for present: {text}");
    assert!(
        text.contains("Skills"),
        "what it leaves out reads as in English: {text}"
    );

    write(
        &tmp.path().join("layouts/lang/eo.toml"),
        "name = \"Esperanto\"\n\nmonths = 3\n",
    );
    let broken = cvgen(tmp.path())
        .args(["render", "-o", "out", "p.toml"])
        .fails(2);
    assert!(
        broken.stderr.contains("eo.toml: line 3"),
        "names the file and line:\n{}",
        broken.stderr
    );
}
