"""Claim-support findings remembered per fact, so that a save re-examines only the facts it changed.

A fact's findings depend on nothing but the fact itself, the text of its quotes' articles and
where each quote stands in them, and the project's entities (the names the rules know), and on
the rules' own code. The key of a fact's findings is a hash of exactly those; a fact whose key is
unchanged gets the findings it had. Locating a finding in briefs.yaml is not part of them (it is
done afresh each run), so facts that merely moved keep their findings too.

The memo lives in the process (a watch keeps it between saves) and, for `check` and `render` in
a fresh process, in `.briefgen-cache/claims.json` beside briefs.yaml (result_cache.py), which the
build layer reads and saves (build/api.py; validation never touches it): a file that is missing,
unreadable or written for other rules only means every fact is examined again.
"""

from __future__ import annotations

import contextlib
import hashlib
import marshal
from collections.abc import Iterable, Mapping
from functools import cache
from pathlib import Path
from typing import Any

from briefgen.project import result_cache
from briefgen.project.claims import Finding
from briefgen.project.model import Fact, Project
from briefgen.project.values import WarningKind


# The modules whose code decides what the rules find: a change to any of them is a change of rules.
@cache
def rules_digest() -> str:
    """A hash of the rules' code (all of briefgen's, see result_cache.code_digest) and of the
    stemmer's version (snowballstemmer's, and its C backend's if installed): results of other rules
    are never reused."""
    from importlib import metadata  # noqa: PLC0415 - only when a memo is used

    stemmer = metadata.version("snowballstemmer")  # the stemmer shapes what the rules compare
    with contextlib.suppress(metadata.PackageNotFoundError):
        stemmer += f" PyStemmer {metadata.version('PyStemmer')}"
    return hashlib.sha256(f"{result_cache.code_digest()}\0{stemmer}".encode()).hexdigest()


class ClaimMemo:
    """Findings by fact key; `start_run`/`finish_run` keep only what the last run used."""

    def __init__(self, entries: Mapping[str, tuple[Finding, ...]] | None = None) -> None:
        self.entries: dict[str, tuple[Finding, ...]] = dict(entries or {})
        self.used: dict[str, tuple[Finding, ...]] = {}
        self.hits = self.misses = 0
        self.unsaved = False  # changed since it was last saved: set by finish_run, cleared by save

    def start_run(self) -> None:
        self.used = {}
        self.hits = self.misses = 0

    def get(self, key: str) -> tuple[Finding, ...] | None:
        found = self.entries.get(key)
        if found is None:
            self.misses += 1
        else:
            self.hits += 1
            self.used[key] = found
        return found

    def put(self, key: str, findings: Iterable[Finding]) -> tuple[Finding, ...]:
        self.used[key] = kept = tuple(findings)
        return kept

    def finish_run(self) -> bool:
        """Forget the facts this run did not have; whether anything changed (then it is worth saving)."""
        changed = self.misses > 0 or len(self.used) != len(self.entries)
        self.entries, self.used = self.used, {}
        self.unsaved |= changed
        return changed

    # -- as JSON-ready data (save stores it) ---------------------------------------------

    def to_data(self) -> dict[str, Any]:
        return {
            key: [[f.kind.value, list(f.field), f.start, f.message, f.hint] for f in findings]
            for key, findings in self.entries.items()
        }

    @classmethod
    def from_data(cls, data: object) -> ClaimMemo:
        """The memo a file held; anything malformed in it is dropped, entry by entry."""
        entries: dict[str, tuple[Finding, ...]] = {}
        if isinstance(data, dict):
            for key, raw in data.items():
                findings = _findings(raw)
                if isinstance(key, str) and findings is not None:
                    entries[key] = findings
        return cls(entries)


def _findings(raw: object) -> tuple[Finding, ...] | None:
    if not isinstance(raw, list):
        return None
    found = []
    for item in raw:
        if not (isinstance(item, list) and len(item) == 5):
            return None
        kind, field, start, message, hint = item
        if not (
            isinstance(field, list)
            and all(isinstance(part, str) for part in field)
            and type(start) is int
            and isinstance(message, str)
            and isinstance(hint, str)
            and kind in _KINDS
        ):
            return None
        found.append(Finding(WarningKind(kind), tuple(field), start, message, hint))
    return tuple(found)


_KINDS = frozenset(kind.value for kind in WarningKind)


class FactKeys:
    """Computes each fact's key: the rules, the entities, the fact, and its quotes' articles."""

    def __init__(self, project: Project, articles: Mapping[str, str]) -> None:
        entities = hashlib.sha256(rules_digest().encode())
        for entity_id, entity in project.entities.items():
            entities.update(f"{entity_id}\0".encode() + entity.model_dump_json().encode() + b"\0")
        self._base = entities.digest()
        self._articles = articles
        self._article_digests: dict[str, bytes] = {}

    def key(self, fact: Fact, raw: Any, starts: Mapping[tuple[str, str], int]) -> str:
        """`raw`: the fact as briefs.yaml gives it, from which `fact` was validated."""
        hasher = hashlib.sha256(self._base)
        hasher.update(_fact_bytes(fact, raw))
        for cite in fact.cite:
            hasher.update(b"\0" + self._article(cite.source) + str(starts.get((cite.source, cite.quote), 0)).encode())
        return hasher.hexdigest()

    def _article(self, source_id: str) -> bytes:
        found = self._article_digests.get(source_id)
        if found is None:
            text = self._articles.get(source_id)
            raw = b"-" if text is None else b"+" + text.encode("utf-8", "surrogatepass")
            found = self._article_digests[source_id] = hashlib.sha256(raw).digest()
        return found


def _fact_bytes(fact: Fact, raw: Any) -> bytes:
    """The fact's values, exactly: the YAML values it was validated from, in marshal's format 2 (which
    writes a value alike whatever objects hold it, unlike later formats: one that is interned, or
    shared, is written as a reference), in a third of the time the model's JSON takes. A value that
    marshal cannot write (none the YAML reading gives) falls back to that JSON."""
    try:
        return b"m" + marshal.dumps(raw, 2)
    except ValueError:
        return b"j" + fact.model_dump_json().encode()


PROCESS_MEMO = ClaimMemo()  # a watch's saves share it; a fresh process fills it from disk (memo_for)


_FORMAT = "briefgen-claims/1"
_FILE = "claims.json"
_read_from: set[Path] = set()


def memo_for(root: Path) -> ClaimMemo:
    """The process's memo, with what `root`'s cache holds added the first time `root` is checked."""
    if root not in _read_from:
        _read_from.add(root)
        data = result_cache.read(root, _FILE, f"{_FORMAT} {rules_digest()}")
        if data is not None:
            PROCESS_MEMO.entries.update(ClaimMemo.from_data(data).entries)
    return PROCESS_MEMO


def save(root: Path, memo: ClaimMemo) -> None:
    """Store the memo in `root`'s cache if it changed since it was last saved (see result_cache.write)."""
    if not memo.unsaved or not result_cache.storing():
        return  # unchanged; or (add, suggest) only reading: still unsaved for a later check to store
    memo.unsaved = False
    result_cache.write(root, _FILE, f"{_FORMAT} {rules_digest()}", memo.to_data())
