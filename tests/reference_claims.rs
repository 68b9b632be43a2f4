//! Claim verdicts against tests/reference/expected_claims.json, written by
//! tests/reference/claims_reference.py (statsmodels/scipy, independent code) for the claims of
//! tests/reference/claims_reference.csv on real BABA, AAPL and BIDU closes against SPY: every
//! verdict for CAR and volatility claims, over one event and several, with each `expect`.

mod common;

use common::{close, shared_data};
use eventstudy::run_study;
use eventstudy::stats::claims::Verdict;
use serde_json::Value;

/// Relative tolerance of estimates and intervals.
const RTOL: f64 = 1e-9;

#[test]
fn claim_verdicts_match_the_reference_script_on_real_prices() {
    let Some(shared) = shared_data("claim_verdicts_match_the_reference_script_on_real_prices") else { return };
    let tmp = tempfile::tempdir().unwrap();
    let mut cfg = common::real_reference_config(tmp.path(), &shared);
    let want: Value = common::expected("expected_claims.json");
    cfg.input.claims = Some(common::repo().join("tests/reference/claims_reference.csv"));
    cfg.tests.bootstrap = 0;
    let s = run_study(&cfg).unwrap();
    assert_eq!(s.claims.len(), want.as_object().unwrap().len());
    let mut seen = std::collections::HashSet::new();
    for c in &s.claims {
        let w = &want[&c.id];
        let verdict = serde_json::to_value(c.verdict).unwrap();
        assert_eq!(verdict, w["verdict"], "{}: {}", c.id, c.reason);
        assert_eq!(c.n as u64, w["n"].as_u64().unwrap(), "{}", c.id);
        let rel = |what: &str, got: f64, exp: &Value| {
            let exp = exp.as_f64().unwrap();
            close(&format!("{} {what}", c.id), got, exp, RTOL * exp.abs().max(1e-12));
        };
        rel("estimate", c.estimate, &w["estimate"]);
        rel("ci90 low", c.ci90.0, &w["ci90"][0]);
        rel("ci90 high", c.ci90.1, &w["ci90"][1]);
        rel("ci95 low", c.ci95.0, &w["ci95"][0]);
        rel("ci95 high", c.ci95.1, &w["ci95"][1]);
        match (c.se, c.df) {
            (Some(se), Some(df)) => {
                rel("se", se, &w["se"]);
                rel("df", df, &w["df"]);
            }
            _ => assert!(w["se"].is_null() && w["df"].is_null(), "{}: se and df only for CAR claims", c.id),
        }
        seen.insert((serde_json::to_string(&c.measure).unwrap(), c.verdict == Verdict::Supported, c.n > 1));
    }
    // Both measures reach each verdict, over one event and over several.
    for v in [Verdict::Supported, Verdict::Contradicted, Verdict::Inconclusive] {
        assert!(s.claims.iter().any(|c| c.verdict == v), "no claim is {v:?}");
    }
    assert!(seen.len() >= 6, "{seen:?}");
}
