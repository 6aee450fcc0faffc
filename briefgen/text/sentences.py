"""An article read as prose: body lines told apart from page chrome, sentences with their positions,
and what each sentence carries (figures, time expressions, capitalised names).

Articles arrive as scraped text: portal menus, Korean UI labels, bylines, aggregator headers and
photo captions sit around the story. `suggest` and `report` only count and propose *body* sentences,
so the rules here say what a body line is; they are heuristics, deliberately simple and explainable:

- a body line ends like a sentence (`.`, `!`, `?`, possibly inside closing quotes) and has at least
  five words, once a leading dateline (`WARSAW, Poland —`) and a trailing agency credit (`(Yonhap)`)
  are set aside;
- a line ending in a parenthesised credit that is not a news agency (`(Presidential office)`) is a
  photo caption; a line repeated verbatim is counted once;
- in an article mostly in Latin script, lines mostly in Hangul, kana or Han are page chrome;
- lines starting with `#` or `>` are headers (Markdown headings, aggregator fields).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from enum import StrEnum

from briefgen.text.quotes import IndexedText, find_quote


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


# News agencies whose parenthesised name credits a story; other parenthesised credits mark captions.
AGENCIES = frozenset(
    {
        "AFP",
        "ANSA",
        "AP",
        "Anadolu",
        "Bernama",
        "EFE",
        "Kyodo",
        "News1",
        "Newsis",
        "PAP",
        "Reuters",
        "TASS",
        "UPI",
        "Xinhua",
        "Yonhap",
        "dpa",
    }
)
MIN_BODY_WORDS = 5
_TERMINAL = re.compile(r"[.!?…][\"”’')\]]*$")
_TRAILING_CREDIT = re.compile(r"\s*\((?P<credit>[^()]{1,60})\)\s*$")
# `WARSAW, Poland —`, `SEOUL -`, `SEOUL, Oct. 20 (Yonhap) --`: a capitalised place, then a dash.
_DATELINE = re.compile(
    r"^(?P<dateline>[A-Z][A-Z.'’ -]{2,30}(?:,[^—–\n]{1,30}?)?(?:\s*\((?P<credit>[^()]{1,30})\))?)\s*(?:—|–|--|-)\s+"
)
_BOUNDARY = re.compile(r"(?<=[.!?…])[\"”’')\]]*\s+(?=[\"“‘'(]?[A-Z0-9À-ÖØ-Þ])")
_ABBREVIATIONS = _words(
    "Mr Mrs Ms Dr Prof Gen Lt Col Maj Capt Sgt Adm Cmdr Gov Sen Rep Rev St No Nos Jan Feb Mar Apr Jun Jul Aug "
    "Sep Sept Oct Nov Dec Inc Corp Co Ltd Jr Sr vs approx est"
)


class LineKind(StrEnum):
    BLANK = "blank"
    BODY = "body"
    CAPTION = "caption"
    HEADER = "header"
    CHROME = "chrome"


@dataclass(frozen=True)
class Line:
    """One line of the article: 1-based number, offset of its first character, text, and kind."""

    number: int
    start: int
    text: str
    kind: LineKind


@dataclass(frozen=True)
class Sentence:
    """A body sentence: its span in the original text, where it starts, and its text on one line."""

    start: int
    end: int
    line: int
    text: str

    @property
    def quote(self) -> str:
        """The sentence with runs of whitespace as single spaces: verbatim for the quote check."""
        return " ".join(self.text.split())


# -- lines ---------------------------------------------------------------------------------------


def read_lines(text: str) -> tuple[Line, ...]:
    """Every line of the article with its kind."""
    latin = _mostly_latin(text)
    seen: set[str] = set()
    lines: list[Line] = []
    offset = 0
    for number, raw in enumerate(text.split("\n"), 1):
        kind = _line_kind(raw, latin)
        if kind is not LineKind.BLANK:
            if raw.strip() in seen:
                kind = LineKind.CHROME  # a repeated line (a doubled caption) is counted once
            seen.add(raw.strip())
        lines.append(Line(number, offset, raw, kind))
        offset += len(raw) + 1
    return tuple(lines)


def _line_kind(raw: str, latin_article: bool) -> LineKind:
    line = raw.strip()
    if not line:
        return LineKind.BLANK
    if line.startswith(("#", ">")):
        return LineKind.HEADER
    if latin_article and _east_asian_share(line) > 0.3:
        return LineKind.CHROME
    credit = _TRAILING_CREDIT.search(line)
    if credit and credit.group("credit") not in AGENCIES and _TERMINAL.search(line[: credit.start()]):
        return LineKind.CAPTION
    start, end = body_span(line)
    body = line[start:end]
    if len(body.split()) >= MIN_BODY_WORDS and _TERMINAL.search(body):
        return LineKind.BODY
    return LineKind.CHROME


def body_span(line: str) -> tuple[int, int]:
    """The part of a line that is story text: without a leading dateline or a trailing agency credit."""
    start, end = 0, len(line.rstrip())
    dateline = _DATELINE.match(line)
    if dateline:
        start = dateline.end()
    credit = _TRAILING_CREDIT.search(line, start)
    if credit and credit.group("credit") in AGENCIES:
        end = credit.start()
    return start, end


def dateline(line: str) -> str | None:
    """`WARSAW, Poland` from `WARSAW, Poland — South Korea and …`, or None."""
    match = _DATELINE.match(line.strip())
    return match.group("dateline").strip() if match else None


def agency_credit(line: str) -> str | None:
    """The agency a line credits, as in `… domain. (Yonhap)` or `SEOUL, Oct. 20 (Yonhap) --`."""
    for match in (_TRAILING_CREDIT.search(line.strip()), _DATELINE.match(line.strip())):
        if match and match.group("credit") in AGENCIES:
            return match.group("credit")
    return None


def _mostly_latin(text: str) -> bool:
    return _east_asian_share(text) < 0.5


def _east_asian_share(text: str) -> float:
    letters = [c for c in text if c.isalpha()]
    if not letters:
        return 0.0
    east = sum(1 for c in letters if unicodedata.name(c, "").startswith(("HANGUL", "CJK", "HIRAGANA", "KATAKANA")))
    return east / len(letters)


# -- sentences ------------------------------------------------------------------------------------


def body_sentences(text: str) -> tuple[Sentence, ...]:
    """The article's body sentences, in order, with their spans in `text`."""
    sentences: list[Sentence] = []
    for line in read_lines(text):
        if line.kind is not LineKind.BODY:
            continue
        indent = len(line.text) - len(line.text.lstrip())
        start, end = body_span(line.text.strip())
        for a, b in split_sentences(line.text.strip()[start:end]):
            first = line.start + indent + start + a
            sentences.append(Sentence(first, first + (b - a), line.number, text[first : first + (b - a)]))
    return tuple(sentences)


