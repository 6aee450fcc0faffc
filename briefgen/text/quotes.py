"""Quote matching: is a quote verbatim text of its article, and if not, what is the nearest passage?

The honesty rules (README, "Evidence is checked") allow exactly these normalisations and nothing
else: Unicode compatibility form (NFKC) — except where it would change a number: superscripts,
subscripts and fractions match only themselves —, runs of whitespace, and typographic quote and
dash variants.
Case, spelling and punctuation otherwise must match. Normalised text keeps a map back to the
original, so that a match or the nearest passage can be reported at the article's own line and column.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from array import array
from bisect import bisect_left, bisect_right
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from difflib import Match, SequenceMatcher
from functools import cache, cached_property

# Typographic variants folded to their ASCII counterparts (the only folding besides NFKC and spaces).
_FOLDED = {
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
_FOLD = str.maketrans(_FOLDED)


def _clusters(text: str) -> Iterator[tuple[int, str]]:
    """Split text into (offset, base character + its combining marks), the unit NFKC composes."""
    start, chunk = 0, ""
    for offset, char in enumerate(text):
        if chunk and unicodedata.combining(char):
            chunk += char
            continue
        if chunk:
            yield start, chunk
        start, chunk = offset, char
    if chunk:
        yield start, chunk


def fold(text: str) -> str:
    """Typographic quotes and dashes as their ASCII counterparts, one character for one."""
    # str.translate looks up every character in a dict; a dozen C-speed replaces are ~10× faster.
    for variant, plain in _FOLDED.items():
        if variant in text:
            text = text.replace(variant, plain)
    return text


def normalize(text: str) -> str:
    """The comparison form of a text: NFKC, folded quotes and dashes, single spaces, trimmed."""
    if text.isascii():  # a flag of the string, not a scan: ASCII is NFKC already and has nothing to fold
        return " ".join(text.split())
    return " ".join(fold(compatible(text)).split())


@cache
def _keeps_itself(char: str) -> bool:
    """Whether NFKC would change what a number says: superscripts, subscripts, fractions, and any
    other character NFKC turns into digits without being a digit itself (①, ⑴, ⒈). "10⁶" is not
    "106"; such a character matches only itself. (A full-width or mathematical digit is a digit:
    it folds to the same digit.)"""
    if unicodedata.decomposition(char).startswith(("<super>", "<sub>", "<fraction>")):
        return True
    return not char.isdecimal() and any(c.isdecimal() for c in unicodedata.normalize("NFKC", char))


def compatible(text: str) -> str:
    """NFKC, except for the characters that keep themselves (see _keeps_itself), which stay NFC."""
    if unicodedata.is_normalized("NFKC", text):
        return text
    if not any(_keeps_itself(char) for char in set(text)):
        return unicodedata.normalize("NFKC", text)
    pieces, start = [], 0
    for offset, char in enumerate(text):
        if _keeps_itself(char):
            pieces += [unicodedata.normalize("NFKC", text[start:offset]), char]
            start = offset + 1
    pieces.append(unicodedata.normalize("NFKC", text[start:]))
    return unicodedata.normalize("NFC", "".join(pieces))


# Every character str.split() (and \s) takes for whitespace, but the space: tests/test_quotes.py
# checks the list is complete.
_OTHER_SPACES = (
    "\t\n\x0b\x0c\r\x1c\x1d\x1e\x1f\x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008"
    "\u2009\u200a\u2028\u2029\u202f\u205f\u3000"
)
_SPACE_RUNS = re.compile("  +")  # a literal start: the regex engine finds it at str.find's speed


def _as_spaces(text: str) -> str:
    """The text with every whitespace character as a space: the same length, every offset kept."""
    for char in _OTHER_SPACES:  # as in fold(): a C-speed scan per character beats str.translate
        if char in text:
            text = text.replace(char, " ")
    return text


@dataclass(frozen=True)
class IndexedText:
    """An article's text with its normalised form and a map from normalised to original offsets.

    Most articles are already in NFKC form; for them normalising is folding and collapsing
    whitespace (C-speed string methods), and the offset map has one entry per run of several
    whitespace characters. Other texts are normalised cluster by cluster, with one map entry per
    character. Both give the same results (tests/test_quotes.py checks it).
    """

    original: str

    @cached_property
    def sha256(self) -> str:
        """The hex SHA-256 of the text as UTF-8, worked out once (the lock compares it per quote)."""
        return hashlib.sha256(self.original.encode("utf-8")).hexdigest()

    @cached_property
    def _is_nfkc(self) -> bool:
        return unicodedata.is_normalized("NFKC", self.original)

    @cached_property
    def normalized(self) -> str:
        if self._is_nfkc:  # per-cluster NFKC changes nothing, so only folding and spaces remain
            return self._nfkc_index[0]
        return self._cluster_map[0]

    @cached_property
    def _shifts(self) -> tuple[list[int], list[int]]:
        """For NFKC text: normalised positions after which the original has extra whitespace, and
        from there on how far the original runs ahead."""
        _, positions, shifts = self._nfkc_index
        return positions, shifts

    @cached_property
    def _nfkc_index(self) -> tuple[str, list[int], list[int]]:
        """For NFKC text: the normalised text and its _shifts. Folding keeps every character's place,
        so only runs of whitespace (collapsed to one space) and leading whitespace move text. Both
        come from the text with all its whitespace as spaces, cut at its runs of spaces: splitting
        it into words, or scanning the text itself for runs of \\s, costs more than twice as much."""
        spaced = _as_spaces(fold(self.original))
        positions, shifts = [-1], [len(spaced) - len(spaced.lstrip(" "))]
        pieces, kept = [], 0  # the text between runs of spaces; where the next piece starts
        for run in _SPACE_RUNS.finditer(spaced):
            at, end = run.span()
            pieces.append(spaced[kept:at])
            kept = end
            if end == len(spaced):
                break  # trailing whitespace: nothing follows
            if at > 0:  # leading whitespace: counted above
                positions.append(at - shifts[-1])
                shifts.append(shifts[-1] + end - at - 1)
        pieces.append(spaced[kept:])
        return " ".join(pieces).strip(" "), positions, shifts

    @cached_property
    def _cluster_map(self) -> tuple[str, array[int], array[int]]:
        # Offsets are kept in typed arrays (8 bytes each, not a Python int object): an article of a
        # few megabytes would otherwise cost hundreds of megabytes of memory.
        out: list[str] = []
        starts = array("q")  # original offset where each normalised character's cluster starts
        ends = array("q")  # ... and where it ends
        pending_space = False
        for offset, cluster in _clusters(self.original):
            for char in compatible(cluster).translate(_FOLD):
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
        return "".join(out), starts, ends

    def original_span(self, start: int, end: int) -> tuple[int, int]:
        """Original offsets of the non-empty normalised span [start, end)."""
        if not self._is_nfkc:
            _, starts, ends = self._cluster_map
            return starts[start], ends[end - 1]
        return self._cluster_start(self._word_offset(start)), self._cluster_end(end - 1)

    def _word_offset(self, index: int) -> int:
        """Original offset of normalised character `index` (for a space: of the word after it)."""
        if self.normalized[index] == " ":
            index += 1  # the space between two words stands where the next begins
        positions, shifts = self._shifts
        return index + shifts[bisect_left(positions, index) - 1]

    def _cluster_start(self, offset: int) -> int:
        """Start of the cluster (base + combining marks) holding `offset`, as _clusters groups them."""
        while offset > 0 and unicodedata.combining(self.original[offset]):
            offset -= 1
        return offset

    def _cluster_end(self, index: int) -> int:
        """Original end of the cluster holding normalised character `index`."""
        offset = self._word_offset(index)
        if self.normalized[index] == " ":
            return self._cluster_start(offset)
        end = offset + 1
        while end < len(self.original) and unicodedata.combining(self.original[end]):
            end += 1
        return end

    @cached_property
    def _line_starts(self) -> array[int]:
        """Offset where each line starts: a lookup, not a count from the top, for every passage."""
        return array("q", [0, *(match.end() for match in re.finditer("\n", self.original))])

    def line_column(self, offset: int) -> tuple[int, int]:
        """1-based line and column of an original offset."""
        line = bisect_right(self._line_starts, offset)
        return line, offset - self._line_starts[line - 1] + 1


@dataclass(frozen=True)
class Passage:
    """A span of the original article text."""

    start: int
    end: int
    text: str
    line: int
    column: int


def quote_occurs(article: IndexedText, quote: str) -> bool:
    """Whether the quote occurs in the article (find_quote without working out where)."""
    needle = normalize(quote)
    return bool(needle) and _find_whole(article.normalized, needle) >= 0


def find_quote(article: IndexedText, quote: str, *, needle: str | None = None) -> Passage | None:
    """The first place the quote occurs in the article, or None. `needle`: normalize(quote), when
    the caller has it already (validation does: it checks the quote's length first)."""
    if needle is None:
        needle = normalize(quote)
    if not needle:
        return None
    at = _find_whole(article.normalized, needle)
    if at < 0:
        return None
    return _passage(article, at, at + len(needle))


def _find_whole(haystack: str, needle: str) -> int:
    """The first offset where `needle` occurs in `haystack` as whole words and whole numbers, or -1.

    A quote may not start or end inside a word or a number of the article: `possible to agree` is
    not in "impossible to agree", nor `deals worth a combined $5` in "$56.2 billion", nor `2 billion`
    in "56.2 billion". Candidates come from str.find (linear); only text made of one repeated
    pattern yields many that fail, and each costs a few character tests.
    """
    at = haystack.find(needle)
    for _ in range(_FIND_TRIES):
        if at < 0 or _whole_at(haystack, at, at + len(needle)):
            return at
        at = haystack.find(needle, at + 1)
    # Many occurrences inside words (an article of one letter repeated): a regular expression tests
    # the boundaries in C, which is what the loop above would do a million times in Python.
    found = _whole_pattern(needle).search(haystack, max(at, 0))
    return found.start() if found else -1


_FIND_TRIES = 64  # occurrences tested in Python before the regular expression takes over


def _whole_pattern(needle: str) -> re.Pattern[str]:
    """`needle` as a regular expression that matches only where _whole_at holds."""
    before = after = ""
    if _is_word(needle[0]):
        before = f"(?<!{_WORD_CLASS})" + (r"(?<!\d[.,])" if needle[0].isdecimal() else "")
    elif needle[0] in ".," and needle[1:2].isdecimal():
        before = r"(?<!\d)"
    if _is_word(needle[-1]):
        after = f"(?!{_WORD_CLASS})" + (r"(?![.,]\d)" if needle[-1].isdecimal() else "")
    elif needle[-1] in ".," and needle[-2:-1].isdecimal():
        after = r"(?!\d)"
    return re.compile(before + re.escape(needle) + after)


def _whole_at(text: str, start: int, end: int) -> bool:
    """Whether text[start:end] neither starts nor ends inside a word or a number."""
    first, last = text[start], text[end - 1]
    if start > 0 and _joins(text, start - 1, first, before=True):
        return False
    return not (end < len(text) and _joins(text, end, last, before=False))


def _joins(text: str, at: int, edge: str, *, before: bool) -> bool:
    """Whether text[at], next to the span's `edge` character, continues the same word or number."""
    neighbour = text[at]
    if _is_word(edge) and _is_word(neighbour):
        return True
    inside = at + 1 if before else at - 1  # the span's edge character's position
    beyond = at - 1 if before else at + 1
    if edge.isdecimal() and neighbour in ".,":  # 56.2, 5,000: the span ends at a digit, a separator follows
        return 0 <= beyond < len(text) and text[beyond].isdecimal()
    if edge in ".," and neighbour.isdecimal():  # the span ends at the separator itself: `$56.` of 56.2
        step = 1 if before else -1
        return 0 <= inside + step < len(text) and text[inside + step].isdecimal()
    return False


# Letters, digits, `_` and the combining marks: what a word is made of (the same class both ways).
_WORD_CLASS = r"[\w\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]"
_WORD = re.compile(_WORD_CLASS)


def _is_word(char: str) -> bool:
    # \w is str.isalnum() or "_" (as the re module defines it), and the combining marks of
    # _WORD_CLASS all lie above U+02FF: the string tests answer most characters without the regex.
    if char.isalnum() or char == "_":
        return True
    return char > "\u02ff" and _WORD.match(char) is not None


def nearest_passage(article: IndexedText, quote: str) -> Passage | None:
    """The passage of the article most like the quote, to suggest when the quote is not found.

    Every short run of characters (k-gram) the quote shares with the article votes for an alignment
    of the quote against the article; the alignment with most votes wins. One pass over the article
    and no pairwise comparison, so a long article or a long quote cannot stall `check`.
    """
    needle = normalize(quote)
    haystack = article.normalized
    if not needle or not haystack:
        return None
    aligned = _best_alignment(haystack, needle)
    if aligned is None:
        return None
    start = min(max(aligned, 0), max(len(haystack) - len(needle), 0))
    start, end = _snap_to_words(haystack, start, min(start + len(needle), len(haystack)))
    return _passage(article, start, end)


_GRAM = 5  # long enough to be telling in prose, short enough to survive a changed letter nearby


def _best_alignment(haystack: str, needle: str) -> int | None:
    """The article offset where the quote most plausibly starts, or None if they share no k-gram."""
    k = min(_GRAM, len(needle))
    first_at: dict[str, int] = {}
    for j in range(len(needle) - k + 1):
        first_at.setdefault(needle[j : j + k], j)
    votes: Counter[int] = Counter()
    for i in range(len(haystack) - k + 1):
        at = first_at.get(haystack[i : i + k])
        if at is not None:
            votes[i - at] += 1
    if not votes:
        return None
    return min(votes, key=lambda offset: (-votes[offset], offset))  # most votes; the earliest on a tie


def describe_difference(passage: str, quote: str, context: int = 16) -> str:
    """Where the quote first departs from the passage: `“…a meeting…” where the article has “…the meeting…”`."""
    article, ours = normalize(passage), normalize(quote)
    # Only the first difference is described: the diff (quadratic) sees a bounded window after the
    # common prefix, so a long quote costs no more than a short one.
    shorter = min(len(article), len(ours))
    same = next((i for i in range(shorter) if article[i] != ours[i]), shorter)
    window = 4 * context + 64
    a, b = article[same : same + window], ours[same : same + window]
    for tag, i1, i2, j1, j2 in SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if tag == "equal":
            continue
        before = ours[max(same + j1 - context, 0) : same + j1]
        quoted = b[j1 : j2 + context // 2] or "(end)"
        theirs = a[i1 : i2 + context // 2] or "(end)"
        return f"“…{before}{quoted}…” where the article has “…{before}{theirs}…”"
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


# -- why a quote is not found, word by word ----------------------------------------------------------

_TOKEN = re.compile(r"\w+|[^\w\s]")
_SENTENCE_END = re.compile(r"[.!?][\"')\]]*(?= |$)")
_REACH = 240  # how far past the words it matches a sentence is widened, each way
_SHOWN = 3  # differences described; the first few are enough to fix the quote
_DRIFT = 4  # words a matching run may be shifted from the main one and still belong to the same passage


@dataclass(frozen=True)
class Miss:
    """The article's sentence(s) nearest a quote that is not found, and how the quote differs."""

    passage: Passage
    difference: str


def explain_miss(article: IndexedText, quote: str) -> Miss | None:
    """The sentence(s) of the article the quote most likely copies, and the words the quote adds,
    lacks or changes, word by word (so words missing at its start do not shift the comparison)."""
    needle = normalize(quote)
    haystack = article.normalized
    aligned = _best_alignment(haystack, needle) if needle and haystack else None
    if aligned is None:
        return None
    reach = len(needle) // 4 + 40
    lo, hi = max(aligned - reach, 0), min(max(aligned, 0) + len(needle) + reach, len(haystack))
    ours, theirs = _tokens(needle, 0, len(needle)), _tokens(haystack, lo, hi)
    matcher = SequenceMatcher(None, [t for t, _, _ in ours], [t for t, _, _ in theirs], autojunk=False)
    blocks = _consistent(matcher.get_matching_blocks())
    if not blocks:
        return None
    first, last = blocks[0], blocks[-1]
    start, end = _sentence_around(haystack, theirs[first.b][1], theirs[last.b + last.size - 1][2])
    sentence = _tokens(haystack, start, end)
    passage = _passage(article, start, end)
    return Miss(passage, _word_differences(needle, ours, haystack, sentence))


def _consistent(blocks: list[Match]) -> list[Match]:
    """The matching runs around the longest one that keep (nearly) its alignment: a common word
    ("the", "on Wednesday") matched in a neighbouring sentence must not widen the passage."""
    blocks = [b for b in blocks if b.size]
    if not blocks:
        return []
    anchor = max(range(len(blocks)), key=lambda k: blocks[k].size)
    shift = blocks[anchor].b - blocks[anchor].a
    return [b for b in blocks if abs((b.b - b.a) - shift) <= _DRIFT]


def _tokens(text: str, start: int, end: int) -> list[tuple[str, int, int]]:
    """Words and punctuation marks of text[start:end], each with its span."""
    return [(m.group(), m.start(), m.end()) for m in _TOKEN.finditer(text, start, end)]


def _sentence_around(text: str, start: int, end: int) -> tuple[int, int]:
    """Widen [start, end) to the sentence(s) holding it, by at most _REACH characters each way."""
    floor = max(start - _REACH, 0)
    before = [m.end() for m in _SENTENCE_END.finditer(text, floor, start)]
    begin = before[-1] if before else (0 if floor == 0 else _snap_to_words(text, floor, floor)[0])
    while begin < start and text[begin] == " ":
        begin += 1
    after = _SENTENCE_END.search(text, max(end - 1, begin), min(end + _REACH, len(text)))
    finish = after.end() if after else _snap_to_words(text, end, min(end + _REACH, len(text)))[1]
    return begin, max(finish, end)


def _word_differences(
    needle: str, ours: list[tuple[str, int, int]], haystack: str, theirs: list[tuple[str, int, int]]
) -> str:
    """`the quote has “In a statement, the” where the article has “The”; lacks “part of” after “…would move”`."""
    opcodes = SequenceMatcher(None, [t for t, _, _ in ours], [t for t, _, _ in theirs], autojunk=False).get_opcodes()
    said: list[str] = []
    for index, (tag, i1, i2, j1, j2) in enumerate(opcodes):
        first, last = index == 0, index == len(opcodes) - 1
        if tag == "equal" or (tag == "insert" and (first or last)):
            continue  # article words before the quote's start or after its end: a quote may start and end anywhere
        words, article_words = _span(needle, ours, i1, i2), _span(haystack, theirs, j1, j2)
        where = "at the start" if i1 == 0 else f"after “…{_span(needle, ours, max(i1 - 4, 0), i1)}”"
        if tag == "delete":  # words of the quote only
            said.append(f"adds “{words}” {where}")
        elif tag == "insert":  # words of the article only
            said.append(f"lacks “{article_words}” {where}")
        elif last:
            said.append(f"adds “{words}” at the end, {where}, where the article goes on “{article_words}”")
        else:
            said.append(f"has “{words}” where the article has “{article_words}”")
        if len(said) == _SHOWN:
            break
    return "the quote " + "; ".join(said) if said else "the quote differs from the article in spacing only"


def _span(text: str, tokens: list[tuple[str, int, int]], i: int, j: int) -> str:
    """The text of tokens i..j as written (with its own spaces)."""
    return text[tokens[i][1] : tokens[j - 1][2]] if j > i else ""
