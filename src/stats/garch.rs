//! GARCH(1,1) with regressors in the mean and, optionally, in the variance, fitted by Gaussian
//! maximum likelihood: the market model with conditionally heteroskedastic errors, and the
//! event-dummy model of EventStudyTools' AVyC study.
//!
//! r_t = x_t'b + ε_t,  ε_t = √h_t·z_t,  z_t ~ N(0, 1),
//! h_t = ω + α₁·ε²_{t−1} + β₁·h_{t−1} + δ'v_t,
//! ℓ(θ) = −½ Σ_t [ln 2π + ln h_t + ε_t²/h_t].
//!
//! Everything that starts the recursion follows the Python `arch` package (8.x,
//! `arch.univariate.base.ARCHModel.fit`, `volatility.GARCH`), so that the h path and ℓ at fixed
//! parameters equal `arch_model(...).fix(params)`:
//! - ẽ are the OLS residuals of the mean equation; they are used once, for the backcast, the
//!   variance bounds and the starting values, and held fixed while θ moves;
//! - backcast: bc = Σ_{j<τ} w_j·ẽ_j², w_j = 0.94^j / Σ 0.94^j, τ = min(75, T); it stands for both
//!   the pre-sample ε² and h, so h_1 = ω + α₁·bc + β₁·bc (+ δ'v_1);
//! - variance bounds per t: the EWMA (λ = 0.94, started at bc) of ẽ², divided and multiplied by
//!   10⁶, the lower one floored at var(ẽ)/10⁸, the upper one within [1 + max ẽ², 10⁷(1 + max ẽ²)];
//!   an h below its lower bound is raised to it, one above its upper bound u becomes u + ln(h/u);
//! - starting values: the mean at OLS and the grid α₁ ∈ {0.01, 0.05, 0.1, 0.2}, persistence
//!   p ∈ {0.5, 0.7, 0.9, 0.98}, ω = (1 − p)·mean(ẽ²), β₁ = p − α₁, ranked by ℓ.
//!
//! The constraints ω > 0, α₁ ≥ 0, β₁ ≥ 0, α₁ + β₁ < 1 hold by construction: the optimiser moves
//! in unconstrained coordinates ω = v̄·e^u₀, p = P_MAX·logistic(u₁), α₁ = p·logistic(u₂),
//! β₁ = p − α₁ (v̄ = mean ẽ², P_MAX = 1 − 10⁻⁶), with each mean coefficient and δ scaled to unit
//! size. argmin's BFGS with a Moré–Thuente line search minimises −ℓ/T there, with the analytic
//! gradient (the recursion of ∂h_t/∂θ), from the best [`STARTS`] grid points; the best ℓ is
//! kept. argmin has no bounds or linear constraints, hence the reparametrisation (arch uses
//! SLSQP with bounds; the unconstrained form reaches the same interior optimum, and an
//! optimum on a bound shows as a `boundary` fit).
//!
//! Standard errors: the numerical Hessian H of ℓ (central differences of the analytic
//! gradient) gives the classic (−H)⁻¹, and with the per-day scores g_t the Bollerslev–
//! Wooldridge (1992) sandwich H⁻¹(Σ g_t g_t')H⁻¹.
//!
//! Forecasts from the last fitted day T: h_{T+1} = ω + α₁ε_T² + β₁h_T, then
//! h_{T+j} = ω + (α₁ + β₁)·h_{T+j−1} (Bollerslev 1986; no variance regressors out of sample).
//!
//! References: Bollerslev (1986), J. Econometrics 31; Bollerslev and Wooldridge (1992),
//! Econometric Reviews 11(2); Savickas (2003), J. Financial Research 26(2);
//! ../shared/METHODS-research.md §1c–1e.

use std::cell::RefCell;

use argmin::core::{CostFunction, Error, Executor, Gradient, State};
use argmin::solver::linesearch::MoreThuenteLineSearch;
use argmin::solver::quasinewton::BFGS;

