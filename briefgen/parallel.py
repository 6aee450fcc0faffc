"""PDF layout across processes: WeasyPrint is single-threaded, so many briefs use many cores.

Each brief's HTML and evidence are prepared in the main process; worker processes only lay them
out. Workers come from a fork server that has already imported WeasyPrint (~0.4 s of cffi set-up,
paid once, not once per worker) and has never rendered anything, so forking it is safe; where fork
servers do not exist (Windows) workers are spawned. A PDF does not depend on which process made it
or what it made before: a parallel build is byte-identical to a serial one.
"""

from __future__ import annotations

import datetime as dt
import logging
import multiprocessing
import os
import signal
from collections.abc import Callable, Sequence
from concurrent.futures import FIRST_EXCEPTION, Future, ProcessPoolExecutor, wait
from dataclasses import dataclass
from multiprocessing.context import BaseContext
from pathlib import Path

from .evidence import EvidenceFile
from .formats import PdfVariant

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
    from . import render_pdf  # noqa: PLC0415 - only the parent's notice, WeasyPrint stays unimported here

    executor = ProcessPoolExecutor(
        workers, mp_context=_context(), initializer=_start_worker, initargs=(logging.getLogger().level,)
    )
    results: dict[Path, bytes] = {}
    slow_subsetting = False
    try:
        pending: set[Future[tuple[bytes, bool]]] = set()
        paths: dict[Future[tuple[bytes, bool]], Path] = {}
        for job in jobs:
            future = executor.submit(_layout_in_worker, job)
            pending.add(future)
            paths[future] = job.path
        while pending:
            done, pending = wait(pending, return_when=FIRST_EXCEPTION)
            for future in done:
                results[paths[future]], slow = future.result()  # raises the worker's exception
                slow_subsetting |= slow
                if progress:
                    progress(len(results), len(jobs))
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
        context.set_forkserver_preload(["weasyprint", "briefgen.render_pdf"])
        return context
    return multiprocessing.get_context("spawn")
