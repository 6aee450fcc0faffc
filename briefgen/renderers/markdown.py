"""Render Markdown: the brief through its Jinja template, every data string escaped.

The environment autoescapes like an HTML one, but for the target language: any value a template
prints is escaped (markup.py) unless it is `Markup` (template text, macros, and the filters below
that build note references and links). So text from the YAML or the articles can never become
markup, and a template author cannot forget to escape.

One content template (`brief.md.j2`) serves every Markdown flavor. A flavor is a `Dialect`: how
data is escaped, how a URL is written, and a small macro file (`templates/notes/*.j2`, in
templates as `flavor`) that writes note references, the anchor of a Sources entry and the notes
block. The MediaWiki renderer (render_wiki.py) is one more dialect with its own content template.
"""

from __future__ import annotations

import datetime as dt
import re
from bisect import bisect_right
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import jinja2
import yaml
from markupsafe import Markup

from briefgen.assemble import AssembledBrief, Cited, Note, QuotedPassage, renumbered
from briefgen.errors import TemplateError
from briefgen.formats import DEFAULT_FLAVOR, SHOWS_IMAGES, Flavor
from briefgen.project.values import AttestedDate, AttestedUrl, PartialDate, Precision
from briefgen.renderers.markup import (
    escape_markdown,
    escape_pandoc_markdown,
    escape_python_markdown,
    markdown_link,
    one_line,
)
from briefgen.renderers.templates import environment, render_template_blocks, template_module
from briefgen.renderers.timeline import brief_timeline_alt, timeline_file_name
from briefgen.renderers.wording import citation_text, date_text, short_citations, url_marker
from briefgen.text.textfragment import deep_link

__all__ = ["Dialect", "citation", "escape_markdown", "format_date", "link", "passage_links", "render_markdown"]


@dataclass(frozen=True)
class Dialect:
    """How one markup language writes data, addresses and notes."""

    name: str
    escape: Callable[[object], Markup]
    link: Callable[[Markup, str], Markup]  # (escaped text, http(s) URL) → a link showing the text
    notes_macros: str  # a template defining the macros refs(refs), anchor(note), footnotes(notes)
    metadata_text: Callable[[str], str] = str  # how front-matter strings are written


FOOTNOTES = "notes/footnotes.md.j2"
DIALECTS = {
    Flavor.GFM: Dialect("gfm", escape_markdown, markdown_link, FOOTNOTES),
    Flavor.GITHUB_WIKI: Dialect("github-wiki", escape_markdown, markdown_link, "notes/linked-sources.md.j2"),
    Flavor.MKDOCS: Dialect("mkdocs", escape_python_markdown, markdown_link, FOOTNOTES),
    # pandoc reads front-matter strings as Markdown, so they are escaped like the page itself.
    # pandoc copies a `[^1]` note's text to every reference, so it gets one note per reference: the
    # full reference at a source's first citation, its short form after that (Chicago's notes).
    Flavor.PANDOC: Dialect(
        "pandoc", escape_pandoc_markdown, markdown_link, "notes/pandoc-notes.md.j2", escape_pandoc_markdown
    ),
}
GFM = DIALECTS[Flavor.GFM]


def format_date(
    value: AttestedDate | PartialDate | None, *, undated: str = "n.d.", bracketed: bool = False, dialect: Dialect = GFM
) -> Markup:
    """A date as a reader should see it, with its basis when not stated (see wording.date_text)."""
    return dialect.escape(date_text(value, undated=undated, bracketed=bracketed))


def link(url: AttestedUrl | None, passages: Sequence[QuotedPassage] = (), dialect: Dialect = GFM) -> Markup:
    """A link shown as the URL itself; with `passages`, its target carries a text fragment that
    highlights every one of them in the reader's browser. A URL the curator supplied or inferred
    is marked so."""
    if url is None:
        return Markup("")
    marker = url_marker(url)
    text = dialect.link(dialect.escape(url.value), deep_link(url.value, [p.directive for p in passages]))
    return text if marker is None else text + Markup(" ") + dialect.escape(marker)


