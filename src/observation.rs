//! What the across-event tests need from one computed (event, ticker) pair: the engine
//! produces it, [`crate::aggregate`] reads it. It lives apart from both so that neither
//! depends on the other's internals.

use std::sync::Arc;

use chrono::NaiveDate;

/// A ticker's trading calendar, shared by its events' [`EstDays`].
#[derive(Debug)]
pub struct Calendar {
    dates: Vec<NaiveDate>,
}

/// The longest calendar whose events keep their estimation days as runs (400 years of
/// sessions); the relative days of a run are a slice of [`offsets`].
const LONGEST_CALENDAR: usize = 100_000;

/// `offsets()[x] = x − LONGEST_CALENDAR`, made once.
fn offsets() -> &'static [i32] {
    static OFFSETS: std::sync::OnceLock<Vec<i32>> = std::sync::OnceLock::new();
    OFFSETS.get_or_init(|| (0..2 * LONGEST_CALENDAR as i64).map(|x| (x - LONGEST_CALENDAR as i64) as i32).collect())
}

impl Calendar {
    /// The calendar of a ticker with `events` events, when sharing it saves memory: each event
    /// would otherwise copy about as many dates as its estimation window has.
    pub fn shared(dates: &[NaiveDate], events: usize, estimation_days: usize) -> Option<Arc<Calendar>> {
        (dates.len() <= LONGEST_CALENDAR && events.saturating_mul(estimation_days) > 2 * dates.len())
            .then(|| Arc::new(Calendar { dates: dates.to_vec() }))
    }
}

/// The estimation days of an event, as dates and as days relative to day 0. A study keeps them
/// for every event until its across-event tests are done; most events' days are a run of their
/// ticker's calendar, kept as that run (two numbers) instead of two copies (1.9 KB an event).
#[derive(Debug, Clone)]
pub enum EstDays {
    Run { calendar: Arc<Calendar>, start: usize, len: usize, day0: usize },
    Listed { dates: Vec<NaiveDate>, rel: Vec<i32> },
}

impl EstDays {
    /// From the estimation rows (increasing) of the ticker's `dates`, their shared calendar if
    /// any, and the row of day 0.
    pub fn new(dates: &[NaiveDate], calendar: Option<&Arc<Calendar>>, rows: &[usize], day0: usize) -> EstDays {
        let run = rows.windows(2).all(|w| w[1] == w[0] + 1);
        match (rows.first(), calendar) {
            (Some(&start), Some(calendar)) if run => {
                EstDays::Run { calendar: calendar.clone(), start, len: rows.len(), day0 }
            }
            _ => EstDays::Listed {
                dates: rows.iter().map(|&i| dates[i]).collect(),
                rel: rows.iter().map(|&i| (i as i64 - day0 as i64) as i32).collect(),
            },
        }
    }

    pub fn dates(&self) -> &[NaiveDate] {
        match self {
            EstDays::Run { calendar, start, len, .. } => &calendar.dates[*start..start + len],
            EstDays::Listed { dates, .. } => dates,
        }
    }

    /// Relative days (row − day 0's row).
    pub fn rel(&self) -> &[i32] {
        match self {
            EstDays::Run { start, len, day0, .. } => {
                let from = start + LONGEST_CALENDAR - day0;
                &offsets()[from..from + len]
            }
            EstDays::Listed { rel, .. } => rel,
        }
    }
}

/// One claim window of an event: its CAR, the CAR's forecast-error variance and Chow's F.
#[derive(Debug, Clone, Copy)]
pub struct ClaimWindow {
    pub window: (i32, i32),
    pub car: f64,
    pub var: f64,
    pub var_f: f64,
}

/// One event's fit of the GARCH event-dummy model (`--garch-dummies`).
#[derive(Debug, Clone, Copy)]
pub struct DummyEstimate {
    pub gamma: f64,
    pub delta: f64,
    pub h0: f64,
    /// Converged and not at a bound: enters the cross-sectional tests.
    pub usable: bool,
}

/// The numbers of one computed event (not serialised).
#[derive(Debug, Clone)]
pub struct EventStats {
    pub id: String,
    pub ticker: String,
    pub kind: String,
    /// Abnormal values over the event window.
    pub ar: Vec<f64>,
    /// AR standardised by the forecast-error standard deviation.
    pub sar: Vec<f64>,
    /// AR standardised by the plain residual s.
    pub sar_plain: Vec<f64>,
    /// CAR per CAR window, with its exact forecast-error variance and BHAR.
    pub car: Vec<f64>,
    pub car_var: Vec<f64>,
    pub bhar: Vec<f64>,
    /// Variance ratio and Chow's predictive F of each CAR window (the volatility tests).
    pub var_ratio: Vec<f64>,
    pub var_f: Vec<f64>,
    /// The windows of the claims about this event's ticker.
    pub claims: Vec<ClaimWindow>,
    pub s: f64,
    pub df: usize,
    pub est_resid: Vec<f64>,
    /// The dates and relative days of the estimation residuals.
    pub est_days: EstDays,
    /// The first and last dates of the event window, and day 0 (the r̄ pairing rules).
    pub window_dates: (NaiveDate, NaiveDate),
    pub day0_date: NaiveDate,
    /// Standard error of the CAR from the first event-window day to each day.
    pub car_se_path: Vec<f64>,
    /// The GARCH event-dummy fit (`--garch-dummies`).
    pub dummies: Option<DummyEstimate>,
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A run of rows and a list with a gap give the same dates and relative days as the rows.
    #[test]
    fn estimation_days_as_a_run_or_a_list() {
        let d = |k: u32| NaiveDate::from_ymd_opt(2024, 1, 1).unwrap() + chrono::Days::new(k as u64);
        let dates: Vec<NaiveDate> = (0..30).map(d).collect();
        assert!(Calendar::shared(&dates, 2, 10).is_none(), "two events copy less than the calendar");
        let cal = Calendar::shared(&dates, 10, 10).unwrap();
        for (rows, day0) in [(vec![3, 4, 5, 6], 10usize), (vec![0, 1, 2], 29), (vec![3, 5, 6], 8), (vec![25, 26], 2)] {
            let e = EstDays::new(&dates, Some(&cal), &rows, day0);
            assert_eq!(matches!(e, EstDays::Run { .. }), rows.windows(2).all(|w| w[1] == w[0] + 1));
            let listed = EstDays::new(&dates, None, &rows, day0);
            assert_eq!((listed.dates(), listed.rel()), (e.dates(), e.rel()));
            assert_eq!(e.dates(), rows.iter().map(|&i| d(i as u32)).collect::<Vec<_>>());
            assert_eq!(e.rel(), rows.iter().map(|&i| i as i32 - day0 as i32).collect::<Vec<_>>());
        }
    }
}
