"""Reference verdicts for the claims (tests/reference_claims.rs).

Independent of the Rust code: real BABA, AAPL and BIDU closes against SPY from
../shared/data/real, the market model by statsmodels OLS over trading days [-250, -11] of each
event, and the claims of CLAIMS below, judged by the rules of the claims issue:

- CAR, one event: theta = CAR, se = its forecast-error standard error, df = M - 2;
  several events: theta = mean CAR, se = sd/sqrt(N), df = N - 1;
  CI90 = theta +/- t.ppf(1 - alpha, df) se, CI95 = theta +/- t.ppf(1 - alpha/2, df) se;
  between a,b: supported if CI90 inside (a, b), contradicted if CI95 misses [a, b];
  above a: supported if CI90 low > a, contradicted if CI90 high < a;
  below b: supported if CI90 high < b, contradicted if CI90 low > b.
- volatility, one event: F from statsmodels' dummy-variable f_test (Chow's predictive F),
  interval [F / f.ppf(1 - alpha, L, nu), F / f.ppf(alpha, L, nu)];
  several: S = sum L F_i, interval [S / chi2.ppf(1 - alpha, sum L), S / chi2.ppf(alpha, sum L)],
  estimate S / sum L; the same rules on the interval.

Run: pip install numpy scipy statsmodels pandas; python3 tests/reference/claims_reference.py
It writes tests/reference/expected_claims.json and the claims as tests/reference/claims_reference.csv,
and prints each verdict.
"""

import json
import os

import numpy as np
import pandas as pd
import statsmodels.api as sm
from scipy import stats

HERE = os.path.dirname(os.path.abspath(__file__))
REAL = os.path.join(HERE, "..", "..", "..", "shared", "data", "real")
EVENTS = [("rumor", "2024-03-22"), ("report", "2025-02-11"), ("confirmation", "2025-02-13"), ("earnings", "2025-05-15")]
EST = (-250, -11)

# id, ticker, event (id = date) or kinds, measure, from, to, expect, low, high
CLAIMS = [
    ("baba-confirm-between", "BABA", "2025-02-13", "", "car", -1, 1, "between", 0.02, 0.20),
    ("baba-confirm-above", "BABA", "2025-02-13", "", "car", -1, 1, "above", 0.0, None),
    ("baba-confirm-below", "BABA", "2025-02-13", "", "car", -1, 1, "below", None, -0.05),
    ("baba-earnings-below", "BABA", "2025-05-15", "", "car", 0, 1, "below", None, 0.0),
    ("aapl-news-between", "AAPL", "", "report;confirmation", "car", -1, 1, "between", -0.02, 0.02),
    ("aapl-all-above", "AAPL", "", "", "car", 0, 0, "above", 0.05, None),
    ("bidu-report-below", "BIDU", "2025-02-11", "", "car", 0, 1, "below", None, 0.0),
    ("bidu-all-between", "BIDU", "", "", "car", -5, 5, "between", -0.3, 0.3),
    ("baba-vol-one", "BABA", "2025-05-15", "", "volatility", 0, 1, "above", 1.0, None),
    ("baba-vol-news", "BABA", "", "rumor;report;confirmation", "volatility", -1, 1, "above", 1.0, None),
    ("aapl-vol-calm", "AAPL", "2024-03-22", "", "volatility", 0, 0, "above", 4.0, None),
    ("bidu-vol-below", "BIDU", "", "", "volatility", -5, 5, "below", None, 10.0),
    ("bidu-vol-tenfold", "BIDU", "", "", "volatility", -5, 5, "above", 5.0, None),
    ("baba-confirm-huge", "BABA", "2025-02-13", "", "car", -1, 1, "between", 0.25, 0.40),
]


def closes(name):
    d = pd.read_csv(os.path.join(REAL, f"{name}.csv"))
    return pd.Series(d["Close"].values, index=pd.to_datetime(d["Date"]))


