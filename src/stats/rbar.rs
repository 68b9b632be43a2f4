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

use chrono::{Datelike, NaiveDate};

/// Fewest common dates for a pair to contribute a correlation.
pub const MIN_COMMON_DATES: usize = 3;

/// A first and last day number (days from the common era), both included.
pub type Span2 = (i32, i32);

/// Which pairs of events enter r̄ (`--rbar-pairs`); the others count as zero.
///
/// * `estimation`: every pair whose estimation windows share dates.
/// * `event-overlap` (default): pairs whose event windows share a calendar date. The
///   adjustment corrects the variance of the average abnormal return for the covariance of
///   the events' abnormal returns *in the event window* (Kolari and Pynnönen 2010, eq. 9);
///   two events whose event windows are disjoint have uncorrelated abnormal returns there
///   (serially uncorrelated residuals), however alike their estimation residuals. KP motivate
///   r̄ by events clustered in calendar time, which this rule keeps.
/// * `same-day`: only pairs with the same day 0 (the fully clustered case of KP's §2).
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, clap::ValueEnum)]
#[serde(rename_all = "kebab-case")]
pub enum PairRule {
    Estimation,
    EventOverlap,
    SameDay,
}

impl PairRule {
    /// The pairing span of an event from its event window's first and last dates and day 0.
    pub fn span(self, first: NaiveDate, last: NaiveDate, day0: NaiveDate) -> Span2 {
        let d = |x: NaiveDate| x.num_days_from_ce();
        match self {
            PairRule::Estimation => (0, 0),
            PairRule::EventOverlap => (d(first), d(last)),
            PairRule::SameDay => (d(day0), d(day0)),
        }
    }
}

/// Whether two pairing spans share a day.
fn share_a_day(a: Span2, b: Span2) -> bool {
    a.0 <= b.1 && b.0 <= a.1
}

/// Whether values vary: their sum of squared deviations `ss` is finite and above what
/// rounding leaves of a constant (a relative [`CONSTANT_TOLERANCE`] of their sum of squares
/// `sq`). A constant side, such as residuals of a perfect fit or a run of stale prices, has no
/// correlation.
pub fn varies(ss: f64, sq: f64) -> bool {
    ss.is_finite() && ss > CONSTANT_TOLERANCE * sq
}

/// The share of the sum of squares below which a sum of squared deviations is rounding: prefix
/// sums lose about `n·ε·Σx²` to cancellation.
pub const CONSTANT_TOLERANCE: f64 = 1e-12;

/// Pearson correlation of two equally long slices; NaN when either is constant (see [`varies`]).
pub fn pearson(a: &[f64], b: &[f64]) -> f64 {
    let n = a.len() as f64;
    let (ma, mb) = (a.iter().sum::<f64>() / n, b.iter().sum::<f64>() / n);
    let (mut sab, mut saa, mut sbb) = (0.0, 0.0, 0.0);
    for (x, y) in a.iter().zip(b) {
        sab += (x - ma) * (y - mb);
        saa += (x - ma).powi(2);
        sbb += (y - mb).powi(2);
    }
    let sq = |v: &[f64]| v.iter().map(|x| x * x).sum::<f64>();
    if !varies(saa, sq(a)) || !varies(sbb, sq(b)) {
        return f64::NAN;
    }
    sab / (saa * sbb).sqrt()
}

