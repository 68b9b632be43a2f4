#!/usr/bin/env python3
"""The event study an analyst would write with pandas + statsmodels + scipy, one event at a time.

Same study as `eventstudy --market SPY --bootstrap 0 --group-by all` with its defaults:

* day 0 = first trading day of the ticker on or after the (date-only) event date;
* returns are simple, trade to trade over the ticker's own rows; the benchmark's closes are
  joined on the ticker's dates first, so both returns of a row span the same two dates;
* estimation window = relative days [-250, -11] (rows that exist; at least 100 days with both
  returns, else the event is excluded), event window [-10, 10] (must lie inside the data);
* market model R = a + b*Rm by statsmodels OLS, s^2 = SSR/(M-2);
* AR over the event window, forecast-error variance s^2 * (1 + x0 (X'X)^-1 x0');
* CAR over (0,0) (-1,1) (0,1) (-5,5) (-10,10) with Var(CAR) = s^2 * (L + 1'X*(X'X)^-1 X*'1)
  (MacKinlay 1997), t = CAR/se with M-2 degrees of freedom;
* across all events: AAR per day and CAAR per window with the cross-sectional t, Patell Z,
  BMP t, Corrado rank z (Corrado-Zivney U, Cowan multi-day), generalized sign z, sign z and
  Wilcoxon signed-rank z.

Usage:
  python3 bench/pandas_loop.py --data DIR --events DIR/events.csv --market SPY --out cars.csv \
      [--aggregate-out agg.csv]

Writes one row per computed (event, window): event,ticker,window,car,t (window as "a:b",
e.g. "-1:1"), plus se, p and n_obs; excluded events are listed on stderr by reason.
Not micro-optimised on purpose: it is the readable baseline we compare our tool with.
"""
import argparse
import os
import sys
import time
from collections import Counter, defaultdict

import numpy as np
import pandas as pd
import statsmodels.api as sm
from scipy import stats

EST = (-250, -11)
WIN = (-10, 10)
CAR_WINDOWS = [(0, 0), (-1, 1), (0, 1), (-5, 5), (-10, 10)]
MIN_EST = 100


def load_prices(path):
    df = pd.read_csv(path, usecols=["Date", "Close"])
    df["Date"] = pd.to_datetime(df["Date"], format="%Y-%m-%d")
    return df.sort_values("Date").reset_index(drop=True)


def prepare_ticker(stock, market):
    """Stock and market returns on the stock's own trading days."""
    df = stock.merge(market.rename(columns={"Close": "MktClose"}), on="Date", how="left")
    df["ret"] = df["Close"] / df["Close"].shift(1) - 1
    df["mret"] = df["MktClose"] / df["MktClose"].shift(1) - 1
    return df


def study_event(df, event_date):
    """Everything one event needs, or (None, reason)."""
    dates = df["Date"].values
    n = len(df)
    if event_date < dates[0]:
        return None, "day0_outside_data"
    d0 = int(np.searchsorted(dates, np.datetime64(event_date), side="left"))
    if d0 >= n:
        return None, "day0_outside_data"
    if d0 + WIN[0] < 1 or d0 + WIN[1] > n - 1:
        return None, "event_window_outside_data"

    est = df.iloc[max(1, d0 + EST[0]): d0 + EST[1] + 1]
    est = est.assign(rel=np.arange(max(1, d0 + EST[0]), d0 + EST[1] + 1) - d0)
    est = est.dropna(subset=["ret", "mret"])
    m = len(est)
    if m < MIN_EST:
        return None, "too_few_estimation_days"

    fit = sm.OLS(est["ret"].values, sm.add_constant(est["mret"].values)).fit()
    alpha, beta = fit.params
    s2 = fit.ssr / (m - 2)
    xtx_inv = fit.normalized_cov_params          # (X'X)^-1

    win = df.iloc[d0 + WIN[0]: d0 + WIN[1] + 1]
    rel = np.arange(WIN[0], WIN[1] + 1)
    ar = win["ret"].values - (alpha + beta * win["mret"].values)
    xstar = np.column_stack([np.ones(len(win)), win["mret"].values])
    fe_var = s2 * (1 + np.einsum("ij,jk,ik->i", xstar, xtx_inv, xstar))

    cars = []
    for a, b in CAR_WINDOWS:
        sel = (rel >= a) & (rel <= b)
        length = sel.sum()
        xs = xstar[sel]
        one = np.ones(length)
        var = s2 * (length + one @ xs @ xtx_inv @ xs.T @ one)
        car = ar[sel].sum()
        se = np.sqrt(var)
        t = car / se
        p = 2 * stats.t.sf(abs(t), m - 2)
        cars.append({"window": (a, b), "car": car, "se": se, "t": t, "p": p})

    return {
        "day0": pd.Timestamp(dates[d0]),
        "m": m,
        "ar": ar,
        "sar": ar / np.sqrt(fe_var),
        "cars": cars,
        "est_rel": est["rel"].values,
        "est_resid": fit.resid,
    }, None


