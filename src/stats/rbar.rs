//! Average pairwise correlation r̄ of estimation-window residuals, for the Kolari–Pynnönen
//! adjustment.
//!
//! Residuals are aligned on calendar dates, not on relative days: two events on different
//! dates are correlated only through the days their estimation windows share (Stata's
//! eventstudy2 and EventStudy (R) correlate by relative day, which is meaningless for events on
//! different dates; see PEERS.md). For each pair of events, the Pearson correlation is taken
//! over their common dates; pairs with fewer than [`MIN_COMMON_DATES`] common dates contribute
//! nothing (a zero) to the sum. r̄ = Σ r_ij / (N(N−1)/2) over all pairs, so events far apart
//! in time, whose abnormal returns cannot be correlated, pull r̄ towards zero.
//!
//! Caveat: two events of the same ticker a few months apart share most estimation days, so
//! their residual correlation is close to 1 even when their event windows do not overlap.
//!
//! Reference: Kolari and Pynnönen (2010), RFS 23(11), §1.2 and eq. (10).

use chrono::NaiveDate;

/// Fewest common dates for a pair to contribute a correlation.
pub const MIN_COMMON_DATES: usize = 3;

/// Pearson correlation of two equally long slices; NaN when either is constant.
pub fn pearson(a: &[f64], b: &[f64]) -> f64 {
    let n = a.len() as f64;
    let (ma, mb) = (a.iter().sum::<f64>() / n, b.iter().sum::<f64>() / n);
    let (mut sab, mut saa, mut sbb) = (0.0, 0.0, 0.0);
    for (x, y) in a.iter().zip(b) {
        sab += (x - ma) * (y - mb);
        saa += (x - ma).powi(2);
        sbb += (y - mb).powi(2);
    }
    sab / (saa * sbb).sqrt()
}

/// r̄ and the number of contributing pairs. Each event gives its residual dates (strictly
/// increasing) and residuals.
///
/// Exact, and fast enough for tens of thousands of events: dates become positions on the
/// union calendar, events are sorted by their first date so that only pairs whose estimation
/// windows overlap are visited, and for two events without gaps the sums over the common dates
/// come from prefix sums plus one dot product (otherwise the dates are merged). The outer loop
/// runs in parallel; partial sums are added in a fixed order, so the result does not depend on
/// the number of threads.
pub fn average_correlation(events: &[(&[NaiveDate], &[f64])]) -> (f64, usize) {
    use rayon::prelude::*;
    let n = events.len();
    let all_pairs = n * n.saturating_sub(1) / 2;
    if all_pairs == 0 {
        return (0.0, 0);
    }
    let mut calendar: Vec<NaiveDate> = events.iter().flat_map(|(d, _)| d.iter().copied()).collect();
    calendar.sort_unstable();
    calendar.dedup();
    let prepared: Vec<Prepared> = events.iter().map(|(d, r)| Prepared::new(&calendar, d, r)).filter(|p| !p.pos.is_empty()).collect();
    let mut order: Vec<usize> = (0..prepared.len()).collect();
    order.sort_by_key(|&i| (prepared[i].start(), i));
    let sorted: Vec<&Prepared> = order.iter().map(|&i| &prepared[i]).collect();
    let partial: Vec<(f64, usize)> = (0..sorted.len())
        .into_par_iter()
        .map(|a| {
            let ea = sorted[a];
            let (mut sum, mut pairs) = (0.0, 0usize);
            for eb in &sorted[a + 1..] {
                if eb.start() > ea.end() {
                    break;
                }
                if let Some(r) = pair_correlation(ea, eb) {
                    sum += r;
                    pairs += 1;
                }
            }
            (sum, pairs)
        })
        .collect();
    let (sum, pairs) = partial.iter().fold((0.0, 0), |(s, p), (a, b)| (s + a, p + b));
    (sum / all_pairs as f64, pairs)
}

