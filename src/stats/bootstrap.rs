//! Bootstrap test of the mean abnormal return (or CAR), resampling events.
//!
//! A bootstrap-t: from the N values x_i with mean x̄ and cross-sectional t = x̄/(s/√N), draw B
//! resamples of N events with replacement, compute t*_b = (x̄*_b − x̄)/(s*_b/√N) (centred at
//! the sample mean, so under the null), and take the p-value from the share of |t*_b| at least
//! |t|: p = (1 + #{|t*_b| ≥ |t|}) / (B + 1) (one-sided: t*_b ≥ t or t*_b ≤ t). The reported
//! statistic is t. Studentising makes the bootstrap second-order accurate, which matters with
//! the fat-tailed, skewed abnormal returns of small samples.
//!
//! [`test_many`] tests several statistics of the same events (every day and window of a group)
//! on shared resamples: one draw of N events per resample serves all of them, which is the
//! bootstrap of the joint distribution and costs one draw instead of one per statistic.
//!
//! References: Efron and Tibshirani (1993), *An Introduction to the Bootstrap*, §12.5 and
//! §16.4; Kothari and Warner (2007), *Handbook of Corporate Finance*, §3.

use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

use super::tdist::Alternative;
use super::{mean_sd, TestOutcome};

/// Bootstrap-t test of mean zero with `b` resamples, seeded with `seed`: [`test_many`] of one
/// column.
pub fn test(x: &[f64], b: usize, seed: u64, alt: Alternative) -> TestOutcome {
    test_many(x, 1, b, seed, alt).remove(0)
}

/// Resamples drawn at a time by [`resamples`].
const BLOCK: usize = 32;
/// From this many index draws per resample, a block's resamples are summed on all cores.
const PARALLEL_DRAWS: usize = 4096;

/// Draws `b` resamples of `draws` event indices below `n` from `rng`, in order; `sum` writes
/// what it makes of one resample's indices into a buffer of `width` numbers (zeroed first),
/// and `each` reads it, in resample order. The indices of a block of resamples are drawn
/// first, in the order a one-by-one loop draws them, and the block's resamples are then summed
/// side by side when they are large, so the results are those of drawing and summing one
/// resample at a time, whatever the number of threads. The buffers are reused: a small group's
/// thousand resamples allocate nothing each.
pub(crate) fn resamples(
    rng: &mut ChaCha8Rng,
    b: usize,
    n: usize,
    draws: usize,
    width: usize,
    sum: impl Fn(&[u32], &mut [f64]) + Sync,
    mut each: impl FnMut(&[f64]),
) {
    use rayon::prelude::*;
    let block = BLOCK.min(b);
    let mut idx = vec![0u32; block * draws];
    let mut out = vec![0.0; block * width.max(1)];
    let w = width.max(1);
    let mut done = 0;
    while done < b {
        let m = BLOCK.min(b - done);
        for i in idx[..m * draws].iter_mut() {
            *i = rng.gen_range(0..n) as u32;
        }
        let (ix, sums) = (&idx[..m * draws], &mut out[..m * w]);
        sums.fill(0.0);
        if draws >= PARALLEL_DRAWS {
            sums.par_chunks_mut(w).zip(ix.par_chunks(draws)).for_each(|(o, ix)| sum(ix, &mut o[..width]));
        } else {
            sums.chunks_mut(w).zip(ix.chunks(draws)).for_each(|(o, ix)| sum(ix, &mut o[..width]));
        }
        sums.chunks(w).for_each(|o| each(&o[..width]));
        done += m;
    }
}

/// Below this share of Σy², a resample's sum of squared deviations is rounding: the resample
/// repeats one value.
const CONSTANT_SHARE: f64 = 1e-12;

/// The bootstrap-t of each of K statistics of the same N events, on `b` shared resamples:
/// `rows[i·k..(i+1)·k]` holds event i's K values. Each outcome is as [`test`]'s of that column.
pub fn test_many(rows: &[f64], k: usize, b: usize, seed: u64, alt: Alternative) -> Vec<TestOutcome> {
    let dist = format!("bootstrap-t({b})");
    let n = rows.len().checked_div(k).unwrap_or(0);
    let column = |j: usize| -> Vec<f64> { (0..n).map(|i| rows[i * k + j]).collect() };
    let stats: Vec<(f64, f64)> = (0..k).map(|j| mean_sd(&column(j))).collect();
    if n < 2 || b == 0 {
        return vec![TestOutcome::undefined(dist); k];
    }
    let rn = (n as f64).sqrt();
    // Values centred on their column's mean: a resample's mean is then its t*'s numerator.
    let centred: Vec<f64> = rows.iter().enumerate().map(|(x, v)| v - stats[x % k].0).collect();
    let t: Vec<f64> = stats.iter().map(|(m, sd)| m / (sd / rn)).collect();
    let mut hits = vec![0usize; k];
    let (nf, scale) = (n as f64, (n * (n - 1)) as f64);
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    // Each resample's sums of y (the first k) and y² (the next k) per column.
    let sums = |ix: &[u32], out: &mut [f64]| {
        let (sum, sq) = out.split_at_mut(k);
        for &i in ix {
            let i = i as usize;
            for ((s, q), y) in sum.iter_mut().zip(sq.iter_mut()).zip(&centred[i * k..(i + 1) * k]) {
                *s += y;
                *q += y * y;
            }
        }
    };
    resamples(&mut rng, b, n, n, 2 * k, sums, |out| {
        let (sum, sq) = out.split_at(k);
        for j in 0..k {
            let mean = sum[j] / nf;
            let ss = sq[j] - nf * mean * mean;
            let hit = if ss > CONSTANT_SHARE * sq[j] {
                beyond(mean, ss, t[j], scale, alt)
            } else {
                // A resample of one repeated value has sd 0: its t* is ±∞ unless its mean is x̄.
                let tb = if mean == 0.0 { 0.0 } else { mean.signum() * f64::INFINITY };
                match alt {
                    Alternative::TwoSided => tb.abs() >= t[j].abs(),
                    Alternative::Greater => tb >= t[j],
                    Alternative::Less => tb <= t[j],
                }
            };
            hits[j] += hit as usize;
        }
    });
    (0..k)
        .map(|j| {
            if super::positive(stats[j].1) {
                TestOutcome::new(t[j], (1 + hits[j]) as f64 / (b + 1) as f64, dist.clone())
            } else {
                TestOutcome::undefined(dist.clone())
            }
        })
        .collect()
}

