//! Across-event results: events are grouped (all, by ticker, by kind, by event), and for each
//! group the average abnormal return of every event day and the average CAR of every CAR
//! window are tested with every test of [`crate::stats`]. This module only arranges the
//! per-event numbers into the slices the tests take.

use std::collections::{BTreeMap, HashMap};

use crate::codes::TestId;
use crate::config::{BmpScale, GroupBy, PatellCar, StudyConfig};
use crate::observation::EventStats;
use crate::stats::adjust::{adjust, Adjust};
use crate::stats::grank;
use crate::stats::rank::{self, RankEvent, RankPanel};
use crate::stats::tdist::critical_value;
use crate::stats::volatility::{self, WindowF};
use crate::stats::{bmp, bootstrap, bw_cda, csect, patell, rbar, sign, skew_t, wilcoxon, TestOutcome};
use crate::summary::{DayAggregate, GroupKey, GroupResult, TestMap, WindowAggregate};

/// The groupings in force: `--group-by`, or all events plus one group per ticker when the
/// study has several tickers.
pub fn group_kinds(cfg: &StudyConfig, n_tickers: usize) -> Vec<GroupBy> {
    if cfg.tests.group_by.is_empty() {
        if n_tickers > 1 {
            vec![GroupBy::All, GroupBy::Ticker]
        } else {
            vec![GroupBy::All]
        }
    } else {
        let mut v = Vec::new();
        for g in &cfg.tests.group_by {
            if !v.contains(g) {
                v.push(*g);
            }
        }
        v
    }
}

/// Group name and member indices, in a stable order.
fn groups<'a>(cfg: &StudyConfig, stats: &'a [EventStats], tickers: &[String]) -> Vec<(GroupKey, Vec<usize>)> {
    let mut out = Vec::new();
    for g in group_kinds(cfg, tickers.len()) {
        match g {
            GroupBy::All => out.push((GroupKey { by: g, value: None }, (0..stats.len()).collect())),
            GroupBy::Ticker => {
                let mut by: HashMap<&str, Vec<usize>> = HashMap::new();
                for (i, s) in stats.iter().enumerate() {
                    by.entry(s.ticker.as_str()).or_default().push(i);
                }
                for t in tickers {
                    if let Some(idx) = by.remove(t.as_str()) {
                        out.push((GroupKey { by: g, value: Some(t.clone()) }, idx));
                    }
                }
            }
            GroupBy::Kind | GroupBy::Event => {
                // Groups in order of first appearance, members in study order.
                let key = |s: &'a EventStats| if g == GroupBy::Kind { s.kind.as_str() } else { s.id.as_str() };
                let mut order: Vec<(&str, Vec<usize>)> = Vec::new();
                let mut at: HashMap<&str, usize> = HashMap::new();
                for (i, s) in stats.iter().enumerate() {
                    let k = key(s);
                    match at.get(k) {
                        Some(&j) => order[j].1.push(i),
                        None => {
                            at.insert(k, order.len());
                            order.push((k, vec![i]));
                        }
                    }
                }
                for (k, idx) in order {
                    let shown = if k.is_empty() { "(none)".to_string() } else { k.to_string() };
                    out.push((GroupKey { by: g, value: Some(shown) }, idx));
                }
            }
        }
    }
    out
}

/// A deterministic seed per group and item, so results do not depend on evaluation order.
fn seed_for(base: u64, group: usize, item: usize) -> u64 {
    base ^ (group as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15) ^ (item as u64).wrapping_mul(0xC2B2_AE3D_27D4_EB4F)
}

/// Standard error and degrees of freedom of the CAAR from the first event-window day to day
/// index `j`: with N ≥ 2 events the cross-sectional sd(CAR_i)/√N with N − 1 df (the csect t's
/// standard error on the cumulated AR), with one event that event's forecast-error standard
/// error of its CAR with M − k − 1 df.
fn caar_band_se(ev: &[&EventStats], j: usize) -> (f64, f64) {
    if ev.len() == 1 {
        return (ev[0].car_se_path[j], ev[0].df as f64);
    }
    let cars: Vec<f64> = ev.iter().map(|e| e.ar[..=j].iter().sum()).collect();
    let (_, sd) = crate::stats::mean_sd(&cars);
    (sd / (ev.len() as f64).sqrt(), (ev.len() - 1) as f64)
}

