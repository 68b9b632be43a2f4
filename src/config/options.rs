//! Every option of a study, defined once. Each group is at the same time the clap arguments
//! (flag, help, default), a part of [`super::StudyConfig`] the engine reads, and — for the
//! method and test groups — the `config` record of `summary.json` (flattened there). A new
//! option is one field in the group it belongs to, plus its use.

use std::path::PathBuf;

use clap::{Args, Parser};
use serde::Serialize;

pub use crate::load::DateOrder;
use crate::session::NonTrading;
use crate::stats::ols::S2Denominator;
use crate::stats::tdist::Alternative;

/// An inclusive window of relative trading days, e.g. [-1, +1].
pub type Window = (i32, i32);

/// The normal-return model (`--model`). Its implementation is chosen once, in
/// [`crate::model::for_config`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, clap::ValueEnum)]
#[serde(rename_all = "kebab-case")]
pub enum ModelKind {
    /// E[R] = μ, the estimation-window mean.
    ConstantMean,
    /// E[R] = R_m: AR = R − R_m, nothing estimated.
    MarketAdjusted,
    /// E[R] = α + β·R_m (OLS).
    Market,
    /// Fama–French 3: R − RF = α + b·(Mkt−RF) + s·SMB + h·HML.
    Ff3,
    /// Carhart 4: FF3 plus momentum (Mom/UMD).
    Carhart,
    /// Fama–French 5: Mkt−RF, SMB, HML, RMW, CMA.
    Ff5,
    /// E[R] = α + β·R_m with GARCH(1,1) errors (maximum likelihood); event days standardised by
    /// their forecast conditional variance.
    Garch,
}

/// How the market model's beta is estimated (`--beta`), for thin or non-synchronous trading.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, clap::ValueEnum)]
#[serde(rename_all = "kebab-case")]
pub enum BetaKind {
    /// Ordinary least squares on same-day returns. Default.
    Ols,
    /// Scholes & Williams (1977): (b₋₁ + b₀ + b₊₁) / (1 + 2ρ_m).
    ScholesWilliams,
    /// Dimson (1979): the sum of the slopes on lagged, same-day and leading market returns.
    Dimson,
}

/// How events are grouped for the across-event tests (`--group-by`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, clap::ValueEnum)]
#[serde(rename_all = "lowercase")]
pub enum GroupBy {
    All,
    Ticker,
    Kind,
    Event,
}

/// Standardisation in the BMP test (`--bmp-scale`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, clap::ValueEnum)]
#[serde(rename_all = "lowercase")]
pub enum BmpScale {
    /// Forecast-error variance (estudy2, EventStudyTools, Stata eventstudy2). Default.
    Fec,
    /// The plain residual s (EventStudy 0.50 for R).
    Plain,
}

/// How the Patell test standardises a CAR (`--patell-car`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, clap::ValueEnum)]
#[serde(rename_all = "kebab-case")]
pub enum PatellCar {
    /// CAR / √Var(CAR) with the exact forecast-error variance. Default.
    Exact,
    /// Σ SAR / √L, cumulated standardised ARs (EventStudyTools, EventStudy for R).
    SumSar,
}

/// How returns are computed from consecutive prices.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, clap::ValueEnum)]
#[serde(rename_all = "lowercase")]
pub enum ReturnKind {
    /// P_t / P_{t−1} − 1
    Simple,
    /// ln(P_t / P_{t−1})
    Log,
}

/// What series is studied (`--measure`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, clap::ValueEnum)]
#[serde(rename_all = "lowercase")]
pub enum MeasureKind {
    /// Daily returns (`--returns`). Default.
    Returns,
    /// Log volume ln(1 + V) of the Volume column.
    Volume,
}

