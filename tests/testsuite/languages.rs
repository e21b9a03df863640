//! Anonymization in the languages cvgen prints (`tests/fixtures/languages/`):
//! Dutch, Spanish, German, Turkish, Russian, Vietnamese, Chinese, Arabic,
//! Hebrew, Thai and Irish profiles in four scripts, each with the person's
//! data woven into prose in several forms: a name in two scripts, titles
//! and particles, birth dates in the language's words and eras, declined
//! names and places, spellings without their letters, personal-details
//! sections, references, and words that look like the name but are not.
//! Every layout; the CV, its one-page version and, for five of them, a
//! cover letter; read back from the written files.

use std::path::Path;

use crate::support::*;

/// A fixture: its file stem, its candidate id, what no anonymized
/// document of it may hold (as `squash` writes it), and ordinary words and
/// phrases (squashed) that must come through as often as in the long form.
struct Case {
    stem: &'static str,
    id: &'static str,
    secrets: &'static [&'static str],
    ordinary: &'static [&'static str],
}

const CASES: &[Case] = &[
    Case {
        stem: "nl",
        id: "l-nl",
        secrets: &[
            "vanderberg",
            "janvdberg",
            "12345678",
            "zwolle",
            "utrecht",
            "23januari1987",
            "petradevries",
            "98765432",
            "gehuwd",
        ],
        ordinary: &[
            "vandegemeente",
            "eenvandeoprichters",
            "inhetkadervan",
            "jan2015",
            "jan2019",
            "conferentievandevng",
        ],
    },
    Case {
        stem: "es",
        id: "l-es",
        secrets: &[
            "maria",
            "delacruz",
            "fernandez",
            "3defebrerode1990",
            "sevilla",
            "alcala",
            "612345678",
            "estadocivilsoltera",
        ],
        ordinary: &[
            "esingenieradelauniversidaddegranada",
            "delaplataformadepagos",
            "delaempresa",
        ],
    },
    Case {
        stem: "de",
        id: "l-de",
        secrets: &[
            "lenagroß",
            "fraudrgroß",
            "lenas",
            "lenagross",
            "dusseldorf",
            "duesseldorf",
            "koln",
            "50667",
            "7november1985",
            "verheiratet",
        ],
        ordinary: &["alsdrrernat", "drrernatininformatik", "großen", "frau"],
    },
    Case {
        stem: "tr",
        id: "l-tr",
        secrets: &["ayse", "yılmazer", "12mayıs1991", "izmir"],
        ordinary: &["onyıldırdagıtıksistemler", "odemealtyapısını"],
    },
    Case {
        stem: "ru",
        id: "l-ru",
        secrets: &[
            "надежд",
            "волков",
            "сентября1991",
            "екатеринбург",
            "nadezhdavolkova",
            "yekaterinburg",
        ],
        ordinary: &["выпустилаплатежнуюсистему", "двенадцатьинженеров"],
    },
    Case {
        stem: "uk",
        id: "l-uk",
        secrets: &[
            "олен",
            "коваленк",
            "березня1993",
            "харк",
            "olenakovalenko",
            "kharkiv",
        ],
        ordinary: &["побудувалаплатформу", "десятьінженерів"],
    },
    Case {
        stem: "ko",
        id: "l-ko",
        secrets: &["김민지", "민지는", "1995년10월9일", "부산", "minjikim"],
        ordinary: &["결제시스템을개발했습니다"],
    },
    Case {
        stem: "vi",
        id: "l-vi",
        secrets: &["nguyen", "minhanh", "bachdang", "danang"],
        ordinary: &["cuocthi", "thanhtoan"],
    },
    Case {
        stem: "zh",
        id: "l-zh",
        secrets: &["王晓明", "xiaoming", "wxm", "1992年8月15日", "杭州"],
        ordinary: &["分布式系统方面有八年经验"],
    },
    Case {
        stem: "ar",
        id: "l-ar",
        secrets: &["youssef", "haddad", "يوسف", "الحداد"],
        ordinary: &["leadstheteam"],
    },
    Case {
        stem: "he",
        id: "l-he",
        secrets: &["levinson", "לוינסון", "חיפה"],
        ordinary: &["ortools", "לאור"],
    },
    Case {
        stem: "th",
        id: "l-th",
        secrets: &["สมชาย", "ชอเลนนก", "12พฤษภาคม2531", "เชยงใหม"],
        ordinary: &["นกแกว", "นกพฒนา"],
    },
    Case {
        stem: "ga",
        id: "l-ga",
        secrets: &[
            "siobhan",
            "osuilleabhain",
            "suilleabhain",
            "gaillimh",
            "2ndoctober1986",
        ],
        ordinary: &["ticketingline", "outline", "adeadlineamonth"],
    },
];

