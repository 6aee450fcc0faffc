"""Every mistake a newcomer makes gets the message that fixes it (issue 14): one test per class."""

from __future__ import annotations

from pathlib import Path

import pytest

from briefgen.errors import Diagnostic, ValidationFailed
from briefgen.project.load import load_project
from briefgen.project.validate import validate
from tests.conftest import ARTICLE, MINIMAL_YAML, MakeProject, line_of


def failures(config: Path) -> tuple[Diagnostic, ...]:
    """The diagnostics of a project that must fail validation."""
    with pytest.raises(ValidationFailed) as caught:
        validate(load_project(config))
    return caught.value.diagnostics


def only(diagnostics: tuple[Diagnostic, ...]) -> Diagnostic:
    assert len(diagnostics) == 1, [d.format() for d in diagnostics]
    return diagnostics[0]


# -- 6: a fact is named by its id as well as its index ---------------------------------------------


@pytest.mark.parametrize(
    ("old", "new", "named"),
    [
        ("    date: 2025-10-20\n    cite:", "    date: 2025-10-40\n    cite:", "facts[0].date.value (fact 'deepen'):"),
        ("  - id: k2\n", "  - id: k2\n    colour: red\n", "facts[1] (fact 'k2'): unknown key 'colour'"),
        ("  - id: k2\n", "  - id: k2\n    topics: nato\n", "facts[1].topics (fact 'k2'): expected a list"),
    ],
)
def test_an_error_in_a_fact_names_the_fact_by_its_id(make_project: MakeProject, old: str, new: str, named: str) -> None:
    error = only(failures(make_project(MINIMAL_YAML.replace(old, new))))
    assert error.message.startswith(named), error.message


def test_a_fact_without_a_usable_id_is_named_by_its_index_alone(make_project: MakeProject) -> None:
    text = MINIMAL_YAML.replace("  - id: k2\n", "  - id: K 2\n")
    messages = [d.message for d in failures(make_project(text))]
    assert any(m.startswith("facts[1].id: 'K 2' is not a valid id") for m in messages), messages


# -- 3: a quote cited to the wrong source ------------------------------------------------------------

OTHER_ARTICLE = "NATO's deputy chief Radmila Shekerinska visited the demilitarised zone on Tuesday.\n"
TWO_SOURCES = MINIMAL_YAML.replace(
    "facts:\n",
    "  dmz:\n    file: seeds/b.txt\n    title: Deputy chief visits the DMZ\nfacts:\n",
)


def test_a_quote_found_in_another_article_names_that_article_and_its_source(make_project: MakeProject) -> None:
    text = TWO_SOURCES.replace(
        "quote: would move part of its production to Poland", "quote: visited the demilitarised zone"
    )
    articles = {"seeds/a.txt": ARTICLE, "seeds/b.txt": OTHER_ARTICLE}
    error = only(failures(make_project(text, articles)))
    assert error.message == "quote not found in seeds/a.txt"
    assert error.location.line == line_of(text, "quote: visited")
    assert error.hint == "found in seeds/b.txt (source 'dmz'); cite `source: dmz`"


# -- 5: an ellipsis in a quote ----------------------------------------------------------------------


@pytest.mark.parametrize("ellipsis", ["...", "…", " […] ", " [...] "])
def test_a_quote_with_an_ellipsis_is_told_to_cite_its_parts_as_two_quotes(
    make_project: MakeProject, ellipsis: str
) -> None:
    quote = f"the “K2 tank programme”{ellipsis}production to Poland"
    text = MINIMAL_YAML.replace("quote: would move part of its production to Poland", f"quote: '{quote}'")
    error = only(failures(make_project(text)))
    assert error.message == "quote not found in seeds/a.txt"
    assert error.hint is not None
    assert error.hint.startswith("a quote cannot skip words; cite each part as a quote of its own")
    assert error.hint.endswith("“the “K2 tank programme”” and “production to Poland” are each in the article")


def test_an_ellipsis_whose_parts_are_not_in_the_article_still_gets_the_advice(make_project: MakeProject) -> None:
    text = MINIMAL_YAML.replace("quote: would move part of", "quote: would move all … of")
    hint = only(failures(make_project(text))).hint or ""
    assert hint.startswith("a quote cannot skip words") and "are each in the article" not in hint
