"""Deep links: text-fragment encoding against the WICG grammar, ranges that land on the quoted passage,
and links that every Markdown engine reads back exactly."""

from __future__ import annotations

import html
import re
import subprocess
import time
from pathlib import Path
from urllib.parse import unquote

import pytest
from hypothesis import given
from hypothesis import strategies as st

from briefgen.assemble import assemble_all
from briefgen.project.load import load_project
from briefgen.project.validate import validate
from briefgen.renderers.html import markdown_to_html
from briefgen.renderers.markdown import render_markdown
from briefgen.renderers.templates import search_path
from briefgen.text.textfragment import EXPLICIT_CHARS, deep_link, encode, text_directive
from tests.conftest import SHIPPED_CONFIG, MakeProject, require_tool

# The grammar's TextDirectiveString: explicit characters or percent-encoded bytes, nothing else.
DIRECTIVE_STRING = re.compile(r"(?:[a-zA-Z0-9!$'()*+./:;=?@_~]|%[0-9A-F]{2})+")


def parse_directive(directive: str) -> tuple[str, str, str, str]:
    """(prefix, textStart, textEnd, suffix), decoded, as the specification's parser splits them."""
    assert directive.startswith("text=")
    tokens = directive.removeprefix("text=").split(",")
    prefix = tokens.pop(0)[:-1] if tokens[0].endswith("-") else ""
    suffix = tokens.pop()[1:] if len(tokens) > 1 and tokens[-1].startswith("-") else ""
    assert 1 <= len(tokens) <= 2, directive
    for token in tokens:
        assert DIRECTIVE_STRING.fullmatch(token), token
    start, end = tokens[0], tokens[1] if len(tokens) == 2 else ""
    return unquote(prefix), unquote(start), unquote(end), unquote(suffix)


def browser_match(directive: str, page: str) -> str:
    """The text a browser highlights: the first textStart, then the first textEnd after it (case-insensitive)."""
    _, start, end, _ = parse_directive(directive)
    text = " ".join(page.split())
    folded = text.casefold()
    at = folded.find(start.casefold())
    assert at >= 0, f"textStart {start!r} not in the page"
    if not end:
        return text[at : at + len(start)]
    stop = folded.find(end.casefold(), at + len(start))
    assert stop >= 0, f"textEnd {end!r} not after textStart"
    return text[at : stop + len(end)]


@pytest.mark.parametrize(
    "text, encoded",
    [
        ("Seok Jong-gun", "Seok%20Jong%2Dgun"),  # dash: the prefix/suffix marker
        ("AT&T, Inc.", "AT%26T%2C%20Inc."),  # ampersand separates directives, comma parameters
        ("5% of GDP", "5%25%20of%20GDP"),
        ("Šekerinska", "%C5%A0ekerinska"),  # UTF-8 bytes
        ("기자", "%EA%B8%B0%EC%9E%90"),
        ("“quoted” #1 <b>", "%E2%80%9Cquoted%E2%80%9D%20%231%20%3Cb%3E"),
        ("it's (NATO's) a+b=c?/:;@_~!$*.", "it's%20(NATO's)%20a+b=c?/:;@_~!$*."),  # explicit characters stay
    ],
)
def test_encoding_follows_the_grammar(text: str, encoded: str) -> None:
    assert encode(text) == encoded


@given(st.text(min_size=1, max_size=80))
def test_every_text_encodes_to_a_directive_string_that_decodes_back(text: str) -> None:
    encoded = encode(text)
    assert DIRECTIVE_STRING.fullmatch(encoded)
    assert not {"-", "&", ",", " ", "#"} & set(encoded)
    assert unquote(encoded, errors="strict") == text


