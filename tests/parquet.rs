//! Parquet in and out: `--panel FILE.parquet` gives the same study as the same prices in CSV,
//! and `--parquet` writes ar, car and aggregate as Parquet with the CSVs' columns and values
//! (dates as Date, numbers as Float64, days and counts as Int64), read back here with polars'
//! Parquet reader and compared cell by cell with the CSV text.

mod common;

use std::path::Path;

use assert_cmd::Command;
use common::{copy_dir, repo, study_dir};
use polars::prelude::*;

fn bin(cwd: &Path) -> Command {
    let mut c = Command::cargo_bin("eventstudy").unwrap();
    c.current_dir(cwd);
    c
}

/// The cells of a CSV file, header first (quoted cells unquoted), as text.
fn csv_cells(path: &Path) -> (Vec<String>, Vec<Vec<Option<String>>>) {
    let df = CsvReadOptions::default()
        .with_has_header(true)
        .with_infer_schema_length(Some(0))
        .try_into_reader_with_file_path(Some(path.to_path_buf()))
        .unwrap()
        .finish()
        .unwrap();
    let header: Vec<String> = df.get_column_names().iter().map(|s| s.to_string()).collect();
    let cols = df.columns().iter().map(|c| c.str().unwrap().iter().map(|v| v.map(str::to_string)).collect()).collect();
    (header, cols)
}

fn read_parquet(path: &Path) -> DataFrame {
    ParquetReader::new(std::fs::File::open(path).unwrap()).finish().unwrap()
}

/// Every Parquet cell equals its CSV cell: numbers exactly, dates as YYYY-MM-DD, nulls where
/// the CSV is empty.
fn same_table(csv: &Path, parquet: &Path) {
    let (header, cols) = csv_cells(csv);
    let df = read_parquet(parquet);
    let names: Vec<String> = df.get_column_names().iter().map(|s| s.to_string()).collect();
    assert_eq!(names, header, "{}: columns", parquet.display());
    assert_eq!(df.height(), cols.first().map_or(0, |c| c.len()), "{}: rows", parquet.display());
    for (name, want) in header.iter().zip(&cols) {
        let c = df.column(name).unwrap().as_materialized_series().clone();
        let what = |i: usize| format!("{} column {name} row {i}", parquet.display());
        match c.dtype() {
            DataType::Float64 => {
                for (i, (got, w)) in c.f64().unwrap().iter().zip(want).enumerate() {
                    assert_eq!(got, w.as_deref().map(|t| t.parse::<f64>().unwrap()), "{}", what(i));
                }
            }
            DataType::Int64 => {
                for (i, (got, w)) in c.i64().unwrap().iter().zip(want).enumerate() {
                    assert_eq!(got, w.as_deref().map(|t| t.parse::<i64>().unwrap()), "{}", what(i));
                }
            }
            DataType::Date => {
                let text = c.cast(&DataType::String).unwrap();
                for (i, (got, w)) in text.str().unwrap().iter().zip(want).enumerate() {
                    assert_eq!(got, w.as_deref(), "{}", what(i));
                }
            }
            DataType::String => {
                for (i, (got, w)) in c.str().unwrap().iter().zip(want).enumerate() {
                    assert_eq!(got, w.as_deref(), "{}", what(i));
                }
            }
            other => panic!("{}: unexpected type {other}", what(0)),
        }
    }
}

