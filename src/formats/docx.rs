//! A Word file a recruiter can edit: the outline as WordprocessingML with
//! real styles (Title, Subtitle, Heading 1, a list style with numbering
//! levels, Hyperlink), the layout's fonts, sizes, accent colour, margins and
//! paper, and the document's language. Written by hand into a zip: the
//! parts are few and fixed, and every byte is cvgen's to check (an
//! anonymized file's parts are searched for personal data before it is
//! written). The zip has no timestamps, so the same content gives the same
//! bytes.

use std::io::Write;

use super::outline::{Block, Role, flat};
use crate::data::Document;
use crate::markup::Run;

/// The Word file of a document.
pub fn docx(document: &Document, blocks: &[Block]) -> Result<Vec<u8>, String> {
    let look = Look::of(document);
    let mut links = Vec::new();
    let body = body(blocks, &mut links);
    let parts = [
        ("[Content_Types].xml", CONTENT_TYPES.to_owned()),
        ("_rels/.rels", ROOT_RELS.to_owned()),
        ("docProps/core.xml", core(document)),
        ("docProps/app.xml", APP.to_owned()),
        ("word/document.xml", document_xml(&body, &look)),
        ("word/styles.xml", styles(&look)),
        ("word/numbering.xml", numbering(&look)),
        ("word/settings.xml", settings(&look)),
        ("word/_rels/document.xml.rels", document_rels(&links)),
    ];
    zip(&parts).map_err(|e| format!("cannot write the Word file: {e}"))
}

/// The parts of a Word file as (name, bytes), for the leak check and the
/// tests: what a reader of the file gets.
pub fn parts(bytes: &[u8]) -> Result<Vec<(String, Vec<u8>)>, String> {
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(bytes))
        .map_err(|e| format!("not a Word file: {e}"))?;
    let mut parts = Vec::new();
    for index in 0..archive.len() {
        let mut file = archive
            .by_index(index)
            .map_err(|e| format!("not a Word file: {e}"))?;
        let mut data = Vec::new();
        std::io::Read::read_to_end(&mut std::io::Read::take(&mut file, 50_000_000), &mut data)
            .map_err(|e| format!("not a Word file: {e}"))?;
        let name = file
            .name()
            .map_err(|e| format!("not a Word file: {e}"))?
            .into_owned();
        parts.push((name, data));
    }
    Ok(parts)
}

/// The text of an XML part: each paragraph (`w:p`) on a line of its own,
/// and every attribute value on a line of its own (a link's target, a
/// font's name, a style's).
pub fn part_text(xml: &[u8]) -> Result<String, String> {
    let text = std::str::from_utf8(xml).map_err(|e| e.to_string())?;
    let tree = roxmltree::Document::parse(text).map_err(|e| e.to_string())?;
    let mut out = String::new();
    for node in tree.descendants() {
        if node.is_text() {
            out.push_str(node.text().unwrap_or_default());
        } else if node.is_element() {
            if node.tag_name().name() == "p" || node.tag_name().name() == "br" {
                out.push('\n');
            }
            for attribute in node.attributes() {
                out.push('\n');
                out.push_str(attribute.value());
                out.push('\n');
            }
        }
    }
    Ok(out)
}

/// What the layout's parameters say of the page and the type.
struct Look {
    font: String,
    heading_font: String,
    /// Half-points.
    size: u32,
    /// Twentieths of a point.
    margin: u32,
    paper: (u32, u32),
    accent: String,
    spacing: f64,
    lang: String,
    rtl: bool,
}

impl Look {
    fn of(document: &Document) -> Self {
        let params = &document.params;
        let text = |key: &str, default: &str| {
            params
                .get(key)
                .and_then(|v| v.as_str())
                .unwrap_or(default)
                .to_owned()
        };
        let number = |key: &str, default: f64| {
            params
                .get(key)
                .and_then(|v| v.as_f64())
                .filter(|v| v.is_finite() && *v > 0.0)
                .unwrap_or(default)
        };
        let accent = text("accent", "#000000")
            .trim_start_matches('#')
            .chars()
            .filter(char::is_ascii_hexdigit)
            .collect::<String>();
        let lang = &document.locale.lang;
        Self {
            font: text("font", "Noto Serif"),
            heading_font: text("heading_font", "Noto Sans"),
            size: (number("font_size", 10.5) * 2.0).round().clamp(8.0, 200.0) as u32,
            margin: (number("margin", 56.69) * 20.0)
                .round()
                .clamp(0.0, 20_000.0) as u32,
            paper: match text("paper", "a4").as_str() {
                "us-letter" => (12240, 15840),
                _ => (11906, 16838),
            },
            accent: if accent.len() == 6 {
                accent.to_uppercase()
            } else {
                "000000".into()
            },
            spacing: number("spacing", 1.0).clamp(0.3, 3.0),
            lang: match &lang.region {
                Some(region) => format!("{}-{region}", lang.lang),
                None => lang.lang.clone(),
            },
            rtl: lang.dir == "rtl",
        }
    }

