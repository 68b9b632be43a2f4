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
//! - [`summary`]: the one result structure every output reads;
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
}
pub use engine::run_study;
pub use error::{Error, Result};
pub use summary::Summary;
