"""`check BRIEF-ID…`, `report BRIEF-ID…`: the part of a project some briefs rest on.

A brief's scope is the brief itself (and the briefs it extends, whose values it inherits), the facts
it names, the sources and entities those facts cite or name, and the sources the entities' roles
cite (the Key actors block shows them). It is worked out from the raw YAML, so that it is known
even when the project has errors: a diagnostic is in scope when the item it was located at is
(Location.item); one about no item (a YAML syntax error, the lock file) always is.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from briefgen.errors import Diagnostic, UsageError
from briefgen.project.variants import EXTENDS
from briefgen.project.walk import raw_entities, raw_items, raw_mapping, raw_strings
from briefgen.project.yamldoc import PathKey

ITEM_GROUPS = ("sources", "entities", "facts", "briefs")


@dataclass(frozen=True)
class Scope:
    """The items (('briefs', id), ('facts', index), ('sources', id), ('entities', id)) of some briefs."""

    brief_ids: tuple[str, ...]
    items: frozenset[PathKey]
    quotes: int  # the citations of the facts and entities in scope

    def covers(self, diagnostic: Diagnostic) -> bool:
        """Whether the diagnostic is about an item in scope, or about no item in particular."""
        item = diagnostic.location.item
        if len(item) < 2 or item[0] not in ITEM_GROUPS:
            return True
        return item[:2] in self.items

    def count(self, group: str) -> int:
        """How many items of `group` (e.g. 'facts') are in scope."""
        return sum(item[0] == group for item in self.items)

    def only(self, diagnostics: Iterable[Diagnostic]) -> tuple[Diagnostic, ...]:
        return tuple(d for d in diagnostics if self.covers(d))


def brief_scope(data: Any, brief_ids: Sequence[str], config: object) -> Scope:
    """The scope of `brief_ids` in a project's raw data (YamlDocument.data, or a valid project
    dumped as JSON data); an unknown id is a usage error (exit 2) naming the briefs there are."""
    data = data if isinstance(data, dict) else {}
    briefs = raw_mapping(data.get("briefs"))
    unknown = [b for b in brief_ids if b not in briefs]
    if unknown:
        raise UsageError(f"unknown brief {', '.join(map(repr, unknown))}", f"briefs in {config}: {', '.join(briefs)}")
    items: set[PathKey] = set()
    fact_ids: set[str] = set()
    for brief_id in brief_ids:
        for chained in _chain(briefs, brief_id):
            items.add(("briefs", chained))
            fact_ids.update(_fact_refs(briefs[chained]))
    raw_facts = data.get("facts") if isinstance(data.get("facts"), list) else []
    facts = [(i, f) for i, f in enumerate(raw_facts) if isinstance(f, dict) and f.get("id") in fact_ids]
    claims = [f["claim"] for _, f in facts if isinstance(f.get("claim"), str)]
    entity_ids = {e for _, f in facts for e in raw_strings(f.get("entities"))}
    entity_ids |= {eid for eid, e in raw_entities(data).items() if any(_names(e.name, e.aliases, claims))}
    entities = raw_mapping(data.get("entities"))
    cites = [c for _, f in facts for c in raw_items(f.get("cite"))]
    for entity_id in entity_ids & set(entities):
        items.add(("entities", entity_id))
        entity = entities[entity_id]
        roles = raw_items(entity.get("roles")) if isinstance(entity, dict) else []
        cites += [c for role in roles for c in raw_items(role.get("cite"))]
    items |= {("facts", i) for i, _ in facts}
    sources = raw_mapping(data.get("sources"))
    items |= {("sources", c["source"]) for c in cites if isinstance(c.get("source"), str) and c["source"] in sources}
    return Scope(tuple(dict.fromkeys(brief_ids)), frozenset(items), len(cites))


def _chain(briefs: dict[str, Any], brief_id: str) -> list[str]:
    """The brief and the briefs it extends, nearest first (a cycle or an unknown parent ends it)."""
    chain = [brief_id]
    while True:
        brief = briefs.get(chain[-1])
        parent = brief.get(EXTENDS) if isinstance(brief, dict) else None
        if not isinstance(parent, str) or parent not in briefs or parent in chain:
            return chain
        chain.append(parent)


def _fact_refs(brief: Any) -> list[str]:
    """Every fact id a raw brief names: summary, bottom line, sections (lead, facts), assessments."""
    if not isinstance(brief, dict):
        return []
    refs = raw_strings(brief.get("bottom_line"))
    summary = brief.get("summary")
    refs += raw_strings(summary.get("based_on")) if isinstance(summary, dict) else []
    for section in raw_items(brief.get("sections")):
        refs += raw_strings(section.get("facts"))
        lead = section.get("lead")
        refs += raw_strings(lead.get("based_on")) if isinstance(lead, dict) else []
    for assessment in raw_items(brief.get("assessment")):
        refs += raw_strings(assessment.get("based_on"))
    return refs


def _names(name: str, aliases: Iterable[str], claims: Iterable[str]) -> Iterable[bool]:
    """Whether a claim names the entity (a plain substring test: a scope may hold an entity too many,
    never one too few)."""
    spellings = [s for s in (name, *aliases) if s]
    return (spelling in claim for claim in claims for spelling in spellings)
