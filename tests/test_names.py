"""The entity-name pattern: a trie that matches exactly what the longest-first alternation did."""

from __future__ import annotations

import re

import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from briefgen.text.names import fold_spaces, longest_first
from tests.conftest import SHIPPED_CONFIG

# Spellings that share beginnings, end inside one another and hold characters re must escape.
PIECES = ["Korea", "n", " Air", "South", " ", "-", ".", "S.", "K", "a", "ő", "한국", "(", "+", "Jong", "gun"]
spellings = st.lists(st.lists(st.sampled_from(PIECES), min_size=1, max_size=4).map("".join), max_size=8)
texts = st.lists(st.sampled_from([*PIECES, "x", ",", "ns", "\n"]), max_size=16).map("".join)


def joined(options: list[str]) -> str:
    """The pattern as it was written before the trie: every spelling, longest first."""
    return "|".join(re.escape(s) for s in sorted(options, key=len, reverse=True))


def matches(alternation: str, text: str) -> list[tuple[tuple[int, int], str]]:
    return [(m.span(), m.group(1)) for m in re.finditer(rf"(?<!\w)({alternation})(?!\w)", text)]


@settings(max_examples=500, deadline=None)
@given(spellings, texts)
def test_the_trie_finds_what_longest_first_found(options: list[str], text: str) -> None:
    options = list(dict.fromkeys(options))
    assert matches(longest_first(options), text) == matches(joined(options), text)


def test_the_trie_finds_the_shipped_names_where_longest_first_did() -> None:
    data = yaml.safe_load(SHIPPED_CONFIG.read_text(encoding="utf-8"))
    names = [fold_spaces(s) for e in data["entities"].values() for s in (e["name"], *e.get("aliases", ()))]
    text = fold_spaces(" ".join(f["claim"] for f in data["facts"]))
    found = matches(longest_first(names), text)
    assert len(found) > 50  # the claims do name entities
    assert found == matches(joined(names), text)


def test_a_longer_spelling_that_does_not_end_a_word_gives_way_to_a_shorter_one() -> None:
    pattern = rf"(?<!\w)({longest_first(['Korea', 'Korean Air'])})(?!\w)"
    assert re.findall(pattern, "Korean Airlines and Korea, Korean Air") == ["Korea", "Korean Air"]


def test_a_spelling_too_long_for_a_trie_is_matched_all_the_same() -> None:
    names = ["a" * n for n in (1, 2, 3, 5000)]  # a trie of these would nest 5,000 groups deep
    text = " ".join(["a" * 5000, "aa", "aaaa", "a"])
    assert matches(longest_first(names), text) == matches(joined(names), text)
    assert [m for _, m in matches(longest_first(names), text)] == ["a" * 5000, "aa", "a"]
