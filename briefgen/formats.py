"""Output choices: formats, Markdown flavors, paper, PDF standards, and the RenderOptions that bundle
them (a module of its own, low in the layers, so the CLI need not import the pipeline)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import StrEnum


class Format(StrEnum):
    MD = "md"
    PDF = "pdf"
    HTML = "html"
    MEDIAWIKI = "mediawiki"
    JSON = "json"
    DOCX = "docx"

    @property
    def suffix(self) -> str:
        """The output file's extension: `<brief-id>.md`, `.pdf`, `.html`, `.wiki`, `.json`, `.docx`."""
        return ".wiki" if self is Format.MEDIAWIKI else f".{self.value}"


DEFAULT_FORMATS = (Format.MD, Format.PDF)

# A brief's `template:` names its Markdown template, `NAME.md.j2`; each format that is made through
# a template of its own finds it by the same NAME. HTML and PDF are made from the Markdown page
# (inside the shared print.html.j2 / screen.html.j2 shells), so they follow the Markdown template;
# DOCX shows the blocks the Markdown template shows.
DEFAULT_TEMPLATE = "brief.md.j2"
MARKDOWN_TEMPLATE_SUFFIX = ".md.j2"
_TEMPLATE_SUFFIXES = {Format.MD: ".md.j2", Format.PDF: ".md.j2", Format.HTML: ".md.j2", Format.MEDIAWIKI: ".wiki.j2"}


def format_template(template: str, format_: Format) -> str | None:
    """The template `format_` renders a brief with `template:` through; None when the format has
    none for it — a brief must then not be rendered in that format (never a silent full brief).

    `brief.md.j2` (the default) → `brief.wiki.j2` for MediaWiki. JSON is the brief's data, whatever
    its template. DOCX is made from the Markdown template's structure: the blocks it shows, in its
    order, each written as Word writes it (renderers/docx/).
    """
    if format_ in (Format.JSON, Format.DOCX):
        return template
    suffix = _TEMPLATE_SUFFIXES[format_]
    if suffix == MARKDOWN_TEMPLATE_SUFFIX:
        return template
    if not template.endswith(MARKDOWN_TEMPLATE_SUFFIX):
        return None
    return template.removesuffix(MARKDOWN_TEMPLATE_SUFFIX) + suffix


class Flavor(StrEnum):
    """The Markdown dialect of `--format md`: where the page will be rendered."""

    GFM = "gfm"  # GitHub/GitLab repository files, Obsidian, Wiki.js: `[^n]` footnotes
    GITHUB_WIKI = "github-wiki"  # GitHub wikis render no footnotes: superscript links to the Sources list
    MKDOCS = "mkdocs"  # Python-Markdown with the footnotes and tables extensions
    PANDOC = "pandoc"  # pandoc's own Markdown


DEFAULT_FLAVOR = Flavor.GFM
# The flavors whose pages show the Timeline figure (`<brief-id>-timeline.svg`, written beside the
# page): their engines display images. Not gfm: the handout is made from the gfm page, and
# markdown-it there renders no images (an image would be a fetch, a tracking pixel on screen).
SHOWS_IMAGES = (Flavor.GITHUB_WIKI, Flavor.MKDOCS, Flavor.PANDOC)


class Paper(StrEnum):
    """Paper sizes, by their CSS `size` names."""

    A4 = "a4"
    LETTER = "letter"


class PdfVariant(StrEnum):
    """PDF standards WeasyPrint can target. Both are tagged (structure for screen readers)."""

    UA1 = "pdf/ua-1"  # accessible: tagged, with title and language
    A3B = "pdf/a-3b"  # archival, with embedded files allowed (our evidence attachments)


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
    jobs: int | None = None  # processes laying out PDFs; None: as many as pay (pdf/workers.py)
    force: bool = False  # render even the outputs whose inputs have not changed
