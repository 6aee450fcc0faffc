"""Render HTML: the brief's Markdown through markdown-it-py, inside the print shell.

The HTML is made from the very Markdown the wiki gets, so handout and wiki page never disagree.
Footnotes are rewritten for paged media: the first reference to a note carries the note's text in
a `<span class="footnote">` that print CSS floats to the foot of the page (`float: footnote`);
later references to the same note are plain links to it. On screen every reference is the note's
number, linked to its entry in the Sources list, so a source cited ten times reads `1` ten times,
as in the PDF. No raw HTML from the Markdown is allowed and only http(s) links and in-page
anchors survive.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping, Sequence
from functools import cache, partial
from pathlib import Path
from typing import Any

import jinja2
import pyphen
from markdown_it import MarkdownIt
from markdown_it.common.utils import escapeHtml
from markdown_it.token import Token
from markupsafe import Markup
from mdit_py_plugins.footnote import footnote_plugin

from briefgen.assemble import AssembledBrief
from briefgen.errors import AssetError, TemplateError
from briefgen.formats import Paper
from briefgen.project.theme import css_colour
from briefgen.renderers.markdown import Page
from briefgen.renderers.templates import environment, find_template_file, render_template
from briefgen.renderers.timeline import brief_timeline_print_svgs, brief_timeline_svg

PRINT_TEMPLATE = "print.html.j2"
SCREEN_TEMPLATE = "screen.html.j2"
_CSS_PAGE_SIZES = {Paper.A4: "A4", Paper.LETTER: "letter"}


@cache
def _markdown_parser(paged: bool) -> MarkdownIt:
    """The parser, built once per process: it holds no state between documents."""
    # Typographic quotes and apostrophes in print and on screen, whatever the data typed (the wiki
    # Markdown keeps what was written; quotes are checked against the articles before any of this).
    # Only the quotes: markdown-it's other "replacements" ((c) → ©, -- → –) would change the data.
    md = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": True, "quotes": "“”‘’"})
    # No images: nothing in a brief is one, and an image is a fetch (a tracking pixel on screen).
    md.enable(["table", "smartquotes"]).disable(["image", "replacements"]).use(footnote_plugin, inline=False)
    md.validateLink = lambda url: re.match(r"(?i)^(https?://|#)", url) is not None  # type: ignore[method-assign]
    md.add_render_rule("text", _render_text)
    if paged:
        md.add_render_rule("footnote_ref", _render_footnote_ref)
        md.core.ruler.push("briefgen_break_points", _add_break_points)
    else:
        md.add_render_rule("footnote_ref", _render_screen_note_ref)
    return md


def markdown_to_html(
    page: Page | str, *, paged: bool = True, language: str = "en", figures: Mapping[str, str] | None = None
) -> str:
    """The body HTML for a brief's Markdown page: masthead, one <section> per `##` heading (classed
    by the template block it came from), and notes — at the foot of the page where first cited when
    `paged`, else links to the Sources list (screen), and paged text hyphenated by `language`'s
    patterns. Plain Markdown text has no blocks to class by. `figures` maps a block's name to HTML
    briefgen made (never the Markdown's: raw HTML stays off), set just under that block's heading."""
    page = Page(page) if isinstance(page, str) else page
    md = _markdown_parser(paged)
    env: dict[str, Any] = {"briefgen_language": language}
    tokens = md.parse(page.text, env)
    renderer: Any = md.renderer  # a RendererHTML; its protocol type lacks renderInline
    body, notes = _split_footnotes(tokens)
    rendered = {index: renderer.renderInline(inline, md.options, env) for index, inline in notes.items()}
    if paged:
        env["briefgen_notes"] = rendered
        return str(renderer.render(_wrap_sections(body, page, figures or {}), md.options, env))
    listed = _anchor_sources(body, page)
    html = str(renderer.render(_wrap_sections(body, page, figures or {}), md.options, env))
    unlisted = {index: text for index, text in rendered.items() if note_number(index) not in listed}
    return html + _notes_list(unlisted) if unlisted else html


def note_number(index: int) -> int:
    """The number a note is shown with, from markdown-it's footnote index (0 for the first note
    cited): the order of first citation, as the PDF's footnote counter and the Sources list count."""
    return index + 1