use super::ols::{self, FitError, S2Denominator};

const LN_2PI: f64 = 1.837_877_066_409_345_5;
/// The largest persistence α₁ + β₁ the optimiser can reach (the constraint α₁ + β₁ < 1).
pub const P_MAX: f64 = 1.0 - 1e-6;
/// Grid points the optimiser starts from (the best of arch's 16 by likelihood).
pub const STARTS: usize = 3;
/// BFGS iterations per start.
const MAX_ITERS: u64 = 300;
/// A fit converged when the largest gradient component of ℓ/T in the optimiser's unit-scaled
/// coordinates is below this.
pub const CONVERGED_GRADIENT: f64 = 1e-5;
/// A parameter this close to a bound (α₁ or β₁ at 0, α₁ + β₁ at 1) marks a boundary fit.
pub const BOUNDARY: f64 = 1e-4;

/// The data of one fit: T days of y, k mean regressors per day (the intercept's 1 first) and
/// q variance regressors per day, row-major.
pub struct Sample<'a> {
    pub y: &'a [f64],
    pub x: &'a [f64],
    pub k: usize,
    pub v: &'a [f64],
    pub q: usize,
}

impl Sample<'_> {
    fn n(&self) -> usize {
        self.y.len()
    }
    fn x(&self, t: usize) -> &[f64] {
        &self.x[t * self.k..(t + 1) * self.k]
    }
    fn v(&self, t: usize) -> &[f64] {
        &self.v[t * self.q..(t + 1) * self.q]
    }
    /// Number of parameters: b (k), ω, α₁, β₁, δ (q).
    pub fn params(&self) -> usize {
        self.k + 3 + self.q
    }
}

/// What starts and bounds the recursion, from the OLS residuals ẽ (held fixed while fitting).
#[derive(Debug, Clone)]
pub struct Start {
    pub backcast: f64,
    pub lower: Vec<f64>,
    pub upper: Vec<f64>,
    /// mean(ẽ²): the scale of ω and δ.
    pub v: f64,
}

/// The backcast Σ_{j<τ} w_j·e_j², w_j ∝ 0.94^j, τ = min(75, T).
pub fn backcast(e: &[f64]) -> f64 {
    let tau = e.len().min(75);
    let (mut num, mut den, mut w) = (0.0, 0.0, 1.0);
    for v in &e[..tau] {
        num += w * v * v;
        den += w;
        w *= 0.94;
    }
    num / den
}

impl Start {
    /// The backcast and arch's variance bounds of the residuals `e`.
    pub fn new(e: &[f64]) -> Start {
        let n = e.len() as f64;
        let bc = backcast(e);
        let mean = e.iter().sum::<f64>() / n;
        let var = e.iter().map(|v| (v - mean).powi(2)).sum::<f64>() / n;
        let max_e2 = e.iter().map(|v| v * v).fold(0.0, f64::max);
        let (floor, min_upper, cap) = (var / 1e8, 1.0 + max_e2, 1e7 * (1.0 + max_e2));
        let (mut lower, mut upper) = (Vec::with_capacity(e.len()), Vec::with_capacity(e.len()));
        // arch's EWMA: the GARCH recursion with (ω, α, β) = (0, 1 − λ, λ), started at bc.
        const LAMBDA: f64 = 0.94;
        let (mut e2_prev, mut s) = (bc, bc);
        for et in e {
            s = (1.0 - LAMBDA) * e2_prev + LAMBDA * s;
            e2_prev = et * et;
            let lo = s / 1e6;
            lower.push(if lo < floor { floor } else { lo });
            let mut hi = s * 1e6;
            if hi < min_upper {
                hi = min_upper;
            }
            if hi > cap {
                hi = cap;
            }
            upper.push(hi);
        }
        Start { backcast: bc, lower, upper, v: e.iter().map(|v| v * v).sum::<f64>() / n }
    }
}

