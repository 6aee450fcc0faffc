"""The Word handout (`-f docx`): real footnotes, full then short; the handout's furniture; data inert;
byte-identical re-renders; and the file as LibreOffice lays it out.

Expected values are computed from the assembled brief (its references in document order, the
wording functions, the fonts' own name tables), never copied from an output.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import shutil
import subprocess
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import docx
import pytest
import yaml
from fontTools.ttLib import TTFont
from lxml import etree

from briefgen.assemble import AssembledBrief, assemble_all
from briefgen.build.api import render_outputs
from briefgen.formats import Format, Paper, RenderOptions
from briefgen.project.load import load_project
from briefgen.project.model import Labels, Source
from briefgen.project.validate import validate
from briefgen.renderers.docx import HANGUL, SANS, SERIF, render_docx
from briefgen.renderers.wording import citation_text, short_citations, short_title
from tests.conftest import REPO, SHIPPED_CONFIG, MakeProject, require_tool

SINGLE_SOURCE_MARK = f"({Labels().single_source})"
BRIEF_IDS = ["korea-poland", "korea-nato", "korea-eu"]
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
NS = {"w": W[1:-1]}
TWIP = 635  # EMU: Word stores page sizes in twentieths of a point
AS_OF_STAMP = dt.datetime(2025, 10, 24, tzinfo=dt.UTC)


@pytest.fixture(scope="module")
def shipped() -> dict[str, AssembledBrief]:
    return {brief.id: brief for brief in assemble_all(validate(load_project(SHIPPED_CONFIG)))}


@pytest.fixture(scope="module")
def files(shipped: dict[str, AssembledBrief], tmp_path_factory: pytest.TempPathFactory) -> dict[str, bytes]:
    """Each shipped brief's .docx as `briefgen render -f docx` makes it."""
    valid = validate(load_project(SHIPPED_CONFIG))
    out = tmp_path_factory.mktemp("docx")
    written = render_outputs(valid, list(shipped.values()), RenderOptions((Format.DOCX,)), out)
    return {path.stem: data for path, data in written.items() if path.suffix == ".docx"}


def part(data: bytes, name: str) -> Any:
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        return etree.fromstring(package.read(name))


def references(brief: AssembledBrief) -> list[int]:
    """The note numbers the brief cites, one per reference, in document order (as the Markdown's
    template walks it: summary, bottom line, sections (lead, facts), timeline, key figures, key
    actors, assessment)."""
    numbers: list[int] = [*(brief.summary.notes if brief.summary else ())]
    for s in brief.bottom_line:
        numbers += s.notes
    for block in brief.sections:
        numbers += block.lead.notes if block.lead else ()
        for s in block.statements:
            numbers += s.notes
    for s in (*brief.timeline, *brief.key_figures):
        numbers += s.notes
    for actor in brief.key_actors:
        for role in actor.roles:
            numbers += role.notes
    for judgement in brief.assessment:
        numbers += judgement.notes
    return numbers


def footnotes(data: bytes) -> dict[int, str]:
    """Word footnote id → its text (the separators, ids -1 and 0, left out)."""
    root = part(data, "word/footnotes.xml")
    notes = {}
    for note in root.findall("w:footnote", NS):
        note_id = int(note.get(f"{W}id"))
        if note_id > 0:
            notes[note_id] = "".join(note.itertext()).strip()
    return notes


def reference_ids(data: bytes) -> list[int]:
    body = part(data, "word/document.xml")
    return [int(ref.get(f"{W}id")) for ref in body.iter(f"{W}footnoteReference")]


# --- notes ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("brief_id", BRIEF_IDS)
def test_one_word_footnote_per_reference_in_document_order(
    shipped: dict[str, AssembledBrief], files: dict[str, bytes], brief_id: str
) -> None:
    expected = len(references(shipped[brief_id]))
    ids = reference_ids(files[brief_id])
    assert len(ids) == expected
    assert ids == list(range(1, expected + 1))  # Word numbers them in this order
    assert sorted(footnotes(files[brief_id])) == ids


