//! The per-event computation: for one (event, ticker) pair on the ticker's design, place day 0,
//! check the windows, fit the normal-return model on the estimation window, and compute the
//! abnormal values of the event window with their forecast-error variances, the CARs of the CAR
//! windows and their BHARs. It yields the serialisable [`EventResult`] and, when computed, the
//! [`EventStats`] that the across-event tests read.

use super::windows::{kept_day0, note_neighbours, Estimation, Excluded, Span, MAX_DAY0_GAP_DAYS};
use super::{Engine, EventContext};
use crate::codes::{Reason, Status};
use crate::config::Window;
use crate::load::Event;
use crate::model::{Day, Design, FittedModel};
use crate::observation::{Calendar, ClaimWindow, EstDays, EventStats};
use crate::session::Placement;
use crate::stats::ols::FitError;
use crate::stats::tdist::t_p;
use crate::stats::volatility;
use crate::summary::{ArRow, CarRow, EventResult, ModelOut};

/// The event window's days as the CAR windows read them.
struct WindowData<'a> {
    /// The relative day of the first day.
    first: i32,
    days: &'a [Day<'a>],
    /// The conditional variance of each day (GARCH), else None (the constant s²).
    h: Option<Vec<f64>>,
    values: Vec<f64>,
    expected: Vec<f64>,
    /// The benchmark's values (NaN where it has none).
    market: Vec<f64>,
}

/// The result of `e` for `ticker` before anything is computed.
pub fn blank_result(e: &Event, ticker: &str, simulated: bool) -> EventResult {
    EventResult {
        id: e.id.clone(),
        ticker: ticker.to_string(),
        event_date: crate::summary::iso_string(e.date),
        event_time: e.when(),
        kind: e.kind.clone(),
        headline: e.headline.clone(),
        source: e.source.clone(),
        url: e.url.clone(),
        day0: None,
        day0_rule: None,
        day0_reason: None,
        benchmark: None,
        status: Status::Ok,
        reason: None,
        notes: vec![],
        model: None,
        contaminated_by: vec![],
        contaminated_count: 0,
        overlapping: vec![],
        overlapping_count: 0,
        merged_into: None,
        garch_dummies: None,
        ar: vec![],
        car: vec![],
        simulated,
        estimation_points: vec![],
    }
}

/// Marks `r` excluded, with its reason and the sentence saying why.
pub fn exclude(r: &mut EventResult, x: Excluded) {
    r.status = Status::Excluded;
    r.reason = Some(x.reason);
    r.notes.push(x.why);
}

/// A pair's outcome: the result, and the across-event numbers when it was computed.
pub type Outcome = (EventResult, Option<EventStats>);

