"""The PDF handouts, read back through poppler: text, notes, fonts, metadata, reproducibility."""

from __future__ import annotations

import datetime as dt
import io
import json
import logging
import re
import subprocess
from pathlib import Path

import pypdf
import pytest
from weasyprint.text import ffi

from briefgen.assemble import AssembledBrief, assemble_all
from briefgen.build.api import render_outputs
from briefgen.formats import Format, Paper, PdfVariant, RenderOptions
from briefgen.project.load import load_project
from briefgen.project.validate import validate
from briefgen.renderers.markdown import citation
from briefgen.renderers.pdf import layout as render_pdf
from briefgen.text.quotes import fold, normalize
from tests.conftest import MINIMAL_YAML, SHIPPED_CONFIG, MakeProject, require_tool

pytestmark = pytest.mark.slow  # lays out PDFs or watches real files: seconds per test

BRIEF_IDS = ["korea-poland", "korea-nato", "korea-eu"]


@pytest.fixture(scope="module")
def rendered(tmp_path_factory: pytest.TempPathFactory) -> dict[str, tuple[AssembledBrief, bytes, str]]:
    """brief id → (assembled brief, PDF bytes, Markdown), rendered once for the module."""
    valid = validate(load_project(SHIPPED_CONFIG))
    briefs = assemble_all(valid)
    out = tmp_path_factory.mktemp("out")
    outputs = render_outputs(valid, briefs, RenderOptions((Format.MD, Format.PDF), jobs=2), out)  # two processes
    return {b.id: (b, outputs[out / f"{b.id}.pdf"], outputs[out / f"{b.id}.md"].decode("utf-8")) for b in briefs}


def poppler(tool: str, pdf: bytes, tmp_path: Path, *args: str) -> str:
    path = tmp_path / "brief.pdf"
    path.write_bytes(pdf)
    result = subprocess.run(
        [require_tool(tool), *args, str(path), *(["-"] if tool == "pdftotext" else [])], capture_output=True, check=True
    )
    return result.stdout.decode("utf-8")


def words(text: str) -> str:
    return " ".join(text.split())


def plain(markdown_text: str) -> str:
    """Markdown-escaped text as a reader sees it (escapes dropped, links shown as their text)."""
    text = re.sub(r"(?<!\\)\[((?:\\.|[^\]\\])*)\]\(<[^>]+>\)", r"\1", markdown_text)  # [text](<url>) → text
    return re.sub(r"<(https?://[^>]+)>", r"\1", re.sub(r"\\(.)", r"\1", text))


def squash(text: str) -> str:
    """Text without any whitespace: a URL broken across lines still matches."""
    return re.sub(r"\s+", "", text)


@pytest.mark.parametrize("brief_id", BRIEF_IDS)
def test_metadata_title_language_tagging_and_page_size(rendered: dict, brief_id: str, tmp_path: Path) -> None:  # type: ignore[type-arg]
    brief, pdf, _ = rendered[brief_id]
    info = poppler("pdfinfo", pdf, tmp_path)
    assert re.search(rf"^Title:\s+{re.escape(brief.brief.title)}$", info, re.M)
    assert re.search(r"^Tagged:\s+yes$", info, re.M)
    assert re.search(r"^Page size:\s+595.2\d* x 841.8\d* pts \(A4\)$", info, re.M)


@pytest.mark.parametrize("brief_id", BRIEF_IDS)
def test_only_bundled_fonts_and_all_embedded(rendered: dict, brief_id: str, tmp_path: Path) -> None:  # type: ignore[type-arg]
    _, pdf, _ = rendered[brief_id]
    rows = [line.split() for line in poppler("pdffonts", pdf, tmp_path).splitlines()[2:]]
    assert rows
    for row in rows:
        assert "Briefgen" in row[0], f"system font used: {row[0]}"
        assert "Oblique" not in row[0], f"a style no bundled face has, faked by slanting: {row[0]}"
        assert row[-5] == "yes", f"font not embedded: {row[0]}"


