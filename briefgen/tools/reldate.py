"""Relative dates in a drafted fact ("on Monday", "last month", "in July"), resolved from the
article's publication date.

News writing dates events relative to the day of publication: "said Thursday" is the day the
article appeared or the one before it, "on Wednesday" the latest Wednesday up to that day, "in
July" the latest July up to that month. Each result is an inference (`basis: inferred`), and its
note names the published date and the words it was read from, so that the curator can check it.
Only the most common forms are read; anything else is left for the curator.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass

from briefgen.project.values import PartialDate, Precision

_MONTHS = tuple(m.lower() for m in calendar.month_name[1:])
_WEEKDAYS = tuple(d.lower() for d in calendar.day_name)
_RELATIVE = re.compile(
    r"\b(?:(?P<weekday>Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)"
    r"|(?P<month>January|February|March|April|May|June|July|August|September|October|November|December)"
    r"(?!\s\d{1,2},?\s(?:19|20)\d{2})(?!,?\s(?:19|20)\d{2})(?:\s(?P<day>\d{1,2})\b)?"
    r"|(?P<last>(?i:last|this|earlier this|later this)\s(?i:month|year))"
    r"|\b[Tt]he\s(?P<nth>\d{1,2})(?:st|nd|rd|th)\b"
    r"|(?P<near>(?i:yesterday|today)))\b"
)


@dataclass(frozen=True)
class ResolvedDate:
    value: PartialDate
    words: str  # as the sentence has them
    note: str


def resolve(sentence: str, published: PartialDate) -> ResolvedDate | None:
    """The date of the first relative time expression in `sentence` that `published` can fix."""
    for match in _RELATIVE.finditer(sentence):
        value = _resolved(match, published)
        if value is not None:
            words = match.group(0)
            note = (
                f"resolved by briefgen add from the words {words!r}, read from the article's published date "
                f"{published.iso()} ({_human(published)}); check it against the text"
            )
            return ResolvedDate(value, words, note)
    return None


def _resolved(match: re.Match[str], published: PartialDate) -> PartialDate | None:
    base = published.as_date()
    if published.precision is not Precision.DAY and (match["weekday"] or match["near"] or match["nth"]):
        return None
    if match["weekday"]:
        back = (base.weekday() - _WEEKDAYS.index(match["weekday"].lower())) % 7
        return _partial(base - dt.timedelta(days=back))
    if match["near"]:
        return _partial(base - dt.timedelta(days=match["near"].lower() == "yesterday"))
    if match["month"]:
        return _month(match, published)
    if match["nth"]:
        return _day_of_month(int(match["nth"]), published)
    return _last_or_this(match["last"].lower().split()[-2:], published)


def _day_of_month(day: int, published: PartialDate) -> PartialDate | None:
    """`on the 20th`: in the published month if not after the published day, else the month before."""
    if published.precision is not Precision.DAY:
        return None
    year, month = published.year, published.month
    if day > published.day:
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    try:
        dt.date(year, month, day)
    except ValueError:
        return None
    return PartialDate(year, month, day)


def _last_or_this(words: list[str], published: PartialDate) -> PartialDate | None:
    """`last month`, `this month`, `last year`, `this year`."""
    if words[1] == "year":
        return PartialDate(published.year - (words[0] == "last"))
    if not published.month:
        return None
    if words[0] == "this":
        return PartialDate(published.year, published.month)
    year, month = (published.year, published.month - 1) if published.month > 1 else (published.year - 1, 12)
    return PartialDate(year, month)


def _month(match: re.Match[str], published: PartialDate) -> PartialDate | None:
    """`in July` / `July 20`: in the published year if not after the published month, else the year before."""
    if not published.month:
        return None
    month = _MONTHS.index(match["month"].lower()) + 1
    year = published.year if month <= published.month else published.year - 1
    if not match["day"]:
        return PartialDate(year, month)
    try:
        dt.date(year, month, int(match["day"]))
    except ValueError:
        return None
    return PartialDate(year, month, int(match["day"]))


def _partial(date: dt.date) -> PartialDate:
    return PartialDate(date.year, date.month, date.day)


def _human(date: PartialDate) -> str:
    if date.precision is Precision.DAY:
        return f"{_WEEKDAYS[date.as_date().weekday()].title()} {date.human()}"
    return date.human()
