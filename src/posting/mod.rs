//! A job posting, read for what it asks: its terms, each counted, and
//! found (or not) in a document's text. Deterministic and explainable: a
//! term is a word of the posting (or a phrase the person lists), matched as
//! a word with the language's folding: case, accents and, where a stemmer
//! for the language exists, inflection ("microservices" meets
//! "microservice", "Datenbanken" meets "Datenbank"). Technology names keep
//! their punctuation and are matched whole (`C++`, `C#`, `.NET`,
//! `Node.js`, `CI/CD`); "Go" capitalised is the language, "go" a word.
//! Stop words of the language, the words every posting uses about itself
//! ("experience", "team"), and its boilerplate (benefits, the company,
//! equal-opportunity text: whole paragraphs under such a heading, and
//! sentences with such words) do not count.

mod words;

use std::collections::{BTreeMap, BTreeSet};

use rust_stemmers::{Algorithm, Stemmer};
use unicode_normalization::UnicodeNormalization;
use unicode_normalization::char::is_combining_mark;

/// The terms of a posting, most used first.
#[derive(Debug, Clone, Default)]
pub struct Terms {
    pub terms: Vec<Term>,
    language: String,
}

/// One thing a posting asks for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Term {
    /// As the posting (or the person's list) writes it.
    pub text: String,
    /// Its words, folded: what is matched.
    keys: Vec<String>,
    /// How often the posting uses it.
    pub count: usize,
    /// Whether the person listed it (`keywords`).
    pub listed: bool,
}

/// Words capitalised in a posting that name a technology although the
/// lowercase word is an ordinary one.
const CAPITALISED_NAMES: &[&str] = &["Go", "C", "R", "D", "Rust", "Swift", "Dart", "Elm"];

impl Terms {
    /// The terms of a posting's text and of the words the person lists, in
    /// `language` (a language file's code: `en`, `de`, `zh-TW`).
    pub fn read(posting: &str, keywords: &[String], language: &str) -> Self {
        Self::read_for(posting, keywords, language, "")
    }

    /// The same, leaving out the words of the company's name (`Acme`
    /// in Acme's own posting says nothing about the job).
    pub fn read_for(posting: &str, keywords: &[String], language: &str, company: &str) -> Self {
        let language = language.split('-').next().unwrap_or(language).to_owned();
        let folder = Folder::new(&language);
        let stop: BTreeSet<&str> = words::stop_words(&language).iter().copied().collect();
        let company: BTreeSet<String> = tokens(company)
            .iter()
            .map(|t| folder.key(&t.text))
            .collect();
        // key -> (count, first seen, shown as, named)
        let mut counted: BTreeMap<String, (usize, usize, String, bool)> = BTreeMap::new();
        let mut order = 0;
        let kept = without_boilerplate(posting);
        let all_tokens: Vec<Vec<Token>> = kept.iter().map(|s| tokens(s)).collect();
        for sentence in &all_tokens {
            // A list item of a word or three ("Terraform", "Apache Kafka")
            // names things even at its start.
            let item = sentence.iter().filter(|t| worth_a_term(&t.text)).count() <= 3;
            for (i, token) in sentence.iter().enumerate() {
                let lower = token.text.to_lowercase().replace('’', "'");
                let named = CAPITALISED_NAMES.contains(&token.text.as_str()) && i > 0;
                if !named && (stop.contains(lower.as_str()) || !worth_a_term(&token.text)) {
                    continue;
                }
                let key = folder.key(&token.text);
                if company.contains(&key) {
                    continue;
                }
                let entry = counted.entry(key).or_insert_with(|| {
                    order += 1;
                    (0, order, shown(&token.text, i == 0), false)
                });
                entry.0 += 1;
                // A name: a capital inside a sentence (a noun in German),
                // or the punctuation, digits or inner capitals of a
                // technology's name.
                let capital = token.text.chars().next().is_some_and(char::is_uppercase);
                if (capital && (i > 0 || item)) || technical(&token.text) {
                    if !entry.3 {
                        entry.2.clone_from(&token.text);
                    }
                    entry.3 = true;
                }
            }
        }
        // A word used once is a term if it names something; an ordinary
        // word must come back to count.
        counted.retain(|_, (count, _, _, named)| *count >= 2 || *named);
        let mut terms: Vec<(usize, Term)> = counted
            .into_iter()
            .map(|(key, (count, first, text, _))| {
                let term = Term {
                    text,
                    keys: vec![key],
                    count,
                    listed: false,
                };
                (first, term)
            })
            .collect();
        for keyword in keywords.iter().map(|k| k.trim()).filter(|k| !k.is_empty()) {
            let keys: Vec<String> = tokens(keyword)
                .iter()
                .map(|t| folder.key(&t.text))
                .collect();
            if keys.is_empty() {
                continue;
            }
            let count = all_tokens
                .iter()
                .map(|sentence| {
                    let sentence: Vec<String> =
                        sentence.iter().map(|t| folder.key(&t.text)).collect();
                    occurrences(&sentence, &keys)
                })
                .sum();
            // A listed word the posting also uses is one term, listed.
            terms.retain(|(_, term)| term.keys != keys);
            terms.push((
                0,
                Term {
                    text: keyword.to_owned(),
                    keys,
                    count,
                    listed: true,
                },
            ));
        }
        terms.sort_by(|(a_first, a), (b_first, b)| {
            b.listed
                .cmp(&a.listed)
                .then(b.count.cmp(&a.count))
                .then(a_first.cmp(b_first))
        });
        Terms {
            terms: terms.into_iter().map(|(_, term)| term).collect(),
            language,
        }
    }

