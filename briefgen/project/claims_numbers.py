"""Claim support's number rule (see claims.py): every number a claim gives is given by a quote,
compared as values (`56.2 billion dollars`, `five per cent` = `5%`, `19 October` = `October 19`)
with its qualifier (`over $2 billion` is not `$2 billion`)."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from functools import lru_cache

from briefgen.project.claims_text import Evidence, Finding, hint
from briefgen.project.values import WarningKind
from briefgen.text.names import longest_first

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
MONTHS = (
    {name: i for i, name in enumerate(_MONTH_NAMES, 1)}
    | {name[:3]: i for i, name in enumerate(_MONTH_NAMES, 1) if name != "may"}
    | {"sept": 9}
)


def _alternation(options: Iterable[str]) -> str:
    return "|".join(re.escape(o) for o in sorted(options, key=len, reverse=True))


def _trie(options: Iterable[str]) -> str:
    """The options as one group that matches as _alternation's does, their common beginnings shared
    (names.longest_first): `ma(?:rch|y)` for march and may, rejected by its first letter once."""
    return f"(?:{longest_first(options)})"


_UNIT_WORD = rf"(?:{_alternation(_UNITS_WORDS)})"
_NUMBER_WORD = rf"(?:(?:{_alternation(_TENS_WORDS)})(?:[-\s]{_UNIT_WORD})?|{_UNIT_WORD})"
_MONTH = rf"(?:{_alternation(MONTHS)})\.?"
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
    """The numbers, amounts, dates and months `text` gives, in order."""
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
            month = MONTHS[match.group().casefold()]
            found.append(Quantity((month, 0), "", "", match.group(), match.start()))
    return tuple(sorted(found, key=lambda q: q.start))


# Where a quantity can start: _QUANTITY is tried only at these seeds and at a qualifier just before
# one (trying it at every place of every text was most of claim support's time). No match is missed,
# as a match starts at a currency sign (the pattern may start there even after a letter) or where a
# word starts, with one of:
#   - a qualifier, then `\s+` and one of the below, which then also starts where a word starts;
#   - a day: a digit;
#   - a month, followed by `.` or `\s+`: a whole word;
#   - a currency code `us$`, `usd`, `eur`, `krw`: a whole word (`num` cannot follow a word character);
#   - `num`: a digit, or a number word that is a whole word (`(?![\w])` follows it; a tens word is
#     followed by `-` or a space).
# A seed is a currency sign, a digit where a word starts, or a whole word that is a month, number
# word or currency code, matched as case-insensitively as _QUANTITY matches them (the same flag, the
# same words). _MONTH_ALONE matches only a month's full name as a whole word: the seed `month`.
# tests/test_claims_speed.py holds the seeded scan to the plain one.
_SEEDS = (
    rf"[$€£₩]|(?<!\w)(?:\d|(?P<month>{_trie(_MONTH_NAMES)})(?!\w)"
    rf"|{_trie([*_UNITS_WORDS, *_TENS_WORDS, *MONTHS, 'us', 'usd', 'eur', 'krw'])}(?!\w))"
)
_SEED = re.compile(f"(?i){_SEEDS}")
# An ASCII text's seeds are those of its lower case, found without (?i) in ~2/3 of the time (its
# words are lower case): for ASCII, lower case is what (?i) compares, and keeps every offset.
_SEED_IN_LOWER_CASE = re.compile(_SEEDS)
_QUALIFIER_AT_END = re.compile(rf"(?i)(?<!\w){_trie(_QUALIFIERS)}\Z")  # as _QUANTITY writes them
_LONGEST_QUALIFIER = max(map(len, _QUALIFIERS))


def _quantity_matches(text: str) -> tuple[list[re.Match[str]], bool]:
    """What `_QUANTITY.finditer(text)` finds, tried only at the seeds (and the qualifiers before
    them): the leftmost match, then the leftmost from where it ends, and so on; and whether a seed
    is a month's full name."""
    starts: set[int] = set()
    month_named = False
    for seed in _SEED_IN_LOWER_CASE.finditer(text.lower()) if text.isascii() else _SEED.finditer(text):
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
        month = MONTHS.get(month_name.casefold().rstrip("."))
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
            hint(WarningKind.NUMBER, f"the quotes give {offer}" if offer else "the quotes give no number"),
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