/// The normal-volume model of `--measure volume` (`--volume-model`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, clap::ValueEnum)]
#[serde(rename_all = "lowercase")]
pub enum VolumeModel {
    /// The estimation-window mean of the log volume (EventStudy 0.50 for R). Default.
    Mean,
    /// OLS on the benchmark's log volume of the same date (EventStudyTools AVC).
    Market,
}

/// What is printed on stdout.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, clap::ValueEnum)]
#[serde(rename_all = "lowercase")]
pub enum Format {
    /// A readable summary with one table per event.
    Table,
    /// The document also written as summary.json.
    Json,
    /// The rows also written as car.csv.
    Csv,
}

/// Width of a chart when `--chart-size` is not given.
pub const DEFAULT_CHART_WIDTH: u32 = 1500;

/// The pixel size of the charts: a fixed width with a height that follows the number of
/// panels (the default), or an exact size (`--chart-size WxH`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ChartSize {
    Auto { width: u32 },
    Exact { width: u32, height: u32 },
}

impl Default for ChartSize {
    fn default() -> Self {
        ChartSize::Auto { width: DEFAULT_CHART_WIDTH }
    }
}

/// The value of an option as the user types it (e.g. `m-k-1`, `sum-sar`, `ff3`).
pub fn option_name(v: impl clap::ValueEnum) -> String {
    v.to_possible_value().map(|p| p.get_name().to_string()).unwrap_or_default()
}

/// Where the inputs are and how they are read.
#[derive(Debug, Clone, Args)]
pub struct InputOptions {
    /// Ticker(s) to study, comma-separated (e.g. BABA or BABA,BIDU,AAPL). Default: every
    /// ticker named in the events file.
    #[arg(long, value_delimiter = ',', value_name = "TICKER[,TICKER...]")]
    pub ticker: Vec<String>,
    /// Benchmark for the market model, read from <DATA>/<BENCHMARK>.csv: one ticker for all
    /// (e.g. SPY), and/or per ticker as TICKER=BENCHMARK (e.g. 9988.HK=HSI,BABA=SPY).
    /// Default: the `benchmark` column of <DATA>/tickers.csv, else SPY.
    #[arg(long, value_delimiter = ',', value_name = "BENCHMARK|TICKER=BENCHMARK")]
    pub market: Vec<String>,
    /// Folder with one <TICKER>.csv per ticker and the events file.
    #[arg(long, default_value = "data", value_name = "DIR")]
    pub data: PathBuf,
    /// Events file. Default: <DATA>/events.csv.
    #[arg(long, value_name = "FILE")]
    pub events: Option<PathBuf>,
    /// Factor file for ff3/carhart/ff5 (repeatable; merged on date): a Ken French daily file
    /// as downloaded, or a CSV date,mkt_rf,smb,hml,rf,... in decimals. Default: <DATA>/factors/*.csv.
    #[arg(long, value_name = "FILE")]
    pub factors: Vec<PathBuf>,
    /// Claims to test (id,claim,ticker,event|kind,measure,from,to,expect,low,high,alpha,source).
    /// Default: <DATA>/claims.csv when it exists.
    #[arg(long, value_name = "FILE")]
    pub claims: Option<PathBuf>,
    /// One file with many tickers, looked up before <DATA>/<TICKER>.csv: long
    /// (date,ticker,close) or wide (a date column and one price column per ticker).
    #[arg(long, value_name = "FILE")]
    pub panel: Option<PathBuf>,
    /// Read negative prices as CRSP bid/ask averages (absolute value) instead of refusing them.
    #[arg(long)]
    pub crsp_negative: bool,
    /// Leave out the latest row of every price file (a download made during the session).
    #[arg(long)]
    pub drop_last_row: bool,
    /// Day/month order of slash dates (11/02/2025) in the events and price files, when a
    /// file's dates do not decide it (a first part above 12 means day first, a second part
    /// above 12 month first).
    #[arg(long, value_enum, value_name = "dmy|mdy")]
    pub date_order: Option<DateOrder>,
    /// Study only the events of these kinds (the events file's `kind` column, case-insensitive),
    /// e.g. confirmation or rumor,report.
    #[arg(long, value_delimiter = ',', value_name = "KIND[,KIND...]")]
    pub kind: Vec<String>,
}