/// ℓ at θ = (b, ω, α₁, β₁, δ), with what was asked for alongside.
pub struct Eval {
    pub loglik: f64,
    /// ∂ℓ/∂θ (empty unless asked for).
    pub grad: Vec<f64>,
    /// Per-day scores ∂ℓ_t/∂θ, T × P row-major (empty unless asked for).
    pub scores: Vec<f64>,
    /// h_t and ε_t (empty unless asked for).
    pub h: Vec<f64>,
    pub resid: Vec<f64>,
    /// Whether any h_t was raised to its lower bound.
    pub floored: Vec<bool>,
}

/// What [`evaluate`] computes besides ℓ.
#[derive(Clone, Copy, Default)]
pub struct Want {
    pub grad: bool,
    pub scores: bool,
    pub path: bool,
}

/// ℓ(θ) by the recursion, and on request its gradient, the per-day scores and the h path.
pub fn evaluate(s: &Sample, st: &Start, theta: &[f64], want: Want) -> Eval {
    let (n, k, q, p) = (s.n(), s.k, s.q, s.params());
    let (b, w, a, g, d) = (&theta[..k], theta[k], theta[k + 1], theta[k + 2], &theta[k + 3..]);
    let deriv = want.grad || want.scores;
    let mut out = Eval {
        loglik: 0.0,
        grad: vec![0.0; if deriv { p } else { 0 }],
        scores: Vec::with_capacity(if want.scores { n * p } else { 0 }),
        h: Vec::with_capacity(if want.path { n } else { 0 }),
        resid: Vec::with_capacity(if want.path { n } else { 0 }),
        floored: Vec::with_capacity(if want.path { n } else { 0 }),
    };
    let (mut dh, mut dh_prev) = (vec![0.0; if deriv { p } else { 0 }], vec![0.0; if deriv { p } else { 0 }]);
    let (mut e_prev, mut e2_prev, mut h_prev) = (0.0, st.backcast, st.backcast);
    let mut gt = vec![0.0; if deriv { p } else { 0 }];
    for t in 0..n {
        let xt = s.x(t);
        let eps = s.y[t] - dot(xt, b);
        let vt = s.v(t);
        let mut h = w + a * e2_prev + g * h_prev + dot(d, vt);
        if deriv {
            if t > 0 {
                let xp = s.x(t - 1);
                for j in 0..k {
                    dh[j] = -2.0 * a * e_prev * xp[j] + g * dh_prev[j];
                }
            } else {
                dh[..k].fill(0.0);
            }
            dh[k] = 1.0 + g * dh_prev[k];
            dh[k + 1] = e2_prev + g * dh_prev[k + 1];
            dh[k + 2] = h_prev + g * dh_prev[k + 2];
            for j in 0..q {
                dh[k + 3 + j] = vt[j] + g * dh_prev[k + 3 + j];
            }
        }
        let mut floored = false;
        if h < st.lower[t] || h.is_nan() {
            h = st.lower[t];
            floored = true;
            dh.fill(0.0);
        } else if h > st.upper[t] {
            let raw = h;
            h = if raw.is_finite() { st.upper[t] + (raw / st.upper[t]).ln() } else { st.upper[t] + 1000.0 };
            dh.iter_mut().for_each(|v| *v /= raw);
        }
        out.loglik += -0.5 * (LN_2PI + h.ln() + eps * eps / h);
        if deriv {
            let c = -0.5 * (1.0 / h - eps * eps / (h * h));
            for (j, (g, d)) in gt.iter_mut().zip(&dh).enumerate() {
                *g = c * d + if j < k { eps / h * xt[j] } else { 0.0 };
            }
            for (acc, g) in out.grad.iter_mut().zip(&gt) {
                *acc += g;
            }
            if want.scores {
                out.scores.extend_from_slice(&gt);
            }
            std::mem::swap(&mut dh, &mut dh_prev);
        }
        if want.path {
            out.h.push(h);
            out.resid.push(eps);
            out.floored.push(floored);
        }
        (e_prev, e2_prev, h_prev) = (eps, eps * eps, h);
    }
    out
}

