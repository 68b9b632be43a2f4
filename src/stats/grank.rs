//! The generalized rank test of Kolari and Pynnönen (2011), in its t form (`grank_t`), for one
//! event day or a CAR window.
//!
//! Corrado's ranks lose their null distribution when the event increases the variance and
//! cannot test a multi-day CAR directly. GRANK ranks each event's standardised cumulative
//! abnormal return among its own standardised estimation residuals, after re-standardising it
//! across events, which makes it robust to event-induced volatility and usable for windows:
//!
//! 1. SAR_it = e_it / S_i on the estimation days (S_i the residual standard deviation).
//! 2. SCAR_i = CAR_i / √Var(CAR_i) with the forecast-error variance (for one day, the day's
//!    SAR); SCAR*_i = SCAR_i / S_SCAR with S_SCAR the cross-sectional standard deviation of
//!    SCAR_i (divisor N − 1). SCAR* stands as one extra point, "day 0", beside the estimation
//!    SARs: the generalized standardised abnormal returns GSAR_it, T_i = M_i + 1 points.
//! 3. U_it = rank(GSAR_it)/(T_i + 1) − ½ within each event (ties averaged).
//! 4. Ū_t is the mean over the n_t events that have day t (estimation days aligned by relative
//!    day), Ū_0 over the N events; on the T points of CW, the aligned estimation days and day 0,
//!    S_Ū = √( (1/T) Σ_{t∈CW} (n_t/N)·Ū_t² ).
//! 5. Z = Ū_0/S_Ū, t_grank = Z·√((T − 2)/(T − 1 − Z²)) ~ t(T − 2).
//!
//! Day 0 is part of S_Ū and T counts it, as in the paper (CW = {estimation days, 0}): the ranks
//! of one event sum to zero over its points, so Z² ≤ T − 1 and the t transformation is the
//! one of a statistic studentised by a variance that contains its own numerator. Stata's
//! eventstudy2 sums over the estimation days only; its cumulative standardised residual is not
//! followed either (METHODS-research §4.2). No Kolari–Pynnönen r̄ factor is applied.
//! Undefined with fewer than two events, a zero S_SCAR or T − 1 ≤ Z².
//!
//! Reference: Kolari and Pynnönen (2011), "Nonparametric rank tests for event studies", JEF
//! 18(5), p. 953–971, §2.2 (eq. 10–17).

use super::tdist::{t_p, Alternative};
use super::{mean_sd, TestOutcome};

/// One event's estimation residuals, ranked once for every day and window it is tested on.
struct Event {
    /// Relative days of the estimation residuals.
    rel: Vec<i32>,
    /// SAR_it = e_it / S_i.
    sar: Vec<f64>,
    /// The rank of each SAR among the event's SARs (ties averaged).
    rank: Vec<f64>,
}

/// The estimation-window half of GRANK for one group of events.
pub struct GrankPanel {
    events: Vec<Event>,
    /// The first relative day and the number of events on each day from it.
    lo: i32,
    n_t: Vec<usize>,
}

impl GrankPanel {
    /// From each event's (relative days, estimation residuals, residual standard deviation).
    pub fn new(events: &[(&[i32], &[f64], f64)]) -> GrankPanel {
        use rayon::prelude::*;
        let events: Vec<Event> = events
            .par_iter()
            .map(|(rel, e, s)| {
                let sar: Vec<f64> = e.iter().map(|v| v / s).collect();
                Event { rel: rel.to_vec(), rank: super::rank::ranks(&sar), sar }
            })
            .collect();
        let days = || events.iter().flat_map(|e| e.rel.iter().copied());
        let lo = days().min().unwrap_or(0);
        let hi = days().max().unwrap_or(0);
        let mut n_t = vec![0usize; (hi - lo + 1).max(0) as usize];
        for e in &events {
            for d in &e.rel {
                n_t[(d - lo) as usize] += 1;
            }
        }
        GrankPanel { events, lo, n_t }
    }

