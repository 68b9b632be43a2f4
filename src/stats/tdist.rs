//! p-values of the test statistics, via `statrs`, for the alternative in force.
//!
//! Two-sided: 2·F(−|x|); greater: 1 − F(x); less: F(x); computed from the lower tail where
//! possible so that tiny p-values keep their precision.

use serde::Serialize;
use statrs::distribution::{ContinuousCDF, Normal, StudentsT};

/// The alternative hypothesis (`--alternative`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, clap::ValueEnum)]
#[serde(rename_all = "kebab-case")]
pub enum Alternative {
    TwoSided,
    Greater,
    Less,
}

impl Alternative {
    /// p-value from a CDF `cdf` evaluated by the caller at ±x.
    fn p(self, x: f64, cdf: impl Fn(f64) -> f64) -> f64 {
        if x.is_nan() {
            return f64::NAN;
        }
        match self {
            Alternative::TwoSided => (2.0 * cdf(-x.abs())).min(1.0),
            Alternative::Greater => cdf(-x),
            Alternative::Less => cdf(x),
        }
    }
}

/// p-value of `t` under Student's t with `df` degrees of freedom.
pub fn t_p(t: f64, df: f64, alt: Alternative) -> f64 {
    if !super::positive(df) {
        return f64::NAN;
    }
    let dist = StudentsT::new(0.0, 1.0, df).expect("df > 0");
    alt.p(t, |x| dist.cdf(x))
}

/// p-value of `z` under the standard normal.
pub fn z_p(z: f64, alt: Alternative) -> f64 {
    let dist = Normal::new(0.0, 1.0).expect("valid");
    alt.p(z, |x| dist.cdf(x))
}

/// The (1 − α/2) quantile of Student's t, e.g. 1.96998 for α = 0.05 and df = 238.
///
/// Each thread remembers the quantiles it has computed: a study asks for the same few (α, df)
/// once per day of every group, and each inversion of the t distribution is an iterative
/// search.
pub fn critical_value(alpha: f64, df: f64) -> f64 {
    use std::cell::RefCell;
    use std::collections::HashMap;
    thread_local! {
        static KNOWN: RefCell<HashMap<(u64, u64), f64>> = RefCell::new(HashMap::new());
    }
    super::remembered(&KNOWN, (alpha.to_bits(), df.to_bits()), || {
        StudentsT::new(0.0, 1.0, df).expect("df > 0").inverse_cdf(1.0 - alpha / 2.0)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Reference values from scipy.stats (tests/reference/tdist_reference.py).
    fn two_sided_p(t: f64, df: f64) -> f64 {
        t_p(t, df, Alternative::TwoSided)
    }

    #[test]
    fn matches_scipy() {
        const TOL: f64 = 1e-10;
        assert!((two_sided_p(2.0, 10.0) - 0.07338803477074037_f64).abs() < TOL);
        assert!((two_sided_p(-1.0, 238.0) - 0.3183261228871938_f64).abs() < TOL);
        assert!((two_sided_p(5.0, 30.0) - 2.32966854670078e-05_f64).abs() < 1e-12);
        assert!((critical_value(0.05, 238.0) - 1.9699815295299445_f64).abs() < 1e-8);
        assert!((critical_value(0.05, 10.0) - 2.228138851986274_f64).abs() < 1e-8);
        assert!((z_p(1.96, Alternative::TwoSided) - 0.04999579029644097).abs() < TOL);
        assert!((z_p(1.5, Alternative::Greater) - 0.0668072012688581).abs() < TOL);
        assert!((z_p(1.5, Alternative::Less) - 0.9331927987311419).abs() < TOL);
        assert!((t_p(2.0, 10.0, Alternative::Greater) - 0.03669401738537018).abs() < TOL);
    }
}
