//! Layouts, photos and previews: what each built-in layout prints, how a
//! photo reaches the PDF (re-encoded, without its metadata), how bad photos
//! fail, and that user layouts can build on the shared components.

use std::io::Cursor;
use std::path::Path;

use crate::project_world::ProjectWorld;
use crate::support::*;

const ARTIST: &str = "Jane Q Photographer";

/// A JPEG carrying an EXIF block with an Artist tag and GPS coordinates, as
/// a phone or camera writes them.
fn jpeg_with_exif() -> Vec<u8> {
    let pixels = image::RgbImage::from_fn(300, 200, |x, y| image::Rgb([x as u8, y as u8, 90]));
    let mut jpeg = Cursor::new(Vec::new());
    image::DynamicImage::ImageRgb8(pixels)
        .write_to(&mut jpeg, image::ImageFormat::Jpeg)
        .unwrap();
    let jpeg = jpeg.into_inner();

    // A big-endian TIFF structure: IFD0 (Artist, GPS pointer), the artist's
    // name, a GPS IFD (latitude reference and latitude).
    let mut tiff: Vec<u8> = b"MM\x00\x2a\x00\x00\x00\x08".to_vec();
    let artist = format!("{ARTIST}\0");
    let artist_at = 8 + 2 + 2 * 12 + 4;
    let gps_at = artist_at + artist.len() as u32;
    let rationals_at = gps_at + 2 + 2 * 12 + 4;
    let entry = |tiff: &mut Vec<u8>, tag: u16, kind: u16, count: u32, value: u32| {
        tiff.extend(tag.to_be_bytes());
        tiff.extend(kind.to_be_bytes());
        tiff.extend(count.to_be_bytes());
        tiff.extend(value.to_be_bytes());
    };
    tiff.extend(2u16.to_be_bytes());
    entry(&mut tiff, 0x013b, 2, artist.len() as u32, artist_at);
    entry(&mut tiff, 0x8825, 4, 1, gps_at);
    tiff.extend(0u32.to_be_bytes());
    tiff.extend(artist.as_bytes());
    tiff.extend(2u16.to_be_bytes());
    entry(&mut tiff, 0x0001, 2, 2, u32::from_be_bytes(*b"N\0\0\0"));
    entry(&mut tiff, 0x0002, 5, 3, rationals_at);
    tiff.extend(0u32.to_be_bytes());
    for (num, den) in [(47u32, 1u32), (36, 1), (1234, 100)] {
        tiff.extend(num.to_be_bytes());
        tiff.extend(den.to_be_bytes());
    }
    let mut app1 = vec![0xff, 0xe1];
    app1.extend(((2 + 6 + tiff.len()) as u16).to_be_bytes());
    app1.extend(b"Exif\0\0");
    app1.extend(&tiff);
    let mut out = jpeg[..2].to_vec();
    out.extend(app1);
    out.extend(&jpeg[2..]);
    out
}

/// A PNG whose header claims 60,000 x 60,000 pixels (10.8 GB decoded) in a
/// file of a few dozen bytes.
fn png_bomb() -> Vec<u8> {
    fn chunk(out: &mut Vec<u8>, kind: &[u8; 4], data: &[u8]) {
        out.extend((data.len() as u32).to_be_bytes());
        let mut body = kind.to_vec();
        body.extend(data);
        out.extend(&body);
        out.extend(crc32(&body).to_be_bytes());
    }
    let mut ihdr = Vec::new();
    ihdr.extend(60_000u32.to_be_bytes());
    ihdr.extend(60_000u32.to_be_bytes());
    ihdr.extend([8, 2, 0, 0, 0]);
    let mut png = b"\x89PNG\r\n\x1a\n".to_vec();
    chunk(&mut png, b"IHDR", &ihdr);
    chunk(
        &mut png,
        b"IDAT",
        &[0x78, 0x9c, 0x03, 0x00, 0x00, 0x00, 0x00, 0x01],
    );
    chunk(&mut png, b"IEND", &[]);
    png
}

fn crc32(bytes: &[u8]) -> u32 {
    let mut crc = 0xffff_ffffu32;
    for &byte in bytes {
        crc ^= u32::from(byte);
        for _ in 0..8 {
            crc = if crc & 1 == 1 {
                (crc >> 1) ^ 0xedb8_8320
            } else {
                crc >> 1
            };
        }
    }
    !crc
}

