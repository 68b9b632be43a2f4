//! Sign tests: the share of events with a positive abnormal return (or CAR).
//!
//! Sign test: z = (w − N/2) / √(N/4), w the number of positive values; it assumes a median
//! abnormal return of zero, which skewed returns violate.
//! Cowan's generalised sign test replaces ½ by the fraction of positive abnormal returns in
//! the estimation windows, p̂ = (1/N) Σ_i (1/M_i) Σ_τ 1[e_i,τ > 0]:
//! z = (w − N·p̂) / √(N·p̂·(1 − p̂)). The z is reported. Its p-value comes from the binomial
//! distribution Bin(N, ½) or Bin(N, p̂) up to [`EXACT_MAX_N`] events ([`super::exact`]), and
//! above that from N(0, 1), the normal approximation without continuity correction of Cowan
//! (1992) and EventStudyTools. A zero value counts as not positive. With one event both tests
//! are undefined (null), as the cross-sectional t.
//!
//! References: Cowan (1992), RQFA 2, p. 343–358; Campbell, Lo and MacKinlay (1997), §4.6.

use super::exact::{binomial_p, EXACT_MAX_N};
use super::tdist::{z_p, Alternative};
use super::TestOutcome;

fn positives(x: &[f64]) -> f64 {
    x.iter().filter(|v| **v > 0.0).count() as f64
}

/// The sign test of `x` against a share `p0` of positives.
fn binomial_z(x: &[f64], p0: f64, alt: Alternative) -> TestOutcome {
    let n = x.len() as f64;
    if x.len() < 2 || !(p0 > 0.0 && p0 < 1.0) {
        return TestOutcome::undefined("N(0,1)");
    }
    let w = positives(x);
    let z = (w - n * p0) / (n * p0 * (1.0 - p0)).sqrt();
    if x.len() <= EXACT_MAX_N {
        let (p, name) = exact(w as usize, x.len(), p0, alt);
        return TestOutcome::new(z, p, name);
    }
    TestOutcome::new(z, z_p(z, alt), "N(0,1)")
}

/// The exact p-value of `k` positives of `n` under Bin(n, p₀) and the distribution's name
/// `Bin(n,p₀)`. Each thread remembers the p-values it has computed and the last name it made:
/// a group's days and windows ask for the same few, and every one-ticker group of a study for
/// the sign test's (n ≤ a handful, p₀ = ½).
fn exact(k: usize, n: usize, p0: f64, alt: Alternative) -> (f64, std::borrow::Cow<'static, str>) {
    use std::cell::RefCell;
    use std::collections::HashMap;
    type Known = HashMap<(usize, usize, u64, Alternative), f64>;
    thread_local! {
        static KNOWN: RefCell<Known> = RefCell::new(HashMap::new());
        static NAME: RefCell<Option<(usize, u64, String)>> = const { RefCell::new(None) };
    }
    let p = super::remembered(&KNOWN, (k, n, p0.to_bits(), alt), || binomial_p(k, n, p0, alt));
    let name = NAME.with_borrow_mut(|last| match last {
        Some((ln, lp, name)) if *ln == n && *lp == p0.to_bits() => name.clone(),
        _ => {
            let name = format!("Bin({n},{})", crate::stats::short(p0));
            *last = Some((n, p0.to_bits(), name.clone()));
            name
        }
    });
    (p, name.into())
}

pub fn sign_test(x: &[f64], alt: Alternative) -> TestOutcome {
    binomial_z(x, 0.5, alt)
}

/// p̂ from each event's estimation residuals.
pub fn estimation_share_positive(est: &[&[f64]]) -> f64 {
    let shares: Vec<f64> = est.iter().filter(|e| !e.is_empty()).map(|e| positives(e) / e.len() as f64).collect();
    shares.iter().sum::<f64>() / shares.len() as f64
}

pub fn generalized_sign_test(x: &[f64], p_hat: f64, alt: Alternative) -> TestOutcome {
    binomial_z(x, p_hat, alt)
}

#[cfg(test)]
mod tests {
    use super::*;

    const X: [f64; 10] = [0.012, -0.004, 0.031, 0.008, -0.015, 0.022, 0.005, 0.017, -0.002, 0.026];

    /// tests/reference/tests_reference.py: 7 positives of 10; the p-values of
    /// scipy.stats.binomtest(7, 10, 0.5) and (7, 10, 0.48).
    #[test]
    fn match_the_reference_script() {
        let s = sign_test(&X, Alternative::TwoSided);
        assert!((s.stat - 1.2649110640673518).abs() < 1e-14);
        assert!((s.p - 0.34375).abs() < 1e-14);
        assert_eq!(s.dist, "Bin(10,0.5)");
        let g = generalized_sign_test(&X, 0.48, Alternative::TwoSided);
        assert!((g.stat - 1.3925166297400418).abs() < 1e-12);
        assert!((g.p - 0.21124329984882637).abs() < 1e-12);
        assert!((estimation_share_positive(&[&[1.0, -1.0], &[1.0, 1.0, 1.0, -1.0]]) - 0.625).abs() < 1e-15);
    }

    /// Above 50 events the p-value is the normal one: 31 positives of 51 (z = 1.5403).
    #[test]
    fn large_samples_use_the_normal_approximation() {
        let x: Vec<f64> = (0..51).map(|i| if i < 31 { 1.0 } else { -1.0 }).collect();
        let s = sign_test(&x, Alternative::TwoSided);
        assert_eq!(s.dist, "N(0,1)");
        assert!((s.p - z_p(s.stat, Alternative::TwoSided)).abs() < 1e-15);
    }

    /// regression: with one event the sign tests reported z = ±1, p = 0.317.
    #[test]
    fn one_event_is_undefined() {
        assert!(sign_test(&[0.02], Alternative::TwoSided).p.is_nan());
        assert!(generalized_sign_test(&[0.02], 0.5, Alternative::TwoSided).stat.is_nan());
    }
}