impl Engine<'_> {
    /// Computes one (event, ticker) pair on a ticker's design, with day 0 placed by `place`.
    pub fn compute_event(&self, j: &Design, e: &Event, place: &Placement, ctx: &EventContext) -> Outcome {
        let mut r = blank_result(e, ctx.ticker, ctx.simulated);
        if self.model.uses_market() {
            r.benchmark = Some(ctx.benchmark.to_string());
        }
        r.day0_rule = Some(place.rule);
        r.day0_reason = Some(place.reason.clone());
        // A stock session without a benchmark price is not a holiday: say what happened.
        if let Some((d, to)) = ctx.folded.iter().find(|(d, _)| *d == place.local_date) {
            r.day0_reason = Some(format!(
                "{d} is a {} session without a {} price (a benchmark holiday): day 0 is the next common day {to}, whose return spans both sessions",
                ctx.ticker, ctx.benchmark
            ));
        }
        let Some(d0) = place.index else {
            let x = if place.skipped {
                Excluded { reason: Reason::NonTradingDay, why: place.reason.clone() }
            } else {
                let (first, last) = (j.dates[0], j.dates[j.dates.len() - 1]);
                let why = format!(
                    "event {} has no day 0 in {}'s prices ({first} to {last}): {}",
                    e.when(),
                    ctx.ticker,
                    place.reason
                );
                Excluded { reason: Reason::Day0OutsideData, why }
            };
            exclude(&mut r, x);
            return (r, None);
        };
        let day0_date = j.dates[d0];
        let (first, last) = (j.dates[0], j.dates[j.dates.len() - 1]);
        if kept_day0(&j.dates, place).is_none() && !(first..=last).contains(&place.local_date) {
            // No day 0 at all: the session the rule found is years away.
            (r.day0_rule, r.day0_reason) = (Some(crate::codes::Day0Rule::OutsideData), None);
            let why = format!(
                "event {} is outside {}'s prices ({first} to {last}): no session near {}",
                e.when(),
                ctx.ticker,
                place.local_date
            );
            exclude(&mut r, Excluded { reason: Reason::Day0OutsideData, why });
            return (r, None);
        }
        r.day0 = Some(crate::summary::iso_string(day0_date));
        if kept_day0(&j.dates, place).is_none() {
            let why = format!(
                "no {} price within {MAX_DAY0_GAP_DAYS} days of {} (nearest session {day0_date}): a gap in the file",
                ctx.ticker, place.local_date
            );
            exclude(&mut r, Excluded { reason: Reason::Day0OutsideData, why });
            return (r, None);
        }
        let cfg = self.cfg;
        let (mut r, mut st) =
            self.compute_span(j, r, d0, cfg.method.window, &cfg.method.car_windows, std::slice::from_ref(&e.id), ctx);
        if let (true, Some(st)) = (cfg.method.garch_dummies, st.as_mut()) {
            let est: Vec<usize> = st.est_days.rel().iter().map(|&rel| (d0 as i64 + rel as i64) as usize).collect();
            let (out, estimate) = self.garch_dummies(j, d0, &est);
            r.garch_dummies = Some(out);
            st.dummies = Some(estimate);
        }
        (r, st)
    }

    /// Computes a result over `window` around row `d0` (an event, or a chain of events whose
    /// own ids are `own`): estimation, abnormal values, CARs over `car_windows`, and notes on
    /// the other events.
    #[allow(clippy::too_many_arguments)]
    pub(crate) fn compute_span(
        &self,
        j: &Design,
        mut r: EventResult,
        d0: usize,
        window: Window,
        car_windows: &[Window],
        own: &[String],
        ctx: &EventContext,
    ) -> Outcome {
        match self.span_stats(j, &mut r, d0, window, car_windows, own, ctx) {
            Ok(st) => (r, Some(st)),
            Err(x) => {
                exclude(&mut r, x);
                (r, None)
            }
        }
    }

    /// The body of [`Self::compute_span`]: every refusal is an [`Excluded`], returned at once.
    #[allow(clippy::too_many_arguments)]
    fn span_stats(
        &self,
        j: &Design,
        r: &mut EventResult,
        d0: usize,
        window: Window,
        car_windows: &[Window],
        own: &[String],
        ctx: &EventContext,
    ) -> Result<EventStats, Excluded> {
        let span = Span::around(self, j, d0, window, ctx)?;
        let (lo, hi) = (j.dates[span.lo - 1], j.dates[span.hi]);
        let folded: Vec<String> = ctx
            .folded
            .iter()
            .filter(|(_, to)| *to > lo && *to <= hi)
            .map(|(d, to)| format!("{d} (into {to})"))
            .collect();
        if !folded.is_empty() {
            r.notes.push(format!(
                "{} {} session(s) inside the event window have no {} price: {}; each one's return is in the next common day's (trade-to-trade on the common calendar)",
                folded.len(),
                ctx.ticker,
                ctx.benchmark,
                folded.join(", ")
            ));
        }
        let blocked = note_neighbours(self, j, r, d0, span, own, ctx);
        let est = Estimation::rows(self, j, d0, &blocked)?;
        r.notes.extend(est.note);
        let fit = self
            .model
            .fit(j, &est.rows, self.cfg.tests.s2_denominator)
            .map_err(|e| self.fit_error(e, est.rows.len()))?;
        // Residuals that vanish against the series itself (a flat price, a stock that is its
        // benchmark, a constant volume) leave only rounding noise to standardise by.
        if let Some(why) = crate::model::vanishing(fit.sigma(), est.rows.iter().map(|&i| j.y[i])) {
            return Err(Excluded { reason: Reason::DegenerateEstimation, why });
        }
        let st = self.abnormal(j, r, fit, d0, span, &est.rows, car_windows, ctx.calendar);
        match non_finite(r, &st, self.cfg.method.measure == crate::config::MeasureKind::Returns) {
            Some(why) => {
                (r.ar, r.car, r.model) = (vec![], vec![], None);
                Err(Excluded { reason: Reason::NonFinite, why })
            }
            None => Ok(st),
        }
    }

    fn fit_error(&self, e: FitError, rows: usize) -> Excluded {
        match e {
            FitError::Singular => Excluded {
                reason: Reason::DegenerateEstimation,
                why: "a regressor is constant or the regressors are collinear over the estimation window".into(),
            },
            FitError::NotConverged(why) => Excluded { reason: Reason::NotConverged, why },
            FitError::Degenerate(why) => Excluded { reason: Reason::DegenerateEstimation, why },
            FitError::TooFewFor(why) => Excluded { reason: Reason::TooFewEstimationDays, why },
            FitError::TooFewObservations => Excluded {
                reason: Reason::TooFewEstimationDays,
                why: format!("{rows} estimation days are too few for {} regressors", self.model.regressors()),
            },
        }
    }

    /// The abnormal values of the event window rows `span`, their CARs over `car_windows`
    /// (relative to the window's first day `window.0`), and the model record, into `r`.
    #[allow(clippy::too_many_arguments)]
    fn abnormal(
        &self,
        j: &Design,
        r: &mut EventResult,
        mut fit: Box<dyn FittedModel>,
        d0: usize,
        span: Span,
        rows: &[usize],
        car_windows: &[Window],
        calendar: Option<&std::sync::Arc<Calendar>>,
    ) -> EventStats {
        let (df, s, l) = (fit.df(), fit.sigma(), span.days());
        let mut st = EventStats {
            id: r.id.clone(),
            ticker: r.ticker.clone(),
            kind: r.kind.clone(),
            ar: Vec::with_capacity(l),
            sar: Vec::with_capacity(l),
            sar_plain: Vec::with_capacity(l),
            car: Vec::with_capacity(car_windows.len()),
            car_var: Vec::with_capacity(car_windows.len()),
            bhar: Vec::with_capacity(car_windows.len()),
            var_ratio: Vec::with_capacity(car_windows.len()),
            var_f: Vec::with_capacity(car_windows.len()),
            claims: vec![],
            s,
            df,
            est_resid: fit.take_residuals(),
            est_days: EstDays::new(&j.dates, calendar, rows, d0),
            window_dates: (j.dates[span.lo], j.dates[span.hi]),
            day0_date: j.dates[d0],
            car_se_path: Vec::with_capacity(l),
            dummies: None,
        };
        if self.cfg.charts() {
            // Sized once (collected, the vector grew seven times for 240 days).
            r.estimation_points = Vec::with_capacity(rows.len());
            r.estimation_points.extend(rows.iter().filter_map(|&i| j.market[i].map(|m| (m, j.value[i]))));
        }
        let last_est = rows[rows.len() - 1];
        let days: Vec<Day> = (span.lo..=span.hi).map(|i| Day { x: j.row(i), ahead: i - last_est }).collect();
        let h = fit.conditional_variance(&days);
        let mut cum = 0.0;
        // Exact sizes: a study keeps every event's rows until its outputs are written.
        r.ar.reserve_exact(l);
        r.car.reserve_exact(car_windows.len());
        for (t, i) in (span.lo..=span.hi).enumerate() {
            let ar = j.y[i] - fit.expected(j.row(i));
            cum += ar;
            let se_day = fit.sum_variance(&days[t..=t]).sqrt();
            let car_se = fit.sum_variance(&days[..=t]).sqrt();
            st.ar.push(ar);
            st.sar.push(ar / se_day);
            st.sar_plain.push(ar / s);
            st.car_se_path.push(car_se);
            r.ar.push(ArRow {
                day: (i as i64 - d0 as i64) as i32,
                date: j.dates[i],
                ret: j.value[i],
                market_ret: j.market[i].unwrap_or(f64::NAN),
                expected: j.value[i] - ar,
                ar,
                car: cum,
                t: ar / se_day,
                car_se,
                sar2: (ar / se_day).powi(2),
                h: h.as_ref().map(|h| h[t]),
            });
        }
        let first = (span.lo as i64 - d0 as i64) as i32;
        let w = WindowData {
            first,
            days: &days,
            h,
            values: r.ar.iter().map(|a| a.ret).collect(),
            expected: r.ar.iter().map(|a| a.expected).collect(),
            market: r.ar.iter().map(|a| a.market_ret).collect(),
        };
        for &window in car_windows {
            let row = self.car_row(fit.as_ref(), &mut st, &w, window);
            r.car.push(row);
        }
        // The windows of the claims, for their verdicts (events only, not chains).
        let last = first + span.days() as i32 - 1;
        for &(a, b) in self.claim_windows.iter().filter(|(a, b)| *a >= first && *b <= last) {
            let (from, to) = ((a - first) as usize, (b - first) as usize);
            let ar = &st.ar[from..=to];
            st.claims.push(ClaimWindow {
                window: (a, b),
                car: ar.iter().sum(),
                var: fit.sum_variance(&days[from..=to]),
                var_f: volatility::chow_f(ar, &fit.covariance(&days[from..=to])),
            });
        }
        r.model = Some(self.model_out(fit.as_ref(), &j.names, &st));
        st
    }

    /// One CAR window: its CAR, forecast-error variance, BHAR, raw moves and volatility, into
    /// `st` and as the reported row.
    fn car_row(&self, fit: &dyn FittedModel, st: &mut EventStats, w: &WindowData, (a, b): Window) -> CarRow {
        let (from, to) = ((a - w.first) as usize, (b - w.first) as usize);
        let (df, s) = (st.df, st.s);
        let car: f64 = st.ar[from..=to].iter().sum();
        let var = fit.sum_variance(&w.days[from..=to]);
        let (se, bhar) = (var.sqrt(), self.measure.buy_and_hold(&w.values[from..=to], &w.expected[from..=to]));
        let t = car / se;
        let window_ar = &st.ar[from..=to];
        let var_ratio = match &w.h {
            Some(h) => volatility::variance_ratio_conditional(window_ar, &h[from..=to]),
            None => volatility::variance_ratio(window_ar, s * s),
        };
        let var_f = volatility::chow_f(window_ar, &fit.covariance(&w.days[from..=to]));
        let alt = self.cfg.tests.alternative;
        let var_p = volatility::f_p(var_f, window_ar.len() as f64, df as f64, alt);
        st.car.push(car);
        st.car_var.push(var);
        st.bhar.push(bhar);
        st.var_ratio.push(var_ratio);
        st.var_f.push(var_f);
        let raw = self.measure.raw(&w.values[from..=to]);
        let market_raw = self.measure.raw(&w.market[from..=to]);
        CarRow {
            window: (a, b),
            car,
            se,
            t,
            p: t_p(t, df as f64, alt),
            p_adj: None,
            bhar,
            raw,
            market_raw,
            var_ratio,
            var_f,
            var_p,
        }
    }

    /// The fitted model as reported in `summary.json`.
    fn model_out(&self, fit: &dyn FittedModel, names: &[&'static str], st: &EventStats) -> ModelOut {
        let rec = fit.record(names);
        ModelOut {
            name: self.model.kind(),
            alpha: rec.alpha,
            beta: rec.beta,
            beta_method: self.model.beta_method(),
            coefficients: rec.coefficients,
            sigma: st.s,
            n_obs: fit.n_obs(),
            df: st.df,
            estimation_start: crate::summary::iso_string(st.est_days.dates()[0]),
            estimation_end: crate::summary::iso_string(st.est_days.dates()[st.est_days.dates().len() - 1]),
            r_squared: rec.r_squared,
            loglik: rec.garch.map(|g| g.loglik),
            converged: rec.garch.map(|g| g.converged),
            boundary: rec.garch.map(|g| g.boundary),
            iterations: rec.garch.map(|g| g.iterations),
        }
    }
}

