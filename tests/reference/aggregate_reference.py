"""Independent reference values for the across-event tests (tests/reference_aggregate.rs).

Recomputes, from the prices in ../shared/data/reference and with numpy/scipy/statsmodels/pandas
only, every per-event and across-event number eventstudy reports for two published panels:

* estudy2: AMZN, NFLX, SHOP, FB, UPWK against GSPC; common event day 2020-03-16; estimation
  [-240,-1]; event window [0,4]; CAR windows [0,0], [0,1], [0,4], [1,3]; log returns.
* est_sp500 (EventStudyTools example): 16 S&P 500 additions, staggered dates; estimation
  [-130,-11] (120 days ending at day -11); event window [-2,2]; CAR windows [-2,2], [-1,1],
  [0,0], [0,1]; log returns; market SP500.
* real: BABA, AAPL and BIDU against SPY (../shared/data/real) on 2024-03-22, 2025-02-11,
  2025-02-13 and 2025-05-15 (12 events); the default study: simple returns, estimation
  [-250,-11], event window [-10,10], CAR windows [0,0], [-1,1], [0,1], [-5,5], [-10,10].

Formulas (see the doc comments in src/stats/ for references):
  market model by statsmodels OLS, s^2 = SSR/(M-2); SAR = AR/sqrt(s^2 (1 + x'(X'X)^-1 x));
  Var(CAR) = s^2 1'(I + X*(X'X)^-1 X*')1 (numpy matrices); csect and BMP t = scipy ttest_1samp;
  BW-CDA from the AAR series of estimation residuals by relative day (ddof=1); Patell
  sum(SCAR)/sqrt(sum d/(d-2)); KP r-bar = sum of pandas pairwise correlations on common calendar
  dates (>=3) / number of pairs; Corrado with scipy rankdata over estimation + event window,
  U = K/(T+1) - 1/2; generalized sign with p-hat = mean share of positive estimation residuals;
  Wilcoxon z with tie correction (p checked against scipy.stats.wilcoxon); bootstrap-t with
  numpy's generator (9,999 resamples; compared loosely, the random streams differ).

Exact small samples: with N <= 50 the sign and generalized sign p-values are
scipy.stats.binomtest(w, N, p0).pvalue and Wilcoxon's is scipy.stats.wilcoxon(x,
method="exact").pvalue (non-zero values <= 50); one event: null.
GRANK (Kolari & Pynnonen 2011), transcribed from the paper with pandas alignment: GSAR = the
estimation residuals / s, plus SCAR/sd(SCAR) as one more point; U = rankdata/(T_i+1) - 1/2;
S_U^2 = (1/T) sum over the aligned estimation days and the cumulative point of (n_t/N) Ubar_t^2;
t = Z sqrt((T-2)/(T-1-Z^2)), t(T-2).
Skewness-adjusted t (Hall 1992; LBT 1999) as waissbluth/skewttest: S = mean/sd(ddof=1),
g = sum (x-mean)^3/(n sd^3), t = sqrt(n)(S + g S^2/3 + g/(6n)), of the CARs and BHARs (BHAR =
prod(1+R) - prod(1+E[R]) on simple returns); its bootstrap p loosely.
Multiple testing: statsmodels multipletests(method="holm" | "fdr_bh") (checked equal to
scipy.stats.false_discovery_control for BH) per group and test over the days, over the
windows, and per window over the events' CAR p-values (t(M-2)).
r-bar under each --rbar-pairs rule: estimation (every pair), event-overlap (pairs whose event
windows share a date on the stocks' calendars), same-day (pairs with the same day 0).

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
from statsmodels.stats.multitest import multipletests

HERE = os.path.dirname(os.path.abspath(__file__))
REF = os.path.join(HERE, "..", "..", "..", "shared", "data", "reference")
REAL = os.path.join(HERE, "..", "..", "..", "shared", "data", "real")
EXACT_MAX_N = 50


def prices(folder, t):
    df = pd.read_csv(os.path.join(folder, f"{t}.csv"), parse_dates=["Date"]).set_index("Date")["Close"]
    return df.abs()  # CRSP convention: a negative price is a bid/ask average


def log_returns(p):
    return np.log(p / p.shift(1))


def simple_returns(p):
    return p / p.shift(1) - 1


def event(stock, market, date, est, win, returns=log_returns):
    """Per-event numbers on the stock's own calendar, benchmark joined on date."""
    r = returns(stock)
    m = returns(market.reindex(stock.index))  # market return over the stock's own row pairs
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
    expected = r.iloc[win_idx].values - ar
    simple = (lambda x: np.exp(x) - 1) if returns is log_returns else (lambda x: x)
    return dict(
        ar=ar, sar=ar / np.sqrt(np.diag(V)), V=V, df=M - 2, s=np.sqrt(s2),
        resid=fit.resid, est_rel=np.array(est_idx) - d0, est_dates=dates[est_idx],
        ret_simple=simple(r.iloc[win_idx].values), exp_simple=simple(expected),
        win_first=dates[win_idx[0]], win_last=dates[win_idx[-1]], day0=dates[d0],
    )


