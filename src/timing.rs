//! Wall time of each phase of a study, for profiling large runs: with the environment variable
//! `EVENTSTUDY_TIMINGS=1` set, every phase prints `eventstudy: timing: <phase> <seconds> s` to
//! stderr when it ends. Off by default, and then it costs one cached lookup per phase.

use std::sync::OnceLock;
use std::time::Instant;

fn enabled() -> bool {
    static ON: OnceLock<bool> = OnceLock::new();
    *ON.get_or_init(|| std::env::var_os("EVENTSTUDY_TIMINGS").is_some_and(|v| !v.is_empty() && v != "0"))
}

/// A running phase; its time is printed when it is dropped.
pub struct Phase {
    name: &'static str,
    start: Instant,
}

/// Starts timing `name` (nothing when timings are off).
pub fn phase(name: &'static str) -> Option<Phase> {
    enabled().then(|| Phase { name, start: Instant::now() })
}

impl Drop for Phase {
    fn drop(&mut self) {
        eprintln!("eventstudy: timing: {} {:.3} s", self.name, self.start.elapsed().as_secs_f64());
    }
}
