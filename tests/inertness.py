"""Checks shared by the inert-output and fuzz tests: what a page's markup is, and what a PDF can do."""

from __future__ import annotations

import io
import re
from html.parser import HTMLParser
from typing import Any

import pypdf


class Page(HTMLParser):
    """Every element with its attributes, the text a reader sees, and the contents of <style>."""

    def __init__(self, html: str) -> None:
        super().__init__(convert_charrefs=True)
        self.elements: list[tuple[str, dict[str, str]]] = []
        self.text_parts: list[str] = []
        self.styles: list[str] = []
        self.comments: list[str] = []
        self._in: list[str] = []
        self.feed(html)
        self.close()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.elements.append((tag, {k: v or "" for k, v in attrs}))
        if tag in ("style", "title", "script"):
            self._in.append(tag)

    def handle_endtag(self, tag: str) -> None:
        if self._in and self._in[-1] == tag:
            self._in.pop()

    def handle_data(self, data: str) -> None:
        if self._in and self._in[-1] == "style":
            self.styles.append(data)
        else:
            self.text_parts.append(data)

    def handle_comment(self, data: str) -> None:
        self.comments.append(data)

    @property
    def text(self) -> str:
        return " ".join(" ".join(self.text_parts).split())

    def tags(self) -> set[str]:
        return {tag for tag, _ in self.elements}


BODY_TAGS = {"p", "h1", "h2", "h3", "ul", "ol", "li", "strong", "em", "a", "sup", "hr", "br", "div", "span"}
BODY_TAGS |= {"table", "colgroup", "col", "thead", "tbody", "tr", "th", "td", "section", "header", "aside"}
BODY_TAGS |= {"article", "main"}
# The Timeline figure: briefgen's own SVG (data in it is text, checked like the rest of the page).
BODY_TAGS |= {"figure", "figcaption", "svg", "desc", "g", "line", "circle", "rect", "text"}
SHELL_TAGS = {"html", "head", "meta", "title", "style", "body"}


def assert_inert(page: Page, allowed_tags: set[str]) -> None:
    """No element, attribute, link or comment the payloads could have made."""
    assert page.tags() <= allowed_tags, page.tags() - allowed_tags
    assert not page.comments
    for tag, attrs in page.elements:
        assert not [name for name in attrs if name.startswith("on")], (tag, attrs)
        assert "src" not in attrs, (tag, attrs)
        if "href" in attrs:
            assert re.match(r"(https?://|#)", attrs["href"]), (tag, attrs)
    for style in page.styles:  # outside CSS string literals, nothing of a payload may remain
        rules = re.sub(r'"(?:[^"\\\n]|\\.)*"', '""', style)
        assert "color: red" not in rules and "alert" not in rules and "<style" not in rules


def pdf_security_report(pdf: bytes) -> dict[str, Any]:
    """Links, actions and attachments of a PDF, read with pypdf."""
    reader = pypdf.PdfReader(io.BytesIO(pdf))
    uris: list[str] = []
    actions: set[str] = set()
    for page in reader.pages:
        for annot in page.get("/Annots", []):
            action = annot.get_object().get("/A")
            if action is not None:
                actions.add(str(action.get_object().get("/S")))
                if "/URI" in action:
                    uris.append(str(action["/URI"]))
    raw = pdf.replace(b" ", b"")
    return {
        "uris": uris,
        "actions": actions,
        "attachments": set(reader.attachments),
        "javascript": b"/JavaScript" in raw or b"/JS" in raw,
        "launch": b"/Launch" in raw,
        "images": sum(len(page.images) for page in reader.pages),
    }
