#!/usr/bin/env python3
"""Benchmark: our `eventstudy` against a pandas/statsmodels loop and the PyPI `eventstudy`.

Usage (from the repository root, after `cargo build --release`):
  python3 bench/run.py [--tickers 3000] [--events 2000,20000,50000] [--repeat 1]
                       [--python bench/.venv/bin/python] [--skip-pypi] [--skip-pandas]
                       [--workdir bench/out] [--data DIR]

For each number of events E it
  1. simulates the data: target/release/eventstudy simulate --out WORKDIR/data-T-E --tickers T
     --events E --start 2015-01-02 --end 2024-12-31 --seed 7 (a complete folder from an
     earlier run is reused); with --data DIR an existing folder in that layout is used instead;
  2. reads every file of the data folder once, so that every tool starts with the files in the
     page cache, then runs our tool on the per-ticker files and on the long panel.csv, the
     pandas loop (bench/pandas_loop.py) and the PyPI package (bench/pypi_eventstudy.py), each
     as a child process whose wall time and peak resident memory (ru_maxrss from os.wait4) are
     measured; with --repeat R each command runs R times in turn and the median wall time and
     the largest peak are reported (our runs also log their phases, EVENTSTUDY_TIMINGS=1);
  3. checks that every command exited 0 and that the per-event CARs agree (ours vs pandas
     loop: CAR and t; per-ticker files vs panel; PyPI vs pandas loop: CAR only, its t uses
     other conventions), and compares our across-event tests with the pandas loop's;
  4. prints a Markdown table, the growth of each tool's time with the number of events, and
     writes them with the machine's description to WORKDIR/results.md (and the raw numbers to
     WORKDIR/results.json).

Standard library only; the Python scripts run with --python (default bench/.venv/bin/python,
the venv of bench/requirements.txt). Exit code 0 when every command succeeded and every
comparison is within tolerance, 1 otherwise, 2 when the binary is missing or too old.
"""
import argparse
import csv
import json
import os
import platform
import shutil
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BENCH = os.path.join(ROOT, "bench")
BINARY = os.path.join(ROOT, "target", "release", "eventstudy")
SIM_ARGS = ["--start", "2015-01-02", "--end", "2024-12-31", "--seed", "7"]
TOL_CAR = 1e-9
TOL_T = 1e-6


def measure(cmd, log_path, stdout=subprocess.DEVNULL, env=None):
    """Run cmd as a child; return (exit code, wall seconds, peak RSS MiB of that child)."""
    with open(log_path, "w") as log:
        start = time.perf_counter()
        proc = subprocess.Popen(cmd, cwd=ROOT, stdout=stdout, stderr=log, env=env)
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)   # already reaped by wait4
    return proc.returncode, wall, usage.ru_maxrss / 1024.0  # Linux: ru_maxrss in KiB


def machine_info(python):
    info = {"nproc": os.cpu_count(), "usable_cpus": len(os.sched_getaffinity(0))}
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.lower().startswith("model name"):
                    info["cpu"] = line.split(":", 1)[1].strip()
                    break
        with open("/proc/meminfo") as f:
            for line in f:
                if line.startswith("MemTotal"):
                    info["memory_gib"] = round(int(line.split()[1]) / 1024 ** 2, 1)
    except OSError:
        pass
    info["os"] = platform.platform()
    try:
        info["eventstudy_binary"] = subprocess.run([BINARY, "--version"], capture_output=True,
                                                   text=True).stdout.strip()
    except OSError:
        pass
    probe = ("import sys, numpy, pandas, scipy, statsmodels\n"
             "try:\n import eventstudy; es = eventstudy.__version__\n"
             "except Exception: es = 'not installed'\n"
             "print(f'Python {sys.version.split()[0]}, numpy {numpy.__version__}, pandas {pandas.__version__}, "
             "scipy {scipy.__version__}, statsmodels {statsmodels.__version__}, PyPI eventstudy {es}')")
    try:
        out = subprocess.run([python, "-c", probe], capture_output=True, text=True)
        info["python_stack"] = out.stdout.strip() or out.stderr.strip().splitlines()[-1]
    except (OSError, IndexError):
        info["python_stack"] = "unavailable"
    return info


