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

from briefgen.errors import Diagnostic
from briefgen.project.claims_cues import certainty_findings, negation_findings
from briefgen.project.claims_entities import PeopleIndex, entity_findings
from briefgen.project.claims_numbers import Quantity, number_findings, quantities, read_quantities
from briefgen.project.claims_text import Evidence, Finding, Word, content_words, folded_words, stem, words
from briefgen.project.model import Fact, Project
from briefgen.project.yamldoc import YamlDocument
from briefgen.text.names import NameMatcher

if TYPE_CHECKING:
    from briefgen.project.claims_memo import ClaimMemo

# The rules live in claims_numbers.py, claims_entities.py and claims_cues.py, on what claims_text.py
# gives them; these names are importable from here as they were when it was one module.
__all__ = [
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
    from briefgen.project.claims_support import ClaimSupport  # noqa: PLC0415 - it imports this module

    with ClaimSupport(project, doc, articles, starts, memo) as support:
        return support.diagnostics()


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
