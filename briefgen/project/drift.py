"""Drift: what changed in an article since briefs.lock.json recorded where its quotes sat.

When an article file is replaced by a newer copy, `check` compares it with the lock: a quote still
found elsewhere has *moved*; one found where the text around it differs sits in *changed* context;
one no longer found is an error whose hint shows what the article now says between the old prefix
and suffix (the TextQuoteSelector's context).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass

from briefgen.errors import Diagnostic, Location, Severity
from briefgen.project.load import LoadedProject, Unreadable
from briefgen.project.lock import Lock, LockedArticle, LockedQuote, LockProblem, digest, lock_path, parse_lock
from briefgen.project.model import Citation, Project
from briefgen.project.yamldoc import PathKey, YamlDocument
from briefgen.text.quotes import IndexedText, find_quote, normalize


class LockDrift:
    """The lock file as read for one check, and how the project's articles differ from it."""

    def __init__(self, loaded: LoadedProject) -> None:
        self.config = loaded.config
        self.lock, self.problem = _read_lock(loaded)

    def changed(self, file: str, article: IndexedText) -> LockedArticle | None:
        """The lock's record of an article that has changed since (None if unchanged or unrecorded)."""
        locked = self.lock.articles.get(file) if self.lock else None
        return locked if locked is not None and locked.sha256 != digest(article) else None

    def missing_quote_hint(self, file: str, article: IndexedText, quote: str) -> tuple[LockedQuote, str | None] | None:
        """For a quote not found in a changed article: where it was locked, and what the article now
        says there (None for the hint when the text around it is gone too); None if never locked."""
        locked = self.changed(file, article)
        place = locked.find(quote) if locked else None
        return (place, relocate(file, place, article)) if place is not None else None

    def warnings(
        self,
        doc: YamlDocument,
        project: Project,
        cited: Iterable[tuple[PathKey, Citation]],
        articles: Mapping[str, IndexedText],
    ) -> Iterator[Diagnostic]:
        """Articles changed since the lock was written, and their quotes that moved or changed context."""
        if self.problem:
            where = Location(lock_path(self.config), 1, 1)  # the whole file, from its start
            yield Diagnostic(where, self.problem, "the next `briefgen render` or `briefgen lock` rewrites it", WARN)
        # Which articles changed first, from the sources: with none (or no lock), the citations
        # need not be looked at (12,200 of them took 20-30 ms at the end of a check).
        changed = {
            source_id: locked
            for source_id, article in articles.items()
            if (locked := self.changed(project.sources[source_id].file, article)) is not None
        }
        reported: set[str] = set()
        for path, cite in cited if changed else ():
            locked = changed.get(cite.source)
            if locked is None:
                continue
            file, article = project.sources[cite.source].file, articles[cite.source]
            if file not in reported:
                reported.add(file)
                yield Diagnostic(
                    doc.locate(("sources", cite.source, "file")),
                    f"{file} has changed since {lock_path(self.config).name} was written",
                    "every quote is still found; the next `briefgen render` or `briefgen lock` records the new version",
                    WARN,
                )
            place = locked.find(cite.quote)
            change = compare_quote(file, place, article) if place else None
            if change is not None:
                yield Diagnostic(doc.locate((*path, "quote")), change.message, change.hint, WARN)


WARN = Severity.WARNING


def _read_lock(loaded: LoadedProject) -> tuple[Lock | None, str | None]:
    """The parsed lock file, or why it cannot be used (a warning: briefgen rewrites it anyway)."""
    if loaded.lock is None:
        return None, None
    if isinstance(loaded.lock, Unreadable):
        return None, f"cannot read the lock file: {loaded.lock.message}"
    try:
        return parse_lock(loaded.lock), None
    except LockProblem as problem:
        return None, f"ignoring the lock file: {problem}"


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
