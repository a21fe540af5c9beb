#!/usr/bin/python3
"""Tests of aimc-sweep, run by CTest.

  test_sweep.py local --bin build/bin --sw build/sw    plan, bad input, failing point, resume, shard
                                                       merge, a 52-point sweep, collect and plots
  test_sweep.py slurm --bin build/bin --sw build/sw    a loopback Slurm cluster: the same sweep as the
                                                       local backend gives identical results; 52 points
                                                       with a concurrency limit, none lost
  test_sweep.py infer --bin build/bin --sw build/sw --models tests/compiler/models
                                                       the inference app sharded: 2 shards merge into
                                                       one unsharded run's counts, outputs, energy and
                                                       time exactly; bad, absent and ignored shard blocks
Exit status 0: passed; 1: failed; 77: skipped (Slurm cannot start here; the reason is printed).
"""
import argparse
import csv
import json
import os
import shutil
import struct
import subprocess
import sys
import tempfile

SKIP = 77
HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

CROSSBARS = ["hermes-core", "sandia-reram"]
SHARD_BASE = {"platform": "tiny", "firmware": "{sw}/shard-demo.elf", "load": ["{shard_file}@0x80F00000"]}


class Failure(Exception):
    pass


def check(cond, what):
    if not cond:
        raise Failure(what)


class Env:
    def __init__(self, bin_dir, sw_dir, tmp):
        self.sweep = os.path.join(bin_dir, "aimc-sweep")
        self.bin = bin_dir
        self.sw = sw_dir
        self.tmp = tmp

    def write(self, name, doc):
        path = os.path.join(self.tmp, name)
        with open(path, "w") as f:
            json.dump(doc, f)
        return path

    def run(self, *args, env=None, expect=None):
        proc = subprocess.run([self.sweep, *args, "--sw", self.sw] if args[0] in ("plan", "run") else [self.sweep, *args],
                              capture_output=True, text=True, env=env)
        if expect is not None and proc.returncode != expect:
            raise Failure(f"aimc-sweep {' '.join(args)}: exit {proc.returncode}, expected {expect}\n"
                          f"stdout: {proc.stdout}\nstderr: {proc.stderr}")
        return proc


def read_csv(path, drop=("wall_time_s",)):
    with open(path) as f:
        return [{k: v for k, v in r.items() if k not in drop} for r in csv.DictReader(f)]


def shard_sweep(name, seeds, shards, **extra):
    return {"name": name, **SHARD_BASE,
            "axes": {"tile.crossbar": CROSSBARS, "seed": seeds, "shard": {"batch": 1000, "count": shards}}, **extra}


# --- local -------------------------------------------------------------------------------------------

def test_plan_ids(env):
    a = env.write("ids-a.json", shard_sweep("ids", [1, 2], 2))
    b = env.write("ids-b.json", {"name": "ids", **SHARD_BASE,
                                 "axes": {"shard": {"batch": 1000, "count": 2}, "seed": [2, 1],
                                          "tile.crossbar": list(reversed(CROSSBARS))}})
    ids = [set(line.split()[1] for line in env.run("plan", p, expect=0).stdout.splitlines()[2:]) for p in (a, b)]
    check(len(ids[0]) == 8, f"plan of 2x2x2 points listed {len(ids[0])} ids")
    check(ids[0] == ids[1], "point ids change when the axes or their values are reordered")
    # Another split of the batch: shard 0 covers another range, so its id (and results) differ.
    c = env.write("ids-c.json", shard_sweep("ids", [1, 2], 4))
    ids_c = set(line.split()[1] for line in env.run("plan", c, expect=0).stdout.splitlines()[2:])
    check(not ids_c & ids[0], "a shard of another split has the id of the old split's shard")