    /// Which terms (by index) a text mentions.
    pub fn found_in(&self, text: &str) -> Vec<usize> {
        let folder = Folder::new(&self.language);
        let tokens = tokens(text);
        let keys: Vec<String> = tokens.iter().map(|t| folder.key(&t.text)).collect();
        // A CV's "C/C++" or "CI/CD" shows C++ and CD as well.
        let parts: Vec<String> = tokens
            .iter()
            .filter(|t| t.text.contains('/'))
            .flat_map(|t| {
                t.text
                    .split('/')
                    .map(|part| folder.key(part))
                    .collect::<Vec<_>>()
            })
            .collect();
        let set: BTreeSet<&str> = keys.iter().chain(&parts).map(String::as_str).collect();
        self.terms
            .iter()
            .enumerate()
            .filter(|(_, term)| match term.keys.as_slice() {
                [one] => set.contains(one.as_str()),
                many => occurrences(&keys, many) > 0,
            })
            .map(|(i, _)| i)
            .collect()
    }
}

/// Which of a posting's terms a document shows: for each term, whether
/// the one page shows it, only the long form (and what fitting dropped
/// that held it), or neither.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct Coverage {
    /// Whether a one-page version was compared (else only the long form).
    pub one_page: bool,
    pub terms: Vec<Covered>,
}

/// One term, and where it is shown.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct Covered {
    pub term: String,
    /// How often the posting uses it.
    pub count: usize,
    /// Whether the person listed it (`keywords`).
    pub listed: bool,
    /// `one_page`, `long_form` (the long form shows it; the one page, if
    /// compared, does not) or `missing` (the CV never mentions it).
    #[serde(rename = "where")]
    pub place: String,
    /// For a term the one page lost: what fitting dropped that held it.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub dropped_by: Vec<String>,
}

impl Coverage {
    /// Compares the terms with the long form's text and, if there is one,
    /// the one page's; `removed` is what fitting took away, each with its
    /// text.
    pub fn new(
        terms: &Terms,
        long: &str,
        page: Option<&str>,
        removed: &[(String, String)],
    ) -> Self {
        let in_long = terms.found_in(long);
        let in_page = page.map(|page| terms.found_in(page));
        // Each removed text is read once, not once per term.
        let in_removed: Vec<(&String, Vec<usize>)> = removed
            .iter()
            .map(|(what, text)| (what, terms.found_in(text)))
            .collect();
        let covered = terms
            .terms
            .iter()
            .enumerate()
            .map(|(i, term)| {
                let (place, dropped_by) = match (&in_page, in_long.contains(&i)) {
                    (Some(page), _) if page.contains(&i) => ("one_page", Vec::new()),
                    (_, false) => ("missing", Vec::new()),
                    (None, true) => ("long_form", Vec::new()),
                    (Some(_), true) => {
                        let by = in_removed
                            .iter()
                            .filter(|(_, found)| found.contains(&i))
                            .map(|(what, _)| (*what).clone())
                            .collect();
                        ("long_form", by)
                    }
                };
                Covered {
                    term: term.text.clone(),
                    count: term.count,
                    listed: term.listed,
                    place: place.to_owned(),
                    dropped_by,
                }
            })
            .collect();
        Coverage {
            one_page: page.is_some(),
            terms: covered,
        }
    }
}

