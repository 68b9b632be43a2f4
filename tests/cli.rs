//! The binary as a user runs it: the README command on the bundled data, help and version,
//! the JSON/CSV contract, and clear errors with the documented exit codes.

mod common;

use std::path::Path;

use assert_cmd::Command;
use common::{copy_dir, hash_tree, repo, study_json};
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
    assert!(stdout.contains("day 0 2025-05-19 (Mon) (weekend)"), "weekend event moves to Monday: {stdout}");
    assert!(stdout.contains("2025-05-17 is a Saturday: next session 2025-05-19"), "{stdout}");
    assert!(stdout.contains("[-1,+1]") && stdout.contains("Significance:"), "{stdout}");
    assert!(stdout.contains("***"), "the simulated -7.9% earnings jump is significant: {stdout}");

    let dir = common::study_dir(&ws.path().join("notebooks-out"), "BABA_vs_SPY");
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
    let leftovers: Vec<_> =
        std::fs::read_dir(ws.path().join("notebooks-out")).unwrap().map(|e| e.unwrap().file_name()).collect();
    assert_eq!(leftovers.len(), 1, "{leftovers:?}");
    assert_eq!(before, hash_tree(&ws.path().join("data")));
}

#[test]
fn json_output_is_the_summary_file_and_follows_the_contract() {
    let ws = workspace();
    let out = bin(ws.path()).args(["--ticker", "BABA", "--format", "json", "--no-charts"]).output().unwrap();
    assert!(out.status.success());
    let printed = String::from_utf8(out.stdout).unwrap();
    let file = std::fs::read_to_string(
        common::study_dir(&ws.path().join("notebooks-out"), "BABA_vs_SPY").join("summary.json"),
    )
    .unwrap();
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
    let dir = common::study_dir(&ws.path().join("notebooks-out"), "BABA-AAPL_vs_SPY");
    assert_eq!(stdout, std::fs::read_to_string(dir.join("car.csv")).unwrap());
    let car_rows = stdout.lines().count() - 1;
    let ar = std::fs::read_to_string(dir.join("ar.csv")).unwrap();
    // BABA: 5 events, AAPL: 5 events; 5 windows and 21 days each.
    assert_eq!(car_rows, 10 * 5);
    assert_eq!(ar.lines().count() - 1, 10 * 21);
    assert!(ar.starts_with("event,ticker,kind,event_date,day0,day,date,ret,market_ret,expected,ar,car,t"));
}

#[test]
fn help_documents_every_option_with_its_default_and_version_works() {
    let ws = workspace();
    let out = bin(ws.path()).arg("--help").output().unwrap();
    assert!(out.status.success());
    let help = String::from_utf8(out.stdout).unwrap();
    for opt in [
        "--ticker",
        "--market",
        "--estimation",
        "--window",
        "--car",
        "--returns",
        "--data",
        "--events",
        "--out",
        "--format",
        "--name",
        "--min-estimation",
        "--no-charts",
        "--model",
        "--factors",
        "--group-by",
        "--s2-denominator",
        "--bmp-scale",
        "--patell-car",
        "--alternative",
        "--bootstrap",
        "--seed",
        "--clean-estimation",
        "--non-trading",
        "--beta",
        "--dimson-lags",
        "--chain",
    ] {
        assert!(help.contains(opt), "--help lacks {opt}");
    }
    assert!(help.contains("else SPY"), "--help must give the default benchmark");
    for default in [
        "[default: next]",
        "[default: ols]",
        "[default: -250,-11]",
        "[default: -10,10]",
        "[default: simple]",
        "[default: data]",
        "[default: notebooks-out]",
        "[default: table]",
        "[default: market]",
        "[default: m-k-1]",
        "[default: fec]",
        "[default: exact]",
        "[default: two-sided]",
        "[default: 999]",
        "[default: 42]",
    ] {
        assert!(help.contains(default), "--help lacks {default}");
    }
    bin(ws.path()).arg("--version").assert().success().stdout(predicate::str::contains(env!("CARGO_PKG_VERSION")));
}

