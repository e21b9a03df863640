//! Inline Markdown (bold, italic, code, links) parsed into styled runs.
//!
//! Profile text is data: it reaches a layout as runs of plain strings with
//! flags, never as markup source. Only inline Markdown is recognised; block
//! syntax (headings, lists, quotes, code blocks) is neutralised so that a line
//! starting with `#`, `-`, `>` or `1.` prints as written. Paragraphs are
//! separated by blank lines.

use pulldown_cmark::{Event, Parser, Tag, TagEnd};
use serde::Serialize;
use unicode_normalization::char::is_combining_mark;

/// A piece of text with one style.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Run {
    pub text: String,
    #[serde(skip_serializing_if = "is_false")]
    pub strong: bool,
    #[serde(skip_serializing_if = "is_false")]
    pub emph: bool,
    #[serde(skip_serializing_if = "is_false")]
    pub code: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub link: Option<String>,
    /// A word longer than a line (a German compound, the name of a thing):
    /// layouts let it hyphenate rather than run off the page.
    #[serde(skip_serializing_if = "is_false")]
    pub hyphenate: bool,
}

fn is_false(value: &bool) -> bool {
    !*value
}

/// A paragraph: runs in reading order.
pub type Paragraph = Vec<Run>;

/// Splits text into paragraphs at blank lines and parses each one.
pub fn paragraphs(text: &str) -> Vec<Paragraph> {
    let mut paragraphs = Vec::new();
    let mut current = Vec::new();
    for line in text.lines() {
        if line.trim().is_empty() {
            if !current.is_empty() {
                paragraphs.push(inline(&current.join("\n")));
                current.clear();
            }
        } else {
            current.push(line);
        }
    }
    if !current.is_empty() {
        paragraphs.push(inline(&current.join("\n")));
    }
    paragraphs.retain(|p| !p.is_empty());
    paragraphs
}

/// Every link in Markdown text, allowed or not, as (target, link text): for
/// checking what a profile links to.
pub fn link_targets(text: &str) -> Vec<(String, String)> {
    let source = neutralise_blocks(text);
    let mut found: Vec<(String, String)> = Vec::new();
    let mut open = 0;
    for event in Parser::new(&source) {
        match event {
            Event::Start(Tag::Link { dest_url, .. } | Tag::Image { dest_url, .. }) => {
                found.push((dest_url.into_string(), String::new()));
                open += 1;
            }
            Event::End(TagEnd::Link | TagEnd::Image) => open -= 1,
            Event::Text(text) | Event::Code(text) if open > 0 => {
                if let Some((_, words)) = found.last_mut() {
                    words.push_str(&text);
                }
            }
            _ => {}
        }
    }
    found
}

