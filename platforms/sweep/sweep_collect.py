"""Collecting a sweep: every point's --stats and accuracy line into CSV rows, shards merged, plots.

Figures of a point: the standard ones (sim_time_s, wall_time_s, energy_j, ops, tops, tops_per_w),
`accuracy`/`images`/`correct` from the firmware's line `accuracy <fraction> over <n> images`, the
inputs' own work from `inputs <n> from <first>: energy <pJ> pJ, time <ns> ns` (the inference app's:
each input measured alone, so that shards sum to an unsharded run exactly), the sweep's once_regions
(work every shard repeats: weight programming), per-region figures
(region.<name or id>.<time_s|energy_j|mvms|ops|tops_per_w>, and its energy by part as
region.<name or id>.energy_<dac|array|adc|ldpu|noc|host|static|other>_j) and any numeric stats key named by a dotted
path in the sweep file's "figures" or with --figure (a list element is picked by its "id" or "name",
e.g. regions.1.energy_j).
"""
import csv
import json
import os
import re

from sweep_plan import SweepError

ACCURACY_LINE = re.compile(r"^accuracy\s+([0-9.eE+-]+)\s+over\s+([0-9]+)\s+images\s*$", re.M)
INPUTS_LINE = re.compile(r"^inputs\s+([0-9]+)\s+from\s+([0-9]+):\s+energy\s+([0-9]+)\s+pJ,\s+time\s+([0-9]+)\s+ns\s*$",
                         re.M)
STANDARD = [("sim_time_s", "sim_time_s"), ("wall_time_s", "wall_time_s"), ("energy_j", "energy_j.total"),
            ("ops", "ops"), ("tops", "tops"), ("tops_per_w", "tops_per_w")]
REGION_KEYS = ("time_s", "energy_j", "mvms", "ops", "tops_per_w")
# Per-region figures that add up over the shards of one batch.
REGION_ADDITIVE = ("time_s", "energy_j", "mvms", "ops")
# Figures that add up over the shards of one batch (the rest are recomputed from sums).
ADDITIVE = {"sim_time_s", "wall_time_s", "energy_j", "ops", "images", "correct", "inputs", "input_energy_pj",
            "input_time_ns"}
# Figures of the work every shard repeats (once_regions): a merge takes them once.
ONCE = ("once_energy_j", "once_time_s")


def lookup(stats, path):
    """The value at a dotted path, or None; list elements are matched by their id or name."""
    node, parts = stats, path.split(".")
    while parts:
        if isinstance(node, dict):
            # Keys may hold dots themselves ("mvm.adc"): the longest key that the path starts with.
            n = next((n for n in range(len(parts), 0, -1) if ".".join(parts[:n]) in node), 0)
            node = node[".".join(parts[:n])] if n else None
            parts = parts[max(n, 1):]
        elif isinstance(node, list):
            part, parts = parts[0], parts[1:]
            node = next((x for x in node if isinstance(x, dict) and part in (str(x.get("id")), x.get("name"))), None)
        else:
            return None
        if node is None:
            return None
    return node if isinstance(node, (int, float)) and not isinstance(node, bool) else None


def parse_accuracy(log_text):
    """(accuracy, images, correct) from the last accuracy line of a run's output, or None."""
    found = ACCURACY_LINE.findall(log_text)
    if not found:
        return None
    text, images = found[-1][0], int(found[-1][1])
    fraction = float(text)
    correct = fraction * images
    # With d decimals and 10^d > n the count is round(fraction x n) exactly (the inference app prints
    # that many; shard-demo 9): merge on the count.
    decimals = len(text.split(".")[1]) if "." in text and "e" not in text.lower() else 0
    if 10 ** decimals > images or abs(correct - round(correct)) < 1e-9:
        correct = int(round(correct))
    return fraction, images, correct


def parse_inputs(log_text):
    """(inputs, first, energy_pj, time_ns) from the last `inputs ...` line, or None."""
    found = INPUTS_LINE.findall(log_text)
    return tuple(int(x) for x in found[-1]) if found else None


def derived(figures):
    """Per-image figures, and the batch's (inputs + once regions), from a point's or a merged row's sums."""
    if figures.get("input_energy_pj") is not None and figures.get("inputs"):
        n = figures["inputs"]
        figures["energy_per_image_j"] = figures["input_energy_pj"] * 1e-12 / n
        figures["time_per_image_s"] = figures["input_time_ns"] * 1e-9 / n
        figures["batch_energy_j"] = figures["input_energy_pj"] * 1e-12 + (figures.get("once_energy_j") or 0.0)
        figures["batch_time_s"] = figures["input_time_ns"] * 1e-9 + (figures.get("once_time_s") or 0.0)
    elif figures.get("energy_j") is not None and figures.get("images"):
        figures["energy_per_image_j"] = figures["energy_j"] / figures["images"]


