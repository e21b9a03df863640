//! Latin spellings of Cyrillic and Greek names and places, as people write
//! them in English text, email addresses and handles: "Надежда Волкова"
//! is also "Nadezhda Volkova", "Екатеринбург" also "Yekaterinburg" and
//! "Ekaterinburg", "Харків" "Kharkiv", "Θεσσαλονίκη" "Thessaloniki".
//!
//! Two spellings each, the common passport and press forms: one plain
//! (е -> e, х -> kh, ю -> yu), one with the softer variants (initial е ->
//! ye, х -> h, й -> i, υ -> i). Matching folds case and accents, so these
//! are enough for the usual ones; others go in `other_names`.

/// The Latin spellings of `value`, if it is written in Cyrillic or Greek.
pub(super) fn romanize(value: &str) -> Vec<String> {
    let lower: Vec<char> = value.chars().flat_map(char::to_lowercase).collect();
    let cyrillic = lower.iter().any(|c| ('\u{0400}'..='\u{04FF}').contains(c));
    let greek = lower.iter().any(|c| ('\u{0370}'..='\u{03FF}').contains(c));
    let mut out: Vec<String> = Vec::new();
    for soft in [false, true] {
        let latin = if cyrillic {
            cyrillic_to_latin(&lower, soft)
        } else if greek {
            greek_to_latin(&lower, soft)
        } else {
            return out;
        };
        if !out.contains(&latin) {
            out.push(latin);
        }
    }
    out
}

fn cyrillic_to_latin(chars: &[char], soft: bool) -> String {
    // Ukrainian letters say how г and и read.
    let ukrainian = chars.iter().any(|c| "іїєґ".contains(*c));
    let mut out = String::new();
    for (index, &c) in chars.iter().enumerate() {
        let word_start = index == 0 || !chars[index - 1].is_alphabetic();
        let after_vowel = index > 0 && "аеёиоуыэюяіїєaeiou".contains(chars[index - 1]);
        let latin = match c {
            'а' => "a",
            'б' => "b",
            'в' => "v",
            'г' if ukrainian => "h",
            'г' => "g",
            'ґ' => "g",
            'д' => "d",
            'е' if soft && (word_start || after_vowel) => "ye",
            'е' => "e",
            'ё' if soft => "e",
            'ё' => "yo",
            'є' => "ye",
            'ж' => "zh",
            'з' => "z",
            'и' if ukrainian => "y",
            'и' => "i",
            'і' => "i",
            'ї' => "yi",
            'й' if soft => "i",
            'й' => "y",
            'к' => "k",
            'л' => "l",
            'м' => "m",
            'н' => "n",
            'о' => "o",
            'п' => "p",
            'р' => "r",
            'с' => "s",
            'т' => "t",
            'у' => "u",
            'ф' => "f",
            'х' if soft => "h",
            'х' => "kh",
            'ц' => "ts",
            'ч' => "ch",
            'ш' => "sh",
            'щ' if soft => "sch",
            'щ' => "shch",
            'ъ' | 'ь' => "",
            'ы' => "y",
            'э' => "e",
            'ю' if soft => "iu",
            'ю' => "yu",
            'я' if soft => "ia",
            'я' => "ya",
            other => {
                out.push(other);
                continue;
            }
        };
        out.push_str(latin);
    }
    out
}

fn greek_to_latin(chars: &[char], soft: bool) -> String {
    use unicode_normalization::UnicodeNormalization;
    // Accents say nothing here; diaereses only keep vowels apart.
    let plain: Vec<char> = chars
        .iter()
        .collect::<String>()
        .nfkd()
        .filter(|c| !unicode_normalization::char::is_combining_mark(*c))
        .collect();
    let mut out = String::new();
    let mut index = 0;
    while index < plain.len() {
        let pair: String = plain[index..plain.len().min(index + 2)].iter().collect();
        let digraph = match pair.as_str() {
            "ου" => Some("ou"),
            "αι" => Some("ai"),
            "ει" => Some("ei"),
            "οι" => Some("oi"),
            "μπ" if soft => Some("b"),
            "μπ" => Some("mp"),
            "ντ" if soft => Some("d"),
            "ντ" => Some("nt"),
            "γγ" => Some("ng"),
            "γκ" if soft => Some("g"),
            "γκ" => Some("gk"),
            "αυ" => Some("av"),
            "ευ" => Some("ev"),
            _ => None,
        };
        if let Some(latin) = digraph {
            out.push_str(latin);
            index += 2;
            continue;
        }
        let latin = match plain[index] {
            'α' => "a",
            'β' => "v",
            'γ' => "g",
            'δ' => "d",
            'ε' => "e",
            'ζ' => "z",
            'η' => "i",
            'θ' => "th",
            'ι' => "i",
            'κ' => "k",
            'λ' => "l",
            'μ' => "m",
            'ν' => "n",
            'ξ' => "x",
            'ο' => "o",
            'π' => "p",
            'ρ' => "r",
            'σ' | 'ς' => "s",
            'τ' => "t",
            'υ' if soft => "i",
            'υ' => "y",
            'φ' => "f",
            'χ' if soft => "h",
            'χ' => "ch",
            'ψ' => "ps",
            'ω' => "o",
            other => {
                out.push(other);
                index += 1;
                continue;
            }
        };
        out.push_str(latin);
        index += 1;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cyrillic_and_greek_in_their_usual_latin_spellings() {
        assert_eq!(romanize("Надежда Волкова")[0], "nadezhda volkova");
        assert!(romanize("Екатеринбург").contains(&"yekaterinburg".to_owned()));
        assert!(romanize("Екатеринбург").contains(&"ekaterinburg".to_owned()));
        assert_eq!(romanize("Харків")[0], "kharkiv");
        assert!(romanize("Харків").contains(&"harkiv".to_owned()));
        assert_eq!(romanize("Θεσσαλονίκη")[0], "thessaloniki");
        assert_eq!(romanize("Παπαδόπουλος")[0], "papadopoulos");
        assert_eq!(romanize("Γιάννης")[0], "giannis");
        assert!(romanize("Anna").is_empty());
    }
}
