//! Ordinary least squares for the market model R_t = α + β·R_m,t + ε_t.
//!
//! With M estimation days, x̄ and ȳ the means, S_xx = Σ(x−x̄)² and S_xy = Σ(x−x̄)(y−ȳ):
//!
//! β̂ = S_xy / S_xx,  α̂ = ȳ − β̂·x̄,  SSR = Σ(y − α̂ − β̂x)²,  s² = SSR / (M − 2).
//!
//! (X'X)⁻¹ for X = [1, x] is (1/(M·S_xx))·[[Σx², −Σx], [−Σx, M]]; the forecast-error variance of
//! [`crate::stats::car`] only needs M, x̄ and S_xx, which are kept with the fit.
//!
//! References: MacKinlay (1997), "Event Studies in Economics and Finance", JEL 35(1), eq. (7)–(9);
//! Campbell, Lo and MacKinlay (1997), *The Econometrics of Financial Markets*, §4.4.

/// A fitted market model.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct MarketModelFit {
    pub alpha: f64,
    pub beta: f64,
    /// Residual sum of squares.
    pub ssr: f64,
    /// Residual variance s² = SSR / (M − 2).
    pub s2: f64,
    /// Number of estimation observations M.
    pub n: usize,
    /// Mean of the market returns over the estimation window.
    pub x_mean: f64,
    /// Σ(x − x̄)² over the estimation window.
    pub sxx: f64,
}

impl MarketModelFit {
    /// Residual standard deviation s.
    pub fn sigma(&self) -> f64 {
        self.s2.sqrt()
    }
    /// Degrees of freedom of the residual variance, M − 2.
    pub fn df(&self) -> usize {
        self.n - 2
    }
    /// Expected (normal) return for a market return.
    pub fn expected(&self, market: f64) -> f64 {
        self.alpha + self.beta * market
    }
}

/// Why a fit is impossible.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FitError {
    /// Fewer than 3 observations (no residual degree of freedom).
    TooFewObservations,
    /// The market return does not vary over the window, so β is not identified.
    ConstantRegressor,
}

/// Fits y = α + β·x by OLS. `y` and `x` must have the same length.
pub fn fit_market_model(y: &[f64], x: &[f64]) -> Result<MarketModelFit, FitError> {
    assert_eq!(y.len(), x.len(), "y and x must be aligned");
    let n = y.len();
    if n < 3 {
        return Err(FitError::TooFewObservations);
    }
    let nf = n as f64;
    let x_mean = x.iter().sum::<f64>() / nf;
    let y_mean = y.iter().sum::<f64>() / nf;
    let (mut sxx, mut sxy) = (0.0, 0.0);
    for (&xi, &yi) in x.iter().zip(y) {
        let dx = xi - x_mean;
        sxx += dx * dx;
        sxy += dx * (yi - y_mean);
    }
    if !(sxx > 0.0) || sxx <= 1e-300 {
        return Err(FitError::ConstantRegressor);
    }
    let beta = sxy / sxx;
    let alpha = y_mean - beta * x_mean;
    let ssr: f64 = x.iter().zip(y).map(|(&xi, &yi)| (yi - alpha - beta * xi).powi(2)).sum();
    Ok(MarketModelFit { alpha, beta, ssr, s2: ssr / (nf - 2.0), n, x_mean, sxx })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Worked by hand: x = [1,2,3,4], y = [2,3,5,4]. x̄ = 2.5, ȳ = 3.5, S_xx = 5, S_xy = 4,
    /// β = 0.8, α = 1.5, fitted = [2.3,3.1,3.9,4.7], residuals = [−0.3,−0.1,1.1,−0.7],
    /// SSR = 0.09+0.01+1.21+0.49 = 1.8, s² = 1.8/2 = 0.9.
    #[test]
    fn matches_a_fit_worked_by_hand() {
        let f = fit_market_model(&[2.0, 3.0, 5.0, 4.0], &[1.0, 2.0, 3.0, 4.0]).unwrap();
        const TOL: f64 = 1e-12;
        assert!((f.beta - 0.8).abs() < TOL);
        assert!((f.alpha - 1.5).abs() < TOL);
        assert!((f.ssr - 1.8).abs() < TOL);
        assert!((f.s2 - 0.9).abs() < TOL);
        assert_eq!(f.df(), 2);
        assert!((f.sxx - 5.0).abs() < TOL);
    }

    #[test]
    fn refuses_degenerate_inputs() {
        assert_eq!(fit_market_model(&[1.0, 2.0], &[1.0, 2.0]), Err(FitError::TooFewObservations));
        assert_eq!(fit_market_model(&[1.0, 2.0, 3.0], &[0.5, 0.5, 0.5]), Err(FitError::ConstantRegressor));
    }
}