fn contains(hay: &[u8], needle: &[u8]) -> bool {
    hay.windows(needle.len()).any(|w| w == needle)
}

/// How many image XObjects a PDF holds.
fn image_count(path: &Path) -> usize {
    let doc = lopdf::Document::load(path).unwrap();
    doc.objects
        .values()
        .filter_map(|object| object.as_stream().ok())
        .filter(|stream| {
            stream
                .dict
                .get(b"Subtype")
                .and_then(|s| s.as_name())
                .is_ok_and(|name| name == b"Image")
        })
        .count()
}

/// The `/Alt` texts of a PDF's structure elements.
fn alt_texts(pdf: &Path) -> Vec<String> {
    let doc = lopdf::Document::load(pdf).unwrap();
    let mut found = Vec::new();
    for object in doc.objects.values() {
        if let Ok(dict) = object.as_dict()
            && let Ok(alt) = dict.get(b"Alt").and_then(|a| a.as_str())
        {
            let text = match alt.strip_prefix(&[0xfe, 0xff]) {
                Some(utf16) => String::from_utf16_lossy(
                    &utf16
                        .chunks(2)
                        .map(|p| u16::from_be_bytes([p[0], *p.get(1).unwrap_or(&0)]))
                        .collect::<Vec<_>>(),
                ),
                None => String::from_utf8_lossy(alt).into_owned(),
            };
            found.push(text);
        }
    }
    found
}

fn profile_with_photo(dir: &Path, photo: &str, bytes: &[u8]) {
    write(
        &dir.join("in/pat.toml"),
        &format!(
            "[basics]\nname = \"Pat Doe\"\nemail = \"pat@example.org\"\nimage = \"{photo}\"\n\n\
             [[section]]\nkind = \"text\"\ntitle = \"Summary\"\nbody = \"Builds things.\"\n"
        ),
    );
    std::fs::write(dir.join("in").join(photo), bytes).unwrap();
}

#[test]
fn a_photo_reaches_the_pdf_without_its_exif_tags_and_never_the_anonymized_one() {
    let dir = scratch();
    let original = jpeg_with_exif();
    assert!(
        contains(&original, ARTIST.as_bytes()),
        "fixture has the tag"
    );
    profile_with_photo(dir.path(), "photo.jpg", &original);
    for layout in LAYOUTS {
        let out = format!("out/{layout}");
        let Ran { code, stderr, .. } = cvgen(dir.path())
            .args([
                "render",
                "in",
                "--variant",
                "long,anon",
                "--set",
                "photo=true",
            ])
            .args(["--layout", layout, "-o", &out])
            .run();
        assert!(code == Some(0), "{layout}: {stderr}");
        let pdf = dir.path().join(&out).join("pat.pdf");
        assert_eq!(image_count(&pdf), 1, "{layout}: the photo is placed");
        let bytes = all_bytes(&pdf);
        for needle in [ARTIST.as_bytes(), b"Exif", b"Photographer"] {
            assert!(
                !contains(&bytes, needle),
                "{layout}: the PDF holds {:?}",
                String::from_utf8_lossy(needle)
            );
        }
        assert_eq!(
            alt_texts(&pdf),
            ["Photo of Pat Doe"],
            "{layout}: the photo is described for screen readers (PDF/UA)"
        );
        let anon = candidates(&dir.path().join(&out)).remove(0);
        assert_eq!(image_count(&anon), 0, "{layout}: anonymized has no photo");
        assert!(alt_texts(&anon).is_empty(), "{layout}: nor its description");
    }
}

#[test]
fn the_photo_parameter_turns_the_photo_off() {
    let dir = scratch();
    profile_with_photo(dir.path(), "photo.jpg", &jpeg_with_exif());
    cvgen(dir.path())
        .args([
            "render",
            "in",
            "--variant",
            "long",
            "--set",
            "photo=false",
            "-o",
            "out",
        ])
        .ok();
    assert_eq!(image_count(&dir.path().join("out/pat.pdf")), 0);
}

