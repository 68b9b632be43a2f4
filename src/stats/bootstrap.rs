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

use std::borrow::Cow;

use rand::distributions::{Distribution, Uniform};
use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;

use super::tdist::Alternative;
use super::{mean_sd, TestOutcome};

/// Bootstrap-t test of mean zero with `b` resamples, seeded with `seed`: [`test_many`] of one
/// column.
pub fn test(x: &[f64], b: usize, seed: u64, alt: Alternative) -> TestOutcome {
    test_many(x, 1, b, seed, alt).remove(0)
}

/// Resamples drawn at a time by [`power_sums`].
const BLOCK: usize = 32;
/// From this many index draws per resample, a block's resamples are summed from counts.
const PARALLEL_DRAWS: usize = 4096;
/// Events summed together in the counts path (their rows stay in the core's cache while the
/// block's resamples read them).
const EVENT_CHUNK: usize = 1024;

/// Draws `b` resamples of `draws` of the `n = rows.len()/k` events, seeded with `seed`, and
/// hands `each` the sums over a resample of y, y², … up to y^`powers` of each of the `k`
/// columns of `rows` (event-major: `rows[i·k + j]`), as `powers·k` numbers (the k sums of y,
/// then the k sums of y², and so on), with the number of the `b` resamples they stand for.
///
/// Each draw is an event uniform on 0..n from one 32-bit word of a ChaCha8 stream
/// ([`Resamples`]): resamples of fewer than [`PARALLEL_DRAWS`] draws come one after the other
/// from the seed's stream 0; a larger resample r comes from stream r of the seed, so the
/// resamples of a block are drawn on all cores and none depends on the threads.
///
/// The draws are those of a one-by-one loop. Three ways to sum them:
/// - Few possible resamples (at most `b` multisets of `draws` events, as with a handful of
///   events): each resample is known by its multiset, and each multiset drawn is summed once,
///   in event order, and handed over with how often it was drawn. A group of 5 events has 126
///   possible resamples; 999 draws are summed as about 120.
/// - A small resample: summed in draw order into one reused buffer, from a table of each
///   event's powers, a block of [`BLOCK`] resamples at a time; each is handed over alone.
/// - A large one (at least [`PARALLEL_DRAWS`] draws): summed from how often it drew each event,
///   `Σ_i c_i·y_i^p`, over chunks of events on all cores: each chunk's rows are read once for
///   the whole block instead of once per draw, and the chunks' partial sums are added in chunk
///   order, so the result does not depend on the threads.
///
/// The three equal the draw-order sum up to rounding.
pub(crate) fn power_sums(
    seed: u64,
    b: usize,
    draws: usize,
    rows: &[f64],
    k: usize,
    powers: usize,
    mut each: impl FnMut(&[f64], usize),
) {
    use rayon::prelude::*;
    let n = rows.len().checked_div(k).unwrap_or(0);
    let width = powers * k;
    if b == 0 || n == 0 || width == 0 || draws == 0 {
        return;
    }
    let resamples = Resamples::new(seed, n);
    if draws < PARALLEL_DRAWS {
        let mut rng = resamples.stream(0);
        // Each event's y, y², y³: a draw adds one row (padded with zeros to whole blocks of
        // COLUMNS, which sum_rows adds together).
        let stride = width.next_multiple_of(COLUMNS);
        let mut table = vec![0.0; n * stride];
        for (row, y) in table.chunks_mut(stride).zip(rows.chunks(k)) {
            write_powers(row, y, powers);
        }
        let mut out = vec![0.0; stride];
        if let Some(multisets) = Multisets::new(n, draws, b) {
            for (ix, times) in multisets.draw(&resamples, &mut rng, b) {
                sum_rows(&mut out, &table, &ix);
                each(&out[..width], times);
            }
            return;
        }
        let mut ix = vec![0u32; draws];
        for _ in 0..b {
            resamples.fill(&mut rng, &mut ix);
            sum_rows(&mut out, &table, &ix);
            each(&out[..width], 1);
        }
        return;
    }
    let mut out = vec![0.0; width];
    // Counts of each event in each resample of a block, a row of n per resample.
    let mut counts: Vec<u16> = vec![0; n * BLOCK];
    let mut done = 0;
    while done < b {
        let m = BLOCK.min(b - done);
        // A large resample is summed from its counts of each event; a count beyond u16 (65,535
        // draws of one event) sends the block back to the sums draw by draw.
        let counted = {
            // Each resample drawn from its own stream into its own row of counts
            // (resample-major: a row stays in cache).
            counts[..m * n].par_chunks_mut(n).enumerate().for_each(|(q, row)| {
                row.fill(0);
                let mut rng = resamples.stream(done + q);
                for _ in 0..draws {
                    let c = &mut row[resamples.pick.sample(&mut rng) as usize];
                    *c = c.saturating_add(1);
                }
            });
            !counts[..m * n].contains(&u16::MAX)
        };
        if !counted {
            let mut ix = vec![0u32; draws];
            for q in 0..m {
                resamples.fill(&mut resamples.stream(done + q), &mut ix);
                sum_draws(&mut out, rows, &ix, k, powers);
                each(&out, 1);
            }
        } else {
            let partial: Vec<Vec<f64>> = rows
                .par_chunks(EVENT_CHUNK * k)
                .enumerate()
                .map(|(ci, chunk)| {
                    let first = ci * EVENT_CHUNK;
                    let block = |r: usize| &counts[r * n + first..r * n + first + chunk.len() / k];
                    chunk_sums(chunk, k, powers, m, block)
                        .unwrap_or_else(|| sums_where_drawn(chunk, k, powers, m, block))
                })
                .collect();
            for r in 0..m {
                out.fill(0.0);
                for p in &partial {
                    for (o, v) in out.iter_mut().zip(&p[r * width..(r + 1) * width]) {
                        *o += v;
                    }
                }
                each(&out, 1);
            }
        }
        done += m;
    }
}

