"""Render Word (.docx): the handout as a WordprocessingML document, with real Word footnotes.

It follows the brief's Markdown template: the blocks the template's page shows, in its order, each
written the Word way (a template's own text around them is not in the Word file).

Built with python-docx on its bundled blank template. python-docx has no footnote API, so the
footnotes part (`word/footnotes.xml`: the two separator notes, then one note per reference) is
written here as WordprocessingML and attached through python-docx's packaging layer (a part, its
relationship from the document, its content type).

Notes follow Chicago's notes style, as Word users expect: every reference is a Word footnote,
numbered by Word; a source's first note gives its full reference, later ones its short form
(wording.short_citations); the Sources list at the end keeps the full references.

Data is inert: every string from briefs.yaml or an article is a text node (`w:t`), so nothing in
it can become a field, a hyperlink or a macro. The only fields are the PAGE and NUMPAGES of the
page footers, written here; addresses are shown, not linked.

Reproducible: the zip entries keep python-docx's write order, with one fixed date (the brief's
as-of date, or SOURCE_DATE_EPOCH), as do the document's core properties; no thumbnail is kept.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Sequence

from docx import Document

from briefgen.assemble import AssembledBrief
from briefgen.formats import Paper
from briefgen.renderers.docx.body import Writer
from briefgen.renderers.docx.package import clear_template_leftovers, fixed_zip, set_properties
from briefgen.renderers.docx.style import HANGUL, SANS, SERIF, accent_colour, define_styles, set_up_page

__all__ = ["BLOCKS", "HANGUL", "SANS", "SERIF", "render_docx"]

# The built-in template's blocks (templates/brief.md.j2) in its order: the Word file of a brief
# with the default template. `header` is the masthead and `footnotes` the footnotes part, which
# every Word file has (Word's footnotes are its notes, wherever the template puts its own).
BLOCKS = (
    *("header", "summary", "bottom_line", "sections", "timeline", "key_figures", "key_actors"),
    *("assessment", "sources", "footnotes"),
)


def render_docx(
    brief: AssembledBrief,
    paper: Paper,
    timestamp: dt.datetime,
    logo: bytes | None = None,
    blocks: Sequence[str] = BLOCKS,
) -> bytes:
    """The brief as a .docx file's bytes: the same for the same brief, paper, timestamp, logo
    (`project.theme.logo`'s bytes, shown on the masthead when Word can show it: PNG, JPEG, GIF)
    and blocks: the built-in blocks the brief's template shows, in its order (Page.shown_blocks),
    each written as Word writes it; a template's own blocks are not built-in and are left out."""
    document = Document()
    clear_template_leftovers(document)
    accent = accent_colour(brief)
    define_styles(document, brief.settings.language, accent)
    writer = Writer(document, brief, set_up_page(document, brief, paper), accent)
    writer.masthead(logo)
    for name in blocks:
        write = writer.blocks.get(name)
        if write is not None:
            write()
    writer.attach_footnotes()
    set_properties(document, brief, timestamp)
    buffer = io.BytesIO()
    document.save(buffer)
    return fixed_zip(buffer.getvalue(), timestamp)
