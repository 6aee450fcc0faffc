"""Planning a build: every output the options ask for, each with the key of everything it is made from.

The key decides whether an output is up to date (cache.py); the plan also carries what the
renderers of the run share — the template search path, hashed once per run.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from briefgen.assemble import AssembledBrief
from briefgen.build.cache import Memo, digest, library_versions, tree_digest
from briefgen.formats import DEFAULT_TEMPLATE, SHOWS_IMAGES, Format, RenderOptions
from briefgen.project.validate import ValidProject
from briefgen.renderers.pdf.evidence import evidence_files
from briefgen.renderers.pdf.job import EvidenceFile
from briefgen.renderers.pdf.settings import pdf_settings
from briefgen.renderers.templates import search_path

# Libraries whose versions can change an output's bytes (part of every cache key).
TEXT_LIBRARIES = ("jinja2", "markdown-it-py", "mdit-py-plugins")
PDF_LIBRARIES = (*TEXT_LIBRARIES, "weasyprint", "pydyf", "fonttools")
DOCX_LIBRARIES = ("python-docx", "lxml")


@dataclass(frozen=True)
class PlannedOutput:
    """One output file to make: which brief, in which format, and the key of everything it is made from."""

    path: Path
    brief: AssembledBrief
    format: Format
    key: str
    asset: bytes | None = None  # a file copied as is (the screen page's fonts)
    evidence: tuple[EvidenceFile, ...] = ()  # a PDF's attachments (part of its key, computed once)


@dataclass(frozen=True)
class Plan:
    """The outputs of one build, and the template search path they are rendered with."""

    outputs: tuple[PlannedOutput, ...]
    template_dirs: tuple[Path, ...]
    templates_digest: str  # every file on the search path (templates, CSS, fonts), hashed once

    def only(self, outputs: Sequence[PlannedOutput]) -> Plan:
        """The same plan, for some of its outputs (those not up to date)."""
        return Plan(tuple(outputs), self.template_dirs, self.templates_digest)


def plan_outputs(valid: ValidProject, briefs: Sequence[AssembledBrief], options: RenderOptions, out_dir: Path) -> Plan:
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
                planned += _timeline_figure(brief, options, out_dir, base, dirs)
            evidence: tuple[EvidenceFile, ...] = ()
            if fmt is Format.PDF:
                paper, timestamp = pdf_settings(brief, options)
                evidence = evidence_files(valid, brief)
                pdf_versions = library_versions(*PDF_LIBRARIES)
                key = digest(fmt, base, paper, timestamp, options.pdf_variant, pdf_versions, evidence)
            if fmt is Format.DOCX:
                paper, timestamp = pdf_settings(brief, options)
                key = digest(fmt, base, paper, timestamp, library_versions(*DOCX_LIBRARIES))
            planned.append(PlannedOutput(path, brief, fmt, key, evidence=evidence))
    if Format.HTML in options.formats and briefs:
        from briefgen.renderers.html import screen_assets  # noqa: PLC0415

        for name, data in screen_assets(dirs, valid.project.project.theme.logo).items():
            planned.append(PlannedOutput(out_dir / name, briefs[0], Format.HTML, digest("asset", data), data))
    return Plan(tuple(planned), dirs, templates)


def _timeline_figure(
    brief: AssembledBrief, options: RenderOptions, out_dir: Path, base: str, dirs: tuple[Path, ...]
) -> list[PlannedOutput]:
    """The Timeline figure beside a Markdown page whose flavor shows it (drawn now: it takes
    milliseconds, and is then written like any other asset)."""
    if options.flavor not in SHOWS_IMAGES or not brief.timeline:
        return []
    from briefgen.renderers.timeline import brief_timeline_svg, timeline_file_name  # noqa: PLC0415 - not for `check`

    svg = brief_timeline_svg(_as_rendered(brief, dirs, options))
    if svg is None:
        return []
    data = svg.encode("utf-8")
    return [PlannedOutput(out_dir / timeline_file_name(brief.id), brief, Format.MD, digest("timeline", base), data)]


def _as_rendered(brief: AssembledBrief, dirs: tuple[Path, ...], options: RenderOptions) -> AssembledBrief:
    """The brief with its notes numbered as its page cites them, for a figure beside the page: a
    custom template may number them otherwise than the assembly (assemble.renumbered)."""
    if brief.brief.template == DEFAULT_TEMPLATE:
        return brief
    from briefgen.renderers.markdown import render_page  # noqa: PLC0415 - not for `check`

    return render_page(brief, dirs, options.flavor).brief or brief