/// An event's CAR of window `wi` over its exact forecast-error sd (the SCAR of Patell, BMP and
/// GRANK).
fn scar(e: &EventStats, wi: usize) -> f64 {
    e.car[wi] / e.car_var[wi].sqrt()
}

/// Every group's results.
pub fn aggregate(cfg: &StudyConfig, stats: &[EventStats], tickers: &[String]) -> Vec<GroupResult> {
    aggregate_with(cfg, stats, tickers, &|_| indicatif::ProgressBar::hidden())
}

/// [`aggregate`], advancing the progress bar that `progress` makes for the number of groups.
pub fn aggregate_with(
    cfg: &StudyConfig,
    stats: &[EventStats],
    tickers: &[String],
    progress: &dyn Fn(usize) -> indicatif::ProgressBar,
) -> Vec<GroupResult> {
    use rayon::prelude::*;
    let groups = groups(cfg, stats, tickers);
    // Each event's estimation residuals in order, once for the rank tests of all its groups.
    let orders: Vec<Option<Vec<u16>>> = stats.par_iter().map(|e| rank::sorted_order(&e.est_resid)).collect();
    let bar = progress(groups.len());
    // Groups in parallel (each is seeded by its position), collected in their order.
    let out = groups
        .into_par_iter()
        .enumerate()
        // One group a task: the last range of groups would otherwise run on one core alone.
        .with_max_len(1)
        .filter(|(_, (_, idx))| !idx.is_empty())
        .map(|(gi, (key, idx))| {
            let ev: Vec<&EventStats> = idx.iter().map(|&i| &stats[i]).collect();
            let order: Vec<Option<&[u16]>> = idx.iter().map(|&i| orders[i].as_deref()).collect();
            let g = group_result(cfg, gi, key, &ev, &order);
            bar.inc(1);
            g
        })
        .collect();
    bar.finish_and_clear();
    out
}

/// What every test of one group shares: the group's estimation-window statistics.
struct GroupTests<'a> {
    cfg: &'a StudyConfig,
    /// The group's position, for its bootstrap seeds.
    gi: usize,
    n: usize,
    r_bar: f64,
    bw_sd: f64,
    bw_df: usize,
    p_hat: f64,
    dfs: Vec<usize>,
    ranks: RankPanel,
    /// The GRANK test of each day, then each window.
    grank: Vec<TestOutcome>,
}

/// From this many events a group's days, windows and resampling tests run side by side.
const LARGE_GROUP: usize = 2000;

/// The resampling tests of a group: the bootstrap t of each day then each window, and the
/// skew-t of each window's CAR then BHAR.
struct Resampled {
    boot: Vec<TestOutcome>,
    skew: Vec<TestOutcome>,
}

impl Resampled {
    fn insert_into(self, days: &mut [DayAggregate], windows: &mut [WindowAggregate]) {
        let (l, w) = (days.len(), windows.len());
        for (d, b) in days.iter_mut().zip(&self.boot) {
            d.tests.insert(TestId::Bootstrap, b.clone());
        }
        for (wi, win) in windows.iter_mut().enumerate() {
            win.tests.insert(TestId::Bootstrap, self.boot[l + wi].clone());
            win.tests.insert(TestId::SkewT, self.skew[wi].clone());
            win.tests.insert(TestId::SkewTBhar, self.skew[w + wi].clone());
        }
    }
}

/// The seed item of the skewness-adjusted t's resamples (the bootstrap t's is 0).
const SKEW_T_ITEMS: usize = 1;

