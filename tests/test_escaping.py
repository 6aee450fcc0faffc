"""Data stays text in every engine: hostile strings, escaped for each language, render as exactly themselves.

Each check puts many escaped strings into one page — as paragraphs (so each starts a line),
headings, list items, table cells and, in wikitext, <ref> notes — renders it once with the real
engine (cmark-gfm, Python-Markdown as MkDocs runs it, pandoc, pandoc's MediaWiki reader) and
compares what a reader would see with the original text: the same words, and no element made
from it. Batching keeps the engines' start-up cost to one process per example.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable, Sequence
from typing import Any
from urllib.parse import unquote

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from markupsafe import Markup

from briefgen.renderers.markup import (
    TEXT_DIRECTIVE_DELIMITER,
    escape_markdown,
    escape_pandoc_markdown,
    escape_python_markdown,
    escape_wikitext,
    markdown_link,
    one_line,
    wikitext_link,
)
from tests.engines import (
    NotPlainText,
    cmark_gfm,
    html_texts,
    pandoc_ast,
    pandoc_texts,
    plain_inlines,
    python_markdown,
    words,
)

# Pieces of markup from every engine involved; hypothesis strings are built from them and from
# single punctuation and arbitrary characters.
HOSTILE_TOKENS = [
    *("* ", "- ", "+ ", "1. ", "1) ", "a. ", "(a) ", "(@) ", "#. ", "# ", "> ", ": ", "; ", "= ", "|"),
    *("**", "__", "_", "`", "```", "~~~", "~~", "^", "$x$", "@key", "[@key]", "[^1]", "^[note]", "\\"),
    *("[x](javascript:alert(1))", "![i](file:///etc/passwd)", "<b>", "</p>", "<!--", "-->", "&amp;", "&#60;"),
    *("https://example.com/a_b", "www.example.com", "mailto:a@b.c", "news:x", "a@b.com", ":smile:"),
    *("{: .cls}", "!!! note", "*[HTML]: x", "[TOC]", "///Footnotes Go Here///", ":::", "---", "===", "...", "--"),
    *("Mr. ", "e.g. ", '"q"', "'s", "''", "'''", "{{tpl}}", "[[Link]]", "~~~~", "__TOC__", "{|", "|}", "|-"),
    *("||", "!!", "----", "ISBN 0306406152", "RFC 2119", "PMID 12345", "<ref>x</ref>", "<nowiki>", "</nowiki>"),
    *("<references />", "-{", "}-", "&nbsp;", "%", "\t", "\n", "  ", "\x00", "\u00a0", "한국어", "Šekerinska"),
    *("‘", "’", "“", "”", "„", "«", "»", "—", "–", "…"),
]
NASTY = "\\`*_{}[]()<>#+-.!|~^$&@:;=%\"'/, \t\n"
hostile_text = st.lists(
    st.sampled_from(HOSTILE_TOKENS) | st.text(st.sampled_from(NASTY) | st.characters(codec="utf-8"), max_size=3),
    min_size=1,
    max_size=8,
).map("".join)
batches = st.lists(hostile_text, min_size=1, max_size=25)

# Whole strings a reviewer would try first.
HOSTILE_STRINGS = [
    "<script>alert(1)</script>",
    "[click](javascript:alert(1))",
    "# heading #",
    "1. list",
    "> quote",
    "a | b | c",
    "[^1] fake note",
    "{{ template }} {% raw %}",
    "**bold** _it_ ~~gone~~ `code`",
    "https://example.com/a_b and www.example.com",
    "Mr. Kim said -- roughly... \"yes\" and 'no'",
    "Korea's ''italic'' '''bold''' [[Main Page]] {{Delete}} ~~~~ __NOTOC__",
    "ISBN 978-0-306-40615-7, RFC 2119",
    "A. Kim, i) first, (@) example, $5 and $6, @smith 2020, H~2~O, 2^10^",
    "||cell!!cell",
    "</ref><ref name=x>injected</ref>",
    "///Footnotes Go Here/// [TOC]",
    "~~~ python",  # with the tokens `~~~` and a backtick fence below: a fenced block if not escaped
    "```js",
    *HOSTILE_TOKENS,
]


def markdown_page(escaped: Sequence[str]) -> str:
    """Each escaped string as a paragraph, a heading, a list item and a table cell; and one real footnote
    (Python-Markdown moves notes to a "///Footnotes Go Here///" paragraph, but only if there are any)."""
    paragraphs = list(escaped)
    headings = [f"## {e}" for e in escaped]
    items = "\n".join(f"- {e}" for e in escaped)
    table = "| head[^n] |\n| --- |\n" + "\n".join(f"| {e} |" for e in escaped)
    return "\n\n".join([*paragraphs, *headings, items, table, "[^n]: The note."]) + "\n"


_NOTES_AT_END = re.compile(r'<(section|div) class="footnotes?"[^>]*>.*</\1>\s*\Z', re.S)


def without_notes(html: str) -> str:
    """The page without its notes block, which must be where the engine puts it: at the very end."""
    assert _NOTES_AT_END.search(html), f"the notes are not at the end of the page: {html[-500:]}"
    return _NOTES_AT_END.sub("", html)


def wiki_page(escaped: Sequence[str]) -> str:
    """Each escaped string as a paragraph, a heading, a list item, a table cell and a <ref> note."""
    paragraphs = list(escaped)
    headings = [f"== {e} ==" for e in escaped]
    items = "\n".join(f"* {e}" for e in escaped)
    table = '{| class="wikitable"\n' + "".join(f"|-\n| x || {e}\n" for e in escaped) + "|}"
    notes = [f'ref{i}<ref name="r{i}">{e}</ref>' for i, e in enumerate(escaped)]
    return "\n\n".join([*paragraphs, *headings, items, table, *notes]) + "\n"


# GFM links e-mail addresses (`a@b.c`, `mailto:a@b.c`, `xmpp:a@b.c`) after escapes are resolved, so
# no escape can prevent it; the link shows exactly the address it points to, so it is let through.
_EMAIL_AUTOLINK = re.compile(r'<a href="(?:mailto:)?([^"]+)">((?:mailto:)?\1)</a>')


def gfm_texts(escaped: Sequence[str]) -> dict[str, list[str]]:
    return html_texts(without_notes(_EMAIL_AUTOLINK.sub(r"\2", cmark_gfm(markdown_page(escaped), footnotes=True))))


Renderer = Callable[[Sequence[str]], dict[str, list[str]]]
ENGINES: dict[str, tuple[Callable[[object], Markup], Renderer]] = {
    "gfm (cmark-gfm)": (escape_markdown, gfm_texts),
    "mkdocs (Python-Markdown)": (
        escape_python_markdown,
        lambda e: html_texts(without_notes(python_markdown(markdown_page(e)))),
    ),
    "pandoc": (escape_pandoc_markdown, lambda e: pandoc_texts(pandoc_ast(markdown_page(e), "markdown"))),
    "mediawiki (pandoc)": (escape_wikitext, lambda e: pandoc_texts(pandoc_ast(wiki_page(e), "mediawiki"))),
}


def assert_stays_text(engine: str, texts: Sequence[str]) -> None:
    """Every text, escaped and rendered by `engine` in every context, reads as exactly itself."""
    escape, render = ENGINES[engine]
    texts = [t for t in texts if one_line(t).strip()]  # blank text is no paragraph at all
    if not texts:
        return
    try:
        rendered = render([escape(t) for t in texts])
    except NotPlainText:
        for text in texts:  # find the culprit for a readable failure
            try:
                render([escape(text)])
            except NotPlainText as exc:
                raise AssertionError(f"{engine}: {text!r} escaped as {escape(text)!r} became markup: {exc}") from None
        raise
    expected = [words(one_line(t)) for t in texts]
    for context, seen in rendered.items():
        if not seen:
            continue
        assert len(seen) == len(texts), f"{engine} {context}: {len(texts)} texts became {len(seen)}: {seen}"
        for text, want, got in zip(texts, expected, [words(s) for s in seen], strict=True):
            assert got == want, f"{engine} {context}: {text!r} escaped as {escape(text)!r} reads {got!r}"


@pytest.mark.parametrize("engine", ENGINES)
def test_hostile_strings_stay_text(engine: str) -> None:
    assert_stays_text(engine, HOSTILE_STRINGS)


@pytest.mark.parametrize("engine", ENGINES)
@given(texts=batches)
@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_any_text_stays_text(engine: str, texts: list[str]) -> None:
    assert_stays_text(engine, texts)


# MediaWiki itself is not at hand, and pandoc's reader knows only part of wikitext; so the escaped
# text is also checked against the grammar: none of these may appear in it.
WIKITEXT_MARKUP = {
    "bold or italic": re.compile(r"''"),
    "link, template, table, tag": re.compile(r"[\[\]{}|<>]"),
    "entity other than our own": re.compile(r"&(?!(?:amp|lt|gt|#\d+);)"),
    "signature": re.compile(r"~~~"),
    "behaviour switch": re.compile(r"__"),
    "heading or header cell": re.compile(r"[=!]"),
    "free link (scheme:…)": re.compile(r"(?i)\b[a-z][a-z0-9+.-]*:(?! )"),
    "magic link": re.compile(r"\b(?:ISBN|RFC|PMID)\b"),
    "list, definition, rule or preformatted text at a line start": re.compile(r"^[*#:; -]"),
    "apostrophe that could meet another": re.compile(r"(?<![^\W_])'|'(?![^\W_])"),
}


@given(text=hostile_text)
@settings(max_examples=300, deadline=None)
def test_escaped_wikitext_contains_no_wikitext_markup(text: str) -> None:
    escaped = escape_wikitext(text)
    for name, pattern in WIKITEXT_MARKUP.items():
        assert not pattern.search(escaped), f"{name} in {escaped!r} (from {text!r})"


@pytest.mark.parametrize(
    ("text", "escaped"),
    [
        ("Korea's plan", "Korea's plan"),  # readable where nothing could be markup
        ("''x''", "&#39;&#39;x&#39;&#39;"),
        ("ISBN 0306406152", "&#73;SBN 0306406152"),
        ("see https://x.org", "see https&#58;//x.org"),
        ("Readiness 2030: a plan", "Readiness 2030: a plan"),
        ("* not a list", "&#42; not a list"),
    ],
)
def test_wikitext_escaping_examples(text: str, escaped: str) -> None:
    assert escape_wikitext(text) == escaped


def test_pandoc_escaping_keeps_words_readable() -> None:
    assert escape_pandoc_markdown("Kosiniak-Kamysz paid $5.6 billion, Korea's") == (
        r"Kosiniak-Kamysz paid \$5.6 billion, Korea\'s"
    )


# --- Source URLs: the one piece of data that is meant to become a link, and nothing more ---

# Well-formed addresses whose path and query hold anything the model accepts (`^https?://[^\s<>"]+$`).
urls = st.builds(
    "{}://{}/{}".format,
    st.sampled_from(["http", "https"]),
    st.from_regex(r"\A[a-z0-9]([a-z0-9-]{0,8}[a-z0-9])?(\.[a-z]{2,6}){1,2}\Z"),
    st.text(st.characters(exclude_characters='<>"', exclude_categories=("Cs", "Cc", "Zs", "Zl", "Zp")), max_size=30),
).filter(lambda url: one_line(url) == url)


def _links_in_paragraphs(page: str) -> list[list[tuple[str, str]]]:
    """(href, text) of the links in each <p>; any other element fails."""
    paragraphs: list[list[tuple[str, str]]] = []
    for body in re.findall(r"<p>(.*?)</p>", page, re.S):
        link = r'<a href="([^"]*)">([^<]*)</a>'
        assert "<" not in re.sub(link, "", body), f"markup besides the link: {body}"
        paragraphs.append([(html.unescape(href), html.unescape(text)) for href, text in re.findall(link, body)])
    return paragraphs


def _pandoc_links(ast: dict[str, Any]) -> list[list[tuple[str, str]]]:
    """(target, text) of the links in each paragraph; anything but text and links fails."""
    found = []
    for block in ast["blocks"]:
        assert block["t"] == "Para" and all(n["t"] in ("Str", "Space", "Link") for n in block["c"]), block
        found.append([(n["c"][2][0], plain_inlines(n["c"][1])) for n in block["c"] if n["t"] == "Link"])
    return found


def _see(escape: Callable[[object], Markup], link: Callable[[Markup, str], Markup], batch: Sequence[str]) -> str:
    """Each URL as a link showing itself, as notes show a source's address."""
    return "\n\n".join(f"see {link(escape(url), url)}" for url in batch) + "\n"