/// The method: model, windows, returns and day 0. Recorded in `summary.json` `config`.
#[derive(Debug, Clone, Args, Serialize)]
pub struct MethodOptions {
    /// Normal-return model. Factor models regress excess returns on Ken French factors.
    #[arg(long, value_enum, default_value_t = ModelKind::Market)]
    pub model: ModelKind,
    /// Beta of the market model: OLS, or Scholes-Williams / Dimson for non-synchronous trading
    /// (a Hong Kong line against a US benchmark, thinly traded stocks).
    #[arg(long, value_enum, default_value_t = BetaKind::Ols)]
    pub beta: BetaKind,
    /// Lags and leads of the market return in the Dimson beta (1 to 10; default 1).
    #[arg(long, value_name = "N")]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub dimson_lags: Option<usize>,
    /// Also report each chain of events of one ticker (each within the post-event part of the
    /// previous one's window, e.g. a rumour then its confirmation) as one window, from the
    /// first day 0 to the last day 0 plus the post-event days.
    #[arg(long)]
    pub chain: bool,
    /// Returns from consecutive prices: simple (P_t/P_t-1 - 1) or log (ln P_t/P_t-1).
    #[arg(long, value_enum, default_value_t = ReturnKind::Simple)]
    pub returns: ReturnKind,
    /// Estimation window A,B in trading days relative to day 0 (inclusive).
    #[arg(long, default_value = "-250,-11", value_parser = parse_window, allow_hyphen_values = true, value_name = "A,B")]
    pub estimation: Window,
    /// Event window A,B in trading days relative to day 0 (inclusive).
    #[arg(long, default_value = "-10,10", value_parser = parse_window, allow_hyphen_values = true, value_name = "A,B")]
    pub window: Window,
    /// CAR window A,B; repeat for several. Default: 0,0 -1,1 0,1 -5,5 -10,10 (those that fit
    /// inside the event window).
    #[arg(long = "car", value_parser = parse_window, allow_hyphen_values = true, value_name = "A,B")]
    pub car_windows: Vec<Window>,
    /// Minimum number of estimation days with both returns; events with fewer are excluded.
    #[arg(long, default_value_t = 100, value_name = "N")]
    pub min_estimation: usize,
    /// Day 0 of a date-only event on a weekend or holiday: the next session, the previous
    /// one, or skip the event (excluded as non_trading_day). Timestamped events always take
    /// the first session whose close is at or after the instant.
    #[arg(long, value_enum, default_value_t = NonTrading::Next)]
    pub non_trading: NonTrading,
    /// What is studied: returns, or the log volume ln(1 + V) of the Volume column (abnormal
    /// volume, with --volume-model).
    #[arg(long, value_enum, default_value_t = MeasureKind::Returns)]
    pub measure: MeasureKind,
    /// Normal volume with --measure volume: mean (the estimation-window mean) or market (OLS on
    /// the benchmark's log volume).
    #[arg(long, value_enum, default_value_t = VolumeModel::Mean)]
    pub volume_model: VolumeModel,
    /// Also fit, per event, the GARCH(1,1) market model with an event dummy in the mean (day 0)
    /// and in the variance (days 0 to --vol-days) over the estimation and event windows
    /// (EventStudyTools' AVyC), with cross-sectional tests of the dummies.
    #[arg(long)]
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub garch_dummies: bool,
    /// Last day of the variance dummy of --garch-dummies (days 0 to N, from 1 to the event
    /// window's last day; default 5).
    #[arg(long, value_name = "N")]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub vol_days: Option<i32>,
}

