"""`briefgen add`, step one: an article's text and its own metadata, from a saved page, a PDF or text.

- HTML: trafilatura finds the article's body (it is built to drop navigation, cookie banners,
  share buttons, related-article lists and scripts); the text is kept exactly as it extracts it.
  The metadata comes from the page's own markup — JSON-LD `NewsArticle`, OpenGraph, `<meta>` tags,
  `<link rel=canonical>` — each value remembering where it was read, so that the source entry can
  say so. Nothing is looked up and nothing is guessed here (guesses from the text are `suggest`'s).
- PDF: pypdf's text layer, with the lines of each paragraph rejoined (see `_reflowed`), and the
  document information's Title and Author.
- .txt and .md: the file as it is.

Every failure is a located error (the file, and a line where there is one) and nothing is written.
"""

from __future__ import annotations

import io
import json
import logging
import re
from collections.abc import Iterator
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import Any, NoReturn

from briefgen.errors import Diagnostic, Location, ValidationFailed, plural
from briefgen.limits import Limits, raise_hint
from briefgen.project.load import Unreadable, _read_bytes, decode_utf8
from briefgen.tools.metadata import parse_date

MIN_ARTICLE_CHARS = 200  # less than this is a teaser, a caption or an index page, not an article
HTML_SUFFIXES = (".html", ".htm", ".xhtml", ".shtml")
TEXT_SUFFIXES = (".txt", ".md", ".markdown")
_ARTICLE_TYPES = frozenset(
    [
        "NewsArticle",
        "Article",
        "ReportageNewsArticle",
        "AnalysisNewsArticle",
        "OpinionNewsArticle",
        "BackgroundNewsArticle",
        "ReviewNewsArticle",
        "BlogPosting",
        "Report",
        "ScholarlyArticle",
    ]
)
# `<meta>` tags that state a field, most specific first: (attribute, name, field).
_META_TAGS = (
    ("property", "og:title", "title"),
    ("property", "og:site_name", "outlet"),
    ("property", "og:url", "url"),
    ("property", "article:published_time", "published"),
    ("property", "article:author", "author"),
    ("name", "author", "author"),
    ("name", "dc.creator", "author"),
    ("name", "dcterms.creator", "author"),
    ("name", "citation_author", "author"),
    ("name", "citation_title", "title"),
    ("name", "dc.title", "title"),
    ("name", "citation_publication_date", "published"),
    ("name", "dc.date.issued", "published"),
    ("name", "dcterms.issued", "published"),
    ("name", "article:published_time", "published"),
    ("name", "pubdate", "published"),
    ("name", "publish-date", "published"),
    ("name", "application-name", "outlet"),
)
_ISO_DATE = re.compile(r"^\s*((?:19|20)\d{2})-(\d{2})-(\d{2})")
_PDF_DATE = re.compile(r"^D:((?:19|20)\d{2})(\d{2})(\d{2})")
_SENTENCE_END = (".", "!", "?", '"', "”", "’", "'", ")", ":")


class Kind(StrEnum):
    HTML = "html"
    PDF = "pdf"
    TEXT = "text"


@dataclass(frozen=True)
class Stated:
    """A metadata value the file states about itself, and where in the file it says so."""

    field: str  # title, outlet, author, published, url
    value: str
    origin: str  # e.g. "the page's JSON-LD NewsArticle `headline`"


@dataclass(frozen=True)
class Extracted:
    path: Path
    kind: Kind
    text: str  # what goes into seeds/<slug>.txt, byte for byte once encoded as UTF-8
    original: bytes
    stated: tuple[Stated, ...]  # at most one per field, the most specific source first
    remarks: tuple[str, ...]  # what the curator should know: other values the file gives, dates not used


