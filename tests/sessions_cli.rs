//! Day 0 and benchmarks as a user sets them: timestamped events in the events file, tickers.csv,
//! per-ticker --market, --non-trading and --chain, through the binary on the bundled sample.

mod common;

use std::path::Path;

use assert_cmd::Command;
use common::{copy_dir, hash_tree, repo, study_json};
use serde_json::Value;

fn workspace() -> tempfile::TempDir {
    let tmp = tempfile::tempdir().unwrap();
    copy_dir(&repo().join("data"), &tmp.path().join("data"));
    tmp
}

fn fails(ws: &Path, args: &[&str], code: i32) -> String {
    let out =
        Command::cargo_bin("eventstudy").unwrap().current_dir(ws).args(args).args(["--no-charts"]).output().unwrap();
    assert_eq!(out.status.code(), Some(code), "{args:?}: {}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8_lossy(&out.stderr).into_owned()
}

fn event<'a>(s: &'a Value, ticker: &str, id: &str) -> &'a Value {
    s["events"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["ticker"] == ticker && e["id"] == id)
        .unwrap_or_else(|| panic!("no {ticker} {id}"))
}

#[test]
fn benchmarks_per_ticker_come_from_the_option_then_tickers_csv_then_the_default() {
    let ws = workspace();
    std::fs::write(ws.path().join("data/tickers.csv"), "ticker,benchmark\nBIDU,AAPL\n").unwrap();
    let before = hash_tree(&ws.path().join("data"));
    let s = study_json(ws.path(), &["--ticker", "BABA,BIDU"]);
    let bench = |s: &Value, t: &str| s["config"]["tickers_info"][t]["benchmark"].as_str().unwrap().to_string();
    assert_eq!((bench(&s, "BABA"), bench(&s, "BIDU")), ("SPY".into(), "AAPL".into()));
    assert_eq!(s["config"]["tickers_info"]["BIDU"]["benchmark_from"].as_str().unwrap(), "data/tickers.csv line 2");
    assert!(common::is_study_of(s["study"].as_str().unwrap(), "BABA-BIDU_vs_SPY-AAPL"), "{}", s["study"]);
    assert_eq!(event(&s, "BIDU", "2025-02-13-tsai-confirms")["benchmark"], "AAPL");
    // The same BIDU numbers as asking for AAPL directly.
    let direct = study_json(ws.path(), &["--ticker", "BIDU", "--market", "AAPL"]);
    assert_eq!(
        event(&s, "BIDU", "2025-02-13-tsai-confirms")["car"],
        event(&direct, "BIDU", "2025-02-13-tsai-confirms")["car"]
    );
    // --market TICKER=B beats tickers.csv; a single --market applies to all.
    let s = study_json(ws.path(), &["--ticker", "BABA,BIDU", "--market", "BIDU=SPY,BABA=AAPL"]);
    assert_eq!((bench(&s, "BABA"), bench(&s, "BIDU")), ("AAPL".into(), "SPY".into()));
    let s = study_json(ws.path(), &["--ticker", "BABA,BIDU", "--market", "SPY"]);
    assert_eq!((bench(&s, "BABA"), bench(&s, "BIDU")), ("SPY".into(), "SPY".into()));
    assert_eq!(before, hash_tree(&ws.path().join("data")), "data/ is never written");
}

#[test]
fn a_tickers_csv_benchmark_without_prices_or_a_bad_zone_names_the_line() {
    let ws = workspace();
    std::fs::write(ws.path().join("data/tickers.csv"), "ticker,benchmark\nBABA,QQQ\n").unwrap();
    let e = fails(ws.path(), &["--ticker", "BABA"], 1);
    assert!(e.contains("tickers.csv, line 2, column 'benchmark'") && e.contains("QQQ"), "{e}");
    std::fs::write(ws.path().join("data/tickers.csv"), "ticker,timezone\nBABA,EST5\n").unwrap();
    let e = fails(ws.path(), &["--ticker", "BABA"], 1);
    assert!(e.contains("tickers.csv, line 2, column 'timezone'") && e.contains("IANA"), "{e}");
    let e = fails(ws.path(), &["--ticker", "BABA", "--market", "BABA="], 2);
    assert!(e.contains("TICKER=BENCHMARK"), "{e}");
}

