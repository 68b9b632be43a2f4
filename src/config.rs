//! The options of one study, validated: built once from the command line (or by a test or a
//! library user) and read by the engine and every exporter.

use std::path::PathBuf;

use serde::Serialize;

use crate::error::{Error, Result};
pub use crate::session::NonTrading;
pub use crate::stats::ols::S2Denominator;
pub use crate::stats::tdist::Alternative;

/// The normal-return model (`--model`).
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
}

impl ModelKind {
    /// Factor columns used as regressors (factor models only).
    pub fn factors(self) -> &'static [&'static str] {
        match self {
            ModelKind::Ff3 => &["mkt_rf", "smb", "hml"],
            ModelKind::Carhart => &["mkt_rf", "smb", "hml", "mom"],
            ModelKind::Ff5 => &["mkt_rf", "smb", "hml", "rmw", "cma"],
            _ => &[],
        }
    }
    /// Regressors besides the intercept: the benchmark for the market model, the factors for
    /// factor models, none for constant-mean and market-adjusted.
    pub fn regressors(self) -> &'static [&'static str] {
        match self {
            ModelKind::Market => &["market"],
            _ => self.factors(),
        }
    }
    pub fn is_factor_model(self) -> bool {
        !self.factors().is_empty()
    }
    /// Whether the benchmark's prices are used.
    pub fn uses_market(self) -> bool {
        matches!(self, ModelKind::Market | ModelKind::MarketAdjusted)
    }
    /// The name used in outputs and on the command line.
    pub fn name(self) -> &'static str {
        match self {
            ModelKind::ConstantMean => "constant-mean",
            ModelKind::MarketAdjusted => "market-adjusted",
            ModelKind::Market => "market",
            ModelKind::Ff3 => "ff3",
            ModelKind::Carhart => "carhart",
            ModelKind::Ff5 => "ff5",
        }
    }
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

impl BetaKind {
    pub fn name(self) -> &'static str {
        match self {
            BetaKind::Ols => "ols",
            BetaKind::ScholesWilliams => "scholes-williams",
            BetaKind::Dimson => "dimson",
        }
    }
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

/// An inclusive window of relative trading days, e.g. [-1, +1].
pub type Window = (i32, i32);

/// The default CAR windows (SPEC §4).
pub const DEFAULT_CAR_WINDOWS: &[Window] = &[(0, 0), (-1, 1), (0, 1), (-5, 5), (-10, 10)];
/// The default estimation window (SPEC §4).
pub const DEFAULT_ESTIMATION: Window = (-250, -11);
/// The default event window (SPEC §4).
pub const DEFAULT_WINDOW: Window = (-10, 10);
/// The default bootstrap seed.
pub const DEFAULT_SEED: u64 = 42;
/// The default number of bootstrap resamples.
pub const DEFAULT_BOOTSTRAP: usize = 999;
/// The default minimum number of estimation days with both returns.
pub const DEFAULT_MIN_ESTIMATION: usize = 100;
/// The default number of lags (and leads) of the Dimson beta.
pub const DEFAULT_DIMSON_LAGS: usize = 1;

