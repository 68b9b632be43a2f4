//! Market-model betas for non-synchronous trading: a stock whose last trade is hours before
//! the benchmark's close (a Hong Kong line against a US index) or that trades thinly reacts to
//! market news a day late, and OLS on same-day returns biases its beta toward zero.
//!
//! Scholes and Williams (1977), "Estimating betas from nonsynchronous data", JFE 5, eq. (14):
//!   β_SW = (b₋₁ + b₀ + b₊₁) / (1 + 2ρ̂_m),
//! where b_j is the simple-regression slope of R_t on R_m,t+j and ρ̂_m the first-order
//! autocorrelation of the market return (here the correlation of R_m,t with R_m,t−1 over the
//! same estimation days).
//!
//! Dimson (1979), "Risk measurement when shares are subject to infrequent trading", JFE 7:
//!   R_t = α + Σ_{j=−N..N} b_j R_m,t+j + ε_t,  β_D = Σ b_j.
//!
//! For both, as in EVENTUS, α = R̄ − β·R̄_m (the line through the means of the estimation
//! days) and the abnormal return is AR_t = R_t − α − β·R_m,t. The residual variance is
//! s² = Σ AR²/(M − 2), and Var(CAR) uses the market model's forecast-error formula with the
//! estimation-window (X'X)⁻¹ of [1, R_m], so CARs and tests read exactly as for OLS.

use super::ols::{self, FitError, OlsFit, S2Denominator};
use super::rbar::pearson;

/// Slope of the simple regression of `y` on `x`: S_xy / S_xx (NaN when x is constant).
pub fn slope(y: &[f64], x: &[f64]) -> f64 {
    let n = y.len() as f64;
    let (my, mx) = (y.iter().sum::<f64>() / n, x.iter().sum::<f64>() / n);
    let (mut sxy, mut sxx) = (0.0, 0.0);
    for (a, b) in y.iter().zip(x) {
        sxy += (b - mx) * (a - my);
        sxx += (b - mx) * (b - mx);
    }
    sxy / sxx
}

/// Scholes–Williams beta from the stock return and the lagged, same-day and leading market
/// returns of the same days.
pub fn scholes_williams_beta(r: &[f64], m_lag: &[f64], m: &[f64], m_lead: &[f64]) -> f64 {
    let rho = pearson(m, m_lag);
    (slope(r, m_lag) + slope(r, m) + slope(r, m_lead)) / (1.0 + 2.0 * rho)
}

/// Dimson beta: the sum of the slopes of R_t on the market returns in `shifted` (lags,
/// same day, leads; each aligned with `r`).
pub fn dimson_beta(r: &[f64], shifted: &[&[f64]]) -> Result<f64, FitError> {
    let f = ols::fit(r, shifted, S2Denominator::MK1)?;
    Ok(f.coef[1..].iter().sum())
}

/// The market model with a given beta: α = R̄ − β·R̄_m, residuals R − α − β·R_m, s² = SSR over
/// `den` with one regressor, and (X'X)⁻¹ of [1, R_m] for the forecast-error variance.
pub fn fit_with_beta(r: &[f64], m: &[f64], beta: f64, den: S2Denominator) -> Result<OlsFit, FitError> {
    // The OLS market model over the same days gives (X'X)⁻¹ and the total sum of squares.
    let ols = ols::fit(r, &[m], den)?;
    if !beta.is_finite() {
        return Err(FitError::Singular);
    }
    let n = r.len() as f64;
    let alpha = r.iter().sum::<f64>() / n - beta * m.iter().sum::<f64>() / n;
    let resid: Vec<f64> = r.iter().zip(m).map(|(y, x)| y - alpha - beta * x).collect();
    let ssr = resid.iter().map(|e| e * e).sum();
    Ok(OlsFit {
        coef: vec![alpha, beta],
        xtx_inv: ols.xtx_inv,
        ssr,
        s2: ssr / den.value(ols.n, 1),
        n: ols.n,
        k: 1,
        resid,
        sst: ols.sst,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Hand-checkable: with R_t = 2·R_m,t−1 exactly, b₋₁ = 2 and the other slopes depend on
    /// the market's autocorrelation; with an uncorrelated market Dimson's sum is exactly 2.
    #[test]
    fn dimson_recovers_a_lagged_response() {
        let m: Vec<f64> = (0..60).map(|i| ((i * 37 % 17) as f64 - 8.0) / 100.0).collect();
        let r: Vec<f64> = (1..59).map(|t| 2.0 * m[t - 1]).collect();
        let (lag, same, lead) = (&m[0..58], &m[1..59], &m[2..60]);
        let b = dimson_beta(&r, &[lag, same, lead]).unwrap();
        assert!((b - 2.0).abs() < 1e-12, "{b}");
        let f = fit_with_beta(&r, same, b, S2Denominator::MK1).unwrap();
        assert_eq!(f.df(), 56);
        assert!((f.coef[0] - (r.iter().sum::<f64>() / 58.0 - b * same.iter().sum::<f64>() / 58.0)).abs() < 1e-15);
    }
}