def quote_spans(article: IndexedText, quotes: Iterable[str]) -> list[tuple[int, int]]:
    """Where each quote sits in the article, as `check` finds it (quotes not found have no span)."""
    passages = (find_quote(article, quote) for quote in quotes)
    return sorted({(p.start, p.end) for p in passages if p is not None})


def overlaps(sentence: Sentence, spans: Sequence[tuple[int, int]]) -> bool:
    """Whether any quote span shares a character with the sentence."""
    return any(start < sentence.end and sentence.start < end for start, end in spans)


def split_sentences(paragraph: str) -> list[tuple[int, int]]:
    """Spans of the sentences of one paragraph; abbreviations and initials do not end a sentence."""
    spans: list[tuple[int, int]] = []
    start = 0
    for match in _BOUNDARY.finditer(paragraph):
        end = match.start() + len(match.group(0).rstrip())
        if _ends_with_abbreviation(paragraph[start : match.start()]):
            continue
        spans.append((start, end))
        start = match.end()
    if paragraph[start:].strip():
        spans.append((start, len(paragraph.rstrip())))
    return spans


def _ends_with_abbreviation(text: str) -> bool:
    words = text.split()
    if not words:
        return False
    last = words[-1].rstrip(".!?…").lstrip("(\"“‘'")
    # "Mr.", "Oct.", an initial ("J."), or a dotted acronym ("U.S.")
    return (
        last in _ABBREVIATIONS or (len(last) == 1 and last.isupper()) or bool(re.fullmatch(r"(?:[A-Z]\.)+[A-Z]", last))
    )


# -- what a sentence carries -------------------------------------------------------------------------