def _render_footnote_ref(self: Any, tokens: Sequence[Token], idx: int, options: Any, env: dict[str, Any]) -> str:
    meta = tokens[idx].meta
    number = note_number(meta["id"])
    if meta.get("subId", 0) == 0:
        body = env["briefgen_notes"].get(meta["id"], "")
        return f'<span class="footnote" id="note-{number}">{body}</span>'
    return f'<a class="note-ref" href="#note-{number}" aria-label="note {number}">{number}</a>'


def _render_screen_note_ref(self: Any, tokens: Sequence[Token], idx: int, options: Any, env: dict[str, Any]) -> str:
    """On screen, every citation of a note is its number, linked to the note's Sources entry."""
    number = note_number(tokens[idx].meta["id"])
    return f'<sup class="note-ref"><a href="#note-{number}" aria-label="note {number}">{number}</a></sup>'


def _anchor_sources(tokens: list[Token], page: Page) -> set[int]:
    """Give each entry of the Sources list (the first numbered list of the `sources` block) the id
    `note-N` its citations link to; return the numbers so anchored.

    The list is numbered by note (`1. …`), the Markdown's own numbering, which briefgen checks
    follows the order of first citation.
    """
    block: str | None = None
    for i, token in enumerate(tokens):
        if token.type == "heading_open" and token.tag == "h2":
            block = page.block_at(token.map[0]) if token.map else None
        elif token.type == "ordered_list_open" and block == "sources":
            return _anchor_items(tokens, i)
    return set()


def _anchor_items(tokens: list[Token], start: int) -> set[int]:
    """Set `id="note-N"` on the items of the ordered list opened at tokens[start]."""
    opening = tokens[start]
    number = int(opening.attrGet("start") or 1)
    anchored: set[int] = set()
    for token in tokens[start + 1 :]:
        if token.type == "ordered_list_close" and token.level == opening.level:
            break
        if token.type == "list_item_open" and token.level == opening.level + 1:
            token.attrSet("id", f"note-{number}")
            anchored.add(number)
            number += 1
    return anchored


def _notes_list(notes: dict[int, str]) -> str:
    """The notes that have no Sources entry to link to (a page from plain Markdown, or a template
    without a numbered Sources list), listed at the end so that every citation still lands."""
    items = "".join(
        f'<li id="note-{note_number(index)}" value="{note_number(index)}">{text}</li>\n'
        for index, text in sorted(notes.items())
    )
    return f'<section class="notes">\n<ol>\n{items}</ol>\n</section>\n'


def _render_text(self: Any, tokens: Sequence[Token], idx: int, options: Any, env: dict[str, Any]) -> str:
    """Text as usual, except the comma between two note references, which is set superscript too."""
    content = tokens[idx].content
    between_notes = 0 < idx < len(tokens) - 1 and tokens[idx - 1].type == tokens[idx + 1].type == "footnote_ref"
    if content == "," and between_notes:
        return '<sup class="note-sep">,</sup>'
    return escapeHtml(content)


# Words that may be hyphenated at a line end: lower-case words of six letters or more. Names —
# capitalised words — never are (no "Radm-ila", "At-lantic"); a word with a hyphen of its own
# keeps that break and gets others only inside its lower-case parts.
_HYPHENATABLE = re.compile(r"(?<![^\W\d_])[a-zß-ÿ][^\W\d_]{5,}")
_SOFT_HYPHEN = "\u00ad"


@cache
def _hyphenator(language: str) -> pyphen.Pyphen:
    """Pyphen for the handout's language, never leaving fewer than three letters on either side."""
    return pyphen.Pyphen(lang=hyphenation_language(language), left=3, right=3)


# Where running text may break inside a word: paragraphs and list items, not headings (their text
# is also the PDF's bookmarks), tables, link text or the notes.
_NO_BREAKS_INSIDE = {"heading_open": "heading_close", "table_open": "table_close", "footnote_open": "footnote_close"}


