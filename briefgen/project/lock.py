"""The lock file: where every quote sat in its article when the project was last rendered or locked.

`briefs.lock.json`, beside briefs.yaml, is written by briefgen only (by `render` and `lock`), never
by hand. For each article it records a SHA-256 of its text and, for each quote, W3C Web Annotation
selectors: a TextQuoteSelector (`exact` with 32 characters of `prefix` and `suffix`) and a
TextPositionSelector (`start`/`end`, in characters), plus line and column for people. When an
article file is replaced by a newer copy, `check` compares: a quote still found elsewhere has
*moved*; one found where the text around it differs sits in *changed* context; one no longer
found is an error whose hint shows what the article now says between the old prefix and suffix.

Pure: the caller reads and writes the file; this module parses, builds, serialises and compares.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Any

from briefgen.project.model import Citation, Project
from briefgen.project.yamldoc import PathKey
from briefgen.text.quotes import IndexedText, Passage, find_quote, normalize

LOCK_VERSION = 1
CONTEXT_CHARS = 32
ABOUT = "Written by briefgen (render, lock); do not edit. Where each quote of briefs.yaml sits in its article."


def lock_path(config: Path) -> Path:
    """`briefs.yaml` → `briefs.lock.json`, beside it."""
    return config.with_name(f"{config.stem}.lock.json")


@dataclass(frozen=True, order=True)
class LockedQuote:
    """A quote's place in the article, as W3C TextPositionSelector and TextQuoteSelector say it."""

    start: int
    end: int
    exact: str
    prefix: str
    suffix: str
    line: int
    column: int

    @classmethod
    def at(cls, article: IndexedText, passage: Passage) -> LockedQuote:
        text = article.original
        return cls(
            passage.start,
            passage.end,
            passage.text,
            text[max(passage.start - CONTEXT_CHARS, 0) : passage.start],
            text[passage.end : passage.end + CONTEXT_CHARS],
            passage.line,
            passage.column,
        )

    @property
    def where(self) -> str:
        return f"{self.line}:{self.column}"


@dataclass(frozen=True)
class LockedArticle:
    sha256: str
    quotes: tuple[LockedQuote, ...]

    def find(self, quote: str) -> LockedQuote | None:
        """The locked place of a quote as briefs.yaml writes it (compared in normalised form)."""
        wanted = normalize(quote)
        return next((q for q in self.quotes if normalize(q.exact) == wanted), None)


@dataclass(frozen=True)
class Lock:
    articles: Mapping[str, LockedArticle]  # by the source's `file`


class LockProblem(ValueError):
    """The lock file is not one briefgen wrote (or not of this version)."""


def digest(article: IndexedText) -> str:
    return hashlib.sha256(article.original.encode("utf-8")).hexdigest()


def citations(project: Project) -> Iterator[tuple[PathKey, Citation]]:
    """Every citation of the project (facts, then entity roles) with its place in briefs.yaml."""
    for index, fact in enumerate(project.facts):
        for i, cite in enumerate(fact.cite):
            yield ("facts", index, "cite", i), cite
    for entity_id, entity in project.entities.items():
        for r, role in enumerate(entity.roles):
            for i, cite in enumerate(role.cite):
                yield ("entities", entity_id, "roles", r, "cite", i), cite


def build_lock(project: Project, articles: Mapping[str, IndexedText]) -> Lock:
    """The lock for a valid project: `articles` by source id, the lock keyed by their files."""
    quotes: dict[str, set[LockedQuote]] = {}
    texts: dict[str, IndexedText] = {}
    for _, cite in citations(project):
        file, article = project.sources[cite.source].file, articles[cite.source]
        texts[file] = article
        passage = find_quote(article, cite.quote)
        if passage is not None:
            quotes.setdefault(file, set()).add(LockedQuote.at(article, passage))
    return Lock({file: LockedArticle(digest(texts[file]), tuple(sorted(quotes[file]))) for file in sorted(quotes)})


def dump_lock(lock: Lock) -> bytes:
    """Deterministic JSON: same project, same bytes — those of `json.dumps(..., indent=2)`.

    The quotes are written through a template (strings escaped by json's C encoder): the indenting
    encoder is pure Python and took ~0.4 s for 12,000 quotes, on every render.
    """
    data = {
        "about": ABOUT,
        "version": LOCK_VERSION,
        "articles": {file: {"sha256": article.sha256, "quotes": _QUOTES} for file, article in lock.articles.items()},
    }
    pieces = json.dumps(data, ensure_ascii=False, indent=2).split(json.dumps(_QUOTES))
    out = [pieces[0]]
    for article, piece in zip(lock.articles.values(), pieces[1:], strict=True):  # placeholders in article order
        quotes = ",\n".join(_quote_text(q) for q in article.quotes)
        out += [f"[\n{quotes}\n      ]" if quotes else "[]", piece]
    return ("".join(out) + "\n").encode("utf-8")


_QUOTES = "\0quotes\0"  # a placeholder: as JSON, "\u0000quotes\u0000" — no key or value of ours contains it
_QUOTE_TEMPLATE = """\
        {{
          "selector": [
            {{
              "type": "TextQuoteSelector",
              "prefix": {prefix},
              "exact": {exact},
              "suffix": {suffix}
            }},
            {{
              "type": "TextPositionSelector",
              "start": {start},
              "end": {end}
            }}
          ],
          "line": {line},
          "column": {column}
        }}"""


