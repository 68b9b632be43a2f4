//! Corrado (1989) rank test, in the Corrado–Zivney (1992) form that allows estimation windows
//! of different lengths, with Cowan's (1992) extension to multi-day windows.
//!
//! For event i, its M_i estimation residuals and L event-window abnormal returns are ranked
//! together (ties get their average rank), K_i,t, and scaled U_i,t = K_i,t/(T_i + 1) − ½ with
//! T_i = M_i + L. Days are aligned by relative day (estimation and event days together);
//! Ū_t is the mean over the events that have day t, and
//!
//! S_U = √( (1/T) Σ_t Ū_t² ) over all T aligned days, z_t = Ū_t / S_U,
//! z(τ1, τ2) = Σ_{t=τ1..τ2} Ū_t / (√L_w · S_U), approximately N(0, 1).
//!
//! Ranks are taken over the estimation days plus the whole event window for every CAR
//! sub-window (Corrado 1989, Cowan 1992); estudy2 re-ranks over estimation plus the sub-window
//! only, which differs on sub-windows (PEERS.md).
//!
//! References: Corrado (1989), JFE 23; Corrado and Zivney (1992), JFQA 27(3); Cowan (1992),
//! RQFA 2; Kolari and Pynnönen (2011), JEF 18.

use std::collections::BTreeMap;

use super::tdist::{z_p, Alternative};
use super::TestOutcome;

/// Calls `each(run, rank)` for each run of equal values in `sorted` (increasing by `value`),
/// with the run's average rank (1-based).
pub(crate) fn tie_runs<T>(sorted: &[T], value: impl Fn(&T) -> f64, mut each: impl FnMut(std::ops::Range<usize>, f64)) {
    let mut i = 0;
    while i < sorted.len() {
        let mut j = i;
        while j + 1 < sorted.len() && value(&sorted[j + 1]) == value(&sorted[i]) {
            j += 1;
        }
        each(i..j + 1, (i + j) as f64 / 2.0 + 1.0);
        i = j + 1;
    }
}

/// Events ranked together on all cores (a chunk at a time, so that a group of 200,000 events
/// does not hold every event's ranks at once).
pub(crate) const RANK_CHUNK: usize = 4096;

/// The positions of `x` in increasing order (`total_cmp`), as u16; `None` for more than
/// 65,536 values. An event's estimation residuals are put in order once ([`RankEvent`],
/// [`super::grank::GrankEvent`]), for Corrado's ranks and GRANK's of every group it is in.
pub fn sorted_order(x: &[f64]) -> Option<Vec<u16>> {
    let mut order: Vec<u16> = (0..x.len()).map(|i| u16::try_from(i).ok()).collect::<Option<_>>()?;
    order.sort_unstable_by(|&a, &b| x[a as usize].total_cmp(&x[b as usize]));
    Some(order)
}

/// Ranks 1..=n with ties averaged (as scipy.stats.rankdata).
pub fn ranks(x: &[f64]) -> Vec<f64> {
    // Values sorted with their positions (the order among equal values does not matter: they
    // share one average rank).
    let mut v: Vec<(f64, u32)> = x.iter().enumerate().map(|(i, &v)| (v, i as u32)).collect();
    v.sort_unstable_by(|a, b| a.0.total_cmp(&b.0));
    ranks_of_sorted(&v)
}

/// The average rank of each value of `sorted` (increasing, with its position), by position.
fn ranks_of_sorted(sorted: &[(f64, u32)]) -> Vec<f64> {
    let mut r = vec![0.0; sorted.len()];
    tie_runs(
        sorted,
        |p| p.0,
        |run, avg| {
            for &(_, k) in &sorted[run] {
                r[k as usize] = avg;
            }
        },
    );
    r
}

/// Ū_t by aligned day and S_U, from each event's (estimation days, residuals, event days, ARs).
pub struct RankPanel {
    pub u_bar: BTreeMap<i32, f64>,
    pub s_u: f64,
}

/// One event for the rank test: the relative days and residuals of its estimation window, the
/// relative days and abnormal returns of its event window, and the residuals' positions in
/// increasing order ([`sorted_order`]) when known.
pub type RankEvent<'a> = (&'a [i32], &'a [f64], &'a [i32], &'a [f64], Option<&'a [u16]>);

/// The ranks (1-based, ties averaged) of an event's estimation residuals `est` followed by its
/// abnormal returns `ar`, as [`ranks`] of the two together. With the residuals' order known,
/// only the abnormal returns are sorted and the two runs merged.
fn event_ranks(est: &[f64], ar: &[f64], order: Option<&[u16]>) -> Vec<f64> {
    let Some(order) = order.filter(|o| o.len() == est.len()) else {
        return ranks(&est.iter().chain(ar).copied().collect::<Vec<_>>());
    };
    let mut tail: Vec<(f64, u32)> = ar.iter().enumerate().map(|(i, &v)| (v, (est.len() + i) as u32)).collect();
    tail.sort_unstable_by(|a, b| a.0.total_cmp(&b.0));
    let mut merged = Vec::with_capacity(est.len() + ar.len());
    let mut tail = tail.into_iter().peekable();
    for &i in order {
        let v = est[i as usize];
        while let Some(t) = tail.next_if(|t| t.0.total_cmp(&v).is_lt()) {
            merged.push(t);
        }
        merged.push((v, i as u32));
    }
    merged.extend(tail);
    ranks_of_sorted(&merged)
}

