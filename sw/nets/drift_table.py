#!/usr/bin/python3
"""Accuracy over time: a network's accuracy after 1 minute .. 1 year of drift, with and without drift
compensation at inference time, for each crossbar preset, by the reference evaluator (aimc-compile --run).

For each preset a platform file (hermes64 with tile.crossbar = the preset) is written to a scratch
directory and the network compiled for it once; then every (age, compensation) point is one evaluator
run over the first N Fashion-MNIST test images: `--drift-age` is the platform's tile.drift_age and
`--calibrate` the image flag under which the runtime (and the evaluator) CALIBRATE every tile after
programming. Fixed seed: the same command reproduces every number.

Writes a markdown table (between the page's markers `<!-- drift_table NET begin/end -->`, or to
stdout with --table -), a CSV of the raw counts and a plot (matplotlib: PNG or SVG by the suffix).

  /usr/bin/python3 sw/nets/drift_table.py --net fmnist-mlp --images 10000 \
      --page docs/accuracy-over-time.md --csv docs/images/accuracy-over-time-fmnist-mlp.csv \
      --plot docs/images/accuracy-over-time-fmnist-mlp.svg
"""
import argparse
import csv
import json
import math
import os
import re
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

# Drift ages (label, seconds); 1 month = 30 days, 1 year = 365 days.
AGES = [("1 min", 60), ("1 hour", 3600), ("1 day", 86400), ("1 month", 2592000), ("1 year", 31536000)]

# Crossbar presets the networks run on (256x256, 8-bit weights, models/analog/core_presets.cpp), with what
# makes them change over time. A preset is given as its name, or as (label, tile.crossbar JSON).
PRESETS = {
    "hermes-core": "PCM, HERMES fits (pcm-hermes-tdp, 2 devices per polarity): drift + growing 1/f read noise",
    "hermes-core/global": "hermes-core calibrated with mode global (slope on the reference read after programming)",
    "hermes-core/per_column": "hermes-core calibrated with mode per_column",
    "pcm-hermes-odp": "PCM, HERMES fits, 1 device per polarity: drift + 1/f",
    "pcm-nandakumar": "PCM, Nandakumar 2019: drift + 1/f",
    "pcm-joshi": "PCM, Joshi 2020 programming noise, Nandakumar drift + 1/f",
    "sonos": "SONOS charge trap: no power-law drift, retention spread growing with time",
    "generic": "generic technology: drift exponent 0.05 +- 0.01",
    "reram-wan": "ReRAM (Wan): drift-free",
    "reram-milo": "ReRAM (Milo): drift-free",
    "ecram": "ECRAM: drift-free",
    "sram-analog": "charge-domain SRAM, bit-sliced: drift-free",
}
DRIFT_FREE = {"reram-wan", "reram-milo", "ecram", "sram-analog"}
# Fewer images where the evaluator is slow: sram-analog reads 7 bit slices x 8 input bits per MVM (~50x
# the time of a HERMES-like core).
MAX_IMAGES = {"sram-analog": 500}


def crossbar_json(preset):
    if "/" in preset:
        base, mode = preset.split("/")
        return {"preset": base, "drift_compensation": {"mode": mode}}
    return preset


def platform_file(scratch, preset):
    with open(os.path.join(ROOT, "platforms/presets/hermes64.json")) as f:
        p = json.load(f)
    p["name"] = "hermes64-" + preset.replace("/", "-")
    p["tile"]["crossbar"] = crossbar_json(preset)
    path = os.path.join(scratch, p["name"] + ".json")
    with open(path, "w") as f:
        json.dump(p, f, indent=1)
    return path


def run(cmd):
    r = subprocess.run(cmd, capture_output=True, text=True)
    if r.returncode != 0:
        sys.exit("drift_table: %s failed (%d):\n%s%s" % (" ".join(cmd), r.returncode, r.stdout, r.stderr))
    return r.stdout


def evaluate(compiler, image, platform, n, seed, age, calibrate):
    cmd = [compiler, "--run", image, "--platform", platform, "--evaluate", str(n), "--devices", "platform",
           "--seed", str(seed), "--drift-age", str(age)]
    if calibrate:
        cmd.append("--calibrate")
    t0 = time.monotonic()
    out = run(cmd)
    m = re.search(r"accuracy platform\s+([0-9.]+) over ([0-9]+) images", out)
    if not m:
        sys.exit("drift_table: no accuracy line in the output of %s:\n%s" % (" ".join(cmd), out))
    return round(float(m.group(1)) * int(m.group(2))), int(m.group(2)), time.monotonic() - t0


