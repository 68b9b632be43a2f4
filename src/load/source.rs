//! Where a ticker's prices come from: the `--panel` file first, then `<data>/<TICKER>.csv`,
//! and what to tell the user when neither has them.

use std::path::{Path, PathBuf};

use super::{find_price_file, load_panel, load_prices_with, Panel, PriceOptions, PriceSeries};
use crate::error::{Error, Result};

/// The price files of a study: a folder and an optional panel.
pub struct PriceSource {
    dir: PathBuf,
    panel: Option<Panel>,
    opts: PriceOptions,
}

impl PriceSource {
    /// Reads the panel (when given) once; price files are read on demand.
    pub fn new(dir: &Path, panel: Option<&Path>, opts: PriceOptions) -> Result<PriceSource> {
        let panel = panel.map(load_panel).transpose()?;
        Ok(PriceSource { dir: dir.to_path_buf(), panel, opts })
    }

    pub fn has(&self, ticker: &str) -> bool {
        self.panel.as_ref().is_some_and(|p| p.has(ticker)) || find_price_file(&self.dir, ticker).is_some()
    }

    /// Frees the panel once every ticker's prices have been read from it.
    pub fn release_panel(&mut self) {
        self.panel = None;
    }

    /// The prices of `ticker`, or `None` when neither the panel nor the folder has them. The
    /// series is labelled with its source's own name of the ticker ([`Self::name`]).
    pub fn load(&self, ticker: &str) -> Result<Option<PriceSeries>> {
        if let Some(s) = self.panel.as_ref().map(|p| p.series(ticker, &self.opts)).transpose()?.flatten() {
            return Ok(Some(s));
        }
        let name = self.name(ticker);
        find_price_file(&self.dir, ticker).map(|p| load_prices_with(&p, &name, &self.opts)).transpose()
    }

    /// The name the prices give `ticker`: the panel's column or rows, else the price file's
    /// stem (`baba` reads `BABA.csv` and is `BABA`), else the ticker as typed.
    pub fn name(&self, ticker: &str) -> String {
        if let Some(n) = self.panel.as_ref().and_then(|p| p.name(ticker)) {
            return n;
        }
        find_price_file(&self.dir, ticker)
            .and_then(|p| p.file_stem().and_then(|s| s.to_str()).map(String::from))
            .filter(|stem| {
                let bare = |s: &str| s.trim_start_matches('^').to_ascii_lowercase();
                bare(stem) == bare(ticker)
            })
            .map(|stem| if ticker.starts_with('^') && !stem.starts_with('^') { ticker.to_string() } else { stem })
            .unwrap_or_else(|| ticker.to_string())
    }

    /// The usage error when a `--panel` was given but holds none of `wanted` (the study's
    /// tickers and benchmarks): every price would then come from the data folder, which is not
    /// what naming a panel asks for.
    pub fn unused_panel<'a>(&self, wanted: impl IntoIterator<Item = &'a String>) -> Option<Error> {
        let p = self.panel.as_ref()?;
        let wanted: Vec<&String> = wanted.into_iter().collect();
        if wanted.iter().any(|t| p.has(t)) {
            return None;
        }
        let held = p.tickers();
        let shorten = |v: Vec<&str>| match v.len() {
            0 => "none".to_string(),
            n if n > 10 => format!("{}, ... ({n} in all)", v[..10].join(", ")),
            _ => v.join(", "),
        };
        Some(Error::Usage(format!(
            "--panel {}: holds none of the study's tickers ({}); it has {}. A long panel has columns date, ticker, close; a wide one a date column and one column per ticker",
            p.path.display(),
            shorten(wanted.iter().map(|t| t.as_str()).collect()),
            shorten(held.iter().map(|t| t.as_str()).collect()),
        )))
    }

    /// Where prices of `ticker` were looked for.
    pub fn expected(&self, ticker: &str) -> String {
        match &self.panel {
            Some(p) => format!(
                "no column or rows '{ticker}' in {} and no file {}/{ticker}.csv",
                p.path.display(),
                self.dir.display()
            ),
            None => format!("no file {}/{ticker}.csv", self.dir.display()),
        }
    }

    /// The usage error for a requested ticker without prices, listing what is there.
    pub fn missing(&self, ticker: &str) -> Error {
        let (expected, listed) = self.expected_with_listing(ticker);
        Error::Usage(format!("no prices for '{ticker}': {expected}; tickers with prices: {listed}"))
    }

    /// Where prices of `ticker` were looked for, and the tickers that have prices (shortened).
    pub fn expected_with_listing(&self, ticker: &str) -> (String, String) {
        let mut available = list_tickers(&self.dir);
        if let Some(p) = &self.panel {
            available.extend(p.tickers());
        }
        let shown = if available.len() > 40 {
            format!("{}, ... ({} in all)", available[..40].join(", "), available.len())
        } else {
            available.join(", ")
        };
        (self.expected(ticker), if available.is_empty() { "none".to_string() } else { shown })
    }
}

/// Tickers that have a price file in `dir` (file stems of `*.csv`, except the events file).
pub fn list_tickers(dir: &Path) -> Vec<String> {
    let mut v: Vec<String> = std::fs::read_dir(dir)
        .map(|rd| {
            rd.filter_map(|e| e.ok())
                .map(|e| e.path())
                .filter(|p| p.is_file() && p.extension().is_some_and(|x| x.eq_ignore_ascii_case("csv")))
                .filter_map(|p| p.file_stem().and_then(|s| s.to_str()).map(String::from))
                .filter(|s| !["events", "tickers", "claims"].iter().any(|n| s.eq_ignore_ascii_case(n)))
                .collect()
        })
        .unwrap_or_default();
    v.sort();
    v
}

/// A ticker becomes a file name, so it may not carry a path.
pub fn validate_ticker(t: &str) -> Result<()> {
    if t.is_empty() {
        return Err(Error::Usage("an empty ticker name was given".into()));
    }
    if t.contains(['/', '\\', '\0']) || t.contains("..") || t.chars().any(|c| c.is_control()) {
        return Err(Error::Usage(format!(
            "'{t}' is not a valid ticker: it may not contain path separators or '..' (examples: BABA, 9988.HK, ^GSPC)"
        )));
    }
    Ok(())
}
