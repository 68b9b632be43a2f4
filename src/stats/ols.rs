//! Ordinary least squares for the normal-return models: y = Xb + ε with an intercept and k
//! regressors (k = 0 constant mean, 1 market model, 3 Fama–French, 4 Carhart, 5 FF5).
//!
//! b̂ = (X'X)⁻¹X'y,  SSR = Σ(y − Xb̂)²,  s² = SSR / d, with the textbook d = M − k − 1
//! (other denominators are a named convention, see [`S2Denominator`]).
//!
//! (X'X)⁻¹ is kept with the fit: the forecast-error variance of [`crate::stats::car`] needs it.
//! The regressors are centred before the cross-products are formed, which keeps the
//! normal equations well conditioned for daily returns; (X'X)⁻¹ of the uncentred design is then
//! recovered exactly from the centred one.
//!
//! For the market model this is α̂ = ȳ − β̂x̄, β̂ = S_xy/S_xx, s² = SSR/(M − 2).
//!
//! References: MacKinlay (1997), "Event Studies in Economics and Finance", JEL 35(1), eq. (7)–(9);
//! Campbell, Lo and MacKinlay (1997), *The Econometrics of Financial Markets*, §4.4;
//! Fama and French (1993); Carhart (1997); Fama and French (2015).

use serde::Serialize;

/// The residual-variance denominator; established tools differ (PEERS.md).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, clap::ValueEnum)]
pub enum S2Denominator {
    /// SSR/(M − k − 1): unbiased OLS, MacKinlay (1997). The default.
    #[value(name = "m-k-1")]
    #[serde(rename = "m-k-1")]
    MK1,
    /// SSR/(M − 1): the sample variance of the residuals, as estudy2 does.
    #[value(name = "m-1")]
    #[serde(rename = "m-1")]
    M1,
    /// SSR/M: as the PyPI `eventstudy` package does.
    #[value(name = "m")]
    #[serde(rename = "m")]
    M,
}

impl S2Denominator {
    /// The denominator for M observations and k regressors besides the intercept.
    pub fn value(self, m: usize, k: usize) -> f64 {
        match self {
            S2Denominator::MK1 => (m - k - 1) as f64,
            S2Denominator::M1 => (m - 1) as f64,
            S2Denominator::M => m as f64,
        }
    }
}

/// A fitted linear model.
#[derive(Debug, Clone, PartialEq)]
pub struct OlsFit {
    /// Coefficients, intercept first.
    pub coef: Vec<f64>,
    /// (X'X)⁻¹, row-major, p × p with p = k + 1.
    pub xtx_inv: Vec<f64>,
    pub ssr: f64,
    /// Residual variance s² = SSR / denominator.
    pub s2: f64,
    /// Number of observations M.
    pub n: usize,
    /// Regressors besides the intercept, k.
    pub k: usize,
    /// Residuals y − Xb̂, in the order of the observations.
    pub resid: Vec<f64>,
    /// Total sum of squares Σ(y − ȳ)².
    pub sst: f64,
}

/// Why a fit is impossible.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FitError {
    /// M ≤ k + 1: no residual degree of freedom.
    TooFewObservations,
    /// A regressor is constant or the regressors are collinear.
    Singular,
    /// A maximum-likelihood fit did not converge; the sentence says how far it got.
    NotConverged(String),
    /// Nothing varies beyond what the model explains; the sentence says why.
    Degenerate(String),
    /// Too few estimation days for this model; the sentence says how many it needs.
    TooFewFor(String),
}

impl OlsFit {
    pub fn sigma(&self) -> f64 {
        self.s2.sqrt()
    }
    /// Degrees of freedom of the t tests, M − k − 1.
    pub fn df(&self) -> usize {
        self.n - self.k - 1
    }
    /// x'b̂ for regressors `x` (without the intercept).
    pub fn predict(&self, x: &[f64]) -> f64 {
        self.coef[0] + x.iter().zip(&self.coef[1..]).map(|(a, b)| a * b).sum::<f64>()
    }
    /// v'(X'X)⁻¹v for v = (c, x₁, …, x_k), where c is the intercept's entry.
    pub fn quad(&self, c: f64, x: &[f64]) -> f64 {
        let p = self.k + 1;
        let v = |i: usize| if i == 0 { c } else { x[i - 1] };
        let mut q = 0.0;
        for i in 0..p {
            for j in 0..p {
                q += v(i) * self.xtx_inv[i * p + j] * v(j);
            }
        }
        q
    }
    /// u'(X'X)⁻¹v for u = (1, a) and v = (1, b): the covariance term of two forecast days.
    pub fn quad_pair(&self, a: &[f64], b: &[f64]) -> f64 {
        let p = self.k + 1;
        let u = |i: usize| if i == 0 { 1.0 } else { a[i - 1] };
        let v = |i: usize| if i == 0 { 1.0 } else { b[i - 1] };
        let mut q = 0.0;
        for i in 0..p {
            for j in 0..p {
                q += u(i) * self.xtx_inv[i * p + j] * v(j);
            }
        }
        q
    }
    pub fn r_squared(&self) -> f64 {
        if self.sst > 0.0 {
            1.0 - self.ssr / self.sst
        } else {
            0.0
        }
    }
}