@pytest.mark.parametrize("brief_id", BRIEF_IDS)
def test_first_note_of_a_source_is_its_full_reference_later_ones_its_short_form(
    shipped: dict[str, AssembledBrief], files: dict[str, bytes], brief_id: str
) -> None:
    brief = shipped[brief_id]
    notes = {note.number: note for note in brief.notes}
    short = dict(zip(notes, short_citations([note.source for note in brief.notes]), strict=True))
    texts = footnotes(files[brief_id])
    seen: set[int] = set()
    for word_id, number in enumerate(references(brief), start=1):
        source = notes[number].source
        if number in seen:
            assert texts[word_id] == short[number]
        else:
            assert texts[word_id].startswith(citation_text(source))
            if source.url is not None:
                assert source.url.value in texts[word_id]
        seen.add(number)
    # Each source's full reference is given once in the notes; the short forms tell sources apart.
    fulls = [t for t in texts.values() if t not in short.values()]
    assert len(fulls) == len(brief.notes)
    assert len(set(short.values())) == len(short)
    assert all(len(short[n]) < len(citation_text(notes[n].source)) for n in notes)


def test_korea_nato_has_one_full_note_per_source_and_short_notes_after() -> None:
    """The issue's case: 94 references, source 2 cited 37 times — once in full, then short."""
    brief = next(b for b in assemble_all(validate(load_project(SHIPPED_CONFIG))) if b.id == "korea-nato")
    data = render_docx(brief, Paper.A4, AS_OF_STAMP)
    texts = list(footnotes(data).values())
    full = citation_text(brief.notes[1].source)
    cited = references(brief).count(2)
    assert cited > 1
    assert sum(t.startswith(full) for t in texts) == 1
    assert texts.count(short_citations([n.source for n in brief.notes])[1]) == cited - 1


@pytest.mark.parametrize("brief_id", BRIEF_IDS)
def test_sources_list_ends_the_document_with_every_full_reference(
    shipped: dict[str, AssembledBrief], files: dict[str, bytes], brief_id: str
) -> None:
    document = docx.Document(io.BytesIO(files[brief_id]))
    texts = [p.text for p in document.paragraphs]
    start = texts.index("Sources")
    entries = texts[start + 1 :]
    brief = shipped[brief_id]
    assert len(entries) == len(brief.notes)
    for entry, note in zip(entries, brief.notes, strict=True):
        assert entry.startswith(citation_text(note.source))
        assert note.source.file not in entry  # the reader's reference, not the project's file paths
        if note.source.note:
            assert entry.endswith(f"Curator's note: {note.source.note}")


# --- the handout's furniture ---------------------------------------------------------------------


@pytest.mark.parametrize("brief_id", BRIEF_IDS)
def test_header_and_footer_carry_marking_title_date_and_page_fields(
    shipped: dict[str, AssembledBrief], files: dict[str, bytes], brief_id: str
) -> None:
    brief = shipped[brief_id]
    section = docx.Document(io.BytesIO(files[brief_id])).sections[0]
    assert section.different_first_page_header_footer
    assert section.first_page_header.paragraphs[0].text == ""  # under the masthead, as in the PDF
    assert brief.marking
    assert section.header.paragraphs[0].text == f"{brief.marking}\t{brief.brief.title}"
    for footer in (section.footer, section.first_page_footer):
        foot = footer.paragraphs[0]
        assert foot.text.startswith(f"As of {brief.brief.as_of.human()}\t{brief.marking}\tPage ")
        instructions = [t.text.strip() for t in foot._p.iter(f"{W}instrText")]
        assert instructions == ["PAGE", "NUMPAGES"]
    assert abs(section.page_width - docx.shared.Mm(210)) < TWIP  # the shipped project's paper: A4