#[test]
fn a_decompression_bomb_is_refused_with_a_clear_error() {
    let dir = scratch();
    profile_with_photo(dir.path(), "bomb.png", &png_bomb());
    let Ran { stderr, .. } = cvgen(dir.path())
        .args(["render", "in", "-o", "out"])
        .fails(1);
    assert!(
        stderr.contains(
            "error: the photo `bomb.png` is 60000 x 60000 pixels, more than cvgen decodes"
        ),
        "{stderr}"
    );
    assert!(stderr.contains("in/pat.toml:4:9"), "{stderr}");
    assert!(!dir.path().join("out/pat.pdf").exists());
}

#[test]
fn a_truncated_jpeg_is_refused_with_a_clear_error() {
    let dir = scratch();
    let jpeg = jpeg_with_exif();
    profile_with_photo(dir.path(), "cut.jpg", &jpeg[..jpeg.len() / 2]);
    // Another profile in the same run still renders.
    write(
        &dir.path().join("in/other.toml"),
        "[basics]\nname = \"Sam Roe\"\n",
    );
    let Ran { stderr, .. } = cvgen(dir.path())
        .args(["render", "in", "-o", "out"])
        .fails(1);
    assert!(
        stderr.contains("error: the photo `cut.jpg` is damaged or truncated"),
        "{stderr}"
    );
    assert!(stderr.contains("in/pat.toml:4:9"), "{stderr}");
    assert!(dir.path().join("out/other.pdf").exists());
    assert!(!dir.path().join("out/pat.pdf").exists());
}

#[test]
fn fixed_words_follow_the_language_parameter() {
    let dir = scratch();
    write(
        &dir.path().join("in/lea.toml"),
        &("[basics]\nname = \"Lea Muster\"\n\n[[section]]\nkind = \"work\"\n\n\
         [[section.entries]]\nposition = \"Entwicklerin\"\nname = \"Firma\"\nstart_date = \"2021-03\"\nend_date = \"present\"\n\n\
         [[section]]\nkind = \"text\"\ntitle = \"Long\"\nbody = \"\"\"\n"
            .to_owned()
            + &"Ein langer Absatz, der Seiten füllt. ".repeat(300)
            + "\"\"\"\n"),
    );
    for (lang, words) in [
        (
            "de",
            ["Berufserfahrung", "März 2021 – heute", "Seite 1 von"],
        ),
        (
            "fr",
            [
                "Expérience professionnelle",
                "mars 2021 – aujourd’hui",
                "Page 1 sur",
            ],
        ),
        ("en", ["Experience", "Mar 2021 – Present", "Page 1 of"]),
    ] {
        for layout in LAYOUTS {
            let out = format!("out/{lang}-{layout}");
            cvgen(dir.path())
                .args(["render", "in", "--variant", "long", "--layout", layout])
                .args(["--set", &format!("lang={lang}"), "-o", &out])
                .ok();
            let text = pdf_text(&dir.path().join(&out).join("lea.pdf"));
            let lower = text.to_lowercase();
            for word in words {
                assert!(
                    lower.contains(&word.to_lowercase()),
                    "{lang} {layout}: {word:?} missing in {text}"
                );
            }
        }
    }
}

#[test]
fn bad_layout_parameters_name_the_allowed_values() {
    let dir = scratch();
    write(&dir.path().join("in/p.toml"), "[basics]\nname = \"Pat\"\n");
    let Ran { stderr, .. } = cvgen(dir.path())
        .args([
            "render",
            "in",
            "--layout",
            "compact",
            "--set",
            "skill_columns=4",
        ])
        .fails(2);
    assert!(stderr.contains("skill_columns"), "{stderr}");
    assert!(stderr.contains("1, 2, 3"), "{stderr}");
    let Ran { stderr, .. } = cvgen(dir.path())
        .args([
            "render",
            "in",
            "--layout",
            "modern",
            "--set",
            "photo_shap=circle",
        ])
        .fails(2);
    assert!(stderr.contains("photo_shap"), "{stderr}");
    assert!(stderr.contains("photo_shape"), "{stderr}");
}

