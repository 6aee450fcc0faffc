"""A briefs.yaml read in two halves (yamlhalves.py) gives exactly what reading the whole text gives,
or nothing; and what analysts write is read so."""

from __future__ import annotations

import marshal
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from briefgen.limits import Limits
from briefgen.project import yamlhalves
from briefgen.project.yamldoc import YamlDocument, YamlProblem, parse_yaml
from briefgen.project.yamlhalves import cut_at, first_half, items_between, joined, later_half, read_in_halves
from tests.conftest import FUZZ_SCALE
from tests.test_yamlsplice import BASES, PIECES, SAFE_PIECES, assert_read_as_whole, same

PATH = Path("briefs.yaml")


def in_halves(text: str, share: float, limits: Limits) -> YamlDocument | None:
    """What read_in_halves reads in two halves (the later one as the helper sends it), cut at `share`."""
    cut = cut_at(text, share)
    if cut is None:
        return None
    first, later = first_half(text, cut, PATH, limits), later_half(text, cut, PATH, limits)
    if first is None or later is None:
        return None
    return joined(first, marshal.dumps(later), cut, text, limits)


@st.composite
def texts(draw: st.DrawFn) -> tuple[str, Limits]:
    """A base project with twice its facts, edited in up to three places (most inside its facts),
    and the limits to read it under."""
    base = draw(st.sampled_from(BASES))
    facts = base.index("facts:\n") + len("facts:\n")
    items_end = base.index("briefs:") if base.index("briefs:") > facts else len(base)
    text = base[:items_end] + base[facts:items_end] + base[items_end:]  # the list's items twice
    for _ in range(draw(st.integers(0, 3))):
        start = draw(st.integers(facts, items_end * 2 - facts) | st.integers(0, len(text)))
        length = draw(st.integers(0, 12))
        pieces = st.sampled_from(SAFE_PIECES) | st.sampled_from(SAFE_PIECES) | st.sampled_from(PIECES)
        text = text[:start] + "".join(draw(st.lists(pieces, max_size=3))) + text[start + length :]
    if text.count("briefs:") == 1 and draw(st.integers(0, 7)) == 0:
        text = text.replace("briefs:", "facts:\n- id: again\nbriefs:")  # a key in both halves
    values = len(parse_yaml(base, PATH).value_positions)
    limits = draw(
        st.sampled_from([Limits(), Limits(yaml_values=values * 2), Limits(yaml_depth=6), Limits(yaml_depth=7)])
    )
    return text, limits


@settings(max_examples=1500 * FUZZ_SCALE, deadline=None)
@given(texts(), st.floats(0, 1))
def test_two_halves_are_what_reading_the_whole_text_gives(text_and_limits: tuple[str, Limits], share: float) -> None:
    text, limits = text_and_limits
    halves = in_halves(text, share, limits)
    if halves is not None:
        assert_read_as_whole(halves, text, limits, "read in halves")


@settings(max_examples=500 * FUZZ_SCALE, deadline=None)
@given(texts(), st.floats(0, 1), st.floats(0, 1))
def test_items_between_two_cuts_are_the_whole_texts_where_both_stand(
    text_and_limits: tuple[str, Limits], one: float, other: float
) -> None:
    """What the helper examines beyond its later half: used when the items at both cuts stand in
    this process's document where they stood in the text (claims_ahead.ClaimsAhead.share)."""
    text, limits = text_and_limits
    first, cut = cut_at(text, min(one, other)), cut_at(text, max(one, other))
    if first is None or cut is None:
        return
    items = items_between(text, first, cut, PATH, limits)
    try:
        whole = parse_yaml(text, PATH, limits)
    except YamlProblem:
        return
    positions = whole.value_positions
    if items is None or any(positions.get(("facts", c.items), (0,))[0] != c.line for c in (first, cut)):
        return
    assert items == whole.data["facts"][first.items : cut.items]


def project(facts: str, *, dash: str = "", after: str = "briefs:\n  b: {title: B}\n") -> str:
    head = "project:\n  title: T\nsources:\n  s: {file: seeds/a.txt}\n"
    return head + "facts:\n" + "".join(dash + line for line in facts.splitlines(True)) + after


MANY = "".join(f"- id: f{i}\n  claim: Claim {i}.\n  cite:\n  - source: s\n    quote: q{i}\n" for i in range(20))


@pytest.mark.parametrize("dash", ["", "  ", "    "])
@pytest.mark.parametrize("newline", ["\n", "\r\n"])
def test_a_project_is_read_in_halves_as_it_is_read_whole(dash: str, newline: str) -> None:
    text = project(MANY, dash=dash).replace("\n", newline)
    later: list[yamlhalves.Cut] = []

    def helper(text: str, cut: yamlhalves.Cut, first: YamlDocument | None) -> bytes | None:
        later.append(cut)
        assert first is not None and len(first.data["facts"]) == cut.items  # the first half, as read before the cut
        return marshal.dumps(later_half(text, cut, PATH, Limits()))

    document = read_in_halves(text, PATH, Limits(), helper)
    assert later and 5 < later[0].items < 15  # cut in the list, FIRST_SHARE of it before the cut
    assert same(document, parse_yaml(text, PATH))


