//! Normal-return models: what a stock's series "should" have been on each day, and how
//! uncertain that forecast is. Each model is one file implementing [`NormalModel`] (its design
//! and its fit) and produces a [`FittedModel`] that the engine reads without knowing which
//! model it is. [`for_config`] chooses the model once per study.
//!
//! Adding a model: one file with a type implementing [`NormalModel`], a variant of
//! [`ModelKind`] (or [`BetaKind`]) for its name on the command line, and its arm in
//! [`for_config`].

pub mod constant_mean;
pub mod dimson;
pub mod factor;
pub mod garch;
pub mod linear;
pub mod market;
pub mod market_adjusted;
pub mod scholes_williams;

use std::collections::BTreeMap;

use chrono::NaiveDate;

use crate::codes::Reason;
use crate::config::{BetaKind, ModelKind, StudyConfig};
use crate::load::FactorTable;
use crate::measure::Series;
use crate::stats::ols::{FitError, S2Denominator};

pub use crate::stats::RELATIVE_NOISE;

/// The sentence excluding a fit whose residual standard deviation `s` vanishes against the
/// estimation values `y` (a flat price, a stock that is its benchmark, a constant volume), or
/// `None` when it does not.
pub fn vanishing(s: f64, y: impl IntoIterator<Item = f64>) -> Option<String> {
    let scale = y.into_iter().map(f64::abs).fold(0.0, f64::max);
    (!s.is_finite() || s <= RELATIVE_NOISE * scale).then(|| {
        format!(
            "the residuals of the estimation window vanish (s = {s:e} against values up to {scale:e}): nothing varies beyond what the model explains"
        )
    })
}

/// A ticker's measured series and the regressors of the chosen model, row by row.
pub struct Design {
    pub dates: Vec<NaiveDate>,
    /// The measured value of row i (the return from row i−1 to row i; NaN for row 0).
    pub value: Vec<f64>,
    /// The benchmark's value over the same two dates, when known.
    pub market: Vec<Option<f64>>,
    /// Dependent variable: the value, the excess return (factor models) or R − R_m.
    pub y: Vec<f64>,
    /// Regressors, k per row, row-major (`x[i*k..(i+1)*k]`).
    pub x: Vec<f64>,
    pub k: usize,
    /// Whether row i has everything the model needs.
    pub avail: Vec<bool>,
    /// Regressor names (for the coefficients in the output).
    pub names: Vec<&'static str>,
}

impl Design {
    pub fn row(&self, i: usize) -> &[f64] {
        &self.x[i * self.k..(i + 1) * self.k]
    }

    /// The dependent variable on `rows`.
    pub fn y_on(&self, rows: &[usize]) -> Vec<f64> {
        rows.iter().map(|&i| self.y[i]).collect()
    }

    /// Regressor `c` on `rows`.
    pub fn column_on(&self, c: usize, rows: &[usize]) -> Vec<f64> {
        rows.iter().map(|&i| self.x[i * self.k + c]).collect()
    }

    /// The benchmark's value `lag` rows away from each of `rows` (negative: earlier). The
    /// estimation rows of models with leads and lags have them all.
    pub fn market_shifted(&self, rows: &[usize], lag: i64) -> Vec<f64> {
        rows.iter().map(|&i| self.market[(i as i64 + lag) as usize].expect("usable rows have leads and lags")).collect()
    }

    /// The design of the market-based models: y is the value, the one regressor the
    /// benchmark's value, and a row is usable when the benchmark has one.
    pub fn market(s: Series) -> Design {
        let n = s.dates.len();
        let mut x = vec![0.0; n];
        let mut avail = vec![false; n];
        for i in 1..n {
            if let Some(m) = s.market[i] {
                x[i] = m;
                avail[i] = s.value[i].is_finite();
            }
        }
        Design {
            y: s.value.clone(),
            dates: s.dates,
            value: s.value,
            market: s.market,
            x,
            k: 1,
            avail,
            names: vec!["market"],
        }
    }
}