#[test]
fn cvgen_layouts_lists_every_layout_with_its_parameters() {
    let Ran { stdout, .. } = cvgen(&repo()).args(["layouts"]).ok();
    let listing = String::from_utf8(stdout).unwrap();
    for layout in LAYOUTS {
        assert!(
            listing.lines().any(|line| line == layout),
            "{layout} missing:\n{listing}"
        );
    }
    for param in [
        "paper",
        "heading_font",
        "accent",
        "section_order",
        "photo_shape",
    ] {
        assert!(listing.contains(param), "{param} missing:\n{listing}");
    }
    assert!(
        listing.contains("one of: circle, rounded, square"),
        "{listing}"
    );
}

#[test]
fn the_example_user_layout_imports_the_components_and_renders() {
    let dir = scratch();
    cvgen(&repo())
        .args([
            "render",
            "input/reed-allman.toml",
            "--layouts",
            "layouts/examples",
        ])
        .args([
            "--layout",
            "centered",
            "--variant",
            "long,onepage,anon",
            "-o",
        ])
        .arg(dir.path())
        .ok();
    let text = pdf_text(&dir.path().join("reed-allman.pdf"));
    assert_in_order(
        &text,
        &[
            "Reed Allman".into(),
            "Labor".into(),
            "Self Employed".into(),
            "Education".into(),
        ],
        "centered layout",
    );
    assert_eq!(page_count(&dir.path().join("reed-allman-onepage.pdf")), 1);
}

/// The layout `layouts/README.md` shows as the shape of a layout works as
/// printed, one-page fitting included.
#[test]
fn the_layout_contract_example_renders() {
    let readme = std::fs::read_to_string(repo().join("layouts/README.md")).unwrap();
    let start = readme.find("```typst\n// mine").unwrap() + "```typst\n".len();
    let end = start + readme[start..].find("```").unwrap();
    let dir = scratch();
    write(&dir.path().join("layouts/mine.typ"), &readme[start..end]);
    write(
        &dir.path().join("in/p.toml"),
        "[basics]\nname = \"Pat Doe\"\n[[section]]\nkind = \"work\"\n[[section.entries]]\n\
         position = \"Engineer\"\nname = \"Acme\"\nhighlights = [\"Built things\"]\n",
    );
    cvgen(dir.path())
        .args([
            "render",
            "in",
            "--layout",
            "mine",
            "--variant",
            "long,onepage",
        ])
        .ok();
    let text = pdf_text(&dir.path().join("output/p-onepage.pdf"));
    assert_in_order(
        &text,
        &["Pat Doe".into(), "Experience".into(), "Built things".into()],
        "README layout",
    );
}

#[test]
fn previews_are_one_png_per_page() {
    let dir = scratch();
    cvgen(&repo())
        .args([
            "render",
            "input/mark-callan.toml",
            "--variant",
            "long,onepage",
        ])
        .args(["--format", "png", "--dpi", "40", "-o"])
        .arg(dir.path())
        .ok();
    assert!(!dir.path().join("mark-callan.pdf").exists(), "png only");
    let pages = (1..)
        .take_while(|n| dir.path().join(format!("mark-callan-{n}.png")).exists())
        .count();
    assert!(pages >= 3, "{pages} pages");
    assert!(dir.path().join("mark-callan-onepage-1.png").exists());
    assert!(!dir.path().join("mark-callan-onepage-2.png").exists());
    let page = image::open(dir.path().join("mark-callan-1.png")).unwrap();
    // A4 at 40 dpi: 8.27 in x 11.69 in.
    assert_eq!((page.width(), page.height()), (331, 468));
}

/// Every file below `dir`, as paths relative to it.
fn files_below(dir: &Path) -> Vec<String> {
    let mut found = Vec::new();
    let mut stack = vec![dir.to_owned()];
    while let Some(folder) = stack.pop() {
        for entry in std::fs::read_dir(&folder).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
            } else {
                let relative = path.strip_prefix(dir).unwrap();
                found.push(relative.to_string_lossy().replace('\\', "/"));
            }
        }
    }
    found.sort();
    found
}

