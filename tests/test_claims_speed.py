"""The shortcuts that keep claim support fast find exactly what the full rules find."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from briefgen.project import claims_numbers
from briefgen.project.claims_numbers import Quantity, quantities, read_quantities

# Text made of what numbers are written with: digits, number words, months, qualifiers, currencies,
# and the characters a case-insensitive pattern matches as ASCII letters (ſ, K, ı, İ).
PIECES = [
    "5", "19", "2,000", "56.2", "1st", "$", "€", "£", "₩", "us$", "USD", "eur", "krw", "bn", "m", "million",
    "per cent", "%", "over", "more than", "no more than", "in excess of", "about", "up to", "At least", "nearly",
    "five", "Twenty-one", "dozen", "one", "October", "Oct.", "march", "may", "May", "sept", "of", "the", "-", ".",
    ",", " ", "\n", "\t", "\u00a0", "x", "a", "Poland", "ſ", "K", "ı", "İ", "٣", "½", "Ⅻ", "\u0345",
]  # fmt: skip
texts = st.lists(st.sampled_from(PIECES), max_size=14).map("".join) | st.text(max_size=40)


def plain_scan(text: str) -> tuple[Quantity, ...]:
    """The quantities as found by trying _QUANTITY and _MONTH_ALONE at every place of the text."""
    return read_quantities(text, claims_numbers._QUANTITY.finditer(text))


# The pattern as it was written before it started only where a word starts: `\b`, which also
# tries every place where a word ends.
WORD_BOUNDARY = re.compile(
    claims_numbers._QUANTITY.pattern.replace(r"(?:(?<!\w)(?=\w)|(?=[$€£₩]))", r"(?:\b|(?=[$€£₩]))", 1),
    claims_numbers._QUANTITY.flags,
)


@settings(max_examples=600, deadline=None)
@given(texts)
def test_trying_the_pattern_only_at_seeds_misses_no_quantity(text: str) -> None:
    assert quantities.__wrapped__(text) == plain_scan(text)


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("five ministers", ["five"]),  # a number written as a word
        ("Twenty-one ships", ["Twenty"]),  # "one" is no count
        ("fıve and ſix", ["fıve", "ſix"]),  # what (?i) reads as "five" and "six"
        ("½ of the fleet", []),
        ("2.5bn, $2.5bn", []),  # a scale written solid after a decimal is not read (yet)
        ("no more than $5 billion", ["no more than $5 billion"]),  # the qualifier before a seed
        ("In excess of \t\u00a0300 tanks", ["In excess of \t\u00a0300"]),  # any spaces after it
        ("İn excess of 5", ["İn excess of 5"]),
        ("usd 5, USD5, us$5", ["usd 5", "us$5"]),
        ("-19 October", ["19 October"]),  # a day after a hyphen
        ("Choi-100 met on the K2 line", []),
        ("in July, not the Mayor, but May 3", ["July", "May 3"]),
        ("five\u0345", ["five"]),  # a combining mark after a word is not a word character
        ("٣ ships", ["٣"]),
    ],
)
def test_the_seeds_find_what_the_plain_scan_finds(text: str, found: list[str]) -> None:
    assert [q.text for q in quantities(text)] == found
    assert quantities(text) == plain_scan(text)


@settings(max_examples=300, deadline=None)
@given(
    st.sampled_from(["seed words", "months", "qualifiers"]),
    st.text("abovesptmaryjun ABOVESPTMARYJUNſK-", max_size=12) | texts,
)
def test_the_tries_match_as_their_alternations_case_insensitively(options_of: str, text: str) -> None:
    options = {
        "seed words": [*claims_numbers._UNITS_WORDS, *claims_numbers._TENS_WORDS, *claims_numbers.MONTHS, "us", "usd"],
        "months": claims_numbers._MONTH_NAMES,
        "qualifiers": list(claims_numbers._QUALIFIERS),
    }[options_of]
    groups = claims_numbers._trie(options), claims_numbers._alternation(options)
    trie, flat = (re.compile(f"(?i){group}") for group in groups)
    for start in range(len(text) + 1):
        found, expected = trie.match(text, start), flat.match(text, start)
        assert (found and found.span()) == (expected and expected.span())
