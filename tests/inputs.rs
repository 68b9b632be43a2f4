//! One regression test per input defect found on real files and by hostile testing (each named
//! after the defect), through the binary as the user meets it: no silent wrong number, no lost
//! file, no hang, and a message naming the file, the line and what was expected.

mod common;

use std::path::{Path, PathBuf};
use std::process::Output;

use assert_cmd::Command;
use common::{copy_dir, repo};

/// A scratch folder with the bundled data as `d/`.
fn ws() -> tempfile::TempDir {
    let t = tempfile::tempdir().unwrap();
    copy_dir(&repo().join("data"), &t.path().join("d"));
    t
}

/// Runs the binary in `dir` with `--data d --out o` and `args`.
fn run(dir: &Path, args: &[&str]) -> Output {
    Command::cargo_bin("eventstudy")
        .unwrap()
        .current_dir(dir)
        .args(["--data", "d", "--out", "o"])
        .args(args)
        .timeout(std::time::Duration::from_secs(120))
        .output()
        .unwrap()
}

/// A quick study (no charts, no bootstrap) printed as JSON; asserts success.
fn json(dir: &Path, args: &[&str]) -> serde_json::Value {
    let out = run(dir, &[args, &["--format", "json", "--no-charts", "--bootstrap", "0"]].concat());
    assert!(out.status.success(), "{args:?}: {}", stderr(&out));
    serde_json::from_slice(&out.stdout).unwrap()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// Asserts exit code `code` and no panic; returns stderr.
fn fails(dir: &Path, args: &[&str], code: i32) -> String {
    let out = run(dir, args);
    let e = stderr(&out);
    assert_eq!(out.status.code(), Some(code), "{args:?}: {e}");
    assert!(!e.contains("panicked") && !e.contains("backtrace"), "{e}");
    e
}

/// The bundled `<ticker>.csv` as `Date,Close` rows (its adjusted close), for editing.
fn date_close(ticker: &str) -> Vec<String> {
    let text = std::fs::read_to_string(repo().join("data").join(format!("{ticker}.csv"))).unwrap();
    text.lines().skip(1).map(|l| l.split(',').collect::<Vec<_>>()).map(|c| format!("{},{}", c[0], c[5])).collect()
}

/// Writes `d/<ticker>.csv` as `Date,Close` with row `row` (0-based, by date) replaced by `line`.
fn write_with(dir: &Path, ticker: &str, row: usize, line: &str) -> usize {
    let mut rows = date_close(ticker);
    rows[row] = line.to_string();
    std::fs::write(dir.join(format!("d/{ticker}.csv")), format!("Date,Close\n{}\n", rows.join("\n"))).unwrap();
    row + 2
}

fn events_of<'a>(s: &'a serde_json::Value, ticker: &str) -> Vec<&'a serde_json::Value> {
    s["events"].as_array().unwrap().iter().filter(|e| e["ticker"] == ticker).collect()
}

#[test]
fn item01_non_finite_or_implausible_numbers_are_refused_with_line_and_column() {
    let w = ws();
    let row = date_close("BABA").iter().position(|l| l.starts_with("2025-02-12")).unwrap();
    for (cell, want) in [
        ("1e-320", "is not plausible"),
        ("1e308", "is not plausible"),
        ("1e400", "too large to be a number"),
        ("inf", "is not a number"),
    ] {
        let line = write_with(w.path(), "BABA", row, &format!("2025-02-12,{cell}"));
        let e = fails(w.path(), &["--ticker", "BABA", "--no-charts"], 1);
        assert!(e.contains(&format!("BABA.csv, line {line}, column 'Close'")) && e.contains(want), "{cell}: {e}");
    }
    // Regression: a million-digit price was reported as "no price (null/NaN/empty)".
    write_with(w.path(), "BABA", row, &format!("2025-02-12,{}", "9".repeat(1_000_000)));
    let e = fails(w.path(), &["--ticker", "BABA", "--no-charts"], 1);
    assert!(e.contains("(1000000 characters)") && e.len() < 600, "{}", &e[..e.len().min(600)]);
    // Volume: not a number, or negative.
    let yahoo = std::fs::read_to_string(repo().join("data/BABA.csv")).unwrap();
    for (bad, want) in [("abc", "is not a number"), ("-5", "not plausible")] {
        let text = yahoo.replacen(",21086298\n", &format!(",{bad}\n"), 1);
        std::fs::write(w.path().join("d/BABA.csv"), text).unwrap();
        let e = fails(w.path(), &["--ticker", "BABA", "--no-charts"], 1);
        assert!(e.contains("line 2, column 'Volume'") && e.contains(want), "{e}");
    }
    // Factor files: NaN and inf.
    std::fs::write(w.path().join("d/BABA.csv"), &yahoo).unwrap();
    for bad in ["NaN", "inf"] {
        std::fs::write(w.path().join("f.csv"), format!("date,mkt_rf,smb,hml,rf\n2024-01-02,{bad},0,0,0\n")).unwrap();
        let e = fails(w.path(), &["--ticker", "BABA", "--model", "ff3", "--factors", "f.csv", "--no-charts"], 1);
        assert!(e.contains("f.csv, line 2, column 'mkt_rf'") && e.contains("finite factor return"), "{e}");
    }
}