impl RankPanel {
    pub fn new(events: &[RankEvent]) -> RankPanel {
        use rayon::prelude::*;
        // Each event's scaled ranks in parallel, a chunk of events at a time (a group of
        // 200,000 events would otherwise hold all of them); the sums by day are then taken in
        // event order on a table indexed by relative day, so they do not depend on the threads.
        let all_days = || events.iter().flat_map(|(e, _, v, _, _)| e.iter().chain(v.iter()));
        let (lo, hi) = (all_days().min().copied().unwrap_or(0), all_days().max().copied().unwrap_or(0));
        let mut acc = vec![(0.0, 0usize); (hi - lo + 1).max(0) as usize];
        for chunk in events.chunks(RANK_CHUNK) {
            let scaled: Vec<Vec<f64>> = chunk
                .par_iter()
                .map(|(_, est, _, ar, order)| {
                    let t1 = (est.len() + ar.len() + 1) as f64;
                    event_ranks(est, ar, *order).into_iter().map(|k| k / t1 - 0.5).collect()
                })
                .collect();
            for ((est_days, _, ev_days, _, _), u) in chunk.iter().zip(&scaled) {
                for (d, k) in est_days.iter().chain(ev_days.iter()).zip(u) {
                    let e = &mut acc[(d - lo) as usize];
                    e.0 += k;
                    e.1 += 1;
                }
            }
        }
        let u_bar: BTreeMap<i32, f64> = acc
            .into_iter()
            .enumerate()
            .filter(|(_, (_, n))| *n > 0)
            .map(|(i, (s, n))| (lo + i as i32, s / n as f64))
            .collect();
        let s_u = (u_bar.values().map(|u| u * u).sum::<f64>() / u_bar.len().max(1) as f64).sqrt();
        RankPanel { u_bar, s_u }
    }

    /// z over the event days τ1..=τ2 (one day when τ1 = τ2).
    pub fn test(&self, from: i32, to: i32, alt: Alternative) -> TestOutcome {
        let dist = "N(0,1)";
        let days: Vec<f64> = (from..=to).filter_map(|d| self.u_bar.get(&d).copied()).collect();
        if days.is_empty() || !super::positive(self.s_u) {
            return TestOutcome::undefined(dist);
        }
        let z = days.iter().sum::<f64>() / ((days.len() as f64).sqrt() * self.s_u);
        TestOutcome::new(z, z_p(z, alt), dist)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// scipy.stats.rankdata([3, 1, 2, 2, 5]) = [4, 1, 2.5, 2.5, 5].
    #[test]
    fn ties_get_average_ranks() {
        assert_eq!(ranks(&[3.0, 1.0, 2.0, 2.0, 5.0]), vec![4.0, 1.0, 2.5, 2.5, 5.0]);
    }

    /// Ranks merged from the residuals' known order equal ranking residuals and abnormal
    /// returns together: ties within and across the two, signed zeros, returns beyond every
    /// residual on either side.
    #[test]
    fn merged_ranks_equal_ranking_together() {
        use rand::{Rng, SeedableRng};
        let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(3);
        for trial in 0..300 {
            let coarse = |rng: &mut rand_chacha::ChaCha8Rng| match rng.gen_range(0..12) {
                0 => -0.0,
                1 => 0.0,
                x => (x as f64 - 6.0) / 4.0 + if trial % 2 == 0 { 0.0 } else { rng.gen_range(-3.0..3.0) },
            };
            let est: Vec<f64> = (0..rng.gen_range(0..30)).map(|_| coarse(&mut rng)).collect();
            let ar: Vec<f64> = (0..rng.gen_range(0..8)).map(|_| 4.0 * coarse(&mut rng)).collect();
            let order = sorted_order(&est).unwrap();
            let together: Vec<f64> = est.iter().chain(&ar).copied().collect();
            assert_eq!(event_ranks(&est, &ar, Some(&order)), ranks(&together), "trial {trial}");
        }
        assert!(sorted_order(&vec![0.0; 70_000]).is_none());
    }

    /// One event, estimation residuals [0.1, −0.2, 0.3] on days −3..−1 and AR 0.5 on day 0:
    /// ranks [2, 1, 3, 4], U = K/5 − ½ = [−0.1, −0.3, 0.1, 0.3],
    /// S_U = √((0.01+0.09+0.01+0.09)/4) = √0.05, z_0 = 0.3/√0.05 = 1.3416408.
    #[test]
    fn worked_by_hand() {
        let p = RankPanel::new(&[(&[-3, -2, -1], &[0.1, -0.2, 0.3], &[0], &[0.5], None)]);
        let r = p.test(0, 0, Alternative::TwoSided);
        assert!((r.stat - 0.3 / 0.05f64.sqrt()).abs() < 1e-12);
    }
}