@pytest.mark.parametrize("brief_id", BRIEF_IDS)
def test_every_non_ascii_word_of_the_markdown_is_in_the_pdf_text(rendered: dict, brief_id: str, tmp_path: Path) -> None:  # type: ignore[type-arg]
    _, pdf, markdown = rendered[brief_id]
    # The handout sets quotes and apostrophes typographically: compare without their style.
    text = fold(words(poppler("pdftotext", pdf, tmp_path, "-enc", "UTF-8")))
    body = fold(re.sub(r"\[\^\d+\]", " ", plain(markdown)))
    non_ascii = {w.strip(".,;:()[]*“”\"'’") for w in body.split() if any(ord(c) > 127 for c in w)}
    non_ascii = {w for w in non_ascii if any(ord(c) > 127 and c not in "–—“”‘’·" for c in w)}
    assert non_ascii, "the briefs name people with diacritics; the test must see some"
    missing = sorted(w for w in non_ascii if w not in text)
    assert not missing


def test_names_with_diacritics_survive(rendered: dict, tmp_path: Path) -> None:  # type: ignore[type-arg]
    text = words(poppler("pdftotext", rendered["korea-nato"][1], tmp_path, "-enc", "UTF-8"))
    assert "Radmila Šekerinska" in text
    text = words(poppler("pdftotext", rendered["korea-poland"][1], tmp_path, "-enc", "UTF-8"))
    assert "Władysław Kosiniak-Kamysz" in text and "Radosław Sikorski" in text and "기자" in text


@pytest.mark.parametrize("brief_id", BRIEF_IDS)
def test_each_note_is_at_a_page_foot_and_in_the_sources_list(rendered: dict, brief_id: str, tmp_path: Path) -> None:  # type: ignore[type-arg]
    brief, pdf, _ = rendered[brief_id]
    pages = [fold(squash(p)) for p in poppler("pdftotext", pdf, tmp_path, "-enc", "UTF-8").split("\f")]
    for note in brief.notes:
        expected = fold(squash(plain(str(citation(note)))))  # quotes typographic in print
        # Once as the page-foot note where it is first cited, once in the Sources list at the end.
        found = sum(page.count(f"{note.number}.{expected}") for page in pages)
        assert found == 2, f"note {note.number} appears {found} times: {expected}"


def test_footnote_numbers_in_the_pdf_match_the_markdown(rendered: dict, tmp_path: Path) -> None:  # type: ignore[type-arg]
    brief, pdf, _ = rendered["korea-nato"]
    first_page = words(poppler("pdftotext", pdf, tmp_path, "-enc", "UTF-8", "-l", "1"))
    note = brief.notes[0]
    assert fold(f"1. {words(plain(str(citation(note))))}") in fold(first_page)


def test_rendering_is_reproducible_and_every_character_has_a_glyph(
    caplog: pytest.LogCaptureFixture, tmp_path: Path
) -> None:
    valid = validate(load_project(SHIPPED_CONFIG))
    briefs = assemble_all(valid, ["korea-poland"])
    with caplog.at_level(logging.WARNING, logger="weasyprint"):
        first = render_outputs(valid, briefs, RenderOptions((Format.PDF,)), tmp_path)
    second = render_outputs(valid, briefs, RenderOptions((Format.PDF,)), tmp_path)
    assert first == second
    assert not [r.getMessage() for r in caplog.records if "glyph" in r.getMessage() or "Font" in r.getMessage()]


def test_pdfs_laid_out_in_parallel_are_byte_identical_to_serial_ones(rendered: dict, tmp_path: Path) -> None:  # type: ignore[type-arg]
    """The fixture's PDFs came from two worker processes; one process must give the same bytes."""
    valid = validate(load_project(SHIPPED_CONFIG))
    serial = render_outputs(valid, assemble_all(valid), RenderOptions((Format.PDF,), jobs=1), tmp_path)
    assert {path.name: data for path, data in serial.items()} == {f"{b}.pdf": rendered[b][1] for b in BRIEF_IDS}


def pdf_reader(pdf: bytes) -> pypdf.PdfReader:
    return pypdf.PdfReader(io.BytesIO(pdf))


def note_call_sizes(page: pypdf.PageObject) -> dict[str, set[float]]:
    """Note number → the font sizes (pt) at which the page shows it as a call (a run of digits alone)."""
    sizes: dict[str, set[float]] = {}

    def visit(text: str, cm: list[float], tm: list[float], font: object, size: float) -> None:
        if re.fullmatch(r"\d+", text.strip()):
            sizes.setdefault(text.strip(), set()).add(round(size * tm[0] * cm[0], 2))

    page.extract_text(visitor_text=visit)
    return sizes


