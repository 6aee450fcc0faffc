"""Markdown rendering: escaping, honest citations, note order, template overrides and failures."""

from __future__ import annotations

import html
import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from markdown_it import MarkdownIt
from mdit_py_plugins.footnote import footnote_plugin

from briefgen.assemble import Note, assemble_all
from briefgen.errors import TemplateError
from briefgen.formats import Flavor
from briefgen.project.load import load_project
from briefgen.project.model import Source
from briefgen.project.validate import validate
from briefgen.renderers.markdown import citation, escape_markdown, render_markdown
from briefgen.renderers.templates import search_path
from briefgen.renderers.wikitext import render_wikitext
from tests.conftest import MINIMAL_YAML, MakeProject

# Markdown with raw HTML *on*, so that escaped text that still produced a tag would show.
STRICT_MD = MarkdownIt("commonmark", {"html": True}).enable(["table", "strikethrough"]).use(footnote_plugin)
NASTY = "\\`*_{}[]()<>#+-.!|~^$&@:=%\"'/ \t\n"


def rendered_text(markdown: str) -> str:
    """What a reader sees: markdown-it's HTML with the paragraph tags stripped and entities decoded."""
    out = STRICT_MD.render(markdown).strip()
    assert out.startswith("<p>") and out.endswith("</p>"), out
    assert "<" not in out[3:-4], f"markup produced: {out}"
    return html.unescape(out[3:-4])


@given(st.text(alphabet=st.sampled_from(NASTY) | st.characters(codec="utf-8"), max_size=60))
@settings(max_examples=400, deadline=None)
def test_escaped_text_renders_as_exactly_itself(text: str) -> None:
    # Whitespace runs become one space; control characters that are not whitespace become U+FFFD.
    expected = re.sub(r"[\x00-\x1f\x7f-\x9f]", "\ufffd", re.sub(r"\s+", " ", text))
    assert rendered_text("x " + escape_markdown(text)) == ("x " + expected).rstrip()


@pytest.mark.parametrize(
    "text",
    [
        "<script>alert(1)</script>",
        "[click](javascript:alert(1))",
        "![img](file:///etc/passwd)",
        "# heading",
        "1. list",
        "- item",
        "> quote",
        "a | b | c",
        "[^1] fake note",
        "{{ template }} {% raw %}",
        "**bold** _it_ ~~gone~~ `code`",
        "&amp; &#60;",
        "https://example.com/a_b and www.example.com",
    ],
)
def test_hostile_strings_stay_text(text: str) -> None:
    assert rendered_text(escape_markdown(text)) == text


def note(**fields: object) -> Note:
    return Note(1, "s", Source.model_validate({"file": "seeds/a.txt", **fields}))


def test_citation_says_what_is_unknown() -> None:
    assert citation(note()) == (r"\[author not stated\], \[title not stated\], \[outlet not stated\], n.d.")


def test_citation_marks_supplied_and_inferred_values() -> None:
    text = citation(
        note(
            title={"value": "Action plan", "basis": "supplied"},
            published={"value": "2025-04", "basis": "inferred", "note": "last month"},
            credit="Yonhap",
            url="https://example.com/a",
        )
    )
    assert text == (
        r"\[author not stated\], “Action plan” \[title supplied by curator\], \[outlet not stated\] "
        r"(credited to Yonhap), \[date inferred: April 2025\]. [https\://example.com/a](<https://example.com/a>)"
    )


def test_citation_of_a_fully_stated_source() -> None:
    text = citation(note(author="Hwang Joo-young", title="Seoul holds talks", outlet="Herald", published="2025-10-21"))
    assert text == "Hwang Joo-young, “Seoul holds talks”, Herald, 21 October 2025."


def render_demo(config: Path) -> str:
    valid = validate(load_project(config))
    (brief,) = assemble_all(valid)
    return render_markdown(brief, search_path(valid.root))


def test_yaml_text_cannot_become_markup(make_project: MakeProject) -> None:
    evil = "Seoul and Warsaw agreed <b>to</b> [deepen](javascript:x) {{ 7*7 }} *ties*."
    markdown = render_demo(
        make_project(
            MINIMAL_YAML.replace(
                "claim: The two sides agreed to deepen defence-industry cooperation.", f"claim: '{evil}'"
            )
        )
    )
    line = next(line for line in markdown.splitlines() if "Seoul and Warsaw agreed" in line)
    assert "49" not in line
    assert rendered_text(line.removeprefix("- ").split("[^")[0]) == evil


def test_project_template_overrides_a_block_of_the_builtin(make_project: MakeProject) -> None:
    config = make_project()
    (config.parent / "templates").mkdir()
    (config.parent / "templates" / "brief.md.j2").write_text(
        '{% extends "builtin/brief.md.j2" %}{% block header %}# Custom: {{ brief.brief.title }}\n\n{% endblock %}',
        encoding="utf-8",
    )
    markdown = render_demo(config)
    assert markdown.startswith("# Custom: Demo brief\n")
    assert "## Bottom line" in markdown


def two_source_project(make_project: MakeProject) -> Path:
    """The demo project with its second fact cited from a second article: notes 1 and 2."""
    return make_project(
        MINIMAL_YAML.replace(
            "    published: 2025-10-20", "    published: 2025-10-20\n  other: {file: seeds/b.txt}"
        ).replace("- source: art\n        quote: would", "- source: other\n        quote: would"),
        {
            "seeds/a.txt": "agreed on Monday to deepen defence-industry cooperation",
            "seeds/b.txt": "would move part of its production to Poland",
        },
    )


