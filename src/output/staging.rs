//! The hidden folders a run writes beside its study folder (`.NAME.staging-PID`, `.NAME.old-PID`)
//! must never outlive it. A run registers each one while it exists; SIGINT or SIGTERM removes
//! the registered folders before the process ends, and the next run into the same `--out`
//! removes those of runs that died without cleaning up (their process no longer exists).

use std::path::{Path, PathBuf};
use std::sync::{Mutex, Once};

/// The hidden folders of this run that an interruption must remove.
static LIVE: Mutex<Vec<PathBuf>> = Mutex::new(Vec::new());
static HANDLER: Once = Once::new();

/// Exit code after SIGINT or SIGTERM (128 + SIGINT, as shells report an interrupted command).
const INTERRUPTED: i32 = 130;

/// Registers `dir` for removal on interruption (and installs the signal handler once).
pub fn register(dir: &Path) {
    HANDLER.call_once(install_handler);
    if let Ok(mut live) = LIVE.lock() {
        live.push(dir.to_path_buf());
    }
}

/// `dir` is gone or published: an interruption no longer removes it.
pub fn unregister(dir: &Path) {
    if let Ok(mut live) = LIVE.lock() {
        live.retain(|p| p != dir);
    }
}

fn install_handler() {
    use signal_hook::consts::{SIGINT, SIGTERM};
    let Ok(mut signals) = signal_hook::iterator::Signals::new([SIGINT, SIGTERM]) else { return };
    std::thread::spawn(move || {
        if signals.forever().next().is_some() {
            // Hold the lock to the end: no folder is registered or published meanwhile.
            let live = LIVE.lock();
            if let Ok(live) = &live {
                for p in live.iter() {
                    let _ = std::fs::remove_dir_all(p);
                }
            }
            let _ =
                std::io::Write::write_all(&mut std::io::stderr(), b"eventstudy: interrupted; nothing was written\n");
            std::process::exit(INTERRUPTED);
        }
    });
}

/// The process id of a hidden run folder's name (`.NAME.staging-PID`, `.NAME.old-PID`).
fn run_pid(name: &str) -> Option<u32> {
    if !name.starts_with('.') {
        return None;
    }
    let (_, pid) = name.rsplit_once(".staging-").or_else(|| name.rsplit_once(".old-"))?;
    pid.parse().ok()
}

/// Whether process `pid` is running (on systems without `/proc`, every process counts as running,
/// so nothing is removed).
fn alive(pid: u32) -> bool {
    if pid == std::process::id() {
        return true;
    }
    let proc = Path::new("/proc");
    !proc.is_dir() || proc.join(pid.to_string()).exists()
}

/// Removes the hidden folders in `out` of runs that no longer exist.
pub fn remove_stale(out: &Path) {
    let Ok(entries) = std::fs::read_dir(out) else { return };
    for e in entries.flatten() {
        let name = e.file_name();
        let Some(pid) = name.to_str().and_then(run_pid) else { continue };
        if !alive(pid) && e.file_type().is_ok_and(|t| t.is_dir()) {
            let _ = std::fs::remove_dir_all(e.path());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hidden_run_folders_name_their_process() {
        assert_eq!(run_pid(".BABA_vs_SPY-1a2b3c4d.staging-4242"), Some(4242));
        assert_eq!(run_pid(".x.old-7"), Some(7));
        assert_eq!(run_pid("BABA.staging-1"), None, "only hidden folders");
        assert_eq!(run_pid(".notes"), None);
    }
}