def pct(correct, n):
    return 100.0 * correct / n


def table(rows, n, net, seed, wall):
    se = 100.0 * math.sqrt(0.9 * 0.1 / n)
    head = "| preset | compensation | t = 0 | " + " | ".join(a for a, _ in AGES) + " |"
    lines = [head, "|" + "---|" * (3 + len(AGES))]
    for preset in [p for p in PRESETS if any(r["preset"] == p for r in rows)]:
        for comp in (False, True):
            cells = {r["age_s"]: r for r in rows if r["preset"] == preset and r["calibrate"] == comp}
            if not cells:
                continue
            t0 = next((r for r in rows if r["preset"] == preset and r["age_s"] == 0), None)
            vals = ["%.2f" % pct(t0["correct"], t0["n"]) if t0 else "-"]
            for _, s in AGES:
                vals.append("%.2f" % pct(cells[s]["correct"], cells[s]["n"]) if s in cells else "-")
            ns = {r["n"] for r in rows if r["preset"] == preset}
            label = preset if ns == {n} else "%s (%s images)" % (preset, "/".join(str(k) for k in sorted(ns)))
            lines.append("| %s | %s | %s |" % (label, "CALIBRATE" if comp else "none", " | ".join(vals)))
    lines.append("")
    lines.append("Accuracy in %% of the first %d Fashion-MNIST test images, %s, seed %d, reference evaluator "
                 "(`--devices platform`); binomial standard error about %.2f points at 90 %%. "
                 "Evaluator wall time summed over the points: %.0f s on this shared 2-core machine. Generated by `sw/nets/drift_table.py`."
                 % (n, net, seed, se, wall))
    return "\n".join(lines) + "\n"


