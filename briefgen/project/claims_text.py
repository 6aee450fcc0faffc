"""What the claim-support rules share (see claims.py): the words of a text and the stems they are
compared by, a fact's evidence (its quotes and their articles), and what a finding is."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import cached_property, lru_cache
from typing import NamedTuple

import snowballstemmer  # type: ignore[import-untyped]  # on PyStemmer, its C backend (pyproject.toml)

from briefgen.project.values import WarningKind
from briefgen.text.names import fold_spaces, name_key

# --- words ----------------------------------------------------------------------------------------

WORD = re.compile(r"[^\W_]+(?:['’][^\W_]+)*")
_STEMMER = snowballstemmer.stemmer("english")
# British and American spellings are one word to the rules (claims write "defence", articles "defense").
_SPELLINGS = ((re.compile(r"([^aeiou])our$"), r"\1or"), (re.compile(r"is(e|ed|es|ing|ation|ations)$"), r"iz\1"))
_SPELLING_WORDS = {"defence": "defense", "offence": "offense", "programme": "program", "programmes": "programs",
                   "centre": "center", "centres": "centers", "licence": "license"}  # fmt: skip
_FUNCTION_WORDS = frozenset(
    """a an the and or but of in on at to for from by with as into onto over under about after before
    during since until while than that this these those which who whom whose what when where why how it
    its it's their they them he him his she her hers we our us you your i me my is are was were be been
    being has have had do does did will would shall should can could may might must also both each
    either all any some such other another more most very so then there here not no nor only own same
    just too s t one two said says say""".split()  # noqa: SIM905 (a word list reads best as words)
)


class Word(NamedTuple):
    """A word of a text, where it stands, and the stem the rules compare it by. (A named tuple, not a
    frozen dataclass: claim support makes ~100,000 of them on a cold check of a large project, and a
    tuple is made in a third of the time.)"""

    text: str
    start: int
    end: int

    @property
    def stem(self) -> str:
        return stem(self.text)

    @property
    def is_content(self) -> bool:
        return _is_content(self.text)


def _is_content(word: str) -> bool:
    return word.casefold() not in _FUNCTION_WORDS and not word.isdigit()


@lru_cache(maxsize=8192)
def words(text: str) -> tuple[Word, ...]:
    # tuple.__new__ is what Word(text, start, end) calls, without the Python-level step in between.
    return tuple([_new_tuple(Word, (m.group(), m.start(), m.end())) for m in WORD.finditer(text)])


_new_tuple = tuple.__new__


@lru_cache(maxsize=8192)
def folded_words(text: str) -> frozenset[str]:
    """The words of `text`, casefolded: what a cheap first look at a text compares."""
    return frozenset(WORD.findall(text.casefold()))


@lru_cache(maxsize=65536)
def stem(word: str) -> str:
    """`Defence` and `defense`, `ministers` and `minister`, `Lee's` and `Lee` share a stem."""
    key = unicodedata.normalize("NFKD", word.casefold())
    key = "".join(c for c in key if not unicodedata.combining(c)).replace("’", "'")
    key = key.removesuffix("'s")
    key = _SPELLING_WORDS.get(key, key)
    for pattern, replacement in _SPELLINGS:
        key = pattern.sub(replacement, key)
    return str(_STEMMER.stemWord(key))


@lru_cache(maxsize=8192)
def content_words(text: str) -> tuple[tuple[Word, str], ...]:
    """The content words of `text` with their stems: what the rules compare, found once per text."""
    return tuple([(w, stem(w.text)) for w in words(text) if _is_content(w.text)])


def content_stems(text: str) -> set[str]:
    return {stem for _, stem in content_words(text)}


# --- findings -------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Finding:
    """What one field of a fact says that its quotes do not, at character `start` of that field."""

    kind: WarningKind
    field: tuple[str, ...]  # ("claim",), ("headline",) or ("figure", "value")
    start: int
    message: str
    hint: str


@dataclass(frozen=True)
class Evidence:
    """The quotes of one fact, with the article text each stands in (to resolve "she" or "Cho")."""

    quotes: tuple[str, ...]
    articles: tuple[str, ...] = ()  # each quote's whole article
    starts: tuple[int, ...] = ()  # where each quote starts in its article

    @cached_property
    def text(self) -> str:
        return " … ".join(self.quotes)

    @cached_property
    def folded(self) -> str:
        """The quotes casefolded, spaces folded: a name written out in them is found by `in`."""
        return fold_spaces(self.text).casefold()

    @cached_property
    def folded_words(self) -> frozenset[str]:
        return folded_words(self.text)

    @cached_property
    def word_keys(self) -> frozenset[str]:
        """The quotes' words as name keys: how a quote writes a word solid ("nonproliferation")."""
        return frozenset(name_key(w.text) for w in words(self.text))

    def before(self, index: int, limit: int = 3000) -> str:
        """The article text just before quote `index`: where the people its pronouns stand for are named."""
        if index >= len(self.articles) or index >= len(self.starts):
            return ""
        start = self.starts[index]
        return self.articles[index][max(0, start - limit) : start]


_ACCEPT_HINT = "if it is a paraphrase you have checked, say why on the fact: `accept: {{{kind}: ...}}`"


def hint(kind: WarningKind, evidence_words: str) -> str:
    return f"{evidence_words}; {_ACCEPT_HINT.format(kind=kind.value)}"
