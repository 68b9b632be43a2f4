//! Abnormal volatility: did the event window's abnormal returns vary more than the estimation
//! window's? Per event and window of L days, with the model's residual variance s² on ν
//! degrees of freedom and the forecast-error covariance C = s²·V of the window's days:
//!
//! - variance ratio: var_ratio = Σ AR_t² / (L·s²), how many times the estimation variance the
//!   window's squared abnormal returns were;
//! - Chow (1960) predictive test: var_f = AR' C⁻¹ AR / L = AR' V⁻¹ AR / (L·s²), exactly
//!   F(L, ν) under normal errors and no event effect. It equals the F test of one dummy per
//!   window day in an OLS over estimation plus window days (Salkever 1976);
//! - per day, SAR² = AR_t² / C_tt ~ F(1, ν).
//!
//! Across N events (one window each, F_i on (L_i, ν_i) degrees of freedom):
//! - `vol_lnf_t`: ℓ_i = ln F_i − E0_i with E0_i = ψ(L_i/2) − ψ(ν_i/2) + ln(ν_i/L_i), the exact
//!   null mean of ln F(L_i, ν_i) (E ln χ²_d = ψ(d/2) + ln 2); t = mean(ℓ)/(sd(ℓ)/√N) ~ t(N−1);
//! - `vol_sign_z`: the number of F_i above the median of their own F(L_i, ν_i), against
//!   Bin(N, ½) (normal approximation);
//! - `vol_wilcoxon_z`: Wilcoxon signed ranks of ln F_i − ln median F(L_i, ν_i);
//! - `vol_chi2`: S = Σ L_i·F_i against χ²(Σ L_i), which assumes independent events and large ν.
//!
//! An increase is the alternative of every volatility p-value; `--alternative less` gives the
//! lower tail.
//!
//! References: Chow (1960), Econometrica 28(3); Salkever (1976), J. Econometrics 4; Beaver
//! (1968), J. Accounting Research 6 (squared abnormal returns); ../shared/METHODS-research.md
//! §1a–1b.

use statrs::function::beta::{beta_reg, inv_beta_reg};
use statrs::function::gamma::{digamma, gamma_lr, gamma_ur};

use super::tdist::Alternative;
use super::{mean_sd, positive, sign, tdist, wilcoxon, TestOutcome};

/// The tail a volatility test looks at: an increase, unless the lower tail was asked for.
pub fn alternative(alt: Alternative) -> Alternative {
    match alt {
        Alternative::Less => Alternative::Less,
        Alternative::TwoSided | Alternative::Greater => Alternative::Greater,
    }
}

/// Σ AR² / (L·s²).
pub fn variance_ratio(ar: &[f64], s2: f64) -> f64 {
    ar.iter().map(|a| a * a).sum::<f64>() / (ar.len() as f64 * s2)
}

/// Σ (AR_t² / h_t) / L: the variance ratio against each day's own conditional variance h_t
/// (the GARCH model's forecasts).
pub fn variance_ratio_conditional(ar: &[f64], h: &[f64]) -> f64 {
    ar.iter().zip(h).map(|(a, h)| a * a / h).sum::<f64>() / ar.len() as f64
}

/// AR' C⁻¹ AR / L for the forecast-error covariance `cov` (L × L, row-major, positive
/// definite), by a Cholesky factorisation; NaN when `cov` is not positive definite.
pub fn chow_f(ar: &[f64], cov: &[f64]) -> f64 {
    let l = ar.len();
    let mut g = cov.to_vec();
    for j in 0..l {
        let d = g[j * l + j] - (0..j).map(|k| g[j * l + k] * g[j * l + k]).sum::<f64>();
        if !positive(d) {
            return f64::NAN;
        }
        g[j * l + j] = d.sqrt();
        for i in j + 1..l {
            let v = g[i * l + j] - (0..j).map(|k| g[i * l + k] * g[j * l + k]).sum::<f64>();
            g[i * l + j] = v / g[j * l + j];
        }
    }
    // Solve G z = AR; AR' C⁻¹ AR = z'z.
    let mut z = vec![0.0; l];
    for i in 0..l {
        z[i] = (ar[i] - (0..i).map(|k| g[i * l + k] * z[k]).sum::<f64>()) / g[i * l + i];
    }
    z.iter().map(|v| v * v).sum::<f64>() / l as f64
}

/// P(F(d1, d2) ≥ f), or P(F ≤ f) for the lower tail.
pub fn f_p(f: f64, d1: f64, d2: f64, alt: Alternative) -> f64 {
    if !(f.is_finite() && f >= 0.0 && positive(d1) && positive(d2)) {
        return f64::NAN;
    }
    // F = (d2/d1)·Y/(1−Y) with Y ~ Beta(d1/2, d2/2); the upper tail in its own form for accuracy.
    let x = d1 * f / (d1 * f + d2);
    match alternative(alt) {
        Alternative::Less => beta_reg(d1 / 2.0, d2 / 2.0, x),
        _ => beta_reg(d2 / 2.0, d1 / 2.0, d2 / (d1 * f + d2)),
    }
}

/// The `q` quantile of F(d1, d2).
pub fn f_quantile(q: f64, d1: f64, d2: f64) -> f64 {
    let y = inv_beta_reg(d1 / 2.0, d2 / 2.0, q);
    d2 * y / (d1 * (1.0 - y))
}

/// E[ln F(d1, d2)] = ψ(d1/2) − ψ(d2/2) + ln(d2/d1).
pub fn ln_f_mean(d1: f64, d2: f64) -> f64 {
    digamma(d1 / 2.0) - digamma(d2 / 2.0) + (d2 / d1).ln()
}

