//! Wilcoxon signed-rank test of a zero median abnormal return (or CAR) across events.
//!
//! Zeros are dropped; the n remaining |x_i| are ranked with ties averaged; W⁺ is the sum of
//! the ranks of positive values. Under the null E[W⁺] = n(n+1)/4 and
//! Var[W⁺] = n(n+1)(2n+1)/24 − Σ_g (t_g³ − t_g)/48 over groups of tied |x|;
//! z = (W⁺ − E)/√Var ~ N(0, 1) (no continuity correction; scipy's `wilcoxon(...,
//! correction=False, method="approx")`).
//!
//! Reference: Wilcoxon (1945); Lehmann (1975), *Nonparametrics*, §3.2.

use super::rank::ranks;
use super::tdist::{z_p, Alternative};
use super::TestOutcome;

pub fn test(x: &[f64], alt: Alternative) -> TestOutcome {
    let dist = "N(0,1)".to_string();
    let nz: Vec<f64> = x.iter().copied().filter(|v| *v != 0.0 && v.is_finite()).collect();
    let n = nz.len() as f64;
    if nz.is_empty() {
        return TestOutcome::undefined(dist);
    }
    let abs: Vec<f64> = nz.iter().map(|v| v.abs()).collect();
    let r = ranks(&abs);
    let w_plus: f64 = nz.iter().zip(&r).filter(|(v, _)| **v > 0.0).map(|(_, r)| r).sum();
    let mut sorted = abs.clone();
    sorted.sort_by(f64::total_cmp);
    let mut ties = 0.0;
    let mut i = 0;
    while i < sorted.len() {
        let mut j = i;
        while j + 1 < sorted.len() && sorted[j + 1] == sorted[i] {
            j += 1;
        }
        let t = (j - i + 1) as f64;
        ties += t * t * t - t;
        i = j + 1;
    }
    let var = n * (n + 1.0) * (2.0 * n + 1.0) / 24.0 - ties / 48.0;
    if !super::positive(var) {
        return TestOutcome::undefined(dist);
    }
    let z = (w_plus - n * (n + 1.0) / 4.0) / var.sqrt();
    TestOutcome { stat: z, p: z_p(z, alt), dist }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// scipy.stats.wilcoxon (tests/reference/tests_reference.py).
    #[test]
    fn matches_scipy() {
        let x = [0.012, -0.004, 0.031, 0.008, -0.015, 0.022, 0.005, 0.017, -0.002, 0.026];
        let r = test(&x, Alternative::TwoSided);
        assert!((r.stat - 1.8856946083192145).abs() < 1e-12);
        assert!((r.p - 0.05933611988090862).abs() < 1e-10);
        let y = [0.01, -0.01, 0.02, 0.0, 0.03, 0.02, -0.005, 0.04];
        assert!((test(&y, Alternative::TwoSided).p - 0.07488031404005385).abs() < 1e-10);
    }
}
