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

/// One event's estimation days and residuals for GRANK: (relative days, residuals, residual
/// standard deviation S_i, the residuals' positions in increasing order when known). The
/// residuals and S_i > 0 are finite (the engine leaves out an event whose are not); with a NaN
/// SAR, which day gets which of the unequal NaN ranks would follow the order given.
pub type GrankEvent<'a> = (&'a [i32], &'a [f64], f64, Option<&'a [u16]>);

/// Groups of fewer events are tested on one core (groups run side by side already).
const PARALLEL_EVENTS: usize = 64;

/// One day or window under test: the SCAR standard deviation (None when the test is
/// undefined), the rank increments by day, a difference table of whole events' days, and
/// Σ_i U_i0.
struct Target {
    s_scar: Option<f64>,
    up: Vec<f64>,
    whole: Vec<f64>,
    u0: f64,
}

/// Adds one event to a target: its SARs in increasing order (`value`) with their day indices,
/// its w = 1/(T_i + 1), its run of days when they have no gap, and its SCAR*_i = `c`.
fn add_event(tg: &mut Target, value: &[f64], day: &[u32], w: f64, run: Option<(u32, u32)>, c: f64) {
    let below = value.partition_point(|&v| v < c);
    let at_most = below + value[below..].partition_point(|&v| v <= c);
    match run {
        Some((a, b)) if at_most < value.len() - at_most => {
            tg.whole[a as usize] += w;
            tg.whole[b as usize + 1] -= w;
            for &d in &day[..below] {
                tg.up[d as usize] -= w;
            }
            for &d in &day[below..at_most] {
                tg.up[d as usize] -= 0.5 * w;
            }
        }
        _ => {
            for &d in &day[below..at_most] {
                tg.up[d as usize] += 0.5 * w;
            }
            for &d in &day[at_most..] {
                tg.up[d as usize] += w;
            }
        }
    }
    let k0 = below as f64 + ((at_most - below) as f64 + 2.0) / 2.0;
    tg.u0 += k0 * w - 0.5;
}

