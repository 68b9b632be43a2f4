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

/// summary.json is written a chunk of events at a time on all cores, with its innermost
/// records on one line each: it must read back as serde's JSON of the whole summary, with and
/// without the simulated-data notice, with events, groups and claims and with none, and keep
/// serde's pretty layout elsewhere.
#[test]
fn summary_json_written_in_chunks_reads_back_as_the_summary() {
    let mut cfg = StudyConfig::with_defaults(common::repo().join("data"));
    cfg.tests.bootstrap = 0;
    let mut s = run_study(&cfg).unwrap();
    assert!(s.data_notice.is_some() && s.events.len() > 3 && !s.aggregate.is_empty());
    // More events than a chunk, so that chunks are joined.
    let first = s.events[0].clone();
    s.events.extend(std::iter::repeat_n(first, 2500));
    let ours = |s: &eventstudy::Summary| {
        let mut v = Vec::new();
        eventstudy::output::json::write_summary(s, &mut v).unwrap();
        String::from_utf8(v).unwrap()
    };
    let check = |s: &eventstudy::Summary| {
        let text = ours(s);
        // Both texts through the same parser (its float parsing is not exact: to_value would not
        // compare equal to a parse of the same numbers).
        let read: serde_json::Value = serde_json::from_str(&text).unwrap();
        let serde_text = serde_json::to_string_pretty(s).unwrap();
        assert!(read == serde_json::from_str::<serde_json::Value>(&serde_text).unwrap(), "read back differs");
        assert!(text.ends_with("}\n") && text.starts_with("{\n  \"tool\": {\n    \"name\": \"eventstudy\""));
        text
    };
    let text = check(&s);
    // One AR row, CAR row and test outcome per line, at their depth.
    assert!(text.contains("\n      \"ar\": [\n        {\"day\": -10, \"date\": \""), "AR rows");
    assert!(text.contains("\n        {\"window\": [0, 0], \"car\": "), "CAR rows");
    assert!(text.contains("\n          \"tests\": {\n            \"bmp_t\": {\"stat\": "), "tests");
    s.data_notice = None;
    s.events.clear();
    s.aggregate.clear();
    s.claims.clear();
    let text = check(&s);
    assert!(text.contains("\"events\": [],\n  \"aggregate\": [],"));
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
