"""Claim support: what a fact's claim (or headline, or figure) says that its quotes do not.

Quotes are proved verbatim against their articles; this stage looks at the sentence the reader
reads. It compares each claim with the text of its own quotes, mechanically and explainably, for
the four kinds of error fact-checking research finds in summaries (FRANK's taxonomy):

- numbers: every number the claim gives is given by a quote, compared as values (`$56.2bn` =
  `56.2 billion dollars`, `five per cent` = `5%`, `19 October` = `October 19`) with its qualifier
  (`over $2 billion` is not `$2 billion`);
- entities: every person, organisation, country or programme the claim names is named by a quote
  (by name, alias, or — for a person — a word of the name the article uses for them, `Wi said`), or
  attached to the fact under `entities:`; capitalised names the project does not know must appear in
  a quote;
- negation: a claim may not negate what its quotes affirm, nor affirm what they negate;
- certainty: where a quote hedges (could, potentially, plans to, according to …) the words the
  claim takes from it, the claim must hedge or attribute them too (ICD 203, applied mechanically).

Each finding is a warning of its own kind (`number`, `entity`, `negation`, `certainty`), located at
the offending words, with a hint quoting the quote; a curator who has checked a deliberate
paraphrase accepts it on the fact (`accept: {number: "why"}`), and the acceptance is listed.

What the rules cannot see: a changed verb that is not a negation ("met" for "phoned"), a changed
relation between correctly named entities (who met whom), numbers the quotes give for something
else, an entity swapped for one the claim already names, hedges expressed by whole clauses rather
than by the words listed below, and one attribution dropped while another stays. bench/claims_eval.py
measures what they do see (figures in bench/RESULTS.md).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import TYPE_CHECKING

from briefgen.cpus import CpuWindow
from briefgen.errors import Diagnostic, Severity
from briefgen.forked import ForkedHelper, may_fork
from briefgen.project.claims_cues import certainty_findings, negation_findings
from briefgen.project.claims_entities import PeopleIndex, entity_findings
from briefgen.project.claims_numbers import Quantity, number_findings, quantities, read_quantities
from briefgen.project.claims_text import Evidence, Finding, Word, content_words, folded_words, stem, words
from briefgen.project.model import Fact, Project
from briefgen.project.yamldoc import PathKey, YamlDocument
from briefgen.project.yamlspan import locate_in_value
from briefgen.text.names import NameMatcher

if TYPE_CHECKING:
    from briefgen.project.claims_ahead import ClaimsAhead
    from briefgen.project.claims_memo import ClaimMemo

# The rules live in claims_numbers.py, claims_entities.py and claims_cues.py, on what claims_text.py
# gives them; these names are importable from here as they were when it was one module.
__all__ = [
    "ClaimSupport",
    "Evidence",
    "Finding",
    "PeopleIndex",
    "Quantity",
    "Word",
    "claim_support",
    "content_words",
    "fact_evidence",
    "fact_findings",
    "folded_words",
    "quantities",
    "read_quantities",
    "stem",
    "words",
]


def claim_support(
    project: Project,
    doc: YamlDocument,
    articles: Mapping[str, str],
    starts: Mapping[tuple[str, str], int],
    memo: ClaimMemo | None = None,
) -> list[Diagnostic]:
    """Every claim-support warning of the project, located at the offending words in briefs.yaml.

    `articles` are the article texts by source id; `starts` where each (source, quote) was found.
    With a `memo` (claims_memo.py), a fact whose key it knows keeps its findings unexamined.
    """
    with ClaimSupport(project, doc, articles, starts, memo) as support:
        return support.diagnostics()


# A forked helper (forked.py) examines a share of the facts no memo knows while this process does
# the rest, when there are enough of them and a CPU is free besides ours. Measured on the 2-CPU
# development machine (bench/RESULTS.md, 2026-12-03): a fact takes ~45 µs to examine; the fork ~4
# ms and the findings of 6,000 facts ~3 ms to pickle back, but each process then copies the pages
# it writes that the other still shares (~13,000 page faults each, ~0.07 s, for 10,000 facts).
# For a project no check has seen, claims_ahead.py begins a helper before the project is read.
MIN_HELPED_FACTS = 2_000  # below this (~0.1 s of rules), the helper's cost is most of what it saves
MIN_FREE_CPU = 0.5  # idle CPU besides ours (cpus.CpuWindow): two processes on 1.5 CPUs still gain
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
        from briefgen.project.claims_ahead import helper_share  # noqa: PLC0415 - it imports this module
        from briefgen.project.claims_memo import FactKeys  # noqa: PLC0415 - it imports this module

        self._project, self._doc, self._articles, self._starts, self._memo = project, doc, articles, starts, memo
        self._keys: list[str] = []
        self._known: _Examined = {}
        unknown: list[int] = []
        keys = FactKeys(project, articles) if memo is not None else None
        raw_facts = doc.data["facts"]  # validated one by one into project.facts
        for index, fact in enumerate(project.facts):
            key = keys.key(fact, raw_facts[index], starts) if keys is not None else ""
            findings = memo.get(key) if memo is not None else None
            self._keys.append(key)
            if findings is None:
                unknown.append(index)
            else:
                self._known[index] = findings
        self._matchers: tuple[NameMatcher, PeopleIndex] | None = None  # built for the first fact examined
        self._ahead = ahead
        self._helper: ForkedHelper[_Examined] | None = None
        if ahead is not None:  # begun at once: its share of the facts is examined there (claims_ahead.py)
            share = helper_share(len(project.facts))
            self._mine, self._theirs = [i for i in unknown if i not in share], [i for i in unknown if i in share]
            return
        cut = len(unknown) - round(len(unknown) * HELPER_SHARE) if _helper_pays(len(unknown), window) else len(unknown)
        self._mine, self._theirs = unknown[:cut], unknown[cut:]
        if self._theirs:
            self._rules()[0].compile()  # what both processes use is made once, before the fork
            self._helper = ForkedHelper.start(lambda: self._examine(self._theirs))
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
        examined = self._examine(self._mine)
        if self._helper is not None:
            theirs = self._helper.result()
            examined.update(self._examine(self._theirs) if theirs is None else theirs)
        elif self._ahead is not None:
            examined.update(self._from_ahead(self._ahead))
        if self._memo is not None:
            for index, findings in examined.items():
                self._memo.put(self._keys[index], findings)
        found = self._known | examined
        return [
            self._diagnostic(index, fact, finding)
            for index, fact in enumerate(self._project.facts)
            for finding in found[index]
        ]

    def _from_ahead(self, ahead: ClaimsAhead) -> _Examined:
        """The findings of the helper begun ahead, for each fact whose key it computed as this
        process did (the same fact, articles, passages and entities); the others examined here."""
        found = ahead.result() or {}
        examined: _Examined = {}
        for index in self._theirs:
            key, findings = found.get(index, ("", ()))
            if key and key == self._keys[index]:
                examined[index] = findings
            else:
                examined |= self._examine([index])
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


def fact_evidence(fact: Fact, articles: Mapping[str, str], starts: Mapping[tuple[str, str], int]) -> Evidence:
    """A fact's quotes with their articles, and where in them each quote was found."""
    return Evidence(
        tuple(cite.quote for cite in fact.cite),
        tuple(articles.get(cite.source, "") for cite in fact.cite),
        tuple(starts.get((cite.source, cite.quote), 0) for cite in fact.cite),
    )


def fact_findings(fact: Fact, evidence: Evidence, names: NameMatcher, people: PeopleIndex) -> Iterator[Finding]:
    """The findings for one fact: each rule over each field it applies to."""
    fields: list[tuple[tuple[str, ...], str]] = [(("claim",), fact.claim)]
    if fact.headline:
        fields.append((("headline",), fact.headline))
    for field, text in fields:
        yield from number_findings(field, text, evidence)
        yield from entity_findings(field, text, fact=fact, evidence=evidence, names=names, people=people)
        yield from negation_findings(field, text, evidence)
    yield from certainty_findings(("claim",), fact.claim, evidence)
    if fact.figure is not None:
        yield from number_findings(("figure", "value"), fact.figure.value, evidence)
