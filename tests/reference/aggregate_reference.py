"""Independent reference values for the across-event tests (tests/reference_aggregate.rs).

Recomputes, from the prices in ../shared/data/reference and with numpy/scipy/statsmodels/pandas
only, every per-event and across-event number eventstudy reports for two published panels:

* estudy2: AMZN, NFLX, SHOP, FB, UPWK against GSPC; common event day 2020-03-16; estimation
  [-240,-1]; event window [0,4]; CAR windows [0,0], [0,1], [0,4], [1,3]; log returns.
* est_sp500 (EventStudyTools example): 16 S&P 500 additions, staggered dates; estimation
  [-130,-11] (120 days ending at day -11); event window [-2,2]; CAR windows [-2,2], [-1,1],
  [0,0], [0,1]; log returns; market SP500.

Formulas (see the doc comments in src/stats/ for references):
  market model by statsmodels OLS, s^2 = SSR/(M-2); SAR = AR/sqrt(s^2 (1 + x'(X'X)^-1 x));
  Var(CAR) = s^2 1'(I + X*(X'X)^-1 X*')1 (numpy matrices); csect and BMP t = scipy ttest_1samp;
  BW-CDA from the AAR series of estimation residuals by relative day (ddof=1); Patell
  sum(SCAR)/sqrt(sum d/(d-2)); KP r-bar = sum of pandas pairwise correlations on common calendar
  dates (>=3) / number of pairs; Corrado with scipy rankdata over estimation + event window,
  U = K/(T+1) - 1/2; generalized sign with p-hat = mean share of positive estimation residuals;
  Wilcoxon z with tie correction (p checked against scipy.stats.wilcoxon); bootstrap-t with
  numpy's generator (9,999 resamples; compared loosely, the random streams differ).

Run from the repository root: python3 tests/reference/aggregate_reference.py
It writes tests/reference/expected_aggregate.json.
"""
import json
import os
import itertools

import numpy as np
import pandas as pd
import statsmodels.api as sm
from scipy import stats

HERE = os.path.dirname(os.path.abspath(__file__))
REF = os.path.join(HERE, "..", "..", "..", "shared", "data", "reference")


def prices(folder, t):
    df = pd.read_csv(os.path.join(folder, f"{t}.csv"), parse_dates=["Date"]).set_index("Date")["Close"]
    return df.abs()  # CRSP convention: a negative price is a bid/ask average


def log_returns(p):
    return np.log(p / p.shift(1))


def event(stock, market, date, est, win):
    """Per-event numbers on the stock's own calendar, benchmark joined on date."""
    r = log_returns(stock)
    m = log_returns(market.reindex(stock.index))  # market return over the stock's own row pairs
    dates = stock.index
    d0 = dates.searchsorted(pd.Timestamp(date))
    est_idx = [i for i in range(d0 + est[0], d0 + est[1] + 1) if i >= 1 and np.isfinite(m.iloc[i])]
    win_idx = list(range(d0 + win[0], d0 + win[1] + 1))
    y = r.iloc[est_idx].values
    X = sm.add_constant(m.iloc[est_idx].values)
    fit = sm.OLS(y, X).fit()
    M = len(y)
    s2 = fit.ssr / (M - 2)
    XtXi = np.linalg.inv(X.T @ X)
    Xs = sm.add_constant(m.iloc[win_idx].values, has_constant="add")
    ar = r.iloc[win_idx].values - Xs @ fit.params
    V = s2 * (np.eye(len(win_idx)) + Xs @ XtXi @ Xs.T)
    return dict(
        ar=ar, sar=ar / np.sqrt(np.diag(V)), V=V, df=M - 2, s=np.sqrt(s2),
        resid=fit.resid, est_rel=np.array(est_idx) - d0, est_dates=dates[est_idx],
    )


def wilcoxon_z(x):
    x = x[x != 0]
    n = len(x)
    r = stats.rankdata(np.abs(x))
    wplus = r[x > 0].sum()
    _, counts = np.unique(np.abs(x), return_counts=True)
    var = n * (n + 1) * (2 * n + 1) / 24 - (counts ** 3 - counts).sum() / 48
    z = (wplus - n * (n + 1) / 4) / np.sqrt(var)
    p = stats.wilcoxon(x, correction=False, method="approx").pvalue
    assert abs(p - 2 * stats.norm.sf(abs(z))) < 1e-12
    return z


def bootstrap_p(x, rng, B=9999):
    n = len(x)
    t = x.mean() / (x.std(ddof=1) / np.sqrt(n))
    idx = rng.integers(0, n, size=(B, n))
    s = x[idx]
    with np.errstate(divide="ignore", invalid="ignore"):
        tb = (s.mean(axis=1) - x.mean()) / (s.std(axis=1, ddof=1) / np.sqrt(n))
    tb = np.where(np.isnan(tb), 0.0, tb)  # a resample of one repeated value equal to the mean
    return (1 + np.sum(np.abs(tb) >= abs(t))) / (B + 1)


