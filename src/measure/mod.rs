//! What is studied: the series whose abnormal part the engine measures. A measure turns a
//! ticker's loaded rows (and its benchmark's) into one value per row on the ticker's own
//! calendar; the engine (day 0, windows, exclusions, AR/CAR, aggregation) never knows which
//! measure it is. [`for_config`] chooses it once per study.
//!
//! Adding a measure: one file with a type implementing [`Measure`] and its arm in
//! [`for_config`].

pub mod returns;
pub mod volume;

use chrono::NaiveDate;

use crate::codes::Reason;
use crate::config::{MeasureKind, StudyConfig};
use crate::load::PriceSeries;

/// A ticker's measured series joined with its benchmark's on the ticker's own calendar.
#[derive(Debug, Clone)]
pub struct Series {
    pub dates: Vec<NaiveDate>,
    /// `value[i]` is the measure on row i (NaN where it has none, such as the first return).
    pub value: Vec<f64>,
    /// The benchmark's value on the same row, when it has one.
    pub market: Vec<Option<f64>>,
}

/// The benchmark's row of each of the stock's dates (both sorted), found in one merge.
pub fn benchmark_rows(stock: &[NaiveDate], benchmark: &[NaiveDate]) -> Vec<Option<usize>> {
    let mut j = 0;
    stock
        .iter()
        .map(|d| {
            while j < benchmark.len() && benchmark[j] < *d {
                j += 1;
            }
            (j < benchmark.len() && benchmark[j] == *d).then_some(j)
        })
        .collect()
}

/// One measure, chosen once per study.
pub trait Measure: Send + Sync {
    /// The series of `stock`, with `market`'s joined on the stock's dates, or why the ticker
    /// has none (every pair of it is then excluded).
    fn series(&self, stock: &PriceSeries, market: Option<&PriceSeries>) -> Result<Series, (Reason, String)>;
    /// The buy-and-hold abnormal value of a window from its measured and expected values.
    fn buy_and_hold(&self, values: &[f64], expected: &[f64]) -> f64;
    /// The raw cumulative move of `values` over a window: Π(1 + R) − 1 for returns (NaN when
    /// a value is missing), NaN for measures without one.
    fn raw(&self, values: &[f64]) -> f64;
    /// Why an event-window day without a value excludes the pair, and what it lacks.
    fn missing_value(&self) -> (Reason, &'static str);
    /// The start of the sentence for event-window days without the benchmark's value.
    fn benchmark_lacks(&self, benchmark: &str) -> String;
    /// What one value is, in words ("return").
    fn noun(&self) -> &'static str;
    /// How the series is computed, for the conventions.
    fn convention(&self) -> String;
    /// How the buy-and-hold value is computed, for the conventions.
    fn buy_and_hold_convention(&self) -> String;
}

/// The measure of the study's options.
pub fn for_config(cfg: &StudyConfig) -> Box<dyn Measure> {
    match cfg.method.measure {
        MeasureKind::Returns => Box::new(returns::Returns { kind: cfg.method.returns }),
        MeasureKind::Volume => Box::new(volume::Volume),
    }
}