def test_bad_input(env):
    results = os.path.join(env.tmp, "bad-results")
    p = env.write("unknown.json", {"firmware": "{sw}/hello.elf", "axes": {"tile.crossbarx": ["hermes-core"]}})
    proc = env.run("run", p, results, expect=2)
    check("'tile.crossbarx'" in proc.stderr and "not a parameter" in proc.stderr,
          f"unknown parameter not named: {proc.stderr}")
    check(not os.path.exists(results), "an unknown parameter still created the results directory")

    p = env.write("empty.json", {"firmware": "{sw}/hello.elf", "axes": {"tile.seed": []}})
    proc = env.run("run", p, results, expect=2)
    check("axis 'tile.seed'" in proc.stderr and "empty" in proc.stderr, f"empty axis not named: {proc.stderr}")

    good = env.write("good.json", {"firmware": "{sw}/hello.elf", "axes": {"seed": [1]}})
    blocker = os.path.join(env.tmp, "a-file")
    open(blocker, "w").close()
    proc = env.run("run", good, os.path.join(blocker, "results"), expect=2)
    check("not writable" in proc.stderr and blocker in proc.stderr, f"unwritable results dir: {proc.stderr}")

    no_sbatch = dict(os.environ, PATH="/nonexistent")
    proc = env.run("run", good, results, "--backend", "slurm", env=no_sbatch, expect=2)
    check("sbatch" in proc.stderr, f"missing sbatch not reported: {proc.stderr}")
    check(not os.path.exists(results), "a slurm run without sbatch still created the results directory")

    proc = env.run("run", env.write("noshard.json", {"firmware": "{sw}/hello.elf", "load": ["{shard_file}@0x80F00000"],
                                                     "axes": {"seed": [1]}}), results, expect=2)
    check("shard" in proc.stderr, f"{{shard_file}} without a shard axis: {proc.stderr}")


def test_failing_point_and_resume(env):
    results = os.path.join(env.tmp, "failing")
    p = env.write("failing.json", {"firmware": "{sw}/tile-mvm.elf", "args": ["--quiet"],
                                   "axes": {"tile.crossbar": ["hermes-core", "no-such-core"], "seed": [1, 2]}})
    proc = env.run("run", p, results, "--workers", "2", expect=1)
    failed = [line for line in proc.stderr.splitlines() if " failed: " in line]
    check(len(failed) == 2 and all("tile.crossbar=no-such-core" in f for f in failed),
          f"expected the two no-such-core points reported failed: {proc.stderr}")
    for line in failed:
        log = line.split("log: ")[-1]
        with open(log) as f:
            check("no-such-core" in f.read(), f"{log} does not hold the simulator's error")
    status = env.run("status", results, expect=1).stdout
    check("2 done" in status and "2 failed" in status, f"status: {status}")

    # Resume reruns the failed and the missing, never the done.
    plan = json.load(open(os.path.join(results, "plan.json")))["points"]
    done = [e for e in plan if e["params"]["tile.crossbar"] == "hermes-core"]
    os.remove(os.path.join(done[0]["dir"], "result.json"))
    before = os.path.getmtime(os.path.join(done[1]["dir"], "result.json"))
    proc = env.run("run", p, results, "--resume", expect=1)
    check("1 point(s) done, 3 to run" in proc.stderr, f"resume: {proc.stderr}")
    check(os.path.getmtime(os.path.join(done[1]["dir"], "result.json")) == before, "resume reran a done point")
    check("3 done" not in env.run("status", results).stdout and "2 done" in env.run("status", results).stdout,
          "resume did not restore the missing point")
    proc = env.run("run", p, results, expect=2)
    check("--resume" in proc.stderr, f"rerun into a used results dir without --resume: {proc.stderr}")


