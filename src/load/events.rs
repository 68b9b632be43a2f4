//! The events file (SPEC §3.2): one dated news item per row. Only `date` is required; `ticker`
//! may name one ticker, a `;`-separated list, or be empty for every ticker in the study.
//!
//! An event may carry the instant the news broke, which decides day 0 across time zones
//! (SPEC §4.1): a timestamp with an offset in `date` (`2025-02-13T10:00:00+04:00`, `...Z`), or
//! `date` plus `time` plus `timezone` (an IANA name such as `Asia/Dubai`).

use std::path::Path;

use chrono::{DateTime, FixedOffset, NaiveDate, NaiveDateTime, NaiveTime, TimeZone};
use chrono_tz::Tz;

use super::dates::{date_column, DateColumn, DateOrder};
use super::numbers::shown;
use super::table::read_table;
use crate::error::{Error, Result};

/// One dated news item.
#[derive(Debug, Clone, PartialEq)]
pub struct Event {
    /// The `id` column, or `E<row>` when the file has none.
    pub id: String,
    pub date: NaiveDate,
    /// Tickers the event concerns; empty means every ticker of the study.
    pub tickers: Vec<String>,
    pub kind: String,
    pub headline: String,
    pub source: String,
    pub url: String,
    /// 1-based line in the events file.
    pub line: usize,
    /// The instant the news broke, when the file gives a time of day; `date` is then the
    /// calendar date in the offset or zone the file wrote it in.
    pub instant: Option<DateTime<FixedOffset>>,
}

impl Event {
    /// A date-only event concerning every ticker (for tests and library users).
    pub fn on_date(id: impl Into<String>, date: NaiveDate) -> Event {
        Event {
            id: id.into(),
            date,
            tickers: vec![],
            kind: String::new(),
            headline: String::new(),
            source: String::new(),
            url: String::new(),
            line: 0,
            instant: None,
        }
    }

    /// The event as written: `2025-02-13` or `2025-02-13T10:00:00+04:00`.
    pub fn when(&self) -> String {
        match &self.instant {
            Some(t) => t.to_rfc3339(),
            None => self.date.to_string(),
        }
    }

    /// Whether the event concerns `ticker` (an empty ticker list concerns all).
    pub fn concerns(&self, ticker: &str) -> bool {
        self.tickers.is_empty() || self.tickers.iter().any(|t| t.eq_ignore_ascii_case(ticker))
    }
}

/// Loads the events file; returns the events and the file's SHA-256.
pub fn load_events(path: &Path) -> Result<(Vec<Event>, String)> {
    load_events_with(path, None).map(|(e, sha, _)| (e, sha))
}

