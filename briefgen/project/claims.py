"""Claim support: what a fact's claim (or headline, or figure) says that its quotes do not.

Quotes are proved verbatim against their articles; this stage looks at the sentence the reader
reads. It compares each claim with the text of its own quotes, mechanically and explainably, for
the four kinds of error fact-checking research finds in summaries (FRANK's taxonomy):

- numbers: every number the claim gives is given by a quote, compared as values (`$56.2bn` =
  `56.2 billion dollars`, `five per cent` = `5%`, `19 October` = `October 19`) with its qualifier
  (`over $2 billion` is not `$2 billion`);
- entities: every person, organisation, country or programme the claim names is named by a quote
  (by name, alias, or — for a person — a word of the name the article uses for them, `Wi said`), or
  attached to the fact under `entities:`; capitalised names the project does not know must appear in
  a quote;
- negation: a claim may not negate what its quotes affirm, nor affirm what they negate;
- certainty: where a quote hedges (could, potentially, plans to, according to …) the words the
  claim takes from it, the claim must hedge or attribute them too (ICD 203, applied mechanically).

Each finding is a warning of its own kind (`number`, `entity`, `negation`, `certainty`), located at
the offending words, with a hint quoting the quote; a curator who has checked a deliberate
paraphrase accepts it on the fact (`accept: {number: "why"}`), and the acceptance is listed.

What the rules cannot see: a changed verb that is not a negation ("met" for "phoned"), a changed
relation between correctly named entities (who met whom), numbers the quotes give for something
else, an entity swapped for one the claim already names, hedges expressed by whole clauses rather
than by the words listed below, and one attribution dropped while another stays. bench/claims_eval.py
measures what they do see (figures in bench/RESULTS.md).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from functools import cached_property, lru_cache
from typing import TYPE_CHECKING, NamedTuple

import snowballstemmer  # type: ignore[import-untyped]

from briefgen.errors import Diagnostic, Severity
from briefgen.project.model import Entity, EntityKind, Fact, Project
from briefgen.project.values import WarningKind
from briefgen.project.yamldoc import PathKey, YamlDocument
from briefgen.project.yamlspan import locate_in_value
from briefgen.text.names import NameMatcher, fold_spaces, name_key

if TYPE_CHECKING:
    from briefgen.project.claims_memo import ClaimMemo

# --- words ----------------------------------------------------------------------------------------

_WORD = re.compile(r"[^\W_]+(?:['’][^\W_]+)*")
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
        return self.text.casefold() not in _FUNCTION_WORDS and not self.text.isdigit()


@lru_cache(maxsize=8192)
def words(text: str) -> tuple[Word, ...]:
    return tuple(Word(m.group(), m.start(), m.end()) for m in _WORD.finditer(text))


@lru_cache(maxsize=8192)
def folded_words(text: str) -> frozenset[str]:
    """The words of `text`, casefolded: what a cheap first look at a text compares."""
    return frozenset(_WORD.findall(text.casefold()))


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
    return tuple((w, w.stem) for w in words(text) if w.is_content)


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


def claim_support(
    project: Project,
    doc: YamlDocument,
    articles: Mapping[str, str],
    starts: Mapping[tuple[str, str], int],
    memo: ClaimMemo | None = None,
) -> list[Diagnostic]:
    """Every claim-support warning of the project, located at the offending words in briefs.yaml.

    `articles` are the article texts by source id; `starts` where each (source, quote) was found.
    With a `memo` (claims_memo.py), a fact whose key it knows keeps its findings unexamined.
    """
    from briefgen.project.claims_memo import FactKeys  # noqa: PLC0415 - it imports this module

    keys = FactKeys(project, articles) if memo is not None else None
    matchers: tuple[NameMatcher, PeopleIndex] | None = None  # built on the first fact examined
    diagnostics: list[Diagnostic] = []
    for index, fact in enumerate(project.facts):
        key = keys.key(fact, starts) if keys is not None else ""
        findings = memo.get(key) if memo is not None else None
        if findings is None:
            if matchers is None:
                matchers = NameMatcher(project.entities), PeopleIndex(project.entities)
            evidence = fact_evidence(fact, articles, starts)
            findings = tuple(fact_findings(fact, evidence, *matchers))
            if memo is not None:
                memo.put(key, findings)
        for finding in findings:
            path: PathKey = ("facts", index, *finding.field)
            diagnostics.append(
                Diagnostic(
                    locate_in_value(doc, path, finding.start),
                    f"fact {fact.id!r}: {finding.message}",
                    finding.hint,
                    Severity.WARNING,
                    finding.kind.value,
                    ("facts", index),
                )
            )
    return diagnostics


def fact_evidence(fact: Fact, articles: Mapping[str, str], starts: Mapping[tuple[str, str], int]) -> Evidence:
    """A fact's quotes with their articles, and where in them each quote was found."""
    return Evidence(
        tuple(cite.quote for cite in fact.cite),
        tuple(articles.get(cite.source, "") for cite in fact.cite),
        tuple(starts.get((cite.source, cite.quote), 0) for cite in fact.cite),
    )


def fact_findings(fact: Fact, evidence: Evidence, names: NameMatcher, people: PeopleIndex) -> Iterator[Finding]:
    """The findings for one fact: each rule over each field it applies to."""
    fields: list[tuple[tuple[str, ...], str]] = [(("claim",), fact.claim)]
    if fact.headline:
        fields.append((("headline",), fact.headline))
    for field, text in fields:
        yield from number_findings(field, text, evidence)
        yield from entity_findings(field, text, fact=fact, evidence=evidence, names=names, people=people)
        yield from negation_findings(field, text, evidence)
    yield from certainty_findings(("claim",), fact.claim, evidence)
    if fact.figure is not None:
        yield from number_findings(("figure", "value"), fact.figure.value, evidence)


