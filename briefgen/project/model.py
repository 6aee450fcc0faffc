"""The typed, frozen model of briefs.yaml; its JSON Schema is what editors validate against.

Honesty is part of the schema: any source metadata or date may be given as a bare value (meaning
"the article's text says so") or as `{value, basis, note}` where `basis` records that the curator
supplied or inferred it. Renderers show that basis; they never upgrade a guess to a fact.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass
from enum import StrEnum
from typing import Annotated, Any, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, GetCoreSchemaHandler, GetJsonSchemaHandler
from pydantic.json_schema import JsonSchemaValue
from pydantic_core import core_schema

from briefgen.formats import Paper

ID_PATTERN = r"^[a-z0-9][a-z0-9-]*$"
TEMPLATE_NAME_PATTERN = r"^[A-Za-z0-9_-][A-Za-z0-9_.-]*$"  # a file in a template directory: no `/`, no `..`
Id = Annotated[
    str,
    Field(
        pattern=ID_PATTERN,
        max_length=80,
        description="lower-case letters, digits and hyphens, e.g. `kang-meets-kosiniak`",
    ),
]
Text = Annotated[str, Field(min_length=1, description="plain text; never interpreted as Markdown or HTML")]

_DATE_RE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")
_MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)


class Precision(StrEnum):
    YEAR = "year"
    MONTH = "month"
    DAY = "day"


@dataclass(frozen=True, order=True, slots=True)
class PartialDate:
    """A calendar date known to the day, the month or only the year (`2025-10-21`, `2025-10`, `2025`)."""

    year: int
    month: int = 0  # 0: unknown at this precision
    day: int = 0

    @property
    def precision(self) -> Precision:
        return Precision.DAY if self.day else Precision.MONTH if self.month else Precision.YEAR

    @classmethod
    def parse(cls, value: Any) -> PartialDate:
        if isinstance(value, PartialDate):
            return value
        if isinstance(value, dt.date):
            return cls(value.year, value.month, value.day)
        if isinstance(value, int) and not isinstance(value, bool):
            value = str(value)
        if not isinstance(value, str):
            raise ValueError("a date is written YYYY, YYYY-MM or YYYY-MM-DD")
        match = _DATE_RE.match(value.strip())
        if not match:
            raise ValueError(f"{value!r} is not a date; write YYYY, YYYY-MM or YYYY-MM-DD")
        year, month, day = (int(g) if g else 0 for g in match.groups())
        try:
            dt.date(year, month or 1, day or 1)
        except ValueError as exc:
            raise ValueError(f"{value!r} is not a calendar date ({exc})") from None
        return cls(year, month, day)

    def iso(self) -> str:
        parts = [f"{self.year:04d}"]
        if self.month:
            parts.append(f"{self.month:02d}")
        if self.day:
            parts.append(f"{self.day:02d}")
        return "-".join(parts)

    def human(self) -> str:
        """`21 October 2025`, `October 2025` or `2025`."""
        if not self.month:
            return str(self.year)
        month = _MONTHS[self.month - 1]
        return f"{self.day} {month} {self.year}" if self.day else f"{month} {self.year}"

    def as_date(self) -> dt.date:
        """The first day the partial date could mean (for horizons and sorting)."""
        return dt.date(self.year, self.month or 1, self.day or 1)

    def last_day(self) -> dt.date:
        """The last day the partial date could mean: `2025` → 31 December 2025, `2025-02` → 28 February."""
        if self.day:
            return self.as_date()
        if self.month:
            return dt.date(self.year, self.month, calendar.monthrange(self.year, self.month)[1])
        return dt.date(self.year, 12, 31)

    def __str__(self) -> str:
        return self.iso()

    @classmethod
    def __get_pydantic_core_schema__(cls, source: Any, handler: GetCoreSchemaHandler) -> core_schema.CoreSchema:
        return core_schema.no_info_plain_validator_function(
            cls.parse, serialization=core_schema.plain_serializer_function_ser_schema(cls.iso)
        )

    @classmethod
    def __get_pydantic_json_schema__(
        cls, schema: core_schema.CoreSchema, handler: GetJsonSchemaHandler
    ) -> JsonSchemaValue:
        return {
            "anyOf": [
                {"type": "string", "pattern": r"^\d{4}(-\d{2}(-\d{2})?)?$"},
                {"type": "integer", "minimum": 1, "maximum": 9999},
            ],
            "description": "YYYY, YYYY-MM or YYYY-MM-DD: only as precise as the evidence",
        }


_HORIZON_RE = re.compile(r"^(\d{1,4}) (day|week|month|year)s?$")


@dataclass(frozen=True, slots=True)
class Horizon:
    """How far back a brief's facts may reach before they count as possibly stale: `18 months`, `2 years`."""

    amount: int
    unit: Literal["day", "week", "month", "year"]

    @classmethod
    def parse(cls, value: Any) -> Horizon:
        if isinstance(value, Horizon):
            return value
        match = _HORIZON_RE.match(" ".join(str(value).split())) if isinstance(value, str) else None
        if not match or int(match.group(1)) == 0:
            raise ValueError(f"{value!r} is not a horizon; write e.g. '90 days', '6 weeks', '18 months' or '2 years'")
        return cls(int(match.group(1)), match.group(2))  # type: ignore[arg-type]

    def before(self, day: dt.date) -> dt.date:
        """The day this horizon reaches back to from `day` (month ends clamp: 31 March − 1 month = 28/29 Feb)."""
        if self.unit in ("day", "week"):
            return day - dt.timedelta(days=self.amount * (7 if self.unit == "week" else 1))
        months = day.year * 12 + day.month - 1 - self.amount * (12 if self.unit == "year" else 1)
        year, month = divmod(months, 12)
        return dt.date(year, month + 1, min(day.day, calendar.monthrange(year, month + 1)[1]))

    def __str__(self) -> str:
        return f"{self.amount} {self.unit}{'s' if self.amount != 1 else ''}"

    @classmethod
    def __get_pydantic_core_schema__(cls, source: Any, handler: GetCoreSchemaHandler) -> core_schema.CoreSchema:
        return core_schema.no_info_plain_validator_function(
            cls.parse, serialization=core_schema.plain_serializer_function_ser_schema(str)
        )

    @classmethod
    def __get_pydantic_json_schema__(
        cls, schema: core_schema.CoreSchema, handler: GetJsonSchemaHandler
    ) -> JsonSchemaValue:
        return {
            "type": "string",
            "pattern": r"^\d{1,4} (day|week|month|year)s?$",
            "description": "how old a fact may be, before the brief's as-of date, before it is flagged as "
            "possibly stale: '90 days', '6 weeks', '18 months', '2 years'",
            "examples": ["18 months", "2 years"],
        }


