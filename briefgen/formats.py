"""Output choices the CLI names (a module of its own so the CLI need not import the pipeline)."""

from enum import StrEnum


class Format(StrEnum):
    MD = "md"
    PDF = "pdf"
    HTML = "html"


DEFAULT_FORMATS = (Format.MD, Format.PDF)


class Paper(StrEnum):
    """Paper sizes, by their CSS `size` names."""

    A4 = "a4"
    LETTER = "letter"


class PdfVariant(StrEnum):
    """PDF standards WeasyPrint can target. Both are tagged (structure for screen readers)."""

    UA1 = "pdf/ua-1"  # accessible: tagged, with title and language
    A3B = "pdf/a-3b"  # archival, with embedded files allowed (our evidence attachments)
