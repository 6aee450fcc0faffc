"""Every character of every shipped brief is drawn by a bundled font — never a system font.

The print CSS sets body text in Briefgen Serif, headings and tables in Briefgen Sans, each followed
by Briefgen Hangul, which only covers its unicode-range. So a character is covered when every
Latin face has it, or when it lies in the Hangul range and both Hangul faces have it.
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

import pytest
from fontTools.ttLib import TTFont

from briefgen.assemble import assemble_all
from briefgen.project.load import load_project
from briefgen.project.validate import validate
from briefgen.renderers.markdown import render_markdown
from briefgen.renderers.templates import builtin_dir, search_path
from tests.conftest import SHIPPED_CONFIG

FONTS = builtin_dir() / "fonts"
CSS = (builtin_dir() / "print.css").read_text(encoding="utf-8")


@cache
def cmap(file: str) -> frozenset[int]:
    return frozenset(TTFont(FONTS / file, fontNumber=0).getBestCmap())


def css_faces(family: str) -> list[tuple[str, str]]:
    """(font file, unicode-range or '') of each @font-face rule of a family in print.css."""
    rules = re.findall(r"@font-face\s*\{([^}]*)\}", CSS)
    faces = []
    for rule in rules:
        if f'"{family}"' in rule:
            file = re.search(r"url\(fonts/([^)]+)\)", rule)
            ranges = re.search(r"unicode-range:\s*([^;]+);", rule)
            assert file
            faces.append((file.group(1), ranges.group(1) if ranges else ""))
    return faces


def in_ranges(codepoint: int, ranges: str) -> bool:
    for start, end in re.findall(r"U\+([0-9A-Fa-f]+)(?:-([0-9A-Fa-f]+))?", ranges):
        if int(start, 16) <= codepoint <= int(end or start, 16):
            return True
    return False


def covered(char: str) -> bool:
    point = ord(char)
    latin = [f for f, _ in css_faces("Briefgen Serif") + css_faces("Briefgen Sans")]
    if all(point in cmap(f) for f in latin):
        return True
    hangul = css_faces("Briefgen Hangul")
    return all(in_ranges(point, r) and point in cmap(f) for f, r in hangul)


def test_the_css_names_the_bundled_fonts() -> None:
    for family in ("Briefgen Serif", "Briefgen Sans", "Briefgen Hangul"):
        faces = css_faces(family)
        assert faces, family
        for file, _ in faces:
            assert (FONTS / file).is_file(), file


@pytest.mark.parametrize("brief_id", ["korea-poland", "korea-nato", "korea-eu"])
def test_every_character_of_the_brief_is_covered(brief_id: str) -> None:
    valid = validate(load_project(SHIPPED_CONFIG))
    (brief,) = assemble_all(valid, [brief_id])
    text = render_markdown(brief, search_path(SHIPPED_CONFIG.parent))
    chars = {c for c in text if not c.isspace()}
    missing = sorted(c for c in chars if not covered(c))
    assert not missing, [f"U+{ord(c):04X} {c}" for c in missing]


def test_the_check_would_catch_an_uncovered_character() -> None:
    assert covered("Š") and covered("기") and covered("Ж")
    assert not covered("\U0001f600")  # an emoji: no bundled font has it
    assert not covered("中")  # Han ideographs are not in the Hangul subset


def test_license_is_bundled_with_the_fonts() -> None:
    assert "SIL OPEN FONT LICENSE" in (FONTS / "OFL.txt").read_text(encoding="utf-8").upper()
    assert Path(FONTS / "README.md").is_file()
