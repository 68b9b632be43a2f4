//! Market-adjusted returns: E[R_t] = R_m,t, so AR_t = R_t − R_m,t with nothing estimated. The
//! residual variance is that of the estimation-window ARs about their mean, and
//! Var(CAR) = L·s² (no estimation error; Brown and Warner 1985, MacKinlay 1997 §4.1).

use std::collections::BTreeMap;

use super::{Day, Design, FitRecord, FittedModel, NormalModel};
use crate::config::ModelKind;
use crate::load::FactorTable;
use crate::measure::Series;
use crate::stats::ols::{FitError, S2Denominator};

pub struct MarketAdjusted;

/// The estimation-window ARs and their variance.
struct Fitted {
    resid: Vec<f64>,
    s2: f64,
    n: usize,
}

impl NormalModel for MarketAdjusted {
    fn kind(&self) -> ModelKind {
        ModelKind::MarketAdjusted
    }
    fn design(&self, s: Series, _: Option<&FactorTable>) -> Design {
        let n = s.dates.len();
        let (mut y, mut avail) = (vec![f64::NAN; n], vec![false; n]);
        for i in 1..n {
            if let Some(m) = s.market[i] {
                y[i] = s.value[i] - m;
                avail[i] = y[i].is_finite();
            }
        }
        Design { dates: s.dates, value: s.value, market: s.market, y, x: vec![], k: 0, avail, names: vec![] }
    }
    fn regressors(&self) -> usize {
        0
    }
    fn fit(&self, d: &Design, rows: &[usize], den: S2Denominator) -> Result<Box<dyn FittedModel>, FitError> {
        let y = d.y_on(rows);
        let n = y.len();
        if n < 2 {
            return Err(FitError::TooFewObservations);
        }
        let mean = y.iter().sum::<f64>() / n as f64;
        let ssr: f64 = y.iter().map(|v| (v - mean).powi(2)).sum();
        Ok(Box::new(Fitted { s2: ssr / den.value(n, 0), n, resid: y }))
    }
    fn k_convention(&self) -> String {
        "0, nothing estimated".into()
    }
    fn car_variance_convention(&self) -> &'static str {
        "L * s^2 (market-adjusted: no estimation error)"
    }
}

impl FittedModel for Fitted {
    fn expected(&self, _: &[f64]) -> f64 {
        0.0
    }
    fn covariance(&self, days: &[Day]) -> Vec<f64> {
        let l = days.len();
        (0..l * l).map(|i| if i % (l + 1) == 0 { self.s2 } else { 0.0 }).collect()
    }
    fn sum_variance(&self, days: &[Day]) -> f64 {
        self.s2 * days.len() as f64
    }
    fn sigma(&self) -> f64 {
        self.s2.sqrt()
    }
    fn df(&self) -> usize {
        self.n - 1
    }
    fn n_obs(&self) -> usize {
        self.n
    }
    fn take_residuals(&mut self) -> Vec<f64> {
        std::mem::take(&mut self.resid)
    }
    fn record(&self, _: &[&'static str]) -> FitRecord {
        // Nothing is estimated: the residual sum of squares is the total one, and R² is 0.
        FitRecord {
            alpha: 0.0,
            beta: Some(1.0),
            coefficients: BTreeMap::from([("alpha".to_string(), 0.0)]),
            r_squared: 0.0,
            garch: None,
        }
    }
}
