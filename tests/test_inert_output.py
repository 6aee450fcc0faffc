"""Text from the YAML and the articles stays text in every output format, and the PDF fetches nothing.

One project puts a payload of markup into every field a brief prints — claims, titles, outlets,
authors, credits, notes, quotes, entity names and aliases, role titles, section titles, brief
titles and subtitles, markings, assessments, summaries and leads, figures, the project's
labels. The Markdown is read back by three engines with raw HTML *on* (as a permissive wiki
would), the HTML by a parser, the PDF by pypdf and poppler: each payload must come out as
literal text, and no tag, attribute, link or action may come from it.
"""

from __future__ import annotations

import datetime as dt
import re
import socket
import subprocess
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import unquote

import pytest
import yaml
from markdown_it import MarkdownIt
from mdit_py_plugins.footnote import footnote_plugin

from briefgen.assemble import AssembledBrief, assemble_all
from briefgen.build.api import render_outputs
from briefgen.errors import AssetError
from briefgen.formats import Format, RenderOptions
from briefgen.project.load import load_project
from briefgen.project.validate import ValidProject, validate
from briefgen.renderers.html import markdown_to_html, render_print_html
from briefgen.renderers.pdf.layout import _confined_fetcher
from briefgen.renderers.templates import search_path
from briefgen.text.quotes import fold
from tests.conftest import require_tool
from tests.inertness import BODY_TAGS, SHELL_TAGS, Page, assert_inert, pdf_security_report


def payload(field: str) -> str:
    """Markup of every kind a reader could fear, labelled with the field it was put in."""
    return (
        f"{field}: <script>alert('{field}')</script> <img src=x onerror=alert(1)> "
        '[click](javascript:alert(1)) ![i](file:///etc/passwd) <a href="data:text/html,x">d</a> '
        "{{ 7*7 }} {% if true %}T{% endif %} **b** _i_ `c` # h | t | <!-- c --> &amp; &#60; "
        "</style><style>* {color: red} <https://evil.example/x> www.evil.example $x$ @cite ^s^ ~s~"
    )


# Fields a brief prints as text. (Quotes are not printed: they travel percent-encoded in the source
# links' text fragments, and in the PDF's attachments as plain text and JSON.)
FIELDS = {
    "claim",
    "claim-2",
    "headline",
    "source-title",
    "source-outlet",
    "source-author",
    "source-credit",
    "source-note",
    "entity-name",
    "entity-alias",
    "role-title",
    "section-title",
    "brief-title",
    "brief-subtitle",
    "brief-marking",
    "prepared-for",
    "prepared-by",
    "assessment",
    "figure-measure",
    "figure-value",
    "project-marking",
    "project-prepared-by",
}
LABEL_FIELDS = {"label-bottom-line", "label-sources", "label-as-of", "label-curator-note", "label-judgement"}
FIELDS |= LABEL_FIELDS - {"label-judgement"}  # the analyst's-judgement label is on the summary and the lead
ODD_URL = "https://example.com/a_(b)*c'd]e[f]?q=1&r=2#x"
ARTICLE = f"An article scraped from the web.\n{payload('quote')}\nThe end.\n"


def hostile_project(root: Path) -> Path:
    """Write the project (built as data and dumped, so every payload is a plain YAML string)."""
    cite = [{"source": "src", "quote": payload("quote")}]
    project = {
        "project": {
            "marking": payload("project-marking"),
            "prepared_by": payload("project-prepared-by"),
            # The fixed words a project may rename are data too.
            "labels": {key.removeprefix("label-").replace("-", "_"): payload(key) for key in LABEL_FIELDS},
        },
        "sources": {
            "src": {
                "file": "seeds/evil.txt",
                "title": payload("source-title"),
                "outlet": payload("source-outlet"),
                "author": payload("source-author"),
                "credit": payload("source-credit"),
                "note": payload("source-note"),
                "published": "2025-10-20",
                "url": ODD_URL,
            }
        },
        "entities": {
            "ent": {
                "name": payload("entity-name"),
                "kind": "person",
                "aliases": [payload("entity-alias")],
                "roles": [{"title": payload("role-title"), "cite": cite}],
            }
        },
        "facts": [
            {"id": "one", "claim": payload("claim"), "entities": ["ent"], "cite": cite},
            {
                "id": "two",
                "claim": payload("claim-2"),
                "headline": payload("headline"),
                "date": "2025-10-20",
                "figure": {"measure": payload("figure-measure"), "value": payload("figure-value")},
                "cite": cite,
            },
        ],
        "briefs": {
            "evil": {
                "title": payload("brief-title"),
                "subtitle": payload("brief-subtitle"),
                "marking": payload("brief-marking"),
                "prepared_for": payload("prepared-for"),
                "prepared_by": payload("prepared-by"),
                "as_of": "2025-10-24",
                "bottom_line": ["one"],
                "sections": [{"title": payload("section-title"), "facts": ["two"]}],
                "assessment": [{"text": payload("assessment"), "based_on": ["one"]}],
            },
            # Also the analyst's summary and a section's lead (here, so that the `evil` brief's
            # layout, which the PDF check reads across page breaks, is not moved by them).
            "inherits": {
                "title": "Plain title",
                "as_of": "2025-10-24",
                "summary": {"text": payload("summary"), "based_on": ["two"]},
                "bottom_line": ["one"],
                "sections": [
                    {"title": "Plain section", "lead": {"text": payload("lead"), "based_on": ["one"]}, "facts": ["two"]}
                ],
            },
        },
    }
    (root / "seeds").mkdir(parents=True)
    (root / "seeds" / "evil.txt").write_text(ARTICLE, encoding="utf-8")
    config = root / "briefs.yaml"
    config.write_text(yaml.safe_dump(project, allow_unicode=True, width=10_000), encoding="utf-8")
    return config