impl GroupTests<'_> {
    /// Every test of one day or window: `values` are the ARs or CARs of the events, `mean` their
    /// mean over `len` days, `patell_x` and `bmp_x` the standardised values of those tests and
    /// `grank` and `rank` the outcomes of GRANK and Corrado's test, computed for every day and
    /// window of the group at once.
    #[allow(clippy::too_many_arguments)]
    fn run(
        &self,
        values: &[f64],
        mean: f64,
        len: usize,
        patell_x: &[f64],
        bmp_x: &[f64],
        grank: TestOutcome,
        rank: TestOutcome,
    ) -> TestMap {
        let alt = self.cfg.tests.alternative;
        let mut t = TestMap::new();
        t.insert(TestId::CsectT, csect::test(values, alt));
        t.insert(TestId::BwCdaT, bw_cda::test(mean, len, self.bw_sd, self.bw_df, alt));
        t.insert(TestId::PatellZ, patell::test(patell_x, &self.dfs, alt));
        let b = bmp::test(bmp_x, alt);
        t.insert(TestId::KpBmpT, bmp::kp_test(&b, self.n, self.r_bar, alt));
        t.insert(TestId::BmpT, b);
        t.insert(TestId::CorradoZ, rank);
        t.insert(TestId::GrankT, grank);
        t.insert(TestId::GenSignZ, sign::generalized_sign_test(values, self.p_hat, alt));
        t.insert(TestId::SignZ, sign::sign_test(values, alt));
        t.insert(TestId::WilcoxonZ, wilcoxon::test(values, alt));
        t
    }

    /// The resampling tests of every day and window, on shared resamples of the group's events:
    /// the bootstrap t of each day's AR and each window's CAR, and the skewness-adjusted t of
    /// each window's CAR and BHAR.
    fn resampled(&self, ev: &[&EventStats]) -> Option<Resampled> {
        let (alt, t_opts) = (self.cfg.tests.alternative, &self.cfg.tests);
        if t_opts.bootstrap == 0 {
            return None;
        }
        let (w0, w1) = self.cfg.method.window;
        let (l, w) = ((w1 - w0 + 1) as usize, self.cfg.method.car_windows.len());
        let t = crate::timing::summed("bootstrap-t resamples");
        let rows: Vec<f64> = ev.iter().flat_map(|e| e.ar.iter().chain(&e.car).copied()).collect();
        let boot = bootstrap::test_many(&rows, l + w, t_opts.bootstrap, seed_for(t_opts.seed, self.gi, 0), alt);
        drop(t);
        let _t = crate::timing::summed("skew-t resamples");
        let rows: Vec<f64> = ev.iter().flat_map(|e| e.car.iter().chain(&e.bhar).copied()).collect();
        let seed = seed_for(t_opts.seed, self.gi, SKEW_T_ITEMS);
        let skew = skew_t::test_many(&rows, 2 * w, t_opts.bootstrap, seed, alt);
        Some(Resampled { boot, skew })
    }

    /// The AAR, CAAR and its band, and every test, of each event-window day.
    fn days(&self, ev: &[&EventStats]) -> Vec<DayAggregate> {
        let alt = self.cfg.tests.alternative;
        let (w0, w1) = self.cfg.method.window;
        // Each day's tests on their own (side by side), then the CAAR cumulated in day order.
        use rayon::prelude::*;
        let per_day: Vec<_> = (0..(w1 - w0 + 1) as usize)
            .into_par_iter()
            .with_min_len(if self.n >= LARGE_GROUP { 1 } else { usize::MAX })
            .map(|j| {
                let day = w0 + j as i32;
                let ar: Vec<f64> = ev.iter().map(|e| e.ar[j]).collect();
                let sar: Vec<f64> = ev.iter().map(|e| e.sar[j]).collect();
                let plain: Vec<f64>;
                let bmp_x: &[f64] = match self.cfg.tests.bmp_scale {
                    BmpScale::Fec => &sar,
                    BmpScale::Plain => {
                        plain = ev.iter().map(|e| e.sar_plain[j]).collect();
                        &plain
                    }
                };
                let aar = ar.iter().sum::<f64>() / self.n as f64;
                let tests = self.run(&ar, aar, 1, &sar, bmp_x, self.grank[j].clone(), self.ranks.test(day, day, alt));
                (day, aar, tests, caar_band_se(ev, j))
            })
            .collect();
        let mut caar = 0.0;
        per_day
            .into_iter()
            .map(|(day, aar, tests, (caar_se, df))| {
                caar += aar;
                let half = critical_value(0.05, df) * caar_se;
                DayAggregate { day, aar, caar, caar_se, caar_lo95: caar - half, caar_hi95: caar + half, tests }
            })
            .collect()
    }

    /// The CAAR, mean BHAR and every test of each CAR window.
    fn windows(&self, ev: &[&EventStats]) -> Vec<WindowAggregate> {
        let (alt, t_opts) = (self.cfg.tests.alternative, &self.cfg.tests);
        let (w0, w1) = self.cfg.method.window;
        let mut windows = Vec::with_capacity(self.cfg.method.car_windows.len());
        for (wi, &(a, b)) in self.cfg.method.car_windows.iter().enumerate() {
            let (from, to) = ((a - w0) as usize, (b - w0) as usize);
            let lw = to - from + 1;
            let car: Vec<f64> = ev.iter().map(|e| e.car[wi]).collect();
            let scar_exact: Vec<f64> = ev.iter().map(|e| scar(e, wi)).collect();
            let patell_x: Vec<f64> = match t_opts.patell_car {
                PatellCar::Exact => scar_exact.clone(),
                PatellCar::SumSar => {
                    ev.iter().map(|e| e.sar[from..=to].iter().sum::<f64>() / (lw as f64).sqrt()).collect()
                }
            };
            let bmp_x: Vec<f64> = match t_opts.bmp_scale {
                BmpScale::Fec => scar_exact.clone(),
                BmpScale::Plain => ev.iter().map(|e| e.car[wi] / (e.s * (lw as f64).sqrt())).collect(),
            };
            let caar = car.iter().sum::<f64>() / self.n as f64;
            let mean_bhar = ev.iter().map(|e| e.bhar[wi]).sum::<f64>() / self.n as f64;
            let grank = self.grank[(w1 - w0 + 1) as usize + wi].clone();
            let mut tests = self.run(&car, caar, lw, &patell_x, &bmp_x, grank, self.ranks.test(a, b, alt));
            let vol: Vec<WindowF> = ev.iter().map(|e| WindowF { f: e.var_f[wi], l: lw, nu: e.df }).collect();
            tests.insert(TestId::VolLnfT, volatility::lnf_t(&vol, alt));
            tests.insert(TestId::VolSignZ, volatility::sign_z(&vol, alt));
            tests.insert(TestId::VolWilcoxonZ, volatility::wilcoxon_z(&vol, alt));
            tests.insert(TestId::VolChi2, volatility::chi2(&vol, alt));
            let mean_var_ratio = ev.iter().map(|e| e.var_ratio[wi]).sum::<f64>() / self.n as f64;
            windows.push(WindowAggregate { window: (a, b), caar, mean_bhar, mean_var_ratio, tests });
        }
        windows
    }
}

