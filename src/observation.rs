//! What the across-event tests need from one computed (event, ticker) pair: the engine
//! produces it, [`crate::aggregate`] reads it. It lives apart from both so that neither
//! depends on the other's internals.

use chrono::NaiveDate;

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
    pub est_dates: Vec<NaiveDate>,
    /// Relative days of the estimation residuals.
    pub est_rel: Vec<i32>,
    /// The first and last dates of the event window, and day 0 (the r̄ pairing rules).
    pub window_dates: (NaiveDate, NaiveDate),
    pub day0_date: NaiveDate,
    /// Standard error of the CAR from the first event-window day to each day.
    pub car_se_path: Vec<f64>,
    /// The GARCH event-dummy fit (`--garch-dummies`).
    pub dummies: Option<DummyEstimate>,
}