/// Every option of a study.
#[derive(Debug, Clone)]
pub struct StudyConfig {
    /// Tickers asked for with `--ticker`; `None` means every ticker named in the events file.
    pub tickers: Option<Vec<String>>,
    /// The benchmark of every ticker without one of its own (`SPY`, or a single `--market`).
    pub market: String,
    /// Set when `--market X` was typed: X then applies to all tickers, over `tickers.csv`.
    pub market_explicit: bool,
    /// Per-ticker benchmarks from `--market TICKER=BENCHMARK`.
    pub market_for: Vec<(String, String)>,
    /// `data/tickers.csv` (exchange, time zone, close, benchmark, currency), when present.
    pub tickers_file: PathBuf,
    /// One file with many tickers (`--panel`), looked up before `<data>/<TICKER>.csv`.
    pub panel: Option<PathBuf>,
    /// Read negative prices as CRSP bid/ask averages (`--crsp-negative`).
    pub crsp_negative: bool,
    /// Leave out the last row of every price file (`--drop-last-row`).
    pub drop_last_row: bool,
    pub estimation: Window,
    pub window: Window,
    pub car_windows: Vec<Window>,
    pub returns: ReturnKind,
    pub data_dir: PathBuf,
    pub events_file: PathBuf,
    pub out_dir: PathBuf,
    pub format: Format,
    pub name: Option<String>,
    pub min_estimation: usize,
    pub charts: bool,
    pub chart_size: crate::output::chart::ChartSize,
    pub model: ModelKind,
    /// Factor files given with `--factors`; empty means `<data>/factors/*.csv`.
    pub factor_files: Vec<PathBuf>,
    /// Groups for the across-event tests; empty means all (plus per ticker when several).
    pub group_by: Vec<GroupBy>,
    pub s2_denominator: S2Denominator,
    pub bmp_scale: BmpScale,
    pub patell_car: PatellCar,
    pub alternative: Alternative,
    pub seed: u64,
    /// Bootstrap resamples; 0 turns the bootstrap off.
    pub bootstrap: usize,
    /// Drop estimation days inside another event window of the same ticker.
    pub clean_estimation: bool,
    /// Day 0 of a date-only event on a day without a session.
    pub non_trading: NonTrading,
    pub beta: BetaKind,
    pub dimson_lags: usize,
    /// Report each chain of nearby events of one ticker as one window.
    pub chain: bool,
    /// Notes about the configuration (e.g. default CAR windows left out), shown in outputs.
    pub notes: Vec<String>,
}

impl StudyConfig {
    /// A configuration with every default, reading `data_dir` and its `events.csv`.
    pub fn with_defaults(data_dir: impl Into<PathBuf>) -> StudyConfig {
        let data_dir = data_dir.into();
        StudyConfig {
            tickers: None,
            market: "SPY".into(),
            market_explicit: false,
            market_for: vec![],
            tickers_file: data_dir.join("tickers.csv"),
            panel: None,
            crsp_negative: false,
            drop_last_row: false,
            estimation: DEFAULT_ESTIMATION,
            window: DEFAULT_WINDOW,
            car_windows: DEFAULT_CAR_WINDOWS.to_vec(),
            returns: ReturnKind::Simple,
            events_file: data_dir.join("events.csv"),
            data_dir,
            out_dir: PathBuf::from("notebooks-out"),
            format: Format::Table,
            name: None,
            min_estimation: DEFAULT_MIN_ESTIMATION,
            charts: true,
            chart_size: Default::default(),
            model: ModelKind::Market,
            factor_files: vec![],
            group_by: vec![],
            s2_denominator: S2Denominator::MK1,
            bmp_scale: BmpScale::Fec,
            patell_car: PatellCar::Exact,
            alternative: Alternative::TwoSided,
            seed: DEFAULT_SEED,
            bootstrap: DEFAULT_BOOTSTRAP,
            clean_estimation: false,
            non_trading: NonTrading::Next,
            beta: BetaKind::Ols,
            dimson_lags: DEFAULT_DIMSON_LAGS,
            chain: false,
            notes: vec![],
        }
    }