def test_the_explicit_set_is_the_specifications() -> None:
    assert "".join(sorted(EXPLICIT_CHARS - set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"))) == (
        "!$'()*+./:;=?@_~"
    )


PAGE = (
    "Seok Jong-gun and Andrius Kubilius shake hands as they meet in Brussels on Wednesday. (Kubilius' X)\n"
    "The head of the agency, Seok Jong-gun, held talks.\n"
    "Seok Jong-gun and Andrius Kubilius met in Brussels on Wednesday, as Seoul seeks to strengthen arms industry "
    "ties with Europe amid the continent's rearmament push.\n"
    "AT&T, the 5% figure and “quotes” — all here, in one sentence, with a comma-laden, dash-y end-game.\n"
)


@pytest.mark.parametrize(
    "passage",
    [
        "The head of the agency, Seok Jong-gun, held talks.",  # short: given whole
        # long, and its first words also open the caption above: textStart must grow until it is unique
        "Seok Jong-gun and Andrius Kubilius met in Brussels on Wednesday, as Seoul seeks to strengthen arms "
        "industry ties with Europe amid the continent's rearmament push.",
        "AT&T, the 5% figure and “quotes” — all here, in one sentence, with a comma-laden, dash-y end-game.",
    ],
)
def test_a_browser_following_the_directive_highlights_exactly_the_passage(passage: str) -> None:
    directive = text_directive(passage, PAGE)
    assert browser_match(directive, PAGE) == passage


def test_long_passages_become_a_start_end_range() -> None:
    passage = "AT&T, the 5% figure and “quotes” — all here, in one sentence, with a comma-laden, dash-y end-game."
    directive = text_directive(passage, PAGE)
    _, start, end, _ = parse_directive(directive)
    assert (start, end) == ("AT&T, the 5% figure", "a comma-laden, dash-y end-game.")
    assert directive == "text=AT%26T%2C%20the%205%25%20figure,a%20comma%2Dladen%2C%20dash%2Dy%20end%2Dgame."


def test_a_caption_repeating_the_opening_words_makes_the_start_longer() -> None:
    passage = (
        "Seok Jong-gun and Andrius Kubilius met in Brussels on Wednesday, as Seoul seeks to strengthen arms "
        "industry ties with Europe amid the continent's rearmament push."
    )
    _, start, _, _ = parse_directive(text_directive(passage, PAGE))
    assert start == "Seok Jong-gun and Andrius Kubilius met"


@pytest.mark.parametrize(
    "url, expected",
    [
        ("https://ex.org/a", "https://ex.org/a#:~:text=x&text=y"),
        ("https://ex.org/a#part", "https://ex.org/a#part:~:text=x&text=y"),
        ("https://ex.org/a#:~:text=w", "https://ex.org/a#:~:text=w&text=x&text=y"),
    ],
)
def test_deep_link_appends_a_fragment_directive(url: str, expected: str) -> None:
    assert deep_link(url, ["text=x", "text=y"]) == expected
    assert deep_link(url, []) == url


# -- in the rendered brief -----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def nato_markdown() -> str:
    valid = validate(load_project(SHIPPED_CONFIG))
    (brief,) = assemble_all(valid, ["korea-nato"])
    return render_markdown(brief, search_path(valid.root))


def hrefs(rendered_html: str) -> list[str]:
    return [html.unescape(h) for h in re.findall(r'href="([^"]+)"', rendered_html) if h.startswith("http")]


def test_the_footnote_highlights_every_passage_of_its_source_and_the_sources_list_each_one(
    nato_markdown: str,
) -> None:
    valid = validate(load_project(SHIPPED_CONFIG))
    article = valid.articles["korea-times-2023-12-13-shin-meets-nato-eight"].original
    links = hrefs(markdown_to_html(nato_markdown))
    url = "https://www.koreatimes.co.kr/www/nation/2025/03/113_365075.html"
    assert all(link.startswith(f"{url}#:~:text=") for link in links)
    footnote = max(links, key=len)
    directives = footnote.split("#:~:")[1].split("&")
    single = [link.split("#:~:")[1] for link in links if "&" not in link.split("#:~:")[1]]
    assert len(directives) == 9 and sorted(single) == sorted(directives)
    highlighted = [browser_match(d, article) for d in directives]
    # Each highlighted text is a quote of the brief, and they come in article order.
    assert [" ".join(article.split()).find(h) for h in highlighted] == sorted(
        " ".join(article.split()).find(h) for h in highlighted
    )
    assert highlighted[0].startswith("Defense Minister Shin Won-sik met representatives of eight member states")


def test_the_link_text_is_the_plain_url_so_print_shows_it(nato_markdown: str) -> None:
    footnote = next(line for line in nato_markdown.splitlines() if line.startswith("[^5]:"))
    assert r"[https\://www\.koreatimes.co.kr/www/nation/2025/03/113\_365075.html](<https://" in footnote


@pytest.mark.parametrize("engine", ["cmark-gfm", "pandoc"])
def test_wiki_engines_read_back_the_exact_deep_links(nato_markdown: str, engine: str) -> None:
    command = [require_tool(engine)] + (["-f", "gfm", "-t", "html"] if engine == "pandoc" else [])
    rendered = subprocess.run(command, input=nato_markdown, capture_output=True, text=True, check=True).stdout
    # The same links; as sets, since pandoc repeats a note at each of its references.
    assert set(hrefs(rendered)) == set(hrefs(markdown_to_html(nato_markdown)))


def test_a_url_with_entity_like_text_survives_markdown(make_project: MakeProject, tmp_path: Path) -> None:
    from tests.conftest import MINIMAL_YAML  # noqa: PLC0415

    url = "https://ex.org/a?x=1&amp;y=2&copy;"
    config = make_project(
        MINIMAL_YAML.replace("    published: 2025-10-20", f"    published: 2025-10-20\n    url: '{url}'")
    )
    valid = validate(load_project(config))
    (brief,) = assemble_all(valid)
    markdown = render_markdown(brief, search_path(valid.root))
    links = hrefs(markdown_to_html(markdown))
    assert links and all(link.startswith(f"{url}#:~:text=") for link in links)
    rendered = subprocess.run(
        [require_tool("cmark-gfm")], input=markdown, capture_output=True, text=True, check=True
    ).stdout
    assert sorted(hrefs(rendered)) == sorted(links)


def test_many_passages_of_one_long_article_do_not_reread_it_each_time() -> None:
    """A 2 MB article quoted 3,000 times took 98 s to render: the page was re-split for every passage."""
    sentences = [f"Talks on joint production number {n} would continue in Warsaw next month." for n in range(100)]
    page = ("filler words of the page " * 18_000 + "\n").join(sentences)  # ~2 MB
    start = time.perf_counter()
    for sentence in sentences:
        directive = text_directive(sentence, page)
        assert directive.startswith("text=Talks%20on%20joint%20production")
    assert time.perf_counter() - start < 30.0  # ~2 s (8 s under a full parallel run); re-splitting took 90 s