def extract(path: Path, limits: Limits | None = None) -> Extracted:
    """The article in `path`, by its type; raise ValidationFailed (located at `path`) when there is none."""
    limits = limits or Limits.from_env()
    data = _read_bytes(path, limits.article_bytes)
    if data is None:
        fail(path, f"file is larger than the {limits.article_bytes:,}-byte article limit", raise_hint("article_bytes"))
    if isinstance(data, Unreadable):
        fail(path, data.message, data.hint or "check the file's name and that you may read it")
    kind = file_kind(path, data)
    if kind is Kind.PDF:
        text, stated, remarks = _from_pdf(path, data)
    elif kind is Kind.HTML:
        text, stated, remarks = _from_html(path, data)
    else:
        decoded = decode_utf8(data)
        if isinstance(decoded, Unreadable):
            fail(path, decoded.message, decoded.hint, decoded.line, decoded.column)
        text, stated, remarks = decoded, (), ()
    if len(text.encode("utf-8")) > limits.article_bytes:
        fail(
            path,
            f"the extracted text is larger than the {limits.article_bytes:,}-byte article limit",
            raise_hint("article_bytes"),
        )
    if not text.strip():
        fail(path, "the file has no text", "is it the right file? an empty article cannot be quoted")
    return Extracted(path, kind, text, data, stated, remarks)


def file_kind(path: Path, data: bytes) -> Kind:
    """By content first (a PDF is a PDF whatever it is called), else by the file name's ending."""
    suffix = path.suffix.lower()
    if data.startswith(b"%PDF-"):
        return Kind.PDF
    if suffix == ".pdf":
        fail(
            path,
            "named .pdf but is not a PDF file (it does not start with %PDF-)",
            "download or export the PDF again; a page saved from the browser should end in .html",
        )
    if suffix in HTML_SUFFIXES:
        return Kind.HTML
    if suffix in TEXT_SUFFIXES:
        return Kind.TEXT
    what = f"files ending {suffix!r}" if suffix else "files without an ending"
    fail(
        path,
        f"unknown type: briefgen add reads .html/.htm pages, .pdf files and .txt/.md text, not {what}",
        "save the page from the browser as 'Web page, HTML only', print it to PDF, or paste its text into a .txt file",
    )


def fail(path: Path, message: str, hint: str | None = None, line: int = 0, column: int = 0) -> NoReturn:
    """Raise a located error about the input file (the CLI prints it as `path:line:col: error: …`)."""
    raise ValidationFailed([Diagnostic(Location(path, line, column), message, hint)])


# -- HTML ------------------------------------------------------------------------------------------------


def _from_html(path: Path, data: bytes) -> tuple[str, tuple[Stated, ...], tuple[str, ...]]:
    import trafilatura  # noqa: PLC0415  (slow to import; only `add` needs it)

    logging.getLogger("trafilatura").setLevel(logging.CRITICAL)  # its own warnings are not the user's errors
    tree = trafilatura.load_html(data)
    if tree is None:
        fail(path, "not an HTML page that can be parsed")
    stated, remarks = page_metadata(tree)
    # Precision over recall: a sentence of chrome in seeds/ would be quotable as if the article said it.
    text = trafilatura.extract(
        data, favor_precision=True, include_comments=False, include_tables=True, include_images=False, deduplicate=False
    )
    text = (text or "").strip()
    if len(text) < MIN_ARTICLE_CHARS:
        found = f"only {plural(len(text), 'character')} of text" if text else "no text"
        fail(
            path,
            f"no article found on the page ({found} outside navigation, banners and lists)",
            "save the article's own page (not an index, a search result or a page behind a login), "
            "or paste the article's text into a .txt file and add that",
        )
    return text + "\n", stated, remarks


def page_metadata(tree: Any) -> tuple[tuple[Stated, ...], tuple[str, ...]]:
    """What the page states about itself, the most specific statement per field first."""
    candidates = [*_json_ld(tree), *_meta_tags(tree), *_canonical(tree)]
    chosen: dict[str, Stated] = {}
    remarks: list[str] = []
    for candidate in candidates:
        first = chosen.setdefault(candidate.field, candidate)
        if first is not candidate and _differs(first, candidate):
            remarks.append(f"{candidate.origin} gives a different {candidate.field}: {candidate.value}")
    remarks += _modified_dates(tree)
    order = ("title", "outlet", "author", "published", "url")
    return tuple(chosen[f] for f in order if f in chosen), tuple(dict.fromkeys(remarks))


