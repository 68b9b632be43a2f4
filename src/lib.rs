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
pub use engine::run_study;
pub use error::{Error, Result};
pub use summary::Summary;
