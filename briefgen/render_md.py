"""Stage 4a, render Markdown: the brief through its Jinja template, every data string escaped.

The Markdown environment autoescapes like an HTML one, but with Markdown escaping: any value a
template prints is escaped unless it is `Markup` (template text, macros, and the filters below that
build note references and links). So text from the YAML or the articles can never become Markdown
or HTML markup, and a template author cannot forget to escape.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import jinja2
from markupsafe import Markup

from .assemble import AssembledBrief, Note, QuotedPassage
from .errors import TemplateError
from .model import AttestedDate, AttestedText, AttestedUrl, Basis, PartialDate
from .templates import environment, render_template
from .textfragment import deep_link

# Characters that are markup anywhere in a line in CommonMark, GFM or pandoc's Markdown.
_INLINE_SPECIAL = re.compile(r"([\\`*_{}\[\]<>|~^$&@])")
# Text at the start of a line (or of a list item) that would open a block: heading, list, quote...
_BLOCK_START = re.compile(r"^( ?)(?:([#>+\-=:%])|(\d+)([.)]))")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
_AUTOLINK = re.compile(r"(?i)(?<=[a-z])(:)(?=//)|(?<![\w.])(www)(\.)")


def escape_markdown(value: object) -> Markup:
    """Escape text so that every Markdown engine shows it literally, on one line."""
    text = _CONTROL.sub("\ufffd", re.sub(r"\s+", " ", str(value)))  # one line; non-space controls shown as �
    text = _INLINE_SPECIAL.sub(r"\\\1", text)
    text = _AUTOLINK.sub(lambda m: f"\\{m.group(1)}" if m.group(1) else f"{m.group(2)}\\{m.group(3)}", text)
    text = _BLOCK_START.sub(lambda m: f"{m[1]}\\{m[2]}" if m[2] else f"{m[1]}{m[3]}\\{m[4]}", text)
    return Markup(text)


def _finalize(value: Any) -> Any:
    """Every printed value passes here first: Markup is trusted, everything else is escaped."""
    if isinstance(value, Markup):
        return value
    return escape_markdown(value)


def note_refs(numbers: tuple[int, ...]) -> Markup:
    """`[^1],[^3]`: footnote references for a statement; the comma keeps `1,3` from reading as `13`."""
    return Markup(",".join(f"[^{int(n)}]" for n in numbers))


def format_date(value: AttestedDate | PartialDate | None, *, undated: str = "n.d.", bracketed: bool = False) -> Markup:
    """A date as a reader should see it, with its basis when not stated: `20 October 2025 (inferred)`.

    `bracketed` gives the bibliographic form used in notes: `[date inferred: April 2025]`.
    """
    if value is None:
        return escape_markdown(undated)
    if isinstance(value, PartialDate):
        return escape_markdown(value.human())
    text = ("c. " if value.approximate else "") + value.value.human()
    if value.basis is Basis.STATED:
        return escape_markdown(text)
    if bracketed:
        return escape_markdown(f"[date {value.basis.value}: {text}]")
    return escape_markdown(f"{text} ({value.basis.value})")


def link(url: AttestedUrl | None, passages: Sequence[QuotedPassage] = ()) -> Markup:
    """A link shown as the URL itself; with `passages`, its target carries a text fragment that
    highlights every one of them in the reader's browser. A URL the curator supplied or inferred
    is marked so."""
    if url is None:
        return Markup("")
    text = markdown_link(escape_markdown(url.value), deep_link(url.value, [p.directive for p in passages]))
    return text if url.basis is Basis.STATED else text + Markup(" ") + escape_markdown(f"[URL {url.basis.value}]")


def markdown_link(text: Markup, url: str) -> Markup:
    """`[text](<url>)` for an http(s) URL, written so every engine reads back exactly `url`."""
    # Inside <…> a destination may not hold <, > or line breaks, and entity references are decoded.
    destination = re.sub(r"[<>\s\"`\\]", lambda m: f"%{ord(m.group()):02X}", url)
    destination = re.sub(r"&(?=#?[A-Za-z0-9]+;)", "&amp;", destination)
    return Markup(f"[{text}](<{destination}>)")


def passage_links(note: Note, words: int = 8) -> Markup:
    """One link per passage quoted from the note's source in this brief, each highlighting its
    passage: `[“Defense Minister Shin Won-sik met…”](<…#:~:text=…>); […]`. Empty without a URL."""
    url = note.source.url
    if url is None or not note.passages:
        return Markup("")
    links = []
    for passage in note.passages:
        opening = passage.text.split()
        label = " ".join(opening[:words]) + ("…" if len(opening) > words else "")
        links.append(markdown_link(escape_markdown(f"“{label}”"), deep_link(url.value, [passage.directive])))
    return Markup("; ").join(links)


def _marked(label: str, field: AttestedText | None, quoted: bool = False) -> str:
    if field is None:
        return f"[{label} not stated]"
    text = f"“{field.value}”" if quoted else field.value
    return text if field.basis is Basis.STATED else f"{text} [{label} {field.basis.value} by curator]"


def citation(note: Note) -> Markup:
    """The footnote text for a source: author, title, outlet (credit), date, URL — each honest.

    What the article does not say is written as not stated; what the curator supplied or inferred
    is marked so; a missing date is `n.d.`.
    """
    source = note.source
    outlet = _marked("outlet", source.outlet)
    if source.credit:
        outlet += f" (credited to {source.credit})"
    parts = [
        escape_markdown(_marked("author", source.author)),
        escape_markdown(_marked("title", source.title, True)),
        escape_markdown(outlet),
        format_date(source.published, bracketed=True),
    ]
    text = Markup(", ").join(parts)
    text += Markup("" if text.endswith(".") else ".")
    if source.url is not None:
        text += Markup(" ") + link(source.url, note.passages)
    return text


def _join(items: Any, separator: str = "") -> Markup:
    """Jinja's `join` escapes for HTML under autoescape; this one escapes for Markdown."""
    return Markup(_finalize(separator)).join(_finalize(item) for item in items)


