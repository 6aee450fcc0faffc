"""The package around the document: no template leftovers (thumbnail, application properties),
the core properties, and the zip rewritten with one fixed date so that the file is reproducible."""

from __future__ import annotations

import datetime as dt
import io
import zipfile

from docx.document import Document as WordDocument
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml.ns import qn

from briefgen.assemble import AssembledBrief
from briefgen.renderers.docx.style import text

APP_PROPERTIES = (
    b"<?xml version='1.0' encoding='UTF-8' standalone='yes'?>\n"
    b'<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties">'
    b"<Application>briefgen</Application><DocSecurity>0</DocSecurity></Properties>"
)


def clear_template_leftovers(document: WordDocument) -> None:
    """The blank template's preview picture would show an empty page for every brief, and its
    application properties name the program that made the template, with its page and word counts."""
    package = document.part.package
    for r_id, rel in list(package.rels.items()):
        if rel.reltype == RT.THUMBNAIL:
            del package.rels[r_id]
        elif rel.reltype == RT.EXTENDED_PROPERTIES:
            rel.target_part._blob = APP_PROPERTIES  # a plain Part: its bytes are written as they are
    preview = document.settings.element.find(qn("w:savePreviewPicture"))
    if preview is not None:
        document.settings.element.remove(preview)


def set_properties(document: WordDocument, brief: AssembledBrief, timestamp: dt.datetime) -> None:
    props = document.core_properties
    props.title = _property(brief.brief.title)
    props.subject = _property(brief.brief.subtitle or brief.brief.title)
    props.author = _property(brief.prepared_by or "")
    props.last_modified_by = "briefgen"
    props.keywords = _property("; ".join(brief.topics))
    props.category = _property(brief.marking or "")
    props.comments = _property(f"Sourced brief {brief.id}, as of {brief.brief.as_of.human()}; made by briefgen.")
    props.language = _property(brief.settings.language)
    props.identifier = _property(brief.id)
    props.revision = 1
    moment = timestamp.astimezone(dt.UTC).replace(tzinfo=None, microsecond=0)
    props.created = moment
    props.modified = moment


CORE_PROPERTY_CHARS = 255  # python-docx's limit (Word shows no more)


def _property(value: str) -> str:
    """A core property: one line, cut with an ellipsis past the limit (the page has it whole)."""
    words = text(value)
    return words if len(words) <= CORE_PROPERTY_CHARS else words[: CORE_PROPERTY_CHARS - 1] + "…"


def fixed_zip(data: bytes, timestamp: dt.datetime) -> bytes:
    """The package again, each entry with the same fixed date and attributes (zipfile stamps
    entries with the clock), in python-docx's order ([Content_Types].xml first)."""
    moment = timestamp.astimezone(dt.UTC)
    date_time = max(
        (moment.year, moment.month, moment.day, moment.hour, moment.minute, moment.second), (1980, 1, 1, 0, 0, 0)
    )
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w") as target:
        for name in source.namelist():
            info = zipfile.ZipInfo(name, date_time)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.create_system = 0
            info.external_attr = 0o644 << 16
            target.writestr(info, source.read(name), compresslevel=9)
    return out.getvalue()