DEFAULT_HORIZON = Horizon(1, "year")


class Basis(StrEnum):
    """Where a value comes from. Only `stated` values are the article's own words."""

    STATED = "stated"
    SUPPLIED = "supplied"
    INFERRED = "inferred"


class Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


def _shorthand(value: Any) -> Any:
    """A bare value means `{value: ..., basis: stated}`."""
    return value if value is None or isinstance(value, dict) else {"value": value}


class AttestedText(Model):
    """Text with the basis on which the curator recorded it."""

    value: Text
    basis: Basis = Field(
        Basis.STATED, description="stated (the article says so), supplied or inferred (by the curator)"
    )
    note: str | None = Field(None, description="why the curator supplied or inferred it")


class AttestedDate(Model):
    """A date with its precision, basis and whether it is approximate."""

    value: PartialDate
    basis: Basis = Field(
        Basis.STATED, description="stated (the article says so), supplied or inferred (by the curator)"
    )
    approximate: bool = Field(False, description="true for 'around' or 'about' this date")
    note: str | None = Field(
        None, description="how the date was read or inferred, e.g. \"'Monday' in an article dated 21 Oct 2025\""
    )


Url = Annotated[
    str,
    Field(pattern=r"^https?://[^\s<>\"]+$", max_length=2000, description="an http(s) address, as the text gives it"),
]


class AttestedUrl(Model):
    """A source URL; only http(s) addresses are accepted."""

    value: Url
    basis: Basis = Field(
        Basis.STATED, description="stated (the article says so), supplied or inferred (by the curator)"
    )
    note: str | None = Field(None, description="where the URL comes from, when it is not the article's own text")


# Each may be written bare (the article's text says exactly this) or as a mapping with its basis;
# `json_schema_input_type` makes the JSON Schema accept both shapes, as the validator does.
MaybeText = Annotated[
    AttestedText | None, BeforeValidator(_shorthand, json_schema_input_type=Text | AttestedText | None)
]
MaybeDate = Annotated[
    AttestedDate | None, BeforeValidator(_shorthand, json_schema_input_type=PartialDate | AttestedDate | None)
]
MaybeUrl = Annotated[AttestedUrl | None, BeforeValidator(_shorthand, json_schema_input_type=Url | AttestedUrl | None)]


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


class Section(Model):
    """A titled run of facts in a brief."""

    title: Text
    facts: Annotated[tuple[Id, ...], Field(min_length=1, description="fact ids, in the order to show them")]
    order: Literal["as-listed", "chronological"] = Field("as-listed", description="chronological sorts by fact date")
    horizon: Horizon | None = Field(None, description="overrides the brief's horizon for this section's facts")


class Assessment(Model):
    """Analyst judgement, kept apart from sourced facts and labelled as such."""

    text: Text = Field(description="the judgement, in the analyst's words")
    based_on: Annotated[tuple[Id, ...], Field(min_length=1, description="facts the judgement rests on")]


class Brief(Model):
    """One brief: what it says, in which order, through which template."""

    title: Text = Field(description="the brief's title on the masthead")
    subtitle: Text | None = None
    as_of: PartialDate = Field(description="the date the brief speaks for (YYYY-MM-DD)")
    prepared_for: Text | None = None
    prepared_by: Text | None = None
    marking: Text | None = Field(None, description="handling marking; overrides the project's")
    bottom_line: Annotated[tuple[Id, ...], Field(min_length=1, description="facts for the bottom line up front")]
    sections: tuple[Section, ...] = ()
    assessment: tuple[Assessment, ...] = Field((), description="analyst judgements, labelled as such")
    template: Annotated[
        str, Field(pattern=TEMPLATE_NAME_PATTERN, description="template file in the project's templates/ or built in")
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
    sources: dict[Id, Source] = Field(description="the articles, by source id")
    entities: dict[Id, Entity] = Field({}, description="people and organisations, by entity id")
    facts: tuple[Fact, ...] = Field(description="sourced facts, each with verbatim quotes")
    briefs: dict[Id, Brief] = Field(description="the briefs, by brief id")