# --- across-event tests -------------------------------------------------------------------

def t_p(t, df):
    return 2 * stats.t.sf(abs(t), df)


def z_p(z):
    return 2 * stats.norm.sf(abs(z))


def csect_t(x):
    n = len(x)
    if n < 2:
        return np.nan, np.nan
    t = x.mean() / (x.std(ddof=1) / np.sqrt(n))
    return t, t_p(t, n - 1)


def patell_z(std_values, dfs):
    z = std_values.sum() / np.sqrt(np.sum(dfs / (dfs - 2)))
    return z, z_p(z)


def bmp_t(std_values):
    return csect_t(std_values)


def sign_z(x, p=0.5):
    n = len(x)
    w = np.sum(x > 0)
    z = (w - n * p) / np.sqrt(n * p * (1 - p))
    return z, z_p(z)


def wilcoxon_z(x):
    x = x[x != 0]
    n = len(x)
    if n == 0:
        return np.nan, np.nan
    ranks = stats.rankdata(np.abs(x))
    w_plus = ranks[x > 0].sum()
    _, tie_counts = np.unique(np.abs(x), return_counts=True)
    var = n * (n + 1) * (2 * n + 1) / 24 - np.sum(tie_counts ** 3 - tie_counts) / 48
    z = (w_plus - n * (n + 1) / 4) / np.sqrt(var)
    return z, z_p(z)


def corrado_panel(results):
    """U_it = rank/(T_i+1) - 1/2 over estimation + event days; mean by relative day; S_U."""
    sums = defaultdict(float)
    counts = defaultdict(int)
    ev_rel = np.arange(WIN[0], WIN[1] + 1)
    for r in results:
        values = np.concatenate([r["est_resid"], r["ar"]])
        days = np.concatenate([r["est_rel"], ev_rel])
        u = stats.rankdata(values) / (len(values) + 1) - 0.5
        for d, v in zip(days, u):
            sums[d] += v
            counts[d] += 1
    u_bar = {d: sums[d] / counts[d] for d in sums}
    s_u = np.sqrt(np.mean([v * v for v in u_bar.values()]))
    return u_bar, s_u