def assert_every_payload_is_text(text: str, fields: set[str] = FIELDS) -> None:
    # Print and screen set quotes and apostrophes typographically, and print adds soft hyphens
    # (break points): the payload is shown as text if it is there once those are undone.
    text = fold(text).replace("\u00ad", "")
    missing = sorted(field for field in fields if fold(payload(field)) not in text)
    assert not missing, f"not shown literally: {missing}"


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> tuple[ValidProject, dict[str, AssembledBrief]]:
    valid = validate(load_project(hostile_project(tmp_path_factory.mktemp("hostile"))))
    return valid, {brief.id: brief for brief in assemble_all(valid)}


@pytest.fixture(scope="module")
def outputs(
    project: tuple[ValidProject, dict[str, AssembledBrief]], tmp_path_factory: pytest.TempPathFactory
) -> dict[str, bytes]:
    valid, briefs = project
    out = tmp_path_factory.mktemp("out")
    files = render_outputs(valid, list(briefs.values()), RenderOptions((Format.MD, Format.HTML)), out)
    return {path.name: data for path, data in files.items()}


EVIL_FIELDS = FIELDS - {"project-marking", "project-prepared-by"}  # the brief sets its own
INHERITED_FIELDS = {"claim", "claim-2", "project-marking", "project-prepared-by", "summary", "lead", *LABEL_FIELDS}


def markdown_engines() -> Iterator[tuple[str, Any]]:
    md = MarkdownIt("commonmark", {"html": True, "linkify": True}).enable(["table", "strikethrough"])
    md.use(footnote_plugin)
    yield "markdown-it", md.render
    yield (
        "cmark-gfm",
        lambda text: run_tool(
            "cmark-gfm",
            "--unsafe",
            "-e",
            "table",
            "-e",
            "footnotes",
            "-e",
            "autolink",
            "-e",
            "strikethrough",
            text=text,
        ),
    )
    yield "pandoc", lambda text: run_tool("pandoc", "-f", "markdown-smart", "-t", "html", text=text)


def run_tool(name: str, *args: str, text: str) -> str:
    result = subprocess.run([require_tool(name), *args], input=text.encode(), capture_output=True, check=True)
    return result.stdout.decode("utf-8")


@pytest.mark.parametrize("engine", ["markdown-it", "cmark-gfm", "pandoc"])
@pytest.mark.parametrize(("brief_id", "fields"), [("evil", EVIL_FIELDS), ("inherits", INHERITED_FIELDS)])
def test_markdown_shows_every_payload_as_text(
    outputs: dict[str, bytes], engine: str, brief_id: str, fields: set[str]
) -> None:
    render = dict(markdown_engines())[engine]
    page = Page(render(outputs[f"{brief_id}.md"].decode("utf-8")))
    assert_inert(page, BODY_TAGS)
    assert_every_payload_is_text(page.text, fields)
    assert "49" not in page.text  # {{ 7*7 }} was never evaluated


@pytest.mark.parametrize(("brief_id", "fields"), [("evil", EVIL_FIELDS), ("inherits", INHERITED_FIELDS)])
def test_screen_html_shows_every_payload_as_text(outputs: dict[str, bytes], brief_id: str, fields: set[str]) -> None:
    page = Page(outputs[f"{brief_id}.html"].decode("utf-8"))
    assert_inert(page, BODY_TAGS | SHELL_TAGS)
    assert_every_payload_is_text(page.text, fields - {"brief-title"})
    assert [tag for tag, _ in page.elements].count("style") == 1