/// The draws of the resamples of one seed: events uniform on 0..n, each from one 32-bit word of
/// a ChaCha8 stream of the seed (exact: rejection sampling, as `rand`'s `Uniform<u32>`).
struct Resamples {
    seed: u64,
    pick: Uniform<u32>,
}

impl Resamples {
    fn new(seed: u64, n: usize) -> Self {
        let n = u32::try_from(n).expect("a group has fewer than 2³² events");
        Resamples { seed, pick: Uniform::new(0, n) }
    }

    /// Stream `r` of the seed.
    fn stream(&self, r: usize) -> ChaCha8Rng {
        let mut rng = ChaCha8Rng::seed_from_u64(self.seed);
        rng.set_stream(r as u64);
        rng
    }

    /// Fills `ix` with the next draws of `rng`.
    fn fill(&self, rng: &mut ChaCha8Rng, ix: &mut [u32]) {
        ix.iter_mut().for_each(|i| *i = self.pick.sample(rng));
    }
}

/// The multisets of `draws` of `n` events, when there are at most `b` of them (and `draws` is at
/// most [`Multisets::MAX_DRAWS`]): resamples are then counted by multiset, each known by its
/// rank in the combinatorial number system.
struct Multisets {
    draws: usize,
    count: usize,
    /// C(x, t) for x < n + draws and t ≤ draws, row x.
    binomial: Vec<usize>,
}

impl Multisets {
    const MAX_DRAWS: usize = 8;

    fn new(n: usize, draws: usize, b: usize) -> Option<Self> {
        if draws > Self::MAX_DRAWS || n < 2 {
            return None;
        }
        let (rows, cols) = (n + draws, draws + 1);
        let mut binomial = vec![0usize; rows * cols];
        for x in 0..rows {
            binomial[x * cols] = 1;
            for t in 1..cols.min(x + 1) {
                let v = binomial[(x - 1) * cols + t - 1].saturating_add(if t < x {
                    binomial[(x - 1) * cols + t]
                } else {
                    0
                });
                binomial[x * cols + t] = v;
            }
        }
        // C(n + draws − 1, draws) multisets.
        let count = binomial[(n + draws - 1) * cols + draws];
        (count <= b).then_some(Multisets { draws, count, binomial })
    }