def simulate(tickers, events, data_dir, log_dir):
    done = os.path.join(data_dir, "simulated.json")
    if os.path.exists(done) and os.path.exists(os.path.join(data_dir, "panel.csv")):
        with open(os.path.join(data_dir, "events.csv")) as f:
            n = sum(1 for _ in f) - 1
        if n == events and os.path.exists(os.path.join(data_dir, f"S{tickers:04d}.csv")):
            print(f"  reusing {shown(data_dir)}")
            return 0, None
    if os.path.exists(data_dir):
        shutil.rmtree(data_dir)
    cmd = [BINARY, "simulate", "--out", data_dir, "--tickers", str(tickers), "--events", str(events)] + SIM_ARGS
    rc, wall, _ = measure(cmd, os.path.join(log_dir, f"simulate-{tickers}-{events}.log"))
    print(f"  simulate: exit {rc}, {wall:.1f} s")
    return rc, wall


def warm(data_dir):
    """Read every file of data_dir once, so the timings do not depend on which tool ran first."""
    total = 0
    for name in sorted(os.listdir(data_dir)):
        path = os.path.join(data_dir, name)
        if os.path.isfile(path):
            with open(path, "rb") as f:
                while chunk := f.read(1 << 22):
                    total += len(chunk)
    return total


def study_dir(out_dir):
    """The one study folder our tool wrote under --out."""
    subs = [d for d in sorted(os.listdir(out_dir)) if os.path.exists(os.path.join(out_dir, d, "car.csv"))]
    if len(subs) != 1:
        raise RuntimeError(f"{out_dir}: expected one study folder with car.csv, found {subs}")
    return os.path.join(out_dir, subs[0])


def read_our_cars(path):
    """(event, ticker, 'a:b') -> (car, t) from our car.csv, columns found by name."""
    cars, excluded = {}, {}
    with open(path, newline="") as f:
        for row in csv.DictReader(f):
            if row["status"] != "ok":
                excluded[row["reason"]] = excluded.get(row["reason"], 0) + 1
                continue
            key = (row["event"], row["ticker"], f"{row['window_start']}:{row['window_end']}")
            cars[key] = (float(row["car"]), float(row["t"]) if row["t"] else float("nan"))
    return cars, excluded


def read_script_cars(path):
    cars = {}
    with open(path, newline="") as f:
        for row in csv.DictReader(f):
            cars[(row["event"], row["ticker"], row["window"])] = (float(row["car"]), float(row["t"]))
    return cars


def compare(a, b, with_t=True):
    common = a.keys() & b.keys()
    d_car = max((abs(a[k][0] - b[k][0]) for k in common), default=float("nan"))
    d_t = max((abs(a[k][1] - b[k][1]) for k in common), default=float("nan")) if with_t else None
    return {"common": len(common), "only_first": len(a.keys() - b.keys()),
            "only_second": len(b.keys() - a.keys()), "max_abs_car": d_car, "max_abs_t": d_t}


def read_aggregate(path, our_layout):
    """(scope, day, window_start, window_end, test) -> stat."""
    out = {}
    with open(path, newline="") as f:
        rows = csv.reader(f)
        header = next(rows)
        for r in rows:
            if our_layout and len(r) > len(header):      # an unquoted "N(0,1)" in the dist cell
                r = r[:len(header) - 1] + [",".join(r[len(header) - 1:])]
            row = dict(zip(header, r))
            if row["group"] != "all" or not row["stat"]:
                continue
            key = tuple(row[c].replace(".0", "") for c in ("scope", "day", "window_start", "window_end")) + (row["test"],)
            out[key] = float(row["stat"])
    return out


def shown(path):
    """A path relative to the repository when inside it."""
    rel = os.path.relpath(path, ROOT)
    return path if rel.startswith("..") else rel


