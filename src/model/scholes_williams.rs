//! The market model with a Scholes–Williams (1977) beta, for non-synchronous trading (a Hong
//! Kong line against a US index): β = (b₋₁ + b₀ + b₊₁)/(1 + 2ρ̂_m), α = R̄ − β·R̄_m, with the
//! forecast-error variance of the OLS market model ([`crate::stats::nonsync`]).

use super::linear::LinearFit;
use super::{Design, FittedModel, NormalModel};
use crate::config::{BetaKind, ModelKind};
use crate::stats::nonsync;
use crate::stats::ols::{FitError, S2Denominator};

pub struct ScholesWilliams;

impl NormalModel for ScholesWilliams {
    fn kind(&self) -> ModelKind {
        ModelKind::Market
    }
    fn beta_method(&self) -> Option<BetaKind> {
        Some(BetaKind::ScholesWilliams)
    }
    fn lags(&self) -> usize {
        1
    }
    fn regressors(&self) -> usize {
        1
    }
    fn fit(&self, d: &Design, rows: &[usize], den: S2Denominator) -> Result<Box<dyn FittedModel>, FitError> {
        let y = d.y_on(rows);
        let m = d.market_shifted(rows, 0);
        let beta = nonsync::scholes_williams_beta(&y, &d.market_shifted(rows, -1), &m, &d.market_shifted(rows, 1));
        Ok(Box::new(LinearFit(nonsync::fit_with_beta(&y, &m, beta, den)?)))
    }
    fn unusable_day(&self) -> &'static str {
        "benchmark returns on the day and its leads and lags"
    }
}