def tests(values, scar, dfs, aar_sd, aar_df, L, rbar, rank_z, p_hat, rng):
    n = len(values)
    out = {}
    tt = stats.ttest_1samp(values, 0.0)
    out["csect_t"] = (tt.statistic, tt.pvalue)
    t = values.mean() / (np.sqrt(L) * aar_sd)
    out["bw_cda_t"] = (t, 2 * stats.t.sf(abs(t), aar_df))
    z = scar.sum() / np.sqrt(sum(d / (d - 2) for d in dfs))
    out["patell_z"] = (z, 2 * stats.norm.sf(abs(z)))
    b = stats.ttest_1samp(scar, 0.0)
    out["bmp_t"] = (b.statistic, b.pvalue)
    kp = b.statistic * np.sqrt((1 - rbar) / (1 + (n - 1) * rbar))
    out["kp_bmp_t"] = (kp, 2 * stats.t.sf(abs(kp), n - 1))
    out["corrado_z"] = (rank_z, 2 * stats.norm.sf(abs(rank_z)))
    w = (values > 0).sum()
    zg = (w - n * p_hat) / np.sqrt(n * p_hat * (1 - p_hat))
    out["gen_sign_z"] = (zg, 2 * stats.norm.sf(abs(zg)))
    zs = (w - n / 2) / np.sqrt(n / 4)
    out["sign_z"] = (zs, 2 * stats.norm.sf(abs(zs)))
    zw = wilcoxon_z(values)
    out["wilcoxon_z"] = (zw, 2 * stats.norm.sf(abs(zw)))
    out["bootstrap"] = (tt.statistic, bootstrap_p(values, rng))
    return {k: {"stat": float(v[0]), "p": float(v[1])} for k, v in out.items()}


def panel(evs, win, cars):
    rng = np.random.default_rng(12345)
    L = win[1] - win[0] + 1
    # BW-CDA: AAR of estimation residuals by relative day
    est = pd.concat([pd.Series(e["resid"], index=e["est_rel"]) for e in evs], axis=1)
    aar_est = est.mean(axis=1, skipna=True)
    aar_sd, aar_df = aar_est.std(ddof=1), len(aar_est) - 1
    # KP r-bar on calendar dates
    n = len(evs)
    series = [pd.Series(e["resid"], index=e["est_dates"]) for e in evs]
    total = 0.0
    for a, b in itertools.combinations(range(n), 2):
        j = pd.concat([series[a], series[b]], axis=1, join="inner")
        if len(j) >= 3:
            total += j.corr().iloc[0, 1]
    rbar = total / (n * (n - 1) / 2)
    # Corrado ranks
    days = list(range(win[0], win[1] + 1))
    U = []
    for e in evs:
        vals = np.concatenate([e["resid"], e["ar"]])
        K = stats.rankdata(vals)
        U.append(pd.Series(K / (len(vals) + 1) - 0.5, index=list(e["est_rel"]) + days))
    ubar = pd.concat(U, axis=1).mean(axis=1, skipna=True)
    s_u = np.sqrt((ubar ** 2).mean())
    p_hat = np.mean([(e["resid"] > 0).mean() for e in evs])
    dfs = [e["df"] for e in evs]
    out_days = []
    caar = 0.0
    for j, d in enumerate(days):
        v = np.array([e["ar"][j] for e in evs])
        sar = np.array([e["sar"][j] for e in evs])
        caar += v.mean()
        out_days.append({"day": d, "aar": float(v.mean()), "caar": float(caar),
                         "tests": tests(v, sar, dfs, aar_sd, aar_df, 1, rbar, ubar[d] / s_u, p_hat, rng)})
    out_w = []
    for (a, b) in cars:
        sl = slice(a - win[0], b - win[0] + 1)
        one = np.ones(b - a + 1)
        car = np.array([e["ar"][sl].sum() for e in evs])
        scar = np.array([e["ar"][sl].sum() / np.sqrt(one @ e["V"][sl, sl] @ one) for e in evs])
        rz = ubar[list(range(a, b + 1))].sum() / (np.sqrt(b - a + 1) * s_u)
        out_w.append({"window": [a, b], "caar": float(car.mean()),
                      "tests": tests(car, scar, dfs, aar_sd, aar_df, b - a + 1, rbar, rz, p_hat, rng)})
    return {"group": "all", "n": n, "rbar": float(rbar), "p_hat": float(p_hat), "days": out_days, "windows": out_w}


def estudy2():
    folder = os.path.join(REF, "estudy2", "prices")
    mkt = prices(folder, "GSPC")
    evs = [event(prices(folder, t), mkt, "2020-03-16", (-240, -1), (0, 4)) for t in ["AMZN", "NFLX", "SHOP", "FB", "UPWK"]]
    return panel(evs, (0, 4), [(0, 0), (0, 1), (0, 4), (1, 3)])


def est_sp500():
    folder = os.path.join(REF, "est_sp500")
    mkt = prices(folder, "SP500")
    req = pd.read_csv(os.path.join(folder, "events.csv"))
    evs = [event(prices(folder, r.ticker), mkt, r.date, (-130, -11), (-2, 2)) for r in req.itertuples()]
    return panel(evs, (-2, 2), [(-2, 2), (-1, 1), (0, 0), (0, 1)])


out = {"estudy2": estudy2(), "est_sp500": est_sp500()}
with open(os.path.join(HERE, "expected_aggregate.json"), "w") as f:
    json.dump(out, f, indent=1)
print("wrote tests/reference/expected_aggregate.json")
for k, v in out.items():
    w = v["windows"][0]
    print(k, "n", v["n"], "rbar", round(v["rbar"], 5), "CAAR", w["window"], round(w["caar"], 6),
          {t: round(x["stat"], 4) for t, x in w["tests"].items()})