/// How often `phrase` occurs in `words`.
fn occurrences(words: &[String], phrase: &[String]) -> usize {
    if phrase.is_empty() || words.len() < phrase.len() {
        return 0;
    }
    words.windows(phrase.len()).filter(|w| *w == phrase).count()
}

/// How a word first seen at a sentence's start is shown: lowercase,
/// unless its capitals are its own (`PostgreSQL`, `AWS`).
fn shown(word: &str, starts_sentence: bool) -> String {
    if starts_sentence && !technical(word) {
        word.to_lowercase()
    } else {
        word.to_owned()
    }
}

/// Whether a word is shaped like a technology's name: digits, `+#./`, or
/// capitals after its first letter.
fn technical(word: &str) -> bool {
    word.chars()
        .any(|c| c.is_ascii_digit() || matches!(c, '+' | '#' | '.' | '/'))
        || word.chars().skip(1).any(char::is_uppercase)
}

/// Whether a word can be a term: two letters or more (or a name with
/// punctuation such as `C#`), not a number.
fn worth_a_term(word: &str) -> bool {
    let letters = word.chars().filter(|c| c.is_alphabetic()).count();
    letters >= 2 || (letters >= 1 && word.chars().any(|c| matches!(c, '+' | '#')))
}

/// The posting's text without its boilerplate, as sentences: paragraphs
/// under a heading about benefits, the company or equal opportunity go
/// whole, and so does any other sentence with such words.
fn without_boilerplate(posting: &str) -> Vec<String> {
    let mut kept = Vec::new();
    let mut skipping = false;
    for line in posting.lines() {
        // A list item is never a heading, however short ("- Employee
        // discount" under "Benefits").
        let item = line.trim_start().starts_with(['-', '*', '•', '–', '·']);
        let trimmed = line
            .trim()
            .trim_start_matches(['-', '*', '•', '–', '·', '#', ' ']);
        if trimmed.is_empty() {
            continue;
        }
        let lower = trimmed.to_lowercase();
        // "Location: Berlin", "Salary: ...": facts about the job, not what
        // it asks for.
        if let Some((label, _)) = lower.split_once(':')
            && words::FACT_LABELS.iter().any(|fact| label.trim() == *fact)
        {
            continue;
        }
        let is_boilerplate =
            words::BOILERPLATE.iter().any(|cue| lower.contains(cue)) || about_the_company(&lower);
        if !item && is_heading(trimmed) {
            skipping = is_boilerplate;
            if !skipping {
                kept.push(trimmed.to_owned());
            }
            continue;
        }
        if skipping {
            continue;
        }
        for sentence in sentences(trimmed) {
            let lower = sentence.to_lowercase();
            if !words::BOILERPLATE.iter().any(|cue| lower.contains(cue)) {
                kept.push(sentence);
            }
        }
    }
    kept
}

/// A heading about the company ("About Acme", "Über uns", "Life at
/// Acme"), not about the role or the reader.
fn about_the_company(heading: &str) -> bool {
    let heading = heading.trim_end_matches(':').trim();
    let about = [
        "about ",
        "über ",
        "a propos ",
        "à propos ",
        "sobre ",
        "over ",
    ]
    .iter()
    .any(|start| heading.starts_with(start));
    let the_job = [
        "role", "job", "position", "you", "team", "stelle", "rolle", "aufgabe", "dich", "sie",
    ]
    .iter()
    .any(|word| {
        heading
            .split_whitespace()
            .any(|w| w.trim_matches(|c: char| !c.is_alphanumeric()) == *word)
    });
    about && !the_job && heading.split_whitespace().count() <= 4
}

/// A line that reads as a heading: short, no sentence in it, or ending
/// with a colon.
fn is_heading(line: &str) -> bool {
    let words = line.split_whitespace().count();
    line.ends_with(':') && words <= 8
        || words <= 5 && !line.ends_with(['.', ',', ';']) && !line.contains(", ")
}