/// One group's results; `order` holds each event's estimation residuals in increasing order
/// ([`rank::sorted_order`]).
fn group_result(
    cfg: &StudyConfig,
    gi: usize,
    key: GroupKey,
    ev: &[&EventStats],
    order: &[Option<&[u16]>],
) -> GroupResult {
    let (w0, w1) = cfg.method.window;
    let event_days: Vec<i32> = (w0..=w1).collect();
    // r̄, then the other estimation-window statistics: each runs on all cores inside, and one
    // after the other a group of 200,000 events holds the working memory of only one of them.
    let by_date: Vec<(&[chrono::NaiveDate], &[f64])> =
        ev.iter().map(|e| (e.est_days.dates(), e.est_resid.as_slice())).collect();
    let rule = cfg.tests.rbar_pairs;
    let spans: Vec<rbar::Span2> =
        ev.iter().map(|e| rule.span(e.window_dates.0, e.window_dates.1, e.day0_date)).collect();
    let (r_bar, pairs) = {
        let _t = crate::timing::summed("r̄ (Kolari–Pynnönen)");
        rbar::average_correlation(&by_date, &spans)
    };
    drop((by_date, spans));
    let ((bw_sd, bw_df), (ranks, grank), p_hat) = {
        let _t = crate::timing::summed("estimation-window statistics (BW-CDA, ranks, p-hat)");
        let est: Vec<(&[i32], &[f64])> = ev.iter().map(|e| (e.est_days.rel(), e.est_resid.as_slice())).collect();
        let rank_in: Vec<RankEvent> = ev
            .iter()
            .zip(order)
            .map(|(e, &o)| (e.est_days.rel(), e.est_resid.as_slice(), event_days.as_slice(), e.ar.as_slice(), o))
            .collect();
        let est_only: Vec<&[f64]> = ev.iter().map(|e| e.est_resid.as_slice()).collect();
        let grank_in: Vec<grank::GrankEvent> =
            ev.iter().zip(order).map(|(e, &o)| (e.est_days.rel(), e.est_resid.as_slice(), e.s, o)).collect();
        // GRANK's SCAR of each day (the day's SAR) and window (CAR over its exact sd).
        let scars: Vec<Vec<f64>> = (0..event_days.len())
            .map(|j| ev.iter().map(|e| e.sar[j]).collect())
            .chain((0..cfg.method.car_windows.len()).map(|wi| ev.iter().map(|e| scar(e, wi)).collect()))
            .collect();
        (
            bw_cda::aar_sd(&est),
            (RankPanel::new(&rank_in), grank::test_all(&grank_in, &scars, cfg.tests.alternative)),
            sign::estimation_share_positive(&est_only),
        )
    };
    let dfs: Vec<usize> = ev.iter().map(|e| e.df).collect();
    let g = GroupTests { cfg, gi, n: ev.len(), r_bar, bw_sd, bw_df, p_hat, dfs, ranks, grank };
    // A large group's parts side by side (the resampling tests are its longest part); small
    // groups are already many, one per thread.
    let tests = || {
        let _t = crate::timing::summed("tests of the days and windows");
        (g.days(ev), g.windows(ev))
    };
    let ((mut days, mut windows), resampled) =
        if ev.len() >= LARGE_GROUP { rayon::join(tests, || g.resampled(ev)) } else { (tests(), g.resampled(ev)) };
    if let Some(r) = resampled {
        r.insert_into(&mut days, &mut windows);
    }
    adjust_family(days.iter_mut().map(|d| &mut d.tests).collect(), cfg.tests.adjust);
    adjust_family(windows.iter_mut().map(|w| &mut w.tests).collect(), cfg.tests.adjust);
    let garch_dummies = cfg.method.garch_dummies.then(|| dummy_tests(ev, cfg.tests.alternative));
    GroupResult { group: key.label(), key, n: g.n, rbar: r_bar, rbar_pairs: pairs, p_hat, days, windows, garch_dummies }
}

