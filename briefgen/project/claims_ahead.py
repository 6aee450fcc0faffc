"""Claim support begun at once, in a forked helper, for a large project whose facts are not yet known.

On the first check of a large project (or with caching off) every fact's claim is examined, after
the YAML is read (0.35 s for 10,000 facts), the facts validated and every quote found. A helper
forked before any of that — while the process is small, so that the two do not share the pages
they then write — reads the project itself and examines the last AHEAD_SHARE of its facts, while
this process does all of its own work but those facts' claims.

The helper first tells where it found those facts' quotes (forked.py's `tell`), and this process
learns them (QuoteMemo.learn) instead of searching again, as it would take them from
`.briefgen-cache/`: a place is for an article's exact text. Its findings are used only for a fact
whose key (claims_memo.FactKeys: the fact, its quotes' articles and passages, the entities, the
rules) is the one this process computes: the helper is just another memo, filled meanwhile. So an
article or briefs.yaml changed between the two readings, or a helper that failed, costs only
time: this process then searches and examines those itself.

Measured on the 2-CPU development machine (bench/RESULTS.md, 2026-12-03): a helper that waits for
the quotes (claims_support.ClaimSupport) overlaps only claim support and lint, with both processes
slowed by copying the pages they share; this one overlaps the reading of the YAML too.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Mapping, Sequence
from pathlib import Path

from briefgen.cpus import CpuWindow
from briefgen.forked import ForkedHelper, Tell
from briefgen.limits import Limits
from briefgen.project import claims_memo, quote_memo, result_cache
from briefgen.project.claims import Finding, fact_evidence, fact_findings
from briefgen.project.claims_entities import PeopleIndex
from briefgen.project.claims_support import helper_may_run
from briefgen.project.load import Article, load_project
from briefgen.project.model import Entity, Fact, Project, Settings
from briefgen.project.quote_memo import Place
from briefgen.project.variants import resolve_extends
from briefgen.project.walk import raw_source_files
from briefgen.project.yamldoc import YamlDocument
from briefgen.text.names import NameMatcher
from briefgen.text.quotes import normalize

# The helper's share of the facts: this process also validates the project, finds the quotes of
# the others and lints while the helper reads the project and examines its share. 0.6 evens the
# two (bench/RESULTS.md: this process waited ~0.08 s for the helper at 0.75, 0.03–0.05 s at 0.65).
AHEAD_SHARE = 0.6
# A briefs.yaml this large holds some 3,000 facts (the synthetic project: ~300 bytes a fact); below
# it, what the helper would take over is not worth reading the project twice.
MIN_AHEAD_BYTES = 1_000_000

Found = dict[int, tuple[str, tuple[Finding, ...]]]  # by fact index: the fact's key and its findings


def inputs_digest(doc: YamlDocument, texts: Mapping[str, str]) -> str:
    """A hash of what the facts' keys are made from but the rules' code (the same in a forked
    helper): the text of every YAML file the project was read from and each source's article."""
    hasher = hashlib.sha256()
    for text in (doc.source, *(included.source for included in doc.included)):
        hasher.update(text.encode("utf-8", "surrogatepass") + b"\0")
    for source_id in sorted(texts):
        hasher.update(f"{source_id}\0".encode() + texts[source_id].encode("utf-8", "surrogatepass") + b"\0")
    return hasher.hexdigest()


def helper_share(facts: int) -> range:
    """The indexes of the facts a helper begun ahead examines: the last AHEAD_SHARE of them."""
    return range(facts - round(facts * AHEAD_SHARE), facts)


class ClaimsAhead:
    """The helper begun at once (see the module)."""

    def __init__(self, helper: ForkedHelper[tuple[str, Found]]) -> None:
        self._helper = helper

    @classmethod
    def start(cls, config: Path, limits: Limits, window: CpuWindow) -> ClaimsAhead | None:
        """The helper begun, when the project is large, what the memo knows of its facts is next to
        nothing, and a CPU is free (claims_support.helper_may_run); else None."""
        try:
            large = os.stat(config).st_size >= MIN_AHEAD_BYTES
        except OSError:
            return None  # loading says what is wrong with it
        if not large or len(claims_memo.memo_for(config.parent).entries) > 0:
            return None  # remembered findings: ClaimSupport decides once the facts are keyed
        if not helper_may_run(window):
            return None
        helper = ForkedHelper.start(lambda tell: _examined_ahead(config, limits, tell))
        return cls(helper) if helper is not None else None

    def places(self) -> dict[tuple[str, str], Place]:
        """Where the helper found its facts' quotes, by article digest and quote (as quote_memo.py
        keeps them), told before it examines any claim; {} if it failed first."""
        told = self._helper.told()
        return told if isinstance(told, dict) else {}

    def result(self) -> tuple[str, Found] | None:
        """The digest of the files the helper read (inputs_digest) and what it found; None if it failed."""
        return self._helper.result()

    def cancel(self) -> None:
        self._helper.cancel()


def _examined_ahead(config: Path, limits: Limits, tell: Tell) -> tuple[str, Found]:
    """In the helper: the project read as this process reads it (storing nothing), and each fact of
    the helper's share validated, its quotes found (and told), keyed and examined. An invalid fact
    or entity fails the helper: the project is then invalid, and no claim is examined at all."""
    with result_cache.only_reading():
        loaded = load_project(config, limits)
    document, _ = resolve_extends(loaded.document)
    data = document.data
    entities = {entity_id: Entity.model_validate(raw) for entity_id, raw in (data.get("entities") or {}).items()}
    raw_facts: Sequence[object] = data["facts"]
    facts = {index: Fact.model_validate(raw_facts[index]) for index in helper_share(len(raw_facts))}
    read = {source_id: loaded.articles.get(file) for source_id, file in raw_source_files(data).items()}
    articles = {source_id: article.text for source_id, article in read.items() if isinstance(article, Article)}
    quotes = quote_memo.memo_for(loaded.root)
    starts: dict[tuple[str, str], int] = {}
    places: dict[tuple[str, str], Place] = {}
    for fact in facts.values():
        for cite in fact.cite:
            if (cite.source, cite.quote) not in starts and cite.source in articles:
                article = articles[cite.source]
                passage = quotes.find(article, cite.quote, normalize(cite.quote))
                starts[(cite.source, cite.quote)] = passage.start if passage is not None else 0
                if passage is not None:
                    places[(article.sha256, cite.quote)] = (passage.start, passage.end, passage.line, passage.column)
    tell(places)  # this process searches no more for them (validate.py)
    texts = {source_id: article.original for source_id, article in articles.items()}
    entities_only = Project.model_construct(project=Settings(), sources={}, entities=entities, facts=(), briefs={})
    keys = claims_memo.FactKeys(entities_only, texts)
    rules = NameMatcher(entities), PeopleIndex(entities)
    found: Found = {}
    for index, fact in facts.items():
        evidence = fact_evidence(fact, texts, starts)
        found[index] = keys.key(fact, raw_facts[index], starts), tuple(fact_findings(fact, evidence, *rules))
    return inputs_digest(document, texts), found