/// One event's window for the across-event tests: its F, L and ν.
#[derive(Debug, Clone, Copy)]
pub struct WindowF {
    pub f: f64,
    pub l: usize,
    pub nu: usize,
}

fn finite(w: &[WindowF]) -> Vec<WindowF> {
    w.iter().copied().filter(|w| w.f.is_finite() && w.f > 0.0 && w.nu > 0).collect()
}

/// Cross-sectional t of ln F_i − E0_i, t(N−1).
pub fn lnf_t(w: &[WindowF], alt: Alternative) -> TestOutcome {
    let w = finite(w);
    let dist = super::named("t", w.len().saturating_sub(1) as u64);
    let ell: Vec<f64> = w.iter().map(|w| w.f.ln() - Memo::LnMean.get(w)).collect();
    let (m, sd) = mean_sd(&ell);
    if w.len() < 2 || !positive(sd) {
        return TestOutcome::undefined(dist);
    }
    let t = m / (sd / (w.len() as f64).sqrt());
    TestOutcome::new(t, tdist::t_p(t, (w.len() - 1) as f64, alternative(alt)), dist)
}

/// Each F_i less the median of its own F(L_i, ν_i).
fn above_median(w: &[WindowF]) -> Vec<f64> {
    finite(w).iter().map(|w| w.f - Memo::Median.get(w)).collect()
}

/// The median of F(d1, d2).
fn f_median(d1: f64, d2: f64) -> f64 {
    f_quantile(0.5, d1, d2)
}

/// A function of (L, ν), computed once per thread for each distinct pair: events share a few
/// (the CAR windows' lengths, one ν per estimation length), every group of a study asks for
/// the same ones, and the median is an iterative inversion (with one group per ticker, the
/// inversions were a tenth of the across-event tests' time).
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
enum Memo {
    /// [`f_median`].
    Median,
    /// [`ln_f_mean`].
    LnMean,
}

impl Memo {
    fn get(self, w: &WindowF) -> f64 {
        use std::cell::RefCell;
        use std::collections::HashMap;
        thread_local! {
            static KNOWN: RefCell<HashMap<(Memo, usize, usize), f64>> = RefCell::new(HashMap::new());
        }
        let f = match self {
            Memo::Median => f_median,
            Memo::LnMean => ln_f_mean,
        };
        super::remembered(&KNOWN, (self, w.l, w.nu), || f(w.l as f64, w.nu as f64))
    }
}

/// Sign test of F_i above the median of F(L_i, ν_i), against Bin(N, ½).
pub fn sign_z(w: &[WindowF], alt: Alternative) -> TestOutcome {
    sign::sign_test(&above_median(w), alternative(alt))
}

/// Wilcoxon signed-rank test of ln F_i − ln median F(L_i, ν_i).
pub fn wilcoxon_z(w: &[WindowF], alt: Alternative) -> TestOutcome {
    let d: Vec<f64> = finite(w).iter().map(|w| w.f.ln() - Memo::Median.get(w).ln()).collect();
    wilcoxon::test(&d, alternative(alt))
}

/// S = Σ L_i·F_i against χ²(Σ L_i) (independent events).
pub fn chi2(w: &[WindowF], alt: Alternative) -> TestOutcome {
    let w = finite(w);
    let k: usize = w.iter().map(|w| w.l).sum();
    let dist = super::named("chi2", k as u64);
    if k == 0 {
        return TestOutcome::undefined(dist);
    }
    let s: f64 = w.iter().map(|w| w.l as f64 * w.f).sum();
    let p = match alternative(alt) {
        Alternative::Less => gamma_lr(k as f64 / 2.0, s / 2.0),
        _ => gamma_ur(k as f64 / 2.0, s / 2.0),
    };
    TestOutcome::new(s, p, dist)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// By hand: C = diag(1, 4) and AR = (1, 2) give AR'C⁻¹AR = 1 + 1 = 2, F = 1; with the
    /// covariance [[2, 1], [1, 2]] (inverse [[2, −1], [−1, 2]]/3), (1, 1) gives 2/3, F = 1/3.
    #[test]
    fn chow_f_worked_by_hand() {
        assert!((chow_f(&[1.0, 2.0], &[1.0, 0.0, 0.0, 4.0]) - 1.0).abs() < 1e-15);
        assert!((chow_f(&[1.0, 1.0], &[2.0, 1.0, 1.0, 2.0]) - 1.0 / 3.0).abs() < 1e-15);
        assert!(chow_f(&[1.0, 1.0], &[1.0, 2.0, 2.0, 1.0]).is_nan(), "not positive definite");
        assert!((variance_ratio(&[1.0, 2.0], 0.5) - 5.0).abs() < 1e-15);
    }

    /// scipy.stats.f and scipy.special.digamma (tests/reference/volatility_reference.py).
    #[test]
    fn f_distribution_matches_scipy() {
        assert!((f_p(2.5, 3.0, 100.0, Alternative::TwoSided) - 0.0638329599790865).abs() < 1e-12);
        assert!((f_p(2.5, 3.0, 100.0, Alternative::Less) - 0.9361670400209134).abs() < 1e-12);
        assert!((f_quantile(0.5, 3.0, 238.0) - 0.7909254512533931).abs() < 1e-9);
        assert!((f_quantile(0.95, 1.0, 238.0) - 3.8808272266891395).abs() < 1e-9);
        assert!((ln_f_mean(3.0, 238.0) - -0.3647675687920495).abs() < 1e-12);
    }
}