def aggregate(results):
    rows = []
    n = len(results)
    if n == 0:
        return pd.DataFrame(rows)
    ar = np.array([r["ar"] for r in results])          # N x 21
    sar = np.array([r["sar"] for r in results])
    dfs = np.array([r["m"] - 2 for r in results], dtype=float)
    p_hat = np.mean([np.mean(r["est_resid"] > 0) for r in results])
    u_bar, s_u = corrado_panel(results)

    def tests(values, std_values, rank_days):
        out = {}
        out["csect_t"] = csect_t(values)
        out["patell_z"] = patell_z(std_values, dfs)
        out["bmp_t"] = bmp_t(std_values)
        z = np.sum([u_bar[d] for d in rank_days]) / (np.sqrt(len(rank_days)) * s_u)
        out["corrado_z"] = (z, z_p(z))
        out["gen_sign_z"] = sign_z(values, p_hat)
        out["sign_z"] = sign_z(values, 0.5)
        out["wilcoxon_z"] = wilcoxon_z(values)
        return out

    caar_path = np.cumsum(ar.mean(axis=0))
    for j, day in enumerate(range(WIN[0], WIN[1] + 1)):
        for name, (stat, p) in tests(ar[:, j], sar[:, j], [day]).items():
            rows.append({"group": "all", "n": n, "scope": "day", "day": day, "window_start": "",
                         "window_end": "", "aar": ar[:, j].mean(), "caar": caar_path[j],
                         "test": name, "stat": stat, "p": p})
    for k, (a, b) in enumerate(CAR_WINDOWS):
        car = np.array([r["cars"][k]["car"] for r in results])
        scar = np.array([r["cars"][k]["car"] / r["cars"][k]["se"] for r in results])
        for name, (stat, p) in tests(car, scar, list(range(a, b + 1))).items():
            rows.append({"group": "all", "n": n, "scope": "window", "day": "", "window_start": a,
                         "window_end": b, "aar": "", "caar": car.mean(), "test": name,
                         "stat": stat, "p": p})
    return pd.DataFrame(rows)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--data", required=True)
    ap.add_argument("--events", required=True)
    ap.add_argument("--market", default="SPY")
    ap.add_argument("--out", required=True, help="per-event CAR csv")
    ap.add_argument("--aggregate-out", help="across-event tests csv (long form)")
    args = ap.parse_args()
    t_start = time.perf_counter()

    events = pd.read_csv(args.events, dtype=str)
    events["date"] = pd.to_datetime(events["date"], format="%Y-%m-%d")
    market = load_prices(os.path.join(args.data, f"{args.market}.csv"))

    prepared = {}                       # each ticker's CSV is read once
    results, meta, excluded = [], [], Counter()
    for ev in events.itertuples(index=False):
        if ev.ticker not in prepared:
            path = os.path.join(args.data, f"{ev.ticker}.csv")
            prepared[ev.ticker] = prepare_ticker(load_prices(path), market) if os.path.exists(path) else None
        df = prepared[ev.ticker]
        if df is None:
            excluded["no_price_file"] += 1
            continue
        res, reason = study_event(df, ev.date)
        if res is None:
            excluded[reason] += 1
            continue
        results.append(res)
        meta.append((ev.id, ev.ticker))
    t_events = time.perf_counter()

    rows = []
    for (eid, tk), r in zip(meta, results):
        for c in r["cars"]:
            rows.append({"event": eid, "ticker": tk, "window": f"{c['window'][0]}:{c['window'][1]}",
                         "car": c["car"], "t": c["t"], "se": c["se"], "p": c["p"], "n_obs": r["m"]})
    pd.DataFrame(rows, columns=["event", "ticker", "window", "car", "t", "se", "p", "n_obs"]).to_csv(
        args.out, index=False, float_format="%.17g")

    agg = aggregate(results)
    if args.aggregate_out:
        agg.to_csv(args.aggregate_out, index=False, float_format="%.17g")
    t_end = time.perf_counter()

    print(f"pandas_loop: {len(events)} events, {len(results)} computed, excluded {dict(excluded)}; "
          f"read + per-event loop {t_events - t_start:.2f}s, aggregate+write {t_end - t_events:.2f}s",
          file=sys.stderr)
    if len(agg):
        w = agg[(agg.scope == "window")]
        for (a, b), g in w.groupby(["window_start", "window_end"], sort=False):
            s = ", ".join(f"{r.test}={r.stat:.3f}" for r in g.itertuples())
            print(f"  CAAR({a},{b}) = {g.caar.iloc[0]:.6f}: {s}", file=sys.stderr)


if __name__ == "__main__":
    main()
