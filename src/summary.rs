//! The result of a study as one serde structure. Every exporter (terminal table, JSON, CSV,
//! charts) reads this and nothing else, so all outputs tell the same story. Its JSON form is
//! the documented `summary.json` contract (README.md, "Output contract").

use std::collections::BTreeMap;

use serde::Serialize;

use crate::config::{ReturnKind, Window};

/// The whole study.
#[derive(Debug, Clone, Serialize)]
pub struct Summary {
    pub tool: Tool,
    pub study: String,
    pub config: ConfigOut,
    pub conventions: Conventions,
    pub inputs: Vec<InputFile>,
    /// Set when any price input is the bundled simulated sample.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub data_notice: Option<String>,
    /// Notes about the configuration.
    pub notes: Vec<String>,
    /// Data-quality warnings from loading.
    pub warnings: Vec<String>,
    pub events: Vec<EventResult>,
    /// Count of excluded (event, ticker) pairs by reason code.
    pub exclusions: BTreeMap<String, usize>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Tool {
    pub name: String,
    pub version: String,
}

/// Every option in force.
#[derive(Debug, Clone, Serialize)]
pub struct ConfigOut {
    pub tickers: Vec<String>,
    pub market: String,
    pub model: String,
    pub returns: ReturnKind,
    pub estimation: Window,
    pub window: Window,
    pub car_windows: Vec<Window>,
    pub min_estimation: usize,
    pub non_trading: String,
    pub data_dir: String,
    pub events_file: String,
    pub out_dir: String,
}

/// The method conventions in use, spelled out (PEERS.md lists where tools differ).
#[derive(Debug, Clone, Serialize)]
pub struct Conventions {
    pub s2_denominator: String,
    pub car_variance: String,
    pub t_distribution: String,
    pub p_value: String,
    pub day0: String,
    pub returns: String,
    pub significance_marks: String,
    pub confidence_band: String,
}

/// A file that was read, with its SHA-256.
#[derive(Debug, Clone, Serialize)]
pub struct InputFile {
    /// `events`, `stock` or `market`.
    pub role: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ticker: Option<String>,
    pub path: String,
    pub sha256: String,
    /// The price column used (`Adj Close` or `Close`), for price files.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub price_column: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rows: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub first_date: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub last_date: Option<String>,
    /// True when the file is the unmodified bundled simulated sample.
    pub simulated: bool,
}

/// One (event, ticker) pair: computed or excluded with a reason.
#[derive(Debug, Clone, Serialize)]
pub struct EventResult {
    pub id: String,
    pub ticker: String,
    pub event_date: String,
    pub kind: String,
    pub headline: String,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub source: String,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub url: String,
    pub day0: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub day0_rule: Option<String>,
    /// `ok` or `excluded`.
    pub status: String,
    /// Reason code when excluded (e.g. `no_price_file`, `day0_outside_data`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    /// A sentence explaining the exclusion or anything unusual.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub notes: Vec<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub model: Option<ModelOut>,
    pub ar: Vec<ArRow>,
    pub car: Vec<CarRow>,
    /// Whether this ticker's or the market's prices are the simulated sample.
    pub simulated: bool,
}

/// The fitted normal-return model.
#[derive(Debug, Clone, Serialize)]
pub struct ModelOut {
    pub alpha: f64,
    pub beta: f64,
    /// Residual standard deviation s = √(SSR/(M−2)).
    pub sigma: f64,
    /// Number of estimation days M.
    pub n_obs: usize,
    /// Degrees of freedom of the t tests, M − 2.
    pub df: usize,
    pub estimation_start: String,
    pub estimation_end: String,
    pub r_squared: f64,
}

/// One event-window day.
#[derive(Debug, Clone, Serialize)]
pub struct ArRow {
    pub day: i32,
    pub date: String,
    pub ret: f64,
    pub market_ret: f64,
    pub expected: f64,
    pub ar: f64,
    /// AR cumulated from the first day of the event window to this day.
    pub car: f64,
    /// t of this day's AR with its forecast-error variance.
    pub t: f64,
    /// Standard error of `car` (exact forecast-error variance), for confidence bands.
    pub car_se: f64,
}

/// One CAR window.
#[derive(Debug, Clone, Serialize)]
pub struct CarRow {
    pub window: Window,
    pub car: f64,
    pub se: f64,
    pub t: f64,
    pub p: f64,
}

/// The conventional significance mark for a two-sided p-value.
pub fn stars(p: f64) -> &'static str {
    if p < 0.01 {
        "***"
    } else if p < 0.05 {
        "**"
    } else if p < 0.10 {
        "*"
    } else {
        ""
    }
}