#[test]
fn emitted_typst_projects_hold_what_the_compile_read_and_nothing_else() {
    let dir = scratch();
    profile_with_photo(dir.path(), "photo.jpg", &jpeg_with_exif());
    cvgen(dir.path())
        .args([
            "render",
            "in",
            "--variant",
            "long,onepage,anon",
            "-o",
            "out",
        ])
        .args(["--emit-typst", "typ", "--layout", "modern"])
        .ok();
    let project = dir.path().join("typ/pat");
    assert_eq!(
        files_below(&project),
        [
            "cv.json",
            "layouts/lib/cv.typ",
            "layouts/modern.typ",
            "photo.jpg"
        ],
    );
    // The prepared photo, not the original with its tags.
    let photo = std::fs::read(project.join("photo.jpg")).unwrap();
    assert!(!contains(&photo, ARTIST.as_bytes()));
    let data: serde_json::Value =
        serde_json::from_slice(&std::fs::read(project.join("cv.json")).unwrap()).unwrap();
    assert_eq!(data["basics"]["name"], "Pat Doe");
    assert_eq!(data["variant"], "long");
    // The anonymized project has neither the photo nor the name.
    let anon = candidates(&dir.path().join("typ")).remove(0);
    assert!(!files_below(&anon).contains(&"photo.jpg".to_owned()));
    let json = std::fs::read_to_string(anon.join("cv.json")).unwrap();
    assert!(
        !json.contains("Pat") && !json.contains("pat@example.org"),
        "{json}"
    );
}

/// The emitted projects compile, as the `typst` command line would compile
/// them (a plain world over the folder, fonts from `fonts/`), to PDFs with
/// the same text as cvgen's own.
#[test]
fn emitted_projects_compile_on_their_own_to_the_same_text() {
    let dir = scratch();
    cvgen(&repo())
        .args(["render", "input/mark-callan.toml", "input/my-story.toml"])
        .args(["--variant", "long,onepage,anon", "-o"])
        .arg(dir.path().join("out"))
        .arg("--emit-typst")
        .arg(dir.path().join("typ"))
        .ok();
    let mut compared = 0;
    for entry in std::fs::read_dir(dir.path().join("typ")).unwrap() {
        let project = entry.unwrap().path();
        let name = project.file_name().unwrap().to_str().unwrap().to_owned();
        let typst_pdf = dir.path().join(format!("{name}.typst.pdf"));
        let world = ProjectWorld::new(&project, "layouts/classic.typ", &repo().join("fonts"));
        std::fs::write(&typst_pdf, world.pdf()).unwrap();
        let ours = dir.path().join(format!("out/{name}.pdf"));
        // Whitespace aside: justified lines space words differently.
        let (theirs, ours) = (squash(&pdf_text(&typst_pdf)), squash(&pdf_text(&ours)));
        assert!(theirs == ours, "{name}: the texts differ");
        compared += 1;
    }
    assert_eq!(compared, 6);
}

/// Details seen on the pages: a range from a date to itself prints once, a
/// language without details has no dangling colon, and every layout runs
/// the name above pages 2 and on.
#[test]
fn ranges_colons_and_running_names_read_right() {
    let dir = scratch();
    let filler: String = (0..40)
        .map(|i| {
            format!(
                "[[section.entries]]\nposition = \"Role {i}\"\nname = \"Org\"\nsummary = \"{}\"\n",
                "Long text. ".repeat(20)
            )
        })
        .collect();
    write(
        &dir.path().join("in/p.toml"),
        &format!(
            "[basics]\nname = \"Pat Runner\"\n\
             [[section]]\nkind = \"languages\"\n[[section.entries]]\nlanguage = \"English\"\nfluency = \"Native speaker\"\n\
             [[section]]\nkind = \"work\"\n[[section.entries]]\nposition = \"Intern\"\nname = \"Acme\"\n\
             start_date = \"2016-08\"\nend_date = \"2016-08\"\n{filler}"
        ),
    );
    for layout in LAYOUTS {
        let out = format!("out/{layout}");
        cvgen(dir.path())
            .args([
                "render",
                "in",
                "--variant",
                "long",
                "--layout",
                layout,
                "-o",
                &out,
            ])
            .ok();
        let pages = pdf_pages(&dir.path().join(&out).join("p.pdf"));
        let text = pages.join("\n");
        assert!(
            !squash(&text).contains("(Nativespeaker):"),
            "{layout}: {text}"
        );
        assert!(squash(&text).contains("Aug2016"), "{layout}");
        assert!(
            !squash(&text).contains("Aug2016–Aug2016"),
            "{layout}: {text}"
        );
        assert!(pages.len() > 1, "{layout}: the profile is long");
        assert!(
            pages[1].contains("Pat Runner"),
            "{layout}: no running name on page 2"
        );
    }
}

