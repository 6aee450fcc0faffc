"""The body: the blocks in the brief's order, and the footnotes part (python-docx has no footnote
API: it is written here as WordprocessingML and attached through the packaging layer)."""

from __future__ import annotations

import io
from collections.abc import Callable, Iterable, Sequence
from typing import Any

from docx.document import Document as WordDocument
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.opc.constants import CONTENT_TYPE as CT
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.packuri import PackURI
from docx.opc.part import Part
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor
from docx.table import _Cell
from docx.text.paragraph import Paragraph
from lxml import etree

from briefgen.assemble import AssembledBrief, Judgement, Note, Statement
from briefgen.project.values import AttestedUrl
from briefgen.renderers.docx.style import (
    AFTER_PBDR,
    BOX_FILL,
    FOOTNOTE_REFERENCE,
    FOOTNOTE_TEXT,
    GREY,
    GRID_HEX,
    HEAD_FILL,
    NAVY,
    RED,
    RED_HEX,
    SANS,
    SINGLE_SOURCE_BROWN,
    add_border,
    border_edge,
    text,
)
from briefgen.renderers.wording import citation_text, date_text, short_citations, url_marker

FOOTNOTES_PART = "/word/footnotes.xml"
W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
# The logo formats Word shows, by their first bytes (PNG, JPEG, GIF); an SVG logo is left out.
WORD_IMAGES = (b"\x89PNG\r\n\x1a\n", b"\xff\xd8\xff", b"GIF87a", b"GIF89a")