def test_a_template_that_reorders_the_blocks_numbers_notes_in_reading_order(make_project: MakeProject) -> None:
    config = two_source_project(make_project)
    (config.parent / "templates").mkdir()
    (config.parent / "templates" / "brief.md.j2").write_text(
        '{% extends "builtin/brief.md.j2" %}{% block bottom_line %}{% endblock %}'
        "{% block key_figures %}{% for s in brief.bottom_line %}- {{ s.fact.claim }}{{ s.notes | notes }}\n{% endfor %}"
        "{% endblock %}",
        encoding="utf-8",
    )
    markdown = render_demo(config)
    # The section's fact (the second article) now comes first: it is note 1, the bottom line's note 2.
    assert "- Part of the tank programme's production would move to Poland.[^1]" in markdown
    assert "- The two sides agreed to deepen defence-industry cooperation.[^2]" in markdown
    notes = dict(re.findall(r"^\[\^(\d)\]: (.*)$", markdown, re.M))
    assert list(notes) == ["1", "2"]
    assert "Seoul and Warsaw deepen ties" in notes["2"] and "Seoul and Warsaw deepen ties" not in notes["1"]


def test_undefined_variable_names_the_template_and_line(make_project: MakeProject) -> None:
    config = make_project(
        MINIMAL_YAML.replace("    title: Demo brief", "    title: Demo brief\n    template: mine.md.j2")
    )
    (config.parent / "templates").mkdir()
    (config.parent / "templates" / "mine.md.j2").write_text(
        "# {{ brief.brief.title }}\n\n{{ nope }}\n", encoding="utf-8"
    )
    with pytest.raises(TemplateError, match=r"mine\.md\.j2:3: 'nope' is undefined"):
        render_demo(config)


def test_missing_template_lists_the_directories_searched(make_project: MakeProject) -> None:
    config = make_project(
        MINIMAL_YAML.replace("    title: Demo brief", "    title: Demo brief\n    template: gone.md.j2")
    )
    with pytest.raises(TemplateError) as caught:
        render_demo(config)
    assert caught.value.message == "template 'gone.md.j2' not found"
    assert "searched:" in (caught.value.hint or "") and "templates" in (caught.value.hint or "")


def test_every_brief_has_a_timeline_that_shows_dates_as_precisely_as_known(make_project: MakeProject) -> None:
    text = MINIMAL_YAML.replace(
        "    date: 2025-10-20\n", "    date: {value: 2025-10, basis: inferred, approximate: true}\n"
    )
    markdown = render_demo(make_project(text))
    timeline = markdown.split("## Timeline\n\n")[1].split("\n## ")[0]
    assert timeline.splitlines() == [
        "| Date | Development | Source |",
        "| --- | --- | --- |",
        "| c. October 2025 (inferred) | The two sides agreed to deepen defence-industry cooperation. | [^1] |",
        "",
        "*1 of the facts above carries no date and is not placed on the timeline.*",
    ]


def test_the_timeline_shows_a_facts_headline_and_the_brief_its_full_claim(make_project: MakeProject) -> None:
    text = MINIMAL_YAML.replace(
        "    date: 2025-10-20\n", "    date: 2025-10-20\n    headline: Seoul and Warsaw deepen *ties*\n"
    )
    markdown = render_demo(make_project(text))
    timeline = markdown.split("## Timeline\n\n")[1].split("\n## ")[0]
    assert "| 20 October 2025 | Seoul and Warsaw deepen \\*ties\\* | [^1] |" in timeline.splitlines()
    assert "agreed to deepen defence-industry cooperation" not in timeline
    bottom_line = markdown.split("## Bottom line\n\n")[1].split("\n## ")[0]
    item = "- The two sides agreed to deepen defence-industry cooperation.[^1] *(single source)*"
    assert item in bottom_line.splitlines()


def test_a_brief_without_dated_facts_says_so_in_its_timeline(make_project: MakeProject) -> None:
    markdown = render_demo(make_project(MINIMAL_YAML.replace("    date: 2025-10-20\n", "")))
    assert "## Timeline\n\n*None of the facts above carries a date.*\n" in markdown


def test_a_project_can_restyle_a_flavors_notes(make_project: MakeProject) -> None:
    config = make_project()
    (config.parent / "templates" / "notes").mkdir(parents=True)
    (config.parent / "templates" / "notes" / "linked-sources.md.j2").write_text(
        "{% macro refs(refs) %}{% for r in refs %} (source {{ r.number }}){% endfor %}{% endmacro %}"
        "{% macro anchor(note) %}{% endmacro %}{% macro footnotes(notes) %}{% endmacro %}",
        encoding="utf-8",
    )
    valid = validate(load_project(config))
    (brief,) = assemble_all(valid)
    markdown = render_markdown(brief, search_path(valid.root), Flavor.GITHUB_WIKI)
    assert "cooperation. (source 1) *(single source)*\n" in markdown


def test_a_wikitext_template_that_reorders_the_blocks_numbers_notes_in_reading_order(
    make_project: MakeProject,
) -> None:
    config = two_source_project(make_project)
    (config.parent / "templates").mkdir()
    (config.parent / "templates" / "brief.wiki.j2").write_text(
        '{% extends "builtin/brief.wiki.j2" %}{% block bottom_line %}{% endblock %}'
        "{% block key_figures %}{% for s in brief.bottom_line %}* {{ s.fact.claim }}{{ s.notes | notes }}\n"
        "{% endfor %}{% endblock %}",
        encoding="utf-8",
    )
    valid = validate(load_project(config))
    (brief,) = assemble_all(valid)
    wiki = render_wikitext(brief, search_path(valid.root))
    assert re.findall(r'<ref name="n(\d)">', wiki) == ["1", "2"]  # first citations, in reading order
    assert wiki.index('<ref name="n1">') < wiki.index("The two sides agreed")  # the section's fact, first
