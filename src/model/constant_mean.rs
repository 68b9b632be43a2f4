//! Constant-mean model: E[R_t] = μ, the mean over the estimation window, so AR_t = R_t − μ̂
//! and Var(CAR) = s²·(L + L²/M) (MacKinlay 1997, §4.1; Brown and Warner 1985).

use super::linear::LinearFit;
use super::{Design, FittedModel, NormalModel};
use crate::config::ModelKind;
use crate::load::FactorTable;
use crate::measure::Series;
use crate::stats::ols::{FitError, S2Denominator};

pub struct ConstantMean;

impl NormalModel for ConstantMean {
    fn kind(&self) -> ModelKind {
        ModelKind::ConstantMean
    }
    fn uses_market(&self) -> bool {
        false
    }
    fn design(&self, s: Series, _: Option<&FactorTable>) -> Design {
        let avail: Vec<bool> = s.value.iter().enumerate().map(|(i, v)| i > 0 && v.is_finite()).collect();
        Design {
            y: s.value.clone(),
            dates: s.dates,
            value: s.value,
            market: s.market,
            x: vec![],
            k: 0,
            avail,
            names: vec![],
        }
    }
    fn regressors(&self) -> usize {
        0
    }
    fn fit(&self, d: &Design, rows: &[usize], den: S2Denominator) -> Result<Box<dyn FittedModel>, FitError> {
        LinearFit::ols(d, rows, den)
    }
}