@pytest.mark.parametrize("brief_id", BRIEF_IDS)
def test_masthead_bottom_line_and_tables(
    shipped: dict[str, AssembledBrief], files: dict[str, bytes], brief_id: str
) -> None:
    brief = shipped[brief_id]
    document = docx.Document(io.BytesIO(files[brief_id]))
    paragraphs = document.paragraphs
    assert [p.text for p in paragraphs[:2]] == [brief.marking, brief.brief.title]
    assert paragraphs[1].style.name == "Title"
    box, *tables = document.tables
    cell = box.rows[0].cells[0]
    assert cell.paragraphs[0].text == "Bottom line"
    marked = [s.fact.claim + (f" {SINGLE_SOURCE_MARK}" if s.single_source else "") for s in brief.bottom_line]
    assert [p.text.rstrip(",") for p in cell.paragraphs[1:]] == marked
    assert cell._tc.find(".//w:shd", NS).get(f"{W}fill") == "EEF2F7"  # set apart: shaded
    headers = {tuple(c.text for c in t.rows[0].cells): len(t.rows) - 1 for t in tables}
    assert headers[("Date", "Development", "Source")] == len(brief.timeline)
    if brief.key_figures:
        assert headers[("Figure", "Value", "Date", "Source")] == len(brief.key_figures)
    if brief.key_actors:
        assert headers[("Actor", "Role")] == len(brief.key_actors)


def font_family(path: Path) -> str:
    name: str = TTFont(path)["name"].getDebugName(1)
    return name


def test_the_fonts_named_are_the_bundled_families(files: dict[str, bytes]) -> None:
    fonts = REPO / "templates" / "fonts"
    assert font_family(fonts / "NotoSerif-Regular.ttf") == SERIF
    assert font_family(fonts / "NotoSans-Regular.ttf") == SANS
    assert font_family(fonts / "NotoSansCJKkr-Regular.ttf") == HANGUL
    styles = part(files["korea-nato"], "word/styles.xml")
    named = {
        (f.get(f"{W}ascii"), f.get(f"{W}eastAsia"))
        for f in styles.iter(f"{W}rFonts")
        if f.get(f"{W}ascii") in (SERIF, SANS)
    }
    assert {(SERIF, HANGUL), (SANS, HANGUL)} <= named
    defaults = styles.find("w:docDefaults/w:rPrDefault/w:rPr/w:rFonts", NS)
    assert defaults.get(f"{W}ascii") == SERIF
    assert not [k for k in defaults.attrib if k.endswith("Theme")]  # no theme font overrides them


@pytest.mark.parametrize("brief_id", BRIEF_IDS)
def test_document_properties(shipped: dict[str, AssembledBrief], files: dict[str, bytes], brief_id: str) -> None:
    brief = shipped[brief_id]
    props = docx.Document(io.BytesIO(files[brief_id])).core_properties
    assert props.title == brief.brief.title
    assert props.author == brief.prepared_by
    assert props.subject == (brief.brief.subtitle or brief.brief.title)
    assert props.keywords == "; ".join(brief.topics)
    assert brief.topics
    moment = dt.datetime.combine(brief.brief.as_of.as_date(), dt.time())
    assert props.created is not None and props.modified is not None
    assert props.created.replace(tzinfo=None) == props.modified.replace(tzinfo=None) == moment


def test_the_package_has_footnotes_wired_and_no_thumbnail(files: dict[str, bytes]) -> None:
    data = files["korea-eu"]
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        names = package.namelist()
        types = package.read("[Content_Types].xml").decode()
        rels = package.read("word/_rels/document.xml.rels").decode()
        root_rels = package.read("_rels/.rels").decode()
        app = etree.fromstring(package.read("docProps/app.xml"))
    assert names[0] == "[Content_Types].xml"
    assert 'PartName="/word/footnotes.xml"' in types and "footnotes+xml" in types
    assert 'relationships/footnotes" Target="footnotes.xml"' in rels
    assert "thumbnail" not in root_rels
    assert [etree.QName(e).localname for e in app] == ["Application", "DocSecurity"]  # not the template's
    assert app[0].text == "briefgen"
    settings = part(data, "word/settings.xml")
    assert [n.get(f"{W}id") for n in settings.findall("w:footnotePr/w:footnote", NS)] == ["-1", "0"]
    separators = part(data, "word/footnotes.xml").findall("w:footnote[@w:type]", NS)
    assert [(n.get(f"{W}type"), n.get(f"{W}id")) for n in separators] == [
        ("separator", "-1"),
        ("continuationSeparator", "0"),
    ]