    /// Draws `b` resamples as a one-by-one loop does and returns each multiset drawn (its
    /// events in increasing order) with how many resamples drew it, in the order first drawn.
    fn draw(&self, resamples: &Resamples, rng: &mut ChaCha8Rng, b: usize) -> Vec<(Vec<u32>, usize)> {
        let (d, cols) = (self.draws, self.draws + 1);
        let mut times = vec![0usize; self.count];
        let mut first: Vec<(usize, [u32; Self::MAX_DRAWS])> = Vec::new();
        let mut ix = [0u32; Self::MAX_DRAWS];
        for _ in 0..b {
            resamples.fill(rng, &mut ix[..d]);
            ix[..d].sort_unstable();
            // Sorted i₀ ≤ i₁ ≤ … are the combination i₀ < i₁+1 < i₂+2 < …, ranked Σ C(i_t + t, t + 1).
            let rank: usize = (0..d).map(|t| self.binomial[(ix[t] as usize + t) * cols + t + 1]).sum();
            if times[rank] == 0 {
                first.push((rank, ix));
            }
            times[rank] += 1;
        }
        first.into_iter().map(|(rank, ix)| (ix[..d].to_vec(), times[rank])).collect()
    }
}

/// Writes the powers y, y², … up to y^`powers` of one event's values `y` at the start of `row`,
/// `y.len()` of each, as [`add_powers`] forms them.
fn write_powers(row: &mut [f64], y: &[f64], powers: usize) {
    let k = y.len();
    for (j, &v) in y.iter().enumerate() {
        row[j] = v;
        if powers >= 2 {
            row[k + j] = v * v;
        }
        if powers >= 3 {
            row[2 * k + j] = v * v * v;
        }
    }
}

/// The sums `Σ_e c_re·y_e^p` of a chunk of events as [`chunk_sums`] returns them, each event's
/// powers added to the resamples that drew it, event by event.
fn sums_where_drawn<'c>(
    chunk: &[f64],
    k: usize,
    powers: usize,
    m: usize,
    counts: impl Fn(usize) -> &'c [u16],
) -> Vec<f64> {
    let width = powers * k;
    let mut acc = vec![0.0; m * width];
    for (e, y) in chunk.chunks(k).enumerate() {
        for r in 0..m {
            let c = counts(r)[e];
            if c != 0 {
                add_powers(&mut acc[r * width..(r + 1) * width], y, k, powers, c as f64);
            }
        }
    }
    acc
}

/// Columns of sums a tile of [`chunk_sums`] holds (two SSE2 registers).
const LANES: usize = 4;
/// Resamples a tile of [`chunk_sums`] holds: `ROWS × LANES` sums stay in registers while the
/// tile runs through the chunk's events.
const ROWS: usize = 4;

