"""Claim support of a whole project (claims.py has the rules): the facts whose findings the memo
knows (claims_memo.py) keep them, and the others are examined — in this process, or shared with a
forked helper (forked.py) when there are many and a CPU is free; then every finding is located in
briefs.yaml. What the caller does between starting a ClaimSupport and asking for its diagnostics
runs meanwhile (validate.py lints).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

from briefgen.cpus import MIN_FREE_CPU, CpuWindow
from briefgen.errors import Diagnostic, Severity
from briefgen.forked import ForkedHelper, may_fork
from briefgen.project.claims import fact_evidence, fact_findings
from briefgen.project.claims_entities import PeopleIndex
from briefgen.project.claims_memo import ClaimMemo, FactKeys
from briefgen.project.claims_text import Finding
from briefgen.project.model import Fact, Project
from briefgen.project.yamldoc import PathKey, YamlDocument
from briefgen.project.yamlspan import locate_in_value
from briefgen.text.names import NameMatcher

if TYPE_CHECKING:
    from briefgen.project.claims_ahead import ClaimsAhead

# A forked helper (forked.py) examines a share of the facts no memo knows while this process does
# the rest, when there are enough of them and a CPU is free besides ours. Measured on the 2-CPU
# development machine (bench/RESULTS.md, 2026-12-03): a fact takes ~45 µs to examine; the fork ~4
# ms and the findings of 6,000 facts ~3 ms to pickle back, but each process then copies the pages
# it writes that the other still shares (~13,000 page faults each, ~0.07 s, for 10,000 facts).
# For a project no check has seen, claims_ahead.py begins a helper before the project is read.
MIN_HELPED_FACTS = 2_000  # below this (~0.1 s of rules), the helper's cost is most of what it saves
# The helper's share of those facts: this process also lints the project meanwhile (validate.py),
# ~12 µs a fact, which for a project examined afresh is ~0.25 of its rules' time.
HELPER_SHARE = 0.6

_Examined = dict[int, tuple[Finding, ...]]  # findings by fact index


class ClaimSupport:
    """Claim support started: the facts whose findings a memo knows are looked up, and a forked
    helper is examining its share of the others (if `window` says a CPU is free for it); what the
    caller does before `diagnostics()` runs meanwhile. Used as a context manager, so that a helper
    is stopped when what runs meanwhile fails."""

    def __init__(
        self,
        project: Project,
        doc: YamlDocument,
        articles: Mapping[str, str],
        starts: Mapping[tuple[str, str], int],
        memo: ClaimMemo | None = None,
        *,
        window: CpuWindow | None = None,
        ahead: ClaimsAhead | None = None,
    ) -> None:
        self._project, self._doc, self._articles, self._starts, self._memo = project, doc, articles, starts, memo
        self._fact_keys = FactKeys(project, articles) if memo is not None else None
        self._keys: list[str] = [""] * len(project.facts)
        self._known: _Examined = {}
        self._matchers: tuple[NameMatcher, PeopleIndex] | None = None  # built for the first fact examined
        self._ahead = ahead
        self._helper: ForkedHelper[_Examined] | None = None
        # A helper begun at once (claims_ahead.py) keys and examines its share of the facts: they
        # are keyed here only if it read other files than this process did.
        theirs = ahead.share(doc) if ahead is not None else range(0)
        unknown = [index for index in range(len(project.facts)) if index not in theirs and self._unknown(index)]
        if ahead is not None:
            self._mine, self._theirs = unknown, list(theirs)
            return
        cut = len(unknown) - round(len(unknown) * HELPER_SHARE) if _helper_pays(len(unknown), window) else len(unknown)
        self._mine, self._theirs = unknown[:cut], unknown[cut:]
        if self._theirs:
            self._rules()[0].compile()  # what both processes use is made once, before the fork
            self._helper = ForkedHelper.start(lambda tell: self._examine(self._theirs))
            if self._helper is None:  # no process could be forked: all examined here
                self._mine, self._theirs = unknown, []

    def __enter__(self) -> ClaimSupport:
        return self

    def __exit__(self, *exc_info: object) -> None:
        for helper in (self._helper, self._ahead):
            if helper is not None:  # still running if what ran meanwhile failed or was interrupted
                helper.cancel()

    def diagnostics(self) -> list[Diagnostic]:
        """Every warning, in the order of the facts: this process's share examined now, the helper's
        collected (or examined here too, should the helper have failed)."""
        if self._ahead is not None and self._theirs:
            examined = self._from_ahead(self._ahead)
        else:
            if self._ahead is not None:  # it examined other facts (another text's): stopped, not waited for
                self._ahead.cancel()
            examined = self._examine(self._mine)
            if self._helper is not None:
                theirs = self._helper.result()
                examined.update(self._examine(self._theirs) if theirs is None else theirs)
        if self._memo is not None:
            for index, findings in examined.items():
                self._memo.put(self._keys[index], findings)
        found = self._known | examined
        return [
            self._diagnostic(index, fact, finding)
            for index, fact in enumerate(self._project.facts)
            for finding in found[index]
        ]

    def _unknown(self, index: int) -> bool:
        """Key the fact; whether the memo does not know it (then its findings are in `_known`)."""
        if self._memo is None or self._fact_keys is None:
            return True
        key = self._keys[index] = self._fact_keys.key(
            self._project.facts[index], self._doc.data["facts"][index], self._starts
        )
        findings = self._memo.get(key)
        if findings is not None:
            self._known[index] = findings
        return findings is None

    def _from_ahead(self, ahead: ClaimsAhead) -> _Examined:
        """This process's facts and the helper's share, examined upwards from the first until it
        meets the helper coming down from the last (forked.Meeting): past its share, the helper
        goes on to this process's facts, so neither waits for the other. Then the helper's findings
        for the facts it took: read from the same files, its keys are those this process would
        compute (a key is made from those files and the rules' code alone), taken as they are.
        Otherwise each fact is keyed here and its findings taken only for the same key; any other
        fact (or all, should the helper have failed) is examined here."""
        from briefgen.project.claims_ahead import document_texts, inputs_digest  # noqa: PLC0415 - it imports this module

        examined: _Examined = {}
        mine = inputs_digest(document_texts(self._doc), self._articles)  # while the helper is still at work
        # The meeting needs one order, upwards: this process's facts (keyed already) stand before the
        # share unless the share is not the list's end (then they are examined here first, apart).
        keyed = self._mine
        if keyed and keyed[-1] >= self._theirs[0]:
            examined, keyed = self._examine(keyed), []
        order = [*keyed, *self._theirs]
        taken = 0
        for position, index in enumerate(order):  # from the first, until they meet
            if not ahead.meeting.parent_takes(index):
                break
            taken += 1
            if position < len(keyed) or self._unknown(index):
                examined |= self._examine([index])
        if taken == len(order):  # this process took them all (the helper was slow): it has nothing to give
            ahead.cancel()
            return examined
        inputs, found = ahead.result() or ("", {})
        same_files = bool(found) and inputs == mine
        for position, index in enumerate(order[taken:], start=taken):
            key, findings = found.get(index, ("", ()))
            if key and same_files and (position >= len(keyed) or key == self._keys[index] or not self._keys[index]):
                self._keys[index] = key
                examined[index] = findings
            elif position < len(keyed) or self._unknown(index):
                examined |= {index: findings} if key and key == self._keys[index] else self._examine([index])
        return examined

    def _examine(self, indexes: list[int]) -> _Examined:
        examined: _Examined = {}
        for index in indexes:
            fact = self._project.facts[index]
            evidence = fact_evidence(fact, self._articles, self._starts)
            examined[index] = tuple(fact_findings(fact, evidence, *self._rules()))
        return examined

    def _rules(self) -> tuple[NameMatcher, PeopleIndex]:
        if self._matchers is None:
            self._matchers = NameMatcher(self._project.entities), PeopleIndex(self._project.entities)
        return self._matchers

    def _diagnostic(self, index: int, fact: Fact, finding: Finding) -> Diagnostic:
        path: PathKey = ("facts", index, *finding.field)
        return Diagnostic(
            locate_in_value(self._doc, path, finding.start),
            f"fact {fact.id!r}: {finding.message}",
            finding.hint,
            Severity.WARNING,
            finding.kind.value,
            ("facts", index),
        )


def _helper_pays(unknown: int, window: CpuWindow | None) -> bool:
    """Whether a forked helper would examine facts sooner than this process alone (see HELPER_SHARE)."""
    return unknown >= MIN_HELPED_FACTS and helper_may_run(window)


def helper_may_run(window: CpuWindow | None) -> bool:
    """Whether this process may fork a helper and a CPU is free for it (the window measured so)."""
    if window is None or not may_fork():
        return False
    free = window.free_besides_us()
    return free is not None and free >= MIN_FREE_CPU