/// Parses one paragraph of inline Markdown into runs. Line breaks become
/// spaces. Links are kept only if their target is allowed (`link`).
pub fn inline(text: &str) -> Paragraph {
    let source = neutralise_blocks(text);
    let mut runs: Vec<Run> = Vec::new();
    let (mut strong, mut emph) = (0usize, 0usize);
    // The targets of the links around the current text; a target that is
    // not allowed (see `link`) is kept as `None`: its text prints, unlinked.
    let mut links: Vec<Option<String>> = Vec::new();
    let push = |runs: &mut Vec<Run>,
                text: &str,
                code: bool,
                strong: usize,
                emph: usize,
                link: Option<&Option<String>>| {
        if text.is_empty() {
            return;
        }
        let run = Run {
            text: text.to_owned(),
            strong: strong > 0,
            emph: emph > 0,
            code,
            link: link.cloned().flatten(),
            hyphenate: false,
        };
        match runs.last_mut() {
            Some(last)
                if (last.strong, last.emph, last.code, &last.link)
                    == (run.strong, run.emph, run.code, &run.link) =>
            {
                last.text.push_str(&run.text)
            }
            _ => runs.push(run),
        }
    };
    for event in Parser::new(&source) {
        match event {
            Event::Start(Tag::Strong) => strong += 1,
            Event::End(TagEnd::Strong) => strong = strong.saturating_sub(1),
            Event::Start(Tag::Emphasis) => emph += 1,
            Event::End(TagEnd::Emphasis) => emph = emph.saturating_sub(1),
            Event::Start(Tag::Link { dest_url, .. }) => {
                links.push(Some(dest_url.into_string()).filter(|url| crate::link::is_allowed(url)))
            }
            Event::End(TagEnd::Link) => {
                links.pop();
            }
            Event::Text(text) | Event::InlineHtml(text) | Event::Html(text) => {
                push(&mut runs, &text, false, strong, emph, links.last())
            }
            Event::Code(text) => push(&mut runs, &text, true, strong, emph, links.last()),
            // A line break is a space, or nothing between two characters
            // of a script written without spaces (decided once all the
            // text is known: see `join_lines`).
            Event::SoftBreak | Event::HardBreak => {
                push(&mut runs, "\n", false, strong, emph, links.last())
            }
            Event::Start(Tag::Image { dest_url, .. }) => {
                // Images are not inline content of a CV: keep the alt text
                // and say where the image was.
                push(&mut runs, "", false, strong, emph, links.last());
                links.push(Some(dest_url.into_string()).filter(|url| crate::link::is_allowed(url)));
            }
            Event::End(TagEnd::Image) => {
                links.pop();
            }
            _ => {}
        }
    }
    join_lines(&mut runs);
    collapse_spaces(&mut runs);
    trim_edges(&mut runs);
    set_apart_long_words(runs)
}

/// Turns runs of spaces and tabs into one space, across runs too, as a
/// typesetter does with its own source: two spaces after a full stop
/// would otherwise print as a hole, which justified text widens. Code
/// keeps its spaces.
fn collapse_spaces(runs: &mut Vec<Run>) {
    let mut after_space = false;
    for run in runs.iter_mut() {
        if run.code {
            after_space = run.text.ends_with(' ');
            continue;
        }
        let mut text = String::with_capacity(run.text.len());
        for c in run.text.chars() {
            let space = c == ' ' || c == '\t';
            if space && after_space {
                continue;
            }
            text.push(if space { ' ' } else { c });
            after_space = space;
        }
        run.text = text;
    }
    runs.retain(|run| !run.text.is_empty());
}

/// Letters in a row from which a word is set apart to hyphenate: longer
/// than any ordinary word, shorter than a line of body text.
const LONG_WORD: usize = 24;

/// Gives each word of [`LONG_WORD`] letters or more a run of its own that
/// may hyphenate. Found here, once, rather than by a pattern the layout
/// applies to every text on every compile (which cost a fifth of a render).
fn set_apart_long_words(runs: Vec<Run>) -> Vec<Run> {
    let letter = |c: char| c.is_alphabetic() || is_combining_mark(c);
    let mut out = Vec::with_capacity(runs.len());
    for run in runs {
        if run.code || run.text.chars().filter(|c| letter(*c)).count() < LONG_WORD {
            out.push(run);
            continue;
        }
        // Byte ranges of the long words.
        let mut long = Vec::new();
        let mut start = None;
        let mut letters = 0;
        for (at, c) in run.text.char_indices().chain([(run.text.len(), ' ')]) {
            if letter(c) && at < run.text.len() {
                start.get_or_insert(at);
                letters += 1;
                continue;
            }
            if let Some(from) = start.take()
                && letters >= LONG_WORD
            {
                long.push(from..at);
            }
            letters = 0;
        }
        let mut at = 0;
        for range in long {
            let piece = |text: &str, hyphenate| Run {
                text: text.to_owned(),
                hyphenate,
                ..run.clone()
            };
            if range.start > at {
                out.push(piece(&run.text[at..range.start], false));
            }
            out.push(piece(&run.text[range.clone()], true));
            at = range.end;
        }
        if at < run.text.len() {
            out.push(Run {
                text: run.text[at..].to_owned(),
                ..run
            });
        }
    }
    out
}