def passage_links(note: Note, words: int = 8, dialect: Dialect = GFM) -> Markup:
    """One link per passage quoted from the note's source in this brief, each highlighting its
    passage: `[“Defense Minister Shin Won-sik met…”](<…#:~:text=…>); […]`. Empty without a URL."""
    url = note.source.url
    if url is None or not note.passages:
        return Markup("")
    links = []
    for passage in note.passages:
        opening = passage.text.split()
        label = " ".join(opening[:words]) + ("…" if len(opening) > words else "")
        links.append(dialect.link(dialect.escape(f"“{label}”"), deep_link(url.value, [passage.directive])))
    return Markup("; ").join(links)


def citation(note: Note, dialect: Dialect = GFM) -> Markup:
    """The note text for a source: author, title, outlet (credit), date, URL — each honest."""
    text = dialect.escape(citation_text(note.source))
    if note.source.url is not None:
        text += Markup(" ") + link(note.source.url, note.passages, dialect)
    return text


@dataclass(frozen=True)
class NoteRef:
    """One note reference as the template writes it; `first` where the note is cited for the first time;
    `label`, unique to this reference (`3`, then `3-2`, `3-3`… for the later uses of note 3)."""

    number: int
    first: bool
    note: Note
    label: str = ""


class _NoteUse:
    """Hands the flavor's `refs` macro its references and records the order notes are first cited in."""

    def __init__(self, notes: Iterable[Note]) -> None:
        self._notes = {note.number: note for note in notes}
        sources = [note.source for note in self._notes.values()]
        self.short = dict(zip(self._notes, short_citations(sources), strict=True))  # plain text
        self.first_use: list[int] = []
        self.uses: dict[int, int] = {}  # note number → references to it so far
        self.passages: set[tuple[str, str]] = set()  # (source id, passage text) behind what is cited

    def refs(self, numbers: Iterable[int]) -> list[NoteRef]:
        if isinstance(numbers, Cited):
            self.passages |= numbers.passages
        refs = []
        for number in map(int, numbers):
            if number not in self._notes:
                raise TemplateError(f"the template cites note {number}, which this brief does not have")
            first = number not in self.first_use
            if first:
                self.first_use.append(number)
            uses = self.uses[number] = self.uses.get(number, 0) + 1
            refs.append(NoteRef(number, first, self._notes[number], str(number) if first else f"{number}-{uses}"))
        return refs


def _join(escape: Callable[[object], Markup], items: Iterable[Any], separator: str = "") -> Markup:
    """Jinja's `join` escapes for HTML under autoescape; this one escapes for the dialect."""

    def finalized(value: Any) -> Markup:
        return value if isinstance(value, Markup) else escape(value)

    return finalized(separator).join(finalized(item) for item in items)


def text_environment(template_dirs: tuple[Path, ...], dialect: Dialect) -> jinja2.Environment:
    """Jinja that escapes every printed value for `dialect`; built-in filters that would HTML-escape are replaced."""
    escape = dialect.escape
    env = environment(template_dirs, autoescape=True, finalize=lambda v: v if isinstance(v, Markup) else escape(v))
    for html_only in ("forceescape", "urlize", "xmlattr", "safe"):
        env.filters.pop(html_only, None)

    def date(value: AttestedDate | PartialDate | None, undated: str = "n.d.", bracketed: bool = False) -> Markup:
        return format_date(value, undated=undated, bracketed=bracketed, dialect=dialect)

    # For notes blocks that write one note per reference (pandoc's): how often the brief cites a
    # note (the block comes last, when all are cited) and its source's short form. The macros
    # module is compiled once per run, so these read the brief being rendered through a holder.
    note_use: list[_NoteUse] = []
    env.extend(briefgen_note_use=note_use)
    env.filters.update(
        uses=lambda note: note_use[0].uses.get(note.number, 0),
        short_citation=lambda note: note_use[0].short[note.number],
        e=escape,
        escape=escape,
        join=lambda items, separator="": _join(escape, items, separator),
        replace=lambda s, old, new, count=-1: str(s).replace(old, new, count),
        date=date,
        citation=lambda note: citation(note, dialect),
        link=lambda url, passages=(): link(url, passages, dialect),
        passage_links=lambda note, words=8: passage_links(note, words, dialect),
    )
    return env