def test_print_html_title_meta_and_css_strings_are_escaped(
    project: tuple[ValidProject, dict[str, AssembledBrief]], outputs: dict[str, bytes]
) -> None:
    valid, briefs = project
    brief = briefs["evil"]
    html = render_print_html(
        brief,
        outputs["evil.md"].decode("utf-8"),
        search_path(valid.root),
        paper=brief.settings.paper,
        timestamp=dt.datetime(2025, 10, 24, tzinfo=dt.UTC),
    )
    page = Page(html)
    assert_inert(page, BODY_TAGS | SHELL_TAGS)
    assert [tag for tag, _ in page.elements].count("style") == 1
    metas = {attrs.get("name"): attrs.get("content") for tag, attrs in page.elements if tag == "meta"}
    assert metas["author"] == payload("prepared-by")
    assert metas["description"] == payload("brief-subtitle")
    title = re.search(r"<title>(.*?)</title>", html, re.S)
    assert title is not None and "<" not in title.group(1)
    assert_every_payload_is_text(page.text, EVIL_FIELDS - {"brief-title", "brief-subtitle"})


@pytest.mark.parametrize(
    "markdown",
    [
        "[x](javascript:alert(1)) [y](file:///etc/passwd) [z](data:text/html,x) [w](vbscript:x)",
        "<script>alert(1)</script>\n\n<img src=x onerror=alert(1)>",
        "![img](https://evil.example/pixel.png) ![f](file:///etc/passwd)",
        "<javascript:alert(1)> <file:///etc/passwd>",
        '[x](JaVaScRiPt:alert(1) "t") [y]( javascript:alert(1))',
    ],
)
def test_markdown_to_html_allows_no_raw_html_no_images_and_only_http_links(markdown: str) -> None:
    # Second line of defence: even Markdown that was never escaped cannot produce active HTML.
    for paged in (True, False):
        page = Page(markdown_to_html(markdown, paged=paged))
        assert_inert(page, BODY_TAGS)
        assert "img" not in page.tags()


# -- the PDF -------------------------------------------------------------------------------------


class Listener:
    """A local TCP server that counts connections: proof that nothing was fetched from the network."""

    def __init__(self) -> None:
        self.server = socket.create_server(("127.0.0.1", 0))
        self.server.settimeout(0.2)
        self.connections = 0
        self.url = f"http://127.0.0.1:{self.server.getsockname()[1]}"
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._serve, daemon=True)
        self._thread.start()

    def _serve(self) -> None:
        while not self._stop.is_set():
            try:
                connection, _ = self.server.accept()
            except TimeoutError:
                continue
            self.connections += 1
            connection.close()

    def close(self) -> None:
        self._stop.set()
        self._thread.join()
        self.server.close()


@pytest.fixture
def listener() -> Iterator[Listener]:
    server = Listener()
    yield server
    server.close()


def test_the_listener_sees_a_real_fetch(listener: Listener) -> None:
    # Without this, "no connection" below could mean a broken listener rather than a confined fetcher.
    from weasyprint.urls import URLFetcher  # noqa: PLC0415 - WeasyPrint's own, unconfined fetcher

    with pytest.raises(OSError):
        URLFetcher(timeout=2).fetch(listener.url + "/style.css")
    listener.close()
    assert listener.connections == 1


@pytest.mark.slow
def test_pdf_shows_payloads_as_text_and_links_only_http(
    project: tuple[ValidProject, dict[str, AssembledBrief]], tmp_path: Path, listener: Listener
) -> None:
    valid, briefs = project
    pdf = render_outputs(valid, [briefs["evil"]], RenderOptions((Format.PDF,)), tmp_path)[tmp_path / "evil.pdf"]
    report = pdf_security_report(pdf)
    assert not report["javascript"] and not report["launch"] and report["images"] == 0
    assert report["actions"] <= {"/URI", "/GoTo"}
    # The only links are the source's URL (odd characters percent-encoded, the same address), with
    # the quote's payload percent-encoded in a text fragment after it (#…:~:text=…).
    assert report["uris"] and all(unquote(uri).startswith(ODD_URL + ":~:text=") for uri in report["uris"])
    assert report["attachments"] == {"facts.json", "evil.txt"}
    (tmp_path / "evil.pdf").write_bytes(pdf)
    text = subprocess.run(
        [require_tool("pdftotext"), "-enc", "UTF-8", str(tmp_path / "evil.pdf"), "-"], capture_output=True, check=True
    ).stdout.decode("utf-8")
    # pdftotext joins a word hyphenated at a line end, dropping the hyphen: compare without either,
    # and without case (section headings are set in capitals).
    # Quotes are set typographically in print: compare without their style too.
    squashed = re.sub(r"[\s-]+", "", fold(text)).casefold()
    for field in EVIL_FIELDS - {"brief-title"}:  # the title is in the PDF's margins and outline
        assert re.sub(r"[\s-]+", "", fold(payload(field))).casefold() in squashed, field
    prose = render_outputs(valid, [briefs["inherits"]], RenderOptions((Format.PDF,)), tmp_path)
    (tmp_path / "inherits.pdf").write_bytes(prose[tmp_path / "inherits.pdf"])
    prose_report = pdf_security_report(prose[tmp_path / "inherits.pdf"])
    assert not prose_report["javascript"] and not prose_report["launch"] and prose_report["images"] == 0
    text = subprocess.run(
        [require_tool("pdftotext"), "-enc", "UTF-8", str(tmp_path / "inherits.pdf"), "-"],
        capture_output=True,
        check=True,
    ).stdout.decode("utf-8")
    squashed = re.sub(r"[\s-]+", "", fold(text)).casefold()
    for field in ("summary", "lead"):
        assert re.sub(r"[\s-]+", "", fold(payload(field))).casefold() in squashed, field
    assert listener.connections == 0