@pytest.mark.parametrize(
    ("text", "why"),
    [
        (project(MANY.replace("Claim 3.", "Claim *3.")), "an alias, perhaps"),
        (project(MANY.replace("Claim 3.", "&a Claim 3.")), "an anchor"),
        (project(MANY.replace("claim: Claim 3.", "claim: [R, &b D]")), "an anchor in a flow list"),
        (project(MANY + "---\n"), "a document marker"),
        (project(MANY.replace("Claim 3.", "Claim\u2028 3.")), "a line break \\n does not count"),
        (project(MANY.replace("- id: f3\n", "- id: f3\nnot: in the list\n")), "a line that ends the list"),
        (project(MANY).replace("facts:\n", "facts: # all of them\n  - id: x\n", 1), "another dash column"),
        (project(MANY).replace("facts:\n", "facts: []\n", 1), "a flow list"),
        (project(MANY.replace("- id: f3\n", "- id: f3\n\t\n")), "a tab at the dash's column"),
    ],
)
def test_what_cannot_be_cut_is_not(text: str, why: str) -> None:
    assert cut_at(text, 0.5) is None, why


def test_an_ampersand_or_star_inside_a_word_is_prose() -> None:
    """ "R&D" (in the shipped briefs.yaml) or "3*4": no anchor or alias stands inside a scalar."""
    text = project(MANY.replace("Claim 3.", "Joint R&D, 3*4 units."))
    assert cut_at(text, 0.5) is not None
    assert same(in_halves(text, 0.5, Limits()), parse_yaml(text, PATH))


def test_a_dash_inside_a_quoted_scalar_is_no_item() -> None:
    """The first half's reading then has fewer items than dashes (or cannot be read): refused."""
    text = project(MANY.replace("claim: Claim 8.", 'claim: "Claim 8,\n- id: inside\n  still 8"'))
    assert cut_at(text, 0.5) is not None
    halves = [in_halves(text, share / 40, Limits()) for share in range(40)]
    whole = parse_yaml(text, PATH)
    assert all(h is None or same(h, whole) for h in halves)
    assert any(h is None for h in halves) and any(h is not None for h in halves)


def cut_before(text: str, item: str) -> yamlhalves.Cut:
    """The cut at the item that begins `item`."""
    cuts = (cut_at(text, step / 200) for step in range(200))
    return next(c for c in cuts if c is not None and text[c.offset :].lstrip(" ").startswith(item))


@pytest.mark.parametrize(
    "end",
    [
        "- id: last\n  claim:\n",  # an empty value: marked at the next token, in place the cut's dash
        "- id: last\n  ? question\n",
        "- id: last\n  claim: text\n\n# a comment\n",
    ],
)
@pytest.mark.parametrize("dash", ["", "  "])
def test_the_first_halfs_last_item_reads_as_in_place_or_not_apart(end: str, dash: str) -> None:
    text = project(MANY.replace("- id: f10\n", end + "- id: f10\n"), dash=dash)
    cut = cut_before(text, "- id: f10")
    first, later = first_half(text, cut, PATH, Limits()), later_half(text, cut, PATH, Limits())
    assert first is not None and later is not None
    halves = joined(first, marshal.dumps(later), cut, text, Limits())
    whole = parse_yaml(text, PATH)
    marked_at_the_cut = any(
        line >= cut.line for path, (line, _) in whole.value_positions.items() if path[:2] == ("facts", 10)
    )
    assert (halves is None) == marked_at_the_cut
    assert halves is None or same(halves, whole)


def test_a_key_in_both_halves_is_read_whole_and_reported() -> None:
    text = project(MANY, after="briefs:\n  b: {title: B}\nsources:\n  t: {file: seeds/b.txt}\n")
    cut = cut_at(text, 0.5)
    assert cut is not None
    first, later = first_half(text, cut, PATH, Limits()), later_half(text, cut, PATH, Limits())
    assert first is not None and later is not None
    assert joined(first, marshal.dumps(later), cut, text, Limits()) is None
    with pytest.raises(YamlProblem, match="sources"):
        read_in_halves(text, PATH, Limits(), lambda text, cut, _: marshal.dumps(later_half(text, cut, PATH, Limits())))


def test_values_over_the_limit_in_the_two_halves_are_read_whole_and_reported() -> None:
    text = project(MANY)
    values = len(parse_yaml(text, PATH).value_positions) + len(parse_yaml(text, PATH).key_positions)
    limits = Limits(yaml_values=values - 1)  # each half alone is within it
    cut = cut_at(text, 0.5)
    assert cut is not None
    first, later = first_half(text, cut, PATH, limits), later_half(text, cut, PATH, limits)
    assert first is not None and later is not None
    assert joined(first, marshal.dumps(later), cut, text, limits) is None
    with pytest.raises(YamlProblem, match="values"):
        read_in_halves(text, PATH, limits, lambda text, cut, _: marshal.dumps(later_half(text, cut, PATH, limits)))


def test_a_helper_without_a_later_half_leaves_the_whole_text_to_this_process() -> None:
    text = project(MANY)
    assert same(read_in_halves(text, PATH, Limits(), lambda text, cut, _: None), parse_yaml(text, PATH))


def test_items_whose_values_stand_below_their_dashes_are_counted() -> None:
    """`-` alone on a line: its line break is the next dash's (the count must not skip that one);
    an empty item is marked at the next dash, so no cut after it is taken."""
    facts = "".join(f"-\n  id: f{i}\n" if i % 2 else f"-\n-\n  id: f{i}\n" for i in range(12))
    text = project(facts)
    whole = parse_yaml(text, PATH)
    halves = [in_halves(text, step / 40, Limits()) for step in range(40)]
    assert all(h is None or same(h, whole) for h in halves)
    assert sum(h is not None for h in halves) >= 10


def test_items_apart_by_blank_lines_are_cut() -> None:
    """Found by a review: a blank line just before the cut made the line before it look outside the list."""
    text = project("".join(f"- id: f{i}\n  claim: C.\n\n" for i in range(20)))
    for step in range(1, 10):
        assert cut_at(text, step / 10) is not None
        halves = in_halves(text, step / 10, Limits())
        assert halves is not None and same(halves, parse_yaml(text, PATH))