class TextEnvironments:
    """The Jinja environment of each dialect, made once for a run of many briefs: templates then
    compile once, not once per brief (a third of the time of rendering 100 briefs' Markdown)."""

    def __init__(self, template_dirs: tuple[Path, ...]) -> None:
        self.template_dirs = template_dirs
        self._made: dict[Dialect, tuple[jinja2.Environment, Any]] = {}

    def get(self, dialect: Dialect) -> tuple[jinja2.Environment, Any]:
        """The environment and its notes macros (the `flavor` global)."""
        if dialect not in self._made:
            env = text_environment(self.template_dirs, dialect)
            flavor = template_module(env, self.template_dirs, dialect.notes_macros)
            env.globals["flavor"] = flavor
            self._made[dialect] = (env, flavor)
        return self._made[dialect]


@dataclass(frozen=True)
class Page:
    """A brief rendered to text, and where the output of each of its template's top-level blocks
    starts (0-based line, block name), in order: what the HTML's section styling is keyed to."""

    text: str
    blocks: tuple[tuple[int, str], ...] = ()
    brief: AssembledBrief | None = None  # the brief as rendered, its notes numbered as the page cites them

    def block_at(self, line: int) -> str | None:
        """The template block that produced `line` (None before the first block)."""
        index = bisect_right([start for start, _ in self.blocks], line) - 1
        return self.blocks[index][1] if index >= 0 else None

    def shown_blocks(self) -> tuple[str, ...]:
        """The names of the top-level blocks whose output is not blank, in the page's order: what
        the template shows (a block it empties, `{% block timeline %}{% endblock %}`, is absent)."""
        lines = self.text.split("\n")
        ends = [start for start, _ in self.blocks[1:]] + [len(lines)]
        return tuple(
            name for (start, name), end in zip(self.blocks, ends, strict=True) if any(map(str.strip, lines[start:end]))
        )


def render_text(
    brief: AssembledBrief,
    template_dirs: tuple[Path, ...],
    dialect: Dialect,
    template: str,
    environments: TextEnvironments | None = None,
    *,
    title_block: bool = False,
    timeline_image: bool = False,
    curator_notes: bool = True,
    _renumbered: bool = False,
) -> Page:
    """The brief through `template` in `dialect`; notes are checked to be cited in first-use order.
    `title_block`: the reader shows the title, subtitle, author and date from the front matter
    (pandoc does), so the page's header leaves them out. `timeline_image`: the Timeline shows its
    figure, an image file beside the page (templates get `timeline_image`: its src and alt).
    `curator_notes`: the Sources list shows the sources' curator's notes (the handout's page
    leaves them out when `project.handout.curator_notes` is false).
    The page's `brief` is the brief as rendered: renumbered when the template cites its notes in
    an order other than the assembly's (renumbered())."""
    env, flavor = (environments or TextEnvironments(template_dirs)).get(dialect)
    use = _NoteUse(brief.notes)
    env.filters["notes"] = lambda numbers: flavor.refs(use.refs(numbers))  # this brief's notes
    env.briefgen_note_use[:] = [use]  # type: ignore[attr-defined]  # for `uses` and `short_citation`
    context: dict[str, Any] = {
        "brief": brief,
        "title_block": title_block,
        "timeline_image": None,
        "labels": brief.settings.labels,
        "curator_notes": curator_notes,
    }
    alt = brief_timeline_alt(brief) if timeline_image else None
    if alt is not None:
        # The file name is made from the brief's id (lower-case letters, digits, hyphens): nothing to
        # escape. The alt text is data, escaped for the dialect when the template prints it.
        context["timeline_image"] = {"src": Markup(timeline_file_name(brief.id)), "alt": alt}
    raw, starts = render_template_blocks(env, template_dirs, template, context)
    if _renumbered:
        _check_note_order(use.first_use, brief, template)  # a template that cites differently each time
    elif use.first_use != [note.number for note in brief.notes] or use.passages != _all_passages(brief):
        # The template left blocks out (or put them in another order): number the notes by what
        # it rendered, and render again with those numbers — reading order, 1..N, nothing unseen.
        brief = renumbered(brief, use.first_use, use.passages)
        return render_text(
            brief,
            template_dirs,
            dialect,
            template,
            environments,
            title_block=title_block,
            timeline_image=timeline_image,
            curator_notes=curator_notes,
            _renumbered=True,
        )
    return replace(_tidy(raw, starts), brief=brief)


def _all_passages(brief: AssembledBrief) -> set[tuple[str, str]]:
    return {(note.source_id, passage.text) for note in brief.notes for passage in note.passages}


_BLANK_RUNS = re.compile(r"\n{3,}")


