"""Stage 3, assemble: choose and order each brief's facts and number its notes.

Notes are numbered per source, in order of first use, walking the brief in document order:
summary, bottom line, sections (each its lead, then its facts), timeline, key figures, key actors,
assessment — the order the default template renders the blocks in. A template that leaves blocks
out (or orders them otherwise) gets the brief renumbered by what it actually cites (`renumbered`),
so its notes run 1..N in reading order and list only what the reader sees.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace

from briefgen.project.lint import single_origin
from briefgen.project.model import (
    AnalystText,
    Brief,
    Citation,
    Entity,
    EntityKind,
    Fact,
    Project,
    Role,
    Section,
    Settings,
    Source,
)
from briefgen.project.validate import ValidProject
from briefgen.project.values import AttestedDate, PartialDate
from briefgen.project.walk import brief_fact_ids
from briefgen.text.names import NameMatcher
from briefgen.text.textfragment import text_directive

# Entities that act; countries and programmes are context, not actors. Only those with a sourced role
# are listed: "Key actors" says who they are, and that too needs a footnote.
ACTOR_KINDS = (EntityKind.PERSON, EntityKind.ORGANISATION)


@dataclass(frozen=True)
class QuotedPassage:
    """A passage of a source quoted in this brief, as the article has it (whitespace collapsed),
    and the text directive (`text=…`) that makes a browser highlight it. A note's passages are in
    article order."""

    text: str
    directive: str


class Cited(tuple[int, ...]):
    """Note numbers (ascending), and the passages behind them as (source id, passage text): what
    a template shows by citing them, so that a note lists only the passages the page it is on
    cites (a template may leave blocks out)."""

    passages: frozenset[tuple[str, str]]

    def __new__(cls, numbers: Iterable[int] = (), passages: Iterable[tuple[str, str]] = ()) -> Cited:
        made = super().__new__(cls, numbers)
        made.passages = frozenset(passages)
        return made


@dataclass(frozen=True)
class Note:
    """One footnote: a source, numbered by first use within the brief, with the passages quoted from it."""

    number: int
    source_id: str
    source: Source
    passages: tuple[QuotedPassage, ...] = ()


@dataclass(frozen=True)
class Statement:
    """A fact as the brief states it, with the numbers of the notes that source it."""

    fact: Fact
    notes: Cited
    entities: tuple[str, ...] = ()  # ids of the entities the claim names or the fact lists
    # Its quotes all come from one origin (one article, or copies of one agency story): a bottom-line
    # item so sourced is marked in the handout, accepted or not (ICD 203: the quality of sources).
    single_source: bool = False


@dataclass(frozen=True)
class Judgement:
    """The analyst's own words (the summary, a section's lead, an assessment), with notes to the
    sources of the facts they rest on."""

    text: str
    based_on: tuple[str, ...]
    notes: Cited
    facts: tuple[Statement, ...] = ()  # the facts of `based_on`


@dataclass(frozen=True)
class SectionBlock:
    title: str
    statements: tuple[Statement, ...]
    chronological: bool
    lead: Judgement | None = None  # the analyst's opening sentence, before the facts


@dataclass(frozen=True)
class ActorRole:
    """A role and the dates it is reported for (earliest first), with the notes that source it."""

    title: str
    dates: tuple[AttestedDate, ...]
    notes: Cited


@dataclass(frozen=True)
class Actor:
    id: str
    entity: Entity
    roles: tuple[ActorRole, ...]


@dataclass(frozen=True)
class AssembledBrief:
    """Everything a template needs to render one brief, in document order."""

    id: str
    brief: Brief
    settings: Settings
    bottom_line: tuple[Statement, ...]
    sections: tuple[SectionBlock, ...]
    timeline: tuple[Statement, ...]
    undated: int
    key_figures: tuple[Statement, ...]
    key_actors: tuple[Actor, ...]
    assessment: tuple[Judgement, ...]
    notes: tuple[Note, ...]
    entities: tuple[tuple[str, Entity], ...] = ()  # (id, entity) for every entity its facts name, by first mention
    summary: Judgement | None = None  # the key judgement, shown first

    @property
    def judgements(self) -> tuple[Judgement, ...]:
        """The analyst's words in document order: summary, section leads, assessment."""
        leads = tuple(block.lead for block in self.sections if block.lead is not None)
        return (*((self.summary,) if self.summary else ()), *leads, *self.assessment)

    @property
    def marking(self) -> str | None:
        return self.brief.marking or self.settings.marking

    @property
    def prepared_by(self) -> str | None:
        return self.brief.prepared_by or self.settings.prepared_by

    @property
    def topics(self) -> tuple[str, ...]:
        """The topics of the facts the brief states, sorted (tags for wikis and site generators)."""
        return tuple(sorted({topic for fact in self.facts for topic in fact.topics}))

    @property
    def facts(self) -> tuple[Fact, ...]:
        """Every fact the brief states, once each, in order of first appearance."""
        seen: dict[str, Fact] = {}
        for statement in (*self.bottom_line, *(s for b in self.sections for s in b.statements)):
            seen.setdefault(statement.fact.id, statement.fact)
        return tuple(seen.values())


