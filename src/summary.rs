//! The result of a study as one serde structure. Every exporter (terminal table, JSON, CSV,
//! charts) reads this and nothing else, so all outputs tell the same story. Its JSON form is
//! the documented `summary.json` contract (README.md, "Output contract").

use std::collections::BTreeMap;

use serde::Serialize;

pub use crate::codes::{Day0Rule, DummyTest, InputRole, Reason, Status, TestId};
use crate::config::{BetaKind, GroupBy, MethodOptions, ModelKind, TestOptions, Window};
pub use crate::stats::TestOutcome;
pub use crate::test_map::TestMap;

/// The whole study.
#[derive(Debug, Clone, Serialize)]
pub struct Summary {
    pub tool: Tool,
    /// The study folder's name: a readable stem and the study hash (or `--name`).
    pub study: String,
    /// The hash of the study's inputs and options ([`crate::config::StudyConfig::study_hash`]):
    /// a rerun replaces a folder only when its hash is the same.
    pub study_hash: String,
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
    /// Across-event results, one item per group.
    pub aggregate: Vec<GroupResult>,
    /// Count of excluded (event, ticker) pairs by reason code.
    pub exclusions: BTreeMap<Reason, usize>,
    /// The verdict on each claim of the claims file about a ticker of the study.
    pub claims: Vec<ClaimResult>,
    /// Price series for the charts (not part of summary.json).
    #[serde(skip)]
    pub plot_prices: Vec<PlotPrices>,
    /// How many computed events have estimation points: only the first [`CHART_PANELS`] keep
    /// them (the scatter chart shows no more), this says how many there were.
    #[serde(skip)]
    pub scatter_events: usize,
    /// The tickers of those events, in study order.
    #[serde(skip)]
    pub scatter_tickers: Vec<String>,
}

/// How many overlapping or contaminating events an event lists by id (the count is complete).
pub const NEIGHBOURS_LISTED: usize = 10;

/// A chart of small multiples shows at most this many panels; the engine keeps the estimation
/// points of only as many events.
pub const CHART_PANELS: usize = 24;

/// The price chart shows at most this many tickers (the first ones of the study).
pub const PRICE_CHART_TICKERS: usize = 12;

/// One ticker's whole price series, kept for the price chart when charts are drawn.
#[derive(Debug, Clone)]
pub struct PlotPrices {
    pub ticker: String,
    pub dates: Vec<chrono::NaiveDate>,
    pub prices: Vec<f64>,
    /// `Adj Close`, `Close`, ...
    pub column: String,
}

