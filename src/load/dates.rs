//! Dates as real exports write them. The calendar date is what matters for daily prices, so a
//! time-zone-aware yfinance `.history()` stamp such as `2025-02-11 00:00:00-05:00` is read as the
//! exchange-local date written in it (2025-02-11), never shifted through UTC.

use chrono::NaiveDate;

/// The forms accepted, for error messages.
pub const DATE_FORMS: &str =
    "YYYY-MM-DD (optionally followed by a time and offset), YYYYMMDD, MM/DD/YYYY or DD.MM.YYYY";

/// Parses a cell as a calendar date; `None` when it is not one of [`DATE_FORMS`].
pub fn parse_date(s: &str) -> Option<NaiveDate> {
    let s = s.trim().trim_matches('"');
    // ISO date, possibly the start of a timestamp (`2025-02-11 00:00:00-05:00`, `...T10:30:00Z`).
    if s.len() >= 10 && s.as_bytes().get(4) == Some(&b'-') {
        let (Some(d), Some(rest)) = (s.get(..10), s.get(10..)) else { return None };
        if rest.is_empty() || rest.starts_with(' ') || rest.starts_with('T') {
            return iso_date(d.as_bytes());
        }
        return None;
    }
    if s.len() == 8 && s.bytes().all(|b| b.is_ascii_digit()) {
        return NaiveDate::parse_from_str(s, "%Y%m%d").ok();
    }
    if s.contains('/') {
        return NaiveDate::parse_from_str(s, "%m/%d/%Y").ok();
    }
    // European exports write day.month.year.
    if s.len() == 10 && s.is_ascii() && s.as_bytes()[2] == b'.' && s.as_bytes()[5] == b'.' {
        return NaiveDate::parse_from_str(s, "%d.%m.%Y").ok();
    }
    None
}

/// `YYYY-MM-DD` read digit by digit (millions of rows: chrono's format parser is the slow
/// part of loading); `None` for anything else or an impossible date.
fn iso_date(b: &[u8]) -> Option<NaiveDate> {
    let digits = |r: std::ops::Range<usize>| -> Option<u32> {
        b[r].iter().try_fold(0u32, |acc, &c| c.is_ascii_digit().then(|| acc * 10 + u32::from(c - b'0')))
    };
    if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
        return None;
    }
    NaiveDate::from_ymd_opt(digits(0..4)? as i32, digits(5..7)?, digits(8..10)?)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn accepts_the_common_export_forms() {
        assert_eq!(parse_date("2025-02-13"), Some(d(2025, 2, 13)));
        assert_eq!(parse_date("2025-02-11 00:00:00-05:00"), Some(d(2025, 2, 11)));
        assert_eq!(parse_date("2025-02-12 00:00:00+08:00"), Some(d(2025, 2, 12)));
        assert_eq!(parse_date("20250213"), Some(d(2025, 2, 13)));
        assert_eq!(parse_date("02/13/2025"), Some(d(2025, 2, 13)));
        assert_eq!(parse_date("13.02.2025"), Some(d(2025, 2, 13)));
    }

    #[test]
    fn rejects_what_is_not_a_date() {
        assert_eq!(parse_date("2025-02-30"), None);
        assert_eq!(parse_date("13/02/2025x"), None);
        assert_eq!(parse_date("hello"), None);
        assert_eq!(parse_date("2025-02-13abc"), None);
        assert_eq!(parse_date("2022-01-1é"), None, "regression: no panic when byte 10 splits a character");
        assert_eq!(parse_date("2025-2-130"), None);
        assert_eq!(parse_date("2025-+2-13"), None);
        assert_eq!(parse_date("2025-13-01"), None);
        assert_eq!(parse_date("2024-02-29"), Some(d(2024, 2, 29)));
        assert_eq!(parse_date("2023-02-29"), None);
    }
}
