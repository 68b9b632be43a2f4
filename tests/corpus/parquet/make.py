"""Writes the Parquet panels of tests/parquet.rs from the bundled data/ (Adj Close of BABA,
AAPL, BIDU and SPY, long layout), in the forms pandas, pyarrow and DuckDB users have:

- ts_tz.parquet: date as timestamp[ns, America/New_York] at local midnight;
- category.parquet: ticker dictionary-encoded (pandas `category`);
- extra_columns.parquet: besides date,ticker,close, unused columns of types this tool does not
  read (int8, decimal128, map, struct);
- decimal_close.parquet: close as decimal128(18, 6), which the tool refuses, naming it.

Run: pip install pandas pyarrow; python3 tests/corpus/parquet/make.py
"""
import decimal
import os

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

HERE = os.path.dirname(os.path.abspath(__file__))
DATA = os.path.join(HERE, "..", "..", "..", "data")

frames = []
for t in ["BABA", "AAPL", "BIDU", "SPY"]:
    d = pd.read_csv(os.path.join(DATA, f"{t}.csv"))
    frames.append(pd.DataFrame({"date": d["Date"], "ticker": t, "close": d["Adj Close"]}))
long = pd.concat(frames, ignore_index=True)
dates = pd.to_datetime(long["date"])
n = len(long)

pq.write_table(pa.table({
    "date": pa.array(dates.dt.tz_localize("America/New_York"), pa.timestamp("ns", tz="America/New_York")),
    "ticker": long["ticker"], "close": long["close"]}), os.path.join(HERE, "ts_tz.parquet"))
pq.write_table(pa.table({
    "date": pa.array(dates.dt.date, pa.date32()),
    "ticker": pa.array(long["ticker"]).dictionary_encode(), "close": long["close"]}),
    os.path.join(HERE, "category.parquet"))
pq.write_table(pa.table({
    "date": pa.array(dates.dt.date, pa.date32()), "ticker": long["ticker"], "close": long["close"],
    "flag": pa.array([1] * n, pa.int8()),
    "amount": pa.array([decimal.Decimal("1.5")] * n, pa.decimal128(18, 6)),
    "tags": pa.array([[("k", "v")]] * n, pa.map_(pa.string(), pa.string())),
    "info": pa.array([{"a": 1}] * n, pa.struct([("a", pa.int64())]))}),
    os.path.join(HERE, "extra_columns.parquet"))
pq.write_table(pa.table({
    "date": pa.array(dates.dt.date, pa.date32()), "ticker": long["ticker"],
    "close": pa.array([decimal.Decimal(f"{c:.6f}") for c in long["close"]], pa.decimal128(18, 6))}),
    os.path.join(HERE, "decimal_close.parquet"))
