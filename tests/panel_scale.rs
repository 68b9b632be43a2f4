//! The benchmark's correctness run, small enough for CI (no timing): a generated panel studied
//! from one file per ticker and from the same prices as one long `date,ticker,close` file gives
//! the same numbers, for every ticker named in the events file (no `--ticker`).

mod common;

use assert_cmd::Command;

fn bin(cwd: &std::path::Path) -> Command {
    let mut c = Command::cargo_bin("eventstudy").unwrap();
    c.current_dir(cwd);
    c
}

#[test]
fn per_ticker_files_and_the_long_panel_give_the_same_study() {
    let ws = tempfile::tempdir().unwrap();
    bin(ws.path())
        .args([
            "simulate",
            "--out",
            "gen",
            "--tickers",
            "40",
            "--events",
            "300",
            "--start",
            "2021-01-04",
            "--end",
            "2024-12-31",
            "--seed",
            "11",
        ])
        .assert()
        .success();
    let gen = ws.path().join("gen");
    assert!(gen.join("S0040.csv").is_file() && gen.join("panel.csv").is_file() && gen.join("events.csv").is_file());
    let common_args = [
        "--events",
        "gen/events.csv",
        "--market",
        "SPY",
        "--no-charts",
        "--bootstrap",
        "0",
        "--group-by",
        "all,ticker",
        "--format",
        "json",
    ];

    let files = bin(ws.path()).args(["--data", "gen", "--out", "out-files"]).args(common_args).output().unwrap();
    assert!(files.status.success(), "{}", String::from_utf8_lossy(&files.stderr));
    // The panel run reads prices from panel.csv only: its data folder has no price files.
    std::fs::create_dir_all(ws.path().join("empty")).unwrap();
    let panel = bin(ws.path())
        .args(["--data", "empty", "--panel", "gen/panel.csv", "--out", "out-panel"])
        .args(common_args)
        .output()
        .unwrap();
    assert!(panel.status.success(), "{}", String::from_utf8_lossy(&panel.stderr));

    let mut a: serde_json::Value = serde_json::from_slice(&files.stdout).unwrap();
    let mut b: serde_json::Value = serde_json::from_slice(&panel.stdout).unwrap();
    // The per-ticker files sit next to simulated.json and are marked simulated; the panel run's
    // data folder has no manifest. Everything else must be equal.
    for v in [&mut a, &mut b] {
        for e in v["events"].as_array_mut().unwrap() {
            e.as_object_mut().unwrap().remove("simulated");
        }
    }
    assert_eq!(a["config"]["tickers"].as_array().unwrap().len(), 40, "every ticker of the events file is studied");
    assert_eq!(a["events"].as_array().unwrap().len(), 300);
    let ok = a["events"].as_array().unwrap().iter().filter(|e| e["status"] == "ok").count();
    assert!(ok > 250, "{ok} computed");
    // Same events, same numbers, in the same order; same across-event results.
    assert_eq!(a["events"], b["events"]);
    assert_eq!(a["aggregate"], b["aggregate"]);
    assert_eq!(a["exclusions"], b["exclusions"]);
    let groups = a["aggregate"].as_array().unwrap();
    assert_eq!(groups[0]["group"], "all");
    assert_eq!(groups[0]["n"].as_u64().unwrap() as usize, ok);
    assert!(groups[0]["rbar_pairs"].as_u64().unwrap() > 1000, "r̄ over many overlapping pairs");
}
