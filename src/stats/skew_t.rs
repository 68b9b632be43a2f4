//! The skewness-adjusted t of Hall (1992) and Lyon, Barber and Tsai (1999), with their
//! bootstrap p-value (`skew_t` of CARs, `skew_t_bhar` of BHARs).
//!
//! Long-window CARs and especially BHARs are right-skewed, and the ordinary t then rejects a
//! true null too often in one tail and too rarely in the other. With x_i the N values,
//! S = x̄ / σ and γ̂ = Σ (x_i − x̄)³ / (N·σ³),
//!
//! t_sa = √N · ( S + γ̂·S²/3 + γ̂/(6N) ).
//!
//! Convention: σ is the sample standard deviation (divisor N − 1) in both S and γ̂, as the
//! reference implementation waissbluth/skewttest (R) and the LBT text; Stata's `skewt` uses
//! divisor N in γ̂ and eventstudy2 an adjusted Fisher–Pearson G1.
//!
//! Bootstrap (LBT §III.B): B resamples of N_b = max(⌊N/4⌋, 3) values drawn with replacement;
//! each gives t*_b from S*_b = (x̄*_b − x̄)/σ*_b (centred on the sample mean, so under the
//! null), γ̂*_b and N_b. Resamples of one repeated value are dropped. The two-sided p-value
//! counts the resamples beyond t_sa on its side, as skewttest does, plus one so that it is
//! never zero (Davison and Hinkley 1997, §4.2): p = min(1, 2·(1 + #{t*_b > t_sa})/(B + 1)) for
//! t_sa > 0, with `≤` for t_sa ≤ 0; one-sided (1 + #{t*_b ≥ t_sa})/(B + 1) or with `≤`.
//! Undefined for N < 3 or σ = 0.
//!
//! References: Hall (1992), Ann. Statist. 20(1), p. 221–239; Lyon, Barber and Tsai (1999), JF
//! 54(1), p. 165–201, eq. (5)–(6).

use super::tdist::Alternative;
use super::{mean_sd, TestOutcome};

/// t_sa of `x` centred at `centre` (0 for the statistic, x̄ of the sample for a resample).
fn t_sa(x: &[f64], centre: f64) -> f64 {
    let n = x.len() as f64;
    let (m, sd) = mean_sd(x);
    if !super::positive(sd) {
        return f64::NAN;
    }
    let s = (m - centre) / sd;
    let gamma = x.iter().map(|v| (v - m).powi(3)).sum::<f64>() / (n * sd.powi(3));
    n.sqrt() * (s + gamma * s * s / 3.0 + gamma / (6.0 * n))
}

/// The statistic alone (no bootstrap).
pub fn statistic(x: &[f64]) -> f64 {
    if x.len() < 3 {
        return f64::NAN;
    }
    t_sa(x, 0.0)
}

/// t_sa with its bootstrap p-value from `b` resamples seeded with `seed`: [`test_many`] of one
/// column.
pub fn test(x: &[f64], b: usize, seed: u64, alt: Alternative) -> TestOutcome {
    test_many(x, 1, b, seed, alt).remove(0)
}