# The order of children the WordprocessingML schema requires (ECMA-376 part 1, 17.3-17.6): Word
# refuses a file whose properties are out of order, where LibreOffice would read it anyway.
SEQUENCES = {
    "pPr": "pStyle keepNext keepLines pageBreakBefore framePr widowControl numPr suppressLineNumbers pBdr shd "
    "tabs suppressAutoHyphens kinsoku wordWrap overflowPunct topLinePunct autoSpaceDE autoSpaceDN bidi "
    "adjustRightInd snapToGrid spacing ind contextualSpacing mirrorIndents suppressOverlap jc textDirection "
    "textAlignment textboxTightWrap outlineLvl divId cnfStyle rPr sectPr pPrChange",
    "rPr": "rStyle rFonts b bCs i iCs caps smallCaps strike dstrike outline shadow emboss imprint noProof "
    "snapToGrid vanish webHidden color spacing w kern position sz szCs highlight u effect bdr shd fitText "
    "vertAlign rtl cs em lang eastAsianLayout specVanish oMath",
    "tblPr": "tblStyle tblpPr tblOverlap bidiVisual tblStyleRowBandSize tblStyleColBandSize tblW jc "
    "tblCellSpacing tblInd tblBorders shd tblLayout tblCellMar tblLook tblCaption tblDescription",
    "tcPr": "cnfStyle tcW gridSpan hMerge vMerge tcBorders shd noWrap tcMar textDirection tcFitText vAlign hideMark",
    "sectPr": "headerReference footnotePr endnotePr type pgSz pgMar paperSrc pgBorders lnNumType pgNumType "
    "cols formProt vAlign noEndnote titlePg textDirection bidi rtlGutter docGrid printerSettings",
    "pBdr": "top left bottom right between bar",
    "trPr": "cnfStyle divId gridBefore gridAfter wBefore wAfter cantSplit trHeight tblHeader tblCellSpacing jc hidden",
}


@pytest.mark.parametrize("name", ["word/document.xml", "word/styles.xml", "word/footnotes.xml", "word/footer2.xml"])
def test_properties_are_in_the_schema_order(files: dict[str, bytes], name: str) -> None:
    root = part(files["korea-nato"], name)
    for kind, sequence in SEQUENCES.items():
        order = {child: index for index, child in enumerate(sequence.split())}
        if kind == "sectPr":
            order["footerReference"] = order["headerReference"]  # the references come in any order
        for element in root.iter(f"{W}{kind}"):
            children = [etree.QName(child).localname for child in element]
            assert all(child in order for child in children), (kind, children)
            indexes = [order[child] for child in children]
            assert indexes == sorted(indexes), (kind, children)
            if kind != "sectPr":
                assert len(set(children)) == len(children), (kind, children)


def test_settings_name_the_separators_before_compat(files: dict[str, bytes]) -> None:
    children = [etree.QName(c).localname for c in part(files["korea-nato"], "word/settings.xml")]
    assert children.index("footnotePr") == children.index("compat") - 1
    assert "savePreviewPicture" not in children


# --- reproducible --------------------------------------------------------------------------------


def test_same_inputs_give_byte_identical_files(shipped: dict[str, AssembledBrief], files: dict[str, bytes]) -> None:
    for brief_id, data in files.items():
        assert render_docx(shipped[brief_id], Paper.A4, AS_OF_STAMP) == data
    with zipfile.ZipFile(io.BytesIO(files["korea-nato"])) as package:
        assert {info.date_time for info in package.infolist()} == {(2025, 10, 24, 0, 0, 0)}


def test_source_date_epoch_sets_the_package_dates(
    shipped: dict[str, AssembledBrief], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    stamp = dt.datetime(2026, 1, 2, 3, 4, 6, tzinfo=dt.UTC)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(int(stamp.timestamp())))
    from briefgen.build.api import render  # noqa: PLC0415 - reads the variable when called

    render(SHIPPED_CONFIG, ["korea-eu"], RenderOptions((Format.DOCX,)), tmp_path)
    data = (tmp_path / "korea-eu.docx").read_bytes()
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        assert {info.date_time for info in package.infolist()} == {(2026, 1, 2, 3, 4, 6)}
    created = docx.Document(io.BytesIO(data)).core_properties.created
    assert created is not None and created.replace(tzinfo=None) == stamp.replace(tzinfo=None)
    assert data == render_docx(shipped["korea-eu"], Paper.A4, stamp)


# --- data is inert -------------------------------------------------------------------------------

