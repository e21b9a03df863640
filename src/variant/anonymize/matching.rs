//! Finding a value's words in text, and phone numbers by their digits.

/// A value as a sequence of words, matched in text with any run of
/// whitespace between them, optionally ignoring case and only as whole words
/// (no letter, digit or `_` either side). This is what the regexes
/// `(?i)\bA\s+B\b` did; building one regex per personal value cost more
/// than every search it then made (4% of a batch's instructions).
#[derive(Debug, Clone)]
pub(super) struct Words {
    words: Vec<Vec<char>>,
}

impl Words {
    pub(super) fn new(value: &str) -> Self {
        Self {
            words: value
                .split_whitespace()
                .map(|word| word.chars().collect())
                .collect(),
        }
    }

    /// Byte ranges of the non-overlapping occurrences, left to right.
    pub(super) fn find_all(
        &self,
        text: &str,
        whole_words: bool,
        ignore_case: bool,
    ) -> Vec<std::ops::Range<usize>> {
        let mut found = Vec::new();
        let Some(first) = self.words.first().and_then(|w| w.first()) else {
            return found;
        };
        let same = |a: char, b: char| {
            a == b
                || (ignore_case
                    && if a.is_ascii() && b.is_ascii() {
                        a.eq_ignore_ascii_case(&b)
                    } else {
                        a.to_lowercase().eq(b.to_lowercase())
                    })
        };
        let is_word = |c: char| c.is_alphanumeric() || c == '_';
        // Candidate starts: for an ASCII first letter, a byte scan (UTF-8
        // continuation bytes are never ASCII); otherwise every character.
        let starts: Box<dyn Iterator<Item = usize>> = if first.is_ascii() {
            let first = *first as u8;
            Box::new(
                text.bytes()
                    .enumerate()
                    .filter(move |(_, b)| {
                        *b == first || (ignore_case && b.eq_ignore_ascii_case(&first))
                    })
                    .map(|(i, _)| i),
            )
        } else {
            Box::new(
                text.char_indices()
                    .filter(|&(_, c)| same(c, *first))
                    .map(|(i, _)| i),
            )
        };
        let mut end_of_last = 0;
        for start in starts {
            if start < end_of_last {
                continue;
            }
            let Some(end) = self.match_at(text, start, same) else {
                continue;
            };
            if whole_words
                && (text[..start].chars().next_back().is_some_and(is_word)
                    || text[end..].chars().next().is_some_and(is_word))
            {
                continue;
            }
            found.push(start..end);
            end_of_last = end;
        }
        found
    }

    /// Where a match starting at `start` ends, if there is one.
    fn match_at(
        &self,
        text: &str,
        start: usize,
        same: impl Fn(char, char) -> bool,
    ) -> Option<usize> {
        let mut chars = text[start..].char_indices().peekable();
        for (index, word) in self.words.iter().enumerate() {
            if index > 0 {
                let mut spaces = 0;
                while chars.next_if(|(_, c)| c.is_whitespace()).is_some() {
                    spaces += 1;
                }
                if spaces == 0 {
                    return None;
                }
            }
            for &wanted in word {
                let (_, c) = chars.next()?;
                if !same(c, wanted) {
                    return None;
                }
            }
        }
        Some(chars.peek().map_or(text.len(), |(i, _)| start + i))
    }
}

pub(super) fn digits(text: &str) -> String {
    text.chars().filter(char::is_ascii_digit).collect()
}

pub(super) fn last_digits(text: &str) -> String {
    let all = digits(text);
    all[all.len().saturating_sub(7)..].to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_match_like_the_regexes_they_replace() {
        let name = Words::new("Reed  Allman");
        let text = "By reed\nALLMAN, not Reedallman or reed allmanx; Reed Allman.";
        let hits: Vec<&str> = name
            .find_all(text, true, true)
            .into_iter()
            .map(|r| &text[r])
            .collect();
        assert_eq!(hits, ["reed\nALLMAN", "Reed Allman"]);
        // Anywhere, as inside a link.
        let hits = Words::new("allman").find_all("rdallman.com", false, true);
        assert_eq!(hits, vec![2..8]);
        // Case-sensitive short names, and letters beyond ASCII.
        assert!(
            Words::new("Bo")
                .find_all("Bob and bo", true, false)
                .is_empty()
        );
        let hits = Words::new("Bo").find_all("Bob and Bo.", true, false);
        assert_eq!(hits, vec![8..10]);
        let hits = Words::new("garcía").find_all("Ana GARCÍA López", true, true);
        assert_eq!(hits, vec![4..11]);
        assert!(Words::new("Ana").find_all("Anaïs", true, true).is_empty());
    }
}