_ACCEPT_HINT = "if it is a paraphrase you have checked, say why on the fact: `accept: {{{kind}: ...}}`"


def _hint(kind: WarningKind, evidence_words: str) -> str:
    return f"{evidence_words}; {_ACCEPT_HINT.format(kind=kind.value)}"


# --- numbers --------------------------------------------------------------------------------------

_UNITS_WORDS = {
    "zero": 0, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9,
    "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15, "sixteen": 16,
    "seventeen": 17, "eighteen": 18, "nineteen": 19, "two": 2, "dozen": 12,
}  # fmt: skip
# "one" is left out: it is far more often a pronoun ("one of its ministers") than a count.
_TENS_WORDS = {"twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80,
               "ninety": 90}  # fmt: skip
_SCALES = {"thousand": 1e3, "k": 1e3, "million": 1e6, "m": 1e6, "mn": 1e6, "mln": 1e6, "billion": 1e9, "bn": 1e9,
           "b": 1e9, "trillion": 1e12, "tn": 1e12, "hundred": 1e2}  # fmt: skip
_CURRENCIES = {"$": "USD", "us$": "USD", "usd": "USD", "dollar": "USD", "dollars": "USD", "€": "EUR", "eur": "EUR",
               "euro": "EUR", "euros": "EUR", "£": "GBP", "pound": "GBP", "pounds": "GBP", "₩": "KRW", "won": "KRW",
               "krw": "KRW", "zloty": "PLN", "zlotys": "PLN", "pln": "PLN"}  # fmt: skip
_QUALIFIERS = {
    "over": "more", "more than": "more", "above": "more", "exceeding": "more", "in excess of": "more",
    "upwards of": "more", "at least": "more", "a minimum of": "more", "minimum of": "more", "no less than": "more",
    "under": "less", "less than": "less", "below": "less", "fewer than": "less", "up to": "less",
    "at most": "less", "a maximum of": "less", "no more than": "less",
    "about": "about", "around": "about", "approximately": "about", "roughly": "about", "nearly": "about",
    "almost": "about", "close to": "about", "some": "about", "an estimated": "about", "circa": "about",
}  # fmt: skip
_MONTH_NAMES = "january february march april may june july august september october november december".split()  # noqa: SIM905
_MONTHS = (
    {name: i for i, name in enumerate(_MONTH_NAMES, 1)}
    | {name[:3]: i for i, name in enumerate(_MONTH_NAMES, 1) if name != "may"}
    | {"sept": 9}
)


def _alternation(options: Iterable[str]) -> str:
    return "|".join(re.escape(o) for o in sorted(options, key=len, reverse=True))


_Trie = dict[str, "_Trie"]  # the options' next characters ("": an option ends here)


def _trie(options: Iterable[str]) -> str:
    """The options as one group, longer before shorter (as _alternation), their common beginnings
    shared: `ma(?:rch|y)` for march and may, which a regex rejects by its first letter once."""
    tree: _Trie = {}
    for option in options:
        node = tree
        for char in option:
            node = node.setdefault(char, {})
        node[""] = {}
    return _trie_group(tree)


def _trie_group(node: _Trie) -> str:
    branches = [re.escape(char) + _trie_group(child) for char, child in sorted(node.items()) if char]
    if not branches:
        return ""
    if len(branches) == 1 and "" not in node:
        return branches[0]
    return f"(?:{'|'.join(branches)})" + ("?" if "" in node else "")  # "?": ending here is tried last


_UNIT_WORD = rf"(?:{_alternation(_UNITS_WORDS)})"
_NUMBER_WORD = rf"(?:(?:{_alternation(_TENS_WORDS)})(?:[-\s]{_UNIT_WORD})?|{_UNIT_WORD})"
_MONTH = rf"(?:{_alternation(_MONTHS)})\.?"
_DAY = r"(?:[12]\d|3[01]|0?[1-9])(?:st|nd|rd|th)?"
_QUANTITY = re.compile(
    rf"""(?ix)
    (?:(?<!\w)(?=\w)|(?=[$€£₩]))  # only where a word or an amount starts (not where a word ends)
    (?:(?P<qual>{_alternation(_QUALIFIERS)})\s+)?
    (?:
        (?P<day1>{_DAY})\s+(?:of\s+)?(?P<month1>{_MONTH})(?![\w])        # 19 October
      | (?P<month2>{_MONTH})\s+(?P<day2>{_DAY})(?![\w])                  # October 19
      | (?P<cur>us\$|[$€£₩]|usd\s?|eur\s?|krw\s?)?
        (?P<num>(?<![\w.,-])\d{{1,3}}(?:,\d{{3}})+(?:\.\d+)?|(?<![\w.,-])\d+(?:\.\d+)?(?:st|nd|rd|th)?|(?<![\w-]){_NUMBER_WORD})
        (?![\w])(?!\.\d)
        (?:[\s-]?(?P<scale>{_alternation(_SCALES)})(?![\w]))?
        (?:\s?(?P<unit>%|per\s?cent(?:age\s+points?)?|{_alternation(w for w in _CURRENCIES if w.isalpha())})(?![\w]))?
    )
    """
)
_MONTH_ALONE = re.compile(
    rf"(?<![\w])(?:{_alternation(n for n in _MONTH_NAMES if n != 'may')}|May(?=\s+\d))(?![\w])", re.IGNORECASE
)


