"""Word styles and the page: the fonts by name, the accent colour, the headings and note styles,
paper and margins, and the running heads and feet (their page numbers are Word fields of ours)."""

from __future__ import annotations

import re
from typing import Any

from docx.document import Document as WordDocument
from docx.enum.section import WD_ORIENT
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_TAB_ALIGNMENT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor
from docx.text.paragraph import Paragraph

from briefgen.assemble import AssembledBrief
from briefgen.formats import Paper
from briefgen.project.theme import css_colour
from briefgen.renderers.markup import one_line

# The bundled fonts by the family names in their name tables (templates/fonts/README.md): Word and
# LibreOffice look fonts up by those names ("Briefgen Serif" is only the stylesheet's alias).
SERIF = "Noto Serif"
SANS = "Noto Sans"
HANGUL = "Noto Sans CJK KR"  # Word sets Hangul in the East Asian font of a run

NAVY = RGBColor(0x14, 0x30, 0x4F)  # the accent unless `project.theme.accent` sets one
RED = RGBColor(0x8A, 0x1C, 0x1C)
GREY = RGBColor(0x55, 0x55, 0x55)
SINGLE_SOURCE_BROWN = RGBColor(0x6B, 0x4E, 0x00)
RED_HEX, RULE_HEX, BOX_FILL, HEAD_FILL, GRID_HEX = "8A1C1C", "9AA5B1", "EEF2F7", "E3E8EF", "B8C2CC"

PAGE_SIZES = {Paper.A4: (Mm(210), Mm(297)), Paper.LETTER: (Mm(215.9), Mm(279.4))}
MARGIN = Mm(20)

# Characters XML 1.0 cannot hold (lxml refuses them); one_line already replaced the C0/C1 controls.
_NOT_XML = re.compile("[\ufffe\uffff\ud800-\udfff]")

FOOTNOTE_TEXT, FOOTNOTE_REFERENCE = "footnote text", "footnote reference"
# What may follow a paragraph's borders in its properties (CT_PPr's sequence): Word refuses a
# document whose elements are out of order.
AFTER_PBDR = (
    *("w:shd", "w:tabs", "w:suppressAutoHyphens", "w:kinsoku", "w:wordWrap", "w:overflowPunct"),
    *("w:topLinePunct", "w:autoSpaceDE", "w:autoSpaceDN", "w:bidi", "w:adjustRightInd", "w:snapToGrid"),
    *("w:spacing", "w:ind", "w:contextualSpacing", "w:mirrorIndents", "w:suppressOverlap", "w:jc"),
    *("w:textDirection", "w:textAlignment", "w:textboxTightWrap", "w:outlineLvl", "w:divId", "w:cnfStyle"),
    *("w:rPr", "w:sectPr", "w:pPrChange"),
)


def text(value: object) -> str:
    """Data as one line of text a `w:t` can hold."""
    return _NOT_XML.sub("\ufffd", one_line(value))


def _fonts(r_pr: Any, latin: str) -> None:
    """Name the run fonts outright: theme fonts (the template's Calibri/Cambria) would win otherwise."""
    fonts = r_pr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        r_pr.insert(0, fonts)
    for attribute in list(fonts.attrib):
        del fonts.attrib[attribute]
    for slot in ("w:ascii", "w:hAnsi", "w:cs"):
        fonts.set(qn(slot), latin)
    fonts.set(qn("w:eastAsia"), HANGUL)


def accent_colour(brief: AssembledBrief) -> RGBColor:
    """The accent colour: the project's (`project.theme.accent`, as CSS reads it), else navy."""
    accent = brief.settings.theme.accent
    return RGBColor.from_string(css_colour(accent).lstrip("#").upper()) if accent else NAVY


def define_styles(document: WordDocument, language: str, accent: RGBColor = NAVY) -> None:
    styles = document.styles
    defaults = styles.element.find(qn("w:docDefaults"))
    r_pr = defaults.find(qn("w:rPrDefault")).find(qn("w:rPr"))
    _fonts(r_pr, SERIF)
    lang = r_pr.find(qn("w:lang"))
    if lang is None:
        lang = OxmlElement("w:lang")
        r_pr.append(lang)
    lang.set(qn("w:val"), text(language))
    lang.set(qn("w:eastAsia"), "ko-KR")

    normal = styles["Normal"]
    _fonts(normal.element.get_or_add_rPr(), SERIF)
    normal.font.size = Pt(10.5)
    normal.font.color.rgb = RGBColor(0x1B, 0x1B, 0x1B)
    normal.paragraph_format.space_after = Pt(4)
    normal.paragraph_format.line_spacing = 1.15

    title = styles["Title"]
    _fonts(title.element.get_or_add_rPr(), SANS)
    title.font.size, title.font.bold, title.font.color.rgb = Pt(20), True, accent
    title.paragraph_format.space_before, title.paragraph_format.space_after = Pt(10), Pt(4)
    _clear_borders(title.element)

    heading = styles["Heading 1"]
    _fonts(heading.element.get_or_add_rPr(), SANS)
    heading.font.size, heading.font.bold, heading.font.all_caps, heading.font.color.rgb = Pt(11.5), True, True, accent
    heading.paragraph_format.space_before, heading.paragraph_format.space_after = Pt(14), Pt(6)
    heading.paragraph_format.keep_with_next = True
    add_border(heading.element.get_or_add_pPr(), "bottom", RULE_HEX, 4)

    for name in ("Header", "Footer"):
        style = styles[name]
        for tabs in style.element.get_or_add_pPr().findall(qn("w:tabs")):  # the template's, for Letter
            tabs.getparent().remove(tabs)
        _fonts(style.element.get_or_add_rPr(), SANS)
        style.font.size, style.font.color.rgb = Pt(7.5), GREY

    # Word's own names and ids for its built-in note styles, so that Word and LibreOffice take
    # them for their footnote styles (LibreOffice: Footnote, Footnote Symbol).
    note_text = styles.add_style(FOOTNOTE_TEXT, WD_STYLE_TYPE.PARAGRAPH)
    note_text.style_id = "FootnoteText"
    note_text.base_style = normal
    note_text.font.size = Pt(8)
    note_text.paragraph_format.space_after = Pt(0)
    note_text.paragraph_format.line_spacing = 1.0
    note_ref = styles.add_style(FOOTNOTE_REFERENCE, WD_STYLE_TYPE.CHARACTER)
    note_ref.style_id = "FootnoteReference"
    note_ref.font.superscript = True

    table_text = styles.add_style("Table Text", WD_STYLE_TYPE.PARAGRAPH)
    table_text.base_style = normal
    _fonts(table_text.element.get_or_add_rPr(), SANS)
    table_text.font.size = Pt(8.5)
    table_text.paragraph_format.space_after = Pt(0)
    table_text.paragraph_format.line_spacing = 1.0

    source = styles.add_style("Source Entry", WD_STYLE_TYPE.PARAGRAPH)
    source.base_style = normal
    source.font.size = Pt(8.5)
    source.paragraph_format.left_indent, source.paragraph_format.first_line_indent = Mm(6), Mm(-6)


