"""Where each quote was found, remembered by the article's text and the quote, so that a check
after an edit searches only the quotes of articles or facts that changed.

A passage depends on nothing but the article's exact text (its SHA-256), the quote and the search
code (text/quotes.py); the key covers all three. Only quotes that were found are remembered: a
quote that is not is searched for, and explained, every time. Kept in the process (a watch) and in
`.briefgen-cache/quotes.json` beside briefs.yaml (see result_cache.py), which the build layer reads
and saves (build/api.py; validation never touches it).
"""

from __future__ import annotations

import hashlib
from functools import cache
from pathlib import Path

from briefgen.project import result_cache
from briefgen.text.quotes import IndexedText, Passage, find_quote

_FORMAT = "briefgen-quotes/1"
_FILE = "quotes.json"
Place = tuple[int, int, int, int]  # start, end, line, column of the passage in the original text
Key = tuple[str, str]  # the article's SHA-256 and the quote


@cache
def _search_digest() -> str:
    return result_cache.code_digest()  # the search code, and all it uses


def _stored_key(key: Key) -> str:
    """The key as a cache file holds it: one hash of both, so the file does not repeat every quote."""
    article, quote = key
    return hashlib.sha256(f"{article}\0{quote}".encode("utf-8", "surrogatepass")).hexdigest()


class QuoteMemo:
    def __init__(self) -> None:
        self.entries: dict[Key, Place] = {}  # what the last run used
        # Read from a cache file and not used yet: looked up by _stored_key, which costs a hash per
        # quote, and so only while there are such entries (not on a cold run, nor after the first).
        self.stored: dict[str, Place] = {}
        self.used: dict[Key, Place] = {}
        self.searched = 0
        self.unsaved = False  # changed since it was last saved: set by finish_run, cleared by save

    def start_run(self) -> None:
        self.used, self.searched = {}, 0

    def find(self, article: IndexedText, quote: str, needle: str | None = None) -> Passage | None:
        """find_quote(article, quote), remembered (`needle`: the quote normalised, if known)."""
        key = (article.sha256, quote)
        place = self.entries.get(key)
        if place is None and self.stored:
            place = self.stored.get(_stored_key(key))
        if place is None:
            self.searched += 1
            passage = find_quote(article, quote, needle=needle)
            if passage is not None:
                self.used[key] = (passage.start, passage.end, passage.line, passage.column)
            return passage
        self.used[key] = place
        start, end, line, column = place
        return Passage(start, end, article.original[start:end], line, column)

    def learn(self, places: dict[Key, Place]) -> None:
        """Places another process of this run found (a forked helper, claims_ahead.py): used as if
        remembered. A place is for an article's exact text (its digest), as any remembered one is."""
        self.entries.update(places)

    def finish_run(self) -> bool:
        """Keep what this run used; whether that differs from what was kept before."""
        changed = self.searched > 0 or len(self.used) != len(self.entries) + len(self.stored)
        self.entries, self.stored, self.used = self.used, {}, {}
        self.unsaved |= changed
        return changed


PROCESS_MEMO = QuoteMemo()
_read_from: set[Path] = set()


def memo_for(root: Path) -> QuoteMemo:
    """The process's memo, with what `root`'s cache holds added the first time `root` is checked."""
    if root not in _read_from:
        _read_from.add(root)
        data = result_cache.read(root, _FILE, f"{_FORMAT} {_search_digest()}")
        if isinstance(data, dict):
            for key, place in data.items():
                if isinstance(place, list) and len(place) == 4 and all(type(n) is int and n >= 0 for n in place):
                    PROCESS_MEMO.stored[key] = (place[0], place[1], place[2], place[3])
    return PROCESS_MEMO


def save(root: Path, memo: QuoteMemo) -> None:
    """Store the memo in `root`'s cache if it changed since it was last saved (see result_cache.write)."""
    if not memo.unsaved or not result_cache.storing():
        return  # unchanged; or (add, suggest) only reading: still unsaved for a later check to store
    memo.unsaved = False
    data = {_stored_key(key): list(place) for key, place in memo.entries.items()}
    data.update((key, list(place)) for key, place in memo.stored.items())
    result_cache.write(root, _FILE, f"{_FORMAT} {_search_digest()}", data)