LINK_ENGINES: dict[str, Callable[[Sequence[str]], list[list[tuple[str, str]]]]] = {
    "gfm (cmark-gfm)": lambda b: _links_in_paragraphs(
        cmark_gfm(_see(escape_markdown, markdown_link, b), footnotes=False)
    ),
    "mkdocs (Python-Markdown)": lambda b: _links_in_paragraphs(
        python_markdown(_see(escape_python_markdown, markdown_link, b))
    ),
    "pandoc": lambda b: _pandoc_links(pandoc_ast(_see(escape_pandoc_markdown, markdown_link, b), "markdown")),
    "mediawiki (pandoc)": lambda b: _pandoc_links(pandoc_ast(_see(escape_wikitext, wikitext_link, b), "mediawiki")),
}


@pytest.mark.parametrize("engine", LINK_ENGINES)
@given(batch=st.lists(urls, min_size=1, max_size=20))
@settings(max_examples=10, deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_a_url_becomes_one_link_to_itself(engine: str, batch: list[str]) -> None:
    if engine.startswith("mediawiki"):  # pandoc's reader, unlike MediaWiki, ends an address at `:~:`
        batch = [url for url in batch if TEXT_DIRECTIVE_DELIMITER not in url]
    found = LINK_ENGINES[engine](batch)
    assert len(found) == len(batch)
    for url, links in zip(batch, found, strict=True):
        assert len(links) == 1, f"{engine}: {url!r} gave {links}"
        href, text = links[0]
        # Engines percent-encode differently; the address is the same once decoded.
        assert unquote(href) == unquote(url), f"{engine}: {url!r} links to {href!r}"
        assert text == url, f"{engine}: {url!r} reads {text!r}"