fn dot(a: &[f64], b: &[f64]) -> f64 {
    a.iter().zip(b).map(|(x, y)| x * y).sum()
}

fn logistic(u: f64) -> f64 {
    1.0 / (1.0 + (-u).exp())
}

fn logit(p: f64) -> f64 {
    (p / (1.0 - p)).ln()
}

/// The map between θ and the optimiser's unconstrained, unit-scaled coordinates u.
struct Coordinates {
    k: usize,
    q: usize,
    /// The size of each mean coefficient and of δ.
    scale_b: Vec<f64>,
    v: f64,
}

impl Coordinates {
    fn theta(&self, u: &[f64]) -> Vec<f64> {
        let k = self.k;
        let mut th = Vec::with_capacity(u.len());
        th.extend(u[..k].iter().zip(&self.scale_b).map(|(u, s)| u * s));
        let p = P_MAX * logistic(u[k + 1]);
        let la = logistic(u[k + 2]);
        th.extend([self.v * u[k].exp(), p * la, p * (1.0 - la)]);
        th.extend(u[k + 3..].iter().map(|u| u * self.v));
        th
    }

    /// u of θ (α₁ and β₁ kept just inside their bounds).
    fn u(&self, th: &[f64]) -> Vec<f64> {
        let k = self.k;
        let mut u: Vec<f64> = th[..k].iter().zip(&self.scale_b).map(|(b, s)| b / s).collect();
        let (a, g) = (th[k + 1].max(1e-12), th[k + 2].max(1e-12));
        let p = (a + g).min(P_MAX * (1.0 - 1e-12));
        u.extend([(th[k] / self.v).ln(), logit(p / P_MAX), logit(a / (a + g))]);
        u.extend(th[k + 3..].iter().map(|d| d / self.v));
        u
    }

    /// ∂f/∂u for f = −ℓ/T from ∂ℓ/∂θ.
    fn gradient(&self, u: &[f64], th: &[f64], dl: &[f64], n: f64) -> Vec<f64> {
        let k = self.k;
        let mut g = vec![0.0; u.len()];
        for j in 0..k {
            g[j] = dl[j] * self.scale_b[j];
        }
        g[k] = dl[k] * th[k];
        let lp = logistic(u[k + 1]);
        let dp = P_MAX * lp * (1.0 - lp);
        let la = logistic(u[k + 2]);
        let p = P_MAX * lp;
        g[k + 1] = dl[k + 1] * dp * la + dl[k + 2] * dp * (1.0 - la);
        let dla = p * la * (1.0 - la);
        g[k + 2] = (dl[k + 1] - dl[k + 2]) * dla;
        for j in 0..self.q {
            g[k + 3 + j] = dl[k + 3 + j] * self.v;
        }
        g.iter().map(|v| -v / n).collect()
    }
}

/// One evaluation of the optimiser's objective: u, f(u) and ∂f/∂u.
type Evaluated = (Vec<f64>, f64, Vec<f64>);

/// The optimiser's problem: −ℓ/T in u, with the best point it has seen.
struct Problem<'a> {
    s: &'a Sample<'a>,
    st: &'a Start,
    c: &'a Coordinates,
    /// The last evaluation and the best (u, f) seen.
    last: RefCell<Option<Evaluated>>,
    best: RefCell<Option<(Vec<f64>, f64)>>,
}

impl Problem<'_> {
    fn eval(&self, u: &[f64]) -> (f64, Vec<f64>) {
        if let Some((lu, f, g)) = self.last.borrow().as_ref() {
            if lu.as_slice() == u {
                return (*f, g.clone());
            }
        }
        let th = self.c.theta(u);
        let e = evaluate(self.s, self.st, &th, Want { grad: true, ..Want::default() });
        let n = self.s.n() as f64;
        let (f, g) = if e.loglik.is_finite() && e.grad.iter().all(|v| v.is_finite()) {
            (-e.loglik / n, self.c.gradient(u, &th, &e.grad, n))
        } else {
            (f64::INFINITY, vec![0.0; u.len()])
        };
        let better = self.best.borrow().as_ref().is_none_or(|(_, b)| f < *b);
        if better && f.is_finite() {
            *self.best.borrow_mut() = Some((u.to_vec(), f));
        }
        *self.last.borrow_mut() = Some((u.to_vec(), f, g.clone()));
        (f, g)
    }
}