/// r̄ and the number of contributing pairs. Each event gives its residual dates (strictly
/// increasing) and residuals, and its pairing span (day numbers, see [`PairRule`]): only pairs
/// whose spans share a day are correlated, the others count as zero. r̄ is NaN for fewer than
/// two events.
///
/// Exact, and linear in the number of events for a fixed calendar. Dates become positions on
/// the union calendar, and events with the same positions (same window on the same calendar:
/// events on one date, or of one ticker, share theirs) form a group. Two groups whose windows
/// overlap have one set of common dates `I`, and with `ã = (a − mean_I a)/‖a − mean_I a‖`
/// every pair's correlation is the dot product `r_ab = ã·b̃`, so the sum over all pairs of the
/// two groups is one dot product of group sums, `(Σ_a ã)·(Σ_b b̃)`; within a group,
/// `Σ_{a<b} r_ab = (‖Σ_a ã‖² − Σ_a ‖ã‖²)/2`. The work is then the number of events times the
/// windows they overlap, instead of the number of overlapping pairs, which grows with the
/// square of the events. Means and norms of windows without gaps come from prefix sums. Groups
/// are swept by start date so that only overlapping ones are visited; the sweep runs in
/// parallel and partial sums are added in a fixed order, so the result does not depend on the
/// number of threads.
pub fn average_correlation(events: &[(&[NaiveDate], &[f64])], spans: &[Span2]) -> (f64, usize) {
    use rayon::prelude::*;
    let n = events.len();
    let all_pairs = n * n.saturating_sub(1) / 2;
    if all_pairs == 0 {
        return (f64::NAN, 0);
    }
    // Positions on the union calendar, from a table indexed by day number (no sort, no search).
    let day = |d: &NaiveDate| d.num_days_from_ce();
    let first = events.iter().filter_map(|(d, _)| d.first()).map(day).min().unwrap_or(0);
    let last = events.iter().filter_map(|(d, _)| d.last()).map(day).max().unwrap_or(0);
    let mut position = vec![0u32; (last - first + 1).max(0) as usize];
    for (d, _) in events {
        for x in d.iter() {
            position[(day(x) - first) as usize] = 1;
        }
    }
    let mut next = 0;
    for p in position.iter_mut() {
        let used = *p == 1;
        *p = next;
        next += used as u32;
    }
    // Members of each group, in the order of the events. A window without gaps is known by
    // its start and length; members of a group also share their pairing span. Positions are
    // made one event at a time: only each group's own are kept.
    let mut members: Vec<(Vec<u32>, Span2, Vec<usize>)> = Vec::new();
    let mut runs: std::collections::HashMap<(u32, usize, Span2), usize> = std::collections::HashMap::new();
    let mut gapped: std::collections::HashMap<(Vec<u32>, Span2), usize> = std::collections::HashMap::new();
    let mut pos: Vec<u32> = Vec::new();
    for (e, (d, _)) in events.iter().enumerate() {
        pos.clear();
        pos.extend(d.iter().map(|x| position[(day(x) - first) as usize]));
        if pos.is_empty() {
            continue;
        }
        let g = if pos[pos.len() - 1] - pos[0] + 1 == pos.len() as u32 {
            *runs.entry((pos[0], pos.len(), spans[e])).or_insert(members.len())
        } else {
            *gapped.entry((pos.clone(), spans[e])).or_insert(members.len())
        };
        if g == members.len() {
            members.push((pos.clone(), spans[e], vec![]));
        }
        members[g].2.push(e);
    }
    drop((runs, gapped, position));
    let mut groups: Vec<Group> = members
        .into_par_iter()
        .map(|(pos, span, m)| Group::new(pos, span, m.iter().map(|&e| events[e].1).collect()))
        .collect();
    groups.sort_by_key(|g| (g.start(), g.pos.len()));
    let longest = groups.iter().map(|g| g.pos.len()).max().unwrap_or(0);
    let widest = groups.iter().map(|g| g.m()).max().unwrap_or(0);
    let partial: Vec<(f64, usize)> = (0..groups.len())
        .into_par_iter()
        .map_init(
            || Scratch::new(longest, widest),
            |sc, g| {
                let ga = &groups[g];
                let (mut sum, mut pairs) = within_group(ga, sc);
                for gb in &groups[g + 1..] {
                    if gb.start() > ga.end() {
                        break;
                    }
                    if !share_a_day(ga.span, gb.span) {
                        continue;
                    }
                    let (s, p) = across_groups(ga, gb, sc);
                    sum += s;
                    pairs += p;
                }
                (sum, pairs)
            },
        )
        .collect();
    let (sum, pairs) = partial.iter().fold((0.0, 0), |(s, p), (a, b)| (s + a, p + b));
    (sum / all_pairs as f64, pairs)
}

