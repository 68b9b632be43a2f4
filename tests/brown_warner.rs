//! A simulation in the style of Brown and Warner (1985): samples of 50 events drawn at random
//! stocks and dates of a simulated panel (`eventstudy::simulate`: GARCH market, fat-tailed
//! idiosyncratic returns, random jumps). With no abnormal return every test should reject a
//! true null at about its nominal 5%; with +1% on day 0 the parametric tests should reject
//! most of the time.
//!
//! CI (the environment variable `CI` set) runs 2,000 samples as the issue asks; a local
//! `cargo test` runs 1,000, with the acceptance band widened to the same ±3 standard errors.

use chrono::NaiveDate;
use eventstudy::config::{GroupBy, ReturnKind};
use eventstudy::engine::{Engine, EventContext};
use eventstudy::load::Event;
use eventstudy::model::Design;
use eventstudy::session::{place_day0, session_for, NonTrading};
use eventstudy::simulate::{simulate_panel, SimOptions};
use eventstudy::summary::Status;
use eventstudy::StudyConfig;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

const EVENTS: usize = 50;
const STOCKS: usize = 200;

/// 2,000 samples in CI, 1,000 locally.
fn samples() -> usize {
    if std::env::var_os("CI").is_some() {
        2000
    } else {
        1000
    }
}

/// ±3 standard errors of a 5% rejection rate: 3.5–6.5% over 2,000 samples.
fn size_band() -> (f64, f64) {
    let se = (0.05 * 0.95 / samples() as f64).sqrt();
    (0.05 - 3.0 * se, 0.05 + 3.0 * se)
}

/// With N = 50 the sign test's statistic is discrete, so an exact 5% test is impossible: the
/// attainable sizes are 3.3% (|z| > 2.26) and 6.5% (|z| ≥ 1.98); with the normal approximation
/// it rejects at w ≤ 18 or w ≥ 32, i.e. 6.49% under an exact median of zero. Its band is
/// centred on 6.5% instead.
fn sign_band() -> (f64, f64) {
    let se = (0.065 * 0.935 / samples() as f64).sqrt();
    (0.065 - 3.0 * se, 0.065 + 3.0 * se)
}

fn panel() -> (Vec<Design>, StudyConfig) {
    let opts = SimOptions {
        seed: 1985,
        start: NaiveDate::from_ymd_opt(2015, 1, 2).unwrap(),
        end: NaiveDate::from_ymd_opt(2019, 12, 31).unwrap(),
    };
    let (market, stocks) = simulate_panel(&opts, STOCKS);
    let m = market.to_price_series();
    let mut cfg = StudyConfig::with_defaults("unused");
    cfg.method.window = (-1, 1);
    cfg.method.car_windows = vec![(0, 0), (-1, 1)];
    cfg.tests.group_by = vec![GroupBy::All];
    cfg.method.returns = ReturnKind::Simple;
    cfg.validate().unwrap();
    let engine = Engine::new(&cfg);
    let designs = stocks.iter().map(|s| engine.design(&s.to_price_series(), Some(&m), None)).collect();
    (designs, cfg)
}

/// Rejection rates at 5% (two-sided) of every test on day 0, over [`samples`] samples.
fn rejection_rates(designs: &mut [Design], cfg: &StudyConfig, abnormal: f64, seed: u64) -> Vec<(String, f64)> {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let mut counts: std::collections::BTreeMap<String, usize> = Default::default();
    let session = session_for("S", None, "");
    let engine = Engine::new(cfg);
    for sample in 0..samples() {
        let mut stats = Vec::with_capacity(EVENTS);
        for k in 0..EVENTS {
            let s = rng.gen_range(0..designs.len());
            let n = designs[s].dates.len();
            let d0 = rng.gen_range(260..n - 5);
            let e = Event::on_date(format!("{sample}-{k}"), designs[s].dates[d0]);
            let d = &mut designs[s];
            d.y[d0] += abnormal;
            d.value[d0] += abnormal;
            let place = place_day0(&d.dates, &e, &session, NonTrading::Next);
            let ctx = EventContext { ticker: "S", benchmark: "M", simulated: false, day0s: &[] };
            let (r, st) = engine.compute_event(d, &e, &place, &ctx);
            d.y[d0] -= abnormal;
            d.value[d0] -= abnormal;
            assert_eq!(r.status, Status::Ok, "{:?}", r.notes);
            stats.push(st.unwrap());
        }
        let mut c = cfg.clone();
        c.tests.seed = seed + sample as u64;
        let g = &eventstudy::aggregate::aggregate(&c, &stats, &["S".into()])[0];
        let day0 = g.days.iter().find(|d| d.day == 0).unwrap();
        for (name, t) in &day0.tests {
            *counts.entry(name.code().to_string()).or_default() += (t.p < 0.05) as usize;
        }
    }
    counts.into_iter().map(|(k, v)| (k, v as f64 / samples() as f64)).collect()
}

#[test]
fn every_test_has_its_nominal_size_and_power_against_one_percent() {
    let (mut designs, cfg) = panel();
    let size = rejection_rates(&mut designs, &cfg, 0.0, 11);
    let power = rejection_rates(&mut designs, &cfg, 0.01, 12);
    eprintln!("test         size(0%)  power(+1%)");
    for ((name, s), (_, p)) in size.iter().zip(&power) {
        eprintln!("{name:<12} {:>7.2}%  {:>8.1}%", 100.0 * s, 100.0 * p);
    }
    assert_eq!(size.len(), 10, "all ten tests ran");
    for (name, s) in &size {
        let band = if name == "sign_z" { sign_band() } else { size_band() };
        assert!(*s >= band.0 && *s <= band.1, "{name}: rejects a true null in {:.2}% of samples", 100.0 * s);
    }
    for (name, p) in &power {
        if ["csect_t", "patell_z", "bmp_t", "kp_bmp_t", "bw_cda_t"].contains(&name.as_str()) {
            assert!(*p > 0.5, "{name}: power against +1% on day 0 is only {:.1}%", 100.0 * p);
        }
    }
}