/// Whether t* = m/√(ss/(n(n−1))) (the resample's centred mean `m` and sum of squared
/// deviations `ss > 0`, `scale` = n(n−1)) is at least as extreme as `t` under `alt`, compared
/// through t*² = m²·n(n−1)/ss without a square root or a division.
fn beyond(m: f64, ss: f64, t: f64, scale: f64, alt: Alternative) -> bool {
    let (lhs, rhs) = (m * m * scale, t * t * ss);
    let greater = |m: f64, t: f64| match (m >= 0.0, t > 0.0) {
        (true, false) => true,
        (true, true) => lhs >= rhs,
        (false, true) => false,
        (false, false) => lhs <= rhs,
    };
    match alt {
        Alternative::TwoSided => lhs >= rhs,
        Alternative::Greater => greater(m, t),
        Alternative::Less => greater(-m, -t),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The block-parallel draws equal the one-by-one loop they replaced, on the parallel path
    /// (N above PARALLEL_DRAWS) and on the sequential one: the same indices, the same sums.
    #[test]
    fn block_resampling_equals_drawing_one_resample_at_a_time() {
        for n in [7usize, 5000] {
            let b = 70; // two full blocks and a partial one
            let mut rng = ChaCha8Rng::seed_from_u64(9);
            let mut got = vec![];
            let root_sum = |ix: &[u32], o: &mut [f64]| o[0] = ix.iter().map(|&i| (i as f64).sqrt()).sum::<f64>();
            resamples(&mut rng, b, n, n, 1, root_sum, |v| got.push(v[0]));
            let mut rng = ChaCha8Rng::seed_from_u64(9);
            let want: Vec<f64> =
                (0..b).map(|_| (0..n).map(|_| (rng.gen_range(0..n) as f64).sqrt()).sum::<f64>()).collect();
            assert_eq!(got, want, "n = {n}");
        }
    }

    /// Shared resamples give each column the p-value of a bootstrap of that column alone (the
    /// same t, and a p within Monte Carlo error of [`test`]'s); a constant column is undefined.
    /// The comparison without a square root agrees with t* computed directly.
    #[test]
    fn beyond_agrees_with_the_t_statistic() {
        let (n, scale) = (7.0f64, 42.0);
        for (m, ss) in [(0.3, 2.0), (-0.3, 2.0), (0.0, 1.0), (1.5, 0.4), (-2.0, 0.1)] {
            let tb: f64 = m / (ss / (n - 1.0)).sqrt() * n.sqrt();
            for t in [-3.0, -1.0, -0.2, 0.0, 0.2, 1.0, 3.0] {
                assert_eq!(beyond(m, ss, t, scale, Alternative::TwoSided), tb.abs() >= t.abs(), "{m} {ss} {t}");
                assert_eq!(beyond(m, ss, t, scale, Alternative::Greater), tb >= t, "{m} {ss} {t}");
                assert_eq!(beyond(m, ss, t, scale, Alternative::Less), tb <= t, "{m} {ss} {t}");
            }
        }
    }

    #[test]
    fn shared_resamples_test_each_column() {
        let x = [0.012, -0.004, 0.031, 0.008, -0.015, 0.022, 0.005, 0.017, -0.002, 0.026];
        let rows: Vec<f64> = x.iter().flat_map(|v| [*v, v - 0.01, 1.0]).collect();
        let many = test_many(&rows, 3, 9999, 5, Alternative::TwoSided);
        let alone = test(&x, 9999, 5, Alternative::TwoSided);
        assert!((many[0].stat - alone.stat).abs() < 1e-12);
        assert!((many[0].p - alone.p).abs() < 0.02, "{} vs {}", many[0].p, alone.p);
        let centred: Vec<f64> = x.iter().map(|v| v - 0.01).collect();
        assert!((many[1].p - test(&centred, 9999, 5, Alternative::TwoSided).p).abs() < 0.03);
        assert!(many[2].p.is_nan(), "a constant column");
        let again = test_many(&rows, 3, 9999, 5, Alternative::TwoSided);
        assert_eq!(format!("{many:?}"), format!("{again:?}"), "seeded");
    }

    #[test]
    fn is_reproducible_and_sensible() {
        let x = [0.012, -0.004, 0.031, 0.008, -0.015, 0.022, 0.005, 0.017, -0.002, 0.026];
        let a = test(&x, 999, 7, Alternative::TwoSided);
        let b = test(&x, 999, 7, Alternative::TwoSided);
        assert_eq!(a, b);
        // close to the parametric two-sided p of 0.057 for this sample
        assert!(a.p > 0.02 && a.p < 0.15, "{}", a.p);
        // a sample centred far from zero is rejected, one centred at zero is not
        let big: Vec<f64> = x.iter().map(|v| v + 0.05).collect();
        assert!(test(&big, 999, 7, Alternative::TwoSided).p < 0.01);
        let centred: Vec<f64> = x.iter().map(|v| v - 0.01).collect();
        assert!(test(&centred, 999, 7, Alternative::TwoSided).p > 0.5);
    }
}
