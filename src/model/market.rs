//! Market model: R_t = α + β·R_m,t + ε_t by OLS over the estimation window (MacKinlay 1997,
//! eq. (7)–(9)).

use super::linear::LinearFit;
use super::{Design, FittedModel, NormalModel};
use crate::config::{BetaKind, ModelKind};
use crate::stats::ols::{FitError, S2Denominator};

pub struct Market;

impl NormalModel for Market {
    fn kind(&self) -> ModelKind {
        ModelKind::Market
    }
    fn beta_method(&self) -> Option<BetaKind> {
        Some(BetaKind::Ols)
    }
    fn regressors(&self) -> usize {
        1
    }
    fn fit(&self, d: &Design, rows: &[usize], den: S2Denominator) -> Result<Box<dyn FittedModel>, FitError> {
        LinearFit::ols(d, rows, den)
    }
}
