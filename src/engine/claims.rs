//! Claims with verdicts: each claim of the claims file about a ticker of the study is tested on
//! the computed events it covers, and gets `supported`, `contradicted` or `inconclusive` with
//! its estimate, intervals and one sentence (the rules are in [`crate::stats::claims`]).
//!
//! The estimate of a CAR claim: one event's CAR with its forecast-error standard error on
//! M − k − 1 degrees of freedom, or the mean CAR of several events with sd/√N on N − 1. Bounds
//! are simple returns, converted as ln(1 + x) for a study of log returns. A volatility claim
//! bounds the variance ratio: one event's Chow F, or S/ΣL with S = Σ L_i·var_f_i.

use std::path::Path;

use super::Engine;
use crate::config::{MeasureKind, ReturnKind};
use crate::error::{Error, Result};
use crate::load::{Claim, ClaimMeasure, Event, Expect};
use crate::observation::EventStats;
use crate::stats::claims::{chi2_intervals, f_intervals, t_intervals, verdict, Band, Interval, Verdict};
use crate::stats::mean_sd;
use crate::summary::ClaimResult;

/// Checks each claim against the events and the event window: an unknown event id or a window
/// outside the event window is an error naming the claims file and the line.
pub fn check(path: &Path, claims: &[Claim], events: &[Event], window: (i32, i32)) -> Result<()> {
    for c in claims {
        if let Some(id) = unknown_event(c, events) {
            return Err(Error::at(path, Some(c.line), Some("event"), format!("no event '{id}' in the events file")));
        }
        if outside(c, window) {
            return Err(Error::at(
                path,
                Some(c.line),
                Some("from"),
                format!(
                    "the window [{},{}] lies outside the event window [{},{}]; choose days inside it or widen --window",
                    c.window.0, c.window.1, window.0, window.1
                ),
            ));
        }
    }
    Ok(())
}

/// The event id of `c` when the events file has no such event.
pub fn unknown_event<'a>(c: &'a Claim, events: &[Event]) -> Option<&'a str> {
    c.event.as_deref().filter(|id| !events.iter().any(|e| e.id == *id))
}

/// Whether the window of `c` reaches outside the event window.
pub fn outside(c: &Claim, window: (i32, i32)) -> bool {
    c.window.0 < window.0 || c.window.1 > window.1
}

/// The computed events a claim covers.
fn covered<'a>(c: &Claim, stats: &'a [EventStats]) -> Vec<&'a EventStats> {
    stats
        .iter()
        .filter(|s| s.ticker.eq_ignore_ascii_case(&c.ticker))
        .filter(|s| match (&c.event, c.kinds.is_empty()) {
            (Some(id), _) => &s.id == id,
            (None, false) => c.kinds.iter().any(|k| k.eq_ignore_ascii_case(&s.kind)),
            (None, true) => true,
        })
        .collect()
}

