//! Daily price files: one ticker per file, in the layouts people really have (Yahoo Finance
//! download, yfinance `to_csv` and `.history()`, minimal `Date,Close`, lower-case headers, any
//! column order). The adjusted close is used when the file has one, else the close, and the
//! choice is reported with the series.

use std::path::{Path, PathBuf};

use chrono::NaiveDate;

use super::dates::{parse_date, DATE_FORMS};
use super::table::read_table;
use crate::error::{Error, Result};

/// Header names (normalised) accepted for the date column.
const DATE_COLUMNS: &[&str] = &["date", "datetime", "timestamp", "time", "day"];
/// Adjusted-close names, preferred when present.
const ADJ_COLUMNS: &[&str] = &["adj close", "adjclose", "adjusted close", "adj. close", "adjusted"];
/// Plain close names, used when there is no adjusted close.
const CLOSE_COLUMNS: &[&str] = &["close", "close/last", "price", "last", "px last"];

/// One ticker's prices on its own trading calendar (the dates present in its file).
#[derive(Debug, Clone)]
pub struct PriceSeries {
    pub ticker: String,
    pub path: PathBuf,
    pub sha256: String,
    /// Strictly increasing trading dates.
    pub dates: Vec<NaiveDate>,
    /// Prices (all > 0), aligned with `dates`.
    pub prices: Vec<f64>,
    /// The header of the column the prices came from, e.g. `Adj Close`.
    pub price_column: String,
    /// Things the user should know about the file (skipped rows, re-sorting).
    pub warnings: Vec<String>,
}

/// Finds `<dir>/<TICKER>.csv`: exact name first, then with or without a leading `^`
/// (`^GSPC.csv` or `GSPC.csv`), then ignoring case.
pub fn find_price_file(dir: &Path, ticker: &str) -> Option<PathBuf> {
    let bare = ticker.trim_start_matches('^');
    let candidates = [format!("{ticker}.csv"), format!("{bare}.csv"), format!("^{bare}.csv")];
    for c in &candidates {
        let p = dir.join(c);
        if p.is_file() {
            return Some(p);
        }
    }
    let wanted: Vec<String> = candidates.iter().map(|c| c.to_ascii_lowercase()).collect();
    let entries = std::fs::read_dir(dir).ok()?;
    let mut found: Vec<PathBuf> = entries
        .filter_map(|e| e.ok())
        .map(|e| e.path())
        .filter(|p| p.is_file())
        .filter(|p| {
            p.file_name()
                .and_then(|n| n.to_str())
                .map(|n| wanted.contains(&n.to_ascii_lowercase()))
                .unwrap_or(false)
        })
        .collect();
    found.sort();
    found.into_iter().next()
}

/// Loads one price file.
pub fn load_prices(path: &Path, ticker: &str) -> Result<PriceSeries> {
    let table = read_table(path, "price")?;
    let date_col = table.find_column(DATE_COLUMNS).ok_or_else(|| {
        Error::at(path, Some(1), None, format!("no date column in the header [{}]; expected one named Date", table.header.join(", ")))
    })?;
    let price_col = table.find_column(ADJ_COLUMNS).or_else(|| table.find_column(CLOSE_COLUMNS)).ok_or_else(|| {
        Error::at(
            path,
            Some(1),
            None,
            format!("no price column in the header [{}]; expected 'Adj Close' or 'Close'", table.header.join(", ")),
        )
    })?;
    let price_name = table.header[price_col].clone();
    let date_name = table.header[date_col].clone();
    if table.rows.is_empty() {
        return Err(Error::at(path, None, None, "the file has a header but no data rows"));
    }

    let mut pairs: Vec<(NaiveDate, f64, usize)> = Vec::with_capacity(table.rows.len());
    let mut missing_lines: Vec<usize> = Vec::new();
    let mut negative_lines: Vec<usize> = Vec::new();
    for (row, &line) in table.rows.iter().zip(&table.lines) {
        let date_cell = row[date_col].as_deref().ok_or_else(|| Error::at(path, Some(line), Some(&date_name), "empty date"))?;
        let date = parse_date(date_cell).ok_or_else(|| {
            Error::at(path, Some(line), Some(&date_name), format!("'{date_cell}' is not a date; expected {DATE_FORMS}"))
        })?;
        let price = match row[price_col].as_deref() {
            None => None,
            Some(cell) => parse_price(cell).map_err(|_| {
                Error::at(path, Some(line), Some(&price_name), format!("'{cell}' is not a number; expected a price such as 123.45"))
            })?,
        };
        match price {
            None => missing_lines.push(line),
            Some(p) if p == 0.0 => {
                return Err(Error::at(path, Some(line), Some(&price_name), "price 0 is not a valid price; expected a positive number"));
            }
            Some(p) if p < 0.0 => {
                // CRSP marks a bid/ask average (no trade that day) with a minus sign.
                negative_lines.push(line);
                pairs.push((date, -p, line));
            }
            Some(p) => pairs.push((date, p, line)),
        }
    }

    let mut warnings = Vec::new();
    if !missing_lines.is_empty() {
        warnings.push(format!(
            "{}: {} row(s) with no price (null/NaN/empty) skipped, at line(s) {}",
            path.display(),
            missing_lines.len(),
            list_lines(&missing_lines)
        ));
    }
    if !negative_lines.is_empty() {
        warnings.push(format!(
            "{}: {} negative price(s), at line(s) {}, read as CRSP bid/ask averages (absolute value)",
            path.display(),
            negative_lines.len(),
            list_lines(&negative_lines)
        ));
    }
    if pairs.windows(2).any(|w| w[1].0 <= w[0].0) {
        pairs.sort_by_key(|p| p.0);
        if let Some(w) = pairs.windows(2).find(|w| w[1].0 == w[0].0) {
            return Err(Error::at(
                path,
                Some(w[1].2.max(w[0].2)),
                Some(&date_name),
                format!("duplicate date {} (also on line {})", w[1].0, w[1].2.min(w[0].2)),
            ));
        }
        warnings.push(format!("{}: dates were not in increasing order; sorted", path.display()));
    }
    if pairs.is_empty() {
        return Err(Error::at(path, None, Some(&price_name), "no row has a price"));
    }
    Ok(PriceSeries {
        ticker: ticker.to_string(),
        path: path.to_path_buf(),
        sha256: table.sha256,
        dates: pairs.iter().map(|p| p.0).collect(),
        prices: pairs.iter().map(|p| p.1).collect(),
        price_column: price_name,
        warnings,
    })
}

/// A price cell: `Ok(None)` for a missing value, `Err` for text that is not a number.
fn parse_price(cell: &str) -> std::result::Result<Option<f64>, ()> {
    let s = cell.trim().trim_matches('"').trim();
    if s.is_empty() || matches!(s.to_ascii_lowercase().as_str(), "null" | "nan" | "na" | "n/a" | "none" | "-") {
        return Ok(None);
    }
    let s = s.strip_prefix('$').unwrap_or(s).trim();
    match s.parse::<f64>() {
        Ok(v) if v.is_finite() => Ok(Some(v)),
        Ok(_) => Ok(None),
        Err(_) => Err(()),
    }
}

fn list_lines(lines: &[usize]) -> String {
    let shown: Vec<String> = lines.iter().take(5).map(|l| l.to_string()).collect();
    if lines.len() > 5 {
        format!("{}, ...", shown.join(", "))
    } else {
        shown.join(", ")
    }
}