/// Turns the line breaks of a paragraph into spaces, except between two
/// Chinese or Japanese characters, where a line break in the source is no
/// space on the page (people wrap long paragraphs in their editor).
fn join_lines(runs: &mut [Run]) {
    let all: Vec<char> = runs.iter().flat_map(|r| r.text.chars()).collect();
    let mut index = 0;
    for run in runs.iter_mut() {
        if !run.text.contains('\n') {
            index += run.text.chars().count();
            continue;
        }
        let mut text = String::with_capacity(run.text.len());
        for c in run.text.chars() {
            if c == '\n' {
                let before = all[..index].iter().rev().find(|c| !c.is_whitespace());
                let after = all[index + 1..].iter().find(|c| !c.is_whitespace());
                if !(before.copied().is_some_and(unspaced) && after.copied().is_some_and(unspaced))
                {
                    text.push(' ');
                }
            } else {
                text.push(c);
            }
            index += 1;
        }
        run.text = text;
    }
}

/// Chinese and Japanese characters and punctuation: written without
/// spaces (Korean spaces its words).
fn unspaced(c: char) -> bool {
    matches!(c as u32,
        0x3000..=0x30FF | 0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xF900..=0xFAFF | 0xFF00..=0xFF60
        | 0x20000..=0x2FA1F)
}

/// Escapes what would start a Markdown block at the beginning of a line, so
/// that only inline syntax takes effect. A backslash before ASCII punctuation
/// is Markdown's own escape, so the character itself is what prints.
fn neutralise_blocks(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 8);
    for (index, line) in text.lines().enumerate() {
        if index > 0 {
            out.push('\n');
        }
        // Indentation would make a code block; it carries no meaning here.
        let line = line.trim_start();
        let at = block_marker(line);
        out.push_str(&line[..at.unwrap_or(0)]);
        if at.is_some() {
            out.push('\\');
        }
        out.push_str(&line[at.unwrap_or(0)..]);
    }
    out
}

/// Where a backslash must go to stop `line` from opening a block, if anywhere.
fn block_marker(line: &str) -> Option<usize> {
    let rule = |c: char| line.len() >= 3 && line.chars().all(|x| x == c || x == ' ');
    let first = line.chars().next()?;
    match first {
        '#' | '>' | '-' | '+' | '=' => Some(0),
        '*' if line.starts_with("* ") || rule('*') => Some(0),
        '_' if rule('_') => Some(0),
        '`' | '~' if line.starts_with("```") || line.starts_with("~~~") => Some(0),
        c if c.is_ascii_digit() => {
            let digits = line.len() - line.trim_start_matches(|c: char| c.is_ascii_digit()).len();
            let rest = &line[digits..];
            let marker =
                rest.starts_with(['.', ')']) && (rest.len() == 1 || rest[1..].starts_with(' '));
            marker.then_some(digits)
        }
        _ => None,
    }
}

fn trim_edges(runs: &mut Vec<Run>) {
    if let Some(first) = runs.first_mut() {
        first.text = first.text.trim_start().to_owned();
    }
    if let Some(last) = runs.last_mut() {
        last.text = last.text.trim_end().to_owned();
    }
    runs.retain(|run| !run.text.is_empty());
}

/// The plain text of runs, as a reader would see it.
pub fn plain(runs: &[Run]) -> String {
    runs.iter().map(|run| run.text.as_str()).collect()
}