@dataclass(frozen=True, slots=True)
class Quantity:
    """A number as a value: `$56.2bn` → (56.2e9, USD); `19 October` → a date; `in July` → a month."""

    value: float | tuple[int, int]  # a date is (month, day); a bare month is (month, 0)
    unit: str  # "USD", "%", … or "" for a count
    qualifier: str  # "more", "less", "about" or ""
    text: str
    start: int

    def same_value(self, other: Quantity) -> bool:
        if isinstance(self.value, tuple) or isinstance(other.value, tuple):
            return self.value == other.value
        if self.unit and other.unit and self.unit != other.unit:
            return False
        if self.unit and not other.unit:
            return False  # a claim's "5%" is not supported by a bare "5"
        tolerance = 0.1 if self.qualifier == "about" else 1e-9
        return abs(self.value - other.value) <= tolerance * max(abs(other.value), 1e-9)

    def supported_by(self, other: Quantity) -> bool:
        """The same value, and a qualifier no stronger than the quote's (`about` widens a claim)."""
        if not self.same_value(other):
            return False
        return self.qualifier in (other.qualifier, "about")


@lru_cache(maxsize=8192)
def quantities(text: str) -> tuple[Quantity, ...]:
    matches, month_named = _quantity_matches(text)
    return read_quantities(text, matches, month_named)


def read_quantities(text: str, matches: Iterable[re.Match[str]], month_named: bool = True) -> tuple[Quantity, ...]:
    """The quantities of `text` given the matches of _QUANTITY in it, and its months named alone
    (looked for only if `month_named`: the text has a word that is a month's full name)."""
    found: list[Quantity] = []
    taken: list[tuple[int, int]] = []
    for match in matches:
        quantity = _quantity(match)
        if quantity is not None:
            found.append(quantity)
            taken.append(match.span())
    for match in _MONTH_ALONE.finditer(text) if month_named else ():
        if not any(start <= match.start() < end for start, end in taken):
            month = _MONTHS[match.group().casefold()]
            found.append(Quantity((month, 0), "", "", match.group(), match.start()))
    return tuple(sorted(found, key=lambda q: q.start))


# Where a quantity can start. Trying _QUANTITY at every place in a text is what made claim support
# slow; it is tried only at these seeds, and at a qualifier just before one. Why no match is missed:
# every match starts at a currency sign (the pattern may start there), or where a word starts, with
# a qualifier (then, after `\s+`, the rest starts where a word starts) or with what follows one: a
# day (a digit), a month, a currency code (`us$`, `usd`, `eur`, `krw`, each a whole word as `num`
# cannot follow a word character), or `num` — a digit, or a number word that is a whole word
# (`(?![\w])` follows it, and a tens word is followed by `-` or a space). A seed is a currency sign, a
# digit where a word starts, or a whole word that is a month, number word or currency code, matched
# with the same case-insensitivity as _QUANTITY. _MONTH_ALONE matches only a month's full name as a
# whole word: the seed `month`. tests/test_claims_speed.py holds this against the plain scan.
_SEED = re.compile(
    rf"(?i)[$€£₩]|(?<!\w)(?:\d|(?P<month>{_trie(_MONTH_NAMES)})(?!\w)"
    rf"|{_trie([*_UNITS_WORDS, *_TENS_WORDS, *_MONTHS, 'us', 'usd', 'eur', 'krw'])}(?!\w))"
)
_QUALIFIER_AT_END = re.compile(rf"(?i)(?<!\w){_trie(_QUALIFIERS)}\Z")  # as _QUANTITY writes them
_LONGEST_QUALIFIER = max(map(len, _QUALIFIERS))


def _quantity_matches(text: str) -> tuple[list[re.Match[str]], bool]:
    """What `_QUANTITY.finditer(text)` finds, tried only at the seeds (and the qualifiers before
    them): the leftmost match, then the leftmost from where it ends, and so on; and whether a seed
    is a month's full name."""
    starts: set[int] = set()
    month_named = False
    for seed in _SEED.finditer(text):
        month_named = month_named or seed.group("month") is not None
        starts.add(seed.start())
        before = text[: seed.start()].rstrip()  # rstrip drops what `\s` matches: both are str.isspace
        if len(before) < seed.start():  # a qualifier and spaces may stand just before
            at = max(0, len(before) - _LONGEST_QUALIFIER)
            while (qualifier := _QUALIFIER_AT_END.search(before, at)) is not None:
                starts.add(qualifier.start())
                at = qualifier.start() + 1
    matches: list[re.Match[str]] = []
    end = 0
    for start in sorted(starts):
        if start >= end and (match := _QUANTITY.match(text, start)) is not None:
            matches.append(match)
            end = match.end()
    return matches, month_named


_GROUPS = ("qual", "month1", "month2", "day1", "day2", "num", "scale", "unit", "cur")


def _quantity(match: re.Match[str]) -> Quantity | None:
    qual, month1, month2, day1, day2, num, scale, unit, cur = match.group(*_GROUPS)
    qualifier = _QUALIFIERS.get(" ".join((qual or "").casefold().split()), "")
    text, start = match.group(), match.start()
    month_name, day = month1 or month2, day1 or day2
    if month_name:
        month = _MONTHS.get(month_name.casefold().rstrip("."))
        if month is None or (month_name == "may" and month2):
            return None
        return Quantity((month, int(_NON_DIGITS.sub("", day or "0"))), "", qualifier, text, start)
    number = _number(num)
    if number is None:
        return None
    scale = (scale or "").casefold()
    unit = (unit or "").casefold()
    currency = _CURRENCIES.get((cur or "").casefold().strip()) or _CURRENCIES.get(unit, "")
    if scale in ("m", "b", "k") and not currency:
        scale = ""  # "5 m" is metres, not millions, unless it is money
    value = number * _SCALES.get(scale, 1)
    return Quantity(value, currency or ("%" if unit.startswith(("%", "per")) else ""), qualifier, text, start)


