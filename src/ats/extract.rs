//! A text extractor of the kind applicant tracking systems use: it reads
//! the glyphs of each page in the order they are drawn, maps them to text
//! through their fonts' Unicode maps (or the `/ActualText` of a marked span,
//! as poppler and Acrobat do), and joins them into lines by their position
//! on the page. It reads page furniture (artifacts) like any other text, as
//! most extractors do: whether a running header lands inside a paragraph is
//! one of the things it is meant to find.

use std::collections::HashMap;

use lopdf::content::Content;
use lopdf::{Dictionary, Document, Object};

/// The text of each page, as lines.
pub type Pages = Vec<Vec<String>>;

/// Reads the lines of every page of a PDF.
pub fn read(pdf: &[u8]) -> Result<Pages, String> {
    let doc = Document::load_mem(pdf).map_err(|e| format!("not a readable PDF: {e}"))?;
    let mut pages = Vec::new();
    for (number, page) in doc.get_pages() {
        let fonts: HashMap<Vec<u8>, Font> = doc
            .get_page_fonts(page)
            .map_err(|e| format!("page {number}: {e}"))?
            .into_iter()
            .map(|(name, dict)| (name, Font::new(&doc, dict)))
            .collect();
        let content = doc
            .get_page_content(page)
            .and_then(|bytes| Content::decode(&bytes))
            .map_err(|e| format!("page {number}: {e}"))?;
        pages.push(lines(&pieces(&content, &fonts)));
    }
    Ok(pages)
}

/// What a font tells about its glyphs: their text and their advance.
#[derive(Default)]
struct Font {
    unicode: HashMap<u32, String>,
    widths: HashMap<u32, f32>,
    default_width: f32,
    /// Bytes per character code: 2 for composite (Type0) fonts.
    code_len: usize,
    /// Glyph space to text space (1/1000 but for Type3 fonts).
    scale: f32,
}

impl Font {
    fn new(doc: &Document, dict: &Dictionary) -> Self {
        let get = |dict: &Dictionary, key: &[u8]| -> Option<Object> {
            let object = dict.get(key).ok()?;
            doc.dereference(object).ok().map(|(_, o)| o.clone())
        };
        let unicode = get(dict, b"ToUnicode")
            .and_then(|o| {
                o.as_stream()
                    .ok()
                    .and_then(|s| s.decompressed_content().ok())
            })
            .map(|cmap| unicode_map(&cmap))
            .unwrap_or_default();
        let composite = dict.get(b"Subtype").and_then(Object::as_name).ok() == Some(b"Type0");
        let mut font = Self {
            unicode,
            default_width: 0.0,
            code_len: if composite { 2 } else { 1 },
            scale: 0.001,
            ..Self::default()
        };
        if composite {
            let Some(Object::Array(descendants)) = get(dict, b"DescendantFonts") else {
                return font;
            };
            let Some(Object::Dictionary(cid)) = descendants
                .first()
                .and_then(|o| doc.dereference(o).ok())
                .map(|(_, o)| o.clone())
            else {
                return font;
            };
            font.default_width = get(&cid, b"DW").and_then(number).unwrap_or(1000.0);
            if let Some(Object::Array(w)) = get(&cid, b"W") {
                font.widths = cid_widths(doc, &w);
            }
        } else {
            if let Some(Object::Array(matrix)) = get(dict, b"FontMatrix") {
                font.scale = matrix.first().cloned().and_then(number).unwrap_or(0.001);
            }
            let first = get(dict, b"FirstChar").and_then(number).unwrap_or(0.0) as u32;
            if let Some(Object::Array(widths)) = get(dict, b"Widths") {
                for (i, width) in widths.into_iter().enumerate() {
                    let width = doc
                        .dereference(&width)
                        .ok()
                        .and_then(|(_, o)| number(o.clone()));
                    font.widths.insert(first + i as u32, width.unwrap_or(0.0));
                }
            }
        }
        font
    }

    fn width(&self, code: u32) -> f32 {
        self.widths
            .get(&code)
            .copied()
            .unwrap_or(self.default_width)
            * self.scale
    }
}

fn number(object: Object) -> Option<f32> {
    object.as_float().ok()
}

