"""Timing and memory: medians of repeated runs, percentiles, steps in their own process, the machine.

Every heavy step runs in a fresh Python process (``python -m bench.steps …``) so that its peak
resident memory is its own (``ru_maxrss`` of that process, read by the step itself) and no
cache of an earlier step helps it.
"""

from __future__ import annotations

import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable


@dataclass
class StepError(Exception):
    """A benchmark step failed; ``output`` is what it printed."""

    step: str
    output: str

    def __str__(self) -> str:
        return f"step {self.step} failed:\n{self.output[-3000:]}"


def percentile(values: list[float], q: float) -> float:
    """The q-th percentile (0–100) by linear interpolation between closest ranks."""
    if not values:
        return float("nan")
    ordered = sorted(values)
    if len(ordered) == 1:
        return ordered[0]
    rank = (len(ordered) - 1) * q / 100
    low = int(rank)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (rank - low)


def median(values: list[float]) -> float:
    return statistics.median(values) if values else float("nan")


def timed(function: Callable[[], Any]) -> tuple[float, Any]:
    """Seconds taken by one call, and its result."""
    start = time.perf_counter()
    result = function()
    return time.perf_counter() - start, result


def latencies(function: Callable[[], Any], runs: int) -> list[float]:
    """Seconds of each of ``runs`` calls."""
    return [timed(function)[0] for _ in range(runs)]


def peak_rss_mb() -> float:
    """This process' peak resident memory so far, in MB (Linux reports kB)."""
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def run_step(step: str, *args: str, timeout: float = 3600, env: dict[str, str] | None = None) -> dict[str, Any]:
    """Run ``python -m bench.steps STEP ARGS``: the JSON it prints last, plus its wall time and peak RSS."""
    done = run_command([PYTHON, "-m", "bench.steps", step, *args], timeout=timeout, env=env)
    lines = [line for line in done["output"].splitlines() if line.startswith("{")]
    print(f"  step {step}: {done['seconds']:.1f} s wall, {done['cpu_seconds']:.1f} s CPU, "
          f"{done['peak_rss_mb']:.0f} MB", file=sys.stderr, flush=True)
    if done["returncode"] != 0 or not lines:
        raise StepError(step, done["output"])
    return {**json.loads(lines[-1]), "process_seconds": done["seconds"], "process_peak_rss_mb": done["peak_rss_mb"],
            "process_cpu_seconds": done["cpu_seconds"]}


def run_command(command: list[str], *, timeout: float = 3600, env: dict[str, str] | None = None) -> dict[str, Any]:
    """Run a command to the end: wall time, exit code, output, and the peak RSS of that process."""
    with tempfile.TemporaryFile(mode="w+") as output:
        start = time.perf_counter()
        process = subprocess.Popen(command, cwd=ROOT, stdout=output, stderr=subprocess.STDOUT, text=True,
                                   env={**os.environ, **(env or {})})
        deadline = start + timeout
        tree_peak = 0.0
        next_sample = 0.0
        while True:
            now = time.perf_counter()
            if now >= next_sample:  # the whole tree: an import may run worker processes
                tree_peak = max(tree_peak, tree_rss_mb(process.pid))
                next_sample = now + 0.1
            # wait4 on this one child gives its own rusage: ru_maxrss is its peak (in kB on Linux).
            pid, status, usage = os.wait4(process.pid, os.WNOHANG)
            if pid:
                break
            if time.perf_counter() > deadline:
                process.kill()
                pid, status, usage = os.wait4(process.pid, 0)
                break
            time.sleep(0.01)
        seconds = time.perf_counter() - start
        process.returncode = os.waitstatus_to_exitcode(status)
        output.seek(0)
        text = output.read()
    # CPU time beside wall time: on a machine shared with other work, wall time stretches.
    return {"seconds": seconds, "returncode": process.returncode, "output": text,
            "peak_rss_mb": max(usage.ru_maxrss / 1024, tree_peak), "cpu_seconds": usage.ru_utime + usage.ru_stime}


def tree_rss_mb(root: int) -> float:
    """The resident memory of a process and all its descendants now, in MB (from /proc)."""
    parents: dict[int, int] = {}
    rss: dict[int, int] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat", encoding="ascii", errors="replace") as stat:
                fields = stat.read().rsplit(")", 1)[1].split()
        except OSError:
            continue
        parents[int(entry)] = int(fields[1])
        rss[int(entry)] = int(fields[21])  # pages
    tree, frontier = {root}, [root]
    while frontier:
        current = frontier.pop()
        for pid, parent in parents.items():
            if parent == current and pid not in tree:
                tree.add(pid)
                frontier.append(pid)
    return sum(rss.get(pid, 0) for pid in tree) * os.sysconf("SC_PAGE_SIZE") / 1024 / 1024


def machine() -> dict[str, Any]:
    """What the figures were measured on."""
    import pyoxigraph
    import pyshacl
    import rdflib

    cpu = "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
        memory_kb = next(int(line.split()[1]) for line in Path("/proc/meminfo").read_text().splitlines()
                         if line.startswith("MemTotal"))
    except (OSError, StopIteration):
        memory_kb = 0
    return {"cpu": cpu, "cores": os.cpu_count(), "memory_gb": round(memory_kb / 1024 / 1024, 1),
            "python": platform.python_version(), "system": platform.platform(),
            "rdflib": rdflib.__version__, "pyshacl": pyshacl.__version__,
            "pyoxigraph": getattr(pyoxigraph, "__version__", "?")}