/// Σ a·b with eight independent partial sums (the compiler keeps them in vector registers).
fn dot(a: &[f64], b: &[f64]) -> f64 {
    let mut acc = [0.0f64; 8];
    let (ca, cb) = (a.chunks_exact(8), b.chunks_exact(8));
    let (ra, rb) = (ca.remainder(), cb.remainder());
    for (x, y) in ca.zip(cb) {
        for k in 0..8 {
            acc[k] += x[k] * y[k];
        }
    }
    let mut s: f64 = acc.iter().sum();
    for (x, y) in ra.iter().zip(rb) {
        s += x * y;
    }
    s
}

/// One event's residuals on the union calendar.
struct Prepared<'a> {
    /// Calendar position of each residual (strictly increasing).
    pos: Vec<u32>,
    r: &'a [f64],
    /// Whether `pos` has no holes (residual k is at `pos[0] + k`).
    gapless: bool,
    /// Prefix sums of r and r² (length + 1), used when gapless.
    p1: Vec<f64>,
    p2: Vec<f64>,
}

impl<'a> Prepared<'a> {
    fn new(calendar: &[NaiveDate], d: &[NaiveDate], r: &'a [f64]) -> Prepared<'a> {
        let pos: Vec<u32> = d.iter().map(|x| calendar.partition_point(|c| c < x) as u32).collect();
        let gapless = pos.windows(2).all(|w| w[1] == w[0] + 1);
        let (mut p1, mut p2) = (Vec::with_capacity(r.len() + 1), Vec::with_capacity(r.len() + 1));
        if gapless {
            let (mut a, mut b) = (0.0, 0.0);
            p1.push(0.0);
            p2.push(0.0);
            for x in r {
                a += x;
                b += x * x;
                p1.push(a);
                p2.push(b);
            }
        }
        Prepared { pos, r, gapless, p1, p2 }
    }
    fn start(&self) -> u32 {
        self.pos[0]
    }
    fn end(&self) -> u32 {
        self.pos[self.pos.len() - 1]
    }
}

/// Pearson correlation over the common dates of two events (`b` starts no earlier than `a`),
/// or None when they share fewer than [`MIN_COMMON_DATES`] dates or a side is constant.
fn pair_correlation(a: &Prepared, b: &Prepared) -> Option<f64> {
    let r = if a.gapless && b.gapless {
        let lo = b.start();
        let hi = a.end().min(b.end());
        if hi < lo {
            return None;
        }
        let n = (hi - lo + 1) as usize;
        if n < MIN_COMMON_DATES {
            return None;
        }
        let (ia, ib) = ((lo - a.start()) as usize, (lo - b.start()) as usize);
        let (xa, xb) = (&a.r[ia..ia + n], &b.r[ib..ib + n]);
        let nf = n as f64;
        let (sa, sb) = (a.p1[ia + n] - a.p1[ia], b.p1[ib + n] - b.p1[ib]);
        let (saa, sbb) = (a.p2[ia + n] - a.p2[ia], b.p2[ib + n] - b.p2[ib]);
        let sab = dot(xa, xb);
        let (ma, mb) = (sa / nf, sb / nf);
        let cov = sab - nf * ma * mb;
        let (va, vb) = (saa - nf * ma * ma, sbb - nf * mb * mb);
        cov / (va * vb).sqrt()
    } else {
        let (mut x, mut y) = (Vec::new(), Vec::new());
        let (mut p, mut q) = (0, 0);
        while p < a.pos.len() && q < b.pos.len() {
            match a.pos[p].cmp(&b.pos[q]) {
                std::cmp::Ordering::Less => p += 1,
                std::cmp::Ordering::Greater => q += 1,
                std::cmp::Ordering::Equal => {
                    x.push(a.r[p]);
                    y.push(b.r[q]);
                    p += 1;
                    q += 1;
                }
            }
        }
        if x.len() < MIN_COMMON_DATES {
            return None;
        }
        pearson(&x, &y)
    };
    r.is_finite().then_some(r)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2025, 1, day).unwrap()
    }

    /// np.corrcoef (tests/reference/tests_reference.py) gives 0.8900438462207079.
    #[test]
    fn pearson_matches_numpy() {
        let a = [0.01, -0.02, 0.015, 0.003, -0.007];
        let b = [0.012, -0.01, 0.02, -0.004, -0.001];
        assert!((pearson(&a, &b) - 0.8900438462207079).abs() < 1e-14);
    }

    /// Residuals are paired by date: event 2 is shifted by one day, so only days 2..6 are
    /// common, and a third event with no common date contributes nothing.
    #[test]
    fn pairs_on_calendar_dates_and_skips_pairs_without_common_dates() {
        let d1: Vec<_> = (1..=5).map(d).collect();
        let r1 = [0.5, 0.01, -0.02, 0.015, 0.003];
        let d2: Vec<_> = (2..=6).map(d).collect();
        let r2 = [0.012, -0.01, 0.02, -0.004, 0.9];
        let d3: Vec<_> = (20..=25).map(d).collect();
        let r3 = [0.1, 0.2, 0.3, 0.1, 0.2, 0.0];
        let (r, pairs) = average_correlation(&[(&d1, &r1), (&d2, &r2), (&d3, &r3)]);
        assert_eq!(pairs, 1);
        let expect = pearson(&[0.01, -0.02, 0.015, 0.003], &[0.012, -0.01, 0.02, -0.004]);
        // 1e-13: the fast path's prefix sums carry the 0.5 outside the common dates.
        assert!((r - expect / 3.0).abs() < 1e-13, "three pairs, one contributes");
    }

    /// The straightforward definition: every pair, dates merged, two-pass Pearson.
    fn naive(events: &[(&[NaiveDate], &[f64])]) -> (f64, usize) {
        let n = events.len();
        let (mut sum, mut pairs) = (0.0, 0);
        for i in 0..n {
            for j in i + 1..n {
                let (a, b): (Vec<f64>, Vec<f64>) = events[i]
                    .0
                    .iter()
                    .zip(events[i].1)
                    .filter_map(|(d, x)| events[j].0.iter().position(|e| e == d).map(|k| (*x, events[j].1[k])))
                    .unzip();
                if a.len() >= MIN_COMMON_DATES {
                    let r = pearson(&a, &b);
                    if r.is_finite() {
                        sum += r;
                        pairs += 1;
                    }
                }
            }
        }
        (sum / (n * (n - 1) / 2) as f64, pairs)
    }

    /// The fast path (prefix sums, sorted sweep, gaps merged) equals the definition on
    /// overlapping, nested, disjoint, gapped and all-zero (a perfect fit) windows.
    #[test]
    fn fast_pairs_equal_the_definition() {
        let day = |k: i64| NaiveDate::from_ymd_opt(2024, 1, 1).unwrap() + chrono::Duration::days(k);
        let mut rng = 12345u64;
        let mut next = || {
            rng = rng.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
            ((rng >> 11) as f64 / (1u64 << 53) as f64) - 0.5
        };
        let mut dates: Vec<Vec<NaiveDate>> = Vec::new();
        let mut res: Vec<Vec<f64>> = Vec::new();
        for e in 0..40i64 {
            let start = (e * 37) % 200;
            let len = 20 + (e * 13) % 90;
            let d: Vec<NaiveDate> = (start..start + len).filter(|k| e % 5 != 0 || k % 7 != 3).map(day).collect();
            let r: Vec<f64> = if e == 7 { vec![0.0; d.len()] } else { d.iter().map(|_| 0.02 * next()).collect() };
            dates.push(d);
            res.push(r);
        }
        let ev: Vec<(&[NaiveDate], &[f64])> = dates.iter().zip(&res).map(|(d, r)| (d.as_slice(), r.as_slice())).collect();
        let (fast, fp) = average_correlation(&ev);
        let (slow, sp) = naive(&ev);
        assert_eq!(fp, sp);
        assert!((fast - slow).abs() < 1e-13, "{fast} vs {slow}");
    }
}