/// Loads the events file, reading slash dates in `date_order` when the column does not decide
/// it; returns the events, the file's SHA-256 and the slash-date order used (if any).
pub fn load_events_with(path: &Path, date_order: Option<DateOrder>) -> Result<(Vec<Event>, String, Option<DateOrder>)> {
    let table = read_table(path, "events")?;
    let date_col = table.find_column(&["date", "event date", "datetime", "timestamp"]).ok_or_else(|| {
        Error::at(path, Some(1), None, format!("no 'date' column in the header [{}]", table.header.join(", ")))
    })?;
    let col = |names: &[&str]| table.find_column(names);
    let (time_c, tz_c) = (col(&["time", "event time"]), col(&["timezone", "time zone", "tz"]));
    let (id_c, tick_c, kind_c, head_c, src_c, url_c) = (
        col(&["id", "event id"]),
        col(&["ticker", "tickers", "symbol"]),
        col(&["kind", "type", "category"]),
        col(&["headline", "title", "description"]),
        col(&["source"]),
        col(&["url", "link"]),
    );
    let date_name = table.header[date_col].clone();
    let when_names =
        [Some(date_name.clone()), time_c.map(|c| table.header[c].clone()), tz_c.map(|c| table.header[c].clone())];
    // Slash dates take one day/month order for the whole column (timestamps have none).
    let dates = date_column(
        path,
        &date_name,
        table.records().filter_map(|(r, line)| table.cell(r, date_col).map(|c| (line, c.trim()))),
        date_order,
    )?;
    let mut events = Vec::with_capacity(table.len());
    let mut ids: std::collections::HashMap<String, usize> = std::collections::HashMap::with_capacity(table.len());
    for (i, line) in table.records() {
        let get = |c: Option<usize>| c.and_then(|c| table.cell(i, c)).map(clean_text).unwrap_or_default();
        let cell = get(Some(date_col));
        if cell.is_empty() {
            return Err(Error::at(
                path,
                Some(line),
                Some(&date_name),
                format!("empty date; expected {}", dates.forms()),
            ));
        }
        let (date, instant) = parse_when(&cell, &get(time_c), &get(tz_c), &dates)
            .map_err(|(which, msg)| Error::at(path, Some(line), when_names[which].as_deref(), msg))?;
        // `BABA;AAPL`, `BABA, AAPL` and `BABA AAPL` all name two tickers.
        let tickers: Vec<String> = split_tickers(&get(tick_c));
        if let Some(bad) = tickers.iter().find(|t| super::validate_ticker(t).is_err()) {
            let col = tick_c.map(|c| table.header[c].clone());
            return Err(Error::at(
                path,
                Some(line),
                col.as_deref(),
                format!("'{bad}' is not a valid ticker: no path separators or '..' (examples: BABA, 9988.HK)"),
            ));
        }
        let id = match (get(id_c), id_c) {
            (s, Some(c)) if s.is_empty() => {
                return Err(Error::at(
                    path,
                    Some(line),
                    Some(&table.header[c]),
                    "empty event id; expected an id naming the event (claims and outputs refer to events by id), or no id column at all",
                ))
            }
            (s, Some(_)) => s,
            (_, None) => format!("E{}", i + 1),
        };
        if let Some(first) = ids.insert(id.clone(), line) {
            return Err(Error::at(
                path,
                Some(line),
                Some("id"),
                format!("duplicate event id '{id}' (also on line {first})"),
            ));
        }
        events.push(Event {
            id,
            date,
            tickers,
            kind: get(kind_c),
            headline: get(head_c),
            source: get(src_c),
            url: get(url_c),
            line,
            instant,
        });
    }
    Ok((events, table.sha256, dates.order))
}

/// The tickers of an events row's ticker cell, split on `;`, `,`, `|` and white space.
pub fn split_tickers(cell: &str) -> Vec<String> {
    cell.split(|c: char| matches!(c, ';' | ',' | '|') || c.is_whitespace())
        .filter(|t| !t.is_empty())
        .map(String::from)
        .collect()
}

/// A text cell as outputs show it: trimmed, with control characters (NUL, BEL, ...) left out
/// and tabs read as spaces.
pub fn clean_text(s: &str) -> String {
    // Bidirectional overrides and isolates (U+202A-U+202E, U+2066-U+2069) would reorder the text
    // around them in a report: they go too.
    let bidi = |c: char| matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}');
    s.trim()
        .chars()
        .filter_map(|c| if c == '\t' { Some(' ') } else { (!c.is_control() && !bidi(c)).then_some(c) })
        .collect()
}

/// The forms of an event time, for error messages.
const TIME_FORMS: &str =
    "a date YYYY-MM-DD, or a timestamp with an offset such as 2025-02-13T10:00:00+04:00 or 2025-02-13T06:00:00Z";

/// An event's date, and its instant when it has a time.
type When = (NaiveDate, Option<DateTime<FixedOffset>>);

