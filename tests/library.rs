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

/// summary.json is written a chunk of events at a time on all cores: the text must be serde's
/// pretty printing of the whole summary, with and without the simulated-data notice, with
/// events, groups and claims, and with none.
#[test]
fn summary_json_written_in_chunks_is_serdes_pretty_text() {
    let mut cfg = StudyConfig::with_defaults(common::repo().join("data"));
    cfg.tests.bootstrap = 0;
    let mut s = run_study(&cfg).unwrap();
    assert!(s.data_notice.is_some() && s.events.len() > 3 && !s.aggregate.is_empty());
    // More events than a chunk, so that chunks are joined.
    let first = s.events[0].clone();
    s.events.extend(std::iter::repeat_n(first, 2500));
    let serde_text = |s: &eventstudy::Summary| {
        let mut v = serde_json::to_vec_pretty(s).unwrap();
        v.push(b'\n');
        v
    };
    let ours = |s: &eventstudy::Summary| {
        let mut v = Vec::new();
        eventstudy::output::json::write_summary(s, &mut v).unwrap();
        v
    };
    assert!(ours(&s) == serde_text(&s), "events, groups, notice");
    s.data_notice = None;
    s.events.clear();
    s.aggregate.clear();
    s.claims.clear();
    assert_eq!(String::from_utf8(ours(&s)).unwrap(), String::from_utf8(serde_text(&s)).unwrap());
}

/// The option number `keep_freed_memory` sets is mimalloc's purge delay: its default in the
/// pinned mimalloc (options.c) is 1,000 ms, its neighbours' 1 and 0 (a renumbering in a
/// mimalloc update would fail here, not silently set another option).
#[test]
fn mimalloc_purge_delay_option_number() {
    let get = |o| unsafe { libmimalloc_sys::mi_option_get(o) };
    assert_eq!(get(eventstudy::MI_OPTION_PURGE_DELAY - 1), 1, "deprecated_eager_commit_delay default");
    assert_eq!(get(eventstudy::MI_OPTION_PURGE_DELAY), 1000, "purge delay default");
    assert_eq!(get(eventstudy::MI_OPTION_PURGE_DELAY + 1), 0, "use_numa_nodes default");
}