/// The across-event tests and their conventions. Recorded in `summary.json` `config`.
#[derive(Debug, Clone, Args, Serialize)]
pub struct TestOptions {
    /// Groups for the across-event tests, comma-separated. Default: all, plus one group per
    /// ticker when there are several tickers.
    #[arg(long, value_enum, value_delimiter = ',', value_name = "all|ticker|kind|event")]
    #[serde(skip)]
    pub group_by: Vec<GroupBy>,
    /// Residual variance denominator: m-k-1 (textbook), m-1 (estudy2) or m (PyPI eventstudy).
    #[arg(long, value_enum, default_value_t = S2Denominator::MK1)]
    pub s2_denominator: S2Denominator,
    /// BMP standardisation: fec (forecast-error variance) or plain (residual s).
    #[arg(long, value_enum, default_value_t = BmpScale::Fec)]
    pub bmp_scale: BmpScale,
    /// Patell test over a window: exact (CAR/sqrt(Var CAR)) or sum-sar (sum of SARs / sqrt L).
    #[arg(long, value_enum, default_value_t = PatellCar::Exact)]
    pub patell_car: PatellCar,
    /// Alternative hypothesis of every p-value.
    #[arg(long, value_enum, default_value_t = Alternative::TwoSided)]
    pub alternative: Alternative,
    /// Bootstrap resamples of events (0 turns the bootstrap test off).
    #[arg(long, default_value_t = 999, value_name = "N")]
    pub bootstrap: usize,
    /// Seed of the bootstrap.
    #[arg(long, default_value_t = 42)]
    pub seed: u64,
    /// Multiple-testing adjustment written as p_adj: none, holm (family-wise error) or bh
    /// (Benjamini-Hochberg false discovery rate). Families: the days of each group's event
    /// window, each group's CAR windows, and per CAR window the events' own CAR p-values.
    #[arg(long, value_enum, default_value_t = crate::stats::adjust::Adjust::None)]
    pub adjust: crate::stats::adjust::Adjust,
    /// Which event pairs enter the Kolari-Pynnonen r-bar: event-overlap (event windows share a
    /// date), same-day (same day 0) or estimation (estimation windows share dates); the other
    /// pairs count as zero.
    #[arg(long, value_enum, default_value_t = crate::stats::rbar::PairRule::EventOverlap)]
    pub rbar_pairs: crate::stats::rbar::PairRule,
    /// Drop estimation days that fall inside another event window of the same ticker.
    #[arg(long)]
    pub clean_estimation: bool,
}

/// Where and what the study writes.
#[derive(Debug, Clone, Args)]
pub struct OutputOptions {
    /// Output folder; each study writes into <OUT>/<study name>/.
    #[arg(long, default_value = "notebooks-out", value_name = "DIR")]
    pub out: PathBuf,
    /// What to print on stdout: a readable table, the summary.json document, or car.csv.
    #[arg(long, value_enum, default_value_t = Format::Table)]
    pub format: Format,
    /// Name of the study folder. Default: derived from tickers and options (e.g. BABA_vs_SPY).
    #[arg(long)]
    pub name: Option<String>,
    /// Do not draw charts (faster).
    #[arg(long)]
    pub no_charts: bool,
    /// Also write ar, car and aggregate as .parquet beside the CSVs (same columns; dates as
    /// Date, numbers as Float64, days and counts as Int64).
    #[arg(long)]
    pub parquet: bool,
    /// Date range of the price chart, A,B as YYYY-MM-DD (either may be empty for the start or end
    /// of the data). Default: a year before the first event to three months after the last.
    #[arg(long, value_name = "A,B", value_parser = parse_date_range)]
    pub price_range: Option<DateRange>,
    /// Pixel size of every chart, e.g. 1200x800 (default: 1500 wide, the height grows with the
    /// number of panels).
    #[arg(long, value_name = "WxH", value_parser = parse_chart_size)]
    pub chart_size: Option<ChartSize>,
}