/// Where the sentences of a paragraph end, as byte offsets into its plain
/// text: after the closing punctuation (and any quote or bracket closing
/// with it). The last sentence ends at the end, whether or not it has a
/// full stop. A full stop counts only before a capital letter, a digit or an
/// opening quote, and not after a word of one or two letters ("e.g.",
/// "Dr.", "St."), so that an abbreviation does not end a sentence; the
/// stops of Chinese, Japanese, Devanagari and Arabic need no space.
pub fn sentence_ends(runs: &[Run]) -> Vec<usize> {
    let text = plain(runs);
    let chars: Vec<(usize, char)> = text.char_indices().collect();
    let mut ends = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let (_, c) = chars[i];
        let spaceless = matches!(c, '。' | '！' | '？' | '।' | '॥');
        if !(spaceless || matches!(c, '.' | '!' | '?' | '…' | '؟')) {
            i += 1;
            continue;
        }
        // Closing punctuation runs on: "?!", "...", a closing quote.
        let mut j = i + 1;
        while j < chars.len()
            && matches!(
                chars[j].1,
                '.' | '!' | '?' | '"' | '\'' | '”' | '’' | ')' | '」' | '』'
            )
        {
            j += 1;
        }
        let end = chars.get(j).map_or(text.len(), |(at, _)| *at);
        let next = chars[j..]
            .iter()
            .find(|(_, c)| !c.is_whitespace())
            .map(|(_, c)| *c);
        let spaced = chars.get(j).is_some_and(|(_, c)| c.is_whitespace());
        let word: String = chars[..i]
            .iter()
            .rev()
            .take_while(|(_, c)| c.is_alphanumeric() || matches!(c, '.' | '\'' | '’'))
            .map(|(_, c)| *c)
            .collect();
        let abbreviation = c == '.' && is_abbreviation(&word);
        let starts_sentence = next.is_some_and(|n| {
            n.is_uppercase()
                || n.is_numeric()
                || matches!(n, '"' | '“' | '‘' | '(' | '¿' | '¡')
                || !n.is_lowercase() && n.is_alphabetic()
        });
        if next.is_some() && (spaceless || (spaced && starts_sentence && !abbreviation)) {
            ends.push(end);
        }
        i = j;
    }
    if !text.trim().is_empty() {
        ends.push(text.len());
    }
    ends
}

/// Whether the word before a full stop (read backwards, as collected) is an
/// initial or an abbreviation that does not end a sentence.
fn is_abbreviation(reversed: &str) -> bool {
    const WORDS: [&str; 16] = [
        "mr", "mrs", "ms", "dr", "prof", "st", "jr", "sr", "vs", "etc", "no", "nr", "ca", "approx",
        "dept", "fig",
    ];
    let word: String = reversed.chars().rev().collect::<String>().to_lowercase();
    word.contains('.') || word.chars().count() == 1 || WORDS.contains(&word.as_str())
}