/// A fitted GARCH model.
#[derive(Debug, Clone)]
pub struct Fit {
    /// θ = (b, ω, α₁, β₁, δ).
    pub theta: Vec<f64>,
    /// Mean regressors (θ's first k entries).
    pub k: usize,
    pub loglik: f64,
    /// h_t and ε_t over the sample.
    pub h: Vec<f64>,
    pub resid: Vec<f64>,
    /// Whether each h_t sits on its lower bound.
    pub floored: Vec<bool>,
    /// The largest gradient component of ℓ/T in the optimiser's coordinates at the optimum.
    pub gradient: f64,
    pub converged: bool,
    /// α₁ or β₁ at 0, or α₁ + β₁ at 1 (within [`BOUNDARY`]).
    pub boundary: bool,
    /// BFGS iterations of the start that gave the optimum.
    pub iterations: u64,
    pub start: Start,
}

impl Fit {
    pub fn omega(&self) -> f64 {
        self.theta[self.k]
    }
    pub fn alpha1(&self) -> f64 {
        self.theta[self.k + 1]
    }
    pub fn beta1(&self) -> f64 {
        self.theta[self.k + 2]
    }
    /// The mean coefficients b.
    pub fn mean(&self) -> &[f64] {
        &self.theta[..self.k]
    }

    /// h_{T+j} for j = 1..=`ahead` after the last day of the sample.
    pub fn forecast(&self, ahead: usize) -> Vec<f64> {
        let (w, a, g) = (self.omega(), self.alpha1(), self.beta1());
        let (e, h) = (self.resid[self.resid.len() - 1], self.h[self.h.len() - 1]);
        let mut out = Vec::with_capacity(ahead);
        let mut next = w + a * e * e + g * h;
        for _ in 0..ahead {
            out.push(next);
            next = w + (a + g) * next;
        }
        out
    }
}

/// Why a fit could not be made.
#[derive(Debug, Clone, PartialEq)]
pub enum GarchError {
    /// The mean equation's OLS failed (too few days or collinear regressors).
    Ols(FitError),
    /// The OLS residuals vanish against y (s at most [`super::RELATIVE_NOISE`] of the
    /// largest |y|): no variance to model.
    NoVariance { s: f64 },
}

impl std::fmt::Display for GarchError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            GarchError::Ols(FitError::Singular) => {
                f.write_str("a regressor is constant or the regressors are collinear")
            }
            GarchError::Ols(_) => f.write_str("too few days for the regressors"),
            GarchError::NoVariance { s } => {
                write!(f, "the residuals vanish (s = {s:e}): nothing varies beyond what the mean equation explains")
            }
        }
    }
}

/// The OLS mean coefficients b̃ (intercept first) of `s`'s mean equation, and the backcast and
/// bounds of its residuals: what a fit starts from, and what fixes the recursion at any θ.
pub fn prepare(s: &Sample) -> Result<(Vec<f64>, Start), GarchError> {
    let cols: Vec<Vec<f64>> = (1..s.k).map(|j| (0..s.n()).map(|t| s.x(t)[j]).collect()).collect();
    let refs: Vec<&[f64]> = cols.iter().map(|c| c.as_slice()).collect();
    let f = ols::fit(s.y, &refs, S2Denominator::M).map_err(GarchError::Ols)?;
    let st = Start::new(&f.resid);
    let scale = s.y.iter().map(|v| v.abs()).fold(0.0, f64::max);
    if !(st.v.is_finite() && st.v.sqrt() > super::RELATIVE_NOISE * scale) {
        return Err(GarchError::NoVariance { s: st.v.sqrt() });
    }
    Ok((f.coef, st))
}

