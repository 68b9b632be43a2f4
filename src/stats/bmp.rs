//! Boehmer–Musumeci–Poulsen standardised cross-sectional test, and its Kolari–Pynnönen
//! adjustment for cross-sectional correlation.
//!
//! BMP: with standardised abnormal returns SA_i (SAR_i,t for a day, SCAR_i for a window),
//! t = mean(SA) / (sd(SA)/√N), sd the sample standard deviation (N − 1); Student t(N − 1).
//! Robust to event-induced variance. Standardisation uses the forecast-error variance by
//! default (estudy2, EventStudyTools, Stata eventstudy2) or the plain s_i (EventStudy (R)).
//!
//! Kolari–Pynnönen: t_KP = t_BMP · √( (1 − r̄) / (1 + (N − 1)·r̄) ), r̄ the average pairwise
//! correlation of the events' estimation-window residuals (see [`crate::stats::rbar`]).
//!
//! References: Boehmer, Musumeci and Poulsen (1991), JFE 30, p. 253–272; Kolari and Pynnönen
//! (2010), RFS 23(11), eq. (9) and (11).

use super::csect;
use super::tdist::{t_p, Alternative};
use super::TestOutcome;

/// The BMP t from standardised abnormal returns.
pub fn test(standardised: &[f64], alt: Alternative) -> TestOutcome {
    csect::test(standardised, alt)
}

/// The Kolari–Pynnönen adjusted BMP t for average residual correlation `rbar`.
pub fn kp_test(bmp: &TestOutcome, n: usize, rbar: f64, alt: Alternative) -> TestOutcome {
    let dist = bmp.dist.clone();
    let denom = 1.0 + (n as f64 - 1.0) * rbar;
    if bmp.stat.is_nan() || !rbar.is_finite() || denom <= 0.0 {
        return TestOutcome::undefined(dist);
    }
    let t = bmp.stat * ((1.0 - rbar) / denom).sqrt();
    TestOutcome::new(t, t_p(t, (n - 1) as f64, alt), dist)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// With r̄ = 0.05 and N = 10: factor √(0.95/1.45) = 0.8094376.
    #[test]
    fn kp_scales_bmp_by_the_correlation_factor() {
        let x = [0.8, -0.2, 2.1, 0.5, -1.0, 1.4, 0.3, 1.1, -0.1, 1.7];
        let b = test(&x, Alternative::TwoSided);
        let k = kp_test(&b, 10, 0.05, Alternative::TwoSided);
        assert!((k.stat / b.stat - (0.95f64 / 1.45).sqrt()).abs() < 1e-14);
        let same = kp_test(&b, 10, 0.0, Alternative::TwoSided);
        assert!((same.stat - b.stat).abs() < 1e-15 && (same.p - b.p).abs() < 1e-15);
    }
}