/// Every bullet's text in the layout data, nested ones included.
fn bullet_texts(value: &serde_json::Value, out: &mut Vec<String>) {
    match value {
        serde_json::Value::Object(map) => {
            for key in ["highlights", "items"] {
                for item in map
                    .get(key)
                    .and_then(|v| v.as_array())
                    .into_iter()
                    .flatten()
                {
                    let text: String = item["text"]
                        .as_array()
                        .into_iter()
                        .flatten()
                        .filter_map(|run| run["text"].as_str())
                        .collect();
                    out.push(text);
                }
            }
            map.values().for_each(|v| bullet_texts(v, out));
        }
        serde_json::Value::Array(list) => list.iter().for_each(|v| bullet_texts(v, out)),
        _ => {}
    }
}

#[test]
fn no_bullet_crosses_a_page_in_any_layout() {
    let dir = scratch();
    let mut checked = 0;
    for layout in LAYOUTS {
        let out = dir.path().join(layout);
        let emitted = dir.path().join(format!("emitted-{layout}"));
        cvgen(&repo())
            .args([
                "render",
                "input",
                "--layout",
                layout,
                "--variant",
                "long",
                "-q",
                "-o",
            ])
            .arg(&out)
            .arg("--emit-typst")
            .arg(&emitted)
            .ok();
        for entry in std::fs::read_dir(&emitted).unwrap() {
            let project = entry.unwrap().path();
            let name = project.file_name().unwrap().to_string_lossy().into_owned();
            let data: serde_json::Value =
                serde_json::from_str(&std::fs::read_to_string(project.join("cv.json")).unwrap())
                    .unwrap();
            let pdf = out.join(format!("{name}.pdf"));
            let pages: Vec<String> = pdf_pages(&pdf).iter().map(|p| squash(p)).collect();
            let mut bullets = Vec::new();
            bullet_texts(&data, &mut bullets);
            for bullet in bullets.iter().filter(|b| b.len() > 40 && b.len() <= 900) {
                let bullet = squash(bullet);
                assert!(
                    pages.iter().any(|page| page.contains(&bullet)),
                    "{layout}/{name}: a bullet crosses a page (or is not read whole): {bullet}"
                );
                checked += 1;
            }
        }
    }
    assert!(checked > 200, "{checked} bullets");
}

/// An entry's link (a project's repository, a paper) is printed in every
/// layout as a link that reads whole in the text layer, and an anonymized
/// variant drops it.
#[test]
fn an_entrys_link_is_printed_in_every_layout_and_dropped_when_anonymized() {
    let dir = scratch();
    let profile = dir.path().join("ada.toml");
    write(
        &profile,
        r#"
[basics]
name = "Ada Example"
email = "ada@example.org"

[[section]]
kind = "projects"
title = "Projects"

[[section.entries]]
name = "Engine simulator"
url = "https://github.com/ada-example/engine-simulator"
start_date = "2020"
summary = "A cycle-accurate simulator."
"#,
    );
    for layout in LAYOUTS {
        let out = dir.path().join(layout);
        cvgen(dir.path())
            .arg("render")
            .arg(&profile)
            .args(["--layout", layout, "--variant", "long,anon", "-q", "-o"])
            .arg(&out)
            .ok();
        let long = out.join("ada.pdf");
        let text = squash(&pdf_text(&long));
        assert_in_order(
            &text,
            &[
                "Engine simulator".into(),
                "https://github.com/ada-example/engine-simulator".into(),
                "A cycle-accurate simulator.".into(),
            ],
            &format!("{layout}: the entry's link"),
        );
        assert!(
            contains(
                &all_bytes(&long),
                b"/URI(https://github.com/ada-example/engine-simulator)"
            ),
            "{layout}: the link is not a link"
        );
        let anon = candidates(&out);
        assert_eq!(anon.len(), 1, "{layout}: {anon:?}");
        let anon = &anon[0];
        assert!(
            pdf_text(anon).contains("cycle-accurate"),
            "{layout}: the anonymized variant keeps the entry"
        );
        assert!(
            !contains(&all_bytes(anon), b"ada-example"),
            "{layout}: the anonymized variant keeps the entry's link"
        );
    }
}

