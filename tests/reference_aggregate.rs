//! Across-event tests against tests/reference/expected_aggregate.json, written by
//! tests/reference/aggregate_reference.py (numpy/scipy/statsmodels/pandas, independent code)
//! from the two reference panels in ../shared/data/reference and the real BABA, AAPL and BIDU
//! study of ../shared/data/real: every test (with the exact small-sample p-values, GRANK and
//! the skewness-adjusted t), r̄ and KP under each `--rbar-pairs` rule, and the Holm and BH
//! adjusted p-values of every family.

mod common;

use common::{close, shared_data};
use eventstudy::config::{GroupBy, ReturnKind};
use eventstudy::stats::adjust::Adjust;
use eventstudy::stats::rbar::PairRule;
use eventstudy::summary::{Status, Summary, TestId};
use eventstudy::{run_study, StudyConfig};
use serde_json::Value;

/// Relative tolerance for statistics and means.
const STAT_RTOL: f64 = 1e-9;
/// Absolute tolerance for parametric p-values.
const P_TOL: f64 = 1e-9;
/// Bootstrap p-values come from different random streams ([`RESAMPLES`] each): 0.05 is more
/// than five Monte Carlo standard errors of a two-sided p-value.
const BOOT_P_TOL: f64 = 0.05;

/// Resamples of the bootstrap tests in these studies, and in the reference script.
const RESAMPLES: usize = 9999;

/// Tests whose p-value comes from resampling (compared with [`BOOT_P_TOL`]; their adjusted
/// p-values are not compared).
fn resampled(name: &str) -> bool {
    matches!(name, "bootstrap" | "skew_t" | "skew_t_bhar")
}

fn expected() -> Value {
    let text = std::fs::read_to_string(common::repo().join("tests/reference/expected_aggregate.json")).unwrap();
    serde_json::from_str(&text).unwrap()
}

fn compare(panel: &str, got: &eventstudy::summary::GroupResult, want: &Value) {
    assert_eq!(got.n as u64, want["n"].as_u64().unwrap(), "{panel} n");
    close(&format!("{panel} rbar"), got.rbar, want["rbar"].as_f64().unwrap(), 1e-10);
    close(&format!("{panel} p_hat"), got.p_hat, want["p_hat"].as_f64().unwrap(), 1e-12);
    let check = |label: String, mean: f64, want_mean: f64, tests: &eventstudy::summary::TestMap, w: &Value| {
        close(&format!("{label} mean"), mean, want_mean, STAT_RTOL * want_mean.abs().max(1e-6));
        for (name, exp) in w.as_object().unwrap() {
            let id = TestId::parse(name).unwrap_or_else(|| panic!("{label}: unknown test {name}"));
            let t = tests.get(&id).unwrap_or_else(|| panic!("{label}: test {name} missing"));
            let (es, ep) = (exp["stat"].as_f64().unwrap(), exp["p"].as_f64().unwrap());
            close(&format!("{label} {name} stat"), t.stat, es, STAT_RTOL * es.abs().max(1e-3));
            let tol = if resampled(name) { BOOT_P_TOL } else { P_TOL };
            close(&format!("{label} {name} p"), t.p, ep, tol);
        }
    };
    assert_eq!(got.days.len(), want["days"].as_array().unwrap().len());
    assert_eq!(got.windows.len(), want["windows"].as_array().unwrap().len());
    for (d, w) in got.days.iter().zip(want["days"].as_array().unwrap()) {
        assert_eq!(d.day as i64, w["day"].as_i64().unwrap());
        check(format!("{panel} day {}", d.day), d.aar, w["aar"].as_f64().unwrap(), &d.tests, &w["tests"]);
        close(&format!("{panel} day {} caar", d.day), d.caar, w["caar"].as_f64().unwrap(), 1e-12);
    }
    for (g, w) in got.windows.iter().zip(want["windows"].as_array().unwrap()) {
        let win = w["window"].as_array().unwrap();
        assert_eq!((g.window.0 as i64, g.window.1 as i64), (win[0].as_i64().unwrap(), win[1].as_i64().unwrap()));
        check(format!("{panel} window {:?}", g.window), g.caar, w["caar"].as_f64().unwrap(), &g.tests, &w["tests"]);
    }
}

