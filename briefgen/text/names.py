"""How claims name entities: spellings found in text, and keys under which two spellings look alike.

Assembly uses this to find the entities a claim names (for Key actors); lint uses it to warn about
alias spellings and look-alike entities; suggest uses it to name entities in draft facts. One
matcher, so all three always agree on what a sentence says.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator, Mapping, Sequence
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
        if not self._spellings:
            return None
        # Longest first, so "Radmila Sekerinska" is one mention, not "Sekerinska" inside it.
        alternatives = "|".join(re.escape(s) for s in sorted(self._spellings, key=len, reverse=True))
        return re.compile(rf"(?<!\w)({alternatives})(?!\w)")

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
