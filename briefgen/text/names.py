"""How claims name entities: spellings found in text, and keys under which two spellings look alike.

Assembly uses this to find the entities a claim names (for Key actors); lint uses it to warn about
alias spellings and look-alike entities; suggest uses it to name entities in draft facts. One
matcher, so all three always agree on what a sentence says.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from functools import cached_property, lru_cache
from typing import Protocol

# Letters NFKD does not decompose into a base letter plus a mark.
_BASE_LETTERS = str.maketrans({"ł": "l", "Ł": "L", "ø": "o", "Ø": "O", "đ": "d", "Đ": "D", "ı": "i", "æ": "ae"})
_ABBREVIATION = re.compile(r"[A-Z][A-Z0-9&.]*[A-Z0-9]")


def fold_spaces(text: str) -> str:
    """NFKC with runs of whitespace made single spaces: the form names are matched in."""
    return " ".join(unicodedata.normalize("NFKC", text).split())


@lru_cache(maxsize=4096)
def name_key(text: str) -> str:
    """`Seok Jong-gun` → `seokjonggun`: no diacritics, case, spaces, hyphens or punctuation."""
    decomposed = unicodedata.normalize("NFKD", text.translate(_BASE_LETTERS))
    return "".join(c for c in decomposed.casefold() if c.isalnum() and not unicodedata.combining(c))


def is_abbreviation(spelling: str) -> bool:
    """`NATO`, `EU`, `DAPA`: capitals (and digits) only, so a short form rather than another spelling."""
    return _ABBREVIATION.fullmatch(spelling) is not None


def is_short_form(spelling: str, name: str) -> bool:
    """True when `spelling` is whole words of `name`, spelt exactly so (`Korea` in `South Korea`)."""
    return re.search(rf"(?<!\w){re.escape(fold_spaces(spelling))}(?!\w)", fold_spaces(name)) is not None


def matching_words(spelling: str, name: str) -> str | None:
    """The words of `name` that `spelling` is another spelling of (`Sekerinska` → `Šekerinska`), if any."""
    words = fold_spaces(name).split()
    key = name_key(spelling)
    for start in range(len(words)):
        for end in range(start + 1, len(words) + 1):
            if name_key(" ".join(words[start:end])) == key:
                return " ".join(words[start:end])
    return None


@lru_cache(maxsize=8)
def _mention_pattern(spellings: tuple[str, ...]) -> re.Pattern[str]:
    """Any of `spellings` as whole words. Kept, since assembly, lint and claim support each make a
    matcher of the same entities (and a watch makes them again on every save)."""
    # Longest first, so "Radmila Sekerinska" is one mention, not "Sekerinska" inside it.
    return re.compile(rf"(?<!\w)({longest_first(spellings)})(?!\w)")


def longest_first(spellings: Iterable[str]) -> str:
    """A regular expression for any of `spellings` that, like `|`-joining them longest first, matches
    the longest one that fits where it is tried and, when what follows rejects it, the next longest.

    It is written as a trie (`Korea(?:n\\ Air|)`): Python's re tries an alternation's branches one
    by one, so a plain join costs a comparison per spelling at every position of the text, and the
    trie one per character of the spelling that fits. Along the text there is one path through the
    trie, and its longer endings are tried before its shorter ones: the same order as longest first.
    That holds where characters match only themselves: under `(?i)`, give the spellings in one case
    (the number rule's words are all lower case), or `A` and `a` would be two paths.
    """
    spellings = list(spellings)
    if any(len(spelling) > _DEEPEST for spelling in spellings):  # a "name" of a paragraph: never mind speed
        return "|".join(re.escape(s) for s in sorted(spellings, key=len, reverse=True))
    trie: _Trie = {}
    for spelling in spellings:
        node = trie
        for character in spelling:
            node = node.setdefault(character, {})
        node[_END] = {}
    return _trie_pattern(trie)


_Trie = dict[str, "_Trie"]
_END = ""  # the key marking where a spelling ends (no character is the empty string)
# The longest spelling put in a trie: it nests a group per character, and both _trie_pattern and
# Python's regular-expression parser recurse per group (a thousand levels exhaust the stack).
_DEEPEST = 100


def _trie_pattern(node: _Trie) -> str:
    branches = [re.escape(character) + _trie_pattern(child) for character, child in node.items() if character]
    if _END in node:
        branches.append("")  # a spelling ends here: tried after every longer one
    return branches[0] if len(branches) == 1 else f"(?:{'|'.join(branches)})"


@dataclass(frozen=True)
class Mention:
    """One place where a text names an entity, and the spelling it used."""

    entity_id: str
    spelling: str
    canonical: bool


class Named(Protocol):
    """What the matcher reads of an entity: a validated `model.Entity`, or suggest's reading of raw YAML."""

    @property
    def name(self) -> str: ...

    @property
    def aliases(self) -> Sequence[str]: ...


@dataclass(frozen=True)
class NameMatcher:
    """Finds entity names and aliases in text: whole words only, the longest spelling winning."""

    entities: Mapping[str, Named]

    @cached_property
    def _spellings(self) -> dict[str, tuple[str, bool]]:
        spellings: dict[str, tuple[str, bool]] = {}
        for entity_id, entity in self.entities.items():
            spellings.setdefault(fold_spaces(entity.name), (entity_id, True))
        for entity_id, entity in self.entities.items():
            for alias in entity.aliases:
                spellings.setdefault(fold_spaces(alias), (entity_id, False))
        return spellings

    @cached_property
    def _pattern(self) -> re.Pattern[str] | None:
        return _mention_pattern(tuple(self._spellings)) if self._spellings else None

    def compile(self) -> None:
        """Compile the pattern now rather than at the first mention looked for (before a fork: once)."""
        _ = self._pattern

    def mentions(self, text: str) -> Iterator[Mention]:
        """Every mention in `text`, in order."""
        if self._pattern is None:
            return
        for match in self._pattern.finditer(fold_spaces(text)):
            entity_id, canonical = self._spellings[match.group(1)]
            yield Mention(entity_id, match.group(1), canonical)

    def knows(self, spelling: str) -> bool:
        """Whether `spelling` is exactly some entity's name or alias."""
        return fold_spaces(spelling) in self._spellings

    def with_canonical_names(self, text: str) -> str:
        """`text` (spaces folded) with every mention spelt as its entity's canonical name."""
        if self._pattern is None:
            return fold_spaces(text)
        return self._pattern.sub(lambda m: self.entities[self._spellings[m.group(1)][0]].name, fold_spaces(text))
