//! How a written name is taken apart: the spellings it is given in (a name
//! in two scripts, "Wang Xiaoming (王小明)"), its titles ("Dr.", "Prof.",
//! "Dipl.-Ing.", "นาย"), which are no part of it, its particles ("van der",
//! "de la", "Ó", "Al-"), which belong to the surname but are ordinary words
//! alone, and the words that identify the person.

use super::matching::fold;

/// Words that join a family name to what comes before it, in the
/// languages people write CVs in (folded): never a name on their own.
const PARTICLES: &[&str] = &[
    // Dutch, Flemish, Afrikaans, German
    "van", "von", "der", "den", "de", "het", "ten", "ter", "te", "op", "in", "t", "zu", "zum",
    "zur", "vom", "am", "auf", // Romance
    "del", "della", "delle", "dei", "degli", "di", "da", "dal", "dalla", "das", "dos", "do", "du",
    "des", "la", "le", "lo", "las", "los", "y", "e", "i", "d", "l", "san", "santa", "sao", "st",
    "saint", "sainte", // Irish, Scottish, Welsh
    "o", "ni", "nic", "ui", "ua", "mac", "mc", "ap", "ab", "ferch", // Arabic, Hebrew, ...
    "al", "el", "ul", "bin", "binti", "binte", "ibn", "ben", "bat", "bint", "abu", "abd", "ait",
    "bar", // Scandinavian
    "af", "av",
];

/// Titles, honorifics and degrees written with a name (folded, without a
/// final dot): never redacted on their own, never part of the name. Only
/// words that are nobody's name; see [`DOTTED_TITLES`] for the others.
const TITLES: &[&str] = &[
    "dr",
    "prof",
    "professor",
    "mr",
    "mrs",
    "ms",
    "mx",
    "miss",
    "mme",
    "mlle",
    "sir",
    "dame",
    "lord",
    "lady",
    "herr",
    "frau",
    "dhr",
    "mevr",
    "sra",
    "srta",
    "phd",
    "msc",
    "bsc",
    "mba",
    "llm",
    "llb",
    "mphil",
    "dphil",
    "meng",
    "beng",
    "jr",
    "snr",
    "jnr",
    "ii",
    "iii",
    "iv",
    "esq",
    "habil",
    "dipl",
    "rer",
    "nat",
    "jur",
    "dott",
    "dottssa",
    "dssa",
    "avv",
    "mgr",
    "inz",
    "drs",
    "sayin",
    "г-н",
    "д-р",
    "проф",
    "ד\"ר",
    "דר",
    "פרופ'",
    "פרופ",
    "עו\"ד",
    "הרב",
    "الدكتور",
    "دكتور",
    "المهندس",
    "السيد",
    "السيدة",
    "ดร",
    "นาย",
    "นาง",
    "นางสาว",
    "คุณ",
    "先生",
    "女士",
    "博士",
];

/// Abbreviations that are titles only when written with their dot: alone,
/// these words are names too ("Don", "Ing", "Eng", "Ma").
const DOTTED_TITLES: &[&str] = &[
    "rev", "fr", "sr", "mag", "arch", "geom", "rag", "lic", "licda", "ing", "eng", "ir", "doc",
    "don", "dona", "m", "me", "univ", "doz", "priv", "techn", "oec", "pol", "dent", "vet", "phil",
    "med", "hc", "bc", "ma", "ba", "pan", "pani", "hr", "fru", "gn", "гн", "г", "д", "د", "م", "أ",
    "น.ส",
];

/// Titles Thai writes joined to the given name ("นายสมชาย"), longest first.
const THAI_TITLES: &[&str] = &["นางสาว", "นาย", "นาง", "ดร.", "น.ส.", "คุณ"];

/// What a word of a name is.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) enum Role {
    /// Identifies the person.
    Name,
    /// Belongs to the surname that follows ("van", "de", "Ó", "Al").
    Particle,
    /// A title, honorific or degree: none of the name.
    Title,
    /// A single letter ("L."): matched only within the full name.
    Initial,
}

/// A word of a name and what it is.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct Word {
    pub text: String,
    pub role: Role,
}

/// The spellings a name field gives: the name as written without what is
/// in brackets, and what each pair of brackets or slash holds ("Wang
/// Xiaoming (王小明)", "Youssef Al-Haddad / يوسف الحداد").
pub(super) fn spellings(name: &str) -> Vec<String> {
    let mut outside = String::new();
    let mut inside: Vec<String> = Vec::new();
    let mut depth = 0usize;
    for c in name.chars() {
        match c {
            '(' | '[' | '（' | '［' | '«' | '「' | '【' => {
                depth += 1;
                if depth == 1 {
                    inside.push(String::new());
                }
            }
            ')' | ']' | '）' | '］' | '»' | '」' | '】' => depth = depth.saturating_sub(1),
            _ if depth > 0 => {
                if let Some(last) = inside.last_mut() {
                    last.push(c);
                }
            }
            _ => outside.push(c),
        }
    }
    let mut out: Vec<String> = Vec::new();
    for piece in std::iter::once(outside).chain(inside) {
        for part in piece.split(['/', '|', '、', ';']) {
            let part = part.split_whitespace().collect::<Vec<_>>().join(" ");
            let part = part.trim_matches(|c: char| c == ',' || c == '"' || c.is_whitespace());
            if part.chars().any(char::is_alphabetic) && !out.iter().any(|o| o == part) {
                out.push(part.to_owned());
            }
        }
    }
    out
}

