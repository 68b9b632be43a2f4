"""Reference values for the volume study (tests/reference_volume.rs).

Independent of the Rust code: the OHLCV exports in
../shared/data/real/alt/ohlcv_adj_koiwest_2021-2026 (BABA, AAPL, BIDU and SPY), log volume
v_t = ln(1 + V_t) on each stock's own rows (the first row left out, as the returns study has no
return there), estimation trading days [-250, -11] and these CAV windows of each event:

- mean model (EventStudy 0.50 for R): AV = v - mean(v_E), s^2 = SSR/(M - 1),
  Var(CAV) = s^2 (L + L^2/M), t(M - 1);
- market model (EventStudyTools AVC): statsmodels OLS of v on SPY's v of the same date,
  Var(CAV) = s^2 (L + 1'X* (X'X)^-1 X*' 1), t(M - 2).

Run: pip install numpy scipy statsmodels pandas; python3 tests/reference/volume_reference.py
It writes tests/reference/expected_volume.json.
"""

import json
import os

import numpy as np
import pandas as pd
import statsmodels.api as sm
from scipy import stats

HERE = os.path.dirname(os.path.abspath(__file__))
ALT = os.path.join(HERE, "..", "..", "..", "shared", "data", "real", "alt", "ohlcv_adj_koiwest_2021-2026")
TICKERS = ["BABA", "AAPL", "BIDU"]
EVENTS = ["2024-03-22", "2025-02-11", "2025-02-13", "2025-05-15"]
WINDOWS = [(0, 0), (-1, 1), (0, 1), (-5, 5), (-10, 10)]
EST = (-250, -11)


def log_volume(name):
    d = pd.read_csv(os.path.join(ALT, f"{name}.csv"))
    return pd.Series(np.log1p(d["Volume"].astype(float).values), index=pd.to_datetime(d["Date"]))


def study(stock, spy, day, model):
    dates = stock.index
    v = stock.values
    vm = spy.reindex(dates).values
    i0 = int(np.where(dates == pd.Timestamp(day))[0][0])
    est = np.arange(i0 + EST[0], i0 + EST[1] + 1)
    assert est[0] >= 1
    m = len(est)
    out = []
    if model == "mean":
        mu = v[est].mean()
        s2 = np.sum((v[est] - mu) ** 2) / (m - 1)
        df = m - 1
    else:
        X = sm.add_constant(vm[est])
        fit = sm.OLS(v[est], X).fit()
        s2 = fit.ssr / fit.df_resid
        df = int(fit.df_resid)
        xtx_inv = np.linalg.inv(X.T @ X)
    for a, b in WINDOWS:
        win = np.arange(i0 + a, i0 + b + 1)
        L = len(win)
        if model == "mean":
            av = v[win] - mu
            var = s2 * (L + L * L / m)
        else:
            Xw = sm.add_constant(vm[win], has_constant="add")
            av = v[win] - Xw @ fit.params
            ones = Xw.sum(axis=0)
            var = s2 * (L + ones @ xtx_inv @ ones)
        cav = float(av.sum())
        se = float(np.sqrt(var))
        t = cav / se
        out.append({"window": [a, b], "cav": cav, "se": se, "t": t, "p": float(2 * stats.t.sf(abs(t), df)), "df": df})
    return out


def main():
    spy = log_volume("SPY")
    res = {}
    for model in ["mean", "market"]:
        res[model] = {}
        for t in TICKERS:
            s = log_volume(t)
            for day in EVENTS:
                res[model][f"{t} {day}"] = study(s, spy, day, model)
    with open(os.path.join(HERE, "expected_volume.json"), "w") as fh:
        json.dump(res, fh, indent=1)


if __name__ == "__main__":
    main()