#[test]
fn events_with_time_and_timezone_columns_place_day0_by_the_close() {
    let ws = workspace();
    let events = ws.path().join("timed.csv");
    std::fs::write(
        &events,
        "id,date,time,timezone,ticker\nafter,2025-02-12,16:30,America/New_York,BABA\ndubai,2025-02-13,10:00,Asia/Dubai,BABA\nstamp,2025-02-12T21:05:00Z,,,BABA\n",
    )
    .unwrap();
    let s = study_json(ws.path(), &["--ticker", "BABA", "--events", events.to_str().unwrap()]);
    let after = event(&s, "BABA", "after");
    assert_eq!((after["day0"].as_str(), after["day0_rule"].as_str()), (Some("2025-02-13"), Some("after-close")));
    assert_eq!(after["event_time"], "2025-02-12T16:30:00-05:00");
    assert!(after["day0_reason"].as_str().unwrap().contains("after the 16:00 close"));
    let dubai = event(&s, "BABA", "dubai");
    assert_eq!((dubai["day0"].as_str(), dubai["day0_rule"].as_str()), (Some("2025-02-13"), Some("before-close")));
    assert_eq!(event(&s, "BABA", "stamp")["day0"], "2025-02-13");
    std::fs::write(&events, "id,date,time,ticker\nx,2025-02-12,16:30,BABA\n").unwrap();
    let e = fails(ws.path(), &["--ticker", "BABA", "--events", events.to_str().unwrap()], 1);
    assert!(e.contains("line 2, column 'time'") && e.contains("timezone"), "{e}");
}

#[test]
fn non_trading_next_previous_and_skip() {
    let ws = workspace();
    let id = "2025-05-17-us-scrutiny";
    let next = study_json(ws.path(), &["--ticker", "BABA"]);
    assert_eq!(
        (event(&next, "BABA", id)["day0"].as_str(), event(&next, "BABA", id)["day0_rule"].as_str()),
        (Some("2025-05-19"), Some("weekend"))
    );
    let prev = study_json(ws.path(), &["--ticker", "BABA", "--non-trading", "previous"]);
    assert_eq!(event(&prev, "BABA", id)["day0"], "2025-05-16");
    let skip = study_json(ws.path(), &["--ticker", "BABA", "--non-trading", "skip"]);
    let e = event(&skip, "BABA", id);
    assert_eq!((e["status"].as_str(), e["reason"].as_str()), (Some("excluded"), Some("non_trading_day")));
    assert_eq!(event(&skip, "BABA", "2025-02-13-tsai-confirms")["status"], "ok", "trading days are untouched");
}

#[test]
fn chain_reports_rumour_then_confirmation_as_one_window() {
    let ws = workspace();
    let s = study_json(ws.path(), &["--ticker", "BABA", "--chain"]);
    let c = event(&s, "BABA", "chain:2025-02-11-alibaba-chosen+2025-02-13-tsai-confirms");
    assert_eq!(c["kind"], "chain");
    assert_eq!(c["day0"], "2025-02-11");
    let first = event(&s, "BABA", "2025-02-11-alibaba-chosen");
    assert_eq!(first["overlapping"][0], "2025-02-13-tsai-confirms");
    // Windows: first to last day 0 ([0,2]), to the end of the post-event days ([0,12]), all.
    let wins: Vec<(i64, i64)> = c["car"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| (r["window"][0].as_i64().unwrap(), r["window"][1].as_i64().unwrap()))
        .collect();
    assert_eq!(wins, vec![(0, 2), (0, 12), (-10, 12)]);
    let ar = c["ar"].as_array().unwrap();
    assert_eq!((ar[0]["day"].as_i64(), ar[ar.len() - 1]["day"].as_i64()), (Some(-10), Some(12)));
    // Same day 0, same estimation window: the chain's ARs are the first event's, so its CAR over
    // [0,2] is the sum of that event's ARs on days 0, 1 and 2.
    let sum: f64 = first["ar"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| (0..=2).contains(&r["day"].as_i64().unwrap()))
        .map(|r| r["ar"].as_f64().unwrap())
        .sum();
    assert!((c["car"][0]["car"].as_f64().unwrap() - sum).abs() < 1e-12);
    // Earnings on Thursday, news on Saturday: a second chain.
    event(&s, "BABA", "chain:2025-05-15-baba-earnings+2025-05-17-us-scrutiny");
    // Chains stay out of the across-event tests.
    let singles = s["events"].as_array().unwrap().iter().filter(|e| e["kind"] != "chain").count();
    assert_eq!(s["aggregate"][0]["n"].as_u64(), Some(singles as u64));
}
