"""The library's entry points: check a project, list its briefs, render them.

    load ──► validate ──► assemble ──► render ──► write

Everything is rendered in memory first and written only when every brief succeeded, so a failed
run leaves earlier outputs exactly as they were.
"""

from __future__ import annotations

import datetime as dt
import gc
import logging
import os
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, replace
from pathlib import Path

from briefgen.assemble import AssembledBrief, assemble_all
from briefgen.build.cache import BuildCache, Memo, digest, library_versions, tree_digest
from briefgen.build.write import WriteReport, write_outputs
from briefgen.errors import Diagnostic, UsageError, ValidationFailed
from briefgen.formats import DEFAULT_FLAVOR, DEFAULT_FORMATS, Flavor, Format, Paper, PdfVariant
from briefgen.limits import Limits
from briefgen.project.load import DEFAULT_CONFIG, load_project
from briefgen.project.lock import build_lock, dump_lock, lock_path
from briefgen.project.validate import ValidProject, validate
from briefgen.renderers.pdf.evidence import evidence_files
from briefgen.renderers.pdf.layout import EvidenceFile
from briefgen.renderers.pdf.pool import PdfJob, Progress, render_pdfs
from briefgen.renderers.templates import search_path

log = logging.getLogger(__name__)

# Libraries whose versions can change an output's bytes (part of every cache key).
TEXT_LIBRARIES = ("jinja2", "markdown-it-py", "mdit-py-plugins")
PDF_LIBRARIES = (*TEXT_LIBRARIES, "weasyprint", "pydyf", "fonttools")


@dataclass(frozen=True)
class RenderOptions:
    """How to render: formats, the Markdown's flavor and front matter, and the PDF's paper, standard
    and date stamp; and how to build. Flavor and front matter shape the Markdown file only: HTML and
    PDF are always made from the gfm Markdown, so the handout does not depend on the wiki the page
    is meant for."""

    formats: tuple[Format, ...] = DEFAULT_FORMATS
    paper: Paper | None = None  # None: each brief's own setting, else the project's (A4 by default)
    pdf_variant: PdfVariant = PdfVariant.UA1
    timestamp: dt.datetime | None = None  # None: SOURCE_DATE_EPOCH if set, else each brief's as-of date
    flavor: Flavor = DEFAULT_FLAVOR
    front_matter: bool = False
    jobs: int | None = None  # processes laying out PDFs; None: one per CPU
    force: bool = False  # render even the outputs whose inputs have not changed


@dataclass(frozen=True)
class RenderResult:
    report: WriteReport
    warnings: tuple[Diagnostic, ...]
    up_to_date: tuple[Path, ...] = ()  # not rendered again: nothing they are made from had changed
    rendered: tuple[Path, ...] = ()  # rendered this run (then written, or found byte-identical on disk)


def check(config: Path = DEFAULT_CONFIG, *, strict: bool = False, limits: Limits | None = None) -> ValidProject:
    """Load and validate everything; raise ValidationFailed with every problem, render nothing.

    With `strict`, warnings fail too: the ValidationFailed then lists them. `limits` defaults to the
    built-in ceilings as changed by BRIEFGEN_MAX_* environment variables.
    """
    with _gc_paused():
        valid = validate(load_project(config, limits))
    if strict and valid.warnings:
        raise ValidationFailed(valid.warnings, strict=True)
    return valid


def default_out_dir(config: Path) -> Path:
    """Outputs go to `out/` beside briefs.yaml unless --out says otherwise."""
    return config.parent / "out"


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
    valid = check(config, strict=strict, limits=limits)
    wanted = select_briefs(valid, brief_ids)
    if options.timestamp is None:
        options = replace(options, timestamp=source_date_epoch())
    out_dir = out_dir or default_out_dir(config)
    with _gc_paused():
        planned = plan_outputs(valid, assemble_all(valid, wanted), options, out_dir)
        cache = BuildCache(out_dir) if options.force else BuildCache.load(out_dir)
        stale = [output for output in planned if not cache.is_fresh(output.path, output.key)]
    with _gc_frozen():
        outputs = _render_planned(valid, stale, options, progress)
    outputs[lock_path(config)] = lock_bytes(valid)  # the quotes just verified, for the next check to compare
    report = write_outputs(outputs)
    for output in stale:
        cache.record(output.path, output.key, outputs[output.path])
    cache.save()
    up_to_date = tuple(output.path for output in planned if output not in stale)
    return RenderResult(report, valid.warnings, up_to_date, tuple(output.path for output in stale))


def lock(config: Path = DEFAULT_CONFIG) -> RenderResult:
    """Validate, then record every quote's place in briefs.lock.json (written only if it changed)."""
    valid = check(config)
    return RenderResult(write_outputs({lock_path(config): lock_bytes(valid)}), valid.warnings)


def lock_bytes(valid: ValidProject) -> bytes:
    return dump_lock(build_lock(valid.located_quotes()))


def source_date_epoch() -> dt.datetime | None:
    """The reproducible-builds timestamp (https://reproducible-builds.org/specs/source-date-epoch/)."""
    value = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if not value:
        return None
    if not value.isdigit():
        raise UsageError(f"SOURCE_DATE_EPOCH must be a whole number of seconds, not {value!r}")
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


@dataclass(frozen=True)
class PlannedOutput:
    """One output file to make: which brief, in which format, and the key of everything it is made from."""

    path: Path
    brief: AssembledBrief
    format: Format
    key: str
    asset: bytes | None = None  # a file copied as is (the screen page's fonts)
    evidence: tuple[EvidenceFile, ...] = ()  # a PDF's attachments (part of its key, computed once)


