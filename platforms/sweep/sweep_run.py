"""Running points: the results directory, one point's run, the local and Slurm backends, status.

Results directory layout (everything a rerun, a resume or a collect needs):
  sweep.json             the sweep file as run (collect and resume read this copy)
  plan.json              every point: index, id, parameters, shard range and aimc-vp command line
  points/<id>/           one directory per point, named by its stable id:
    log.txt              the run's stdout and stderr (UART echo, report, errors)
    stats.json           the run's --stats
    started              written when the run starts (host, pid, time)
    result.json          written when it ends: exit status, wall time, host (no file: not finished)
    shard.bin            the shard block {shard_file} (sweeps with a shard axis)
  slurm/                 the batch script and Slurm's per-task output
"""
import concurrent.futures
import json
import os
import shutil
import socket
import subprocess
import sys
import time

from sweep_plan import SweepError, point_command, write_shard_block


def point_dir(results, point):
    return os.path.join(results, "points", point["id"])


def prepare_results(results, sweep, resume):
    """Create the results directory (or check it on resume); fails before anything runs."""
    try:
        os.makedirs(os.path.join(results, "points"), exist_ok=True)
        probe = os.path.join(results, ".write-test")
        with open(probe, "w") as f:
            f.write("ok\n")
        os.remove(probe)
    except OSError as e:
        raise SweepError(f"results directory {results} is not writable: {e.strerror or e}")
    existing = os.listdir(os.path.join(results, "points"))
    if existing and not resume:
        raise SweepError(f"results directory {results} already holds {len(existing)} point(s): "
                         f"add --resume to run only the missing and failed ones, or choose another directory")
    with open(os.path.join(results, "sweep.json"), "w") as f:
        json.dump({"source": sweep.path, "doc": sweep.doc}, f, indent=2)


def write_plan(results, sweep, tools, points):
    plan = []
    for p in points:
        d = point_dir(results, p)
        plan.append({**p, "dir": d, "command": point_command(sweep, tools, p, d)})
    with open(os.path.join(results, "plan.json"), "w") as f:
        json.dump({"sweep": sweep.name, "points": plan}, f, indent=1)
    return plan


def read_plan(results):
    try:
        with open(os.path.join(results, "plan.json")) as f:
            return json.load(f)["points"]
    except FileNotFoundError:
        raise SweepError(f"{results}: no plan.json: not a sweep results directory (run `aimc-sweep run` first)")


def state(entry):
    """done, failed, running or pending, from the files of the point's directory."""
    d = entry["dir"]
    try:
        with open(os.path.join(d, "result.json")) as f:
            result = json.load(f)
    except (FileNotFoundError, json.JSONDecodeError):
        return "running" if os.path.exists(os.path.join(d, "started")) else "pending"
    ok = result.get("exit") == 0 and os.path.exists(os.path.join(d, "stats.json"))
    return "done" if ok else "failed"


def run_point(entry):
    """Run one point's simulation; its log, stats and result land in its directory. Returns the exit status."""
    d = entry["dir"]
    os.makedirs(d, exist_ok=True)
    for name in ("result.json", "stats.json"):
        if os.path.exists(os.path.join(d, name)):
            os.remove(os.path.join(d, name))
    if entry.get("shard") is not None:
        write_shard_block(os.path.join(d, "shard.bin"), entry["shard"])
    with open(os.path.join(d, "started"), "w") as f:
        json.dump({"host": socket.gethostname(), "pid": os.getpid(), "time": time.time()}, f)
    start = time.monotonic()
    with open(os.path.join(d, "log.txt"), "w") as log:
        log.write("$ " + " ".join(entry["command"]) + "\n")
        log.flush()
        try:
            code = subprocess.run(entry["command"], stdout=log, stderr=subprocess.STDOUT).returncode
        except OSError as e:
            log.write(f"aimc-sweep: cannot start the simulator: {e}\n")
            code = 127
    result = {"exit": code, "wall_s": time.monotonic() - start, "end": time.time(), "host": socket.gethostname()}
    if code == 0 and not os.path.exists(os.path.join(d, "stats.json")):
        result["error"] = "the run exited 0 but wrote no stats.json"
    with open(os.path.join(d, "result.json"), "w") as f:
        json.dump(result, f)
    return code


def mark_lost(entry, why):
    with open(os.path.join(entry["dir"], "result.json"), "w") as f:
        json.dump({"exit": None, "error": why}, f)


class Progress:
    """One status line for long sweeps: done, failed, running, elapsed, estimated remaining."""

    def __init__(self, name, total, stream=sys.stderr):
        self.name, self.total, self.stream = name, total, stream
        self.start = time.monotonic()
        self.tty = stream.isatty()
        self.last = None

    def update(self, done, failed, running, force=False):
        elapsed = time.monotonic() - self.start
        finished = done + failed
        eta = "?" if finished == 0 else _clock(elapsed / finished * (self.total - finished))
        line = (f"sweep {self.name}: {finished}/{self.total} finished ({done} done, {failed} failed), "
                f"{running} running, elapsed {_clock(elapsed)}, remaining ~{eta}")
        key = (done, failed, running)
        if key == self.last and not force:
            return
        self.last = key
        if self.tty:
            self.stream.write("\r\033[K" + line)
        else:
            self.stream.write(line + "\n")
        self.stream.flush()

    def close(self):
        if self.tty:
            self.stream.write("\n")