/// Fits y on an intercept and the k columns of `x` (`x[j]` is regressor j over all
/// observations). With k = 0 this is the constant-mean model.
pub fn fit(y: &[f64], x: &[&[f64]], denominator: S2Denominator) -> Result<OlsFit, FitError> {
    let n = y.len();
    let k = x.len();
    for col in x {
        assert_eq!(col.len(), n, "regressors must be aligned with y");
    }
    if n <= k + 1 {
        return Err(FitError::TooFewObservations);
    }
    let nf = n as f64;
    let y_mean = y.iter().sum::<f64>() / nf;
    let means: Vec<f64> = x.iter().map(|c| c.iter().sum::<f64>() / nf).collect();
    // Centred cross-products S = Xc'Xc (k × k) and Xc'yc.
    let mut s = vec![0.0; k * k];
    let mut sy = vec![0.0; k];
    for a in 0..k {
        for b in a..k {
            let v: f64 = (0..n).map(|t| (x[a][t] - means[a]) * (x[b][t] - means[b])).sum();
            s[a * k + b] = v;
            s[b * k + a] = v;
        }
        sy[a] = (0..n).map(|t| (x[a][t] - means[a]) * (y[t] - y_mean)).sum();
    }
    let s_inv = if k > 0 { invert(&s, k).ok_or(FitError::Singular)? } else { vec![] };
    let mut coef = vec![0.0; k + 1];
    for a in 0..k {
        coef[a + 1] = (0..k).map(|b| s_inv[a * k + b] * sy[b]).sum();
    }
    coef[0] = y_mean - (0..k).map(|a| coef[a + 1] * means[a]).sum::<f64>();
    // (X'X)⁻¹ of the design with intercept, from the centred inverse S⁻¹:
    // [[1/n + m'S⁻¹m, −(S⁻¹m)'], [−S⁻¹m, S⁻¹]].
    let p = k + 1;
    let mut xtx_inv = vec![0.0; p * p];
    let sm: Vec<f64> = (0..k).map(|a| (0..k).map(|b| s_inv[a * k + b] * means[b]).sum()).collect();
    xtx_inv[0] = 1.0 / nf + (0..k).map(|a| means[a] * sm[a]).sum::<f64>();
    for a in 0..k {
        xtx_inv[a + 1] = -sm[a];
        xtx_inv[(a + 1) * p] = -sm[a];
        for b in 0..k {
            xtx_inv[(a + 1) * p + b + 1] = s_inv[a * k + b];
        }
    }
    let resid: Vec<f64> = (0..n).map(|t| y[t] - coef[0] - (0..k).map(|a| coef[a + 1] * x[a][t]).sum::<f64>()).collect();
    let ssr: f64 = resid.iter().map(|e| e * e).sum();
    let sst: f64 = y.iter().map(|v| (v - y_mean).powi(2)).sum();
    Ok(OlsFit { coef, xtx_inv, ssr, s2: ssr / denominator.value(n, k), n, k, resid, sst })
}

