"""Stage 4b, render HTML: the brief's Markdown through markdown-it-py, inside the print shell.

The HTML is made from the very Markdown the wiki gets, so handout and wiki page never disagree.
Footnotes are rewritten for paged media: the first reference to a note carries the note's text in
a `<span class="footnote">` that print CSS floats to the foot of the page (`float: footnote`);
later references to the same note are plain links to it. No raw HTML from the Markdown is allowed
and only http(s) links and in-page anchors survive.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from markdown_it import MarkdownIt
from markdown_it.common.utils import escapeHtml
from markdown_it.token import Token
from markupsafe import Markup
from mdit_py_plugins.footnote import footnote_plugin

from .assemble import AssembledBrief
from .templates import environment, render_template

SHELL_TEMPLATE = "print.html.j2"


def _markdown_parser() -> MarkdownIt:
    md = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False})
    md.enable("table").use(footnote_plugin, inline=False)
    md.validateLink = lambda url: re.match(r"(?i)^(https?://|#)", url) is not None  # type: ignore[method-assign]
    md.add_render_rule("footnote_ref", _render_footnote_ref)
    md.add_render_rule("text", _render_text)
    return md


def markdown_to_html(markdown: str) -> str:
    """The body HTML for a brief's Markdown: masthead, one <section> per `##` heading, page-foot notes."""
    md = _markdown_parser()
    env: dict[str, Any] = {}
    body, notes = _split_footnotes(md.parse(markdown, env))
    renderer: Any = md.renderer  # a RendererHTML; its protocol type lacks renderInline
    env["briefgen_notes"] = {index: renderer.renderInline(inline, md.options, env) for index, inline in notes.items()}
    return str(renderer.render(_wrap_sections(body), md.options, env))


def _render_footnote_ref(self: Any, tokens: Sequence[Token], idx: int, options: Any, env: dict[str, Any]) -> str:
    meta = tokens[idx].meta
    number = meta["id"] + 1
    if meta.get("subId", 0) == 0:
        body = env["briefgen_notes"].get(meta["id"], "")
        return f'<span class="footnote" id="note-{number}">{body}</span>'
    return f'<a class="note-ref" href="#note-{number}" aria-label="note {number}">{number}</a>'


def _render_text(self: Any, tokens: Sequence[Token], idx: int, options: Any, env: dict[str, Any]) -> str:
    """Text as usual, except the comma between two note references, which is set superscript too."""
    content = tokens[idx].content
    between_notes = 0 < idx < len(tokens) - 1 and tokens[idx - 1].type == tokens[idx + 1].type == "footnote_ref"
    if content == "," and between_notes:
        return '<span class="note-sep">,</span>'
    return escapeHtml(content)


def _split_footnotes(tokens: list[Token]) -> tuple[list[Token], dict[int, list[Token]]]:
    """Take the end-of-document footnote list out of the stream; return its notes' inline tokens.

    In print the notes sit at the foot of each page, so the list itself is not rendered.
    """
    body: list[Token] = []
    notes: dict[int, list[Token]] = {}
    current: int | None = None
    inside = False
    for token in tokens:
        if token.type == "footnote_block_open":
            inside = True
        elif token.type == "footnote_block_close":
            inside = False
        elif token.type == "footnote_open":
            current = token.meta["id"]
            notes[current] = []
        elif inside and token.type == "inline" and current is not None:
            notes[current].extend(token.children or [])
        elif not inside:
            body.append(token)
    return body, notes


def _html_token(content: str) -> Token:
    token = Token("html_block", "", 0)
    token.content = content
    return token


def _wrap_sections(tokens: list[Token]) -> list[Token]:
    """Wrap what precedes the first `##` in <header class="masthead"> and each `##` part in <section>."""
    out = [_html_token('<header class="masthead">\n')]
    open_tag = "</header>\n"
    for i, token in enumerate(tokens):
        if token.type == "heading_open" and token.tag == "h2":
            slug = _slug(tokens[i + 1].content)
            out.append(_html_token(f'{open_tag}<section class="block block-{slug}" id="{slug}">\n'))
            open_tag = "</section>\n"
        out.append(token)
    out.append(_html_token(open_tag))
    return out


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-") or "section"


def render_html(brief: AssembledBrief, markdown: str, template_dirs: tuple[Path, ...]) -> str:
    """A complete HTML document for the brief: the print shell around the Markdown's HTML."""
    env = environment(template_dirs, autoescape=True)
    context = {
        "brief": brief,
        "body": Markup(markdown_to_html(markdown)),
        "language": brief.settings.language,
        "keywords": ", ".join(sorted({topic for fact in brief.facts for topic in fact.topics})),
    }
    return render_template(env, template_dirs, SHELL_TEMPLATE, context)