def _differs(a: Stated, b: Stated) -> bool:
    return " ".join(a.value.casefold().split()) != " ".join(b.value.casefold().split())


def _json_ld(tree: Any) -> Iterator[Stated]:
    for script in tree.xpath('//script[@type="application/ld+json"]'):
        try:
            data = json.loads(script.text or "")
        except ValueError:
            continue  # a broken block states nothing; the other sources may still
        for item in _ld_items(data):
            types = item.get("@type")
            type_names = {types} if isinstance(types, str) else set(types) if isinstance(types, list) else set()
            article_type = next((t for t in type_names if t in _ARTICLE_TYPES), None)
            if article_type:
                yield from _ld_fields(item, f"the page's JSON-LD {article_type}")
                return  # the first article block describes the page; later ones are related items


def _ld_items(data: Any) -> Iterator[dict[str, Any]]:
    if isinstance(data, list):
        for entry in data:
            yield from _ld_items(entry)
    elif isinstance(data, dict):
        yield data
        yield from _ld_items(data.get("@graph"))


def _ld_fields(item: dict[str, Any], origin: str) -> Iterator[Stated]:
    headline = _text(item.get("headline")) or _text(item.get("name"))
    if headline:
        yield Stated("title", headline, f"{origin} `{'headline' if _text(item.get('headline')) else 'name'}`")
    publisher = item.get("publisher")
    name = _text(publisher.get("name")) if isinstance(publisher, dict) else _text(publisher)
    if name:
        yield Stated("outlet", name, f"{origin} `publisher`")
    authors = [a for a in (_person(p) for p in _as_list(item.get("author"))) if a]
    if authors:
        yield Stated("author", ", ".join(dict.fromkeys(authors)), f"{origin} `author`")
    published = _text(item.get("datePublished"))
    date = _date_part(published) if published else None
    if published and date:
        yield Stated("published", date, f"{origin} `datePublished` ({published})")
    page = item.get("mainEntityOfPage")
    url = _text(item.get("url")) or (_text(page.get("@id")) if isinstance(page, dict) else _text(page))
    if url and _is_web_url(url):
        yield Stated("url", url, f"{origin} `{'url' if _text(item.get('url')) else 'mainEntityOfPage'}`")


def _person(value: Any) -> str | None:
    if isinstance(value, dict):
        return _text(value.get("name"))
    text = _text(value)
    return None if text is None or _is_web_url(text) else text  # a profile link is not a byline


def _as_list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else [value] if value is not None else []


def _text(value: Any) -> str | None:
    if isinstance(value, str) and value.strip():
        return " ".join(value.split())
    return None


def _meta_tags(tree: Any) -> Iterator[Stated]:
    tags: dict[tuple[str, str], str | None] = {}
    for meta in tree.xpath("//meta[@content]"):
        for attribute in ("property", "name", "itemprop"):
            key = (meta.get(attribute) or "").strip().lower()
            if key:
                tags.setdefault((attribute, key), meta.get("content"))
    for attribute, name, field in _META_TAGS:
        value = _text(tags.get((attribute, name)))
        if not value:
            continue
        origin = f'the page\'s <meta {attribute}="{name}">'
        if field == "published":
            date = _date_part(value)
            if date:
                yield Stated(field, date, f"{origin} ({value})")
        elif field == "url":
            if _is_web_url(value):
                yield Stated(field, value, origin)
        elif field != "author" or not _is_web_url(value):
            yield Stated(field, value, origin)


def _canonical(tree: Any) -> Iterator[Stated]:
    for link in tree.xpath('//link[@href][contains(concat(" ", normalize-space(@rel), " "), " canonical ")]'):
        href = link.get("href", "").strip()
        if _is_web_url(href):
            yield Stated("url", href, 'the page\'s <link rel="canonical">')
            return