def event_numbers(stock, spy, day, a, b):
    dates = stock.index
    r = stock.values[1:] / stock.values[:-1] - 1
    m = spy.reindex(dates).values
    rm = m[1:] / m[:-1] - 1
    dates = dates[1:]
    i0 = int(np.where(dates == pd.Timestamp(day))[0][0])
    est = np.arange(i0 + EST[0], i0 + EST[1] + 1)
    X = sm.add_constant(rm[est])
    fit = sm.OLS(r[est], X).fit()
    s2 = fit.ssr / fit.df_resid
    win = np.arange(i0 + a, i0 + b + 1)
    Xw = sm.add_constant(rm[win], has_constant="add")
    ar = r[win] - Xw @ fit.params
    ones = Xw.sum(axis=0)
    var = s2 * (len(win) + ones @ np.linalg.inv(X.T @ X) @ ones)
    rows = np.concatenate([est, win])
    L = len(win)
    D = np.zeros((len(rows), L))
    D[len(est):, :] = np.eye(L)
    big = sm.OLS(r[rows], np.column_stack([np.ones(len(rows)), rm[rows], D])).fit()
    R = np.zeros((L, L + 2))
    R[:, 2:] = np.eye(L)
    f = float(np.squeeze(big.f_test(R).fvalue))
    return float(ar.sum()), float(np.sqrt(var)), int(fit.df_resid), f, L


def rule(expect, low, high, ci90, ci95):
    if expect == "above":
        sup, con = ci90[0] > low, ci90[1] < low
    elif expect == "below":
        sup, con = ci90[1] < high, ci90[0] > high
    else:
        sup, con = ci90[0] > low and ci90[1] < high, ci95[1] < low or ci95[0] > high
    return "supported" if sup else "contradicted" if con else "inconclusive"


def main():
    spy = closes("SPY")
    prices = {t: closes(t) for t in ["BABA", "AAPL", "BIDU"]}
    out = {}
    for cid, ticker, event, kinds, measure, a, b, expect, low, high in CLAIMS:
        days = [d for k, d in EVENTS if (event == d) or (not event and (not kinds or k in kinds.split(";")))]
        nums = [event_numbers(prices[ticker], spy, d, a, b) for d in days]
        alpha = 0.05
        if measure == "car":
            if len(nums) == 1:
                theta, se, df = nums[0][0], nums[0][1], nums[0][2]
            else:
                cars = np.array([n[0] for n in nums])
                theta, se, df = cars.mean(), cars.std(ddof=1) / np.sqrt(len(cars)), len(cars) - 1
            h90, h95 = stats.t.ppf(1 - alpha, df) * se, stats.t.ppf(1 - alpha / 2, df) * se
            ci90, ci95 = (theta - h90, theta + h90), (theta - h95, theta + h95)
        else:
            se = df = None
            if len(nums) == 1:
                f, L, nu = nums[0][3], nums[0][4], nums[0][2]
                theta = f
                ci = lambda q: (f / stats.f.ppf(1 - q, L, nu), f / stats.f.ppf(q, L, nu))
            else:
                s = sum(n[4] * n[3] for n in nums)
                k = sum(n[4] for n in nums)
                theta = s / k
                ci = lambda q: (s / stats.chi2.ppf(1 - q, k), s / stats.chi2.ppf(q, k))
            ci90, ci95 = ci(alpha), ci(alpha / 2)
        v = rule(expect, low, high, ci90, ci95)
        print(f"{cid:<22} {v:<13} {theta:+.4f} [{ci90[0]:+.4f}, {ci90[1]:+.4f}]")
        out[cid] = {
            "verdict": v,
            "estimate": float(theta),
            "se": None if se is None else float(se),
            "df": None if df is None else float(df),
            "n": len(nums),
            "ci90": [float(ci90[0]), float(ci90[1])],
            "ci95": [float(ci95[0]), float(ci95[1])],
        }
    with open(os.path.join(HERE, "expected_claims.json"), "w") as fh:
        json.dump(out, fh, indent=1)
    # The same claims as a claims file, for the Rust test (event ids are the dates).
    fmt = lambda x: "" if x is None else repr(x)
    with open(os.path.join(HERE, "claims_reference.csv"), "w") as fh:
        fh.write("id,ticker,event,kind,measure,from,to,expect,low,high\n")
        for cid, ticker, event, kinds, measure, a, b, expect, low, high in CLAIMS:
            fh.write(f"{cid},{ticker},{event},{kinds},{measure},{a},{b},{expect},{fmt(low)},{fmt(high)}\n")


if __name__ == "__main__":
    main()
