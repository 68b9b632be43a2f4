"""Independent reference values for tests/reference_estudy2.rs.

Reads the estudy2 price panel in ../shared/data/reference/estudy2/prices, computes log
returns, and for AMZN, NFLX, SHOP, FB and UPWK fits the market model on the 240 trading days
before the common event day 2020-03-16 with statsmodels OLS. It then computes, with plain
numpy matrix algebra (not the closed form our Rust code uses):
  AR_t over days 0..4, CAR[0,4], Var(CAR) = s^2 * 1'(I + X*(X'X)^-1 X*')1, t and the
  two-sided p with M-2 degrees of freedom (scipy).

Run from the repository root:  python3 tests/reference/estudy2_market_model.py
Needs numpy, scipy, statsmodels, pandas.
"""
import os
import sys

import numpy as np
import pandas as pd
import statsmodels.api as sm
from scipy import stats

ROOT = os.path.join(os.path.dirname(__file__), "..", "..", "..", "shared", "data", "reference", "estudy2", "prices")
EVENT = "2020-03-16"
M = 240


def load(t):
    df = pd.read_csv(os.path.join(ROOT, f"{t}.csv"), parse_dates=["Date"]).set_index("Date")["Close"]
    return np.log(df / df.shift(1)).dropna()


mkt = load("GSPC")
for t in ["AMZN", "NFLX", "SHOP", "FB", "UPWK"]:
    r = load(t)
    j = pd.concat([r, mkt], axis=1, join="inner").dropna()
    j.columns = ["r", "m"]
    i0 = j.index.get_loc(pd.Timestamp(EVENT))
    est = j.iloc[i0 - M:i0]
    win = j.iloc[i0:i0 + 5]
    X = sm.add_constant(est["m"].values)
    res = sm.OLS(est["r"].values, X).fit()
    alpha, beta = res.params
    s2 = res.ssr / (M - 2)
    Xs = sm.add_constant(win["m"].values, has_constant="add")
    ar = win["r"].values - Xs @ res.params
    V = s2 * (np.eye(5) + Xs @ np.linalg.inv(X.T @ X) @ Xs.T)
    one = np.ones(5)
    car = ar.sum()
    var = one @ V @ one
    tstat = car / np.sqrt(var)
    p = 2 * stats.t.sf(abs(tstat), M - 2)
    # day-0 AR and its t
    t0 = ar[0] / np.sqrt(V[0, 0])
    vals = [alpha, beta, np.sqrt(s2), car, np.sqrt(var), tstat, p, ar[0], t0]
    print(f'("{t}", ' + ", ".join(repr(float(v)) for v in vals) + "),")
    sys.stdout.flush()
