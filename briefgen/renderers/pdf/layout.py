"""Lay out a PDF: the brief's HTML laid out by WeasyPrint, with its evidence attached.

WeasyPrint is imported here, lazily: it costs ~0.4 s, and commands that make no PDF should not pay.
Resources are confined: WeasyPrint may read files from the template directories and nothing else —
no network, no other file on disk — whatever the briefs.yaml or the articles contain.
"""

from __future__ import annotations

import datetime as dt
import logging
import re
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import unquote, urlsplit

from briefgen.errors import raise_if_interrupted
from briefgen.formats import PdfVariant
from briefgen.renderers.pdf.job import EvidenceFile
from briefgen.renderers.templates import find_template_file

if TYPE_CHECKING:
    import weasyprint

log = logging.getLogger(__name__)
_subsetter_checked = False


def render_pdf(
    html: str,
    template_dirs: tuple[Path, ...],
    *,
    attachments: Sequence[EvidenceFile] = (),
    timestamp: dt.datetime,
    variant: PdfVariant = PdfVariant.UA1,
    fonts_key: str | None = None,
) -> bytes:
    """Lay out the HTML and return the PDF bytes; the same inputs give the same bytes.

    `timestamp` stamps the attachments (WeasyPrint would otherwise use the clock); the document's
    own dates come from the HTML's dcterms meta tags, set from the same timestamp. Briefs rendered
    with the same `fonts_key` (a hash of the template directories' files) share one font
    configuration, so the @font-face fonts are loaded once per process, not once per brief.
    """
    import weasyprint  # noqa: PLC0415 - deliberately lazy, see module docstring

    _say_once_if_subsetting_is_slow()
    fetcher = _confined_fetcher(template_dirs)
    document = weasyprint.HTML(string=html, base_url=template_dirs[0].as_uri() + "/", url_fetcher=fetcher)
    files = [
        weasyprint.Attachment(
            string=item.data,
            name=item.name,
            description=item.description,
            created=timestamp,
            modified=timestamp,
            relationship="Supplement",
            url_fetcher=fetcher,
        )
        for item in attachments
    ]
    # Tags stay on for PDF/A too: the structure is what screen readers and reflow use.
    pdf: bytes = document.write_pdf(
        pdf_variant=str(variant),
        pdf_tags=True,
        pdf_identifier=True,
        attachments=files,
        font_config=_font_configuration(fonts_key),
        finisher=_tidy_attachments,
    )
    raise_if_interrupted()  # a signal WeasyPrint swallowed must not leave a PDF without its figure
    return pdf


def _tidy_attachments(document: Any, pdf: Any) -> None:
    """Make the attachments findable by name, as strict readers require (WeasyPrint 70 does neither).

    The EmbeddedFiles name tree must list its keys in sorted order (ISO 32000-1 §7.9.6): readers
    such as qpdf look a name up by binary search, so `facts.json` before the articles' names was
    "not found". And under PDF/A-3 each attachment was listed twice in the catalog's /AF.
    """
    names = pdf.catalog.get("Names", {}).get("EmbeddedFiles")
    if names is not None:
        tree = pdf.objects[int(names.split()[0])]
        pairs = sorted(zip(tree["Names"][::2], tree["Names"][1::2], strict=True), key=lambda p: _string_bytes(p[0]))
        tree["Names"][:] = [item for pair in pairs for item in pair]
    if "AF" in pdf.catalog:
        pdf.catalog["AF"][:] = list(dict.fromkeys(pdf.catalog["AF"]))


def _string_bytes(string: Any) -> bytes:
    """The bytes a PDF string holds, which is what name trees are sorted by."""
    data: bytes = string.data
    if data.startswith(b"<"):
        return bytes.fromhex(data[1:-1].decode("ascii"))
    return re.sub(rb"\\(.)", rb"\1", data[1:-1])


_font_configurations: dict[str, Any] = {}


def _font_configuration(key: str | None) -> Any:
    """One FontConfiguration per template set (the latest only); None: a fresh one per document.

    The output does not depend on what was rendered before (tests compare serial and parallel
    builds byte for byte); sharing only saves reloading the same font files.
    """
    from weasyprint.text.fonts import FontConfiguration  # noqa: PLC0415

    if key is None:
        return FontConfiguration()
    if key not in _font_configurations:
        _font_configurations.clear()
        _font_configurations[key] = FontConfiguration()
    return _font_configurations[key]


def subsetting_is_slow() -> bool:
    """True when WeasyPrint lacks HarfBuzz's subsetter and falls back to fontTools."""
    from weasyprint.text import ffi  # noqa: PLC0415

    return getattr(ffi, "harfbuzz_subset", None) is None


def notice_given_elsewhere() -> None:
    """In a helper process: the parent gives the missing-subsetter notice on the helpers' behalf."""
    global _subsetter_checked  # noqa: PLW0603 - a once-per-process notice
    _subsetter_checked = True


def _say_once_if_subsetting_is_slow() -> None:
    """WeasyPrint subsets fonts ~3× faster with HarfBuzz's subsetter; say how to get it, once per run."""
    global _subsetter_checked  # noqa: PLW0603 - a once-per-process notice
    if _subsetter_checked:
        return
    _subsetter_checked = True
    if subsetting_is_slow():
        warn_slow_subsetting()


def warn_slow_subsetting() -> None:
    """The notice itself (also given by the parent process on behalf of its PDF workers)."""
    log.warning(
        "PDF fonts are being subset with fontTools, which is several times slower than HarfBuzz; "
        "install the subsetter for faster PDFs: sudo apt-get install libharfbuzz-subset0"
    )


def _confined_fetcher(template_dirs: tuple[Path, ...]) -> weasyprint.URLFetcher:
    from weasyprint.urls import URLFetcher, URLFetcherResponse  # noqa: PLC0415

    class ConfinedFetcher(URLFetcher):  # type: ignore[misc]
        """Serves `file:` URLs that fall inside a template directory; refuses everything else."""

        def fetch(self, url: str, headers: Any = None) -> URLFetcherResponse:
            path = _resolve_in_templates(url, template_dirs)
            if path is None:
                raise ValueError(f"briefgen loads only files from the template directories, not {url[:120]!r}")
            return URLFetcherResponse(path.as_uri(), path.read_bytes())

    return ConfinedFetcher()


def _resolve_in_templates(url: str, template_dirs: tuple[Path, ...]) -> Path | None:
    """The file a URL names, looked up along the template search path; None if outside it.

    Relative URLs in the CSS resolve against the first template directory (the base URL); the
    same relative path is then looked up in each directory in search order, like templates are.
    """
    parts = urlsplit(url)
    if parts.scheme != "file" or parts.netloc not in ("", "localhost"):
        return None
    try:
        relative = Path(unquote(parts.path)).relative_to(template_dirs[0])
    except ValueError:
        return None
    return find_template_file(template_dirs, relative)