@pytest.mark.parametrize("brief_id", BRIEF_IDS)
def test_a_notes_first_call_is_the_size_of_its_later_calls(rendered: dict, brief_id: str) -> None:  # type: ignore[type-arg]
    """The first call is generated from the 8pt note itself (::footnote-call), later ones are links
    in the text: on page 1, all of them in body text, every call of every note has one size."""
    sizes = note_call_sizes(pdf_reader(rendered[brief_id][1]).pages[0])
    assert sizes and all(len(found) == 1 for found in sizes.values()), sizes
    assert len(set.union(*sizes.values())) == 1, sizes


@pytest.mark.parametrize("brief_id", BRIEF_IDS)
def test_bookmarks_follow_the_headings(rendered: dict, brief_id: str) -> None:  # type: ignore[type-arg]
    brief, pdf, markdown = rendered[brief_id]
    outline = pdf_reader(pdf).outline
    assert outline[0].title == brief.brief.title
    h2 = [plain(line[3:]) for line in markdown.splitlines() if line.startswith("## ")]
    assert [fold(item.title) for item in outline[1]] == [fold(title) for title in h2]  # quotes typographic in print


def test_source_urls_are_clickable(rendered: dict) -> None:  # type: ignore[type-arg]
    brief, pdf, _ = rendered["korea-nato"]
    urls = {n.source.url.value for n in brief.notes if n.source.url}
    assert urls, "korea-nato cites the Korea Times article, which has a URL"
    links = {
        annot.get_object()["/A"]["/URI"]
        for page in pdf_reader(pdf).pages
        for annot in page.get("/Annots", [])
        if "/A" in annot.get_object() and "/URI" in annot.get_object()["/A"]
    }
    # Each links to its page with text fragments that highlight the quoted passages.
    assert {link.split("#:~:")[0] for link in links} == urls
    assert all("#:~:text=" in link for link in links)


@pytest.mark.parametrize("brief_id", BRIEF_IDS)
def test_evidence_is_attached(rendered: dict, brief_id: str) -> None:  # type: ignore[type-arg]
    brief, pdf, _ = rendered[brief_id]
    attachments = pdf_reader(pdf).attachments
    facts = json.loads(attachments["facts.json"][0])
    articles = {name: data[0].decode("utf-8") for name, data in attachments.items() if name != "facts.json"}
    assert set(articles) == {Path(n.source.file).name for n in brief.notes}
    assert [f["id"] for f in facts["facts"]][: len(brief.facts)] == [f.id for f in brief.facts]
    # A reader can check every quote offline: it is in the attached article, where facts.json says.
    for fact in facts["facts"]:
        for cite in fact["cite"]:
            text = articles[facts["sources"][cite["source"]]["attachment"]]
            line = text.splitlines()[cite["line"] - 1]
            assert normalize(line[cite["column"] - 1 :]).startswith(normalize(cite["quote"])[:20])


def test_letter_paper_and_pdf_a(tmp_path: Path) -> None:
    valid = validate(load_project(SHIPPED_CONFIG))
    briefs = assemble_all(valid, ["korea-eu"])
    options = RenderOptions((Format.PDF,), paper=Paper.LETTER, pdf_variant=PdfVariant.A3B)
    pdf = render_outputs(valid, briefs, options, tmp_path)[tmp_path / "korea-eu.pdf"]
    info = poppler("pdfinfo", pdf, tmp_path)
    assert re.search(r"^Page size:\s+612 x 792 pts \(letter\)$", info, re.M)
    assert re.search(r"^Tagged:\s+yes$", info, re.M)
    xmp = pdf_reader(pdf).xmp_metadata
    assert xmp is not None
    assert b'pdfaid:part="3" pdfaid:conformance="B"' in xmp.stream.get_data()


def test_default_variant_is_pdf_ua(rendered: dict) -> None:  # type: ignore[type-arg]
    xmp = pdf_reader(rendered["korea-eu"][1]).xmp_metadata
    assert xmp is not None
    assert b'pdfuaid:part="1"' in xmp.stream.get_data()


def test_a_brief_can_ask_for_letter_paper(shipped_project: Path, tmp_path: Path) -> None:
    text = shipped_project.read_text(encoding="utf-8")
    shipped_project.write_text(text.replace("  korea-eu:\n", "  korea-eu:\n    paper: letter\n", 1), encoding="utf-8")
    valid = validate(load_project(shipped_project))
    pdf = render_outputs(valid, assemble_all(valid, ["korea-eu"]), RenderOptions((Format.PDF,)), tmp_path)
    assert "612 x 792 pts" in poppler("pdfinfo", pdf[tmp_path / "korea-eu.pdf"], tmp_path)


