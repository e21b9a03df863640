//! What an applicant tracking system reads of a document: the text of the
//! PDF as an extractor gets it, set against what the layout was given to
//! print (the layout data, `cv.json`). A value of the profile counts as read
//! when its words come out whole and in order, within its section in the
//! order the profile gives them; page furniture (the page label, the running
//! name) must stand on lines of its own and never between two halves of a
//! value, section headings on lines of their own too; email, phone
//! and links must come out unbroken, and an entry's dates on a line of its
//! head.
//!
//! `cvgen check --ats` runs this on every document it makes; the test suite
//! runs it with a second, independent extractor too.

mod extract;

use std::fmt;

use serde_json::Value as Json;

pub use extract::{Pages, read};

/// What an extractor read of one document.
#[derive(Debug, Default)]
pub struct Review {
    /// Words the document was given to print.
    pub words: usize,
    /// Of those, the words read whole and in order.
    pub read: usize,
    /// What an applicant tracking system would read badly.
    pub findings: Vec<Finding>,
}

impl Review {
    /// The share of the document's words read whole and in order.
    pub fn recall(&self) -> f64 {
        if self.words == 0 {
            1.0
        } else {
            self.read as f64 / self.words as f64
        }
    }
}

/// One thing read badly.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Finding {
    /// A value's words do not come out together and in order.
    NotWhole { text: String },
    /// A value comes out whole, but before what precedes it in its section.
    OutOfOrder { text: String },
    /// A section heading shares its line with other text.
    HeadingNotAlone { heading: String, line: String },
    /// An email address, phone number or link is broken up.
    ContactBroken { text: String },
    /// Page furniture shares a line with the text.
    Furniture { furniture: String, line: String },
    /// An entry's dates are not on a line of its head.
    DatesApart { entry: String },
    /// A value's words run from one page onto the next: the page's
    /// furniture (its number, the running name) comes between its halves
    /// in what a parser reads. Not counted as read.
    CrossesPage { page: usize, text: String },
    /// Text runs past the edge of the page: in the text layer, but not
    /// on the page a person reads.
    OffPage { page: usize, text: String },
}

impl fmt::Display for Finding {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        match self {
            Self::NotWhole { text } => write!(f, "“{}” is not read whole", excerpt(text)),
            Self::OutOfOrder { text } => {
                write!(f, "“{}” is read out of its section's order", excerpt(text))
            }
            Self::HeadingNotAlone { heading, line } => write!(
                f,
                "the heading “{heading}” is not on a line of its own: “{}”",
                excerpt(line)
            ),
            Self::ContactBroken { text } => write!(f, "“{text}” is broken up"),
            Self::Furniture { furniture, line } => write!(
                f,
                "the page furniture “{furniture}” is read inside the text: “{}”",
                excerpt(line)
            ),
            Self::DatesApart { entry } => write!(
                f,
                "the dates of “{}” are not on a line of its own",
                excerpt(entry)
            ),
            Self::CrossesPage { page, text } => write!(
                f,
                "“{}” runs from page {page} onto the next: a parser reads the page's number \
                 and running name inside it",
                excerpt(text)
            ),
            Self::OffPage { page, text } => write!(
                f,
                "“{}” runs off page {page}: a reader sees it cut, a tracking system whole",
                excerpt(text)
            ),
        }
    }
}

/// The first words of a long text.
fn excerpt(text: &str) -> String {
    let words: Vec<&str> = text.split_whitespace().collect();
    if words.len() <= 8 {
        words.join(" ")
    } else {
        format!("{} …", words[..8].join(" "))
    }
}

