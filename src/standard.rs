//! PDF standards a document claims and Typst checks on export: PDF/UA-1
//! (accessibility) with PDF/A-2a (archival, accessible) by default.

use typst_pdf::{PdfStandard, PdfStandards};

/// What documents claim unless told otherwise.
pub const DEFAULT: [&str; 2] = ["ua-1", "a-2a"];

/// A checked list of standard names (`ua-1`, `a-2a`, `a-2b`, `1.7`...);
/// empty for none.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Standards(Vec<String>);

impl Default for Standards {
    fn default() -> Self {
        Self(DEFAULT.iter().map(|s| (*s).to_owned()).collect())
    }
}

impl Standards {
    /// Parses names as written on the command line or in a profile;
    /// `none` alone means no standard. Refuses unknown names and
    /// combinations no PDF can meet at once.
    pub fn parse<S: AsRef<str>>(names: &[S]) -> Result<Self, String> {
        let names: Vec<String> = names
            .iter()
            .flat_map(|n| n.as_ref().split(','))
            .map(|n| n.trim().to_lowercase())
            .filter(|n| !n.is_empty())
            .collect();
        if names.iter().any(|n| n == "none") {
            return if names.len() == 1 {
                Ok(Self(Vec::new()))
            } else {
                Err("`none` cannot be combined with a standard".into())
            };
        }
        let standards = Self(names);
        standards.typst()?;
        Ok(standards)
    }

    pub fn names(&self) -> &[String] {
        &self.0
    }

    /// Typst's form of the list.
    pub fn typst(&self) -> Result<PdfStandards, String> {
        let parsed: Vec<PdfStandard> = self
            .0
            .iter()
            .map(|name| {
                serde_json::from_value(serde_json::Value::String(name.clone())).map_err(|_| {
                    format!(
                        "unknown PDF standard `{name}`; standards are: ua-1, a-1b, a-1a, a-2b, \
                         a-2u, a-2a, a-3b, a-3u, a-3a, a-4, a-4f, a-4e, 1.4 to 2.0, or none"
                    )
                })
            })
            .collect::<Result<_, _>>()?;
        PdfStandards::new(&parsed)
            .map_err(|err| format!("these PDF standards do not go together: {}", err.message()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_parse_and_bad_ones_are_refused() {
        assert_eq!(
            Standards::parse(&["UA-1, a-2a"]).unwrap(),
            Standards::default()
        );
        assert!(Standards::parse(&["none"]).unwrap().names().is_empty());
        assert!(
            Standards::parse(&["a-9"])
                .unwrap_err()
                .contains("unknown PDF standard `a-9`")
        );
        assert!(Standards::parse(&["none", "ua-1"]).is_err());
        assert!(
            Standards::parse(&["a-2b", "a-3b"])
                .unwrap_err()
                .contains("do not go together")
        );
    }
}
