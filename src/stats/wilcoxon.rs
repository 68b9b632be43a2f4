//! Wilcoxon signed-rank test of a zero median abnormal return (or CAR) across events.
//!
//! Zeros are dropped; the n remaining |x_i| are ranked with ties averaged; W⁺ is the sum of
//! the ranks of positive values. Under the null E[W⁺] = n(n+1)/4 and
//! Var[W⁺] = n(n+1)(2n+1)/24 − Σ_g (t_g³ − t_g)/48 over groups of tied |x|;
//! z = (W⁺ − E)/√Var, reported as the statistic. Up to [`EXACT_MAX_N`] non-zero values the
//! p-value is exact ([`super::exact::signed_rank_p`], scipy's `wilcoxon(..., method="exact")`,
//! ties rounded conservatively); above, from N(0, 1) without continuity correction (scipy's
//! `method="approx", correction=False`). Undefined with fewer than two non-zero values.
//!
//! Reference: Wilcoxon (1945); Lehmann (1975), *Nonparametrics*, §3.2.

use super::exact::{signed_rank_p, EXACT_MAX_N};
use super::rank::ranks;
use super::tdist::{z_p, Alternative};
use super::TestOutcome;

pub fn test(x: &[f64], alt: Alternative) -> TestOutcome {
    let dist = "N(0,1)";
    let nz: Vec<f64> = x.iter().copied().filter(|v| *v != 0.0 && v.is_finite()).collect();
    let n = nz.len() as f64;
    if nz.len() < 2 {
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
    if nz.len() <= EXACT_MAX_N {
        return TestOutcome::new(
            z,
            signed_rank_p(w_plus, nz.len(), alt),
            super::named("exact signed-rank", nz.len() as u64),
        );
    }
    TestOutcome::new(z, z_p(z, alt), dist)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// scipy.stats.wilcoxon (tests/reference/tests_reference.py): the z of the normal
    /// approximation, and the p of `method="exact"`.
    #[test]
    fn matches_scipy() {
        let x = [0.012, -0.004, 0.031, 0.008, -0.015, 0.022, 0.005, 0.017, -0.002, 0.026];
        let r = test(&x, Alternative::TwoSided);
        assert!((r.stat - 1.8856946083192145).abs() < 1e-12);
        assert!((r.p - 0.064453125).abs() < 1e-12);
        assert_eq!(r.dist, "exact signed-rank(10)");
        // a zero (dropped) and tied |x|
        let y = [0.01, -0.01, 0.02, 0.0, 0.03, 0.02, -0.005, 0.04];
        assert!((test(&y, Alternative::TwoSided).p - 0.109375).abs() < 1e-12);
    }

    /// Above 50 non-zero values the p-value is the normal one (scipy `method="approx"`).
    #[test]
    fn large_samples_use_the_normal_approximation() {
        let x: Vec<f64> = (1..=60).map(|i| if i % 3 == 0 { -(i as f64) } else { i as f64 * 0.9 }).collect();
        let r = test(&x, Alternative::TwoSided);
        assert_eq!(r.dist, "N(0,1)");
        assert!((r.p - z_p(r.stat, Alternative::TwoSided)).abs() < 1e-15);
    }
}
