"""The library's checks: load a project and validate everything, render nothing.

    load ──► validate

Apart from build/api.py (which re-exports them and renders), so that `briefgen check` imports
none of rendering's modules: assembling, planning, the build cache, writing, the PDF jobs (0.03 s
of a cold check's 0.25 s of imports, all before it can fork its helper: bench/RESULTS.md).
"""

from __future__ import annotations

import gc
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from briefgen.cpus import SINCE_START
from briefgen.errors import Diagnostic, Severity, ValidationFailed
from briefgen.limits import Limits
from briefgen.project import claims_memo, quote_memo, result_cache
from briefgen.project.accept import Accepted
from briefgen.project.claims_ahead import ClaimsAhead
from briefgen.project.load import DEFAULT_CONFIG, LoadedProject, load_project
from briefgen.project.scope import Scope, brief_scope
from briefgen.project.validate import Memos, ValidProject, validate
from briefgen.renderers.templates import search_path


# The library's commands may leave what checking remembers in .briefgen-cache/ (result_cache.py);
# the tools that validate a project to change it (add, suggest) only read it.
@result_cache.writing()
def check(config: Path = DEFAULT_CONFIG, *, strict: bool = False, limits: Limits | None = None) -> ValidProject:
    """Load and validate everything; raise ValidationFailed with every problem, render nothing.

    With `strict`, warnings fail too: the ValidationFailed then lists them. `limits` defaults to the
    built-in ceilings as changed by BRIEFGEN_MAX_* environment variables.
    """
    limits = limits or Limits.from_env()
    with gc_paused():  # across both: re-enabled between them, the collector would scan the whole document once
        ahead = ClaimsAhead.start(config, limits, SINCE_START)  # a large project no check has seen yet
        try:
            loaded = load_project(config, limits, ahead.later_half if ahead is not None else None)
            if ahead is not None:
                ahead.read()
            return check_loaded(loaded, strict=strict, ahead=ahead)
        finally:
            if ahead is not None:
                ahead.cancel()  # if loading or validation failed (else its result was taken: nothing to stop)


def check_loaded(loaded: LoadedProject, *, strict: bool = False, ahead: ClaimsAhead | None = None) -> ValidProject:
    """check() for a project already read (watch reads it once per save, for its scope too).

    What earlier checks found is reused (remembered_for) and what this one finds is kept: in the
    process (a watch's saves share it) and, inside `result_cache.writing()`, in .briefgen-cache/.
    """
    memos = remembered_for(loaded.root)
    with gc_paused():
        try:
            valid = validate(loaded, search_path(loaded.root), memos=memos, ahead=ahead)  # a missing template, too
        finally:
            remember(loaded.root, memos)  # also after errors: the quotes found stay found
    if strict and valid.warnings:
        raise ValidationFailed(valid.warnings, strict=True)
    return valid


def remembered_for(root: Path) -> Memos:
    """The process's memos, with what `root`'s cache holds added the first time `root` is checked."""
    return Memos(quote_memo.memo_for(root), claims_memo.memo_for(root))


def remember(root: Path, memos: Memos) -> None:
    """Save the memos that changed to `root`'s cache (only inside `result_cache.writing()`)."""
    quote_memo.save(root, memos.quotes)
    claims_memo.save(root, memos.claims)


@dataclass(frozen=True)
class ScopedCheck:
    """What `check BRIEF-ID…` found about some briefs and what they rest on (project/scope.py)."""

    scope: Scope
    warnings: tuple[Diagnostic, ...]
    accepted: tuple[Accepted, ...]
    errors_elsewhere: int  # errors about items outside the scope (then nothing was accepted or linted)


@result_cache.writing()
def check_briefs(
    config: Path, brief_ids: Sequence[str], *, strict: bool = False, limits: Limits | None = None
) -> ScopedCheck:
    """check() for some briefs: the whole project is validated, and only the problems about those
    briefs, the facts they name and the sources and entities those rest on are reported. Errors
    elsewhere do not fail it (they are counted); an unknown brief id is a usage error."""
    with gc_paused():
        loaded = load_project(config, limits)
    scope = brief_scope(loaded.document.data, brief_ids, loaded.config)
    try:
        valid = check_loaded(loaded)
    except ValidationFailed as failed:
        inside = scope.only(failed.diagnostics)
        if any(d.severity is Severity.ERROR for d in inside):
            raise ValidationFailed(inside) from None
        elsewhere = sum(d.severity is Severity.ERROR for d in failed.diagnostics)
        return _strictly(ScopedCheck(scope, inside, (), elsewhere), strict)
    accepted = tuple(a for a in valid.accepted if scope.covers(a.warning))
    return _strictly(ScopedCheck(scope, scope.only(valid.warnings), accepted, 0), strict)


def _strictly(result: ScopedCheck, strict: bool) -> ScopedCheck:
    if strict and result.warnings:
        raise ValidationFailed(result.warnings, strict=True)
    return result


@contextmanager
def gc_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector while building large acyclic data (YAML nodes, models).

    CPython's collector rescans every live object as allocations pile up; with a 10,000-fact project
    that tripled the time to parse briefs.yaml. Reference counting still frees everything here.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