def test_dates_come_from_the_as_of_date_or_source_date_epoch(tmp_path: Path) -> None:
    valid = validate(load_project(SHIPPED_CONFIG))
    briefs = assemble_all(valid, ["korea-eu"])
    as_of = render_outputs(valid, briefs, RenderOptions((Format.PDF,)), tmp_path)[tmp_path / "korea-eu.pdf"]
    assert pdf_reader(as_of).metadata["/CreationDate"] == "D:20251024000000Z"
    epoch = dt.datetime(2026, 1, 2, 3, 4, 5, tzinfo=dt.UTC)
    stamped = render_outputs(valid, briefs, RenderOptions((Format.PDF,), timestamp=epoch), tmp_path)
    reader = pdf_reader(stamped[tmp_path / "korea-eu.pdf"])
    assert reader.metadata["/CreationDate"] == reader.metadata["/ModDate"] == "D:20260102030405Z"


def test_missing_harfbuzz_subsetter_is_reported_once(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    monkeypatch.setattr(ffi, "harfbuzz_subset", None)
    monkeypatch.setattr(render_pdf, "_subsetter_checked", False)
    with caplog.at_level(logging.WARNING, logger="briefgen.renderers.pdf.layout"):
        render_pdf._say_once_if_subsetting_is_slow()
        render_pdf._say_once_if_subsetting_is_slow()
    assert [r.getMessage().endswith("sudo apt-get install libharfbuzz-subset0") for r in caplog.records] == [True]


def test_pdf_links_to_the_source_carry_text_fragments(rendered: dict, tmp_path: Path) -> None:  # type: ignore[type-arg]
    _, pdf, markdown = rendered["korea-nato"]
    uris = {
        annotation.get_object()["/A"]["/URI"]
        for page in pdf_reader(pdf).pages
        for annotation in page.get("/Annots", [])
        if "/URI" in annotation.get_object().get("/A", {})
    }
    in_markdown = set(re.findall(r"\]\(<(https?://[^>]+)>\)", markdown))
    assert uris == in_markdown
    assert all("#:~:text=" in uri for uri in uris) and len(uris) == 10  # the footnote's link + one per passage


def test_a_token_longer_than_a_line_is_broken_not_clipped(make_project: MakeProject, tmp_path: Path) -> None:
    """Issue 12, item 13: a 171-character URL in a claim used to run off the paper."""
    token = "https://example.org/" + "a1b2c3d4e5" * 15 + "z"
    assert len(token) == 171
    claim = f"The two sides agreed to deepen defence-industry cooperation, see {token}"
    config = make_project(MINIMAL_YAML.replace("The two sides agreed to deepen defence-industry cooperation.", claim))
    valid = validate(load_project(config))
    outputs = render_outputs(valid, assemble_all(valid), RenderOptions((Format.PDF,)), tmp_path / "out")
    pdf = outputs[tmp_path / "out" / "demo.pdf"]
    page_width = float(pypdf.PdfReader(io.BytesIO(pdf)).pages[0].mediabox.width)
    text = poppler("pdftotext", pdf, tmp_path, "-layout")
    assert token in "".join(text.split()), "every character of the token is on the page"
    boxes = poppler("pdftotext", pdf, tmp_path, "-bbox")
    right_edges = [float(x) for x in re.findall(r'xMax="([\d.]+)"', boxes)]
    assert right_edges and max(right_edges) <= page_width


def test_a_section_title_cannot_take_the_notes_link_targets(make_project: MakeProject, tmp_path: Path) -> None:
    """Issue 12, item 14: a section titled like a note ("Note 1") must not get the note's id."""
    text = MINIMAL_YAML.replace("      - title: Details\n", "      - title: Note 1\n")
    valid = validate(load_project(make_project(text)))
    outputs = render_outputs(valid, assemble_all(valid), RenderOptions((Format.HTML,)), tmp_path / "out")
    html = outputs[tmp_path / "out" / "demo.html"].decode("utf-8")
    ids = re.findall(r'\bid="([^"]+)"', html)
    assert len(ids) == len(set(ids)), "ids are unique"
    assert "section-note-1" in ids and ids.count("note-1") == 1
    assert all(re.search(rf'\bid="{re.escape(target)}"', html) for target in re.findall(r'href="#([^"]+)"', html))
