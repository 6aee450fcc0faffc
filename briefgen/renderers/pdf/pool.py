"""PDF layout across processes: WeasyPrint is single-threaded, so many briefs use many cores.

Each brief's HTML and evidence are prepared in the main process; it then lays PDFs out itself,
beside spawned helper processes that do nothing else (spawned, not forked: a forked copy of a
process that has used Pango, fontconfig and GLib is not safe). A PDF does not depend on which
process made it or what it made before: a parallel build is byte-identical to a serial one.
"""

from __future__ import annotations

import logging
import multiprocessing
import signal
import threading
from collections import deque
from collections.abc import Callable, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from multiprocessing.context import BaseContext
from pathlib import Path

from briefgen.renderers.pdf.job import PdfJob
from briefgen.renderers.pdf.workers import default_workers

Progress = Callable[[int, int], None]  # (done, total): called at the start and as each PDF is finished


def render_pdfs(
    jobs: Sequence[PdfJob], workers: int | None = None, progress: Progress | None = None
) -> dict[Path, bytes]:
    """Lay out every job's PDF, in `workers` processes (default: as many as are predicted to pay,
    often one: see workers.py); serial for one job.

    All PDFs are returned together; if one fails, the others are cancelled and the error is raised.
    """
    if workers is None and len(jobs) > 1:
        workers = default_workers(jobs)
    workers = min(workers or 1, len(jobs))
    if progress:
        progress(0, len(jobs))
    if workers <= 1:
        return _serial(jobs, progress)
    return _parallel(jobs, workers, progress)


def _serial(jobs: Sequence[PdfJob], progress: Progress | None) -> dict[Path, bytes]:
    results: dict[Path, bytes] = {}
    for done, job in enumerate(jobs, 1):
        results[job.path] = lay_out(job)
        if progress:
            progress(done, len(jobs))
    return results


def _parallel(jobs: Sequence[PdfJob], workers: int, progress: Progress | None) -> dict[Path, bytes]:
    """The main process lays out PDFs too, beside `workers - 1` helper processes.

    Main and helpers take jobs from one queue: the main thread lays out the next job itself while
    a feeder thread keeps each helper busy with one job at a time. So the main process starts at
    once (helpers first import WeasyPrint) and nobody waits while jobs remain.
    """
    # For the parent's notice (lay_out() imports WeasyPrint).
    from briefgen.renderers.pdf.layout import warn_slow_subsetting  # noqa: PLC0415

    helpers = workers - 1
    queue = deque(jobs)
    results: dict[Path, bytes] = {}
    lock = threading.Lock()  # results and progress are shared by the main thread and the feeder
    failures: list[BaseException] = []
    slow_subsetting = False
    executor = ProcessPoolExecutor(
        helpers, mp_context=_context(), initializer=_start_worker, initargs=(logging.getLogger().level,)
    )

    def finished(path: Path, data: bytes) -> None:
        with lock:
            results[path] = data
            if progress:
                progress(len(results), len(jobs))

    def feed() -> None:
        nonlocal slow_subsetting
        in_flight: dict[Future[tuple[bytes, bool]], Path] = {}
        try:
            while True:
                while len(in_flight) < helpers and queue:
                    job = _take(queue)
                    if job is not None:
                        in_flight[executor.submit(_layout_in_worker, job)] = job.path
                if not in_flight:
                    return
                done, _ = wait(in_flight, return_when=FIRST_COMPLETED)
                for future in done:
                    data, slow = future.result()  # raises the helper's exception
                    slow_subsetting |= slow
                    finished(in_flight.pop(future), data)
        except BaseException as exc:  # handed to the main thread, which raises it
            failures.append(exc)
            queue.clear()

    feeder = threading.Thread(target=feed, name="briefgen-pdf-feeder", daemon=True)
    feeder.start()
    try:
        while not failures and (job := _take(queue)) is not None:
            finished(job.path, lay_out(job))
    except BaseException:
        queue.clear()
        _stop_helpers(executor)  # an interrupt or a failure: what the helpers are doing is not wanted
        raise
    finally:
        feeder.join()
        executor.shutdown(wait=True, cancel_futures=True)
    if failures:
        raise failures[0]
    if slow_subsetting:
        warn_slow_subsetting()
    return {job.path: results[job.path] for job in jobs}


def _stop_helpers(executor: ProcessPoolExecutor) -> None:
    """End the helpers now rather than after their current PDF. The executor has no public way to
    stop a running task, so its processes are terminated (the feeder then sees a broken pool)."""
    processes = list((getattr(executor, "_processes", None) or {}).values())
    executor.shutdown(wait=False, cancel_futures=True)
    for process in processes:
        process.terminate()


def _take(queue: deque[PdfJob]) -> PdfJob | None:
    """The next job, or None; safe to call from two threads (deque.popleft is atomic)."""
    try:
        return queue.popleft()
    except IndexError:
        return None


def lay_out(job: PdfJob) -> bytes:
    """One PDF, in this process."""
    from briefgen.renderers.pdf.layout import render_pdf  # noqa: PLC0415 - keeps WeasyPrint out of md-only runs

    return render_pdf(
        job.html,
        job.template_dirs,
        attachments=job.attachments,
        timestamp=job.timestamp,
        variant=job.variant,
        fonts_key=job.fonts_key,
    )


def _layout_in_worker(job: PdfJob) -> tuple[bytes, bool]:
    from briefgen.renderers.pdf.layout import subsetting_is_slow  # noqa: PLC0415

    return lay_out(job), subsetting_is_slow()


def _start_worker(log_level: int) -> None:
    """Helpers import WeasyPrint before their first job, leave Ctrl-C to the parent (which cancels
    them) and log like it; the parent gives the missing-subsetter notice once, on their behalf."""
    import weasyprint  # noqa: F401, PLC0415 - ~0.4 s of set-up, while the parent is busy anyway

    from briefgen.renderers.pdf.layout import notice_given_elsewhere  # noqa: PLC0415

    signal.signal(signal.SIGINT, signal.SIG_IGN)
    logging.basicConfig(level=log_level, format="%(levelname)s: %(message)s")
    notice_given_elsewhere()


def _context() -> BaseContext:
    """Spawned helpers: a fresh interpreter shares no state (fonts, GLib) with its parent, works
    on every platform, and starting one does not wait for it, so the parent starts laying out at once."""
    return multiprocessing.get_context("spawn")
