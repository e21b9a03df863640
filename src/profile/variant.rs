//! The versions of a CV a profile asks for (`[output] variants`): a closed
//! set, named the same on the command line, in profiles and applications,
//! and in layout data.

use std::fmt;

use schemars::JsonSchema;
use serde::{Deserialize, Deserializer, Serialize};

/// A version of the CV made from a profile.
/// Parsed from its name where it is written (a profile's or an
/// application's `[output] variants`, the command line), and a closed type
/// from there on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, JsonSchema)]
pub enum Variant {
    /// Everything, over as many pages as it takes.
    #[serde(rename = "long")]
    Long,
    /// Exactly one page: the least important content dropped first.
    #[serde(rename = "onepage")]
    OnePage,
    /// No personal data; the file named by a candidate id.
    #[serde(rename = "anon")]
    Anon,
    /// Anonymized and on one page.
    #[serde(rename = "anon-onepage")]
    AnonOnePage,
    /// The cover letter of a job application, on one page.
    #[serde(rename = "letter")]
    Letter,
    /// The cover letter without personal data, beside the anonymized CV.
    #[serde(rename = "anon-letter")]
    AnonLetter,
}

impl Variant {
    /// Every variant, in the order jobs are planned.
    pub const ALL: [Variant; 6] = [
        Self::Long,
        Self::OnePage,
        Self::Anon,
        Self::AnonOnePage,
        Self::Letter,
        Self::AnonLetter,
    ];

    /// What `cvgen render` makes when neither the command line nor the
    /// profile says.
    pub const DEFAULT: [Variant; 3] = [Self::Long, Self::OnePage, Self::Anon];

    /// The name used on the command line, in profiles and in layout data.
    pub fn name(self) -> &'static str {
        match self {
            Self::Long => "long",
            Self::OnePage => "onepage",
            Self::Anon => "anon",
            Self::AnonOnePage => "anon-onepage",
            Self::Letter => "letter",
            Self::AnonLetter => "anon-letter",
        }
    }

    /// Parses a variant name.
    pub fn parse(name: &str) -> Result<Self, String> {
        Self::ALL
            .into_iter()
            .find(|v| v.name() == name.trim())
            .ok_or_else(|| {
                let names: Vec<_> = Self::ALL.iter().map(|v| v.name()).collect();
                format!(
                    "unknown variant `{}`; variants are: {}",
                    name.trim(),
                    names.join(", ")
                )
            })
    }

    /// A list without its repeats, in its order.
    pub fn unique(list: &[Variant]) -> Vec<Variant> {
        let mut out: Vec<Variant> = Vec::with_capacity(list.len());
        for variant in list {
            if !out.contains(variant) {
                out.push(*variant);
            }
        }
        out
    }

    /// Parses a comma-separated list of variants, without duplicates.
    pub fn parse_list<S: AsRef<str>>(names: &[S]) -> Result<Vec<Self>, String> {
        let mut variants = Vec::new();
        for name in names
            .iter()
            .flat_map(|n| n.as_ref().split(','))
            .filter(|n| !n.trim().is_empty())
        {
            let variant = Self::parse(name)?;
            if !variants.contains(&variant) {
                variants.push(variant);
            }
        }
        if variants.is_empty() {
            return Err("no variants given".into());
        }
        Ok(variants)
    }

    pub fn is_anonymous(self) -> bool {
        matches!(self, Self::Anon | Self::AnonOnePage | Self::AnonLetter)
    }

    /// Whether the document is fitted to one page (a letter is too, by
    /// typography alone).
    pub fn is_one_page(self) -> bool {
        matches!(
            self,
            Self::OnePage | Self::AnonOnePage | Self::Letter | Self::AnonLetter
        )
    }

    pub fn is_letter(self) -> bool {
        matches!(self, Self::Letter | Self::AnonLetter)
    }

    /// The output file name. Anonymized variants are named by the candidate
    /// id only, so the file name carries no personal data. A profile made
    /// in several languages says the document's before the extension:
    /// `mark-callan-onepage.de.pdf`.
    pub fn file_name(self, slug: &str, candidate_id: &str, language: Option<&str>) -> String {
        let stem = match self {
            Self::Long => slug.to_owned(),
            Self::OnePage => format!("{slug}-onepage"),
            Self::Anon => format!("candidate-{candidate_id}"),
            Self::AnonOnePage => format!("candidate-{candidate_id}-onepage"),
            Self::Letter => format!("{slug}-letter"),
            Self::AnonLetter => format!("candidate-{candidate_id}-letter"),
        };
        match language {
            Some(language) => format!("{stem}.{language}.pdf"),
            None => format!("{stem}.pdf"),
        }
    }
}

impl fmt::Display for Variant {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// Every variant's name, as [`Variant::name`] gives them.
const NAMES: &[&str] = &[
    "long",
    "onepage",
    "anon",
    "anon-onepage",
    "letter",
    "anon-letter",
];

/// Read by name; an unknown one is serde's "unknown variant", which
/// checking turns into a message at the value with the names to choose from.
impl<'de> Deserialize<'de> for Variant {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let name = String::deserialize(deserializer)?;
        Variant::parse(&name).map_err(|_| serde::de::Error::unknown_variant(&name, NAMES))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn variant_lists_parse_in_order_without_duplicates() {
        let parsed = Variant::parse_list(&["long,anon", "anon-onepage", "long"]).unwrap();
        assert_eq!(parsed, [Variant::Long, Variant::Anon, Variant::AnonOnePage]);
        let err = Variant::parse_list(&["short"]).unwrap_err();
        assert!(
            err.contains("unknown variant `short`")
                && err.contains("long, onepage, anon, anon-onepage, letter, anon-letter")
        );
    }

    #[test]
    fn the_names_serde_knows_are_the_variants_names() {
        let names: Vec<&str> = Variant::ALL.iter().map(|v| v.name()).collect();
        assert_eq!(names, NAMES);
    }

    #[test]
    fn anonymized_file_names_carry_only_the_id() {
        assert_eq!(
            Variant::Anon.file_name("mark-callan", "1a2b3c4d", None),
            "candidate-1a2b3c4d.pdf"
        );
        assert_eq!(
            Variant::OnePage.file_name("mark-callan", "1a2b3c4d", Some("de")),
            "mark-callan-onepage.de.pdf"
        );
    }
}
