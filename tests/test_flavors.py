"""Every shipped brief, in every Markdown flavor and in wikitext, rendered by the engine it is written for.

For each page: the note references appear in the brief's order with the right numbers, every one
resolves to its note (or, on GitHub wikis, to its entry in the Sources list) and that note says
the source's citation; no raw note syntax is left on the rendered page; the headings and tables
come out as headings and tables.
"""

from __future__ import annotations

import html
import re
from pathlib import Path
from typing import Any
from urllib.parse import unquote

import pytest

from briefgen.assemble import AssembledBrief, Note, assemble_all
from briefgen.build.api import render_outputs
from briefgen.formats import Flavor, Format, RenderOptions
from briefgen.project.load import load_project
from briefgen.project.validate import validate
from briefgen.renderers.html import markdown_to_html, render_screen_html
from briefgen.renderers.markdown import render_markdown, render_page
from briefgen.renderers.templates import search_path
from briefgen.renderers.wikitext import render_wikitext
from briefgen.renderers.wording import citation_text, short_citations, url_marker
from tests.conftest import SHIPPED_CONFIG
from tests.engines import cmark_gfm, pandoc, pandoc_ast, plain_inlines, python_markdown, walk, words

BRIEF_IDS = ["korea-poland", "korea-nato", "korea-eu"]
DIRS = search_path(SHIPPED_CONFIG.parent)


@pytest.fixture(scope="module")
def shipped() -> dict[str, AssembledBrief]:
    return {brief.id: brief for brief in assemble_all(validate(load_project(SHIPPED_CONFIG)))}


def cited(brief: AssembledBrief) -> list[int]:
    """Note numbers in the order the brief cites them, every citation (computed from the assembly, not the page)."""
    numbers: list[int] = [*(brief.summary.notes if brief.summary else ())]
    for statement in brief.bottom_line:
        numbers += statement.notes
    for block in brief.sections:
        numbers += block.lead.notes if block.lead else ()
        for statement in block.statements:
            numbers += statement.notes
    for statement in (*brief.timeline, *brief.key_figures):
        numbers += statement.notes
    for actor in brief.key_actors:
        for role in actor.roles:
            numbers += role.notes
    for judgement in brief.assessment:
        numbers += judgement.notes
    return numbers


def plain_citation(note: Note) -> str:
    """What a reader should see as the note: the citation and, when known, the URL (marked if not stated)."""
    url = note.source.url
    tail = "" if url is None else f" {url.value}" + (f" {url_marker(url)}" if url_marker(url) else "")
    return words(citation_text(note.source) + tail)


def headings(brief: AssembledBrief) -> list[str]:
    titles = [*["Summary"] * bool(brief.summary), "Bottom line", *(block.title for block in brief.sections), "Timeline"]
    titles += ["Key figures"] * bool(brief.key_figures) + ["Key actors"] * bool(brief.key_actors)
    return [*titles, *["Assessment"] * bool(brief.assessment), "Sources"]


def tables(brief: AssembledBrief) -> int:
    return bool(brief.timeline) + bool(brief.key_figures) + bool(brief.key_actors)


def text_of(fragment: str) -> str:
    return words(html.unescape(re.sub(r"<[^>]+>", "", fragment)))


# --- HTML engines: cmark-gfm (gfm, github-wiki) and Python-Markdown (mkdocs) ---

NOTE_REF = re.compile(r'<a [^>]*href="#(fn-|fn:|note-)(\d+)"[^>]*>(\d+)</a>')
BACKREF = re.compile(r'<a [^>]*class="footnote-backref"[^>]*>.*?</a>', re.S)


def note_refs(page: str) -> list[int]:
    """The note references of an HTML page in order; the number shown must be the note's."""
    refs = []
    for match in NOTE_REF.finditer(page):
        assert match[2] == match[3], f"reference to note {match[2]} shows {match[3]}"
        refs.append(int(match[2]))
    return refs


def footnote_texts(page: str, id_prefix: str) -> dict[int, str]:
    """Footnote number → its text, from the notes list at the end of the page."""
    items = re.findall(rf'<li id="{re.escape(id_prefix)}(\d+)">(.*?)</li>', page, re.S)
    return {int(number): text_of(BACKREF.sub("", body)) for number, body in items}


def external_links(page: str) -> set[str]:
    return {unquote(html.unescape(h)) for h in re.findall(r'href="(https?://[^"]+)"', page)}


def assert_html_page(page: str, brief: AssembledBrief) -> None:
    assert note_refs(page) == cited(brief)
    assert external_links(page) == external_links(markdown_to_html(render_markdown(brief, DIRS)))
    assert "[^" not in page, "raw footnote syntax left on the page"
    assert re.findall(r"<h2[^>]*>(.*?)</h2>", page) == headings(brief)
    assert page.count("<table>") == tables(brief)


@pytest.mark.parametrize("brief_id", BRIEF_IDS)
def test_gfm_in_cmark_gfm(shipped: dict[str, AssembledBrief], brief_id: str) -> None:
    brief = shipped[brief_id]
    page = cmark_gfm(render_markdown(brief, DIRS, Flavor.GFM), footnotes=True)
    assert_html_page(page, brief)
    assert footnote_texts(page, "fn-") == {note.number: plain_citation(note) for note in brief.notes}


