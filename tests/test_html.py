"""HTML: the standalone screen page (--format html) and the print shell's CSS strings."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from briefgen.assemble import assemble_all
from briefgen.build.api import render_outputs
from briefgen.formats import Format, RenderOptions
from briefgen.project.load import load_project
from briefgen.project.validate import validate
from briefgen.renderers.html import css_string
from tests.conftest import SHIPPED_CONFIG


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
    # Every note reference resolves to a note listed at the end of the page.
    refs = set(re.findall(r'href="#(fn\d+)"', page))
    notes = set(re.findall(r'<li id="(fn\d+)"', page))
    assert refs and refs == notes


def test_fonts_and_their_license_sit_beside_the_pages(outputs: tuple[Path, dict[Path, bytes]]) -> None:
    out, files = outputs
    page = files[out / "korea-eu.html"].decode("utf-8")
    for font in re.findall(r"url\((fonts/[^)]+)\)", page):
        assert out / font in files
    assert out / "fonts" / "OFL.txt" in files


@pytest.mark.parametrize("text", ['a"b', "x</style><script>alert(1)</script>", "back\\slash", "new\nline", "}{;"])
def test_css_string_cannot_escape_its_literal(text: str) -> None:
    literal = str(css_string(text))
    inner = literal[1:-1]
    assert literal[0] == literal[-1] == '"'
    assert not re.search(r'["<>\n{};]', inner.replace("\\", ""))  # only escapes remain of the specials
    decoded = re.sub(r"\\([0-9a-f]+) ", lambda m: chr(int(m.group(1), 16)), inner)
    assert decoded == text