_NON_DIGITS, _ORDINAL, _NUMBER_WORD_PARTS = re.compile(r"\D"), re.compile(r"(st|nd|rd|th)$"), re.compile(r"[-\s]+")


def _number(written: str) -> float | None:
    word = written.casefold()
    if word[0].isdigit():
        return float(_ORDINAL.sub("", word).replace(",", ""))
    parts = _NUMBER_WORD_PARTS.split(word)
    total = 0
    for part in parts:
        total += _TENS_WORDS.get(part, 0) + _UNITS_WORDS.get(part, 0)
    return float(total)


def number_findings(field: tuple[str, ...], text: str, evidence: Evidence) -> Iterator[Finding]:
    claimed = quantities(text)
    if not claimed:
        return
    # The quotes are read as far as a number needs: most often the first gives all the claim's.
    unread = iter(evidence.quotes)
    given: list[Quantity] = []
    for quantity in claimed:
        if _definite_pair(text, quantity):
            continue
        supported = any(quantity.supported_by(q) for q in given)
        while not supported and (quote := next(unread, None)) is not None:
            read = quantities(quote)
            given.extend(read)
            supported = any(quantity.supported_by(q) for q in read)
        if supported or _date_parts_given(quantity, given):  # unsupported: every quote has been read
            continue
        alike = [q for q in given if _comparable(quantity, q)] or given
        offer = ", ".join(dict.fromkeys(repr(q.text) for q in alike))
        yield Finding(
            WarningKind.NUMBER,
            field,
            quantity.start,
            f"{field[-1]} gives {quantity.text!r}, which its quotes do not",
            _hint(WarningKind.NUMBER, f"the quotes give {offer}" if offer else "the quotes give no number"),
        )


def _definite_pair(text: str, quantity: Quantity) -> bool:
    """ "The two ministers", "the two sides": a reference to a pair the text has named, not a count."""
    preceding = text[: quantity.start].rstrip().casefold()
    return quantity.value == 2 and quantity.text.casefold() == "two" and preceding.endswith("the")


def _date_parts_given(claim: Quantity, given: Sequence[Quantity]) -> bool:
    """`October 20` is supported by a quote with `October 20`, or by `October` and `the 20th` both."""
    if not isinstance(claim.value, tuple) or not claim.value[1]:
        return False
    month, day = claim.value
    has_month = any(isinstance(q.value, tuple) and q.value[0] == month for q in given)
    has_day = any(q.value == day and not q.unit and not isinstance(q.value, tuple) for q in given)
    return has_month and has_day


def _comparable(claim: Quantity, quote: Quantity) -> bool:
    if isinstance(claim.value, tuple) or isinstance(quote.value, tuple):
        return isinstance(claim.value, tuple) and isinstance(quote.value, tuple)
    return claim.unit == quote.unit


# --- entities -------------------------------------------------------------------------------------

_WEEKDAYS = frozenset(("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"))
# Demonyms whose country does not share their first letters: "Polish" stands for "Poland".
_DEMONYMS = {"polish": "poland", "dutch": "netherlands", "french": "france", "danish": "denmark",
             "finnish": "finland", "spanish": "spain", "norwegian": "norway", "swiss": "switzerland",
             "welsh": "wales", "irish": "ireland", "filipino": "philippines", "czech": "czechia"}  # fmt: skip


class PeopleIndex:
    """The words of people's names, so that a quote's "Wi said" can stand for Wi Sung-lac — and
    "Cho" for whichever Cho the quote's article names in full."""

    def __init__(self, entities: Mapping[str, Entity]) -> None:
        self.entities = entities
        self.by_word: dict[str, set[str]] = {}
        self.by_title: dict[tuple[str, ...], set[str]] = {}  # ("deputy", "secretary", "general") → its holders
        self.folded: set[str] = set()  # every word of a person's name, casefolded: a cheap first look
        self.entity_words = frozenset(
            w for e in entities.values() for s in (e.name, *e.aliases) for w in folded_words(s)
        )
        for entity_id, entity in entities.items():
            if entity.kind is not EntityKind.PERSON:
                continue
            for spelling in (entity.name, *entity.aliases):
                for word in fold_spaces(spelling).split():
                    if len(word) >= 2 and word[0].isupper():
                        self.by_word.setdefault(name_key(word), set()).add(entity_id)
                        self.folded |= folded_words(word)
            for role in entity.roles:
                title = _title_words(role.title)
                if title:
                    self.by_title.setdefault(title, set()).add(entity_id)

    def candidates(self, word: str) -> set[str]:
        return self.by_word.get(name_key(word.removesuffix("'s").removesuffix("’s")), set())

    def _titles_in(self, quote: str) -> Iterator[set[str]]:
        """The holders of each role title the quote writes, longest first: "Deputy Secretary
        General" is not also "Secretary General"."""
        keys = [name_key(w) for w in re.split(r"[\s\-‐‑–—]+", quote)]
        taken: set[int] = set()
        for title in sorted(self.by_title, key=len, reverse=True):
            for at in range(len(keys) - len(title) + 1):
                span = set(range(at, at + len(title)))
                if tuple(keys[at : at + len(title)]) == title and not span & taken:
                    taken |= span
                    yield self.by_title[title]

    def named_by_short_form(self, quote: str, article: str, names: NameMatcher) -> set[str]:
        """The people a quote names by a word of their name alone, resolved by its article."""
        in_article: set[str] | None = None
        found: set[str] = set()
        for word in re.findall(r"[^\W\d_][\w'’-]*", quote):
            candidates = self.candidates(word)
            if len(candidates) > 1:
                if in_article is None:
                    in_article = {m.entity_id for m in names.mentions(article)}
                candidates = candidates & in_article
            if len(candidates) == 1:
                found |= candidates
        for holders in self._titles_in(quote):
            if len(holders) > 1:
                if in_article is None:
                    in_article = {m.entity_id for m in names.mentions(article)}
                holders = holders & in_article  # noqa: PLW2901 (narrowed to the one the article names)
            if len(holders) == 1:
                found |= holders
        return found


