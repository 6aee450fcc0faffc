"""The typed, frozen model of briefs.yaml; its JSON Schema is what editors validate against.

Honesty is part of the schema: any source metadata or date may be given as a bare value (meaning
"the article's text says so") or as `{value, basis, note}` where `basis` records that the curator
supplied or inferred it. Renderers show that basis; they never upgrade a guess to a fact.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from enum import StrEnum
from typing import Annotated, Any, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, GetCoreSchemaHandler, GetJsonSchemaHandler
from pydantic.json_schema import JsonSchemaValue
from pydantic_core import core_schema

from .formats import Paper

ID_PATTERN = r"^[a-z0-9][a-z0-9-]*$"
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


class Basis(StrEnum):
    """Where a value comes from. Only `stated` values are the article's own words."""

    STATED = "stated"
    SUPPLIED = "supplied"
    INFERRED = "inferred"


class Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


def _shorthand(value: Any) -> Any:
    """A bare value means `{value: ..., basis: stated}`."""
    return value if isinstance(value, dict) else {"value": value}


class AttestedText(Model):
    """Text with the basis on which the curator recorded it."""

    value: Text
    basis: Basis = Basis.STATED
    note: str | None = Field(None, description="why the curator supplied or inferred it")


class AttestedDate(Model):
    """A date with its precision, basis and whether it is approximate."""

    value: PartialDate
    basis: Basis = Basis.STATED
    approximate: bool = False
    note: str | None = Field(
        None, description="how the date was read or inferred, e.g. \"'Monday' in an article dated 21 Oct 2025\""
    )


class AttestedUrl(Model):
    """A source URL; only http(s) addresses are accepted."""

    value: Annotated[str, Field(pattern=r"^https?://[^\s<>\"]+$", max_length=2000)]
    basis: Basis = Basis.STATED
    note: str | None = None


MaybeText = Annotated[AttestedText | None, BeforeValidator(lambda v: None if v is None else _shorthand(v))]
MaybeDate = Annotated[AttestedDate | None, BeforeValidator(lambda v: None if v is None else _shorthand(v))]
MaybeUrl = Annotated[AttestedUrl | None, BeforeValidator(lambda v: None if v is None else _shorthand(v))]


class Source(Model):
    """One article in `seeds/`, with metadata taken from its text."""

    file: Annotated[str, Field(min_length=1, description="path of the article, relative to briefs.yaml")]
    title: MaybeText = None
    outlet: MaybeText = None
    author: MaybeText = None
    published: MaybeDate = None
    url: MaybeUrl = None
    credit: Text | None = Field(None, description="agency the text credits, e.g. Yonhap")
    note: str | None = Field(None, description="curator's note on the source (shown in the Sources list)")


class Citation(Model):
    """Evidence: verbatim text of a source article."""

    source: Id
    quote: Text


class Figure(Model):
    """A number a fact reports, for the Key figures table and conflict checks."""

    measure: Text
    value: Text


class Fact(Model):
    """One sourced sentence: the analyst's claim and the quotes that support it."""

    id: Id
    claim: Text
    date: MaybeDate = None
    topics: tuple[Id, ...] = ()
    entities: tuple[Id, ...] = Field((), description="entities the fact involves beyond those its claim names")
    figure: Figure | None = None
    cite: Annotated[tuple[Citation, ...], Field(min_length=1)]
    note: str | None = Field(None, description="curator's note; not rendered")


class EntityKind(StrEnum):
    PERSON = "person"
    ORGANISATION = "organisation"
    COUNTRY = "country"
    PROGRAMME = "programme"
    EVENT = "event"


class Role(Model):
    """A role an entity held, sourced like a fact."""

    title: Text
    date: MaybeDate = None
    cite: Annotated[tuple[Citation, ...], Field(min_length=1)]


class Entity(Model):
    """A person or organisation, recorded once however the articles spell it."""

    name: Text
    kind: EntityKind
    aliases: tuple[Text, ...] = Field((), description="other spellings found in the articles")
    roles: tuple[Role, ...] = ()
    note: str | None = None


class Section(Model):
    """A titled run of facts in a brief."""

    title: Text
    facts: Annotated[tuple[Id, ...], Field(min_length=1)]
    order: Literal["as-listed", "chronological"] = "as-listed"


class Assessment(Model):
    """Analyst judgement, kept apart from sourced facts and labelled as such."""

    text: Text
    based_on: Annotated[tuple[Id, ...], Field(min_length=1, description="facts the judgement rests on")]


class Brief(Model):
    """One brief: what it says, in which order, through which template."""

    title: Text
    subtitle: Text | None = None
    as_of: PartialDate = Field(description="the date the brief speaks for (YYYY-MM-DD)")
    prepared_for: Text | None = None
    prepared_by: Text | None = None
    marking: Text | None = Field(None, description="handling marking; overrides the project's")
    bottom_line: Annotated[tuple[Id, ...], Field(min_length=1, description="facts for the bottom line up front")]
    sections: tuple[Section, ...] = ()
    assessment: tuple[Assessment, ...] = ()
    template: Annotated[str, Field(pattern=r"^[A-Za-z0-9_.-]+$")] = "brief.md.j2"
    paper: Paper | None = Field(None, description="paper size of the PDF; overrides the project's")


class Settings(Model):
    """Project-wide settings."""

    title: Text | None = None
    marking: Text | None = Field(None, description="handling marking, e.g. 'UNCLASSIFIED — FOR DISCUSSION'")
    prepared_by: Text | None = None
    language: Annotated[str, Field(pattern=r"^[a-z]{2,3}(-[A-Za-z0-9]+)*$")] = "en"
    paper: Paper = Field(Paper.A4, description="paper size of the PDFs: a4 or letter")


class Project(Model):
    """The whole of briefs.yaml."""

    project: Settings = Settings()
    sources: dict[Id, Source]
    entities: dict[Id, Entity] = {}
    facts: tuple[Fact, ...]
    briefs: dict[Id, Brief]
