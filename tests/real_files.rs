//! Every real export in ../shared/data/real (and its alt/ folders) loads without editing, or is
//! refused with a precise reason; the data-quality warnings fire on the real cases they are
//! meant for (unadjusted splits in the EventStudyTools panel, an intraday last row).

mod common;

use std::path::{Path, PathBuf};

use common::shared_data;
use eventstudy::load::{load_factors, load_panel, load_prices, PriceOptions};

fn files(dir: &Path, out: &mut Vec<PathBuf>) {
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.is_dir() {
            files(&p, out);
        } else if p.extension().is_some_and(|x| x.eq_ignore_ascii_case("csv")) {
            out.push(p);
        }
    }
}

#[test]
fn every_real_file_loads_or_is_refused_with_a_precise_reason() {
    let Some(shared) = shared_data("every_real_file_loads_or_is_refused_with_a_precise_reason") else { return };
    let mut all = Vec::new();
    files(&shared.join("real"), &mut all);
    all.sort();
    assert!(all.len() >= 50, "expected the whole real/ tree, found {}", all.len());
    for p in &all {
        let name = p.file_name().unwrap().to_string_lossy().to_string();
        match load_prices(p, "X") {
            Ok(s) => {
                assert!(s.dates.len() > 100, "{}: {} rows", p.display(), s.dates.len());
                assert!(s.prices.iter().all(|x| *x > 0.0 && x.is_finite()));
            }
            Err(e) => {
                let e = e.to_string();
                if name.ends_with("_daily.csv") {
                    // Ken French files: refused as prices, read as factors.
                    assert!(e.contains("line 1 is text") && e.contains("--factors"), "{e}");
                    load_factors(std::slice::from_ref(p)).unwrap_or_else(|e| panic!("{}: {e}", p.display()));
                } else if name == "IT-AI_2019_2026.csv" {
                    // A wide ';' file with decimal commas: one price column per ticker.
                    assert!(e.contains("line 1") && e.contains("no price column"), "{e}");
                    let panel = load_panel(p).unwrap();
                    assert_eq!(panel.layout(), "wide");
                    let aapl = panel.series("AAPL", &PriceOptions::default()).unwrap().unwrap();
                    assert_eq!(aapl.dates[0].to_string(), "2018-12-31");
                    assert!((aapl.prices[0] - 39.435).abs() < 1e-12, "decimal comma: {}", aapl.prices[0]);
                    let spx = panel.series("SP500", &PriceOptions::default()).unwrap().unwrap();
                    let i = spx.dates.iter().position(|d| d.to_string() == "2025-02-13").unwrap();
                    assert!((spx.prices[i] - 6115.07).abs() < 1e-9, "S&P 500 close on 2025-02-13 (PROVENANCE.md)");
                } else {
                    panic!("{} was refused: {e}", p.display());
                }
            }
        }
    }
}

#[test]
fn unadjusted_splits_in_the_eventstudytools_panel_are_flagged() {
    let Some(shared) = shared_data("unadjusted_splits_in_the_eventstudytools_panel_are_flagged") else { return };
    let dir = shared.join("reference/est_sp500");
    for (file, date, label) in [
        ("Adobe_Systems.csv", "1999-10-27", "2-for-1 split"),
        ("Coca_Cola_Enterprises.csv", "1997-05-13", "3-for-1 split"),
        ("Citrix_Systems.csv", "1998-02-23", "3-for-2 split"),
    ] {
        let s = load_prices(&dir.join(file), "X").unwrap();
        let w = s
            .warnings
            .iter()
            .find(|w| w.contains("unadjusted split"))
            .unwrap_or_else(|| panic!("{file}: {:?}", s.warnings));
        assert!(w.contains(date) && w.contains(label), "{file}: {w}");
    }
    let spx = load_prices(&dir.join("SP500.csv"), "X").unwrap();
    assert!(!spx.warnings.iter().any(|w| w.contains("split")), "an index has no splits: {:?}", spx.warnings);
}

#[test]
fn an_intraday_last_row_is_flagged_and_drop_last_row_leaves_it_out() {
    let Some(shared) = shared_data("an_intraday_last_row_is_flagged_and_drop_last_row_leaves_it_out") else { return };
    // PROVENANCE.md: the Koi-west files end with a partial-volume row on 2026-03-26.
    let p = shared.join("real/alt/ohlcv_adj_koiwest_2021-2026/BABA.csv");
    let s = load_prices(&p, "BABA").unwrap();
    assert!(
        s.warnings.iter().any(|w| w.contains("2026-03-26") && w.contains("unfinished trading day")),
        "{:?}",
        s.warnings
    );
    let d = eventstudy::load::load_prices_with(&p, "BABA", &PriceOptions { drop_last_row: true, ..Default::default() })
        .unwrap();
    assert_eq!(d.dates.len(), s.dates.len() - 1);
    assert_eq!(d.dates.last().unwrap().to_string(), "2026-03-25");
    assert!(!d.warnings.iter().any(|w| w.contains("unfinished")));
}

/// Regression: a zero volume on the last row (a missing value, or an index without volume)
/// was reported as an unfinished trading day; a partial, non-zero volume still is.
#[test]
fn a_zero_last_volume_is_not_an_unfinished_trading_day() {
    let tmp = tempfile::tempdir().unwrap();
    let file = |last_volume: &str| {
        let mut s = String::from("Date,Close,Volume\n");
        let start = chrono::NaiveDate::from_ymd_opt(2020, 1, 1).unwrap();
        for i in 0..30 {
            let v = if i == 29 { last_volume.to_string() } else { format!("{}", 1_000_000 + 1000 * i) };
            s.push_str(&format!("{},{},{v}\n", start + chrono::Days::new(i), 100.0 + i as f64));
        }
        let p = tmp.path().join(format!("v{last_volume}.csv"));
        std::fs::write(&p, s).unwrap();
        load_prices(&p, "X").unwrap().warnings
    };
    assert!(!file("0").iter().any(|w| w.contains("unfinished")), "{:?}", file("0"));
    assert!(file("100000").iter().any(|w| w.contains("unfinished trading day")), "{:?}", file("100000"));
}

/// Regression: simulated panels raised about 90 "unadjusted split" warnings per 3,000 files
/// (fat-tailed shocks and jumps reaching a 3-for-2 price ratio); a simulated day's move now
/// stays within e^±0.3, and no clean simulated file is flagged.
#[test]
fn simulated_panels_raise_no_data_quality_warnings() {
    let tmp = tempfile::tempdir().unwrap();
    let opts = eventstudy::simulate::SimOptions {
        seed: 7,
        start: chrono::NaiveDate::from_ymd_opt(2015, 1, 2).unwrap(),
        end: chrono::NaiveDate::from_ymd_opt(2024, 12, 31).unwrap(),
    };
    let (_, stocks) = eventstudy::simulate::simulate_panel(&opts, 400);
    for s in &stocks {
        let p = s.to_price_series();
        let max = p.prices.windows(2).map(|w| (w[1] / w[0]).ln().abs()).fold(0.0, f64::max);
        assert!(max <= eventstudy::simulate::MAX_DAILY_LOG_RETURN + 1e-9, "{}: {max}", p.ticker);
        let path = tmp.path().join(format!("{}.csv", p.ticker));
        let mut text = String::from("Date,Close\n");
        for (d, c) in p.dates.iter().zip(&p.prices) {
            text.push_str(&format!("{d},{c}\n"));
        }
        std::fs::write(&path, text).unwrap();
        let w = load_prices(&path, &p.ticker).unwrap().warnings;
        assert!(w.is_empty(), "{}: {w:?}", p.ticker);
    }
}