def keyed(e, ticker, date):
    e["key"] = f"{ticker} {date}"
    return e


def sign_p(w, n, p0, z):
    if n <= EXACT_MAX_N:
        return stats.binomtest(int(w), n, p0).pvalue
    return 2 * stats.norm.sf(abs(z))


def wilcoxon_p(x, z):
    nz = x[x != 0]
    if len(nz) <= EXACT_MAX_N:
        return stats.wilcoxon(nz, method="exact").pvalue
    return 2 * stats.norm.sf(abs(z))


def grank_t(evs, scar):
    """Kolari & Pynnonen (2011) GRANK-T of one day or window from the events' SCAR."""
    n = len(evs)
    sscar = np.std(scar, ddof=1)
    cum = 10 ** 6  # the index of the cumulative point, beside the relative days
    cols = []
    for e, c in zip(evs, scar):
        g = np.concatenate([np.asarray(e["resid"]) / e["s"], [c / sscar]])
        u = stats.rankdata(g) / (len(g) + 1) - 0.5
        cols.append(pd.Series(u, index=list(e["est_rel"]) + [cum]))
    d = pd.concat(cols, axis=1)
    ubar = d.mean(axis=1, skipna=True)
    nt = d.notna().sum(axis=1)
    T = len(d)
    su = np.sqrt(((nt / n) * ubar ** 2).sum() / T)
    z = ubar[cum] / su
    t = z * np.sqrt((T - 2) / (T - 1 - z ** 2))
    return t, 2 * stats.t.sf(abs(t), T - 2)


def skew_t(x):
    n = len(x)
    m, sd = x.mean(), x.std(ddof=1)
    S = m / sd
    g = ((x - m) ** 3).sum() / (n * sd ** 3)
    return np.sqrt(n) * (S + g * S ** 2 / 3 + g / (6 * n))


def skew_t_p(x, rng, B=9999):
    """skewttest's bootstrap: resamples of max(n // 4, 3) centred on the mean, with the +1."""
    t = skew_t(x)
    nb = max(len(x) // 4, 3)
    s = x[rng.integers(0, len(x), size=(B, nb))]
    m, sd = s.mean(axis=1), s.std(axis=1, ddof=1)
    with np.errstate(divide="ignore", invalid="ignore"):
        S = (m - x.mean()) / sd
        g = ((s - m[:, None]) ** 3).sum(axis=1) / (nb * sd ** 3)
        tb = np.sqrt(nb) * (S + g * S ** 2 / 3 + g / (6 * nb))
    tb = tb[np.isfinite(tb)]
    tail = np.sum(tb > t) if t > 0 else np.sum(tb <= t)
    return min(1.0, 2 * (1 + tail) / (B + 1))


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


def tests(values, scar, dfs, aar_sd, aar_df, L, rbar, rank_z, p_hat, rng, evs, bhar=None):
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
    out["gen_sign_z"] = (zg, sign_p(w, n, p_hat, zg))
    zs = (w - n / 2) / np.sqrt(n / 4)
    out["sign_z"] = (zs, sign_p(w, n, 0.5, zs))
    zw = wilcoxon_z(values)
    out["wilcoxon_z"] = (zw, wilcoxon_p(values, zw))
    out["grank_t"] = grank_t(evs, scar)
    out["bootstrap"] = (tt.statistic, bootstrap_p(values, rng))
    if bhar is not None:
        out["skew_t"] = (skew_t(values), skew_t_p(values, rng))
        out["skew_t_bhar"] = (skew_t(bhar), skew_t_p(bhar, rng))
    return {k: {"stat": float(v[0]), "p": float(v[1])} for k, v in out.items()}


def rbar(evs, rule):
    """r-bar: pairwise correlations on common dates (>= 3), only for the pairs of `rule`."""
    n = len(evs)
    series = [pd.Series(e["resid"], index=e["est_dates"]) for e in evs]
    total = 0.0
    for a, b in itertools.combinations(range(n), 2):
        ea, eb = evs[a], evs[b]
        if rule == "event-overlap" and not (ea["win_first"] <= eb["win_last"] and eb["win_first"] <= ea["win_last"]):
            continue
        if rule == "same-day" and ea["day0"] != eb["day0"]:
            continue
        j = pd.concat([series[a], series[b]], axis=1, join="inner")
        if len(j) >= 3:
            total += j.corr().iloc[0, 1]
    return total / (n * (n - 1) / 2)


def adjusted(ps):
    """Holm and BH of one family (statsmodels; BH checked against scipy)."""
    ps = np.asarray(ps, dtype=float)
    ok = ~np.isnan(ps)
    out = {}
    for name, method in [("holm", "holm"), ("bh", "fdr_bh")]:
        a = np.full(len(ps), np.nan)
        a[ok] = multipletests(ps[ok], method=method)[1]
        out[name] = a
    assert np.allclose(out["bh"][ok], stats.false_discovery_control(ps[ok], method="bh"), rtol=1e-14, atol=0)
    return out


def add_adjusted(rows):
    """p_holm and p_bh of every test over the rows (days, or windows) of one group."""
    for name in rows[0]["tests"]:
        adj = adjusted([r["tests"][name]["p"] for r in rows])
        for k, r in enumerate(rows):
            r["tests"][name]["p_holm"] = float(adj["holm"][k])
            r["tests"][name]["p_bh"] = float(adj["bh"][k])


def panel(evs, win, cars):
    rng = np.random.default_rng(12345)
    L = win[1] - win[0] + 1
    # BW-CDA: AAR of estimation residuals by relative day
    est = pd.concat([pd.Series(e["resid"], index=e["est_rel"]) for e in evs], axis=1)
    aar_est = est.mean(axis=1, skipna=True)
    aar_sd, aar_df = aar_est.std(ddof=1), len(aar_est) - 1
    # KP r-bar on calendar dates, the default pairing rule and the others
    n = len(evs)
    rbars = {rule: rbar(evs, rule) for rule in ["estimation", "event-overlap", "same-day"]}
    r_bar = rbars["event-overlap"]
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
                         "tests": tests(v, sar, dfs, aar_sd, aar_df, 1, r_bar, ubar[d] / s_u, p_hat, rng, evs)})
    out_w = []
    for (a, b) in cars:
        sl = slice(a - win[0], b - win[0] + 1)
        one = np.ones(b - a + 1)
        car = np.array([e["ar"][sl].sum() for e in evs])
        scar = np.array([e["ar"][sl].sum() / np.sqrt(one @ e["V"][sl, sl] @ one) for e in evs])
        rz = ubar[list(range(a, b + 1))].sum() / (np.sqrt(b - a + 1) * s_u)
        bhar = np.array([np.prod(1 + e["ret_simple"][sl]) - np.prod(1 + e["exp_simple"][sl]) for e in evs])
        t = tests(car, scar, dfs, aar_sd, aar_df, b - a + 1, r_bar, rz, p_hat, rng, evs, bhar)
        b_t = stats.ttest_1samp(scar, 0.0).statistic
        t["kp_rules"] = {rule: float(b_t * np.sqrt((1 - rb) / (1 + (n - 1) * rb))) for rule, rb in rbars.items()}
        # per event: the CAR t with M-2 df and its p, adjusted over the events of the window
        car_p = [2 * stats.t.sf(abs(c / np.sqrt(one @ e["V"][sl, sl] @ one)), e["df"]) for c, e in zip(car, evs)]
        adj = adjusted(car_p)
        out_w.append({"window": [a, b], "caar": float(car.mean()), "tests": t,
                      "event_p": [float(x) for x in car_p],
                      "event_p_holm": [float(x) for x in adj["holm"]],
                      "event_p_bh": [float(x) for x in adj["bh"]]})
    for w in out_w:
        w["kp_rules"] = w["tests"].pop("kp_rules")
    add_adjusted(out_days)
    add_adjusted(out_w)
    return {"group": "all", "n": n, "events": [e["key"] for e in evs], "rbar": float(r_bar), "rbar_rules": {k: float(v) for k, v in rbars.items()},
            "p_hat": float(p_hat), "days": out_days, "windows": out_w}


