"""Lay out a PDF: the brief's HTML laid out by WeasyPrint, with its evidence attached.

WeasyPrint is imported here, lazily: it costs ~0.4 s, and commands that make no PDF should not pay.
Resources are confined: WeasyPrint may read files from the template directories and nothing else —
no network, no other file on disk — whatever the briefs.yaml or the articles contain. A file it
cannot load (refused, missing, undecodable) fails the PDF with an AssetError: WeasyPrint itself
would log a line and lay the page out without it.
"""

from __future__ import annotations

import atexit
import datetime as dt
import logging
import os
import re
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING, Any
from urllib.parse import unquote, urlsplit

from briefgen.errors import AssetError, raise_if_interrupted
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
    failures: list[tuple[str | None, str]] = []
    fetcher = _confined_fetcher(template_dirs, failures)
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
    with _load_failures_logged(failures):
        pdf: bytes = document.write_pdf(
            pdf_variant=str(variant),
            pdf_tags=True,
            pdf_identifier=True,
            attachments=files,
            font_config=_font_configuration(fonts_key),
            finisher=_tidy_attachments,
        )
    raise_if_interrupted()  # a signal WeasyPrint swallowed must not leave a PDF without its figure
    if failures:  # WeasyPrint lays out without what it could not load; a handout must not
        raise AssetError(tuple(dict.fromkeys(failures)))
    return pdf


# What WeasyPrint logs when it goes on without a file: an image, a stylesheet, an SVG, a font.
_LOAD_FAILURE = re.compile(r"^(Failed to (load|render)|Font-face .* cannot be loaded)")


class _LoadFailures(logging.Filter):
    """Takes WeasyPrint's load failures out of its log into `failures` (they become errors, not
    log lines): the ones the fetcher did not see too, such as an image it could fetch but not
    decode or a font file that is not a font, with the URL where the message has one."""

    def __init__(self, failures: list[tuple[str | None, str]]) -> None:
        super().__init__()
        self.failures = failures
        self.explained = 0  # failures before this one were there at the last Font-face message

    def filter(self, record: logging.LogRecord) -> bool:
        if record.levelno < logging.WARNING or not isinstance(record.msg, str) or not _LOAD_FAILURE.match(record.msg):
            return True
        args = record.args if isinstance(record.args, tuple) else ()
        if record.msg.startswith("Font-face"):
            # WeasyPrint fetches an @font-face rule's files, then says only its family when none
            # loaded. A file the fetcher refused since the last such message was this rule's, and
            # is reported already (`no file 'fonts/x.ttf'`); otherwise its file was found but is no font.
            since, self.explained = self.failures[self.explained :], len(self.failures)
            if not any(url and _may_be_a_font(url) for url, _ in since):
                family = args[0] if args else ""
                self.failures.append((None, f"the font {family!r}: its file is not a font WeasyPrint can read"))
                self.explained = len(self.failures)
            return False
        url = args[0] if args and isinstance(args[0], str) and ":" in args[0] else None
        if url is None or all(url != seen for seen, _ in self.failures):
            self.failures.append((url, _reason(record.msg, args)))
        return False


_NOT_FONTS = frozenset({".css", ".png", ".jpg", ".jpeg", ".gif", ".svg", ".webp", ".bmp", ".ico"})


def _may_be_a_font(url: str) -> bool:
    """False for a URL that names a stylesheet or an image (a font's file may be named anyhow)."""
    return PurePosixPath(urlsplit(url).path).suffix.lower() not in _NOT_FONTS


def _reason(message: str, args: tuple[object, ...]) -> str:
    """`WeasyPrint cannot read it as an image (…)`, from its `Failed to load image at %r: %s`."""
    match = re.match(r"Failed to (load|render) ([\w ]+?)(?: at|:| %s|$)", message)
    verb, what = (match[1], match[2]) if match else ("load", "file")
    detail = str(args[1]).strip() if len(args) > 1 else ""
    article = "an" if what[0].lower() in "aeiou" else "a"
    return f"WeasyPrint cannot {verb} it as {article} {what}" + (f" ({detail})" if detail else "")


@contextmanager
def _load_failures_logged(failures: list[tuple[str | None, str]]) -> Iterator[None]:
    taken = _LoadFailures(failures)
    logger = logging.getLogger("weasyprint")
    logger.addFilter(taken)
    try:
        yield
    finally:
        logger.removeFilter(taken)


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
# Let them go while the interpreter is whole: left to its teardown, FontConfiguration.__del__ finds
# the modules it calls already gone and prints "Exception ignored in …" at every exit.
atexit.register(_font_configurations.clear)


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


def _confined_fetcher(
    template_dirs: tuple[Path, ...], failures: list[tuple[str | None, str]] | None = None
) -> weasyprint.URLFetcher:
    from weasyprint.urls import URLFetcher, URLFetcherResponse  # noqa: PLC0415

    refused = failures if failures is not None else []

    class ConfinedFetcher(URLFetcher):  # type: ignore[misc]
        """Serves `file:` URLs that fall inside a template directory; refuses everything else, and
        records each refusal in `failures` (WeasyPrint would only log it)."""

        def fetch(self, url: str, headers: Any = None) -> URLFetcherResponse:
            path = _resolve_in_templates(url, template_dirs)
            if path is None:
                reason = _refusal(url, template_dirs)
                refused.append((url, reason))
                raise ValueError(reason)
            return URLFetcherResponse(path.as_uri(), path.read_bytes())

    return ConfinedFetcher()


def _refusal(url: str, template_dirs: tuple[Path, ...]) -> str:
    """Why `url` is not served: a file the template directories do not have, or not one of theirs."""
    parts = urlsplit(url)
    if parts.scheme == "file" and parts.netloc in ("", "localhost"):
        path = Path(os.path.normpath(unquote(parts.path)))  # `..` that leads out is not "missing"
        if path.is_relative_to(template_dirs[0]):
            return f"no file {path.relative_to(template_dirs[0]).as_posix()!r} among the templates"
    return f"briefgen loads only files from the template directories, not {url[:120]!r}"


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
