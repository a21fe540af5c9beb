#!/usr/bin/python3
"""aimc-sweep: design-space sweeps of aimc-vp, run on this machine or as a Slurm job array.

  aimc-sweep plan    SWEEP.json                       check the sweep and print its points
  aimc-sweep run     SWEEP.json RESULTS [--backend local|slurm] [--workers N] [--resume]
  aimc-sweep status  RESULTS                          done, running, failed (with log paths), pending
  aimc-sweep collect RESULTS [--format png|svg]       points.csv, merged.csv (shards), plots/

Exit status: 0 every point done, 1 some point failed or is missing, 2 bad input (nothing ran).
See docs/sweeps.md.
"""
import argparse
import json
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.realpath(__file__)))

from sweep_collect import merge_shards, plot, point_rows, write_csv  # noqa: E402
from sweep_plan import Sweep, SweepError, load_sweep, validate  # noqa: E402
from sweep_run import (prepare_results, read_plan, report_failures, run_local, run_point, state,  # noqa: E402
                       submit_slurm, wait_slurm, write_plan)


class Tools:
    """Where the simulator and the firmware images are: next to this script in a build tree by default."""

    def __init__(self, vp=None, sw=None):
        here = os.path.dirname(os.path.realpath(sys.argv[0]))
        self.bin_dir = here
        self.vp = os.path.abspath(vp or os.path.join(here, "aimc-vp"))
        self.sw_dir = os.path.abspath(sw or os.path.join(os.path.dirname(here), "sw"))
        self.self_path = os.path.realpath(sys.argv[0])


def cmd_plan(args):
    sweep = load_sweep(args.sweep)
    tools = Tools(args.vp, args.sw)
    if not args.no_check:
        validate(sweep, tools)
    points = sweep.points()
    names = [n for n, _ in sweep.axes]
    print(f"sweep {sweep.name}: {len(points)} point(s), axes {' x '.join(f'{n}({len(v)})' for n, v in sweep.axes)}")
    print("index  id            " + "  ".join(names))
    for p in points:
        values = [f"{p['shard']['first']}+{p['shard']['count']}" if n == "shard" else str(p["params"][n]) for n in names]
        print(f"{p['index']:<6} {p['id']}  " + "  ".join(values))
    return 0


def cmd_run(args):
    sweep = load_sweep(args.sweep)
    tools = Tools(args.vp, args.sw)
    results = os.path.abspath(args.results)
    validate(sweep, tools)  # before anything is written, run or submitted
    if args.backend == "slurm":
        import shutil
        if shutil.which("sbatch") is None:
            raise SweepError("the slurm backend needs sbatch, which is not on PATH (install Slurm's client, "
                             "e.g. Debian's slurm-client, or use --backend local)")
    prepare_results(results, sweep, args.resume)
    entries = write_plan(results, sweep, tools, sweep.points())
    todo = [e for e in entries if state(e) != "done"] if args.resume else entries
    if args.resume:
        print(f"aimc-sweep: resume: {len(entries) - len(todo)} point(s) done, {len(todo)} to run", file=sys.stderr)
    if not todo:
        return 0
    if args.backend == "local":
        workers = args.workers or int(sweep.local.get("workers", os.cpu_count() or 1))
        if workers < 1:
            raise SweepError(f"--workers {workers}: needs at least 1")
        run_local(sweep.name, todo, workers)
    else:
        job = submit_slurm(results, sweep, tools, todo)
        print(f"aimc-sweep: submitted Slurm job {job} ({len(todo)} array task(s)); script "
              f"{os.path.join(results, 'slurm', 'sweep.sbatch')}", file=sys.stderr)
        if args.no_wait:
            return 0
        wait_slurm(sweep.name, job, todo, args.poll, results)
    return 1 if report_failures(entries) else 0


def cmd_status(args):
    entries = read_plan(os.path.abspath(args.results))
    counts = {"done": 0, "running": 0, "failed": 0, "pending": 0}
    for e in entries:
        counts[state(e)] += 1
    print(f"{len(entries)} point(s): " + ", ".join(f"{v} {k}" for k, v in counts.items()))
    for e in entries:
        if state(e) == "running":
            print(f"running: {e['id']} ({', '.join(f'{k}={v}' for k, v in e['params'].items())})")
    report_failures(entries, sys.stdout)
    return 0 if counts["done"] == len(entries) else 1