@pytest.mark.parametrize("brief_id", BRIEF_IDS)
def test_mkdocs_in_python_markdown(shipped: dict[str, AssembledBrief], brief_id: str) -> None:
    brief = shipped[brief_id]
    page = python_markdown(render_markdown(brief, DIRS, Flavor.MKDOCS))
    assert_html_page(page, brief)
    assert footnote_texts(page, "fn:") == {note.number: plain_citation(note) for note in brief.notes}


# What GitHub keeps of HTML (github/markup README, "HTML sanitization"): these elements; on them
# only `href` (on <a>), `src` (on <img>) and a list of attributes that includes `name` and `alt`
# but not `id`.
GITHUB_ELEMENTS = set(
    "h1 h2 h3 h4 h5 h6 h7 h8 br b i strong em a pre code img tt div ins del sup sub p ol ul table thead tbody "  # noqa: SIM905
    "tfoot blockquote dl dt dd kbd q samp var hr ruby rt rp li tr td th s strike summary details".split()
)


@pytest.mark.parametrize("brief_id", BRIEF_IDS)
def test_github_wiki_in_cmark_gfm_as_github_sanitises_it(shipped: dict[str, AssembledBrief], brief_id: str) -> None:
    brief = shipped[brief_id]
    markdown = render_markdown(brief, DIRS, Flavor.GITHUB_WIKI)
    page = cmark_gfm(markdown, footnotes=False)  # GitHub wikis render no footnotes
    assert_html_page(page, brief)
    for tag, attributes in re.findall(r"<([a-z0-9]+)([^>]*)>", page):
        assert tag in GITHUB_ELEMENTS, f"GitHub would remove <{tag}>"
        names = re.findall(r'([a-z-]+)="', attributes)
        allowed = {"a": {"href", "name"}, "img": {"src", "alt"}}.get(tag, {"start", "align"})
        assert set(names) <= allowed, f"<{tag}{attributes}>"
    # Every reference resolves to the anchor at the start of its numbered entry in the Sources list.
    sources = page.split(">Sources</h2>", 1)[1]
    entries = re.findall(r"<li>(.*?)</li>", sources, re.S)
    assert len(entries) == len(brief.notes)
    for note, entry in zip(brief.notes, entries, strict=True):
        assert entry.startswith(f'<a name="note-{note.number}"></a>'), entry[:80]
        assert text_of(entry).startswith(plain_citation(note))


# --- pandoc: pandoc's Markdown, and MediaWiki read by pandoc ---


def note_texts(ast: dict[str, Any]) -> list[str]:
    """The text of every note pandoc made, in order (links count as their text)."""
    texts = []
    for node in walk(ast["blocks"]):
        if node.get("t") == "Note":
            texts.append(words(" ".join(plain_inlines(block["c"], links=True) for block in node["c"])))
    return texts


def pandoc_headings(ast: dict[str, Any]) -> list[str]:
    return [words(plain_inlines(b["c"][2])) for b in ast["blocks"] if b["t"] == "Header" and b["c"][0] == 2]


def pandoc_tables(ast: dict[str, Any]) -> int:
    return sum(block["t"] == "Table" for block in ast["blocks"])


@pytest.mark.parametrize("brief_id", BRIEF_IDS)
def test_pandoc_markdown_in_pandoc(shipped: dict[str, AssembledBrief], brief_id: str) -> None:
    brief = shipped[brief_id]
    markdown = render_markdown(brief, DIRS, Flavor.PANDOC)
    ast = pandoc_ast(markdown, "markdown")
    notes = {note.number: plain_citation(note) for note in brief.notes}
    short = dict(zip(notes, (words(s) for s in short_citations([n.source for n in brief.notes])), strict=True))
    # One pandoc note per reference, in the brief's order: a source's first gives its full
    # reference, later ones its short form (so a .docx made by pandoc does not repeat them in full).
    numbers = cited(brief)
    expected = [notes[n] if n not in numbers[:index] else short[n] for index, n in enumerate(numbers)]
    assert note_texts(ast) == expected
    assert len(set(expected)) < len(expected)  # some sources are cited again
    assert pandoc_headings(ast) == headings(brief)
    assert pandoc_tables(ast) == tables(brief)
    assert "[^" not in pandoc(markdown, "markdown", "plain")


