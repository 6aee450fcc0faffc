"""The typed, frozen model of briefs.yaml; its JSON Schema is what editors validate against.

The value types it is built from (dates, horizons, attested values) are in values.py.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated, Literal

from pydantic import AfterValidator, Field

from briefgen.formats import Paper
from briefgen.project.theme import css_colour
from briefgen.project.values import (
    ASSET_PATH_PATTERN,
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


def _colour(value: str) -> str:
    """The accent as typed, once CSS can read it as a colour (renderers write it as css_colour gives it)."""
    css_colour(value)
    return value


class Theme(Model):
    """How the handout looks, beyond the built-in stylesheets (templates/extra.css for anything else)."""

    accent: Annotated[Text, AfterValidator(_colour)] | None = Field(
        None,
        description="the handout's accent colour (headings, the masthead rule, the bottom-line box): any CSS "
        "colour, e.g. '#8a1c1c', 'darkgreen', 'rgb(20 48 79)'",
    )
    logo: Annotated[
        str | None,
        Field(
            pattern=ASSET_PATH_PATTERN,
            description="an image file (PNG, JPEG, GIF, SVG or WebP) on the template search path, e.g. logo.svg in "
            "the project's templates/: shown on the masthead of the PDF, the HTML page and the DOCX",
        ),
    ] = None


class Handout(Model):
    """What the printed handout (PDF, HTML, DOCX) shows."""

    curator_notes: bool = Field(
        True, description="show each source's curator's note (`sources.<id>.note`) in the Sources list"
    )


class Labels(Model):
    """The fixed words the briefs print, by label key: rename or translate them. Styling and link
    targets follow the block, never these words."""

    summary: Text = "Summary"
    judgement: Text = Field("Analyst's judgement", description="marks the summary and section leads")
    bottom_line: Text = "Bottom line"
    single_source: Text = Field("single source", description="marks a bottom-line item resting on one source")
    timeline: Text = "Timeline"
    key_figures: Text = "Key figures"
    key_actors: Text = "Key actors"
    assessment: Text = "Assessment"
    assessment_note: Text = Field(
        "The analyst's judgement, resting on the facts cited; not itself a sourced fact.",
        description="the line under the Assessment heading",
    )
    sources: Text = "Sources"
    notes: Text = Field("Notes", description="the notes heading (MediaWiki)")
    as_of: Text = "As of"
    prepared_for: Text = "Prepared for"
    prepared_by: Text = "Prepared by"
    page: Text = Field("Page", description="the page number in the PDF's foot, `Page 1 of 3`")
    of: Text = Field("of", description="`Page 1 of 3`")
    date: Text = Field("Date", description="a table column")
    date_unknown: Text = Field("Date unknown", description="an undated fact in a chronological section")
    development: Text = Field("Development", description="the Timeline table's column")
    source: Text = Field("Source", description="a table column")
    figure: Text = Field("Figure", description="the Key figures table's column")
    value: Text = Field("Value", description="the Key figures table's column")
    actor: Text = Field("Actor", description="the Key actors table's column")
    role: Text = Field("Role", description="the Key actors table's column")
    also_spelled: Text = Field("also spelled", description="before an actor's other spellings")
    role_as_of: Text = Field("as of", description="before the date a role is attested")
    no_dates: Text = Field("None of the facts above carries a date.", description="the Timeline without dates")
    curator_note: Text = Field("Curator's note", description="before a source's curator's note")
    passages: Text = Field(
        "Passages quoted in this brief (each link highlights its passage)",
        description="before the links to a source's quoted passages",
    )
    timeline_caption: Text = Field(
        "The dated facts of the table below on a time scale, each labelled with its headline and, in brackets, "
        "its note numbers. A bar marks a date known only to the month or year; a hollow, dashed mark a date "
        "inferred, supplied or approximate.",
        description="the caption under the Timeline figure (PDF and HTML)",
    )
    legend_stated: Text = Field("date stated", description="the Timeline figure's legend: a filled mark")
    legend_uncertain: Text = Field(
        "date inferred, supplied or approximate", description="the Timeline figure's legend: a hollow mark"
    )
    legend_partial: Text = Field(
        "date known to the month or year: a bar over it", description="the Timeline figure's legend: a bar"
    )
    logo: Text = Field("Logo", description="the logo's text alternative")


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
    theme: Theme = Field(Theme(), description="the handout's accent colour and logo")
    handout: Handout = Field(Handout(), description="what the printed handout shows")
    labels: Labels = Field(
        Labels(),
        description="the fixed words the briefs print (headings and the like), by label key, e.g. "
        "`{bottom_line: Kernaussagen, sources: Quellen}`",
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
