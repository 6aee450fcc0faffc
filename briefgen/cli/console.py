"""What the command line prints: errors as messages and exit codes, warnings, progress, a watch's log.

Every message goes through typer.echo; nothing here knows how a brief is made.
"""

from __future__ import annotations

import logging
import select
import signal
import sys
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import TYPE_CHECKING

import typer

if TYPE_CHECKING:
    from briefgen.build.api import RenderResult
    from briefgen.errors import BriefgenError, Diagnostic

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
        if debug or (isinstance(exc, BrokenPipeError) and _reader_gone()):
            raise  # a reader gone: Typer ends the command quietly with status 1, as it does for --help
        typer.echo(
            f"internal error: {type(exc).__name__}: {visible(str(exc))}\n"
            f"    hint: run again with --debug for a traceback, and please report it{note}",
            err=True,
        )
        raise typer.Exit(70) from None


def _reader_gone() -> bool:
    """Whether standard output or error is a pipe that nobody reads any more (`briefgen check |
    head -1`): then a BrokenPipeError is the reader's choice, not a bug, and nothing written before
    is undone (render prints its report after writing). Any other broken pipe is still a bug."""
    poller = select.poll()
    for stream in (sys.stdout, sys.stderr):
        with suppress(AttributeError, OSError, ValueError):  # None (`>&-`), no file (a capture), closed
            poller.register(stream.fileno(), 0)  # POLLERR is always reported: a pipe with no reader
    return any(events & select.POLLERR for _, events in poller.poll(0))


def _stop_on_termination() -> None:
    """Without this, `kill` ends the process at once and its PDF helpers live on, orphaned; and a
    Ctrl-C that WeasyPrint swallows would let a PDF missing its figure be written (see `interrupt`)."""
    from briefgen.errors import forget_interruption, interrupt  # noqa: PLC0415

    forget_interruption()
    if threading.current_thread() is threading.main_thread():
        for signum, default in (
            (signal.SIGTERM, signal.SIG_DFL),
            (signal.SIGHUP, signal.SIG_DFL),
            (signal.SIGINT, signal.default_int_handler),
        ):
            if signal.getsignal(signum) is default:
                signal.signal(signum, interrupt)


def print_warnings(warnings: tuple[object, ...]) -> None:
    for warning in warnings:
        typer.echo(warning.format(), err=True)  # type: ignore[attr-defined]


PROGRESS_MIN_PDFS = 4  # fewer PDFs take a second or two: a bar would only flicker


@contextmanager
def progress_bar() -> Iterator[Callable[[int, int], None] | None]:
    """A progress bar on standard error while PDFs are laid out — in a terminal only, never in CI."""
    import os  # noqa: PLC0415

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


def warning_changes(
    before: Sequence[Diagnostic], after: Sequence[Diagnostic]
) -> tuple[list[Diagnostic], list[Diagnostic]]:
    """The warnings of `after` that `before` did not have, and those of `before` that are gone.

    A warning is the same one when its kind and message are: its line is not compared, so editing
    above it (which moves it) does not make it new. Equal warnings are counted (two briefs may put
    the same single-source fact in their bottom lines), so one of them going is seen.
    """
    return _unmatched(after, before), _unmatched(before, after)


def _unmatched(these: Sequence[Diagnostic], others: Sequence[Diagnostic]) -> list[Diagnostic]:
    """The diagnostics of `these` left over once each is paired with an equal one of `others`."""
    available = Counter((d.kind, d.message) for d in others)
    left: list[Diagnostic] = []
    for diagnostic in these:
        key = (diagnostic.kind, diagnostic.message)
        if available[key]:
            available[key] -= 1
        else:
            left.append(diagnostic)
    return left


class EchoReporter:
    """Prints what a watch does: one line per written file, every error, a line per save — and of the
    warnings, only those that are new or gone since the last render, since a save seldom changes them."""

    def __init__(self) -> None:
        self.warnings: tuple[Diagnostic, ...] | None = None  # as of the last render; None before the first

    def watching(self, dirs: Sequence[Path]) -> None:
        shown = ", ".join(relative(d) for d in dirs)
        typer.echo(f"watching {shown} (Ctrl-C to stop)", err=True)

    def changed(self, paths: Sequence[Path]) -> None:
        stamp = time.strftime("%H:%M:%S")
        typer.echo(f"[{stamp}] changed: {', '.join(relative(p) for p in paths)}", err=True)

    def rendered(self, result: RenderResult) -> None:
        from briefgen.errors import plural  # noqa: PLC0415

        first = self.warnings is None
        new, gone = warning_changes(self.warnings or (), result.warnings)
        self.warnings = result.warnings
        print_warnings(tuple(new))
        for warning in gone:
            typer.echo(f"{warning.location.path}: warning gone: {warning.message}", err=True)
        for path in result.report.written:
            typer.echo(f"wrote {path}")
        unchanged = len(result.report.unchanged) + len(result.up_to_date)
        summary = f"{plural(len(result.report.written), 'file')} written, {unchanged} unchanged"
        typer.echo(f"ok — {summary}{_warning_summary(len(result.warnings), len(new), len(gone), first=first)}")

    def failed(self, error: BriefgenError) -> None:
        typer.echo(error.format(), err=True)
        typer.echo("waiting for the next save", err=True)


def _warning_summary(count: int, new: int, gone: int, *, first: bool) -> str:
    """`; 8 warnings` at first, then `; 8 warnings, none new`, `; 9 warnings, 1 new`, `; no warnings, 1 gone`."""
    from briefgen.errors import plural  # noqa: PLC0415

    if first or not (count or gone):
        return f"; {plural(count, 'warning')}" if count else ""
    changes = [f"{n} {what}" for n, what in ((new, "new"), (gone, "gone")) if n]
    return f"; {plural(count, 'warning') if count else 'no warnings'}, {', '.join(changes) or 'none new'}"


def relative(path: Path) -> str:
    try:
        return str(path.relative_to(Path.cwd()))
    except ValueError:
        return str(path)