def point_figures(entry, extra, once=()):
    d = entry["dir"]
    figures = {}
    try:
        with open(os.path.join(d, "stats.json")) as f:
            stats = json.load(f)
    except (FileNotFoundError, json.JSONDecodeError):
        stats = None
    if stats is not None:
        for name, path in STANDARD:
            figures[name] = lookup(stats, path)
        for region in stats.get("regions", []):
            label = region.get("name") or str(region.get("id"))
            for key in REGION_KEYS:
                value = region.get(key)
                if isinstance(value, (int, float)):
                    figures[f"region.{label}.{key}"] = value
            for part, value in region.get("energy_by_part_j", {}).items():
                if isinstance(value, (int, float)):
                    figures[f"region.{label}.energy_{part}_j"] = value
        for path in extra:
            figures[path] = lookup(stats, path)
        if once:
            wanted = {str(x) for x in once}
            hit = [r for r in stats.get("regions", []) if str(r.get("id")) in wanted or r.get("name") in wanted]
            figures["once_energy_j"] = sum(r.get("energy_j", 0.0) for r in hit)
            figures["once_time_s"] = sum(r.get("time_s", 0.0) for r in hit)
    try:
        with open(os.path.join(d, "log.txt"), errors="replace") as f:
            log = f.read()
    except FileNotFoundError:
        log = ""
    acc = parse_accuracy(log)
    if acc is not None:
        figures["accuracy"], figures["images"], figures["correct"] = acc
    inputs = parse_inputs(log)
    if inputs is not None:
        figures["inputs"], figures["inputs_first"], figures["input_energy_pj"], figures["input_time_ns"] = inputs
    derived(figures)
    return figures


def _axis_columns(axes):
    cols = []
    for name in axes:
        cols += ["shard", "shard_first", "shard_count"] if name == "shard" else [name]
    return cols


def point_rows(entries, axes, extra, state_of, once=()):
    rows = []
    for e in entries:
        row = {"point": e["id"], "state": state_of(e)}
        for name in axes:
            if name == "shard":
                row.update(shard=e["shard"]["index"], shard_first=e["shard"]["first"], shard_count=e["shard"]["count"])
            else:
                row[name] = e["params"][name]
        row.update(point_figures(e, extra, once))
        # A firmware that ignored its shard block ran another range: its figures would merge wrongly.
        shard = e.get("shard")
        if shard and row.get("inputs") is not None and (row["inputs_first"], row["inputs"]) != (shard["first"], shard["count"]):
            row["state"] = "wrong-range"
        rows.append(row)
    return rows


def merge_shards(rows, axes, extra=()):
    """One row per shard group: additive figures summed (the sweep's figures too: they are run totals),
    the rest recomputed from the sums."""
    keys = [a for a in axes if a != "shard"]
    groups = {}
    for row in rows:
        groups.setdefault(tuple(row[k] for k in keys), []).append(row)
    merged, warnings = [], []
    for key, members in groups.items():
        row = dict(zip(keys, key))
        row["shards"] = len(members)
        row["state"] = "done" if all(m["state"] == "done" for m in members) else "incomplete"
        names = {n for m in members for n in m if n.startswith("region.") or n in ADDITIVE or n in extra}
        for n in sorted(names):
            last = n.split(".")[-1]
            additive = (n in ADDITIVE or n in extra or last in REGION_ADDITIVE
                        or (n.startswith("region.") and last.startswith("energy_") and last.endswith("_j")))
            values = [m.get(n) for m in members]
            if additive and row["state"] == "done" and all(v is not None for v in values):
                row[n] = sum(values)
        for n in ONCE:
            values = [m.get(n) for m in members]
            if row["state"] == "done" and all(v is not None for v in values):
                row[n] = values[0]
                if max(values) - min(values) > 1e-9 * abs(values[0]):
                    warnings.append(f"{', '.join(f'{k}={v}' for k, v in zip(keys, key))}: {n} differs between "
                                    f"shards ({min(values)!r} .. {max(values)!r}); the first shard's is used")
        if row.get("images") and row.get("correct") is not None:
            row["accuracy"] = row["correct"] / row["images"]
        derived(row)
        if row.get("ops") is not None and row.get("energy_j"):
            row["tops_per_w"] = row["ops"] / row["energy_j"] / 1e12
        if row.get("ops") is not None and row.get("sim_time_s"):
            row["tops"] = row["ops"] / row["sim_time_s"] / 1e12
        for n in [n for n in row if n.startswith("region.") and n.endswith(".energy_j")]:
            base = n[: -len("energy_j")]
            if row.get(base + "ops") is not None and row[n]:
                row[base + "tops_per_w"] = row[base + "ops"] / row[n] / 1e12
        merged.append(row)
    return merged, warnings


