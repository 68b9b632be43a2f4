//! The malformed-input corpus under tests/corpus/: every bad file is refused with the file, the
//! line (as an editor numbers it), the column and the expected form; every good layout loads to
//! the same three prices; events files are checked the same way. Nothing panics.

mod common;

use std::path::{Path, PathBuf};

use assert_cmd::Command;
use common::repo;
use eventstudy::load::{load_events, load_prices, load_prices_with, PriceOptions};

fn corpus(p: &str) -> PathBuf {
    repo().join("tests/corpus").join(p)
}

/// (file, fragments the message must contain).
const BAD_PRICES: &[(&str, &[&str])] = &[
    ("no_date_column.csv", &["line 1", "no date column", "[When, Close]", "expected one named Date"]),
    ("no_price_column.csv", &["line 1", "no price column", "expected 'Adj Close' or 'Close'"]),
    ("bad_date.csv", &["line 4, column 'Date'", "'2025-13-01' is not a date", "expected YYYY-MM-DD"]),
    ("bad_number.csv", &["line 3, column 'Close'", "'12.3.4' is not a number", "such as 123.45"]),
    ("duplicate_date.csv", &["line 4, column 'Date'", "duplicate date 2025-01-03 (also on line 3)"]),
    ("zero_price.csv", &["line 3, column 'Close'", "price 0", "positive"]),
    ("negative_price.csv", &["line 3, column 'Close'", "negative price -5", "--crsp-negative"]),
    ("empty.csv", &["the file is empty", "header line"]),
    ("blank_only.csv", &["the file is empty"]),
    ("header_only.csv", &["header but no data rows"]),
    ("bom_crlf_blank_lines_bad_number.csv", &["line 6, column 'Close'", "'abc' is not a number"]),
    ("factor_file_as_prices.csv", &["line 1 is text", "--factors"]),
    ("quoted_newline.csv", &["line 2", "quoted field opens on this line", "may not span lines"]),
    ("only_nulls.csv", &["no row has a price"]),
    ("empty_date.csv", &["line 3, column 'Date'", "empty date"]),
    ("decimal_comma_bad.csv", &["line 3, column 'Close'", "'zehn' is not a number", "such as 123,45"]),
    ("not_utf8.csv", &["line 3", "not UTF-8"]),
    ("subnormal_price.csv", &["line 3, column 'Close'", "price 1e-320 is not plausible", "from 1e-8 to 1e12"]),
    ("overflowing_price.csv", &["line 3, column 'Close'", "'1e400' is too large", "such as 123.45"]),
    ("extra_cell.csv", &["line 3", "the row has 3 cells, the header has 2", "must be quoted"]),
    (
        "missing_cell.csv",
        &["line 3", "the row has 1 cells, the header has 3", "a cell (empty if need be) for every column"],
    ),
    ("mixed_decimal_marks.csv", &["line 3, column 'Close'", "mixes number formats", "'1.098,96' (a decimal comma)"]),
    ("unterminated_quote.csv", &["line 2", "a quoted field opens on this line and is not closed on it"]),
    // A quote at the end of a date cell once reached polars, whose message named no line.
    ("stray_quote.csv", &["line 4, column 'Date'", "'2025-01-06\"' holds a quote character without its pair"]),
    ("bad_volume.csv", &["line 3, column 'Volume'", "'lots' is not a number", "a volume"]),
    ("mixed_date_order.csv", &["line 3, column 'Date'", "mixes day-first and month-first"]),
    ("ambiguous_slash_dates.csv", &["line 2, column 'Date'", "could be day/month or month/day", "--date-order"]),
];

#[test]
fn every_malformed_price_file_is_refused_with_file_line_column_and_expected_form() {
    for (file, want) in BAD_PRICES {
        let path = corpus(&format!("bad/{file}"));
        let err = load_prices(&path, "X").expect_err(file).to_string();
        assert!(err.starts_with(&format!("data error: {}", path.display())), "{file}: {err}");
        for w in *want {
            assert!(err.contains(w), "{file}: message lacks {w:?}: {err}");
        }
    }
}