def cmd_collect(args):
    results = os.path.abspath(args.results)
    entries = read_plan(results)
    with open(os.path.join(results, "sweep.json")) as f:
        saved = json.load(f)
    sweep = Sweep(saved["source"], saved["doc"])
    axes = {n: ([s["index"] for s in v] if n == "shard" else v) for n, v in sweep.axes}
    extra = list(dict.fromkeys(sweep.figures + (args.figure or [])))
    rows = point_rows(entries, list(axes), extra, state, sweep.once_regions)
    out = args.out or results
    first = ["point", "state"] + [c for n in axes for c in (["shard", "shard_first", "shard_count"] if n == "shard" else [n])]
    write_csv(os.path.join(out, "points.csv"), rows, first)
    written = [os.path.join(out, "points.csv")]
    table = rows
    if "shard" in axes:
        table, warnings = merge_shards(rows, list(axes), extra)
        for w in warnings:
            print(f"aimc-sweep: warning: {w}", file=sys.stderr)
        write_csv(os.path.join(out, "merged.csv"), table, [n for n in axes if n != "shard"] + ["shards", "state"])
        written.append(os.path.join(out, "merged.csv"))
    if not args.no_plots:
        written += plot([r for r in table if r["state"] == "done"], axes, extra, os.path.join(out, "plots"), args.format)
    for path in written:
        print(path)
    for r in rows:
        if r["state"] == "wrong-range":
            print(f"aimc-sweep: point {r['point']} ran inputs {r['inputs_first']}+{r['inputs']}, not its shard "
                  f"{r['shard_first']}+{r['shard_count']}: does the firmware read the shard block? "
                  f"(log: {os.path.join(results, 'points', r['point'], 'log.txt')})", file=sys.stderr)
    missing = [r for r in rows if r["state"] != "done"]
    if missing:
        print(f"aimc-sweep: {len(missing)} of {len(rows)} point(s) not done; their rows have no figures "
              f"(`aimc-sweep status {args.results}`)", file=sys.stderr)
        return 1
    return 0


def cmd_run_point(args):
    """One point, by its index in plan.json: what each Slurm array task runs."""
    entries = read_plan(os.path.abspath(args.results))
    match = [e for e in entries if e["index"] == args.index]
    if not match:
        raise SweepError(f"{args.results}: no point with index {args.index} in plan.json")
    return 0 if run_point(match[0]) == 0 else 1


def main(argv=None):
    ap = argparse.ArgumentParser(prog="aimc-sweep", description=__doc__.split("\n")[0],
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = ap.add_subparsers(dest="command", required=True)
    tool_opts = argparse.ArgumentParser(add_help=False)
    tool_opts.add_argument("--vp", help="the simulator (default: aimc-vp next to aimc-sweep)")
    tool_opts.add_argument("--sw", help="firmware directory substituted for {sw} (default: ../sw from aimc-sweep)")

    p = sub.add_parser("plan", parents=[tool_opts], help="check a sweep file and print its points")
    p.add_argument("sweep")
    p.add_argument("--no-check", action="store_true", help="do not ask the simulator to check the parameters")
    p.set_defaults(func=cmd_plan)

    p = sub.add_parser("run", parents=[tool_opts], help="run (or submit) the points of a sweep")
    p.add_argument("sweep")
    p.add_argument("results", help="results directory (created)")
    p.add_argument("--backend", choices=["local", "slurm"], default="local")
    p.add_argument("--workers", type=int, help="local backend: parallel runs (default: the sweep's local.workers, "
                                               "else the CPU count)")
    p.add_argument("--resume", action="store_true", help="run only the points not done yet (missing or failed)")
    p.add_argument("--no-wait", action="store_true", help="slurm backend: return once submitted")
    p.add_argument("--poll", type=float, default=2.0, help="slurm backend: seconds between status checks")
    p.set_defaults(func=cmd_run)

    p = sub.add_parser("status", help="done, running, failed and pending points of a results directory")
    p.add_argument("results")
    p.set_defaults(func=cmd_status)

    p = sub.add_parser("collect", help="CSV of every point (and of merged shards) and plots")
    p.add_argument("results")
    p.add_argument("--out", help="where to write (default: the results directory)")
    p.add_argument("--format", choices=["png", "svg"], default="png")
    p.add_argument("--figure", action="append", help="another stats key to collect, by dotted path (repeatable)")
    p.add_argument("--no-plots", action="store_true")
    p.set_defaults(func=cmd_collect)

    p = sub.add_parser("run-point", help=argparse.SUPPRESS)
    p.add_argument("results")
    p.add_argument("index", type=int)
    p.set_defaults(func=cmd_run_point)

    args = ap.parse_args(argv)
    try:
        return args.func(args)
    except SweepError as e:
        print(f"aimc-sweep: error: {e}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("aimc-sweep: interrupted; `aimc-sweep run --resume` continues where this stopped", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
