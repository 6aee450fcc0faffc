"""A list item read again alone (yamlsplice.py) gives exactly what reading the whole text gives, or
nothing; and the edits analysts make to one fact are read so."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from briefgen.limits import Limits
from briefgen.project.yamldoc import YamlDocument, YamlProblem, parse_yaml
from briefgen.project.yamlsplice import reread
from tests.conftest import FUZZ_SCALE

PATH = Path("briefs.yaml")


FACTS = """\
-
  id: below
  claim: a value below its dash
- id: question
  ? empty
- id: plain
  claim: Seoul and Warsaw agreed to deepen ties.
  date: 2025-10-20
- id: quoted
  claim: 'It said: "yes" — twice'
  headline: "Two \\u00e9 lines"
# a comment between items
- id: block
  claim: |
    Line one
    line two

  note: >-
    folded
    text
- id: flow
  topics: [a, b, c]
  cite: [{source: s, quote: 'q: one'}]
  figure: {measure: m, value: 12}
- id: typed
  count: 12
  ok: yes
  empty: ~
  ratio: 1.5
  # inside
  cite:
    - source: s
      quote: two
-   id: wide
    claim: >
      wide dash
"""


def facts_file(indent: str, facts_last: bool) -> str:
    """A project whose facts use what YAML offers: plain, quoted and block scalars, flow lists,
    nested mappings, typed scalars, comments between items and inside them."""
    facts = "facts:\n" + "".join(indent + line for line in FACTS.splitlines(True))
    rest = "briefs:\n  b: {title: B, bottom_line: [plain, flow]}\n"
    head = "# project\nproject:\n  title: T\nsources:\n  s: {file: seeds/a.txt}\n"
    return head + (rest + facts if facts_last else facts + rest)


BASES = [facts_file(indent, last) for indent in ("", "  ") for last in (False, True)]

PIECES = [
    "\n", " ", "  ", "- ", ": ", "#", "'", '"', "|", ">", "[", "]", "{", "}", ",", "&a ", "*a", "!t ", "---",
    "...", "x", "1", "true", "~", "\t", "\r\n", "\r", "\u2028", "é", "- id: new\n", "  - id: new\n", "key: v\n",
    "    more: 1\n", "  claim: c\n", "%YAML 1.1\n", "\\", "<<: ", "\x07",
]  # fmt: skip


def same(a: YamlDocument, b: YamlDocument) -> bool:
    return (
        a.data == b.data
        and a.source == b.source
        and list(a.value_positions.items()) == list(b.value_positions.items())
        and list(a.key_positions.items()) == list(b.key_positions.items())
        and list(a.typed_text.items()) == list(b.typed_text.items())
        and list(a.scalar_styles.items()) == list(b.scalar_styles.items())
    )


SAFE_PIECES = ["word", " ", "\n    ", "\n      ", "\n        ", ", ", "-", "2", ".", "\n    key: value\n", "R&D", "3*4"]


@st.composite
def edits(draw: st.DrawFn) -> tuple[str, str, Limits]:
    """A base project, the text after one to three edits (most inside its facts, most of plain
    text: edits that can be read again alone), and the limits to read both under."""
    base = draw(st.sampled_from(BASES))
    facts = base.index("facts:")
    end = base.index("briefs:") if base.index("briefs:") > facts else len(base)
    text = base
    for _ in range(draw(st.integers(1, 3))):
        start = draw(st.integers(facts, end + len(text) - len(base)) | st.integers(0, len(text)))
        length = draw(st.integers(0, 12))
        pieces = st.sampled_from(SAFE_PIECES) | st.sampled_from(PIECES)
        text = text[:start] + "".join(draw(st.lists(pieces, max_size=3))) + text[start + length :]
    values = len(parse_yaml(base, PATH).value_positions)
    limits = draw(
        st.sampled_from([Limits(), Limits(yaml_values=values * 2 + 3), Limits(yaml_depth=6), Limits(yaml_depth=7)])
    )
    return base, text, limits


@settings(max_examples=1500 * FUZZ_SCALE, deadline=None)
@given(edits())
def test_an_item_read_again_is_what_reading_the_whole_text_gives(edit: tuple[str, str, Limits]) -> None:
    base, text, limits = edit
    try:
        old = parse_yaml(base, PATH, limits)
    except YamlProblem:
        return  # a base over a tight limit: nothing kept to reuse
    spliced = reread(old, text, limits)
    if spliced is not None:
        assert_read_as_whole(spliced, text, limits, "read again")


def assert_read_as_whole(read: YamlDocument, text: str, limits: Limits, how: str) -> None:
    """`read` (read `how`) is what reading the whole text gives, which does not fail."""
    try:
        whole = parse_yaml(text, PATH, limits)
    except YamlProblem as problem:
        pytest.fail(f"{how}, though reading the whole text fails: {problem}")
    assert same(read, whole)


def edited(text: str, pattern: str, replacement: str) -> str:
    changed, count = re.subn(pattern, replacement, text, count=1)
    assert count == 1, pattern
    return changed


@pytest.mark.parametrize("base", BASES)
@pytest.mark.parametrize(
    ("pattern", "replacement"),
    [
        ("deepen ties", "deepen their ties"),  # a word
        (r"( *)Line one\n", r"\1Line one\n\1and a new line\n"),  # a line more, inside a block scalar
        (r"\[a, b, c\]", "[a, c]"),
        (r"\n *count: 12\n", "\n"),  # a line less
        (r"( *)empty: ~\n", r"\1empty: ~\n\1added: a new key\n"),
        ("2025-10-20", "'2025-10-21'"),  # quoted now
        ("wide dash", "wide, wider dash"),
    ],
)
def test_edits_inside_one_fact_are_read_again_alone(base: str, pattern: str, replacement: str) -> None:
    text = edited(base, pattern, replacement)
    spliced = reread(parse_yaml(base, PATH), text, Limits())
    assert spliced is not None
    assert same(spliced, parse_yaml(text, PATH))


@pytest.mark.parametrize("base", BASES)
def test_an_ampersand_or_star_inside_a_word_is_read_again_alone(base: str) -> None:
    """ "R&D" (the shipped briefs.yaml has it) or "3*4" stand where no anchor or alias can."""
    before = edited(base, "deepen ties", "deepen R&D ties")
    text = edited(before, "deepen R&D ties", "deepen R&D ties, 3*4 of them")
    spliced = reread(parse_yaml(before, PATH), text, Limits())
    assert spliced is not None
    assert same(spliced, parse_yaml(text, PATH))


@pytest.mark.parametrize(
    ("old", "new", "why"),
    [
        ("- id: flow", "- id: flow\n- id: inserted", "a new item"),
        ("Warsaw agreed", "Warsaw *agreed", "an alias, perhaps"),
        ("claim: Seoul", "claim: &a Seoul", "an anchor"),
        ("claim: Seoul", "claim: [*a, Seoul]", "an alias in a flow list"),
        ("  date: 2025-10-20\n", "briefs2: {}\n", "a line at the dash's column"),
        ("  date: 2025-10-20\n", "  date: 2025-10-20\n---\n", "a document marker"),
        ("claim: Seoul", 'claim: "Seoul', "a syntax error"),
        ("claim: Seoul", "claim: !x Seoul", "a tag"),
    ],
)
def test_edits_that_are_not_inside_one_item_are_read_whole(old: str, new: str, why: str) -> None:
    base = BASES[0]
    assert reread(parse_yaml(base, PATH), edited(base, re.escape(old), new), Limits()) is None, why


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("facts:\n- a: 1\n-\n  b: 2\n", "facts:\n- a: 1\n\n  b: 2\n"),  # a dash removed: the items merge
        ("facts:\n- a\n-\n  id: x\n", "facts:\n- a\n\n  id: x\n"),  # a dash removed: a syntax error
        ("facts:\n- a\n- # note\n  id: x\n", "facts:\n- a\n  # note\n  id: x\n"),
        ("facts:\n  - id: c\n    keep: 1\n  - id: p\n", "facts:\n  - id: c\n    ? x\n  - id: p\n"),  # marked below
        ("facts:\n  - id: c\n    ? x\n  - id: p\n", "facts:\n  - id: c\n    ? y\n  - id: p\n"),
        ("facts:\n- id: c\n  ? x\n- id: p\n", "facts:\n- id: c\n  x: 1\n- id: p\n"),
        ("facts:\n- id: c\n  ? x\nother: 1\n", "facts:\n- id: c\n  x: 1\nother: 1\n"),
    ],
)
def test_edits_near_a_value_not_on_its_items_line_are_read_whole(old: str, new: str) -> None:
    """Found by a review: items whose value stands below the dash, and empty values, which YAML
    marks at the next token (found on the next item's line)."""
    assert reread(parse_yaml(old, PATH), new, Limits()) is None


def test_a_text_over_the_size_limit_is_read_whole() -> None:
    old = "facts:\n- id: a\n- id: b\n"
    assert reread(parse_yaml(old, PATH), old.replace("id: a", "id: aaaaaaaaaa"), Limits(yaml_bytes=len(old))) is None


def test_an_edit_across_two_items_is_read_whole() -> None:
    base = BASES[0]
    text = base.replace("deepen ties.", "deepen ties!").replace("twice'", "thrice'")
    assert reread(parse_yaml(base, PATH), text, Limits()) is None
