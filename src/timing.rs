//! Wall time of each phase of a study, for profiling large runs: with the environment variable
//! `EVENTSTUDY_TIMINGS=1` set, every phase prints `eventstudy: timing: <phase> <seconds> s` to
//! stderr when it ends. Off by default, and then it costs one cached lookup per phase.
//!
//! A part that runs many times (once per group of events, on several threads) is [`summed`]
//! instead: its times are added up and printed once, with the count, by [`print_sums`].

use std::collections::BTreeMap;
use std::sync::{Mutex, OnceLock};
use std::time::Instant;

fn enabled() -> bool {
    static ON: OnceLock<bool> = OnceLock::new();
    *ON.get_or_init(|| std::env::var_os("EVENTSTUDY_TIMINGS").is_some_and(|v| !v.is_empty() && v != "0"))
}

/// A running phase; when it is dropped its time is printed, or added to its sum.
pub struct Phase {
    name: &'static str,
    start: Instant,
    summed: bool,
}

/// Starts timing `name` (nothing when timings are off).
pub fn phase(name: &'static str) -> Option<Phase> {
    enabled().then(|| Phase { name, start: Instant::now(), summed: false })
}

impl Drop for Phase {
    fn drop(&mut self) {
        let secs = self.start.elapsed().as_secs_f64();
        if !self.summed {
            eprintln!("eventstudy: timing: {} {secs:.3} s{}", self.name, memory());
            return;
        }
        let mut m = sums().lock().unwrap_or_else(|e| e.into_inner());
        let e = m.entry(self.name).or_insert((0.0, 0));
        e.0 += secs;
        e.1 += 1;
    }
}

/// The process's resident and peak resident memory, as `, resident R MiB (peak P MiB)`, from
/// /proc/self/status on Linux; empty elsewhere.
fn memory() -> String {
    let Ok(status) = std::fs::read_to_string("/proc/self/status") else { return String::new() };
    let mib = |key: &str| {
        status
            .lines()
            .find_map(|l| l.strip_prefix(key))
            .and_then(|v| v.trim().strip_suffix("kB"))
            .and_then(|v| v.trim().parse::<u64>().ok())
            .map(|kb| kb / 1024)
    };
    match (mib("VmRSS:"), mib("VmHWM:")) {
        (Some(now), Some(peak)) => format!(", resident {now} MiB (peak {peak} MiB)"),
        _ => String::new(),
    }
}

/// The summed parts: name → (seconds, count).
fn sums() -> &'static Mutex<BTreeMap<&'static str, (f64, usize)>> {
    static SUMS: OnceLock<Mutex<BTreeMap<&'static str, (f64, usize)>>> = OnceLock::new();
    SUMS.get_or_init(|| Mutex::new(BTreeMap::new()))
}

/// Starts timing one run of the part `name`, added to its sum (nothing when timings are off).
pub fn summed(name: &'static str) -> Option<Phase> {
    enabled().then(|| Phase { name, start: Instant::now(), summed: true })
}

/// Prints and clears every summed part: `eventstudy: timing:   <part> <seconds> s (N runs,
/// summed over threads)`.
pub fn print_sums() {
    if !enabled() {
        return;
    }
    let mut m = sums().lock().unwrap_or_else(|e| e.into_inner());
    for (name, (secs, n)) in std::mem::take(&mut *m) {
        eprintln!("eventstudy: timing:   {name} {secs:.3} s ({n} runs, summed over threads)");
    }
}
