//! `data/tickers.csv`: what a price file cannot say about its ticker — the exchange, its time
//! zone and session close (for day 0 of timestamped news), the benchmark of the market model,
//! and the currency. Every column except `ticker` is optional, and so is the file.

use std::path::{Path, PathBuf};
use std::str::FromStr;

use chrono::NaiveTime;
use chrono_tz::Tz;

use super::table::read_table;
use crate::error::{Error, Result};

/// One row of `tickers.csv`.
#[derive(Debug, Clone, PartialEq)]
pub struct TickerInfo {
    pub ticker: String,
    pub exchange: Option<String>,
    pub timezone: Option<Tz>,
    /// Local time of the session close, e.g. 16:00.
    pub close: Option<NaiveTime>,
    pub benchmark: Option<String>,
    pub currency: Option<String>,
    /// 1-based line in the file.
    pub line: usize,
}

/// The whole file.
#[derive(Debug, Clone)]
pub struct TickerTable {
    pub path: PathBuf,
    pub sha256: String,
    pub rows: Vec<TickerInfo>,
}

impl TickerTable {
    /// The row of `ticker` (case-insensitive, with or without a leading `^`).
    pub fn get(&self, ticker: &str) -> Option<&TickerInfo> {
        let bare = |t: &str| t.trim_start_matches('^').to_ascii_lowercase();
        self.rows.iter().find(|r| bare(&r.ticker) == bare(ticker))
    }
}

/// Loads `tickers.csv`.
pub fn load_tickers(path: &Path) -> Result<TickerTable> {
    let table = read_table(path, "tickers")?;
    let tc = table.find_column(&["ticker", "symbol"]).ok_or_else(|| {
        Error::at(path, Some(1), None, format!("no 'ticker' column in the header [{}]; expected ticker,exchange,timezone,close,benchmark,currency (any subset besides ticker)", table.header.join(", ")))
    })?;
    let col = |names: &[&str]| table.find_column(names);
    let (ex_c, tz_c, close_c, bench_c, cur_c) = (
        col(&["exchange", "market", "venue"]),
        col(&["timezone", "time zone", "tz"]),
        col(&["close", "session close", "close time"]),
        col(&["benchmark", "index"]),
        col(&["currency", "ccy"]),
    );
    let name = |c: Option<usize>| c.map(|c| table.header[c].clone()).unwrap_or_default();
    let mut rows: Vec<TickerInfo> = Vec::with_capacity(table.len());
    for (i, line) in table.records() {
        let get =
            |c: Option<usize>| c.and_then(|c| table.cell(i, c)).map(|s| s.trim().to_string()).filter(|s| !s.is_empty());
        let Some(ticker) = get(Some(tc)) else {
            return Err(Error::at(
                path,
                Some(line),
                Some(&table.header[tc]),
                "empty ticker; expected a ticker such as BABA or 9988.HK",
            ));
        };
        super::validate_ticker(&ticker).map_err(|_| {
            Error::at(
                path,
                Some(line),
                Some(&table.header[tc]),
                format!("'{ticker}' is not a valid ticker: no path separators or '..'"),
            )
        })?;
        if let Some(prev) = rows.iter().find(|r| r.ticker.eq_ignore_ascii_case(&ticker)) {
            return Err(Error::at(
                path,
                Some(line),
                Some(&table.header[tc]),
                format!("ticker '{ticker}' is listed twice (also on line {})", prev.line),
            ));
        }
        let timezone = match get(tz_c) {
            None => None,
            Some(z) => Some(Tz::from_str(&z).map_err(|_| {
                Error::at(
                    path,
                    Some(line),
                    Some(&name(tz_c)),
                    format!(
                        "'{z}' is not an IANA time zone; expected a name such as America/New_York or Asia/Hong_Kong"
                    ),
                )
            })?),
        };
        let close = match get(close_c) {
            None => None,
            Some(c) => Some(
                ["%H:%M", "%H:%M:%S"].iter().find_map(|f| NaiveTime::parse_from_str(&c, f).ok()).ok_or_else(|| {
                    Error::at(
                        path,
                        Some(line),
                        Some(&name(close_c)),
                        format!("'{c}' is not a time of day; expected the local session close as HH:MM, e.g. 16:00"),
                    )
                })?,
            ),
        };
        let benchmark = get(bench_c);
        if let Some(b) = &benchmark {
            super::validate_ticker(b).map_err(|_| {
                Error::at(
                    path,
                    Some(line),
                    Some(&name(bench_c)),
                    format!("'{b}' is not a valid ticker: no path separators or '..'"),
                )
            })?;
        }
        rows.push(TickerInfo { ticker, exchange: get(ex_c), timezone, close, benchmark, currency: get(cur_c), line });
    }
    Ok(TickerTable { path: path.to_path_buf(), sha256: table.sha256, rows })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn write(text: &str) -> (tempfile::TempDir, PathBuf) {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("tickers.csv");
        std::fs::write(&p, text).unwrap();
        (dir, p)
    }

    #[test]
    fn reads_any_subset_of_columns() {
        let (_d, p) = write("ticker,benchmark,timezone,close\n9988.HK,HSI,Asia/Hong_Kong,16:00\nBABA,SPY,,\n");
        let t = load_tickers(&p).unwrap();
        assert_eq!(t.get("9988.hk").unwrap().benchmark.as_deref(), Some("HSI"));
        assert_eq!(t.get("9988.HK").unwrap().timezone, Some(chrono_tz::Asia::Hong_Kong));
        assert_eq!(t.get("BABA").unwrap().timezone, None);
        assert!(t.get("AAPL").is_none());
    }

    #[test]
    fn bad_cells_name_line_and_column() {
        let (_d, p) = write("ticker,timezone\nBABA,New York\n");
        let e = load_tickers(&p).unwrap_err().to_string();
        assert!(e.contains("line 2, column 'timezone'") && e.contains("IANA"), "{e}");
        let (_d, p) = write("ticker,close\nBABA,4pm\n");
        let e = load_tickers(&p).unwrap_err().to_string();
        assert!(e.contains("line 2, column 'close'") && e.contains("HH:MM"), "{e}");
        let (_d, p) = write("ticker\nBABA\nbaba\n");
        assert!(load_tickers(&p).unwrap_err().to_string().contains("line 3"));
    }
}