def assemble_all(valid: ValidProject, brief_ids: Iterable[str] | None = None) -> list[AssembledBrief]:
    """Assemble the named briefs (all, by default) in the order briefs.yaml lists them."""
    project = valid.project
    facts = valid.fact_index()
    wanted = list(project.briefs) if brief_ids is None else list(brief_ids)
    used = {fid for bid in wanted for fid in brief_fact_ids(project.briefs[bid])}
    mentions = entity_mentions(project, [facts[fid] for fid in sorted(used)])
    return [assemble(valid, brief_id, mentions) for brief_id in wanted]


def assemble(valid: ValidProject, brief_id: str, mentions: Mapping[str, tuple[str, ...]]) -> AssembledBrief:
    """One brief in document order, its notes numbered; `mentions` from entity_mentions()."""
    project, brief, facts = valid.project, valid.project.briefs[brief_id], valid.fact_index()
    numbering = _Numbering(valid, mentions)
    summary = _judgement(brief.summary, facts, numbering) if brief.summary else None
    bottom_line = tuple(numbering.statement(facts[fid]) for fid in brief.bottom_line)
    sections = tuple(
        SectionBlock(
            section.title,
            # The lead is numbered first: it is read before the section's facts.
            *_lead_then_facts(section, facts, numbering),
        )
        for section in brief.sections
    )
    stated = list({s.fact.id: s for s in (*bottom_line, *(s for block in sections for s in block.statements))}.values())
    timeline = tuple(_chronological([s for s in stated if s.fact.date is not None]))
    key_figures = tuple(s for s in stated if s.fact.figure is not None)
    key_actors = tuple(_actors(stated, project.entities, numbering))
    assessment = tuple(_judgement(a, facts, numbering) for a in brief.assessment)
    judged = (*((summary,) if summary else ()), *(b.lead for b in sections if b.lead), *assessment)
    named = dict.fromkeys(e for s in (*stated, *(s for j in judged for s in j.facts)) for e in s.entities)
    return AssembledBrief(
        brief_id,
        brief,
        project.project,
        bottom_line,
        sections,
        timeline,
        len(stated) - len(timeline),
        key_figures,
        key_actors,
        assessment,
        numbering.notes(),
        tuple((entity_id, project.entities[entity_id]) for entity_id in named),
        summary,
    )


def _judgement(words: AnalystText, facts: Mapping[str, Fact], numbering: _Numbering) -> Judgement:
    """The analyst's words with the notes of every quote of the facts they rest on."""
    return Judgement(
        words.text,
        words.based_on,
        numbering.cite_all(c for fid in words.based_on for c in facts[fid].cite),
        tuple(numbering.statement(facts[fid]) for fid in words.based_on),  # sources numbered just above
    )


def _lead_then_facts(
    section: Section, facts: Mapping[str, Fact], numbering: _Numbering
) -> tuple[tuple[Statement, ...], bool, Judgement | None]:
    """A section's statements, whether it is chronological, and its lead — the lead numbered first."""
    lead = _judgement(section.lead, facts, numbering) if section.lead else None
    ordered = _ordered([facts[fid] for fid in section.facts], section.order)
    return tuple(numbering.statement(f) for f in ordered), section.order == "chronological", lead


def renumbered(brief: AssembledBrief, cited: Sequence[int], shown: Iterable[tuple[str, str]]) -> AssembledBrief:
    """The brief with its notes numbered as a template cited them: `cited` (note numbers in the
    order first cited) become 1, 2, 3…, and notes it never cited are left out of `notes` (and so
    out of the Sources list); each note keeps only the passages of `shown` (Cited.passages of
    what it cited). A reference to an uncited note can only sit in a block the template did not
    render; it is dropped there too."""
    new = {old: number for number, old in enumerate(cited, start=1)}
    shown = frozenset(shown)

    def numbers(notes: Cited) -> Cited:
        return Cited(sorted(new[n] for n in notes if n in new), getattr(notes, "passages", ()))

    def statement(s: Statement) -> Statement:
        return replace(s, notes=numbers(s.notes))

    def statements(items: Iterable[Statement]) -> tuple[Statement, ...]:
        return tuple(statement(s) for s in items)

    def note(old: Note, number: int) -> Note:
        passages = tuple(p for p in old.passages if (old.source_id, p.text) in shown)
        return replace(old, number=number, passages=passages)

    def judgement(j: Judgement) -> Judgement:
        return replace(j, notes=numbers(j.notes), facts=statements(j.facts))

    by_number = {n.number: n for n in brief.notes}
    return replace(
        brief,
        summary=judgement(brief.summary) if brief.summary else None,
        bottom_line=statements(brief.bottom_line),
        sections=tuple(
            replace(b, statements=statements(b.statements), lead=judgement(b.lead) if b.lead else None)
            for b in brief.sections
        ),
        timeline=statements(brief.timeline),
        key_figures=statements(brief.key_figures),
        key_actors=tuple(
            replace(a, roles=tuple(replace(r, notes=numbers(r.notes)) for r in a.roles)) for a in brief.key_actors
        ),
        assessment=tuple(judgement(j) for j in brief.assessment),
        notes=tuple(note(by_number[old], number) for old, number in new.items()),
    )


