"""The value types of briefs.yaml: ids and text, dates as precise as the evidence, horizons, and
values recorded with the basis on which the curator knows them.

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
from functools import lru_cache
from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    GetCoreSchemaHandler,
    GetJsonSchemaHandler,
)
from pydantic.json_schema import JsonSchemaValue
from pydantic_core import core_schema

ID_PATTERN = r"^[a-z0-9][a-z0-9-]*$"
TEMPLATE_NAME_PATTERN = r"^[A-Za-z0-9_-][A-Za-z0-9_.-]*$"  # a file in a template directory: no `/`, no `..`
# A file on the template search path, maybe in a folder (`images/logo.png`): relative, no `..`, nothing hidden.
ASSET_PATH_PATTERN = r"^[A-Za-z0-9_-][A-Za-z0-9_.-]*(/[A-Za-z0-9_-][A-Za-z0-9_.-]*)*$"
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
        return _date_of(value) if cls is PartialDate else cls._of_text(value)

    @classmethod
    def _of_text(cls, value: str) -> PartialDate:
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


# A project writes the same few hundred dates many times: each read once (half of validating a fact
# was reading its date). PartialDate is immutable, so the facts may share one.
_date_of = lru_cache(maxsize=4096)(PartialDate._of_text)


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


class WarningKind(StrEnum):
    """The kinds of warning a curator may accept, with a reason, on the item a warning is about."""

    NEVER_CITED = "never-cited"
    ALIAS_SPELLING = "alias-spelling"
    HEADLINE_BEYOND_CLAIM = "headline-beyond-claim"
    LOOK_ALIKE = "look-alike"
    SINGLE_SOURCE = "single-source"
    POSSIBLY_STALE = "possibly-stale"
    CONFLICTING_FIGURES = "conflicting-figures"
    NEAR_DUPLICATE = "near-duplicate"
    # Claim support: what a claim (or headline, or figure) says that its quotes do not.
    NUMBER = "number"
    ENTITY = "entity"
    NEGATION = "negation"
    CERTAINTY = "certainty"


class FrozenMapping(dict[Any, Any]):
    """A read-only dict that hashes, so that the frozen models holding one stay hashable."""

    def __hash__(self) -> int:  # type: ignore[override]
        return hash(tuple(sorted(self.items())))

    def _read_only(self, *args: Any, **kwargs: Any) -> Any:
        raise TypeError("a validated project is read-only")

    __setitem__ = __delitem__ = update = setdefault = pop = popitem = clear = _read_only


Accept = Annotated[
    dict[WarningKind, str],
    AfterValidator(FrozenMapping),
    Field(
        default_factory=FrozenMapping,
        description="warnings a curator has reviewed and accepts, by kind, each with the reason, e.g. "
        '`{number: "rounded from the article\'s 56.2 billion"}`; an accepted warning is counted and '
        "listed by `report`, not repeated",
    ),
]
