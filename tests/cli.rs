//! The binary as a user runs it: the README command on the bundled data, help and version,
//! the JSON/CSV contract, and clear errors with the documented exit codes.

mod common;

use std::path::Path;

use assert_cmd::Command;
use common::{copy_dir, hash_tree, repo};
use predicates::prelude::*;

/// A scratch folder holding a copy of the bundled data/, as a fresh clone would have.
fn workspace() -> tempfile::TempDir {
    let tmp = tempfile::tempdir().unwrap();
    copy_dir(&repo().join("data"), &tmp.path().join("data"));
    tmp
}

fn bin(cwd: &Path) -> Command {
    let mut c = Command::cargo_bin("eventstudy").unwrap();
    c.current_dir(cwd);
    c
}

/// Decodes a PNG and returns (width, height, number of distinct colours).
fn png_info(path: &Path) -> (u32, u32, usize) {
    let decoder = png::Decoder::new(std::fs::File::open(path).unwrap());
    let mut reader = decoder.read_info().unwrap();
    let mut buf = vec![0; reader.output_buffer_size()];
    let info = reader.next_frame(&mut buf).unwrap();
    let bytes = &buf[..info.buffer_size()];
    let step = info.color_type.samples();
    let mut colours = std::collections::HashSet::new();
    for px in bytes.chunks(step) {
        colours.insert(px.to_vec());
        if colours.len() > 50 {
            break;
        }
    }
    (info.width, info.height, colours.len())
}

/// README.md's first command (`cargo run --release -- --ticker BABA`) is this binary with
/// `--ticker BABA`, run from the repository root on the bundled data.
#[test]
fn readme_main_command_runs_on_the_bundled_data() {
    let readme = std::fs::read_to_string(repo().join("README.md")).unwrap();
    assert!(readme.contains("cargo run --release -- --ticker BABA"), "README.md must show the main command");
    let ws = workspace();
    let before = hash_tree(&ws.path().join("data"));
    let out = bin(ws.path()).args(["--ticker", "BABA"]).output().unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "stderr: {}", String::from_utf8_lossy(&out.stderr));
    // Labelled as simulated, events with date, day 0 and CARs with t, p and marks.
    assert!(stdout.contains("SIMULATED SAMPLE DATA"), "{stdout}");
    assert!(stdout.contains("2025-02-13-tsai-confirms"), "{stdout}");
    assert!(stdout.contains("day 0 2025-02-13"), "{stdout}");
    assert!(stdout.contains("day 0 2025-05-19 (Mon) (next-trading-day)"), "weekend event moves to Monday: {stdout}");
    assert!(stdout.contains("[-1,+1]") && stdout.contains("Significance:"), "{stdout}");
    assert!(stdout.contains("***"), "the simulated -7.9% earnings jump is significant: {stdout}");

    let dir = ws.path().join("notebooks-out/BABA_vs_SPY");
    for f in ["summary.json", "ar.csv", "car.csv", "car.png", "car.svg"] {
        assert!(dir.join(f).is_file(), "{f} missing");
    }
    let (w, h, colours) = png_info(&dir.join("car.png"));
    assert_eq!(w, 1500);
    assert!(h >= 560, "height {h}");
    assert!(colours > 10, "the chart is not blank");
    let svg = std::fs::read_to_string(dir.join("car.svg")).unwrap();
    assert!(svg.contains("<svg") && svg.contains("SIMULATED SAMPLE DATA"));
    // No staging or temporary files are left behind, and data/ is untouched.
    let leftovers: Vec<_> = std::fs::read_dir(ws.path().join("notebooks-out")).unwrap().map(|e| e.unwrap().file_name()).collect();
    assert_eq!(leftovers.len(), 1, "{leftovers:?}");
    assert_eq!(before, hash_tree(&ws.path().join("data")));
}