    /// A gap of `em` times the body size, scaled by `spacing`, in twips.
    fn gap(&self, em: f64) -> u32 {
        (em * f64::from(self.size) * 10.0 * self.spacing).round() as u32
    }
}

/// XML-escaped text, without characters XML 1.0 cannot hold.
fn esc(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\t' | '\n' | '\r' => out.push(' '),
            c if (c as u32) < 0x20 || matches!(c, '\u{fffe}' | '\u{ffff}') => {}
            c => out.push(c),
        }
    }
    out
}

fn style_of(role: Role) -> (&'static str, Option<usize>) {
    match role {
        Role::Title => ("Title", None),
        Role::Headline => ("Subtitle", None),
        Role::Contact => ("Contact", None),
        Role::Heading => ("Heading1", None),
        Role::EntryHead => ("EntryHead", None),
        Role::EntryWhere => ("EntryWhere", None),
        Role::Body | Role::Column(_) => ("Normal", None),
        Role::Bullet(level) => ("ListBullet", Some(level.min(8))),
        Role::Address => ("Address", None),
        Role::Date => ("LetterDate", None),
        Role::Subject => ("Subject", None),
    }
}

fn body(blocks: &[Block], links: &mut Vec<String>) -> String {
    let mut out = String::new();
    let mut index = 0;
    while index < blocks.len() {
        // Lines set side by side: one row of a borderless table, a cell per
        // column, each read whole before the next.
        let columns = blocks[index..]
            .iter()
            .take_while(|b| matches!(b.role, Role::Column(_)))
            .count();
        if columns > 0 {
            let lines = &blocks[index..index + columns];
            let count = lines
                .iter()
                .filter_map(|b| match b.role {
                    Role::Column(n) => Some(n + 1),
                    _ => None,
                })
                .max()
                .unwrap_or(1);
            out.push_str(
                "<w:tbl><w:tblPr><w:tblW w:w=\"5000\" w:type=\"pct\"/>\
                 <w:tblLayout w:type=\"fixed\"/></w:tblPr><w:tr>",
            );
            for column in 0..count {
                let cell: Vec<Block> = lines
                    .iter()
                    .filter(|b| b.role == Role::Column(column))
                    .cloned()
                    .collect();
                out.push_str(&format!(
                    "<w:tc><w:tcPr><w:tcW w:w=\"{}\" w:type=\"pct\"/></w:tcPr>",
                    5000 / count
                ));
                out.push_str(&paragraphs(&cell, links));
                // A cell holds at least one paragraph.
                if cell.is_empty() {
                    out.push_str("<w:p/>");
                }
                out.push_str("</w:tc>");
            }
            out.push_str("</w:tr></w:tbl>");
            index += columns;
            continue;
        }
        let single = std::slice::from_ref(&blocks[index]);
        out.push_str(&paragraphs(single, links));
        index += 1;
    }
    out
}

fn paragraphs(blocks: &[Block], links: &mut Vec<String>) -> String {
    let mut out = String::new();
    for block in blocks {
        let (style, level) = style_of(block.role);
        out.push_str("<w:p><w:pPr>");
        out.push_str(&format!("<w:pStyle w:val=\"{style}\"/>"));
        if let Some(level) = level {
            out.push_str(&format!(
                "<w:numPr><w:ilvl w:val=\"{level}\"/><w:numId w:val=\"1\"/></w:numPr>"
            ));
        }
        out.push_str("</w:pPr>");
        let last = block.runs.len().saturating_sub(1);
        for (i, run) in block.runs.iter().enumerate() {
            let mut text = flat(&run.text);
            if i == 0 {
                text = text.trim_start().to_owned();
            }
            if i == last {
                text = text.trim_end().to_owned();
            }
            if text.is_empty() {
                continue;
            }
            out.push_str(&run_xml(run, &text, block.role, links));
        }
        out.push_str("</w:p>");
    }
    out
}