def _tidy(raw: str, starts: Sequence[tuple[int, str]]) -> Page:
    """At most one blank line in a row, no blank lines around; block starts follow the text.

    A block's start is mapped by tidying the text before it: monotonic, and at worst on a blank
    line just before the block's first line, which is all `Page.block_at` needs.
    """
    text = _BLANK_RUNS.sub("\n\n", raw)
    lead = len(text) - len(text.lstrip())
    lines = []
    for offset, name in starts:
        before = len(_BLANK_RUNS.sub("\n\n", raw[:offset]))
        lines.append((text.count("\n", lead, max(before, lead)), name))
    return Page(text.strip() + "\n", tuple(lines))


def render_page(
    brief: AssembledBrief,
    template_dirs: tuple[Path, ...],
    flavor: Flavor = DEFAULT_FLAVOR,
    environments: TextEnvironments | None = None,
    front_matter: bool = False,
    *,
    handout: bool = False,
) -> Page:
    """The brief as Markdown of the given flavor, with the lines where its template's blocks start.
    With front matter, a pandoc page leaves the title and date to pandoc's title block (which
    shows them from the front matter) instead of repeating them. `handout`: the page the PDF and
    HTML are made from, which follows `project.handout` (the wiki page keeps the curator's notes).

    Pass one TextEnvironments to every call of a run (see TextEnvironments).
    """
    title_block = front_matter and flavor is Flavor.PANDOC
    return render_text(
        brief,
        template_dirs,
        DIALECTS[flavor],
        brief.brief.template,
        environments,
        title_block=title_block,
        timeline_image=flavor in SHOWS_IMAGES,
        curator_notes=brief.settings.handout.curator_notes or not handout,
    )


def render_markdown(
    brief: AssembledBrief,
    template_dirs: tuple[Path, ...],
    flavor: Flavor = DEFAULT_FLAVOR,
    front_matter: bool = False,
    environments: TextEnvironments | None = None,
) -> str:
    """The brief as a Markdown file of the given flavor, optionally starting with YAML front matter."""
    page = render_page(brief, template_dirs, flavor, environments, front_matter)
    return with_front_matter(brief, page.text, flavor, front_matter)


def with_front_matter(brief: AssembledBrief, text: str, flavor: Flavor, front_matter: bool) -> str:
    """The Markdown file: `text`, after YAML front matter when asked for."""
    return yaml_front_matter(brief, DIALECTS[flavor]) + text if front_matter else text


def yaml_front_matter(brief: AssembledBrief, dialect: Dialect = GFM) -> str:
    """`---` YAML `---` for static site generators (MkDocs, Jekyll, Hugo) and pandoc: title, date, tags…"""

    def meta(value: str) -> str:
        # One line, as the page prints it: PyYAML writes U+0085 and U+2028 raw, and readers take
        # them for line breaks. A plain str: safe_dump refuses str subclasses such as Markup.
        return str(dialect.metadata_text(one_line(value)))

    as_of = brief.brief.as_of
    fields: dict[str, Any] = {
        "title": meta(brief.brief.title),
        "description": meta(brief.brief.subtitle) if brief.brief.subtitle else None,
        # pandoc's title block shows a subtitle (the page then leaves it out: render_page).
        "subtitle": meta(brief.brief.subtitle) if brief.brief.subtitle and dialect.name == "pandoc" else None,
        # A day-precise as-of date is a YAML date, which every generator sorts and formats.
        "date": dt.date(as_of.year, as_of.month, as_of.day) if as_of.precision is Precision.DAY else as_of.iso(),
        "author": meta(brief.prepared_by) if brief.prepared_by else None,
        "tags": [meta(topic) for topic in brief.topics],
        "marking": meta(brief.marking) if brief.marking else None,
        "prepared_for": meta(brief.brief.prepared_for) if brief.brief.prepared_for else None,
        "brief": brief.id,
    }
    data = {key: value for key, value in fields.items() if value is not None}
    return "---\n" + yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=1_000_000) + "---\n\n"


def _check_note_order(first_use: Sequence[int], brief: AssembledBrief, template: str) -> None:
    """Notes must first be cited as 1, 2, 3…: readers and every wiki engine number them that way."""
    expected = [note.number for note in brief.notes]
    if list(first_use) != expected:
        raise TemplateError(
            f"template {template!r} cites notes in the order {list(first_use)}, expected {expected}",
            "a template must cite the same notes in the same order each time it renders a brief",
        )
