//! The GARCH(1,1) market model against tests/reference/expected_garch.json, written by
//! tests/reference/garch_reference.py: a numpy reimplementation of the recursion and the Python
//! `arch` package (`fix` at fixed parameters, `fit` at the optimum), on real BABA, AAPL and
//! BIDU closes against SPY.

mod common;

use common::{close, shared_data};
use eventstudy::config::ModelKind;
use eventstudy::run_study;
use eventstudy::stats::garch::{self, Sample, Want};
use eventstudy::summary::Status;
use serde_json::Value;

/// The h path and ℓ at fixed parameters (the issue asks for 1e-10).
const FIXED_RTOL: f64 = 1e-10;
/// Parameters, forecasts and standard errors at the optimum (1e-3 relative, as the issue asks).
const OPTIMUM_RTOL: f64 = 1e-3;
/// α₁ and β₁ that arch puts on their bound 0 are compared absolutely.
const AT_ZERO_ATOL: f64 = 1e-4;
/// The log-likelihood may fall short of arch's by at most this.
const LOGLIK_SLACK: f64 = 1e-6;

fn floats(v: &Value) -> Vec<f64> {
    v.as_array().unwrap().iter().map(|x| x.as_f64().unwrap()).collect()
}

fn rel(what: &str, got: f64, want: f64, rtol: f64) {
    close(what, got, want, rtol * want.abs());
}

/// The recursion and ℓ equal both the numpy reimplementation and arch's `fix()`; needs no
/// shared data (the returns are in the JSON).
#[test]
fn garch_path_and_loglik_match_arch_fix_at_fixed_parameters() {
    let want = common::expected("expected_garch.json");
    let cases = want["fixed"].as_array().unwrap();
    assert_eq!(cases.len(), 12);
    for c in cases {
        let name = c["case"].as_str().unwrap();
        let (y, m, theta) = (floats(&c["y"]), floats(&c["m"]), floats(&c["theta"]));
        let x: Vec<f64> = m.iter().flat_map(|m| [1.0, *m]).collect();
        let s = Sample { y: &y, x: &x, k: 2, v: &[], q: 0 };
        let (_, st) = garch::prepare(&s).unwrap();
        let e = garch::evaluate(&s, &st, &theta, Want { path: true, ..Want::default() });
        for key in ["h", "h_numpy"] {
            for (t, (got, want)) in e.h.iter().zip(floats(&c[key])).enumerate() {
                rel(&format!("{name} {key}[{t}]"), *got, want, FIXED_RTOL);
            }
        }
        rel(&format!("{name} loglik (arch)"), e.loglik, c["loglik"].as_f64().unwrap(), FIXED_RTOL);
        rel(&format!("{name} loglik (numpy)"), e.loglik, c["loglik_numpy"].as_f64().unwrap(), FIXED_RTOL);
    }
}

/// `--model garch` on the real study: the fit, the forecasts and the CAR standard errors
/// against arch's optimum.
#[test]
fn garch_fit_matches_arch_on_real_prices() {
    let Some(shared) = shared_data("garch_fit_matches_arch_on_real_prices") else { return };
    let tmp = tempfile::tempdir().unwrap();
    let mut cfg = common::real_reference_config(tmp.path(), &shared);
    cfg.method.model = ModelKind::Garch;
    cfg.tests.bootstrap = 0;
    cfg.validate().unwrap();
    let s = run_study(&cfg).unwrap();
    let want = common::expected("expected_garch.json");
    assert_eq!(s.events.len(), 12);
    for e in &s.events {
        assert_eq!(e.status, Status::Ok, "{} {}: {:?}", e.ticker, e.id, e.notes);
        let key = format!("{} {}", e.ticker, e.id);
        let w = &want["fits"][&key];
        let m = e.model.as_ref().unwrap();
        let ll = m.loglik.unwrap();
        let arch_ll = w["loglik"].as_f64().unwrap();
        assert!(ll >= arch_ll - LOGLIK_SLACK, "{key}: loglik {ll} below arch's {arch_ll}");
        assert_eq!(m.converged, Some(true), "{key}");
        let coef = |n: &str| m.coefficients[n];
        for (name, got) in [
            ("alpha", m.alpha),
            ("beta", m.beta.unwrap()),
            ("omega", coef("omega")),
            ("alpha1", coef("alpha1")),
            ("beta1", coef("beta1")),
        ] {
            let exp = w[name].as_f64().unwrap();
            let tol = if matches!(name, "alpha1" | "beta1") && exp < AT_ZERO_ATOL {
                AT_ZERO_ATOL
            } else {
                OPTIMUM_RTOL * exp.abs()
            };
            close(&format!("{key} {name}"), got, exp, tol);
        }
        assert_eq!(coef("market"), m.beta.unwrap());
        let h: Vec<f64> = e.ar.iter().map(|r| r.h.unwrap()).collect();
        for (t, (got, exp)) in h.iter().zip(floats(&w["h_forecast"])).enumerate() {
            rel(&format!("{key} h[{t}]"), *got, exp, OPTIMUM_RTOL);
        }
        for (c, (se, vr)) in e.car.iter().zip(floats(&w["car_se"]).into_iter().zip(floats(&w["var_ratio"]))) {
            rel(&format!("{key} {:?} se", c.window), c.se, se, OPTIMUM_RTOL);
            rel(&format!("{key} {:?} var_ratio", c.window), c.var_ratio, vr, OPTIMUM_RTOL);
        }
    }
}
