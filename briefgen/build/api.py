"""The library's entry points: check a project, list its briefs, render them.

    load ──► validate ──► assemble ──► render ──► write

Everything is rendered in memory first and written only when every brief succeeded, so a failed
run leaves earlier outputs exactly as they were. Checking (load and validate) is in checking.py.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING

from briefgen.assemble import AssembledBrief, assemble_all
from briefgen.build.assets import asset_diagnostics
from briefgen.build.cache import BuildCache
from briefgen.build.checking import ScopedCheck, check, check_briefs, check_loaded, gc_paused
from briefgen.build.plan import Plan, plan_outputs
from briefgen.build.write import WriteReport, ensure_inside, write_outputs
from briefgen.collector import frozen_meanwhile
from briefgen.errors import AssetError, Diagnostic, UsageError, ValidationFailed
from briefgen.formats import Format, RenderOptions, format_template
from briefgen.limits import Limits
from briefgen.project import result_cache
from briefgen.project.load import DEFAULT_CONFIG, LoadedProject, load_project
from briefgen.project.lock import build_lock, dump_lock, lock_path
from briefgen.project.validate import ValidProject
from briefgen.project.variants import resolve_extends
from briefgen.renderers.templates import no_template_error, search_path

if TYPE_CHECKING:  # the PDF pool (multiprocessing, concurrent.futures) is imported only to render
    from briefgen.renderers.pdf.pool import Progress

log = logging.getLogger(__name__)

__all__ = [
    "RenderOptions",
    "RenderResult",
    "ScopedCheck",
    "check",
    "check_briefs",
    "lock",
    "render",
]  # RenderOptions: from formats.py


@dataclass(frozen=True)
class RenderResult:
    report: WriteReport
    warnings: tuple[Diagnostic, ...]
    up_to_date: tuple[Path, ...] = ()  # not rendered again: nothing they are made from had changed
    rendered: tuple[Path, ...] = ()  # rendered this run (then written, or found byte-identical on disk)


def default_out_dir(config: Path) -> Path:
    """Outputs go to `out/` beside briefs.yaml unless --out says otherwise."""
    return config.parent / "out"


@result_cache.writing()
def render(
    config: Path = DEFAULT_CONFIG,
    brief_ids: Sequence[str] = (),
    options: RenderOptions = RenderOptions(),
    out_dir: Path | None = None,
    progress: Progress | None = None,
    *,
    strict: bool = False,
    limits: Limits | None = None,
) -> RenderResult:
    """Render the named briefs (all when none are named) into `out_dir`, as `options` say.

    Every run validates the whole project (with `strict`, a project with warnings is refused
    before anything is written); outputs whose inputs have not changed since they were written
    (see cache.py) are not rendered again unless `options.force`. `progress` is told as each PDF
    is laid out.
    """
    with gc_paused():
        loaded = load_project(config, limits)
    return render_loaded(loaded, brief_ids, options, out_dir, progress, strict=strict)


@result_cache.writing()
def render_loaded(
    loaded: LoadedProject,
    brief_ids: Sequence[str] = (),
    options: RenderOptions = RenderOptions(),
    out_dir: Path | None = None,
    progress: Progress | None = None,
    *,
    strict: bool = False,
) -> RenderResult:
    """render() for a project already read."""
    config = loaded.config
    valid = check_loaded(loaded, strict=strict)
    wanted = select_briefs(valid, brief_ids)
    refuse_untemplated(loaded, valid, wanted, options.formats)
    if options.timestamp is None:
        options = replace(options, timestamp=source_date_epoch())
    out_dir = out_dir or default_out_dir(config)
    with _assets_located(loaded, valid):
        with gc_paused():
            plan = plan_outputs(valid, assemble_all(valid, wanted), options, out_dir)
            ensure_inside(out_dir, [*(output.path for output in plan.outputs), BuildCache(out_dir).path])
            cache = BuildCache(out_dir) if options.force else BuildCache.load(out_dir)
            stale = [output for output in plan.outputs if not cache.is_fresh(output.path, output.key)]
        with frozen_meanwhile():  # the collector runs during layout; the project is exempt
            outputs = _render_planned(plan.only(stale), options, progress)
    outputs[lock_path(config)] = lock_bytes(valid)  # the quotes just verified, for the next check to compare
    report = write_outputs(outputs)
    for output in stale:
        cache.record(output.path, output.key, outputs[output.path])
    cache.save()
    up_to_date = tuple(output.path for output in plan.outputs if output not in stale)
    return RenderResult(report, valid.warnings, up_to_date, tuple(output.path for output in stale))


def refuse_untemplated(
    loaded: LoadedProject, valid: ValidProject, brief_ids: Sequence[str], formats: Sequence[Format]
) -> None:
    """Refuse, before anything is rendered, a brief asked for in a format its template has no
    counterpart for (never a silent full brief), each located at the brief's `template:` value."""
    document, _ = resolve_extends(loaded.document)  # an inherited template is located where it is written
    dirs = search_path(loaded.root)
    problems = []
    for brief_id in brief_ids:
        template = valid.project.briefs[brief_id].template
        for format_ in dict.fromkeys(formats):
            name = format_template(template, format_)
            if name is None or (format_ is not Format.DOCX and not any((d / name).is_file() for d in dirs)):
                error = no_template_error(brief_id, template, format_)
                problems.append(
                    Diagnostic(document.locate(("briefs", brief_id, "template")), error.message, error.hint)
                )
    if problems:
        raise ValidationFailed(problems)


