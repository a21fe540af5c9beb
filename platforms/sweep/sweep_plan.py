"""The sweep file: base run, axes, resources; the points it expands to and their stable ids.

A point is one simulator run. Its id is a hash of its parameters (the axis values), so a rerun or a
resume finds the results of the same point whatever order the axes or values are listed in.
"""
import hashlib
import itertools
import json
import os
import re
import struct
import subprocess


class SweepError(Exception):
    """A bad sweep file, command line or environment: the message names what and where."""


SHARD_MAGIC = 0x44524853  # "SHRD" little-endian: the shard block the firmware reads
SHARD_VERSION = 1
SPECIAL_AXES = ("seed", "shard")
TOP_KEYS = {"name", "platform", "firmware", "load", "set", "args", "axes", "figures", "once_regions", "slurm", "local"}
SLURM_KEYS = {"partition", "time", "mem_per_task", "cpus_per_task", "concurrency", "account", "extra"}
LOCAL_KEYS = {"workers"}


def _require(cond, where, what):
    if not cond:
        raise SweepError(f"{where}: {what}")


class Sweep:
    """A parsed, checked sweep file."""

    def __init__(self, path, doc):
        self.path = os.path.abspath(path)
        self.doc = doc
        self.dir = os.path.dirname(self.path)
        where = path
        _require(isinstance(doc, dict), where, "the sweep file must be a JSON object")
        unknown = sorted(set(doc) - TOP_KEYS)
        _require(not unknown, where, f"unknown key(s) {', '.join(map(repr, unknown))} "
                 f"(known: {', '.join(sorted(TOP_KEYS))})")
        self.name = str(doc.get("name", os.path.splitext(os.path.basename(path))[0]))
        _require("firmware" in doc, where, "'firmware' (the ELF each point runs) is missing")
        self.platform = str(doc.get("platform", "tiny"))
        self.firmware = str(doc["firmware"])
        self.loads = doc.get("load", [])
        _require(isinstance(self.loads, list) and all(isinstance(x, str) for x in self.loads), where,
                 "'load' must be a list of \"file@address\" strings")
        self.sets = doc.get("set", {})
        _require(isinstance(self.sets, dict), where, "'set' must be an object of parameter: value")
        self.args = doc.get("args", [])
        _require(isinstance(self.args, list) and all(isinstance(x, str) for x in self.args), where,
                 "'args' must be a list of strings")
        self.figures = doc.get("figures", [])
        _require(isinstance(self.figures, list) and all(isinstance(x, str) for x in self.figures), where,
                 "'figures' must be a list of dotted stats keys, e.g. \"energy_j.by_component.adc\"")
        # Regions every shard repeats identically (weight programming): a merge counts them once.
        self.once_regions = doc.get("once_regions", [])
        _require(isinstance(self.once_regions, list) and all(
            isinstance(x, str) or (isinstance(x, int) and not isinstance(x, bool) and x >= 0) for x in self.once_regions),
            where, "'once_regions' must be a list of region ids or names, e.g. [1] or [\"program weights\"]")
        self.slurm = doc.get("slurm", {})
        _require(isinstance(self.slurm, dict), where, "'slurm' must be an object")
        bad = sorted(set(self.slurm) - SLURM_KEYS)
        _require(not bad, f"{where}: slurm", f"unknown key(s) {', '.join(map(repr, bad))} "
                 f"(known: {', '.join(sorted(SLURM_KEYS))})")
        self.local = doc.get("local", {})
        _require(isinstance(self.local, dict) and not set(self.local) - LOCAL_KEYS, f"{where}: local",
                 "expected an object with 'workers'")
        self.axes = self._parse_axes(where, doc.get("axes"))

    @staticmethod
    def _parse_axes(where, axes):
        _require(isinstance(axes, dict) and axes, where,
                 "'axes' must be a non-empty object, e.g. {\"tile.crossbar\": [\"hermes-core\", \"sandia-reram\"]}")
        out = []
        for name, values in axes.items():
            at = f"{where}: axis '{name}'"
            if name == "shard":
                _require(isinstance(values, dict) and set(values) == {"batch", "count"}, at,
                         "expected {\"batch\": <images in the batch>, \"count\": <number of shards>}")
                batch, count = values["batch"], values["count"]
                _require(isinstance(batch, int) and batch > 0, at, f"'batch' must be a positive integer, not {batch!r}")
                _require(isinstance(count, int) and 0 < count <= batch, at,
                         f"'count' must be an integer in 1..{batch} (the batch size), not {count!r}")
                # Shard i covers [first, first + n): the batch split as evenly as it goes.
                ranges = [(batch * i // count, batch * (i + 1) // count - batch * i // count) for i in range(count)]
                out.append((name, [{"index": i, "first": f, "count": n} for i, (f, n) in enumerate(ranges)]))
                continue
            _require(isinstance(values, list), at, "expected a list of values")
            _require(values, at, "the axis is empty: give it at least one value")
            for v in values:
                _require(isinstance(v, (str, int, float)) and not isinstance(v, bool), at,
                         f"value {v!r} is not a string or a number")
            _require(len(set(map(str, values))) == len(values), at, "a value is listed twice")
            if name == "seed":
                for v in values:
                    _require(isinstance(v, int) and v >= 0, at, f"seed {v!r} is not a non-negative integer")
            out.append((name, list(values)))
        return out

    def param_axes(self):
        """Axes that are platform parameters (set with --set)."""
        return [name for name, _ in self.axes if name not in SPECIAL_AXES]

    def points(self):
        """Every point, in plan order: a dict with id, index, params (axis -> value) and shard."""
        names = [n for n, _ in self.axes]
        result = []
        for index, combo in enumerate(itertools.product(*[v for _, v in self.axes])):
            params, shard = {}, None
            for name, value in zip(names, combo):
                if name == "shard":
                    shard = value
                    params["shard"] = value["index"]
                else:
                    params[name] = value
            # The id names the shard by its range, so a resume after a change of the split runs anew.
            key = dict(params, shard=f"{shard['first']}+{shard['count']}") if shard else params
            result.append({"index": index, "id": point_id(key), "params": params, "shard": shard})
        return result


def point_id(params):
    canonical = json.dumps({k: params[k] for k in sorted(params)}, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(canonical.encode()).hexdigest()[:12]


def load_sweep(path):
    try:
        with open(path) as f:
            doc = json.load(f)
    except FileNotFoundError:
        raise SweepError(f"{path}: no such sweep file")
    except json.JSONDecodeError as e:
        raise SweepError(f"{path}:{e.lineno}:{e.colno}: not valid JSON: {e.msg}")
    return Sweep(path, doc)


def substitutions(sweep, tools, point=None, point_dir=None):
    subs = {"{sw}": tools.sw_dir, "{bin}": tools.bin_dir, "{sweep_dir}": sweep.dir}
    if point is not None:
        subs["{point_dir}"] = point_dir
        subs["{point_id}"] = point["id"]
        shard = point["shard"]
        if shard is not None:
            subs["{shard_first}"] = str(shard["first"])
            subs["{shard_count}"] = str(shard["count"])
            subs["{shard_file}"] = os.path.join(point_dir, "shard.bin")
    return subs


def substitute(text, subs):
    for key, value in subs.items():
        text = text.replace(key, value)
    left = re.findall(r"\{(?:shard_first|shard_count|shard_file)\}", text)
    if left:
        raise SweepError(f"'{text}': {left[0]} is used but the sweep has no 'shard' axis")
    return text


def _resolve(path, base):
    return path if os.path.isabs(path) else os.path.normpath(os.path.join(base, path))


def base_command(sweep, tools, subs):
    """aimc-vp's command line for the base run (no axis values): platform, firmware, loads, sets, args."""
    platform = substitute(sweep.platform, subs)
    if platform.endswith(".json"):
        platform = _resolve(platform, sweep.dir)
    cmd = [tools.vp, "--platform", platform, "--firmware", _resolve(substitute(sweep.firmware, subs), sweep.dir)]
    for load in sweep.loads:
        text = substitute(load, subs)
        file, sep, addr = text.rpartition("@")
        if not sep or not file:
            raise SweepError(f"{sweep.path}: load '{load}': expected \"file@address\"")
        cmd += ["--load", f"{_resolve(file, sweep.dir)}@{addr}"]
    for key, value in sweep.sets.items():
        cmd += ["--set", f"{key}={substitute(str(value), subs)}"]
    cmd += [substitute(a, subs) for a in sweep.args]
    return cmd


def point_command(sweep, tools, point, point_dir):
    subs = substitutions(sweep, tools, point, point_dir)
    cmd = base_command(sweep, tools, subs)
    for name, value in point["params"].items():
        if name == "seed":
            cmd += ["--seed", str(value)]
        elif name != "shard":
            cmd += ["--set", f"{name}={value}"]
    return cmd + ["--stats", os.path.join(point_dir, "stats.json")]


def write_shard_block(path, shard):
    with open(path, "wb") as f:
        f.write(struct.pack("<4I", SHARD_MAGIC, SHARD_VERSION, shard["first"], shard["count"]))


def describe_keys(sweep, tools):
    """Ask the simulator which parameters the platform has (with the base --set applied)."""
    # --describe needs only the platform and the overrides (no firmware, no shard).
    subs = substitutions(sweep, tools)
    platform = substitute(sweep.platform, subs)
    if platform.endswith(".json"):
        platform = _resolve(platform, sweep.dir)
    describe = [tools.vp, "--platform", platform]
    for key, value in sweep.sets.items():
        describe += ["--set", f"{key}={substitute(str(value), subs)}"]
    describe.append("--describe")
    try:
        proc = subprocess.run(describe, capture_output=True, text=True, timeout=300)
    except FileNotFoundError:
        raise SweepError(f"the simulator {tools.vp} does not exist (give its path with --vp)")
    if proc.returncode != 0:
        raise SweepError(f"{sweep.path}: the base run is rejected by the simulator: "
                         f"{proc.stderr.strip() or proc.stdout.strip()}")
    keys, in_params = set(), False
    for line in proc.stdout.splitlines():
        if line.startswith("parameters:"):
            in_params = True
        elif in_params and not line.strip():
            break
        elif in_params:
            keys.add(line.split()[0])
    # Preset groups (tile.crossbar, tile.crossbar.technology) are set whole by name: "<key> takes a preset: ...".
    for line in proc.stdout.splitlines():
        if " takes a preset: " in line:
            keys.add(line.split()[0])
    if not keys:
        raise SweepError(f"'{' '.join(describe)}' listed no parameters: cannot check the sweep's axes")
    return keys


def validate(sweep, tools):
    """Every axis names a platform parameter: checked before anything runs or is submitted."""
    keys = describe_keys(sweep, tools)
    for name in sweep.param_axes():
        if name not in keys:
            near = sorted(k for k in keys if k.split(".")[-1] == name.split(".")[-1] or k.startswith(name + "."))
            hint = f"; did you mean {', '.join(near[:5])}?" if near else ""
            raise SweepError(f"{sweep.path}: axis '{name}' is not a parameter of platform '{sweep.platform}' "
                             f"(`aimc-vp --platform {sweep.platform} --describe` lists them){hint}")
    uses_shard = any("{shard_" in a for a in [sweep.firmware, *sweep.loads, *sweep.args, *map(str, sweep.sets.values())])
    has_shard = any(n == "shard" for n, _ in sweep.axes)
    if uses_shard and not has_shard:
        raise SweepError(f"{sweep.path}: the base run uses {{shard_...}} but the sweep has no 'shard' axis")
    if has_shard and not uses_shard:
        raise SweepError(f"{sweep.path}: the sweep has a 'shard' axis but no argument of the base run takes "
                         f"{{shard_file}}, {{shard_first}} or {{shard_count}}: every shard would run the whole batch")
