"""PDF layout across processes: WeasyPrint is single-threaded, so many briefs use many cores.

Each brief's HTML and evidence are prepared in the main process; it then lays PDFs out itself,
beside helper processes that do nothing else. Helpers come from a fork server that has already
imported WeasyPrint (~0.4 s of cffi set-up, paid once, not once per helper) and has never rendered
anything, so forking it is safe; where fork servers do not exist (Windows) helpers are spawned. A
PDF does not depend on which process made it or what it made before: a parallel build is
byte-identical to a serial one.
"""

from __future__ import annotations

import datetime as dt
import logging
import multiprocessing
import os
import signal
from collections import deque
from collections.abc import Callable, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from dataclasses import dataclass
from multiprocessing.context import BaseContext
from pathlib import Path

from .formats import PdfVariant
from .render_pdf import EvidenceFile

Progress = Callable[[int, int], None]  # (done, total): called at the start and as each PDF is finished


@dataclass(frozen=True)
class PdfJob:
    """Everything one PDF is made from; sent to a worker process as is."""

    path: Path
    html: str
    template_dirs: tuple[Path, ...]
    attachments: tuple[EvidenceFile, ...]
    timestamp: dt.datetime
    variant: PdfVariant
    fonts_key: str | None = None


def default_jobs() -> int:
    """One worker per CPU this process may run on."""
    try:
        return max(len(os.sched_getaffinity(0)), 1)
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def render_pdfs(
    jobs: Sequence[PdfJob], workers: int | None = None, progress: Progress | None = None
) -> dict[Path, bytes]:
    """Lay out every job's PDF, in `workers` processes (default: one per CPU); serial for one job.

    All PDFs are returned together; if one fails, the others are cancelled and the error is raised.
    """
    workers = min(workers or default_jobs(), len(jobs))
    if progress:
        progress(0, len(jobs))
    if workers <= 1:
        return _serial(jobs, progress)
    return _parallel(jobs, workers, progress)


def _serial(jobs: Sequence[PdfJob], progress: Progress | None) -> dict[Path, bytes]:
    results: dict[Path, bytes] = {}
    for done, job in enumerate(jobs, 1):
        results[job.path] = layout(job)
        if progress:
            progress(done, len(jobs))
    return results


def _parallel(jobs: Sequence[PdfJob], workers: int, progress: Progress | None) -> dict[Path, bytes]:
    """The main process lays out PDFs too, beside `workers - 1` helper processes.

    While the helpers start (a fork server importing WeasyPrint), the main process imports it and
    lays out the first PDF itself; each helper is kept one job ahead so it never waits for the main
    process, and jobs a helper has not started yet are taken back when the main process runs dry.
    """
    from . import render_pdf  # noqa: PLC0415 - for the parent's notice; WeasyPrint is imported by layout()

    helpers = workers - 1
    executor = ProcessPoolExecutor(
        helpers, mp_context=_context(), initializer=_start_worker, initargs=(logging.getLogger().level,)
    )
    queue = deque(jobs)
    in_flight: dict[Future[tuple[bytes, bool]], PdfJob] = {}
    results: dict[Path, bytes] = {}
    slow_subsetting = False

    def finished(path: Path, data: bytes) -> None:
        results[path] = data
        if progress:
            progress(len(results), len(jobs))

    try:
        while queue or in_flight:
            while queue and len(in_flight) < 2 * helpers:
                job = queue.popleft()
                in_flight[executor.submit(_layout_in_worker, job)] = job
            if not queue:  # take back a job no helper has started
                for future in [f for f in in_flight if f.cancel()][:1]:
                    queue.append(in_flight.pop(future))
            if queue:
                job = queue.popleft()
                finished(job.path, layout(job))
            done, _ = wait(in_flight, timeout=None if not queue else 0, return_when=FIRST_COMPLETED)
            for future in done:
                data, slow = future.result()  # raises the helper's exception
                slow_subsetting |= slow
                finished(in_flight.pop(future).path, data)
    finally:
        executor.shutdown(wait=True, cancel_futures=True)
    if slow_subsetting:
        render_pdf.warn_slow_subsetting()
    return {job.path: results[job.path] for job in jobs}


def layout(job: PdfJob) -> bytes:
    """One PDF, in this process."""
    from .render_pdf import render_pdf  # noqa: PLC0415 - keeps WeasyPrint out of md-only runs

    return render_pdf(
        job.html,
        job.template_dirs,
        attachments=job.attachments,
        timestamp=job.timestamp,
        variant=job.variant,
        fonts_key=job.fonts_key,
    )


def _layout_in_worker(job: PdfJob) -> tuple[bytes, bool]:
    from .render_pdf import subsetting_is_slow  # noqa: PLC0415

    return layout(job), subsetting_is_slow()


def _start_worker(log_level: int) -> None:
    """Workers leave Ctrl-C to the parent (which cancels them) and log like it; the parent gives the
    missing-subsetter notice once, on their behalf."""
    from . import render_pdf  # noqa: PLC0415

    signal.signal(signal.SIGINT, signal.SIG_IGN)
    logging.basicConfig(level=log_level, format="%(levelname)s: %(message)s")
    render_pdf._subsetter_checked = True


def _context() -> BaseContext:
    if "forkserver" in multiprocessing.get_all_start_methods():
        context = multiprocessing.get_context("forkserver")
        context.set_forkserver_preload(["weasyprint", "briefgen.parallel"])
        return context
    return multiprocessing.get_context("spawn")
