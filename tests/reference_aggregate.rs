//! Across-event tests against tests/reference/expected_aggregate.json, written by
//! tests/reference/aggregate_reference.py (numpy/scipy/statsmodels/pandas, independent code)
//! from the two reference panels in ../shared/data/reference.

mod common;

use common::{close, shared_data};
use eventstudy::config::{GroupBy, ReturnKind};
use eventstudy::summary::{Status, TestId};
use eventstudy::{run_study, StudyConfig};
use serde_json::Value;

/// Relative tolerance for statistics and means.
const STAT_RTOL: f64 = 1e-8;
/// Absolute tolerance for parametric p-values.
const P_TOL: f64 = 1e-9;
/// Bootstrap p-values come from different random streams (999 vs 9,999 resamples).
const BOOT_P_TOL: f64 = 0.05;

fn expected() -> Value {
    let text = std::fs::read_to_string(common::repo().join("tests/reference/expected_aggregate.json")).unwrap();
    serde_json::from_str(&text).unwrap()
}

fn compare(panel: &str, got: &eventstudy::summary::GroupResult, want: &Value) {
    assert_eq!(got.n as u64, want["n"].as_u64().unwrap(), "{panel} n");
    close(&format!("{panel} rbar"), got.rbar, want["rbar"].as_f64().unwrap(), 1e-10);
    close(&format!("{panel} p_hat"), got.p_hat, want["p_hat"].as_f64().unwrap(), 1e-12);
    let check = |label: String,
                 mean: f64,
                 want_mean: f64,
                 tests: &std::collections::BTreeMap<TestId, eventstudy::summary::TestOutcome>,
                 w: &Value| {
        close(&format!("{label} mean"), mean, want_mean, STAT_RTOL * want_mean.abs().max(1e-6));
        for (name, exp) in w.as_object().unwrap() {
            let id = TestId::parse(name).unwrap_or_else(|| panic!("{label}: unknown test {name}"));
            let t = tests.get(&id).unwrap_or_else(|| panic!("{label}: test {name} missing"));
            let (es, ep) = (exp["stat"].as_f64().unwrap(), exp["p"].as_f64().unwrap());
            close(&format!("{label} {name} stat"), t.stat, es, STAT_RTOL * es.abs().max(1e-3));
            let tol = if name == "bootstrap" { BOOT_P_TOL } else { P_TOL };
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

#[test]
fn estudy2_panel_across_event_tests_match_the_reference_script() {
    let Some(shared) = shared_data("estudy2_panel_across_event_tests_match_the_reference_script") else { return };
    let (cfg, _tmp) = common::estudy2_config(&shared, vec![(0, 0), (0, 1), (0, 4), (1, 3)]);
    let s = run_study(&cfg).unwrap();
    assert_eq!(s.aggregate.len(), 1);
    compare("estudy2", &s.aggregate[0], &expected()["estudy2"]);
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
    cfg.validate().unwrap();
    let s = run_study(&cfg).unwrap();
    assert!(s.events.iter().all(|e| e.status == Status::Ok), "{:?}", s.exclusions);
    assert!(s.events.iter().all(|e| e.model.as_ref().unwrap().n_obs == 120));
    assert!(s.warnings.iter().any(|w| w.contains("Office_Depot.csv") && w.contains("CRSP")), "{:?}", s.warnings);
    compare("est_sp500", &s.aggregate[0], &expected()["est_sp500"]);
}