/// The words of one spelling of a name, with their roles. Hyphenated
/// words stay whole ("Smith-Jones", "Al-Haddad"); their pieces are the
/// caller's.
pub(super) fn words(spelling: &str) -> Vec<Word> {
    let raw: Vec<&str> = spelling
        .split(|c: char| c.is_whitespace() || c == ',')
        .filter(|w| !w.is_empty())
        .collect();
    let mut out: Vec<Word> = Vec::new();
    for (index, word) in raw.iter().enumerate() {
        let word = word.trim_matches(|c: char| matches!(c, '"' | '“' | '”' | ':' | ';'));
        let (title, rest) = thai_title(word);
        if let Some(title) = title {
            out.push(Word {
                text: title.to_owned(),
                role: Role::Title,
            });
        }
        if rest.is_empty() {
            continue;
        }
        let role = role(rest, raw.get(index + 1..).unwrap_or_default());
        out.push(Word {
            text: rest.trim_end_matches(',').to_owned(),
            role,
        });
    }
    // A particle at the end has no surname after it: it is the surname.
    if let Some(last) = out.iter_mut().rev().find(|w| w.role != Role::Title)
        && last.role == Role::Particle
    {
        last.role = Role::Name;
    }
    out
}

/// A title Thai writes joined to a given name, and the rest of the word.
fn thai_title(word: &str) -> (Option<&str>, &str) {
    for title in THAI_TITLES {
        if let Some(rest) = word.strip_prefix(title)
            && rest.chars().count() >= 2
        {
            return (Some(title), rest);
        }
    }
    (None, word)
}

/// What one word of a name is, given the words after it.
fn role(word: &str, after: &[&str]) -> Role {
    if is_title(word) {
        return Role::Title;
    }
    // "Dipl.-Ing.", "Dr.-Ing.": every piece a title.
    if word.contains('-')
        && word
            .split('-')
            .all(|piece| !piece.is_empty() && is_title(piece))
    {
        return Role::Title;
    }
    let bare = fold(word);
    let followed_by_name = after.iter().any(|w| !is_title(w) && !is_particle(w));
    if PARTICLES.contains(&bare.as_str()) && followed_by_name {
        return Role::Particle;
    }
    if word.chars().filter(|c| c.is_alphabetic()).count() == 1 {
        return Role::Initial;
    }
    Role::Name
}

/// Whether a piece of a hyphenated name is a particle ("Al" of
/// "Al-Haddad", "El" of "El-Amin").
pub(super) fn is_particle(piece: &str) -> bool {
    PARTICLES.contains(&fold(piece).as_str())
}

/// Whether a word is a title, honorific or degree: one of [`TITLES`],
/// or of [`DOTTED_TITLES`] written with its dot.
pub(super) fn is_title(word: &str) -> bool {
    let dotted = word.ends_with('.');
    let bare = fold(word.trim_end_matches('.'));
    TITLES.contains(&bare.as_str()) || (dotted && DOTTED_TITLES.contains(&bare.as_str()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn roles(name: &str) -> Vec<(String, Role)> {
        words(name).into_iter().map(|w| (w.text, w.role)).collect()
    }

    #[test]
    fn names_in_two_scripts_are_two_spellings() {
        assert_eq!(
            spellings("Wang Xiaoming (王小明)"),
            ["Wang Xiaoming", "王小明"]
        );
        assert_eq!(
            spellings("Youssef Al-Haddad / يوسف الحداد"),
            ["Youssef Al-Haddad", "يوسف الحداد"]
        );
        assert_eq!(spellings("Anna Schmidt"), ["Anna Schmidt"]);
    }

    #[test]
    fn titles_particles_and_initials() {
        use Role::*;
        assert_eq!(
            roles("Dr. Jan van der Berg"),
            [
                ("Dr.".into(), Title),
                ("Jan".into(), Name),
                ("van".into(), Particle),
                ("der".into(), Particle),
                ("Berg".into(), Name)
            ]
        );
        assert_eq!(
            roles("Dipl.-Ing. María de la Cruz"),
            [
                ("Dipl.-Ing.".into(), Title),
                ("María".into(), Name),
                ("de".into(), Particle),
                ("la".into(), Particle),
                ("Cruz".into(), Name)
            ]
        );
        assert_eq!(
            roles("Seán Ó Súilleabháin"),
            [
                ("Seán".into(), Name),
                ("Ó".into(), Particle),
                ("Súilleabháin".into(), Name)
            ]
        );
        assert_eq!(
            roles("นายสมชาย ใจดี"),
            [
                ("นาย".into(), Title),
                ("สมชาย".into(), Name),
                ("ใจดี".into(), Name)
            ]
        );
        // A particle with nothing after it is the surname itself.
        assert_eq!(
            roles("Anna De"),
            [("Anna".into(), Name), ("De".into(), Name)]
        );
        assert_eq!(roles("Anne L. Smith")[1].1, Initial);
    }
}
