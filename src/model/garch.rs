//! The market model with GARCH(1,1) errors (`--model garch`): R_t = α + β·R_m,t + ε_t,
//! ε_t = √h_t·z_t, h_t = ω + α₁ε²_{t−1} + β₁h_{t−1}, fitted jointly by Gaussian maximum likelihood
//! on the estimation window ([`crate::stats::garch`], initialised as the Python `arch` package
//! does). Volatility clusters in daily returns, so a constant s² overstates the significance of
//! moves in calm spells and understates it in stormy ones; here each event day is standardised
//! by its own forecast conditional variance (the two-stage form of Savickas 2003).
//!
//! The event window's days are forecast from the last estimation day T: h_{T+1} = ω + α₁ε_T² +
//! β₁h_T, then h_{T+j} = ω + (α₁ + β₁)·h_{T+j−1}, j counting trading rows. An abnormal return
//! AR_t = ε_t − x_t'(b̂ − b) has, given the estimation window, the forecast-error covariance
//!
//! Cov(AR_s, AR_t) = 1{s = t}·h_t + x_s'·C·x_t,  C = (Σ_{estimation} x_τx_τ'/h_τ)⁻¹,
//!
//! with x = (1, R_m): the event days' ε are uncorrelated with each other and with the
//! estimation sample (a martingale difference), E[ε_t²] is the forecast h_t, and C is the
//! covariance of the GLS mean estimate at the fitted h. C leaves out what the variance equation
//! tells about the mean (the ∂h/∂b part of the information), so it slightly overstates the
//! mean-parameter term; with a constant h it is s²(X'X)⁻¹ and the whole form is the OLS
//! market model's s²(I + X*(X'X)⁻¹X*'). So SAR_t = AR_t/√(h_t + x_t'Cx_t) and
//! Var(CAR) = Σ h_t + 1'X*CX*'1; Patell and BMP read these SARs (BMP becomes the two-stage
//! GARCH-standardised test of Savickas 2003).
//!
//! `sigma` is the mean conditional standard deviation over the estimation window (what
//! EventStudy 0.50's GARCHModel standardises by, so `--bmp-scale plain` follows it); the
//! variance ratio of a window divides each AR² by its own h_t. The t tests take M − 5 degrees of
//! freedom (five estimated parameters).

use std::collections::BTreeMap;

use super::{Day, Design, FitRecord, FittedModel, NormalModel};
use crate::config::{BetaKind, ModelKind};
use crate::stats::garch::{self, Sample};
use crate::stats::ols::{self, FitError, S2Denominator};

pub struct Garch;

/// Parameters of the GARCH market model: α, β, ω, α₁, β₁.
const PARAMS: usize = 5;
/// The fewest estimation days a GARCH(1,1) fit is made on (../shared/METHODS-research.md §1e:
/// refuse below 30; `--min-estimation` defaults to 100).
pub const MIN_DAYS: usize = 30;

impl NormalModel for Garch {
    fn kind(&self) -> ModelKind {
        ModelKind::Garch
    }
    fn beta_method(&self) -> Option<BetaKind> {
        Some(BetaKind::Ols)
    }
    fn regressors(&self) -> usize {
        1
    }
    fn fit(&self, d: &Design, rows: &[usize], _den: S2Denominator) -> Result<Box<dyn FittedModel>, FitError> {
        if rows.len() < MIN_DAYS {
            return Err(FitError::TooFewFor(format!(
                "{} estimation days are too few for a GARCH(1,1) fit (five parameters by maximum likelihood): it needs at least {MIN_DAYS}",
                rows.len()
            )));
        }
        let y = d.y_on(rows);
        let x: Vec<f64> = rows.iter().flat_map(|&i| [1.0, d.x[i]]).collect();
        let s = Sample { y: &y, x: &x, k: 2, v: &[], q: 0 };
        let fit = garch::fit(&s).map_err(|e| match e {
            garch::GarchError::Ols(e) => e,
            garch::GarchError::NoVariance { s, .. } => {
                FitError::Degenerate(super::vanishing(s, y.iter().copied()).unwrap_or_default())
            }
        })?;
        if !fit.converged {
            return Err(FitError::NotConverged(format!(
                "the GARCH(1,1) likelihood did not converge from {} starting points ({} BFGS iterations; largest gradient component {:.1e}, above {:.0e})",
                garch::STARTS,
                fit.iterations,
                fit.gradient,
                garch::CONVERGED_GRADIENT
            )));
        }
        let mut info = [0.0; 4];
        for (t, h) in fit.h.iter().enumerate() {
            let xt = &x[2 * t..2 * t + 2];
            for a in 0..2 {
                for b in 0..2 {
                    info[a * 2 + b] += xt[a] * xt[b] / h;
                }
            }
        }
        let mean_cov = ols::invert(&info, 2).ok_or(FitError::Singular)?;
        let sigma = fit.h.iter().map(|h| h.sqrt()).sum::<f64>() / fit.h.len() as f64;
        let sst = {
            let m = y.iter().sum::<f64>() / y.len() as f64;
            y.iter().map(|v| (v - m).powi(2)).sum::<f64>()
        };
        let r_squared = if sst > 0.0 { 1.0 - fit.resid.iter().map(|e| e * e).sum::<f64>() / sst } else { 0.0 };
        Ok(Box::new(GarchFit { resid: fit.resid.clone(), fit, mean_cov, sigma, r_squared }))
    }
    fn s2_convention(&self, _: S2Denominator) -> String {
        "none: GARCH(1,1) by maximum likelihood, each day's variance is its conditional h_t (the forecast h_t on event days); sigma is the mean conditional standard deviation of the estimation window".into()
    }
    fn t_convention(&self) -> String {
        "per event: Student t with M-5 degrees of freedom (alpha, beta, omega, alpha1, beta1 estimated)".into()
    }
    fn car_variance_convention(&self) -> &'static str {
        "GARCH(1,1) forecast: sum of h_t over the window plus the mean-parameter term 1'X* C X*'1, C = (sum x x'/h)^-1 over the estimation window"
    }
}

