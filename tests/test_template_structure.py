"""Styling follows the templates' structure: sections are classed by the block that wrote them, the
HTML shells have documented blocks, and a project's extra.css adds rules without a copied stylesheet."""

from __future__ import annotations

import datetime as dt
import io
import re
from pathlib import Path

import pypdf
import pytest

from briefgen.assemble import assemble_all
from briefgen.build.api import check, render_outputs
from briefgen.formats import Format, RenderOptions
from briefgen.renderers.html import render_print_html
from briefgen.renderers.markdown import render_page
from briefgen.renderers.templates import search_path
from tests.conftest import MakeProject

RENAMED_BOTTOM_LINE = """{% extends "builtin/brief.md.j2" %}
{% block bottom_line %}
## Kernaussagen

{% for s in brief.bottom_line %}
- {{ s.fact.claim }}{{ s.notes | notes }}
{% endfor %}

{% endblock %}
"""


def _html(config: Path, fmt: Format = Format.HTML) -> str:
    valid = check(config)
    out = config.parent / "out"
    outputs = render_outputs(valid, assemble_all(valid), RenderOptions((fmt,)), out)
    return outputs[out / "demo.html"].decode("utf-8")


def _sections(html: str) -> list[tuple[str, str]]:
    return re.findall(r'<section class="([^"]*)" id="([^"]*)">', html)


def test_sections_are_classed_by_their_template_block(make_project: MakeProject) -> None:
    sections = _sections(_html(make_project()))
    assert sections[:3] == [
        ("block block-bottom-line", "section-bottom-line"),
        ("block block-sections", "section-details"),
        ("block block-timeline", "section-timeline"),
    ]


def test_a_renamed_heading_keeps_its_block_and_its_box(make_project: MakeProject) -> None:
    config = make_project()
    (config.parent / "templates").mkdir()
    (config.parent / "templates" / "brief.md.j2").write_text(RENAMED_BOTTOM_LINE, "utf-8")
    sections = _sections(_html(config))
    # The CSS box is keyed to the class, the link target to the block: neither follows the words.
    assert sections[0] == ("block block-bottom-line", "section-bottom-line")


def test_block_lines_point_at_each_blocks_heading(make_project: MakeProject) -> None:
    valid = check(make_project())
    (brief,) = assemble_all(valid)
    page = render_page(brief, search_path(valid.root))
    lines = page.text.split("\n")
    headings = {lines[i]: page.block_at(i) for i in range(len(lines)) if lines[i].startswith("#")}
    assert headings["# Demo brief"] == "header"
    assert headings["## Bottom line"] == "bottom_line"
    assert headings["## Details"] == "sections"
    assert headings["## Timeline"] == "timeline"
    assert headings["## Sources"] == "sources"
    assert page.block_at(0) == "header"


def test_extra_css_is_added_to_the_print_and_screen_stylesheets(make_project: MakeProject) -> None:
    config = make_project()
    (config.parent / "templates").mkdir()
    (config.parent / "templates" / "extra.css").write_text(".block-bottom-line { border-color: #7a0000; }\n")
    screen = _html(config)
    assert screen.index(".block-bottom-line { border-color: #7a0000; }") > screen.index(".block-bottom-line {")

    valid = check(config)
    (brief,) = assemble_all(valid)
    dirs = search_path(valid.root)
    stamp = dt.datetime(2025, 10, 24, tzinfo=dt.UTC)
    printed = render_print_html(brief, render_page(brief, dirs), dirs, paper=brief.settings.paper, timestamp=stamp)
    assert "border-color: #7a0000" in printed
    assert printed.index("border-color: #7a0000") < printed.index("@page { size:")  # before the page rules


@pytest.mark.slow
def test_shell_blocks_can_be_overridden_one_at_a_time(make_project: MakeProject) -> None:
    config = make_project()
    (config.parent / "templates").mkdir()
    (config.parent / "templates" / "print.html.j2").write_text(
        '{% extends "builtin/print.html.j2" %}\n'
        '{% block meta %}{{ super() }}<meta name="dcterms.audience" content="Europe desk">\n{% endblock %}\n'
        '{% block masthead %}<p class="stamp">DRAFT</p>\n{{ super() }}{% endblock %}\n',
        "utf-8",
    )
    valid = check(config)
    out = config.parent / "out"
    pdf = render_outputs(valid, assemble_all(valid), RenderOptions((Format.PDF,)), out)[out / "demo.pdf"]
    text = "".join(page.extract_text() for page in pypdf.PdfReader(io.BytesIO(pdf)).pages)
    assert text.lstrip().startswith("DRAFT")
    assert "Demo brief" in text  # the rest of the masthead (super()) is still there
