//! Exact small-sample p-values for the sign, generalized sign and Wilcoxon signed-rank tests.
//!
//! The normal approximation of a discrete statistic is poor for a handful of events: at N = 6
//! a sign test with 4 positives has z = 0.816 and p = 0.414 from N(0, 1), while the binomial
//! distribution gives 0.6875. Up to [`EXACT_MAX_N`] events the p-value is taken from the
//! statistic's exact distribution; above it from N(0, 1). The reported statistic stays the z.
//!
//! * Binomial (sign, generalized sign): k positives of n under Bin(n, p₀). One-sided
//!   P(X ≥ k) or P(X ≤ k); two-sided, the sum of the probabilities of every outcome no more
//!   likely than k (with a relative tolerance of 1e-7), as `scipy.stats.binomtest`, and 1
//!   when k = n·p₀.
//! * Wilcoxon signed rank: the null distribution of W⁺ for n untied ranks, the number of
//!   subsets of {1, …, n} with each sum over 2ⁿ. Zeros are dropped first (Wilcoxon's method).
//!   With tied |x| the ranks are averaged, and a W⁺ that is not a whole number is rounded up
//!   for the lower tail and down for the upper tail, so the p-value is conservative; this is
//!   `scipy.stats.wilcoxon(method="exact")` (scipy issue 19872). Two-sided
//!   p = min(1, 2·min(P(W ≤ ⌈w⌉), P(W ≥ ⌊w⌋))).
//!
//! References: Conover (1999), *Practical Nonparametric Statistics*, §3.4 and §5.7; Hollander,
//! Wolfe and Chicken (2014), *Nonparametric Statistical Methods*, §3.1.

use super::tdist::Alternative;

/// The largest number of events with an exact p-value (scipy's `wilcoxon` uses the exact
/// distribution up to 50 by default as well).
pub const EXACT_MAX_N: usize = 50;

/// scipy's relative tolerance for "no more likely than the observed outcome".
const LIKELIHOOD_TOLERANCE: f64 = 1e-7;

/// Binomial coefficients C(n, 0..=n), exact as integers for n ≤ 62.
fn binomial_coefficients(n: usize) -> Vec<f64> {
    let mut c = vec![1u64; n + 1];
    for k in 0..n {
        c[k + 1] = c[k] * (n - k) as u64 / (k + 1) as u64;
    }
    c.into_iter().map(|v| v as f64).collect()
}

/// P-value of `k` successes in `n` trials of probability `p0` (`scipy.stats.binomtest`).
pub fn binomial_p(k: usize, n: usize, p0: f64, alt: Alternative) -> f64 {
    let c = binomial_coefficients(n);
    let pmf: Vec<f64> = (0..=n).map(|i| c[i] * p0.powi(i as i32) * (1.0 - p0).powi((n - i) as i32)).collect();
    let upper = |from: usize| pmf[from..].iter().sum::<f64>();
    let lower = |to: usize| pmf[..=to].iter().sum::<f64>();
    let p = match alt {
        Alternative::Greater => upper(k),
        Alternative::Less => lower(k),
        Alternative::TwoSided => {
            let np = n as f64 * p0;
            if k as f64 == np {
                1.0
            } else {
                let limit = pmf[k] * (1.0 + LIKELIHOOD_TOLERANCE);
                let unlikely = |i: &usize| pmf[*i] <= limit;
                if (k as f64) < np {
                    lower(k) + (np.ceil() as usize..=n).filter(unlikely).map(|i| pmf[i]).sum::<f64>()
                } else {
                    (0..=np.floor() as usize).filter(unlikely).map(|i| pmf[i]).sum::<f64>() + upper(k)
                }
            }
        }
    };
    p.min(1.0)
}

/// The null distribution of the signed-rank sum W⁺ of `n` untied ranks: P(W⁺ = w), w = 0..=n(n+1)/2.
fn signed_rank_pmf(n: usize) -> Vec<f64> {
    let max = n * (n + 1) / 2;
    // counts[w]: subsets of {1..r} with sum w; at most 2⁵⁰ for n ≤ 50, exact in u64.
    let mut counts = vec![0u64; max + 1];
    counts[0] = 1;
    for r in 1..=n {
        for w in (r..=r * (r + 1) / 2).rev() {
            counts[w] += counts[w - r];
        }
    }
    let total = 2f64.powi(n as i32);
    counts.into_iter().map(|c| c as f64 / total).collect()
}

/// Exact p-value of a signed-rank sum `w_plus` of `n` non-zero values (see the module doc).
pub fn signed_rank_p(w_plus: f64, n: usize, alt: Alternative) -> f64 {
    let pmf = signed_rank_pmf(n);
    let max = pmf.len() - 1;
    let at_most = |w: f64| pmf[..=(w.max(0.0) as usize).min(max)].iter().sum::<f64>();
    let at_least = |w: f64| if w as usize > max { 0.0 } else { pmf[w.max(0.0) as usize..].iter().sum::<f64>() };
    let p = match alt {
        Alternative::Less => at_most(w_plus.ceil()),
        Alternative::Greater => at_least(w_plus.floor()),
        Alternative::TwoSided => 2.0 * at_most(w_plus.ceil()).min(at_least(w_plus.floor())),
    };
    p.min(1.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Values of scipy.stats.binomtest (scipy 1.17).
    #[test]
    fn binomial_matches_scipy() {
        // 4 of 6 at ½: 2·(15 + 6 + 1)/64.
        assert!((binomial_p(4, 6, 0.5, Alternative::TwoSided) - 0.6875).abs() < 1e-15);
        assert!((binomial_p(4, 6, 0.5, Alternative::Greater) - 22.0 / 64.0).abs() < 1e-15);
        assert!((binomial_p(4, 6, 0.5, Alternative::Less) - 57.0 / 64.0).abs() < 1e-15);
        assert_eq!(binomial_p(3, 6, 0.5, Alternative::TwoSided), 1.0);
        // binomtest(7, 10, 0.48).pvalue: an asymmetric p0, whose lower tail holds the outcomes
        // no more likely than 7
        assert!((binomial_p(7, 10, 0.48, Alternative::TwoSided) - 0.21124329984882637).abs() < 1e-12);
    }

    /// The W⁺ distribution of n = 6: 64 subsets, P(W ≤ 2) = 3/64 ({}, {1}, {2}).
    #[test]
    fn signed_rank_distribution_by_hand() {
        let pmf = signed_rank_pmf(6);
        assert_eq!(pmf.len(), 22);
        assert!((pmf.iter().sum::<f64>() - 1.0).abs() < 1e-15);
        assert!((pmf[..=2].iter().sum::<f64>() - 3.0 / 64.0).abs() < 1e-15);
        // scipy.stats.wilcoxon([-1, 2, 3, 4, -5, 6], method="exact"): W⁺ = 15, p = 2·14/64
        assert!((signed_rank_p(15.0, 6, Alternative::TwoSided) - 0.4375).abs() < 1e-15);
        // [1, 2, -4, 4, -3, 6] has tied ranks and W⁺ = 13.5, rounded to the conservative
        // side: 2·P(W ≥ 13) = 0.6875, as scipy
        assert!((signed_rank_p(13.5, 6, Alternative::TwoSided) - 0.6875).abs() < 1e-15);
    }
}
