//! Sign tests: the share of events with a positive abnormal return (or CAR).
//!
//! Sign test: z = (w − N/2) / √(N/4), w the number of positive values; it assumes a median
//! abnormal return of zero, which skewed returns violate.
//! Cowan's generalised sign test replaces ½ by the fraction of positive abnormal returns in
//! the estimation windows, p̂ = (1/N) Σ_i (1/M_i) Σ_τ 1[e_i,τ > 0]:
//! z = (w − N·p̂) / √(N·p̂·(1 − p̂)). Both approximately N(0, 1) (normal approximation to the
//! binomial, without continuity correction, as Cowan 1992 and EventStudyTools).
//!
//! References: Cowan (1992), RQFA 2, p. 343–358; Campbell, Lo and MacKinlay (1997), §4.6.

use super::tdist::{z_p, Alternative};
use super::TestOutcome;

fn positives(x: &[f64]) -> f64 {
    x.iter().filter(|v| **v > 0.0).count() as f64
}

/// The sign test of `x` against a share `p0` of positives.
fn binomial_z(x: &[f64], p0: f64, alt: Alternative) -> TestOutcome {
    let dist = "N(0,1)".to_string();
    let n = x.len() as f64;
    if x.is_empty() || !(p0 > 0.0 && p0 < 1.0) {
        return TestOutcome::undefined(dist);
    }
    let z = (positives(x) - n * p0) / (n * p0 * (1.0 - p0)).sqrt();
    TestOutcome { stat: z, p: z_p(z, alt), dist }
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

    /// tests/reference/tests_reference.py: 7 positives of 10.
    #[test]
    fn match_the_reference_script() {
        let s = sign_test(&X, Alternative::TwoSided);
        assert!((s.stat - 1.2649110640673518).abs() < 1e-14);
        assert!((s.p - 0.2059032107320684).abs() < 1e-10);
        let g = generalized_sign_test(&X, 0.48, Alternative::TwoSided);
        assert!((g.stat - 1.3925166297400418).abs() < 1e-12);
        assert!((g.p - 0.1637660094235882).abs() < 1e-10);
        assert!((estimation_share_positive(&[&[1.0, -1.0], &[1.0, 1.0, 1.0, -1.0]]) - 0.625).abs() < 1e-15);
    }
}
