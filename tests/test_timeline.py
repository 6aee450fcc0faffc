"""The Timeline figure: an SVG laid out so that no label overlaps another or leaves the figure,
escaped like every other output, byte-reproducible, and placed under the Timeline heading of the
screen page and the PDF."""

from __future__ import annotations

import dataclasses
import datetime as dt
import os
import re
import subprocess
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from itertools import combinations
from pathlib import Path
from typing import Any

import pypdf
import pytest
from hypothesis import given
from hypothesis import strategies as st

from briefgen.assemble import AssembledBrief, assemble_all
from briefgen.build.api import render_outputs
from briefgen.formats import SHOWS_IMAGES, Flavor, Format, Paper, RenderOptions
from briefgen.project.load import load_project
from briefgen.project.validate import validate
from briefgen.project.values import AttestedDate, Basis, PartialDate
from briefgen.renderers.html import render_print_html
from briefgen.renderers.markdown import render_page
from briefgen.renderers.templates import search_path
from briefgen.renderers.timeline import (
    ELLIPSIS,
    FONT_SIZE,
    MAX_PART_HEIGHT,
    TimelineRow,
    brief_timeline_alt,
    brief_timeline_svg,
    text_width,
    timeline_rows,
    timeline_svg,
    timeline_svgs,
)
from tests.conftest import SHIPPED_CONFIG, require_tool
from tests.engines import cmark_gfm, pandoc_ast, plain_inlines, python_markdown, walk

SVG = "{http://www.w3.org/2000/svg}"
BRIEF_IDS = ["korea-poland", "korea-nato", "korea-eu"]
DIRS = search_path(SHIPPED_CONFIG.parent)


@pytest.fixture(scope="module")
def shipped() -> dict[str, AssembledBrief]:
    return {brief.id: brief for brief in assemble_all(validate(load_project(SHIPPED_CONFIG)))}


Rect = tuple[float, float, float, float]  # left, top, right, bottom


def label_boxes(svg: str) -> tuple[Rect, list[tuple[Rect, str]]]:
    """The figure's viewBox and, per label, the box it was laid out in and the text it shows."""
    root = ET.fromstring(svg)
    _, _, width, height = (float(v) for v in root.attrib["viewBox"].split())
    labels = []
    for group in root.iter(f"{SVG}g"):
        if group.get("class") != "label":
            continue
        rect, text = group.find(f"{SVG}rect"), group.find(f"{SVG}text")
        assert rect is not None and text is not None
        x, y, w, h = (float(rect.attrib[k]) for k in ("x", "y", "width", "height"))
        labels.append(((x, y, x + w, y + h), text.text or ""))
    return (0.0, 0.0, width, height), labels


def intersect(a: Rect, b: Rect) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def inside(inner: Rect, outer: Rect) -> bool:
    return outer[0] <= inner[0] and inner[2] <= outer[2] and outer[1] <= inner[1] and inner[3] <= outer[3]


def assert_laid_out(svg: str, rows: list[TimelineRow] | tuple[TimelineRow, ...]) -> None:
    """No two label boxes meet, each is within the figure, wide enough for its text as measured
    independently of the layout (from the font's advance widths), and shows its row's note numbers."""
    view, labels = label_boxes(svg)
    assert len(labels) == len(rows)
    for (box, text), row in zip(labels, rows, strict=True):
        assert inside(box, view), (text, box, view)
        assert text_width(text) <= box[2] - box[0] + 0.01, text
        assert box[3] - box[1] >= FONT_SIZE  # ascent + descent
        # The label in full, or cut with an ellipsis before its note numbers (or, when the numbers
        # alone are too long, cut within them).
        suffix = f" [{', '.join(map(str, row.notes))}]" if row.notes else ""
        if text != row.label + suffix:
            if text.endswith(ELLIPSIS + suffix):
                assert row.label.startswith(text.removesuffix(ELLIPSIS + suffix)), (row.label, text)
            else:
                assert text.endswith(ELLIPSIS) and (row.label + suffix).startswith(text[:-1]), (row.label, text)
    for (a, ta), (b, tb) in combinations(labels, 2):
        assert not intersect(a, b), (ta, tb)


