//! The volume study (`--measure volume`) against tests/reference/expected_volume.json, written
//! by tests/reference/volume_reference.py (numpy/statsmodels/scipy, independent code) from the
//! real OHLCV exports in ../shared/data/real/alt/ohlcv_adj_koiwest_2021-2026, for both volume
//! models.

mod common;

use common::{close, shared_data};
use eventstudy::config::{MeasureKind, VolumeModel};
use eventstudy::summary::Status;
use eventstudy::{run_study, StudyConfig};
use serde_json::Value;

/// Relative tolerance (the issue asks for 1e-9).
const RTOL: f64 = 1e-9;

#[test]
fn volume_cav_matches_numpy_and_statsmodels_for_both_volume_models() {
    let Some(shared) = shared_data("volume_cav_matches_numpy_and_statsmodels_for_both_volume_models") else { return };
    let alt = shared.join("real/alt/ohlcv_adj_koiwest_2021-2026");
    let tmp = tempfile::tempdir().unwrap();
    let data = common::reference_folder(tmp.path(), &alt, &["BABA.csv", "AAPL.csv", "BIDU.csv", "SPY.csv"]);
    let want: Value = common::expected("expected_volume.json");
    for (model, key) in [(VolumeModel::Mean, "mean"), (VolumeModel::Market, "market")] {
        let mut cfg = StudyConfig::with_defaults(&data);
        cfg.input.ticker = vec!["BABA".into(), "AAPL".into(), "BIDU".into()];
        cfg.method.measure = MeasureKind::Volume;
        cfg.method.volume_model = model;
        cfg.tests.bootstrap = 0;
        cfg.validate().unwrap();
        let s = run_study(&cfg).unwrap();
        assert_eq!(s.events.len(), 12);
        for e in &s.events {
            assert_eq!(e.status, Status::Ok, "{key} {} {}: {:?}", e.ticker, e.id, e.notes);
            let w = want[key][format!("{} {}", e.ticker, e.id)].as_array().unwrap();
            assert_eq!(e.car.len(), w.len());
            assert_eq!(e.model.as_ref().unwrap().df as u64, w[0]["df"].as_u64().unwrap(), "{key}: degrees of freedom");
            for (c, w) in e.car.iter().zip(w) {
                let label = format!("{key} {} {} {:?}", e.ticker, e.id, c.window);
                for (what, got) in [("cav", c.car), ("se", c.se), ("t", c.t), ("p", c.p)] {
                    let exp = w[what].as_f64().unwrap();
                    close(&format!("{label} {what}"), got, exp, RTOL * exp.abs().max(1e-12));
                }
            }
        }
    }
}

/// A price file without a Volume column excludes every pair of the ticker as `no_volume`.
#[test]
fn a_price_file_without_volume_excludes_its_pairs_as_no_volume() {
    let tmp = tempfile::tempdir().unwrap();
    let data = tmp.path().join("data");
    common::copy_dir(&common::repo().join("data"), &data);
    let baba = std::fs::read_to_string(data.join("BABA.csv")).unwrap();
    let closes: String = baba
        .lines()
        .map(|l| {
            let c: Vec<&str> = l.split(',').collect();
            format!("{},{}\n", c[0], c[5])
        })
        .collect();
    std::fs::write(data.join("BABA.csv"), closes).unwrap();
    let v = common::study_json(tmp.path(), &["--data", "data", "--ticker", "BABA,AAPL", "--measure", "volume"]);
    for e in v["events"].as_array().unwrap() {
        if e["ticker"] == "BABA" {
            assert_eq!((e["status"].as_str(), e["reason"].as_str()), (Some("excluded"), Some("no_volume")), "{e}");
        } else {
            assert_eq!(e["status"], "ok", "{e}");
        }
    }
    assert_eq!(v["config"]["measure"], "volume");
}