/// A composite font's `/W` array: `c [w1 w2 ...]` or `c_first c_last w`.
fn cid_widths(doc: &Document, w: &[Object]) -> HashMap<u32, f32> {
    let resolved: Vec<Object> = w
        .iter()
        .map(|o| doc.dereference(o).map_or(Object::Null, |(_, o)| o.clone()))
        .collect();
    let mut widths = HashMap::new();
    let mut i = 0;
    while i < resolved.len() {
        let Some(first) = number(resolved[i].clone()) else {
            break;
        };
        match resolved.get(i + 1) {
            Some(Object::Array(list)) => {
                for (k, width) in list.iter().enumerate() {
                    widths.insert(
                        first as u32 + k as u32,
                        number(width.clone()).unwrap_or(0.0),
                    );
                }
                i += 2;
            }
            Some(last) => {
                let (Some(last), Some(width)) = (
                    number(last.clone()),
                    resolved.get(i + 2).cloned().and_then(number),
                ) else {
                    break;
                };
                for code in first as u32..=last as u32 {
                    widths.insert(code, width);
                }
                i += 3;
            }
            None => break,
        }
    }
    widths
}

/// A run of text drawn at one place: where it starts and ends on the
/// baseline, in page space.
#[derive(Debug)]
struct Piece {
    text: String,
    x: f32,
    end: f32,
    y: f32,
    size: f32,
}

/// An affine matrix `[a b c d e f]`.
type Matrix = [f32; 6];

const IDENTITY: Matrix = [1.0, 0.0, 0.0, 1.0, 0.0, 0.0];

fn multiply(m: &Matrix, n: &Matrix) -> Matrix {
    [
        m[0] * n[0] + m[1] * n[2],
        m[0] * n[1] + m[1] * n[3],
        m[2] * n[0] + m[3] * n[2],
        m[2] * n[1] + m[3] * n[3],
        m[4] * n[0] + m[5] * n[2] + n[4],
        m[4] * n[1] + m[5] * n[3] + n[5],
    ]
}

fn operands(operands: &[Object]) -> Option<Matrix> {
    let values: Vec<f32> = operands.iter().filter_map(|o| o.as_float().ok()).collect();
    values.try_into().ok()
}

/// The text state the pieces need.
struct State<'a> {
    ctm: Matrix,
    stack: Vec<Matrix>,
    text: Matrix,
    line: Matrix,
    font: Option<&'a Font>,
    size: f32,
    char_spacing: f32,
    word_spacing: f32,
    horizontal: f32,
    leading: f32,
}

/// An open marked-content span that gives the actual text of its glyphs:
/// the text, and where the glyphs drawn inside it so far start and end.
struct Actual {
    text: String,
    span: Option<(f32, f32, f32, f32)>,
}

/// The page's text pieces, in drawing order.
fn pieces(content: &Content, fonts: &HashMap<Vec<u8>, Font>) -> Vec<Piece> {
    let mut state = State {
        ctm: IDENTITY,
        stack: Vec::new(),
        text: IDENTITY,
        line: IDENTITY,
        font: None,
        size: 0.0,
        char_spacing: 0.0,
        word_spacing: 0.0,
        horizontal: 1.0,
        leading: 0.0,
    };
    let mut out = Vec::new();
    // Open marked-content spans; `Some` for those giving actual text.
    let mut marked: Vec<Option<Actual>> = Vec::new();
    for op in &content.operations {
        let args = &op.operands;
        let float = |i: usize| args.get(i).and_then(|o| o.as_float().ok()).unwrap_or(0.0);
        match op.operator.as_str() {
            "q" => state.stack.push(state.ctm),
            "Q" => state.ctm = state.stack.pop().unwrap_or(IDENTITY),
            "cm" => {
                if let Some(m) = operands(args) {
                    state.ctm = multiply(&m, &state.ctm);
                }
            }
            "BT" => {
                state.text = IDENTITY;
                state.line = IDENTITY;
            }
            "Tm" => {
                if let Some(m) = operands(args) {
                    state.text = m;
                    state.line = m;
                }
            }
            "Td" | "TD" => {
                if op.operator == "TD" {
                    state.leading = -float(1);
                }
                state.line = multiply(&[1.0, 0.0, 0.0, 1.0, float(0), float(1)], &state.line);
                state.text = state.line;
            }
            "T*" => next_line(&mut state),
            "Tf" => {
                state.font = args
                    .first()
                    .and_then(|o| o.as_name().ok())
                    .and_then(|name| fonts.get(name));
                state.size = float(1);
            }
            "Tc" => state.char_spacing = float(0),
            "Tw" => state.word_spacing = float(0),
            "Tz" => state.horizontal = float(0) / 100.0,
            "TL" => state.leading = float(0),
            "BDC" => {
                let actual = args
                    .get(1)
                    .and_then(|o| o.as_dict().ok())
                    .and_then(|d| d.get(b"ActualText").ok())
                    .and_then(|t| t.as_str().ok())
                    .map(|bytes| Actual {
                        text: utf16(bytes),
                        span: None,
                    });
                marked.push(actual);
            }
            "BMC" => marked.push(None),
            "EMC" => {
                if let Some(Some(actual)) = marked.pop() {
                    let inside = marked.iter().any(Option::is_some);
                    if let (Some((x, end, y, size)), false) = (actual.span, inside) {
                        out.push(Piece {
                            text: actual.text,
                            x,
                            end,
                            y,
                            size,
                        });
                    }
                }
            }
            "Tj" | "TJ" | "'" | "\"" => {
                if op.operator == "'" || op.operator == "\"" {
                    next_line(&mut state);
                }
                if op.operator == "\"" {
                    state.word_spacing = float(0);
                    state.char_spacing = float(1);
                }
                let Some(piece) = show(&mut state, args) else {
                    continue;
                };
                match marked.iter_mut().rev().find_map(Option::as_mut) {
                    Some(actual) => {
                        let span = actual
                            .span
                            .get_or_insert((piece.x, piece.end, piece.y, piece.size));
                        span.0 = span.0.min(piece.x);
                        span.1 = span.1.max(piece.end);
                    }
                    None => out.push(piece),
                }
            }
            _ => {}
        }
    }
    out
}