/// The arch starting grid at the OLS mean `b`, best likelihood first.
fn grid(s: &Sample, st: &Start, b: &[f64]) -> Vec<(f64, Vec<f64>)> {
    let mut out = vec![];
    for alpha in [0.01, 0.05, 0.1, 0.2] {
        for p in [0.5, 0.7, 0.9, 0.98] {
            let mut th = b.to_vec();
            th.extend([(1.0 - p) * st.v, alpha, p - alpha]);
            th.extend(std::iter::repeat_n(0.0, s.q));
            let ll = evaluate(s, st, &th, Want::default()).loglik;
            out.push((ll, th));
        }
    }
    // Stable: equal likelihoods keep arch's order.
    out.sort_by(|a, b| b.0.total_cmp(&a.0));
    out
}

/// Fits the model by maximum likelihood from the best [`STARTS`] grid points.
pub fn fit(s: &Sample) -> Result<Fit, GarchError> {
    let (b, st) = prepare(s)?;
    let sd = st.v.sqrt();
    let scale_b = (0..s.k)
        .map(|j| {
            // The typical size of a coefficient: s.d. of y over the root mean square of the
            // regressor's non-zero values (1 for the intercept and for dummies).
            let nz: Vec<f64> = (0..s.n()).map(|t| s.x(t)[j]).filter(|v| *v != 0.0).collect();
            let rms =
                if nz.is_empty() { 1.0 } else { (nz.iter().map(|v| v * v).sum::<f64>() / nz.len() as f64).sqrt() };
            sd / rms
        })
        .collect();
    let c = Coordinates { k: s.k, q: s.q, scale_b, v: st.v };
    let mut best: Option<(f64, Vec<f64>, u64)> = None;
    for (_, th0) in grid(s, &st, &b).into_iter().take(STARTS) {
        let (u, iters) = optimise(s, &st, &c, c.u(&th0));
        let th = c.theta(&u);
        let ll = evaluate(s, &st, &th, Want::default()).loglik;
        if ll.is_finite() && best.as_ref().is_none_or(|(b, _, _)| ll > *b) {
            best = Some((ll, u, iters));
        }
    }
    let Some((_, u, iterations)) = best else { return Err(GarchError::NoVariance { s: st.v.sqrt() }) };
    let theta = c.theta(&u);
    let e = evaluate(s, &st, &theta, Want { grad: true, path: true, ..Want::default() });
    let n = s.n() as f64;
    let gradient = c.gradient(&u, &theta, &e.grad, n).iter().fold(0.0, |m: f64, v| m.max(v.abs()));
    let (a, g) = (theta[s.k + 1], theta[s.k + 2]);
    let boundary = a < BOUNDARY || g < BOUNDARY || a + g > 1.0 - BOUNDARY;
    Ok(Fit {
        loglik: e.loglik,
        h: e.h,
        resid: e.resid,
        floored: e.floored,
        converged: gradient.is_finite() && gradient < CONVERGED_GRADIENT,
        gradient,
        boundary,
        iterations,
        theta,
        k: s.k,
        start: st,
    })
}

/// BFGS restarts from the best point so far (with a fresh inverse Hessian) when a run ends
/// short of convergence, e.g. when the line search fails on a curved ridge.
const RESTARTS: usize = 4;

