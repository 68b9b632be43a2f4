//! The claims file (`--claims`, default `<data>/claims.csv`): what articles claim about a
//! ticker's reaction, as testable statements. Each row names a ticker, a window of relative
//! days, a measure (`car` or `volatility`) and what is expected (`above`, `below` or `between`
//! bounds). This module reads and checks the rows on their own; whether their events and
//! windows exist in the study is checked by the engine, with the same file and line.

use std::path::Path;

use super::table::read_table;
use crate::error::{Error, Result};

/// What a claim is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum ClaimMeasure {
    /// The cumulative abnormal return over the window.
    Car,
    /// The variance of the abnormal returns over the window, relative to the estimation's.
    Volatility,
}

impl ClaimMeasure {
    /// `car` or `volatility`, as in the file.
    pub fn code(self) -> &'static str {
        match self {
            ClaimMeasure::Car => "car",
            ClaimMeasure::Volatility => "volatility",
        }
    }
}

/// How the estimate should compare with the bounds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Expect {
    Above,
    Below,
    Between,
}

impl Expect {
    /// `above`, `below` or `between`, as in the file.
    pub fn code(self) -> &'static str {
        match self {
            Expect::Above => "above",
            Expect::Below => "below",
            Expect::Between => "between",
        }
    }
}

/// One claim as written, with its line.
#[derive(Debug, Clone)]
pub struct Claim {
    pub id: String,
    pub claim: String,
    pub ticker: String,
    /// An event id, or the event kinds the claim covers; neither: every event of the ticker.
    pub event: Option<String>,
    pub kinds: Vec<String>,
    pub measure: ClaimMeasure,
    pub window: (i32, i32),
    pub expect: Expect,
    pub low: Option<f64>,
    pub high: Option<f64>,
    pub alpha: f64,
    pub source: String,
    pub line: usize,
}

/// Loads a claims file; returns its claims and its SHA-256.
pub fn load_claims(path: &Path) -> Result<(Vec<Claim>, String)> {
    let table = read_table(path, "claims")?;
    let col = |n: &str| table.find_column(&[n]);
    for need in ["id", "ticker", "from", "to", "expect"] {
        if col(need).is_none() {
            return Err(Error::at(
                path,
                Some(1),
                None,
                format!(
                    "no '{need}' column in the header [{}]; a claims file needs id, ticker, from, to and expect",
                    table.header.join(", ")
                ),
            ));
        }
    }
    let mut claims = Vec::with_capacity(table.len());
    let mut ids = std::collections::HashMap::new();
    for (i, line) in table.records() {
        let get = |n: &str| col(n).and_then(|c| table.cell(i, c)).map(super::events::clean_text).unwrap_or_default();
        let bad = |column: &str, msg: String| Error::at(path, Some(line), Some(column), msg);
        let id = get("id");
        if id.is_empty() {
            return Err(bad("id", "empty claim id; expected a name such as baba-bump".into()));
        }
        if let Some(first) = ids.insert(id.clone(), line) {
            return Err(bad("id", format!("duplicate claim id '{id}' (also on line {first})")));
        }
        let ticker = get("ticker");
        if super::validate_ticker(&ticker).is_err() || ticker.contains([';', ',', ' ', '|']) {
            return Err(bad("ticker", format!("'{ticker}' is not one ticker (examples: BABA, 9988.HK)")));
        }
        let day = |n: &str| -> Result<i32> {
            let v = get(n);
            v.parse()
                .map_err(|_| bad(n, format!("'{v}' is not a relative day; expected a whole number such as -1 or 1")))
        };
        let window = (day("from")?, day("to")?);
        if window.0 > window.1 {
            return Err(bad("to", format!("the window [{},{}] is reversed; expected from <= to", window.0, window.1)));
        }
        let measure = match get("measure").to_ascii_lowercase().as_str() {
            "" | "car" => ClaimMeasure::Car,
            "volatility" => ClaimMeasure::Volatility,
            other => return Err(bad("measure", format!("'{other}' is not a measure; expected car or volatility"))),
        };
        let expect = match get("expect").to_ascii_lowercase().as_str() {
            "above" => Expect::Above,
            "below" => Expect::Below,
            "between" => Expect::Between,
            other => {
                return Err(bad("expect", format!("'{other}' is not an expectation; expected above, below or between")))
            }
        };
        let number = |n: &str| -> Result<Option<f64>> {
            let v = get(n);
            if v.is_empty() {
                return Ok(None);
            }
            match v.parse::<f64>() {
                Ok(x) if x.is_finite() => Ok(Some(x)),
                _ => Err(bad(n, format!("'{v}' is not a number; expected a decimal such as 0.10 (10%)"))),
            }
        };
        let (low, high) = (number("low")?, number("high")?);
        match (expect, low, high) {
            (Expect::Above, None, _) => return Err(bad("low", "expect above needs a low bound".into())),
            (Expect::Below, _, None) => return Err(bad("high", "expect below needs a high bound".into())),
            (Expect::Between, None, _) => {
                return Err(bad("low", "expect between needs both a low and a high bound".into()))
            }
            (Expect::Between, _, None) => {
                return Err(bad("high", "expect between needs both a low and a high bound".into()))
            }
            (Expect::Between, Some(a), Some(b)) if a > b => {
                return Err(bad("high", format!("the bounds {a} and {b} are reversed; expected low <= high")))
            }
            _ => {}
        }
        for (name, bound) in [("low", low), ("high", high)] {
            match (measure, bound) {
                (ClaimMeasure::Volatility, Some(r)) if r <= 0.0 => {
                    let why = "a volatility bound is a variance ratio; expected a positive number such as 1";
                    return Err(bad(name, why.into()));
                }
                (ClaimMeasure::Car, Some(x)) if x <= -1.0 => {
                    let why =
                        format!("{x} is a loss of 100% or more; a CAR bound is a simple return above -1 (-0.05 = -5%)");
                    return Err(bad(name, why));
                }
                _ => {}
            }
        }
        let alpha = match number("alpha")? {
            None => 0.05,
            Some(a) if (0.001..0.5).contains(&a) => a,
            Some(a) => {
                return Err(bad(
                    "alpha",
                    format!("alpha {a} is out of range; expected a level from 0.001 to below 0.5, such as 0.05"),
                ))
            }
        };
        let event = Some(get("event")).filter(|e| !e.is_empty());
        let kinds: Vec<String> =
            get("kind").split(';').map(|k| k.trim().to_string()).filter(|k| !k.is_empty()).collect();
        if event.is_some() && !kinds.is_empty() {
            return Err(bad("kind", "a claim names an event or kinds, not both".into()));
        }
        claims.push(Claim {
            id,
            claim: get("claim"),
            ticker,
            event,
            kinds,
            measure,
            window,
            expect,
            low,
            high,
            alpha,
            source: get("source"),
            line,
        });
    }
    Ok((claims, table.sha256))
}