/// A line's sentences: split after `.`, `!` or `?` followed by a space.
fn sentences(line: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut start = 0;
    let bytes: Vec<(usize, char)> = line.char_indices().collect();
    for (n, &(at, c)) in bytes.iter().enumerate() {
        let next_space = bytes.get(n + 1).is_some_and(|(_, c)| c.is_whitespace());
        if matches!(c, '.' | '!' | '?' | ';') && next_space {
            out.push(line[start..=at].trim().to_owned());
            start = at + c.len_utf8();
        }
    }
    let rest = line[start..].trim();
    if !rest.is_empty() {
        out.push(rest.to_owned());
    }
    out
}

/// A word as written.
struct Token {
    text: String,
}

/// The words of a text. Letters, marks and digits make a word; `+` and `#`
/// right after one belong to it (`C++`, `C#`); `.`, `/` and `'` between
/// two word characters join them (`Node.js`, `CI/CD`, `you'll`), and a
/// `.` before letters at a word's start too (`.NET`). A hyphen separates:
/// "Terraform-managed" is Terraform, managed.
fn tokens(text: &str) -> Vec<Token> {
    let chars: Vec<char> = text.chars().collect();
    let word = |c: char| c.is_alphanumeric() || is_combining_mark(c);
    let mut out = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let starts_dotted = chars[i] == '.'
            && chars.get(i + 1).is_some_and(|c| c.is_alphabetic())
            && (i == 0 || chars[i - 1].is_whitespace() || chars[i - 1] == '(');
        if !word(chars[i]) && !starts_dotted {
            i += 1;
            continue;
        }
        let start = i;
        i += 1;
        while i < chars.len() {
            let c = chars[i];
            let between = |joiner: bool| {
                joiner && word(chars[i - 1]) && chars.get(i + 1).is_some_and(|&n| word(n))
            };
            // `/` joins capitals only (CI/CD, TCP/IP); "JavaScript/TypeScript"
            // is two words.
            let capitals =
                chars[i - 1].is_uppercase() && chars.get(i + 1).is_some_and(|n| n.is_uppercase());
            let joins = between(matches!(c, '.' | '\'' | '’')) || between(c == '/' && capitals);
            if word(c) || joins {
                i += 1;
            } else if matches!(c, '+' | '#') && word(chars[i - 1]) {
                while i < chars.len() && matches!(chars[i], '+' | '#') {
                    i += 1;
                }
                break;
            } else {
                break;
            }
        }
        let mut text: String = chars[start..i].iter().collect();
        // "Acme's team" is Acme's.
        for possessive in ["'s", "’s"] {
            if let Some(owner) = text.strip_suffix(possessive) {
                text = owner.to_owned();
            }
        }
        out.push(Token { text });
    }
    out
}

/// Folds words to what is matched: lowercase, stemmed where the language
/// has a stemmer, without accents. A word with punctuation or digits (a
/// technology's name, a version) is only lowercased.
struct Folder {
    stemmer: Option<Stemmer>,
    /// German: a job's feminine form is the job ("Entwicklerin" is
    /// "Entwickler"), which the stemmer leaves apart.
    feminine: bool,
}

impl Folder {
    fn new(language: &str) -> Self {
        let algorithm = match language {
            "ar" => Some(Algorithm::Arabic),
            "da" => Some(Algorithm::Danish),
            "nl" => Some(Algorithm::Dutch),
            "en" => Some(Algorithm::English),
            "fi" => Some(Algorithm::Finnish),
            "fr" => Some(Algorithm::French),
            "de" => Some(Algorithm::German),
            "el" => Some(Algorithm::Greek),
            "hu" => Some(Algorithm::Hungarian),
            "it" => Some(Algorithm::Italian),
            "nb" | "no" | "nn" => Some(Algorithm::Norwegian),
            "pt" => Some(Algorithm::Portuguese),
            "ro" => Some(Algorithm::Romanian),
            "ru" => Some(Algorithm::Russian),
            "es" => Some(Algorithm::Spanish),
            "sv" => Some(Algorithm::Swedish),
            "tr" => Some(Algorithm::Turkish),
            _ => None,
        };
        Folder {
            stemmer: algorithm.map(Stemmer::create),
            feminine: language == "de",
        }
    }

