"""Near-duplicate claims: two facts of one brief that say nearly the same thing.

"Nearly the same", kept simple enough to predict: two claims are compared by the sets of their
word stems (case, diacritics and quote/dash style folded; small words such as "the" and "of"
left out; common English endings removed, so "signs", "signed" and "signing" are one stem). They
are near-duplicates when

- they give the same numbers (the set of numbers in each claim: "$5 billion" and "$6 billion"
  are different facts, and conflicting figures have a warning of their own),
- neither names what the other does not, unless one names everything the other does: the names
  are the capitalised words but a sentence's first ("in Latvia on Monday" and "in Czechia on
  Monday" are two events; "in Seoul" and "in Seoul on Monday" may be one),
- they have the same `date` (or neither has one: two dates are two events), and
- the stems they share are at least 60% of the stems either uses (Jaccard index ≥ 0.6).

Finding the pairs does not try every pair: within a brief, claims are grouped by date and numbers,
and inside a group only claims that share one of their rarest stems are compared (prefix
filtering: two sets with a Jaccard index ≥ t share a stem among the first |s| - ⌈t·|s|⌉ + 1 of
each, taken in one fixed order, rarest first), so a brief of thousands of facts costs about as
much as reading them.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from functools import lru_cache

from briefgen.text.quotes import normalize

# The Jaccard index of the stem sets at or above which two claims are near-duplicates: 3/5, kept as
# integers so that comparing it is exact (and cheap).
SHARED, OF = 3, 5

_NUMBER = re.compile(r"\d+(?:[.,]\d+)*")
_WORD = re.compile(r"[^\W\d_]+")
# Words that carry no content of their own: two claims sharing them share nothing.
_STOP_WORDS = frozenset(
    """a an and are as at be been by for from had has have he her his in into is it its of on or she
    that the their them they this to was were which who will with would said says""".split()  # noqa: SIM905
)
# Longest first, so "ments" is removed rather than "s"; a stem keeps at least three letters.
_ENDINGS = (
    *("ations", "ation", "ments", "ment", "ates", "ated", "ings", "ions"),
    *("ing", "ion", "ies", "ied", "ate", "ed", "es", "ly", "s", "e"),
)


@dataclass(frozen=True, slots=True)
class Claim:
    """What two claims are compared by."""

    stems: frozenset[str]
    numbers: frozenset[str]
    names: frozenset[str]  # folded, like the stems
    date: str | None  # the fact's date as written (ISO), or None for an undated fact


@dataclass(frozen=True, slots=True)
class NearDuplicate:
    """The claim at `later` nearly repeats the one at `earlier` (positions in the list given)."""

    earlier: int
    later: int
    shared: int  # stems both claims use
    union: int  # stems either claim uses


@lru_cache(maxsize=65536)  # a watch lints every claim again on each save; most are as they were
def claim_of(text: str, date: str | None) -> Claim:
    """The stems and numbers of a claim, with its date."""
    folded = _fold(text)
    numbers = frozenset(_NUMBER.findall(folded))
    words = _WORD.findall(_NUMBER.sub(" ", folded))
    stems = frozenset(stem(w) for w in words if len(w) > 1 and w not in _STOP_WORDS)
    return Claim(stems, numbers, _names(text), date)


def _names(text: str) -> frozenset[str]:
    """The capitalised words of a claim, but a sentence's first, folded."""
    names = set()
    for match in re.finditer(r"[^\W\d_][^\s,;:()\"“”]*", text):
        word = match.group()
        if not word[0].isupper():
            continue
        before = text[: match.start()].rstrip()  # only for a capitalised word: most are not
        if before and before[-1] not in ".!?:":
            names.add(re.sub(r"'s$", "", _fold(word).rstrip(".'")))  # Korea's is Korea
    return frozenset(names)


def _fold(text: str) -> str:
    """Case, Unicode form, quote/dash style and diacritics folded (Šekerinska = Sekerinska)."""
    folded = normalize(text).casefold()
    if folded.isascii():
        return folded  # most claims: nothing to decompose
    return "".join(c for c in unicodedata.normalize("NFKD", folded) if not unicodedata.combining(c))


@lru_cache(maxsize=65536)
def stem(word: str) -> str:
    """The word without its common English endings, one after another: `agreements` → `agree` →
    `agre`, as `agreed`, `agrees` and `agree` are."""
    while True:
        ending = next((e for e in _ENDINGS if word.endswith(e) and len(word) - len(e) >= 3), None)
        if ending is None:
            return word
        word = word[: -len(ending)]


def near_duplicates(claims: Sequence[Claim]) -> Iterator[NearDuplicate]:
    """For each claim that nearly repeats an earlier one, the first such earlier claim, in order."""
    groups: dict[tuple[str | None, frozenset[str]], list[int]] = {}
    for position, claim in enumerate(claims):
        if claim.stems:
            groups.setdefault((claim.date, claim.numbers), []).append(position)
    found = [pair for members in groups.values() if len(members) > 1 for pair in _in_group(claims, members)]
    yield from sorted(found, key=lambda pair: pair.later)


def _in_group(claims: Sequence[Claim], members: Iterable[int]) -> Iterator[NearDuplicate]:
    """Prefix filtering (rarest stems first) with a size bound: a claim is compared in full only
    with the earlier ones that share a stem of its prefix and could be near it in size."""
    members = list(members)
    frequency: dict[str, int] = {}
    for position in members:
        for s in claims[position].stems:
            frequency[s] = frequency.get(s, 0) + 1
    index: dict[str, list[int]] = {}  # stem → the earlier claims that have it in their prefix
    for position in members:
        claim = claims[position]
        size = len(claim.stems)
        prefix = sorted(claim.stems, key=lambda s: (frequency[s], s))[: size - _at_least(size) + 1]
        smallest, largest = _at_least(size), size * OF // SHARED  # sizes a near-duplicate can have
        for earlier in sorted({earlier for s in prefix for earlier in index.get(s, ())}):
            other = claims[earlier].stems
            if not smallest <= len(other) <= largest:
                continue
            shared = len(claim.stems & other)
            union = size + len(other) - shared
            if shared * OF >= SHARED * union and _names_agree(claim, claims[earlier]):
                yield NearDuplicate(earlier, position, shared, union)
                break
        for s in prefix:
            index.setdefault(s, []).append(position)


def _names_agree(a: Claim, b: Claim) -> bool:
    return a.names <= b.names or b.names <= a.names


def _at_least(size: int) -> int:
    """⌈3/5 · size⌉: the fewest stems a set of `size` stems must share with a near-duplicate."""
    return -(-SHARED * size // OF)