def fmt(x, spec):
    return "–" if x is None or x != x else format(x, spec)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--tickers", type=int, default=3000)
    ap.add_argument("--events", default="2000,20000,50000", help="comma-separated event counts")
    default_py = os.path.join(BENCH, ".venv", "bin", "python")
    ap.add_argument("--python", default=default_py if os.path.exists(default_py) else sys.executable)
    ap.add_argument("--skip-pypi", action="store_true")
    ap.add_argument("--skip-pandas", action="store_true")
    ap.add_argument("--workdir", default=os.path.join(BENCH, "out"))
    ap.add_argument("--data", help="use this existing data folder (simulate layout) instead of simulating")
    ap.add_argument("--repeat", type=int, default=1, help="runs of each command; the median wall time is reported")
    args = ap.parse_args()
    if args.repeat < 1:
        ap.error("--repeat must be at least 1")
    workdir = os.path.abspath(args.workdir)
    python = os.path.abspath(args.python) if os.sep in args.python else args.python

    if not os.path.exists(BINARY):
        print(f"{BINARY} not found: run `cargo build --release` in {ROOT} first.", file=sys.stderr)
        return 2
    if not args.data:
        sim_help = subprocess.run([BINARY, "simulate", "--help"], capture_output=True, text=True).stdout
        if "--tickers" not in sim_help:
            print(f"{BINARY} has no `simulate --tickers`: it predates the benchmark panel; "
                  f"run `cargo build --release` again (or pass --data DIR).", file=sys.stderr)
            return 2
    with open("/proc/loadavg") as f:
        load = float(f.read().split()[0])
    if load > 0.5:
        print(f"warning: load average {load:.2f} before the benchmark: another process is busy and "
              f"the timings will be slower than on an idle machine", file=sys.stderr)
    os.makedirs(workdir, exist_ok=True)
    logs = os.path.join(workdir, "logs")
    os.makedirs(logs, exist_ok=True)

    sizes = [None] if args.data else [int(x) for x in args.events.split(",") if x.strip()]
    results, checks, ok = [], [], True
    for n_events in sizes:
        if args.data:
            data = os.path.abspath(args.data)
            with open(os.path.join(data, "events.csv")) as f:
                n_events = sum(1 for _ in f) - 1
            tag = f"data-{n_events}"
        else:
            tag = f"{args.tickers}-{n_events}"
            data = os.path.join(workdir, f"data-{tag}")
            print(f"== {args.tickers} tickers, {n_events} events")
            rc, _ = simulate(args.tickers, n_events, data, logs)
            if rc != 0:
                print(f"  simulate failed (exit {rc}), see {logs}", file=sys.stderr)
                ok = False
                continue
        events = os.path.join(data, "events.csv")
        ours = [BINARY, "--data", data, "--events", events, "--market", "SPY", "--no-charts",
                "--bootstrap", "0", "--group-by", "all", "--format", "json"]
        runs = [
            ("eventstudy (per-ticker files)", ours + ["--out", os.path.join(workdir, f"es-out-{tag}")]),
            ("eventstudy (--panel panel.csv)", ours + ["--panel", os.path.join(data, "panel.csv"),
                                                        "--out", os.path.join(workdir, f"es-out-panel-{tag}")]),
        ]
        if not args.skip_pandas:
            runs.append(("pandas + statsmodels loop", [
                python, os.path.join(BENCH, "pandas_loop.py"), "--data", data, "--events", events,
                "--market", "SPY", "--out", os.path.join(workdir, f"pandas-{tag}.csv"),
                "--aggregate-out", os.path.join(workdir, f"pandas-agg-{tag}.csv")]))
        if not args.skip_pypi:
            pypi = [python, os.path.join(BENCH, "pypi_eventstudy.py"), "--data", data, "--events", events,
                    "--market", "SPY", "--workdir", workdir]
            # Its public way in (import_returns from a wide csv), and the same without the csv.
            runs.append(("PyPI eventstudy 0.1a12 (import_returns)", pypi + [
                "--out", os.path.join(workdir, f"pypi-{tag}.csv"),
                "--aggregate-out", os.path.join(workdir, f"pypi-agg-{tag}.csv")]))
            runs.append(("PyPI eventstudy 0.1a12 (returns in memory)", pypi + [
                "--in-memory", "--out", os.path.join(workdir, f"pypi-mem-{tag}.csv")]))

        print(f"  read {warm(data) / 2**20:.0f} MiB of input once (page cache warm for every tool)")
        ours_env = dict(os.environ, EVENTSTUDY_TIMINGS="1")
        base = None
        for i, (name, cmd) in enumerate(runs):
            walls, peaks, rc = [], [], 0
            for k in range(args.repeat):
                log = os.path.join(logs, f"{tag}-{i}.log" if k == 0 else f"{tag}-{i}-{k}.log")
                rc_k, wall, rss = measure(cmd, log, env=ours_env if cmd[0] == BINARY else None)
                rc = rc or rc_k
                walls.append(wall)
                peaks.append(rss)
            log = os.path.join(logs, f"{tag}-{i}.log")
            wall, rss = sorted(walls)[len(walls) // 2], max(peaks)
            if i == 0 and rc == 0:
                base = wall
            spread = f" (runs: {', '.join(f'{w:.2f}' for w in walls)})" if len(walls) > 1 else ""
            print(f"  {name}: exit {rc}, {wall:.2f} s, {rss:.0f} MiB{spread}")
            if rc != 0:
                ok = False
                with open(log) as f:
                    tail = f.read()[-2000:]
                print(f"    FAILED, last lines of {log}:\n{tail}", file=sys.stderr)
            with open(log, errors="replace") as f:
                phases = [l.strip().replace("eventstudy: timing: ", "") for l in f
                          if "phases:" in l or "per-event loop" in l or "eventstudy: timing:" in l]
            if cmd[0] == BINARY and phases:
                phases = ["; ".join(phases)]
            results.append({"tool": name, "events": n_events, "exit": rc, "wall_s": wall, "walls_s": walls,
                            "peak_mib": rss, "ratio": wall / base if base else None, "log": shown(log),
                            "phases": phases})

        # Agreement of the per-event CARs.
        try:
            ours_dir = study_dir(os.path.join(workdir, f"es-out-{tag}"))
            our_cars, excluded = read_our_cars(os.path.join(ours_dir, "car.csv"))
            check = {"events": n_events, "ours_computed_rows": len(our_cars), "ours_excluded": excluded}
            panel_cars, _ = read_our_cars(os.path.join(study_dir(os.path.join(workdir, f"es-out-panel-{tag}")), "car.csv"))
            check["files_vs_panel"] = compare(our_cars, panel_cars)
            if not args.skip_pandas:
                pl = read_script_cars(os.path.join(workdir, f"pandas-{tag}.csv"))
                check["ours_vs_pandas"] = compare(our_cars, pl)
                a = read_aggregate(os.path.join(ours_dir, "aggregate.csv"), True)
                b = read_aggregate(os.path.join(workdir, f"pandas-agg-{tag}.csv"), False)
                common = a.keys() & b.keys()
                check["aggregate_tests_ours_vs_pandas"] = {
                    "common": len(common),
                    "max_abs_stat": max((abs(a[k] - b[k]) for k in common), default=float("nan"))}
            if not args.skip_pypi and not args.skip_pandas:
                py = read_script_cars(os.path.join(workdir, f"pypi-{tag}.csv"))
                check["pypi_vs_pandas_car_only"] = compare(py, pl, with_t=False)
                py_mem = read_script_cars(os.path.join(workdir, f"pypi-mem-{tag}.csv"))
                check["pypi_csv_vs_in_memory"] = compare(py, py_mem)
        except (OSError, RuntimeError, KeyError, ValueError) as e:
            print(f"  agreement check failed: {e}", file=sys.stderr)
            ok = False
            continue
        for name in ("files_vs_panel", "ours_vs_pandas", "pypi_csv_vs_in_memory"):
            c = check.get(name)
            if c and not (c["max_abs_car"] <= TOL_CAR and c["max_abs_t"] <= TOL_T
                          and c["only_first"] == 0 and c["only_second"] == 0):
                ok = False
                c["FAILED"] = True
        c = check.get("pypi_vs_pandas_car_only")
        if c and not c["max_abs_car"] <= TOL_CAR:
            ok = False
            c["FAILED"] = True
        checks.append(check)
        for k, v in check.items():
            print(f"  {k}: {v}")

    info = machine_info(python)
    info["load_average_at_start"] = load
    lines = ["# Benchmark: eventstudy vs a pandas loop vs PyPI eventstudy", "",
             f"Study: market model against SPY, estimation [-250,-11] (min 100 days), event window "
             f"[-10,10], CARs (0,0) (-1,1) (0,1) (-5,5) (-10,10), across-event tests for all events, "
             f"no bootstrap, no charts; " + (f"data from {args.data}." if args.data else
             f"{args.tickers} simulated tickers, 2015-01-02 to 2024-12-31 (seed 7)."), "",
             "| tool | events | wall s | peak MiB | × ours (files) | exit |",
             "|---|---:|---:|---:|---:|---|"]
    for r in results:
        lines.append(f"| {r['tool']} | {r['events']:,} | {r['wall_s']:.2f} | {r['peak_mib']:.0f} | "
                     f"{fmt(r['ratio'], '.1f')} | {'ok' if r['exit'] == 0 else 'exit ' + str(r['exit'])} |")
    # How each tool's time grows with the number of events.
    growth = []
    for tool in dict.fromkeys(r["tool"] for r in results):
        pts = sorted((r["events"], r["wall_s"]) for r in results if r["tool"] == tool and r["exit"] == 0)
        for (e0, w0), (e1, w1) in zip(pts, pts[1:]):
            growth.append(f"- {tool}: {e0:,} -> {e1:,} events ({e1 / e0:.1f}x): time x{w1 / w0:.2f}, "
                          f"{1e6 * w0 / e0:.0f} -> {1e6 * w1 / e1:.0f} ms per 1,000 events")
    if growth:
        lines += ["", "Growth with the number of events:", ""] + growth
    if args.repeat > 1:
        lines += ["", f"Each command ran {args.repeat} times in turn; wall s is the median, peak MiB the largest."]
    lines += ["", "Agreement of per-event CARs (max absolute difference over the (event, ticker, window) "
              "rows both computed):", ""]
    for c in checks:
        for name in ("files_vs_panel", "ours_vs_pandas", "pypi_vs_pandas_car_only", "pypi_csv_vs_in_memory"):
            if name in c:
                v = c[name]
                t_part = f", t {fmt(v['max_abs_t'], '.2e')}" if v["max_abs_t"] is not None else ""
                lines.append(f"- {c['events']:,} events, {name}: {v['common']:,} rows in common "
                             f"({v['only_first']:,} / {v['only_second']:,} only in one), CAR "
                             f"{fmt(v['max_abs_car'], '.2e')}{t_part}{' **FAILED**' if v.get('FAILED') else ''}")
        if "aggregate_tests_ours_vs_pandas" in c:
            v = c["aggregate_tests_ours_vs_pandas"]
            lines.append(f"- {c['events']:,} events, across-event tests ours vs pandas loop: {v['common']} "
                         f"statistics in common, max |Δ| {fmt(v['max_abs_stat'], '.2e')}")
    phase_lines = [f"- {r['tool']}, {r['events']:,} events: {p}" for r in results for p in r["phases"]]
    if phase_lines:
        lines += ["", "Phases reported by each tool (its own clock, inside the wall time; ours from "
                  "EVENTSTUDY_TIMINGS=1, the exporters run side by side):", ""]
        lines += phase_lines
    lines += ["", "PyPI eventstudy's t use SSR/M, Var(CAR) = L·s² and M−1 df (no forecast-error "
              "term), so only its CARs are compared; its sub-window CARs are summed from its ARs "
              "(see bench/pypi_eventstudy.py).", "",
              "Machine: " + ", ".join(f"{k} {v}" for k, v in info.items()), "",
              f"Peak MiB is ru_maxrss of each child process (os.wait4). Logs: {shown(logs)}/.", ""]
    text = "\n".join(lines)
    print()
    print(text)
    with open(os.path.join(workdir, "results.md"), "w") as f:
        f.write(text)
    with open(os.path.join(workdir, "results.json"), "w") as f:
        json.dump({"machine": info, "runs": results, "checks": checks, "ok": ok}, f, indent=2, default=str)
    if not ok:
        print("\nSOME COMMAND OR CHECK FAILED (see above).", file=sys.stderr)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
