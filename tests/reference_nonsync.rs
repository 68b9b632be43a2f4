//! Scholes–Williams and Dimson betas against tests/reference/expected_nonsync.json, written by
//! tests/reference/nonsync_reference.py (numpy/statsmodels): on the bundled BABA/SPY sample
//! (always) and on the real Hong Kong line 9988.HK against the US SPY (with ../shared).

mod common;

use std::path::Path;

use common::{close, repo, shared_data};
use eventstudy::config::BetaKind;
use eventstudy::summary::Status;
use eventstudy::{run_study, StudyConfig};
use serde_json::Value;

/// Relative tolerance for beta, alpha, s, CAR and its standard error.
const RTOL: f64 = 1e-9;

fn expected() -> Value {
    serde_json::from_str(&std::fs::read_to_string(repo().join("tests/reference/expected_nonsync.json")).unwrap())
        .unwrap()
}

/// Runs `ticker` against SPY from `data` with each beta and compares with `want`.
fn check(data: &Path, ticker: &str, window: (i32, i32), want: &Value) {
    let tmp = tempfile::tempdir().unwrap();
    let events = tmp.path().join("events.csv");
    std::fs::write(&events, format!("id,date,ticker\nconfirm,2025-02-13,{ticker}\n")).unwrap();
    for (beta, lags, key) in [
        (BetaKind::ScholesWilliams, 1, "scholes-williams"),
        (BetaKind::Dimson, 1, "dimson1"),
        (BetaKind::Dimson, 2, "dimson2"),
    ] {
        let mut cfg = StudyConfig::with_defaults(data);
        cfg.input.events = Some(events.clone());
        cfg.input.ticker = vec![ticker.into()];
        cfg.method.beta = beta;
        cfg.method.dimson_lags = (beta == BetaKind::Dimson).then_some(lags);
        cfg.method.window = window;
        cfg.method.car_windows = vec![(-1, 1)];
        cfg.tests.bootstrap = 0;
        cfg.validate().unwrap();
        let s = run_study(&cfg).unwrap();
        let e = &s.events[0];
        assert_eq!(e.status, Status::Ok, "{key}: {:?}", e.notes);
        let m = e.model.as_ref().unwrap();
        let w = &want[key];
        assert_eq!(m.n_obs as u64, w["n"].as_u64().unwrap(), "{ticker} {key}: estimation days");
        assert_eq!(m.beta_method, Some(beta));
        for (what, got) in [
            ("beta", m.beta.unwrap()),
            ("alpha", m.alpha),
            ("sigma", m.sigma),
            ("car", e.car[0].car),
            ("se", e.car[0].se),
        ] {
            let exp = w[what].as_f64().unwrap();
            close(&format!("{ticker} {key} {what}"), got, exp, RTOL * exp.abs().max(1e-6));
        }
    }
}

#[test]
fn scholes_williams_and_dimson_match_numpy_on_the_bundled_sample() {
    check(&repo().join("data"), "BABA", (-10, 10), &expected()["bundled"]);
}

#[test]
fn scholes_williams_and_dimson_match_numpy_for_a_hong_kong_line_against_a_us_benchmark() {
    let Some(shared) =
        shared_data("scholes_williams_and_dimson_match_numpy_for_a_hong_kong_line_against_a_us_benchmark")
    else {
        return;
    };
    let tmp = tempfile::tempdir().unwrap();
    for f in ["9988.HK.csv", "SPY.csv"] {
        std::fs::copy(shared.join("real").join(f), tmp.path().join(f)).unwrap();
    }
    check(tmp.path(), "9988.HK", (-5, 1), &expected()["real_hk"]);
}
