"""Reference values for the volatility measures (tests/reference_volatility.rs).

Independent of the Rust code: real BABA, AAPL and BIDU daily closes against SPY from
../shared/data/real, market model by statsmodels OLS over trading days [-250, -11] of each
event, and for each CAR window of L days:

- var_ratio = sum(AR^2) / (L s^2);
- var_f from statsmodels: OLS of the returns over the estimation days plus the window days
  on [1, R_m] and one dummy per window day, and `f_test` of the L dummy coefficients = 0
  (Salkever 1976: the Chow predictive F);
- var_p = scipy.stats.f.sf(var_f, L, M - 2).

Across the events of all three tickers, per window (increase as the alternative):
- vol_lnf_t: scipy.stats.ttest_1samp of ln F_i - E0_i, E0_i = digamma(L/2) - digamma(nu/2)
  + ln(nu/L) (the exact mean of ln F(L, nu));
- vol_sign_z: (#{F_i > scipy.stats.f.median(L, nu_i)} - N/2) / sqrt(N/4), p =
  scipy.stats.binomtest(#, N, 1/2, alternative="greater") (N <= 50: exact);
- vol_wilcoxon_z: the z of scipy.stats.wilcoxon's statistic of ln F_i - ln median (approx,
  no correction) and the p of method="exact" (N <= 50);
- vol_chi2: S = sum L F_i, p = scipy.stats.chi2.sf(S, sum L).

Run: pip install numpy scipy statsmodels pandas; python3 tests/reference/volatility_reference.py
It writes tests/reference/expected_volatility.json.
"""

import json
import os

import numpy as np
import pandas as pd
import statsmodels.api as sm
from scipy import special, stats

HERE = os.path.dirname(os.path.abspath(__file__))
REAL = os.path.join(HERE, "..", "..", "..", "shared", "data", "real")
TICKERS = ["BABA", "AAPL", "BIDU"]
# Date-only events on trading days, so day 0 is the date itself.
EVENTS = ["2024-03-22", "2025-02-11", "2025-02-13", "2025-05-15"]
WINDOWS = [(0, 0), (-1, 1), (0, 1), (-5, 5), (-10, 10)]
EST = (-250, -11)


def closes(name):
    d = pd.read_csv(os.path.join(REAL, f"{name}.csv"))
    return pd.Series(d["Close"].values, index=pd.to_datetime(d["Date"]))


def event_windows(stock, spy):
    # Returns on the stock's own rows; the market's over the same two dates.
    dates = stock.index
    r = stock.values[1:] / stock.values[:-1] - 1
    m = spy.reindex(dates).values
    rm = m[1:] / m[:-1] - 1
    return dates[1:], r, rm


def one_event(dates, r, rm, day):
    i0 = int(np.where(dates == pd.Timestamp(day))[0][0])
    est = np.arange(i0 + EST[0], i0 + EST[1] + 1)
    X = sm.add_constant(rm[est])
    fit = sm.OLS(r[est], X).fit()
    s2 = fit.ssr / fit.df_resid
    out = []
    for a, b in WINDOWS:
        win = np.arange(i0 + a, i0 + b + 1)
        L = len(win)
        ar = r[win] - fit.predict(sm.add_constant(rm[win], has_constant="add"))
        rows = np.concatenate([est, win])
        D = np.zeros((len(rows), L))
        D[len(est):, :] = np.eye(L)
        Xd = np.column_stack([np.ones(len(rows)), rm[rows], D])
        big = sm.OLS(r[rows], Xd).fit()
        R = np.zeros((L, Xd.shape[1]))
        R[:, 2:] = np.eye(L)
        f = float(np.squeeze(big.f_test(R).fvalue))
        nu = int(fit.df_resid)
        out.append({
            "window": [a, b],
            "var_ratio": float(np.sum(ar ** 2) / (L * s2)),
            "var_f": f,
            "var_p": float(stats.f.sf(f, L, nu)),
            "L": L,
            "nu": nu,
        })
    return out


def across(per_window):
    f = np.array([w["var_f"] for w in per_window])
    L = np.array([w["L"] for w in per_window])
    nu = np.array([w["nu"] for w in per_window])
    n = len(f)
    e0 = special.digamma(L / 2) - special.digamma(nu / 2) + np.log(nu / L)
    t = stats.ttest_1samp(np.log(f) - e0, 0.0, alternative="greater")
    med = stats.f.median(L, nu)
    above = np.sum(f > med)
    z_sign = (above - n / 2) / np.sqrt(n / 4)
    assert n <= 50
    p_sign = stats.binomtest(int(above), n, 0.5, alternative="greater").pvalue
    d = np.log(f) - np.log(med)
    w = stats.wilcoxon(d, alternative="greater", correction=False, method="approx")
    p_w = stats.wilcoxon(d, alternative="greater", method="exact").pvalue
    nz = d[d != 0]
    k = len(nz)
    z_w = (w.statistic - k * (k + 1) / 4) / np.sqrt(k * (k + 1) * (2 * k + 1) / 24)
    s = float(np.sum(L * f))
    return {
        "vol_lnf_t": {"stat": float(t.statistic), "p": float(t.pvalue)},
        "vol_sign_z": {"stat": float(z_sign), "p": float(p_sign)},
        "vol_wilcoxon_z": {"stat": float(z_w), "p": float(p_w)},
        "vol_chi2": {"stat": s, "p": float(stats.chi2.sf(s, int(np.sum(L))))},
    }


def main():
    spy = closes("SPY")
    events = {}
    for t in TICKERS:
        dates, r, rm = event_windows(closes(t), spy)
        for day in EVENTS:
            events[f"{t} {day}"] = one_event(dates, r, rm, day)
    groups = {}
    for wi, (a, b) in enumerate(WINDOWS):
        groups[f"{a},{b}"] = across([ev[wi] for ev in events.values()])
    with open(os.path.join(HERE, "expected_volatility.json"), "w") as fh:
        json.dump({"events": events, "all": groups}, fh, indent=1)


if __name__ == "__main__":
    main()