/// Reads the `date`, `time` and `timezone` cells of one event. The error names the cell at
/// fault (0 date, 1 time, 2 timezone) and says what was expected.
fn parse_when(date: &str, time: &str, zone: &str, dates: &DateColumn) -> std::result::Result<When, (usize, String)> {
    let date = date.trim();
    let tz = if zone.is_empty() {
        None
    } else {
        Some(zone.parse::<Tz>().map_err(|_| {
            (
                2,
                format!(
                    "'{zone}' is not an IANA time zone; expected a name such as Asia/Dubai, America/New_York or UTC"
                ),
            )
        }))
        .transpose()?
    };
    // A timestamp in the date cell: with an offset (RFC 3339, `Z`), or local to `timezone`.
    if date.len() > 10 {
        if !time.is_empty() {
            return Err((
                1,
                format!("the date '{date}' already has a time of day; leave 'time' empty or write the date alone"),
            ));
        }
        if let Some(t) = parse_offset_datetime(date) {
            return Ok((t.date_naive(), Some(t)));
        }
        let naive = parse_naive_datetime(date)
            .ok_or_else(|| (0, format!("'{date}' is not a date or timestamp; expected {TIME_FORMS}")))?;
        let Some(tz) = tz else {
            // Spreadsheets write plain dates as `2025-02-13 00:00:00`: a date, not an instant.
            if naive.time() == NaiveTime::MIN {
                return Ok((naive.date(), None));
            }
            let shown: String = date.chars().take(19).collect();
            return Err((0, format!("'{date}' has a time of day but no offset; add one (e.g. {shown}+04:00) or give the IANA zone in a 'timezone' column")));
        };
        return localise(naive, tz).map(|t| (naive.date(), Some(t))).map_err(|m| (0, m));
    }
    let day =
        dates.parse(date).ok_or_else(|| (0, format!("'{}' is not a date; expected {}", shown(date), dates.forms())))?;
    if time.is_empty() {
        return Ok((day, None));
    }
    let t = ["%H:%M:%S", "%H:%M", "%H:%M:%S%.f"]
        .iter()
        .find_map(|f| NaiveTime::parse_from_str(time.trim(), f).ok())
        .ok_or_else(|| (1, format!("'{time}' is not a time of day; expected HH:MM or HH:MM:SS (24-hour)")))?;
    let tz = tz.ok_or_else(|| {
        (1, format!("the time '{time}' has no time zone; give its IANA name in a 'timezone' column (e.g. Asia/Dubai)"))
    })?;
    localise(day.and_time(t), tz).map(|i| (day, Some(i))).map_err(|m| (1, m))
}

fn parse_offset_datetime(s: &str) -> Option<DateTime<FixedOffset>> {
    let s = s.trim();
    let fixed = s
        .strip_suffix('Z')
        .or_else(|| s.strip_suffix('z'))
        .map(|b| format!("{b}+00:00"))
        .unwrap_or_else(|| s.to_string());
    for f in [
        "%Y-%m-%dT%H:%M:%S%.f%:z",
        "%Y-%m-%d %H:%M:%S%.f%:z",
        "%Y-%m-%dT%H:%M%:z",
        "%Y-%m-%d %H:%M%:z",
        "%Y-%m-%dT%H:%M:%S%.f%#z",
        "%Y-%m-%d %H:%M:%S%.f%#z",
    ] {
        if let Ok(t) = DateTime::parse_from_str(&fixed, f) {
            return Some(t);
        }
    }
    None
}

fn parse_naive_datetime(s: &str) -> Option<NaiveDateTime> {
    ["%Y-%m-%dT%H:%M:%S%.f", "%Y-%m-%d %H:%M:%S%.f", "%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"]
        .iter()
        .find_map(|f| NaiveDateTime::parse_from_str(s.trim(), f).ok())
}

/// A local time in an IANA zone as an instant; a time skipped by a daylight-saving change is
/// an error, a repeated one takes the earlier instant.
fn localise(t: NaiveDateTime, tz: Tz) -> std::result::Result<DateTime<FixedOffset>, String> {
    tz.from_local_datetime(&t)
        .earliest()
        .map(|x| x.fixed_offset())
        .ok_or_else(|| format!("{t} does not exist in {tz} (the clocks skip it for daylight saving)"))
}

