"""Stage 4c, render PDF: the brief's HTML laid out by WeasyPrint (A4, page-foot notes, tagged).

WeasyPrint is imported here, lazily: it costs ~0.4 s, and commands that make no PDF should not pay.
Resources are confined: WeasyPrint may read files from the template directories and nothing else —
no network, no other file on disk — whatever the briefs.yaml or the articles contain.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import unquote, urlsplit

if TYPE_CHECKING:
    import weasyprint

log = logging.getLogger(__name__)

PDF_VARIANT = "pdf/ua-1"  # tagged, with document language and title: readable by screen readers


def render_pdf(html: str, template_dirs: tuple[Path, ...]) -> bytes:
    """Lay out the HTML and return the PDF bytes; same HTML and fonts give the same bytes."""
    import weasyprint  # noqa: PLC0415 - deliberately lazy, see module docstring

    base = template_dirs[0]
    document = weasyprint.HTML(string=html, base_url=base.as_uri() + "/", url_fetcher=_confined_fetcher(template_dirs))
    pdf: bytes = document.write_pdf(pdf_variant=PDF_VARIANT, pdf_identifier=True)
    return pdf


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
    """The file a URL names, looked up along the template search path; None if outside it."""
    parts = urlsplit(url)
    if parts.scheme != "file" or parts.netloc not in ("", "localhost"):
        return None
    requested = Path(unquote(parts.path))
    for base in template_dirs:
        try:
            relative = requested.relative_to(template_dirs[0])
        except ValueError:
            return None
        candidate = (base / relative).resolve()
        if candidate.is_relative_to(base.resolve()) and candidate.is_file():
            return candidate
    return None