/// The applications with a letter: their profile's case, and the letter's
/// date as the language writes it (squashed).
const LETTERS: &[(&str, &str, &str)] = &[
    ("tr-letter", "tr", "7nisan2025"),
    ("ru-letter", "ru", "5сентября2025г"),
    ("he-letter", "he", "2025"),
    ("zh-letter", "zh", "2026年11月23日"),
    ("nl-letter", "nl", "15januari2026"),
];

/// Letters and digits only, decomposed, without combining marks (Thai
/// vowel signs go too: every side is read alike), lower case.
fn squashed(text: &str) -> String {
    use unicode_normalization::UnicodeNormalization;
    use unicode_normalization::char::is_combining_mark;
    text.nfkd()
        .filter(|c| !is_combining_mark(*c) && c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect()
}

fn rtl(text: &str) -> bool {
    text.chars().any(|c| matches!(c as u32, 0x0590..=0x06FF))
}

/// How often `needle` is in `text`, read either way for right-to-left
/// scripts (a drawing-order reader gives their glyphs in visual order).
fn count(text: &str, needle: &str) -> usize {
    // Read like the text (Hangul decomposes, accents go).
    let needle = &squashed(needle);
    let reversed: String = needle.chars().rev().collect();
    let mut n = text.matches(needle).count();
    if rtl(needle) && reversed != *needle {
        n += text.matches(&reversed).count();
    }
    n
}

fn read(path: &Path) -> String {
    assert!(path.exists(), "{} was not written", path.display());
    squashed(&drawn_text(path))
}

#[test]
fn every_language_anonymizes_without_leaks_refusals_or_lost_words() {
    let fixtures = repo().join("tests/fixtures/languages");
    for layout in LAYOUTS {
        let out = scratch();
        // Every document is written: the leak check refuses none.
        cvgen(&fixtures)
            .args(["render", ".", "applications", "--layout", layout])
            .args(["--ignore-system-fonts", "--font-path"])
            .arg(repo().join("tests/fonts"))
            .args(["--variant", "long,anon,anon-onepage,letter,anon-letter"])
            .args(["-q", "-o"])
            .arg(out.path())
            .ok();
        for case in CASES {
            let long = read(&out.path().join(format!("{}.pdf", case.stem)));
            // The long form shows each value, so its absence below means
            // something. Right-to-left values may come out of a reader in
            // shaped forms; those it cannot see are not counted on.
            let secrets: Vec<&str> = case
                .secrets
                .iter()
                .copied()
                .filter(|secret| {
                    let shown = count(&long, secret) > 0;
                    assert!(
                        shown || rtl(secret),
                        "{layout}/{}: the long form lacks {secret}: {long}",
                        case.stem
                    );
                    shown
                })
                .collect();
            for file in [
                format!("candidate-{}.pdf", case.id),
                format!("candidate-{}-onepage.pdf", case.id),
            ] {
                let anon = read(&out.path().join(&file));
                for secret in &secrets {
                    assert_eq!(
                        count(&anon, secret),
                        0,
                        "{layout}/{file}: {secret} leaked: {anon}"
                    );
                }
                assert!(anon.contains(&squashed(case.id)), "{layout}/{file}: {anon}");
            }
            let anon = read(&out.path().join(format!("candidate-{}.pdf", case.id)));
            for word in case.ordinary {
                assert!(
                    count(&long, word) > 0,
                    "{}: the fixture lacks {word}",
                    case.stem
                );
                assert_eq!(
                    count(&anon, word),
                    count(&long, word),
                    "{layout}/{}: ordinary `{word}` lost: {anon}",
                    case.stem
                );
            }
        }
        for (application, stem, date) in LETTERS {
            let case = CASES.iter().find(|c| c.stem == *stem).unwrap();
            let dir = out.path().join(application);
            let letter = read(&dir.join(format!("{stem}-letter.pdf")));
            assert!(
                letter.contains(date),
                "{layout}/{application}: no `{date}`: {letter}"
            );
            let anon = read(&dir.join(format!("candidate-{}-letter.pdf", case.id)));
            for secret in case.secrets {
                assert_eq!(
                    count(&anon, secret),
                    0,
                    "{layout}/{application}: {secret} leaked from the letter: {anon}"
                );
            }
        }
    }
}

/// A letter's words and title are its language's, and headings are set in
/// capitals by the language's rules (Turkish İ).
#[test]
fn letters_and_headings_speak_the_profiles_language() {
    let fixtures = repo().join("tests/fixtures/languages");
    let out = scratch();
    cvgen(&fixtures)
        .args([
            "render",
            "applications/tr-letter.toml",
            "--layout",
            "modern",
        ])
        .args(["--ignore-system-fonts", "--font-path"])
        .arg(repo().join("tests/fonts"))
        .args(["--variant", "long,letter", "-q", "-o"])
        .arg(out.path())
        .ok();
    let dir = out.path().join("tr-letter");
    let cv = squash(&drawn_text(&dir.join("tr.pdf")));
    assert!(cv.contains("EĞİTİM"), "Turkish capitals: {cv}");
    assert!(!cv.contains("EĞITIM"), "{cv}");
    let letter = squash(&drawn_text(&dir.join("tr-letter.pdf")));
    for words in [
        "7 Nisan 2025",
        "Başvuru: Kıdemli yazılım mühendisi",
        "Sayın Yetkili,",
        "Saygılarımla,",
    ] {
        assert!(
            letter.contains(&squash(words)),
            "`{words}` missing: {letter}"
        );
    }
    let bytes = String::from_utf8_lossy(&all_bytes(&dir.join("tr-letter.pdf"))).into_owned();
    assert!(
        bytes.contains("Ön yazı"),
        "the letter's title says what it is"
    );
    assert!(!bytes.contains("Özgeçmiş</rdf:li>"), "not the CV's title");
}

/// People named like the words a layout or a PDF file is made of (Page,
/// Present, April, Jan; Seite in German) get their anonymized CVs: those
/// words, printed by the layout or the file's own syntax, are no leak.
#[test]
fn names_that_are_the_documents_own_words_are_not_refused() {
    let sample = std::fs::read_to_string(repo().join("input/mark-callan.toml")).unwrap();
    let dir = scratch();
    for (stem, name, lang) in [
        ("c1", "Page Summers", "en"),
        ("c2", "Mary Present", "en"),
        ("c3", "April Jan", "en"),
        ("c4", "Lena Seite", "de"),
    ] {
        let (first, last) = name.split_once(' ').unwrap();
        let text = sample
            .replace("Mark L Callan", name)
            .replace("Mark", first)
            .replace("Callan", last)
            .replacen(
                "[basics]",
                &format!("[anonymize]\nid = \"{stem}\"\n\n[basics]"),
                1,
            )
            .replacen("[layout]", &format!("[layout]\nlang = \"{lang}\""), 1);
        write(&dir.path().join(format!("in/{stem}.toml")), &text);
    }
    for layout in LAYOUTS {
        cvgen(dir.path())
            .args([
                "render",
                "in",
                "--layout",
                layout,
                "--variant",
                "anon,anon-onepage",
            ])
            .args(["--ignore-system-fonts", "-q", "-o", "out"])
            .ok();
        for stem in ["c1", "c2", "c3", "c4"] {
            let text = pdf_text(&dir.path().join(format!("out/candidate-{stem}.pdf")));
            for name in ["Summers", "Mary", "Lena"] {
                assert!(!text.contains(name), "{layout}/{stem}: {name} leaked");
            }
        }
    }
}