@pytest.mark.parametrize("brief_id", BRIEF_IDS)
def test_shipped_labels_never_overlap_or_leave_the_figure(shipped: dict[str, AssembledBrief], brief_id: str) -> None:
    brief = shipped[brief_id]
    svg = brief_timeline_svg(brief)
    assert svg is not None
    rows = timeline_rows(brief)
    assert len(rows) == len(brief.timeline) > 0
    assert_laid_out(svg, rows)
    # Every headline of the shipped briefs fits: nothing is cut, so the figure says what the table says.
    _, labels = label_boxes(svg)
    assert [text for _, text in labels] == [f"{r.label} [{', '.join(map(str, r.notes))}]" for r in rows]


@pytest.mark.parametrize("brief_id", BRIEF_IDS)
def test_shipped_marks_are_drawn_by_precision_and_basis(shipped: dict[str, AssembledBrief], brief_id: str) -> None:
    """One mark per dated fact: a dot for a day, a bar for a month or year; hollow and dashed unless stated."""
    svg = brief_timeline_svg(shipped[brief_id])
    assert svg is not None
    root = ET.fromstring(svg)
    marks = [e for e in root if e.get("class") == "mark"]  # the legend's keys are inside <g class="legend">
    rows = timeline_rows(shipped[brief_id])
    assert len(marks) == len(rows)
    for mark, row in zip(marks, rows, strict=True):
        assert mark.tag == (f"{SVG}rect" if row.span else f"{SVG}circle")
        assert (mark.get("fill") == "#ffffff") == row.uncertain
        assert ("stroke-dasharray" in mark.attrib) == row.uncertain
    legend = root.find(f"{SVG}g[@class='legend']")
    assert legend is not None
    keys = " / ".join(t.text or "" for t in legend.iter(f"{SVG}text"))
    assert (
        keys == "date stated / date inferred, supplied or approximate / date known to the month or year: a bar over it"
    )


def test_marks_sit_on_the_axis_in_date_order_and_a_month_is_wider_than_a_day() -> None:
    rows = [
        TimelineRow(AttestedDate(value=PartialDate(2024, 1, 1)), "New year", (1,)),
        TimelineRow(AttestedDate(value=PartialDate(2024, 6)), "June", (2,)),
        TimelineRow(AttestedDate(value=PartialDate(2024, 12, 31)), "Year end", (3,)),
    ]
    root = ET.fromstring(timeline_svg(rows))
    marks = [e for e in root if e.get("class") == "mark"]
    xs = [float(m.get("cx") or float(m.attrib["x"]) + float(m.attrib["width"]) / 2) for m in marks]
    assert xs == sorted(xs) and xs[0] < xs[1] < xs[2]
    # June is about half-way through the year, and its bar spans about a twelfth of it.
    assert abs((xs[1] - xs[0]) / (xs[2] - xs[0]) - (dt.date(2024, 6, 16) - dt.date(2024, 1, 1)).days / 365) < 0.01
    assert abs(float(marks[1].attrib["width"]) / (xs[2] - xs[0]) - 30 / 365) < 0.01


HOSTILE = '</text><script>alert("x")</script> & "quoted" <b>bold</b> ]]> &amp;'


def test_hostile_text_stays_text() -> None:
    rows = [TimelineRow(AttestedDate(value=PartialDate(2025, 10, 20)), HOSTILE, (1,))]
    svg = timeline_svg(rows, subject=HOSTILE, id_prefix="timeline-x")
    root = ET.fromstring(svg)  # well-formed
    tags = {element.tag for element in root.iter()}
    assert tags <= {f"{SVG}{t}" for t in ("svg", "title", "desc", "g", "line", "circle", "rect", "text")}
    assert "<script" not in svg and "<b>" not in svg
    texts = [t.text for t in root.iter(f"{SVG}text")]
    assert f"{HOSTILE} [1]" in texts  # shown as the characters it is
    title = root.find(f"{SVG}title")
    assert title is not None and HOSTILE in (title.text or "")
    assert not any(k.startswith("on") or "href" in k for e in root.iter() for k in e.attrib)