/// BFGS from `u0`, restarted from the best point seen while the gradient is above
/// [`CONVERGED_GRADIENT`]: that best point and the iterations made.
fn optimise(s: &Sample, st: &Start, c: &Coordinates, u0: Vec<f64>) -> (Vec<f64>, u64) {
    let problem = Problem { s, st, c, last: RefCell::new(None), best: RefCell::new(None) };
    let m = u0.len();
    let identity: Vec<Vec<f64>> = (0..m).map(|i| (0..m).map(|j| if i == j { 1.0 } else { 0.0 }).collect()).collect();
    let (mut u, mut iters) = (u0, 0);
    for _ in 0..RESTARTS {
        let solver = BFGS::new(MoreThuenteLineSearch::new())
            .with_tolerance_grad(1e-9)
            .and_then(|b| b.with_tolerance_cost(1e-15))
            .expect("positive tolerances");
        let result = Executor::new(&problem, solver)
            .configure(|state| state.param(u.clone()).inv_hessian(identity.clone()).max_iters(MAX_ITERS))
            .run();
        iters += result.as_ref().map_or(0, |r| r.state().get_iter());
        if let Some((best, _)) = problem.best.borrow().as_ref() {
            u = best.clone();
        }
        let g = problem.eval(&u).1;
        if g.iter().all(|v| v.abs() < 0.1 * CONVERGED_GRADIENT) {
            break;
        }
    }
    (u, iters)
}

impl CostFunction for &Problem<'_> {
    type Param = Vec<f64>;
    type Output = f64;
    fn cost(&self, u: &Self::Param) -> Result<f64, Error> {
        Ok(self.eval(u).0)
    }
}

impl Gradient for &Problem<'_> {
    type Param = Vec<f64>;
    type Gradient = Vec<f64>;
    fn gradient(&self, u: &Self::Param) -> Result<Vec<f64>, Error> {
        Ok(self.eval(u).1)
    }
}

/// Standard errors of θ at the optimum of `s`: the classic ones from the numerical Hessian of
/// ℓ, and the Bollerslev–Wooldridge sandwich; `None` where −H is not invertible.
pub fn standard_errors(s: &Sample, f: &Fit) -> Option<(Vec<f64>, Vec<f64>)> {
    let p = s.params();
    let hess = hessian(s, f);
    let neg: Vec<f64> = hess.iter().map(|v| -v).collect();
    let inv = ols::invert(&neg, p)?;
    let scores = evaluate(s, &f.start, &f.theta, Want { scores: true, ..Want::default() }).scores;
    let mut b = vec![0.0; p * p];
    for g in scores.chunks(p) {
        for i in 0..p {
            for j in 0..p {
                b[i * p + j] += g[i] * g[j];
            }
        }
    }
    // (−H)⁻¹ B (−H)⁻¹.
    let mut tmp = vec![0.0; p * p];
    for i in 0..p {
        for j in 0..p {
            tmp[i * p + j] = (0..p).map(|l| inv[i * p + l] * b[l * p + j]).sum();
        }
    }
    let classic: Vec<f64> = (0..p).map(|i| inv[i * p + i].sqrt()).collect();
    let robust: Vec<f64> =
        (0..p).map(|i| (0..p).map(|l| tmp[i * p + l] * inv[l * p + i]).sum::<f64>().sqrt()).collect();
    Some((classic, robust))
}