#[test]
fn every_common_layout_loads_to_the_same_prices() {
    let want = [101.2, 103.1, 102.4];
    // Its three slash dates could be day or month first: the user says which.
    let mdy = PriceOptions { date_order: Some(eventstudy::load::DateOrder::Mdy), ..Default::default() };
    for file in
        ["stooq.csv", "nasdaq.csv", "stooq_pl.csv", "minimal_lower.csv", "yfinance_3line.csv", "yfinance_history.csv"]
    {
        let s = load_prices_with(&corpus(&format!("good/{file}")), "X", &mdy).unwrap_or_else(|e| panic!("{file}: {e}"));
        assert_eq!(s.prices, want, "{file}");
        assert_eq!(s.dates[0].to_string(), "2025-02-10", "{file}");
    }
    let nasdaq = load_prices_with(&corpus("good/nasdaq.csv"), "X", &mdy).unwrap();
    assert_eq!(nasdaq.date_order, Some(eventstudy::load::DateOrder::Mdy));
    assert!(
        nasdaq.warnings.iter().any(|w| w.contains("not in increasing order; sorted")),
        "newest-first files are sorted with a warning"
    );
    let eu = load_prices(&corpus("good/european.csv"), "X").unwrap();
    assert_eq!((eu.prices.clone(), eu.price_column.as_str()), (vec![1012.0, 1031.0, 1024.0], "Schluss"));
    let y = load_prices(&corpus("good/bom_crlf_nulls_no_newline.csv"), "X").unwrap();
    assert_eq!(y.prices, [101.2, 103.1, 102.4]);
    assert!(
        y.warnings.iter().any(|w| w.contains("2 row(s) with no price") && w.contains("line(s) 3, 5")),
        "{:?}",
        y.warnings
    );
}

#[test]
fn crsp_negative_prices_are_read_only_when_asked() {
    let s = load_prices_with(
        &corpus("bad/negative_price.csv"),
        "X",
        &PriceOptions { crsp_negative: true, ..Default::default() },
    )
    .unwrap();
    assert_eq!(s.prices, [10.0, 5.0]);
    assert!(s.warnings.iter().any(|w| w.contains("CRSP bid/ask")));
}

const BAD_EVENTS: &[(&str, &[&str])] = &[
    ("no_date_column.csv", &["line 1", "no 'date' column"]),
    ("bad_date.csv", &["line 3, column 'date'", "'13/02/2025x' is not a date"]),
    ("time_without_zone.csv", &["line 2, column 'time'", "no time zone", "timezone"]),
    ("naive_timestamp.csv", &["line 2, column 'date'", "no offset", "+04:00"]),
    ("unknown_zone.csv", &["line 2, column 'timezone'", "'Dubai' is not an IANA time zone", "Asia/Dubai"]),
    ("bad_time.csv", &["line 2, column 'time'", "'10h00' is not a time of day", "HH:MM"]),
    ("duplicate_id.csv", &["line 3, column 'id'", "duplicate event id 'a' (also on line 2)"]),
    ("empty_date.csv", &["line 2, column 'date'", "empty date"]),
    ("bad_ticker.csv", &["line 2, column 'ticker'", "not a valid ticker"]),
    ("empty.csv", &["the file is empty"]),
    ("empty_id.csv", &["line 4, column 'id'", "empty event id"]),
    ("unquoted_comma.csv", &["line 2", "the row has 5 cells, the header has 4"]),
    ("stray_quote.csv", &["line 2, column 'headline'", "'Apple says \"yes' holds a quote character without its pair"]),
    // A quote inside a quoted headline, not doubled: polars dropped the quotes silently.
    // A space before the quote: polars reads the cell as text and splits it at its comma,
    // which shifted every column after it.
    ("space_before_quote.csv", &["line 2, column 'headline'", "without its pair", "the opening quote first"]),
    (
        "undoubled_quote.csv",
        &["line 2, column 'headline'", "has text (or a space) after the quote that closes it", "doubled"],
    ),
    ("ambiguous_slash_date.csv", &["line 2, column 'date'", "--date-order dmy"]),
];

#[test]
fn every_malformed_events_file_is_refused_with_line_column_and_expected_form() {
    for (file, want) in BAD_EVENTS {
        let path = corpus(&format!("events/{file}"));
        let err = load_events(&path).expect_err(file).to_string();
        for w in *want {
            assert!(err.contains(w), "{file}: message lacks {w:?}: {err}");
        }
    }
}

fn study(cwd: &Path, args: &[&str]) -> std::process::Output {
    Command::cargo_bin("eventstudy").unwrap().current_dir(cwd).args(args).arg("--no-charts").output().unwrap()
}