WORD_PAYLOADS = (
    '{ MERGEFIELD x } { HYPERLINK "https://evil.example" } { INCLUDETEXT "c:\\\\x" }',
    '<w:fldSimple w:instr=" DDEAUTO c:\\\\windows\\\\cmd.exe "/> <w:hyperlink r:id="rId1">x</w:hyperlink>',
    "=cmd|' /C calc'!A0 @SUM(1) +1 -1 DDE(\"cmd\") ]]> <![CDATA[x]]> &amp; &#x41; \u0007bell",
)


def word_payload(field: str) -> str:
    return f"{field}: " + " ".join(WORD_PAYLOADS)


def hostile_config(root: Path) -> Path:
    """A brief with Word's active syntax in every field it prints."""
    article = f"A scraped article.\n{word_payload('quote')}\nThe end.\n"
    cite = [{"source": "src", "quote": word_payload("quote")}]
    project = {
        "project": {"marking": word_payload("marking")},
        "sources": {
            "src": {
                "file": "seeds/evil.txt",
                "title": word_payload("source-title"),
                "outlet": word_payload("source-outlet"),
                "author": word_payload("source-author"),
                "credit": word_payload("source-credit"),
                "note": word_payload("source-note"),
                "published": "2025-10-20",
                "url": "https://example.com/a?b={MERGEFIELD}",
            }
        },
        "entities": {
            "ent": {
                "name": word_payload("entity-name"),
                "kind": "person",
                "aliases": [word_payload("entity-alias")],
                "roles": [{"title": word_payload("role-title"), "cite": cite}],
            }
        },
        "facts": [
            {"id": "one", "claim": word_payload("claim"), "entities": ["ent"], "cite": cite},
            {
                "id": "two",
                "claim": word_payload("claim-2"),
                "headline": word_payload("headline"),
                "date": "2025-10-20",
                "figure": {"measure": word_payload("figure-measure"), "value": word_payload("figure-value")},
                "cite": cite,
            },
        ],
        "briefs": {
            "evil": {
                "title": word_payload("brief-title"),
                "subtitle": word_payload("brief-subtitle"),
                "prepared_for": word_payload("prepared-for"),
                "prepared_by": word_payload("prepared-by"),
                "as_of": "2025-10-24",
                "summary": {"text": word_payload("summary"), "based_on": ["two"]},
                "bottom_line": ["one"],
                "sections": [
                    {
                        "title": word_payload("section-title"),
                        "lead": {"text": word_payload("lead"), "based_on": ["one"]},
                        "facts": ["two"],
                    }
                ],
                "assessment": [{"text": word_payload("assessment"), "based_on": ["one"]}],
            }
        },
    }
    (root / "seeds").mkdir(parents=True)
    (root / "seeds" / "evil.txt").write_text(article, encoding="utf-8")
    config = root / "briefs.yaml"
    config.write_text(yaml.safe_dump(project, allow_unicode=True, width=10_000), encoding="utf-8")
    return config


HOSTILE_FIELDS = [
    *("claim", "claim-2", "headline", "source-title", "source-outlet", "source-author", "source-credit"),
    *("source-note", "entity-name", "entity-alias", "role-title", "section-title", "brief-title"),
    *("brief-subtitle", "marking", "prepared-for", "prepared-by", "assessment", "figure-measure", "figure-value"),
    *("summary", "lead"),
]


@pytest.fixture(scope="module")
def hostile(tmp_path_factory: pytest.TempPathFactory) -> bytes:
    valid = validate(load_project(hostile_config(tmp_path_factory.mktemp("hostile"))))
    (brief,) = assemble_all(valid)
    return render_docx(brief, Paper.LETTER, AS_OF_STAMP)


def all_text(data: bytes) -> str:
    """The text of every part a reader sees: body, header and footers, notes, properties."""
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        names = [n for n in package.namelist() if re.match(r"word/(document|header\d*|footer\d*|footnotes)\.xml$", n)]
        names.append("docProps/core.xml")
        return "\n".join("".join(etree.fromstring(package.read(n)).itertext()) for n in names)