def _add_break_points(state: Any) -> None:
    """A core rule: soft hyphens where lower-case words of running text may break at a line end.

    briefgen hyphenates, not WeasyPrint: print.css sets `hyphens: manual`, so a line breaks inside a
    word only at these soft hyphens — which is how names are never broken (a span per name, with
    `hyphens: none`, made laying out a brief 1.4x slower). A soft hyphen not used at a line end is
    not in the PDF's text.
    """
    language = state.env.get("briefgen_language")
    if language is None:
        return
    hyphenate = _hyphenator(language).inserted
    closing: list[str] = []
    for token in state.tokens:
        if closing and token.type == closing[-1]:
            closing.pop()
        elif token.type in _NO_BREAKS_INSIDE:
            closing.append(_NO_BREAKS_INSIDE[token.type])
        elif token.type == "inline" and not closing:
            in_link = False
            for child in token.children or ():
                in_link = (child.type == "link_open") or (in_link and child.type != "link_close")
                if child.type == "text" and not in_link:
                    child.content = _HYPHENATABLE.sub(lambda m: hyphenate(m[0], hyphen=_SOFT_HYPHEN), child.content)


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


def _wrap_sections(tokens: list[Token], page: Page, figures: Mapping[str, str]) -> list[Token]:
    """Wrap what precedes the first `##` in <header class="masthead"> and each `##` part in <section>.

    A section's class names the template block that wrote its heading (`block-bottom-line` for
    `{% block bottom_line %}`, `block-sections` for the brief's own sections), so the stylesheets
    find the bottom line however its heading is worded or translated. Its id (the link target) is
    made from the block's name for a fixed block (`section-bottom-line`, whatever `project.labels`
    calls it), from the heading for the brief's own sections (`section-recent-developments`). A
    block's figure (`figures`) follows its heading, once.
    """
    out = [_html_token('<header class="masthead">\n')]
    open_tag = "</header>\n"
    headings = [i for i, token in enumerate(tokens) if token.type == "heading_open" and token.tag == "h2"]
    ids = _section_ids([(_heading_block(tokens[i], page), tokens[i + 1].content) for i in headings])
    pending: str | None = None
    placed: set[str] = set()
    for i, token in enumerate(tokens):
        if token.type == "heading_open" and token.tag == "h2":
            block = _heading_block(token, page)
            classes = f"block block-{block.replace('_', '-')}" if block else "block"
            slug = ids[headings.index(i)]
            out.append(_html_token(f'{open_tag}<section class="{classes}" id="{slug}">\n'))
            open_tag = "</section>\n"
            pending = block if block in figures and block not in placed else None
        out.append(token)
        if token.type == "heading_close" and token.tag == "h2" and pending is not None:
            out.append(_html_token(figures[pending]))
            placed.add(pending)
            pending = None
    out.append(_html_token(open_tag))
    return out


# Blocks whose headings are the brief's own titles (its sections); every other block's heading is
# a fixed word, which a project may rename (`project.labels`).
_OWN_TITLES = frozenset({"sections"})


def _heading_block(token: Token, page: Page) -> str | None:
    return page.block_at(token.map[0]) if token.map else None


def _section_ids(headings: Sequence[tuple[str | None, str]]) -> list[str]:
    """Each `##` heading's id, from its (block, text): a fixed block's from the block's name, so a
    renamed heading keeps its link target; the brief's own sections' from their titles. Fixed
    blocks are served first: a section titled "Timeline" gets `section-timeline-2`, not the
    Timeline block's id."""
    used: set[str] = set()
    ids: dict[int, str] = {}
    for own in (False, True):
        for index, (block, text) in enumerate(headings):
            if (block is None or block in _OWN_TITLES) == own:
                ids[index] = _section_id(text if own or block is None else block.replace("_", " "), used)
    return [ids[index] for index in range(len(headings))]


def brief_figures(brief: AssembledBrief, *, paged: bool) -> dict[str, str]:
    """The figures briefgen draws for a brief, by the block they head: the Timeline's, when it has
    dated facts. Each is a <figure>; the SVG carries its own title and description. On paper a
    figure too tall for a page comes in parts, one <figure> each (a page breaks between figures,
    never inside one), the caption under the last."""
    svgs = brief_timeline_print_svgs(brief) if paged else tuple(filter(None, [brief_timeline_svg(brief)]))
    if not svgs:
        return {}
    caption = f"<figcaption>{escapeHtml(brief.settings.labels.timeline_caption)}</figcaption>"
    boxes = [
        f'<figure class="timeline-figure-box">\n{svg}{caption if last else ""}\n</figure>\n'
        for svg, last in zip(svgs, [False] * (len(svgs) - 1) + [True], strict=True)
    ]
    return {"timeline": "".join(boxes)}