    /// Checks windows and names; `explicit_car` tells whether the CAR windows were typed by
    /// the user (an explicit window outside the event window is an error, a default one is
    /// left out with a note).
    pub fn validate(&mut self, explicit_car: bool) -> Result<()> {
        let (e0, e1) = self.estimation;
        let (w0, w1) = self.window;
        if e0 > e1 {
            return Err(Error::Usage(format!("--estimation={e0},{e1} is reversed; expected A,B with A <= B, e.g. -250,-11")));
        }
        if w0 > w1 {
            return Err(Error::Usage(format!("--window={w0},{w1} is reversed; expected A,B with A <= B, e.g. -10,10")));
        }
        if e1 >= w0 {
            return Err(Error::Usage(format!(
                "--estimation={e0},{e1} overlaps the event window --window={w0},{w1}; the estimation window must end before day {w0}"
            )));
        }
        if e1 - e0 + 1 < 3 {
            return Err(Error::Usage(format!("--estimation={e0},{e1} has fewer than 3 days")));
        }
        let mut kept = Vec::new();
        for &(a, b) in &self.car_windows {
            if a > b {
                return Err(Error::Usage(format!("--car={a},{b} is reversed; expected A,B with A <= B, e.g. -1,1")));
            }
            if a < w0 || b > w1 {
                if explicit_car {
                    return Err(Error::Usage(format!(
                        "--car={a},{b} lies outside the event window --window={w0},{w1}; choose a CAR window inside it"
                    )));
                }
                self.notes.push(format!("default CAR window [{a},{b}] left out: it does not fit inside the event window [{w0},{w1}]"));
                continue;
            }
            if !kept.contains(&(a, b)) {
                kept.push((a, b));
            }
        }
        if kept.is_empty() {
            kept.push((w0, w1));
            self.notes.push(format!("no default CAR window fits the event window; using [{w0},{w1}]"));
        }
        self.car_windows = kept;
        if self.min_estimation < 3 {
            return Err(Error::Usage(format!("--min-estimation={} must be at least 3", self.min_estimation)));
        }
        let per_ticker = self.market_for.iter().flat_map(|(t, b)| [t, b]);
        for t in self.tickers.iter().flatten().chain(std::iter::once(&self.market)).chain(per_ticker) {
            validate_ticker(t)?;
        }
        if self.beta != BetaKind::Ols && self.model != ModelKind::Market {
            return Err(Error::Usage(format!(
                "--beta {} adjusts the market model's beta; it cannot be combined with --model {} (use --model market)",
                self.beta.name(),
                self.model.name()
            )));
        }
        if self.chain && !(w0 <= 0 && w1 >= 1) {
            return Err(Error::Usage(format!(
                "--chain needs an event window around day 0 (A <= 0 < B); --window={w0},{w1} has no post-event part to chain"
            )));
        }
        if !(1..=10).contains(&self.dimson_lags) {
            return Err(Error::Usage(format!("--dimson-lags={} must be between 1 and 10", self.dimson_lags)));
        }
        if inside(&self.out_dir, &self.data_dir) {
            return Err(Error::Usage(format!(
                "--out {} is inside the data folder {}; outputs never go into the data folder: choose another --out",
                self.out_dir.display(),
                self.data_dir.display()
            )));
        }
        if let Some(n) = &self.name {
            if n.is_empty() || n.contains(['/', '\\']) || n == "." || n == ".." || n.starts_with('.') {
                return Err(Error::Usage(format!("--name '{n}' is not a plain folder name")));
            }
        }
        Ok(())
    }

    /// Refuses an output folder `<out>/<study>` that is, lies inside, or contains the data
    /// folder, the events file or the panel: writing there would replace the user's inputs.
    pub fn check_output_dir(&self, study: &str) -> Result<()> {
        let dir = self.out_dir.join(study);
        let inputs = [("data folder", Some(&self.data_dir)), ("events file", Some(&self.events_file)), ("panel file", self.panel.as_ref())];
        for (what, p) in inputs.iter().filter_map(|(w, p)| p.map(|p| (w, p))) {
            if inside(&dir, p) || inside(p, &dir) {
                return Err(Error::Usage(format!(
                    "the output folder {} would overlap the {what} {}; choose another --out or --name",
                    dir.display(),
                    p.display()
                )));
            }
        }
        Ok(())
    }