/// Reviews the text an extractor read (`pages` of lines) against the layout
/// data the document was made from.
pub fn review(data: &Json, pages: &Pages) -> Review {
    let printed = Printed::of(data);
    let text = Text::of(pages, &printed);
    let mut review = Review {
        findings: text.furniture_findings.clone(),
        ..Review::default()
    };
    let mut entry_lines: Vec<Vec<usize>> = vec![Vec::new(); printed.dated.len()];
    for group in &printed.groups {
        let mut cursor: Option<usize> = None;
        for value in &group.values {
            let words = words(&value.text);
            if words.is_empty() {
                continue;
            }
            review.words += words.len();
            let after = cursor.unwrap_or(0);
            // A heading is looked for on a line of its own first: the same
            // word may come earlier in the text ("experience").
            let alone = value
                .heading
                .then(|| text.find_alone(&words, after))
                .flatten();
            match alone.or_else(|| text.find(&words, after)) {
                Some(at) => {
                    cursor = Some(at + words.len());
                    if let Some(finding) = text.split(at, words.len(), &value.text) {
                        review.findings.push(finding);
                        continue;
                    }
                    review.read += words.len();
                    if value.heading && alone.is_none() {
                        review.findings.push(Finding::HeadingNotAlone {
                            heading: value.text.clone(),
                            line: text.line_of(at).to_owned(),
                        });
                    }
                    if let Some(entry) = value.entry {
                        entry_lines[entry].push(text.word_lines[at]);
                    }
                }
                None => match text.find(&words, 0) {
                    Some(at) if cursor.is_some() => {
                        review.findings.push(Finding::OutOfOrder {
                            text: value.text.clone(),
                        });
                        cursor = Some(at + words.len());
                    }
                    _ => review.findings.push(Finding::NotWhole {
                        text: value.text.clone(),
                    }),
                },
            }
        }
    }
    for contact in &printed.contacts {
        if !text
            .lines
            .iter()
            .any(|line| line.contains(contact.as_str()))
        {
            review.findings.push(Finding::ContactBroken {
                text: contact.clone(),
            });
        }
    }
    for ((entry, years), lines) in printed.dated.iter().zip(&entry_lines) {
        let on_head = years.iter().all(|year| {
            lines
                .iter()
                .any(|&line| text.lines[line].contains(year.as_str()))
        });
        if !lines.is_empty() && !on_head {
            review.findings.push(Finding::DatesApart {
                entry: entry.clone(),
            });
        }
    }
    review
}

/// A printed value, in profile order.
struct Value {
    text: String,
    heading: bool,
    /// For a value of a dated entry's head, the entry (in `Printed::dated`).
    entry: Option<usize>,
}

/// Values printed together, in the profile's order: the header, a
/// section, the letter.
#[derive(Default)]
struct Group {
    values: Vec<Value>,
}

/// What the layout data asks a layout to print.
#[derive(Default)]
struct Printed {
    groups: Vec<Group>,
    /// Email, phone and link texts, as printed.
    contacts: Vec<String>,
    /// Dated entries: their first value and the years their dates show.
    dated: Vec<(String, Vec<String>)>,
    /// The page label's pattern and the running name.
    page_label: String,
    name: Option<String>,
}

impl Printed {
    fn of(data: &Json) -> Self {
        let text = |value: &Json| value.as_str().map(str::to_owned);
        let mut printed = Self {
            page_label: data["words"]["page"]
                .as_str()
                .unwrap_or("Page {n} of {total}")
                .to_owned(),
            name: text(&data["basics"]["name"]),
            ..Self::default()
        };
        let mut header = Group::default();
        let basics = &data["basics"];
        for key in ["name", "label"] {
            header.push(text(&basics[key]));
        }
        for contact in basics["contact"].as_array().into_iter().flatten() {
            let shown = text(&contact["text"]);
            if matches!(contact["kind"].as_str(), Some("email" | "phone" | "url"))
                && let Some(shown) = &shown
            {
                printed.contacts.push(shown.clone());
            }
            header.push(shown);
        }
        printed.groups.push(header);
        for section in data["sections"].as_array().into_iter().flatten() {
            let mut group = Group::default();
            let titled = section["titled"].as_bool().unwrap_or(true);
            let kind = section["kind"].as_str().unwrap_or_default();
            let heading = match data["words"]["titles"][kind].as_str() {
                Some(title) if !titled => Some(title.to_owned()),
                _ => text(&section["title"]),
            };
            if let Some(heading) = heading.filter(|h| !h.trim().is_empty()) {
                group.values.push(Value {
                    text: heading,
                    heading: true,
                    entry: None,
                });
            }
            group.push(text(&section["subtitle"]));
            group.paragraphs(&section["body"]);
            group.bullets(&section["items"]);
            for entry in section["entries"].as_array().into_iter().flatten() {
                let head: Vec<String> = ["title", "org", "location", "detail"]
                    .iter()
                    .filter_map(|key| text(&entry[key]))
                    .collect();
                let years: Vec<String> = [&entry["start"], &entry["end"]]
                    .into_iter()
                    .filter_map(|date| Some(date.get("year")?.to_string()))
                    .collect();
                let dated = (!years.is_empty() && !head.is_empty()).then(|| {
                    printed.dated.push((head[0].clone(), years));
                    printed.dated.len() - 1
                });
                for value in head {
                    group.push(Some(value));
                    if let Some(last) = group.values.last_mut() {
                        last.entry = dated;
                    }
                }
                group.paragraphs(&entry["summary"]);
                group.bullets(&entry["highlights"]);
                for part in entry["parts"].as_array().into_iter().flatten() {
                    group.paragraphs(&part["summary"]);
                    group.bullets(&part["highlights"]);
                }
                for keyword in entry["keywords"].as_array().into_iter().flatten() {
                    group.push(text(keyword));
                }
            }
            printed.groups.push(group);
        }
        let letter = &data["letter"];
        if letter.is_object() {
            let mut group = Group::default();
            group.push(text(&letter["recipient"]));
            for line in letter["address"].as_array().into_iter().flatten() {
                group.push(text(line));
            }
            for key in ["place", "date", "subject", "salutation"] {
                group.push(text(&letter[key]));
            }
            group.paragraphs(&letter["body"]);
            for key in ["closing", "signature"] {
                group.push(text(&letter[key]));
            }
            printed.groups.push(group);
        }
        printed
    }
}

