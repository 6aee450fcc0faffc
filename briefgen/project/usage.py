"""Which facts the briefs use: a draft may not be used, and the facts no brief uses are reported.

A fact is used by a brief when the brief names it anywhere `brief_fact_refs` walks: its summary's
`based_on`, its bottom line, a section's lead `based_on` or facts, an assessment's `based_on`.
A draft is a fact whose claim still starts with `DRAFT:`, as `briefgen suggest` and `briefgen add`
write them: the sentence is the article's, not yet the analyst's, so it must not reach a handout.
Drafts that no brief uses are fine — that is how new material waits to be curated — and `report`
lists them.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

from briefgen.errors import Diagnostic, Location
from briefgen.project.model import Fact, Project
from briefgen.project.walk import FactRef, brief_fact_ids, brief_fact_refs
from briefgen.project.yamldoc import YamlDocument

DRAFT_MARKER = "DRAFT:"  # what suggest puts before each candidate claim (it writes "DRAFT: " + the sentence)


def is_draft(fact: Fact) -> bool:
    """Whether the fact's claim still carries suggest's marker (leading spaces aside)."""
    return fact.claim.lstrip().startswith(DRAFT_MARKER)


def used_fact_ids(project: Project) -> set[str]:
    """The ids of the facts at least one brief names."""
    return {fact_id for brief in project.briefs.values() for fact_id in brief_fact_ids(brief)}


def drafts_in_briefs(project: Project, doc: YamlDocument) -> Iterator[Diagnostic]:
    """An error at the claim of each draft a brief uses, naming the briefs (and where they name it)."""
    draft_ids = [fact.id for fact in project.facts if is_draft(fact)]
    if not draft_ids:
        return
    places = _fact_places(doc)
    drafts = {fact_id: places.get(fact_id, 0) for fact_id in draft_ids}
    refs: dict[str, dict[str, FactRef]] = {}  # draft id → brief id → the brief's first reference to it
    for brief_id, brief in project.briefs.items():
        for ref in brief_fact_refs(brief_id, brief):
            if ref.fact_id in drafts:
                refs.setdefault(ref.fact_id, {}).setdefault(brief_id, ref)
    for fact_id, by_brief in refs.items():
        briefs = list(by_brief)
        named = ", ".join(repr(b) for b in briefs)
        users = f"brief {named} uses it" if len(briefs) == 1 else f"briefs {named} use it"
        claim = doc.locate(("facts", drafts[fact_id], "claim"))
        at = doc.locate(by_brief[briefs[0]].path).seen_from(claim)
        out_of = f"the brief (named at {at})" if len(briefs) == 1 else f"those briefs (the first names it at {at})"
        yield Diagnostic(
            claim,
            f'fact {fact_id!r} is still a draft (claim starts with "{DRAFT_MARKER}") and {users}',
            f'rewrite the claim in your own words, saying only what its quotes support, without "{DRAFT_MARKER}"; '
            f"or take the fact out of {out_of}",
        )


def _fact_places(doc: YamlDocument) -> dict[str, int]:
    """Fact id → its index in the YAML `facts:` list (the first, for a duplicated id). Read from the
    document, not the model: with errors elsewhere, the model holds only the valid facts."""
    raw = doc.data.get("facts") if isinstance(doc.data, dict) else None
    places: dict[str, int] = {}
    for index, item in enumerate(raw if isinstance(raw, list) else []):
        if isinstance(item, dict) and isinstance(item.get("id"), str):
            places.setdefault(item["id"], index)
    return places


@dataclass(frozen=True, slots=True)
class UnusedFact:
    """A fact no brief names, and where its claim is (`report` lists these)."""

    fact: Fact
    document: YamlDocument = field(repr=False, compare=False)
    index: int  # in the YAML `facts:` list

    @property
    def location(self) -> Location:
        """Where its claim is: worked out when asked (every check finds the unused facts; only
        `report` shows where they are, and a large project may have thousands)."""
        return self.document.locate(("facts", self.index, "claim"))

    @property
    def draft(self) -> bool:
        return is_draft(self.fact)


def unused_facts(project: Project, doc: YamlDocument) -> tuple[UnusedFact, ...]:
    """The facts no brief names, in file order, each located at its claim."""
    used, places = used_fact_ids(project), _fact_places(doc)
    return tuple(UnusedFact(fact, doc, places.get(fact.id, 0)) for fact in project.facts if fact.id not in used)