def _title_words(title: str) -> tuple[str, ...]:
    """The words of a role's title as articles write it: "Deputy Secretary General" of "Deputy
    Secretary General of NATO"; titles of one word ("President") are too common to stand for a person."""
    head = re.split(r"\s+of\s+|\s*\(", title, maxsplit=1)[0]
    words_of_head = tuple(name_key(w) for w in re.split(r"[\s\-‐‑–—]+", head) if name_key(w))
    return words_of_head if len(words_of_head) >= 2 else ()


# Words by which a quote refers to entities its article has just named: "she said", "the two sides".
_ANAPHORS = {
    EntityKind.PERSON: (re.compile(r"(?i)(?<![\w])(?:he|she|his|her|him|the\s+minister)(?![\w])"),
                        re.compile(r"(?i)(?<![\w])(?:they|their|them|(?:the\s+two|both)\s+(?:sides|men|women|leaders|ministers|officials))(?![\w])")),
    EntityKind.COUNTRY: (re.compile(r"(?i)(?<![\w])the\s+country(?![\w])"),
                         re.compile(r"(?i)(?<![\w])(?:both\s+(?:countries|nations|sides)|the\s+two\s+(?:countries|nations|sides))(?![\w])")),
}  # fmt: skip


def anaphora(evidence: Evidence, names: NameMatcher, people: PeopleIndex) -> set[str]:
    """Entities a quote refers to without naming them ("she", "the two sides", "both countries"):
    those its article named last before the word, or first in the last sentence that named any (the
    subject a pronoun most often continues)."""
    found: set[str] = set()
    for index, quote in enumerate(evidence.quotes):
        for kind, (singular, plural) in _ANAPHORS.items():
            for pattern, count in ((singular, 1), (plural, 2)):
                for match in pattern.finditer(quote):
                    before = evidence.before(index) + " " + quote[: match.start()]
                    found |= _last_named(before, kind, count, names, people)
    return found


_SENTENCE_END = re.compile(r"(?<=[.!?])[\"”’']?\s+")


def _last_named(text: str, kind: EntityKind, count: int, names: NameMatcher, people: PeopleIndex) -> set[str]:
    named = _named_in(text, kind, names, people)
    last = list(dict.fromkeys(reversed(named)))[:count]
    if count > 1:  # "both countries": also the two the article is about, those it names most
        last += sorted(set(named), key=named.count, reverse=True)[:count]
    for sentence in reversed(_SENTENCE_END.split(text)):
        in_sentence = list(dict.fromkeys(_named_in(sentence, kind, names, people)))
        if in_sentence:
            return set(last) | set(in_sentence[:count])
    return set(last)


def _named_in(text: str, kind: EntityKind, names: NameMatcher, people: PeopleIndex) -> list[str]:
    """The entities of `kind` that `text` names, in order, people also by a word of their name."""
    mentions = [*_mentions_at(text, names)]
    if kind is EntityKind.PERSON:
        mentions += _short_form_mentions(text, mentions, set(), people)
    return [e for e, _, _ in sorted(mentions, key=lambda m: m[2]) if people.entities[e].kind is kind]


def entity_findings(
    field: tuple[str, ...], text: str, *, fact: Fact, evidence: Evidence, names: NameMatcher, people: PeopleIndex
) -> Iterator[Finding]:
    if _all_names_quoted(text, evidence, people):
        return  # the usual case, decided cheaply
    mentions = [*_mentions_at(text, names)]
    attached = set(fact.entities)
    # Most names a claim gives are written out in its quotes: only the others need the full search.
    written_out = {e for e, spelling, _ in mentions if fold_spaces(spelling).casefold() in evidence.folded}
    named = {entity_id for entity_id, _, _ in mentions}
    quoted = _quoted_entities(evidence, names, people) if named - written_out - attached else written_out
    supported = quoted | attached
    mentions += _short_form_mentions(text, mentions, supported, people)
    claimed = {entity_id for entity_id, _, _ in mentions}
    unsupported = [m for m in mentions if m[0] not in supported and m[0] not in written_out]
    if unsupported:
        quoted = _quoted_entities(evidence, names, people) | _countries_by_adjective(unsupported, evidence, people)
        supported |= quoted | anaphora(evidence, names, people)
    for entity_id, spelling, start in sorted(unsupported, key=lambda m: m[2]):
        if entity_id in supported:
            continue
        others = [names.entities[e].name for e in sorted(quoted - claimed)]
        instead = f"the quotes name {', '.join(map(repr, others))}" if others else "no quote names it"
        yield Finding(
            WarningKind.ENTITY,
            field,
            start,
            f"{field[-1]} names {spelling!r} (entity {entity_id!r}), which its quotes do not",
            _hint(WarningKind.ENTITY, f"{instead}; if the fact involves it, list it under `entities:`"),
        )
    yield from _unknown_names(field, text, mentions=mentions, supported=supported, evidence=evidence, names=names)


