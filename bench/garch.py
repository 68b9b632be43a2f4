#!/usr/bin/env python3
"""Benchmark of the GARCH(1,1) market model: `eventstudy --model garch` against a Python `arch`
loop, in one run on the same generated data.

Usage (from the repository root, after `cargo build --release`):
  python3 bench/garch.py [--tickers 3000] [--events 20000] [--arch-events 300]
                         [--python bench/.venv/bin/python] [--workdir bench/out]

It
  1. simulates (or reuses) WORKDIR/data-T-E exactly as bench/run.py does (`eventstudy simulate
     --tickers T --events E --start 2015-01-02 --end 2024-12-31 --seed 7`);
  2. runs our tool with the default options a user runs (every test, the 999-resample bootstrap,
     charts) on the per-ticker files, once with `--model garch` and once with the default market
     model, measuring wall time and peak resident memory of each child process;
  3. runs bench/arch_loop.py, the loop an analyst would write (pandas to read and align each
     ticker with SPY, `arch_model(100 r, x=100 m, mean='LS', vol='GARCH').fit()` on each
     event's estimation window [-250, -11], the forecasts over [-10, +10] and the standardised
     CARs), on the first --arch-events events; its time for all E events is that measured time
     scaled by E / --arch-events (the loop is linear in the events), and labelled so;
  4. prints a Markdown table and writes it to WORKDIR/garch-results.md.

Exit code 0 when every command succeeded, 1 otherwise, 2 when the binary is missing.
"""
import argparse
import os
import shutil
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BINARY = os.path.join(ROOT, "target", "release", "eventstudy")
SIM_ARGS = ["--start", "2015-01-02", "--end", "2024-12-31", "--seed", "7"]


def measure(cmd, log_path):
    with open(log_path, "w") as log:
        start = time.perf_counter()
        proc = subprocess.Popen(cmd, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=log)
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - start
    return os.waitstatus_to_exitcode(status), wall, usage.ru_maxrss / 1024.0


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--tickers", type=int, default=3000)
    ap.add_argument("--events", type=int, default=20000)
    ap.add_argument("--arch-events", type=int, default=300)
    ap.add_argument("--python", default=os.path.join(ROOT, "bench", ".venv", "bin", "python"))
    ap.add_argument("--workdir", default=os.path.join(ROOT, "bench", "out"))
    a = ap.parse_args()
    if not os.path.exists(BINARY):
        print("build first: cargo build --release", file=sys.stderr)
        return 2
    os.makedirs(a.workdir, exist_ok=True)
    data = os.path.join(a.workdir, f"data-{a.tickers}-{a.events}")
    if not os.path.exists(os.path.join(data, "events.csv")):
        subprocess.run([BINARY, "simulate", "--out", data, "--tickers", str(a.tickers), "--events",
                        str(a.events), *SIM_ARGS], check=True)
    for f in os.listdir(data):  # page cache
        with open(os.path.join(data, f), "rb") as fh:
            while fh.read(1 << 20):
                pass
    rows, ok = [], True
    for name, label, extra in [("garch", "eventstudy --model garch (default options)", ["--model", "garch"]),
                               ("market", "eventstudy, market model (default options)", [])]:
        out = os.path.join(a.workdir, "garch-out")
        shutil.rmtree(os.path.join(out, name), ignore_errors=True)
        cmd = [BINARY, "--data", data, "--market", "SPY", "--out", out, "--name", name, *extra]
        code, wall, rss = measure(cmd, os.path.join(a.workdir, "garch-ours.log"))
        ok &= code == 0
        rows.append((label, a.events, wall, rss, code))
    n = min(a.arch_events, a.events)
    cmd = [a.python, os.path.join(ROOT, "bench", "arch_loop.py"), data, str(n)]
    code, wall, rss = measure(cmd, os.path.join(a.workdir, "garch-arch.log"))
    ok &= code == 0
    rows.append((f"Python arch loop, {n} events measured", n, wall, rss, code))
    rows.append((f"Python arch loop, scaled to {a.events} events", a.events, wall * a.events / n, rss, code))
    ours = rows[0][2]
    lines = ["| tool | events | wall s | peak MiB | x ours (garch) |", "|---|---:|---:|---:|---:|"]
    for label, ev, w, r, code in rows:
        lines.append(f"| {label} | {ev:,} | {w:.2f} | {r:,.0f} | {w / ours:.1f} |"
                     + ("" if code == 0 else f" exit {code}"))
    table = "\n".join(lines)
    print(table)
    with open(os.path.join(a.workdir, "garch-results.md"), "w") as f:
        f.write(f"{a.tickers} tickers x 2,510 days, {a.events} events, {os.cpu_count()} cores\n\n{table}\n")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
