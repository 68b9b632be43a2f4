//! Property test: every input the loaders accept yields only finite numbers in `ok` rows and
//! in every across-event statistic (a statistic that is undefined, such as a cross-sectional t
//! of one event, is NaN in both its statistic and its p-value, shown as null; never infinite,
//! never half defined). Prices are drawn anywhere in the plausible range, with jumps of many
//! orders of magnitude, flat stretches and benchmark gaps. Bounded for CI: PROPTEST_CASES
//! (default 128) cases.

use eventstudy::summary::Status;
use eventstudy::{run_study, StudyConfig};
use proptest::prelude::*;

/// A price path of `n` days from log steps: normal days, jumps of up to 12 orders of
/// magnitude, and runs of an unchanged price, kept inside the plausible range [1e-8, 1e12].
fn path(n: usize) -> impl Strategy<Value = Vec<f64>> {
    let step = prop_oneof![
        8 => -0.05f64..0.05,
        1 => -28.0f64..28.0,
        1 => Just(0.0),
    ];
    (-18.0f64..27.0, proptest::collection::vec(step, n)).prop_map(|(start, steps)| {
        let mut x = start;
        steps
            .into_iter()
            .map(|s| {
                x = (x + s).clamp(-18.4, 27.6);
                x.exp().clamp(1e-8, 1e12)
            })
            .collect()
    })
}

fn write(dir: &std::path::Path, name: &str, dates: &[chrono::NaiveDate], prices: &[f64], skip: &[usize]) {
    let mut t = String::from("Date,Close\n");
    for (i, (d, p)) in dates.iter().zip(prices).enumerate() {
        if !skip.contains(&i) {
            t.push_str(&format!("{d},{p:e}\n"));
        }
    }
    std::fs::write(dir.join(name), t).unwrap();
}

fn finite(x: &serde_json::Value) -> bool {
    x.as_f64().is_some_and(f64::is_finite)
}

const DAYS: usize = 320;

proptest! {
    #![proptest_config(ProptestConfig {
        cases: std::env::var("PROPTEST_CASES").ok().and_then(|v| v.parse().ok()).unwrap_or(128),
        ..ProptestConfig::default()
    })]

    #[test]
    fn accepted_inputs_give_only_finite_numbers_in_ok_rows_and_across_events(
        stock in path(DAYS),
        market in path(DAYS),
        gaps in proptest::collection::vec(150usize..DAYS, 0..6),
        day0s in proptest::collection::vec(200usize..300, 1..5),
    ) {
        let tmp = tempfile::tempdir().unwrap();
        let d = tmp.path();
        let start = chrono::NaiveDate::from_ymd_opt(2023, 1, 2).unwrap();
        let dates: Vec<chrono::NaiveDate> = start.iter_days().filter(|x| {
            !matches!(chrono::Datelike::weekday(x), chrono::Weekday::Sat | chrono::Weekday::Sun)
        }).take(DAYS).collect();
        write(d, "S.csv", &dates, &stock, &[]);
        write(d, "SPY.csv", &dates, &market, &gaps);
        let mut ev = String::from("id,date,ticker\n");
        for (k, i) in day0s.iter().enumerate() {
            ev.push_str(&format!("E{k},{},S\n", dates[*i]));
        }
        std::fs::write(d.join("events.csv"), ev).unwrap();
        let mut cfg = StudyConfig::with_defaults(d);
        cfg.input.ticker = vec!["S".into()];
        cfg.tests.bootstrap = 49;
        cfg.method.min_estimation = 30;
        cfg.method.estimation = (-150, -11);
        cfg.output.no_charts = true;
        let summary = match run_study(&cfg) {
            Ok(s) => s,
            Err(e) => { prop_assert!(!e.to_string().is_empty()); return Ok(()); }
        };
        let v = serde_json::to_value(&summary).unwrap();
        for (e, r) in v["events"].as_array().unwrap().iter().zip(&summary.events) {
            if r.status != Status::Ok {
                continue;
            }
            for a in e["ar"].as_array().unwrap() {
                for f in ["ret", "market_ret", "expected", "ar", "car", "t", "car_se", "sar2"] {
                    prop_assert!(finite(&a[f]), "ok event {}: ar.{f} = {}", r.id, a[f]);
                }
            }
            for c in e["car"].as_array().unwrap() {
                for f in ["car", "se", "t", "p", "bhar", "raw", "market_raw", "var_ratio", "var_f", "var_p"] {
                    prop_assert!(finite(&c[f]), "ok event {}: car.{f} = {}", r.id, c[f]);
                }
            }
        }
        for g in v["aggregate"].as_array().unwrap() {
            for day in g["days"].as_array().unwrap() {
                for f in ["aar", "caar", "caar_se"] {
                    prop_assert!(finite(&day[f]), "{}: day {} {f} = {}", g["group"], day["day"], day[f]);
                }
            }
            for w in g["windows"].as_array().unwrap() {
                for f in ["caar", "mean_bhar", "mean_var_ratio"] {
                    prop_assert!(finite(&w[f]), "{}: window {} {f} = {}", g["group"], w["window"], w[f]);
                }
            }
        }
        // Undefined tests are NaN in both fields (null in JSON); defined ones finite in both.
        for g in &summary.aggregate {
            let tests = g.days.iter().map(|d| &d.tests).chain(g.windows.iter().map(|w| &w.tests));
            for t in tests.flat_map(|t| t.iter()) {
                let (s, p) = (t.1.stat, t.1.p);
                prop_assert!(!s.is_infinite() && !p.is_infinite(), "{}: {:?} = {s}, p {p}", g.group, t.0);
                prop_assert!(s.is_nan() == p.is_nan(), "{}: {:?} half defined: {s}, p {p}", g.group, t.0);
            }
        }
    }
}