fn run_xml(run: &Run, text: &str, role: Role, links: &mut Vec<String>) -> String {
    let mut props = String::new();
    if run.link.is_some() {
        props.push_str("<w:rStyle w:val=\"Hyperlink\"/>");
    }
    if run.code {
        props.push_str("<w:rFonts w:ascii=\"Noto Sans Mono\" w:hAnsi=\"Noto Sans Mono\"/>");
    }
    if run.strong {
        props.push_str("<w:b/>");
    }
    if run.emph {
        props.push_str("<w:i/>");
    }
    // The dates of an entry's head are muted, as on the page.
    if role == Role::EntryHead && !run.strong {
        props.push_str("<w:color w:val=\"5A5A5A\"/>");
    }
    let r = format!(
        "<w:r>{}<w:t xml:space=\"preserve\">{}</w:t></w:r>",
        if props.is_empty() {
            String::new()
        } else {
            format!("<w:rPr>{props}</w:rPr>")
        },
        esc(text)
    );
    match &run.link {
        Some(target) => {
            links.push(target.clone());
            format!(
                "<w:hyperlink r:id=\"rIdLink{}\">{r}</w:hyperlink>",
                links.len()
            )
        }
        None => r,
    }
}

const NS: &str = "xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\" \
                  xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\"";

fn document_xml(body: &str, look: &Look) -> String {
    let (width, height) = look.paper;
    let m = look.margin;
    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n\
         <w:document {NS}><w:body>{body}<w:sectPr>\
         <w:pgSz w:w=\"{width}\" w:h=\"{height}\"/>\
         <w:pgMar w:top=\"{m}\" w:right=\"{m}\" w:bottom=\"{m}\" w:left=\"{m}\" \
         w:header=\"0\" w:footer=\"0\" w:gutter=\"0\"/>{}\
         </w:sectPr></w:body></w:document>",
        if look.rtl { "<w:bidi/>" } else { "" }
    )
}

