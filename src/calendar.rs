//! Calendar arithmetic without a clock library: Unix time to dates, and the
//! date `SOURCE_DATE_EPOCH` fixes. Below every stage: profiles, plans and
//! the Typst world use it alike.

/// The seconds `SOURCE_DATE_EPOCH` gives, if it is set to a number.
pub fn epoch_seconds(source_date_epoch: Option<&str>) -> Option<i64> {
    source_date_epoch.and_then(|s| s.trim().parse::<i64>().ok())
}

/// The clock's date, (year, month, day): only what is meant to change with
/// the day (an undated letter, "in the future" warnings) reads it.
pub fn clock_date() -> (i32, u8, u8) {
    let seconds = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs() as i64);
    date_of(seconds)
}

/// The date (year, month, day) of a Unix time.
pub fn date_of(seconds: i64) -> (i32, u8, u8) {
    let (year, month, day) = civil_from_days(seconds.div_euclid(86_400));
    (year as i32, month, day)
}

/// Days since 1970-01-01 to a proleptic Gregorian date (Howard Hinnant's
/// algorithm).
pub fn civil_from_days(days: i64) -> (i64, u8, u8) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = (doy - (153 * mp + 2) / 5 + 1) as u8;
    let month = if mp < 10 { mp + 3 } else { mp - 9 } as u8;
    let year = yoe + era * 400 + i64::from(month <= 2);
    (year, month, day)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn epoch_days_convert_to_calendar_dates() {
        assert_eq!(civil_from_days(0), (1970, 1, 1));
        assert_eq!(civil_from_days(19_723), (2024, 1, 1));
        assert_eq!(civil_from_days(11_016), (2000, 2, 29));
    }
}
