"""The library's entry points: check a project, list its briefs, render them.

    load ──► validate ──► assemble ──► render ──► write

Everything is rendered in memory first and written only when every brief succeeded, so a failed
run leaves earlier outputs exactly as they were.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from .assemble import AssembledBrief, assemble_all
from .errors import Diagnostic, UsageError
from .formats import DEFAULT_FORMATS, Format
from .load import DEFAULT_CONFIG, load_project
from .render_html import render_html
from .render_md import render_markdown
from .templates import search_path
from .validate import ValidProject, validate
from .write import WriteReport, write_outputs

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class RenderResult:
    report: WriteReport
    warnings: tuple[Diagnostic, ...]


def check(config: Path = DEFAULT_CONFIG) -> ValidProject:
    """Load and validate everything; raise ValidationFailed with every problem, render nothing."""
    return validate(load_project(config))


def default_out_dir(config: Path) -> Path:
    """Outputs go to `out/` beside briefs.yaml unless --out says otherwise."""
    return config.parent / "out"


def render(
    config: Path = DEFAULT_CONFIG,
    brief_ids: Sequence[str] = (),
    formats: Iterable[Format] = DEFAULT_FORMATS,
    out_dir: Path | None = None,
) -> RenderResult:
    """Render the named briefs (all when none are named) in the given formats into `out_dir`."""
    valid = check(config)
    wanted = select_briefs(valid, brief_ids)
    outputs = render_outputs(valid, assemble_all(valid, wanted), tuple(formats), out_dir or default_out_dir(config))
    return RenderResult(write_outputs(outputs), valid.warnings)


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
    valid: ValidProject, briefs: Sequence[AssembledBrief], formats: tuple[Format, ...], out_dir: Path
) -> dict[Path, bytes]:
    """Every output file's path and bytes, rendered in memory."""
    dirs = search_path(valid.root)
    outputs: dict[Path, bytes] = {}
    for brief in briefs:
        markdown = render_markdown(brief, dirs)
        if Format.MD in formats:
            outputs[out_dir / f"{brief.id}.md"] = markdown.encode("utf-8")
        if Format.HTML in formats or Format.PDF in formats:
            html = render_html(brief, markdown, dirs)
            if Format.HTML in formats:
                outputs[out_dir / f"{brief.id}.html"] = html.encode("utf-8")
            if Format.PDF in formats:
                from .render_pdf import render_pdf  # noqa: PLC0415 - keeps WeasyPrint out of md-only runs

                log.info("laying out %s.pdf", brief.id)
                outputs[out_dir / f"{brief.id}.pdf"] = render_pdf(html, dirs)
    return outputs
