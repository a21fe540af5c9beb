#!/usr/bin/python3
"""The default job's speed (figures printed, not a timed test): images per wall-second of the
inference app on the platform, its wall time against the reference evaluator on the same network,
images and noise (the platform's devices, same seed), simulator start-up, weight programming, peak RSS.

    bench_runtime.py <bin dir> <firmware dir> <onnx> [images] [platform]

Start-up is the process's wall time minus the simulation's (the report's wall time); weight programming
is the wall time of region 1, which the inference app marks around aimc_rt_program(). The CPU time
(user + sys) of both processes is printed too: on a shared machine it is the steadier comparison.
"""
import json
import os
import re
import resource
import subprocess
import sys
import tempfile
import time


def cpu_children():
    r = resource.getrusage(resource.RUSAGE_CHILDREN)
    return r.ru_utime + r.ru_stime


def run(argv):
    """The finished process, its wall time and its CPU time (user + sys)."""
    t0, c0 = time.monotonic(), cpu_children()
    p = subprocess.run(argv, capture_output=True, text=True)
    wall, cpu = time.monotonic() - t0, cpu_children() - c0
    if p.returncode != 0:
        sys.exit(f"bench-runtime: {' '.join(argv)} exited {p.returncode}:\n{p.stdout[-2000:]}{p.stderr[-2000:]}")
    return p, wall, cpu


def main():
    if len(sys.argv) < 4:
        sys.exit(__doc__)
    bin_dir, sw_dir, onnx = sys.argv[1:4]
    images = int(sys.argv[4]) if len(sys.argv) > 4 else 1000
    platform = sys.argv[5] if len(sys.argv) > 5 else "hermes64"
    seed = "3"
    with tempfile.TemporaryDirectory() as d:
        model, batch, ref = (os.path.join(d, n) for n in ("model.aimg", "batch.bin", "ref.bin"))
        run([f"{bin_dir}/aimc-compile", onnx, "--platform", platform, "-o", model, "--quiet"])
        p, ev_wall, ev_cpu = run([f"{bin_dir}/aimc-dataset", model, "-n", str(images), "-o", batch, "--reference", ref,
                          "--devices", "platform", "--platform", platform, "--seed", seed])
        ev_acc = re.search(r"accuracy ([0-9.]+)", p.stdout).group(1)
        ev_run = float(re.search(r"wall ([0-9.]+) s", p.stdout).group(1))
        stats = os.path.join(d, "stats.json")
        p, vp_wall, vp_cpu = run([f"{bin_dir}/aimc-vp", "--platform", platform, "--firmware", f"{sw_dir}/infer.elf", "--seed",
                          seed, "--load", f"{model}@0x80400000", "--load", f"{batch}@0x80800000", "--stats", stats,
                          "--quiet"])
        rss_mib = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
        s = json.load(open(stats))
        program = next((r for r in s["regions"] if r["id"] == 1), {"wall_time_s": 0.0})
        startup = vp_wall - s["wall_time_s"]
        print(f"bench-runtime: {os.path.basename(onnx)} on {platform}, {images} images, seed {seed}")
        print(f"  platform run          {vp_wall:8.2f} s wall, {images / vp_wall:8.1f} images per wall-second")
        print(f"  reference evaluator   {ev_run:8.2f} s wall (same images and noise; accuracy {ev_acc})")
        print(f"  ratio platform / evaluator  {vp_wall / ev_run:6.2f} x (target <= 3)")
        print(f"  simulator start-up    {startup:8.3f} s wall")
        print(f"  weight programming    {program['wall_time_s']:8.3f} s wall (region 1)")
        print(f"  peak RSS (largest child) {rss_mib:8.1f} MiB")
        print(f"  evaluator process     {ev_wall:8.2f} s wall including start-up and conversion")
        print(f"  CPU time (user + sys) platform {vp_cpu:.2f} s, evaluator process {ev_cpu:.2f} s: "
              f"ratio {vp_cpu / ev_cpu:.2f} x")


if __name__ == "__main__":
    main()