/// The first number of a computed pair that is not finite, as the sentence excluding it: a pair
/// whose inputs are finite can still overflow (extreme prices), and such a pair is never `ok`.
/// The raw moves (none for volume) and a missing benchmark value are not computed numbers.
fn non_finite(r: &EventResult, st: &EventStats, has_bhar: bool) -> Option<String> {
    for a in &r.ar {
        let fields = [
            ("AR", a.ar),
            ("expected value", a.expected),
            ("CAR", a.car),
            ("t", a.t),
            ("CAR standard error", a.car_se),
        ];
        if let Some((name, v)) = fields.iter().find(|(_, v)| !v.is_finite()) {
            return Some(format!("the computation gave a non-finite {name} ({v}) on {} (day {:+})", a.date, a.day));
        }
    }
    for c in &r.car {
        let fields = [
            ("CAR", c.car),
            ("CAR standard error", c.se),
            ("t", c.t),
            ("p", c.p),
            ("BHAR", c.bhar),
            ("variance ratio", c.var_ratio),
            ("F", c.var_f),
        ];
        let defined = |name: &str| has_bhar || name != "BHAR";
        if let Some((name, v)) = fields.iter().find(|(n, v)| defined(n) && !v.is_finite()) {
            let (a, b) = c.window;
            return Some(format!("the computation gave a non-finite {name} ({v}) over the window [{a},{b}]"));
        }
    }
    let model = r.model.as_ref()?;
    let coefficient = model.coefficients.iter().find(|(_, v)| !v.is_finite());
    if let Some((name, v)) = coefficient {
        return Some(format!("the model fit gave a non-finite coefficient {name} ({v})"));
    }
    if !st.s.is_finite() || st.est_resid.iter().any(|e| !e.is_finite()) || st.sar.iter().any(|x| !x.is_finite()) {
        return Some(format!(
            "the estimation window ({} to {}) gave non-finite residuals",
            model.estimation_start, model.estimation_end
        ));
    }
    None
}
