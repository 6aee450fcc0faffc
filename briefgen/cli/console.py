"""What the command line prints: errors as messages and exit codes, warnings, progress, a watch's log.

Every message goes through typer.echo; nothing here knows how a brief is made.
"""

from __future__ import annotations

import logging
import signal
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

import typer

if TYPE_CHECKING:
    from briefgen.build.api import RenderResult
    from briefgen.errors import BriefgenError

NOTHING_WRITTEN = "nothing was written; earlier outputs were left as they were"


@contextmanager
def reporting(debug: bool, *, writes: bool = False) -> Iterator[None]:
    """Turn briefgen errors into messages and exit codes; never show a traceback unless --debug.

    For a command that `writes`, a failure also says that nothing was written (outputs are written
    only after everything rendered, and all-or-nothing; see write.py), unless some already were.
    """
    from briefgen.errors import BriefgenError, visible  # noqa: PLC0415

    logging.basicConfig(level=logging.DEBUG if debug else logging.WARNING, format="%(levelname)s: %(message)s")
    note = f"\n{NOTHING_WRITTEN}" if writes else ""
    _stop_on_termination()
    try:
        yield
    except BriefgenError as exc:
        typer.echo(exc.format() + ("" if getattr(exc, "written", ()) else note), err=True)
        raise typer.Exit(exc.exit_code) from None
    except KeyboardInterrupt as exc:
        typer.echo("interrupted; no output was left half-written", err=True)
        raise typer.Exit(128 + getattr(exc, "signum", signal.SIGINT)) from None
    except Exception as exc:  # a bug in briefgen, not something the user did
        if debug:
            raise
        typer.echo(
            f"internal error: {type(exc).__name__}: {visible(str(exc))}\n"
            f"    hint: run again with --debug for a traceback, and please report it{note}",
            err=True,
        )
        raise typer.Exit(70) from None


class Terminated(KeyboardInterrupt):
    """SIGTERM or SIGHUP, raised where the program is, so that it stops as for Ctrl-C: helpers are
    stopped, nothing is left half-written, and the exit status (128 + the signal) says why."""

    def __init__(self, signum: int) -> None:
        super().__init__(signum)
        self.signum = signum


def _terminate(signum: int, frame: object) -> None:
    raise Terminated(signum)


def _stop_on_termination() -> None:
    """Without this, `kill` ends the process at once and its PDF helpers live on, orphaned."""
    if threading.current_thread() is threading.main_thread():
        for signum in (signal.SIGTERM, signal.SIGHUP):
            if signal.getsignal(signum) is signal.SIG_DFL:
                signal.signal(signum, _terminate)


def print_warnings(warnings: tuple[object, ...]) -> None:
    for warning in warnings:
        typer.echo(warning.format(), err=True)  # type: ignore[attr-defined]


PROGRESS_MIN_PDFS = 4  # fewer PDFs take a second or two: a bar would only flicker


@contextmanager
def progress_bar() -> Iterator[Callable[[int, int], None] | None]:
    """A progress bar on standard error while PDFs are laid out — in a terminal only, never in CI."""
    import os  # noqa: PLC0415
    import sys  # noqa: PLC0415

    if not sys.stderr.isatty() or os.environ.get("CI"):
        yield None
        return
    from rich.console import Console  # noqa: PLC0415
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeElapsedColumn  # noqa: PLC0415

    columns = ("laying out PDFs", BarColumn(), MofNCompleteColumn(), TimeElapsedColumn())
    with Progress(*columns, transient=True, console=Console(stderr=True)) as bar:
        task = None

        def advance(done: int, total: int) -> None:
            nonlocal task
            if total < PROGRESS_MIN_PDFS:
                return
            if task is None:
                task = bar.add_task("pdf", total=total)
            bar.update(task, completed=done)

        yield advance


class EchoReporter:
    """Prints what a watch does: one line per written file, every problem, a line per save."""

    def watching(self, dirs: Sequence[Path]) -> None:
        shown = ", ".join(relative(d) for d in dirs)
        typer.echo(f"watching {shown} (Ctrl-C to stop)", err=True)

    def changed(self, paths: Sequence[Path]) -> None:
        stamp = time.strftime("%H:%M:%S")
        typer.echo(f"[{stamp}] changed: {', '.join(relative(p) for p in paths)}", err=True)

    def rendered(self, result: RenderResult) -> None:
        from briefgen.errors import plural  # noqa: PLC0415

        print_warnings(result.warnings)
        for path in result.report.written:
            typer.echo(f"wrote {path}")
        unchanged = len(result.report.unchanged) + len(result.up_to_date)
        summary = f"{plural(len(result.report.written), 'file')} written, {unchanged} unchanged"
        typer.echo(f"ok — {summary}" + (f"; {plural(len(result.warnings), 'warning')}" if result.warnings else ""))

    def failed(self, error: BriefgenError) -> None:
        typer.echo(error.format(), err=True)
        typer.echo("waiting for the next save", err=True)


def relative(path: Path) -> str:
    try:
        return str(path.relative_to(Path.cwd()))
    except ValueError:
        return str(path)