/// The sums `Σ_e c_re·y_e^p` of a chunk of events (`chunk`, event-major with `k` columns) for
/// the `m` resamples whose counts of those events `counts(r)` gives: a matrix product of the
/// counts (m × events) and the events' powers (events × `powers·k`), returned resample-major.
/// Each sum is added in event order from zero, as [`sums_where_drawn`] adds `c·y` (an event not
/// drawn adds `0·y = 0`), so the result is that loop's to the last digit; it is taken a tile of
/// [`ROWS`] resamples by [`LANES`] sums at a time, which keeps the tile's sums in registers and
/// reads each power once per tile instead of once per resample and sum.
///
/// `None` when a power is not finite (y³ of a finite 1e103 is ∞): it must enter only the
/// resamples that drew it, where 0·∞ would spread NaN to all.
fn chunk_sums<'c>(
    chunk: &[f64],
    k: usize,
    powers: usize,
    m: usize,
    counts: impl Fn(usize) -> &'c [u16],
) -> Option<Vec<f64>> {
    let events = chunk.len() / k;
    let width = powers * k;
    // Each event's y, y², y³, in a row padded to whole tiles.
    let padded = width.div_ceil(LANES) * LANES;
    let mut table = vec![0.0; events * padded];
    for (row, y) in table.chunks_mut(padded).zip(chunk.chunks(k)) {
        write_powers(row, y, powers);
    }
    if !table.iter().all(|v| v.is_finite()) {
        return None;
    }
    // The counts as numbers, resample-major, padded to whole tiles with resamples of none.
    let tall = m.div_ceil(ROWS) * ROWS;
    let mut c = vec![0.0; tall * events];
    for (r, row) in c.chunks_mut(events).take(m).enumerate() {
        row.iter_mut().zip(counts(r)).for_each(|(x, &n)| *x = n as f64);
    }
    let mut acc = vec![0.0; m * width];
    for j0 in (0..padded).step_by(LANES) {
        for r0 in (0..tall).step_by(ROWS) {
            let mut tile = [[0.0f64; LANES]; ROWS];
            let rows: [&[f64]; ROWS] = std::array::from_fn(|q| &c[(r0 + q) * events..(r0 + q + 1) * events]);
            for (e, power) in table.chunks_exact(padded).enumerate() {
                let power: &[f64; LANES] = power[j0..j0 + LANES].try_into().expect("a tile of the row");
                for (sums, counts) in tile.iter_mut().zip(&rows) {
                    let n = counts[e];
                    for (s, p) in sums.iter_mut().zip(power) {
                        *s += n * p;
                    }
                }
            }
            for (q, sums) in tile.iter().enumerate().take(m.saturating_sub(r0)) {
                let lanes = LANES.min(width.saturating_sub(j0));
                acc[(r0 + q) * width + j0..][..lanes].copy_from_slice(&sums[..lanes]);
            }
        }
    }
    Some(acc)
}

/// Columns of [`sum_rows`] summed together in registers.
const COLUMNS: usize = 16;

/// `out` = the sum of the rows `ix` of `table` (rows of `out.len()`, a multiple of [`COLUMNS`]),
/// added in the order of `ix` from 0 (as adding row after row into `out`), [`COLUMNS`] columns at
/// a time: their partial sums stay in registers over the rows instead of going through memory
/// once per row.
fn sum_rows(out: &mut [f64], table: &[f64], ix: &[u32]) {
    let stride = out.len();
    for (b, block) in out.chunks_exact_mut(COLUMNS).enumerate() {
        let mut acc = [0.0f64; COLUMNS];
        for &i in ix {
            let row = &table[i as usize * stride + b * COLUMNS..][..COLUMNS];
            acc.iter_mut().zip(row).for_each(|(a, v)| *a += v);
        }
        block.copy_from_slice(&acc);
    }
}

/// `out` = the sums of y, y², … over the rows `ix` of `rows`, added in draw order.
fn sum_draws(out: &mut [f64], rows: &[f64], ix: &[u32], k: usize, powers: usize) {
    out.fill(0.0);
    for &i in ix {
        add_powers(out, &rows[i as usize * k..(i as usize + 1) * k], k, powers, 1.0);
    }
}

/// Adds `c·y`, `c·y²`, … to the `powers` blocks of `k` sums in `out`. With `c` = 1 the
/// products are exact, so a draw adds y, y·y, y·y·y as a one-by-one loop does.
#[inline]
fn add_powers(out: &mut [f64], y: &[f64], k: usize, powers: usize, c: f64) {
    let (s1, rest) = out.split_at_mut(k);
    match powers {
        1 => s1.iter_mut().zip(y).for_each(|(s, y)| *s += c * y),
        2 => s1.iter_mut().zip(&mut rest[..k]).zip(y).for_each(|((s, q), y)| {
            *s += c * y;
            *q += c * (y * y);
        }),
        _ => {
            let (s2, s3) = rest.split_at_mut(k);
            for (((a, b), d), y) in s1.iter_mut().zip(s2.iter_mut()).zip(s3[..k].iter_mut()).zip(y) {
                *a += c * y;
                *b += c * (y * y);
                *d += c * (y * y * y);
            }
        }
    }
}

/// Below this share of Σy², a resample's sum of squared deviations is rounding: the resample
/// repeats one value.
const CONSTANT_SHARE: f64 = 1e-12;