def markdown_environment(template_dirs: tuple[Path, ...]) -> jinja2.Environment:
    """Jinja with Markdown autoescaping; built-in filters that would HTML-escape are replaced or removed."""
    env = environment(template_dirs, autoescape=True, finalize=_finalize)
    for html_only in ("forceescape", "urlize", "xmlattr", "safe"):
        env.filters.pop(html_only, None)
    env.filters.update(
        e=escape_markdown,
        escape=escape_markdown,
        join=_join,
        replace=lambda s, old, new, count=-1: str(s).replace(old, new, count),
        notes=note_refs,
        date=format_date,
        citation=citation,
        link=link,
        passage_links=passage_links,
    )
    return env


def render_markdown(brief: AssembledBrief, template_dirs: tuple[Path, ...]) -> str:
    """The brief as Markdown, through its template; notes are checked to appear in first-use order."""
    env = markdown_environment(template_dirs)
    text = render_template(env, template_dirs, brief.brief.template, {"brief": brief})
    text = re.sub(r"\n{3,}", "\n\n", text).strip() + "\n"
    _check_note_order(text, brief)
    return text


def _check_note_order(text: str, brief: AssembledBrief) -> None:
    """Note numbers must first appear as 1, 2, 3…: readers and every Markdown engine count that way."""
    first_use: list[int] = []
    for match in re.finditer(r"(?<!\\)\[\^(\d+)\](?!:)", text):
        number = int(match.group(1))
        if number not in first_use:
            first_use.append(number)
    expected = [note.number for note in brief.notes]
    if first_use != expected:
        raise TemplateError(
            f"template {brief.brief.template!r} cites notes in the order {first_use}, expected {expected}",
            "render the blocks in the order bottom line, sections, timeline, key figures, key actors, assessment",
        )
