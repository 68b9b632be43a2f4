//! Output snapshots: the gate of refactors. Each case runs the binary on fixed inputs laid out
//! under a temporary folder with relative paths (so no output holds a run-specific path) and
//! compares `summary.json`, `ar.csv`, `car.csv`, `aggregate.csv`, the terminal summary and every chart SVG with the
//! files under `tests/snapshots/<case>/`, byte for byte. SVGs are compared by SHA-256 (their
//! glyph outlines make them large), listed in `svg.sha256`.
//!
//! These are not reference values: they guard that a change of layout leaves every output as
//! it was. The numbers themselves are checked against independent scripts elsewhere
//! (`tests/reference/`). A change that alters an output on purpose regenerates the snapshots
//! with `EVENTSTUDY_UPDATE_SNAPSHOTS=1 cargo test --release --test snapshots` and names the
//! change in its commit message.
//!
//! Cases that need `../shared/data` skip with a one-line notice when it is absent.

mod common;

use std::path::{Path, PathBuf};

use common::{copy_dir, repo, shared_data};

/// The text outputs compared whole.
const TEXT_FILES: &[&str] = &["summary.json", "ar.csv", "car.csv", "aggregate.csv"];

/// A snapshot case: how to lay out its inputs in the work folder, and the options of the run.
struct Case {
    name: &'static str,
    /// Lays out the inputs under the work folder; `None` skips the case (no `../shared`).
    setup: fn(&Path) -> Option<()>,
    args: &'static [&'static str],
}

fn bundled(w: &Path) -> Option<()> {
    copy_dir(&repo().join("data"), &w.join("d"));
    Some(())
}

fn copy_files(from: &Path, names: &[&str], to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for n in names {
        std::fs::copy(from.join(n), to.join(n)).unwrap_or_else(|e| panic!("{}: {e}", from.join(n).display()));
    }
}

fn estudy2(w: &Path) -> Option<()> {
    let shared = shared_data("snapshot estudy2")?;
    copy_dir(&shared.join("reference/estudy2/prices"), &w.join("d"));
    std::fs::write(w.join("d/events.csv"), "date,ticker\n2020-03-16,AMZN;NFLX;SHOP;FB;UPWK\n").unwrap();
    Some(())
}

fn est_sp500(w: &Path) -> Option<()> {
    let shared = shared_data("snapshot est_sp500")?;
    copy_dir(&shared.join("reference/est_sp500"), &w.join("d"));
    Some(())
}

fn ff3_real(w: &Path) -> Option<()> {
    let shared = shared_data("snapshot ff3_real")?;
    copy_files(&shared.join("real"), &["BABA.csv", "SPY.csv"], &w.join("d"));
    copy_files(&shared.join("real"), &["FF3_daily.csv"], &w.join("f"));
    std::fs::copy(repo().join("data/events.csv"), w.join("d/events.csv")).unwrap();
    Some(())
}

fn hk_scholes_williams(w: &Path) -> Option<()> {
    let shared = shared_data("snapshot hk_scholes_williams")?;
    copy_files(&shared.join("real"), &["9988.HK.csv", "SPY.csv"], &w.join("d"));
    std::fs::write(
        w.join("d/events.csv"),
        "id,date,ticker,kind,headline\n\
         baidu-talks,2024-03-22T12:30:00Z,9988.HK,rumor,Apple held talks with Baidu\n\
         alibaba-chosen,2025-02-11,9988.HK,report,Apple picks Alibaba\n\
         tsai-confirms,2025-02-13T10:00:00+04:00,9988.HK,confirmation,Joe Tsai confirms\n\
         earnings,2025-05-15,9988.HK,earnings,March-quarter results\n\
         scrutiny,2025-05-17,9988.HK,regulatory,US scrutiny of the deal\n",
    )
    .unwrap();
    Some(())
}

fn panel(w: &Path) -> Option<()> {
    let out = assert_cmd::Command::cargo_bin("eventstudy")
        .unwrap()
        .current_dir(w)
        .args([
            "simulate",
            "--out",
            "p",
            "--tickers",
            "8",
            "--events",
            "24",
            "--start",
            "2021-01-04",
            "--end",
            "2023-12-29",
        ])
        .output()
        .unwrap();
    assert!(out.status.success(), "simulate: {}", String::from_utf8_lossy(&out.stderr));
    // Only the long panel and the events file: every price comes from --panel.
    std::fs::create_dir_all(w.join("d")).unwrap();
    std::fs::rename(w.join("p/panel.csv"), w.join("d/panel.csv")).unwrap();
    std::fs::rename(w.join("p/events.csv"), w.join("d/events.csv")).unwrap();
    Some(())
}

