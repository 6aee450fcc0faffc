"""The CPUs this process may run on, and how many of them other processes leave idle: what decides
whether a helper process would pay (PDF layout: renderers/pdf/workers.py; claim support:
project/claims_support.py, claims_ahead.py)."""

from __future__ import annotations

import os
import time
from pathlib import Path

PROC_STAT = Path("/proc/stat")
SAMPLE_SECONDS = 0.1  # how long free_cpus sleeps to sample (the PDF default, only when helpers could pay)
MIN_WINDOW_TICKS = 10  # a CpuWindow shorter than this (0.1 s at the usual 100 ticks per second) says nothing
# Idle CPU besides ours (CpuWindow) for a helper that computes while this process goes on (claim
# support, a cache entry written apart): two processes on 1.5 CPUs still gain.
MIN_FREE_CPU = 0.5


def usable_cpus() -> int:
    """The CPUs this process may run on."""
    try:
        return max(len(os.sched_getaffinity(0)), 1)
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def free_cpus(cpus: int) -> float:
    """How many of our CPUs other processes leave idle: measured over SAMPLE_SECONDS from the
    kernel's idle counters (this process sleeps meanwhile, so its own core counts as idle), or,
    where there is no /proc/stat, estimated from the 1-minute load average."""
    try:
        allowed = os.sched_getaffinity(0)
        before = idle_ticks(allowed)
        time.sleep(SAMPLE_SECONDS)
        after = idle_ticks(allowed)
    except (AttributeError, OSError, ValueError):
        try:
            return max(cpus - os.getloadavg()[0], 0.0)
        except OSError:
            return float(cpus)
    idle, total = after[0] - before[0], after[1] - before[1]
    return cpus * idle / total if total > 0 else float(cpus)


class CpuWindow:
    """How many CPUs besides the one this process keeps busy were idle from the window's start until
    asked: measured over work the process does anyway (no sleep), so it costs two reads of /proc/stat.
    On a quiet two-CPU machine it is about 1; with a busy neighbour, about 0."""

    def __init__(self, stat: Path = PROC_STAT, cpus: set[int] | None = None) -> None:
        """`cpus`: the CPUs to count (by default those this process may run on)."""
        self._stat = stat
        try:
            self._allowed: set[int] = os.sched_getaffinity(0) if cpus is None else cpus
            self._start: tuple[int, int] | None = idle_ticks(self._allowed, stat)
        except (AttributeError, OSError, ValueError):  # not Linux, or no /proc
            self._allowed, self._start = set(), None

    def free_besides_us(self) -> float | None:
        """Idle CPUs meanwhile (0 up to all but ours); None when unknown or the window was too short."""
        if self._start is None:
            return None
        try:
            idle, total = idle_ticks(self._allowed, self._stat)
        except (OSError, ValueError):
            return None
        idle, total = idle - self._start[0], total - self._start[1]
        if total < MIN_WINDOW_TICKS * len(self._allowed):
            return None
        return len(self._allowed) * idle / total


def idle_ticks(allowed: set[int], stat: Path = PROC_STAT) -> tuple[int, int]:
    """(idle, all) clock ticks so far, summed over the allowed CPUs; idle includes waiting for I/O."""
    idle = total = 0
    for line in stat.read_text(encoding="ascii").splitlines():
        name, *fields = line.split()
        if name.startswith("cpu") and name[3:].isdigit() and int(name[3:]) in allowed:
            ticks = [int(field) for field in fields[:8]]  # user nice system idle iowait irq softirq steal
            idle += ticks[3] + ticks[4]
            total += sum(ticks)
    if not total:
        raise ValueError("no CPU lines in /proc/stat")
    return idle, total


# How busy the other CPUs have been since this process imported briefgen's pipeline (the command
# line imports this module first): what decides, before any work of its own, whether a helper
# begun at once would pay (project/claims_ahead.py).
SINCE_START = CpuWindow()