def _section_id(title: str, used: set[str]) -> str:
    """`section-recent-developments`: the prefix keeps ids made from data apart from the ids briefgen
    generates (`note-N`), so a section titled "Note 1" cannot take the notes' link targets; a title
    used twice gets `-2`, `-3`."""
    base = "section-" + (re.sub(r"[^a-z0-9]+", "-", title.lower()).strip("-") or "untitled")
    slug, n = base, 1
    while slug in used:
        n += 1
        slug = f"{base}-{n}"
    used.add(slug)
    return slug


def css_string(value: object) -> Markup:
    """A CSS string literal holding `value` as text: every character that could end the string, the
    declaration or the <style> element is written as a CSS hex escape."""
    escaped = "".join(c if c.isalnum() or c in " .,!?()–—·'" else f"\\{ord(c):x} " for c in str(value))
    return Markup(f'"{escaped}"')


def _shell_context(brief: AssembledBrief, body: str) -> dict[str, Any]:
    """What a shell template is given: the brief, its body HTML (also as masthead and content, for
    templates that place them apart; the masthead with the logo), the language, the keywords, the
    labels and the theme (the accent as briefgen writes it, never as typed)."""
    masthead, end, content = body.partition("</header>\n")
    theme = brief.settings.theme
    masthead = _with_logo(masthead, theme.logo, brief.settings.labels.logo)
    return {
        "brief": brief,
        "body": Markup(masthead + end + content),
        "masthead": Markup(masthead + end),
        "content": Markup(content),
        "language": brief.settings.language,
        "keywords": ", ".join(brief.topics),
        "labels": brief.settings.labels,
        "accent": Markup(css_colour(theme.accent)) if theme.accent else None,
        "logo": theme.logo,
    }


def _with_logo(masthead: str, logo: str | None, alt: str) -> str:
    """The masthead with the logo before its title (after the marking, which stays first). The
    file name is a plain relative path (the model's pattern); it is escaped all the same."""
    if logo is None:
        return masthead
    img = f'<img class="logo" src="{escapeHtml(logo)}" alt="{escapeHtml(alt)}">\n'
    before, h1, after = masthead.partition("<h1>")
    return before + img + h1 + after if h1 else masthead + img


def hyphenation_language(language: str) -> str:
    """The language whose hyphenation patterns the handout's text is broken by (see _hyphenator).

    Pyphen (WeasyPrint's hyphenator) reads a bare `en` as its en-GB dictionary, whose patterns
    break common words badly ("milit-ary", "Con-sultat-ive", "Rad-m-ila"); the en-US patterns
    (Liang's, as in TeX) break British and American spellings alike well. A project that names
    its variant (`en-GB`, `en-US`) or another language gets exactly that.
    """
    return "en-US" if language.lower() == "en" else language


# Font formats a stylesheet may name a bundled font by, best first (every browser reads them all).
_FONT_SUFFIXES = (".woff2", ".ttf", ".otf")


def font_url(template_dirs: tuple[Path, ...], name: str) -> str:
    """`fonts/<name>.<suffix>` for the first suffix a file on the template search path has, so a
    stylesheet names a bundled font by its name alone, whatever its outline format."""
    for suffix in _FONT_SUFFIXES:
        relative = f"fonts/{name}{suffix}"
        if find_template_file(template_dirs, relative) is not None:
            return relative
    searched = ", ".join(str(d / "fonts") for d in template_dirs)
    tried = ", ".join(f"{name}{suffix}" for suffix in _FONT_SUFFIXES)
    raise TemplateError(f"font_url({name!r}): no font file {tried}", f"searched: {searched}")


def html_environment(template_dirs: tuple[Path, ...]) -> jinja2.Environment:
    """Jinja with HTML autoescaping, the `css_string` filter and `font_url(name)` (the bundled font
    file of that name, see font_url); build once per run, reuse per brief."""
    env = environment(template_dirs, autoescape=True)
    env.filters["css_string"] = css_string
    env.globals["font_url"] = partial(font_url, template_dirs)
    return env