def estudy2():
    folder = os.path.join(REF, "estudy2", "prices")
    mkt = prices(folder, "GSPC")
    evs = [keyed(event(prices(folder, t), mkt, "2020-03-16", (-240, -1), (0, 4)), t, "2020-03-16")
           for t in ["AMZN", "NFLX", "SHOP", "FB", "UPWK"]]
    return panel(evs, (0, 4), [(0, 0), (0, 1), (0, 4), (1, 3)])


def est_sp500():
    folder = os.path.join(REF, "est_sp500")
    mkt = prices(folder, "SP500")
    req = pd.read_csv(os.path.join(folder, "events.csv"))
    evs = [keyed(event(prices(folder, r.ticker), mkt, r.date, (-130, -11), (-2, 2)), r.ticker, r.date)
           for r in req.itertuples()]
    return panel(evs, (-2, 2), [(-2, 2), (-1, 1), (0, 0), (0, 1)])


def real():
    def closes(name):
        d = pd.read_csv(os.path.join(REAL, f"{name}.csv"))
        return pd.Series(d["Close"].values, index=pd.to_datetime(d["Date"]))

    spy = closes("SPY")
    evs = [keyed(event(closes(t), spy, day, (-250, -11), (-10, 10), returns=simple_returns), t, day)
           for t in ["BABA", "AAPL", "BIDU"]
           for day in ["2024-03-22", "2025-02-11", "2025-02-13", "2025-05-15"]]
    return panel(evs, (-10, 10), [(0, 0), (-1, 1), (0, 1), (-5, 5), (-10, 10)])


out = {"estudy2": estudy2(), "est_sp500": est_sp500(), "real": real()}
with open(os.path.join(HERE, "expected_aggregate.json"), "w") as f:
    json.dump(out, f, indent=1)
print("wrote tests/reference/expected_aggregate.json")
for k, v in out.items():
    w = v["windows"][0]
    print(k, "n", v["n"], "rbar", round(v["rbar"], 5), "CAAR", w["window"], round(w["caar"], 6),
          {t: round(x["stat"], 4) for t, x in w["tests"].items()})