/// Inverse of a symmetric positive-definite k × k matrix by Gauss–Jordan elimination with
/// partial pivoting; `None` when it is (numerically) singular.
pub(crate) fn invert(a: &[f64], k: usize) -> Option<Vec<f64>> {
    let mut m = a.to_vec();
    let mut inv = vec![0.0; k * k];
    for i in 0..k {
        inv[i * k + i] = 1.0;
    }
    let scale = (0..k).map(|i| a[i * k + i].abs()).fold(0.0, f64::max);
    if !super::positive(scale) {
        return None;
    }
    for col in 0..k {
        let piv = (col..k).max_by(|&r1, &r2| m[r1 * k + col].abs().total_cmp(&m[r2 * k + col].abs()))?;
        if m[piv * k + col].abs() <= 1e-13 * scale {
            return None;
        }
        if piv != col {
            for j in 0..k {
                m.swap(piv * k + j, col * k + j);
                inv.swap(piv * k + j, col * k + j);
            }
        }
        let d = m[col * k + col];
        for j in 0..k {
            m[col * k + j] /= d;
            inv[col * k + j] /= d;
        }
        for r in 0..k {
            if r != col {
                let f = m[r * k + col];
                if f != 0.0 {
                    for j in 0..k {
                        m[r * k + j] -= f * m[col * k + j];
                        inv[r * k + j] -= f * inv[col * k + j];
                    }
                }
            }
        }
    }
    Some(inv)
}

#[cfg(test)]
mod tests {
    use super::*;

    const TOL: f64 = 1e-12;

    /// Worked by hand: x = [1,2,3,4], y = [2,3,5,4]. x̄ = 2.5, ȳ = 3.5, S_xx = 5, S_xy = 4,
    /// β = 0.8, α = 1.5, fitted = [2.3,3.1,3.9,4.7], residuals = [−0.3,−0.1,1.1,−0.7],
    /// SSR = 0.09+0.01+1.21+0.49 = 1.8, s² = 1.8/2 = 0.9.
    /// X'X = [[4,10],[10,30]], det 20, (X'X)⁻¹ = [[1.5,−0.5],[−0.5,0.2]].
    #[test]
    fn matches_a_market_model_worked_by_hand() {
        let f = fit(&[2.0, 3.0, 5.0, 4.0], &[&[1.0, 2.0, 3.0, 4.0]], S2Denominator::MK1).unwrap();
        assert!((f.coef[1] - 0.8).abs() < TOL);
        assert!((f.coef[0] - 1.5).abs() < TOL);
        assert!((f.ssr - 1.8).abs() < TOL);
        assert!((f.s2 - 0.9).abs() < TOL);
        assert_eq!(f.df(), 2);
        for (a, b) in f.xtx_inv.iter().zip([1.5, -0.5, -0.5, 0.2]) {
            assert!((a - b).abs() < TOL, "{:?}", f.xtx_inv);
        }
        assert!((f.resid[2] - 1.1).abs() < TOL);
    }

    /// Constant mean: b = ȳ = 3.5, SSR = 2.25+0.25+2.25+0.25 = 5, s² = 5/3, (X'X)⁻¹ = 1/4.
    #[test]
    fn constant_mean_is_the_intercept_only_fit() {
        let f = fit(&[2.0, 3.0, 5.0, 4.0], &[], S2Denominator::MK1).unwrap();
        assert!((f.coef[0] - 3.5).abs() < TOL);
        assert!((f.s2 - 5.0 / 3.0).abs() < TOL);
        assert!((f.xtx_inv[0] - 0.25).abs() < TOL);
        let g = fit(&[2.0, 3.0, 5.0, 4.0], &[], S2Denominator::M).unwrap();
        assert!((g.s2 - 1.25).abs() < TOL);
    }

    /// Two regressors, checked against numpy.linalg.lstsq (tests/reference/ols_reference.py).
    #[test]
    fn two_regressors_match_numpy() {
        let y = [0.5, 1.0, 0.7, 2.0, 1.6, 2.9];
        let x1 = [1.0, 2.0, 1.5, 3.0, 2.5, 4.0];
        let x2 = [0.2, 0.1, 0.4, 0.3, 0.9, 0.5];
        let f = fit(&y, &[&x1, &x2], S2Denominator::MK1).unwrap();
        let expect = [-0.5069142388182184, 0.8225687320475997, 0.09396799343455085];
        for (a, b) in f.coef.iter().zip(expect) {
            assert!((a - b).abs() < 1e-12, "{:?}", f.coef);
        }
        assert!((f.s2 - 0.019832444262070897).abs() < 1e-12, "{}", f.s2);
        assert!((f.xtx_inv[4] - 0.1969634796881412).abs() < 1e-12, "{:?}", f.xtx_inv);
    }

    #[test]
    fn refuses_degenerate_inputs() {
        assert_eq!(fit(&[1.0, 2.0], &[&[1.0, 2.0]], S2Denominator::MK1), Err(FitError::TooFewObservations));
        assert_eq!(fit(&[1.0, 2.0, 3.0], &[&[0.5, 0.5, 0.5]], S2Denominator::MK1), Err(FitError::Singular));
    }
}