impl Group {
    fn push(&mut self, text: Option<String>) {
        if let Some(text) = text.filter(|t| !t.trim().is_empty()) {
            self.values.push(Value {
                text,
                heading: false,
                entry: None,
            });
        }
    }

    /// Paragraphs of runs: each paragraph one value.
    fn paragraphs(&mut self, paragraphs: &Json) {
        for paragraph in paragraphs.as_array().into_iter().flatten() {
            self.push(Some(runs(paragraph)));
        }
    }

    /// Bullets, nested: each bullet one value, then its children.
    fn bullets(&mut self, bullets: &Json) {
        for bullet in bullets.as_array().into_iter().flatten() {
            self.push(Some(runs(&bullet["text"])));
            self.bullets(&bullet["items"]);
        }
    }
}

/// A paragraph's runs as one text.
fn runs(runs: &Json) -> String {
    runs.as_array()
        .into_iter()
        .flatten()
        .filter_map(|run| run["text"].as_str())
        .collect()
}

/// The words of a text, lowercased: letters, marks and digits; everything
/// else separates them.
pub fn words(text: &str) -> Vec<String> {
    let mut words = Vec::new();
    for word in text
        .split(|c: char| !(c.is_alphanumeric() || is_mark(c)))
        .filter(|w| !w.is_empty())
    {
        // Scripts written without spaces between words wrap anywhere, and
        // an extractor ends the line there: each letter (with its marks)
        // counts as a word of its own.
        let mut start = 0;
        let mut in_unspaced = false;
        for (at, c) in word.char_indices() {
            if is_mark(c) {
                continue;
            }
            if at > start && (unspaced(c) || in_unspaced) {
                words.push(fold(&word[start..at]));
                start = at;
            }
            in_unspaced = unspaced(c);
        }
        words.push(fold(&word[start..]));
    }
    words
}

/// A word without its case, as a heading set in capitals reads: Turkish
/// "HAKKIMDA" is "Hakkımda", German "MASSNAHMEN" is "Maßnahmen".
fn fold(word: &str) -> String {
    word.to_lowercase()
        .replace("i\u{307}", "i")
        .replace('ı', "i")
        .replace('ß', "ss")
}

/// Whether a letter (not a mark) is of a script written without spaces
/// between words: Chinese, Japanese, Thai, Lao, Khmer, Myanmar.
fn unspaced(c: char) -> bool {
    matches!(c,
        '\u{0E00}'..='\u{0EFF}'   // Thai, Lao
        | '\u{1000}'..='\u{109F}' // Myanmar
        | '\u{1780}'..='\u{17FF}' // Khmer
        | '\u{3040}'..='\u{30FF}' // Hiragana, Katakana
        | '\u{3400}'..='\u{4DBF}' // CJK extension A
        | '\u{4E00}'..='\u{9FFF}' // CJK unified ideographs
        | '\u{F900}'..='\u{FAFF}' // CJK compatibility ideographs
        | '\u{20000}'..='\u{3134F}')
}

