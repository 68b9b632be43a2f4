//! eventstudy: how a stock reacted to dated news beyond what the market explains, and whether
//! that reaction is statistically real.
//!
//! Layers, each usable on its own:
//! - [`load`]: reads price and events files (polars lives only here);
//! - [`session`]: time zones and session closes, and where day 0 falls;
//! - [`config`]: every option, defined once, and their validation;
//! - [`measure`]: what series is studied (returns);
//! - [`model`]: the normal-return models, one file each;
//! - [`engine`]: places day 0, checks windows, fits the model and computes ARs and CARs;
//! - [`aggregate`]: groups events and runs the across-event tests;
//! - [`stats`]: the formulas, on plain slices;
//! - [`codes`]: status, reason, day-0 rule, input role and test ids;
//! - [`summary`]: the one result structure every output reads ([`test_map`]: the tests of a
//!   day or window);
//! - [`output`]: terminal table, JSON, CSV and charts;
//! - [`simulate`]: the generator of the bundled (simulated) sample data;
//! - [`cli`]: the command line; [`progress`]: the progress bar of long studies on a terminal.

pub mod aggregate;
pub mod cli;
pub mod codes;
pub mod config;
pub mod engine;
pub mod error;
pub mod load;
pub mod measure;
pub mod model;
pub mod observation;
pub mod output;
pub mod progress;
pub mod session;
pub mod simulate;
pub mod stats;
pub mod summary;
pub mod test_map;
pub mod timing;

pub use config::StudyConfig;

/// mimalloc's `mi_option_purge_delay` (mimalloc.h, v3: the option after
/// `mi_option_eager_commit_delay`, 14, and before `mi_option_use_numa_nodes`, 16).
pub const MI_OPTION_PURGE_DELAY: std::ffi::c_int = 15;

/// Tells the allocator (mimalloc, the binary's global allocator) to keep memory it frees for
/// reuse instead of returning it to the system after a delay: a study frees and reallocates
/// gigabytes, and every page returned was faulted in and zeroed again (200,000 events: 13 s of
/// system time, 7 s with this). The process is short-lived; its peak is unchanged in kind.
pub fn keep_freed_memory() {
    // SAFETY: sets a process-wide integer option; mimalloc reads it when it schedules a purge.
    unsafe { libmimalloc_sys::mi_option_set(MI_OPTION_PURGE_DELAY, -1) };
    memory::manage();
}

/// The process's memory settings that depend on the size of the study, which the binary opts
/// into ([`keep_freed_memory`]); a program that embeds the library keeps its own.
pub mod memory {
    use std::sync::atomic::{AtomicBool, Ordering};

    static MANAGED: AtomicBool = AtomicBool::new(false);

    /// Studies of fewer (event, ticker) pairs than this run without transparent huge pages.
    ///
    /// The allocator asks for huge pages (2 MiB), and the first touch of one zeroes all of it:
    /// a study whose memory is a few hundred MiB of scattered live data zeroes far more than it
    /// uses. Where the host lends memory page by page (a virtual machine with free page
    /// reporting, as the benchmark machine), that zeroing is most of the system time: 5,000
    /// events 1.49–1.76 s with huge pages, 1.17–1.20 s without; 20,000 events 3.57–3.79 s
    /// against 3.00–3.18 s (BENCHMARKS.md). A large study uses its pages densely and takes
    /// fewer faults with them: 200,000 events 23.4 s with, 28.4 s without.
    pub const SMALL_STUDY_PAIRS: usize = 100_000;

    /// Opts the process into [`for_study`] (the binary does, through [`super::keep_freed_memory`]).
    pub fn manage() {
        MANAGED.store(true, Ordering::Relaxed);
    }

    /// Turns transparent huge pages off for a study of fewer than [`SMALL_STUDY_PAIRS`]
    /// (event, ticker) pairs, when the binary manages its memory; a larger study keeps the
    /// process's setting (as inherited). Linux only; a refusal changes nothing but speed.
    pub fn for_study(pairs: usize) {
        if !MANAGED.load(Ordering::Relaxed) || pairs >= SMALL_STUDY_PAIRS {
            return;
        }
        #[cfg(target_os = "linux")]
        {
            let (one, zero): (libc::c_ulong, libc::c_ulong) = (1, 0);
            // SAFETY: prctl(PR_SET_THP_DISABLE) sets one flag of the calling process; the
            // kernel reads it when it backs a page fault. Its result is ignored on purpose.
            let _ = unsafe { libc::prctl(libc::PR_SET_THP_DISABLE, one, zero, zero, zero) };
        }
    }
}
pub use engine::run_study;
pub use error::{Error, Result};
pub use summary::Summary;
