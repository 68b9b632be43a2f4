//! Property tests: the price, events, tickers and panel loaders return a value or an error on
//! any input whatsoever, never a panic. Bounded for CI: PROPTEST_CASES (default 256) cases per
//! property; raise it locally for a longer search.

use std::io::Write;

use eventstudy::load::{load_events, load_panel, load_prices, load_tickers};
use proptest::prelude::*;

/// Writes `bytes` to a fresh file and runs every loader on it.
fn load_all(bytes: &[u8]) {
    let mut f = tempfile::NamedTempFile::new().unwrap();
    f.write_all(bytes).unwrap();
    let p = f.path();
    let _ = load_prices(p, "X");
    let _ = load_events(p);
    let _ = load_tickers(p);
    if let Ok(panel) = load_panel(p) {
        for t in panel.tickers() {
            let _ = panel.series(&t, &Default::default());
        }
    }
}

/// Cells that real exports contain, and some they should not.
fn cell() -> impl Strategy<Value = String> {
    prop_oneof![
        Just(String::new()),
        Just("null".to_string()),
        Just("NaN".to_string()),
        Just("-0".to_string()),
        Just("0".to_string()),
        Just("$12.50".to_string()),
        Just("1.234,56".to_string()),
        Just("\"a,b\"".to_string()),
        Just("\"".to_string()),
        Just("2025-02-13".to_string()),
        Just("2025-02-13T10:00:00+04:00".to_string()),
        Just("2025-02-11 00:00:00-05:00".to_string()),
        Just("02/30/2025".to_string()),
        Just("13.02.2025".to_string()),
        Just("20250213".to_string()),
        Just("1e308".to_string()),
        Just("-1e400".to_string()),
        Just("inf".to_string()),
        Just("America/New_York".to_string()),
        Just("25:99".to_string()),
        Just("..".to_string()),
        "[-+0-9.,:;/ TZa-z\"\u{feff}\u{e9}]{0,24}",
        any::<f64>().prop_map(|x| x.to_string()),
        (1900i32..2100, 0u32..14, 0u32..33).prop_map(|(y, m, d)| format!("{y:04}-{m:02}-{d:02}")),
    ]
}

fn header() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("Date,Open,High,Low,Close,Adj Close,Volume".to_string()),
        Just("Date,Close".to_string()),
        Just("Date;Close".to_string()),
        Just("Date;AAA;BBB".to_string()),
        Just("date,ticker,close".to_string()),
        Just("id,date,time,timezone,ticker,kind".to_string()),
        Just("ticker,exchange,timezone,close,benchmark,currency".to_string()),
        Just("Price,Close,High\nTicker,X,X\nDate,,".to_string()),
        Just("Date,Close,Volume,Dividends,Stock Splits".to_string()),
        "[a-zA-Z ,;\"]{0,40}",
    ]
}

proptest! {
    #[test]
    fn arbitrary_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..600)) {
        load_all(&bytes);
    }

    #[test]
    fn near_valid_csv_never_panics(
        bom in any::<bool>(),
        crlf in any::<bool>(),
        head in header(),
        rows in proptest::collection::vec(proptest::collection::vec(cell(), 0..8), 0..30),
        sep in prop_oneof![Just(","), Just(";"), Just("\t")],
    ) {
        let nl = if crlf { "\r\n" } else { "\n" };
        let mut text = String::new();
        if bom {
            text.push('\u{feff}');
        }
        text.push_str(&head);
        for r in &rows {
            text.push_str(nl);
            text.push_str(&r.join(sep));
        }
        load_all(text.as_bytes());
    }
}