def test_rendering_twice_gives_the_same_bytes(shipped: dict[str, AssembledBrief]) -> None:
    for brief in shipped.values():
        assert brief_timeline_svg(brief) == brief_timeline_svg(brief)
    brief = shipped["korea-nato"]
    page = render_page(brief, DIRS)
    stamp = dt.datetime(2025, 10, 24)
    first = render_print_html(brief, page, DIRS, paper=Paper.A4, timestamp=stamp)
    assert first == render_print_html(brief, page, DIRS, paper=Paper.A4, timestamp=stamp)


_dates = st.builds(
    lambda year, month, day, precision: PartialDate(year, month if precision else 0, day if precision == 2 else 0),
    st.integers(1990, 2030),
    st.integers(1, 12),
    st.integers(1, 28),
    st.integers(0, 2),
)
_rows = st.builds(
    TimelineRow,
    st.builds(
        lambda d, basis, approx: AttestedDate(value=d, basis=basis, approximate=approx),
        _dates,
        st.sampled_from(Basis),
        st.booleans(),
    ),
    st.text(st.characters(codec="utf-8", exclude_categories=("Cs", "Cc")), min_size=1, max_size=300),
    st.lists(st.integers(1, 120), max_size=6, unique=True).map(lambda n: tuple(sorted(n))),
)


@given(st.lists(_rows, min_size=1, max_size=80).map(lambda rows: sorted(rows, key=lambda r: r.date.value)))
def test_any_facts_with_any_headlines_are_laid_out_without_overlap(rows: list[TimelineRow]) -> None:
    svg = timeline_svg(rows)
    assert_laid_out(svg, rows)
    assert svg == timeline_svg(rows)


def test_many_facts_on_one_day_with_long_headlines_stack_in_lanes() -> None:
    day = AttestedDate(value=PartialDate(2025, 10, 20))
    rows = [TimelineRow(day, f"Headline {i} " + "very long words " * 40, (i,)) for i in range(1, 41)]
    svg = timeline_svg(rows)
    assert_laid_out(svg, rows)
    _, labels = label_boxes(svg)
    assert all(text.endswith(f"{ELLIPSIS} [{i}]") for i, (_, text) in enumerate(labels, 1))  # cut before its notes
    assert len({box[1] for box, _ in labels}) == 40  # one lane each


@pytest.fixture(scope="module")
def screen_pages(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[Path, bytes]]:
    valid = validate(load_project(SHIPPED_CONFIG))
    out = tmp_path_factory.mktemp("out")
    files = render_outputs(valid, assemble_all(valid), RenderOptions((Format.HTML,)), out)
    for path, data in files.items():  # on disk too, fonts/ beside the pages, for the browser
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    return out, files


@pytest.mark.parametrize("brief_id", BRIEF_IDS)
def test_screen_and_print_html_show_the_figure_under_the_timeline_heading(
    shipped: dict[str, AssembledBrief], screen_pages: tuple[Path, dict[Path, bytes]], brief_id: str
) -> None:
    out, files = screen_pages
    brief = shipped[brief_id]
    printed = render_print_html(
        brief, render_page(brief, DIRS), DIRS, paper=Paper.A4, timestamp=dt.datetime(2025, 1, 1)
    )
    for html in (files[out / f"{brief_id}.html"].decode("utf-8"), printed):
        section = re.search(r'<section class="block block-timeline"[^>]*>(.*?)</section>', html, re.S)
        assert section is not None
        body = section.group(1)
        assert body.count("<figure") == 1 and html.count("<svg") == 1
        heading, figure, table = (
            body.index("<h2"),
            body.index('<figure class="timeline-figure-box">'),
            body.index("<table"),
        )
        assert heading < figure < body.index("<figcaption>") < body.index("</figure>") < table
        assert brief_timeline_svg(brief) in body  # the very figure, not re-escaped by markdown-it or Jinja


