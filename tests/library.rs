//! The library as a program would use it: a configuration from `StudyConfig::with_defaults`,
//! edited, and handed to `run_study`.

mod common;

use eventstudy::{run_study, StudyConfig};

/// Regression: without an explicit `validate()` the study ignored `input.ticker`, ran every
/// ticker of the events file and computed no CAR window.
#[test]
fn run_study_validates_an_edited_default_configuration() {
    let mut cfg = StudyConfig::with_defaults(common::repo().join("data"));
    cfg.input.ticker = vec!["BABA".into()];
    cfg.tests.bootstrap = 0;
    let s = run_study(&cfg).unwrap();
    assert_eq!(s.study, format!("BABA_vs_SPY-{}", s.study_hash));
    assert_eq!(s.study_hash.len(), 8);
    assert_eq!(s.config.tickers, vec!["BABA".to_string()]);
    assert_eq!(s.config.method.car_windows, vec![(0, 0), (-1, 1), (0, 1), (-5, 5), (-10, 10)]);
    assert!(s.events.iter().all(|e| e.ticker == "BABA" && e.car.len() == 5));
}