/// The paragraph's first `count` sentences (see [`sentence_ends`]), styles
/// and links kept, trailing space removed.
pub fn first_sentences(runs: &[Run], count: usize) -> Paragraph {
    let ends = sentence_ends(runs);
    let Some(&cut) = ends.get(count.max(1) - 1) else {
        return runs.to_vec();
    };
    let mut kept = Vec::new();
    let mut at = 0;
    for run in runs {
        if at >= cut {
            break;
        }
        let take = (cut - at).min(run.text.len());
        kept.push(Run {
            text: run.text[..take].to_owned(),
            ..run.clone()
        });
        at += run.text.len();
    }
    trim_edges(&mut kept);
    kept
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(source: &str) -> String {
        plain(&inline(source))
    }

    #[test]
    fn runs_of_spaces_print_as_one() {
        assert_eq!(
            text("Done.  Next.\tThen   **more**  and"),
            "Done. Next. Then more and"
        );
        assert_eq!(text("a  \n  b"), "a b");
        // Code keeps its spaces.
        let runs = inline("run `a  b`  now");
        assert_eq!(plain(&runs), "run a  b now");
    }

    #[test]
    fn styles_become_flags_not_markup() {
        let runs = inline("plain **bold** *it* `x<y` [site](https://example.org)");
        let styled: Vec<_> = runs
            .iter()
            .map(|r| (r.text.as_str(), r.strong, r.emph, r.code))
            .collect();
        assert_eq!(
            styled,
            [
                ("plain ", false, false, false),
                ("bold", true, false, false),
                (" ", false, false, false),
                ("it", false, true, false),
                (" ", false, false, false),
                ("x<y", false, false, true),
                (" ", false, false, false),
                ("site", false, false, false),
            ]
        );
        assert_eq!(
            runs.last().unwrap().link.as_deref(),
            Some("https://example.org")
        );
    }

    #[test]
    fn typst_and_block_syntax_stays_literal() {
        for source in [
            "#read(\"/etc/passwd\")",
            "$x^2$",
            "<label>",
            "@ref",
            "a \\ b",
            "]",
            "# not a heading",
            "- not a list",
            "1. not a list",
            "> not a quote",
            "* unpaired",
            "2 * 3 = 6",
            "---",
            "C:\\path\\file",
        ] {
            assert_eq!(text(source), source, "source {source:?}");
        }
    }

    #[test]
    fn sentences_end_at_stops_but_not_at_abbreviations() {
        let count = |source: &str| sentence_ends(&inline(source)).len();
        assert_eq!(count("One. Two! Three? Four"), 4);
        assert_eq!(count("Wrote it in Rust, e.g. the parser. Then more."), 2);
        assert_eq!(count("Met Dr. Smith at St. Mary's. It went well."), 2);
        assert_eq!(count("Version 2.0 shipped. 3 teams used it."), 2);
        assert_eq!(count("He said \"stop.\" Then left."), 2);
        assert_eq!(count("ends in lower case. still one"), 1);
        assert_eq!(count("我喜欢存储。我也喜欢数据库。"), 2);
        assert_eq!(count(""), 0);
        let para = inline("First **bold.** Second [link](https://example.org). Third.");
        assert_eq!(plain(&first_sentences(&para, 1)), "First bold.");
        let two = first_sentences(&para, 2);
        assert_eq!(plain(&two), "First bold. Second link.");
        assert!(two.iter().any(|run| run.strong));
        assert!(two.iter().any(|run| run.link.is_some()));
        assert_eq!(first_sentences(&para, 9), para);
    }

    #[test]
    fn paragraphs_split_at_blank_lines_and_join_lines() {
        let paras = paragraphs("one\ntwo\n\n\nthree\n");
        let texts: Vec<_> = paras.iter().map(|p| plain(p)).collect();
        assert_eq!(texts, ["one two", "three"]);
    }

    #[test]
    fn words_longer_than_a_line_get_a_run_that_may_hyphenate() {
        let word = "Donaudampfschifffahrtsgesellschaftskapitän";
        let runs = inline(&format!("A **{word}** and {word}s."));
        let parts: Vec<_> = runs
            .iter()
            .map(|r| (r.text.as_str(), r.strong, r.hyphenate))
            .collect();
        let plural = format!("{word}s");
        assert_eq!(
            parts,
            [
                ("A ", false, false),
                (word, true, true),
                (" and ", false, false),
                (plural.as_str(), false, true),
                (".", false, false),
            ]
        );
        assert!(
            inline("An ordinary sentence of ordinary words.")
                .iter()
                .all(|r| !r.hyphenate)
        );
    }

    #[test]
    fn lines_of_chinese_and_japanese_join_without_a_space() {
        let text = |source: &str| plain(&paragraphs(source)[0]);
        assert_eq!(
            text("八年经验，\n负责过支付平台"),
            "八年经验，负责过支付平台"
        );
        assert_eq!(text("経験が\n**あります**。"), "経験があります。");
        // Korean spaces its words; Latin beside CJK keeps the space.
        assert_eq!(text("개발자\n입니다"), "개발자 입니다");
        assert_eq!(text("使用\nRust 开发"), "使用 Rust 开发");
    }
}