class Writer:
    """Writes the blocks in the brief's order, numbering Word footnotes as references are made."""

    def __init__(self, document: WordDocument, brief: AssembledBrief, width: int, accent: RGBColor = NAVY) -> None:
        self.document = document
        self.brief = brief
        self.labels = brief.settings.labels
        self.accent = accent
        self.accent_hex = str(accent)
        self.notes = {note.number: note for note in brief.notes}
        forms = (text(form) for form in short_citations([note.source for note in brief.notes]))
        self.short = dict(zip(self.notes, forms, strict=True))
        self.cited: set[int] = set()
        self.footnotes: list[str] = []  # the text of Word footnote 1, 2, …
        self.width = width  # the text width, EMU
        # The body's blocks by their template names (the masthead and the footnotes are always written).
        self.blocks: dict[str, Callable[[], None]] = {
            "summary": self.summary,
            "bottom_line": self.bottom_line,
            "sections": self.sections,
            "timeline": self.timeline,
            "key_figures": self.key_figures,
            "key_actors": self.key_actors,
            "assessment": self.assessment,
            "sources": self.sources,
        }

    # Note references ---------------------------------------------------------------------------

    def refs(self, paragraph: Paragraph, numbers: Iterable[int]) -> None:
        """One Word footnote per reference: the full reference the first time a source is cited,
        its short form after that. Several in a row are separated by a superscript comma."""
        for index, number in enumerate(numbers):
            note = self.notes[number]
            if index:
                comma = paragraph.add_run(",")
                comma.font.superscript = True
            self.footnotes.append(self.short[number] if number in self.cited else _full_reference(note))
            self.cited.add(number)
            run = paragraph.add_run()
            run.style = self.document.styles[FOOTNOTE_REFERENCE]
            reference = OxmlElement("w:footnoteReference")
            reference.set(qn("w:id"), str(len(self.footnotes)))
            run._r.append(reference)

    def attach_footnotes(self) -> None:
        """The footnotes part: Word's separator and continuation separator (ids -1 and 0, named in
        the settings), then the notes, each starting with its own number (`w:footnoteRef`)."""
        root = etree.Element(qn("w:footnotes"), nsmap={"w": W_NS})
        for note_id, kind in (("-1", "separator"), ("0", "continuationSeparator")):
            note = etree.SubElement(root, qn("w:footnote"), {qn("w:type"): kind, qn("w:id"): note_id})
            p = etree.SubElement(note, qn("w:p"))
            p_pr = etree.SubElement(p, qn("w:pPr"))
            etree.SubElement(p_pr, qn("w:spacing"), {qn("w:after"): "0", qn("w:line"): "240", qn("w:lineRule"): "auto"})
            etree.SubElement(etree.SubElement(p, qn("w:r")), qn(f"w:{kind}"))
        style_id = self.document.styles[FOOTNOTE_TEXT].style_id
        ref_id = self.document.styles[FOOTNOTE_REFERENCE].style_id
        for number, note_text in enumerate(self.footnotes, start=1):
            note = etree.SubElement(root, qn("w:footnote"), {qn("w:id"): str(number)})
            p = etree.SubElement(note, qn("w:p"))
            etree.SubElement(etree.SubElement(p, qn("w:pPr")), qn("w:pStyle"), {qn("w:val"): style_id})
            mark = etree.SubElement(p, qn("w:r"))
            etree.SubElement(etree.SubElement(mark, qn("w:rPr")), qn("w:rStyle"), {qn("w:val"): ref_id})
            etree.SubElement(mark, qn("w:footnoteRef"))
            body = etree.SubElement(etree.SubElement(p, qn("w:r")), qn("w:t"), {qn("xml:space"): "preserve"})
            body.text = " " + note_text
        blob = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
        part = Part(PackURI(FOOTNOTES_PART), CT.WML_FOOTNOTES, blob, self.document.part.package)
        self.document.part.relate_to(part, RT.FOOTNOTES)
        settings = self.document.settings.element
        note_pr = OxmlElement("w:footnotePr")
        for note_id in ("-1", "0"):
            separator = OxmlElement("w:footnote")
            separator.set(qn("w:id"), note_id)
            note_pr.append(separator)
        compat = settings.find(qn("w:compat"))
        if compat is not None:
            compat.addprevious(note_pr)
        else:
            settings.append(note_pr)

    # Blocks --------------------------------------------------------------------------------------

    def heading(self, title: str) -> None:
        self.document.add_paragraph(text(title), style="Heading 1")

    def bullet(self, container: Any, statement_text: str, notes: Sequence[int], bold: str | None = None) -> Paragraph:
        paragraph: Paragraph = container.add_paragraph(style="List Bullet")
        if bold:
            paragraph.add_run(text(bold)).bold = True
        paragraph.add_run(text(statement_text))
        self.refs(paragraph, notes)
        return paragraph

    def masthead(self, logo: bytes | None = None) -> None:
        brief, document, labels = self.brief, self.document, self.labels
        if brief.marking:
            banner = document.add_paragraph()
            banner.alignment = WD_ALIGN_PARAGRAPH.CENTER
            run = banner.add_run(text(brief.marking))
            run.bold, run.font.size, run.font.color.rgb, run.font.name = True, Pt(8), RED, SANS
            p_pr = banner._p.get_or_add_pPr()
            for side in ("top", "left", "bottom", "right"):
                add_border(p_pr, side, RED_HEX, 6)
        if logo is not None and logo.startswith(WORD_IMAGES):
            picture = document.add_paragraph()
            picture.alignment = WD_ALIGN_PARAGRAPH.RIGHT
            picture.paragraph_format.space_after = Pt(0)
            picture.add_run().add_picture(io.BytesIO(logo), height=Mm(14))
        document.add_paragraph(text(brief.brief.title), style="Title")
        if brief.brief.subtitle:
            document.add_paragraph().add_run(text(brief.brief.subtitle)).italic = True
        line = f"{labels.as_of} {date_text(brief.brief.as_of)}"
        if brief.brief.prepared_for:
            line += f" · {labels.prepared_for} {brief.brief.prepared_for}"
        if brief.prepared_by:
            line += f" · {labels.prepared_by} {brief.prepared_by}"
        as_of = document.add_paragraph()
        run = as_of.add_run(text(line))
        run.font.size, run.font.name, run.font.color.rgb = Pt(8.5), SANS, GREY
        as_of.paragraph_format.space_after = Pt(12)
        add_border(as_of._p.get_or_add_pPr(), "bottom", self.accent_hex, 12)

    def bottom_line(self) -> None:
        """Set apart as in the handout: a shaded, ruled box (a one-cell table, which Word and
        LibreOffice both draw whole, where paragraph borders break at list indents)."""
        table = self.document.add_table(rows=1, cols=1)
        table.alignment = WD_TABLE_ALIGNMENT.CENTER
        _table_borders(table, self.accent_hex, 8)
        cell = table.rows[0].cells[0]
        _shade(cell, BOX_FILL)
        heading = cell.paragraphs[0]
        heading.style = self.document.styles["Heading 1"]
        heading.add_run(text(self.labels.bottom_line))
        _clear_paragraph_border(heading)
        for statement in self.brief.bottom_line:
            item = self.bullet(cell, statement.fact.claim, statement.notes)
            if statement.single_source:
                self.single_source_mark(item)
        self.fit(table, (1.0,))
        self.document.add_paragraph().paragraph_format.space_after = Pt(0)

    def single_source_mark(self, paragraph: Paragraph) -> None:
        """After a bottom-line item that rests on one source, as the handout marks it."""
        mark = paragraph.add_run(text(f" ({self.labels.single_source})"))
        mark.bold, mark.font.name, mark.font.size, mark.font.color.rgb = True, SANS, Pt(7.5), SINGLE_SOURCE_BROWN

    def judgement(self, words: Judgement) -> None:
        """The analyst's words (summary, a lead): a label, then the text in italics, with its notes."""
        paragraph = self.document.add_paragraph()
        label = paragraph.add_run(text(f"{self.labels.judgement}:") + " ")
        label.bold, label.font.name, label.font.size, label.font.color.rgb = True, SANS, Pt(8), self.accent
        paragraph.add_run(text(words.text)).italic = True
        self.refs(paragraph, words.notes)

    def summary(self) -> None:
        if self.brief.summary is None:
            return
        self.heading(self.labels.summary)
        self.judgement(self.brief.summary)

    def sections(self) -> None:
        for block in self.brief.sections:
            self.heading(block.title)
            if block.lead is not None:
                self.judgement(block.lead)
            for s in block.statements:
                if block.chronological:
                    prefix = date_text(s.fact.date, undated=self.labels.date_unknown) + ": "
                    self.bullet(self.document, s.fact.claim, s.notes, bold=prefix)
                else:
                    self.bullet(self.document, s.fact.claim, s.notes)

    def timeline(self) -> None:
        brief, labels = self.brief, self.labels
        self.heading(labels.timeline)
        if brief.timeline:
            rows = [(date_text(s.fact.date), s.fact.headline or s.fact.claim, s) for s in brief.timeline]
            self.table((labels.date, labels.development, labels.source), (0.24, 0.62, 0.14), rows)
        if not brief.timeline:
            self.aside(labels.no_dates)
        elif brief.undated:
            one = brief.undated == 1
            self.aside(
                f"{brief.undated} of the facts above {'carries' if one else 'carry'} no date and "
                f"{'is' if one else 'are'} not placed on the timeline."
            )

    def key_figures(self) -> None:
        if not self.brief.key_figures:
            return
        self.heading(self.labels.key_figures)
        rows = []
        for s in self.brief.key_figures:
            figure = s.fact.figure
            assert figure is not None  # key figures are the facts with one
            rows.append((figure.measure, figure.value, date_text(s.fact.date, undated="—"), s))
        labels = self.labels
        self.table((labels.figure, labels.value, labels.date, labels.source), (0.38, 0.22, 0.26, 0.14), rows)

    def key_actors(self) -> None:
        if not self.brief.key_actors:
            return
        self.heading(self.labels.key_actors)
        table = self.grid((self.labels.actor, self.labels.role), (0.34, 0.66))
        for actor in self.brief.key_actors:
            row = table.add_row()
            _keep_whole(row)
            name_cell, role_cell = row.cells
            name = name_cell.paragraphs[0]
            name.style = self.document.styles["Table Text"]
            name.add_run(text(actor.entity.name)).bold = True
            if actor.entity.aliases:
                name.add_run(text(f" ({self.labels.also_spelled} {', '.join(actor.entity.aliases)})"))
            role = role_cell.paragraphs[0]
            role.style = self.document.styles["Table Text"]
            for index, actor_role in enumerate(actor.roles):
                if index:
                    role.add_run("; ")
                words = actor_role.title
                if actor_role.dates:
                    words += f", {self.labels.role_as_of} " + " and ".join(date_text(d) for d in actor_role.dates)
                role.add_run(text(words))
                self.refs(role, actor_role.notes)
        self.fit(table, (0.34, 0.66))

    def assessment(self) -> None:
        if not self.brief.assessment:
            return
        self.heading(self.labels.assessment)
        self.aside(self.labels.assessment_note)
        for judgement in self.brief.assessment:
            paragraph = self.bullet(self.document, judgement.text, judgement.notes)
            for run in paragraph.runs:
                run.italic = True

    def sources(self) -> None:
        """Every source cited, in order of first citation, with its full reference: a list of
        sources as Chicago's notes style closes with (the notes' numbers are Word's, one per
        reference, so the list is not numbered); the curator's notes unless `project.handout`
        leaves them out."""
        self.heading(self.labels.sources)
        show_notes = self.brief.settings.handout.curator_notes
        for note in self.brief.notes:
            entry = self.document.add_paragraph(style="Source Entry")
            words = _full_reference(note)
            if note.source.note and show_notes:
                words += f" {self.labels.curator_note}: {note.source.note}"
            entry.add_run(text(words))

    # Tables --------------------------------------------------------------------------------------

    def aside(self, words: str) -> None:
        self.document.add_paragraph().add_run(text(words)).italic = True

    def grid(self, header: Sequence[str], shares: Sequence[float]) -> Any:
        """A ruled table with a shaded header row that repeats on every page."""
        table = self.document.add_table(rows=1, cols=len(header))
        _table_borders(table, GRID_HEX, 4)
        row = table.rows[0]
        _keep_whole(row)
        row._tr.get_or_add_trPr().append(OxmlElement("w:tblHeader"))  # after cantSplit, as the schema orders them
        for cell, title in zip(row.cells, header, strict=True):
            _shade(cell, HEAD_FILL)
            paragraph = cell.paragraphs[0]
            paragraph.style = self.document.styles["Table Text"]
            paragraph.add_run(text(title)).bold = True
        return table

    def table(self, header: Sequence[str], shares: Sequence[float], rows: Iterable[tuple[Any, ...]]) -> None:
        """A table whose last column holds the row's note references (the row's last item, a Statement)."""
        table = self.grid(header, shares)
        for values in rows:
            *words, statement = values
            row = table.add_row()
            _keep_whole(row)
            cells = row.cells
            for cell, value in zip(cells, words, strict=False):
                paragraph = cell.paragraphs[0]
                paragraph.style = self.document.styles["Table Text"]
                paragraph.add_run(text(value))
            notes = cells[-1].paragraphs[0]
            notes.style = self.document.styles["Table Text"]
            assert isinstance(statement, Statement)
            self.refs(notes, statement.notes)
        self.fit(table, shares)

    def fit(self, table: Any, shares: Sequence[float]) -> None:
        """Column widths as shares of the text width (fixed layout, as the handout's tables)."""
        table.autofit = False
        grid = table._tbl.tblGrid.findall(qn("w:gridCol"))
        for column, grid_column, share in zip(table.columns, grid, shares, strict=True):
            width = int(self.width * share)
            grid_column.set(qn("w:w"), str(width // 635))  # EMU → twentieths of a point (LibreOffice reads these)
            for cell in column.cells:
                cell.width = width


def _full_reference(note: Note) -> str:
    """The full reference of a first note and of the Sources list: the citation and the address,
    shown as text (an address is data: it is not made a link)."""
    words = citation_text(note.source)
    url: AttestedUrl | None = note.source.url
    if url is not None:
        words += " " + url.value
        marker = url_marker(url)
        if marker:
            words += " " + marker
    return text(words)


def _keep_whole(row: Any) -> None:
    """A table row is not split across pages (as in the PDF)."""
    row._tr.get_or_add_trPr().append(OxmlElement("w:cantSplit"))


def _shade(cell: _Cell, fill: str) -> None:
    shading = OxmlElement("w:shd")
    shading.set(qn("w:val"), "clear")
    shading.set(qn("w:color"), "auto")
    shading.set(qn("w:fill"), fill)
    cell._tc.get_or_add_tcPr().append(shading)


def _table_borders(table: Any, color: str, size: int) -> None:
    borders = OxmlElement("w:tblBorders")
    for side in ("top", "left", "bottom", "right", "insideH", "insideV"):
        borders.append(border_edge(side, color, size, space=0))
    tbl_pr = table._tbl.tblPr
    tbl_pr.insert_element_before(borders, "w:shd", "w:tblLayout", "w:tblCellMar", "w:tblLook", "w:tblCaption")
    layout = OxmlElement("w:tblLayout")
    layout.set(qn("w:type"), "fixed")
    tbl_pr.insert_element_before(layout, "w:tblCellMar", "w:tblLook", "w:tblCaption")


def _clear_paragraph_border(paragraph: Paragraph) -> None:
    """No rule under the heading inside the bottom-line box (the box is its frame)."""
    p_pr = paragraph._p.get_or_add_pPr()
    borders = OxmlElement("w:pBdr")
    bottom = OxmlElement("w:bottom")
    bottom.set(qn("w:val"), "nil")
    borders.append(bottom)
    p_pr.insert_element_before(borders, *AFTER_PBDR)
