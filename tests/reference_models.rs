//! Every normal-return model against tests/reference/expected_models.json, written by
//! tests/reference/models_reference.py (statsmodels/numpy) from real BABA and SPY prices and the
//! Ken French daily files in ../shared/data/real, read exactly as downloaded.

mod common;

use common::{close, shared_data};
use eventstudy::config::{option_name, ModelKind};
use eventstudy::summary::{InputRole, Status};
use eventstudy::{run_study, StudyConfig};
use serde_json::Value;

/// Relative tolerance for coefficients, s, CAR and its standard error.
const RTOL: f64 = 1e-9;

#[test]
fn every_model_matches_statsmodels_on_real_prices_and_french_factors() {
    let Some(shared) = shared_data("every_model_matches_statsmodels_on_real_prices_and_french_factors") else { return };
    let real = shared.join("real");
    let tmp = tempfile::tempdir().unwrap();
    let data = tmp.path().join("data");
    std::fs::create_dir_all(&data).unwrap();
    for f in ["BABA.csv", "SPY.csv"] {
        std::fs::copy(real.join(f), data.join(f)).unwrap();
    }
    std::fs::write(data.join("events.csv"), "id,date,ticker\nconfirm,2025-02-13,BABA\n").unwrap();
    let want: Value = serde_json::from_str(
        &std::fs::read_to_string(common::repo().join("tests/reference/expected_models.json")).unwrap(),
    )
    .unwrap();
    let cases = [
        (ModelKind::Market, vec![], vec!["alpha", "market"]),
        (ModelKind::ConstantMean, vec![], vec!["alpha"]),
        (ModelKind::MarketAdjusted, vec![], vec!["alpha"]),
        (ModelKind::Ff3, vec!["FF3_daily.csv"], vec!["alpha", "mkt_rf", "smb", "hml"]),
        (ModelKind::Carhart, vec!["FF3_daily.csv", "MOM_daily.csv"], vec!["alpha", "mkt_rf", "smb", "hml", "mom"]),
        (ModelKind::Ff5, vec!["FF5_daily.csv"], vec!["alpha", "mkt_rf", "smb", "hml", "rmw", "cma"]),
    ];
    for (model, files, names) in cases {
        let mut cfg = StudyConfig::with_defaults(&data);
        cfg.input.ticker = vec!["BABA".into()];
        cfg.method.model = model;
        cfg.input.factors = files.iter().map(|f| real.join(f)).collect();
        cfg.method.car_windows = vec![(-1, 1)];
        cfg.tests.bootstrap = 0;
        cfg.validate().unwrap();
        let s = run_study(&cfg).unwrap();
        let e = &s.events[0];
        assert_eq!(e.status, Status::Ok, "{model:?}: {:?}", e.notes);
        let m = e.model.as_ref().unwrap();
        let w = &want[option_name(model).as_str()];
        assert_eq!(m.n_obs as u64, w["n"].as_u64().unwrap(), "{model:?}");
        for (name, exp) in names.iter().zip(w["coef"].as_array().unwrap()) {
            let exp = exp.as_f64().unwrap();
            close(&format!("{model:?} {name}"), m.coefficients[*name], exp, RTOL * exp.abs().max(1e-6));
        }
        let sig = w["sigma"].as_f64().unwrap();
        close(&format!("{model:?} sigma"), m.sigma, sig, RTOL * sig);
        let c = &e.car[0];
        close(&format!("{model:?} CAR"), c.car, w["car"].as_f64().unwrap(), RTOL * c.car.abs());
        close(&format!("{model:?} se"), c.se, w["se"].as_f64().unwrap(), RTOL * c.se);
        if !files.is_empty() {
            assert!(s
                .inputs
                .iter()
                .any(|i| i.role == InputRole::Factors && i.price_column.as_deref().unwrap_or("").contains("percent")));
        }
    }
}
