//! The events file (SPEC §3.2): one dated news item per row. Only `date` is required; `ticker`
//! may name one ticker, a `;`-separated list, or be empty for every ticker in the study.

use std::path::Path;

use chrono::NaiveDate;

use super::dates::{parse_date, DATE_FORMS};
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
    /// Set when the date cell carried a time of day, which this version does not use yet.
    pub had_time: bool,
}

impl Event {
    /// Whether the event concerns `ticker` (an empty ticker list concerns all).
    pub fn concerns(&self, ticker: &str) -> bool {
        self.tickers.is_empty() || self.tickers.iter().any(|t| t.eq_ignore_ascii_case(ticker))
    }
}

/// Loads the events file; returns the events and the file's SHA-256.
pub fn load_events(path: &Path) -> Result<(Vec<Event>, String)> {
    let table = read_table(path, "events")?;
    let date_col = table.find_column(&["date", "event date", "datetime", "timestamp"]).ok_or_else(|| {
        Error::at(path, Some(1), None, format!("no 'date' column in the header [{}]", table.header.join(", ")))
    })?;
    let col = |names: &[&str]| table.find_column(names);
    let (id_c, tick_c, kind_c, head_c, src_c, url_c) = (
        col(&["id", "event id"]),
        col(&["ticker", "tickers", "symbol"]),
        col(&["kind", "type", "category"]),
        col(&["headline", "title", "description"]),
        col(&["source"]),
        col(&["url", "link"]),
    );
    let date_name = table.header[date_col].clone();
    let mut events = Vec::with_capacity(table.rows.len());
    for (i, (row, &line)) in table.rows.iter().zip(&table.lines).enumerate() {
        let get = |c: Option<usize>| c.and_then(|c| row.get(c).cloned().flatten()).map(|s| s.trim().to_string()).unwrap_or_default();
        let cell = get(Some(date_col));
        if cell.is_empty() {
            return Err(Error::at(path, Some(line), Some(&date_name), format!("empty date; expected {DATE_FORMS}")));
        }
        let date = parse_date(&cell)
            .ok_or_else(|| Error::at(path, Some(line), Some(&date_name), format!("'{cell}' is not a date; expected {DATE_FORMS}")))?;
        let tickers: Vec<String> =
            get(tick_c).split([';', '|']).map(|t| t.trim().to_string()).filter(|t| !t.is_empty()).collect();
        let id = match get(id_c) {
            s if s.is_empty() => format!("E{}", i + 1),
            s => s,
        };
        events.push(Event {
            id,
            date,
            tickers,
            kind: get(kind_c),
            headline: get(head_c),
            source: get(src_c),
            url: get(url_c),
            line,
            had_time: cell.trim().len() > 10,
        });
    }
    if let Some(dup) = events.iter().enumerate().find_map(|(i, e)| events[..i].iter().find(|o| o.id == e.id).map(|o| (o, e))) {
        return Err(Error::at(path, Some(dup.1.line), Some("id"), format!("duplicate event id '{}' (also on line {})", dup.1.id, dup.0.line)));
    }
    Ok((events, table.sha256))
}