#[test]
fn json_output_is_the_summary_file_and_follows_the_contract() {
    let ws = workspace();
    let out = bin(ws.path()).args(["--ticker", "BABA", "--format", "json", "--no-charts"]).output().unwrap();
    assert!(out.status.success());
    let printed = String::from_utf8(out.stdout).unwrap();
    let file = std::fs::read_to_string(ws.path().join("notebooks-out/BABA_vs_SPY/summary.json")).unwrap();
    assert_eq!(printed, file);
    let v: serde_json::Value = serde_json::from_str(&file).unwrap();
    for k in ["config", "conventions", "inputs", "events"] {
        assert!(v.get(k).is_some(), "top-level {k}");
    }
    let c = &v["config"];
    for k in ["returns", "model", "estimation", "window", "car_windows", "market"] {
        assert!(c.get(k).is_some(), "config.{k}");
    }
    assert_eq!(c["estimation"], serde_json::json!([-250, -11]));
    assert_eq!(c["car_windows"], serde_json::json!([[0, 0], [-1, 1], [0, 1], [-5, 5], [-10, 10]]));
    for i in v["inputs"].as_array().unwrap() {
        assert_eq!(i["sha256"].as_str().unwrap().len(), 64);
    }
    let events = v["events"].as_array().unwrap();
    assert_eq!(events.len(), 5, "BABA is named in 5 events of data/events.csv");
    for e in events {
        for k in ["id", "ticker", "event_date", "day0", "status", "model", "ar", "car"] {
            assert!(e.get(k).is_some(), "event.{k}");
        }
        assert_eq!(e["status"], "ok");
        for k in ["alpha", "beta", "sigma", "n_obs"] {
            assert!(e["model"].get(k).is_some(), "model.{k}");
        }
        assert_eq!(e["ar"].as_array().unwrap().len(), 21);
        for k in ["day", "date", "ret", "market_ret", "expected", "ar", "car", "t"] {
            assert!(e["ar"][0].get(k).is_some(), "ar.{k}");
        }
        for k in ["window", "car", "se", "t", "p"] {
            assert!(e["car"][0].get(k).is_some(), "car.{k}");
        }
    }
    // AR = return − expected, with expected = alpha + beta · market return.
    let e = &events[0];
    let (a, b) = (e["model"]["alpha"].as_f64().unwrap(), e["model"]["beta"].as_f64().unwrap());
    for r in e["ar"].as_array().unwrap() {
        let (ret, m, ar) = (r["ret"].as_f64().unwrap(), r["market_ret"].as_f64().unwrap(), r["ar"].as_f64().unwrap());
        assert!((ar - (ret - a - b * m)).abs() < 1e-15);
    }
}

#[test]
fn csv_outputs_have_one_row_per_day_and_per_window() {
    let ws = workspace();
    let out = bin(ws.path()).args(["--ticker", "BABA,AAPL", "--format", "csv", "--no-charts"]).output().unwrap();
    assert!(out.status.success());
    let stdout = String::from_utf8(out.stdout).unwrap();
    let dir = ws.path().join("notebooks-out/BABA-AAPL_vs_SPY");
    assert_eq!(stdout, std::fs::read_to_string(dir.join("car.csv")).unwrap());
    let car_rows = stdout.lines().count() - 1;
    let ar = std::fs::read_to_string(dir.join("ar.csv")).unwrap();
    // BABA: 5 events, AAPL: 5 events; 5 windows and 21 days each.
    assert_eq!(car_rows, 10 * 5);
    assert_eq!(ar.lines().count() - 1, 10 * 21);
    assert!(ar.starts_with("event,ticker,kind,event_date,day0,day,date,return,market_return,expected,ar,car,t"));
}

#[test]
fn help_documents_every_option_with_its_default_and_version_works() {
    let ws = workspace();
    let out = bin(ws.path()).arg("--help").output().unwrap();
    assert!(out.status.success());
    let help = String::from_utf8(out.stdout).unwrap();
    for opt in [
        "--ticker", "--market", "--estimation", "--window", "--car", "--returns", "--data", "--events", "--out", "--format", "--name",
        "--min-estimation", "--no-charts",
    ] {
        assert!(help.contains(opt), "--help lacks {opt}");
    }
    for default in ["[default: SPY]", "[default: -250,-11]", "[default: -10,10]", "[default: simple]", "[default: data]", "[default: notebooks-out]", "[default: table]"] {
        assert!(help.contains(default), "--help lacks {default}");
    }
    bin(ws.path()).arg("--version").assert().success().stdout(predicate::str::contains(env!("CARGO_PKG_VERSION")));
}