_NUMBER_WORDS = (
    "three|four|five|six|seven|eight|nine|ten|eleven|twelve|dozens?|hundreds?|thousands?|millions?|billions?"
)
_FIGURE = re.compile(
    r"[$€£¥₩]\s?\d[\d,]*(?:\.\d+)?(?:\s?(?:million|billion|trillion|bn|m)\b)?"  # money
    r"|(?<![\w.-])\d[\d,]*(?:\.\d+)?(?!\w)(?:\s?(?:%|percent\b|per cent\b)|\s(?:million|billion|trillion)\b)?"
    rf"|\b(?:{_NUMBER_WORDS})\b(?:-\w+)?",  # spelled out: "eight member states", "three-day"
    re.IGNORECASE,
)
_MONTHS = "January|February|March|April|May|June|July|August|September|October|November|December"
_WEEKDAYS = "Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday"
_TIME = re.compile(
    rf"\b(?:{_MONTHS})(?:\s\d{{1,2}}(?:,\s\d{{4}})?|\s\d{{4}})?\b"
    rf"|\b\d{{1,2}}\s(?:{_MONTHS})(?:\s\d{{4}})?\b"
    rf"|\b(?:{_WEEKDAYS})\b"
    r"|\b(?:19|20)\d{2}\b"
    r"|\b(?i:last|next|this|earlier this|later this)\s(?:week|month|year)\b"
    r"|\b(?i:yesterday|today|tomorrow)\b"
    r"|\b(?i:on the) \d{1,2}(?:st|nd|rd|th)\b"
)


def figures(text: str) -> tuple[str, ...]:
    """Numbers, amounts and percentages in a sentence; years and days of dates are time, not figures."""
    times = [m.span() for m in _TIME.finditer(text)]
    found = (m.group(0).rstrip(",.") for m in _FIGURE.finditer(text) if not any(a <= m.start() < b for a, b in times))
    return tuple(dict.fromkeys(f for f in found if f))


def time_expressions(text: str) -> tuple[str, ...]:
    """Dates and relative times: `October 20`, `2014`, `Wednesday`, `last month`."""
    return tuple(dict.fromkeys(m.group(0) for m in _TIME.finditer(text)))


# Words that name a role: a run of capitalised words is split at them, so that "Defense Minister Shin
# Won-sik" yields "Shin Won-sik"; a one-word piece just before one ("Defense", "Foreign") qualifies it.
_TITLE_WORDS = _words(
    "Minister President Secretary Secretary-General General Deputy Director Director-General Commissioner "
    "Administrator Ambassador Chief Envoy Chairman Chairwoman Chair Spokesperson Spokesman Spokeswoman Prime Vice "
    "Premier Chancellor Governor Mayor Senator Lawmaker Adviser Advisor Reporter Presidential Acting Former"
)
_NOT_NAMES = _words(
    f"{_MONTHS} {_WEEKDAYS} ".replace("|", " ")
    + "The A An In On At By For From With Without During After Before Since Until While When Where As According "
    "Both This That These Those Its His Her Their Our It He She They We I Despite Meanwhile However Also Last Next "
    "Addressing"
)
_TOKEN = re.compile(r"[^\W\d_][\w'’.-]*")


def capitalised_names(text: str) -> tuple[str, ...]:
    """Likely names of people, places and organisations: runs of capitalised words, titles split off."""
    names: list[str] = []
    for run in _capitalised_runs(text):
        piece: list[str] = []
        for word in (*run, ""):
            if word and word not in _TITLE_WORDS:
                piece.append(word)
                continue
            while piece and piece[0] in _NOT_NAMES:
                piece.pop(0)
            if piece and _looks_like_name(piece, before_title=bool(word)):
                names.append(" ".join(piece))
            piece = []
    return tuple(dict.fromkeys(names))


def _looks_like_name(piece: list[str], *, before_title: bool) -> bool:
    if len(piece) > 1:
        return True
    word = piece[0]
    if word.isupper():
        return len(word) > 1  # an acronym (NATO, EU), not a letter ("X")
    # A lone qualifier of a title ("Foreign Minister") or a demonym ("Korean", "Polish") is not a name.
    return not before_title and len(word) > 3 and not word.endswith(("ean", "ian", "ish", "ese"))


def _capitalised_runs(text: str) -> list[list[str]]:
    runs: list[list[str]] = [[]]
    last_end = 0
    for match in _TOKEN.finditer(text):
        raw = match.group(0)
        word = re.sub(r"['’]s$", "", raw.rstrip(".")).rstrip("'’-")
        if text[last_end : match.start()].strip():  # punctuation between words ends a name
            runs.append([])
        last_end = match.end()
        if not word or not word[0].isupper():
            runs.append([])
            continue
        runs[-1].append(word)
        if word != raw.rstrip("."):  # a possessive ("Kang's") ends the name
            runs.append([])
    return [run for run in runs if run]
