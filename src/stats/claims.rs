//! Verdicts on claims about an effect size: `supported`, `contradicted` or `inconclusive`,
//! by the two-one-sided-tests logic for intervals (Schuirmann 1987).
//!
//! CAR claims: an estimate θ with standard error se on df degrees of freedom, intervals
//! CI90 = θ ± t(1−α; df)·se and CI95 = θ ± t(1−α/2; df)·se, and
//! - `between a,b`: supported if CI90 lies inside (a, b); contradicted if CI95 misses [a, b];
//! - `above a`: supported if CI90's lower bound is above a; contradicted if its upper bound is
//!   below a;
//! - `below b`: supported if CI90's upper bound is below b; contradicted if its lower bound is
//!   above b;
//! - otherwise inconclusive.
//!
//! Volatility claims, with a bound r on the variance ratio ρ: one event's F = var_f on (L, ν)
//! degrees of freedom gives the interval [F / F(1−α; L, ν), F / F(α; L, ν)] for ρ (90% at
//! α = 0.05), several events' S = Σ L_i·var_f_i the interval [S / χ²(1−α; ΣL), S / χ²(α; ΣL)];
//! `above r` is supported when the interval's lower bound is above r (F > r·F(1−α), or
//! S > r·χ²(1−α)) and contradicted when its upper bound is below r (F < r·F(α)); `below` and
//! `between` read the same interval as the CAR rules do. The 95% interval uses α/2.

use statrs::distribution::{ChiSquared, ContinuousCDF};

use super::tdist::critical_value;
use super::volatility::f_quantile;

/// A claim's verdict.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Verdict {
    Supported,
    Contradicted,
    Inconclusive,
}

/// What the claim expects of the estimate: above `low`, below `high`, or between both.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Band {
    Above(f64),
    Below(f64),
    Between(f64, f64),
}

/// An interval, low to high.
pub type Interval = (f64, f64);

/// The verdict of the intervals `ci90` (one-sided level α on each side) and `ci95` on `band`.
pub fn verdict(band: Band, ci90: Interval, ci95: Interval) -> Verdict {
    let supported = match band {
        Band::Above(a) => ci90.0 > a,
        Band::Below(b) => ci90.1 < b,
        Band::Between(a, b) => ci90.0 > a && ci90.1 < b,
    };
    let contradicted = match band {
        Band::Above(a) => ci90.1 < a,
        Band::Below(b) => ci90.0 > b,
        Band::Between(a, b) => ci95.1 < a || ci95.0 > b,
    };
    if !(ci90.0.is_finite() && ci90.1.is_finite()) {
        Verdict::Inconclusive
    } else if supported {
        Verdict::Supported
    } else if contradicted {
        Verdict::Contradicted
    } else {
        Verdict::Inconclusive
    }
}

/// CI90 and CI95 of θ with standard error `se` on `df` degrees of freedom at level `alpha`.
pub fn t_intervals(theta: f64, se: f64, df: f64, alpha: f64) -> (Interval, Interval) {
    let (h90, h95) = (critical_value(2.0 * alpha, df) * se, critical_value(alpha, df) * se);
    ((theta - h90, theta + h90), (theta - h95, theta + h95))
}

/// The intervals of a variance ratio from one event's F on (`l`, `nu`) degrees of freedom.
pub fn f_intervals(f: f64, l: f64, nu: f64, alpha: f64) -> (Interval, Interval) {
    let at = |a: f64| (f / f_quantile(1.0 - a, l, nu), f / f_quantile(a, l, nu));
    (at(alpha), at(alpha / 2.0))
}

/// The intervals of a variance ratio from S = Σ L_i·F_i on `k` = Σ L_i degrees of freedom.
pub fn chi2_intervals(s: f64, k: f64, alpha: f64) -> (Interval, Interval) {
    let Ok(chi) = ChiSquared::new(k) else { return ((f64::NAN, f64::NAN), (f64::NAN, f64::NAN)) };
    let at = |a: f64| (s / chi.inverse_cdf(1.0 - a), s / chi.inverse_cdf(a));
    (at(alpha), at(alpha / 2.0))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The rules at their boundaries: a bound equal to an interval end is not inside it.
    #[test]
    fn interval_rules_at_their_boundaries() {
        let ci = (0.10, 0.20);
        let wide = (0.08, 0.22);
        assert_eq!(verdict(Band::Above(0.09), ci, wide), Verdict::Supported);
        assert_eq!(verdict(Band::Above(0.10), ci, wide), Verdict::Inconclusive, "lower bound equal to a");
        assert_eq!(verdict(Band::Above(0.20), ci, wide), Verdict::Inconclusive, "upper bound equal to a");
        assert_eq!(verdict(Band::Above(0.21), ci, wide), Verdict::Contradicted);
        assert_eq!(verdict(Band::Below(0.21), ci, wide), Verdict::Supported);
        assert_eq!(verdict(Band::Below(0.20), ci, wide), Verdict::Inconclusive);
        assert_eq!(verdict(Band::Below(0.10), ci, wide), Verdict::Inconclusive);
        assert_eq!(verdict(Band::Below(0.09), ci, wide), Verdict::Contradicted);
        assert_eq!(verdict(Band::Between(0.09, 0.21), ci, wide), Verdict::Supported);
        assert_eq!(verdict(Band::Between(0.10, 0.21), ci, wide), Verdict::Inconclusive);
        assert_eq!(verdict(Band::Between(0.22, 0.30), ci, wide), Verdict::Inconclusive, "CI95 touches a");
        assert_eq!(verdict(Band::Between(0.2201, 0.30), ci, wide), Verdict::Contradicted);
        assert_eq!(verdict(Band::Between(0.0, 0.08), ci, wide), Verdict::Inconclusive, "CI95 touches b");
        assert_eq!(verdict(Band::Between(0.0, 0.0799), ci, wide), Verdict::Contradicted);
        assert_eq!(verdict(Band::Above(0.0), (f64::NAN, f64::NAN), wide), Verdict::Inconclusive);
    }

    /// scipy.stats: t.ppf(0.95, 10) = 1.8124611228116756, t.ppf(0.975, 10) = 2.228138851986274;
    /// f.ppf(0.95, 3, 238) = 2.642529423239197, f.ppf(0.05, 3, 238) = 0.1171230620917669;
    /// chi2.ppf(0.95, 30) = 43.77297182574219, chi2.ppf(0.05, 30) = 18.49266098195347.
    #[test]
    fn intervals_match_scipy_quantiles() {
        let (ci90, ci95) = t_intervals(0.1, 0.02, 10.0, 0.05);
        assert!((ci90.0 - (0.1 - 1.8124611228116756 * 0.02)).abs() < 1e-9);
        assert!((ci95.1 - (0.1 + 2.228138851986274 * 0.02)).abs() < 1e-9);
        let (f90, _) = f_intervals(2.0, 3.0, 238.0, 0.05);
        assert!((f90.0 - 2.0 / 2.642529423239197).abs() < 1e-8 && (f90.1 - 2.0 / 0.1171230620917669).abs() < 1e-6);
        let (c90, _) = chi2_intervals(60.0, 30.0, 0.05);
        assert!((c90.0 - 60.0 / 43.77297182574219).abs() < 1e-8 && (c90.1 - 60.0 / 18.49266098195347).abs() < 1e-7);
    }
}