def test_shards_merge(env):
    sharded, whole = os.path.join(env.tmp, "sharded"), os.path.join(env.tmp, "whole")
    env.run("run", env.write("sharded.json", shard_sweep("sharded", [1, 2], 4)), sharded, "--workers", "2", expect=0)
    env.run("run", env.write("whole.json", shard_sweep("whole", [1, 2], 1)), whole, "--workers", "2", expect=0)
    env.run("collect", sharded, "--format", "svg", expect=0)
    env.run("collect", whole, "--no-plots", expect=0)
    a, b = read_csv(os.path.join(sharded, "merged.csv")), read_csv(os.path.join(whole, "merged.csv"))
    check(len(a) == len(b) == 4, f"merged rows: {len(a)} sharded, {len(b)} whole")
    for ra, rb in zip(a, b):
        for key in ("correct", "images", "accuracy"):
            check(ra[key] == rb[key], f"{key}: shards merge to {ra[key]}, the whole batch gives {rb[key]}")
        check(rb["images"] == "1000", f"whole batch reports {rb['images']} images")
        # Region 1 is exactly the per-image work: sums agree to floating-point rounding.
        for key in ("region.1.energy_j", "region.1.time_s", "region.1.mvms", "region.1.energy_adc_j",
                    "region.1.energy_static_j"):
            x, y = float(ra[key]), float(rb[key])
            check(abs(x - y) <= 1e-12 * abs(y), f"{key}: shards sum to {x!r}, the whole batch gives {y!r}")
    check(os.path.exists(os.path.join(sharded, "plots", "accuracy-vs-tile.crossbar.svg")), "no SVG plot")


def test_scale_local(env):
    results = os.path.join(env.tmp, "scale-local")
    p = env.write("scale.json", shard_sweep("scale", list(range(1, 14)), 2))
    env.run("run", p, results, "--workers", "2", expect=0)
    env.run("collect", results, expect=0)
    rows = read_csv(os.path.join(results, "points.csv"))
    check(len(rows) == 52 and all(r["state"] == "done" and r["accuracy"] for r in rows),
          f"52-point local sweep: {len(rows)} rows, {sum(r['state'] == 'done' for r in rows)} done")
    check(os.path.exists(os.path.join(results, "plots", "accuracy-vs-seed.png")), "no PNG plot")


# --- infer ----------------------------------------------------------------------------------------------

def log_lines(results, prefix):
    """Every line starting with `prefix` in the logs of a results directory's points."""
    lines = []
    for e in json.load(open(os.path.join(results, "plan.json")))["points"]:
        with open(os.path.join(e["dir"], "log.txt")) as f:
            lines += [line.rstrip("\n") for line in f if line.startswith(prefix)]
    return lines


