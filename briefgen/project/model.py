"""The typed, frozen model of briefs.yaml; its JSON Schema is what editors validate against.

The value types it is built from (dates, horizons, attested values) are in values.py.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated, Literal

from pydantic import Field

from briefgen.formats import Paper
from briefgen.project.values import (
    DEFAULT_HORIZON,
    TEMPLATE_NAME_PATTERN,
    Accept,
    Horizon,
    Id,
    MaybeDate,
    MaybeText,
    MaybeUrl,
    Model,
    PartialDate,
    Text,
)


class Source(Model):
    """One article in `seeds/`, with metadata taken from its text."""

    file: Annotated[str, Field(min_length=1, description="path of the article, relative to briefs.yaml")]
    title: MaybeText = Field(None, description="the headline, or `{value, basis: supplied}` for an untitled article")
    outlet: MaybeText = Field(None, description="the publication; leave out when the text does not name it")
    author: MaybeText = Field(None, description="the byline, as the text spells it")
    published: MaybeDate = Field(None, description="publication date, only as precise as the text allows")
    url: MaybeUrl = Field(None, description="the article's address, only if the text gives it; never guessed")
    credit: Text | None = Field(None, description="agency the text credits, e.g. Yonhap")
    note: str | None = Field(None, description="curator's note on the source (shown in the Sources list)")
    accept: Accept


class Citation(Model):
    """Evidence: verbatim text of a source article."""

    source: Id = Field(description="id of an entry under `sources`")
    quote: Text = Field(
        description="verbatim text of that article (at least 12 characters); only whitespace, Unicode form and "
        "quote/dash variants may differ"
    )


class Figure(Model):
    """A number a fact reports, for the Key figures table and conflict checks."""

    measure: Text = Field(description="what is counted, e.g. 'Potential European export deals'")
    value: Text = Field(description="the number as the article gives it, e.g. '$56.2 billion'")


class Fact(Model):
    """One sourced sentence: the analyst's claim and the quotes that support it."""

    id: Id
    claim: Text = Field(description="the analyst's sentence; it must say only what its quotes support")
    headline: Text | None = Field(
        None,
        description="a few words for the Timeline, e.g. 'Šekerinska visits the DMZ', saying no more than the claim; "
        "the Timeline shows the claim when there is none",
    )
    date: MaybeDate = Field(None, description="when it happened: YYYY, YYYY-MM or YYYY-MM-DD, or a mapping with basis")
    topics: tuple[Id, ...] = Field((), description="free topic ids, e.g. [poland, defence-industry]")
    entities: tuple[Id, ...] = Field((), description="entities the fact involves beyond those its claim names")
    figure: Figure | None = None
    cite: Annotated[tuple[Citation, ...], Field(min_length=1, description="the quotes that support the claim")]
    note: str | None = Field(None, description="curator's note; not rendered")
    accept: Accept


class EntityKind(StrEnum):
    PERSON = "person"
    ORGANISATION = "organisation"
    COUNTRY = "country"
    PROGRAMME = "programme"
    EVENT = "event"


class Role(Model):
    """A role an entity held, sourced like a fact."""

    title: Text = Field(description="e.g. 'NATO Deputy Secretary General'")
    date: MaybeDate = Field(None, description="when the role is attested")
    cite: Annotated[tuple[Citation, ...], Field(min_length=1, description="the quotes that attest the role")]


class Entity(Model):
    """A person or organisation, recorded once however the articles spell it."""

    name: Text = Field(description="the canonical spelling that claims should use")
    kind: EntityKind
    aliases: tuple[Text, ...] = Field((), description="other spellings found in the articles")
    roles: tuple[Role, ...] = ()
    note: str | None = None
    accept: Accept


class AnalystText(Model):
    """The analyst's own words, resting on facts: shown as judgement, never as a sourced fact, and
    cited to the sources of the facts named in `based_on`."""

    text: Text = Field(description="the judgement, in the analyst's words")
    based_on: Annotated[tuple[Id, ...], Field(min_length=1, description="facts the judgement rests on")]