@result_cache.writing()
def lock(config: Path = DEFAULT_CONFIG) -> RenderResult:
    """Validate, then record every quote's place in briefs.lock.json (written only if it changed)."""
    valid = check(config)
    return RenderResult(write_outputs({lock_path(config): lock_bytes(valid)}), valid.warnings)


def lock_bytes(valid: ValidProject) -> bytes:
    return dump_lock(build_lock(valid.located_quotes()))


LAST_EPOCH = 253_402_300_800  # 10000-01-01T00:00:00Z


def source_date_epoch() -> dt.datetime | None:
    """The reproducible-builds timestamp (https://reproducible-builds.org/specs/source-date-epoch/)."""
    value = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if not value:
        return None
    if not (value.isascii() and value.isdigit()):  # str.isdigit alone accepts '²' and other digits
        raise UsageError(f"SOURCE_DATE_EPOCH must be a whole number of seconds, not {value!r}")
    if len(value) > 12 or int(value) >= LAST_EPOCH:  # a date the calendar (and a PDF) can hold
        raise UsageError(f"SOURCE_DATE_EPOCH {value} is out of range: it must be a time before the year 10000")
    return dt.datetime.fromtimestamp(int(value), tz=dt.UTC)


def select_briefs(valid: ValidProject, brief_ids: Sequence[str]) -> list[str]:
    """The brief ids to render, in the order given; unknown ids are a usage error (exit 2)."""
    known = list(valid.project.briefs)
    unknown = [b for b in brief_ids if b not in known]
    if unknown:
        raise UsageError(
            f"unknown brief {', '.join(map(repr, unknown))}", f"briefs in {valid.config}: {', '.join(known)}"
        )
    return list(dict.fromkeys(brief_ids)) if brief_ids else known


def render_outputs(
    valid: ValidProject,
    briefs: Sequence[AssembledBrief],
    options: RenderOptions,
    out_dir: Path,
    progress: Progress | None = None,
) -> dict[Path, bytes]:
    """Every output file's path and bytes, rendered in memory (no cache: everything is rendered)."""
    return _render_planned(plan_outputs(valid, briefs, options, out_dir), options, progress)


def _render_planned(plan: Plan, options: RenderOptions, progress: Progress | None) -> dict[Path, bytes]:
    """Render the planned outputs through the registry; PDFs are then laid out across processes."""
    if not plan.outputs:
        return {}
    from briefgen.renderers.pdf.job import PdfJob  # noqa: PLC0415 - rendering's imports stay out of `check`
    from briefgen.renderers.pdf.pool import render_pdfs  # noqa: PLC0415
    from briefgen.renderers.registry import RENDERERS, RenderRun  # noqa: PLC0415

    run = RenderRun(plan.template_dirs, options, plan.templates_digest)
    outputs: dict[Path, bytes] = {}
    pdf_jobs: list[PdfJob] = []
    for output in plan.outputs:
        made = output.asset if output.asset is not None else RENDERERS[output.format](run, output)
        if isinstance(made, PdfJob):
            pdf_jobs.append(made)
        else:
            outputs[output.path] = made
    if pdf_jobs:
        log.info("laying out %d PDF%s", len(pdf_jobs), "s" if len(pdf_jobs) != 1 else "")
        outputs.update(render_pdfs(pdf_jobs, options.jobs, progress))
    return {output.path: outputs[output.path] for output in plan.outputs}


@contextmanager
def _assets_located(loaded: LoadedProject, valid: ValidProject) -> Iterator[None]:
    """A file the handout cannot load (its logo, a font, an image a stylesheet names) refuses the
    build, with each failure located where the file is named (assets.py)."""
    try:
        yield
    except AssetError as exc:
        logo = valid.project.project.theme.logo
        raise ValidationFailed(asset_diagnostics(exc, loaded.document, search_path(loaded.root), logo)) from None