#[cfg(test)]
mod tests {
    use super::*;

    const ISO: DateColumn = DateColumn { order: None };

    #[test]
    fn ticker_cells_split_on_separators_and_spaces() {
        // Regression: `BABA, AAPL` and `BABA AAPL` were one unknown ticker, dropped silently.
        for cell in ["BABA, AAPL", "BABA AAPL", "BABA;AAPL", " BABA |AAPL "] {
            assert_eq!(split_tickers(cell), ["BABA", "AAPL"], "{cell}");
        }
        assert!(split_tickers("").is_empty());
        assert_eq!(clean_text(" a\u{0}b\u{7}\tc "), "ab c");
    }

    fn instant(s: &str) -> DateTime<FixedOffset> {
        DateTime::parse_from_rfc3339(s).unwrap()
    }

    #[test]
    fn timestamps_with_offsets_keep_their_instant_and_written_date() {
        let (d, t) = parse_when("2025-02-13T10:00:00+04:00", "", "", &ISO).unwrap();
        assert_eq!(d, NaiveDate::from_ymd_opt(2025, 2, 13).unwrap());
        assert_eq!(t, Some(instant("2025-02-13T06:00:00Z")));
        assert_eq!(
            parse_when("2024-03-22T12:30:00Z", "", "", &ISO).unwrap().1,
            Some(instant("2024-03-22T12:30:00+00:00"))
        );
        assert_eq!(
            parse_when("2024-03-22 12:30+00:00", "", "", &ISO).unwrap().1,
            Some(instant("2024-03-22T12:30:00Z"))
        );
        assert_eq!(
            parse_when("2024-03-22 20:30:00+08", "", "", &ISO).unwrap().1,
            Some(instant("2024-03-22T12:30:00Z")),
            "PostgreSQL offsets"
        );
        assert_eq!(
            parse_when("2025-02-13 00:00:00", "", "", &ISO).unwrap(),
            (NaiveDate::from_ymd_opt(2025, 2, 13).unwrap(), None),
            "spreadsheet midnight is a date"
        );
        // Regression: a multi-byte character where a byte slice would cut must not panic.
        assert!(parse_when("2023-06-01\u{a0}\u{a0}\u{a0}\u{a0}\u{a0}10:00", "", "", &ISO).is_err());
    }

    #[test]
    fn date_time_and_zone_columns_follow_daylight_saving() {
        // 16:30 in New York is 21:30 UTC in winter and 20:30 UTC after the March change.
        assert_eq!(
            parse_when("2025-01-15", "16:30", "America/New_York", &ISO).unwrap().1,
            Some(instant("2025-01-15T21:30:00Z"))
        );
        assert_eq!(
            parse_when("2025-03-10", "16:30", "America/New_York", &ISO).unwrap().1,
            Some(instant("2025-03-10T20:30:00Z"))
        );
        assert_eq!(
            parse_when("2025-02-13 10:00", "", "Asia/Dubai", &ISO).unwrap().1,
            Some(instant("2025-02-13T06:00:00Z"))
        );
    }

    #[test]
    fn incomplete_or_wrong_times_name_the_cell_at_fault() {
        assert_eq!(parse_when("2025-02-13", "10:00", "", &ISO).unwrap_err().0, 1);
        assert_eq!(parse_when("2025-02-13 10:00", "", "", &ISO).unwrap_err().0, 0);
        assert_eq!(parse_when("2025-02-13", "25:00", "UTC", &ISO).unwrap_err().0, 1);
        assert_eq!(parse_when("2025-02-13", "10:00", "Mars/Olympus", &ISO).unwrap_err().0, 2);
        assert_eq!(parse_when("2025-03-09", "02:30", "America/New_York", &ISO).unwrap_err().0, 1, "skipped by DST");
        assert_eq!(
            parse_when("2025-02-13", "", "Asia/Dubai", &ISO).unwrap(),
            (NaiveDate::from_ymd_opt(2025, 2, 13).unwrap(), None)
        );
    }
}