impl Summary {
    /// The price files read (stocks and benchmarks), for the "prices used" lines of the outputs.
    pub fn price_inputs(&self) -> impl Iterator<Item = &InputFile> {
        self.inputs.iter().filter(|i| matches!(i.role, InputRole::Stock | InputRole::Market))
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct Tool {
    pub name: String,
    pub version: String,
}

/// What the study used for one ticker.
#[derive(Debug, Clone, Serialize)]
pub struct TickerOut {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub benchmark: Option<String>,
    /// `--market`, `tickers.csv line N`, or `default`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub benchmark_from: Option<String>,
    /// Time zone and session close used for timestamped events, and their source.
    pub session: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub exchange: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub currency: Option<String>,
}

/// Every option in force: the method and test options as given (flattened here), and what
/// the others resolved to.
#[derive(Debug, Clone, Serialize)]
pub struct ConfigOut {
    pub tickers: Vec<String>,
    /// The default benchmark; each ticker's own is in `tickers_info`.
    pub market: String,
    /// Per ticker: benchmark (and where it came from), trading session, exchange, currency.
    pub tickers_info: BTreeMap<String, TickerOut>,
    #[serde(flatten)]
    pub method: MethodOptions,
    /// The factor files read (factor models).
    pub factor_files: Vec<String>,
    /// The groupings in force.
    pub group_by: Vec<GroupBy>,
    #[serde(flatten)]
    pub tests: TestOptions,
    pub data_dir: String,
    pub events_file: String,
    /// `--kind`: the kinds studied (empty: every kind).
    pub kind: Vec<String>,
    /// `--date-order`, when given.
    pub date_order: Option<crate::load::DateOrder>,
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
    pub beta: String,
    pub returns: String,
    pub significance_marks: String,
    pub confidence_band: String,
    pub bmp: String,
    pub patell_car: String,
    pub kolari_pynnonen: String,
    pub corrado_rank: String,
    pub generalized_sign: String,
    /// Where the sign and Wilcoxon p-values are exact.
    pub exact_p: String,
    pub grank: String,
    pub skew_t: String,
    /// `--adjust` and its families.
    pub multiple_testing: String,
    pub bootstrap: String,
    pub bhar: String,
    pub volatility: String,
}

/// A file that was read, with its SHA-256.
#[derive(Debug, Clone, Serialize)]
pub struct InputFile {
    pub role: InputRole,
    pub ticker: Option<String>,
    pub path: String,
    pub sha256: String,
    /// The price column used (`Adj Close` or `Close`), for price files.
    pub price_column: Option<String>,
    pub rows: Option<usize>,
    pub first_date: Option<String>,
    pub last_date: Option<String>,
    /// The day/month order its slash dates were read in (`dmy`, `mdy`), null without slash dates.
    pub date_order: Option<crate::load::DateOrder>,
    /// True when the file is the unmodified bundled simulated sample.
    pub simulated: bool,
}

/// One (event, ticker) pair: computed or excluded with a reason.
#[derive(Debug, Clone, Serialize)]
pub struct EventResult {
    pub id: String,
    pub ticker: String,
    pub event_date: String,
    /// The event as written: a date, or an RFC 3339 instant.
    pub event_time: String,
    pub kind: String,
    pub headline: String,
    pub source: String,
    pub url: String,
    pub day0: Option<String>,
    /// What placed day 0 (see [`crate::session`]).
    pub day0_rule: Option<Day0Rule>,
    /// The placement in one sentence, e.g. "published 2024-03-22 20:30 HKT Asia/Hong_Kong, after
    /// the 16:00 close: next session 2024-03-25".
    pub day0_reason: Option<String>,
    /// The benchmark of this ticker (market-based models).
    pub benchmark: Option<String>,
    pub status: Status,
    /// Why, when excluded.
    pub reason: Option<Reason>,
    /// A sentence explaining the exclusion or anything unusual.
    pub notes: Vec<String>,
    pub model: Option<ModelOut>,
    /// Other events of the same ticker whose event window overlaps this estimation window (the
    /// first [`NEIGHBOURS_LISTED`]; `contaminated_count` counts them all).
    pub contaminated_by: Vec<String>,
    pub contaminated_count: usize,
    /// Other events of the same ticker whose day 0 lies inside this event window (the first
    /// [`NEIGHBOURS_LISTED`]; `overlapping_count` counts them all).
    pub overlapping: Vec<String>,
    pub overlapping_count: usize,
    /// The first event of the ticker with the same day 0: this one is reported, but counted
    /// once, as that event, in the across-event tests.
    pub merged_into: Option<String>,
    /// The GARCH event-dummy model of this event (`--garch-dummies` only).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub garch_dummies: Option<GarchDummies>,
    pub ar: Vec<ArRow>,
    pub car: Vec<CarRow>,
    /// Whether this ticker's or the market's prices are the simulated sample.
    pub simulated: bool,
    /// (benchmark return, stock return) of each estimation day, for the estimation scatter
    /// chart (kept only when charts are drawn; not part of summary.json).
    #[serde(skip)]
    pub estimation_points: Vec<(f64, f64)>,
}

/// The fitted normal-return model.
#[derive(Debug, Clone, Serialize)]
pub struct ModelOut {
    pub name: ModelKind,
    /// Intercept (the mean for constant-mean, 0 for market-adjusted).
    pub alpha: f64,
    /// Market beta: the benchmark coefficient, the Mkt−RF loading of factor models, 1 for
    /// market-adjusted, null for constant-mean.
    pub beta: Option<f64>,
    /// How the market model's beta was estimated (`ols`, `scholes-williams`, `dimson`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub beta_method: Option<BetaKind>,
    /// Every coefficient by name (`alpha`, `market`, `mkt_rf`, `smb`, ...).
    pub coefficients: BTreeMap<String, f64>,
    /// Residual standard deviation s = √(SSR/denominator).
    pub sigma: f64,
    /// Number of estimation days M.
    pub n_obs: usize,
    /// Degrees of freedom of the t tests, M − k − 1.
    pub df: usize,
    pub estimation_start: String,
    pub estimation_end: String,
    pub r_squared: f64,
    /// The maximised log-likelihood of the returns (GARCH only).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub loglik: Option<f64>,
    /// Whether the maximum-likelihood fit converged (GARCH only; a fit that did not is
    /// excluded as `not_converged`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub converged: Option<bool>,
    /// Whether a parameter is at a bound: α₁ or β₁ at 0, or α₁ + β₁ at 1 (GARCH only).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub boundary: Option<bool>,
    /// BFGS iterations of the best start (GARCH only).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub iterations: Option<u64>,
}

/// One event's GARCH(1,1) market model with event dummies, fitted over the estimation and
/// event windows (`--garch-dummies`; decimal returns).
#[derive(Debug, Clone, Serialize)]
pub struct GarchDummies {
    /// The variance dummy covers days 0 to `vol_days`.
    pub vol_days: i32,
    /// Days fitted (estimation plus event window).
    pub n_obs: usize,
    /// The mean dummy (day 0), with its classic and Bollerslev–Wooldridge standard errors.
    pub gamma: f64,
    pub gamma_se: f64,
    pub gamma_se_robust: f64,
    /// The variance dummy (days 0 to `vol_days`).
    pub delta: f64,
    pub delta_se: f64,
    pub delta_se_robust: f64,
    /// Day 0's conditional variance without the event, ω + α₁ε²₋₁ + β₁h₋₁.
    pub h0: f64,
    pub alpha: f64,
    pub beta: f64,
    pub omega: f64,
    pub alpha1: f64,
    pub beta1: f64,
    pub loglik: f64,
    pub converged: bool,
    /// α₁ or β₁ at 0, α₁ + β₁ at 1, or an event-window h on its floor: left out of the tests.
    pub boundary: bool,
    pub note: Option<String>,
}

/// One event-window day.
#[derive(Debug, Clone, Serialize)]
pub struct ArRow {
    pub day: i32,
    /// Written `YYYY-MM-DD`; kept as a date, not a string, so a large study's rows hold no
    /// allocation each.
    #[serde(serialize_with = "iso_date")]
    pub date: chrono::NaiveDate,
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
    /// Squared standardised abnormal value, (AR/se)², F(1, ν) under the null.
    pub sar2: f64,
    /// The forecast conditional variance h_t of the day (GARCH only).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub h: Option<f64>,
}

/// One CAR window.
#[derive(Debug, Clone, Serialize)]
pub struct CarRow {
    pub window: Window,
    pub car: f64,
    pub se: f64,
    pub t: f64,
    pub p: f64,
    /// `p` adjusted over the study's events of this window (`--adjust`; absent with `none`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub p_adj: Option<f64>,
    /// Buy-and-hold abnormal return Π(1+R) − Π(1+E[R]) over the window (simple returns).
    pub bhar: f64,
    /// The stock's raw move over the window, Π(1 + R) − 1 (simple returns; null for volume).
    pub raw: f64,
    /// The benchmark's raw move over the same days.
    pub market_raw: f64,
    /// Σ AR² / (L·s²): the window's squared abnormal values over the estimation variance.
    pub var_ratio: f64,
    /// Chow's predictive F, AR'V⁻¹AR/(L·s²), F(L, ν) under the null.
    pub var_f: f64,
    /// P(F(L, ν) ≥ var_f) (the lower tail with `--alternative less`).
    pub var_p: f64,
}

/// Across-event results of one group of events.
#[derive(Debug, Clone, Serialize)]
pub struct GroupResult {
    /// `all`, `ticker=BABA`, `kind=rumor`, `event=<id>` (the label of `key`).
    pub group: String,
    /// What the group gathers (not serialised: `group` says it).
    #[serde(skip)]
    pub key: GroupKey,
    pub n: usize,
    /// Average pairwise correlation of estimation residuals on calendar dates (Kolari–Pynnönen),
    /// over the pairs of `--rbar-pairs`; null for one event.
    pub rbar: f64,
    /// Pairs that contributed to `rbar`.
    pub rbar_pairs: usize,
    /// Share of positive estimation-window abnormal returns (generalized sign test).
    pub p_hat: f64,
    pub days: Vec<DayAggregate>,
    pub windows: Vec<WindowAggregate>,
    /// The cross-sectional tests of the GARCH event dummies (`--garch-dummies` only).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub garch_dummies: Option<DummyTests>,
}

/// The cross-sectional t tests of the GARCH event dummies over a group's events: the fits that
/// converged away from every bound (`n`); the others are counted in `left_out`.
#[derive(Debug, Clone, Serialize)]
pub struct DummyTests {
    pub n: usize,
    pub left_out: usize,
    /// The mean of each tested value.
    pub means: BTreeMap<DummyTest, f64>,
    pub tests: BTreeMap<DummyTest, TestOutcome>,
}

/// A group of events: all of them, or those of one ticker, kind or event id.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GroupKey {
    pub by: GroupBy,
    /// The ticker, kind or event id (`None` for all events).
    pub value: Option<String>,
}

impl GroupKey {
    /// `all`, `ticker=BABA`, `kind=rumor`, `event=<id>`.
    pub fn label(&self) -> String {
        match &self.value {
            None => "all".into(),
            Some(v) => format!("{}={v}", crate::config::option_name(self.by)),
        }
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct DayAggregate {
    pub day: i32,
    pub aar: f64,
    /// AAR cumulated from the first day of the event window.
    pub caar: f64,
    /// Standard error of `caar`: the cross-sectional one, sd(CAR_i)/√N, for N ≥ 2; the event's
    /// own forecast-error standard error for N = 1.
    pub caar_se: f64,
    /// 95% confidence band of `caar`: ± t(0.975, N−1)·caar_se, or t(0.975, M−k−1) for N = 1.
    pub caar_lo95: f64,
    pub caar_hi95: f64,
    pub tests: TestMap,
}

#[derive(Debug, Clone, Serialize)]
pub struct WindowAggregate {
    pub window: Window,
    pub caar: f64,
    /// Mean BHAR across the group's events.
    pub mean_bhar: f64,
    /// Mean variance ratio across the group's events.
    pub mean_var_ratio: f64,
    pub tests: TestMap,
}

/// A claim and the data's verdict on it.
#[derive(Debug, Clone, Serialize)]
pub struct ClaimResult {
    pub id: String,
    pub claim: String,
    pub ticker: String,
    pub measure: crate::load::ClaimMeasure,
    pub window: Window,
    pub expect: crate::load::Expect,
    /// The bounds as written (simple returns, or variance ratios).
    pub low: Option<f64>,
    pub high: Option<f64>,
    pub alpha: f64,
    pub verdict: crate::stats::claims::Verdict,
    /// The CAR (one event), the mean CAR (several), or the variance ratio F or S/ΣL.
    pub estimate: f64,
    /// Its standard error and degrees of freedom (CAR claims; null for volatility).
    pub se: Option<f64>,
    pub df: Option<f64>,
    pub n: usize,
    /// The events used.
    pub events: Vec<String>,
    pub ci90: (f64, f64),
    pub ci95: (f64, f64),
    /// Why, in one sentence.
    pub reason: String,
    /// The source of the claim, as written.
    pub source: String,
}

/// A date as `YYYY-MM-DD` (its `Display`).
fn iso_date<S: serde::Serializer>(d: &chrono::NaiveDate, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(IsoDate::new(*d).as_str())
}

/// The text of a date as its `Display` writes it (`YYYY-MM-DD` for years 0 to 9999), made
/// without a formatter: a large study writes millions of dates, and `Display` builds each one
/// a character at a time.
pub struct IsoDate {
    text: [u8; 16],
    len: usize,
}

impl IsoDate {
    pub fn new(d: chrono::NaiveDate) -> IsoDate {
        use chrono::Datelike;
        let mut text = [0u8; 16];
        let year = d.year();
        if !(0..=9999).contains(&year) {
            // chrono's own text ("+10000-01-01", "-0001-12-31"): at most 13 bytes.
            use std::io::Write;
            let mut rest = &mut text[..];
            write!(rest, "{d}").expect("a date's text fits 16 bytes");
            let len = 16 - rest.len();
            return IsoDate { text, len };
        }
        let (y, m, day) = (year as u32, d.month(), d.day());
        let digits = [y / 1000, y / 100 % 10, y / 10 % 10, y % 10, 0, m / 10, m % 10, 0, day / 10, day % 10];
        for (t, v) in text.iter_mut().zip(digits) {
            *t = b'0' + v as u8;
        }
        text[4] = b'-';
        text[7] = b'-';
        IsoDate { text, len: 10 }
    }

    pub fn as_str(&self) -> &str {
        std::str::from_utf8(&self.text[..self.len]).expect("ASCII digits and dashes")
    }
}

/// [`IsoDate`] as a `String`.
pub fn iso_string(d: chrono::NaiveDate) -> String {
    IsoDate::new(d).as_str().to_string()
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

#[cfg(test)]
mod tests {
    use super::*;

    /// Every day of years 1 to 2100, the edges of 0 to 9999, and years beyond (chrono's signed
    /// forms) read as `Display` writes them.
    #[test]
    fn iso_dates_are_display_text() {
        let mut d = chrono::NaiveDate::from_ymd_opt(1, 1, 1).unwrap();
        let end = chrono::NaiveDate::from_ymd_opt(2100, 12, 31).unwrap();
        while d <= end {
            assert_eq!(IsoDate::new(d).as_str(), d.to_string());
            d = d.succ_opt().unwrap();
        }
        for (y, m, day) in [(0, 1, 1), (9999, 12, 31), (10000, 1, 1), (-1, 12, 31), (-262143, 1, 1), (262142, 12, 31)] {
            let d = chrono::NaiveDate::from_ymd_opt(y, m, day).unwrap();
            assert_eq!(IsoDate::new(d).as_str(), d.to_string(), "year {y}");
            assert_eq!(iso_string(d), d.to_string());
        }
    }
}