/// The GRANK test of each of several days or windows of one group: `scar[k][i]` is event i's
/// SCAR for target k. Each event's SARs are ranked once for every target.
///
/// Adding the point SCAR*_i = c to event i's SARs raises the rank of each SAR above c by one
/// (by ½ for a tie) and leaves the others, so
/// Σ_i U_it = B_t + Σ_i w_i·(#{SAR_it > c_i} + ½·#{SAR_it = c_i}) with w_i = 1/(T_i + 1) and
/// B_t = Σ_i (r_it·w_i − ½) from the ranks r_it among the SARs alone, the same for every
/// target. With an event's SARs sorted, the SARs above c are a suffix found by bisection; when
/// the points at or below c are fewer, and the event's days have no gap, the suffix is added as
/// "every day of the event" (two entries of a difference table) less the points at or below c.
/// A target then visits at most half of each event's points, none of them with a branch.
///
/// Events are sorted a chunk at a time on all cores and added in event order, the targets side
/// by side, so nothing per event is kept (a group of 200,000 events would hold half a gigabyte)
/// and the sums do not depend on the threads. A group of fewer than [`PARALLEL_EVENTS`] events
/// is tested on one core.
pub fn test_all(events: &[GrankEvent], scar: &[Vec<f64>], alt: Alternative) -> Vec<TestOutcome> {
    use rayon::prelude::*;
    if events.len() < 2 {
        // Undefined for every target (no S_SCAR): a group of one event sorts nothing.
        return vec![TestOutcome::undefined("t"); scar.len()];
    }
    let days = || events.iter().flat_map(|(rel, _, _, _)| rel.iter().copied());
    let lo = days().min().unwrap_or(0);
    let hi = days().max().unwrap_or(0);
    let width = (hi - lo + 1).max(0) as usize;
    let mut base = vec![0.0; width];
    let mut n_t = vec![0usize; width];
    let mut targets: Vec<Target> = scar
        .iter()
        .map(|x| {
            let (_, s) = mean_sd(x);
            let ok = x.len() >= 2 && x.len() == events.len() && super::positive(s) && x.iter().all(|v| v.is_finite());
            // An undefined target is skipped throughout and keeps no tables.
            let size = |n: usize| if ok { n } else { 0 };
            Target { s_scar: ok.then_some(s), up: vec![0.0; size(width)], whole: vec![0.0; size(width + 1)], u0: 0.0 }
        })
        .collect();
    let chunk_len = super::rank::RANK_CHUNK;
    for (ci, chunk) in events.chunks(chunk_len).enumerate() {
        // Each event's SARs in increasing order with their day index, its w and its run.
        type Sorted = (Vec<f64>, Vec<u32>, f64, Option<(u32, u32)>);
        let sort = |(rel, e, s, order): &GrankEvent| -> Sorted {
            let sar = |i: usize| (e[i] / s, (rel[i] - lo) as u32);
            // In the residuals' order when it is known and S_i keeps it (S_i > 0).
            let mut v: Vec<(f64, u32)> = match order.filter(|o| o.len() == e.len()) {
                Some(o) => o.iter().map(|&i| sar(i as usize)).collect(),
                None => (0..e.len()).map(sar).collect(),
            };
            if !v.windows(2).all(|p| p[0].0.total_cmp(&p[1].0).is_le()) {
                v.sort_unstable_by(|a, b| a.0.total_cmp(&b.0));
            }
            let w = 1.0 / (v.len() + 2) as f64;
            let gapless = rel.windows(2).all(|d| d[1] == d[0] + 1);
            let run = (gapless && !rel.is_empty()).then(|| ((rel[0] - lo) as u32, (rel[rel.len() - 1] - lo) as u32));
            (v.iter().map(|x| x.0).collect(), v.iter().map(|x| x.1).collect(), w, run)
        };
        let sorted: Vec<Sorted> = if chunk.len() < PARALLEL_EVENTS {
            chunk.iter().map(sort).collect()
        } else {
            chunk.par_iter().map(sort).collect()
        };
        // B_t from the ranks among the SARs alone, ties averaged, in event order.
        for (value, day, w, _) in &sorted {
            super::rank::tie_runs(
                value,
                |v| *v,
                |run, r| {
                    for &d in &day[run] {
                        base[d as usize] += r * w - 0.5;
                        n_t[d as usize] += 1;
                    }
                },
            );
        }
        let first = ci * chunk_len;
        // Each core takes a run of targets and visits every event once for all of them, so
        // that the event's points are still in cache for the next target (one target at a
        // time over all events missed the cache on every step of the bisections). Each
        // target's sums are still added in event order.
        let per_core = targets.len().div_ceil(rayon::current_num_threads()).max(1);
        let add = |tgs: &mut [Target], xs: &[Vec<f64>]| {
            for (e, (value, day, w, run)) in sorted.iter().enumerate() {
                for (tg, x) in tgs.iter_mut().zip(xs) {
                    let Some(s_scar) = tg.s_scar else { continue };
                    add_event(tg, value, day, *w, *run, x[first + e] / s_scar);
                }
            }
        };
        if sorted.len() < PARALLEL_EVENTS {
            add(&mut targets, scar);
        } else {
            targets.par_chunks_mut(per_core).zip(scar.par_chunks(per_core)).for_each(|(tgs, xs)| add(tgs, xs));
        }
    }
    let t_points = n_t.iter().filter(|&&m| m > 0).count() as f64 + 1.0;
    let n = events.len() as f64;
    targets
        .into_iter()
        .map(|tg| {
            let undefined = || TestOutcome::undefined("t");
            if tg.s_scar.is_none() {
                return undefined();
            }
            let u0 = tg.u0 / n;
            // Σ (n_t/N)·Ū_t² = Σ (Σ_i U_it)²/(n_t·N) on the estimation days; day 0 has n_0 = N.
            let mut est = 0.0;
            let mut run = 0.0;
            for t in 0..width {
                run += tg.whole[t];
                if n_t[t] > 0 {
                    let s = base[t] + tg.up[t] + run;
                    est += s * s / (n_t[t] as f64 * n);
                }
            }
            let s_u = ((est + u0 * u0) / t_points).sqrt();
            let z = u0 / s_u;
            let room = t_points - 1.0 - z * z;
            if !super::positive(s_u) || !super::positive(room) || t_points < 3.0 {
                return undefined();
            }
            let df = t_points - 2.0;
            let t = z * (df / room).sqrt();
            TestOutcome::new(t, t_p(t, df, alt), super::named("t", df as u64))
        })
        .collect()
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
        let events: [GrankEvent; 2] = [(&rel, &[0.1, -0.2, 0.3], 0.1, None), (&rel, &[0.2, 0.1, -0.1], 0.1, None)];
        let r = test_all(&events, &[vec![2.0, -1.0]], Alternative::TwoSided).remove(0);
        let z = -0.1 / 0.015f64.sqrt();
        let t = z * (2.0 / (3.0 - z * z)).sqrt();
        assert!((r.stat - t).abs() < 1e-12, "{} vs {t}", r.stat);
        assert_eq!(r.dist, "t(2)");
        assert!(test_all(&events[..1], &[vec![2.0]], Alternative::TwoSided)[0].stat.is_nan(), "one event");
    }

    /// Steps 1–5 of the module doc taken literally: every event's points re-ranked with its
    /// SCAR* for every test.
    fn literal(events: &[(Vec<i32>, Vec<f64>, f64)], scar: &[f64]) -> f64 {
        let (_, s_scar) = mean_sd(scar);
        let mut by_day: std::collections::BTreeMap<i32, Vec<f64>> = Default::default();
        let mut u0 = Vec::new();
        for ((rel, e, s), c) in events.iter().zip(scar) {
            let mut points: Vec<f64> = e.iter().map(|v| v / s).collect();
            points.push(c / s_scar);
            let r = crate::stats::rank::ranks(&points);
            let t1 = (points.len() + 1) as f64;
            for (d, k) in rel.iter().zip(&r) {
                by_day.entry(*d).or_default().push(k / t1 - 0.5);
            }
            u0.push(r[r.len() - 1] / t1 - 0.5);
        }
        let n = scar.len() as f64;
        let u0 = u0.iter().sum::<f64>() / n;
        let t = (by_day.len() + 1) as f64;
        let ss: f64 =
            by_day.values().map(|u| (u.len() as f64 / n) * (u.iter().sum::<f64>() / u.len() as f64).powi(2)).sum();
        let z = u0 / ((ss + u0 * u0) / t).sqrt();
        z * ((t - 2.0) / (t - 1.0 - z * z)).sqrt()
    }

    /// The suffix and complement shortcuts give the literal statistic: events with and without
    /// gaps, ties among the SARs and with SCAR*, SCAR* beyond every SAR on either side.
    #[test]
    fn shortcuts_equal_the_literal_ranking() {
        use rand::{Rng, SeedableRng};
        let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(5);
        for trial in 0..200 {
            let n = rng.gen_range(2..12);
            let events: Vec<(Vec<i32>, Vec<f64>, f64)> = (0..n)
                .map(|_| {
                    let first = -rng.gen_range(20..40);
                    let rel: Vec<i32> = (first..-3).filter(|_| trial % 3 != 0 || rng.gen_bool(0.8)).collect();
                    // Coarse values so that ties happen.
                    let e: Vec<f64> = rel.iter().map(|_| rng.gen_range(-8..=8) as f64 / 4.0).collect();
                    (rel, e, 0.5)
                })
                .collect();
            let orders: Vec<Vec<u16>> =
                events.iter().map(|(_, e, _)| crate::stats::rank::sorted_order(e).unwrap()).collect();
            // Every other trial with the residuals' order given.
            let input: Vec<GrankEvent> = events
                .iter()
                .zip(&orders)
                .map(|((r, e, s), o)| (r.as_slice(), e.as_slice(), *s, (trial % 2 == 1).then_some(o.as_slice())))
                .collect();
            // Two targets at once, each as the literal ranking of its own.
            let scars: Vec<Vec<f64>> =
                (0..2)
                    .map(|t| {
                        (0..n)
                            .map(|i| {
                                if i == t {
                                    9.0 * (trial % 2) as f64 - 4.5
                                } else {
                                    rng.gen_range(-6..=6) as f64 / 2.0
                                }
                            })
                            .collect()
                    })
                    .collect();
            for (g, scar) in test_all(&input, &scars, Alternative::TwoSided).iter().zip(&scars) {
                let want = literal(&events, scar);
                assert!(
                    (g.stat - want).abs() < 1e-12 || (g.stat.is_nan() && want.is_nan()),
                    "trial {trial}: {} vs {want}",
                    g.stat
                );
            }
        }
    }
}