/// The bootstrap-t of each of K statistics of the same N events, on `b` shared resamples:
/// `rows[i·k..(i+1)·k]` holds event i's K values. Each outcome is as [`test`]'s of that column.
pub fn test_many(rows: &[f64], k: usize, b: usize, seed: u64, alt: Alternative) -> Vec<TestOutcome> {
    let dist = super::named("bootstrap-t", b as u64);
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
    if alt == Alternative::TwoSided {
        let two_sided = TwoSided::new(&t);
        power_sums(seed, b, n, &centred, k, 2, |out, times| {
            let (sum, sq) = out.split_at(k);
            two_sided.count(sum, sq, nf, scale, times, &mut hits);
        });
        return outcomes(&stats, &t, &hits, b, dist);
    }
    // Each resample's sums of y (the first k) and y² (the next k) per column.
    power_sums(seed, b, n, &centred, k, 2, |out, times| {
        let (sum, sq) = out.split_at(k);
        for j in 0..k {
            hits[j] += times * counts(sum[j], sq[j], nf, t[j], scale, alt) as usize;
        }
    });
    outcomes(&stats, &t, &hits, b, dist)
}

/// Whether a resample whose column sums to `sum` with squares summing to `sq` over `nf` draws
/// has a t* at least as extreme as `t` under `alt`.
fn counts(sum: f64, sq: f64, nf: f64, t: f64, scale: f64, alt: Alternative) -> bool {
    let mean = sum / nf;
    let ss = sq - nf * mean * mean;
    if ss > CONSTANT_SHARE * sq {
        return beyond(mean, ss, t, scale, alt);
    }
    // A resample of one repeated value has sd 0: its t* is ±∞ unless its mean is x̄.
    let tb = if mean == 0.0 { 0.0 } else { mean.signum() * f64::INFINITY };
    match alt {
        Alternative::TwoSided => tb.abs() >= t.abs(),
        Alternative::Greater => tb >= t,
        Alternative::Less => tb <= t,
    }
}

/// Each column's t with its p-value (1 + hits)/(B + 1), undefined where its sd is not positive.
fn outcomes(stats: &[(f64, f64)], t: &[f64], hits: &[usize], b: usize, dist: Cow<'static, str>) -> Vec<TestOutcome> {
    (0..t.len())
        .map(|j| {
            if super::positive(stats[j].1) {
                TestOutcome::new(t[j], (1 + hits[j]) as f64 / (b + 1) as f64, dist.clone())
            } else {
                TestOutcome::undefined(dist.clone())
            }
        })
        .collect()
}

/// The two-sided count of [`test_many`] without a branch per column, so that a resample's
/// columns are compared several at a time: the decisions are those of [`counts`], both cases
/// made for every column and one selected.
struct TwoSided {
    /// t² of each column.
    t2: Vec<f64>,
    /// Whether a resample of one repeated value counts: with mean 0 (t* = 0 ≥ |t|) and
    /// otherwise (t* = ±∞ ≥ |t|), as 0 or 1.
    repeated_at_zero: Vec<usize>,
    repeated_elsewhere: Vec<usize>,
}

impl TwoSided {
    fn new(t: &[f64]) -> Self {
        TwoSided {
            t2: t.iter().map(|t| t * t).collect(),
            repeated_at_zero: t.iter().map(|t| (0.0 >= t.abs()) as usize).collect(),
            repeated_elsewhere: t.iter().map(|t| (f64::INFINITY >= t.abs()) as usize).collect(),
        }
    }