/// Events with the same positions on the union calendar, with their residuals (borrowed, not
/// copied: a group of all 200,000 events of a study would double them).
struct Group<'e> {
    /// Calendar positions (strictly increasing).
    pos: Vec<u32>,
    /// The members' pairing span.
    span: Span2,
    /// Whether `pos` has no holes.
    gapless: bool,
    /// The members' residuals.
    x: Vec<&'e [f64]>,
}

/// Prefix sums of x and x² of each member of a group without gaps, `m·(len + 1)` each: made by
/// a worker when it needs them (kept for every group they would double r̄'s memory).
#[derive(Default)]
struct Prefix {
    p1: Vec<f64>,
    p2: Vec<f64>,
}

impl Prefix {
    /// The prefix sums of every member of `g` up to its first `upto` dates (the entries beyond
    /// are left as they were: only spans within the first `upto` dates may be read).
    fn fill(&mut self, g: &Group, upto: usize) {
        let stride = g.pos.len() + 1;
        self.p1.resize(g.m() * stride, 0.0);
        self.p2.resize(g.m() * stride, 0.0);
        for (a, r) in g.x.iter().enumerate() {
            let (p1, p2) = (&mut self.p1[a * stride..(a + 1) * stride], &mut self.p2[a * stride..(a + 1) * stride]);
            let (mut s1, mut s2) = (0.0, 0.0);
            p1[0] = 0.0;
            p2[0] = 0.0;
            for (k, v) in r[..upto].iter().enumerate() {
                s1 += v;
                s2 += v * v;
                p1[k + 1] = s1;
                p2[k + 1] = s2;
            }
        }
    }
}

impl<'e> Group<'e> {
    fn new(pos: Vec<u32>, span: Span2, residuals: Vec<&'e [f64]>) -> Group<'e> {
        let gapless = pos.windows(2).all(|w| w[1] == w[0] + 1);
        Group { pos, span, gapless, x: residuals }
    }
    /// The number of members.
    fn m(&self) -> usize {
        self.x.len()
    }
    fn start(&self) -> u32 {
        self.pos[0]
    }
    fn end(&self) -> u32 {
        self.pos[self.pos.len() - 1]
    }
    /// Member a's residuals.
    fn member(&self, a: usize) -> &[f64] {
        self.x[a]
    }
}

/// Reused buffers of one worker.
struct Scratch {
    a: Vec<f64>,
    b: Vec<f64>,
    ia: Vec<u32>,
    ib: Vec<u32>,
    members: Members,
    /// The prefix sums of the group last swept against others (known by its address), and of
    /// its current partner.
    prefix_a: (Option<usize>, Prefix),
    prefix_b: Prefix,
}

/// Per member of a group, on the current span: mean, sum of squares, sum of squared
/// deviations and weight `1/√ss` (0 for a member that does not vary).
struct Members {
    mean: Vec<f64>,
    sq: Vec<f64>,
    ss: Vec<f64>,
    w: Vec<f64>,
}

impl Scratch {
    fn new(longest: usize, widest: usize) -> Scratch {
        let z = |n: usize| vec![0.0; n];
        Scratch {
            a: z(longest),
            b: z(longest),
            ia: Vec::new(),
            ib: Vec::new(),
            members: Members { mean: z(widest), sq: z(widest), ss: z(widest), w: z(widest) },
            prefix_a: (None, Prefix::default()),
            prefix_b: Prefix::default(),
        }
    }
}

/// Which of a group's dates enter: a run of `n` from `from`, or the listed indices.
#[derive(Clone, Copy)]
enum Span<'s> {
    Run { from: usize, n: usize },
    List(&'s [u32]),
}

impl Span<'_> {
    fn len(&self) -> usize {
        match self {
            Span::Run { n, .. } => *n,
            Span::List(l) => l.len(),
        }
    }
}