def _countries_by_adjective(
    mentions: Iterable[tuple[str, str, int]], evidence: Evidence, people: PeopleIndex
) -> set[str]:
    """Countries a quote names by their adjective: "Polish" names Poland, "South Korean" South Korea
    (the words before the last must be written out, so "North Korean" does not name South Korea)."""
    found = set()
    capitalised = {name_key(w) for w in _WORD.findall(evidence.text) if w[0].isupper()}
    for entity_id, _, _ in mentions:
        entity = people.entities[entity_id]
        if entity.kind is not EntityKind.COUNTRY:
            continue
        for spelling in (entity.name, *entity.aliases):
            *first, last = fold_spaces(spelling).split() or [""]
            if all(w.casefold() in evidence.folded_words for w in first) and any(
                _demonym_of_quoted(adjective, {name_key(last)}) for adjective in capitalised - {name_key(last)}
            ):
                found.add(entity_id)
    return found


def _all_names_quoted(text: str, evidence: Evidence, people: PeopleIndex) -> bool:
    """Whether every capitalised word of `text` is in the quotes — or opens a sentence and is no word
    of any entity's name ("Reports said …"): then no rule below can find a name the quotes lack."""
    for match in _CAPITALISED.finditer(text):
        word = match.group().casefold()
        if not match.group()[0].isupper() or word in evidence.folded_words:
            continue
        before = text[: match.start()].rstrip()
        if word in people.entity_words or (before and before[-1] not in ".!?:;\"“‘'(—"):
            return False
    return True


_CAPITALISED = re.compile(r"(?<![\w'’])[^\W\d_a-z][\w'’]*")  # then filtered: the class also lets in other scripts


def _quoted_entities(evidence: Evidence, names: NameMatcher, people: PeopleIndex) -> set[str]:
    """The entities the quotes name: by name or alias, or a person by a word of their name or title."""
    quoted = {m.entity_id for quote in evidence.quotes for m in names.mentions(quote)}
    for quote, article in zip(evidence.quotes, evidence.articles, strict=False):
        quoted |= people.named_by_short_form(quote, article, names)
    return quoted


def _mentions_at(text: str, names: NameMatcher) -> Iterator[tuple[str, str, int]]:
    """Each mention in `text` with the character where it starts (names match spaces folded)."""
    at = 0
    for mention in names.mentions(text):
        first = mention.spelling.split()[0]
        found = text.find(first, at)
        start = found if found >= 0 else at
        at = start + len(mention.spelling)
        yield mention.entity_id, mention.spelling, start


def _short_form_mentions(
    text: str, mentions: Sequence[tuple[str, str, int]], supported: set[str], people: PeopleIndex
) -> list[tuple[str, str, int]]:
    """A claim's "Šekerinska" names Radmila Šekerinska: a word of one person's name (or of one of
    several people's names, when the quotes name one of them)."""
    if not folded_words(text) & people.folded:
        return []
    covered = [(start, start + len(spelling)) for _, spelling, start in mentions]
    found = []
    for word in words(text):
        if not word.text[0].isupper() or any(start <= word.start < end for start, end in covered):
            continue
        candidates = people.candidates(word.text)
        if len(candidates) > 1:
            candidates = (candidates & supported) or candidates
        if len(candidates) == 1:
            found.append((next(iter(candidates)), word.text, word.start))
    return found


def _unknown_names(
    field: tuple[str, ...],
    text: str,
    *,
    mentions: Sequence[tuple[str, str, int]],
    supported: set[str],
    evidence: Evidence,
    names: NameMatcher,
) -> Iterator[Finding]:
    """Capitalised words the project does not know as an entity, and no quote has: a name the claim
    added ("led by Hanwha Aerospace")."""
    covered = [(start, start + len(spelling)) for _, spelling, start in mentions]
    candidates = [
        word
        for word in words(text)
        if _is_name_word(word, text)
        and word.text.casefold() not in evidence.folded_words
        and not any(start <= word.start < end for start, end in covered)
    ]
    if not candidates:
        return
    known = [s for e in supported for s in (names.entities[e].name, *names.entities[e].aliases)]
    quoted = {w.stem for w in words(evidence.text)} | {w.stem for s in known for w in words(s)}
    quoted_keys = {name_key(t) for t in re.split(r"[\s\-‐‑–—/]+", " ".join([evidence.text, *known]))} - {""}
    unknown = [
        word
        for word in candidates
        if word.stem not in quoted
        and name_key(word.text) not in quoted_keys
        and not _demonym_of_quoted(word.text, quoted_keys)
    ]
    for group in _adjacent(unknown, text):
        phrase = text[group[0].start : group[-1].end]
        yield Finding(
            WarningKind.ENTITY,
            field,
            group[0].start,
            f"{field[-1]} names {phrase!r}, which its quotes do not",
            _hint(WarningKind.ENTITY, "no quote has this name; if it is another spelling, make it an entity's alias"),
        )


def _is_name_word(word: Word, text: str) -> bool:
    first = word.text[0]
    folded = word.text.casefold()
    if text.startswith("$", word.end):
        return False  # "US$": a currency, read with the number
    if len(word.text) < 2 or not first.isupper() or folded in _MONTHS or folded in _WEEKDAYS:
        return False
    if word.text.isupper() and text[word.end : word.end + 1] == ":" and not text[: word.start].strip():
        return False  # a label such as suggest's "DRAFT:", not a name
    # A capital at the start of a sentence says nothing: "Reports said …" (a name there is still
    # checked when the project knows it as an entity).
    before = text[: word.start].rstrip()
    return not (not before or before[-1] in ".!?:;\"“‘'(" or before.endswith("—"))


