#!/usr/bin/env python3
"""Benchmark: many events of one ticker on one day, with the default study options.

Usage (from the repository root, after `cargo build --release`):
  python3 bench/same_day.py [--events 5000,10000] [--workdir bench/out-same-day]

For each count N it writes an events file of N events of BABA, all dated 2025-02-13, beside a
copy of the bundled data/, runs `target/release/eventstudy --ticker BABA` with every other
option at its default (charts, bootstrap, all groups), and measures the wall time and peak
resident memory of that child (os.wait4) and the size of the summary.json it wrote. Every
event lists every other as overlapping unless the overlap notes are bounded, so the size of
summary.json per event and the time per event must stay flat as N grows.

Prints a Markdown table (and writes it to WORKDIR/results.md). Exit code 0 when every run
succeeded, the 5,000-event run took under 10 s and 1 GiB, and summary.json grew at most 1.2
times faster than the events; 1 otherwise; 2 when the binary is missing.
"""
import argparse
import os
import shutil
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BINARY = os.path.join(ROOT, "target", "release", "eventstudy")


def run(n, work):
    d = os.path.join(work, f"n{n}")
    shutil.rmtree(d, ignore_errors=True)
    shutil.copytree(os.path.join(ROOT, "data"), os.path.join(d, "data"))
    with open(os.path.join(d, "events.csv"), "w") as f:
        f.write("id,date,ticker,kind,headline\n")
        for i in range(n):
            f.write(f"E{i + 1},2025-02-13,BABA,report,Headline number {i + 1}\n")
    cmd = [BINARY, "--data", "data", "--events", "events.csv", "--out", "o", "--ticker", "BABA"]
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=d, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    rc = os.waitstatus_to_exitcode(status)
    err = proc.stderr.read().decode(errors="replace")
    out = os.path.join(d, "o")
    folders = [f for f in os.listdir(out) if not f.startswith(".")] if os.path.isdir(out) else []
    size = os.path.getsize(os.path.join(out, folders[0], "summary.json")) if folders else 0
    return {"n": n, "rc": rc, "wall": wall, "peak_mib": usage.ru_maxrss / 1024.0, "json_mib": size / 2**20, "err": err}


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--events", default="5000,10000")
    ap.add_argument("--workdir", default=os.path.join(ROOT, "bench", "out-same-day"))
    a = ap.parse_args()
    if not os.path.exists(BINARY):
        print(f"{BINARY} is missing: run cargo build --release first", file=sys.stderr)
        return 2
    os.makedirs(a.workdir, exist_ok=True)
    rows = [run(int(n), a.workdir) for n in a.events.split(",")]
    lines = [
        "| events on one day | wall s | peak MiB | summary.json MiB | KiB per event |",
        "|---:|---:|---:|---:|---:|",
    ]
    for r in rows:
        lines.append(
            f"| {r['n']:,} | {r['wall']:.2f} | {r['peak_mib']:.0f} | {r['json_mib']:.1f} | {1024 * r['json_mib'] / r['n']:.2f} |"
        )
    ok = all(r["rc"] == 0 for r in rows)
    for r in rows:
        if r["rc"] != 0:
            print(f"N={r['n']}: exit {r['rc']}: {r['err'][-500:]}", file=sys.stderr)
    first = rows[0]
    if ok and first["n"] == 5000:
        ok = first["wall"] < 10 and first["peak_mib"] < 1024
    if ok and len(rows) > 1:
        a0, b0 = rows[0], rows[-1]
        growth = (b0["json_mib"] / a0["json_mib"]) / (b0["n"] / a0["n"])
        time_growth = (b0["wall"] / a0["wall"]) / (b0["n"] / a0["n"])
        lines.append("")
        lines.append(
            f"From {a0['n']:,} to {b0['n']:,} events: summary.json grows {growth:.2f} times as fast as the events, the wall time {time_growth:.2f} times (1.00 is linear)."
        )
        ok = growth < 1.2
    text = "\n".join(lines) + "\n"
    print(text)
    with open(os.path.join(a.workdir, "results.md"), "w") as f:
        f.write(text)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