/// A GARCH market model fitted on one estimation window.
pub struct GarchFit {
    fit: garch::Fit,
    /// C = (Σ x x'/h)⁻¹ of (α, β), row-major 2 × 2.
    mean_cov: Vec<f64>,
    sigma: f64,
    r_squared: f64,
    resid: Vec<f64>,
}

impl GarchFit {
    /// h of each day, forecast from the end of the estimation window.
    fn h(&self, days: &[Day]) -> Vec<f64> {
        let far = days.iter().map(|d| d.ahead).max().unwrap_or(0);
        let path = self.fit.forecast(far);
        days.iter().map(|d| path[d.ahead - 1]).collect()
    }

    /// x_a'Cx_b for market returns `a` and `b` (intercept 1).
    fn quad(&self, a: f64, b: f64) -> f64 {
        let c = &self.mean_cov;
        c[0] + c[1] * b + c[2] * a + c[3] * a * b
    }
}

impl FittedModel for GarchFit {
    fn expected(&self, x: &[f64]) -> f64 {
        let b = self.fit.mean();
        b[0] + b[1] * x[0]
    }

    fn covariance(&self, days: &[Day]) -> Vec<f64> {
        let l = days.len();
        let h = self.h(days);
        let mut v = vec![0.0; l * l];
        for a in 0..l {
            for b in 0..l {
                v[a * l + b] = self.quad(days[a].x[0], days[b].x[0]) + if a == b { h[a] } else { 0.0 };
            }
        }
        v
    }

    fn sum_variance(&self, days: &[Day]) -> f64 {
        let l = days.len() as f64;
        let sum_m: f64 = days.iter().map(|d| d.x[0]).sum();
        let c = &self.mean_cov;
        let mean_term = l * l * c[0] + l * sum_m * (c[1] + c[2]) + sum_m * sum_m * c[3];
        self.h(days).iter().sum::<f64>() + mean_term
    }

    fn conditional_variance(&self, days: &[Day]) -> Option<Vec<f64>> {
        Some(self.h(days))
    }

    fn sigma(&self) -> f64 {
        self.sigma
    }

    fn df(&self) -> usize {
        self.fit.h.len() - PARAMS
    }

    fn n_obs(&self) -> usize {
        self.fit.h.len()
    }

    fn take_residuals(&mut self) -> Vec<f64> {
        std::mem::take(&mut self.resid)
    }

    fn record(&self, names: &[&'static str]) -> FitRecord {
        let b = self.fit.mean();
        let mut coefficients = BTreeMap::new();
        coefficients.insert("alpha".to_string(), b[0]);
        coefficients.insert(names[0].to_string(), b[1]);
        coefficients.insert("omega".to_string(), self.fit.omega());
        coefficients.insert("alpha1".to_string(), self.fit.alpha1());
        coefficients.insert("beta1".to_string(), self.fit.beta1());
        FitRecord {
            alpha: b[0],
            beta: Some(b[1]),
            coefficients,
            r_squared: self.r_squared,
            garch: Some(super::GarchRecord {
                loglik: self.fit.loglik,
                converged: self.fit.converged,
                boundary: self.fit.boundary,
                iterations: self.fit.iterations,
                gradient: self.fit.gradient,
            }),
        }
    }
}