const CASES: &[Case] = &[
    Case { name: "bundled_three_tickers", setup: bundled, args: &["--ticker", "BABA,AAPL,BIDU"] },
    Case {
        name: "estudy2_panel",
        setup: estudy2,
        args: &[
            "--market",
            "GSPC",
            "--returns",
            "log",
            "--estimation=-240,-1",
            "--window=0,4",
            "--car=0,0",
            "--car=0,1",
            "--car=0,4",
            "--car=1,3",
            "--group-by",
            "all",
        ],
    },
    Case {
        name: "eventstudytools_sp500",
        setup: est_sp500,
        args: &[
            "--market",
            "SP500",
            "--crsp-negative",
            "--returns",
            "log",
            "--estimation=-130,-11",
            "--window=-2,2",
            "--car=-2,2",
            "--car=-1,1",
            "--car=0,0",
            "--car=0,1",
            "--group-by",
            "all",
        ],
    },
    Case { name: "chain", setup: bundled, args: &["--ticker", "BABA,BIDU", "--chain"] },
    Case {
        name: "dimson_two_lags",
        setup: bundled,
        args: &["--ticker", "BABA", "--beta", "dimson", "--dimson-lags", "2"],
    },
    Case {
        name: "ff3_real_french",
        setup: ff3_real,
        args: &["--ticker", "BABA", "--model", "ff3", "--factors", "f/FF3_daily.csv"],
    },
    Case {
        name: "hk_scholes_williams",
        setup: hk_scholes_williams,
        args: &["--ticker", "9988.HK", "--market", "SPY", "--beta", "scholes-williams"],
    },
    Case {
        name: "long_panel",
        setup: panel,
        args: &["--panel", "d/panel.csv", "--market", "SPY", "--group-by", "all,ticker,kind"],
    },
];

fn snapshot_dir(case: &str) -> PathBuf {
    repo().join("tests/snapshots").join(case)
}

fn updating() -> bool {
    std::env::var_os("EVENTSTUDY_UPDATE_SNAPSHOTS").is_some_and(|v| v == "1")
}

/// The SHA-256 of every SVG of the study folder, one `name  hash` line each, sorted.
fn svg_manifest(dir: &Path) -> String {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .filter_map(|e| e.ok()?.file_name().into_string().ok())
        .filter(|n| n.ends_with(".svg"))
        .collect();
    names.sort();
    names
        .iter()
        .map(|n| format!("{n}  {}\n", eventstudy::load::sha256_hex(&std::fs::read(dir.join(n)).unwrap())))
        .collect()
}

/// The first line where two texts differ, for a readable failure.
fn first_difference(got: &str, want: &str) -> String {
    for (i, (a, b)) in got.lines().zip(want.lines()).enumerate() {
        if a != b {
            return format!("line {}:\n  got:  {}\n  want: {}", i + 1, cut(a), cut(b));
        }
    }
    format!("lengths differ: {} lines, snapshot {} lines", got.lines().count(), want.lines().count())
}

fn cut(s: &str) -> &str {
    match s.char_indices().nth(300) {
        Some((i, _)) => &s[..i],
        None => s,
    }
}

fn check_case(case: &Case) {
    let tmp = tempfile::tempdir().unwrap();
    let w = tmp.path();
    if (case.setup)(w).is_none() {
        return;
    }
    let out = assert_cmd::Command::cargo_bin("eventstudy")
        .unwrap()
        .current_dir(w)
        .args(["--data", "d", "--out", "o", "--name", "snap"])
        .args(case.args)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}: {}", case.name, String::from_utf8_lossy(&out.stderr));
    let study = w.join("o/snap");
    let snap = snapshot_dir(case.name);
    let mut produced: Vec<(String, String)> = TEXT_FILES
        .iter()
        .map(|f| {
            (
                f.to_string(),
                std::fs::read_to_string(study.join(f)).unwrap_or_else(|e| panic!("{}: {f}: {e}", case.name)),
            )
        })
        .collect();
    produced.push(("svg.sha256".into(), svg_manifest(&study)));
    // The terminal summary (the default --format table), as printed.
    produced.push(("stdout.txt".into(), String::from_utf8(out.stdout.clone()).unwrap()));
    if updating() {
        std::fs::create_dir_all(&snap).unwrap();
        for (f, text) in &produced {
            std::fs::write(snap.join(f), text).unwrap();
        }
        return;
    }
    for (f, text) in &produced {
        let want = std::fs::read_to_string(snap.join(f)).unwrap_or_else(|e| {
            panic!("{}: no snapshot {f} ({e}); create it with EVENTSTUDY_UPDATE_SNAPSHOTS=1", case.name)
        });
        assert!(text == &want, "{}: {f} differs from its snapshot, {}", case.name, first_difference(text, &want));
    }
}

/// One test per case, named after what it guards.
macro_rules! snapshot_tests {
    ($($test:ident => $case:expr,)*) => {
        $(
            #[test]
            fn $test() {
                check_case(&CASES[$case]);
            }
        )*
    };
}

snapshot_tests! {
    bundled_three_ticker_study_matches_its_snapshot => 0,
    estudy2_panel_matches_its_snapshot => 1,
    eventstudytools_sp500_example_matches_its_snapshot => 2,
    chain_run_matches_its_snapshot => 3,
    dimson_two_lags_matches_its_snapshot => 4,
    ff3_with_real_french_factors_matches_its_snapshot => 5,
    hong_kong_line_with_scholes_williams_matches_its_snapshot => 6,
    long_panel_run_matches_its_snapshot => 7,
}