def test_no_figure_without_dated_facts(shipped: dict[str, AssembledBrief]) -> None:
    brief = shipped["korea-poland"]
    undated = AssembledBrief(**{**brief.__dict__, "timeline": (), "undated": len(brief.facts)})
    assert brief_timeline_svg(undated) is None
    printed = render_print_html(
        undated, render_page(undated, DIRS), DIRS, paper=Paper.A4, timestamp=dt.datetime(2025, 1, 1)
    )
    assert "<svg" not in printed and "<figure" not in printed


@pytest.fixture(scope="module")
def nato_pdf(tmp_path_factory: pytest.TempPathFactory) -> bytes:
    valid = validate(load_project(SHIPPED_CONFIG))
    out = tmp_path_factory.mktemp("pdf")
    files = render_outputs(valid, assemble_all(valid, ["korea-nato"]), RenderOptions((Format.PDF,)), out)
    return files[out / "korea-nato.pdf"]


def test_the_pdf_shows_the_figure_tagged_with_its_text_alternative(nato_pdf: bytes, tmp_path: Path) -> None:
    pdf = tmp_path / "korea-nato.pdf"
    pdf.write_bytes(nato_pdf)
    text = subprocess.run(
        [require_tool("pdftotext"), "-enc", "UTF-8", str(pdf), "-"], capture_output=True, check=True
    ).stdout
    pages = text.decode("utf-8").split("\f")
    page = next(i for i, p in enumerate(pages) if "date stated" in p)
    # The legend, a label and the table's first row on the same page: the figure heads the table.
    assert "Wi Sung-lac meets Šekerinska in Seoul [1, 2]" in pages[page]
    assert "NATO agrees to spend at least 2% of GDP on defence" in pages[page]
    reader = pypdf.PdfReader(pdf)
    figures = []

    def walk(node: object) -> None:
        if isinstance(node, pypdf.generic.IndirectObject):
            node = node.get_object()
        if isinstance(node, pypdf.generic.DictionaryObject):
            if node.get("/S") == "/Figure":
                figures.append(node)
            walk(node.get("/K"))
        elif isinstance(node, pypdf.generic.ArrayObject):
            for child in node:
                walk(child)

    walk(reader.trailer["/Root"]["/StructTreeRoot"])
    assert len(figures) == 1
    alt = "Timeline: 29 dated facts from 2014 to 20 October 2025, each listed in the table below"
    assert str(figures[0]["/Alt"]) == alt


# The browser's own layout of the figure: each label's text as Chromium sets it, with the bundled
# font the page loads from fonts/ beside it (kerning and all), in the SVG's user units.
MEASURE = """() => [...document.querySelectorAll("svg.timeline-figure g.label")].map(g => {
  const text = g.querySelector("text"), box = g.querySelector("rect").getBBox();
  const drawn = text.getBBox();
  text.removeAttribute("textLength");  // the text at its natural width, in the bundled font
  const natural = text.getBBox();
  return {text: [drawn.x, drawn.y, drawn.x + drawn.width, drawn.y + drawn.height],
          natural: [natural.x, natural.x + natural.width],
          box: [box.x, box.y, box.x + box.width, box.y + box.height], label: g.textContent};
})"""


VIEW_BOX = """() => { const v = document.querySelector("svg.timeline-figure").viewBox.baseVal;
  return {width: v.width, height: v.height}; }"""


@pytest.fixture(scope="module")
def chromium() -> Iterator[Any]:
    executable = require_tool("chromium")
    try:
        from playwright.sync_api import sync_playwright  # noqa: PLC0415
    except ImportError:
        if os.environ.get("BRIEFGEN_REQUIRE_TOOLS"):
            pytest.fail("playwright is not installed (it is in the test extras)")
        pytest.skip("playwright is not installed (it is in the test extras)")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable)
        try:
            yield browser
        finally:
            browser.close()


