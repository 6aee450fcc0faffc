"""Errors and diagnostics: problems are values until the CLI edge turns them into exit codes."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from typing import NoReturn


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True, slots=True)
class Location:
    """A place in a text file; line and column are 1-based, as editors count."""

    path: Path
    line: int = 0
    column: int = 0
    # The project item (YAML path, e.g. ('facts', 3, 'claim')) the location was found for, when it
    # was: `check BRIEF-ID` keeps the diagnostics about those briefs by it. Not part of equality, so
    # a variant's inherited value, found by another path at the same place, is still one place.
    item: tuple[str | int, ...] = field(default=(), compare=False)

    def __str__(self) -> str:
        if self.line <= 0:
            return str(self.path)
        return f"{self.path}:{self.line}:{max(self.column, 1)}"

    def seen_from(self, here: Location) -> str:
        """How a message at `here` names this place: `line 12` in the same file, else in full
        (`facts/b.yaml:12:5`, for a project split with `include:`)."""
        return f"line {self.line}" if self.path == here.path else str(self)


@dataclass(frozen=True, slots=True)
class Diagnostic:
    """One problem found in the user's input, reported in the compiler convention."""

    location: Location
    message: str
    hint: str | None = None
    severity: Severity = Severity.ERROR
    kind: str | None = None  # a warning's kind, by which a curator may accept it (`accept:` in briefs.yaml)
    subject: tuple[str | int, ...] = ()  # the briefs.yaml item the warning is about, where `accept:` goes

    def format(self) -> str:
        """`path:line:col: error: message`, then an indented hint line when there is one."""
        return _with_hint(f"{visible(str(self.location))}: {self.severity.value}: {self.message}", self.hint)


class BriefgenError(Exception):
    """Base of every error a user can cause; carries the exit code the CLI returns."""

    exit_code = 1

    def __init__(self, message: str, hint: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint

    def format(self) -> str:
        return _with_hint(f"error: {self.message}", self.hint)


class UsageError(BriefgenError):
    """The command line asked for something that does not exist (exit 2, like click)."""

    exit_code = 2


class ConfigError(BriefgenError):
    """The configuration file cannot be read at all (missing, unreadable)."""


class TemplateError(BriefgenError):
    """A template is missing or failed while rendering (templates are trusted code, but fallible)."""


class AssetError(BriefgenError):
    """Files a handout names (an image, a font, a stylesheet) that could not be loaded: `failures` holds
    (URL or None, what went wrong) pairs. Raised by the layout, which knows no YAML; the build
    locates each failure where the file is named (build/assets.py)."""

    def __init__(self, failures: tuple[tuple[str | None, str], ...], output: str = "the PDF") -> None:
        self.failures = failures
        self.output = output  # what could not load them: "the PDF", "the HTML page"
        super().__init__("; ".join(reason for _, reason in failures) or f"a file {output} names could not be loaded")

    def __reduce__(self) -> tuple[type[AssetError], tuple[tuple[tuple[str | None, str], ...], str]]:
        return (AssetError, (self.failures, self.output))  # raised in a helper process, re-raised in the main one


class OutputError(BriefgenError):
    """An output could not be written; `written` names any outputs this run had already replaced.
    With `path`, the message is located there (`out/x.md: error: cannot write: …`), as every
    diagnostic is, so that editors and CI can point at the file."""

    def __init__(
        self, message: str, hint: str | None = None, *, path: Path | None = None, written: tuple[Path, ...] = ()
    ) -> None:
        super().__init__(message, hint)
        self.path = path
        self.written = written

    def format(self) -> str:
        if self.path is None:
            return super().format()
        return _with_hint(f"{visible(str(self.path))}: error: {self.message}", self.hint)


class ValidationFailed(BriefgenError):
    """The project has errors (or, under --strict, warnings); `diagnostics` holds every one, in file order."""

    def __init__(
        self, diagnostics: Iterable[Diagnostic], *, strict: bool = False, inputs: tuple[Path, ...] = ()
    ) -> None:
        self.diagnostics = tuple(diagnostics)
        # When the project files could not be read as one project: the YAML files the loader found
        # (briefs.yaml and those `include:` names), so that a watch still watches them for the fix.
        self.inputs = inputs
        errors = sum(d.severity is Severity.ERROR for d in self.diagnostics)
        warnings = len(self.diagnostics) - errors
        if strict and warnings and not errors:
            summary = f"{plural(warnings, 'warning')} found (--strict treats warnings as errors)"
        else:
            summary = f"{plural(errors, 'error')} found"
        super().__init__(summary)

    def format(self) -> str:
        return "\n".join(d.format() for d in self.diagnostics) + f"\n{self.message}"


def _with_hint(text: str, hint: str | None) -> str:
    text = visible(text)
    return f"{text}\n    hint: {visible(hint)}" if hint else text


# C0 controls (newline and tab included: a message is one line), DEL and the C1 controls: a
# terminal acts on them (ESC [ … colours, moves the cursor, sets the title; CSI 0x9b alone on some).
_CONTROLS = {code: f"\\x{code:02x}" for code in [*range(0x20), *range(0x7F, 0xA0)]}
_CONTROLS |= {ord("\n"): "\\n", ord("\t"): "\\t", ord("\r"): "\\r"}


def visible(text: str) -> str:
    """`text` with every control character shown as an escape (`\\x1b`), as every message shows
    text from the data: an article's ESC sequence must reach the terminal as letters, not act."""
    return text.translate(_CONTROLS)


def plural(count: int, noun: str) -> str:
    """`1 error`, `2 errors`."""
    return f"{count} {noun}{'s' if count != 1 else ''}"


def sort_diagnostics(diagnostics: Iterable[Diagnostic]) -> list[Diagnostic]:
    """File order: by path, then line and column, so a reader can walk the file top to bottom."""
    return sorted(diagnostics, key=lambda d: (str(d.location.path), d.location.line, d.location.column))


class Interrupted(KeyboardInterrupt):
    """Ctrl-C, SIGTERM or SIGHUP, raised where the program is, so that it stops as for Ctrl-C:
    helpers are stopped, nothing is left half-written, and the exit status (128 + signal) says why."""

    def __init__(self, signum: int) -> None:
        super().__init__(signum)
        self.signum = signum


_caught_signal: int | None = None


def interrupt(signum: int, frame: object = None) -> NoReturn:
    """A signal handler: remember the signal, then raise. Remembering matters because some code
    swallows even KeyboardInterrupt — WeasyPrint catches BaseException while it draws an SVG
    image and logs "Failed to render SVG image" — so `raise_if_interrupted` raises it again."""
    global _caught_signal  # noqa: PLW0603 - a signal is process-wide state
    _caught_signal = signum
    raise Interrupted(signum)


def raise_if_interrupted() -> None:
    """Raise again a signal that arrived earlier and was swallowed on the way up."""
    if _caught_signal is not None:
        raise Interrupted(_caught_signal)


def forget_interruption() -> None:
    """Start a command afresh (tests run many commands in one process)."""
    global _caught_signal  # noqa: PLW0603
    _caught_signal = None