/// `cvgen layouts --gallery DIR` pictures every layout, a user's too, with
/// one command: a PNG of a one-page CV each.
#[test]
fn the_gallery_pictures_every_layout_with_one_command() {
    let dir = scratch();
    let layouts = dir.path().join("layouts");
    write(
        &layouts.join("mine.typ"),
        &std::fs::read_to_string(repo().join("layouts/classic.typ")).unwrap(),
    );
    cvgen(dir.path())
        .args([
            "layouts",
            "--gallery",
            "gallery",
            "--layouts",
            "layouts",
            "--dpi",
            "30",
        ])
        .ok();
    let mut pictures: Vec<String> = std::fs::read_dir(dir.path().join("gallery"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    pictures.sort();
    assert_eq!(
        pictures,
        [
            "academic.png",
            "classic.png",
            "compact.png",
            "mine.png",
            "modern.png"
        ]
    );
    for picture in &pictures {
        let bytes = std::fs::read(dir.path().join("gallery").join(picture)).unwrap();
        assert_eq!(&bytes[..8], b"\x89PNG\r\n\x1a\n", "{picture}");
        // An A4 page at 30 dpi: 248 x 351 pixels.
        let (width, height) = (
            u32::from_be_bytes(bytes[16..20].try_into().unwrap()),
            u32::from_be_bytes(bytes[20..24].try_into().unwrap()),
        );
        assert!(
            (240..260).contains(&width) && (340..360).contains(&height),
            "{picture}: {width}x{height}"
        );
    }
}

/// The lines `pdftotext -layout` reads from `pdf`, spaces collapsed.
fn layout_lines(pdf: &Path) -> Vec<String> {
    let out = std::process::Command::new("pdftotext")
        .arg("-layout")
        .arg(pdf)
        .arg("-")
        .output()
        .expect("pdftotext runs");
    assert!(
        out.status.success(),
        "pdftotext failed on {}",
        pdf.display()
    );
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(|line| line.split_whitespace().collect::<Vec<_>>().join(" "))
        .collect()
}

#[test]
fn the_academic_layout_leads_each_entry_with_its_dates_on_the_titles_line() {
    let dir = scratch();
    let Ran { code, stderr, .. } = cvgen(&repo())
        .args(["render", "input/reed-allman.toml", "--variant", "long"])
        .args(["--layout", "academic", "-o"])
        .arg(dir.path().join("short"))
        .run();
    assert_eq!(code, Some(0), "{stderr}");
    let lines = layout_lines(&dir.path().join("short/reed-allman.pdf"));
    for (dates, title) in [
        (
            "May 2017 – Dec 2019",
            "Principal Member of Technical Staff, Oracle",
        ),
        ("May 2014 – Apr 2017", "Senior Backend Engineer, Iron.io"),
        (
            "2010 – 2014",
            "Bachelor of Software Engineering, Auburn University",
        ),
    ] {
        let wanted = format!("{dates} {title}");
        assert!(
            lines.contains(&wanted),
            "no line reads “{wanted}”:\n{}",
            lines.join("\n")
        );
    }

    // Long month names still fit the column at the default size; in larger
    // type they would not, and the dates follow the title on its line,
    // never wrapped inside the column.
    for (size, wanted) in [
        (
            "10.5pt",
            "May 2017 – December 2019 Principal Member of Technical Staff, Oracle",
        ),
        (
            "12pt",
            "Principal Member of Technical Staff | May 2017 – December 2019",
        ),
    ] {
        let out = dir.path().join(size);
        let Ran { code, stderr, .. } = cvgen(&repo())
            .args(["render", "input/reed-allman.toml", "--variant", "long"])
            .args(["--layout", "academic", "--set", "date_format=long"])
            .args(["--set", &format!("font_size={size}"), "-o"])
            .arg(&out)
            .run();
        assert_eq!(code, Some(0), "{stderr}");
        let lines = layout_lines(&out.join("reed-allman.pdf"));
        assert!(
            lines.iter().any(|line| line == wanted),
            "{size}: no line reads “{wanted}”:\n{}",
            lines.join("\n")
        );
    }
}
