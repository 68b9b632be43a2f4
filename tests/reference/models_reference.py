"""Independent reference values for the normal-return models (tests/reference_models.rs).

Real prices and Ken French files from ../shared/data/real: BABA against SPY and the FF3, momentum
and FF5 daily factors, event 2025-02-13, estimation [-250,-11], event window [-10,10],
CAR window [-1,1], simple returns. Fits with statsmodels OLS on the stock's own trading rows
(factor rows only where the factor file has both dates of the return and none between), and the
CAR variance from numpy matrices. Writes tests/reference/expected_models.json.

Run from the repository root: python3 tests/reference/models_reference.py
"""
import json
import os

import numpy as np
import pandas as pd
import statsmodels.api as sm

HERE = os.path.dirname(os.path.abspath(__file__))
REAL = os.path.join(HERE, "..", "..", "..", "shared", "data", "real")


def french(name):
    path = os.path.join(REAL, name)
    lines = open(path, encoding="utf-8").read().splitlines()
    start = next(i for i, l in enumerate(lines) if l.strip().startswith(",") and len(l.split(",")) > 1)
    cols = [c.strip() for c in lines[start].split(",")[1:]]
    rows = []
    for l in lines[start + 1:]:
        cells = [c.strip() for c in l.split(",")]
        if not (len(cells[0]) == 8 and cells[0].isdigit()):
            break
        rows.append([pd.Timestamp(cells[0])] + [float(c) / 100 for c in cells[1:]])
    return pd.DataFrame(rows, columns=["date"] + cols).set_index("date")


stock = pd.read_csv(os.path.join(REAL, "BABA.csv"), parse_dates=["Date"]).set_index("Date")["Close"]
spy = pd.read_csv(os.path.join(REAL, "SPY.csv"), parse_dates=["Date"]).set_index("Date")["Close"]
ff3 = french("FF3_daily.csv")
mom = french("MOM_daily.csv")
ff5 = french("FF5_daily.csv")
ret = stock / stock.shift(1) - 1
mkt = spy.reindex(stock.index)
mret = mkt / mkt.shift(1) - 1
dates = stock.index
d0 = dates.searchsorted(pd.Timestamp("2025-02-13"))
est = list(range(d0 - 250, d0 - 10))
win = list(range(d0 - 10, d0 + 11))
car_rows = list(range(d0 - 1, d0 + 2))


def factor_rows(f):
    """Factor values for stock row i when f has dates[i-1] and dates[i] adjacent."""
    pos = {d: k for k, d in enumerate(f.index)}
    ok = {}
    for i in range(1, len(dates)):
        a, b = pos.get(dates[i - 1]), pos.get(dates[i])
        if a is not None and b is not None and b == a + 1:
            ok[i] = f.iloc[b]
    return ok


def fit(y_est, X_est, y_win, X_win, k, sub):
    """OLS with intercept; returns coefficients, s, CAR over `sub` (indices into the window) and se."""
    X = sm.add_constant(X_est, has_constant="add") if k > 0 else np.ones((len(y_est), 1))
    res = sm.OLS(y_est, X).fit()
    M = len(y_est)
    s2 = res.ssr / (M - k - 1)
    Xw = sm.add_constant(X_win, has_constant="add") if k > 0 else np.ones((len(y_win), 1))
    ar = y_win - Xw @ res.params
    V = s2 * (np.eye(len(y_win)) + Xw @ np.linalg.inv(X.T @ X) @ Xw.T)
    one = np.zeros(len(y_win))
    one[sub] = 1
    return res.params.tolist(), float(np.sqrt(s2)), float(ar[sub].sum()), float(np.sqrt(one @ V @ one)), M


sub = [win.index(i) for i in car_rows]
out = {}
# market model
p, s, car, se, M = fit(ret.iloc[est].values, mret.iloc[est].values, ret.iloc[win].values, mret.iloc[win].values, 1, sub)
out["market"] = dict(coef=p, sigma=s, car=car, se=se, n=M)
# constant mean
p, s, car, se, M = fit(ret.iloc[est].values, None, ret.iloc[win].values, None, 0, sub)
out["constant-mean"] = dict(coef=p, sigma=s, car=car, se=se, n=M)
# market-adjusted: AR = R - Rm, s^2 = var(AR_est, ddof=1), Var(CAR) = L s^2
ar_est = (ret - mret).iloc[est].values
s = float(np.std(ar_est, ddof=1))
ar_win = (ret - mret).iloc[win].values
out["market-adjusted"] = dict(coef=[0.0], sigma=s, car=float(ar_win[sub].sum()), se=float(np.sqrt(len(sub)) * s), n=len(est))
# factor models
for name, table, cols in [
    ("ff3", ff3, ["Mkt-RF", "SMB", "HML"]),
    ("carhart", ff3.join(mom, how="inner"), ["Mkt-RF", "SMB", "HML", "Mom"]),
    ("ff5", ff5, ["Mkt-RF", "SMB", "HML", "RMW", "CMA"]),
]:
    rows = factor_rows(table)
    e = [i for i in est if i in rows]
    assert all(i in rows for i in win), name
    y_e = np.array([ret.iloc[i] - rows[i]["RF"] for i in e])
    X_e = np.array([[rows[i][c] for c in cols] for i in e])
    y_w = np.array([ret.iloc[i] - rows[i]["RF"] for i in win])
    X_w = np.array([[rows[i][c] for c in cols] for i in win])
    p, s, car, se, M = fit(y_e, X_e, y_w, X_w, len(cols), sub)
    out[name] = dict(coef=p, sigma=s, car=car, se=se, n=M)

with open(os.path.join(HERE, "expected_models.json"), "w") as f:
    json.dump(out, f, indent=1)
for k, v in out.items():
    print(k, v["n"], [round(c, 5) for c in v["coef"]], round(v["sigma"], 6), round(v["car"], 6), round(v["se"], 6))