/// The cross-sectional t of δ, δ/h₀, γ and γ/√h₀ over the events whose dummy fit is usable.
fn dummy_tests(ev: &[&EventStats], alt: crate::stats::tdist::Alternative) -> crate::summary::DummyTests {
    use crate::codes::DummyTest;
    let usable: Vec<_> = ev.iter().filter_map(|e| e.dummies).filter(|d| d.usable).collect();
    let mut means = BTreeMap::new();
    let mut tests = BTreeMap::new();
    for (id, f) in [
        (DummyTest::DeltaT, (|d| d.delta) as fn(&crate::observation::DummyEstimate) -> f64),
        (DummyTest::DeltaH0T, |d| d.delta / d.h0),
        (DummyTest::GammaT, |d| d.gamma),
        (DummyTest::GammaSqrtH0T, |d| d.gamma / d.h0.sqrt()),
    ] {
        let values: Vec<f64> = usable.iter().map(f).collect();
        means.insert(id, crate::stats::mean_sd(&values).0);
        tests.insert(id, csect::test(&values, alt));
    }
    crate::summary::DummyTests { n: usable.len(), left_out: ev.len() - usable.len(), means, tests }
}

/// Sets `p_adj` of every test over one family: the days, or the windows, of one group.
fn adjust_family(mut members: Vec<&mut TestMap>, method: Adjust) {
    if method == Adjust::None {
        return;
    }
    for id in TestId::ALL {
        let p: Vec<f64> = members.iter().map(|m| m.get(id).map_or(f64::NAN, |t| t.p)).collect();
        let Some(adj) = adjust(&p, method) else { return };
        for (m, a) in members.iter_mut().zip(adj) {
            if let Some(t) = m.get_mut(id) {
                t.p_adj = Some(a);
            }
        }
    }
}

/// Sets `p_adj` of each event's CAR p-value, per CAR window over the computed events that
/// enter the across-event tests (merged events keep none).
pub fn adjust_event_cars(events: &mut [crate::summary::EventResult], method: Adjust) {
    if method == Adjust::None {
        return;
    }
    let counted = |e: &crate::summary::EventResult| e.merged_into.is_none() && !e.car.is_empty();
    let windows = events.iter().filter(|e| counted(e)).map(|e| e.car.len()).max().unwrap_or(0);
    for w in 0..windows {
        let p: Vec<f64> =
            events.iter().filter(|e| counted(e)).map(|e| e.car.get(w).map_or(f64::NAN, |c| c.p)).collect();
        let Some(adj) = adjust(&p, method) else { return };
        for (e, a) in events.iter_mut().filter(|e| counted(e)).zip(adj) {
            if let Some(c) = e.car.get_mut(w) {
                c.p_adj = Some(a);
            }
        }
    }
}
