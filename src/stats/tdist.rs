//! p-values and critical values of Student's t distribution, via `statrs`.
//!
//! The two-sided p-value of a statistic t with ν degrees of freedom is 2·F_ν(−|t|), computed
//! from the lower tail so that tiny p-values keep their precision.

use statrs::distribution::{ContinuousCDF, StudentsT};

/// Two-sided p-value of `t` under Student's t with `df` degrees of freedom.
pub fn two_sided_p(t: f64, df: f64) -> f64 {
    if !t.is_finite() {
        return if t.is_nan() { f64::NAN } else { 0.0 };
    }
    let dist = StudentsT::new(0.0, 1.0, df).expect("df > 0");
    (2.0 * dist.cdf(-t.abs())).min(1.0)
}

/// The (1 − α/2) quantile, e.g. 1.96998 for α = 0.05 and df = 238.
pub fn critical_value(alpha: f64, df: f64) -> f64 {
    let dist = StudentsT::new(0.0, 1.0, df).expect("df > 0");
    dist.inverse_cdf(1.0 - alpha / 2.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Reference values from scipy.stats.t (see tests/reference/tdist_reference.py):
    /// 2*t.sf(2.0, 10), 2*t.sf(1.0, 238), 2*t.sf(5.0, 30), t.ppf(0.975, 238), t.ppf(0.975, 10).
    #[test]
    fn matches_scipy() {
        const TOL: f64 = 1e-10;
        assert!((two_sided_p(2.0, 10.0) - 0.07338803477074037_f64).abs() < TOL);
        assert!((two_sided_p(-1.0, 238.0) - 0.3183261228871938_f64).abs() < TOL);
        assert!((two_sided_p(5.0, 30.0) - 2.32966854670078e-05_f64).abs() < 1e-12);
        assert!((critical_value(0.05, 238.0) - 1.9699815295299445_f64).abs() < 1e-8);
        assert!((critical_value(0.05, 10.0) - 2.228138851986274_f64).abs() < 1e-8);
    }
}