def test_infer_shards(env, models):
    """Real infer runs (the test CNN on tiny, PCM noise on): 2 shards against the unsharded batch."""
    model, batch = os.path.join(env.tmp, "cnn.aimg"), os.path.join(env.tmp, "batch.bin")
    for cmd in ([os.path.join(env.bin, "aimc-compile"), os.path.join(models, "cnn.onnx"), "--platform", "tiny",
                 "-o", model, "--quiet"],
                [os.path.join(env.bin, "aimc-dataset"), model, "-n", "6", "-o", batch, "--print-outputs"]):
        proc = subprocess.run(cmd, capture_output=True, text=True)
        check(proc.returncode == 0, f"{' '.join(cmd)}: exit {proc.returncode}\n{proc.stderr}")

    def infer_sweep(name, shards, shard_addr="0x80F00000"):
        return env.write(f"{name}.json", {
            "name": name, "platform": "tiny", "firmware": "{sw}/infer.elf",
            "load": [f"{model}@0x80400000", f"{batch}@0x80800000", f"{{shard_file}}@{shard_addr}"],
            "set": {"tile.drift_update_interval": "1000 s"}, "once_regions": ["program weights"],
            "axes": {"tile.drift_age": ["60 s", "86400 s"], "shard": {"batch": 6, "count": shards}}})

    sharded, whole = os.path.join(env.tmp, "infer-2"), os.path.join(env.tmp, "infer-1")
    env.run("run", infer_sweep("infer-2", 2), sharded, "--workers", "2", expect=0)
    env.run("run", infer_sweep("infer-1", 1), whole, "--workers", "2", expect=0)
    for d in (sharded, whole):
        proc = env.run("collect", d, "--no-plots", expect=0)
        check("warning" not in proc.stderr, f"collect {d}: {proc.stderr}")
    ranges = sorted(line for line in log_lines(sharded, "inputs "))
    check(len(ranges) == 4 and sum(" 3 from 0:" in r for r in ranges) == 2 and sum(" 3 from 3:" in r for r in ranges) == 2,
          f"the shards did not run inputs 0..2 and 3..5: {ranges}")
    # Same images, same noise: every output vector of the shards is the unsharded run's.
    outs_a, outs_b = sorted(log_lines(sharded, "out ")), sorted(log_lines(whole, "out "))
    check(len(outs_b) == 12 and outs_a == outs_b, f"outputs differ:\n{outs_a}\n{outs_b}")
    a, b = read_csv(os.path.join(sharded, "merged.csv")), read_csv(os.path.join(whole, "merged.csv"))
    check(len(a) == len(b) == 2, f"merged rows: {len(a)} sharded, {len(b)} whole")
    for ra, rb in zip(a, b):
        for key in ("images", "correct", "accuracy", "inputs"):
            check(ra[key] != "" and ra[key] == rb[key], f"{key}: shards merge to {ra[key]!r}, unsharded {rb[key]!r}")
        # Each input's energy and time are the same in any split; the syscon reads them in whole pJ and ns
        # (rounded), so a sum may differ by the rounding of each input's reading: 1 pJ, 1 ns per input.
        n = int(rb["inputs"])
        for key in ("input_energy_pj", "input_time_ns"):
            x, y = int(ra[key]), int(rb[key])
            check(abs(x - y) <= n, f"{key}: shards merge to {x}, unsharded {y}: more than {n} apart")
        for key, unit in (("energy_per_image_j", 1e-12), ("time_per_image_s", 1e-9), ("batch_energy_j", n * 1e-12),
                          ("batch_time_s", n * 1e-9)):
            x, y = float(ra[key]), float(rb[key])
            check(abs(x - y) <= unit * 1.001, f"{key}: shards merge to {x!r}, unsharded {y!r}")
        check(rb["inputs"] == "6" and 0.0 < float(rb["energy_per_image_j"]) < float(rb["batch_energy_j"]),
              f"unsharded row: {rb}")
        check(float(rb["once_energy_j"]) > 0, f"no programming energy in {rb}")

    # A shard block the firmware never sees (loaded elsewhere): every shard runs the whole batch.
    ignored = os.path.join(env.tmp, "infer-ignored")
    env.run("run", infer_sweep("infer-ignored", 2, "0x80E00000"), ignored, "--workers", "2", expect=0)
    proc = env.run("collect", ignored, "--no-plots", expect=1)
    check("not its shard" in proc.stderr, f"an ignored shard block was not reported: {proc.stderr}")

    # Straight runs: no block is the whole batch; bad blocks stop with the reason.
    def vp(block):
        cmd = [os.path.join(env.bin, "aimc-vp"), "--platform", "tiny", "--firmware", os.path.join(env.sw, "infer.elf"),
               "--load", f"{model}@0x80400000", "--load", f"{batch}@0x80800000"]
        if block is not None:
            path = os.path.join(env.tmp, "block.bin")
            with open(path, "wb") as f:
                f.write(struct.pack("<4I", *block))
            cmd += ["--load", f"{path}@0x80F00000"]
        return subprocess.run(cmd, capture_output=True, text=True, timeout=300)
    proc = vp(None)
    check(proc.returncode == 0 and "over 6 images" in proc.stdout and "shard" not in proc.stdout,
          f"no shard block: expected the whole batch\n{proc.stdout}")
    for block, what in (((0x12345678, 1, 0, 3), "bad shard block"), ((0x44524853, 2, 0, 3), "version 2"),
                        ((0x44524853, 1, 5, 3), "outside the batch of 6 inputs"),
                        ((0x44524853, 1, 0, 0), "are empty or outside")):
        proc = vp(block)
        check(proc.returncode != 0 and what in proc.stdout, f"shard block {block}: exit {proc.returncode}, "
              f"expected '{what}'\n{proc.stdout}")


# --- slurm -------------------------------------------------------------------------------------------

def max_overlap(results):
    spans = []
    for e in json.load(open(os.path.join(results, "plan.json")))["points"]:
        start = json.load(open(os.path.join(e["dir"], "started")))["time"]
        end = json.load(open(os.path.join(e["dir"], "result.json")))["end"]
        spans += [(start, 1), (end, -1)]
    running = peak = 0
    for _, step in sorted(spans):
        running += step
        peak = max(peak, running)
    return peak


