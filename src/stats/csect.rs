//! Cross-sectional t test of the mean abnormal return (or CAR) across N events.
//!
//! t = Ā / (s_A/√N), s_A the sample standard deviation of the N values; Student t with N − 1
//! degrees of freedom. Robust to event-induced variance, not to cross-correlation.
//!
//! Reference: Brown and Warner (1985), JFE 14, §3; Campbell, Lo and MacKinlay (1997), §4.4.

use super::tdist::{t_p, Alternative};
use super::{mean_sd, TestOutcome};

pub fn test(x: &[f64], alt: Alternative) -> TestOutcome {
    let n = x.len();
    let dist = super::named("t", n.saturating_sub(1) as u64);
    let (m, sd) = mean_sd(x);
    if n < 2 || !super::positive(sd) {
        return TestOutcome::undefined(dist);
    }
    let t = m / (sd / (n as f64).sqrt());
    TestOutcome::new(t, t_p(t, (n - 1) as f64, alt), dist)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// scipy.stats.ttest_1samp (tests/reference/tests_reference.py).
    #[test]
    fn matches_scipy_ttest_1samp() {
        let x = [0.012, -0.004, 0.031, 0.008, -0.015, 0.022, 0.005, 0.017, -0.002, 0.026];
        let r = test(&x, Alternative::TwoSided);
        assert!((r.stat - 2.183334411523432).abs() < 1e-12);
        assert!((r.p - 0.05686467602466579).abs() < 1e-10);
        assert_eq!(r.dist, "t(9)");
        assert!(test(&[0.1], Alternative::TwoSided).stat.is_nan());
    }
}
