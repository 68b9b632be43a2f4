//! Dates as real exports write them. The calendar date is what matters for daily prices, so a
//! time-zone-aware yfinance `.history()` stamp such as `2025-02-11 00:00:00-05:00` is read as the
//! exchange-local date written in it (2025-02-11), never shifted through UTC.

//!
//! Slash dates are read in one day/month order per column, decided from all its cells: a first
//! part above 12 means day first, a second part above 12 means month first. A column whose
//! every slash date could be either (`11/02/2025`) is refused unless `--date-order` says which.

use std::path::Path;

use chrono::NaiveDate;
use serde::Serialize;

use crate::error::{Error, Result};

/// The forms accepted, for error messages.
pub const DATE_FORMS: &str =
    "YYYY-MM-DD (optionally followed by a time and offset), YYYYMMDD, MM/DD/YYYY or DD/MM/YYYY, or DD.MM.YYYY";

/// The order of day and month in slash dates (`--date-order`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, clap::ValueEnum)]
#[serde(rename_all = "lowercase")]
pub enum DateOrder {
    /// Day first: 13/02/2025.
    Dmy,
    /// Month first: 02/13/2025.
    Mdy,
}

impl DateOrder {
    fn format(self) -> &'static str {
        match self {
            DateOrder::Dmy => "%d/%m/%Y",
            DateOrder::Mdy => "%m/%d/%Y",
        }
    }

    /// `dmy` or `mdy`.
    pub fn name(self) -> &'static str {
        match self {
            DateOrder::Dmy => "dmy",
            DateOrder::Mdy => "mdy",
        }
    }
}

/// A date column's reading: the slash-date order it uses (when it has slash dates).
#[derive(Debug, Clone, Copy)]
pub struct DateColumn {
    pub order: Option<DateOrder>,
}

impl DateColumn {
    /// Parses one cell of the column.
    pub fn parse(&self, s: &str) -> Option<NaiveDate> {
        parse_date_in(s, self.order.unwrap_or(DateOrder::Mdy))
    }

    /// The forms accepted, for messages.
    pub fn forms(&self) -> String {
        match self.order {
            Some(DateOrder::Dmy) => "YYYY-MM-DD or DD/MM/YYYY (this column writes day first)".to_string(),
            Some(DateOrder::Mdy) => "YYYY-MM-DD or MM/DD/YYYY (this column writes month first)".to_string(),
            None => DATE_FORMS.to_string(),
        }
    }
}

/// The two numbers before the year of a slash date (`11/02/2025` → (11, 2)).
fn slash_parts(s: &str) -> Option<(u32, u32)> {
    let s = s.trim().trim_matches('"');
    let mut it = s.split('/');
    let (a, b) = (it.next()?.trim().parse().ok()?, it.next()?.trim().parse().ok()?);
    Some((a, b))
}

/// Decides the slash-date order of a column from its cells (`(line, cell)`): `given` (from
/// `--date-order`) wins; otherwise a first part above 12 means day first, a second part above 12
/// means month first, and a column showing both, or neither, is an error naming the lines.
pub fn date_column<'a>(
    path: &Path,
    column: &str,
    cells: impl Iterator<Item = (usize, &'a str)>,
    given: Option<DateOrder>,
) -> Result<DateColumn> {
    // The first cell of the column showing each order, and the first that shows neither.
    type Seen<'c> = Option<(usize, &'c str)>;
    let (mut day_first, mut month_first, mut ambiguous): (Seen, Seen, Seen) = (None, None, None);
    let mut any = false;
    for (line, cell) in cells {
        if !cell.contains('/') {
            continue;
        }
        any = true;
        let Some((a, b)) = slash_parts(cell) else { continue };
        if a > 12 && b <= 12 {
            day_first = day_first.or(Some((line, cell)));
        } else if b > 12 && a <= 12 {
            month_first = month_first.or(Some((line, cell)));
        } else if a != b {
            ambiguous = ambiguous.or(Some((line, cell)));
        }
    }
    if !any {
        return Ok(DateColumn { order: None });
    }
    if let Some(order) = given {
        return Ok(DateColumn { order: Some(order) });
    }
    match (day_first, month_first, ambiguous) {
        (Some(d), Some(m), _) => Err(Error::at(
            path,
            Some(d.0.max(m.0)),
            Some(column),
            format!(
                "the column mixes day-first and month-first dates: line {} writes '{}' (day first) and line {} writes '{}' (month first); expected one order in the whole column",
                d.0, d.1, m.0, m.1
            ),
        )),
        (Some(_), None, _) => Ok(DateColumn { order: Some(DateOrder::Dmy) }),
        (None, Some(_), _) => Ok(DateColumn { order: Some(DateOrder::Mdy) }),
        (None, None, Some((line, cell))) => Err(Error::at(
            path,
            Some(line),
            Some(column),
            format!(
                "'{cell}' could be day/month or month/day, and no date in the column decides it; give --date-order dmy (day first) or --date-order mdy (month first)"
            ),
        )),
        // Every slash date has equal parts (01/01/2025): both orders read the same.
        (None, None, None) => Ok(DateColumn { order: Some(DateOrder::Mdy) }),
    }
}