fn next_line(state: &mut State) {
    state.line = multiply(&[1.0, 0.0, 0.0, 1.0, 0.0, -state.leading], &state.line);
    state.text = state.line;
}

/// Shows a string (or a `TJ` array of strings and adjustments), moving the
/// text matrix by the glyphs' advances.
fn show(state: &mut State, args: &[Object]) -> Option<Piece> {
    let font = state.font?;
    let start = multiply(&state.text, &state.ctm);
    let mut text = String::new();
    for item in args.iter().flat_map(|o| match o {
        Object::Array(items) => items.iter().collect(),
        other => vec![other],
    }) {
        let advance = match item {
            Object::String(bytes, _) => {
                let mut advance = 0.0;
                for code in bytes.chunks(font.code_len) {
                    let code = code.iter().fold(0u32, |n, b| n << 8 | u32::from(*b));
                    let glyph = font.unicode.get(&code).map_or("", String::as_str);
                    text.push_str(glyph);
                    let spacing = if glyph == " " {
                        state.word_spacing
                    } else {
                        0.0
                    };
                    advance += (font.width(code) * state.size + state.char_spacing + spacing)
                        * state.horizontal;
                }
                advance
            }
            other => match other.as_float() {
                Ok(adjust) => {
                    // A wide negative adjustment is a space that was not drawn.
                    if adjust < -250.0 && !text.ends_with(' ') {
                        text.push(' ');
                    }
                    -adjust / 1000.0 * state.size * state.horizontal
                }
                Err(_) => 0.0,
            },
        };
        state.text = multiply(&[1.0, 0.0, 0.0, 1.0, advance, 0.0], &state.text);
    }
    let end = multiply(&state.text, &state.ctm);
    // The size on the page: the font size scaled by the matrices.
    let scale = (start[2] * start[2] + start[3] * start[3]).sqrt();
    Some(Piece {
        text,
        x: start[4],
        end: end[4],
        y: start[5],
        size: state.size * scale,
    })
}

