"""A word inside a YAML text value is located where the file writes it, in every scalar style."""

from __future__ import annotations

from pathlib import Path

import pytest

from briefgen.project.yamldoc import parse_yaml
from briefgen.project.yamlspan import locate_in_value

DOCUMENT = """\
plain: Seoul and Warsaw agreed on $56.2 billion
plain_lines: Seoul and Warsaw
  agreed on $56.2 billion
  with Hanwha Aerospace
folded: >-
  Seoul and Warsaw
  agreed on $56.2 billion,
    with Hanwha Aerospace
literal: |
  Seoul and Warsaw
  agreed on $56.2 billion
double: "Seoul \\"and\\" W\\u0061rsaw \\
  agreed on $56.2 billion"
single: 'Seoul''s and Warsaw''s deal: $56.2 billion'
list:
  - first
  - >
    Seoul agreed on
    $56.2 billion
anchored: &a Seoul agreed on $56.2 billion
aliased: *a
"""


@pytest.mark.parametrize(
    ("path", "word"),
    [
        (("plain",), "$56.2"),
        (("plain_lines",), "$56.2"),
        (("plain_lines",), "Hanwha"),
        (("folded",), "$56.2"),
        (("folded",), "Hanwha"),
        (("literal",), "$56.2"),
        (("double",), "$56.2"),
        (("double",), "rsaw"),
        (("single",), "$56.2"),
        (("single",), "Warsaw"),
        (("list", 1), "$56.2"),
        (("anchored",), "$56.2"),
    ],
)
@pytest.mark.parametrize("composer", ["libyaml", "python"])
def test_a_word_is_located_where_it_is_written(path: tuple[str | int, ...], word: str, composer: str) -> None:
    # Without aliases libyaml composes the nodes itself; with one, PyYAML's bounded composer does.
    text = DOCUMENT if composer == "python" else DOCUMENT.replace("aliased: *a\n", "")
    doc = parse_yaml(text, Path("briefs.yaml"))
    value = doc.data
    for part in path:
        value = value[part]
    where = locate_in_value(doc, path, value.index(word))
    assert DOCUMENT.split("\n")[where.line - 1][where.column - 1 :].startswith(word)


def test_the_start_of_a_value_is_its_first_character() -> None:
    doc = parse_yaml(DOCUMENT, Path("briefs.yaml"))
    where = locate_in_value(doc, ("folded",), 0)
    assert (where.line, where.column) == (6, 3)


def test_a_value_reached_through_an_alias_is_located_at_the_alias() -> None:
    doc = parse_yaml(DOCUMENT, Path("briefs.yaml"))
    assert locate_in_value(doc, ("aliased",), 10) == doc.locate(("aliased",))