/// Parses a cell as a calendar date, reading slash dates month first; `None` when it is not
/// one of [`DATE_FORMS`].
pub fn parse_date(s: &str) -> Option<NaiveDate> {
    parse_date_in(s, DateOrder::Mdy)
}

/// Parses a cell as a calendar date, reading slash dates in `order`.
pub fn parse_date_in(s: &str, order: DateOrder) -> Option<NaiveDate> {
    // A cell that starts and ends with a digit needs no trimming (the common case).
    let plain = |b: Option<&u8>| b.is_some_and(u8::is_ascii_digit);
    let s = if plain(s.as_bytes().first()) && plain(s.as_bytes().last()) { s } else { s.trim().trim_matches('"') };
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
        // Four-digit years only: `11/02/25` could be a year 25.
        let year_ok = s.rsplit('/').next().is_some_and(|y| y.len() == 4 && y.bytes().all(|b| b.is_ascii_digit()));
        return if year_ok { NaiveDate::parse_from_str(s, order.format()).ok() } else { None };
    }
    // European exports write day.month.year.
    if s.len() == 10 && s.is_ascii() && s.as_bytes()[2] == b'.' && s.as_bytes()[5] == b'.' {
        return NaiveDate::parse_from_str(s, "%d.%m.%Y").ok();
    }
    None
}

/// `YYYY-MM-DD` read digit by digit (millions of rows: chrono's format parser is the slow
/// part of loading); `None` for anything else or an impossible date.
pub(crate) fn iso_date(b: &[u8]) -> Option<NaiveDate> {
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
        assert_eq!(parse_date("02/13/25"), None, "two-digit years are not guessed");
    }

    fn column(cells: &[&str], given: Option<DateOrder>) -> Result<DateColumn> {
        date_column(Path::new("f.csv"), "Date", cells.iter().enumerate().map(|(i, c)| (i + 2, *c)), given)
    }

    #[test]
    fn slash_date_order_is_decided_from_the_whole_column() {
        assert_eq!(column(&["11/02/2025", "13/02/2025"], None).unwrap().order, Some(DateOrder::Dmy));
        assert_eq!(column(&["11/02/2025", "02/13/2025"], None).unwrap().order, Some(DateOrder::Mdy));
        // Regression: `11/02/2025` alone was read as 2 November.
        let e = column(&["11/02/2025"], None).unwrap_err().to_string();
        assert!(e.contains("line 2") && e.contains("--date-order dmy"), "{e}");
        assert_eq!(column(&["11/02/2025"], Some(DateOrder::Dmy)).unwrap().parse("11/02/2025"), Some(d(2025, 2, 11)));
        let e = column(&["13/02/2025", "02/13/2025"], None).unwrap_err().to_string();
        assert!(e.contains("mixes day-first and month-first"), "{e}");
        assert_eq!(column(&["2025-02-11"], None).unwrap().order, None);
    }
}
