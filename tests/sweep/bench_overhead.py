#!/usr/bin/python3
"""Per-point overhead of aimc-sweep's Slurm backend against the local backend (prints its figures).

  bench_overhead.py --bin build/bin --sw build/sw [--points 50] [--parallel 2]
  bench_overhead.py --bin build/bin --sw build/sw --sweep SWEEP.json [--keep DIR]

The same sweep runs through the local backend with N workers and through a loopback Slurm cluster
(tests/sweep/loopback_slurm.py, needs root) with a concurrency limit of N: by default short points
(hello.elf on tiny, one point per seed), with --sweep a given sweep file (N = its slurm.concurrency),
whose two results must then collect into the same CSVs. For each: the sweep's wall time, the mean
wall time of one simulator run (from each point's result.json) and the per-point overhead =
wall * N / points - mean run: what the backend adds around each run (process start, scheduling, the
batch step, polling).
"""
import csv
import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import loopback_slurm  # noqa: E402


def run(sweep_tool, sw, sweep_file, results, backend, parallel, env=None):
    cmd = [sweep_tool, "run", sweep_file, results, "--sw", sw, "--backend", backend]
    cmd += ["--workers", str(parallel)] if backend == "local" else ["--poll", "0.2"]
    start = time.monotonic()
    proc = subprocess.run(cmd, capture_output=True, text=True, env=env)
    wall = time.monotonic() - start
    if proc.returncode != 0:
        sys.exit(f"bench: {backend} sweep failed: {proc.stderr}")
    runs = [json.load(open(os.path.join(e["dir"], "result.json")))["wall_s"]
            for e in json.load(open(os.path.join(results, "plan.json")))["points"]]
    return wall, sum(runs) / len(runs), len(runs)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--bin", required=True)
    ap.add_argument("--sw", required=True)
    ap.add_argument("--points", type=int, default=50)
    ap.add_argument("--parallel", type=int, default=2)
    ap.add_argument("--sweep", help="a sweep file to run through both backends instead of the short points")
    ap.add_argument("--keep", help="keep the results in this directory (local/, slurm/)")
    args = ap.parse_args()
    tmp = args.keep or tempfile.mkdtemp(prefix="aimc-sweep-bench-")
    os.makedirs(tmp, exist_ok=True)
    sweep_tool = os.path.join(os.path.abspath(args.bin), "aimc-sweep")
    sw = os.path.abspath(args.sw)
    if args.sweep:
        sweep_file = os.path.abspath(args.sweep)
        args.parallel = int(json.load(open(sweep_file)).get("slurm", {}).get("concurrency", args.parallel))
        what = os.path.basename(sweep_file)
    else:
        sweep_file = os.path.join(tmp, "bench.json")
        with open(sweep_file, "w") as f:
            json.dump({"name": "bench", "platform": "tiny", "firmware": "{sw}/hello.elf", "args": ["--quiet"],
                       "axes": {"seed": list(range(1, args.points + 1))},
                       "slurm": {"concurrency": args.parallel}}, f)
        what = "hello.elf on tiny"
    figures = {}
    figures["local"] = run(sweep_tool, sw, sweep_file, os.path.join(tmp, "local"), "local", args.parallel)
    try:
        with loopback_slurm.LoopbackSlurm() as cluster:
            figures["slurm"] = run(sweep_tool, sw, sweep_file, os.path.join(tmp, "slurm"), "slurm", args.parallel,
                                   env=cluster.env())
    except loopback_slurm.Unavailable as e:
        print(f"bench sweep-overhead: Slurm part skipped: {e}")
    points = next(iter(figures.values()))[2]
    print(f"bench sweep-overhead: {points} points ({what}), {args.parallel} at a time")
    for backend, (wall, mean_run, n) in figures.items():
        overhead = wall * args.parallel / n - mean_run
        print(f"  {backend:<6} sweep wall {wall:7.2f} s, mean simulator run {mean_run:6.3f} s, "
              f"per-point overhead {overhead:6.3f} s, mean runs at once {mean_run * n / wall:4.2f}")
    if len(figures) == 2:
        extra = (figures["slurm"][0] - figures["local"][0]) * args.parallel / points
        print(f"  slurm adds {extra:.3f} s per point over local")
        if args.sweep:
            print(f"  collected results identical: {same_results(sweep_tool, tmp)}")
    if not args.keep:
        shutil.rmtree(tmp, ignore_errors=True)


def same_results(sweep_tool, tmp):
    """Both backends' CSVs equal, wall times aside."""
    tables = {}
    for backend in ("local", "slurm"):
        subprocess.run([sweep_tool, "collect", os.path.join(tmp, backend), "--no-plots"], capture_output=True)
        for name in ("points.csv", "merged.csv"):
            path = os.path.join(tmp, backend, name)
            if os.path.exists(path):
                with open(path) as f:
                    tables[backend, name] = [{k: v for k, v in r.items() if not k.startswith("wall_time_s")
                                              and not k.endswith(".wall_time_s")} for r in csv.DictReader(f)]
    return all(tables.get(("local", n)) == tables.get(("slurm", n)) for n in ("points.csv", "merged.csv"))


if __name__ == "__main__":
    main()
