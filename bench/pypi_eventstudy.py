#!/usr/bin/env python3
"""The same study with the PyPI package `eventstudy` 0.1a12 (import name `eventstudy`).

Usage:
  bench/.venv/bin/python bench/pypi_eventstudy.py --data DIR --events DIR/events.csv --market SPY \
      --out cars.csv [--aggregate-out caar.csv] [--native-windows] [--in-memory] [--workdir DIR]

How it is driven (its public API, as its docstrings show):
  1. prices are read with pandas and turned into SIMPLE returns here (P_t/P_{t-1} - 1):
     `Single.import_returns(is_price=True, log_return=False)` divides the price change by
     today's price instead of yesterday's (PEERS.md), so the package is given returns;
  2. the returns of every needed ticker and of the benchmark go into one wide CSV
     (`date,SPY,S0001,...`), read with `eventstudy.Single.import_returns(path)`;
  3. one `Single.market_model(ticker, market, event_date, event_window=(-10, 10),
     estimation_size=240, buffer_size=0)` per event: estimation rows [-250, -11] and event rows
     [-10, 10] relative to day 0, as in our study. Events the package refuses (date, data or
     column missing) are excluded, as `Multiple.from_list` does;
  4. `eventstudy.Multiple(sample)`: AAR, CAAR from day -10 and its t-test.
  With 3,000 tickers, writing the wide csv of step 2 is most of the package's time (about 9 s on
  a 2-core machine); `--in-memory` skips it by filling the dict that import_returns would fill
  (`Single._save_parameter("returns", ...)`, not a public API). The phases are printed on stderr.

What the package computes, and what this script has to add (documented limits of 0.1a12):
  * its residual variance is SSR/M (np.var of the residuals) with M-1 degrees of freedom, and
    Var(AR_t) = s^2 for every day, Var(CAR) = L * s^2: no forecast-error (estimation-error)
    correction, so its t differ from the textbook ones even where the CARs are identical;
  * its CAR is cumulated from the first day of the event window only: CAR(-10, 10) is native,
    the sub-windows (0,0) (-1,1) (0,1) (-5,5) are summed here from its ARs with its own variance
    convention (L * s^2, t with M-1 df); `--native-windows` instead runs the package once per
    window (buffer_size = 10 + start, so the estimation rows stay [-250, -11]), which gives
    package-native CARs and CAARs for every window at 5 times the cost;
  * across events it has only the t-test of CAAR with Var(AAR) = sum s_i^2 / N^2 (and the
    descriptive CAR distribution); `Multiple.sign_test` and `Multiple.rank_test` are stubs
    ("Not implemented yet"): no Patell, BMP, Corrado, sign, generalized sign or Wilcoxon test,
    no cross-sectional t;
  * no minimum number of estimation days: it needs all 240 estimation rows present (an event
    with a shorter history raises DataMissingError and is excluded), and a NaN inside the
    window (a ticker that did not trade on a day of the common calendar) makes the event NaN;
  * one common calendar: windows are rows of the wide table, not of each ticker's own trading
    days; day 0 moves to the next row at most 4 calendar days later (`max_iteration`), else
    the event is excluded;
  * it does not read per-ticker price files or a long panel, and has no BHAR, no exclusion
    reasons per event (only an error list), no chains, no other benchmark per ticker.

Writes the per-event CARs in the layout of pandas_loop.py: event,ticker,window,car,t (window
"a:b"), plus se and source ("native" or "derived").
"""
import argparse
import logging
import os
import sys
import tempfile
import time
from collections import Counter

import numpy as np
import pandas as pd

import eventstudy as es
from eventstudy.exception import ColumnMissingError, DataMissingError, DateMissingError

EVENT_WINDOW = (-10, 10)
ESTIMATION_SIZE = 240            # rows -250 .. -11
CAR_WINDOWS = [(0, 0), (-1, 1), (0, 1), (-5, 5), (-10, 10)]


def load_returns(data_dir, tickers, market):
    """Wide table of simple returns on the benchmark's dates (the package needs one calendar)."""
    def closes(tk):
        df = pd.read_csv(os.path.join(data_dir, f"{tk}.csv"), usecols=["Date", "Close"])
        df["Date"] = pd.to_datetime(df["Date"], format="%Y-%m-%d")
        return df.set_index("Date")["Close"].rename(tk)

    mkt = closes(market)
    cols = [mkt]
    for tk in tickers:
        if tk != market and os.path.exists(os.path.join(data_dir, f"{tk}.csv")):
            cols.append(closes(tk).reindex(mkt.index))
    prices = pd.concat(cols, axis=1)
    returns = prices / prices.shift(1) - 1          # no filling: a missing close stays missing
    returns = returns.iloc[1:]                      # the first date has no return
    returns.index.name = "date"
    return returns


