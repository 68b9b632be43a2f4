"""The GARCH event study an analyst would write with pandas and the `arch` package: for each
event, the ticker's closes aligned with SPY, simple returns, `arch_model(100 r, x=100 m,
mean='LS', vol='GARCH', p=1, q=1)` fitted on trading days [-250, -11] of day 0 (the first
trading day on or after the event date), the variance forecasts over [-10, +10], and the
abnormal returns standardised by them (the standardised CAR of each default window).

Usage: python3 bench/arch_loop.py DATA_DIR N   (the first N events of DATA_DIR/events.csv)
"""
import os
import sys
import warnings

import numpy as np
import pandas as pd
from arch import arch_model

warnings.filterwarnings("ignore")
data, n = sys.argv[1], int(sys.argv[2])
events = pd.read_csv(os.path.join(data, "events.csv")).head(n)
spy = pd.read_csv(os.path.join(data, "SPY.csv"), index_col=0, parse_dates=True)["Close"]
cache = {}
WINDOWS = [(0, 0), (-1, 1), (0, 1), (-5, 5), (-10, 10)]
done = 0
for ev in events.itertuples():
    if ev.ticker not in cache:
        px = pd.read_csv(os.path.join(data, f"{ev.ticker}.csv"), index_col=0, parse_dates=True)["Close"]
        both = pd.concat([px, spy], axis=1, join="inner").pct_change().dropna()
        cache[ev.ticker] = both
    both = cache[ev.ticker]
    i0 = both.index.searchsorted(pd.Timestamp(ev.date))
    if i0 - 250 < 0 or i0 + 10 >= len(both):
        continue
    est = both.iloc[i0 - 250:i0 - 10]
    res = arch_model(100 * est.iloc[:, 0], x=100 * est.iloc[:, 1], mean="LS", vol="GARCH", p=1, q=1,
                     dist="normal", rescale=False).fit(disp="off")
    c, b, om, a1, b1 = res.params.values
    e, h = res.resid.iloc[-1], res.conditional_volatility.iloc[-1] ** 2
    hf = np.empty(21)
    nxt = om + a1 * e * e + b1 * h
    for j in range(21):
        hf[j] = nxt
        nxt = om + (a1 + b1) * nxt
    win = both.iloc[i0 - 10:i0 + 11]
    ar = 100 * win.iloc[:, 0].values - (c + b * 100 * win.iloc[:, 1].values)
    scar = [ar[a + 10:bb + 11].sum() / np.sqrt(hf[a + 10:bb + 11].sum()) for a, bb in WINDOWS]
    done += 1
print(f"{done} events fitted", file=sys.stderr)