/// The Hessian of ℓ at the optimum, by central differences of the analytic gradient with step
/// 10⁻⁵ of each parameter's size, symmetrised.
pub fn hessian(s: &Sample, f: &Fit) -> Vec<f64> {
    let p = s.params();
    let k = s.k;
    let sd = f.start.v.sqrt();
    let size = |j: usize| -> f64 {
        if j < k {
            sd
        } else if j == k || j >= k + 3 {
            f.start.v
        } else {
            0.1
        }
    };
    let mut h = vec![0.0; p * p];
    for j in 0..p {
        let step = 1e-5 * (f.theta[j].abs() + size(j));
        let mut up = f.theta.clone();
        up[j] += step;
        let mut dn = f.theta.clone();
        dn[j] -= step;
        let gu = evaluate(s, &f.start, &up, Want { grad: true, ..Want::default() }).grad;
        let gd = evaluate(s, &f.start, &dn, Want { grad: true, ..Want::default() }).grad;
        for i in 0..p {
            h[i * p + j] = (gu[i] - gd[i]) / (2.0 * step);
        }
    }
    for i in 0..p {
        for j in 0..i {
            let m = 0.5 * (h[i * p + j] + h[j * p + i]);
            h[i * p + j] = m;
            h[j * p + i] = m;
        }
    }
    h
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Three residuals 0.1, −0.2, 0.3: weights 1, 0.94, 0.8836 over 2.8236, so
    /// bc = (0.01 + 0.94·0.04 + 0.8836·0.09)/2.8236 = 0.127124/2.8236.
    #[test]
    fn backcast_worked_by_hand() {
        let bc = backcast(&[0.1, -0.2, 0.3]);
        assert!((bc - 0.127_124 / 2.8236).abs() < 1e-15, "{bc}");
    }

    /// With y = ε (no regressor but the intercept at 0) and θ = (0, ω, α, β), the recursion by
    /// hand: h₁ = ω + (α + β)·bc, h₂ = ω + α·ε₁² + β·h₁.
    #[test]
    fn recursion_worked_by_hand() {
        let y = [0.1, -0.2, 0.3];
        let x = [1.0, 1.0, 1.0];
        let s = Sample { y: &y, x: &x, k: 1, v: &[], q: 0 };
        let st = Start::new(&y);
        let th = [0.0, 0.01, 0.1, 0.8];
        let e = evaluate(&s, &st, &th, Want { path: true, ..Want::default() });
        let bc = st.backcast;
        let h1 = 0.01 + 0.9 * bc;
        let h2 = 0.01 + 0.1 * 0.01 + 0.8 * h1;
        let h3 = 0.01 + 0.1 * 0.04 + 0.8 * h2;
        for (got, want) in e.h.iter().zip([h1, h2, h3]) {
            assert!((got - want).abs() < 1e-15);
        }
        let ll: f64 = [(h1, 0.1), (h2, -0.2), (h3, 0.3)]
            .iter()
            .map(|(h, e): &(f64, f64)| -0.5 * ((2.0 * std::f64::consts::PI).ln() + h.ln() + e * e / h))
            .sum();
        assert!((e.loglik - ll).abs() < 1e-13);
    }

    /// The analytic gradient equals central differences of ℓ, with a mean regressor and a
    /// variance dummy.
    #[test]
    fn gradient_matches_finite_differences() {
        let n = 60;
        let y: Vec<f64> = (0..n).map(|t| ((t * 7919 % 101) as f64 / 101.0 - 0.5) * 0.04).collect();
        let m: Vec<f64> = (0..n).map(|t| ((t * 104_729 % 97) as f64 / 97.0 - 0.5) * 0.03).collect();
        let x: Vec<f64> = (0..n).flat_map(|t| [1.0, m[t]]).collect();
        let v: Vec<f64> = (0..n).map(|t| if (40..45).contains(&t) { 1.0 } else { 0.0 }).collect();
        let s = Sample { y: &y, x: &x, k: 2, v: &v, q: 1 };
        let st = Start::new(&y);
        let th = [0.001, 0.8, 0.0001, 0.08, 0.85, 0.0002];
        let e = evaluate(&s, &st, &th, Want { grad: true, scores: true, ..Want::default() });
        for j in 0..th.len() {
            let step = 1e-6 * th[j].abs().max(1e-4);
            let (mut up, mut dn) = (th.to_vec(), th.to_vec());
            up[j] += step;
            dn[j] -= step;
            let num = (evaluate(&s, &st, &up, Want::default()).loglik - evaluate(&s, &st, &dn, Want::default()).loglik)
                / (2.0 * step);
            assert!((num - e.grad[j]).abs() < 1e-5 * e.grad[j].abs().max(1.0), "{j}: {num} vs {}", e.grad[j]);
            let summed: f64 = e.scores.chunks(th.len()).map(|g| g[j]).sum();
            assert!((summed - e.grad[j]).abs() < 1e-9 * e.grad[j].abs().max(1.0));
        }
    }
}
