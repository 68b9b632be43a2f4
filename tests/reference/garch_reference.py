"""Reference values for the GARCH(1,1) market model (tests/reference_garch.rs).

Independent of the Rust code. Real BABA, AAPL and BIDU daily closes against SPY from
../shared/data/real; simple returns on each stock's own rows, SPY's over the same two dates;
estimation window trading days [-250, -11] of each event day (the four dates of
tests/common REFERENCE_DAYS), event window [-10, +10].

1. At fixed parameters (the arch optimum of each fit, perturbed): the h path and the
   log-likelihood from a plain numpy reimplementation of the recursion (backcast and variance
   bounds as arch documents them) and from arch's `arch_model(r, x=m, mean='LS', vol='GARCH',
   p=1, q=1, dist='normal', rescale=False).fix(params)`; the two must agree to 1e-10 here.
2. At the optimum: `arch_model(100 r, x=100 m, ...).fit(disp='off', tol=1e-12)`, converted
   from percent (Const/100, omega/1e4, loglik + T ln 100). arch's default SLSQP tolerance stops
   up to ~3e-7 short of the maximum, where the intercept is flat (BABA 2025-05-15: alpha
   4.2655e-4 at the default, 4.2584e-4 at the optimum); the default fit's log-likelihood is kept
   too (`loglik_default`), and the Rust fit must reach both; the h forecasts over the event window from
   h_{T+1} = omega + alpha1 e_T^2 + beta1 h_T, h_{T+j} = omega + (alpha1 + beta1) h_{T+j-1};
   the CAR standard error of each window, sqrt(sum h + 1'X C X'1) with
   C = (sum_estimation x x'/h)^-1, x = (1, R_m), at arch's parameters.
3. The event-dummy model (--garch-dummies): per event, over the estimation and event windows
   together, r = a + b m + gamma D0 + e, h_t = omega + alpha1 e_{t-1}^2 + beta1 h_{t-1} + delta
   Dv_t, D0 = 1 on day 0, Dv = 1 on days [0, 5]; backcast and bounds from the OLS residuals of
   that mean equation; maximised with scipy SLSQP (percent units, from arch's 16-point grid,
   the best of 4 starts). h0 = omega + alpha1 e_{-1}^2 + beta1 h_{-1} (day 0 without delta).
   Classic standard errors from a central-difference Hessian of the log-likelihood, robust ones
   from the Bollerslev-Wooldridge sandwich with central-difference per-day scores. With
   delta = gamma = 0 its log-likelihood equals arch's fix() on the same sample.
   Across the events: scipy.stats.ttest_1samp of delta, delta/h0, gamma and gamma/sqrt(h0).

Run: pip install numpy scipy pandas arch; python3 tests/reference/garch_reference.py
It writes tests/reference/expected_garch.json.
"""

import json
import os

import numpy as np
import pandas as pd
from arch import arch_model
from scipy import optimize, stats

HERE = os.path.dirname(os.path.abspath(__file__))
REAL = os.path.join(HERE, "..", "..", "..", "shared", "data", "real")
TICKERS = ["BABA", "AAPL", "BIDU"]
EVENTS = ["2024-03-22", "2025-02-11", "2025-02-13", "2025-05-15"]
WINDOWS = [(0, 0), (-1, 1), (0, 1), (-5, 5), (-10, 10)]
EST = (-250, -11)
WIN = (-10, 10)
VOL_DAYS = 5


def closes(name):
    d = pd.read_csv(os.path.join(REAL, f"{name}.csv"))
    return pd.Series(d["Close"].values, index=pd.to_datetime(d["Date"]))


def returns(stock, spy):
    dates = stock.index
    r = stock.values[1:] / stock.values[:-1] - 1
    m = spy.reindex(dates).values
    rm = m[1:] / m[:-1] - 1
    return dates[1:], r, rm


# --- an own implementation of the recursion, as arch documents it ---------------------------

def backcast(e):
    tau = min(75, len(e))
    w = 0.94 ** np.arange(tau)
    w = w / w.sum()
    return float(np.sum(e[:tau] ** 2 * w))


