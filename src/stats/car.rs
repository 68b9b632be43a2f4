//! Cumulative abnormal return over a window and its exact forecast-error variance.
//!
//! For a window of L event days with market returns x*_t, the abnormal returns
//! AR_t = R_t − α̂ − β̂·x*_t have covariance s²·(I + X*(X'X)⁻¹X*'), so
//!
//! Var(CAR) = s²·1'(I + X*(X'X)⁻¹X*')1 = s²·[ L + L²/M + (Σ_t (x*_t − x̄))² / S_xx ],
//!
//! where M, x̄ and S_xx come from the estimation window. For one day (L = 1) this is the
//! familiar s²·(1 + 1/M + (x*_t − x̄)²/S_xx). The t statistic CAR/√Var(CAR) has a Student t
//! distribution with M − 2 degrees of freedom under normal, independent disturbances.
//!
//! References: MacKinlay (1997), JEL 35(1), eq. (10)–(14); Campbell, Lo and MacKinlay (1997),
//! §4.4.2–4.4.3 (the V_i matrix).

use super::ols::MarketModelFit;

/// The exact variance factor 1'(I + X*(X'X)⁻¹X*')1 for a window with these market returns.
pub fn variance_factor(fit: &MarketModelFit, window_market: &[f64]) -> f64 {
    let l = window_market.len() as f64;
    let m = fit.n as f64;
    let dev: f64 = window_market.iter().map(|x| x - fit.x_mean).sum();
    l + l * l / m + dev * dev / fit.sxx
}

/// Var(CAR) = s² times [`variance_factor`].
pub fn car_variance(fit: &MarketModelFit, window_market: &[f64]) -> f64 {
    fit.s2 * variance_factor(fit, window_market)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::stats::ols::fit_market_model;

    /// The same quantity from the matrix form, computed by hand for the 4-point fit of
    /// `ols::tests`: X'X = [[4,10],[10,30]], det = 20, (X'X)⁻¹ = [[1.5,−0.5],[−0.5,0.2]].
    /// A window with market returns [2, 5]: X* = [[1,2],[1,5]], 1'X* = [2, 7],
    /// [2,7]·(X'X)⁻¹·[2,7]' = 1.5·4 − 2·0.5·14 + 0.2·49 = 6 − 14 + 9.8 = 1.8,
    /// so the factor is L + 1.8 = 3.8 and Var(CAR) = 0.9 · 3.8 = 3.42.
    #[test]
    fn equals_the_matrix_form_worked_by_hand() {
        let f = fit_market_model(&[2.0, 3.0, 5.0, 4.0], &[1.0, 2.0, 3.0, 4.0]).unwrap();
        assert!((variance_factor(&f, &[2.0, 5.0]) - 3.8).abs() < 1e-12);
        assert!((car_variance(&f, &[2.0, 5.0]) - 3.42).abs() < 1e-12);
    }
}