fn styles(look: &Look) -> String {
    let fonts = |f: &str| {
        let f = esc(f);
        format!("<w:rFonts w:ascii=\"{f}\" w:hAnsi=\"{f}\" w:cs=\"{f}\" w:eastAsia=\"{f}\"/>")
    };
    let lang = esc(&look.lang);
    let (bidi, rtl) = match look.rtl {
        true => ("<w:bidi/>", "<w:rtl/>"),
        false => ("", ""),
    };
    let size = look.size;
    let accent = &look.accent;
    // The built-in layouts set lines 0.55em apart (from the capitals' top)
    // and paragraphs 0.75em: in Word terms, lines at about 93% of the
    // fonts' own spacing, and a fifth of an em between paragraphs.
    let after = look.gap(0.15);
    // `spacing` scales the space between lines too.
    let line = (212.0 * look.spacing).round().clamp(180.0, 600.0) as u32;
    let paragraph = |id: &str, name: &str, ppr: String, rpr: String| {
        format!(
            "<w:style w:type=\"paragraph\" w:styleId=\"{id}\"><w:name w:val=\"{name}\"/>\
             <w:basedOn w:val=\"Normal\"/><w:next w:val=\"Normal\"/><w:qFormat/>\
             <w:pPr>{ppr}</w:pPr><w:rPr>{rpr}</w:rPr></w:style>"
        )
    };
    let heading = fonts(&look.heading_font);
    let styles = [
        paragraph(
            "Title",
            "Title",
            format!("<w:spacing w:before=\"0\" w:after=\"{}\"/>", look.gap(0.3)),
            format!(
                "{heading}<w:b/><w:color w:val=\"{accent}\"/><w:sz w:val=\"{}\"/><w:szCs w:val=\"{}\"/>",
                size * 2,
                size * 2
            ),
        ),
        paragraph(
            "Subtitle",
            "Subtitle",
            format!("<w:spacing w:before=\"0\" w:after=\"{}\"/>", look.gap(0.3)),
            format!("<w:sz w:val=\"{}\"/>", size * 11 / 10),
        ),
        paragraph(
            "Contact",
            "Contact",
            format!("<w:spacing w:before=\"0\" w:after=\"{}\"/>", look.gap(0.9)),
            String::new(),
        ),
        paragraph(
            "Heading1",
            "heading 1",
            format!(
                "<w:keepNext/><w:spacing w:before=\"{}\" w:after=\"{}\"/>\
                 <w:pBdr><w:bottom w:val=\"single\" w:sz=\"4\" w:space=\"1\" w:color=\"{accent}\"/></w:pBdr>\
                 <w:outlineLvl w:val=\"0\"/>",
                look.gap(0.9),
                look.gap(0.3)
            ),
            format!(
                "{heading}<w:b/><w:color w:val=\"{accent}\"/><w:sz w:val=\"{}\"/><w:szCs w:val=\"{}\"/>",
                size * 115 / 100,
                size * 115 / 100
            ),
        ),
        paragraph(
            "EntryHead",
            "Entry head",
            format!(
                "<w:keepNext/><w:spacing w:before=\"{}\" w:after=\"0\"/>",
                look.gap(0.5)
            ),
            String::new(),
        ),
        paragraph(
            "EntryWhere",
            "Entry place",
            format!(
                "<w:keepNext/><w:spacing w:before=\"0\" w:after=\"{}\"/>",
                look.gap(0.3)
            ),
            String::new(),
        ),
        paragraph(
            "ListBullet",
            "List Bullet",
            format!(
                "<w:numPr><w:numId w:val=\"1\"/></w:numPr><w:spacing w:before=\"0\" w:after=\"{}\"/>",
                look.gap(0.05)
            ),
            String::new(),
        ),
        paragraph(
            "Address",
            "Address",
            "<w:spacing w:before=\"0\" w:after=\"0\"/>".to_owned(),
            String::new(),
        ),
        paragraph(
            "LetterDate",
            "Letter date",
            format!(
                "<w:jc w:val=\"end\"/><w:spacing w:before=\"{}\" w:after=\"{}\"/>",
                look.gap(1.5),
                look.gap(1.0)
            ),
            String::new(),
        ),
        paragraph(
            "Subject",
            "Subject",
            format!("<w:spacing w:before=\"0\" w:after=\"{}\"/>", look.gap(1.0)),
            format!("<w:b/><w:color w:val=\"{accent}\"/>"),
        ),
    ];
    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n\
         <w:styles {NS}>\
         <w:docDefaults><w:rPrDefault><w:rPr>{}<w:sz w:val=\"{size}\"/><w:szCs w:val=\"{size}\"/>\
         <w:lang w:val=\"{lang}\" w:eastAsia=\"{lang}\" w:bidi=\"{lang}\"/>{rtl}</w:rPr></w:rPrDefault>\
         <w:pPrDefault><w:pPr><w:spacing w:before=\"0\" w:after=\"{after}\" w:line=\"{line}\" w:lineRule=\"auto\"/>{bidi}</w:pPr></w:pPrDefault>\
         </w:docDefaults>\
         <w:style w:type=\"paragraph\" w:default=\"1\" w:styleId=\"Normal\"><w:name w:val=\"Normal\"/><w:qFormat/></w:style>\
         <w:style w:type=\"character\" w:default=\"1\" w:styleId=\"DefaultParagraphFont\"><w:name w:val=\"Default Paragraph Font\"/><w:uiPriority w:val=\"1\"/><w:semiHidden/></w:style>\
         <w:style w:type=\"character\" w:styleId=\"Hyperlink\"><w:name w:val=\"Hyperlink\"/><w:basedOn w:val=\"DefaultParagraphFont\"/><w:rPr><w:color w:val=\"{accent}\"/><w:u w:val=\"single\"/></w:rPr></w:style>\
         {}</w:styles>",
        fonts(&look.font),
        styles.join("")
    )
}

/// One bullet list definition with nine levels, as Word's own lists have.
fn numbering(look: &Look) -> String {
    let bullets = ["•", "◦", "▪"];
    let levels: String = (0..9)
        .map(|level| {
            // Each level 1.2em further in; the marker hangs 1em before the
            // text, room for it in every font (a narrower hang pushes the
            // text to the next tab stop).
            let em = look.size * 10;
            let indent = em * 12 / 10 * (level as u32 + 1);
            let hanging = em;
            format!(
                "<w:lvl w:ilvl=\"{level}\"><w:start w:val=\"1\"/><w:numFmt w:val=\"bullet\"/>\
                 <w:lvlText w:val=\"{}\"/><w:lvlJc w:val=\"left\"/>\
                 <w:pPr><w:ind w:left=\"{indent}\" w:hanging=\"{hanging}\"/></w:pPr></w:lvl>",
                bullets[level % 3]
            )
        })
        .collect();
    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n\
         <w:numbering {NS}><w:abstractNum w:abstractNumId=\"0\">\
         <w:multiLevelType w:val=\"hybridMultilevel\"/>{levels}</w:abstractNum>\
         <w:num w:numId=\"1\"><w:abstractNumId w:val=\"0\"/></w:num></w:numbering>"
    )
}

