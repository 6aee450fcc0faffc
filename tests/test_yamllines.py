"""The line reader (yamllines.py) gives exactly what the event reader and the full reading give, or
nothing; and it reads the shape briefgen's tools and the benchmark write."""

from __future__ import annotations

import marshal
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bench.synth import generate
from briefgen.limits import Limits
from briefgen.project import yamldoc, yamlhalves
from briefgen.project.yamldoc import YamlProblem, parse_yaml, read_plain
from briefgen.project.yamllines import read_lines
from briefgen.tools.yamltext import scalar
from tests.conftest import FUZZ_SCALE

PATH = Path("briefs.yaml")

BASE = """\
# a project of the common shape
project:
  title: T
  marking: 'UNCLASSIFIED'  # a comment after a quoted value
sources:
  s1:
    file: seeds/a.txt
    published: '2025-01-02'
    note: "double-quoted: no escapes"

  s2:
    file: seeds/b.txt
    published:
      value: 2025-01
      basis: inferred
facts:
- id: a
  claim: Seoul and Warsaw agreed — 5% of 1,000 (it's so) # a comment
  date: 2025-10
  count: 12
  ratio: 1.5
  ok: yes
  none: ~
  topics:
  - x
  - 'y'
  # a comment inside an item
  cite:
    - source: s1
      quote: it's "quoted" [sic] & more!
-   id: b
    claim: 'It said: "yes"'
    figure:
      value: -1
      unit: '%'
briefs:
  b1:
    title: B
    facts:
    - a
    - b
2025: a whole number as a key
"""

# Edits that keep the shape, and edits that break it in every way the module names.
KEEPING = ["word", " ", "\n", "\n  key: value\n", "\n- id: c\n", "  ", "2", ".", ", ", "é 한국", "#"]
BREAKING = [
    ": ", "- ", "'", '"', "\\", "|", ">", "[", "]", "{", "}", "&a ", "*a", "!t ", "---", "...", "%", "@", "`",
    "?", "\t", "\r\n", "\r", "\x85", "\u2028", "\xa0", "\ufeff", "\x07", "true", "~", "<<: ", "=", "-", "\n    ",
    "\n      more\n", "key:", "\n- ", "\n-\n", "9" * 30,
]  # fmt: skip


def reference(text: str, limits: Limits) -> object:
    """What the readers before the line reader give: the event reader, or the full reading."""
    original = yamldoc.read_lines
    try:
        yamldoc.read_lines = lambda *_args, **_kwargs: None  # type: ignore[assignment]
        document = parse_yaml(text, PATH, limits)
    except YamlProblem as problem:
        return [d.format() for d in problem.diagnostics]
    finally:
        yamldoc.read_lines = original
    return document_tables(document)


def document_tables(doc: yamldoc.YamlDocument) -> tuple[Any, ...]:
    return tables(doc.data, doc.value_positions, doc.key_positions, doc.typed_text, doc.scalar_styles)


def tables(*parts: Any) -> tuple[Any, ...]:
    data, *positions = parts
    return data, *[list(part.items()) for part in positions]  # with the order things were seen in


@st.composite
def edited(draw: st.DrawFn) -> tuple[str, Limits]:
    text = BASE
    for _ in range(draw(st.integers(0, 3))):
        start = draw(st.integers(0, len(text)))
        length = draw(st.integers(0, 8))
        pieces = st.sampled_from(KEEPING) | st.sampled_from(BREAKING)
        text = text[:start] + "".join(draw(st.lists(pieces, max_size=3))) + text[start + length :]
    values = len(parse_yaml(BASE, PATH).value_positions) + len(parse_yaml(BASE, PATH).key_positions)
    limits = draw(st.sampled_from([Limits(), Limits(yaml_values=values), Limits(yaml_depth=3), Limits(yaml_depth=4)]))
    return text, limits


@settings(max_examples=3000 * FUZZ_SCALE, deadline=None)
@given(edited())
def test_what_the_line_reader_reads_is_what_the_other_readings_give(text_and_limits: tuple[str, Limits]) -> None:
    text, limits = text_and_limits
    read = read_lines(text, limits)
    if read is not None:
        assert tables(*read) == reference(text, limits)


def test_the_base_is_read_line_by_line_and_alike() -> None:
    read = read_lines(BASE, Limits())
    assert read is not None
    assert tables(*read) == reference(BASE, Limits())
    data, values, keys, typed, styles = read
    assert data["facts"][0]["ok"] is True and data["facts"][1]["figure"]["value"] == -1 and data["2025"]
    assert keys[("facts", 1, "figure")] == (33, 5) and values[("facts", 1, "figure")] == (34, 7)
    assert typed[("facts", 0, "none")] == "~" and styles[("project", "marking")] == "'"