def _modified_dates(tree: Any) -> list[str]:
    """A page's last-modified date is not its publication date, but the curator may want to see it."""
    values = tree.xpath('//meta[@property="article:modified_time"]/@content')
    return [f'the page\'s <meta property="article:modified_time"> says it was last modified {v}' for v in values[:1]]


def _date_part(value: str) -> str | None:
    """`2025-04-03T15:12:00+09:00` → `2025-04-03`: the calendar date as the page writes it (its own
    time zone), not converted; other spellings as `suggest` reads them in a text."""
    iso = _ISO_DATE.match(value)
    if iso:
        return "-".join(iso.groups())
    date = parse_date(value)
    return date.iso() if date else None


def _is_web_url(value: str) -> bool:
    return re.match(r"^https?://[^\s/]+\.[^\s]+$", value) is not None


# -- PDF -------------------------------------------------------------------------------------------------


def _from_pdf(path: Path, data: bytes) -> tuple[str, tuple[Stated, ...], tuple[str, ...]]:
    from pypdf import PdfReader  # noqa: PLC0415
    from pypdf.errors import PdfReadError  # noqa: PLC0415

    logging.getLogger("pypdf").setLevel(logging.CRITICAL)
    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted and not reader.decrypt(""):
            fail(
                path, "the PDF is encrypted with a password", "save an unprotected copy, or paste its text into a .txt"
            )
        pages = [page.extract_text() or "" for page in reader.pages]
        info: Any = reader.metadata or {}
    except (PdfReadError, ValueError, KeyError, TypeError, OSError) as exc:
        fail(path, f"not a PDF that can be read: {exc}")
    text = _reflowed(pages)
    if len(text.strip()) < MIN_ARTICLE_CHARS:
        fail(
            path,
            f"the PDF has no text layer ({plural(len(text.strip()), 'character')} of text in "
            f"{plural(len(pages), 'page')}): a scanned image?",
            "run OCR first (e.g. `ocrmypdf in.pdf out.pdf`), or paste the article's text into a .txt file",
        )
    return text, *_pdf_metadata(info)


def _pdf_metadata(info: Any) -> tuple[tuple[Stated, ...], tuple[str, ...]]:
    stated = []
    for key, field in (("/Title", "title"), ("/Author", "author")):
        value = _text(str(info.get(key) or ""))
        if value:
            stated.append(Stated(field, value, f"the PDF's document information ({key[1:]})"))
    remarks = []
    created = str(info.get("/CreationDate") or "")
    match = _PDF_DATE.match(created)
    if match:
        # When the file was made, not when the article appeared: shown, never used as `published`.
        remarks.append(f"the PDF's document information says the file was created on {'-'.join(match.groups())}")
    return tuple(stated), tuple(remarks)


def _reflowed(pages: list[str]) -> str:
    """The PDF's text with each paragraph on one line, as in the seeds.

    A PDF's text layer breaks lines where the layout did; `suggest` reads a line as a paragraph.
    A line is joined to the next unless it ends a sentence and is clearly shorter than the page's
    full lines (a paragraph's last line). Only line breaks change — a quote is matched across
    whitespace anyway — and no character is dropped (a hyphen at a line end stays).
    """
    lines = [line.rstrip() for page in pages for line in page.split("\n")]
    widths = sorted(len(line) for line in lines if line.strip())
    full = widths[int(len(widths) * 0.9)] if widths else 0
    paragraphs: list[str] = []
    current: list[str] = []
    for line in lines:
        if not line.strip():
            if current:
                paragraphs.append(_joined(current))
                current = []
            continue
        current.append(line.strip())
        if line.endswith(_SENTENCE_END) and len(line) < 0.85 * full:
            paragraphs.append(_joined(current))
            current = []
    if current:
        paragraphs.append(_joined(current))
    return "\n".join(paragraphs) + "\n"


def _joined(lines: list[str]) -> str:
    out = ""
    for line in lines:
        out += line if not out or out.endswith("-") else " " + line
    return out