/// Into `out[k]`, `Σ_a ã_k` over the members of `g` whose residuals vary on `span`; returns how
/// many those are. With `prefix`, means and squared norms come from prefix sums (windows
/// without gaps); otherwise they are computed in two passes.
fn normalised_sum(g: &Group, span: Span, prefix: Option<&Prefix>, out: &mut [f64], st: &mut Members) -> usize {
    let (n, m, len) = (span.len(), g.m(), g.pos.len());
    let nf = n as f64;
    let (mean, sq, ss, w) = (&mut st.mean[..m], &mut st.sq[..m], &mut st.ss[..m], &mut st.w[..m]);
    for a in 0..m {
        let x = g.member(a);
        (mean[a], sq[a], ss[a]) = match (span, prefix) {
            (Span::Run { from, n }, Some(p)) => {
                let o = a * (len + 1);
                let mu = (p.p1[o + from + n] - p.p1[o + from]) / nf;
                let s2 = p.p2[o + from + n] - p.p2[o + from];
                (mu, s2, s2 - nf * mu * mu)
            }
            (Span::Run { from, n }, None) => {
                let x = &x[from..from + n];
                let mu = x.iter().sum::<f64>() / nf;
                (mu, x.iter().map(|v| v * v).sum::<f64>(), x.iter().map(|v| (v - mu) * (v - mu)).sum::<f64>())
            }
            (Span::List(l), _) => {
                let v = |k: &u32| x[*k as usize];
                let mu = l.iter().map(v).sum::<f64>() / nf;
                (
                    mu,
                    l.iter().map(|k| v(k) * v(k)).sum::<f64>(),
                    l.iter().map(|k| (v(k) - mu) * (v(k) - mu)).sum::<f64>(),
                )
            }
        };
    }
    // A constant side (or a NaN) has no correlation with anything: its pairs are left out.
    let mut valid = 0;
    let mut shift = 0.0;
    for a in 0..m {
        w[a] = 0.0;
        if varies(ss[a], sq[a]) {
            valid += 1;
            w[a] = 1.0 / ss[a].sqrt();
            shift += w[a] * mean[a];
        }
    }
    let out = &mut out[..n];
    out.fill(-shift);
    for (a, &wa) in w.iter().enumerate().filter(|(_, w)| **w != 0.0) {
        let x = g.member(a);
        match span {
            Span::Run { from, n } => {
                for (o, v) in out.iter_mut().zip(&x[from..from + n]) {
                    *o += wa * v;
                }
            }
            Span::List(l) => {
                for (o, &k) in out.iter_mut().zip(l) {
                    *o += wa * x[k as usize];
                }
            }
        }
    }
    valid
}

/// Σ r_ab over the pairs of one group, from `Σ_{a<b} ã·b̃ = (‖Σ ã‖² − Σ ‖ã‖²)/2` with
/// `‖ã‖² = 1` (the norms are computed in two passes here, so the identity holds to rounding).
fn within_group(g: &Group, sc: &mut Scratch) -> (f64, usize) {
    let n = g.pos.len();
    if g.m() < 2 || n < MIN_COMMON_DATES {
        return (0.0, 0);
    }
    let v = normalised_sum(g, Span::Run { from: 0, n }, None, &mut sc.a, &mut sc.members);
    if v < 2 {
        return (0.0, 0);
    }
    let a = &sc.a[..n];
    ((dot(a, a) - v as f64) / 2.0, v * (v - 1) / 2)
}