def plan_outputs(
    valid: ValidProject, briefs: Sequence[AssembledBrief], options: RenderOptions, out_dir: Path
) -> list[PlannedOutput]:
    """Every output the options ask for, each with its cache key."""
    dirs = search_path(valid.root)
    templates = tree_digest(dirs)
    text_versions = library_versions(*TEXT_LIBRARIES)
    planned: list[PlannedOutput] = []
    memo: Memo = {}
    for brief in briefs:
        base = digest(brief, templates, [str(d) for d in dirs], text_versions, memo=memo)
        for fmt in dict.fromkeys(options.formats):
            path, key = out_dir / f"{brief.id}{fmt.suffix}", digest(fmt, base)
            if fmt is Format.MD:
                key = digest(fmt, base, options.flavor, options.front_matter)
            evidence: tuple[EvidenceFile, ...] = ()
            if fmt is Format.PDF:
                paper, timestamp = _pdf_settings(brief, options)
                evidence = evidence_files(valid, brief)
                pdf_versions = library_versions(*PDF_LIBRARIES)
                key = digest(fmt, base, paper, timestamp, options.pdf_variant, pdf_versions, evidence)
            planned.append(PlannedOutput(path, brief, fmt, key, evidence=evidence))
    if Format.HTML in options.formats and briefs:
        from briefgen.renderers.html import screen_assets  # noqa: PLC0415

        for name, data in screen_assets(dirs).items():
            planned.append(PlannedOutput(out_dir / name, briefs[0], Format.HTML, digest("asset", data), data))
    return planned


def render_outputs(
    valid: ValidProject,
    briefs: Sequence[AssembledBrief],
    options: RenderOptions,
    out_dir: Path,
    progress: Progress | None = None,
) -> dict[Path, bytes]:
    """Every output file's path and bytes, rendered in memory (no cache: everything is rendered)."""
    return _render_planned(valid, plan_outputs(valid, briefs, options, out_dir), options, progress)


def _render_planned(
    valid: ValidProject, planned: Sequence[PlannedOutput], options: RenderOptions, progress: Progress | None
) -> dict[Path, bytes]:
    """Render the planned outputs: Markdown and HTML here, PDFs laid out across processes."""
    if not planned:
        return {}
    from briefgen.renderers.html import html_environment, render_print_html, render_screen_html  # noqa: PLC0415
    from briefgen.renderers.jsondoc import render_json  # noqa: PLC0415
    from briefgen.renderers.markdown import TextEnvironments, render_markdown  # noqa: PLC0415
    from briefgen.renderers.wikitext import render_wikitext  # noqa: PLC0415

    dirs = search_path(valid.root)
    text_envs, html_env = TextEnvironments(dirs), html_environment(dirs)
    fonts_key = tree_digest(dirs) if any(p.format is Format.PDF for p in planned) else None
    markdown: dict[str, str] = {}
    outputs: dict[Path, bytes] = {}
    pdf_jobs: list[PdfJob] = []
    for output in planned:
        brief = output.brief
        if output.asset is not None:
            outputs[output.path] = output.asset
            continue
        if output.format is Format.MEDIAWIKI:
            outputs[output.path] = render_wikitext(brief, dirs, text_envs).encode("utf-8")
            continue
        if output.format is Format.JSON:
            outputs[output.path] = render_json(brief).encode("utf-8")
            continue
        if brief.id not in markdown:  # gfm: what the HTML and the PDF are made from
            markdown[brief.id] = render_markdown(brief, dirs, environments=text_envs)
        text = markdown[brief.id]
        if output.format is Format.MD:
            page = render_markdown(brief, dirs, options.flavor, options.front_matter, text_envs)
            outputs[output.path] = page.encode("utf-8")
        elif output.format is Format.HTML:
            outputs[output.path] = render_screen_html(brief, text, dirs, html_env).encode("utf-8")
        elif output.format is Format.PDF:
            paper, timestamp = _pdf_settings(brief, options)
            html = render_print_html(brief, text, dirs, paper=paper, timestamp=timestamp, env=html_env)
            pdf_jobs.append(PdfJob(output.path, html, dirs, output.evidence, timestamp, options.pdf_variant, fonts_key))
    if pdf_jobs:
        log.info("laying out %d PDF%s", len(pdf_jobs), "s" if len(pdf_jobs) != 1 else "")
        outputs.update(render_pdfs(pdf_jobs, options.jobs, progress))
    return {output.path: outputs[output.path] for output in planned}


def _pdf_settings(brief: AssembledBrief, options: RenderOptions) -> tuple[Paper, dt.datetime]:
    """The paper and date stamp of a brief's PDF: the options', else the brief's, else the project's."""
    paper = options.paper or brief.brief.paper or brief.settings.paper
    timestamp = options.timestamp or dt.datetime.combine(brief.brief.as_of.as_date(), dt.time(), dt.UTC)
    return paper, timestamp


@contextmanager
def _gc_frozen() -> Iterator[None]:
    """Keep the collector running (layout makes cyclic garbage) but exempt what exists now — the
    loaded project, which lives until the end — from every collection."""
    frozen_before = gc.get_freeze_count()
    gc.freeze()
    try:
        yield
    finally:
        if not frozen_before:
            gc.unfreeze()


@contextmanager
def _gc_paused() -> Iterator[None]:
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