    /// Adds `times` to `hits[j]` for each column j whose |t*| from the resample's sums `sum` and
    /// `sq` (of `nf` draws) is at least |t|.
    #[inline]
    fn count(&self, sum: &[f64], sq: &[f64], nf: f64, scale: f64, times: usize, hits: &mut [usize]) {
        let k = sum.len();
        let (sq, t2, hits) = (&sq[..k], &self.t2[..k], &mut hits[..k]);
        let (at_zero, elsewhere) = (&self.repeated_at_zero[..k], &self.repeated_elsewhere[..k]);
        // Selections by 0/1 masks rather than `if`, which the compiler keeps as branches.
        for j in 0..k {
            let mean = sum[j] / nf;
            let ss = sq[j] - nf * mean * mean;
            let regular = (mean * mean * scale >= t2[j] * ss) as usize;
            let varies = (ss > CONSTANT_SHARE * sq[j]) as usize;
            let zero = (mean == 0.0) as usize;
            let repeated = (zero & at_zero[j]) | ((1 - zero) & elsewhere[j]);
            hits[j] += times * ((varies & regular) | ((1 - varies) & repeated));
        }
    }
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

    /// The sums of y, y², y³ of each column over each resample equal those of a one-by-one
    /// loop over the same draws, for every number of powers: exactly on the draw-by-draw path,
    /// to rounding on the counts path (N above PARALLEL_DRAWS, in event chunks) and on the
    /// multiset path (few events: each multiset once, with how often it was drawn, in the
    /// order first drawn).
    #[test]
    fn power_sums_equal_drawing_one_resample_at_a_time() {
        let k = 3;
        let b = 70; // two full blocks and a partial one
        for (n, draws, by_multiset) in [
            (7usize, 7usize, false),
            (3, 3, true),
            (9, 2, true),
            (5000, 5000, false),
            (9000, 4100, false),
            (20000, 2000, false),
        ] {
            assert_eq!(Multisets::new(n, draws, b).is_some(), by_multiset, "n {n}");
            let rows: Vec<f64> = (0..n * k).map(|x| ((x * 7919 % 1000) as f64 - 500.0) / 333.0).collect();
            for powers in 1..=3 {
                let mut got = vec![];
                power_sums(9, b, draws, &rows, k, powers, |v, times| got.push((v.to_vec(), times)));
                // Stream 0 of seed 9 for all the resamples, or stream r for resample r.
                let stream = |r: u64| {
                    let mut rng = ChaCha8Rng::seed_from_u64(9);
                    rng.set_stream(r);
                    rng
                };
                let mut rng = stream(0);
                let pick = Uniform::new(0, n as u32);
                let mut want: Vec<(Vec<usize>, Vec<f64>, usize)> = vec![];
                for r in 0..b {
                    if draws >= PARALLEL_DRAWS {
                        rng = stream(r as u64);
                    }
                    let mut drawn: Vec<usize> = (0..draws).map(|_| pick.sample(&mut rng) as usize).collect();
                    let mut sums = vec![0.0; powers * k];
                    for &i in &drawn {
                        for j in 0..k {
                            let y = rows[i * k + j];
                            for p in 0..powers {
                                sums[p * k + j] += y.powi(p as i32 + 1);
                            }
                        }
                    }
                    if by_multiset {
                        drawn.sort();
                        if let Some(w) = want.iter_mut().find(|w| w.0 == drawn) {
                            w.2 += 1;
                            continue;
                        }
                    }
                    want.push((drawn, sums, 1));
                }
                assert_eq!(got.len(), want.len(), "n {n}");
                assert_eq!(got.iter().map(|g| g.1).sum::<usize>(), b);
                for (r, ((g, times), (_, w, wt))) in got.iter().zip(&want).enumerate() {
                    assert_eq!(times, wt, "n {n}, resample {r}");
                    for (a, w) in g.iter().zip(w) {
                        let tol = if draws < PARALLEL_DRAWS { 1e-12 } else { 1e-9 } * (1.0 + w.abs());
                        assert!((a - w).abs() <= tol, "n {n}, powers {powers}, resample {r}: {a} vs {w}");
                    }
                }
            }
        }
    }