#[test]
fn parquet_outputs_have_the_csv_columns_and_values_with_typed_columns() {
    let tmp = tempfile::tempdir().unwrap();
    copy_dir(&repo().join("data"), &tmp.path().join("data"));
    let out = bin(tmp.path())
        .args(["--ticker", "BABA,AAPL,BIDU", "--parquet", "--no-charts", "--bootstrap", "99"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let dir = study_dir(&tmp.path().join("notebooks-out"), "BABA-AAPL-BIDU_vs_SPY");
    for t in ["ar", "car", "aggregate"] {
        same_table(&dir.join(format!("{t}.csv")), &dir.join(format!("{t}.parquet")));
    }
    let ar = read_parquet(&dir.join("ar.parquet"));
    assert_eq!(ar.column("date").unwrap().dtype(), &DataType::Date);
    assert_eq!(ar.column("day").unwrap().dtype(), &DataType::Int64);
    assert_eq!(ar.column("ar").unwrap().dtype(), &DataType::Float64);
    let car = read_parquet(&dir.join("car.parquet"));
    assert_eq!(car.column("p_adj").unwrap().dtype(), &DataType::Float64, "an empty column is still a number");
    // Without --parquet nothing is written as Parquet.
    let again = bin(tmp.path()).args(["--ticker", "BABA", "--no-charts", "--bootstrap", "0"]).output().unwrap();
    assert!(again.status.success());
    let baba = study_dir(&tmp.path().join("notebooks-out"), "BABA_vs_SPY");
    assert!(!baba.join("ar.parquet").exists());
}

/// The long panel of the bundled prices (Adj Close) as CSV and as Parquet, dates as Date.
fn write_panels(dir: &Path) {
    let (mut dates, mut tickers, mut closes) = (vec![], vec![], vec![]);
    let mut csv = String::from("date,ticker,close\n");
    for t in ["BABA", "AAPL", "BIDU", "SPY"] {
        let (header, cols) = csv_cells(&repo().join("data").join(format!("{t}.csv")));
        let (d, c) =
            (header.iter().position(|h| h == "Date").unwrap(), header.iter().position(|h| h == "Adj Close").unwrap());
        for (date, close) in cols[d].iter().zip(&cols[c]) {
            let (date, close) = (date.clone().unwrap(), close.clone().unwrap());
            csv.push_str(&format!("{date},{t},{close}\n"));
            dates.push(chrono::NaiveDate::parse_from_str(&date, "%Y-%m-%d").unwrap());
            tickers.push(t.to_string());
            closes.push(close.parse::<f64>().unwrap());
        }
    }
    std::fs::write(dir.join("panel.csv"), csv).unwrap();
    let date = DateChunked::from_naive_date(PlSmallStr::from("date"), dates).into_series().into_column();
    let mut df = DataFrame::new_infer_height(vec![
        date,
        Column::new("ticker".into(), tickers),
        Column::new("close".into(), closes),
    ])
    .unwrap();
    let f = std::fs::File::create(dir.join("panel.parquet")).unwrap();
    ParquetWriter::new(f).finish(&mut df).unwrap();
}

#[test]
fn a_parquet_panel_gives_the_same_study_as_the_csv_panel() {
    let tmp = tempfile::tempdir().unwrap();
    copy_dir(&repo().join("data"), &tmp.path().join("data"));
    write_panels(tmp.path());
    let run = |panel: &str| -> serde_json::Value {
        let out = bin(tmp.path())
            .args([
                "--ticker",
                "BABA,AAPL,BIDU",
                "--panel",
                panel,
                "--no-charts",
                "--bootstrap",
                "0",
                "--format",
                "json",
            ])
            .output()
            .unwrap();
        assert!(out.status.success(), "{panel}: {}", String::from_utf8_lossy(&out.stderr));
        serde_json::from_slice(&out.stdout).unwrap()
    };
    let (csv, parquet) = (run("panel.csv"), run("panel.parquet"));
    assert_eq!(csv["events"].as_array().unwrap().len(), 14);
    for key in ["events", "aggregate", "exclusions", "claims"] {
        assert_eq!(csv[key], parquet[key], "{key} differs between the CSV and the Parquet panel");
    }
    let inputs = parquet["inputs"].as_array().unwrap();
    assert!(inputs.iter().any(|i| i["path"].as_str().unwrap().ends_with("panel.parquet")), "{inputs:?}");
}

#[test]
fn a_file_that_is_not_parquet_is_a_data_error_naming_it() {
    let tmp = tempfile::tempdir().unwrap();
    copy_dir(&repo().join("data"), &tmp.path().join("data"));
    std::fs::write(tmp.path().join("bad.parquet"), b"PAR1 this is not a parquet file").unwrap();
    let out = bin(tmp.path()).args(["--ticker", "BABA", "--panel", "bad.parquet"]).output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("bad.parquet") && stderr.contains("cannot read it as Parquet"), "{stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
}

/// Regression (hostile pass): a time-zone-aware timestamp date, a dictionary-encoded ticker and
/// unused columns of types this build does not read (int8, decimal, map, struct) stopped the
/// study or crashed it; each Parquet panel of tests/corpus/parquet (written by pyarrow from the
/// bundled data, `make.py`) now gives the CSV panel's study.
#[test]
fn parquet_panels_as_pandas_and_pyarrow_write_them_give_the_csv_study() {
    let tmp = tempfile::tempdir().unwrap();
    copy_dir(&repo().join("data"), &tmp.path().join("data"));
    write_panels(tmp.path());
    let run = |panel: &Path| -> serde_json::Value {
        let out = bin(tmp.path())
            .args(["--ticker", "BABA,AAPL,BIDU", "--no-charts", "--bootstrap", "0", "--format", "json", "--panel"])
            .arg(panel)
            .output()
            .unwrap();
        assert!(out.status.success(), "{}: {}", panel.display(), String::from_utf8_lossy(&out.stderr));
        serde_json::from_slice(&out.stdout).unwrap()
    };
    let csv = run(&tmp.path().join("panel.csv"));
    for name in ["ts_tz", "category", "extra_columns"] {
        let got = run(&repo().join(format!("tests/corpus/parquet/{name}.parquet")));
        for key in ["events", "aggregate"] {
            assert_eq!(csv[key], got[key], "{name}: {key} differs from the CSV panel's");
        }
    }
}

/// A decimal price column is refused with a message naming it (this build reads no decimals).
#[test]
fn a_decimal_price_column_is_named_in_the_refusal() {
    let tmp = tempfile::tempdir().unwrap();
    copy_dir(&repo().join("data"), &tmp.path().join("data"));
    let out = bin(tmp.path())
        .args(["--ticker", "BABA", "--panel"])
        .arg(repo().join("tests/corpus/parquet/decimal_close.parquet"))
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("decimal_close.parquet") && stderr.contains("close (Decimal(18, 6))"), "{stderr}");
}

/// Regression (hostile pass): checking for Parquet's magic read the first bytes of a piped
/// panel (`--panel /dev/stdin`), and the CSV lost its header's first four characters.
#[test]
fn a_panel_piped_on_stdin_keeps_its_first_bytes() {
    let tmp = tempfile::tempdir().unwrap();
    copy_dir(&repo().join("data"), &tmp.path().join("data"));
    write_panels(tmp.path());
    let csv = std::fs::read(tmp.path().join("panel.csv")).unwrap();
    let out = bin(tmp.path())
        .args(["--ticker", "BABA", "--panel", "/dev/stdin", "--no-charts", "--bootstrap", "0"])
        .write_stdin(csv)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
}
