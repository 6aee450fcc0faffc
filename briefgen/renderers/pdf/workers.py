"""How many processes lay out PDFs when `--jobs` is not given: helpers only where they pay.

A helper process costs about 0.9 s of CPU before its first PDF (a fresh interpreter, the WeasyPrint
import, the fonts), which a few small briefs never win back. So the default predicts both ways
and picks the faster, with a margin for the estimates' error:

- each PDF's layout cost from the size of what WeasyPrint is given (its print HTML and its
  attachments), at rates measured on the development machine;
- the cores other processes leave idle right now (sampled from /proc/stat, else the load average);
- the parallel time by replaying the build's queue: the main process starts at once, each helper
  joins when started, each takes the next PDF when free; on fewer free cores than processes, all
  run proportionally slower (and helpers start slower).

With no free core beyond our own, helpers could only take CPU time from the neighbours (and
from the main process), so the default stays in one process: never slower than `-j 1`.

Measured on the 2-CPU development machine (bench/RESULTS.md, 2026-12-02): the three shipped
briefs (1.5 s of layout) are predicted at 0.88 of the in-process time even on a quiet machine,
above the 0.85 margin, so they are laid out in-process. With both cores free, helpers pay from
about 1.8 s of layout work in four or more PDFs (four briefs of the shipped size: 0.75); with
half of the other core free, from about 3.6 s (eight such briefs: 0.83); with the other core
busy, never. Twenty synthetic briefs (~1 s each) are predicted at 0.55 with both cores free.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence

from briefgen.cpus import free_cpus, usable_cpus
from briefgen.renderers.pdf.job import PdfJob

log = logging.getLogger(__name__)

# CPU seconds, measured on the development machine (AMD EPYC, WeasyPrint 70; bench/RESULTS.md):
HELPER_START = 0.9  # spawning a helper and its first font set-up (0.7-0.87 s + ~0.1 s)
HTML_COST_PER_KB = 0.011  # layout per KB of print HTML (shipped briefs: 21-37 KB, 0.37-0.68 s)
ATTACHMENT_COST_PER_KB = 0.005  # per KB of evidence attached (synthetic briefs: ~150 KB, ~1.2 s in all)
MARGIN = 0.85  # helpers only if predicted to take at most this share of the in-process time


def estimated_cost(job: PdfJob) -> float:
    """Predicted CPU seconds to lay out one PDF, from the sizes of its HTML and attachments."""
    attached = sum(len(item.data) for item in job.attachments)
    return (len(job.html.encode()) * HTML_COST_PER_KB + attached * ATTACHMENT_COST_PER_KB) / 1000


def predicted_time(costs: Sequence[float], processes: int, free: float, start: float = HELPER_START) -> float:
    """Wall time to lay out `costs` (CPU seconds, in queue order) in `processes` processes, of which
    all but the main one must first start, sharing `free` idle cores (at least one: our own)."""
    speed = min(1.0, max(free, 1.0) / processes)  # all our processes share the free cores alike
    ready = [0.0] + [start / speed] * (processes - 1)  # when each process can take its first PDF
    for cost in costs:
        first = min(range(processes), key=lambda i: ready[i])  # the queue goes to whoever is free first
        ready[first] += cost / speed
    return max(ready)


def choose_workers(costs: Sequence[float], cpus: int, free: float, start: float = HELPER_START) -> int:
    """Processes (main included) to lay out PDFs of these predicted costs: 1 unless more are predicted
    to take at most MARGIN of the in-process time. Pure: the same inputs give the same answer."""
    serial = predicted_time(costs, 1, free, start)
    best, best_time = 1, serial
    for processes in range(2, min(cpus, len(costs)) + 1):
        predicted = predicted_time(costs, processes, free, start)
        if predicted < best_time:
            best, best_time = processes, predicted
    return best if best_time <= MARGIN * serial else 1


def default_workers(jobs: Sequence[PdfJob]) -> int:
    """The default when `--jobs` is not given: see the module's docstring."""
    costs = [estimated_cost(job) for job in jobs]
    cpus = usable_cpus()
    workers, free = choose_workers(costs, cpus, float(cpus)), "not sampled"
    if workers > 1:  # else not even an idle machine would repay a helper: no need to look
        sampled = free_cpus(cpus)
        workers, free = choose_workers(costs, cpus, sampled), f"{sampled:.1f} free"
    log.debug(
        "PDF processes: %d (%d PDFs, %.1f s of layout predicted; %d CPUs, %s)",
        workers,
        len(costs),
        sum(costs),
        cpus,
        free,
    )
    return workers
