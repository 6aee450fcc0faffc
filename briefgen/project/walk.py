"""The walks over a project, written once: its citations, the facts each brief names, and the raw
YAML read before validation.

Every stage that needs "each quote with its place in briefs.yaml" or "each fact a brief refers to"
takes it from here, so they all agree on what there is and in which order (document order: facts,
then entity roles; summary, bottom line, then sections (each its lead, then its facts), then
assessments).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from briefgen.project.model import Brief, Citation, Entity, Fact, Project, Section
from briefgen.project.yamldoc import PathKey

# -- the validated project ---------------------------------------------------------------------------


def citations(facts: Iterable[tuple[int, Fact]], entities: Mapping[str, Entity]) -> Iterator[tuple[PathKey, Citation]]:
    """Every citation with its place in briefs.yaml: the facts' (given with their index in `facts:`),
    then the entity roles'."""
    for index, fact in facts:
        for i, cite in enumerate(fact.cite):
            yield ("facts", index, "cite", i), cite
    for entity_id, entity in entities.items():
        for r, role in enumerate(entity.roles):
            for i, cite in enumerate(role.cite):
                yield ("entities", entity_id, "roles", r, "cite", i), cite


def project_citations(project: Project) -> Iterator[tuple[PathKey, Citation]]:
    """Every citation of a valid project (whose facts are all valid, so their index is their place)."""
    return citations(enumerate(project.facts), project.entities)


@dataclass(frozen=True, slots=True)
class FactRef:
    """A place where a brief names a fact; `section` when it is in one of the brief's sections."""

    path: PathKey
    fact_id: str
    section: Section | None = None


def brief_fact_refs(brief_id: str, brief: Brief) -> Iterator[FactRef]:
    """Each fact reference of a brief in document order: summary, bottom line, sections (lead, then
    facts), assessments."""
    base: PathKey = ("briefs", brief_id)
    for i, fact_id in enumerate(brief.summary.based_on if brief.summary else ()):
        yield FactRef((*base, "summary", "based_on", i), fact_id)
    for i, fact_id in enumerate(brief.bottom_line):
        yield FactRef((*base, "bottom_line", i), fact_id)
    for s, section in enumerate(brief.sections):
        for i, fact_id in enumerate(section.lead.based_on if section.lead else ()):
            yield FactRef((*base, "sections", s, "lead", "based_on", i), fact_id, section)
        for i, fact_id in enumerate(section.facts):
            yield FactRef((*base, "sections", s, "facts", i), fact_id, section)
    for a, assessment in enumerate(brief.assessment):
        for i, fact_id in enumerate(assessment.based_on):
            yield FactRef((*base, "assessment", a, "based_on", i), fact_id)


def brief_fact_ids(brief: Brief) -> Iterator[str]:
    """Every fact id a brief names, in document order (with repeats)."""
    return (ref.fact_id for ref in brief_fact_refs("", brief))


# -- raw YAML, before validation -----------------------------------------------------------------------
# Read tolerantly: an entry of the wrong shape is skipped here (validation reports it), so that one
# broken entry does not hide what can be read of the others.


def raw_mapping(value: Any) -> dict[str, Any]:
    """A mapping with text keys, or {} for anything else."""
    return {str(k): v for k, v in value.items()} if isinstance(value, dict) else {}


def raw_items(value: Any) -> list[dict[str, Any]]:
    """The mappings of a list, or [] for anything else."""
    return [item for item in value if isinstance(item, dict)] if isinstance(value, list) else []


def raw_strings(value: Any) -> list[str]:
    """The text items of a list, or [] for anything else."""
    return [item for item in value if isinstance(item, str)] if isinstance(value, list) else []


def raw_source_files(data: Any) -> dict[str, str]:
    """Source id → `file`, for the sources that have a text `file`."""
    sources = raw_mapping(data.get("sources")) if isinstance(data, dict) else {}
    return {sid: s["file"] for sid, s in sources.items() if isinstance(s, dict) and isinstance(s.get("file"), str)}


@dataclass(frozen=True)
class RawIds:
    """Ids present in the raw YAML, valid or not (used to avoid knock-on 'unknown id' errors)."""

    sources: frozenset[str]
    entities: frozenset[str]
    facts: frozenset[str]
    briefs: tuple[str, ...]  # in file order

    @classmethod
    def of(cls, data: Any) -> RawIds:
        data = data if isinstance(data, dict) else {}
        return cls(
            frozenset(raw_mapping(data.get("sources"))),
            frozenset(raw_mapping(data.get("entities"))),
            frozenset(f["id"] for f in raw_items(data.get("facts")) if isinstance(f.get("id"), str)),
            tuple(raw_mapping(data.get("briefs"))),
        )


@dataclass(frozen=True)
class RawEntity:
    """An entity as the raw YAML gives it: its text `name` and the aliases that are text."""

    name: str
    aliases: tuple[str, ...]


def raw_entities(data: Any) -> dict[str, RawEntity]:
    """The entities that have a text `name`, by id (sorted)."""
    entities = raw_mapping(data.get("entities")) if isinstance(data, dict) else {}
    return {
        entity_id: RawEntity(entity["name"], tuple(raw_strings(entity.get("aliases"))))
        for entity_id, entity in sorted(entities.items())
        if isinstance(entity, dict) and isinstance(entity.get("name"), str)
    }


def raw_fact_quotes(data: Any) -> dict[str, tuple[str, ...]]:
    """Source id → the quotes the facts cite from it, for the citations that have a text quote."""
    data = data if isinstance(data, dict) else {}
    quotes: dict[str, list[str]] = {}
    for fact in raw_items(data.get("facts")):
        for cite in raw_items(fact.get("cite")):
            if isinstance(cite.get("quote"), str):
                quotes.setdefault(str(cite.get("source")), []).append(cite["quote"])
    return {source_id: tuple(found) for source_id, found in quotes.items()}
