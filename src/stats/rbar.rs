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
pub fn average_correlation(events: &[(&[NaiveDate], &[f64])]) -> (f64, usize) {
    let n = events.len();
    let all_pairs = n * n.saturating_sub(1) / 2;
    let (mut sum, mut pairs) = (0.0, 0usize);
    let (mut a, mut b) = (Vec::new(), Vec::new());
    for i in 0..events.len() {
        for j in i + 1..events.len() {
            let (di, ri) = events[i];
            let (dj, rj) = events[j];
            if di.is_empty() || dj.is_empty() || di[di.len() - 1] < dj[0] || dj[dj.len() - 1] < di[0] {
                continue;
            }
            a.clear();
            b.clear();
            let (mut p, mut q) = (0, 0);
            while p < di.len() && q < dj.len() {
                match di[p].cmp(&dj[q]) {
                    std::cmp::Ordering::Less => p += 1,
                    std::cmp::Ordering::Greater => q += 1,
                    std::cmp::Ordering::Equal => {
                        a.push(ri[p]);
                        b.push(rj[q]);
                        p += 1;
                        q += 1;
                    }
                }
            }
            if a.len() >= MIN_COMMON_DATES {
                let r = pearson(&a, &b);
                if r.is_finite() {
                    sum += r;
                    pairs += 1;
                }
            }
        }
    }
    if all_pairs == 0 {
        (0.0, 0)
    } else {
        (sum / all_pairs as f64, pairs)
    }
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
        assert!((r - expect / 3.0).abs() < 1e-15, "three pairs, one contributes");
    }
}
