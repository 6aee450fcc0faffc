"""The real engines each output is written for, as the tests drive them, and readers of what they make.

cmark-gfm is GitHub's own Markdown engine (repository files and wikis); Python-Markdown with the
extensions MkDocs loads is MkDocs; pandoc reads its own Markdown and MediaWiki wikitext.
"""

from __future__ import annotations

import json
import subprocess
from html.parser import HTMLParser
from typing import Any

import markdown

from tests.conftest import require_tool

# MkDocs always loads toc, tables and fenced_code; footnotes is what the mkdocs flavor needs; the
# rest are the extensions MkDocs sites most often add, so escaping must hold with them on too.
MKDOCS_EXTENSIONS = ["toc", "tables", "fenced_code", "footnotes", "admonition", "attr_list", "def_list", "abbr"]


def cmark_gfm(text: str, *, footnotes: bool) -> str:
    """HTML from cmark-gfm with GitHub's extensions; raw HTML is passed (GitHub sanitises it afterwards)."""
    extensions = ["table", "strikethrough", "autolink", "tasklist", *(["footnotes"] if footnotes else [])]
    args = [require_tool("cmark-gfm"), "--unsafe", *(arg for e in extensions for arg in ("-e", e))]
    return subprocess.run(args, input=text, capture_output=True, text=True, check=True).stdout


def python_markdown(text: str) -> str:
    """HTML from Python-Markdown configured as MkDocs (plus its commonly added extensions)."""
    return markdown.markdown(text, extensions=MKDOCS_EXTENSIONS)


def pandoc(text: str, reader: str, writer: str = "json") -> str:
    args = [require_tool("pandoc"), f"--from={reader}", f"--to={writer}", "--wrap=none"]
    return subprocess.run(args, input=text, capture_output=True, text=True, check=True).stdout


def pandoc_ast(text: str, reader: str) -> dict[str, Any]:
    """pandoc's document tree (its JSON AST) for `text` in `reader` format."""
    result: dict[str, Any] = json.loads(pandoc(text, reader))
    return result


class NotPlainText(AssertionError):
    """An engine turned escaped text into something other than text."""


def plain_inlines(inlines: list[dict[str, Any]], *, links: bool = False) -> str:
    """The text of pandoc inlines that must be nothing but text; anything else fails.

    With `links`, a link counts as its text.
    """
    parts = []
    for node in inlines:
        kind = node["t"]
        if kind == "Str":
            parts.append(node["c"])
        elif kind in ("Space", "SoftBreak"):
            parts.append(" ")
        elif kind == "Link" and links:
            parts.append(plain_inlines(node["c"][1], links=links))
        else:
            raise NotPlainText(f"pandoc made a {kind}: {json.dumps(node)[:300]}")
    return "".join(parts)


def walk(node: Any) -> Any:
    """Every dict in a pandoc AST, depth first."""
    if isinstance(node, dict):
        yield node
        for value in node.values():
            yield from walk(value)
    elif isinstance(node, list):
        for item in node:
            yield from walk(item)


TEXT_TAGS = ("p", "h2", "li", "td")
CONTAINERS = ("ul", "table", "thead", "tbody", "tr", "th")  # what holds them in the test pages


class HtmlText(HTMLParser):
    """The text of every paragraph, heading, list item and table cell; any other element is noted.

    Elements inside a text, or anywhere but in the containers of the page (a code block, a quote,
    a rule), mean the engine made markup from text. Table header cells are not inspected.
    """

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.texts: dict[str, list[str]] = {tag: [] for tag in TEXT_TAGS}
        self.unexpected: list[str] = []
        self._open: str | None = None
        self._in_header_cell = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if self._in_header_cell:
            return
        if self._open is not None:
            self.unexpected.append(f"<{tag} {attrs}> in <{self._open}> {self.texts[self._open][-1]!r}")
        elif tag in TEXT_TAGS:
            self._open = tag
            self.texts[tag].append("")
        elif tag in CONTAINERS:
            self._in_header_cell = tag == "th"
        else:
            self.unexpected.append(f"<{tag} {attrs}>")

    def handle_endtag(self, tag: str) -> None:
        if tag == self._open:
            self._open = None
        elif tag == "th":
            self._in_header_cell = False

    def handle_data(self, data: str) -> None:
        if self._open is not None:
            self.texts[self._open][-1] += data


def html_texts(html: str) -> dict[str, list[str]]:
    """Texts by tag; fails if any of them contains an element (markup made from text)."""
    parser = HtmlText()
    parser.feed(html)
    parser.close()
    if parser.unexpected:
        raise NotPlainText("; ".join(parser.unexpected[:3]))
    return parser.texts


def pandoc_texts(ast: dict[str, Any]) -> dict[str, list[str]]:
    """Texts of pandoc's top-level paragraphs, headings, list items, table cells (last column) and notes."""
    texts: dict[str, list[str]] = {"p": [], "h2": [], "li": [], "td": [], "note": []}
    for block in ast["blocks"]:
        kind, content = block["t"], block.get("c")
        if kind == "Para" and content and content[-1]["t"] == "Note":  # `ref3<ref>…</ref>`
            (note_block,) = content[-1]["c"]
            texts["note"].append(plain_inlines(note_block["c"]))
        elif kind == "Para":
            texts["p"].append(plain_inlines(content))
        elif kind == "Header":
            texts["h2"].append(plain_inlines(content[2]))
        elif kind == "BulletList":
            texts["li"].extend(_only_block_text(item) for item in content)
        elif kind == "Table":
            for body in content[4]:
                texts["td"].extend(_only_block_text(row[1][-1][4]) for row in body[3])
        else:
            raise NotPlainText(f"pandoc made a {kind}: {json.dumps(block)[:300]}")
    return texts


def _only_block_text(blocks: list[dict[str, Any]]) -> str:
    if len(blocks) != 1 or blocks[0]["t"] not in ("Plain", "Para"):
        raise NotPlainText(f"expected one paragraph, got {json.dumps(blocks)[:300]}")
    return plain_inlines(blocks[0]["c"])


def words(text: str) -> str:
    return " ".join(text.split())