/// Joins pieces into lines: a piece continues the line when it sits on
/// the line's baseline, beside it (after its last piece, or before its
/// first: right-to-left text is drawn leftwards). A line's pieces are read
/// left to right; a gap wider than a fifth of the font size is a space.
fn lines(pieces: &[Piece]) -> Vec<String> {
    let mut lines: Vec<Vec<&Piece>> = Vec::new();
    for piece in pieces.iter().filter(|p| !p.text.is_empty()) {
        let size = piece.size.max(1.0);
        let continues = lines.last().is_some_and(|line| {
            let last = line[line.len() - 1];
            let left = line.iter().map(|p| p.x).fold(f32::INFINITY, f32::min);
            (piece.y - last.y).abs() < 0.4 * size
                && (piece.x > last.end - 0.5 * size || piece.end < left + 0.5 * size)
        });
        match lines.last_mut() {
            Some(line) if continues => line.push(piece),
            _ => lines.push(vec![piece]),
        }
    }
    lines
        .into_iter()
        .map(|mut line| {
            line.sort_by(|a, b| a.x.total_cmp(&b.x));
            let mut text = String::new();
            let mut end = f32::NEG_INFINITY;
            for piece in line {
                if piece.x - end > 0.2 * piece.size.max(1.0) && !text.is_empty() {
                    text.push(' ');
                }
                text.push_str(&piece.text);
                end = end.max(piece.end);
            }
            logical(&text.split_whitespace().collect::<Vec<_>>().join(" "))
        })
        .filter(|line| !line.is_empty())
        .collect()
}

/// A line read left to right as it is drawn, in reading order: where it
/// holds right-to-left text, its runs are put back in logical order (the
/// reordering of the bidirectional algorithm undoes itself for runs of
/// letters and digits, which is what a reader's review compares).
fn logical(visual: &str) -> String {
    use unicode_bidi::BidiInfo;
    if !visual.chars().any(|c| {
        matches!(
            unicode_bidi::bidi_class(c),
            unicode_bidi::BidiClass::R | unicode_bidi::BidiClass::AL
        )
    }) {
        return visual.to_owned();
    }
    let info = BidiInfo::new(visual, None);
    info.paragraphs
        .iter()
        .map(|paragraph| {
            info.reorder_line(paragraph, paragraph.range.clone())
                .into_owned()
        })
        .collect()
}

/// A `/ToUnicode` CMap's `bfchar` and `bfrange` entries, code to text.
fn unicode_map(cmap: &[u8]) -> HashMap<u32, String> {
    let cmap = String::from_utf8_lossy(cmap);
    let hex = |s: &str| -> Vec<u8> {
        let s = s.trim_matches(|c| c == '<' || c == '>');
        (0..s.len() / 2)
            .filter_map(|i| u8::from_str_radix(s.get(2 * i..2 * i + 2)?, 16).ok())
            .collect()
    };
    let number = |s: &str| hex(s).iter().fold(0u32, |n, b| n << 8 | u32::from(*b));
    let mut map = HashMap::new();
    let mut section = "";
    // CMaps put several entries on a line or one per line; read tokens.
    let tokens: Vec<&str> = cmap
        .split(|c: char| c.is_whitespace())
        .filter(|t| !t.is_empty())
        .collect();
    let mut i = 0;
    while i < tokens.len() {
        match tokens[i] {
            "beginbfchar" => section = "char",
            "beginbfrange" => section = "range",
            "endbfchar" | "endbfrange" => section = "",
            code if code.starts_with('<') && section == "char" && i + 1 < tokens.len() => {
                map.insert(number(code), utf16(&hex(tokens[i + 1])));
                i += 1;
            }
            from if from.starts_with('<') && section == "range" && i + 2 < tokens.len() => {
                let (to, target) = (tokens[i + 1], tokens[i + 2]);
                if target.starts_with('[') {
                    // A range mapped to an array of strings: rare, skipped.
                    while i < tokens.len() && !tokens[i].ends_with(']') {
                        i += 1;
                    }
                } else if target.starts_with('<') {
                    let first: Vec<u16> = utf16(&hex(target)).encode_utf16().collect();
                    for (k, code) in (number(from)..=number(to)).enumerate() {
                        let mut units = first.clone();
                        if let Some(last) = units.last_mut() {
                            *last = last.wrapping_add(k as u16);
                        }
                        map.insert(code, String::from_utf16_lossy(&units));
                    }
                    i += 2;
                }
            }
            _ => {}
        }
        i += 1;
    }
    map
}

/// UTF-16BE bytes (with or without a byte-order mark) as text.
fn utf16(bytes: &[u8]) -> String {
    let bytes = bytes.strip_prefix(&[0xfe, 0xff]).unwrap_or(bytes);
    let units: Vec<u16> = bytes
        .chunks(2)
        .map(|pair| u16::from_be_bytes([pair[0], pair.get(1).copied().unwrap_or(0)]))
        .collect();
    String::from_utf16_lossy(&units)
}