def test_slurm(env, cluster):
    senv = cluster.env()
    small = env.write("small.json", shard_sweep("small", [1, 2], 2, slurm={"concurrency": 1, "time": "00:05:00",
                                                                       "mem_per_task": "512M"}))
    local, slurm = os.path.join(env.tmp, "small-local"), os.path.join(env.tmp, "small-slurm")
    env.run("run", small, local, "--workers", "2", expect=0)
    proc = env.run("run", small, slurm, "--backend", "slurm", "--poll", "0.5", env=senv, expect=0)
    check("submitted Slurm job" in proc.stderr, f"slurm run: {proc.stderr}")
    hosts = {json.load(open(os.path.join(e["dir"], "result.json")))["host"]
             for e in json.load(open(os.path.join(slurm, "plan.json")))["points"]}
    check(len(os.listdir(os.path.join(slurm, "slurm"))) >= 3, "no Slurm task output files: did Slurm run the points?")
    for d in (local, slurm):
        env.run("collect", d, "--no-plots", expect=0)
    for name in ("points.csv", "merged.csv"):
        a, b = read_csv(os.path.join(local, name)), read_csv(os.path.join(slurm, name))
        check(a == b, f"{name}: the slurm backend's results differ from the local backend's")
    # The node has 2 CPUs or more: only the array's limit keeps these points one at a time.
    check(max_overlap(slurm) == 1, f"{max_overlap(slurm)} points ran at once under a concurrency limit of 1")
    print(f"slurm small sweep: 8 points on {sorted(hosts)}, one at a time, identical to local")

    limit = 3
    big = env.write("big.json", shard_sweep("big", list(range(1, 14)), 2, slurm={"concurrency": limit}))
    results = os.path.join(env.tmp, "big-slurm")
    env.run("run", big, results, "--backend", "slurm", "--poll", "0.5", env=senv, expect=0)
    script = open(os.path.join(results, "slurm", "sweep.sbatch")).read()
    check(f"--array=0-51%{limit}" in script, f"batch script without the concurrency limit:\n{script}")
    env.run("collect", results, "--no-plots", expect=0)
    rows = read_csv(os.path.join(results, "points.csv"))
    check(len(rows) == 52 and all(r["state"] == "done" and r["accuracy"] for r in rows),
          f"52-point slurm sweep lost points: {sum(r['state'] == 'done' for r in rows)} of {len(rows)} done")
    peak = max_overlap(results)
    check(peak <= limit, f"{peak} points ran at once, above the limit {limit}")
    print(f"slurm 52-point sweep: all done, at most {peak} at once (limit {limit})")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("suite", choices=["local", "slurm", "infer"])
    ap.add_argument("--bin", required=True)
    ap.add_argument("--sw", required=True)
    ap.add_argument("--models", help="infer: the directory of the test networks (tests/compiler/models)")
    args = ap.parse_args()
    tmp = tempfile.mkdtemp(prefix="aimc-sweep-test-")
    env = Env(os.path.abspath(args.bin), os.path.abspath(args.sw), tmp)
    try:
        if args.suite == "local":
            for test in (test_plan_ids, test_bad_input, test_failing_point_and_resume, test_shards_merge,
                         test_scale_local):
                test(env)
                print(f"ok {test.__name__}")
        elif args.suite == "infer":
            test_infer_shards(env, os.path.abspath(args.models))
            print("ok test_infer_shards")
        else:
            import loopback_slurm
            try:
                cluster = loopback_slurm.LoopbackSlurm().__enter__()
            except loopback_slurm.Unavailable as e:
                print(f"SKIPPED: a loopback Slurm cluster cannot start here: {e}")
                return SKIP
            try:
                test_slurm(env, cluster)
            finally:
                cluster.stop()
            print("ok test_slurm")
    except Failure as e:
        print(f"FAILED: {e}\n(files kept in {tmp})")
        return 1
    shutil.rmtree(tmp, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