impl Engine<'_> {
    /// The verdict on each claim about a ticker of the study.
    pub fn claims(&self, claims: &[Claim], stats: &[EventStats]) -> Vec<ClaimResult> {
        claims.iter().map(|c| self.claim(c, &covered(c, stats))).collect()
    }

    /// A bound as the study measures it: ln(1 + x) for log returns, else as written.
    fn bound(&self, c: &Claim, x: f64) -> f64 {
        let log = self.cfg.method.measure == MeasureKind::Returns && self.cfg.method.returns == ReturnKind::Log;
        if c.measure == ClaimMeasure::Car && log {
            x.ln_1p()
        } else {
            x
        }
    }

    fn claim(&self, c: &Claim, ev: &[&EventStats]) -> ClaimResult {
        let windows: Vec<_> = ev.iter().filter_map(|e| e.claims.iter().find(|w| w.window == c.window)).collect();
        let n = windows.len();
        let nan = (f64::NAN, f64::NAN);
        let (estimate, se, df, (ci90, ci95)) = match (c.measure, n) {
            (_, 0) => (f64::NAN, None, None, (nan, nan)),
            (ClaimMeasure::Car, 1) => {
                let (car, se, df) = (windows[0].car, windows[0].var.sqrt(), ev[0].df as f64);
                (car, Some(se), Some(df), t_intervals(car, se, df, c.alpha))
            }
            (ClaimMeasure::Car, _) => {
                let cars: Vec<f64> = windows.iter().map(|w| w.car).collect();
                let (m, sd) = mean_sd(&cars);
                let se = sd / (n as f64).sqrt();
                (m, Some(se), Some((n - 1) as f64), t_intervals(m, se, (n - 1) as f64, c.alpha))
            }
            (ClaimMeasure::Volatility, 1) => {
                let l = (c.window.1 - c.window.0 + 1) as f64;
                let f = windows[0].var_f;
                (f, None, None, f_intervals(f, l, ev[0].df as f64, c.alpha))
            }
            (ClaimMeasure::Volatility, _) => {
                let l = (c.window.1 - c.window.0 + 1) as f64;
                let s: f64 = windows.iter().map(|w| l * w.var_f).sum();
                let k = l * n as f64;
                (s / k, None, None, chi2_intervals(s, k, c.alpha))
            }
        };
        let band = match c.expect {
            Expect::Above => Band::Above(self.bound(c, c.low.unwrap_or(f64::NAN))),
            Expect::Below => Band::Below(self.bound(c, c.high.unwrap_or(f64::NAN))),
            Expect::Between => {
                Band::Between(self.bound(c, c.low.unwrap_or(f64::NAN)), self.bound(c, c.high.unwrap_or(f64::NAN)))
            }
        };
        let v = verdict(band, ci90, ci95);
        ClaimResult {
            id: c.id.clone(),
            claim: c.claim.clone(),
            ticker: c.ticker.clone(),
            measure: c.measure,
            window: c.window,
            expect: c.expect,
            low: c.low,
            high: c.high,
            alpha: c.alpha,
            verdict: v,
            estimate,
            se,
            df,
            n,
            events: ev.iter().map(|e| e.id.clone()).collect(),
            ci90,
            ci95,
            reason: self.reason(c, v, estimate, ci90, n),
            source: c.source.clone(),
        }
    }

    /// The verdict in one sentence, e.g. "CAR[-1,+1] +13.3% (90% CI +6.9% to +19.6%) is
    /// consistent with 10% to 15% but too noisy to establish it".
    fn reason(&self, c: &Claim, v: Verdict, estimate: f64, ci90: Interval, n: usize) -> String {
        if n == 0 {
            return format!("no computed event of {} matches the claim, so the data say nothing about it", c.ticker);
        }
        let day = |x: i32| if x > 0 { format!("+{x}") } else { x.to_string() };
        let w = format!("[{},{}]", day(c.window.0), day(c.window.1));
        let pct = |x: f64| format!("{:+.1}%", 100.0 * x);
        let simple_pct = |x: f64| format!("{:+.1}%", 100.0 * x.exp_m1());
        let (what, fmt): (String, &dyn Fn(f64) -> String) = match c.measure {
            ClaimMeasure::Car if self.cfg.method.measure == MeasureKind::Volume => {
                (format!("CAV{w}"), &|x| format!("{x:+.3}"))
            }
            // A log-return CAR is shown as the simple return it compounds to, the scale of the bounds.
            ClaimMeasure::Car if self.cfg.method.returns == ReturnKind::Log => (
                if n == 1 {
                    format!("CAR{w} (log, as a simple return)")
                } else {
                    format!("mean log CAR{w} of {n} events (as a simple return)")
                },
                &simple_pct,
            ),
            ClaimMeasure::Car => (if n == 1 { format!("CAR{w}") } else { format!("mean CAR{w} of {n} events") }, &pct),
            ClaimMeasure::Volatility => (format!("the variance ratio over {w}"), &|x| format!("{x:.2}")),
        };
        let bound = |x: Option<f64>| match c.measure {
            ClaimMeasure::Car if self.cfg.method.measure == MeasureKind::Returns => pct(x.unwrap_or(f64::NAN)),
            _ => format!("{:.2}", x.unwrap_or(f64::NAN)),
        };
        let band = match c.expect {
            Expect::Above => format!("above {}", bound(c.low)),
            Expect::Below => format!("below {}", bound(c.high)),
            Expect::Between => format!("between {} and {}", bound(c.low), bound(c.high)),
        };
        let level = format!("{:.0}%", 100.0 * (1.0 - 2.0 * c.alpha));
        let shown = format!("{what} {} ({level} CI {} to {})", fmt(estimate), fmt(ci90.0), fmt(ci90.1));
        let noun = if c.measure == ClaimMeasure::Volatility { "variance ratio" } else { "move" };
        match v {
            Verdict::Supported => format!("{shown}: the interval lies {band}"),
            Verdict::Contradicted => format!("{shown} rules out a {noun} {band}"),
            Verdict::Inconclusive => {
                format!("{shown} is consistent with a {noun} {band} but too noisy to establish it")
            }
        }
    }
}