#[test]
fn item02_rows_with_more_or_fewer_cells_than_the_header_are_errors() {
    let w = ws();
    let row = date_close("BABA").iter().position(|l| l.starts_with("2025-02-12")).unwrap();
    // Regression: `2025-02-12,1,115.30` was read as price 1 and CAR became +11547%.
    let line = write_with(w.path(), "BABA", row, "2025-02-12,1,115.30");
    let e = fails(w.path(), &["--ticker", "BABA", "--no-charts"], 1);
    assert!(e.contains(&format!("line {line}")) && e.contains("has 3 cells, the header has 2"), "{e}");
    let line = write_with(w.path(), "BABA", row, "2025-02-12");
    let e = fails(w.path(), &["--ticker", "BABA", "--no-charts"], 1);
    assert!(e.contains(&format!("line {line}")) && e.contains("has 1 cells, the header has 2"), "{e}");
    // A trailing empty cell is not an error.
    let closes = date_close("BABA");
    let price = closes[row].split(',').nth(1).unwrap().to_string();
    write_with(w.path(), "BABA", row, &format!("2025-02-12,{price},"));
    json(w.path(), &["--ticker", "BABA"]);
    // Regression: an unquoted comma in a headline kept only the text before it.
    std::fs::write(w.path().join("ev.csv"), "id,date,ticker,headline\na,2025-02-13,BABA,Apple, Alibaba sign\n")
        .unwrap();
    let e = fails(w.path(), &["--ticker", "BABA", "--events", "ev.csv", "--no-charts"], 1);
    assert!(e.contains("ev.csv, line 2") && e.contains("has 5 cells, the header has 4") && e.contains("quoted"), "{e}");
}

#[test]
fn item03_decimal_and_grouping_marks_are_decided_per_column() {
    let w = tempfile::tempdir().unwrap();
    let p = w.path().join("x.csv");
    std::fs::write(&p, "Datum;Schluss\n2025-02-10;1.098,96\n2025-02-11;1.153\n2025-02-12;1.164,83\n").unwrap();
    let s = eventstudy::load::load_prices(&p, "X").unwrap();
    assert_eq!(s.prices, [1098.96, 1153.0, 1164.83], "regression: 1.153 was read as 1.153");
    std::fs::write(&p, "Datum;Schluss\n2025-02-10;1.098,96\n2025-02-11;1,098.96\n").unwrap();
    let e = eventstudy::load::load_prices(&p, "X").unwrap_err().to_string();
    assert!(e.contains("line 3, column 'Schluss'") && e.contains("mixes number formats"), "{e}");
}

#[test]
fn item04_drop_last_row_drops_the_latest_date_in_a_newest_first_file() {
    let w = ws();
    let mut rows = date_close("BABA");
    let (latest, previous) = (rows[rows.len() - 1].clone(), rows[rows.len() - 2].clone());
    rows.reverse();
    std::fs::write(w.path().join("d/BABA.csv"), format!("Date,Close\n{}\n", rows.join("\n"))).unwrap();
    let s = json(w.path(), &["--ticker", "BABA", "--drop-last-row"]);
    let stock = s["inputs"].as_array().unwrap().iter().find(|i| i["role"] == "stock").unwrap();
    assert_eq!(stock["last_date"], previous.split(',').next().unwrap(), "the latest date is the one left out");
    let day = latest.split(',').next().unwrap();
    let warned =
        s["warnings"].as_array().unwrap().iter().any(|x| x.as_str().unwrap().contains(&format!("line 2, {day}")));
    assert!(warned, "{}", s["warnings"]);
}

