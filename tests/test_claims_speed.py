"""The shortcuts that keep claim support fast find exactly what the full rules find."""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from briefgen.project import claims
from briefgen.project.claims import numbers_in, quantities

# Text made of what numbers are written with: digits, number words, months, qualifiers, currencies.
PIECES = [
    "5", "19", "2,000", "56.2", "1st", "$", "€", "£", "₩", "us$", "USD", "bn", "m", "million", "per cent", "%",
    "over", "more than", "about", "up to", "nearly", "five", "Twenty-one", "dozen", "one", "October", "Oct.",
    "may", "May", "sept", "of", "the", "-", ".", ",", " ", "\n", "x", "a", "Poland", "ſ", "K", "٣",
]  # fmt: skip
texts = st.lists(st.sampled_from(PIECES), max_size=14).map("".join) | st.text(max_size=40)

# The pattern as it was written before it started only where a word starts: `\b`, which also
# tries every place where a word ends.
WORD_BOUNDARY = re.compile(
    claims._QUANTITY.pattern.replace(r"(?:(?<!\w)(?=\w)|(?=[$€£₩]))", r"(?:\b|(?=[$€£₩]))", 1),
    claims._QUANTITY.flags,
)


@settings(max_examples=400, deadline=None)
@given(texts)
def test_the_cheap_look_misses_no_number(text: str) -> None:
    assert numbers_in(text) == quantities(text)


@settings(max_examples=400, deadline=None)
@given(texts)
def test_starting_only_where_words_start_finds_the_same_quantities(text: str) -> None:
    assert WORD_BOUNDARY.pattern != claims._QUANTITY.pattern
    found = [(m.span(), m.groupdict()) for m in claims._QUANTITY.finditer(text)]
    assert found == [(m.span(), m.groupdict()) for m in WORD_BOUNDARY.finditer(text)]
