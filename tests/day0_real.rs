//! Day 0 of the real news in ../shared/data/EVENTS-FACTS.md on the real price files, for the
//! New York and Hong Kong lines of Alibaba and Baidu: the expected sessions were read off the
//! exchanges' calendars by hand (the news time against each market's 16:00 close, weekends,
//! the Lunar New Year closure, the March DST change).

mod common;

use std::path::Path;

use chrono::{DateTime, NaiveDate};
use common::shared_data;
use eventstudy::load::{load_prices, Event};
use eventstudy::session::{place_day0, session_for, NonTrading};

fn d(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

fn event(when: &str) -> Event {
    let mut e = Event::on_date(when, d(&when[..10]));
    if when.len() > 10 {
        e.instant = Some(DateTime::parse_from_rfc3339(when).unwrap());
    }
    e
}

/// (day 0, rule) of `when` for `ticker` read from `file`.
fn day0(file: &Path, ticker: &str, when: &str) -> (String, &'static str) {
    let s = load_prices(file, ticker).unwrap();
    let p = place_day0(&s.dates, &event(when), &session_for(ticker, None, ""), NonTrading::Next);
    (s.dates[p.index.expect("a day 0")].to_string(), p.rule.code())
}

/// Each fact, with the time it broke, and its day 0 per line.
const CASES: &[(&str, &str, &str, &str)] = &[
    // 1. WSJ 2024-03-22 12:30 UTC: 08:30 in New York (before the close), 20:30 in Hong Kong
    //    (after the close, and Saturday follows): Hong Kong reacts on Monday 2024-03-25.
    ("2024-03-22T12:30:00Z", "BIDU", "2024-03-22", "before-close"),
    ("2024-03-22T12:30:00Z", "BABA", "2024-03-22", "before-close"),
    ("2024-03-22T12:30:00Z", "9888.HK", "2024-03-25", "after-close"),
    // 2. Asian morning of Monday 2024-03-25 (09:00 HKT) is Sunday evening in New York.
    ("2024-03-25T09:00:00+08:00", "BIDU", "2024-03-25", "weekend"),
    ("2024-03-25T09:00:00+08:00", "9888.HK", "2024-03-25", "before-close"),
    // 3. The Information during the US day of 2025-02-11: Hong Kong had closed; its next
    //    session is 2025-02-12 (where the 8.6% rise happened).
    ("2025-02-11T14:00:00-05:00", "BABA", "2025-02-11", "before-close"),
    ("2025-02-11T14:00:00-05:00", "BIDU", "2025-02-11", "before-close"),
    ("2025-02-11T14:00:00-05:00", "9988.HK", "2025-02-12", "before-close"),
    ("2025-02-11T14:00:00-05:00", "9888.HK", "2025-02-12", "before-close"),
    // 4. Dubai morning 2025-02-13 (10:00 +04:00 = 14:00 HKT, the Hong Kong afternoon session).
    ("2025-02-13T10:00:00+04:00", "9988.HK", "2025-02-13", "before-close"),
    ("2025-02-13T10:00:00+04:00", "9888.HK", "2025-02-13", "before-close"),
    ("2025-02-13T10:00:00+04:00", "BABA", "2025-02-13", "before-close"),
    ("2025-02-13T10:00:00+04:00", "BIDU", "2025-02-13", "before-close"),
    // 5. Results before the US open of 2025-05-15 (07:30 EDT = 19:30 HKT, after Hong Kong's close).
    ("2025-05-15T07:30:00-04:00", "BABA", "2025-05-15", "before-close"),
    ("2025-05-15T07:30:00-04:00", "9988.HK", "2025-05-16", "after-close"),
    // 6. Weekend 2025-05-17: Monday 2025-05-19 in both markets, date-only or timestamped.
    ("2025-05-17", "BABA", "2025-05-19", "weekend"),
    ("2025-05-17", "9988.HK", "2025-05-19", "weekend"),
    ("2025-05-17T18:00:00-04:00", "9988.HK", "2025-05-19", "weekend"),
    ("2025-05-17T18:00:00-04:00", "BABA", "2025-05-19", "weekend"),
];

#[test]
fn every_fact_gets_the_right_day0_on_each_line() {
    let Some(shared) = shared_data("every_fact_gets_the_right_day0_on_each_line") else { return };
    let real = shared.join("real");
    for &(when, ticker, want, rule) in CASES {
        let got = day0(&real.join(format!("{ticker}.csv")), ticker, when);
        assert_eq!(got, (want.to_string(), rule), "{ticker} at {when}");
    }
}

/// A US report at 16:30 New York time is after the close, in winter (EST, 21:30 UTC) and just
/// after the March DST change (EDT, 20:30 UTC); at 15:30 it is the same session.
#[test]
fn us_after_close_report_moves_to_next_session_in_winter_and_after_dst_change() {
    let Some(shared) = shared_data("us_after_close_report_moves_to_next_session_in_winter_and_after_dst_change") else {
        return;
    };
    let aapl = shared.join("real/AAPL.csv");
    assert_eq!(day0(&aapl, "AAPL", "2025-01-15T21:30:00Z"), ("2025-01-16".into(), "after-close"));
    assert_eq!(day0(&aapl, "AAPL", "2025-01-15T20:30:00Z"), ("2025-01-15".into(), "before-close"));
    assert_eq!(day0(&aapl, "AAPL", "2025-03-10T20:30:00Z"), ("2025-03-11".into(), "after-close"));
    assert_eq!(day0(&aapl, "AAPL", "2025-03-10T19:30:00Z"), ("2025-03-10".into(), "before-close"));
}

/// Hong Kong closed 2025-01-29..31 (and 2024-02-12..13) for the Lunar New Year.
#[test]
fn hong_kong_lunar_new_year_closure_moves_to_the_reopening_day() {
    let Some(shared) = shared_data("hong_kong_lunar_new_year_closure_moves_to_the_reopening_day") else { return };
    let hk = shared.join("real/9988.HK.csv");
    assert_eq!(day0(&hk, "9988.HK", "2025-01-30"), ("2025-02-03".into(), "holiday"));
    assert_eq!(day0(&hk, "9988.HK", "2025-01-29T11:00:00+08:00"), ("2025-02-03".into(), "holiday"));
    assert_eq!(day0(&hk, "9988.HK", "2024-02-13"), ("2024-02-14".into(), "holiday"));
    // New York trades through it.
    assert_eq!(day0(&shared.join("real/BABA.csv"), "BABA", "2025-01-30"), ("2025-01-30".into(), "same-day"));
}

/// The yfinance `.history()` exports (time-zone-aware stamps, Dividends and Stock Splits
/// columns) load without editing and give the same calendar as the plain files.
#[test]
fn yfinance_history_files_load_and_agree_with_the_plain_files() {
    let Some(shared) = shared_data("yfinance_history_files_load_and_agree_with_the_plain_files") else { return };
    let real = shared.join("real");
    for (alt, ticker) in [
        ("alt/yfhistory_paulanrd_to2025-02-11/BABA.csv", "BABA"),
        ("alt/yfhistory_paulanrd_to2025-02-11/BIDU.csv", "BIDU"),
        ("alt/yfhistory_paulanrd_to2025-02-11/AAPL.csv", "AAPL"),
        ("alt/hk_yfhistory_ccf0001_to2025-07-18/9988.HK.csv", "9988.HK"),
        ("alt/hk_yfhistory_ccf0001_to2025-07-18/9888.HK.csv", "9888.HK"),
    ] {
        let h = load_prices(&real.join(alt), ticker).unwrap();
        let plain = load_prices(&real.join(format!("{ticker}.csv")), ticker).unwrap();
        assert_eq!(h.price_column, "Close", "{alt}");
        let last = *h.dates.last().unwrap();
        let from = last - chrono::Duration::days(400);
        let a: Vec<_> = h.dates.iter().filter(|x| **x >= from).collect();
        let b: Vec<_> = plain.dates.iter().filter(|x| **x >= from && **x <= last).collect();
        assert_eq!(a, b, "{alt}: same trading days as {ticker}.csv over the last 400 days");
    }
    let h = real.join("alt/yfhistory_paulanrd_to2025-02-11/BABA.csv");
    assert_eq!(day0(&h, "BABA", "2025-02-11T14:00:00-05:00"), ("2025-02-11".into(), "before-close"));
    let hk = real.join("alt/hk_yfhistory_ccf0001_to2025-07-18/9988.HK.csv");
    assert_eq!(day0(&hk, "9988.HK", "2025-02-11T14:00:00-05:00"), ("2025-02-12".into(), "before-close"));
}

/// The whole study through the binary on the real files: timestamped events, the Hong Kong
/// lines against HSI (3-line yfinance header) and the US lines against SPY, chosen per ticker.
#[test]
fn real_cross_listed_study_places_day0_per_market_and_uses_each_benchmark() {
    let Some(shared) = shared_data("real_cross_listed_study_places_day0_per_market_and_uses_each_benchmark") else {
        return;
    };
    let tmp = tempfile::tempdir().unwrap();
    let data = tmp.path().join("data");
    std::fs::create_dir_all(&data).unwrap();
    for f in ["BABA.csv", "BIDU.csv", "9988.HK.csv", "9888.HK.csv", "SPY.csv", "HSI.csv"] {
        std::fs::copy(shared.join("real").join(f), data.join(f)).unwrap();
    }
    std::fs::write(
        data.join("events.csv"),
        "id,date,ticker,kind\n\
         wsj,2024-03-22T12:30:00Z,BIDU;9888.HK,rumor\n\
         information,2025-02-11T14:00:00-05:00,BABA;9988.HK;BIDU;9888.HK,report\n\
         confirm,2025-02-13T10:00:00+04:00,BABA;9988.HK,confirmation\n\
         nyt,2025-05-17,BABA;9988.HK,regulatory\n",
    )
    .unwrap();
    let out = assert_cmd::Command::cargo_bin("eventstudy")
        .unwrap()
        .current_dir(tmp.path())
        .args([
            "--market",
            "9988.HK=HSI,9888.HK=HSI",
            "--window=-5,5",
            "--format",
            "json",
            "--no-charts",
            "--bootstrap",
            "0",
        ])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let s: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let want = [
        ("BIDU", "wsj", "2024-03-22", "SPY"),
        ("9888.HK", "wsj", "2024-03-25", "HSI"),
        ("BABA", "information", "2025-02-11", "SPY"),
        ("9988.HK", "information", "2025-02-12", "HSI"),
        ("9888.HK", "information", "2025-02-12", "HSI"),
        ("9988.HK", "confirm", "2025-02-13", "HSI"),
        ("BABA", "nyt", "2025-05-19", "SPY"),
        ("9988.HK", "nyt", "2025-05-19", "HSI"),
    ];
    for (t, id, day0, bench) in want {
        let e = s["events"].as_array().unwrap().iter().find(|e| e["ticker"] == t && e["id"] == id).unwrap();
        assert_eq!(
            (e["day0"].as_str(), e["benchmark"].as_str(), e["status"].as_str()),
            (Some(day0), Some(bench), Some("ok")),
            "{t} {id}: {e:?}"
        );
    }
    assert!(common::is_study_of(s["study"].as_str().unwrap(), "all_vs_HSI-SPY_win-5_5"), "{}", s["study"]);
}
