//! The market model with a Dimson (1979) beta, for thinly or non-synchronously traded stocks:
//! β = Σ b_j, the slopes of R_t on R_m,t−N … R_m,t+N, α = R̄ − β·R̄_m, with the forecast-error
//! variance of the OLS market model ([`crate::stats::nonsync`]).

use super::linear::LinearFit;
use super::{Design, FittedModel, NormalModel};
use crate::config::{BetaKind, ModelKind};
use crate::stats::nonsync;
use crate::stats::ols::{FitError, S2Denominator};

pub struct Dimson {
    /// N: lags and leads of the market return.
    pub lags: usize,
}

impl NormalModel for Dimson {
    fn kind(&self) -> ModelKind {
        ModelKind::Market
    }
    fn beta_method(&self) -> Option<BetaKind> {
        Some(BetaKind::Dimson)
    }
    fn lags(&self) -> usize {
        self.lags
    }
    fn regressors(&self) -> usize {
        2 * self.lags + 1
    }
    fn fit(&self, d: &Design, rows: &[usize], den: S2Denominator) -> Result<Box<dyn FittedModel>, FitError> {
        let y = d.y_on(rows);
        let n = self.lags as i64;
        let cols: Vec<Vec<f64>> = (-n..=n).map(|l| d.market_shifted(rows, l)).collect();
        let refs: Vec<&[f64]> = cols.iter().map(|c| c.as_slice()).collect();
        let beta = nonsync::dimson_beta(&y, &refs)?;
        Ok(Box::new(LinearFit(nonsync::fit_with_beta(&y, &d.market_shifted(rows, 0), beta, den)?)))
    }
    fn unusable_day(&self) -> &'static str {
        "benchmark returns on the day and its leads and lags"
    }
    fn k_convention(&self) -> String {
        "1".into()
    }
}