def _demonym_of_quoted(word: str, quoted_keys: set[str]) -> bool:
    """ "Korean", "European", "Ukrainian" for a quote's Korea, Europe, Ukraine; "Polish" for Poland."""
    key = name_key(word)
    if _DEMONYMS.get(key) in quoted_keys:
        return True
    for stem_length in range(max(4, len(key) - 3), len(key)):
        prefix = key[:stem_length]
        if any(q.startswith(prefix) and len(q) >= 4 for q in quoted_keys):
            return True
    return False


def _adjacent(found: Sequence[Word], text: str) -> Iterator[list[Word]]:
    group: list[Word] = []
    for word in found:
        if group and text[group[-1].end : word.start].strip(" -–") == "":
            group.append(word)
            continue
        if group:
            yield group
        group = [word]
    if group:
        yield group


# --- negation -------------------------------------------------------------------------------------

_NEGATION = re.compile(
    r"(?i)(?<![\w])(?:not|no|never|none|neither|nor|without|cannot|nobody|nothing|nowhere"
    r"|den(?:y|ies|ied|ying)|reject(?:s|ed|ing)?|refus(?:e|es|ed|ing)|declin(?:e|es|ed|ing)"
    r"|fail(?:s|ed|ing)?|non(?=-\w))(?![\w])|n['’]t(?![\w])"
)
_NEGATION_WORDS = frozenset(
    "not no never none neither nor without cannot nobody nothing nowhere deny denies denied denying"  # noqa: SIM905
    " reject rejects rejected rejecting refuse refuses refused refusing decline declines declined"
    " declining fail fails failed failing non".split()
)


def _may_negate(text: str) -> bool:
    """A cheap first look for _NEGATION: a word set, and the one cue inside words."""
    return bool(folded_words(text) & _NEGATION_WORDS) or "n't" in text or "n’t" in text


_CONTEXT = 6  # content words either side of a negation that tell what it negates


@dataclass(frozen=True, slots=True)
class Cue:
    """A negation or hedge word, where it stands, and the stems of the words around it."""

    text: str
    start: int
    context: frozenset[str]
    negated: frozenset[str] = frozenset()  # the first content words after it: what it applies to
    head: str = ""  # the first content word after it: what a hedge governs


def _cues(pattern: re.Pattern[str], text: str, before: int = _CONTEXT, after: int = _CONTEXT) -> list[Cue]:
    matches = list(pattern.finditer(text))
    if not matches:
        return []  # most texts have no cue: they need not be split into words
    tokens = content_words(text)
    cues = []
    for match in matches:
        preceding = [stem for w, stem in tokens if w.end <= match.start()][-before:] if before else []
        following = [stem for w, stem in tokens if w.start >= match.end()][:after]
        head = following[0] if following else ""
        cues.append(Cue(match.group(), match.start(), frozenset(preceding + following), frozenset(following[:2]), head))
    return cues


def negation_findings(field: tuple[str, ...], text: str, evidence: Evidence) -> Iterator[Finding]:
    if not _may_negate(text) and not _may_negate(evidence.text):
        return
    claim_cues = [c for c in _cues(_NEGATION, text) if not _prefix_written_solid(c, text, evidence)]
    quote_cues = [cue for quote in evidence.quotes for cue in _cues(_NEGATION, quote)]
    unmatched = list(quote_cues)
    for cue in claim_cues:
        partner = next((q for q in unmatched if q.context & cue.context), None)
        if partner is not None:
            unmatched.remove(partner)
            continue
        yield Finding(
            WarningKind.NEGATION,
            field,
            cue.start,
            f"{field[-1]} says {cue.text!r} where its quotes do not negate it",
            _hint(WarningKind.NEGATION, f"the quote says: {_passage(evidence, cue.context)!r}"),
        )
    if claim_cues:
        return
    claim_stems = content_stems(text)
    for cue in quote_cues:
        if cue.negated and cue.negated <= claim_stems and len(cue.context & claim_stems) >= 3:
            yield Finding(
                WarningKind.NEGATION,
                field,
                0,
                f"{field[-1]} affirms what its quote negates ({cue.text!r})",
                _hint(WarningKind.NEGATION, f"the quote says: {_passage(evidence, cue.context)!r}"),
            )
            return


def _prefix_written_solid(cue: Cue, text: str, evidence: Evidence) -> bool:
    """ "non-proliferation" where the quote writes "nonproliferation": one word, not a negation."""
    if cue.text.casefold() != "non":
        return False
    following = _WORD.match(text, cue.start + len(cue.text) + 1)
    return following is not None and name_key("non" + following.group()) in evidence.word_keys


def _passage(evidence: Evidence, stems: Iterable[str], width: int = 12) -> str:
    """The few words of the quotes that best match `stems`: what a hint shows of the evidence."""
    wanted = set(stems)
    best: tuple[int, str] = (-1, "")
    for quote in evidence.quotes:
        quote_words = words(quote)
        for i in range(max(1, len(quote_words) - width + 1)):
            window = quote_words[i : i + width]
            score = sum(w.stem in wanted for w in window)
            if score > best[0] and window:
                best = (score, quote[window[0].start : window[-1].end])
    return best[1] + ("…" if best[1] else "")


# --- certainty ------------------------------------------------------------------------------------