/// One normal-return model, chosen once per study.
pub trait NormalModel: Send + Sync {
    /// The model's name in the outputs.
    fn kind(&self) -> ModelKind;
    /// How its market beta is estimated (market models only).
    fn beta_method(&self) -> Option<BetaKind> {
        None
    }
    /// Whether the benchmark's series is part of the model (the market-based models).
    fn uses_market(&self) -> bool {
        true
    }
    /// The factor columns it regresses on (factor models only).
    fn factors(&self) -> &'static [&'static str] {
        &[]
    }
    /// Its design on one ticker's series (`factors` for factor models); by default the market
    /// model's, with the benchmark as the one regressor.
    fn design(&self, s: Series, _factors: Option<&FactorTable>) -> Design {
        Design::market(s)
    }
    /// Leads and lags of the benchmark each estimation day needs besides its own value.
    fn lags(&self) -> usize {
        0
    }
    /// Estimated slopes, for the "too few estimation days" message.
    fn regressors(&self) -> usize;
    /// Fits the model on the estimation `rows` of `d`.
    fn fit(&self, d: &Design, rows: &[usize], den: S2Denominator) -> Result<Box<dyn FittedModel>, FitError>;
    /// Why an event-window day without the model's own inputs (besides the benchmark's value)
    /// excludes the pair, and the start of the sentence saying so ("... the return on <dates>
    /// inside the event window"); `None` when the benchmark is its only input.
    fn missing_input(&self) -> Option<(Reason, String)> {
        None
    }
    /// What an estimation day can lack, for the note on how many were usable.
    fn unusable_day(&self) -> &'static str {
        "a benchmark price"
    }
    /// k in the residual-variance convention.
    fn k_convention(&self) -> String {
        self.regressors().to_string()
    }
    /// The residual-variance convention under `denominator` (`--s2-denominator`).
    fn s2_convention(&self, denominator: S2Denominator) -> String {
        match denominator {
            S2Denominator::MK1 => {
                format!("M-k-1 (SSR/(M-k-1), unbiased OLS, MacKinlay 1997; k = {})", self.k_convention())
            }
            S2Denominator::M1 => "M-1 (SSR/(M-1), the sample variance of the residuals, as estudy2)".into(),
            S2Denominator::M => "M (SSR/M, as the PyPI eventstudy package)".into(),
        }
    }
    /// The distribution of the per-event t statistics.
    fn t_convention(&self) -> String {
        "per event: Student t with M-k-1 degrees of freedom".into()
    }
    /// The CAR variance convention.
    fn car_variance_convention(&self) -> &'static str {
        "exact forecast-error variance s^2 * 1'(I + X*(X'X)^-1 X*')1"
    }
}

/// An event-window day as a fitted model sees it: its regressor row, and how many rows after
/// the last estimation row it falls (1 for the next row), for models whose variance depends
/// on the horizon (GARCH).
#[derive(Debug, Clone, Copy)]
pub struct Day<'a> {
    pub x: &'a [f64],
    pub ahead: usize,
}

/// A model fitted on one event's estimation window.
pub trait FittedModel: Send {
    /// The expected value of the dependent variable on a day with regressors `x`.
    fn expected(&self, x: &[f64]) -> f64;
    /// The forecast-error covariance of `days`, row-major L × L.
    fn covariance(&self, days: &[Day]) -> Vec<f64>;
    /// The variance of the sum of the forecast errors over `days` (1'V1, the CAR variance).
    fn sum_variance(&self, days: &[Day]) -> f64 {
        self.covariance(days).iter().sum()
    }
    /// The conditional variance h_t of the disturbance on each of `days`, for models where it
    /// varies (GARCH); `None` where it is the constant s².
    fn conditional_variance(&self, _days: &[Day]) -> Option<Vec<f64>> {
        None
    }
    /// Residual standard deviation s.
    fn sigma(&self) -> f64;
    /// Degrees of freedom of the per-event t tests.
    fn df(&self) -> usize;
    /// Estimation days used.
    fn n_obs(&self) -> usize;
    /// The estimation residuals, in the order of the estimation rows (taken once).
    fn take_residuals(&mut self) -> Vec<f64>;
    /// The fitted parameters for `summary.json`.
    fn record(&self, names: &[&'static str]) -> FitRecord;
}

/// The fitted parameters as reported.
pub struct FitRecord {
    pub alpha: f64,
    pub beta: Option<f64>,
    pub coefficients: BTreeMap<String, f64>,
    pub r_squared: f64,
    /// The maximum-likelihood fit's report (GARCH only).
    pub garch: Option<GarchRecord>,
}

/// How a maximum-likelihood fit ended.
#[derive(Debug, Clone, Copy)]
pub struct GarchRecord {
    /// The maximised log-likelihood (of the returns in the study's units).
    pub loglik: f64,
    pub converged: bool,
    /// A parameter at (within 1e-4 of) a bound: α₁ or β₁ at 0, α₁ + β₁ at 1.
    pub boundary: bool,
    pub iterations: u64,
    /// The largest gradient component of ℓ/T in the optimiser's coordinates at the optimum.
    pub gradient: f64,
}

/// The model of the study's options.
pub fn for_config(cfg: &StudyConfig) -> Box<dyn NormalModel> {
    let m = &cfg.method;
    match (cfg.model(), m.beta) {
        (ModelKind::ConstantMean, _) => Box::new(constant_mean::ConstantMean),
        (ModelKind::MarketAdjusted, _) => Box::new(market_adjusted::MarketAdjusted),
        (ModelKind::Market, BetaKind::Ols) => Box::new(market::Market),
        (ModelKind::Garch, _) => Box::new(garch::Garch),
        (ModelKind::Market, BetaKind::ScholesWilliams) => Box::new(scholes_williams::ScholesWilliams),
        (ModelKind::Market, BetaKind::Dimson) => Box::new(dimson::Dimson { lags: cfg.dimson_lags() }),
        (kind @ (ModelKind::Ff3 | ModelKind::Carhart | ModelKind::Ff5), _) => Box::new(factor::FactorModel::new(kind)),
    }
}
