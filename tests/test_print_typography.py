"""Print typography: names are never hyphenated, fragments are never tiny, quotes are typographic."""

from __future__ import annotations

import itertools
import re
import subprocess
from pathlib import Path

import pytest

import briefgen
from briefgen.formats import Format, RenderOptions
from briefgen.renderers.html import hyphenation_language, markdown_to_html
from tests.conftest import MINIMAL_YAML, SHIPPED_CONFIG, MakeProject, require_tool

BRIEFS = ("korea-poland", "korea-nato", "korea-eu")


@pytest.fixture(scope="module")
def printed(tmp_path_factory: pytest.TempPathFactory) -> dict[str, tuple[str, str]]:
    """Each shipped brief: its PDF's text as MuPDF lays it out in lines, and its Markdown."""
    mutool = require_tool("mutool")
    out = tmp_path_factory.mktemp("out")
    briefgen.render(SHIPPED_CONFIG, BRIEFS, RenderOptions((Format.MD, Format.PDF), force=True), out)
    texts = {}
    for brief in BRIEFS:
        command = [mutool, "draw", "-F", "txt", str(out / f"{brief}.pdf")]
        text = subprocess.run(command, capture_output=True, text=True, check=True)
        texts[brief] = (text.stdout, (out / f"{brief}.md").read_text(encoding="utf-8"))
    return texts


def _automatic_breaks(text: str, markdown: str) -> list[tuple[str, str]]:
    """(before, after) of each word broken at a line end by a hyphen the brief's text does not have."""
    written = " ".join(markdown.replace("\\-", "-").split())
    breaks = []
    lines = text.splitlines()
    for line, following in itertools.pairwise(lines):
        end = re.search(r"(\w+)-$", line)
        start = re.match(r"\s*(\w+)", following)
        if end and start and f"{end[1]}-{start[1]}" not in written:
            breaks.append((end[1], start[1]))
    return breaks


@pytest.mark.slow
@pytest.mark.parametrize("brief", BRIEFS)
def test_no_capitalised_word_is_hyphenated(printed: dict[str, tuple[str, str]], brief: str) -> None:
    breaks = _automatic_breaks(*printed[brief])
    assert breaks, "expected some hyphenation in three pages of justified text"
    assert [b for b in breaks if b[0][0].isupper()] == []


@pytest.mark.slow
@pytest.mark.parametrize("brief", BRIEFS)
def test_no_hyphenation_leaves_a_fragment_of_fewer_than_three_letters(
    printed: dict[str, tuple[str, str]], brief: str
) -> None:
    assert [b for b in _automatic_breaks(*printed[brief]) if min(len(b[0]), len(b[1])) < 3] == []


def test_only_lower_case_words_of_running_text_get_break_points() -> None:
    markdown = "# International cooperation\n\n"
    markdown += "- Radmila Šekerinska visited the Demilitarized Zone for international cooperation [^1].\n\n"
    markdown += "| Development |\n| --- |\n| international cooperation |\n\n"
    markdown += "[^1]: See [international cooperation](<https://example.org/>), international.\n"
    html = markdown_to_html(markdown)
    assert "Radmila Šekerinska vis\u00adited the Demilitarized Zone" in html  # names: no soft hyphen
    broken = re.search(r"inter\S*tional", html)
    assert broken is not None and "\u00ad" in broken[0]
    parts = broken[0].split("\u00ad")
    for at in range(1, len(parts)):  # a break at any of them leaves three letters or more on each side
        assert len("".join(parts[:at])) >= 3 and len("".join(parts[at:])) >= 3
    for unbroken in (
        "<h1>International cooperation</h1>",
        "<td>international cooperation</td>",
        ">international cooperation</a>, international.</span>",
    ):
        assert unbroken in html  # headings (bookmarks), tables, links and notes are left whole
    assert "\u00ad" not in markdown_to_html(markdown, paged=False)  # screen pages do not hyphenate


def test_hyphenation_follows_the_projects_language() -> None:
    assert hyphenation_language("en") == "en-US"  # pyphen's bare "en" is its weaker en-GB dictionary
    assert hyphenation_language("en-GB") == "en-GB"
    assert hyphenation_language("pl") == "pl"


def test_print_and_screen_set_typographic_quotes_the_wiki_keeps_what_was_written(
    make_project: MakeProject, tmp_path: Path
) -> None:
    claim = """Seoul and Warsaw agreed to deepen the 'K2' programme, the "Readiness 2030" plan's core."""
    config = make_project(MINIMAL_YAML.replace("The two sides agreed to deepen defence-industry cooperation.", claim))
    out = tmp_path / "out"
    briefgen.render(config, (), RenderOptions((Format.MD, Format.HTML)), out)
    assert claim in (out / "demo.md").read_text(encoding="utf-8")
    screen = (out / "demo.html").read_text(encoding="utf-8")
    assert "the ‘K2’ programme, the “Readiness 2030” plan’s core." in screen
    printed = re.sub(r"<[^>]+>", "", markdown_to_html((out / "demo.md").read_text(encoding="utf-8")))
    assert "‘K2’" in printed and "“Readiness 2030”" in printed and "plan’s" in printed
