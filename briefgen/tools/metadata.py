"""Guess a source's metadata from its article's text, remembering the line each guess came from.

Only what the text shows is used: aggregator header fields (`>Data:`, `>URL:`, `>Origem:`), a
headline-like first line, bylines (`Hwang Joo-young 기자`, `KO YONG-CHUL Reporter`, `By …`),
timestamps (`입력`/`수정`, `Input`/`Updated`, an e-mail line's date) and agency credits
(`(Yonhap)`). Every result is a guess for a curator to review, never a fact: `suggest` writes each
one with `basis: inferred` and the line it was read from. Nothing is looked up or made up.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from briefgen.project.values import PartialDate
from briefgen.text.sentences import Line, LineKind, agency_credit, dateline, read_lines

# Aggregator header field names (Portuguese, Spanish, French, German, English) → source field.
_HEADER_FIELDS = {
    "titulo": "title",
    "title": "title",
    "titre": "title",
    "titel": "title",
    "data": "published",
    "date": "published",
    "fecha": "published",
    "datum": "published",
    "published": "published",
    "url": "url",
    "link": "url",
    "enlace": "url",
    "origem": "outlet",
    "origen": "outlet",
    "fonte": "outlet",
    "fuente": "outlet",
    "source": "outlet",
    "outlet": "outlet",
    "quelle": "outlet",
    "autor": "author",
    "author": "author",
    "auteur": "author",
}
_HEADER = re.compile(r"^\s*(?:#+|>)\s*(?P<key>[^\W\d_][\w ]{0,20}?)\s*:\s*(?P<value>.+?)\s*$")
_MARKDOWN_LINK = re.compile(r"^\[(?P<text>[^\]]+)\]\((?P<url>[^)]+)\)$")
_BYLINE = re.compile(
    r"^(?:By\s+(?P<by>[A-Z][\w.'’-]*(?:\s+[A-Z][\w.'’-]*){0,4})(?:,.*)?"
    r"|(?P<name>[^\W\d_][\w.'’-]*(?:\s+[^\W\d_][\w.'’-]*){0,4})\s+(?:기자|특파원|Reporter|reporter|Correspondent"
    r"|correspondent|Staff Writer|staff writer))$"
)
# `입력 2025.10.21. 오후 6:07`, `Input 2025-10-21 18:07`, `Updated : Oct. 21, 2025`
_FIRST_PUBLISHED = ("입력", "등록", "Input", "Published", "Posted", "Created")
_MODIFIED = ("수정", "Updated", "Modified", "Edited", "Last updated")
_NUMERIC_DATE = re.compile(r"(?<!\d)(?P<y>(?:19|20)\d{2})[-./](?P<m>\d{1,2})[-./](?P<d>\d{1,2})(?!\d)")
_MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
_WORDED_DATE = re.compile(
    r"\b(?:(?P<d1>\d{1,2})\s+(?P<m1>[A-Z][a-z]{2,8})\.?|(?P<m2>[A-Z][a-z]{2,8})\.?\s+(?P<d2>\d{1,2}),?)\s+(?P<y>(?:19|20)\d{2})\b"
)
_URL = re.compile(r"https?://[^\s<>\"'()\[\]]+")
_URL_YEAR_MONTH = re.compile(r"/((?:19|20)\d{2})/(\d{2})/")
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
MAX_HEADLINE_WORDS = 30


@dataclass(frozen=True)
class Guess:
    """A value for one source field, the line it was read from, and any caveat the curator should see."""

    field: str
    value: str
    line: int
    evidence: str
    caveat: str | None = None


@dataclass(frozen=True)
class Finding:
    """Something the text shows that is not a source field (a dateline, an e-mail), for comments."""

    label: str
    value: str
    line: int


@dataclass(frozen=True)
class SourceGuesses:
    guesses: tuple[Guess, ...]
    findings: tuple[Finding, ...]

    def get(self, field: str) -> Guess | None:
        return next((g for g in self.guesses if g.field == field), None)


FIELDS = ("title", "outlet", "author", "published", "url", "credit")


def guess_source(text: str) -> SourceGuesses:
    """Every metadata guess the text supports, at most one per field (the most direct evidence wins)."""
    lines = read_lines(text)
    candidates = [
        *_header_guesses(lines),
        *_headline_guesses(lines),
        *_byline_guesses(lines),
        *_timestamp_guesses(lines),
        *_credit_guesses(lines),
    ]
    chosen: dict[str, Guess] = {}
    for guess in candidates:
        chosen.setdefault(guess.field, guess)
    chosen = _cross_checked(chosen)
    ordered = tuple(chosen[f] for f in FIELDS if f in chosen)
    return SourceGuesses(ordered, _findings(lines, chosen))


# -- aggregator headers ----------------------------------------------------------------------------


def _header_guesses(lines: tuple[Line, ...]) -> list[Guess]:
    fields: list[tuple[str, str, Line]] = []
    for line in lines:
        if line.kind is not LineKind.HEADER:
            continue
        match = _HEADER.match(line.text)
        field = _HEADER_FIELDS.get(_fold_key(match.group("key"))) if match else None
        if match and field:
            fields.append((field, match.group("value"), line))
    outlet = next((_link_text(v) for f, v, _ in fields if f == "outlet"), None)
    guesses = []
    for field, value, line in fields:
        parsed = _header_value(field, value, outlet)
        if parsed:
            guesses.append(Guess(field, parsed, line.number, line.text.strip()))
    return guesses


def _header_value(field: str, value: str, outlet: str | None) -> str | None:
    if field == "title":
        # Aggregators append the outlet: "Defense minister meets … - 코리아타임스".
        return value.removesuffix(f" - {outlet}").strip() if outlet else value
    if field == "outlet":
        return _link_text(value)
    if field == "published":
        date = parse_date(value)
        return date.iso() if date else None
    if field == "url":
        url = _URL.match(value)
        return url.group(0) if url else None
    return value


def _link_text(value: str) -> str:
    """`[코리아타임스](https://…)` → `코리아타임스`."""
    link = _MARKDOWN_LINK.match(value.strip())
    return link.group("text").strip() if link else value.strip()


def _fold_key(key: str) -> str:
    decomposed = unicodedata.normalize("NFKD", key.strip().casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


# -- headline, byline, timestamps, credit -------------------------------------------------------------


def _headline_guesses(lines: tuple[Line, ...]) -> list[Guess]:
    """The first line is a headline when it is a short line that does not end like a sentence."""
    first = next((line for line in lines if line.kind is not LineKind.BLANK), None)
    if first is None or first.kind is not LineKind.CHROME:
        return []
    text = first.text.strip()
    words = text.split()
    if not 3 <= len(words) <= MAX_HEADLINE_WORDS or text.endswith((".", ":")) or _BYLINE.match(text):
        return []
    if _NUMERIC_DATE.search(text) or _EMAIL.search(text) or _URL.search(text):
        return []
    return [Guess("title", text, first.number, text)]


def _byline_guesses(lines: tuple[Line, ...]) -> list[Guess]:
    guesses = []
    for line in lines:
        if line.kind not in (LineKind.CHROME, LineKind.HEADER):
            continue
        match = _BYLINE.match(line.text.strip())
        if match:
            name = match.group("by") or match.group("name")
            guesses.append(Guess("author", name.strip(), line.number, line.text.strip()))
    return guesses


def _timestamp_guesses(lines: tuple[Line, ...]) -> list[Guess]:
    """Dates on non-body lines: first-published stamps first, bare timestamps next, modified last."""
    first, bare, modified = [], [], []
    blank_first_published = any(
        line.text.strip() in _FIRST_PUBLISHED for line in lines if line.kind is not LineKind.BODY
    )
    for line in lines:
        if line.kind not in (LineKind.CHROME,):
            continue
        text = line.text.strip()
        date = parse_date(text)
        if date is None:
            continue
        if text.startswith(_FIRST_PUBLISHED):
            first.append(Guess("published", date.iso(), line.number, text))
        elif text.startswith(_MODIFIED):
            caveat = "this is when the page was last modified"
            if blank_first_published:
                caveat += "; the first-published (입력/Input) line is blank, so it may have appeared earlier"
            modified.append(Guess("published", date.iso(), line.number, text, caveat))
        else:
            bare.append(Guess("published", date.iso(), line.number, text))
    return [*first, *bare, *modified]


def _credit_guesses(lines: tuple[Line, ...]) -> list[Guess]:
    for line in lines:
        if line.kind is LineKind.BODY:
            credit = agency_credit(line.text)
            if credit:
                return [Guess("credit", credit, line.number, _tail(line.text))]
    return []


def parse_date(text: str) -> PartialDate | None:
    """The first calendar date in a line: `2025.10.21.`, `2025-10-20 17:15:20`, `Oct. 21, 2025`."""
    numeric = _NUMERIC_DATE.search(text)
    if numeric:
        return _date(int(numeric["y"]), int(numeric["m"]), int(numeric["d"]))
    worded = _WORDED_DATE.search(text)
    if worded:
        month_name = (worded["m1"] or worded["m2"])[:3].lower()
        if month_name in _MONTHS:
            return _date(int(worded["y"]), _MONTHS.index(month_name) + 1, int(worded["d1"] or worded["d2"]))
    return None


def _date(year: int, month: int, day: int) -> PartialDate | None:
    try:
        return PartialDate.parse(f"{year:04d}-{month:02d}-{day:02d}")
    except ValueError:
        return None


# -- consistency and findings -------------------------------------------------------------------------


def _cross_checked(chosen: dict[str, Guess]) -> dict[str, Guess]:
    """Flag a URL whose path names a different year and month than the date (a re-published page?)."""
    url, published = chosen.get("url"), chosen.get("published")
    path_date = _URL_YEAR_MONTH.search(url.value) if url else None
    if not (url and published and path_date) or published.value.startswith("-".join(path_date.groups())):
        return chosen
    clash = f"the URL's path says {'/'.join(path_date.groups())}, the date says {published.value}: check which is right"
    return {
        **chosen,
        "url": _with_caveat(url, clash),
        "published": _with_caveat(published, clash),
    }


def _with_caveat(guess: Guess, caveat: str) -> Guess:
    joined = f"{guess.caveat}; {caveat}" if guess.caveat else caveat
    return Guess(guess.field, guess.value, guess.line, guess.evidence, joined)


def _findings(lines: tuple[Line, ...], chosen: dict[str, Guess]) -> tuple[Finding, ...]:
    found: list[Finding] = []
    first_body = next((line for line in lines if line.kind is LineKind.BODY), None)
    place = dateline(first_body.text) if first_body else None
    if first_body and place:
        found.append(Finding("dateline", place, first_body.number))
    used_url = chosen["url"].value if "url" in chosen else None
    for line in lines:
        found.extend(Finding("e-mail", email, line.number) for email in _EMAIL.findall(line.text))
        found.extend(Finding("URL in the text", url, line.number) for url in _URL.findall(line.text) if url != used_url)
    return tuple(found)


def _tail(text: str, limit: int = 60) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else "…" + text[-limit:]