    /// A chunk's tiled sums are those of adding `c·y` event by event to the last digit: for
    /// each number of powers, with sums and resamples that fill no whole tile, and with events
    /// no resample drew.
    #[test]
    fn chunk_sums_equal_adding_event_by_event() {
        let (events, k, m) = (37usize, 5usize, 7usize);
        let chunk: Vec<f64> = (0..events * k).map(|x| ((x * 7919 % 1013) as f64 - 506.0) / 97.0).collect();
        let counts: Vec<u16> = (0..m * events).map(|x| ((x * 31 + 7) % 5) as u16).collect();
        let row = |r: usize| &counts[r * events..(r + 1) * events];
        for powers in 1..=3 {
            let got = chunk_sums(&chunk, k, powers, m, row);
            assert_eq!(got, Some(sums_where_drawn(&chunk, k, powers, m, row)), "powers {powers}");
        }
        let mut overflowing = chunk.clone();
        overflowing[3] = 1e103;
        assert_eq!(chunk_sums(&overflowing, k, 3, m, row), None, "a cube beyond f64");
    }

    /// Regression: a finite value whose cube overflows (1e103) made every resample of its
    /// chunk NaN on the counts path (0·∞ in the matrix product), where a resample that did not
    /// draw it has finite sums.
    #[test]
    fn an_overflowing_power_stays_in_the_resamples_that_drew_it() {
        let mut rows: Vec<f64> = (0..4100).map(|x| ((x * 7919 % 1000) as f64 - 500.0) / 333.0).collect();
        rows[0] = 1e103;
        let mut sums = vec![];
        power_sums(1, 8, 4100, &rows, 1, 3, |v, _| sums.push(v.to_vec()));
        assert_eq!(sums.len(), 8);
        for s in &sums {
            assert!(!s.iter().any(|v| v.is_nan()), "{s:?}");
        }
        assert!(sums.iter().any(|s| s[2].is_finite()), "some resample did not draw the event");
    }

    /// The multisets are ranked one to one onto 0..C(n+d−1, d): every multiset of 2 to 4 draws
    /// of up to 6 events gets its own rank, below the count.
    #[test]
    fn multiset_ranks_are_one_to_one() {
        for n in 2..=6usize {
            for d in 2..=4usize {
                let m = Multisets::new(n, d, usize::MAX).unwrap();
                let cols = d + 1;
                let mut seen = vec![false; m.count];
                let mut ix = vec![0usize; d];
                loop {
                    let rank: usize = (0..d).map(|t| m.binomial[(ix[t] + t) * cols + t + 1]).sum();
                    assert!(!seen[rank], "n {n}, d {d}, {ix:?}");
                    seen[rank] = true;
                    // The next non-decreasing sequence.
                    let Some(t) = (0..d).rev().find(|&t| ix[t] + 1 < n) else { break };
                    let v = ix[t] + 1;
                    ix[t..].iter_mut().for_each(|x| *x = v);
                }
                assert!(seen.iter().all(|&s| s), "n {n}, d {d}: {} multisets", m.count);
            }
        }
    }

    /// The branch-free two-sided count decides every column as [`counts`] does: regular
    /// resamples on either side of |t|, resamples of one repeated value with mean 0 and not,
    /// and t of 0, ±∞ and NaN.
    #[test]
    fn two_sided_count_decides_as_counts() {
        let t = [1.5, -0.2, 0.0, f64::INFINITY, f64::NAN, -3.0];
        let (nf, scale) = (5.0, 20.0);
        let two_sided = TwoSided::new(&t);
        // (Σy, Σy²) of five draws: regular, a repeated value, a repeated zero, all zero.
        let resamples = [(0.9, 0.5), (-0.1, 0.3), (2.5, 1.25), (-0.5, 0.05), (0.0, 0.0), (1e-3, 2.0), (4.0, 3.2)];
        for &(s, q) in &resamples {
            let mut hits = vec![0usize; t.len()];
            two_sided.count(&[s; 6], &[q; 6], nf, scale, 3, &mut hits);
            for (j, &tj) in t.iter().enumerate() {
                let want = 3 * counts(s, q, nf, tj, scale, Alternative::TwoSided) as usize;
                assert_eq!(hits[j], want, "Σy {s}, Σy² {q}, t {tj}");
            }
        }
    }

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

    /// Shared resamples give each column the p-value of a bootstrap of that column alone (the
    /// same t, and a p within Monte Carlo error of [`test`]'s); a constant column is undefined.
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