/// The test of each of K statistics of the same N events on `b` shared resamples
/// (`rows[i·k..(i+1)·k]` is event i's values): one draw of N_b events serves every column, as
/// in [`super::bootstrap::test_many`]. Each outcome is as [`test`]'s of that column.
pub fn test_many(rows: &[f64], k: usize, b: usize, seed: u64, alt: Alternative) -> Vec<TestOutcome> {
    let dist = super::named("bootstrap skew-t", b as u64);
    let n = rows.len().checked_div(k).unwrap_or(0);
    let columns: Vec<Vec<f64>> = (0..k).map(|j| (0..n).map(|i| rows[i * k + j]).collect()).collect();
    let t: Vec<f64> = columns.iter().map(|c| statistic(c)).collect();
    if n < 3 || b == 0 {
        return vec![TestOutcome::undefined(dist); k];
    }
    let means: Vec<f64> = columns.iter().map(|c| c.iter().sum::<f64>() / n as f64).collect();
    let centred: Vec<f64> = rows.iter().enumerate().map(|(x, v)| v - means[x % k]).collect();
    let nb = (n / 4).max(3);
    let nbf = nb as f64;
    let mut tail = vec![0usize; k];
    // Each resample's sums of y, y² and y³ per column (k each, one after the other).
    super::bootstrap::power_sums(seed, b, nb, &centred, k, 3, |out, times| {
        let (s1, rest) = out.split_at(k);
        let (s2, s3) = rest.split_at(k);
        for j in 0..k {
            // Moments about the resample's own mean ȳ from the sums of y, y², y³ (y centred on
            // the sample mean, so S*_b = ȳ/σ*_b).
            let ybar = s1[j] / nbf;
            let ss = s2[j] - nbf * ybar * ybar;
            if ss.is_nan() || ss <= 1e-12 * s2[j] || t[j].is_nan() {
                continue; // a resample of one repeated value is dropped
            }
            let sd = (ss / (nbf - 1.0)).sqrt();
            let m3 = s3[j] - 3.0 * ybar * s2[j] + 2.0 * nbf * ybar.powi(3);
            let gamma = m3 / (nbf * sd.powi(3));
            let sb = ybar / sd;
            let tb = nbf.sqrt() * (sb + gamma * sb * sb / 3.0 + gamma / (6.0 * nbf));
            tail[j] += times
                * match alt {
                    Alternative::TwoSided if t[j] > 0.0 => tb > t[j],
                    Alternative::TwoSided => tb <= t[j],
                    Alternative::Greater => tb >= t[j],
                    Alternative::Less => tb <= t[j],
                } as usize;
        }
    });
    (0..k)
        .map(|j| {
            if t[j].is_nan() {
                return TestOutcome::undefined(dist.clone());
            }
            let one = (1 + tail[j]) as f64 / (b + 1) as f64;
            let p = if alt == Alternative::TwoSided { (2.0 * one).min(1.0) } else { one };
            TestOutcome::new(t[j], p, dist.clone())
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Shared resamples: each column keeps its statistic and a p-value within Monte Carlo error
    /// of its own bootstrap; a constant column is undefined.
    #[test]
    fn shared_resamples_test_each_column() {
        let x: Vec<f64> = (0..40).map(|i| ((i * 37 % 17) as f64 - 8.0) / 100.0 + 0.01).collect();
        let rows: Vec<f64> = x.iter().flat_map(|v| [*v, 2.0]).collect();
        let many = test_many(&rows, 2, 9999, 3, Alternative::TwoSided);
        let alone = test(&x, 9999, 3, Alternative::TwoSided);
        assert!((many[0].stat - alone.stat).abs() < 1e-12);
        assert!((many[0].p - alone.p).abs() < 0.03, "{} vs {}", many[0].p, alone.p);
        assert!(many[1].p.is_nan());
    }

    /// x = [1, 2, 3, 10]: x̄ = 4, deviations [−3, −2, −1, 6], σ² = 50/3, σ = 4.0825;
    /// S = 0.9798; Σ d³ = −27 − 8 − 1 + 216 = 180, γ̂ = 180/(4·68.041) = 0.66137;
    /// t_sa = 2·(0.9798 + 0.66137·0.96/3 + 0.66137/24) = 2.4347.
    #[test]
    fn statistic_by_hand() {
        let x = [1.0, 2.0, 3.0, 10.0];
        let sd = (50.0f64 / 3.0).sqrt();
        let s = 4.0 / sd;
        let g = 180.0 / (4.0 * sd.powi(3));
        let want = 2.0 * (s + g * s * s / 3.0 + g / 24.0);
        assert!((statistic(&x) - want).abs() < 1e-14);
        assert!(statistic(&[1.0, 2.0]).is_nan());
        assert!(statistic(&[1.0, 1.0, 1.0]).is_nan());
    }

    #[test]
    fn bootstrap_is_reproducible_and_sensible() {
        let x: Vec<f64> = (0..40).map(|i| ((i * 37 % 17) as f64 - 8.0) / 100.0).collect();
        let a = test(&x, 999, 3, Alternative::TwoSided);
        assert_eq!(a, test(&x, 999, 3, Alternative::TwoSided));
        assert!(a.p > 0.2, "a sample centred near zero: {}", a.p);
        let shifted: Vec<f64> = x.iter().map(|v| v + 0.05).collect();
        assert!(test(&shifted, 999, 3, Alternative::TwoSided).p < 0.01);
    }
}