def _quote_text(quote: LockedQuote) -> str:
    """`_quote_json(quote)` as json.dumps(indent=2) writes it inside the lock file."""
    string = partial(json.dumps, ensure_ascii=False)
    return _QUOTE_TEMPLATE.format(
        prefix=string(quote.prefix),
        exact=string(quote.exact),
        suffix=string(quote.suffix),
        start=int(quote.start),
        end=int(quote.end),
        line=int(quote.line),
        column=int(quote.column),
    )


def _quote_json(quote: LockedQuote) -> dict[str, Any]:
    return {
        "selector": [
            {"type": "TextQuoteSelector", "prefix": quote.prefix, "exact": quote.exact, "suffix": quote.suffix},
            {"type": "TextPositionSelector", "start": quote.start, "end": quote.end},
        ],
        "line": quote.line,
        "column": quote.column,
    }


def parse_lock(text: str) -> Lock:
    """Read a lock file; LockProblem says why one cannot be used."""
    try:
        data = json.loads(text)
        if data.get("version") != LOCK_VERSION:
            raise LockProblem(f"version {data.get('version')!r}, expected {LOCK_VERSION}")
        return Lock({file: _article(entry) for file, entry in data["articles"].items()})
    # RecursionError: json.loads recurses, so `[[[[…` nested deeper than Python's stack is a bad file too.
    except (ValueError, KeyError, TypeError, AttributeError, IndexError, RecursionError) as exc:
        if isinstance(exc, LockProblem):
            raise
        raise LockProblem(f"not a briefgen lock file ({type(exc).__name__}: {exc})") from None


def _article(entry: dict[str, Any]) -> LockedArticle:
    quotes = []
    for item in entry["quotes"]:
        by_type = {selector["type"]: selector for selector in item["selector"]}
        text, position = by_type["TextQuoteSelector"], by_type["TextPositionSelector"]
        quotes.append(
            LockedQuote(
                int(position["start"]),
                int(position["end"]),
                str(text["exact"]),
                str(text["prefix"]),
                str(text["suffix"]),
                int(item["line"]),
                int(item["column"]),
            )
        )
    return LockedArticle(str(entry["sha256"]), tuple(quotes))


# -- comparing a replaced article with its locked version ------------------------------------------------


@dataclass(frozen=True)
class QuoteChange:
    """What happened to a locked quote in the current article; `message` says it for a diagnostic."""

    message: str
    hint: str | None = None


def compare_quote(file: str, locked: LockedQuote, article: IndexedText) -> QuoteChange | None:
    """Moved, or context changed, for a quote still found; None when it sits where it did."""
    found = find_quote(article, locked.exact)
    if found is None:
        return None  # not found: an error, whose hint comes from relocate()
    now = LockedQuote.at(article, found)
    same_context = normalize(now.prefix) == normalize(locked.prefix) and normalize(now.suffix) == normalize(
        locked.suffix
    )
    if now.start == locked.start and same_context:
        return None
    message = (
        f"quote moved in {file}: from {locked.where} to {now.where}"
        if now.start != locked.start
        else f"the text around this quote changed in {file}:{now.where}"
    )
    if same_context:
        return QuoteChange(message, "the quote and the text around it are unchanged; the next render records the move")
    return QuoteChange(
        message + (", and the text around it changed" if now.start != locked.start else ""),
        f"was “…{_squash(locked.prefix)}[quote]{_squash(locked.suffix)}…”, "
        f"now “…{_squash(now.prefix)}[quote]{_squash(now.suffix)}…”; check the quote still supports the claim",
    )


def relocate(file: str, locked: LockedQuote, article: IndexedText) -> str | None:
    """What the article now says where a quote that is no longer found used to be, or None when the
    text around it is gone too.

    The old prefix and suffix (the TextQuoteSelector's context) anchor the place; the text between
    them is what the quote became.
    """
    region = _between(article, locked.prefix, locked.suffix, len(normalize(locked.exact)))
    if region is None:
        return None
    line, column = article.line_column(region[0])
    now = _squash(article.original[region[0] : region[1]])
    return (
        f"it was at {file}:{locked.where} when locked; between the same surrounding words the article now "
        f"reads ({file}:{line}:{column}): “{now}”"
    )


def _between(article: IndexedText, prefix: str, suffix: str, length: int) -> tuple[int, int] | None:
    """Original offsets of the text between the first prefix…suffix pair no further apart than the
    quote was long, plus slack; None when either anchor is missing."""
    text = article.normalized
    before, after = normalize(prefix), normalize(suffix)
    if not before or not after:
        return None
    for start in _occurrences(text, before):
        begin = start + len(before)
        end = text.find(after, begin, begin + 2 * length + 200)
        if end > begin:
            # Trim the space the normalised text keeps between the anchor and the passage.
            while begin < end and text[begin] == " ":
                begin += 1
            while end > begin and text[end - 1] == " ":
                end -= 1
            return article.original_span(begin, end) if end > begin else None
    return None


def _occurrences(text: str, needle: str) -> Iterator[int]:
    at = text.find(needle)
    while at >= 0:
        yield at
        at = text.find(needle, at + 1)


def _squash(text: str) -> str:
    return " ".join(text.split())