#[test]
fn item05_ambiguous_slash_dates_are_refused_until_date_order_decides() {
    let w = ws();
    std::fs::write(w.path().join("ev.csv"), "id,date,ticker\nx,11/02/2025,BABA\n").unwrap();
    let e = fails(w.path(), &["--ticker", "BABA", "--events", "ev.csv", "--no-charts"], 1);
    assert!(e.contains("ev.csv, line 2, column 'date'") && e.contains("--date-order dmy"), "{e}");
    let s = json(w.path(), &["--ticker", "BABA", "--events", "ev.csv", "--date-order", "dmy"]);
    assert_eq!(s["events"][0]["event_date"], "2025-02-11");
    let ev = s["inputs"].as_array().unwrap().iter().find(|i| i["role"] == "events").unwrap();
    assert_eq!(ev["date_order"], "dmy");
    // A day above 12 decides the whole column.
    std::fs::write(w.path().join("ev.csv"), "id,date,ticker\nx,11/02/2025,BABA\ny,13/02/2025,BABA\n").unwrap();
    let s = json(w.path(), &["--ticker", "BABA", "--events", "ev.csv"]);
    assert_eq!(s["events"][0]["event_date"], "2025-02-11");
    std::fs::write(w.path().join("ev.csv"), "id,date,ticker\nx,02/13/2025,BABA\ny,13/02/2025,BABA\n").unwrap();
    let e = fails(w.path(), &["--ticker", "BABA", "--events", "ev.csv", "--no-charts"], 1);
    assert!(e.contains("mixes day-first and month-first"), "{e}");
}

#[test]
fn item06_repeated_tickers_in_any_case_are_one_ticker_named_as_its_file() {
    let w = ws();
    let s = json(w.path(), &["--ticker", "BABA,baba,BABA"]);
    assert_eq!(s["config"]["tickers"], serde_json::json!(["BABA"]));
    assert_eq!(s["events"].as_array().unwrap().len(), 5, "one run of BABA's five events");
    let s = json(w.path(), &["--ticker", "baba", "--market", "spy"]);
    assert_eq!(s["config"]["tickers"], serde_json::json!(["BABA"]));
    assert_eq!(s["events"][0]["ticker"], "BABA");
    assert_eq!(s["events"][0]["benchmark"], "SPY");
    assert!(common::is_study_of(s["study"].as_str().unwrap(), "BABA_vs_SPY"), "{}", s["study"]);
}

#[test]
fn item07_one_day0_is_one_observation_in_the_across_event_tests() {
    let w = ws();
    // The 2024-03-22 and 2024-03-25 reports both fall on 2024-03-25 for 9888.HK.
    let s = json(w.path(), &["--ticker", "9888.HK"]);
    let evs = events_of(&s, "9888.HK");
    assert_eq!(evs.len(), 2);
    assert_eq!((evs[0]["day0"].as_str(), evs[1]["day0"].as_str()), (Some("2024-03-25"), Some("2024-03-25")));
    assert_eq!(evs[1]["merged_into"], "2024-03-22-baidu-talks");
    assert_eq!(evs[1]["status"], "ok", "still reported");
    assert!(evs[0]["merged_into"].is_null());
    assert_eq!(s["aggregate"][0]["n"], 1);
}

#[test]
fn item08_ticker_cells_split_on_commas_and_spaces() {
    let w = ws();
    std::fs::write(w.path().join("ev.csv"), "id,date,ticker\na,2025-02-11,\"BABA, AAPL\"\nb,2025-02-13,BABA AAPL\n")
        .unwrap();
    let s = json(w.path(), &["--events", "ev.csv"]);
    assert_eq!(s["config"]["tickers"], serde_json::json!(["BABA", "AAPL"]));
    assert_eq!(s["events"].as_array().unwrap().len(), 4);
}

#[test]
fn item09_different_studies_never_share_a_folder() {
    let w = ws();
    for t in ["QQQ", "FXI", "KWEB", "MCHI"] {
        std::fs::copy(w.path().join("d/SPY.csv"), w.path().join(format!("d/{t}.csv"))).unwrap();
    }
    let a = json(w.path(), &["--ticker", "BABA,AAPL,BIDU,QQQ,FXI"]);
    let b = json(w.path(), &["--ticker", "BABA,AAPL,BIDU,KWEB,MCHI"]);
    assert_ne!(a["study"], b["study"]);
    assert!(a["study"].as_str().unwrap().starts_with("BABA-AAPL-BIDU-and2more_vs_SPY-"));
    for s in [&a, &b] {
        assert!(w.path().join("o").join(s["study"].as_str().unwrap()).join("summary.json").is_file());
    }
    let chained = json(w.path(), &["--ticker", "BABA", "--chain"]);
    let plain = json(w.path(), &["--ticker", "BABA"]);
    assert_ne!(chained["study"], plain["study"], "options enter the name");
    // --name: the same study replaces its folder, another one is refused.
    json(w.path(), &["--ticker", "BABA", "--name", "mine"]);
    json(w.path(), &["--ticker", "BABA", "--name", "mine"]);
    let e = fails(w.path(), &["--ticker", "BABA", "--name", "mine", "--window=-5,5", "--no-charts"], 2);
    assert!(e.contains("holds a different study") && e.contains("--name"), "{e}");
}

