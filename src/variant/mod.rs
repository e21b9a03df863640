//! The versions of a CV made from one profile: long-form, one-page,
//! anonymized, and anonymized one-page; and for a job application, its
//! cover letter, named and anonymized.
//!
//! [`anonymize`] transforms the profile before layout data is built;
//! [`onepage`] plans what to drop and searches for the least removal that
//! fits; [`verify`] checks an anonymized document for leaks before it is
//! written.

pub mod anonymize;
pub mod onepage;
pub mod verify;

use std::fmt;

/// A version of the CV made from a profile.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Variant {
    /// Everything, over as many pages as it takes.
    Long,
    /// Exactly one page: the least important content dropped first.
    OnePage,
    /// No personal data; the file named by a candidate id.
    Anon,
    /// Anonymized and on one page.
    AnonOnePage,
    /// The cover letter of a job application, on one page.
    Letter,
    /// The cover letter without personal data, beside the anonymized CV.
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
    /// id only, so the file name carries no personal data.
    pub fn file_name(self, slug: &str, candidate_id: &str) -> String {
        match self {
            Self::Long => format!("{slug}.pdf"),
            Self::OnePage => format!("{slug}-onepage.pdf"),
            Self::Anon => format!("candidate-{candidate_id}.pdf"),
            Self::AnonOnePage => format!("candidate-{candidate_id}-onepage.pdf"),
            Self::Letter => format!("{slug}-letter.pdf"),
            Self::AnonLetter => format!("candidate-{candidate_id}-letter.pdf"),
        }
    }
}

impl fmt::Display for Variant {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str(self.name())
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
    fn anonymized_file_names_carry_only_the_id() {
        assert_eq!(
            Variant::Anon.file_name("mark-callan", "1a2b3c4d"),
            "candidate-1a2b3c4d.pdf"
        );
        assert_eq!(
            Variant::OnePage.file_name("mark-callan", "1a2b3c4d"),
            "mark-callan-onepage.pdf"
        );
    }
}
