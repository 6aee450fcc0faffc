"""The words every output uses the same way: dates with their basis, honest citations.

Plain text only; each renderer escapes it for its own markup language (markup.py), and the JSON
output carries it as is, so a wiki page, a handout and a dashboard say exactly the same thing.
"""

from __future__ import annotations

from collections.abc import Sequence

from briefgen.project.model import Source
from briefgen.project.values import AttestedDate, AttestedText, AttestedUrl, Basis, PartialDate


def date_text(value: AttestedDate | PartialDate | None, *, undated: str = "n.d.", bracketed: bool = False) -> str:
    """A date as a reader should see it, with its basis when not stated: `20 October 2025 (inferred)`.

    `bracketed` gives the bibliographic form used in notes: `[date inferred: April 2025]`.
    """
    if value is None:
        return undated
    if isinstance(value, PartialDate):
        return value.human()
    text = ("c. " if value.approximate else "") + value.value.human()
    if value.basis is Basis.STATED:
        return text
    return f"[date {value.basis.value}: {text}]" if bracketed else f"{text} ({value.basis.value})"


def _marked(label: str, field: AttestedText | None, quoted: bool = False) -> str:
    if field is None:
        return f"[{label} not stated]"
    text = f"“{field.value}”" if quoted else field.value
    return text if field.basis is Basis.STATED else f"{text} [{label} {field.basis.value} by curator]"


def citation_text(source: Source) -> str:
    """A source's note without its URL: author, title, outlet (credit), date — each honest.

    What the article does not say is written as not stated; what the curator supplied or inferred
    is marked so; a missing date is `n.d.`.
    """
    outlet = _marked("outlet", source.outlet)
    if source.credit:
        outlet += f" (credited to {source.credit})"
    parts = [
        _marked("author", source.author),
        _marked("title", source.title, True),
        outlet,
        date_text(source.published, bracketed=True),
    ]
    text = ", ".join(parts)
    return text if text.endswith(".") else text + "."


def url_marker(url: AttestedUrl) -> str | None:
    """`[URL supplied]` or `[URL inferred]` after an address the article does not state."""
    return None if url.basis is Basis.STATED else f"[URL {url.basis.value}]"


# Words a short title does not end on: "Seoul holds talks with" reads as cut off, "Seoul holds talks" does not.
_TRAILING_SMALL_WORDS = frozenset(
    "a an and as at by for from in into of on or over the to with".split()  # noqa: SIM905 - a word list
)
SHORT_TITLE_WORDS = 4  # Chicago: a short title has no more than four words


def short_title(title: str) -> str:
    """A title cut to its first four words (Chicago's short title), without a dangling small word or
    punctuation; a title of five words or fewer stays whole, since cutting it saves nothing."""
    words = title.split()
    if len(words) <= SHORT_TITLE_WORDS + 1:
        return " ".join(words)
    kept = words[:SHORT_TITLE_WORDS]
    while len(kept) > 1 and kept[-1].lower().strip(",.;:") in _TRAILING_SMALL_WORDS:
        kept.pop()
    return " ".join(kept).rstrip(",.;:–—-")


def short_citation_text(source: Source) -> str:
    """A later note's short form of a source (Chicago notes style): the author as the article gives
    it and the short title, `Hwang Joo-young, “Seoul holds talks”.`; without an author the short
    title alone; without a title the outlet (or `[untitled]`) and the date. Nothing is invented:
    each part comes from the full reference, which the first note gives."""
    parts: list[str] = []
    if source.author is not None:
        parts.append(source.author.value)
    if source.title is not None:
        parts.append(f"“{short_title(source.title.value)}”")
    else:
        parts.append(source.outlet.value if source.outlet is not None else "[untitled]")
        parts.append(date_text(source.published, bracketed=True))
    text = ", ".join(parts)
    return text if text.endswith(".") else text + "."


def short_citations(sources: Sequence[Source]) -> tuple[str, ...]:
    """The short form of each source (in the order given), made distinct where two would read
    alike: the date is added, then the outlet, then the source's position in the list."""
    forms = [short_citation_text(source) for source in sources]
    forms = _distinct(forms, [date_text(source.published, bracketed=True) for source in sources])
    forms = _distinct(forms, [_marked("outlet", source.outlet) for source in sources])
    return tuple(_distinct(forms, [f"source {index + 1}" for index in range(len(sources))]))


def _distinct(forms: list[str], extra: list[str]) -> list[str]:
    """Each form that more than one source shares, with its source's `extra` added."""
    return [
        f"{form.removesuffix('.')}, {more}." if forms.count(form) > 1 else form
        for form, more in zip(forms, extra, strict=True)
    ]