#[test]
fn item10_inputs_inside_the_study_folder_are_refused_and_kept() {
    let w = ws();
    json(w.path(), &["--ticker", "BABA", "--name", "s"]);
    let factors = w.path().join("o/s/ff3.csv");
    std::fs::write(&factors, "date,mkt_rf,smb,hml,rf\n2024-01-02,0.1,0,0,0\n").unwrap();
    let e = fails(w.path(), &["--ticker", "BABA", "--name", "s", "--model", "ff3", "--factors", "o/s/ff3.csv"], 2);
    assert!(e.contains("would overlap") && e.contains("ff3.csv"), "{e}");
    assert!(factors.is_file(), "the input is not deleted");
    // A price file symlinked into the study folder.
    #[cfg(unix)]
    {
        std::fs::copy(w.path().join("d/BABA.csv"), w.path().join("o/s/BABA.csv")).unwrap();
        std::fs::remove_file(w.path().join("d/BABA.csv")).unwrap();
        std::os::unix::fs::symlink(w.path().join("o/s/BABA.csv"), w.path().join("d/BABA.csv")).unwrap();
        let e = fails(w.path(), &["--ticker", "BABA", "--name", "s"], 2);
        assert!(e.contains("would overlap"), "{e}");
        assert!(w.path().join("o/s/BABA.csv").is_file());
    }
}

#[test]
fn item11_interrupted_and_dead_runs_leave_no_staging_folder() {
    let w = ws();
    std::fs::create_dir_all(w.path().join("o/.old.staging-999999999/x")).unwrap();
    std::fs::create_dir_all(w.path().join("o/.notes")).unwrap();
    json(w.path(), &["--ticker", "BABA"]);
    assert!(!w.path().join("o/.old.staging-999999999").exists(), "a dead run's staging folder is removed");
    assert!(w.path().join("o/.notes").exists(), "other hidden folders are left alone");
    #[cfg(unix)]
    {
        // SIGTERM while the charts are drawn: the staging folder goes with the run.
        let mut child = std::process::Command::new(assert_cmd::cargo::cargo_bin("eventstudy"))
            .current_dir(w.path())
            .args(["--data", "d", "--out", "o2", "--ticker", "BABA,AAPL,BIDU,9988.HK,9888.HK"])
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .unwrap();
        let staging = || {
            std::fs::read_dir(w.path().join("o2"))
                .map(|d| d.flatten().any(|e| e.file_name().to_string_lossy().contains(".staging-")))
                .unwrap_or(false)
        };
        let start = std::time::Instant::now();
        while !staging() && start.elapsed().as_secs() < 30 && child.try_wait().unwrap().is_none() {
            std::thread::sleep(std::time::Duration::from_millis(2));
        }
        let seen = staging();
        let _ = std::process::Command::new("kill").args(["-TERM", &child.id().to_string()]).status();
        let status = child.wait().unwrap();
        assert!(!staging(), "no staging folder after the run ended ({status:?})");
        if seen && status.code() == Some(130) {
            let left: Vec<_> = std::fs::read_dir(w.path().join("o2")).unwrap().flatten().collect();
            assert!(left.is_empty(), "an interrupted run publishes nothing: {left:?}");
        }
    }
}

#[test]
fn item12_concurrent_runs_print_their_own_summary() {
    let w = ws();
    for round in 0..4 {
        let spawn = |t: &str| {
            std::process::Command::new(assert_cmd::cargo::cargo_bin("eventstudy"))
                .current_dir(w.path())
                .args(["--data", "d", "--out", "o", "--ticker", t, "--format", "json", "--no-charts"])
                .args(["--bootstrap", "0", "--name", &format!("shared{round}")])
                .stdout(std::process::Stdio::piped())
                .stderr(std::process::Stdio::piped())
                .spawn()
                .unwrap()
        };
        let (a, b) = (spawn("BABA"), spawn("AAPL"));
        for (child, t) in [(a, "BABA"), (b, "AAPL")] {
            let out = child.wait_with_output().unwrap();
            if out.status.success() {
                let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
                assert_eq!(v["config"]["tickers"], serde_json::json!([t]), "stdout is this run's own result");
            } else {
                assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
            }
        }
    }
}

