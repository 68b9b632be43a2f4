"""Independent reference values for the Scholes-Williams and Dimson betas (tests/reference_nonsync.rs).

Cases:
- bundled: the simulated BABA against SPY shipped in data/ (Adj Close), event 2025-02-13,
  estimation [-250,-11], event window [-10,10], CAR [-1,1];
- real_hk: real 9988.HK (Hong Kong) against real SPY (New York) from ../shared/data/real, event
  2025-02-13, estimation [-250,-11], event window [-5,1], CAR [-1,1] (skipped without ../shared).

Returns are simple and trade-to-trade on the calendar the stock and SPY share: stock sessions
without a SPY price (US holidays for the Hong Kong line) are dropped first, so the return to the
next common date spans them; SPY is then joined on those dates. An estimation row is used when the stock return and the market returns of the row and
of its leads and lags all exist.

Scholes-Williams (1977): beta = (b_-1 + b_0 + b_+1) / (1 + 2 rho), b_j the simple-regression
slope of R_t on Rm_{t+j} (numpy polyfit), rho = corrcoef(Rm_t, Rm_{t-1}).
Dimson (1979): beta = sum of the statsmodels OLS slopes of R_t on Rm_{t-N..t+N}.
Both: alpha = mean(R) - beta mean(Rm); s^2 = SSR/(M-2); Var(CAR) = s^2 1'(I + X*(X'X)^-1 X*')1
with X = [1, Rm] over the estimation rows (numpy matrices).

Run from the repository root: python3 tests/reference/nonsync_reference.py
"""
import json
import os

import numpy as np
import pandas as pd
import statsmodels.api as sm

HERE = os.path.dirname(os.path.abspath(__file__))
DATA = os.path.join(HERE, "..", "..", "data")
REAL = os.path.join(HERE, "..", "..", "..", "shared", "data", "real")


def case(stock, spy, event, window, car):
    stock = stock[stock.index.isin(spy.index)]
    mkt = spy.reindex(stock.index)
    ret = (stock / stock.shift(1) - 1).values
    mret = (mkt / mkt.shift(1) - 1).values
    n = len(stock)
    d0 = stock.index.searchsorted(pd.Timestamp(event))
    out = {}
    for name, lags in [("scholes-williams", 1), ("dimson1", 1), ("dimson2", 2)]:
        rows = [
            i for i in range(max(d0 - 250, 1), d0 - 10)
            if not np.isnan(ret[i]) and all(0 < i + l < n and not np.isnan(mret[i + l]) for l in range(-lags, lags + 1))
        ]
        y = ret[rows]
        sh = {l: mret[[i + l for i in rows]] for l in range(-lags, lags + 1)}
        if name == "scholes-williams":
            b = [np.polyfit(sh[l], y, 1)[0] for l in (-1, 0, 1)]
            rho = np.corrcoef(sh[0], sh[-1])[0, 1]
            beta = sum(b) / (1 + 2 * rho)
        else:
            X = sm.add_constant(np.column_stack([sh[l] for l in range(-lags, lags + 1)]))
            beta = sm.OLS(y, X).fit().params[1:].sum()
        alpha = y.mean() - beta * sh[0].mean()
        resid = y - alpha - beta * sh[0]
        M = len(rows)
        s2 = (resid ** 2).sum() / (M - 2)
        win = list(range(d0 + window[0], d0 + window[1] + 1))
        assert not np.isnan(mret[win]).any()
        ar = ret[win] - alpha - beta * mret[win]
        Xe = np.column_stack([np.ones(M), sh[0]])
        Xw = np.column_stack([np.ones(len(win)), mret[win]])
        V = s2 * (np.eye(len(win)) + Xw @ np.linalg.inv(Xe.T @ Xe) @ Xw.T)
        one = np.array([1.0 if car[0] <= i - d0 <= car[1] else 0.0 for i in win])
        out[name] = dict(beta=float(beta), alpha=float(alpha), sigma=float(np.sqrt(s2)), n=M,
                         car=float(one @ ar), se=float(np.sqrt(one @ V @ one)))
    return out


def yahoo(path, col):
    return pd.read_csv(path, parse_dates=["Date"]).set_index("Date")[col]


out = {"bundled": case(yahoo(os.path.join(DATA, "BABA.csv"), "Adj Close"), yahoo(os.path.join(DATA, "SPY.csv"), "Adj Close"),
                       "2025-02-13", (-10, 10), (-1, 1))}
if os.path.isdir(REAL):
    hk = pd.read_csv(os.path.join(REAL, "9988.HK.csv"), skiprows=[1, 2])
    hk = hk.rename(columns={"Price": "Date"}).assign(Date=lambda d: pd.to_datetime(d["Date"])).set_index("Date")["Close"].astype(float)
    out["real_hk"] = case(hk, yahoo(os.path.join(REAL, "SPY.csv"), "Close"), "2025-02-13", (-5, 1), (-1, 1))
with open(os.path.join(HERE, "expected_nonsync.json"), "w") as f:
    json.dump(out, f, indent=1)
for c, v in out.items():
    for k, r in v.items():
        print(c, k, r["n"], round(r["beta"], 5), round(r["alpha"], 6), round(r["sigma"], 6), round(r["car"], 6), round(r["se"], 6))
