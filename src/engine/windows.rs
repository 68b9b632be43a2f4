//! Windows and exclusions of one (event, ticker) pair: where day 0 may fall, whether the event
//! window has the data the model needs, which other events of the ticker overlap it or
//! contaminate its estimation window, and which estimation days are usable. Every refusal is
//! an [`Excluded`] with its reason code and a sentence.

use chrono::NaiveDate;

use super::{Engine, EventContext};
use crate::codes::Reason;
use crate::config::Window;
use crate::model::Design;
use crate::session::Placement;
use crate::summary::{EventResult, NEIGHBOURS_LISTED};

/// A day 0 more than this many calendar days after the event date means the data has a gap
/// there, and the event is excluded rather than silently moved.
pub const MAX_DAY0_GAP_DAYS: i64 = 7;

/// Why a pair is not computed.
#[derive(Debug, Clone)]
pub struct Excluded {
    pub reason: Reason,
    pub why: String,
}

impl Excluded {
    fn new(reason: Reason, why: String) -> Excluded {
        Excluded { reason, why }
    }
}

/// Day 0's row when it is placed within [`MAX_DAY0_GAP_DAYS`] of the date the rule looked at.
pub fn kept_day0(dates: &[NaiveDate], p: &Placement) -> Option<usize> {
    p.index.filter(|&i| (dates[i] - p.local_date).num_days().abs() <= MAX_DAY0_GAP_DAYS)
}

/// The rows of an event window around day 0, all with the model's inputs.
#[derive(Debug, Clone, Copy)]
pub struct Span {
    pub lo: usize,
    pub hi: usize,
}

impl Span {
    /// The event window `window` around row `d0`.
    pub fn around(
        engine: &Engine,
        j: &Design,
        d0: usize,
        window: Window,
        ctx: &EventContext,
    ) -> Result<Span, Excluded> {
        let n = j.dates.len() as i64;
        let (first, last) = (j.dates[0], j.dates[j.dates.len() - 1]);
        let (w0, w1) = window;
        let (lo, hi) = (d0 as i64 + w0 as i64, d0 as i64 + w1 as i64);
        if lo < 1 || hi > n - 1 {
            return Err(Excluded::new(
                Reason::EventWindowOutsideData,
                format!(
                    "event window [{w0},{w1}] around day 0 {} needs {} prices from before {first} or after {last}",
                    j.dates[d0], ctx.ticker
                ),
            ));
        }
        let days = |keep: &dyn Fn(usize) -> bool| -> Vec<String> {
            (lo as usize..=hi as usize).filter(|&i| keep(i)).map(|i| j.dates[i].to_string()).collect()
        };
        let no_value = days(&|i| !j.value[i].is_finite());
        if !no_value.is_empty() {
            let (reason, what) = engine.measure.missing_value();
            return Err(Excluded::new(reason, format!("{what} on {} inside the event window", no_value.join(", "))));
        }
        let missing = days(&|i| !j.avail[i]);
        if !missing.is_empty() {
            let (reason, what) = engine
                .model
                .missing_input()
                .unwrap_or_else(|| (Reason::BenchmarkMissing, engine.measure.benchmark_lacks(ctx.benchmark)));
            let noun = engine.measure.noun();
            return Err(Excluded::new(
                reason,
                format!("{what} the {noun} on {} inside the event window", missing.join(", ")),
            ));
        }
        Ok(Span { lo: lo as usize, hi: hi as usize })
    }

    /// The number of days, L.
    pub fn days(&self) -> usize {
        self.hi - self.lo + 1
    }
}