    fn key(&self, word: &str) -> String {
        // "Go" is the language wherever it is capitalised; "go" is a word.
        if CAPITALISED_NAMES.contains(&word) {
            return format!("={word}");
        }
        let lower = word
            .to_lowercase()
            .replace("i\u{307}", "i")
            .replace('ı', "i")
            .replace('’', "'");
        let plain = lower
            .chars()
            .all(|c| c.is_alphabetic() || is_combining_mark(c));
        let lower = match lower.strip_suffix("innen").or(lower.strip_suffix("in")) {
            Some(job) if self.feminine && job.ends_with("er") => job.to_owned(),
            _ => lower,
        };
        let stemmed = match &self.stemmer {
            Some(stemmer) if plain => stemmer.stem(&lower).into_owned(),
            _ => lower,
        };
        stemmed
            .nfd()
            .filter(|c| !is_combining_mark(*c))
            .collect::<String>()
            .replace('ß', "ss")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(terms: &Terms) -> Vec<(&str, usize)> {
        terms
            .terms
            .iter()
            .map(|t| (t.text.as_str(), t.count))
            .collect()
    }

    #[test]
    fn technology_names_are_words_of_their_own() {
        let words: Vec<String> = tokens(
            "C++, C#, .NET and Node.js (CI/CD); real-time Go. JavaScript/TypeScript, Acme's you’ll",
        )
        .into_iter()
        .map(|t| t.text)
        .collect();
        assert_eq!(
            words,
            [
                "C++",
                "C#",
                ".NET",
                "and",
                "Node.js",
                "CI/CD",
                "real",
                "time",
                "Go",
                "JavaScript",
                "TypeScript",
                "Acme",
                "you’ll"
            ]
        );
        // A CV's "C/C++" shows C++.
        let terms = Terms::read("We write C++ and Rust. C++ daily.", &[], "en");
        let found = terms.found_in("Languages: C/C++, Python");
        assert_eq!(found.len(), 1, "{:?}", terms.terms);
        assert_eq!(terms.terms[found[0]].text, "C++");
    }

    #[test]
    fn terms_are_counted_folded_and_ranked_and_boilerplate_goes() {
        let posting = "Backend Engineer\n\
            We build microservices in Go and Kubernetes. Our microservice platform runs on Kubernetes.\n\
            Experience with PostgreSQL is a plus.\n\
            What we offer:\n\
            Free lunch, gym membership and flexible hours.\n\
            Requirements:\n\
            - Terraform\n\
            We are an equal opportunity employer regardless of gender.\n";
        let keywords = ["distributed systems".to_owned()];
        let terms = Terms::read_for(posting, &keywords, "en", "Acme Platform");
        // Ordinary words used once ("build", "runs") and the company's
        // name ("platform") are no terms; names used once are.
        assert_eq!(
            texts(&terms),
            [
                ("distributed systems", 0),
                ("microservices", 2),
                ("Kubernetes", 2),
                ("Backend", 1),
                ("Engineer", 1),
                ("Go", 1),
                ("PostgreSQL", 1),
                ("Terraform", 1),
            ]
        );
        let found = terms.found_in("Ran a Kubernetes microservice; go home. Distributed systems.");
        let found: Vec<&str> = found
            .iter()
            .map(|&i| terms.terms[i].text.as_str())
            .collect();
        assert_eq!(
            found,
            ["distributed systems", "microservices", "Kubernetes"]
        );
    }

    #[test]
    fn facts_and_the_company_s_own_paragraphs_are_no_terms() {
        let posting = "Location: Berlin\nSalary: 80k\n\nAbout Initech\n\
            Initech makes Staplers for Offices worldwide.\n\n\
            About the role\nYou will build Kubernetes operators.\n\
            We’re hiring and you’ll love it.\n\
            Benefits\n- Competitive salary\n- Employee discount\n- Gym\n";
        let terms = Terms::read_for(posting, &[], "en", "Initech");
        assert_eq!(texts(&terms), [("Kubernetes", 1)]);
    }

    #[test]
    fn german_words_meet_their_inflections() {
        let terms = Terms::read(
            "Wir suchen Erfahrung mit Datenbanken und Kubernetes.",
            &[],
            "de",
        );
        let found = terms.found_in("Betrieb einer Datenbank auf kubernetes");
        let found: Vec<&str> = found
            .iter()
            .map(|&i| terms.terms[i].text.as_str())
            .collect();
        assert_eq!(found, ["Datenbanken", "Kubernetes"]);
    }
}
