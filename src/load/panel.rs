//! Many tickers in one file (`--panel FILE`), in either of the two shapes people keep:
//! - long: a date column, a ticker column and a price column (`date,ticker,close`), one row
//!   per ticker and day, as exported from a database;
//! - wide: a date column and one price column per ticker (`Date;NVDA;AAPL;...;SP500`), as
//!   spreadsheets keep closes; the ticker picks its column, so a study of AAPL against SP500
//!   reads those two columns and nothing else.
//!
//! Each ticker's series goes through the same checks as a single-ticker file, on demand, so a
//! problem in a column nobody asked for does not stop the study.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use super::prices::{
    build_series, no_date_column, price_column, Columns, PriceOptions, PriceSeries, RawRow, DATE_COLUMNS,
};
use super::table::{is_parquet, read_parquet_table, read_table, TextTable};
use crate::error::{Error, Result};

/// Ticker column names of a long panel.
const TICKER_COLUMNS: &[&str] = &["ticker", "symbol", "permno", "ric", "isin", "code"];
/// Price column names a long panel accepts beyond those of a price file (CRSP's `PRC`).
const LONG_EXTRA_PRICE_COLUMNS: &[&str] = &["prc"];
/// Header names of a wide panel that are not tickers.
const NOT_TICKERS: &[&str] = &["volume", "open", "high", "low"];

/// A loaded panel file.
pub struct Panel {
    pub path: PathBuf,
    pub sha256: String,
    table: TextTable,
    date_col: usize,
    layout: Layout,
}

enum Layout {
    /// Ticker → its row indices; the price column.
    Long { rows: HashMap<String, Vec<u32>>, names: Vec<String>, price_col: usize },
    /// Ticker (lower case) → its column. Columns named like price fields (`Volume`, `Open`)
    /// are read when asked for by name, but not listed as tickers.
    Wide { columns: HashMap<String, usize>, fields: Vec<usize> },
}

impl Panel {
    /// `long` or `wide`.
    pub fn layout(&self) -> &'static str {
        match self.layout {
            Layout::Long { .. } => "long",
            Layout::Wide { .. } => "wide",
        }
    }

    /// The tickers in the panel, in file order.
    pub fn tickers(&self) -> Vec<String> {
        match &self.layout {
            Layout::Long { names, .. } => names.clone(),
            Layout::Wide { columns, fields } => {
                let mut v: Vec<(usize, String)> = columns
                    .values()
                    .filter(|c| !fields.contains(c))
                    .map(|&c| (c, self.table.header[c].clone()))
                    .collect();
                v.sort();
                v.into_iter().map(|x| x.1).collect()
            }
        }
    }

    /// Whether the panel holds `ticker` (case-insensitive, with or without a leading `^`).
    pub fn has(&self, ticker: &str) -> bool {
        self.key(ticker).is_some()
    }

    fn key(&self, ticker: &str) -> Option<String> {
        let lower = ticker.to_ascii_lowercase();
        let bare = lower.trim_start_matches('^').to_string();
        let found = |k: &String| match &self.layout {
            Layout::Long { rows, .. } => rows.contains_key(k),
            Layout::Wide { columns, .. } => columns.contains_key(k),
        };
        [lower.clone(), bare.clone(), format!("^{bare}")].into_iter().find(found)
    }

    /// The panel's own name of `ticker` (its column header, or its first row's ticker cell).
    pub fn name(&self, ticker: &str) -> Option<String> {
        let key = self.key(ticker)?;
        Some(match &self.layout {
            Layout::Long { names, .. } => names.iter().find(|n| n.eq_ignore_ascii_case(&key)).cloned().unwrap_or(key),
            Layout::Wide { columns, .. } => self.table.header[columns[&key]].trim().to_string(),
        })
    }

    /// The series of `ticker`, or `None` when the panel does not hold it.
    pub fn series(&self, ticker: &str, opts: &PriceOptions) -> Result<Option<PriceSeries>> {
        let Some(key) = self.key(ticker) else { return Ok(None) };
        let t = &self.table;
        let (idx, price_col): (Vec<usize>, usize) = match &self.layout {
            Layout::Long { rows, price_col, .. } => (rows[&key].iter().map(|&r| r as usize).collect(), *price_col),
            Layout::Wide { columns, .. } => ((0..t.len()).collect(), columns[&key]),
        };
        let raw = idx
            .into_iter()
            .map(|r| RawRow {
                line: t.line(r),
                date: t.cell(r, self.date_col),
                price: t.cell(r, price_col),
                volume: None,
                split: false,
            })
            .collect();
        let columns = Columns { date: &t.header[self.date_col], price: &t.header[price_col], volume: None };
        let name = self.name(ticker).unwrap_or_else(|| ticker.to_string());
        let mut s = build_series(&self.path, &name, columns, raw, t.decimal_comma(), &self.sha256, opts)?;
        s.volumes = None;
        if matches!(self.layout, Layout::Long { .. }) {
            s.price_column = format!("{} (rows of {name})", t.header[price_col]);
        }
        Ok(Some(s))
    }
}