@pytest.mark.slow
@pytest.mark.parametrize("brief_id", BRIEF_IDS)
def test_a_real_renderer_sets_no_two_labels_over_each_other(
    chromium: Any, screen_pages: tuple[Path, dict[Path, bytes]], brief_id: str
) -> None:
    out, _ = screen_pages
    page = chromium.new_page(viewport={"width": 1280, "height": 900})
    try:
        page.goto((out / f"{brief_id}.html").as_uri(), wait_until="load")
        page.evaluate("document.fonts.ready.then(() => true)")
        fonts = page.evaluate(
            "() => [...document.fonts].filter(f => f.status === 'loaded').map(f => f.family.replace(/\"/g, ''))"
        )
        assert "Briefgen Sans" in fonts  # the labels were set in the font they were measured with
        view = page.evaluate(VIEW_BOX)
        drawn = page.evaluate(MEASURE)
    finally:
        page.close()
    assert len(drawn) == len(re.findall(r'<g class="label">', (out / f"{brief_id}.html").read_text("utf-8"))) > 0
    for label in drawn:
        text, box, natural = label["text"], label["box"], label["natural"]
        # Across: the text as drawn, and as the font alone sets it (without the textLength that fits
        # it to its box), lies within the box it was laid out in (kerning only narrows it).
        assert box[0] - 0.25 <= text[0] and text[2] <= box[2] + 0.25, label
        assert box[0] - 0.25 <= natural[0] and natural[1] <= box[2] + 0.25, label
        assert natural[1] - natural[0] >= 0.97 * (box[2] - box[0]), label  # measured, not guessed wide
        assert inside(tuple(text), (0.0, 0.0, view["width"], view["height"])), label
    for a, b in combinations(drawn, 2):
        assert not intersect(tuple(a["text"]), tuple(b["text"])), (a["label"], b["label"])


# --- wikis: the figure as a file beside the Markdown page ---


@pytest.mark.parametrize("flavor", list(Flavor))
def test_wiki_pages_show_the_figure_file_written_beside_them(
    shipped: dict[str, AssembledBrief], flavor: Flavor, tmp_path: Path
) -> None:
    valid = validate(load_project(SHIPPED_CONFIG))
    files = render_outputs(
        valid, assemble_all(valid), RenderOptions((Format.MD, Format.MEDIAWIKI), flavor=flavor), tmp_path
    )
    for brief_id, brief in shipped.items():
        svg_path = tmp_path / f"{brief_id}-timeline.svg"
        markdown = files[tmp_path / f"{brief_id}.md"].decode("utf-8")
        assert "timeline.svg" not in files[tmp_path / f"{brief_id}.wiki"].decode("utf-8")  # MediaWiki: the table only
        if flavor not in SHOWS_IMAGES:
            assert svg_path not in files and "timeline.svg" not in markdown
            continue
        assert files[svg_path].decode("utf-8") == brief_timeline_svg(brief)
        alt = brief_timeline_alt(brief)
        assert alt is not None
        if flavor is Flavor.PANDOC:
            image = [n for n in walk(pandoc_ast(markdown, "markdown")["blocks"]) if n.get("t") == "Image"]
            assert len(image) == 1
            _, alt_inlines, (src, _) = image[0]["c"]
            assert src == svg_path.name and plain_inlines(alt_inlines) == alt
            continue
        html = cmark_gfm(markdown, footnotes=False) if flavor is not Flavor.MKDOCS else python_markdown(markdown)
        images = [dict(re.findall(r'(\w+)="([^"]*)"', tag)) for tag in re.findall(r"<img\b[^>]*>", html)]
        assert images == [{"src": svg_path.name, "alt": alt}], images
        # Under the Timeline heading, before its table.
        timeline = html.split(">Timeline</h2>", 1)[1]
        assert timeline.index("<img") < timeline.index("<table")