_POSSIBILITY = re.compile(
    r"(?<![\w])(?:could|may|might|would|possibl[ey]|possibilit(?:y|ies)|potential(?:ly)?|likely|unlikely"
    r"|probabl[ey]|perhaps|expect(?:s|ed|ing)?|plan(?:s|ned|ning)?\s+to|seek(?:s|ing)?|sought|hop(?:e|es|ed|ing)"
    r"|explor(?:e|es|ed|ing)|consider(?:s|ed|ing)|aim(?:s|ed|ing)?\s+to|intend(?:s|ed|ing)?|intention"
    r"|wish(?:es|ed)?|prospect|prospects)(?![\w])"
)
_HEARSAY = re.compile(
    r"(?i)(?<![\w])(?:according\s+to|reportedly|reports?|reported|allegedly|is\s+seen\s+as|seen\s+as"
    r"|(?:is|are|was|were)\s+believed)(?![\w])"
)
# A quote that says who says so ("…, the ministry said", "Wi noted that …"): a claim taking its words
# must say who says so too, or it states as fact what the article only reports.
_REPORTED = re.compile(r"(?<![\w])(?:said|says|noted|told|stated)(?![\w])")
_ATTRIBUTION = re.compile(
    r"(?i)(?<![\w])(?:according\s+to|reportedly|reports?|reported|allegedly|seen\s+as|believed|sa(?:id|ys|y)"
    r"|told|noted|stated|announced|described|quoted|claimed|confirmed|explained|cited|cites|stressed|emphasi[sz]ed"
    r"|highlighted|expressed|assessed|argued|warned|insisted|added|the\s+article)(?![\w])"
)
_HEDGE_WORDS = frozenset(
    "could may might would possible possibly possibility possibilities potential potentially likely"  # noqa: SIM905
    " unlikely probable probably perhaps expect expects expected expecting plan plans planned planning"
    " seek seeks seeking sought hope hopes hoped hoping explore explores explored exploring consider"
    " considers considered considering aim aims aimed aiming intend intends intended intending intention"
    " wish wishes wished prospect prospects according reportedly report reports reported allegedly seen"
    " believed".split()
)  # every word _POSSIBILITY or _HEARSAY can match starts with one of these: a cheap first look
_REPORTED_WORDS = frozenset(("said", "says", "noted", "told", "stated"))
_CERTAINTY_WORDS = _HEDGE_WORDS | _REPORTED_WORDS
_SCOPE = 6  # content words after a hedge that it governs
_REACH = 8  # how many words before the hedged words a claim's hedge may stand


def certainty_findings(field: tuple[str, ...], text: str, evidence: Evidence) -> Iterator[Finding]:
    """Where a quote hedges or attributes words the claim takes from it, the claim does so too."""
    if _CERTAINTY_WORDS.isdisjoint(folded_words(evidence.text)):
        return
    hedged = [(q, cues) for q in evidence.quotes if (cues := _cues(_POSSIBILITY, q, before=0, after=_SCOPE))]
    if hedged:  # the claim is split into words only when some quote hedges
        claim_words = words(text)
        claim_hedges = [m.start() for m in _POSSIBILITY.finditer(text)] + [m.start() for m in _HEARSAY.finditer(text)]
        for quote, cues in hedged:
            for cue in cues:
                taken = [(w, stem) for w, stem in content_words(text) if stem in cue.context]
                heads = [w for w, stem in taken if stem == cue.head]
                if len(taken) < 2 or not heads or any(_hedged_near(claim_hedges, claim_words, w) for w in heads):
                    continue
                yield _certainty_finding(field, heads[0], cue, quote)
                return
    if _HEARSAY.search(text):
        return
    attributed = _ATTRIBUTION.search(text) is not None
    claim_stems = content_stems(text)
    for quote in evidence.quotes:
        for cue in [*_cues(_HEARSAY, quote, 2 * _SCOPE, 2 * _SCOPE), *_cues(_REPORTED, quote, 2 * _SCOPE, 2 * _SCOPE)]:
            shared = {stem: w for w, stem in content_words(text) if stem in cue.context}
            if len(shared) < max(3, 0.4 * len(cue.context)):
                continue  # the claim does not take its words from that report
            source = _attributed_to(quote, cue) if cue.text.casefold().startswith("according") else None
            if attributed and (source is None or source & claim_stems):
                continue  # "Shin said …" for "Shin said"; "Šekerinska cited" for "according to Šekerinska"
            yield _certainty_finding(field, next(iter(shared.values())), cue, quote)
            return


def _attributed_to(quote: str, cue: Cue) -> frozenset[str]:
    """The stems of whom "according to" names: "according to the presidential office, …" → office."""
    after = quote[cue.start + len(cue.text) :]
    source = re.split(r"[,.;:—–()]", after, maxsplit=1)[0]
    return frozenset(w.stem for w in words(source)[:6] if w.is_content)


def _hedged_near(hedges: Sequence[int], claim_words: Sequence[Word], head: Word) -> bool:
    """A hedge a few words before the hedged word, or just after it ("Russia might compensate")."""
    index = next(i for i, w in enumerate(claim_words) if w.start == head.start)
    reach_start = claim_words[max(0, index - _REACH)].start
    reach_end = claim_words[min(len(claim_words) - 1, index + 2)].end
    return any(reach_start <= h <= reach_end for h in hedges)


def _certainty_finding(field: tuple[str, ...], word: Word, cue: Cue, quote: str) -> Finding:
    quote_words = words(quote)
    at = next((i for i, w in enumerate(quote_words) if w.start >= cue.start), len(quote_words) - 1)
    window = quote_words[max(0, at - 5) : at + 9]  # whole words around the hedge
    around = quote[window[0].start : window[-1].end] if window else cue.text
    return Finding(
        WarningKind.CERTAINTY,
        field,
        word.start,
        f"{field[-1]} states as certain what its quote hedges with {cue.text!r}",
        _hint(WarningKind.CERTAINTY, f"the quote says: '…{around}…'; keep the hedge or say who says so"),
    )
