"""Quote matching: is a quote verbatim text of its article, and if not, what is the nearest passage?

design.md §3 allows exactly these normalisations and nothing else: Unicode compatibility form
(NFKC), runs of whitespace, and typographic quote/dash variants. Case, spelling and punctuation
otherwise must match. Normalised text keeps a map back to the original, so that a match or the
nearest passage can be reported at the article's own line and column.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from difflib import SequenceMatcher
from functools import cached_property

# Typographic variants folded to their ASCII counterparts (the only folding besides NFKC and spaces).
_FOLD = str.maketrans(
    {
        "\u2018": "'",
        "\u2019": "'",
        "\u201a": "'",
        "\u201b": "'",
        "\u2032": "'",
        "\u201c": '"',
        "\u201d": '"',
        "\u201e": '"',
        "\u201f": '"',
        "\u2033": '"',
        "\u2010": "-",
        "\u2011": "-",
        "\u2012": "-",
        "\u2013": "-",
        "\u2014": "-",
        "\u2015": "-",
    }
)


def _clusters(text: str) -> list[tuple[int, str]]:
    """Split text into (offset, base character + its combining marks), the unit NFKC composes."""
    clusters: list[tuple[int, str]] = []
    for offset, char in enumerate(text):
        if clusters and unicodedata.combining(char):
            start, chunk = clusters[-1]
            clusters[-1] = (start, chunk + char)
        else:
            clusters.append((offset, char))
    return clusters


def normalize(text: str) -> str:
    """The comparison form of a text: NFKC, folded quotes and dashes, single spaces, trimmed."""
    return " ".join(unicodedata.normalize("NFKC", text).translate(_FOLD).split())


@dataclass(frozen=True)
class IndexedText:
    """An article's text with its normalised form and a map from normalised to original offsets."""

    original: str

    @cached_property
    def _normalized_and_map(self) -> tuple[str, tuple[int, ...], tuple[int, ...]]:
        out: list[str] = []
        starts: list[int] = []  # original offset where each normalised character's cluster starts
        ends: list[int] = []  # ... and where it ends
        pending_space = False
        for offset, cluster in _clusters(self.original):
            for char in unicodedata.normalize("NFKC", cluster).translate(_FOLD):
                if char.isspace():
                    pending_space = bool(out)
                    continue
                if pending_space:
                    out.append(" ")
                    starts.append(offset)
                    ends.append(offset)
                    pending_space = False
                out.append(char)
                starts.append(offset)
                ends.append(offset + len(cluster))
        return "".join(out), tuple(starts), tuple(ends)

    @property
    def normalized(self) -> str:
        return self._normalized_and_map[0]

    def original_span(self, start: int, end: int) -> tuple[int, int]:
        """Original offsets of the non-empty normalised span [start, end)."""
        _, starts, ends = self._normalized_and_map
        return starts[start], ends[end - 1]

    def line_column(self, offset: int) -> tuple[int, int]:
        """1-based line and column of an original offset."""
        line = self.original.count("\n", 0, offset) + 1
        column = offset - (self.original.rfind("\n", 0, offset) + 1) + 1
        return line, column


@dataclass(frozen=True)
class Passage:
    """A span of the original article text."""

    start: int
    end: int
    text: str
    line: int
    column: int


def find_quote(article: IndexedText, quote: str) -> Passage | None:
    """The first place the quote occurs in the article, or None."""
    needle = normalize(quote)
    if not needle:
        return None
    at = article.normalized.find(needle)
    if at < 0:
        return None
    return _passage(article, at, at + len(needle))


def nearest_passage(article: IndexedText, quote: str) -> Passage | None:
    """The passage of the article most like the quote, to suggest when the quote is not found.

    Anchors on the longest run the two share, then scores windows of the quote's length around it;
    cost stays near-linear in the article's length, so a huge article cannot stall `check`.
    """
    needle = normalize(quote)
    haystack = article.normalized
    if not needle or not haystack:
        return None
    matcher = SequenceMatcher(None, haystack, needle, autojunk=False)
    anchor = matcher.find_longest_match(0, len(haystack), 0, len(needle))
    if anchor.size == 0:
        return None
    best_start, best_score = 0, -1.0
    origin = anchor.a - anchor.b
    for shift in range(-20, 21):
        start = min(max(origin + shift, 0), max(len(haystack) - len(needle), 0))
        score = SequenceMatcher(None, haystack[start : start + len(needle)], needle, autojunk=False).ratio()
        if score > best_score:
            best_start, best_score = start, score
    start, end = _snap_to_words(haystack, best_start, min(best_start + len(needle), len(haystack)))
    return _passage(article, start, end)


def describe_difference(passage: str, quote: str, context: int = 16) -> str:
    """Where the quote first departs from the passage: `“…a meeting…” where the article has “…the meeting…”`."""
    a, b = normalize(passage), normalize(quote)
    for tag, i1, i2, j1, j2 in SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if tag == "equal":
            continue
        before = b[max(j1 - context, 0) : j1]
        ours = b[j1 : j2 + context // 2] or "(end)"
        theirs = a[i1 : i2 + context // 2] or "(end)"
        return f"“…{before}{ours}…” where the article has “…{before}{theirs}…”"
    return "the quote matches the passage"


def _snap_to_words(text: str, start: int, end: int) -> tuple[int, int]:
    """Widen a span to whole words so the suggestion reads naturally."""
    while start > 0 and not text[start - 1].isspace():
        start -= 1
    while end < len(text) and not text[end].isspace():
        end += 1
    return start, end


def _passage(article: IndexedText, start: int, end: int) -> Passage:
    first, last = article.original_span(start, end)
    line, column = article.line_column(first)
    return Passage(first, last, article.original[first:last], line, column)
