"""Output formats (a module of its own so the CLI can name them without importing the pipeline)."""

from enum import StrEnum


class Format(StrEnum):
    MD = "md"
    PDF = "pdf"
    HTML = "html"


DEFAULT_FORMATS = (Format.MD, Format.PDF)
