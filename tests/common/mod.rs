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
    cfg.input.events = Some(events);
    cfg.input.market = vec!["GSPC".into()];
    cfg.method.returns = eventstudy::config::ReturnKind::Log;
    cfg.method.estimation = (-240, -1);
    cfg.method.window = (0, 4);
    cfg.method.car_windows = car_windows;
    cfg.tests.group_by = vec![eventstudy::config::GroupBy::All];
    cfg.validate().unwrap();
    (cfg, tmp)
}

/// A decoded PNG as RGB pixels.
pub struct Image {
    pub width: u32,
    pub height: u32,
    pub rgb: Vec<[u8; 3]>,
}

impl Image {
    /// Decodes an 8-bit RGB or RGBA PNG.
    pub fn open(path: &Path) -> Image {
        let mut decoder =
            png::Decoder::new(std::fs::File::open(path).unwrap_or_else(|e| panic!("{}: {e}", path.display())));
        decoder.set_transformations(png::Transformations::EXPAND | png::Transformations::STRIP_16);
        let mut reader = decoder.read_info().unwrap();
        let mut buf = vec![0; reader.output_buffer_size()];
        let info = reader.next_frame(&mut buf).unwrap();
        let step = info.color_type.samples();
        let rgb = buf[..info.buffer_size()]
            .chunks(step)
            .map(|p| if step >= 3 { [p[0], p[1], p[2]] } else { [p[0], p[0], p[0]] })
            .collect();
        Image { width: info.width, height: info.height, rgb }
    }

    /// Share of pixels that are not (near) white.
    pub fn ink(&self) -> f64 {
        self.rgb.iter().filter(|p| p.iter().any(|&c| c < 235)).count() as f64 / self.rgb.len() as f64
    }

    /// Pixels within `tol` of `colour` on every channel.
    pub fn count_near(&self, colour: [u8; 3], tol: u8) -> usize {
        self.rgb.iter().filter(|p| p.iter().zip(colour).all(|(&a, b)| a.abs_diff(b) <= tol)).count()
    }

    /// Number of distinct colours (up to `cap`).
    pub fn colours(&self, cap: usize) -> usize {
        let mut set = std::collections::HashSet::new();
        for p in &self.rgb {
            set.insert(*p);
            if set.len() >= cap {
                break;
            }
        }
        set.len()
    }
}

/// The four dated news days of the reference scripts, with their kinds (date-only, on trading
/// days of the US lines).
pub const REFERENCE_DAYS: [(&str, &str); 4] =
    [("rumor", "2024-03-22"), ("report", "2025-02-11"), ("confirmation", "2025-02-13"), ("earnings", "2025-05-15")];

/// A data folder under `tmp` with the price files `files` of `from` and an events file of
/// [`REFERENCE_DAYS`] for BABA, AAPL and BIDU (ids are the dates).
pub fn reference_folder(tmp: &Path, from: &Path, files: &[&str]) -> PathBuf {
    let data = tmp.join("data");
    std::fs::create_dir_all(&data).unwrap();
    for f in files {
        std::fs::copy(from.join(f), data.join(f)).unwrap_or_else(|e| panic!("{}: {e}", from.join(f).display()));
    }
    let mut events = String::from("id,date,ticker,kind\n");
    for (kind, d) in REFERENCE_DAYS {
        events.push_str(&format!("{d},{d},BABA;AAPL;BIDU,{kind}\n"));
    }
    std::fs::write(data.join("events.csv"), events).unwrap();
    data
}

/// The study of the real BABA, AAPL and BIDU closes against SPY on [`REFERENCE_DAYS`], with
/// default options (not yet validated), its data folder under `tmp`.
#[allow(dead_code)]
pub fn real_reference_config(tmp: &Path, shared: &Path) -> eventstudy::StudyConfig {
    let data = reference_folder(tmp, &shared.join("real"), &["BABA.csv", "AAPL.csv", "BIDU.csv", "SPY.csv"]);
    let mut cfg = eventstudy::StudyConfig::with_defaults(&data);
    cfg.input.ticker = vec!["BABA".into(), "AAPL".into(), "BIDU".into()];
    cfg
}

/// The JSON of `tests/reference/<name>`.
pub fn expected(name: &str) -> serde_json::Value {
    let path = repo().join("tests/reference").join(name);
    serde_json::from_str(&std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))).unwrap()
}

/// The folder of the study whose readable stem is `stem` under `out` (`BABA_vs_SPY` finds
/// `BABA_vs_SPY-<hash>`).
#[allow(dead_code)]
pub fn study_dir(out: &Path, stem: &str) -> std::path::PathBuf {
    let found: Vec<std::path::PathBuf> = std::fs::read_dir(out)
        .unwrap_or_else(|e| panic!("{}: {e}", out.display()))
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.file_name().and_then(|n| n.to_str()).is_some_and(|n| is_study_of(n, stem)))
        .collect();
    assert_eq!(found.len(), 1, "one study folder {stem}-<hash> in {}: {found:?}", out.display());
    found[0].clone()
}

/// Whether a study folder name is `stem` plus the 8-character study hash.
#[allow(dead_code)]
pub fn is_study_of(name: &str, stem: &str) -> bool {
    name.strip_prefix(stem)
        .and_then(|rest| rest.strip_prefix('-'))
        .is_some_and(|h| h.len() == 8 && h.bytes().all(|b| b.is_ascii_hexdigit()))
}
