"""HTML: the standalone screen page (--format html) and the print shell's CSS strings."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest

from briefgen.assemble import AssembledBrief, assemble_all
from briefgen.build.api import render_outputs
from briefgen.errors import TemplateError
from briefgen.formats import Format, Paper, RenderOptions
from briefgen.project.load import load_project
from briefgen.project.validate import validate
from briefgen.renderers.html import css_string, font_url, markdown_to_html, render_print_html, screen_assets
from briefgen.renderers.markdown import render_markdown, render_page
from briefgen.renderers.templates import builtin_dir, search_path
from tests.conftest import SHIPPED_CONFIG

DIRS = search_path(SHIPPED_CONFIG.parent)


@pytest.fixture(scope="module")
def shipped() -> dict[str, AssembledBrief]:
    return {brief.id: brief for brief in assemble_all(validate(load_project(SHIPPED_CONFIG)))}


@pytest.fixture(scope="module")
def outputs(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[Path, bytes]]:
    valid = validate(load_project(SHIPPED_CONFIG))
    out = tmp_path_factory.mktemp("out")
    return out, render_outputs(valid, assemble_all(valid), RenderOptions((Format.HTML,)), out)


@pytest.mark.parametrize("brief_id", ["korea-poland", "korea-nato", "korea-eu"])
def test_screen_page_is_standalone_and_script_free(outputs: tuple[Path, dict[Path, bytes]], brief_id: str) -> None:
    out, files = outputs
    page = files[out / f"{brief_id}.html"].decode("utf-8")
    assert page.startswith("<!DOCTYPE html>")
    assert '<html lang="en">' in page
    assert "<style>" in page and "<script" not in page.lower()
    assert not re.search(r"<link[^>]+stylesheet", page)


@pytest.mark.parametrize("brief_id", ["korea-poland", "korea-nato", "korea-eu"])
def test_screen_notes_are_numbered_as_in_the_pdf_and_land_on_the_one_sources_list(
    shipped: dict[str, AssembledBrief], outputs: tuple[Path, dict[Path, bytes]], brief_id: str
) -> None:
    out, files = outputs
    page = files[out / f"{brief_id}.html"].decode("utf-8")
    # The note numbers a reader sees, in order: on screen, in the PDF's HTML (a first citation is
    # the note itself, numbered by the footnote counter in citation order) and in the Markdown.
    shown = [int(n) for n in re.findall(r'<sup class="note-ref"><a href="#note-(\d+)"[^>]*>\1</a></sup>', page)]
    assert shown and len(shown) == page.count('class="note-ref"')
    printed = render_print_html(
        shipped[brief_id], render_page(shipped[brief_id], DIRS), DIRS, paper=Paper.A4, timestamp=dt.datetime(2025, 1, 1)
    )
    print_calls = re.findall(r'<span class="footnote" id="note-(\d+)">|<a class="note-ref" href="#note-(\d+)"', printed)
    assert shown == [int(first or later) for first, later in print_calls]
    assert shown == [int(n) for n in re.findall(r"\[\^(\d+)\](?!:)", render_markdown(shipped[brief_id], DIRS))]
    # One Sources list: entry N has the id `note-N`, no note is listed twice, nothing links back.
    sources = page[page.index('<section class="block block-sources"') :]
    entries = re.findall(r"<li( id=\"note-\d+\")?>", sources)
    assert entries == [f' id="note-{n}"' for n in range(1, len(shipped[brief_id].notes) + 1)]
    assert sorted(set(shown)) == list(range(1, len(entries) + 1))
    assert page.count('id="note-') == len(entries) and page.count("<ol") == 1
    assert "↩" not in page and "footnote" not in page.partition("</style>")[2]
    assert not re.search(r"\[\d+:\d+\]", page)


def test_plain_markdown_on_screen_lists_the_notes_it_has_no_sources_list_for() -> None:
    html = markdown_to_html(
        "Seoul agreed.[^1] Warsaw agreed.[^2],[^1]\n\n[^1]: First note.\n\n[^2]: Second.\n", paged=False
    )
    assert re.findall(r'href="#note-(\d)"[^>]*>(\d)<', html) == [("1", "1"), ("2", "2"), ("1", "1")]
    assert '<li id="note-1" value="1">First note.</li>' in html and '<li id="note-2" value="2">Second.</li>' in html
    assert html.count("<ol") == 1 and "↩" not in html and "fnref" not in html


def test_fonts_and_their_license_sit_beside_the_pages(outputs: tuple[Path, dict[Path, bytes]]) -> None:
    out, files = outputs
    page = files[out / "korea-poland.html"].decode("utf-8")
    fonts = re.findall(r"url\((fonts/[^)]+)\)", page)
    for font in fonts:
        assert files[out / font] == (builtin_dir() / font).read_bytes()
    assert out / "fonts" / "OFL.txt" in files
    # The Hangul face is declared, shipped, and in the stacks of the body and of the headings.
    hangul = re.search(
        r'@font-face \{ font-family: "Briefgen Hangul"; src: url\((fonts/NotoSansCJKkr-Regular\.\w+)\)', page
    )
    assert hangul is not None and out / hangul[1] in files
    families = re.findall(r"font(?:-family)?:[^;]*?(\"Briefgen (?:Serif|Sans)\", \"Briefgen Hangul\")", page)
    assert '"Briefgen Serif", "Briefgen Hangul"' in families and '"Briefgen Sans", "Briefgen Hangul"' in families
    assert len(fonts) == len(set(fonts)) == 8  # Serif x4, Sans x2, Hangul x2


def test_a_font_is_named_by_its_name_whatever_its_format(tmp_path: Path) -> None:
    project = tmp_path / "templates"
    (project / "fonts").mkdir(parents=True)
    (project / "fonts" / "NotoSansCJKkr-Regular.woff2").write_bytes(b"wOF2 stand-in")
    dirs = (project, builtin_dir())
    assert font_url(dirs, "NotoSansCJKkr-Regular") == "fonts/NotoSansCJKkr-Regular.woff2"
    assert font_url(dirs, "NotoSans-Bold") == "fonts/NotoSans-Bold.ttf"
    assets = screen_assets(dirs)
    assert assets["fonts/NotoSansCJKkr-Regular.woff2"] == b"wOF2 stand-in"
    assert not [name for name in assets if name.startswith("fonts/NotoSansCJKkr-Regular.") and "woff2" not in name]
    with pytest.raises(TemplateError, match=r"font_url\('Missing'\): no font file Missing\.woff2, Missing\.ttf"):
        font_url(dirs, "Missing")


@pytest.mark.parametrize("text", ['a"b', "x</style><script>alert(1)</script>", "back\\slash", "new\nline", "}{;"])
def test_css_string_cannot_escape_its_literal(text: str) -> None:
    literal = str(css_string(text))
    inner = literal[1:-1]
    assert literal[0] == literal[-1] == '"'
    assert not re.search(r'["<>\n{};]', inner.replace("\\", ""))  # only escapes remain of the specials
    decoded = re.sub(r"\\([0-9a-f]+) ", lambda m: chr(int(m.group(1), 16)), inner)
    assert decoded == text
