"""What one PDF is made from: a leaf module, so that the process pool, the evidence builder and the
layout share these types without importing each other (or the pipeline, in a helper process)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from briefgen.formats import PdfVariant


@dataclass(frozen=True)
class EvidenceFile:
    """One attachment: its file name, a one-line description, and its bytes."""

    name: str
    description: str
    data: bytes


@dataclass(frozen=True)
class PdfJob:
    """Everything one PDF is made from; sent to a helper process as is."""

    path: Path
    html: str
    template_dirs: tuple[Path, ...]
    attachments: tuple[EvidenceFile, ...]
    timestamp: dt.datetime
    variant: PdfVariant
    fonts_key: str | None = None  # PDFs with the same key share one font configuration per process