def test_the_synthetic_project_is_read_line_by_line_and_alike(tmp_path: Path) -> None:
    text = generate(tmp_path, scale=0.01, seed=3).read_text(encoding="utf-8")
    read = read_lines(text, Limits())
    assert read is not None and len(read[0]["facts"]) > 50
    assert tables(*read) == reference(text, Limits())


@pytest.mark.parametrize(
    "value",
    ["plain text", "It said: yes", "'quoted'", 'a "b" c', "# not a comment", "- a dash", "2025-04-02", "yes", "é\tx"],
)
def test_what_the_tools_write_is_read_line_by_line_where_it_can_be(value: str) -> None:
    text = f"facts:\n- id: a\n  claim: {scalar(value)}\n"
    read = read_lines(text, Limits())
    if "\\" not in scalar(value):  # a double-quoted escape is left to the event reader
        assert read is not None and read[0]["facts"][0]["claim"] == value
    if read is not None:
        assert tables(*read) == reference(text, Limits())


@pytest.mark.parametrize(
    "text",
    [
        "a: |\n  block\n",  # a block scalar
        "a: [1, 2]\n",  # a flow list
        "a: &x 1\nb: *x\n",  # an anchor and an alias
        "a: !!str 1\n",  # a tag
        "a: b\n  c\n",  # a plain scalar running on
        "a: 'b\n  c'\n",  # a quoted one
        "a:\nb: 1\n",  # an empty value
        "a:\n",  # an empty value at the end
        "- a\n",  # a list as the document
        "a: 1\na: 2\n",  # a duplicate key
        'a: "\\u00e9"\n',  # an escape
        "a: 1\n---\nb: 2\n",  # two documents
        "a:\n\t- 1\n",  # a tab
        "a: b: c\n",  # a mapping where YAML allows none
        "a: 1\r\nb: 2\r\n",  # \r\n
        "true: 1\n",  # a key that is no text
        "",  # nothing
        "# only a comment\n",
        "a: =\n",  # the value tag
        "a:\n- 1\n -2\n",  # indentation that moves as no block does
        "k" * 1025 + ": v\n",  # a key longer than YAML allows one without `?`
        "- " + "k" * 1025 + ": v\n",
    ],
)
def test_anything_else_is_left_to_the_event_reader(text: str) -> None:
    assert read_lines(text, Limits()) is None


def test_a_limit_is_left_to_the_reader_that_reports_it() -> None:
    text = "".join(f"k{i}: v\n" for i in range(20))
    assert read_lines(text, Limits(yaml_values=41)) is not None  # the mapping, 20 keys, 20 values
    assert read_lines(text, Limits(yaml_values=40)) is None
    with pytest.raises(YamlProblem, match="more than 40 values"):
        parse_yaml(text, PATH, Limits(yaml_values=40))
    assert read_lines("a:\n  b:\n    c: 1\n", Limits(yaml_depth=4)) is not None  # c: 1 in three mappings
    assert read_lines("a:\n  b:\n    c: 1\n", Limits(yaml_depth=3)) is None
    with pytest.raises(YamlProblem, match="more than 3 levels deep"):
        parse_yaml("a:\n  b:\n    c: 1\n", PATH, Limits(yaml_depth=3))


@pytest.mark.parametrize("dash", ["", "  "])
def test_a_project_of_this_shape_is_read_in_halves_as_it_is_read_whole(dash: str) -> None:
    items = "".join(f"- id: f{i}\n  claim: Claim {i}.\n  cite:\n  - source: s\n    quote: q{i}\n" for i in range(20))
    facts = "".join(dash + line for line in items.splitlines(True))
    text = f"project:\n  title: T\nfacts:\n{facts}briefs:\n  b:\n    title: B\n"

    def helper(text: str, cut: yamlhalves.Cut, first: yamldoc.YamlDocument | None) -> bytes | None:
        later = yamlhalves.later_half(text, cut, PATH, Limits())
        assert later is not None and read_lines(text[: cut.offset], Limits()) is not None  # both read line by line
        return marshal.dumps(later)

    halves = yamlhalves.read_in_halves(text, PATH, Limits(), helper)
    assert document_tables(halves) == reference(text, Limits())
    apart = read_plain("\n\nfacts:\n- a\n- b: c\n", PATH, Limits(), numbered_after={("facts",): 2})
    assert apart is not None and apart.data["facts"] == [None, None, "a", {"b": "c"}]
    assert apart.value_positions[("facts", 3, "b")] == (5, 6)