def render_print_html(
    brief: AssembledBrief,
    page: Page | str,
    template_dirs: tuple[Path, ...],
    *,
    paper: Paper,
    timestamp: dt.datetime,
    env: jinja2.Environment | None = None,
) -> str:
    """The HTML WeasyPrint lays out: the print shell around the Markdown's HTML, notes at page feet."""
    env = env or html_environment(template_dirs)
    brief = _as_rendered(brief, page)
    body = markdown_to_html(
        page, paged=True, language=brief.settings.language, figures=brief_figures(brief, paged=True)
    )
    context = _shell_context(brief, body)
    context.update(paper=_CSS_PAGE_SIZES[paper], timestamp=timestamp.strftime("%Y-%m-%dT%H:%M:%SZ"))
    return render_template(env, template_dirs, PRINT_TEMPLATE, context)


def render_screen_html(
    brief: AssembledBrief, page: Page | str, template_dirs: tuple[Path, ...], env: jinja2.Environment | None = None
) -> str:
    """A standalone HTML page for intranets and e-mail: inline CSS, no scripts, each note reference
    linked to its Sources entry, fonts from fonts/ beside the page (screen_assets)."""
    env = env or html_environment(template_dirs)
    brief = _as_rendered(brief, page)
    return render_template(
        env,
        template_dirs,
        SCREEN_TEMPLATE,
        _shell_context(brief, markdown_to_html(page, paged=False, figures=brief_figures(brief, paged=False))),
    )


def _as_rendered(brief: AssembledBrief, page: Page | str) -> AssembledBrief:
    """The brief as its page was rendered: its notes numbered as the template cited them, so the
    figures' note numbers and the shell's data agree with the page's."""
    return page.brief if isinstance(page, Page) and page.brief is not None else brief


EXTRA_CSS = "extra.css"  # a project's own additions to the built-in stylesheets (print and screen)


# What a stylesheet's url() may bring beside the screen page: images and fonts, by suffix.
_SCREEN_ASSET = re.compile(
    r"""url\(\s*["']?([A-Za-z0-9_-][A-Za-z0-9_./-]*\.(?:png|jpe?g|gif|svg|webp|woff2?|ttf|otf))"""
)


def screen_assets(template_dirs: tuple[Path, ...], logo: str | None = None) -> dict[str, bytes]:
    """Files the screen page loads from beside itself: the fonts and images its stylesheets name
    (`url(fonts/…)`, `url(img/paper.png)`: relative, so the browser finds them there), the fonts'
    license, and the project's logo (`project.theme.logo`), each at its path among the templates.
    One that is on no template directory is an AssetError, as in the PDF.

    The stylesheets are read as the page includes them, through Jinja, so that a font named with
    `font_url(…)` is found as the file it resolves to.
    """
    env = html_environment(template_dirs)
    names: list[str] = []
    for stylesheet in ("screen.css", EXTRA_CSS):
        css = find_template_file(template_dirs, stylesheet)
        if css is not None:
            text = _stylesheet_text(env, template_dirs, stylesheet, css)
            names += re.findall(r"url\((fonts/[^)\s]+)\)", text)  # every font (a `..` is refused on writing)
            names += [name for name in _SCREEN_ASSET.findall(text) if ".." not in name.split("/")]
    names = list(dict.fromkeys(names))
    missing = [name for name in names if find_template_file(template_dirs, name) is None]
    if missing:
        base = template_dirs[0].as_uri()
        failures = tuple((f"{base}/{name}", f"no file {name!r} among the templates") for name in missing)
        raise AssetError(failures, output="the HTML page")
    assets: dict[str, bytes] = {}
    for name in [*names, "fonts/OFL.txt", *([logo] if logo else [])]:
        path = find_template_file(template_dirs, name)
        if path is not None:
            assets[name] = path.read_bytes()
    return assets


def _stylesheet_text(env: jinja2.Environment, template_dirs: tuple[Path, ...], name: str, path: Path) -> str:
    """The stylesheet as Jinja renders it; as written if it uses the page's context (a project's
    extra.css may), which only the page's own rendering has — and reports, if it is wrong."""
    try:
        return render_template(env, template_dirs, name, {})
    except TemplateError:
        return path.read_text(encoding="utf-8")