/// Notes the other events of the ticker on `r`: inside this event window, or with their event
/// window overlapping the estimation window (contamination). Returns the contaminating event
/// windows, as merged row ranges.
///
/// The neighbours are found by range queries on the ticker's day 0s sorted by row, and at most
/// [`NEIGHBOURS_LISTED`] are named (the counts are complete), so 5,000 events on one day cost
/// linear time and output rather than a list of every other event in each.
pub fn note_neighbours(
    engine: &Engine,
    j: &Design,
    r: &mut EventResult,
    d0: usize,
    span: Span,
    own: &[String],
    ctx: &EventContext,
) -> Vec<(i64, i64)> {
    let cfg = engine.cfg;
    let (e0, e1) = cfg.method.estimation;
    let (w0, w1) = cfg.method.window;
    let d = d0 as i64;
    let (est_lo, est_hi) = ((d + e0 as i64).max(1), d + e1 as i64);
    let sorted = ctx.by_row;
    // The events (not this one) whose day-0 row lies in [lo, hi], in row order.
    let in_rows = |lo: i64, hi: i64| {
        let a = sorted.partition_point(|(row, _)| (*row as i64) < lo);
        let b = sorted.partition_point(|(row, _)| (*row as i64) <= hi);
        sorted[a..b.max(a)].iter().filter(|(_, k)| !own.contains(&ctx.day0s[*k].0))
    };
    let mut listed = 0;
    for (row, k) in in_rows(span.lo as i64, span.hi as i64) {
        let id = &ctx.day0s[*k].0;
        r.overlapping_count += 1;
        if listed < NEIGHBOURS_LISTED {
            listed += 1;
            r.overlapping.push(id.clone());
            let o = *row as i64;
            r.notes.push(if o == d {
                format!("event {id} has the same day 0")
            } else {
                format!("event {id} (day 0 {}) lies inside this event window, at day {:+}", j.dates[*row], o - d)
            });
        }
    }
    if r.overlapping_count > listed {
        r.notes.push(format!("{} more events lie inside this event window", r.overlapping_count - listed));
    }
    // Event windows [o + w0, o + w1] that meet the estimation window, other than this day 0's.
    let mut blocked: Vec<(i64, i64)> = Vec::new();
    let (lo, hi) = (est_lo - w1 as i64, est_hi - w0 as i64);
    let contaminating = in_rows(lo, (d - 1).min(hi)).chain(in_rows((d + 1).max(lo), hi));
    let mut listed = 0;
    for (row, k) in contaminating {
        let (id, o) = (&ctx.day0s[*k].0, *row as i64);
        let (olo, ohi) = (o + w0 as i64, o + w1 as i64);
        r.contaminated_count += 1;
        match blocked.last_mut() {
            Some(last) if olo <= last.1 + 1 && olo >= last.0 => last.1 = last.1.max(ohi),
            _ => blocked.push((olo, ohi)),
        }
        if listed < NEIGHBOURS_LISTED {
            listed += 1;
            r.contaminated_by.push(id.clone());
            r.notes.push(format!(
                "the estimation window contains the event window of {id} (day 0 {}){}",
                j.dates[*row],
                if cfg.tests.clean_estimation { "; those days are dropped (--clean-estimation)" } else { "" }
            ));
        }
    }
    if r.contaminated_count > listed {
        r.notes.push(format!(
            "{} more events have event windows inside the estimation window",
            r.contaminated_count - listed
        ));
    }
    blocked.sort_unstable();
    blocked
}

/// The usable estimation rows of an event with day 0 at `d0`, and a note when fewer than the
/// window's days are used.
pub struct Estimation {
    pub rows: Vec<usize>,
    pub note: Option<String>,
}

impl Estimation {
    /// The estimation window's rows that have the model's inputs (and their leads and lags),
    /// less those inside `blocked` with `--clean-estimation`.
    pub fn rows(engine: &Engine, j: &Design, d0: usize, blocked: &[(i64, i64)]) -> Result<Estimation, Excluded> {
        let cfg = engine.cfg;
        let (e0, e1) = cfg.method.estimation;
        let n = j.dates.len() as i64;
        let (est_lo, est_hi) = ((d0 as i64 + e0 as i64).max(1), d0 as i64 + e1 as i64);
        let wanted = (e1 - e0 + 1) as usize;
        let lags = engine.model.lags() as i64;
        let usable = |i: i64| {
            j.avail[i as usize]
                && (1..=lags).all(|l| {
                    i - l >= 1
                        && i + l < n
                        && j.market[(i - l) as usize].is_some()
                        && j.market[(i + l) as usize].is_some()
                })
        };
        let (mut rows, mut no_data, mut cleaned, mut no_value) = (Vec::with_capacity(wanted), 0usize, 0usize, 0usize);
        if est_hi >= est_lo {
            for i in est_lo..=est_hi {
                // `blocked` is sorted and disjoint: only the last range starting at or before i can hold it.
                let k = blocked.partition_point(|(a, _)| *a <= i);
                if cfg.tests.clean_estimation && blocked[..k].last().is_some_and(|(_, b)| i <= *b) {
                    cleaned += 1;
                } else if usable(i) {
                    rows.push(i as usize);
                } else if !j.value[i as usize].is_finite() {
                    no_value += 1;
                } else {
                    no_data += 1;
                }
            }
        }
        let min = cfg.method.min_estimation;
        if rows.len() < min {
            return Err(Excluded::new(
                Reason::TooFewEstimationDays,
                format!(
                    "{} usable estimation days, fewer than --min-estimation={min} (window [{e0},{e1}] wants {wanted})",
                    rows.len()
                ),
            ));
        }
        let note = (rows.len() < wanted).then(|| {
            let before = wanted - rows.len() - no_data - cleaned - no_value;
            let without_value =
                if no_value > 0 { format!(", {no_value} with {}", engine.measure.missing_value().1) } else { String::new() };
            format!(
                "estimation uses {} of the {wanted} days of [{e0},{e1}] ({before} before the first price, {no_data} without {}{without_value}, {cleaned} dropped by --clean-estimation)",
                rows.len(),
                engine.model.unusable_day()
            )
        });
        Ok(Estimation { rows, note })
    }
}
