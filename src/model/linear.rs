//! The fitted form every linear normal-return model shares (constant mean, market, factor
//! models, and the market model with a Scholes–Williams or Dimson beta): coefficients with the
//! estimation-window (X'X)⁻¹ and s², so that the forecast errors of event days x*_t have
//! covariance s²·(I + X*(X'X)⁻¹X*') (Campbell, Lo and MacKinlay 1997, §4.4.2).

use std::collections::BTreeMap;

use super::{Day, Design, FitRecord, FittedModel};
use crate::stats::car::variance_factor;
use crate::stats::ols::{self, FitError, OlsFit, S2Denominator};

/// A linear model fitted on an estimation window.
pub struct LinearFit(pub OlsFit);

impl LinearFit {
    /// OLS of the design's y on its regressors over `rows`.
    pub fn ols(d: &Design, rows: &[usize], den: S2Denominator) -> Result<Box<dyn FittedModel>, FitError> {
        let y = d.y_on(rows);
        let cols: Vec<Vec<f64>> = (0..d.k).map(|c| d.column_on(c, rows)).collect();
        let refs: Vec<&[f64]> = cols.iter().map(|c| c.as_slice()).collect();
        Ok(Box::new(LinearFit(ols::fit(&y, &refs, den)?)))
    }
}

impl FittedModel for LinearFit {
    fn expected(&self, x: &[f64]) -> f64 {
        self.0.predict(x)
    }

    fn covariance(&self, days: &[Day]) -> Vec<f64> {
        let l = days.len();
        let mut v = vec![0.0; l * l];
        for (a, xa) in days.iter().enumerate() {
            for (b, xb) in days.iter().enumerate() {
                let cross = self.0.quad_pair(xa.x, xb.x);
                v[a * l + b] = self.0.s2 * (if a == b { 1.0 } else { 0.0 } + cross);
            }
        }
        v
    }

    fn sum_variance(&self, days: &[Day]) -> f64 {
        self.0.s2 * variance_factor(&self.0, days.iter().map(|d| d.x))
    }

    fn sigma(&self) -> f64 {
        self.0.sigma()
    }

    fn df(&self) -> usize {
        self.0.df()
    }

    fn n_obs(&self) -> usize {
        self.0.n
    }

    fn take_residuals(&mut self) -> Vec<f64> {
        std::mem::take(&mut self.0.resid)
    }

    fn record(&self, names: &[&'static str]) -> FitRecord {
        let coef = &self.0.coef;
        let mut coefficients = BTreeMap::new();
        coefficients.insert("alpha".to_string(), coef[0]);
        for (c, name) in names.iter().enumerate() {
            coefficients.insert(name.to_string(), coef[c + 1]);
        }
        FitRecord {
            alpha: coef[0],
            beta: coef.get(1).copied(),
            coefficients,
            r_squared: self.0.r_squared(),
            garch: None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The 4-point fit of `ols::tests` ((X'X)⁻¹ = [[1.5,−0.5],[−0.5,0.2]], s² = 0.9) and event
    /// days with market returns 2 and 5: V = s²·(I + X*(X'X)⁻¹X*'), with
    /// [1,2](X'X)⁻¹[1,2]' = 1.5 − 2 + 0.8 = 0.3, [1,5]·[1,5] = 1.5 − 5 + 5 = 1.5 and
    /// [1,2]·[1,5] = 1.5 − 0.5·7 + 0.2·10 = 0. So V = 0.9·[[1.3, 0], [0, 2.5]], and 1'V1 = 3.42,
    /// as `stats::car` works out by hand.
    #[test]
    fn covariance_of_event_days_worked_by_hand() {
        let f = LinearFit(ols::fit(&[2.0, 3.0, 5.0, 4.0], &[&[1.0, 2.0, 3.0, 4.0]], S2Denominator::MK1).unwrap());
        let days = [Day { x: &[2.0], ahead: 1 }, Day { x: &[5.0], ahead: 2 }];
        let v = f.covariance(&days);
        for (got, want) in v.iter().zip([0.9 * 1.3, 0.0, 0.0, 0.9 * 2.5]) {
            assert!((got - want).abs() < 1e-12, "{v:?}");
        }
        assert!((f.sum_variance(&days) - 3.42).abs() < 1e-12);
        assert!((v.iter().sum::<f64>() - f.sum_variance(&days)).abs() < 1e-12);
    }
}
