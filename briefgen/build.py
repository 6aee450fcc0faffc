"""The library's entry points: check a project, list its briefs, render them.

    load ──► validate ──► assemble ──► render ──► write

Everything is rendered in memory first and written only when every brief succeeded, so a failed
run leaves earlier outputs exactly as they were.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
import os
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from .assemble import AssembledBrief, assemble_all
from .errors import Diagnostic, UsageError, ValidationFailed
from .evidence import evidence_files
from .formats import DEFAULT_FLAVOR, DEFAULT_FORMATS, Flavor, Format, Paper, PdfVariant
from .limits import Limits
from .load import DEFAULT_CONFIG, load_project
from .lock import build_lock, dump_lock, lock_path
from .render_html import render_print_html, render_screen_html, screen_assets
from .render_json import render_json
from .render_md import render_markdown
from .render_wiki import render_wikitext
from .templates import search_path
from .validate import ValidProject, validate
from .write import WriteReport, write_outputs

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class RenderOptions:
    """How to render: formats, the Markdown's flavor and front matter, and the PDF's paper, standard
    and date stamp. Flavor and front matter shape the Markdown file only: HTML and PDF are always
    made from the gfm Markdown, so the handout does not depend on the wiki the page is meant for."""

    formats: tuple[Format, ...] = DEFAULT_FORMATS
    paper: Paper | None = None  # None: each brief's own setting, else the project's (A4 by default)
    pdf_variant: PdfVariant = PdfVariant.UA1
    timestamp: dt.datetime | None = None  # None: SOURCE_DATE_EPOCH if set, else each brief's as-of date
    flavor: Flavor = DEFAULT_FLAVOR
    front_matter: bool = False


@dataclass(frozen=True)
class RenderResult:
    report: WriteReport
    warnings: tuple[Diagnostic, ...]


def check(config: Path = DEFAULT_CONFIG, *, strict: bool = False, limits: Limits | None = None) -> ValidProject:
    """Load and validate everything; raise ValidationFailed with every problem, render nothing.

    With `strict`, warnings fail too: the ValidationFailed then lists them. `limits` defaults to the
    built-in ceilings as changed by BRIEFGEN_MAX_* environment variables.
    """
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
    *,
    strict: bool = False,
    pdf_cache: dict[str, bytes] | None = None,
    limits: Limits | None = None,
) -> RenderResult:
    """Render the named briefs (all when none are named) into `out_dir`, as `options` say.

    With `strict`, a project with warnings is refused before anything is written. `pdf_cache`
    (see render_outputs) lets a long-running caller skip laying out PDFs whose HTML did not change.
    """
    valid = check(config, strict=strict, limits=limits)
    wanted = select_briefs(valid, brief_ids)
    if options.timestamp is None:
        options = replace(options, timestamp=source_date_epoch())
    briefs = assemble_all(valid, wanted)
    outputs = render_outputs(valid, briefs, options, out_dir or default_out_dir(config), pdf_cache)
    outputs[lock_path(config)] = lock_bytes(valid)  # the quotes just verified, for the next check to compare
    return RenderResult(write_outputs(outputs), valid.warnings)


def lock(config: Path = DEFAULT_CONFIG) -> RenderResult:
    """Validate, then record every quote's place in briefs.lock.json (written only if it changed)."""
    valid = check(config)
    return RenderResult(write_outputs({lock_path(config): lock_bytes(valid)}), valid.warnings)


def lock_bytes(valid: ValidProject) -> bytes:
    return dump_lock(build_lock(valid.project, valid.articles))


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


def render_outputs(
    valid: ValidProject,
    briefs: Sequence[AssembledBrief],
    options: RenderOptions,
    out_dir: Path,
    pdf_cache: dict[str, bytes] | None = None,
) -> dict[Path, bytes]:
    """Every output file's path and bytes, rendered in memory.

    A PDF is a function of its print HTML, options and attachments, so with a `pdf_cache` (for
    `watch`) an unchanged brief costs no WeasyPrint layout. The cache is left holding only this
    run's PDFs.
    """
    dirs = search_path(valid.root)
    formats = options.formats
    outputs: dict[Path, bytes] = {}
    fresh: dict[str, bytes] = {}
    for brief in briefs:
        markdown = render_markdown(brief, dirs)  # gfm: what the HTML and the PDF are made from
        if Format.MD in formats:
            page = render_markdown(brief, dirs, options.flavor, options.front_matter)
            outputs[out_dir / f"{brief.id}{Format.MD.suffix}"] = page.encode("utf-8")
        if Format.MEDIAWIKI in formats:
            outputs[out_dir / f"{brief.id}{Format.MEDIAWIKI.suffix}"] = render_wikitext(brief, dirs).encode("utf-8")
        if Format.JSON in formats:
            outputs[out_dir / f"{brief.id}{Format.JSON.suffix}"] = render_json(brief).encode("utf-8")
        if Format.HTML in formats:
            outputs[out_dir / f"{brief.id}.html"] = render_screen_html(brief, markdown, dirs).encode("utf-8")
        if Format.PDF in formats:
            outputs[out_dir / f"{brief.id}.pdf"] = _pdf(
                valid, brief, markdown, dirs, options, cache=pdf_cache, fresh=fresh
            )
    if Format.HTML in formats and briefs:
        outputs.update({out_dir / name: data for name, data in screen_assets(dirs).items()})
    if pdf_cache is not None:
        pdf_cache.clear()
        pdf_cache.update(fresh)
    return outputs


def _pdf(
    valid: ValidProject,
    brief: AssembledBrief,
    markdown: str,
    dirs: tuple[Path, ...],
    options: RenderOptions,
    *,
    cache: dict[str, bytes] | None,
    fresh: dict[str, bytes],
) -> bytes:
    paper = options.paper or brief.brief.paper or brief.settings.paper
    timestamp = options.timestamp or dt.datetime.combine(brief.brief.as_of.as_date(), dt.time(), dt.UTC)
    html = render_print_html(brief, markdown, dirs, paper=paper, timestamp=timestamp)
    attachments = evidence_files(valid, brief)
    # A PDF is a function of these inputs (print CSS is inlined in the HTML; fonts are not expected to change).
    key = hashlib.sha256(
        repr((html, options.pdf_variant, timestamp, [(a.name, a.description, a.data) for a in attachments])).encode()
    ).hexdigest()
    if cache is not None and key in cache:
        fresh[key] = cache[key]
        return fresh[key]
    from .render_pdf import render_pdf  # noqa: PLC0415 - keeps WeasyPrint out of md-only runs

    log.info("laying out %s.pdf", brief.id)
    fresh[key] = render_pdf(html, dirs, attachments=attachments, timestamp=timestamp, variant=options.pdf_variant)
    return fresh[key]