/// Reads a panel file and works out its layout.
pub fn load_panel(path: &Path) -> Result<Panel> {
    let _t = crate::timing::phase("panel file");
    let mut table = if is_parquet(path) { read_parquet_table(path, "panel")? } else { read_table(path, "panel")? };
    // Parquet columns of types this build does not read, named in every refusal below.
    let unread = if table.unread.is_empty() {
        String::new()
    } else {
        format!("; not read (types this tool does not read): {}", table.unread.join(", "))
    };
    let with_unread = |e: Error| match e {
        Error::Data(m) if !unread.is_empty() => Error::Data(format!("{m}{unread}")),
        e => e,
    };
    let date_col = table.find_column(DATE_COLUMNS).ok_or_else(|| with_unread(no_date_column(path, &table.header)))?;
    if table.is_empty() {
        return Err(Error::at(path, None, None, "the file has a header but no data rows"));
    }
    let layout = match table.find_column(TICKER_COLUMNS) {
        Some(ticker_col) => {
            let price_col =
                price_column(&table).or_else(|| table.find_column(LONG_EXTRA_PRICE_COLUMNS)).ok_or_else(|| {
                    Error::at(
                        path,
                        Some(1),
                        None,
                        format!(
                            "a long panel needs a price column: none of [{}] is 'close', 'adj close' or 'price'{unread}",
                            table.header.join(", ")
                        ),
                    )
                })?;
            // Long panels are usually sorted by ticker: a row of the same ticker as the row
            // before goes to the same list without a lookup.
            let mut index: HashMap<String, usize> = HashMap::new();
            let mut lists: Vec<Vec<u32>> = Vec::new();
            if table.len() > u32::MAX as usize {
                return Err(Error::at(
                    path,
                    None,
                    None,
                    format!("{} rows: a panel holds at most {} rows", table.len(), u32::MAX),
                ));
            }
            let mut names: Vec<String> = Vec::new();
            let mut last: Option<(&str, usize)> = None;
            for (i, line) in table.records() {
                let Some(t) = table.cell(i, ticker_col).map(str::trim) else {
                    return Err(Error::at(
                        path,
                        Some(line),
                        Some(&table.header[ticker_col]),
                        "empty ticker; expected the ticker of the row",
                    ));
                };
                let k = match last {
                    Some((prev, k)) if prev == t => k,
                    _ => {
                        let k = *index.entry(t.to_ascii_lowercase()).or_insert_with(|| {
                            names.push(t.to_string());
                            lists.push(Vec::new());
                            lists.len() - 1
                        });
                        last = Some((t, k));
                        k
                    }
                };
                lists[k].push(i as u32);
            }
            let rows: HashMap<String, Vec<u32>> =
                index.into_iter().map(|(key, k)| (key, std::mem::take(&mut lists[k]))).collect();
            // Only the dates and prices are read from here on: the tickers (and any other
            // column) are freed, a third of a 15-million-row panel's memory.
            table.release_columns_except(&[date_col, price_col]);
            Layout::Long { rows, names, price_col }
        }
        None => {
            let (mut columns, mut fields) = (HashMap::new(), Vec::new());
            for (c, h) in table.header.iter().enumerate() {
                let name = h.trim();
                if c == date_col || name.is_empty() {
                    continue;
                }
                if NOT_TICKERS.contains(&name.to_ascii_lowercase().as_str()) {
                    fields.push(c);
                }
                if let Some(prev) = columns.insert(name.to_ascii_lowercase(), c) {
                    return Err(Error::at(
                        path,
                        Some(1),
                        Some(name),
                        format!("the column '{name}' appears twice (columns {} and {})", prev + 1, c + 1),
                    ));
                }
            }
            if columns.len() == fields.len() {
                return Err(Error::at(
                    path,
                    Some(1),
                    None,
                    format!("no ticker columns besides the date in [{}]{unread}", table.header.join(", ")),
                ));
            }
            Layout::Wide { columns, fields }
        }
    };
    Ok(Panel { path: path.to_path_buf(), sha256: table.sha256.clone(), table, date_col, layout })
}