def test_hostile_text_is_shown_as_text(hostile: bytes) -> None:
    text = all_text(hostile)
    shown = word_payload("{}").replace("\u0007", "\ufffd")  # a control character is shown as U+FFFD
    missing = [field for field in HOSTILE_FIELDS if shown.replace("{}", field, 1) not in text]
    assert not missing


def test_data_makes_no_field_hyperlink_macro_or_external_target(hostile: bytes) -> None:
    with zipfile.ZipFile(io.BytesIO(hostile)) as package:
        names = package.namelist()
        xml = {n: package.read(n).decode("utf-8") for n in names if n.endswith((".xml", ".rels"))}
    assert not [n for n in names if "vba" in n.lower() or n.endswith((".bin", ".dotm", ".docm"))]
    assert "macroEnabled" not in xml["[Content_Types].xml"]
    for name, content in xml.items():
        root = etree.fromstring(content.encode("utf-8"))
        assert not list(root.iter(f"{W}fldSimple", f"{W}hyperlink", f"{W}object", f"{W}altChunk")), name
        assert 'TargetMode="External"' not in content, name
        instructions = [t.text.strip() for t in root.iter(f"{W}instrText")]
        assert set(instructions) <= {"PAGE", "NUMPAGES"}, name
        if instructions:
            assert re.fullmatch(r"word/footer\d*\.xml", name)
    assert "w:fldSimple" in all_text(hostile)  # present, as text


def test_letter_paper(hostile: bytes) -> None:
    section = docx.Document(io.BytesIO(hostile)).sections[0]
    assert abs(section.page_width - docx.shared.Inches(8.5)) < TWIP
    assert abs(section.page_height - docx.shared.Inches(11)) < TWIP


# --- in the real program -------------------------------------------------------------------------


@pytest.fixture(scope="module")
def libreoffice_pdfs(files: dict[str, bytes], tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, str]]:
    """Each brief's .docx converted to PDF by LibreOffice headless, with the bundled fonts on
    fontconfig's path; brief id → the PDF's text (pdftotext), and the PDFs under `pdfs`."""
    work = tmp_path_factory.mktemp("libreoffice")
    libreoffice_to_pdf(files, work)
    texts = {}
    for brief_id in files:
        pdf = work / f"{brief_id}.pdf"
        texts[brief_id] = subprocess.run(
            ["pdftotext", "-layout", str(pdf), "-"], check=True, capture_output=True, text=True
        ).stdout
        fonts = subprocess.run(["pdffonts", str(pdf)], check=True, capture_output=True, text=True).stdout
        texts[f"{brief_id} fonts"] = fonts
    yield texts
    shutil.rmtree(work / "profile", ignore_errors=True)


def libreoffice_to_pdf(files: dict[str, bytes], work: Path) -> None:
    """Write each `<name>.docx` into `work` and convert it to `<name>.pdf` with LibreOffice
    headless, the bundled fonts on fontconfig's path (skips without soffice and pdftotext)."""
    soffice = require_tool("soffice")
    require_tool("pdftotext")
    for brief_id, data in files.items():
        (work / f"{brief_id}.docx").write_bytes(data)
    conf = work / "fonts.conf"
    conf.write_text(
        '<?xml version="1.0"?><!DOCTYPE fontconfig SYSTEM "fonts.dtd"><fontconfig>'
        '<include ignore_missing="yes">/etc/fonts/fonts.conf</include>'
        f"<dir>{REPO / 'templates' / 'fonts'}</dir></fontconfig>",
        encoding="utf-8",
    )
    env = {"PATH": "/usr/bin:/bin", "HOME": str(work), "FONTCONFIG_FILE": str(conf)}
    subprocess.run(
        [
            *(soffice, f"-env:UserInstallation=file://{work / 'profile'}", "--headless", "--convert-to", "pdf"),
            *("--outdir", str(work), *(str(work / f"{b}.docx") for b in files)),
        ],
        check=True,
        capture_output=True,
        timeout=300,
        env=env,
    )


def squeezed(value: str) -> str:
    return re.sub(r"\s+", "", value)