def run_package(events, market, window, buffer_size):
    sample, kept, errors = [], [], []
    for ev in events.itertuples(index=False):
        try:
            single = es.Single.market_model(
                security_ticker=ev.ticker,
                market_ticker=market,
                event_date=np.datetime64(ev.date),
                event_window=window,
                estimation_size=ESTIMATION_SIZE,
                buffer_size=buffer_size,
            )
        except (DateMissingError, DataMissingError, ColumnMissingError) as e:
            errors.append({"id": ev.id, "error_type": type(e).__name__})
            continue
        except Exception as e:                      # e.g. OLS on a window with missing returns
            errors.append({"id": ev.id, "error_type": type(e).__name__})
            continue
        if not np.all(np.isfinite(single.AR)):
            errors.append({"id": ev.id, "error_type": "NaN in window"})
            continue
        sample.append(single)
        kept.append((ev.id, ev.ticker))
    agg = es.Multiple(sample) if sample else None
    return sample, kept, errors, agg


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--data", required=True)
    ap.add_argument("--events", required=True)
    ap.add_argument("--market", default="SPY")
    ap.add_argument("--out", required=True, help="per-event CAR csv")
    ap.add_argument("--aggregate-out", help="AAR/CAAR and their t-test (csv)")
    ap.add_argument("--native-windows", action="store_true",
                    help="run the package once per CAR window instead of deriving sub-windows")
    ap.add_argument("--workdir", help="where the wide returns csv goes (default: a temp dir)")
    ap.add_argument("--in-memory", action="store_true",
                    help="hand the returns to the package's internal store instead of writing the "
                         "wide csv for import_returns (its only public way in)")
    args = ap.parse_args()
    logging.getLogger().setLevel(logging.ERROR)    # its warning about excluded events
    phases = {}
    t0 = time.perf_counter()

    events = pd.read_csv(args.events, dtype=str)
    events["date"] = pd.to_datetime(events["date"], format="%Y-%m-%d")
    returns = load_returns(args.data, sorted(events["ticker"].unique()), args.market)
    phases["read prices, returns"] = time.perf_counter() - t0

    tmp = tempfile.TemporaryDirectory(dir=args.workdir)
    path = os.path.join(tmp.name, "returns.csv")
    t = time.perf_counter()
    if args.in_memory:
        # What import_returns stores, without the csv round trip (the package's internal store).
        data = {"date": returns.index.values}
        data.update({c: returns[c].values for c in returns.columns})
        es.Single._save_parameter("returns", data)
        phases["returns into the package (in memory)"] = time.perf_counter() - t
    else:
        returns.to_csv(path, index_label="date", date_format="%Y-%m-%d")   # repr floats: exact
        es.Single.import_returns(path)              # returns, not prices (see the docstring)
        phases["wide csv + import_returns"] = time.perf_counter() - t

    rows, agg_rows = [], []
    t = time.perf_counter()
    sample, kept, errors, agg = run_package(events, args.market, EVENT_WINDOW, 0)
    phases["Single.market_model loop + Multiple"] = time.perf_counter() - t
    rel = np.arange(EVENT_WINDOW[0], EVENT_WINDOW[1] + 1)

    if args.native_windows:
        t = time.perf_counter()
        for a, b in CAR_WINDOWS:
            s_w, k_w, _, agg_w = run_package(events, args.market, (a, b), 10 + a)
            for (eid, tk), s in zip(k_w, s_w):
                rows.append({"event": eid, "ticker": tk, "window": f"{a}:{b}", "car": s.CAR[-1],
                             "t": s.tstat[-1], "se": np.sqrt(s.var_CAR[-1]), "source": "native"})
            if agg_w is not None:
                agg_rows.append({"window": f"{a}:{b}", "n": len(s_w), "caar": agg_w.CAAR[-1],
                                 "t": agg_w.tstat[-1], "p": agg_w.pvalue[-1], "source": "native"})
        phases["--native-windows runs"] = time.perf_counter() - t
    else:
        for (eid, tk), s in zip(kept, sample):
            for a, b in CAR_WINDOWS:
                if (a, b) == EVENT_WINDOW:
                    car, var, src = s.CAR[-1], s.var_CAR[-1], "native"
                else:
                    sel = (rel >= a) & (rel <= b)
                    car = np.sum(s.AR[sel])
                    var = np.sum(np.asarray(s.var_AR)[sel])   # its convention: L * s^2
                    src = "derived"
                rows.append({"event": eid, "ticker": tk, "window": f"{a}:{b}", "car": car,
                             "t": car / np.sqrt(var), "se": np.sqrt(var), "source": src})
        if agg is not None:
            from scipy.stats import t as tdist
            for a, b in CAR_WINDOWS:
                sel = (rel >= a) & (rel <= b)
                if (a, b) == EVENT_WINDOW:
                    caar, tt, p, src = agg.CAAR[-1], agg.tstat[-1], agg.pvalue[-1], "native"
                else:
                    caar = np.sum(agg.AAR[sel])
                    tt = caar / np.sqrt(np.sum(agg.var_AAR[sel]))
                    p = 2 * tdist.sf(abs(tt), agg.df)
                    src = "derived"
                agg_rows.append({"window": f"{a}:{b}", "n": len(sample), "caar": caar, "t": tt,
                                 "p": p, "source": src})

    t = time.perf_counter()
    pd.DataFrame(rows, columns=["event", "ticker", "window", "car", "t", "se", "source"]).to_csv(
        args.out, index=False, float_format="%.17g")
    if args.aggregate_out and agg is not None:
        table = agg.results(asterisks=False, decimals=None)   # AAR, CAAR from day -10, t, p
        table.index.name = "day"
        table.to_csv(args.aggregate_out, float_format="%.17g")
        pd.DataFrame(agg_rows).to_csv(args.aggregate_out.replace(".csv", "") + "_windows.csv",
                                      index=False, float_format="%.17g")
    phases["write"] = time.perf_counter() - t
    tmp.cleanup()

    reasons = Counter(e["error_type"] for e in errors)
    print(f"pypi eventstudy {es.__version__}: {len(events)} events, {len(sample)} computed, "
          f"excluded {dict(reasons)}", file=sys.stderr)
    print("  phases: " + ", ".join(f"{k} {v:.2f}s" for k, v in phases.items()), file=sys.stderr)
    for r in agg_rows:
        print(f"  CAAR({r['window']}) = {r['caar']:.6f}, t = {r['t']:.3f} ({r['source']})",
              file=sys.stderr)


if __name__ == "__main__":
    main()
