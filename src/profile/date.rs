//! Dates as CVs use them: a year, a month of a year, or a day; and "present"
//! for the end of something still going on.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// A date known to the year, month or day: `2019`, `2019-12`, `2019-12-01`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct PartialDate {
    pub year: i32,
    pub month: Option<u8>,
    pub day: Option<u8>,
}

/// The end of a period: a date, or "present".
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DateBound {
    Date(PartialDate),
    Present,
}

impl FromStr for PartialDate {
    type Err = String;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        let shape = || format!("`{text}` is not a date: write YYYY, YYYY-MM or YYYY-MM-DD");
        let mut parts = text.trim().split('-');
        let year = parts.next().ok_or_else(shape)?;
        if year.len() != 4 || !year.bytes().all(|b| b.is_ascii_digit()) {
            return Err(shape());
        }
        let year: i32 = year.parse().map_err(|_| shape())?;
        if year < 1000 {
            return Err(format!(
                "`{text}` has year {year}; write the year in full, e.g. 2019"
            ));
        }
        let number = |part: Option<&str>| -> Result<Option<u8>, String> {
            match part {
                None => Ok(None),
                Some(p) if p.len() == 2 && p.bytes().all(|b| b.is_ascii_digit()) => {
                    p.parse().map(Some).map_err(|_| shape())
                }
                Some(_) => Err(shape()),
            }
        };
        let month = number(parts.next())?;
        let day = number(parts.next())?;
        if parts.next().is_some() {
            return Err(shape());
        }
        if let Some(m) = month
            && !(1..=12).contains(&m)
        {
            return Err(format!("`{text}` has month {m}; months run from 01 to 12"));
        }
        if let (Some(m), Some(d)) = (month, day) {
            let last = days_in_month(year, m);
            if d == 0 || d > last {
                return Err(format!(
                    "`{text}` has day {d}; that month has days 01 to {last}"
                ));
            }
        }
        Ok(Self { year, month, day })
    }
}

fn days_in_month(year: i32, month: u8) -> u8 {
    match month {
        4 | 6 | 9 | 11 => 30,
        2 if (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 => 29,
        2 => 28,
        _ => 31,
    }
}

impl fmt::Display for PartialDate {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        write!(f, "{:04}", self.year)?;
        if let Some(month) = self.month {
            write!(f, "-{month:02}")?;
        }
        if let Some(day) = self.day {
            write!(f, "-{day:02}")?;
        }
        Ok(())
    }
}

impl FromStr for DateBound {
    type Err = String;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        if text.trim().eq_ignore_ascii_case("present") {
            return Ok(Self::Present);
        }
        text.parse()
            .map(Self::Date)
            .map_err(|err| format!("{err}, or \"present\""))
    }
}

impl fmt::Display for DateBound {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        match self {
            Self::Date(date) => date.fmt(f),
            Self::Present => f.write_str("present"),
        }
    }
}

/// Reads a date from text, or from a bare year (`start_date = 2019`, as
/// TOML invites one to write it).
struct DateVisitor<T>(std::marker::PhantomData<T>);

impl<T: FromStr<Err = String>> serde::de::Visitor<'_> for DateVisitor<T> {
    type Value = T;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a date in quotes (\"2019-12\") or a year")
    }

    fn visit_str<E: serde::de::Error>(self, text: &str) -> Result<T, E> {
        text.parse().map_err(E::custom)
    }

    fn visit_i64<E: serde::de::Error>(self, year: i64) -> Result<T, E> {
        self.visit_str(&year.to_string())
    }

    fn visit_u64<E: serde::de::Error>(self, year: u64) -> Result<T, E> {
        self.visit_str(&year.to_string())
    }
}

macro_rules! serde_as_date {
    ($ty:ty) => {
        impl<'de> Deserialize<'de> for $ty {
            fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                deserializer.deserialize_any(DateVisitor(std::marker::PhantomData))
            }
        }

        impl Serialize for $ty {
            fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.collect_str(self)
            }
        }
    };
}

serde_as_date!(PartialDate);
serde_as_date!(DateBound);

impl schemars::JsonSchema for PartialDate {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "PartialDate".into()
    }

    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({
            "anyOf": [
                {
                    "type": "string",
                    "pattern": "^[0-9]{4}(-(0[1-9]|1[0-2])(-(0[1-9]|[12][0-9]|3[01]))?)?$"
                },
                {"type": "integer", "minimum": 1000, "maximum": 9999}
            ],
            "description": "A date: YYYY, YYYY-MM or YYYY-MM-DD, or a bare year."
        })
    }
}

impl schemars::JsonSchema for DateBound {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "DateBound".into()
    }

    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({
            "anyOf": [
                {
                    "type": "string",
                    "pattern": "^([0-9]{4}(-(0[1-9]|1[0-2])(-(0[1-9]|[12][0-9]|3[01]))?)?|[Pp]resent)$"
                },
                {"type": "integer", "minimum": 1000, "maximum": 9999}
            ],
            "description": "An end date: YYYY, YYYY-MM, YYYY-MM-DD, a bare year, or \"present\"."
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_bare_year_is_a_date_and_a_short_one_is_refused() {
        #[derive(Deserialize)]
        struct Entry {
            start: PartialDate,
            end: DateBound,
        }
        let entry: Entry = toml::from_str("start = 2019\nend = 2021").unwrap();
        assert_eq!((entry.start.year, entry.start.month), (2019, None));
        assert!(matches!(entry.end, DateBound::Date(d) if d.year == 2021));
        let entry: Entry = toml::from_str("start = \"2019-12\"\nend = \"present\"").unwrap();
        assert_eq!(entry.start.month, Some(12));
        assert_eq!(entry.end, DateBound::Present);
        let err = toml::from_str::<Entry>("start = 19\nend = 2021")
            .err()
            .unwrap()
            .to_string();
        assert!(err.contains("`19` is not a date"), "{err}");
    }

    #[test]
    fn parses_year_month_and_day_precision() {
        let date: PartialDate = "2019-12".parse().unwrap();
        assert_eq!((date.year, date.month, date.day), (2019, Some(12), None));
        assert_eq!("2011".parse::<PartialDate>().unwrap().month, None);
        assert_eq!("2020-02-29".parse::<PartialDate>().unwrap().day, Some(29));
        assert_eq!("Present".parse::<DateBound>().unwrap(), DateBound::Present);
    }

    #[test]
    fn rejects_impossible_dates_with_the_reason() {
        assert!(
            "2019-13"
                .parse::<PartialDate>()
                .unwrap_err()
                .contains("month 13")
        );
        assert!(
            "2019-01-32"
                .parse::<PartialDate>()
                .unwrap_err()
                .contains("day 32")
        );
        assert!(
            "2019-02-29"
                .parse::<PartialDate>()
                .unwrap_err()
                .contains("day 29")
        );
        assert!(
            "Dec 2019"
                .parse::<PartialDate>()
                .unwrap_err()
                .contains("YYYY-MM")
        );
        assert!("2019-1".parse::<PartialDate>().is_err());
    }
}