fn settings(look: &Look) -> String {
    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n\
         <w:settings {NS}><w:defaultTabStop w:val=\"720\"/>\
         <w:themeFontLang w:val=\"{}\"/><w:compat><w:compatSetting w:name=\"compatibilityMode\" \
         w:uri=\"http://schemas.microsoft.com/office/word\" w:val=\"15\"/></w:compat></w:settings>",
        esc(&look.lang)
    )
}

fn document_rels(links: &[String]) -> String {
    let mut rels = String::from(
        "<Relationship Id=\"rIdStyles\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles\" Target=\"styles.xml\"/>\
         <Relationship Id=\"rIdNumbering\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/numbering\" Target=\"numbering.xml\"/>\
         <Relationship Id=\"rIdSettings\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/settings\" Target=\"settings.xml\"/>",
    );
    for (i, target) in links.iter().enumerate() {
        rels.push_str(&format!(
            "<Relationship Id=\"rIdLink{}\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/hyperlink\" \
             Target=\"{}\" TargetMode=\"External\"/>",
            i + 1,
            esc(target)
        ));
    }
    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n\
         <Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">{rels}</Relationships>"
    )
}

/// Title ("Name – Curriculum Vitae", as the PDF's), author and language;
/// no dates and no "last modified by", which would name the machine's user.
fn core(document: &Document) -> String {
    let words = &document.locale.words;
    let what = match document.letter {
        Some(_) => &words.letter.title,
        None => &words.cv,
    };
    let name = document.basics.name.as_deref();
    let title = match name {
        Some(name) => format!("{name} – {what}"),
        None => what.clone(),
    };
    let creator = name
        .map(|n| format!("<dc:creator>{}</dc:creator>", esc(n)))
        .unwrap_or_default();
    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n\
         <cp:coreProperties xmlns:cp=\"http://schemas.openxmlformats.org/package/2006/metadata/core-properties\" \
         xmlns:dc=\"http://purl.org/dc/elements/1.1/\" xmlns:dcterms=\"http://purl.org/dc/terms/\">\
         <dc:title>{}</dc:title>{creator}<dc:language>{}</dc:language></cp:coreProperties>",
        esc(&title),
        esc(&document.locale.lang.code)
    )
}

const APP: &str = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n\
<Properties xmlns=\"http://schemas.openxmlformats.org/officeDocument/2006/extended-properties\"><Application>cvgen</Application></Properties>";

const CONTENT_TYPES: &str = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n\
<Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\">\
<Default Extension=\"rels\" ContentType=\"application/vnd.openxmlformats-package.relationships+xml\"/>\
<Default Extension=\"xml\" ContentType=\"application/xml\"/>\
<Override PartName=\"/word/document.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml\"/>\
<Override PartName=\"/word/styles.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.wordprocessingml.styles+xml\"/>\
<Override PartName=\"/word/numbering.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.wordprocessingml.numbering+xml\"/>\
<Override PartName=\"/word/settings.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.wordprocessingml.settings+xml\"/>\
<Override PartName=\"/docProps/core.xml\" ContentType=\"application/vnd.openxmlformats-package.core-properties+xml\"/>\
<Override PartName=\"/docProps/app.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.extended-properties+xml\"/>\
</Types>";

const ROOT_RELS: &str = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n\
<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">\
<Relationship Id=\"rId1\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument\" Target=\"word/document.xml\"/>\
<Relationship Id=\"rId2\" Type=\"http://schemas.openxmlformats.org/package/2006/metadata/core-properties\" Target=\"docProps/core.xml\"/>\
<Relationship Id=\"rId3\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/extended-properties\" Target=\"docProps/app.xml\"/>\
</Relationships>";

fn zip(parts: &[(&str, String)]) -> zip::result::ZipResult<Vec<u8>> {
    let mut writer = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated)
        .last_modified_time(zip::DateTime::default());
    for (name, text) in parts {
        writer.start_file(*name, options)?;
        writer.write_all(text.as_bytes())?;
    }
    Ok(writer.finish()?.into_inner())
}