    /// The test of one day or window from the events' SCAR_i (in the order given to `new`).
    pub fn test(&self, scar: &[f64], alt: Alternative) -> TestOutcome {
        let (_, s_scar) = mean_sd(scar);
        let undefined = || TestOutcome::undefined("t");
        if scar.len() < 2 || !super::positive(s_scar) || scar.iter().any(|v| !v.is_finite()) {
            return undefined();
        }
        let n = scar.len() as f64;
        let mut sum_t = vec![0.0; self.n_t.len()];
        let mut u0 = 0.0;
        for (e, &c) in self.events.iter().zip(scar) {
            let c = c / s_scar;
            let t1 = (e.sar.len() + 2) as f64;
            let (mut below, mut equal) = (0usize, 0usize);
            for (d, (&v, &r)) in e.rel.iter().zip(e.sar.iter().zip(&e.rank)) {
                below += (v < c) as usize;
                equal += (v == c) as usize;
                let k = r + if v > c {
                    1.0
                } else if v == c {
                    0.5
                } else {
                    0.0
                };
                sum_t[(d - self.lo) as usize] += k / t1 - 0.5;
            }
            let k0 = below as f64 + (equal as f64 + 2.0) / 2.0;
            u0 += k0 / t1 - 0.5;
        }
        let u0 = u0 / n;
        // Σ (n_t/N)·Ū_t² = Σ (Σ_i U_it)²/(n_t·N) on the estimation days; day 0 has n_0 = N.
        let est: f64 = sum_t.iter().zip(&self.n_t).filter(|(_, &m)| m > 0).map(|(s, &m)| s * s / (m as f64 * n)).sum();
        let t_points = self.n_t.iter().filter(|&&m| m > 0).count() as f64 + 1.0;
        let s_u = ((est + u0 * u0) / t_points).sqrt();
        let z = u0 / s_u;
        let room = t_points - 1.0 - z * z;
        if !super::positive(s_u) || !super::positive(room) || t_points < 3.0 {
            return undefined();
        }
        let df = t_points - 2.0;
        let t = z * (df / room).sqrt();
        TestOutcome::new(t, t_p(t, df, alt), format!("t({df})"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Two events with three estimation days each, by hand. Residuals / S: event 1
    /// [0.1, −0.2, 0.3]/0.1 = [1, −2, 3], event 2 [0.2, 0.1, −0.1]/0.1 = [2, 1, −1]; SCAR
    /// [2, −1] has sd √4.5, so SCAR* = [0.9428, −0.4714]. Ranks among four points:
    /// event 1 [1, −2, 3 | 0.9428] → [3, 1, 4 | 2], event 2 [2, 1, −1 | −0.4714] → [4, 3, 1 | 2];
    /// U = K/5 − ½: event 1 [0.1, −0.3, 0.3 | −0.1], event 2 [0.3, 0.1, −0.3 | −0.1].
    /// Ū = [0.2, −0.1, 0] and Ū_0 = −0.1 (n_t = N = 2); T = 4;
    /// S_Ū² = (0.04 + 0.01 + 0 + 0.01)/4 = 0.015; Z = −0.1/√0.015 = −0.8165;
    /// t = Z·√(2/(3 − Z²)) = −0.8165·√(2/2.3333) = −0.7559, t(2).
    #[test]
    fn worked_by_hand() {
        let rel = [-3, -2, -1];
        let p = GrankPanel::new(&[(&rel, &[0.1, -0.2, 0.3], 0.1), (&rel, &[0.2, 0.1, -0.1], 0.1)]);
        let r = p.test(&[2.0, -1.0], Alternative::TwoSided);
        let z = -0.1 / 0.015f64.sqrt();
        let t = z * (2.0 / (3.0 - z * z)).sqrt();
        assert!((r.stat - t).abs() < 1e-12, "{} vs {t}", r.stat);
        assert_eq!(r.dist, "t(2)");
        assert!(p.test(&[2.0], Alternative::TwoSided).stat.is_nan(), "one event");
    }
}