#[test]
fn usage_errors_exit_2_with_a_clear_message() {
    let ws = workspace();
    let cases: &[(&[&str], &str)] = &[
        (&["--ticker", "NOPE"], "no prices for 'NOPE': no file data/NOPE.csv"),
        (&["--ticker", "BABA", "--window=5,-5"], "reversed"),
        (&["--ticker", "BABA", "--estimation=-100,0"], "overlaps the event window"),
        (&["--ticker", "BABA", "--car=-20,20"], "outside the event window"),
        (&["--ticker", "BABA", "--returns", "weird"], "invalid value 'weird'"),
        (&["--ticker", "../etc/passwd"], "not a valid ticker"),
        (&["--ticker", "BABA", "--market", "XYZ"], "no prices for 'XYZ'"),
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
    assert_eq!(v["config"]["tickers"], serde_json::json!(["BIDU", "AAPL", "BABA", "9888.HK", "9988.HK"]));
    // BIDU 4 events, AAPL 5, BABA 5, 9888.HK 2, 9988.HK 4
    assert_eq!(v["events"].as_array().unwrap().len(), 20);
    // Each against its benchmark of tickers.csv: the Hong Kong lines against HSI.
    assert_eq!(v["config"]["tickers_info"]["9988.HK"]["benchmark"], "HSI");
    assert!(common::is_study_of(v["study"].as_str().unwrap(), "all_vs_HSI-SPY"), "{}", v["study"]);
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
        v["events"]
            .as_array()
            .unwrap()
            .iter()
            .find(|e| e["id"] == id)
            .map(|e| (e["status"].clone(), e["reason"].clone()))
            .unwrap()
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
    bin(tmp.path())
        .args(["simulate", "--out", "gen"])
        .assert()
        .success()
        .stdout(predicate::str::contains("not real prices"));
    for f in ["BABA.csv", "AAPL.csv", "BIDU.csv", "SPY.csv", "HSI.csv", "9988.HK.csv", "9888.HK.csv", "simulated.json"]
    {
        let a = std::fs::read(tmp.path().join("gen").join(f)).unwrap();
        let b = std::fs::read(repo().join("data").join(f)).unwrap();
        assert!(a == b, "data/{f} differs from `eventstudy simulate` output");
    }
    // simulate never overwrites silently
    let out = bin(tmp.path()).args(["simulate", "--out", "gen"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn aggregate_results_are_in_json_csv_and_the_terminal() {
    let ws = workspace();
    let out = bin(ws.path())
        .args(["--ticker", "BABA,BIDU,AAPL", "--format", "json", "--no-charts", "--bootstrap", "199"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let groups: Vec<&str> = v["aggregate"].as_array().unwrap().iter().map(|g| g["group"].as_str().unwrap()).collect();
    assert_eq!(
        groups,
        vec!["all", "ticker=BABA", "ticker=BIDU", "ticker=AAPL"],
        "default: all plus one group per ticker"
    );
    let all = &v["aggregate"][0];
    assert_eq!(all["n"], 14);
    assert_eq!(all["days"].as_array().unwrap().len(), 21);
    assert_eq!(all["windows"].as_array().unwrap().len(), 5);
    for name in [
        "csect_t",
        "bw_cda_t",
        "patell_z",
        "bmp_t",
        "kp_bmp_t",
        "corrado_z",
        "gen_sign_z",
        "sign_z",
        "wilcoxon_z",
        "grank_t",
        "bootstrap",
        "skew_t",
        "skew_t_bhar",
    ] {
        let t = &all["windows"][0]["tests"][name];
        assert!(t["stat"].is_number() && t["p"].is_number() && t["dist"].is_string(), "{name}: {t}");
    }
    assert_eq!(all["windows"][0]["tests"]["bootstrap"]["dist"], "bootstrap-t(199)");
    for k in ["s2_denominator", "bmp", "patell_car", "kolari_pynnonen", "corrado_rank", "p_value"] {
        assert!(v["conventions"][k].is_string(), "conventions.{k}");
    }
    // BHAR next to every CAR
    assert!(v["events"][0]["car"][0]["bhar"].is_number());
    let csv = std::fs::read_to_string(
        common::study_dir(&ws.path().join("notebooks-out"), "BABA-BIDU-AAPL_vs_SPY").join("aggregate.csv"),
    )
    .unwrap();
    assert!(csv.starts_with("group,n,scope,day,window_start,window_end,aar,caar,test,stat,p,p_adj,dist\n"));
    // 4 groups x (21 days + 5 windows) x 11 tests, plus 4 volatility and 2 skewness-adjusted
    // tests per window
    assert_eq!(csv.lines().count() - 1, 4 * 26 * 11 + 4 * 5 * 6);
    assert!(all["windows"][0]["tests"]["csect_t"].get("p_adj").is_none(), "no p_adj without --adjust");
    aggregate_csv_rows_have_as_many_fields_as_the_header(&csv);

    let out = bin(ws.path())
        .args(["--ticker", "BABA,BIDU", "--no-charts", "--group-by", "kind", "--bootstrap", "0"])
        .output()
        .unwrap();
    let stdout = String::from_utf8(out.stdout).unwrap();
    assert!(stdout.contains("Across events: kind=rumor (N=3)"), "{stdout}");
    assert!(stdout.contains("Across events: kind=confirmation (N=2)"), "{stdout}");
    assert!(stdout.contains("bootstrap off"), "{stdout}");
}

#[test]
fn conventions_are_options_and_are_printed() {
    let ws = workspace();
    let run = |extra: &[&str]| study_json(ws.path(), &[&["--ticker", "BABA"], extra].concat());
    let base = run(&[]);
    let est = run(&["--s2-denominator", "m-1"]);
    let (s0, s1) =
        (base["events"][0]["model"]["sigma"].as_f64().unwrap(), est["events"][0]["model"]["sigma"].as_f64().unwrap());
    // sigma ratio √((M−2)/(M−1)) with M = 240
    assert!((s1 / s0 - (238.0f64 / 239.0).sqrt()).abs() < 1e-12);
    assert_eq!(est["config"]["s2_denominator"], "m-1");
    let one = run(&["--alternative", "greater"]);
    let (t, p) = (one["events"][0]["car"][0]["t"].as_f64().unwrap(), one["events"][0]["car"][0]["p"].as_f64().unwrap());
    let p2 = base["events"][0]["car"][0]["p"].as_f64().unwrap();
    assert!(if t > 0.0 { (p - p2 / 2.0).abs() < 1e-12 } else { (p - (1.0 - p2 / 2.0)).abs() < 1e-12 });
    let sum = run(&["--patell-car", "sum-sar", "--bmp-scale", "plain"]);
    assert_eq!(sum["config"]["patell_car"], "sum-sar");
    assert!(sum["conventions"]["bmp"].as_str().unwrap().contains("plain"));
    assert_ne!(
        sum["aggregate"][0]["windows"][1]["tests"]["patell_z"]["stat"],
        base["aggregate"][0]["windows"][1]["tests"]["patell_z"]["stat"]
    );
    // the day-0 window is one day: both Patell forms agree there
    let (a, b) = (
        sum["aggregate"][0]["windows"][0]["tests"]["patell_z"]["stat"].as_f64().unwrap(),
        base["aggregate"][0]["windows"][0]["tests"]["patell_z"]["stat"].as_f64().unwrap(),
    );
    assert!((a - b).abs() < 1e-12);
}

#[test]
fn contaminated_estimation_windows_are_flagged_and_can_be_cleaned() {
    let ws = workspace();
    let run = |extra: &[&str]| study_json(ws.path(), &[&["--ticker", "BABA"], extra].concat());
    let v = run(&[]);
    let ev = |v: &serde_json::Value, id: &str| {
        v["events"].as_array().unwrap().iter().find(|e| e["id"] == id).unwrap().clone()
    };
    let e = ev(&v, "2025-05-17-us-scrutiny");
    // the earnings event's window [-10,10] around 2025-05-15 reaches days -12 and -11 of this one
    assert_eq!(
        e["contaminated_by"],
        serde_json::json!(["2025-02-11-alibaba-chosen", "2025-02-13-tsai-confirms", "2025-05-15-baba-earnings"])
    );
    assert_eq!(e["model"]["n_obs"], 240);
    let c = run(&["--clean-estimation"]);
    let e = ev(&c, "2025-05-17-us-scrutiny");
    // the event windows [-10,10] around 2025-02-11 and 2025-02-13 cover 23 trading days, and the
    // earnings window 2 more (days -12 and -11)
    assert_eq!(e["model"]["n_obs"], 240 - 23 - 2);
    assert_eq!(c["config"]["clean_estimation"], true);
}

#[test]
fn factor_models_without_factor_files_are_a_usage_error() {
    let ws = workspace();
    let out = bin(ws.path()).args(["--ticker", "BABA", "--model", "ff3"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("needs factor files"));
}

#[test]
fn min_estimation_excludes_with_a_reason_and_the_summary_counts_exclusions() {
    let ws = workspace();
    let out = bin(ws.path())
        .args(["--ticker", "BABA", "--no-charts", "--min-estimation", "300", "--bootstrap", "0"])
        .output()
        .unwrap();
    assert!(out.status.success());
    let stdout = String::from_utf8(out.stdout).unwrap();
    assert!(stdout.contains("0 event-ticker pair(s) computed; 5 excluded (too_few_estimation_days: 5)."), "{stdout}");
}

/// Regression guard: free text from the events file (kind, headline) must not become markup in
/// the SVG chart nor a formula in a spreadsheet.
#[test]
fn event_text_is_escaped_in_svg_and_neutralised_in_csv() {
    let ws = workspace();
    let ev = ws.path().join("ev.csv");
    std::fs::write(
        &ev,
        "id,date,ticker,kind,headline\na,2025-02-13,BABA,<script>alert(1)</script>,=HYPERLINK(\"http://x\")\n",
    )
    .unwrap();
    let out = bin(ws.path())
        .args(["--ticker", "BABA", "--events", ev.to_str().unwrap(), "--bootstrap", "0"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let dir = common::study_dir(&ws.path().join("notebooks-out"), "BABA_vs_SPY");
    let svg = std::fs::read_to_string(dir.join("car.svg")).unwrap();
    assert!(!svg.contains("<script") && svg.contains("&lt;script&gt;"), "kind must be escaped in the SVG");
    let car = std::fs::read_to_string(dir.join("car.csv")).unwrap();
    assert!(car.contains("\"'=HYPERLINK(\"\"http://x\"\")\"") && !car.contains(",=HYPERLINK"), "{car}");
}

/// Regression guard: `--out . --name data` once replaced the data folder with the outputs, and
/// any existing folder of the study's name was replaced. Now the data, events and panel
/// files are never overlapped, and only an earlier run's folder (with summary.json) is replaced.
#[test]
fn outputs_never_replace_the_data_folder_or_an_unrelated_folder() {
    let ws = workspace();
    let before = hash_tree(&ws.path().join("data"));
    copy_dir(&ws.path().join("data"), &ws.path().join("proj/data"));
    for args in [
        vec!["--out", ".", "--name", "data"],
        vec!["--out", "data", "--name", "x"],
        vec!["--data", "proj/data", "--out", ".", "--name", "proj"],
    ] {
        let out = bin(ws.path()).args(["--ticker", "BABA", "--bootstrap", "0"]).args(&args).output().unwrap();
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {err}");
        assert!(err.contains("data folder"), "{args:?}: {err}");
    }
    assert_eq!(before, hash_tree(&ws.path().join("data")));
    std::fs::create_dir_all(ws.path().join("mine")).unwrap();
    std::fs::write(ws.path().join("mine/notes.txt"), "keep me").unwrap();
    let out =
        bin(ws.path()).args(["--ticker", "BABA", "--bootstrap", "0", "--out", ".", "--name", "mine"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2), "{}", String::from_utf8_lossy(&out.stderr));
    assert_eq!(std::fs::read_to_string(ws.path().join("mine/notes.txt")).unwrap(), "keep me");
    // An earlier run's folder is replaced as a whole.
    for _ in 0..2 {
        bin(ws.path()).args(["--ticker", "BABA", "--bootstrap", "0", "--no-charts"]).assert().success();
    }
}

/// Regression guard: --chain with an event window that does not straddle day 0 panicked.
#[test]
fn chain_needs_an_event_window_around_day0() {
    let ws = workspace();
    let out = bin(ws.path()).args(["--ticker", "BABA", "--chain", "--window=1,5"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("--chain needs an event window around day 0"));
}

/// Regression guard: the tickers.csv input (no ticker, no price column) showed as "()" in the
/// chart's data line; only price files belong there.
#[test]
fn chart_data_line_lists_only_the_price_files() {
    let ws = workspace();
    bin(ws.path()).args(["--ticker", "BABA", "--bootstrap", "0"]).assert().success();
    let svg =
        std::fs::read_to_string(common::study_dir(&ws.path().join("notebooks-out"), "BABA_vs_SPY").join("car.svg"))
            .unwrap();
    assert!(
        svg.contains("Data: SPY (Adj Close), BABA (Adj Close); events data/events.csv |"),
        "the data line must name the price files only"
    );
}

/// Regression: the `dist` cell `N(0,1)` was written unquoted, so those rows had one field more
/// than the header and pandas refused the file.
fn aggregate_csv_rows_have_as_many_fields_as_the_header(csv: &str) {
    let fields = |line: &str| {
        let (mut n, mut quoted) = (1, false);
        for c in line.chars() {
            match c {
                '"' => quoted = !quoted,
                ',' if !quoted => n += 1,
                _ => {}
            }
        }
        n
    };
    let mut lines = csv.lines();
    let width = fields(lines.next().unwrap());
    for (i, l) in lines.enumerate() {
        assert_eq!(fields(l), width, "aggregate.csv line {}: {l}", i + 2);
    }
    assert!(csv.contains(",\"N(0,1)\""), "the normal-distribution cell is quoted");
}

/// Regressions from a hostile pass over the claims: the default claims file never blocks a
/// study (a window outside the event window, a volume study), and a claims file inside the
/// study folder is refused instead of deleted.
#[test]
fn the_default_claims_file_never_blocks_a_study_and_a_claims_file_in_the_output_is_refused() {
    let ws = workspace();
    let run = |args: &[&str]| bin(ws.path()).args(args).args(["--no-charts", "--bootstrap", "0"]).output().unwrap();
    let out = run(&["--ticker", "AAPL", "--window=0,0"]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(String::from_utf8_lossy(&out.stdout).contains("outside the event window [0,0]; it is not tested"));
    let out = run(&["--ticker", "BABA", "--measure", "volume"]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(!stdout.contains("\nClaims") && stdout.contains("a volume study does not test them"), "{stdout}");
    assert!(run(&["--ticker", "BABA", "--name", "trap"]).status.success());
    let inside = ws.path().join("notebooks-out/trap/mine.csv");
    std::fs::copy(ws.path().join("data/claims.csv"), &inside).unwrap();
    let out = run(&["--ticker", "BABA", "--name", "trap", "--claims", "notebooks-out/trap/mine.csv"]);
    assert_eq!(out.status.code(), Some(2), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(String::from_utf8_lossy(&out.stderr).contains("claims file"));
    assert!(inside.is_file(), "the claims file is still there");
}

/// Regression: a stock whose returns are its benchmark's (or a flat price) was computed, with
/// t statistics from rounding noise; it is degenerate.
#[test]
fn a_stock_identical_to_its_benchmark_is_degenerate() {
    let ws = workspace();
    std::fs::copy(ws.path().join("data/SPY.csv"), ws.path().join("data/CLONE.csv")).unwrap();
    std::fs::write(ws.path().join("ev.csv"), "id,date,ticker\ne1,2025-02-13,CLONE\n").unwrap();
    let v = common::study_json(ws.path(), &["--ticker", "CLONE", "--events", "ev.csv"]);
    assert_eq!(
        (v["events"][0]["status"].as_str(), v["events"][0]["reason"].as_str()),
        (Some("excluded"), Some("degenerate_estimation"))
    );
}

/// `--adjust holm` writes p_adj beside p in summary.json, aggregate.csv and car.csv, names its
/// families in the conventions and marks the terminal table from it; `--rbar-pairs` is
/// recorded and changes r̄; a misspelt value lists the valid ones (exit 2).
#[test]
fn adjust_and_rbar_pairs_are_written_where_users_read_p_values() {
    let ws = workspace();
    let run = |extra: &[&str]| {
        let out = bin(ws.path())
            .args(["--ticker", "BABA,BIDU,AAPL", "--format", "json", "--no-charts", "--bootstrap", "0"])
            .args(extra)
            .output()
            .unwrap();
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        serde_json::from_slice::<serde_json::Value>(&out.stdout).unwrap()
    };
    let v = run(&["--adjust", "holm"]);
    assert_eq!(v["config"]["adjust"], "holm");
    assert_eq!(v["config"]["rbar_pairs"], "event-overlap");
    assert!(v["conventions"]["multiple_testing"].as_str().unwrap().contains("Holm"));
    let days = v["aggregate"][0]["days"].as_array().unwrap();
    let p: Vec<f64> = days.iter().map(|d| d["tests"]["csect_t"]["p"].as_f64().unwrap()).collect();
    let adj: Vec<f64> = days.iter().map(|d| d["tests"]["csect_t"]["p_adj"].as_f64().unwrap()).collect();
    // Holm: the smallest p is multiplied by the family size, 21 days
    let (i, min) = p.iter().enumerate().min_by(|a, b| a.1.total_cmp(b.1)).unwrap();
    assert!((adj[i] - (21.0 * min).min(1.0)).abs() < 1e-12, "{} vs 21 x {min}", adj[i]);
    assert!(p.iter().zip(&adj).all(|(p, a)| a >= p), "adjusted p-values are never smaller");
    let ev = v["events"].as_array().unwrap().iter().find(|e| e["status"] == "ok").unwrap();
    assert!(ev["car"][0]["p_adj"].as_f64().unwrap() >= ev["car"][0]["p"].as_f64().unwrap());
    let dir = ws.path().join("notebooks-out").join(v["study"].as_str().unwrap());
    let agg = std::fs::read_to_string(dir.join("aggregate.csv")).unwrap();
    let row = agg.lines().nth(1).unwrap();
    assert_eq!(row.split(',').count(), 13, "{row}");
    assert!(!row.split(',').nth(11).unwrap().is_empty(), "p_adj filled: {row}");
    let car = std::fs::read_to_string(dir.join("car.csv")).unwrap();
    assert!(car.lines().next().unwrap().contains(",p,p_adj,stars,"));

    let est = run(&["--rbar-pairs", "estimation"]);
    assert_eq!(est["config"]["rbar_pairs"], "estimation");
    let (r_est, r_default) =
        (est["aggregate"][0]["rbar"].as_f64().unwrap(), v["aggregate"][0]["rbar"].as_f64().unwrap());
    assert!(r_est > r_default, "pairs of one ticker months apart enter only under estimation: {r_est} vs {r_default}");

    let table = bin(ws.path()).args(["--ticker", "BABA", "--no-charts", "--adjust", "bh"]).output().unwrap();
    assert!(String::from_utf8_lossy(&table.stdout).contains("marks from Benjamini-Hochberg-adjusted p_adj"));
    bin(ws.path())
        .args(["--ticker", "BABA", "--adjust", "bonferroni"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("bonferroni").and(predicate::str::contains("holm")));
}

#[test]
fn garch_options_that_cannot_go_together_are_usage_errors() {
    let ws = workspace();
    let cases: &[(&[&str], &str)] = &[
        (&["--ticker", "BABA", "--model", "garch", "--beta", "dimson"], "cannot be combined with --model garch"),
        (&["--ticker", "BABA", "--model", "garch", "--measure", "volume"], "--measure volume takes its model"),
        (&["--ticker", "BABA", "--garch-dummies", "--model", "constant-mean"], "--garch-dummies fits a market model"),
        (&["--ticker", "BABA", "--garch-dummies", "--measure", "volume"], "--garch-dummies fits a market model"),
        (&["--ticker", "BABA", "--garch-dummies", "--vol-days", "0"], "--vol-days=0 must be between 1"),
        (&["--ticker", "BABA", "--garch-dummies", "--vol-days", "11"], "--vol-days=11 must be between 1"),
        (
            &["--ticker", "BABA", "--garch-dummies", "--window=-5,0"],
            "must be between 1 and the event window's last day 0",
        ),
        (&["--ticker", "BABA", "--vol-days", "3"], "add --garch-dummies"),
        (&["--ticker", "BABA", "--garch-dummies", "--window=1,5", "--vol-days", "3"], "mean dummy on day 0"),
        (
            &["--ticker", "BABA", "--model", "garch", "--s2-denominator", "m"],
            "--model garch estimates each day's variance",
        ),
        (&["--ticker", "BABA", "--model", "GARCH11"], "invalid value 'GARCH11'"),
    ];
    for (args, msg) in cases {
        let out = bin(ws.path()).args(*args).output().unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {stderr}");
        assert!(stderr.contains(msg), "{args:?}: {stderr}");
    }
    assert!(!ws.path().join("notebooks-out").exists(), "a failed run writes nothing");
}

/// A folder holding `panel/`: 60 simulated tickers and SPY from 2019 with 600 events.
fn simulated_panel_60_tickers_600_events() -> tempfile::TempDir {
    let tmp = tempfile::tempdir().unwrap();
    let sim = bin(tmp.path())
        .args(["simulate", "--out", "panel", "--tickers", "60", "--events", "600", "--start", "2019-01-02"])
        .output()
        .unwrap();
    assert!(sim.status.success(), "{}", String::from_utf8_lossy(&sim.stderr));
    tmp
}

/// The progress bar is for terminals: a long study whose stderr is a pipe prints nothing there.
#[test]
fn no_progress_bar_when_stderr_is_not_a_terminal() {
    let tmp = simulated_panel_60_tickers_600_events();
    let out = bin(tmp.path())
        .args(["--data", "panel", "--market", "SPY", "--bootstrap", "0", "--no-charts", "--format", "json"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!stderr.contains("eta") && !stderr.contains('\u{1b}'), "progress drawn on a pipe: {stderr}");
}

/// Regression: a stock that is a multiple of its benchmark was excluded as `not_converged`
/// after 1,200 BFGS iterations under `--model garch`, where the market model says
/// `degenerate_estimation`; and the dummy model of such a stock is not tested.
#[test]
fn garch_on_a_multiple_of_the_benchmark_is_degenerate_not_unconverged() {
    let ws = workspace();
    let data = ws.path().join("data");
    let spy = std::fs::read_to_string(data.join("SPY.csv")).unwrap();
    let mut copy = String::new();
    for (i, line) in spy.lines().enumerate() {
        if i == 0 {
            copy.push_str("Date,Close\n");
            continue;
        }
        let cells: Vec<&str> = line.split(',').collect();
        let close: f64 = cells[5].parse().unwrap();
        copy.push_str(&format!("{},{}\n", cells[0], close * 3.7));
    }
    std::fs::write(data.join("COPY.csv"), copy).unwrap();
    std::fs::write(data.join("events.csv"), "id,date,ticker\ne1,2025-02-13,COPY\n").unwrap();
    let out = bin(ws.path()).args(["--ticker", "COPY", "--model", "garch", "--format", "json"]).output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let s: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let e = &s["events"][0];
    assert_eq!((e["status"].as_str(), e["reason"].as_str()), (Some("excluded"), Some("degenerate_estimation")), "{e}");
    assert!(e["notes"].to_string().contains("residuals of the estimation window vanish"), "{e}");
}

/// A large study lists its first 100 pairs and 25 groups on the terminal and says where the
/// rest are: 20,000 events printed 20 MB that took longer than writing the CSVs.
#[test]
fn terminal_lists_the_first_events_and_groups_of_a_large_study() {
    let tmp = simulated_panel_60_tickers_600_events();
    let out = bin(tmp.path())
        .args(["--data", "panel", "--market", "SPY", "--bootstrap", "0", "--no-charts"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(stdout.contains("the first 100 of 600 event-ticker pairs are listed; car.csv"), "{stdout}");
    assert!(stdout.contains("the first 25 of 61 groups are shown; aggregate.csv"), "{stdout}");
    let dir = std::fs::read_dir(tmp.path().join("notebooks-out")).unwrap().next().unwrap().unwrap().path();
    let car = std::fs::read_to_string(dir.join("car.csv")).unwrap();
    assert!(car.lines().filter(|l| l.contains(",ok,")).count() >= 500, "the files keep every pair");
    let report = std::fs::read_to_string(dir.join("report.md")).unwrap();
    assert!(report.contains("the first 25 of 61 groups are shown"), "report");
    assert_eq!(report.matches("### ticker=").count(), 24, "all, then 24 tickers");
}