def _clock(seconds):
    seconds = int(round(seconds))
    return f"{seconds // 3600}:{seconds // 60 % 60:02d}:{seconds % 60:02d}"


def report_failures(entries, stream=sys.stderr):
    failed = [e for e in entries if state(e) == "failed"]
    for e in failed:
        with open(os.path.join(e["dir"], "result.json")) as f:
            result = json.load(f)
        why = result.get("error") or f"exit status {result.get('exit')}"
        stream.write(f"aimc-sweep: point {e['id']} ({_params(e)}) failed: {why}; log: {os.path.join(e['dir'], 'log.txt')}\n")
    return len(failed)


def _params(e):
    return ", ".join(f"{k}={v}" for k, v in e["params"].items())


def run_local(name, entries, workers):
    progress = Progress(name, len(entries))
    done = failed = 0
    progress.update(0, 0, min(workers, len(entries)), force=True)
    pool = concurrent.futures.ThreadPoolExecutor(max_workers=workers)
    try:
        futures = [pool.submit(run_point, e) for e in entries]
        for fut in concurrent.futures.as_completed(futures):
            if fut.result() == 0:
                done += 1
            else:
                failed += 1
            progress.update(done, failed, min(workers, len(entries) - done - failed))
    except KeyboardInterrupt:
        # The running simulators got the same SIGINT; start no new ones.
        pool.shutdown(wait=True, cancel_futures=True)
        raise
    pool.shutdown()
    progress.close()


def array_spec(indices):
    """Slurm's --array list: 0-4,7,9-12."""
    parts, indices = [], sorted(indices)
    i = 0
    while i < len(indices):
        j = i
        while j + 1 < len(indices) and indices[j + 1] == indices[j] + 1:
            j += 1
        parts.append(str(indices[i]) if i == j else f"{indices[i]}-{indices[j]}")
        i = j + 1
    return ",".join(parts)


def batch_script(results, sweep, tools, entries):
    res = sweep.slurm
    limit = int(res.get("concurrency", 0))
    spec = array_spec([e["index"] for e in entries]) + (f"%{limit}" if limit > 0 else "")
    lines = ["#!/bin/bash",
             f"#SBATCH --job-name=aimc-sweep-{sweep.name}",
             f"#SBATCH --array={spec}",
             f"#SBATCH --output={os.path.join(results, 'slurm', '%A_%a.out')}",
             "#SBATCH --ntasks=1",
             f"#SBATCH --cpus-per-task={int(res.get('cpus_per_task', 1))}"]
    for key, option in (("partition", "partition"), ("time", "time"), ("mem_per_task", "mem"), ("account", "account")):
        if key in res:
            lines.append(f"#SBATCH --{option}={res[key]}")
    lines += [f"#SBATCH {x}" for x in res.get("extra", [])]
    lines += ["# One array task per point: the task id is the point's index in plan.json.",
              f"exec {sys.executable} {tools.self_path} run-point {results} \"$SLURM_ARRAY_TASK_ID\""]
    return "\n".join(lines) + "\n"


def submit_slurm(results, sweep, tools, entries):
    sbatch = shutil.which("sbatch")
    if sbatch is None:
        raise SweepError("the slurm backend needs sbatch, which is not on PATH (install Slurm's client, "
                         "e.g. Debian's slurm-client, or use --backend local)")
    os.makedirs(os.path.join(results, "slurm"), exist_ok=True)
    script = os.path.join(results, "slurm", "sweep.sbatch")
    with open(script, "w") as f:
        f.write(batch_script(results, sweep, tools, entries))
    proc = subprocess.run([sbatch, "--parsable", script], capture_output=True, text=True)
    if proc.returncode != 0:
        raise SweepError(f"sbatch {script} failed (exit {proc.returncode}): {proc.stderr.strip()}")
    job = proc.stdout.strip().split(";")[0]
    with open(os.path.join(results, "slurm", "job"), "a") as f:
        f.write(job + "\n")
    return job


def slurm_job_active(job):
    """True while any task of the array job is queued or running (per squeue); None without squeue."""
    squeue = shutil.which("squeue")
    if squeue is None:
        return None
    proc = subprocess.run([squeue, "-h", "-j", job, "-o", "%i"], capture_output=True, text=True)
    if proc.returncode != 0:
        # squeue fails for a job id it no longer knows: the job is over.
        return False
    return bool(proc.stdout.strip())


def wait_slurm(name, job, entries, poll_s, results):
    progress = Progress(name, len(entries))
    gone_since = None
    while True:
        states = [state(e) for e in entries]
        done, failed, running = states.count("done"), states.count("failed"), states.count("running")
        progress.update(done, failed, running)
        if done + failed == len(entries):
            break
        active = slurm_job_active(job)
        if active is False:
            # Results are written before a task ends; allow a shared filesystem a moment to show them.
            gone_since = gone_since or time.monotonic()
            if time.monotonic() - gone_since > 10:
                for e, s in zip(entries, states):
                    if s in ("pending", "running"):
                        out = os.path.join(results, "slurm", f"{job}_{e['index']}.out")
                        mark_lost(e, f"Slurm job {job} ended without a result for this point (see {out})")
                continue
        time.sleep(poll_s)
    progress.close()