def leaders_behind_labels(svg: str) -> int:
    """How many (leader, label) pairs meet: a leader drawn from the axis through a label's box."""
    root = ET.fromstring(svg)
    _, labels = label_boxes(svg)
    leaders = [e for e in root.iter(f"{SVG}line") if e.get("class") == "leader"]
    assert len(leaders) == len(labels)
    count = 0
    for leader in leaders:
        x, top, bottom = float(leader.attrib["x1"]), float(leader.attrib["y1"]), float(leader.attrib["y2"])
        count += sum(1 for box, _ in labels if box[0] <= x <= box[2] and top < box[3] and box[1] < bottom)
    return count


@pytest.mark.parametrize(("brief_id", "most"), [("korea-poland", 0), ("korea-nato", 0), ("korea-eu", 1)])
def test_leaders_reach_their_labels_without_passing_behind_others(
    shipped: dict[str, AssembledBrief], brief_id: str, most: int
) -> None:
    svg = brief_timeline_svg(shipped[brief_id])
    assert svg is not None
    assert leaders_behind_labels(svg) <= most


# --- a figure taller than a page: drawn in parts on one axis ---


def test_a_figure_too_tall_for_a_page_is_drawn_in_parts_that_each_fit() -> None:
    days = [AttestedDate(value=PartialDate(2020 + i % 6, 1 + i % 12, 1 + i % 28)) for i in range(130)]
    rows = sorted(
        (TimelineRow(day, f"Event {i} " + "long words " * 12, (i % 9 + 1,)) for i, day in enumerate(days)),
        key=lambda r: r.date.value,
    )
    assert float(ET.fromstring(timeline_svg(rows)).attrib["height"]) > MAX_PART_HEIGHT  # whole, it would not fit
    parts = timeline_svgs(rows, id_prefix="t")
    assert len(parts) > 1
    drawn: list[str] = []
    ticks = set()
    for k, svg in enumerate(parts, 1):
        root = ET.fromstring(svg)
        assert float(root.attrib["height"]) <= MAX_PART_HEIGHT
        _, labels = label_boxes(svg)
        assert_laid_out(svg, rows[len(drawn) : len(drawn) + len(labels)])
        drawn += [text for _, text in labels]
        title = root.find(f"{SVG}title")
        assert title is not None and title.text is not None
        assert title.text.startswith(f"Timeline, part {k} of {len(parts)}: {len(labels)} dated facts from ")
        ticks.add(tuple((e.get("x"), e.text) for e in root.iter(f"{SVG}text") if e.get("class") == "tick"))
    assert len(drawn) == len(rows)  # every fact once, in date order
    assert len(ticks) == 1  # one axis: the parts read as one figure continued
    assert timeline_svgs(rows[:20]) == (timeline_svg(rows[:20]),)  # a figure that fits stays whole


LABEL_LINE = re.compile(r"\[\d+(?:, \d+)*\]$", re.MULTILINE)  # a label ends with its note numbers


@pytest.mark.parametrize("paper", list(Paper))
def test_every_label_of_a_timeline_longer_than_a_page_is_on_a_page(
    shipped: dict[str, AssembledBrief], paper: Paper, tmp_path: Path
) -> None:
    from briefgen.renderers.pdf.layout import render_pdf  # noqa: PLC0415 - WeasyPrint is slow to import

    nato = shipped["korea-nato"]
    crowded = dataclasses.replace(nato, timeline=tuple(sorted(nato.timeline * 4, key=lambda s: s.fact.date.value)))
    when = dt.datetime(2025, 1, 1)
    html = render_print_html(crowded, render_page(crowded, DIRS), DIRS, paper=paper, timestamp=when)
    pdf = tmp_path / "crowded.pdf"
    pdf.write_bytes(render_pdf(html, DIRS, timestamp=when))
    text = subprocess.run(
        [require_tool("pdftotext"), "-enc", "UTF-8", str(pdf), "-"], capture_output=True, check=True
    ).stdout.decode("utf-8")
    # A figure that runs off a page's foot loses the labels there (65 of 116 were printed before).
    assert len(LABEL_LINE.findall(text)) == len(crowded.timeline) == 116