/// The `--rbar-pairs` rules and the `--adjust` methods on the same study: r̄ and the KP t of
/// every window under each rule, and the adjusted p-values of the days, the windows and the
/// events' CAR p-values.
fn compare_variants(panel: &str, cfg: &StudyConfig, want: &Value) {
    let group = |s: &Summary| s.aggregate.iter().find(|g| g.group == "all").unwrap().clone();
    for (rule, key) in [
        (PairRule::Estimation, "estimation"),
        (PairRule::EventOverlap, "event-overlap"),
        (PairRule::SameDay, "same-day"),
    ] {
        let mut c = cfg.clone();
        c.tests.rbar_pairs = rule;
        c.tests.bootstrap = 0;
        let g = group(&run_study(&c).unwrap());
        close(&format!("{panel} rbar {key}"), g.rbar, want["rbar_rules"][key].as_f64().unwrap(), 1e-10);
        for (w, exp) in g.windows.iter().zip(want["windows"].as_array().unwrap()) {
            let e = exp["kp_rules"][key].as_f64().unwrap();
            close(&format!("{panel} {:?} kp {key}", w.window), w.tests[&TestId::KpBmpT].stat, e, STAT_RTOL * e.abs());
        }
    }
    for (method, key) in [(Adjust::Holm, "p_holm"), (Adjust::Bh, "p_bh")] {
        let mut c = cfg.clone();
        c.tests.adjust = method;
        let s = run_study(&c).unwrap();
        let g = group(&s);
        let rows = g
            .days
            .iter()
            .map(|d| (format!("day {}", d.day), &d.tests))
            .chain(g.windows.iter().map(|w| (format!("window {:?}", w.window), &w.tests)));
        let exp = want["days"].as_array().unwrap().iter().chain(want["windows"].as_array().unwrap());
        let mut compared = 0;
        for ((label, tests), exp) in rows.zip(exp) {
            for (name, e) in exp["tests"].as_object().unwrap().iter().filter(|(n, _)| !resampled(n)) {
                let got = tests[&TestId::parse(name).unwrap()].p_adj.unwrap();
                close(&format!("{panel} {label} {name} {key}"), got, e[key].as_f64().unwrap(), P_TOL);
                compared += 1;
            }
        }
        assert!(compared > 50, "{panel}: {compared} adjusted p-values compared");
        let keys: Vec<&str> = want["events"].as_array().unwrap().iter().map(|k| k.as_str().unwrap()).collect();
        let event_key = if key == "p_holm" { "event_p_holm" } else { "event_p_bh" };
        for (wi, exp) in want["windows"].as_array().unwrap().iter().enumerate() {
            for (i, k) in keys.iter().enumerate() {
                let ev = s.events.iter().find(|ev| format!("{} {}", ev.ticker, ev.event_date) == *k).unwrap();
                let c = &ev.car[wi];
                close(&format!("{panel} {k} {:?} p", c.window), c.p, exp["event_p"][i].as_f64().unwrap(), P_TOL);
                let e = exp[event_key][i].as_f64().unwrap();
                close(&format!("{panel} {k} {:?} {key}", c.window), c.p_adj.unwrap(), e, P_TOL);
            }
        }
    }
}

#[test]
fn estudy2_panel_across_event_tests_match_the_reference_script() {
    let Some(shared) = shared_data("estudy2_panel_across_event_tests_match_the_reference_script") else { return };
    let (mut cfg, _tmp) = common::estudy2_config(&shared, vec![(0, 0), (0, 1), (0, 4), (1, 3)]);
    cfg.tests.bootstrap = RESAMPLES;
    let s = run_study(&cfg).unwrap();
    assert_eq!(s.aggregate.len(), 1);
    compare("estudy2", &s.aggregate[0], &expected()["estudy2"]);
    compare_variants("estudy2", &cfg, &expected()["estudy2"]);
}

#[test]
fn eventstudytools_sp500_example_matches_the_reference_script() {
    let Some(shared) = shared_data("eventstudytools_sp500_example_matches_the_reference_script") else { return };
    let folder = shared.join("reference/est_sp500");
    let mut cfg = StudyConfig::with_defaults(&folder);
    cfg.input.market = vec!["SP500".into()];
    cfg.input.crsp_negative = true; // Office_Depot has CRSP bid/ask averages (negative prices)
    cfg.method.returns = ReturnKind::Log;
    cfg.method.estimation = (-130, -11);
    cfg.method.window = (-2, 2);
    cfg.method.car_windows = vec![(-2, 2), (-1, 1), (0, 0), (0, 1)];
    cfg.tests.group_by = vec![GroupBy::All];
    cfg.tests.bootstrap = RESAMPLES;
    cfg.validate().unwrap();
    let s = run_study(&cfg).unwrap();
    assert!(s.events.iter().all(|e| e.status == Status::Ok), "{:?}", s.exclusions);
    assert!(s.events.iter().all(|e| e.model.as_ref().unwrap().n_obs == 120));
    assert!(s.warnings.iter().any(|w| w.contains("Office_Depot.csv") && w.contains("CRSP")), "{:?}", s.warnings);
    compare("est_sp500", &s.aggregate[0], &expected()["est_sp500"]);
    compare_variants("est_sp500", &cfg, &expected()["est_sp500"]);
}

/// The default study of real BABA, AAPL and BIDU against SPY on four news days.
#[test]
fn real_baba_aapl_bidu_study_matches_the_reference_script() {
    let Some(shared) = shared_data("real_baba_aapl_bidu_study_matches_the_reference_script") else { return };
    let tmp = tempfile::tempdir().unwrap();
    let mut cfg = common::real_reference_config(tmp.path(), &shared);
    cfg.tests.bootstrap = RESAMPLES;
    cfg.validate().unwrap();
    let s = run_study(&cfg).unwrap();
    assert_eq!(s.events.len(), 12);
    assert!(s.events.iter().all(|e| e.status == Status::Ok), "{:?}", s.exclusions);
    let all = s.aggregate.iter().find(|g| g.group == "all").unwrap();
    compare("real", all, &expected()["real"]);
    compare_variants("real", &cfg, &expected()["real"]);
}