    /// The study's folder name under `--out`: `--name`, or derived from tickers and options.
    /// `benchmarks` are the distinct benchmarks in use (one unless tickers have their own).
    pub fn study_name(&self, tickers: &[String], benchmarks: &[String]) -> String {
        if let Some(n) = &self.name {
            return n.clone();
        }
        let mut who: Vec<String> = tickers.iter().map(|t| clean_for_name(t)).collect();
        if self.tickers.is_none() {
            who = vec!["all".into()];
        } else if who.len() > 4 {
            let n = who.len();
            who.truncate(3);
            who.push(format!("and{}more", n - 3));
        }
        let mut name = if self.model.uses_market() {
            let against: Vec<String> = if benchmarks.is_empty() { vec![clean_for_name(&self.market)] } else { benchmarks.iter().map(|b| clean_for_name(b)).collect() };
            format!("{}_vs_{}", who.join("-"), against.join("-"))
        } else {
            who.join("-")
        };
        if self.model != ModelKind::Market {
            name.push('_');
            name.push_str(self.model.name());
        }
        if self.beta != BetaKind::Ols {
            name.push('_');
            name.push_str(match self.beta {
                BetaKind::Dimson => "dimson",
                _ => "sw",
            });
        }
        if self.returns == ReturnKind::Log {
            name.push_str("_log");
        }
        if self.estimation != DEFAULT_ESTIMATION {
            name.push_str(&format!("_est{}_{}", self.estimation.0, self.estimation.1));
        }
        if self.window != DEFAULT_WINDOW {
            name.push_str(&format!("_win{}_{}", self.window.0, self.window.1));
        }
        name
    }
}

/// Whether `path` is `dir` or lies under it (compared as absolute, normalised paths; the
/// nearest existing ancestor is resolved through symbolic links).
fn inside(path: &std::path::Path, dir: &std::path::Path) -> bool {
    fn resolve(p: &std::path::Path) -> PathBuf {
        let abs = if p.is_absolute() { p.to_path_buf() } else { std::env::current_dir().unwrap_or_default().join(p) };
        let mut norm = PathBuf::new();
        for c in abs.components() {
            match c {
                std::path::Component::ParentDir => {
                    norm.pop();
                }
                std::path::Component::CurDir => {}
                other => norm.push(other),
            }
        }
        // Resolve the longest existing prefix (symbolic links), keep the rest as written.
        let mut existing = norm.clone();
        let mut rest = Vec::new();
        while !existing.exists() {
            match existing.file_name() {
                Some(n) => rest.push(n.to_os_string()),
                None => break,
            }
            existing.pop();
        }
        let mut out = existing.canonicalize().unwrap_or(existing);
        for n in rest.iter().rev() {
            out.push(n);
        }
        out
    }
    resolve(path).starts_with(resolve(dir))
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

fn clean_for_name(t: &str) -> String {
    t.chars().filter(|c| c.is_ascii_alphanumeric() || *c == '.' || *c == '-').collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn default_car_windows_that_do_not_fit_are_dropped_with_a_note() {
        let mut c = StudyConfig::with_defaults("data");
        c.window = (0, 4);
        c.estimation = (-240, -1);
        c.validate(false).unwrap();
        assert_eq!(c.car_windows, vec![(0, 0), (0, 1)]);
        assert_eq!(c.notes.len(), 3);
    }

    #[test]
    fn explicit_car_window_outside_event_window_is_a_usage_error() {
        let mut c = StudyConfig::with_defaults("data");
        c.car_windows = vec![(-20, 20)];
        assert!(matches!(c.validate(true), Err(Error::Usage(_))));
    }

    #[test]
    fn overlapping_estimation_and_event_windows_are_refused() {
        let mut c = StudyConfig::with_defaults("data");
        c.estimation = (-100, 0);
        assert!(matches!(c.validate(false), Err(Error::Usage(_))));
    }

    #[test]
    fn tickers_with_paths_are_refused() {
        assert!(validate_ticker("../etc/passwd").is_err());
        assert!(validate_ticker("a/b").is_err());
        assert!(validate_ticker("9988.HK").is_ok());
        assert!(validate_ticker("^GSPC").is_ok());
    }
}