def var_bounds(e):
    n = len(e)
    bc = backcast(e)
    s = np.empty(n)
    prev_e2, prev_s = bc, bc
    for t in range(n):
        s[t] = 0.06 * prev_e2 + 0.94 * prev_s
        prev_e2, prev_s = e[t] ** 2, s[t]
    lo, hi = s / 1e6, s * 1e6
    var = np.var(e)
    mx = 1 + np.max(e ** 2)
    lo = np.where(lo < var / 1e8, var / 1e8, lo)
    hi = np.where(hi < mx, mx, hi)
    hi = np.where(hi > 1e7 * mx, 1e7 * mx, hi)
    return bc, lo, hi


def path(theta, y, X, V, bc, lo, hi):
    """h_t, e_t and the per-day log-likelihood; theta = (b..., omega, alpha1, beta1, delta...)."""
    k = X.shape[1]
    b, w, a, g, d = theta[:k], theta[k], theta[k + 1], theta[k + 2], theta[k + 3:]
    e = y - X @ b
    h = np.empty(len(y))
    pe2, ph = bc, bc
    for t in range(len(y)):
        v = w + a * pe2 + g * ph + (V[t] @ d if V is not None else 0.0)
        if v < lo[t]:
            v = lo[t]
        elif v > hi[t]:
            v = hi[t] + np.log(v / hi[t])
        h[t] = v
        pe2, ph = e[t] ** 2, v
    ll = -0.5 * (np.log(2 * np.pi) + np.log(h) + e ** 2 / h)
    return h, e, ll


def ols(y, X):
    b, *_ = np.linalg.lstsq(X, y, rcond=None)
    return b, y - X @ b


# --- the data -----------------------------------------------------------------------------