def plot(rows, path, net, n):
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    fig, ax = plt.subplots(figsize=(10, 5.5))
    xs = [s for _, s in AGES]
    # A preset far below the others (its t = 0 more than 5 points under the best) would squash the axis:
    # it is named in the title instead.
    t0s = {r["preset"]: pct(r["correct"], r["n"]) for r in rows if r["age_s"] == 0}
    best = max(t0s.values())
    low = sorted(p for p in t0s if p not in DRIFT_FREE and t0s[p] < best - 5)
    for i, preset in enumerate(p for p in PRESETS if any(r["preset"] == p for r in rows)):
        if preset in DRIFT_FREE or preset in low:
            continue
        color = "C%d" % (i % 10)
        t0 = next((r for r in rows if r["preset"] == preset and r["age_s"] == 0), None)
        for comp, style in ((False, "--"), (True, "-")):
            pts = {r["age_s"]: r for r in rows if r["preset"] == preset and r["calibrate"] == comp}
            ys = [pct(pts[s]["correct"], pts[s]["n"]) if s in pts else float("nan") for s in xs]
            if all(math.isnan(y) for y in ys):
                continue
            ax.plot(xs, ys, style, marker="o", ms=3, color=color,
                    label="%s, %s" % (preset, "CALIBRATE" if comp else "no recalibration"))
        if t0:
            ax.plot([20], [pct(t0["correct"], t0["n"])], marker="s", color=color, ls="none")
    ax.set_xscale("log")
    ax.set_xticks([20] + xs)
    ax.set_xticklabels(["t = 0"] + [a for a, _ in AGES])
    ax.set_xlabel("time since programming (tile.drift_age)")
    ax.set_ylabel("accuracy (%)")
    title = "%s on hermes64 crossbars: accuracy over time (%d test images per point)" % (net, n)
    if low:
        title += "\nnot shown: %s (see the table)" % ", ".join("%s, %.1f %% at t = 0" % (p, t0s[p]) for p in low)
    ax.set_title(title, fontsize=10)
    ax.grid(True, which="major", alpha=0.3)
    ax.legend(fontsize=7, loc="center left", bbox_to_anchor=(1.01, 0.5))
    fig.tight_layout()
    fig.savefig(path, metadata={"Date": None} if path.endswith(".svg") else None)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--net", default="fmnist-mlp", help="sw/nets/<net>.onnx or a path to an ONNX file")
    ap.add_argument("--images", type=int, default=10000, help="test images per point (the first N)")
    ap.add_argument("--seed", type=int, default=1, help="seed of the analog cores (tile i: seed + i)")
    ap.add_argument("--presets", default=",".join(PRESETS), help="comma list of presets (default: all)")
    ap.add_argument("--build", default=os.path.join(ROOT, "build"), help="build directory with bin/aimc-compile")
    ap.add_argument("--page", help="markdown page whose drift_table markers receive the table")
    ap.add_argument("--table", help="file for the markdown table ('-': stdout)")
    ap.add_argument("--csv", help="CSV of the raw counts")
    ap.add_argument("--plot", help="plot file (.png or .svg)")
    ap.add_argument("--ages", help="comma list of age labels to run (default: all: %s)" % ", ".join(a for a, _ in AGES))
    ap.add_argument("--from-csv", help="no evaluation: table and plot from a CSV this script wrote")
    a = ap.parse_args()
    onnx = a.net if a.net.endswith(".onnx") else os.path.join(ROOT, "sw/nets", a.net + ".onnx")
    net = os.path.basename(onnx)[:-5]
    compiler = os.path.join(a.build, "bin/aimc-compile")
    presets = [p for p in a.presets.split(",") if p]
    for p in presets:
        if p not in PRESETS:
            sys.exit("drift_table: unknown preset '%s' (known: %s)" % (p, ", ".join(PRESETS)))
    if a.ages:
        known = dict(AGES)
        for label in a.ages.split(","):
            if label not in known:
                sys.exit("drift_table: unknown age '%s' (known: %s)" % (label, ", ".join(known)))
        AGES[:] = [(l, s) for l, s in AGES if l in a.ages.split(",")]
    rows = []
    t_start = time.monotonic()
    if a.from_csv:
        with open(a.from_csv) as f:
            for r in csv.DictReader(f):
                rows.append({"preset": r["preset"], "age_s": int(r["age_s"]), "calibrate": r["calibrate"] == "True",
                             "correct": int(r["correct"]), "n": int(r["n"]), "wall_s": float(r["wall_s"])})
        presets = []
    with tempfile.TemporaryDirectory(prefix="drift_table-") as scratch:
        for preset in presets:
            platform = platform_file(scratch, preset)
            image = os.path.join(scratch, preset.replace("/", "-") + ".aimg")
            run([compiler, onnx, "--platform", platform, "-o", image, "--quiet"])
            points = [(0, False)]
            if preset in DRIFT_FREE:  # time-independent: one aged point shows it
                points.append((AGES[-1][1], False))
            else:
                points += [(s, c) for _, s in AGES for c in (False, True)]
            for age, comp in points:
                n_images = min(a.images, MAX_IMAGES.get(preset, a.images))
                correct, n, wall = evaluate(compiler, image, platform, n_images, a.seed, age, comp)
                rows.append({"preset": preset, "age_s": age, "calibrate": comp, "correct": correct, "n": n,
                             "wall_s": round(wall, 1)})
                print("%-24s age %9d s  %-9s  %.2f %%  (%.1f s)" % (preset, age, "CALIBRATE" if comp else "none",
                                                                  pct(correct, n), wall), flush=True)
    wall = sum(r["wall_s"] for r in rows) if a.from_csv else time.monotonic() - t_start
    text = table(rows, a.images, net, a.seed, wall)
    if a.table == "-":
        print(text)
    elif a.table:
        with open(a.table, "w") as f:
            f.write(text)
    if a.page:
        with open(a.page) as f:
            page = f.read()
        begin, end = "<!-- drift_table %s begin -->\n" % net, "<!-- drift_table %s end -->" % net
        i, j = page.find(begin), page.find(end)
        if i < 0 or j < i:
            sys.exit("drift_table: %s has no '%s' ... '%s' markers" % (a.page, begin.strip(), end))
        with open(a.page, "w") as f:
            f.write(page[:i + len(begin)] + text + page[j:])
    if a.csv:
        with open(a.csv, "w", newline="") as f:
            w = csv.DictWriter(f, fieldnames=["preset", "age_s", "calibrate", "correct", "n", "wall_s"])
            w.writeheader()
            w.writerows(rows)
    if a.plot:
        plot(rows, a.plot, net, a.images)


if __name__ == "__main__":
    main()