class Lead(AnalystText):
    """A section's opening sentence in the analyst's words, labelled as judgement."""


class Summary(AnalystText):
    """The brief's key judgement in one or two sentences, shown first, under the title."""


class Section(Model):
    """A titled run of facts in a brief."""

    title: Text
    lead: Lead | None = Field(None, description="an opening sentence in the analyst's words, before the facts")
    facts: Annotated[tuple[Id, ...], Field(min_length=1, description="fact ids, in the order to show them")]
    order: Literal["as-listed", "chronological"] = Field("as-listed", description="chronological sorts by fact date")
    horizon: Horizon | None = Field(None, description="overrides the brief's horizon for this section's facts")


class Assessment(AnalystText):
    """Analyst judgement, kept apart from sourced facts and labelled as such."""


class Brief(Model):
    """One brief: what it says, in which order, through which template."""

    extends: Id | None = Field(
        None,
        description="id of a brief this one is a variant of: it inherits every key of that brief and overrides "
        "the keys it names (a key's whole value: `sections` replaces all sections); chains work",
    )
    title: Text = Field(description="the brief's title on the masthead")
    subtitle: Text | None = None
    as_of: PartialDate = Field(description="the date the brief speaks for (YYYY-MM-DD)")
    prepared_for: Text | None = None
    prepared_by: Text | None = None
    marking: Text | None = Field(None, description="handling marking; overrides the project's")
    summary: Summary | None = Field(None, description="the key judgement, in the analyst's words, shown first")
    bottom_line: Annotated[tuple[Id, ...], Field(min_length=1, description="facts for the bottom line up front")]
    sections: tuple[Section, ...] = ()
    assessment: tuple[Assessment, ...] = Field((), description="analyst judgements, labelled as such")
    template: Annotated[
        str,
        Field(
            pattern=TEMPLATE_NAME_PATTERN,
            description="the Markdown template, NAME.md.j2, in the project's templates/ or built in; "
            "HTML and PDF are made from its page, MediaWiki uses NAME.wiki.j2, DOCX only the default",
        ),
    ] = "brief.md.j2"
    paper: Paper | None = Field(None, description="paper size of the PDF; overrides the project's")
    horizon: Horizon | None = Field(None, description="overrides the project's horizon for this brief")


class Settings(Model):
    """Project-wide settings."""

    title: Text | None = None
    marking: Text | None = Field(None, description="handling marking, e.g. 'UNCLASSIFIED — FOR DISCUSSION'")
    prepared_by: Text | None = None
    language: Annotated[
        str, Field(pattern=r"^[a-z]{2,3}(-[A-Za-z0-9]+)*$", description="language tag of the briefs, e.g. en")
    ] = "en"
    paper: Paper = Field(Paper.A4, description="paper size of the PDFs: a4 or letter")
    horizon: Horizon = Field(
        DEFAULT_HORIZON, description="facts dated further back than this before a brief's as-of date are possibly stale"
    )


class Project(Model):
    """The whole of briefs.yaml."""

    project: Settings = Field(Settings(), description="project-wide settings")
    include: tuple[Annotated[str, Field(min_length=1)], ...] = Field(
        (),
        description="further YAML files merged into the project, as glob patterns relative to briefs.yaml "
        "(e.g. facts/*.yaml; each pattern's files in sorted order); each holds any of sources, entities, "
        "facts and briefs, and cannot include further files",
    )
    sources: dict[Id, Source] = Field(description="the articles, by source id")
    entities: dict[Id, Entity] = Field({}, description="people and organisations, by entity id")
    facts: tuple[Fact, ...] = Field(description="sourced facts, each with verbatim quotes")
    briefs: dict[Id, Brief] = Field(description="the briefs, by brief id")
