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
                for (k, p) in live.iter().enumerate() {
                    remove_under_writers(p, k);
                }
            }
            let _ =
                std::io::Write::write_all(&mut std::io::stderr(), b"eventstudy: interrupted; nothing was written\n");
            std::process::exit(INTERRUPTED);
        }
    });
}

/// Removes `dir` while other threads of this run may still be writing into it: it is first
/// renamed (a file created by its old path then fails instead of landing in it), and the removal
/// is retried while files opened before the rename appear. The new name is a staging name of
/// this process, so a folder that still cannot be removed is cleared by the next run.
fn remove_under_writers(dir: &Path, k: usize) {
    let gone = dir.with_file_name(format!(".removing-{k}.staging-{}", std::process::id()));
    let target = if std::fs::rename(dir, &gone).is_ok() { gone } else { dir.to_path_buf() };
    for _ in 0..REMOVE_ATTEMPTS {
        if std::fs::remove_dir_all(&target).is_ok() || !target.exists() {
            return;
        }
        std::thread::sleep(std::time::Duration::from_millis(10));
    }
}

/// Removal attempts of an interrupted run's folder (10 ms apart).
const REMOVE_ATTEMPTS: usize = 50;

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
        assert_eq!(run_pid(".removing-0.staging-99"), Some(99), "a folder being removed");
        assert_eq!(run_pid("BABA.staging-1"), None, "only hidden folders");
        assert_eq!(run_pid(".notes"), None);
    }
}
