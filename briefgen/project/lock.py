"""The lock file: where every quote sat in its article when the project was last rendered or locked.

`briefs.lock.json`, beside briefs.yaml, is written by briefgen only (by `render` and `lock`), never
by hand. For each article it records a SHA-256 of its text and, for each quote, W3C Web Annotation
selectors: a TextQuoteSelector (`exact` with 32 characters of `prefix` and `suffix`) and a
TextPositionSelector (`start`/`end`, in characters), plus line and column for people. When an
article file is replaced by a newer copy, `check` compares it with this record (drift.py).

Pure: the caller reads and writes the file; this module parses, builds and serialises it.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Any

from briefgen.text.quotes import IndexedText, Passage, normalize

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
    return article.sha256


def build_lock(located: Iterable[tuple[str, IndexedText, Passage]]) -> Lock:
    """The lock for a valid project, from each citation's article file, article text and passage."""
    quotes: dict[str, set[LockedQuote]] = {}
    texts: dict[str, IndexedText] = {}
    for file, article, passage in located:
        texts[file] = article
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