spy = closes("SPY")
fixed, fits, dummies = [], {}, {}
for tk in TICKERS:
    dates, r, rm = returns(closes(tk), spy)
    for day in EVENTS:
        i0 = int(np.where(dates == pd.Timestamp(day))[0][0])
        est = np.arange(i0 + EST[0], i0 + EST[1] + 1)
        y, m = r[est], rm[est]
        X = np.column_stack([np.ones(len(y)), m])
        key = f"{tk} {day}"

        # 2. arch at the optimum, in percent, converted.
        model = arch_model(100 * y, x=100 * m, mean="LS", vol="GARCH", p=1, q=1, dist="normal",
                           rescale=False)
        res = model.fit(disp="off", tol=1e-12)
        ll_default = float(model.fit(disp="off").loglikelihood + len(y) * np.log(100))
        c, beta, om, a1, b1 = res.params.values
        theta = np.array([c / 100, beta, om / 1e4, a1, b1])
        n = len(y)
        ll_arch = float(res.loglikelihood + n * np.log(100))
        _, e_ols = ols(y, X)
        bc, lo, hi = var_bounds(e_ols)
        h, e, ll = path(theta, y, X, None, bc, lo, hi)
        assert abs(ll.sum() - ll_arch) < 1e-6 * abs(ll_arch), (key, ll.sum(), ll_arch)
        assert np.allclose(h, (res.conditional_volatility / 100) ** 2, rtol=1e-6)
        # Forecasts and CAR standard errors over the event window.
        L = WIN[1] - WIN[0] + 1
        hf = np.empty(L)
        nxt = theta[2] + theta[3] * e[-1] ** 2 + theta[4] * h[-1]
        for j in range(L):
            hf[j] = nxt
            nxt = theta[2] + (theta[3] + theta[4]) * nxt
        C = np.linalg.inv((X / h[:, None]).T @ X)
        win = np.arange(i0 + WIN[0], i0 + WIN[1] + 1)
        Xw = np.column_stack([np.ones(L), rm[win]])
        ses = []
        for a, bb in WINDOWS:
            sl = slice(a - WIN[0], bb - WIN[0] + 1)
            ones = Xw[sl].sum(axis=0)
            ses.append(float(np.sqrt(hf[sl].sum() + ones @ C @ ones)))
        ar = r[win] - Xw @ theta[:2]
        fits[key] = {
            "alpha": float(theta[0]), "beta": float(theta[1]), "omega": float(theta[2]),
            "alpha1": float(theta[3]), "beta1": float(theta[4]), "loglik": ll_arch,
            "loglik_default": ll_default,
            "h_forecast": hf.tolist(), "car_se": ses,
            "var_ratio": [float(np.mean(ar[a - WIN[0]:bb - WIN[0] + 1] ** 2 / hf[a - WIN[0]:bb - WIN[0] + 1]))
                          for a, bb in WINDOWS],
        }

        # 1. Fixed parameters, decimal units: numpy against arch's fix().
        th_fix = theta * np.array([1.1, 0.9, 1.2, 1.0, 1.0]) + np.array([0, 0, 0, 0.02, -0.03])
        th_fix[3] = max(th_fix[3], 0.03)
        th_fix[4] = min(max(th_fix[4], 0.5), 0.95 - th_fix[3])
        fx = arch_model(y, x=m, mean="LS", vol="GARCH", p=1, q=1, dist="normal", rescale=False).fix(th_fix)
        h_np, _, ll_np = path(th_fix, y, X, None, bc, lo, hi)
        h_arch = np.asarray(fx.conditional_volatility) ** 2
        assert np.max(np.abs(h_np - h_arch) / h_arch) < 1e-10, key
        assert abs(ll_np.sum() - fx.loglikelihood) < 1e-10 * abs(fx.loglikelihood), key
        fixed.append({"case": key, "y": y.tolist(), "m": m.tolist(), "theta": th_fix.tolist(),
                      "h": h_arch.tolist(), "loglik": float(fx.loglikelihood),
                      "h_numpy": h_np.tolist(), "loglik_numpy": float(ll_np.sum())})

        # 3. The event-dummy model over estimation + event window.
        rows = np.arange(i0 + EST[0], i0 + WIN[1] + 1)
        yd, md = r[rows], rm[rows]
        rel = rows - i0
        D0 = (rel == 0).astype(float)
        Dv = ((rel >= 0) & (rel <= VOL_DAYS)).astype(float)
        Xd = np.column_stack([np.ones(len(yd)), md, D0])
        Vd = Dv[:, None]
        bd, ed = ols(yd, Xd)
        bcd, lod, hid = var_bounds(ed)
        # With delta = gamma = 0 the likelihood is arch's on the same sample.
        th0 = np.array([bd[0], bd[1], 0.0, th_fix[2], th_fix[3], th_fix[4], 0.0])
        fx0 = arch_model(yd, x=np.column_stack([md, D0]), mean="LS", vol="GARCH", p=1, q=1,
                         dist="normal", rescale=False).fix(np.delete(th0, 6))
        nest = float(path(th0, yd, Xd, Vd, bcd, lod, hid)[2].sum())
        assert abs(nest - fx0.loglikelihood) < 1e-10 * abs(nest), key
        # Percent units for the optimiser.
        s = 100.0
        Y, XX = s * yd, np.column_stack([np.ones(len(yd)), s * md, D0])
        bcp, lop, hip = var_bounds(s * ed)
        bo, _ = ols(Y, XX)
        v = np.mean((s * ed) ** 2)

        def negll(th):
            return -path(th, Y, XX, Vd, bcp, lop, hip)[2].sum()

        starts = []
        for al in [0.01, 0.05, 0.1, 0.2]:
            for p in [0.5, 0.7, 0.9, 0.98]:
                th = np.concatenate([bo, [(1 - p) * v, al, p - al, 0.0]])
                starts.append((negll(th), th))
        starts.sort(key=lambda t: t[0])
        best = None
        cons = [{"type": "ineq", "fun": lambda th: 1 - 1e-6 - th[4] - th[5]}]
        bnds = [(None, None)] * 3 + [(1e-8 * v, 10 * v), (0, 1), (0, 1), (-10 * v, 10 * v)]
        for _, th in starts[:4]:
            o = optimize.minimize(negll, th, method="SLSQP", bounds=bnds, constraints=cons,
                                  options={"ftol": 1e-14, "maxiter": 2000})
            if best is None or o.fun < best.fun:
                best = o
        th = best.x.copy()
        # Back to decimal units.
        dec = th.copy()
        dec[0] /= s
        dec[2] /= s
        dec[3] /= s * s
        dec[6] /= s * s
        hd, edd, lld = path(dec, yd, Xd, Vd, bcd, lod, hid)
        i_day0 = int(np.where(rel == 0)[0][0])
        h0 = dec[3] + dec[4] * edd[i_day0 - 1] ** 2 + dec[5] * hd[i_day0 - 1]

        def llsum(t):
            return path(t, yd, Xd, Vd, bcd, lod, hid)[2].sum()

        P = len(dec)
        size = np.array([np.sqrt(np.mean(ed ** 2))] * 3 + [np.mean(ed ** 2), 0.1, 0.1, np.mean(ed ** 2)])
        step = 1e-4 * (np.abs(dec) + size)
        H = np.zeros((P, P))
        for i in range(P):
            for j in range(P):
                ei, ej = np.eye(P)[i] * step[i], np.eye(P)[j] * step[j]
                H[i, j] = (llsum(dec + ei + ej) - llsum(dec + ei - ej) - llsum(dec - ei + ej)
                           + llsum(dec - ei - ej)) / (4 * step[i] * step[j])
        G = np.zeros((len(yd), P))
        for j in range(P):
            ej = np.eye(P)[j] * step[j]
            G[:, j] = (path(dec + ej, yd, Xd, Vd, bcd, lod, hid)[2]
                       - path(dec - ej, yd, Xd, Vd, bcd, lod, hid)[2]) / (2 * step[j])
        Hinv = np.linalg.inv(-H)
        classic = np.sqrt(np.diag(Hinv))
        robust = np.sqrt(np.diag(Hinv @ (G.T @ G) @ Hinv))
        dummies[key] = {
            "gamma": float(dec[2]), "delta": float(dec[6]), "h0": float(h0),
            "omega": float(dec[3]), "alpha1": float(dec[4]), "beta1": float(dec[5]),
            "loglik": float(lld.sum()),
            "gamma_se": float(classic[2]), "delta_se": float(classic[6]),
            "gamma_se_robust": float(robust[2]), "delta_se_robust": float(robust[6]),
            "nested_loglik_at_zero": nest, "nested_theta": th0.tolist(),
            "y": yd.tolist(), "m": md.tolist(), "rel": rel.tolist(),
            "at_bound": bool(dec[4] < 1e-4 or dec[5] < 1e-4 or dec[4] + dec[5] > 1 - 1e-4
                             or np.any(hd[rel >= 0] <= lod[rel >= 0] * (1 + 1e-12))),
        }

# Across events: the fits not at a bound.
ok = [d for d in dummies.values() if not d["at_bound"]]
across = {"n": len(ok), "left_out": len(dummies) - len(ok)}
for name, vals in [
    ("delta", [d["delta"] for d in ok]),
    ("delta_h0", [d["delta"] / d["h0"] for d in ok]),
    ("gamma", [d["gamma"] for d in ok]),
    ("gamma_sqrt_h0", [d["gamma"] / np.sqrt(d["h0"]) for d in ok]),
]:
    t = stats.ttest_1samp(vals, 0.0)
    across[name] = {"stat": float(t.statistic), "p": float(t.pvalue), "mean": float(np.mean(vals))}

with open(os.path.join(HERE, "expected_garch.json"), "w") as f:
    json.dump({"fixed": fixed, "fits": fits, "dummies": dummies, "across": across}, f, indent=1)
print("fits", {k: round(v["loglik"], 4) for k, v in fits.items()})
print("dummies at bound", [k for k, d in dummies.items() if d["at_bound"]])
print(json.dumps(across, indent=1))
