"""Format → renderer: the one place that says how each output format is made.

A renderer takes the run (what every renderer of one build shares) and the output it is asked for,
and returns the file's bytes — or, for a PDF, the job that lays it out, since PDFs are laid out
together across processes (pdf/pool.py). A new format is one function and one entry here.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Protocol

import jinja2

from briefgen.assemble import AssembledBrief
from briefgen.formats import Flavor, Format, RenderOptions
from briefgen.renderers.docx import render_docx
from briefgen.renderers.html import html_environment, render_print_html, render_screen_html
from briefgen.renderers.jsondoc import render_json
from briefgen.renderers.markdown import Page, TextEnvironments, render_page, with_front_matter
from briefgen.renderers.pdf.job import EvidenceFile, PdfJob
from briefgen.renderers.pdf.settings import pdf_settings
from briefgen.renderers.templates import find_template_file
from briefgen.renderers.wikitext import render_wikitext


class Wanted(Protocol):
    """An output to make: where it goes, which brief, and (for a PDF) the evidence it attaches."""

    @property
    def path(self) -> Path: ...
    @property
    def brief(self) -> AssembledBrief: ...
    @property
    def evidence(self) -> tuple[EvidenceFile, ...]: ...


class RenderRun:
    """What the renderers of one build share: the template search path and its digest, the Jinja
    environments (templates compile once per run, not once per brief), and each brief's Markdown
    page per flavor — so the gfm page that HTML and PDF are made from is rendered once, and is the
    Markdown file itself when the flavor is gfm."""

    def __init__(self, template_dirs: tuple[Path, ...], options: RenderOptions, templates_digest: str) -> None:
        self.template_dirs = template_dirs
        self.options = options
        self.templates_digest = templates_digest
        self._environments = _environments(template_dirs, templates_digest)
        self.text_environments = self._environments.text
        self._pages: dict[tuple[str, Flavor, bool, bool], Page] = {}

    def page(self, brief: AssembledBrief, flavor: Flavor = Flavor.GFM, front_matter: bool = False) -> Page:
        return self._page(brief, flavor, front_matter, handout=False)

    def handout_page(self, brief: AssembledBrief) -> Page:
        """The gfm page the PDF and HTML are made from: the Markdown file's own page unless
        `project.handout` asks the handout to show less (render_page)."""
        return self._page(brief, Flavor.GFM, False, handout=not brief.settings.handout.curator_notes)

    def _page(self, brief: AssembledBrief, flavor: Flavor, front_matter: bool, *, handout: bool) -> Page:
        key = (brief.id, flavor, front_matter, handout)
        if key not in self._pages:
            self._pages[key] = render_page(
                brief, self.template_dirs, flavor, self.text_environments, front_matter, handout=handout
            )
        return self._pages[key]

    @property
    def html_environment(self) -> jinja2.Environment:
        return self._environments.html


class _Environments:
    """The Jinja environments of one template search path as it is (by its digest), with what
    they have compiled."""

    def __init__(self, template_dirs: tuple[Path, ...]) -> None:
        self.template_dirs = template_dirs
        self.text = TextEnvironments(template_dirs)
        self._html: jinja2.Environment | None = None

    @property
    def html(self) -> jinja2.Environment:
        if self._html is None:
            self._html = html_environment(self.template_dirs)
        return self._html


_LAST_ENVIRONMENTS: dict[tuple[tuple[Path, ...], str], _Environments] = {}


def _environments(template_dirs: tuple[Path, ...], templates_digest: str) -> _Environments:
    """The environments of the last run, while not one file on the search path has changed (the
    digest hashes them all): a watch then compiles its templates once, not once per save."""
    key = (template_dirs, templates_digest)
    found = _LAST_ENVIRONMENTS.get(key)
    if found is None:
        _LAST_ENVIRONMENTS.clear()
        found = _LAST_ENVIRONMENTS[key] = _Environments(template_dirs)
    return found


def _markdown(run: RenderRun, wanted: Wanted) -> bytes:
    options = run.options
    text = run.page(wanted.brief, options.flavor, options.front_matter).text
    return with_front_matter(wanted.brief, text, options.flavor, options.front_matter).encode("utf-8")


def _screen_html(run: RenderRun, wanted: Wanted) -> bytes:
    page = run.handout_page(wanted.brief)
    return render_screen_html(wanted.brief, page, run.template_dirs, run.html_environment).encode("utf-8")


def _pdf(run: RenderRun, wanted: Wanted) -> PdfJob:
    paper, timestamp = pdf_settings(wanted.brief, run.options)
    html = render_print_html(
        wanted.brief,
        run.handout_page(wanted.brief),
        run.template_dirs,
        paper=paper,
        timestamp=timestamp,
        env=run.html_environment,
    )
    variant = run.options.pdf_variant
    return PdfJob(wanted.path, html, run.template_dirs, wanted.evidence, timestamp, variant, run.templates_digest)


def _wikitext(run: RenderRun, wanted: Wanted) -> bytes:
    return render_wikitext(wanted.brief, run.template_dirs, run.text_environments).encode("utf-8")


def _json(run: RenderRun, wanted: Wanted) -> bytes:
    return render_json(wanted.brief).encode("utf-8")


def _docx(run: RenderRun, wanted: Wanted) -> bytes:
    """The Word file follows the brief's Markdown template: the blocks its gfm page shows, in that
    order, and the brief as that page numbers its notes (so the same notes, in reading order)."""
    page = run.page(wanted.brief)
    assert page.brief is not None  # render_text always sets it
    paper, timestamp = pdf_settings(wanted.brief, run.options)  # the handout's paper and date stamp
    logo_name = wanted.brief.settings.theme.logo
    logo = find_template_file(run.template_dirs, logo_name) if logo_name else None
    brief = _leads_with_their_notes(wanted.brief, page.brief)
    return render_docx(brief, paper, timestamp, logo.read_bytes() if logo else None, page.shown_blocks())


def _leads_with_their_notes(assembled: AssembledBrief, shown: AssembledBrief) -> AssembledBrief:
    """`shown` (the brief as its page numbers it) less the section leads whose notes the page does
    not all cite: Word writes a section's lead with its section, but a template may show sections
    without leads, and an analyst's judgement is never shown without the
    notes it rests on."""
    sections = tuple(
        replace(block, lead=None) if block.lead and old.lead and len(block.lead.notes) < len(old.lead.notes) else block
        for old, block in zip(assembled.sections, shown.sections, strict=True)
    )
    return shown if sections == shown.sections else replace(shown, sections=sections)


Renderer = Callable[[RenderRun, Wanted], bytes | PdfJob]
RENDERERS: dict[Format, Renderer] = {
    Format.MD: _markdown,
    Format.PDF: _pdf,
    Format.HTML: _screen_html,
    Format.MEDIAWIKI: _wikitext,
    Format.JSON: _json,
    Format.DOCX: _docx,
}