/// Combining marks belong to the word they sit in (Devanagari vowel signs,
/// Thai tone marks, Arabic harakat).
fn is_mark(c: char) -> bool {
    use unicode_normalization::char::is_combining_mark;
    is_combining_mark(c)
}

/// The extracted text without its furniture: words, and the line each
/// word came from.
struct Text {
    lines: Vec<String>,
    words: Vec<String>,
    word_lines: Vec<usize>,
    /// The page (from 0) of each word.
    word_pages: Vec<usize>,
    /// Furniture read on a line of its own, and the index of the word it
    /// came before: inside a value, a parser reads it as part of the value.
    furniture_breaks: Vec<(usize, String)>,
    furniture_findings: Vec<Finding>,
}

impl Text {
    fn of(pages: &Pages, printed: &Printed) -> Self {
        let total = pages.len();
        let mut text = Text {
            lines: Vec::new(),
            words: Vec::new(),
            word_lines: Vec::new(),
            word_pages: Vec::new(),
            furniture_breaks: Vec::new(),
            furniture_findings: Vec::new(),
        };
        for (index, page) in pages.iter().enumerate() {
            let label = printed
                .page_label
                .replace("{n}", &(index + 1).to_string())
                .replace("{total}", &total.to_string());
            // The page label anywhere; the running name where it is drawn,
            // at the top of every page but the first.
            let label = (total > 1).then_some(label);
            let running = printed.name.as_ref().filter(|_| index > 0);
            for (at, line) in page.iter().enumerate() {
                if label.as_ref() == Some(line) || running == Some(line) {
                    text.furniture_breaks.push((text.words.len(), line.clone()));
                    continue;
                }
                let line_words = words(line);
                let inside = |piece: &str| {
                    let piece = words(piece);
                    !piece.is_empty()
                        && line_words.len() > piece.len()
                        && line_words
                            .windows(piece.len())
                            .any(|w| w == piece.as_slice())
                };
                let found = label
                    .as_ref()
                    .filter(|label| inside(label))
                    .or(running.filter(|name| at == 0 && inside(name)));
                if let Some(piece) = found {
                    text.furniture_findings.push(Finding::Furniture {
                        furniture: piece.clone(),
                        line: line.clone(),
                    });
                }
                let number = text.lines.len();
                for word in line_words {
                    text.words.push(word);
                    text.word_lines.push(number);
                    text.word_pages.push(index);
                }
                text.lines.push(line.clone());
            }
        }
        text
    }

    /// What a parser reads between the words at `at..at + len` of a value
    /// found whole: the page's end, or furniture on a line of its own.
    fn split(&self, at: usize, len: usize, value: &str) -> Option<Finding> {
        if self.word_pages[at] != self.word_pages[at + len - 1] {
            return Some(Finding::CrossesPage {
                page: self.word_pages[at] + 1,
                text: value.to_owned(),
            });
        }
        self.furniture_breaks
            .iter()
            .find(|(before, _)| (at + 1..at + len).contains(before))
            .map(|(_, furniture)| Finding::Furniture {
                furniture: furniture.clone(),
                line: value.to_owned(),
            })
    }

    /// Where `needle` starts as a run of whole words, at or after `from`.
    fn find(&self, needle: &[String], from: usize) -> Option<usize> {
        if needle.is_empty() || self.words.len() < needle.len() {
            return None;
        }
        (from..=self.words.len() - needle.len())
            .find(|&at| self.words[at..at + needle.len()] == *needle)
    }

    /// Where `needle` fills a line alone, at or after `from`.
    fn find_alone(&self, needle: &[String], from: usize) -> Option<usize> {
        let mut from = from;
        while let Some(at) = self.find(needle, from) {
            if self.alone_on_line(at, needle.len()) {
                return Some(at);
            }
            from = at + 1;
        }
        None
    }

    /// Whether the words at `at..at + len` fill their line alone.
    fn alone_on_line(&self, at: usize, len: usize) -> bool {
        let line = self.word_lines[at];
        let end = at + len;
        self.word_lines[at..end].iter().all(|&l| l == line)
            && (at == 0 || self.word_lines[at - 1] != line)
            && (end == self.words.len() || self.word_lines[end] != line)
    }

    fn line_of(&self, at: usize) -> &str {
        &self.lines[self.word_lines[at]]
    }
}