/// Through the binary: data errors exit 1 and usage errors 2, with one short line and no
/// backtrace, and nothing is written.
#[test]
fn the_binary_exits_1_on_bad_files_and_2_on_bad_options_without_a_backtrace() {
    let tmp = tempfile::tempdir().unwrap();
    let data = tmp.path().join("data");
    std::fs::create_dir_all(&data).unwrap();
    std::fs::write(data.join("events.csv"), "id,date,ticker\na,2025-02-12,X\n").unwrap();
    for (file, _) in BAD_PRICES {
        std::fs::copy(corpus(&format!("bad/{file}")), data.join("X.csv")).unwrap();
        let out = study(tmp.path(), &["--ticker", "X", "--model", "constant-mean"]);
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(1), "{file}: {err}");
        assert!(
            err.starts_with("eventstudy: data error: ") && !err.contains("panicked") && !err.contains("backtrace"),
            "{file}: {err}"
        );
        assert!(!tmp.path().join("notebooks-out").exists(), "{file}: a failed run writes nothing");
    }
    std::fs::copy(corpus("good/stooq.csv"), data.join("X.csv")).unwrap();
    for (args, want) in [
        (vec!["--ticker", "X", "--window=5,-5"], "reversed"),
        (vec!["--ticker", "X", "--estimation=-100,0"], "overlaps the event window"),
        (vec!["--ticker", "NOPE"], "no prices for 'NOPE'"),
        (vec!["--ticker", "../X"], "not a valid ticker"),
        (vec!["--ticker", "X", "--out", "data/out"], "inside the data folder"),
        (vec!["--ticker", "X", "--events", "data"], "is a directory"),
    ] {
        let out = study(tmp.path(), &args);
        let err = String::from_utf8_lossy(&out.stderr);
        let code = if want == "is a directory" { 1 } else { 2 };
        assert_eq!(out.status.code(), Some(code), "{args:?}: {err}");
        assert!(err.contains(want), "{args:?}: {err}");
    }
}

/// Six equal closes in a row (five zero returns) are reported as stale; a doubling without a
/// recorded split as a 1-for-2 reverse split; a recorded split silences the jump warning.
#[test]
fn stale_prices_and_split_like_jumps_are_warned_about() {
    let tmp = tempfile::tempdir().unwrap();
    let p = tmp.path().join("X.csv");
    let mut text = String::from("Date,Close,Stock Splits\n");
    let closes = [10.0, 10.5, 10.5, 10.5, 10.5, 10.5, 10.5, 11.0, 22.0, 22.5, 11.25];
    let split = [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2];
    for (i, (c, s)) in closes.iter().zip(split).enumerate() {
        text.push_str(&format!("2025-01-{:02},{c},{s}\n", i + 2));
    }
    std::fs::write(&p, text).unwrap();
    let w = load_prices(&p, "X").unwrap().warnings.join("\n");
    assert!(w.contains("stale prices") && w.contains("lines 3-8") && w.contains("5 zero returns"), "{w}");
    assert!(w.contains("line 10") && w.contains("x2.000") && w.contains("1-for-2 reverse split"), "{w}");
    assert!(!w.contains("line 12"), "the halving on line 12 has a split recorded: {w}");
}

/// (claims file, fragments the message must contain): each bad claims row is refused with the
/// file, the line and what was expected, exit 1, through the binary.
const BAD_CLAIMS: &[(&str, &[&str])] = &[
    ("unknown_event.csv", &["line 2, column 'event'", "no event 'no-such-event' in the events file"]),
    ("window_outside.csv", &["line 2, column 'from'", "[-20,1] lies outside the event window [-10,10]"]),
    ("missing_bound.csv", &["line 2, column 'high'", "expect between needs both a low and a high bound"]),
    ("duplicate_id.csv", &["line 3, column 'id'", "duplicate claim id 'c1' (also on line 2)"]),
    ("bad_expect.csv", &["line 2, column 'expect'", "'greater' is not an expectation", "above, below or between"]),
    ("bad_day.csv", &["line 2, column 'to'", "'one' is not a relative day"]),
    ("no_to_column.csv", &["line 1", "no 'to' column"]),
    ("volatility_bound.csv", &["line 2, column 'low'", "variance ratio", "positive number"]),
    ("volatility_high_bound.csv", &["line 2, column 'high'", "variance ratio"]),
    ("loss_bound.csv", &["line 2, column 'low'", "-1.5 is a loss of 100% or more"]),
    ("two_tickers.csv", &["line 2, column 'ticker'", "'BABA;AAPL' is not one ticker"]),
];

#[test]
fn every_malformed_claims_file_is_refused_with_file_line_and_expected_form() {
    let tmp = tempfile::tempdir().unwrap();
    common::copy_dir(&repo().join("data"), &tmp.path().join("data"));
    for (file, want) in BAD_CLAIMS {
        let path = corpus(&format!("claims/{file}"));
        let out = Command::cargo_bin("eventstudy")
            .unwrap()
            .current_dir(tmp.path())
            .args(["--ticker", "BABA", "--no-charts", "--claims"])
            .arg(&path)
            .output()
            .unwrap();
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(1), "{file}: {err}");
        assert!(err.contains(&format!("data error: {}", path.display())), "{file}: {err}");
        for w in *want {
            assert!(err.contains(w), "{file}: message lacks {w:?}: {err}");
        }
    }
}
