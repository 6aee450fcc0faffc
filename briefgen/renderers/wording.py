"""The words every output uses the same way: dates with their basis, honest citations.

Plain text only; each renderer escapes it for its own markup language (markup.py), and the JSON
output carries it as is, so a wiki page, a handout and a dashboard say exactly the same thing.
"""

from __future__ import annotations

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
