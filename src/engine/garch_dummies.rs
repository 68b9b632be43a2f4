//! EventStudyTools' AVyC study (`--garch-dummies`): per event, the market model with GARCH(1,1)
//! errors and event dummies, fitted over the estimation and event windows together,
//!
//! R_t = a + b·R_m,t + γ·D_t + ε_t,  h_t = ω + α₁ε²_{t−1} + β₁h_{t−1} + δ·V_t,
//!
//! D_t = 1 on day 0 and V_t = 1 on days 0 to K (`--vol-days`). With both dummies on the single
//! day 0 the likelihood is unbounded (γ zeroes that day's residual and h₀ → 0), hence the
//! variance dummy's window, arch's floor on h, and the boundary flag: a fit with α₁ or β₁ at 0,
//! α₁ + β₁ at 1, or an event-window h on its floor is reported but left out of the
//! cross-sectional tests, as is one that did not converge.
//!
//! h₀ = ω + α₁ε²_{−1} + β₁h_{−1} is day 0's conditional variance without the event (δ excluded),
//! so δ/h₀ is the event's proportional increase of the variance (EventStudyTools' "corrected"
//! test) and γ/√h₀ the day-0 abnormal return in units of its normal standard deviation
//! (Savickas 2003). Standard errors: classic (numerical Hessian) and Bollerslev–Wooldridge.
//! The robust one of γ is degenerate: γ fits day 0 exactly, so its score is zero on every
//! day and the sandwich's middle term vanishes; read the classic one.

use super::Engine;
use crate::model::garch::MIN_DAYS;
use crate::model::Design;
use crate::observation::DummyEstimate;
use crate::stats::garch::{self, Sample};
use crate::summary::GarchDummies;

impl Engine<'_> {
    /// The dummy model of the event with day 0 at row `d0`, over the rows from its first
    /// estimation row (`est`, ascending) to the end of the event window.
    pub(crate) fn garch_dummies(&self, j: &Design, d0: usize, est: &[usize]) -> (GarchDummies, DummyEstimate) {
        let (_, w1) = self.cfg.method.window;
        let k_days = self.cfg.vol_days();
        // The series as a whole, from the first estimation day to the end of the event window:
        // every row with a return and a benchmark return (rows left out of the normal model's
        // estimation, a gap before the window or another event's days, are data here).
        let last = (d0 as i64 + w1 as i64) as usize;
        let rows: Vec<usize> = (est[0]..=last).filter(|&i| j.avail[i]).collect();
        let y: Vec<f64> = rows.iter().map(|&i| j.y[i]).collect();
        let rel: Vec<i64> = rows.iter().map(|&i| i as i64 - d0 as i64).collect();
        let x: Vec<f64> =
            rows.iter().zip(&rel).flat_map(|(&i, &r)| [1.0, j.x[i], if r == 0 { 1.0 } else { 0.0 }]).collect();
        let v: Vec<f64> = rel.iter().map(|&r| if (0..=k_days as i64).contains(&r) { 1.0 } else { 0.0 }).collect();
        let s = Sample { y: &y, x: &x, k: 3, v: &v, q: 1 };
        let mut out = GarchDummies {
            vol_days: k_days,
            n_obs: rows.len(),
            gamma: f64::NAN,
            gamma_se: f64::NAN,
            gamma_se_robust: f64::NAN,
            delta: f64::NAN,
            delta_se: f64::NAN,
            delta_se_robust: f64::NAN,
            h0: f64::NAN,
            alpha: f64::NAN,
            beta: f64::NAN,
            omega: f64::NAN,
            alpha1: f64::NAN,
            beta1: f64::NAN,
            loglik: f64::NAN,
            converged: false,
            boundary: false,
            note: None,
        };
        let unusable = DummyEstimate { gamma: f64::NAN, delta: f64::NAN, h0: f64::NAN, usable: false };
        if rows.len() < MIN_DAYS {
            out.note = Some(format!(
                "{} days are too few for the dummy model (seven parameters by maximum likelihood): it needs at least {MIN_DAYS}",
                rows.len()
            ));
            return (out, unusable);
        }
        if !rel.contains(&-1) {
            out.note = Some(
                "day -1 has no return and benchmark return: no conditional variance of day 0 without the event (h0)"
                    .into(),
            );
            return (out, unusable);
        }
        let fit = match garch::fit(&s) {
            Ok(f) => f,
            Err(e) => {
                out.note = Some(format!("the dummy model could not be fitted: {e}"));
                return (out, unusable);
            }
        };
        let i0 = rel.iter().position(|&r| r == 0).expect("day 0 is in the sample");
        let t = &fit.theta;
        let h0 = t[4] * fit.resid[i0 - 1].powi(2) + t[5] * fit.h[i0 - 1] + t[3];
        let floored = rel.iter().zip(&fit.floored).any(|(&r, &f)| r >= 0 && f);
        let ses = garch::standard_errors(&s, &fit);
        let (classic, robust) = ses.clone().unwrap_or((vec![f64::NAN; 7], vec![f64::NAN; 7]));
        let mut notes = vec![];
        if !fit.converged {
            notes.push(format!(
                "the likelihood did not converge (largest gradient component {:.1e}, above {:.0e})",
                fit.gradient,
                garch::CONVERGED_GRADIENT
            ));
        }
        if fit.boundary {
            notes.push("a GARCH parameter is at its bound (alpha1 or beta1 at 0, or alpha1 + beta1 at 1)".into());
        }
        out = GarchDummies {
            gamma: t[2],
            gamma_se: classic[2],
            gamma_se_robust: robust[2],
            delta: t[6],
            delta_se: classic[6],
            delta_se_robust: robust[6],
            h0,
            alpha: t[0],
            beta: t[1],
            omega: t[3],
            alpha1: t[4],
            beta1: t[5],
            loglik: fit.loglik,
            converged: fit.converged,
            boundary: fit.boundary || floored,
            note: if floored {
                Some("an event-window conditional variance sits on its floor (the variance dummy drove h to its lower bound)".into())
            } else if ses.is_none() {
                Some("the Hessian of the log-likelihood is not invertible: no standard errors".into())
            } else {
                None
            },
            ..out
        };
        let finite_se = [out.gamma_se, out.delta_se].iter().all(|v| v.is_finite() && *v > 0.0);
        if ses.is_some() && !finite_se {
            notes.push("the Hessian gives no finite standard error of gamma or delta (a flat likelihood)".into());
        }
        if let Some(n) = out.note.take() {
            notes.push(n);
        }
        out.note = (!notes.is_empty()).then(|| notes.join("; "));
        let usable = out.converged
            && !out.boundary
            && finite_se
            && [out.gamma, out.delta, h0].iter().all(|v| v.is_finite())
            && h0 > 0.0;
        (out, DummyEstimate { gamma: t[2], delta: t[6], h0, usable })
    }
}