def write_csv(path, rows, first):
    columns = list(first)
    for row in rows:
        columns += [c for c in row if c not in columns]
    try:
        with open(path, "w", newline="") as f:
            w = csv.DictWriter(f, fieldnames=columns)
            w.writeheader()
            for row in rows:
                w.writerow({c: ("" if row.get(c) is None else (repr(row[c]) if isinstance(row[c], float) else row[c]))
                            for c in columns})
    except OSError as e:
        raise SweepError(f"cannot write {path}: {e.strerror or e}")


PLOTTED = ["accuracy", "energy_per_image_j", "time_per_image_s", "energy_j", "sim_time_s", "tops_per_w", "tops"]
UNITS = {"accuracy": "", "energy_per_image_j": "J", "time_per_image_s": "s", "energy_j": "J", "sim_time_s": "s",
         "tops_per_w": "TOPS/W", "tops": "TOPS", "wall_time_s": "s"}


def plot(rows, axes, extra, out_dir, fmt):
    """One figure per (figure, axis): the figure against the axis, one line per value of the others."""
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    os.makedirs(out_dir, exist_ok=True)
    axis_names = [a for a in axes if a != "shard"]
    written = []
    for fig_name in PLOTTED + list(extra):
        if not any(isinstance(r.get(fig_name), (int, float)) for r in rows):
            continue
        for axis in axis_names:
            others = [a for a in axis_names if a != axis]
            xs, unit_x = _numeric_axis(axes[axis])
            numeric = unit_x is not None
            fig, ax = plt.subplots(figsize=(6.4, 4.2))
            series = {}
            for r in rows:
                series.setdefault(tuple(r[o] for o in others), []).append(r)
            for key, members in series.items():
                by_x = {str(m[axis]): m.get(fig_name) for m in members}
                pts = [(x if numeric else i, by_x.get(str(v))) for i, (x, v) in enumerate(zip(xs, axes[axis]))]
                pts = [(x, y) for x, y in pts if isinstance(y, (int, float))]
                if pts:
                    label = ", ".join(f"{o}={v}" for o, v in zip(others, key)) or None
                    ax.plot([p[0] for p in pts], [p[1] for p in pts], marker="o", label=label)
            if not numeric:
                ax.set_xticks(range(len(xs)))
                ax.set_xticklabels([str(x) for x in xs], rotation=20)
            elif min(xs) > 0 and max(xs) / min(xs) >= 100:
                ax.set_xscale("log")
            unit = UNITS.get(fig_name, "")
            ax.set_xlabel(f"{axis} ({unit_x})" if unit_x else axis)
            ax.set_ylabel(f"{fig_name} ({unit})" if unit else fig_name)
            ax.grid(True, alpha=0.3)
            if len(series) > 1:
                ax.legend(fontsize=7)
            fig.tight_layout()
            path = os.path.join(out_dir, f"{fig_name.replace('/', '_')}-vs-{axis}.{fmt}")
            fig.savefig(path)
            plt.close(fig)
            written.append(path)
    return written


def _numeric_axis(values):
    """Axis values as numbers and their common unit ("" for plain numbers; None: not numeric), so
    that "60 s", "3600 s", ... plot on a numeric (log where they span decades) axis."""
    numbers, units = [], set()
    for v in values:
        if isinstance(v, (int, float)):
            numbers.append(v)
            units.add("")
            continue
        m = re.fullmatch(r"\s*([-+]?[0-9]*\.?[0-9]+(?:[eE][-+]?[0-9]+)?)\s*([A-Za-z]*)\s*", str(v))
        if not m:
            return values, None
        numbers.append(float(m.group(1)))
        units.add(m.group(2))
    return (numbers, units.pop()) if len(units) == 1 else (values, None)