#[test]
fn item13_a_failed_stdout_write_is_an_error_and_a_closed_pipe_is_not() {
    let w = ws();
    let bin = assert_cmd::cargo::cargo_bin("eventstudy");
    let sh = |cmd: &str| std::process::Command::new("bash").current_dir(w.path()).args(["-c", cmd]).output().unwrap();
    if Path::new("/dev/full").exists() {
        let out =
            sh(&format!("'{}' --data d --out o --ticker BABA --no-charts --format json > /dev/full", bin.display()));
        assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
        assert!(stderr(&out).contains("cannot write to standard output"), "{}", stderr(&out));
    }
    let out = sh(&format!(
        "set -o pipefail; '{}' --data d --out o --ticker BABA --no-charts --format json | head -c 10 > /dev/null",
        bin.display()
    ));
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(stderr(&out).is_empty() || !stderr(&out).contains("error"), "{}", stderr(&out));
}

#[test]
fn item14_charts_finish_on_extreme_finite_data() {
    let w = ws();
    let mut rows = date_close("BABA");
    let n = rows.len();
    for (i, r) in rows.iter_mut().enumerate().skip(n - 400) {
        let date = r.split(',').next().unwrap().to_string();
        *r = format!("{date},{}", if i % 2 == 0 { "0.00000001" } else { "1000000000000" });
    }
    std::fs::write(w.path().join("d/BABA.csv"), format!("Date,Close\n{}\n", rows.join("\n"))).unwrap();
    let start = std::time::Instant::now();
    let out = run(w.path(), &["--ticker", "BABA", "--bootstrap", "0"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(start.elapsed().as_secs() < 60);
    let dir = common::study_dir(&w.path().join("o"), "BABA_vs_SPY");
    let s: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(dir.join("summary.json")).unwrap()).unwrap();
    for e in s["events"].as_array().unwrap().iter().filter(|e| e["status"] == "ok") {
        for c in e["car"].as_array().unwrap() {
            assert!(c["car"].as_f64().unwrap().is_finite(), "ok rows hold finite numbers");
        }
    }
}

#[test]
fn item15_overlap_notes_are_bounded_for_many_events_on_one_day() {
    let w = ws();
    let mut ev = String::from("id,date,ticker\n");
    for i in 0..2000 {
        ev.push_str(&format!("E{i},2025-02-13,BABA\n"));
    }
    std::fs::write(w.path().join("ev.csv"), ev).unwrap();
    let s = json(w.path(), &["--ticker", "BABA", "--events", "ev.csv"]);
    let evs = s["events"].as_array().unwrap();
    assert_eq!(evs.len(), 2000);
    assert_eq!(evs[5]["overlapping"].as_array().unwrap().len(), 10);
    assert_eq!(evs[5]["overlapping_count"], 1999);
    assert_eq!(evs[5]["merged_into"], "E0");
    assert_eq!(s["aggregate"][0]["n"], 1, "one ticker and day 0: one observation");
    let size = serde_json::to_string(&s).unwrap().len();
    assert!(size < 40 << 20, "summary of {size} bytes");
}

#[test]
fn item16_option_values_that_crashed_or_never_finished_are_refused() {
    let w = ws();
    for args in [
        &["--estimation=-2147483648,-11"][..],
        &["--estimation=-2147483648,2147483646"],
        &["--window=-100000,100000"],
        &["--bootstrap", "1000000000"],
        &["--min-estimation", "99999999"],
    ] {
        let e = fails(w.path(), &[args, &["--ticker", "BABA", "--no-charts"]].concat(), 2);
        assert!(e.contains("usage error") || e.contains("error:"), "{args:?}: {e}");
    }
    let out = Command::cargo_bin("eventstudy")
        .unwrap()
        .current_dir(w.path())
        .args(["simulate", "--out", "x", "--tickers", "1000000000"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(stderr(&out).contains("at most 20000 tickers"));
    // A 200,000-column header.
    let header: Vec<String> =
        std::iter::once("Date".to_string()).chain((0..200_000).map(|i| format!("T{i}"))).collect();
    std::fs::write(w.path().join("wide.csv"), header.join(",") + "\n").unwrap();
    let e = fails(w.path(), &["--panel", "wide.csv", "--ticker", "T1", "--no-charts"], 1);
    assert!(e.contains("200001 columns") && e.contains("at most 20000"), "{e}");
}

#[test]
fn item17_messages_name_the_file_the_line_and_what_was_expected() {
    let w = ws();
    let write = |name: &str, text: &str| std::fs::write(w.path().join(name), text).unwrap();
    // Regression: an empty id after E2 was reported as "duplicate event id 'E2'".
    write("ev.csv", "id,date,ticker\nE1,2025-02-11,BABA\nE2,2025-02-13,BABA\n,2025-05-15,BABA\n");
    let e = fails(w.path(), &["--ticker", "BABA", "--events", "ev.csv", "--no-charts"], 1);
    assert!(e.contains("ev.csv, line 4, column 'id'") && e.contains("empty event id"), "{e}");
    // An unterminated quote: the line, and a message not cut at the newline.
    write("ev.csv", "id,date,ticker,headline\nE1,2025-02-11,BABA,\"never closed\nE2,2025-02-13,BABA,x\n");
    let e = fails(w.path(), &["--ticker", "BABA", "--events", "ev.csv", "--no-charts"], 1);
    assert!(e.contains("ev.csv, line 2") && e.contains("not closed on it") && e.contains("span lines"), "{e}");
    // Regression: an event in 1900 was called a holiday gap.
    write("ev.csv", "id,date,ticker\nold,1900-01-02,BABA\n");
    let s = json(w.path(), &["--ticker", "BABA", "--events", "ev.csv"]);
    assert_eq!(s["events"][0]["reason"], "day0_outside_data");
    assert!(s["events"][0]["notes"][0].as_str().unwrap().contains("is outside BABA's prices"), "{}", s["events"][0]);
    // A 250-character --name.
    let long = "n".repeat(250);
    let e = fails(w.path(), &["--ticker", "BABA", "--name", &long], 2);
    assert!(e.contains("at most 120"), "{e}");
    // NUL and BEL in a headline never reach the outputs.
    write("ev.csv", "id,date,ticker,headline\nE1,2025-02-13,BABA,bell\u{7} and nul\u{0} here\n");
    let out = run(w.path(), &["--ticker", "BABA", "--events", "ev.csv", "--bootstrap", "0"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let dir = common::study_dir(&w.path().join("o"), "BABA_vs_SPY");
    for f in ["report.html", "report.md", "car.csv", "ar.csv", "summary.json"] {
        let text = std::fs::read_to_string(dir.join(f)).unwrap();
        assert!(!text.contains('\u{7}') && !text.contains('\u{0}'), "{f} holds a control character");
        assert!(
            text.contains("bell and nul here") || f == "ar.csv" || f == "summary.json" && text.contains("bell"),
            "{f}"
        );
    }
    // Without SPY.csv: a data error saying SPY is the default benchmark and how --market changes it.
    std::fs::remove_file(w.path().join("d/SPY.csv")).unwrap();
    std::fs::remove_file(w.path().join("d/tickers.csv")).unwrap();
    let e = fails(w.path(), &["--ticker", "BABA", "--no-charts"], 1);
    assert!(e.contains("default benchmark") && e.contains("SPY.csv") && e.contains("--market"), "{e}");
    // `--ticker BABA, AAPL`: the corrected command line.
    let e = fails(w.path(), &["--ticker", "BABA,", "AAPL"], 2);
    assert!(e.contains("write --ticker BABA,AAPL"), "{e}");
}

#[test]
fn item17_kind_filters_the_events_and_an_unknown_kind_lists_the_kinds() {
    let w = ws();
    let s = json(w.path(), &["--ticker", "BABA", "--kind", "confirmation"]);
    let evs = s["events"].as_array().unwrap();
    assert_eq!(evs.len(), 1);
    assert_eq!(evs[0]["kind"], "confirmation");
    let s = json(w.path(), &["--ticker", "BABA", "--kind", "Rumor,EARNINGS"]);
    assert_eq!(s["events"].as_array().unwrap().len(), 2, "case-insensitive, several kinds");
    let e = fails(w.path(), &["--ticker", "BABA", "--kind", "merger", "--no-charts"], 2);
    assert!(e.contains("--kind merger") && e.contains("confirmation") && e.contains("rumor"), "{e}");
}

#[test]
fn item18_a_wide_panel_column_named_like_a_price_field_is_a_ticker_when_asked_for() {
    let w = ws();
    let (spy, baba) = (date_close("SPY"), date_close("BABA"));
    let mut text = String::from("Date,LOW,OPEN,SPY\n");
    for (s, b) in spy.iter().zip(&baba) {
        let (d, sp) = s.split_once(',').unwrap();
        text.push_str(&format!("{d},{},{},{sp}\n", b.split_once(',').unwrap().1, sp));
    }
    std::fs::write(w.path().join("wide.csv"), text).unwrap();
    std::fs::write(w.path().join("ev.csv"), "id,date,ticker\na,2025-02-13,LOW\n").unwrap();
    let s = json(w.path(), &["--panel", "wide.csv", "--ticker", "LOW", "--events", "ev.csv"]);
    assert_eq!(s["events"][0]["status"], "ok");
}

#[test]
fn item19_a_benchmark_holiday_does_not_drop_a_hong_kong_event() {
    let w = ws();
    let s = json(w.path(), &["--ticker", "9988.HK", "--market", "SPY", "--beta", "scholes-williams"]);
    let evs = events_of(&s, "9988.HK");
    assert_eq!(evs.len(), 4);
    assert!(evs.iter().all(|e| e["status"] == "ok"), "{:?}", evs.iter().map(|e| &e["notes"]).collect::<Vec<_>>());
    // 2025-02-17 is a US holiday and a Hong Kong session inside the tsai-confirms window.
    let tsai = evs.iter().find(|e| e["id"] == "2025-02-13-tsai-confirms").unwrap();
    let note =
        tsai["notes"].as_array().unwrap().iter().filter_map(|n| n.as_str()).find(|n| n.contains("trade-to-trade"));
    assert!(note.is_some_and(|n| n.contains("2025-02-17 (into 2025-02-18)")), "{}", tsai["notes"]);
}

#[test]
fn item20_the_price_chart_shows_the_events_range_and_price_range_changes_it() {
    let w = ws();
    let title = |args: &[&str]| -> String {
        let out = run(w.path(), &[args, &["--ticker", "BABA", "--bootstrap", "0"]].concat());
        assert!(out.status.success(), "{}", stderr(&out));
        let dir = common::study_dir(&w.path().join("o"), "BABA_vs_SPY");
        let svg = std::fs::read_to_string(dir.join("price.svg")).unwrap();
        let i = svg.find("aria-label=\"Prices of BABA").unwrap();
        svg[i..i + 120].split('"').nth(1).unwrap().to_string()
    };
    // BABA's day 0s run from 2024-03-22 to 2025-05-19: a year before to three months after.
    assert_eq!(title(&[]), "Prices of BABA with the dated news, 2023-03-23 to 2025-08-19");
    assert_eq!(
        title(&["--price-range", "2024-01-01,2025-06-30"]),
        "Prices of BABA with the dated news, 2024-01-01 to 2025-06-30"
    );
    let e = fails(w.path(), &["--ticker", "BABA", "--price-range", "2025-06-30,2024-01-01"], 2);
    assert!(e.contains("reversed"), "{e}");
}

#[test]
fn item23_the_bundled_sample_has_the_hong_kong_lines_against_hsi() {
    let w = ws();
    let s = json(w.path(), &["--ticker", "9988.HK"]);
    assert_eq!(s["config"]["tickers_info"]["9988.HK"]["benchmark"], "HSI");
    assert_eq!(s["config"]["tickers_info"]["9988.HK"]["currency"], "HKD");
    let evs = events_of(&s, "9988.HK");
    assert_eq!(evs.len(), 4);
    assert!(evs.iter().all(|e| e["status"] == "ok"));
    // The Dubai confirmation (14:00 in Hong Kong) is day 0 the same Hong Kong session.
    let tsai = evs.iter().find(|e| e["id"] == "2025-02-13-tsai-confirms").unwrap();
    assert_eq!(tsai["day0"], "2025-02-13");
}

#[test]
fn item24_field_names_agree_and_documented_fields_are_always_present() {
    let w = ws();
    let out = run(w.path(), &["--ticker", "BABA", "--no-charts", "--bootstrap", "0"]);
    assert!(out.status.success());
    let dir: PathBuf = common::study_dir(&w.path().join("o"), "BABA_vs_SPY");
    let ar = std::fs::read_to_string(dir.join("ar.csv")).unwrap();
    assert!(ar.lines().next().unwrap().contains(",ret,market_ret,"), "the JSON's names");
    let s: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(dir.join("summary.json")).unwrap()).unwrap();
    for e in s["events"].as_array().unwrap() {
        for f in ["overlapping", "contaminated_by", "notes", "url", "source", "merged_into", "reason"] {
            assert!(e.get(f).is_some(), "event field {f} is always present");
        }
    }
}

#[test]
fn item25_terminal_labels_say_beta_and_what_the_factor_model_uses() {
    let w = ws();
    let out = run(w.path(), &["--ticker", "BABA", "--no-charts", "--bootstrap", "0"]);
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains(" beta=") && !text.contains(" market="), "{text}");
    let Some(shared) = common::shared_data("item25 (ff3 header)") else { return };
    std::fs::copy(shared.join("real/FF3_daily.csv"), w.path().join("ff3.csv")).unwrap();
    let out = run(
        w.path(),
        &["--ticker", "BABA", "--model", "ff3", "--factors", "ff3.csv", "--no-charts", "--bootstrap", "0"],
    );
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("(market_ret column only; not in the model)") && text.contains("Factors: ff3.csv"), "{text}");
}

/// Hostile-pass regressions: each was a silent wrong number or a misleading output.
#[test]
fn hostile_pass_i64_min_windows_trailing_empty_events_cells_and_impossible_factors_are_refused() {
    let w = ws();
    // `-9223372036854775808` overflowed the range check and was read as 0.
    for arg in
        ["--window=-9223372036854775808,5", "--car=-9223372036854775808,1", "--estimation=-9223372036854775808,-11"]
    {
        let e = fails(w.path(), &["--ticker", "BABA", arg, "--no-charts"], 2);
        assert!(e.contains("reaches beyond 5000 trading days"), "{arg}: {e}");
    }
    // An unquoted comma in a headline followed by an empty url shifted the fields.
    std::fs::write(
        w.path().join("ev.csv"),
        "id,date,ticker,kind,headline,source,url\nE1,2025-02-11,BABA,report,Apple picks Alibaba, says report,The Information,\n",
    )
    .unwrap();
    let e = fails(w.path(), &["--ticker", "BABA", "--events", "ev.csv", "--no-charts"], 1);
    assert!(e.contains("ev.csv, line 2") && e.contains("has 8 cells, the header has 7"), "{e}");
    // A factor return of -100% or less, or beyond +10 in a decimal file, is impossible.
    for bad in ["-1.5", "500"] {
        std::fs::write(w.path().join("f.csv"), format!("date,mkt_rf,smb,hml,rf\n2024-01-02,{bad},0,0,0\n")).unwrap();
        let e = fails(w.path(), &["--ticker", "BABA", "--model", "ff3", "--factors", "f.csv", "--no-charts"], 1);
        assert!(e.contains("f.csv, line 2, column 'mkt_rf'") && e.contains("not plausible"), "{bad}: {e}");
    }
}

#[test]
fn hostile_pass_kind_keeps_the_other_events_as_neighbours_and_outputs_say_what_they_show() {
    let w = ws();
    // --kind studies the confirmation only, but the report two days before still overlaps it.
    let s = json(w.path(), &["--ticker", "BABA", "--kind", "confirmation"]);
    assert_eq!(s["config"]["kind"], serde_json::json!(["confirmation"]));
    assert_eq!(s["events"].as_array().unwrap().len(), 1);
    assert_eq!(s["events"][0]["overlapping"], serde_json::json!(["2025-02-11-alibaba-chosen"]));
    // An event in 1900 has no day 0 (it showed the first session of the file).
    std::fs::write(w.path().join("ev.csv"), "id,date,ticker\nE1,1900-02-11,BABA\n").unwrap();
    let s = json(w.path(), &["--ticker", "BABA", "--events", "ev.csv"]);
    assert!(s["events"][0]["day0"].is_null(), "{}", s["events"][0]);
    assert_eq!(s["events"][0]["day0_rule"], "outside-data");
    // A --price-range holding no price was silently replaced by the whole series.
    let e = fails(w.path(), &["--ticker", "BABA", "--price-range=1900-01-01,1901-01-01"], 2);
    assert!(e.contains("--price-range holds no price"), "{e}");
    // --help to a full disk is an error; claims.csv is not listed as a ticker.
    if Path::new("/dev/full").exists() {
        let bin = assert_cmd::cargo::cargo_bin("eventstudy");
        let out = std::process::Command::new("bash")
            .args(["-c", &format!("'{}' --help > /dev/full", bin.display())])
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    }
    let e = fails(w.path(), &["--ticker", "NOPE", "--no-charts"], 2);
    assert!(!e.contains(", claims"), "{e}");
    // A folder named with spaces only, or padded with spaces, is refused.
    for name in [" ", " x"] {
        let e = fails(w.path(), &["--ticker", "BABA", "--name", name, "--no-charts"], 2);
        assert!(e.contains("not a plain folder name"), "{e}");
    }
}

/// Regression: a `--panel` holding none of the study's tickers was ignored, and every price
/// came from the data folder without a word.
#[test]
fn a_panel_with_none_of_the_tickers_is_refused_naming_what_it_holds() {
    let w = ws();
    std::fs::write(w.path().join("p.csv"), "date,ticker,close\n2024-01-02,XYZ,10\n2024-01-03,XYZ,11\n").unwrap();
    let e = fails(w.path(), &["--ticker", "BABA", "--panel", "p.csv", "--no-charts"], 2);
    assert!(e.contains("--panel p.csv: holds none of the study's tickers (BABA, SPY); it has XYZ"), "{e}");
    // One of them is enough: the others come from the data folder.
    std::fs::write(w.path().join("p.csv"), "date,ticker,close\n2024-01-02,spy,10\n2024-01-03,spy,11\n").unwrap();
    let s = json(w.path(), &["--ticker", "BABA", "--panel", "p.csv"]);
    assert_eq!(s["events"][0]["benchmark"], "spy");
}