/// Σ r_ab over the pairs with one event in `ga` and one in `gb` (which starts no earlier),
/// on their common dates; nothing when they share fewer than [`MIN_COMMON_DATES`].
fn across_groups(ga: &Group, gb: &Group, sc: &mut Scratch) -> (f64, usize) {
    let Scratch { a, b, ia, ib, members, prefix_a, prefix_b } = sc;
    let (va, vb, n) = if ga.gapless && gb.gapless {
        let lo = gb.start();
        let hi = ga.end().min(gb.end());
        if hi < lo || ((hi - lo + 1) as usize) < MIN_COMMON_DATES {
            return (0.0, 0);
        }
        let n = (hi - lo + 1) as usize;
        let (fa, fb) = ((lo - ga.start()) as usize, (lo - gb.start()) as usize);
        // ga's prefix sums serve all its partners; gb's are made for this pair.
        let id = ga as *const Group as usize;
        if prefix_a.0 != Some(id) {
            prefix_a.1.fill(ga, ga.pos.len());
            prefix_a.0 = Some(id);
        }
        let va = normalised_sum(ga, Span::Run { from: fa, n }, Some(&prefix_a.1), a, members);
        if va == 0 {
            return (0.0, 0);
        }
        // gb starts on the first common date: only its first n dates are read.
        prefix_b.fill(gb, fb + n);
        let vb = normalised_sum(gb, Span::Run { from: fb, n }, Some(prefix_b), b, members);
        (va, vb, n)
    } else {
        ia.clear();
        ib.clear();
        let (pa, pb) = (&ga.pos, &gb.pos);
        let (mut p, mut q) = (0, 0);
        while p < pa.len() && q < pb.len() {
            match pa[p].cmp(&pb[q]) {
                std::cmp::Ordering::Less => p += 1,
                std::cmp::Ordering::Greater => q += 1,
                std::cmp::Ordering::Equal => {
                    ia.push(p as u32);
                    ib.push(q as u32);
                    p += 1;
                    q += 1;
                }
            }
        }
        let n = ia.len();
        if n < MIN_COMMON_DATES {
            return (0.0, 0);
        }
        let va = normalised_sum(ga, Span::List(ia), None, a, members);
        if va == 0 {
            return (0.0, 0);
        }
        let vb = normalised_sum(gb, Span::List(ib), None, b, members);
        (va, vb, n)
    };
    if vb == 0 {
        return (0.0, 0);
    }
    (dot(&a[..n], &b[..n]), va * vb)
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
        let (r, pairs) = average_correlation(&[(&d1, &r1), (&d2, &r2), (&d3, &r3)], &[(0, 0); 3]);
        assert_eq!(pairs, 1);
        let expect = pearson(&[0.01, -0.02, 0.015, 0.003], &[0.012, -0.01, 0.02, -0.004]);
        // 1e-13: the fast path's prefix sums carry the 0.5 outside the common dates.
        assert!((r - expect / 3.0).abs() < 1e-13, "three pairs, one contributes");
    }

    /// The straightforward definition: every pair whose spans share a day, dates merged,
    /// two-pass Pearson.
    fn naive(events: &[(&[NaiveDate], &[f64])], spans: &[Span2]) -> (f64, usize) {
        let n = events.len();
        let (mut sum, mut pairs) = (0.0, 0);
        for i in 0..n {
            for j in i + 1..n {
                if !(spans[i].0 <= spans[j].1 && spans[j].0 <= spans[i].1) {
                    continue;
                }
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

    /// Uniform numbers in [−½, ½) from a fixed-seed linear congruential generator.
    fn uniform(seed: u64) -> impl FnMut() -> f64 {
        let mut state = seed;
        move || {
            state = state.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
            ((state >> 11) as f64 / (1u64 << 53) as f64) - 0.5
        }
    }

    /// Checks the fast r̄ against the definition on these events, under every pairing rule
    /// (event windows of 5 days after each estimation window, day 0 their first day); returns
    /// the number of pairs of the `estimation` rule.
    fn check_against_definition(dates: &[Vec<NaiveDate>], res: &[Vec<f64>]) -> usize {
        let ev: Vec<(&[NaiveDate], &[f64])> =
            dates.iter().zip(res).map(|(d, r)| (d.as_slice(), r.as_slice())).collect();
        let mut estimation_pairs = 0;
        for rule in [PairRule::Estimation, PairRule::EventOverlap, PairRule::SameDay] {
            let spans: Vec<Span2> = dates
                .iter()
                .map(|d| {
                    let first = *d.last().unwrap() + chrono::Duration::days(1);
                    rule.span(first, first + chrono::Duration::days(4), first)
                })
                .collect();
            let (fast, fp) = average_correlation(&ev, &spans);
            let (slow, sp) = naive(&ev, &spans);
            assert_eq!(fp, sp, "{rule:?}");
            assert!((fast - slow).abs() < 1e-13, "{rule:?}: {fast} vs {slow}");
            if rule == PairRule::Estimation {
                estimation_pairs = sp;
            }
        }
        estimation_pairs
    }

    /// One event has no pair: r̄ is undefined (regression: it was reported as 0 of 0 pairs).
    #[test]
    fn one_event_has_no_average_correlation() {
        let d1: Vec<_> = (1..=5).map(d).collect();
        let (r, pairs) = average_correlation(&[(&d1, &[0.1, 0.2, -0.1, 0.0, 0.3])], &[(0, 0)]);
        assert!(r.is_nan());
        assert_eq!(pairs, 0);
    }

    /// Under `event-overlap` two events of one ticker months apart are not paired, however
    /// alike their estimation residuals; under `same-day` two events of one day are.
    #[test]
    fn pairing_rules_keep_only_clustered_pairs() {
        let day = |k: i64| NaiveDate::from_ymd_opt(2024, 1, 1).unwrap() + chrono::Duration::days(k);
        let a: Vec<NaiveDate> = (0..100).map(day).collect();
        let b: Vec<NaiveDate> = (60..160).map(day).collect();
        let ra: Vec<f64> = (0..100).map(|k| ((k * 7919) % 101) as f64 / 100.0).collect();
        let rb: Vec<f64> = (60..160).map(|k| ((k * 7919) % 101) as f64 / 100.0).collect();
        let ev = [(a.as_slice(), ra.as_slice()), (b.as_slice(), rb.as_slice())];
        let (est, _) = average_correlation(&ev, &[(0, 0), (0, 0)]);
        assert!((est - 1.0).abs() < 1e-12, "the same residuals on the 40 common dates: {est}");
        let span = |k: i64| PairRule::EventOverlap.span(day(k), day(k + 4), day(k));
        let (apart, pairs) = average_correlation(&ev, &[span(100), span(160)]);
        assert_eq!((apart, pairs), (0.0, 0));
        let same = |k: i64| PairRule::SameDay.span(day(k), day(k + 4), day(k));
        let (r, pairs) = average_correlation(&ev, &[same(170), same(170)]);
        assert!((r - 1.0).abs() < 1e-12 && pairs == 1);
    }

    /// Clustered events (many sharing one window, as on a market-wide announcement date, and
    /// windows with the same gaps) are summed by group; the sums equal the definition, also
    /// when a member is constant on part of its window only (it then drops out of the pairs
    /// on that part and stays in the others).
    #[test]
    fn grouped_sums_equal_the_definition_on_clustered_events() {
        let day = |k: i64| NaiveDate::from_ymd_opt(2024, 1, 1).unwrap() + chrono::Duration::days(k);
        let mut next = uniform(987654321);
        let shapes: [(i64, i64, bool); 5] =
            [(0, 60, false), (0, 60, true), (15, 60, false), (40, 30, true), (58, 40, false)];
        let mut dates: Vec<Vec<NaiveDate>> = Vec::new();
        let mut res: Vec<Vec<f64>> = Vec::new();
        for e in 0..90usize {
            let (start, len, gapped) = shapes[e % shapes.len()];
            let d: Vec<NaiveDate> = (start..start + len).filter(|k| !gapped || k % 6 != 2).map(day).collect();
            let common = next();
            let mut r: Vec<f64> =
                d.iter().enumerate().map(|(k, _)| 0.01 * next() + 0.004 * common * (k % 3) as f64).collect();
            match e {
                3 => r.iter_mut().for_each(|x| *x = 0.0),
                7 => r[..45].iter_mut().for_each(|x| *x = 0.001),
                _ => {}
            }
            dates.push(d);
            res.push(r);
        }
        let pairs = check_against_definition(&dates, &res);
        assert!(pairs > 3000, "most of the 4005 pairs overlap: {pairs}");
    }

    /// The fast path (groups, prefix sums, sorted sweep, gaps merged) equals the definition on
    /// overlapping, nested, disjoint, gapped and all-zero (a perfect fit) windows.
    #[test]
    fn fast_pairs_equal_the_definition() {
        let day = |k: i64| NaiveDate::from_ymd_opt(2024, 1, 1).unwrap() + chrono::Duration::days(k);
        let mut next = uniform(12345);
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
        check_against_definition(&dates, &res);
    }
}