@pytest.mark.slow
@pytest.mark.parametrize("brief_id", BRIEF_IDS)
def test_libreoffice_lays_out_every_note_the_marking_and_page_numbers(
    shipped: dict[str, AssembledBrief], files: dict[str, bytes], libreoffice_pdfs: dict[str, str], brief_id: str
) -> None:
    brief = shipped[brief_id]
    text = libreoffice_pdfs[brief_id]
    pages = text.split("\f")
    if not pages[-1].strip():
        pages.pop()
    assert len(pages) >= 2
    flat = squeezed(text)
    # Every note, with the number LibreOffice gave it, in the foot of a page (numbers ascend).
    position = 0
    for word_id, note_text in footnotes(files[brief_id]).items():
        found = flat.find(squeezed(f"{word_id}{note_text}"), position)
        if found < 0:  # a long note may run over to the next page: its opening words are on this one
            found = flat.find(squeezed(f"{word_id}{note_text}")[:60], position)
        assert found >= 0, f"note {word_id} not in the PDF: {note_text}"
        position = found
    assert brief.marking
    for number, page in enumerate(pages, start=1):
        assert f"Page {number} of {len(pages)}" in page
        assert brief.marking in page
        assert f"As of {brief.brief.as_of.human()}" in page
    assert brief.brief.title.split()[0] in pages[1]  # the running head from page 2 on
    assert all(squeezed(citation_text(note.source)) in flat for note in brief.notes)
    # The fonts the file names are the bundled ones (on fontconfig's path for this run), embedded.
    fonts = libreoffice_pdfs[f"{brief_id} fonts"]
    for face in ("NotoSerif-Regular", "NotoSerif-Bold", "NotoSans-Regular", "NotoSans-Bold"):
        assert f"+{face} " in fonts, fonts


def test_the_command_writes_out_id_docx_and_skips_it_when_unchanged(make_project: MakeProject) -> None:
    from typer.testing import CliRunner  # noqa: PLC0415

    from briefgen.cli import app  # noqa: PLC0415

    config = make_project()
    out = config.parent / "out"
    args = ["render", "-f", "docx", "--config", str(config), "-o", str(out)]
    first = CliRunner().invoke(app, args)
    assert first.exit_code == 0, first.stderr
    assert f"wrote {out / 'demo.docx'}" in first.stdout
    assert [p.name for p in out.iterdir() if not p.name.startswith(".")] == ["demo.docx"]
    document = docx.Document(out / "demo.docx")
    assert document.paragraphs[0].text == "Demo brief"
    again = CliRunner().invoke(app, args)
    assert "1 output up to date" in again.stdout


# --- short forms ---------------------------------------------------------------------------------


def test_short_title_keeps_four_words_and_drops_a_dangling_small_word() -> None:
    assert short_title("Seoul holds talks with Poland, NATO on defense industry cooperation") == "Seoul holds talks"
    assert short_title("NATO Deputy Secretary General Pledges to Strengthen") == "NATO Deputy Secretary General"
    assert short_title("Poland, NATO, EU, Korea and more") == "Poland, NATO, EU, Korea"
    assert short_title("Five words stay as written") == "Five words stay as written"


def test_short_forms_are_made_distinct_by_date_then_outlet_then_position() -> None:
    def source(
        title: str | None, author: str | None = None, published: str | None = None, outlet: str | None = None
    ) -> Source:
        data: dict[str, Any] = {"file": "seeds/a.txt", "title": title, "author": author, "outlet": outlet}
        if published:
            data["published"] = published
        return Source.model_validate(data)

    alike = [
        source("Talks in Seoul on arms exports today", "Kim", "2025-10-20"),
        source("Talks in Seoul on arms deals", "Kim", "2025-10-21"),
    ]
    assert short_citations(alike) == (
        "Kim, “Talks in Seoul”, 20 October 2025.",
        "Kim, “Talks in Seoul”, 21 October 2025.",
    )
    same_day = [
        source("A B C D E F", published="2025-10-20", outlet="X"),
        source("A B C D G H", published="2025-10-20", outlet="Y"),
    ]
    assert short_citations(same_day) == ("“A B C D”, 20 October 2025, X.", "“A B C D”, 20 October 2025, Y.")
    twins = [source("Same"), source("Same")]
    assert short_citations(twins)[0] != short_citations(twins)[1]
    untitled = source(None, None, "2025-10", "Yonhap")
    assert short_citations([untitled]) == ("Yonhap, October 2025.",)