@pytest.mark.parametrize("brief_id", BRIEF_IDS)
def test_pandoc_with_front_matter_shows_title_and_date_once(shipped: dict[str, AssembledBrief], brief_id: str) -> None:
    """pandoc's title block shows the front matter's title, subtitle, author and date: the page does
    not repeat them (the marking and who it is prepared for, which pandoc does not show, stay)."""
    brief = shipped[brief_id]
    markdown = render_markdown(brief, DIRS, Flavor.PANDOC, front_matter=True)
    ast = pandoc_ast(markdown, "markdown")
    meta = {key: words(plain_inlines(value["c"])) for key, value in ast["meta"].items() if value["t"] == "MetaInlines"}
    assert meta["title"] == words(brief.brief.title)
    if brief.brief.subtitle:
        assert meta["subtitle"] == words(brief.brief.subtitle)
    body = words(pandoc(markdown, "markdown", "plain"))  # the body only: no --standalone
    assert words(brief.brief.title) not in body
    assert "As of" not in body
    assert brief.marking and words(brief.marking) in body
    if brief.brief.prepared_for:
        assert f"Prepared for {words(brief.brief.prepared_for)}" in body
    assert not [b for b in ast["blocks"] if b["t"] == "Header" and b["c"][0] == 1]
    # Without front matter, and in every other flavor, the page keeps its own title and date.
    for flavor, front_matter in ((Flavor.PANDOC, False), (Flavor.GFM, True)):
        page = render_markdown(brief, DIRS, flavor, front_matter=front_matter)
        assert f"\n# {brief.brief.title}\n" in page.replace("\\", "")
        assert "As of " in page


WIKI_REF = re.compile(r'<ref name="n(\d+)">(.*?)</ref>|<ref name="n(\d+)" />')


@pytest.mark.parametrize("brief_id", BRIEF_IDS)
def test_mediawiki_in_pandoc(shipped: dict[str, AssembledBrief], brief_id: str) -> None:
    brief = shipped[brief_id]
    wikitext = render_wikitext(brief, DIRS)
    # The wikitext itself: a source's first citation defines its named ref, every later one reuses it.
    refs = [(int(m[1] or m[3]), m[1] is not None) for m in WIKI_REF.finditer(wikitext)]
    seen: set[int] = set()
    expected = []
    for number in cited(brief):
        expected.append((number, number not in seen))
        seen.add(number)
    assert refs == expected
    assert wikitext.count("<references />") == 1 and wikitext.rstrip().endswith("<references />")
    # As pandoc reads it: the defining refs carry the citations in order. (pandoc does not resolve
    # reused names — MediaWiki does — so it shows those as empty notes of their own.)
    ast = pandoc_ast(wikitext, "mediawiki")
    texts = note_texts(ast)
    citations = [t for t in texts if t]
    assert len(citations) == len(brief.notes)
    for note, text in zip(brief.notes, citations, strict=True):
        if note.source.url is None:
            assert text == plain_citation(note)
        else:  # pandoc's reader ends an address at a deep link's `:~:` (MediaWiki does not): see below
            assert text.startswith(words(citation_text(note.source)))
    assert texts.count("") == sum(not first for _, first in refs)
    # Every link goes where the handout's links go (deep links included).
    targets = {unquote(html.unescape(t)) for t in re.findall(r"\[(https?://[^ \]]+) ", wikitext)}
    assert targets == external_links(markdown_to_html(render_markdown(brief, DIRS)))
    assert pandoc_headings(ast) == [*headings(brief), "Notes"]
    assert pandoc_tables(ast) == tables(brief)
    plain = pandoc(wikitext, "mediawiki", "plain")
    for raw in ("<ref", "{{", "[[", "''", "&#"):
        assert raw not in plain, f"{raw} left on the page"


@pytest.mark.parametrize("brief_id", BRIEF_IDS)
def test_mediawiki_page_has_no_level_one_heading(shipped: dict[str, AssembledBrief], brief_id: str) -> None:
    """The page's name is its title: a `= title =` in the text would number every section 1.x."""
    brief = shipped[brief_id]
    wikitext = render_wikitext(brief, DIRS)
    lines = wikitext.splitlines()
    assert not [line for line in lines if re.fullmatch(r"=[^=].*[^=]=", line)]
    headings_in_text = [line for line in lines if re.fullmatch(r"(=+)[^=].*[^=]\1", line)]
    assert headings_in_text[0].startswith("== ") and not headings_in_text[0].startswith("===")
    levels = [b["c"][0] for b in pandoc_ast(wikitext, "mediawiki")["blocks"] if b["t"] == "Header"]
    assert levels and levels[0] == 2 and 1 not in levels  # as a MediaWiki parser reads it
    # The lead — what MediaWiki shows under the page title, above the contents box — opens with the
    # marking and holds the as-of line.
    lead = wikitext[: wikitext.index(headings_in_text[0])]
    assert lines[0] == f"'''{brief.marking}'''"
    assert "As of " in lead


@pytest.mark.parametrize("flavor", list(Flavor))
def test_html_for_the_pdf_is_made_from_the_gfm_markdown_whatever_the_flavor(
    shipped: dict[str, AssembledBrief], flavor: Flavor, tmp_path: Path
) -> None:
    brief = shipped["korea-eu"]
    valid = validate(load_project(SHIPPED_CONFIG))
    options = RenderOptions((Format.MD, Format.HTML), flavor=flavor, front_matter=True)
    outputs = render_outputs(valid, [brief], options, tmp_path)
    assert outputs[tmp_path / "korea-eu.html"] == render_screen_html(brief, render_page(brief, DIRS), DIRS).encode()
    assert outputs[tmp_path / "korea-eu.md"] == render_markdown(brief, DIRS, flavor, front_matter=True).encode()
