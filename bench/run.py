#!/usr/bin/env python3
"""Benchmark: our `eventstudy` with its default options, against a pandas/statsmodels loop.

Usage (from the repository root, after `cargo build --release`):
  python3 bench/run.py [--scenarios 5k,20k,200k] [--repeat 1] [--python PY] [--skip-pandas]
                       [--pypi] [--workdir bench/out]

Every command runs the study a user runs: `eventstudy --data DIR --market SPY` with every other
option at its default (all tests, 999 bootstrap resamples, all events plus one group per ticker,
charts, the report, the terminal summary). The scenarios are those of issue 17:

  5k    2,000 tickers x 2,510 days (2015-01-02 to 2024-12-31), 5,000 events: ours from the
        per-ticker files, and the pandas + statsmodels loop (bench/pandas_loop.py) in the same
        run; target: ours at least 20 times faster.
  20k   3,000 tickers x 2,510 days, 20,000 events: ours; target under 3 s.
  200k  3,000 tickers x 5,020 days (2005-01-03 to 2024-12-31), 200,000 events: ours from the
        per-ticker files, from the long panel.csv and from the same panel as Parquet
        (panel.parquet, written once by pandas/pyarrow); target under 30 s and 3 GiB.

For each scenario it
  1. simulates the data once (target/release/eventstudy simulate --tickers T --events E
     --start .. --end .. --seed 7; a complete folder from an earlier run is reused);
  2. reads every input file once (page cache warm for every tool), then before each command
     removes the previous output folder and runs `sync`, so that no tool pays for another's
     writes; each command is a child process whose wall time and peak resident memory
     (ru_maxrss from os.wait4) are measured; with --repeat R the commands run in R rounds,
     each command once a round (ours, then the pandas loop, then ours again, ...), so that a
     slow spell of the machine falls on every tool alike, and the median wall time and the
     largest peak are reported (ours log their phases, EVENTSTUDY_TIMINGS=1);
  3. checks that every command exited 0, that ours and the pandas loop agree on every
     (event, ticker, window) CAR and t, and that the three inputs of the 200k scenario give
     byte-identical ar.csv, car.csv and aggregate.csv;
  4. prints a Markdown table with the targets met or missed, the growth from 20,000 to
     200,000 events, and writes them with the machine's description to WORKDIR/results.md
     (raw numbers in WORKDIR/results.json).

Standard library only; the Python scripts run with --python (default bench/.venv/bin/python,
the venv of bench/requirements.txt). Exit code 0 when every command succeeded, every check
passed and every target held; 1 otherwise; 2 when the binary is missing.
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


def shown(path):
    """A path relative to the repository when inside it."""
    rel = os.path.relpath(path, ROOT)
    return path if rel.startswith("..") else rel


def fmt(x, spec):
    return "–" if x is None or x != x else format(x, spec)


SCENARIOS = {
    "5k": {"tickers": 2000, "events": 5000, "start": "2015-01-02", "end": "2024-12-31",
           "inputs": ["files"], "pandas": True, "target": ("ratio", 20.0)},
    "20k": {"tickers": 3000, "events": 20000, "start": "2015-01-02", "end": "2024-12-31",
            "inputs": ["files"], "pandas": False, "target": ("wall", 3.0)},
    "200k": {"tickers": 3000, "events": 200000, "start": "2005-01-03", "end": "2024-12-31",
             "inputs": ["files", "panel.csv", "panel.parquet"], "pandas": False,
             "target": ("wall_mem", 30.0, 3 * 1024.0)},
}


def simulate_scenario(sc, data_dir, log_dir):
    done = os.path.join(data_dir, "simulated.json")
    if os.path.exists(done) and os.path.exists(os.path.join(data_dir, "panel.csv")):
        with open(os.path.join(data_dir, "events.csv")) as f:
            n = sum(1 for _ in f) - 1
        if n == sc["events"] and os.path.exists(os.path.join(data_dir, f"S{sc['tickers']:04d}.csv")):
            print(f"  reusing {shown(data_dir)}")
            return 0
    if os.path.exists(data_dir):
        shutil.rmtree(data_dir)
    cmd = [BINARY, "simulate", "--out", data_dir, "--tickers", str(sc["tickers"]), "--events", str(sc["events"]),
           "--start", sc["start"], "--end", sc["end"], "--seed", "7"]
    rc, wall, _ = measure(cmd, os.path.join(log_dir, f"simulate-{os.path.basename(data_dir)}.log"))
    print(f"  simulate: exit {rc}, {wall:.1f} s")
    return rc


def parquet_panel(data_dir, python, log_dir):
    """panel.parquet beside panel.csv (date as a Date, close as float64), written by pandas."""
    out = os.path.join(data_dir, "panel.parquet")
    if os.path.exists(out):
        return 0
    script = ("import sys, pandas as pd\n"
              "df = pd.read_csv(sys.argv[1], dtype={'ticker': str, 'close': 'float64'})\n"
              "df['date'] = pd.to_datetime(df['date'], format='%Y-%m-%d').dt.date\n"
              "df.to_parquet(sys.argv[2], index=False)\n")
    rc, wall, _ = measure([python, "-c", script, os.path.join(data_dir, "panel.csv"), out],
                          os.path.join(log_dir, "parquet-panel.log"))
    print(f"  panel.parquet by pandas/pyarrow: exit {rc}, {wall:.1f} s")
    return rc


def clean_and_sync(path):
    if os.path.exists(path):
        shutil.rmtree(path)
    subprocess.run(["sync"])
    time.sleep(1)


def file_digest(path):
    import hashlib
    h = hashlib.sha256()
    with open(path, "rb") as f:
        while chunk := f.read(1 << 22):
            h.update(chunk)
    return h.hexdigest()


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--scenarios", default="5k,20k,200k", help="comma-separated: " + ", ".join(SCENARIOS))
    default_py = os.path.join(BENCH, ".venv", "bin", "python")
    ap.add_argument("--python", default=default_py if os.path.exists(default_py) else sys.executable)
    ap.add_argument("--skip-pandas", action="store_true")
    ap.add_argument("--pypi", action="store_true", help="also run the PyPI eventstudy package in the 5k scenario")
    ap.add_argument("--workdir", default=os.path.join(BENCH, "out"))
    ap.add_argument("--repeat", type=int, default=1, help="runs of each command; the median wall time is reported")
    args = ap.parse_args()
    if args.repeat < 1:
        ap.error("--repeat must be at least 1")
    names = [x.strip() for x in args.scenarios.split(",") if x.strip()]
    unknown = [x for x in names if x not in SCENARIOS]
    if unknown:
        ap.error(f"unknown scenario {', '.join(unknown)}; known: {', '.join(SCENARIOS)}")
    workdir = os.path.abspath(args.workdir)
    python = os.path.abspath(args.python) if os.sep in args.python else args.python
    if not os.path.exists(BINARY):
        print(f"{BINARY} not found: run `cargo build --release` in {ROOT} first.", file=sys.stderr)
        return 2
    with open("/proc/loadavg") as f:
        load = float(f.read().split()[0])
    if load > 0.5:
        print(f"warning: load average {load:.2f} before the benchmark: another process is busy and "
              f"the timings will be slower than on an idle machine", file=sys.stderr)
    logs = os.path.join(workdir, "logs")
    os.makedirs(logs, exist_ok=True)

    results, checks, targets, ok = [], [], [], True
    for name in names:
        sc = SCENARIOS[name]
        data = os.path.join(workdir, f"data-{sc['tickers']}-{sc['events']}-{sc['start'][:4]}")
        print(f"== {name}: {sc['tickers']:,} tickers, {sc['start']} to {sc['end']}, {sc['events']:,} events")
        if simulate_scenario(sc, data, logs) != 0:
            print(f"  simulate failed, see {logs}", file=sys.stderr)
            ok = False
            continue
        if "panel.parquet" in sc["inputs"] and parquet_panel(data, python, logs) != 0:
            print("  writing panel.parquet failed (pandas and pyarrow are in bench/requirements.txt)", file=sys.stderr)
            ok = False
            continue
        events = os.path.join(data, "events.csv")
        runs = []
        for inp in sc["inputs"]:
            out = os.path.join(workdir, f"es-{name}-{inp.replace('.', '-')}")
            cmd = [BINARY, "--data", data, "--events", events, "--market", "SPY", "--out", out, "--name", "study"]
            if inp != "files":
                cmd += ["--panel", os.path.join(data, inp)]
            label = "eventstudy, default options" + ("" if inp == "files" else f" (--panel {inp})")
            runs.append((label, inp, cmd, out))
        if sc["pandas"] and not args.skip_pandas:
            runs.append(("pandas + statsmodels loop", None, [
                python, os.path.join(BENCH, "pandas_loop.py"), "--data", data, "--events", events,
                "--market", "SPY", "--out", os.path.join(workdir, f"pandas-{name}.csv"),
                "--aggregate-out", os.path.join(workdir, f"pandas-agg-{name}.csv")], None))
        if sc["pandas"] and args.pypi:
            runs.append(("PyPI eventstudy 0.1a12 (returns in memory)", None, [
                python, os.path.join(BENCH, "pypi_eventstudy.py"), "--data", data, "--events", events,
                "--market", "SPY", "--workdir", workdir, "--in-memory",
                "--out", os.path.join(workdir, f"pypi-mem-{name}.csv")], None))
        print(f"  read {warm(data) / 2**20:.0f} MiB of input once (page cache warm for every tool)")
        ours_env = dict(os.environ, EVENTSTUDY_TIMINGS="1")
        base = None
        # Round by round, each command once a round: the tools are measured through the same
        # minutes, so a slow spell of the machine falls on both rather than on one of them.
        measured = [([], [], 0) for _ in runs]
        failed_log = [None for _ in runs]  # the log of each command's first failing round
        for k in range(args.repeat):
            for i, (label, inp, cmd, out) in enumerate(runs):
                if out:
                    clean_and_sync(out)
                else:
                    clean_and_sync(os.path.join(workdir, "nothing-to-clean"))
                log = os.path.join(logs, f"{name}-{i}.log" if k == 0 else f"{name}-{i}-{k}.log")
                rc_k, wall, rss = measure(cmd, log, env=ours_env if cmd[0] == BINARY else None)
                walls, peaks, rc = measured[i]
                walls.append(wall)
                peaks.append(rss)
                measured[i] = (walls, peaks, rc or rc_k)
                if rc_k != 0 and failed_log[i] is None:
                    failed_log[i] = log
        for i, (label, inp, cmd, out) in enumerate(runs):
            walls, peaks, rc = measured[i]
            log = os.path.join(logs, f"{name}-{i}.log")
            wall, rss = sorted(walls)[len(walls) // 2], max(peaks)
            if i == 0 and rc == 0:
                base = wall
            spread = f" (runs: {', '.join(f'{w:.2f}' for w in walls)})" if len(walls) > 1 else ""
            print(f"  {label}: exit {rc}, {wall:.2f} s, {rss:.0f} MiB{spread}")
            if rc != 0:
                ok = False
                with open(failed_log[i] or log) as f:
                    tail = f.read()[-2000:]
                print(f"    FAILED, last lines of {failed_log[i] or log}:\n{tail}", file=sys.stderr)
            with open(log, errors="replace") as f:
                phases = [l.strip().replace("eventstudy: timing: ", "") for l in f if "eventstudy: timing:" in l]
            results.append({"scenario": name, "tool": label, "input": inp, "events": sc["events"],
                            "tickers": sc["tickers"], "exit": rc, "wall_s": wall, "walls_s": walls,
                            "peak_mib": rss, "ratio": wall / base if base else None, "log": shown(log),
                            "phases": ["; ".join(phases)] if phases else []})

        check = {"scenario": name}
        try:
            ours_dir = os.path.join(runs[0][3], "study")
            if sc["pandas"] and not args.skip_pandas:
                our_cars, _ = read_our_cars(os.path.join(ours_dir, "car.csv"))
                pl = read_script_cars(os.path.join(workdir, f"pandas-{name}.csv"))
                c = compare(our_cars, pl)
                if not (c["max_abs_car"] <= TOL_CAR and c["max_abs_t"] <= TOL_T
                        and c["only_first"] == 0 and c["only_second"] == 0):
                    c["FAILED"] = True
                    ok = False
                check["ours_vs_pandas"] = c
            if len(sc["inputs"]) > 1:
                same = {}
                for f in ("ar.csv", "car.csv", "aggregate.csv"):
                    digests = {inp: file_digest(os.path.join(out, "study", f)) for (_, inp, _, out) in runs if out}
                    same[f] = len(set(digests.values())) == 1
                    if not same[f]:
                        ok = False
                check["inputs_identical"] = same
        except (OSError, RuntimeError, KeyError, ValueError) as e:
            print(f"  agreement check failed: {e}", file=sys.stderr)
            check["error"] = str(e)
            ok = False
        checks.append(check)
        for k, v in check.items():
            if k != "scenario":
                print(f"  {k}: {v}")

        # The scenario's target, from this run.
        mine = [r for r in results if r["scenario"] == name]
        t = sc["target"]
        if t[0] == "ratio":
            other = [r for r in mine if r["tool"].startswith("pandas")]
            if other and mine[0]["exit"] == 0 and other[0]["exit"] == 0:
                ratio = other[0]["wall_s"] / mine[0]["wall_s"]
                met = ratio >= t[1]
                targets.append((name, f"at least {t[1]:.0f} times faster than the pandas loop",
                                f"{ratio:.1f} times ({mine[0]['wall_s']:.2f} s vs {other[0]['wall_s']:.2f} s)", met))
        elif t[0] == "wall":
            met = mine[0]["exit"] == 0 and mine[0]["wall_s"] < t[1]
            targets.append((name, f"under {t[1]:.0f} s", f"{mine[0]['wall_s']:.2f} s", met))
        else:
            for r in [r for r in mine if r["tool"].startswith("eventstudy")]:
                met = r["exit"] == 0 and r["wall_s"] < t[1] and r["peak_mib"] < t[2]
                targets.append((f"{name} ({r['input']})", f"under {t[1]:.0f} s and {t[2] / 1024:.0f} GiB",
                                f"{r['wall_s']:.2f} s, {r['peak_mib'] / 1024:.2f} GiB", met))
        for tg in targets:
            if tg[0].startswith(name) and not tg[3]:
                ok = False

    info = machine_info(python)
    info["load_average_at_start"] = load
    lines = ["# Benchmark: eventstudy with its default options", "",
             "Study: `eventstudy --data DIR --market SPY` with every other option at its default (market model, "
             "estimation [-250,-11], event window [-10,10], five CAR windows, every test with 999 bootstrap "
             "resamples, all events plus one group per ticker, charts, report, terminal summary), on panels "
             "written by `eventstudy simulate` (seed 7).", "",
             "| scenario | tool | input | events | wall s | peak MiB | x ours | exit |",
             "|---|---|---|---:|---:|---:|---:|---|"]
    for r in results:
        lines.append(f"| {r['scenario']} | {r['tool']} | {r['input'] or ''} | {r['events']:,} | {r['wall_s']:.2f} | "
                     f"{r['peak_mib']:.0f} | {fmt(r['ratio'], '.1f')} | {'ok' if r['exit'] == 0 else 'exit ' + str(r['exit'])} |")
    lines += ["", "Targets (issue 17), from this run:", ""]
    for name, what, got, met in targets:
        lines.append(f"- {name}: {what}: {got}: {'met' if met else '**NOT MET**'}")
    files = {r["scenario"]: r for r in results if r["input"] == "files" and r["exit"] == 0}
    if "20k" in files and "200k" in files:
        a, b = files["20k"], files["200k"]
        lines += ["", f"Growth: 20,000 -> 200,000 events (10x, 3,001 groups each, twice the days): time x"
                  f"{b['wall_s'] / a['wall_s']:.2f}, {1e3 * a['wall_s'] / 20:.0f} -> {1e3 * b['wall_s'] / 200:.0f} ms "
                  f"per 1,000 events; peak memory x{b['peak_mib'] / a['peak_mib']:.2f}."]
    if args.repeat > 1:
        lines += ["", f"Each command ran {args.repeat} times, in {args.repeat} rounds of every command in turn; wall s is the median, peak MiB the largest."]
    lines += ["", "Checks:", ""]
    for c in checks:
        for k, v in c.items():
            if k != "scenario":
                lines.append(f"- {c['scenario']}, {k}: {v}")
    phase_lines = [f"- {r['scenario']}, {r['tool']}{' ' + r['input'] if r['input'] and r['input'] != 'files' else ''}: {p}"
                   for r in results for p in r["phases"]]
    if phase_lines:
        lines += ["", "Phases reported by our runs (EVENTSTUDY_TIMINGS=1; the exporters run side by side, "
                  "summed parts are over both threads):", ""] + phase_lines
    lines += ["", "Machine: " + ", ".join(f"{k} {v}" for k, v in info.items()), "",
              f"Peak MiB is ru_maxrss of each child process (os.wait4). Logs: {shown(logs)}/.", ""]
    text = "\n".join(lines)
    print()
    print(text)
    with open(os.path.join(workdir, "results.md"), "w") as f:
        f.write(text)
    with open(os.path.join(workdir, "results.json"), "w") as f:
        json.dump({"machine": info, "runs": results, "checks": checks,
                   "targets": [{"scenario": n, "target": w, "got": g, "met": m} for n, w, g, m in targets],
                   "ok": ok}, f, indent=2, default=str)
    if not ok:
        print("\nSOME COMMAND, CHECK OR TARGET FAILED (see above).", file=sys.stderr)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
