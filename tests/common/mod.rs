//! Helpers shared by the integration tests.
#![allow(dead_code)]

use std::path::{Path, PathBuf};

/// The repository root.
pub fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// `../shared/data` beside the checkout, or `None` with a one-line notice (a user's clone has
/// no `../shared`; CI has it).
pub fn shared_data(test: &str) -> Option<PathBuf> {
    let p = repo().join("..").join("shared").join("data");
    if p.is_dir() {
        Some(p)
    } else {
        // Written to stderr directly: the test harness captures eprintln!, and the notice
        // must show in a normal `cargo test` run.
        use std::io::Write;
        let _ = writeln!(std::io::stderr(), "skipping {test}: ../shared/data is not beside this checkout");
        None
    }
}

/// Runs the binary in `cwd` with `args` (plus `--format json --no-charts --bootstrap 0`),
/// asserts success and returns the summary it prints.
pub fn study_json(cwd: &Path, args: &[&str]) -> serde_json::Value {
    let out = assert_cmd::Command::cargo_bin("eventstudy")
        .unwrap()
        .current_dir(cwd)
        .args(args)
        .args(["--format", "json", "--no-charts", "--bootstrap", "0"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{args:?}: {}", String::from_utf8_lossy(&out.stderr));
    serde_json::from_slice(&out.stdout).unwrap()
}

/// Copies every file of `from` into `to` (not recursive).
pub fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(from).unwrap() {
        let p = e.unwrap().path();
        if p.is_file() {
            std::fs::copy(&p, to.join(p.file_name().unwrap())).unwrap();
        }
    }
}

/// SHA-256 of every file under `dir`, sorted by path, for before/after comparisons.
pub fn hash_tree(dir: &Path) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                stack.push(p);
            } else {
                out.push((p.display().to_string(), eventstudy::load::sha256_hex(&std::fs::read(&p).unwrap())));
            }
        }
    }
    out.sort();
    out
}

/// Asserts |a − b| <= tol with a readable message.
pub fn close(what: &str, a: f64, b: f64, tol: f64) {
    assert!((a - b).abs() <= tol, "{what}: got {a}, expected {b} (tolerance {tol})");
}

/// The classic design on the estudy2 panel: AMZN, NFLX, SHOP, FB, UPWK against GSPC, common
/// event day 2020-03-16, log returns, estimation [-240,-1], event window [0,4]. The returned
/// folder holds the events file and must outlive the study.
pub fn estudy2_config(shared: &Path, car_windows: Vec<(i32, i32)>) -> (eventstudy::StudyConfig, tempfile::TempDir) {
    let prices = shared.join("reference/estudy2/prices");
    let tmp = tempfile::tempdir().unwrap();
    let events = tmp.path().join("events.csv");
    std::fs::write(&events, "date,ticker\n2020-03-16,AMZN;NFLX;SHOP;FB;UPWK\n").unwrap();
    let mut cfg = eventstudy::StudyConfig::with_defaults(&prices);
    cfg.events_file = events;
    cfg.market = "GSPC".into();
    cfg.returns = eventstudy::config::ReturnKind::Log;
    cfg.estimation = (-240, -1);
    cfg.window = (0, 4);
    cfg.car_windows = car_windows;
    cfg.group_by = vec![eventstudy::config::GroupBy::All];
    cfg.validate(true).unwrap();
    (cfg, tmp)
}
