"""YAML front matter: written by yaml.safe_dump, read back the way site generators and pandoc read it."""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from typing import Any

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from briefgen.assemble import AssembledBrief, assemble_all
from briefgen.formats import Flavor
from briefgen.project.load import load_project
from briefgen.project.validate import validate
from briefgen.renderers.markdown import DIALECTS, render_markdown, yaml_front_matter
from briefgen.renderers.markup import one_line
from briefgen.renderers.templates import search_path
from tests.conftest import SHIPPED_CONFIG
from tests.engines import pandoc_ast, plain_inlines, words
from tests.test_escaping import HOSTILE_STRINGS

DIRS = search_path(SHIPPED_CONFIG.parent)
# How the generators find the block: MkDocs (mkdocs/utils/meta.py) and Jekyll (document.rb).
MKDOCS_FRONT_MATTER = re.compile(r"^-{3}[ \t]*\n(.*?\n)(?:\.{3}|-{3})[ \t]*\n", re.UNICODE | re.DOTALL)
JEKYLL_FRONT_MATTER = re.compile(r"\A(---\s*\n.*?\n?)^((---|\.\.\.)\s*$\n?)", re.MULTILINE | re.DOTALL)


@pytest.fixture(scope="module")
def brief() -> AssembledBrief:
    (korea_eu,) = assemble_all(validate(load_project(SHIPPED_CONFIG)), ["korea-eu"])
    return korea_eu


def retitled(brief: AssembledBrief, text: str) -> AssembledBrief:
    """The brief with `text` as its title, subtitle, prepared-for and marking (values no validation sees)."""
    fields = {"title": text, "subtitle": text, "prepared_for": text, "marking": text}
    return dataclasses.replace(brief, brief=brief.brief.model_copy(update=fields))


def read_front_matter(page: str) -> tuple[dict[str, Any], str]:
    """The front matter as MkDocs and Jekyll both find it (they must agree), and the page after it (MkDocs)."""
    mkdocs, jekyll = MKDOCS_FRONT_MATTER.match(page), JEKYLL_FRONT_MATTER.match(page)
    assert mkdocs and jekyll, page[:300]
    data = yaml.safe_load(mkdocs[1])
    assert data == yaml.safe_load(jekyll[1].removeprefix("---"))
    return data, page[mkdocs.end() :]


def test_front_matter_says_what_the_brief_is(brief: AssembledBrief) -> None:
    page = render_markdown(brief, DIRS, Flavor.GFM, front_matter=True)
    data, rest = read_front_matter(page)
    assert data == {
        "title": "South Korea–EU defence-industry engagement",
        "description": brief.brief.subtitle,
        "date": dt.date(2025, 10, 24),
        "author": "Korea–Europe desk",
        "tags": sorted({topic for fact in brief.facts for topic in fact.topics}),
        "marking": "UNCLASSIFIED — FOR DISCUSSION",
        "prepared_for": "Director, Europe policy",
        "brief": "korea-eu",
    }
    assert rest == "\n" + render_markdown(brief, DIRS, Flavor.GFM)


def test_a_month_precise_as_of_is_written_as_text(brief: AssembledBrief) -> None:
    from briefgen.project.values import PartialDate  # noqa: PLC0415

    monthly = dataclasses.replace(brief, brief=brief.brief.model_copy(update={"as_of": PartialDate(2025, 10)}))
    data, _ = read_front_matter(yaml_front_matter(monthly))
    assert data["date"] == "2025-10"


@pytest.mark.parametrize("flavor", [Flavor.GFM, Flavor.GITHUB_WIKI, Flavor.MKDOCS])
@given(text=st.text(min_size=1, max_size=40) | st.sampled_from(HOSTILE_STRINGS))
@settings(max_examples=150, deadline=None)
def test_hostile_titles_round_trip_through_yaml(brief: AssembledBrief, flavor: Flavor, text: str) -> None:
    data, rest = read_front_matter(yaml_front_matter(retitled(brief, text), DIALECTS[flavor]) + "# Page\n")
    # Exactly the text, on one line as the page prints it (whitespace runs as one space, controls as �).
    assert (data["title"], data["description"], data["prepared_for"], data["marking"]) == (one_line(text),) * 4
    assert rest == "\n# Page\n"


def test_pandoc_reads_hostile_front_matter_as_exactly_the_text(brief: AssembledBrief) -> None:
    """pandoc parses front-matter strings as Markdown; the pandoc flavor escapes them, so they stay text."""
    texts = [t for t in HOSTILE_STRINGS if one_line(t).strip()]
    pages = [yaml_front_matter(retitled(brief, text), DIALECTS[Flavor.PANDOC]) for text in texts]
    # One pandoc run for all: each page's front matter as one more YAML document of a single page.
    metadata = [read_front_matter(page + "x\n")[0] for page in pages]
    combined = "---\n" + yaml.safe_dump({"texts": metadata}, allow_unicode=True) + "---\n\nx\n"
    meta = pandoc_ast(combined, "markdown")["meta"]["texts"]["c"]
    for text, entry in zip(texts, meta, strict=True):
        for field in ("title", "description", "prepared_for", "marking"):
            seen = words(plain_inlines(entry["c"][field]["c"]))
            assert seen == words(one_line(text)), f"{field}: {text!r} reads {seen!r} in pandoc"


def test_pandoc_reads_the_shipped_front_matter(brief: AssembledBrief) -> None:
    meta = pandoc_ast(render_markdown(brief, DIRS, Flavor.PANDOC, front_matter=True), "markdown")["meta"]
    assert words(plain_inlines(meta["title"]["c"])) == brief.brief.title
    assert words(plain_inlines(meta["description"]["c"])) == brief.brief.subtitle
    assert [plain_inlines(tag["c"]) for tag in meta["tags"]["c"]] == list(brief.topics)
