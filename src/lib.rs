//! eventstudy: how a stock reacted to dated news beyond what the market explains, and whether
//! that reaction is statistically real.
//!
//! Layers, each usable on its own:
//! - [`load`]: reads price and events files (polars lives only here);
//! - [`session`]: time zones and session closes, and where day 0 falls;
//! - [`study`]: places day 0, fits the market model and computes ARs and CARs;
//! - [`stats`]: the formulas, on plain slices;
//! - [`summary`]: the one result structure every output reads;
//! - [`output`]: terminal table, JSON, CSV and charts;
//! - [`simulate`]: the generator of the bundled (simulated) sample data;
//! - [`cli`]: the command line.

pub mod aggregate;
pub mod cli;
pub mod config;
pub mod error;
pub mod load;
pub mod output;
pub mod session;
pub mod simulate;
pub mod stats;
pub mod study;
pub mod summary;
pub mod timing;

pub use config::StudyConfig;
pub use error::{Error, Result};
pub use study::run_study;
pub use summary::Summary;