class _Numbering:
    """Hands out note numbers: a source's first citation gets the next number, later ones reuse it.
    It also remembers which quotes of each source the brief uses, for the notes' deep links."""

    def __init__(self, valid: ValidProject, mentions: Mapping[str, tuple[str, ...]]) -> None:
        self._valid = valid
        self._mentions = mentions
        self._numbers: dict[str, int] = {}
        self._cited: dict[str, dict[Citation, None]] = {}

    def cite_all(self, citations: Iterable[Citation]) -> Cited:
        """Note numbers for these citations, ascending (new numbers are always the highest so far,
        so sorting keeps first-use order across the brief), with the passages they quote."""
        numbers = set()
        passages = set()
        for c in citations:
            numbers.add(self._numbers.setdefault(c.source, len(self._numbers) + 1))
            self._cited.setdefault(c.source, {})[c] = None
            passages.add((c.source, passage_text(self._valid.passage(c).text)))
        return Cited(sorted(numbers), passages)

    def statement(self, fact: Fact) -> Statement:
        entities = tuple(dict.fromkeys((*self._mentions.get(fact.id, ()), *fact.entities)))
        single = single_origin(self._valid.project, fact)
        return Statement(fact, self.cite_all(fact.cite), entities, single)

    def notes(self) -> tuple[Note, ...]:
        sources = self._valid.project.sources
        return tuple(
            Note(n, sid, sources[sid], self._passages(sid, self._cited[sid])) for sid, n in self._numbers.items()
        )

    def _passages(self, source_id: str, cited: Iterable[Citation]) -> tuple[QuotedPassage, ...]:
        """The article's own text of each quote (quotes differ from it only in normalised forms)."""
        article = self._valid.articles[source_id]
        # In article order: a browser scrolls to the first directive, and a reader reads down from there.
        passages: dict[str, tuple[int, QuotedPassage]] = {}
        for cite in cited:
            found = self._valid.passage(cite)
            text = passage_text(found.text)
            passages.setdefault(text, (found.start, QuotedPassage(text, text_directive(text, article.original))))
        return tuple(passage for _, passage in sorted(passages.values(), key=lambda item: item[0]))


def passage_text(text: str) -> str:
    """A quoted passage as notes show it: the article's text, whitespace collapsed."""
    return " ".join(text.split())


def _ordered(facts: list[Fact], order: str) -> list[Fact]:
    if order != "chronological":
        return facts
    # Undated facts go last; equal dates keep the analyst's order (sorted() is stable).
    return sorted(facts, key=lambda f: (f.date is None, f.date.value if f.date else None))


def _chronological(statements: list[Statement]) -> list[Statement]:
    """Dated statements by date. A date known only to the month or year sorts at the start of that
    period (`2025-10` before `2025-10-20`), as a heading for what happened in it; ties keep the
    brief's order."""
    return sorted(statements, key=lambda s: s.fact.date.value if s.fact.date else PartialDate(0))


def _actors(
    statements: list[Statement],
    entities: Mapping[str, Entity],
    numbering: _Numbering,
) -> Iterable[Actor]:
    order: dict[str, None] = {}
    for statement in statements:
        for entity_id in statement.entities:
            order.setdefault(entity_id, None)
    for entity_id in order:
        entity = entities[entity_id]
        if entity.kind in ACTOR_KINDS and entity.roles:
            yield Actor(entity_id, entity, _merged_roles(entity, numbering))


def _merged_roles(entity: Entity, numbering: _Numbering) -> tuple[ActorRole, ...]:
    """One line per role title: the same role sourced by two articles is one role with two notes."""
    by_title: dict[str, list[Role]] = {}
    for role in entity.roles:
        by_title.setdefault(role.title, []).append(role)
    return tuple(
        ActorRole(
            title,
            _distinct_dates(r.date for r in roles if r.date),
            numbering.cite_all(c for r in roles for c in r.cite),
        )
        for title, roles in by_title.items()
    )


def _distinct_dates(dates: Iterable[AttestedDate]) -> tuple[AttestedDate, ...]:
    """Each date once as a reader would see it (notes aside), earliest first."""
    by_shown = {(d.value, d.basis, d.approximate): d for d in dates}
    return tuple(by_shown[key] for key in sorted(by_shown))


def entity_mentions(project: Project, facts: Iterable[Fact] | None = None) -> dict[str, tuple[str, ...]]:
    """For each fact id (of `facts`, default all), the entities its claim names (by name or any alias)."""
    matcher = NameMatcher(project.entities)
    found: dict[str, tuple[str, ...]] = {}
    for fact in project.facts if facts is None else facts:
        ids = tuple(dict.fromkeys(m.entity_id for m in matcher.mentions(fact.claim)))
        if ids:
            found[fact.id] = ids
    return found