/// Every option of a study, as parsed from a command line.
#[derive(Debug, Clone, Args)]
pub struct StudyOptions {
    #[command(flatten)]
    pub input: InputOptions,
    #[command(flatten)]
    pub method: MethodOptions,
    #[command(flatten)]
    pub tests: TestOptions,
    #[command(flatten)]
    pub output: OutputOptions,
}

/// A command line of study options alone, to read their defaults.
#[derive(Parser)]
struct OptionsOnly {
    #[command(flatten)]
    options: StudyOptions,
}

impl Default for StudyOptions {
    /// Every option at its default, as defined on the options themselves.
    fn default() -> Self {
        OptionsOnly::try_parse_from(["eventstudy"]).expect("the defaults parse").options
    }
}

/// The largest distance from day 0, in trading days, that a window may reach (20 years).
pub const MAX_WINDOW_DAYS: i32 = 5000;

/// `A,B`: two integers with A <= B, each within ±[`MAX_WINDOW_DAYS`].
pub fn parse_window(s: &str) -> std::result::Result<Window, String> {
    let bad = || format!("'{s}' is not a window; expected A,B with integers A <= B, e.g. -1,1");
    let (a, b) = s.split_once(',').ok_or_else(bad)?;
    let a: i64 = a.trim().parse().map_err(|_| bad())?;
    let b: i64 = b.trim().parse().map_err(|_| bad())?;
    let limit = i64::from(MAX_WINDOW_DAYS);
    if !(-limit..=limit).contains(&a) || !(-limit..=limit).contains(&b) {
        return Err(format!(
            "'{s}' reaches beyond {MAX_WINDOW_DAYS} trading days (20 years) from day 0; expected A,B within -{MAX_WINDOW_DAYS},{MAX_WINDOW_DAYS}"
        ));
    }
    if a > b {
        return Err(format!("'{s}' is reversed; expected A,B with A <= B"));
    }
    Ok((a as i32, b as i32))
}

/// An inclusive range of calendar dates; either end may be open.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DateRange {
    pub from: Option<chrono::NaiveDate>,
    pub to: Option<chrono::NaiveDate>,
}

/// `--price-range A,B`: two dates YYYY-MM-DD (either may be empty), A before B.
fn parse_date_range(s: &str) -> std::result::Result<DateRange, String> {
    let bad = || {
        format!(
            "'{s}' is not a date range; expected A,B as YYYY-MM-DD, e.g. 2024-01-01,2025-06-30 (either may be empty)"
        )
    };
    let (a, b) = s.split_once(',').ok_or_else(bad)?;
    let day = |x: &str| -> std::result::Result<Option<chrono::NaiveDate>, String> {
        let x = x.trim();
        if x.is_empty() {
            return Ok(None);
        }
        chrono::NaiveDate::parse_from_str(x, "%Y-%m-%d").map(Some).map_err(|_| bad())
    };
    let r = DateRange { from: day(a)?, to: day(b)? };
    if let (Some(f), Some(t)) = (r.from, r.to) {
        if f >= t {
            return Err(format!("'{s}' is reversed or empty; expected A,B with A before B"));
        }
    }
    Ok(r)
}

/// `--chart-size WxH`: two whole numbers of pixels, each between 300 and 10000.
fn parse_chart_size(s: &str) -> std::result::Result<ChartSize, String> {
    let bad =
        || format!("'{s}' is not a chart size; expected WIDTHxHEIGHT in pixels, e.g. 1200x800 (each 300 to 10000)");
    let (w, h) = s.split_once(['x', 'X']).ok_or_else(bad)?;
    let (width, height): (u32, u32) = (w.trim().parse().map_err(|_| bad())?, h.trim().parse().map_err(|_| bad())?);
    if !(300..=10_000).contains(&width) || !(300..=10_000).contains(&height) {
        return Err(bad());
    }
    Ok(ChartSize::Exact { width, height })
}