NOT_SERVED = r"only files from the template directories|no file .* among the templates"


def test_the_confined_fetcher_serves_template_files_and_nothing_else(tmp_path: Path, listener: Listener) -> None:
    templates = tmp_path / "templates"
    templates.mkdir()
    (templates / "own.css").write_text("p { color: black }", encoding="utf-8")
    (templates / "leak.css").symlink_to("/etc/passwd")
    dirs = search_path(tmp_path)
    fetcher = _confined_fetcher(dirs)
    assert fetcher.fetch(templates.as_uri() + "/own.css").read() == b"p { color: black }"
    assert fetcher.fetch(templates.as_uri() + "/print.css").read().startswith(b"/*")  # the built-in, by search path
    refused = [
        "file:///etc/passwd",
        templates.as_uri() + "/../../../../../etc/passwd",
        templates.as_uri() + "/%2e%2e/%2e%2e/%2e%2e/%2e%2e/etc/passwd",
        templates.as_uri() + "/leak.css",
        "file://otherhost" + templates.as_posix() + "/own.css",
        listener.url + "/style.css",
        "https://example.com/style.css",
        "data:text/css,p{color:red}",
        "ftp://127.0.0.1/x",
    ]
    for url in refused[:-4]:  # file: URLs: outside the templates, or not a file of theirs
        with pytest.raises(ValueError, match=NOT_SERVED):
            fetcher.fetch(url)
    for url in refused[-4:]:
        with pytest.raises(ValueError, match="only files from the template directories"):
            fetcher.fetch(url)
    assert listener.connections == 0


LEAKY_SHELL = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>{{{{ brief.brief.title }}}}</title>
<link rel="stylesheet" href="{url}/evil.css">
<link rel="attachment" href="file:///etc/passwd">
<style>
@import url("{url}/import.css");
@font-face {{ font-family: Leak; src: url(file:///etc/passwd); }}
body {{ background: url(file:///etc/passwd); }}
h1 {{ background: url({url}/pixel.png); }}
</style></head>
<body>
<img src="file:///etc/passwd" alt=""><img src="{url}/pixel.png" alt="">
<object data="file:///etc/passwd"></object><embed src="file:///etc/passwd"><iframe src="file:///etc/passwd"></iframe>
<a rel="attachment" href="file:///etc/passwd">passwd</a>
<svg width="10" height="10"><image href="file:///etc/passwd" width="10" height="10"/></svg>
{{{{ body }}}}
</body></html>
"""


def test_a_template_cannot_make_the_pdf_fetch_or_embed_anything(
    tmp_path: Path, listener: Listener, caplog: pytest.LogCaptureFixture
) -> None:
    # Templates are trusted code, yet even a hostile print shell cannot reach past the template
    # directories: every reference below is refused by the fetcher, and WeasyPrint says so.
    config = hostile_project(tmp_path / "project")
    (config.parent / "templates").mkdir()
    (config.parent / "templates" / "print.html.j2").write_text(LEAKY_SHELL.format(url=listener.url), encoding="utf-8")
    # And a PDF that names a file it may not load is not made at all (the build then locates
    # each refusal: test_theme.py).
    valid = validate(load_project(config))
    with caplog.at_level("WARNING", logger="weasyprint"), pytest.raises(AssetError) as raised:
        render_outputs(valid, assemble_all(valid, ["inherits"]), RenderOptions((Format.PDF,)), tmp_path)
    assert listener.connections == 0
    refusals = [reason for _, reason in raised.value.failures if "only files from the template directories" in reason]
    assert any("/etc/passwd" in message for message in refusals)
    assert any(listener.url in message for message in refusals)
    assert not [r for r in caplog.records if "only files from" in r.getMessage()]  # errors now, not log lines
