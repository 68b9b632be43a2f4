//! Brown–Warner crude dependence adjustment: the standard deviation of the average abnormal
//! return is estimated from the time series of average residuals over the estimation window,
//! so cross-sectional dependence is accounted for.
//!
//! AAR_τ = (1/N_τ) Σ_i e_i,τ over the estimation days τ (aligned by relative day),
//! S = √( Σ_τ (AAR_τ − mean AAR)² / (T − 1) ),
//! t = AAR_t / S for one day, and CAAR / (√L·S) for a window of L days; Student t with T − 1
//! degrees of freedom (T the number of estimation days with at least one residual).
//!
//! References: Brown and Warner (1980), JFE 8, p. 233–234; Brown and Warner (1985), JFE 14,
//! "crude dependence adjustment".

use super::tdist::{t_p, Alternative};
use super::TestOutcome;

/// The standard deviation S of the estimation-window AAR series and its degrees of freedom.
/// `est` gives, per event, its estimation residuals with their relative days.
pub fn aar_sd(est: &[(&[i32], &[f64])]) -> (f64, usize) {
    // Sums by relative day on a table indexed by day, in event order.
    let all_days = || est.iter().flat_map(|(d, _)| d.iter());
    let (lo, hi) = (all_days().min().copied().unwrap_or(0), all_days().max().copied().unwrap_or(0));
    let mut by_day = vec![(0.0, 0usize); (hi - lo + 1).max(0) as usize];
    for (days, resid) in est {
        for (d, e) in days.iter().zip(resid.iter()) {
            let s = &mut by_day[(d - lo) as usize];
            s.0 += e;
            s.1 += 1;
        }
    }
    let aar: Vec<f64> = by_day.iter().filter(|(_, n)| *n > 0).map(|(s, n)| s / *n as f64).collect();
    if aar.len() < 2 {
        return (f64::NAN, 0);
    }
    let (_, sd) = super::mean_sd(&aar);
    (sd, aar.len() - 1)
}

/// t for a mean abnormal return `aar` cumulated over `l` days, given [`aar_sd`].
pub fn test(aar: f64, l: usize, sd: f64, df: usize, alt: Alternative) -> TestOutcome {
    let dist = super::named("t", df as u64);
    if !super::positive(sd) || df == 0 {
        return TestOutcome::undefined(dist);
    }
    let t = aar / ((l as f64).sqrt() * sd);
    TestOutcome::new(t, t_p(t, df as f64, alt), dist)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Two events, estimation days −3..−1. AAR series: day −3: (0.01+0.03)/2 = 0.02,
    /// day −2: (−0.02+0.00)/2 = −0.01, day −1: only event 1: 0.02. Mean 0.01,
    /// S = √((0.0001+0.0004+0.0001)/2) = √0.0003 = 0.017320508.
    /// A window of 2 days with CAAR 0.05: t = 0.05/(√2·0.0173205) = 2.0412415.
    #[test]
    fn worked_by_hand() {
        let d1 = [-3, -2, -1];
        let e1 = [0.01, -0.02, 0.02];
        let d2 = [-3, -2];
        let e2 = [0.03, 0.00];
        let (sd, df) = aar_sd(&[(&d1, &e1), (&d2, &e2)]);
        assert!((sd - 0.0003f64.sqrt()).abs() < 1e-15);
        assert_eq!(df, 2);
        let r = test(0.05, 2, sd, df, Alternative::TwoSided);
        assert!((r.stat - 0.05 / (2f64.sqrt() * 0.0003f64.sqrt())).abs() < 1e-12);
    }
}