def _clear_borders(style_element: Any) -> None:
    p_pr = style_element.find(qn("w:pPr"))
    if p_pr is not None:
        for borders in p_pr.findall(qn("w:pBdr")):
            p_pr.remove(borders)


def add_border(p_pr: Any, side: str, color: str, size: int) -> None:
    """A paragraph border (`size` in eighths of a point), in schema order within pPr."""
    borders = p_pr.find(qn("w:pBdr"))
    if borders is None:
        borders = OxmlElement("w:pBdr")
        p_pr.insert_element_before(borders, *AFTER_PBDR)
    borders.append(border_edge(side, color, size, space=4))


def border_edge(side: str, color: str, size: int, *, space: int) -> Any:
    """One single-line border edge (`size` in eighths of a point, `space` in points from the text)."""
    edge = OxmlElement(f"w:{side}")
    edge.set(qn("w:val"), "single")
    edge.set(qn("w:sz"), str(size))
    edge.set(qn("w:space"), str(space))
    edge.set(qn("w:color"), color)
    return edge


def set_up_page(document: WordDocument, brief: AssembledBrief, paper: Paper) -> int:
    """Paper and margins; the running heads and feet: the marking, the title, the as-of date and
    "Page X of Y". As in the PDF, the first page (under the masthead) has no running head.
    Returns the text width (EMU)."""
    section = document.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    page_width, section.page_height = PAGE_SIZES[paper]
    section.page_width = page_width
    section.top_margin = section.bottom_margin = section.left_margin = section.right_margin = MARGIN
    section.header_distance = section.footer_distance = Mm(10)
    width = int(page_width - 2 * MARGIN)
    section.different_first_page_header_footer = True
    labels = brief.settings.labels

    head = section.header.paragraphs[0]
    head.paragraph_format.tab_stops.add_tab_stop(width, WD_TAB_ALIGNMENT.RIGHT)
    if brief.marking:
        _marking_run(head, brief.marking)
    head.add_run("\t" + text(brief.brief.title))
    section.first_page_header.paragraphs[0].text = ""

    for footer in (section.footer, section.first_page_footer):
        foot = footer.paragraphs[0]
        foot.paragraph_format.tab_stops.add_tab_stop(width // 2, WD_TAB_ALIGNMENT.CENTER)
        foot.paragraph_format.tab_stops.add_tab_stop(width, WD_TAB_ALIGNMENT.RIGHT)
        foot.add_run(text(f"{labels.as_of} {brief.brief.as_of.human()}") + "\t")
        if brief.marking:
            _marking_run(foot, brief.marking)
        foot.add_run("\t" + text(labels.page) + " ")
        _field(foot, "PAGE")
        foot.add_run(" " + text(labels.of) + " ")
        _field(foot, "NUMPAGES")
    return width


def _marking_run(paragraph: Paragraph, marking: str) -> None:
    run = paragraph.add_run(text(marking))
    run.bold = True
    run.font.color.rgb = RED


def _field(paragraph: Paragraph, instruction: str) -> None:
    """A Word field of ours (PAGE, NUMPAGES), never one made from data: begin, instruction,
    separate, a placeholder result that Word and LibreOffice replace, end."""
    p = paragraph._p
    for kind, child in (("begin", None), (None, instruction), ("separate", None), (None, "1"), ("end", None)):
        run = OxmlElement("w:r")
        if kind is not None:
            char = OxmlElement("w:fldChar")
            char.set(qn("w:fldCharType"), kind)
            run.append(char)
        elif child == instruction:
            instr = OxmlElement("w:instrText")
            instr.set(qn("xml:space"), "preserve")
            instr.text = f" {instruction} "
            run.append(instr)
        else:
            result = OxmlElement("w:t")
            result.text = child
            run.append(result)
        p.append(run)