#[test]
fn usage_errors_exit_2_with_a_clear_message() {
    let ws = workspace();
    let cases: &[(&[&str], &str)] = &[
        (&["--ticker", "NOPE"], "no price file for 'NOPE'"),
        (&["--ticker", "BABA", "--window=5,-5"], "reversed"),
        (&["--ticker", "BABA", "--estimation=-100,0"], "overlaps the event window"),
        (&["--ticker", "BABA", "--car=-20,20"], "outside the event window"),
        (&["--ticker", "BABA", "--returns", "weird"], "invalid value 'weird'"),
        (&["--ticker", "../etc/passwd"], "not a valid ticker"),
        (&["--ticker", "BABA", "--market", "XYZ"], "no price file for 'XYZ'"),
    ];
    for (args, msg) in cases {
        let out = bin(ws.path()).args(*args).output().unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {stderr}");
        assert!(stderr.contains(msg), "{args:?}: {stderr}");
        assert!(!stderr.contains("panicked"), "{stderr}");
    }
    assert!(!ws.path().join("notebooks-out").exists(), "a failed run writes nothing");
}

#[test]
fn data_errors_exit_1_naming_file_line_and_column() {
    let ws = workspace();
    let data = ws.path().join("data");
    let mut text = std::fs::read_to_string(data.join("BABA.csv")).unwrap();
    text = text.replacen("\n2023-06-01,", "\n2023-06-01x,", 1);
    std::fs::write(data.join("BABA.csv"), &text).unwrap();
    let line = text.lines().position(|l| l.starts_with("2023-06-01x")).unwrap() + 1;
    let out = bin(ws.path()).args(["--ticker", "BABA"]).output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains(&format!("BABA.csv, line {line}, column 'Date': '2023-06-01x' is not a date")), "{stderr}");

    std::fs::write(data.join("AAPL.csv"), "Date,Close\n2024-01-02,abc\n").unwrap();
    let out = bin(ws.path()).args(["--ticker", "AAPL"]).output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr.contains("AAPL.csv, line 2, column 'Close': 'abc' is not a number"), "{stderr}");

    std::fs::write(data.join("events.csv"), "date,ticker\n2025-13-45,BABA\n").unwrap();
    let out = bin(ws.path()).args(["--ticker", "BABA"]).output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr.contains("events.csv, line 2, column 'date': '2025-13-45' is not a date"), "{stderr}");
}

#[test]
fn without_ticker_every_ticker_in_the_events_file_is_studied() {
    let ws = workspace();
    let out = bin(ws.path()).args(["--format", "json", "--no-charts"]).output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["config"]["tickers"], serde_json::json!(["BIDU", "AAPL", "BABA"]));
    // BIDU 4 events, AAPL 5, BABA 5
    assert_eq!(v["events"].as_array().unwrap().len(), 14);
    assert_eq!(v["study"], "all_vs_SPY");
}

#[test]
fn events_outside_the_data_are_excluded_with_a_reason_not_dropped() {
    let ws = workspace();
    std::fs::write(
        ws.path().join("data/events.csv"),
        "id,date,ticker,kind\nfirst,2022-01-05,BABA,rumor\nearly,2022-01-20,BABA,rumor\nlate,2030-01-01,BABA,rumor\nghost,2025-02-13,ZZZZ,rumor\nok,2025-02-13,BABA,confirmation\n",
    )
    .unwrap();
    let out = bin(ws.path()).args(["--format", "json", "--no-charts"]).output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let reason = |id: &str| {
        v["events"].as_array().unwrap().iter().find(|e| e["id"] == id).map(|e| (e["status"].clone(), e["reason"].clone())).unwrap()
    };
    assert_eq!(reason("first"), ("excluded".into(), "event_window_outside_data".into()));
    assert_eq!(reason("early"), ("excluded".into(), "too_few_estimation_days".into()));
    assert_eq!(reason("late"), ("excluded".into(), "day0_outside_data".into()));
    assert_eq!(reason("ghost"), ("excluded".into(), "no_price_file".into()));
    assert_eq!(reason("ok").0, "ok");
    assert_eq!(v["exclusions"]["no_price_file"], 1);
}

/// The bundled sample is exactly what `eventstudy simulate` writes with its defaults, so the
/// generator documented in data/README.md reproduces it.
#[test]
fn bundled_sample_is_reproducible_with_simulate() {
    let tmp = tempfile::tempdir().unwrap();
    bin(tmp.path()).args(["simulate", "--out", "gen"]).assert().success().stdout(predicate::str::contains("not real prices"));
    for f in ["BABA.csv", "AAPL.csv", "BIDU.csv", "SPY.csv", "simulated.json"] {
        let a = std::fs::read(tmp.path().join("gen").join(f)).unwrap();
        let b = std::fs::read(repo().join("data").join(f)).unwrap();
        assert!(a == b, "data/{f} differs from `eventstudy simulate` output");
    }
    // simulate never overwrites silently
    let out = bin(tmp.path()).args(["simulate", "--out", "gen"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
}
