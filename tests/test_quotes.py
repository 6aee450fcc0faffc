"""Quote matching allows exactly NFKC, whitespace and typographic quote/dash variants (design.md §3)."""

from __future__ import annotations

import time

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from briefgen.text import quotes
from briefgen.text.quotes import IndexedText, describe_difference, find_quote, nearest_passage, normalize

ARTICLE = IndexedText(
    "WARSAW, Poland — South Korea and Poland marked an important development.\n"
    "In a post on X, Kang said he conveyed Lee’s message that “the Korean president\n"
    "places great importance on the Korea-Poland relationship.”\n"
    "Radmila Šekerinska\u00a0met Wi Sung-lac.\n"
)


@pytest.mark.parametrize(
    "quote",
    [
        "South Korea and Poland marked an important development",
        "Poland -- South Korea".replace("--", "—"),  # the em dash itself
        "WARSAW, Poland - South Korea",  # em dash typed as a hyphen
        "conveyed Lee's message that \"the Korean president places",  # straight quotes, line break as space
        "conveyed   Lee’s\tmessage",  # whitespace runs
        "Radmila Šekerinska met Wi Sung-lac",  # no-break space in the article
        "Radmila S\u030cekerinska met",  # decomposed Š (NFKC composes it)
    ],
)
def test_allowed_variants_match(quote: str) -> None:
    assert find_quote(ARTICLE, quote) is not None


@pytest.mark.parametrize(
    "quote",
    [
        "south korea and poland marked",  # case is not normalised
        "South Korea and Poland marked a important development",  # one letter changed
        "Kang said he conveyed … the Korean president",  # an ellipsis for skipped words
        "Radmila Sekerinska met",  # diacritics are not optional
    ],
)
def test_other_differences_do_not_match(quote: str) -> None:
    assert find_quote(ARTICLE, quote) is None


def test_a_match_reports_the_articles_own_line_and_column() -> None:
    passage = find_quote(ARTICLE, "the Korean president places great importance")
    assert passage is not None
    assert (passage.line, passage.column) == (2, 59)  # after "…message that “"
    assert passage.text == "the Korean president\nplaces great importance"


def test_nearest_passage_finds_the_paraphrased_sentence() -> None:
    passage = nearest_passage(ARTICLE, "Kang said he had conveyed Lee’s message")
    assert passage is not None
    assert "Kang said he conveyed Lee’s message" in passage.text
    assert passage.line == 2


def test_nearest_passage_of_unrelated_text_is_none() -> None:
    assert nearest_passage(IndexedText("abc"), "xyz") is None


def test_normalize_folds_only_what_is_allowed() -> None:
    assert normalize("  “Ａ”\u00a0–\nb’ ") == '"A" - b\''


def test_nearest_passage_of_a_long_quote_in_a_long_article_is_the_right_one() -> None:
    sentences = [f"Sentence {n} says that the ministry of defence met on day {n} of the talks." for n in range(3000)]
    article = IndexedText("\n".join(sentences))
    quote = " ".join(sentences[1500:1512]).replace("day 1505", "day 1055")
    passage = nearest_passage(article, quote)
    assert passage is not None
    assert passage.text.startswith("Sentence 1500 says") and passage.line == 1501
    ours, theirs = describe_difference(passage.text, quote).split(" where the article has ")
    assert "met on day 1055" in ours and "met on day 1505" in theirs


# Characters that exercise every path: combining marks, Hangul jamo (which NFKC composes across
# clusters), compatibility forms, typographic quotes and dashes, and assorted whitespace.
_TRICKY = (
    "ab .,\u00a0\u2019\u201c\u2014\u0301\u0323\u030c\u1100\u1161\u11a8\uac00\uff21\u2460\ufb01\u3000\u2028\u0085\t\n"
    "\x1c\r"
)


def test_every_whitespace_character_is_known() -> None:
    """The NFKC fast path turns each of _OTHER_SPACES into a space before collapsing runs: one
    missing would survive normalising, where str.split() (the other path) drops it."""
    every = {chr(code) for code in range(0x110000) if chr(code).isspace()}
    assert set(quotes._OTHER_SPACES) == every - {" "}


@settings(max_examples=400, deadline=None)
@given(st.text(alphabet=st.sampled_from(_TRICKY), max_size=16))
def test_the_fast_map_of_nfkc_text_agrees_with_the_cluster_map(text: str) -> None:
    """The fast path for NFKC text must give exactly what the per-character path gives."""
    article = IndexedText(text)
    slow, starts, ends = article._cluster_map
    assert article.normalized == slow
    if not article._is_nfkc:
        return
    for start in range(len(slow)):
        for end in range(start + 1, len(slow) + 1):
            assert article.original_span(start, end) == (starts[start], ends[end - 1])


@pytest.mark.parametrize(
    ("quote", "found"),
    [
        ("possible to agree", False),
        ("impossible to agree", True),
        ("worth a combined $5", False),
        ("worth a combined $56.", False),
        ("worth a combined $56.2 billion", True),
        ("2 billion, said", False),
        ("5,000 people.", True),
        ("000 people.", False),
        ("said 5,", False),
        ("people. The end", True),
    ],
)
def test_a_quote_starts_and_ends_at_word_boundaries_and_numbers_are_whole(quote: str, found: bool) -> None:
    article = IndexedText(
        "It was impossible to agree on deals worth a combined $56.2 billion, said 5,000 people. The end."
    )
    assert (find_quote(article, quote) is not None) is found


@settings(max_examples=300)
@given(st.text(alphabet="ab1., é\u0301", min_size=1, max_size=60), st.data())
def test_the_boundary_rule_is_the_same_for_few_and_many_occurrences(text: str, data: st.DataObject) -> None:
    """Up to _FIND_TRIES occurrences are tested one by one; past that a regular expression takes over."""
    start = data.draw(st.integers(0, len(text) - 1))
    needle = text[start : start + data.draw(st.integers(2, 8))]
    if len(needle) < 2:
        return
    expected = -1
    at = text.find(needle)
    while at >= 0 and expected < 0:
        expected = at if quotes._whole_at(text, at, at + len(needle)) else -1
        at = text.find(needle, at + 1)
    found = quotes._whole_pattern(needle).search(text)
    assert (found.start() if found else -1) == expected


def test_the_word_test_is_the_word_class() -> None:
    """_is_word answers most characters with string tests; it must agree with _WORD_CLASS, which
    _whole_pattern uses when many occurrences are tested at once."""
    chars = [chr(code) for code in (*range(0x2100), *range(0x3000, 0x3100), 0xAC00, 0xFE20, 0xFE2F, 0x1D7CE, 0xD800)]
    assert [c for c in chars if quotes._is_word(c) != bool(quotes._WORD.match(c))] == []
    assert quotes._is_word("\u0301") and quotes._is_word("_") and not quotes._is_word("-")


def test_an_article_of_one_letter_repeated_costs_no_more_than_a_scan() -> None:
    article = IndexedText("a" * 1_999_999 + " ")
    start = time.perf_counter()
    assert find_quote(article, "a" * 999) is None  # two million occurrences, each inside the word
    assert time.perf_counter() - start < 1.0  # ~0.04 s; testing each occurrence in Python took 1.8 s
