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
        for which in ["loglik", "loglik_default"] {
            let arch_ll = w[which].as_f64().unwrap();
            assert!(ll >= arch_ll - LOGLIK_SLACK, "{key}: loglik {ll} below arch's {which} {arch_ll}");
        }
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

/// Standard errors at the optimum: both sides take numerical derivatives.
const SE_RTOL: f64 = 1e-3;

/// With δ = γ = 0 the dummy model's recursion is the plain GARCH one on the same days, and its
/// log-likelihood is arch's `fix()` there; needs no shared data.
#[test]
fn garch_dummy_model_with_zero_dummies_reduces_to_the_plain_fit() {
    let want = common::expected("expected_garch.json");
    for (name, c) in want["dummies"].as_object().unwrap() {
        let (y, m, days) = (floats(&c["y"]), floats(&c["m"]), floats(&c["rel"]));
        let x: Vec<f64> = m.iter().zip(&days).flat_map(|(m, r)| [1.0, *m, if *r == 0.0 { 1.0 } else { 0.0 }]).collect();
        let v: Vec<f64> = days.iter().map(|r| if (0.0..=5.0).contains(r) { 1.0 } else { 0.0 }).collect();
        let with = Sample { y: &y, x: &x, k: 3, v: &v, q: 1 };
        let without = Sample { y: &y, x: &x, k: 3, v: &[], q: 0 };
        let theta = floats(&c["nested_theta"]);
        let (_, st) = garch::prepare(&with).unwrap();
        let path = Want { path: true, ..Want::default() };
        let a = garch::evaluate(&with, &st, &theta, path);
        let b = garch::evaluate(&without, &st, &theta[..6], path);
        assert_eq!((a.loglik, &a.h), (b.loglik, &b.h), "{name}: delta = 0 is the plain recursion");
        rel(
            &format!("{name} loglik at zero dummies"),
            a.loglik,
            c["nested_loglik_at_zero"].as_f64().unwrap(),
            FIXED_RTOL,
        );
    }
}

/// `--garch-dummies` on the real study against the scipy maximum-likelihood script: each fit,
/// its flags and standard errors, and the cross-sectional tests of the usable fits.
#[test]
fn garch_dummy_model_matches_scipy_on_real_prices() {
    let Some(shared) = shared_data("garch_dummy_model_matches_scipy_on_real_prices") else { return };
    let tmp = tempfile::tempdir().unwrap();
    let mut cfg = common::real_reference_config(tmp.path(), &shared);
    cfg.method.model = ModelKind::Garch;
    cfg.method.garch_dummies = true;
    cfg.tests.bootstrap = 0;
    cfg.validate().unwrap();
    let s = run_study(&cfg).unwrap();
    let want = common::expected("expected_garch.json");
    for e in &s.events {
        let key = format!("{} {}", e.ticker, e.id);
        let (g, w) = (e.garch_dummies.as_ref().unwrap(), &want["dummies"][&key]);
        let num = |n: &str| w[n].as_f64().unwrap();
        assert!(g.loglik >= num("loglik") - LOGLIK_SLACK, "{key}: loglik {} below {}", g.loglik, num("loglik"));
        assert_eq!(g.boundary, w["at_bound"].as_bool().unwrap(), "{key}: boundary flag");
        assert!(g.converged, "{key}");
        assert_eq!((g.vol_days, g.n_obs), (5, 261), "{key}");
        if g.boundary {
            continue;
        }
        for (n, got, rtol) in [
            ("gamma", g.gamma, OPTIMUM_RTOL),
            ("delta", g.delta, OPTIMUM_RTOL),
            ("h0", g.h0, OPTIMUM_RTOL),
            ("omega", g.omega, OPTIMUM_RTOL),
            ("alpha1", g.alpha1, OPTIMUM_RTOL),
            ("beta1", g.beta1, OPTIMUM_RTOL),
            ("gamma_se", g.gamma_se, SE_RTOL),
            ("delta_se", g.delta_se, SE_RTOL),
            ("delta_se_robust", g.delta_se_robust, SE_RTOL),
        ] {
            rel(&format!("{key} {n}"), got, num(n), rtol);
        }
    }
    let all = s.aggregate.iter().find(|g| g.group == "all").unwrap().garch_dummies.as_ref().unwrap();
    let across = &want["across"];
    assert_eq!((all.n, all.left_out), (9, 3));
    use eventstudy::summary::DummyTest;
    for (id, name) in [
        (DummyTest::DeltaT, "delta"),
        (DummyTest::DeltaH0T, "delta_h0"),
        (DummyTest::GammaT, "gamma"),
        (DummyTest::GammaSqrtH0T, "gamma_sqrt_h0"),
    ] {
        let (t, w) = (&all.tests[&id], &across[name]);
        rel(&format!("{id} stat"), t.stat, w["stat"].as_f64().unwrap(), OPTIMUM_RTOL);
        rel(&format!("{id} mean"), all.means[&id], w["mean"].as_f64().unwrap(), OPTIMUM_RTOL);
        close(&format!("{id} p"), t.p, w["p"].as_f64().unwrap(), OPTIMUM_RTOL);
        assert_eq!(t.dist, "t(8)");
    }
}
