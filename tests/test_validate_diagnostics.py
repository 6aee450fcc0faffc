"""Every mistake a newcomer makes gets the message that fixes it (issue 14): one test per class."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from briefgen.cli import app
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


# -- 7: a misspelt path, choice or citation key gets the nearest right one ----------------------------


@pytest.mark.parametrize(("written", "meant"), [("seeds/a.tx", "seeds/a.txt"), ("seed/a.txt", "seeds/a.txt")])
def test_a_misspelt_article_path_suggests_the_nearest_existing_file(
    make_project: MakeProject, written: str, meant: str
) -> None:
    text = MINIMAL_YAML.replace("file: seeds/a.txt", f"file: {written}")
    error = only(failures(make_project(text)))
    assert error.message == f"article {written!r}: file not found"
    assert error.location.line == line_of(text, "file:")
    assert error.hint == f"did you mean {meant!r}?"


def test_a_missing_article_with_no_near_name_gets_no_suggestion(make_project: MakeProject) -> None:
    text = MINIMAL_YAML.replace("file: seeds/a.txt", "file: seeds/unrelated-name.md")
    assert only(failures(make_project(text))).hint is None


@pytest.mark.parametrize(
    ("old", "new", "message", "hint"),
    [
        (
            "        facts: [k2]\n",
            "        facts: [k2]\n        order: chronologic\n",
            "briefs.demo.sections[0].order: 'chronologic' is not one of as-listed, chronological",
            "did you mean 'chronological'?",
        ),
        (
            "    as_of: 2025-10-24\n",
            "    as_of: 2025-10-24\n    paper: leter\n",
            "briefs.demo.paper: 'leter' is not one of a4, letter",
            "did you mean 'letter'?",
        ),
    ],
)
def test_a_misspelt_choice_suggests_the_nearest_valid_value(
    make_project: MakeProject, old: str, new: str, message: str, hint: str
) -> None:
    error = only(failures(make_project(MINIMAL_YAML.replace(old, new))))
    assert (error.message, error.hint) == (message, hint)


def test_a_misspelt_key_in_a_citation_is_the_only_error_reported(make_project: MakeProject) -> None:
    text = MINIMAL_YAML.replace("        quote: would move", "        qoute: would move")
    error = only(failures(make_project(text)))
    assert error.message == "facts[1].cite[0] (fact 'k2'): unknown key 'qoute'"
    assert error.hint == "did you mean 'quote'?"


def test_an_empty_cite_list_is_still_an_error(make_project: MakeProject) -> None:
    text = MINIMAL_YAML.replace(
        "    cite:\n      - source: art\n        quote: would move part of its production to Poland\n", "    cite: []\n"
    )
    assert only(failures(make_project(text))).message == "facts[1].cite (fact 'k2'): must not be empty"


# -- 8: an error in a fact does not hide the other problems of the same fact --------------------------


def test_a_schema_error_in_a_fact_does_not_hide_its_quote_and_reference_errors(make_project: MakeProject) -> None:
    text = MINIMAL_YAML.replace("  - id: k2\n", "  - id: k2\n    date: 2025-13-01\n    entities: [nobody]\n").replace(
        "      - source: art\n        quote: would move part of its production to Poland\n",
        "      - source: art\n        quote: would move all of its production to Poland\n"
        "      - source: artt\n        quote: something no article says\n",
    )
    found = {(d.location.line, d.message.split(":")[0]) for d in failures(make_project(text))}
    assert found == {
        (line_of(text, "2025-13-01"), "facts[1].date.value (fact 'k2')"),
        (line_of(text, "quote: would move all"), "quote not found in seeds/a.txt"),
        (line_of(text, "source: artt"), "unknown source 'artt'"),
        (line_of(text, "[nobody]"), "unknown entity 'nobody'"),
    }


def test_an_invalid_citation_of_an_invalid_fact_is_reported_once(make_project: MakeProject) -> None:
    text = MINIMAL_YAML.replace("  - id: k2\n", "  - id: k2\n    date: 2025-13-01\n").replace(
        "        quote: would move", "        qoute: would move"
    )
    messages = sorted(d.message for d in failures(make_project(text)))
    assert [m.split(":")[0] for m in messages] == ["facts[1].cite[0] (fact 'k2')", "facts[1].date.value (fact 'k2')"]


def test_an_invalid_entity_does_not_hide_the_quote_errors_of_its_roles(make_project: MakeProject) -> None:
    text = MINIMAL_YAML.replace(
        "facts:\n",
        "entities:\n  sekerinska:\n    name: Radmila Šekerinska\n    kind: persn\n    roles:\n"
        "      - title: Deputy Secretary General\n        cite:\n          - source: art\n"
        "            quote: Radmila Sekerinska welcomed the plan\n"
        "facts:\n",
    )
    found = {(d.location.line, d.message.split(":")[0]) for d in failures(make_project(text))}
    assert found == {
        (line_of(text, "kind: persn"), "entities.sekerinska.kind"),
        (line_of(text, "quote: Radmila"), "quote not found in seeds/a.txt"),
    }


# -- 2: a YAML syntax error names its likely cause ------------------------------------------------

K2_CLAIM = "    claim: Part of the tank programme's production would move to Poland.\n"


@pytest.mark.parametrize(
    ("new", "at", "hint"),
    [
        (
            "    claim: Part of the K2 programme: production would move to Poland.\n",
            ("programme: ", len("programme")),
            "the value contains a colon followed by a space",
        ),
        (K2_CLAIM + "      date: 2025-10-20\n", ("      date", 10), "this key is indented further than the key above"),
        (K2_CLAIM + "   when: 2025-10-20\n", ("   when", 3), "this line is indented 3 spaces, which matches no"),
        ("    claim: 'Part of the tank programme's production'\n", ("programme's", 10), "the apostrophe at column"),
        ('    claim: "Part of the "K2" tank programme"\n', ('"K2"', 1), "the double quote at column"),
        ('    claim: "Part of the tank programme\n', ('"Part', 0), 'the quote (") opened here is never closed'),
        ("    claim: @k2 would move\n", ("@k2", 0), "a value cannot start with this character unless it is quoted"),
        (K2_CLAIM + "    dated 2025\n", ("    dated", 4), "this line is inside a mapping but is not `key: value`"),
    ],
)
def test_a_yaml_syntax_error_gets_a_hint_naming_its_likely_cause(
    make_project: MakeProject, new: str, at: tuple[str, int], hint: str
) -> None:
    text = MINIMAL_YAML.replace(K2_CLAIM, new)
    with pytest.raises(ValidationFailed) as caught:
        load_project(make_project(text))
    error = only(caught.value.diagnostics)
    needle, offset = at
    line = text.splitlines()[line_of(text, needle) - 1]
    assert error.message.startswith("YAML syntax: ")
    assert (error.location.line, error.location.column) == (line_of(text, needle), line.index(needle) + offset + 1)
    assert error.hint is not None and error.hint.startswith(hint), error.hint


def test_an_unclosed_bracket_is_named_where_the_parser_gives_up(make_project: MakeProject) -> None:
    text = MINIMAL_YAML.replace(K2_CLAIM, K2_CLAIM + "    topics: [nato, poland\n")
    with pytest.raises(ValidationFailed) as caught:
        load_project(make_project(text))
    error = only(caught.value.diagnostics)
    assert error.location.line == line_of(text, "topics: [nato") + 1  # the next key, where the list should have ended
    assert error.hint == (
        f"the [ opened at line {line_of(text, 'topics: [nato')} is not closed: close it with ] "
        "(a text value that starts with [ must be quoted)"
    )


# -- 1: a key indented too far is swallowed by a block of text ----------------------------------------


@pytest.mark.parametrize(
    ("block", "key"),
    [
        (
            "    claim: >-\n      Part of the production\n      would move to Poland.\n      topics: [nato, k2]\n",
            "topics",
        ),
        ("    claim: |\n      Part of the production would move to Poland.\n      date: 2025-10-20\n", "date"),
        ('    claim: "Part of the production would move to Poland.\n      headline: K2 to Poland"\n', "headline"),
    ],
)
def test_a_line_of_a_text_block_that_reads_like_a_key_is_a_warning_at_that_line(
    make_project: MakeProject, block: str, key: str
) -> None:
    text = MINIMAL_YAML.replace(K2_CLAIM, block)
    valid = validate(load_project(make_project(text)))
    (warning,) = [w for w in valid.warnings if "reads like the key" in w.message]
    assert (warning.location.line, warning.location.column) == (line_of(text, f"      {key}:"), 7)
    assert (
        warning.message
        == f"facts[1].claim (fact 'k2'): a line of the text reads like the key {key!r}; YAML made it part of 'claim'"
    )
    assert (
        warning.hint == "to make it a key, indent it like 'claim' (4 spaces); if it is meant as text, reword the line"
    )


def test_a_key_name_inside_a_line_of_text_is_not_a_warning(make_project: MakeProject) -> None:
    block = (
        "    claim: >-\n      Part of the production would move to Poland; date: not yet\n"
        "      known, said the topics: list.\n"
    )
    valid = validate(load_project(make_project(MINIMAL_YAML.replace(K2_CLAIM, block))))
    assert not [w for w in valid.warnings if "reads like the key" in w.message]


def test_a_swallowed_key_explains_the_error_it_causes(make_project: MakeProject) -> None:
    """An over-indented `cite:` leaves the fact without citations: the error and the reason, both."""
    text = MINIMAL_YAML.replace(
        K2_CLAIM + "    cite:\n      - source: art\n        quote: would move part of its production to Poland\n",
        "    claim: >-\n      Part of the production would move to Poland.\n      cite: []\n",
    )
    found = {(d.severity.value, d.message.split(":")[0]) for d in failures(make_project(text))}
    assert found == {
        ("error", "facts[1] (fact 'k2')"),
        ("warning", "facts[1].claim (fact 'k2')"),
    }


# -- 4: a quote that adds or lacks words is compared with the article's own sentence -------------------

K2_SENTENCE = "“The ministers said the “K2 tank programme” would move part of its production to Poland.”"


@pytest.mark.parametrize(
    ("quote", "difference"),
    [
        (
            "In a statement, the ministers said the “K2 tank programme” would move part of its production",
            "the quote has “In a statement, the” where the article has “The”",
        ),
        (
            "the “K2 tank programme” would move part of its production to Poland by 2030",
            "the quote adds “by 2030” at the end, after “…its production to Poland”, where the article goes on “.”",
        ),
        (
            "Monday the ministers said the “K2 tank programme” would move",  # "Monday" is in the sentence before
            "the quote has “Monday the” where the article has “The”",
        ),
        (
            "The ministers said that the “K2 tank programme” would move",
            "the quote adds “that” after “…The ministers said”",
        ),
        (
            "the “K2 tank programme” would move its production",
            'the quote lacks “part of” after “…programme" would move”',
        ),
    ],
)
def test_a_quote_that_adds_or_lacks_words_is_shown_against_the_articles_sentence(
    make_project: MakeProject, quote: str, difference: str
) -> None:
    text = MINIMAL_YAML.replace("quote: would move part of its production to Poland", f"quote: '{quote}'")
    hint = only(failures(make_project(text))).hint
    assert hint == f"nearest passage (seeds/a.txt:2:1): {K2_SENTENCE}; {difference}"


def test_the_levels_named_for_a_stray_indentation_leave_out_lines_of_text(make_project: MakeProject) -> None:
    text = MINIMAL_YAML.replace(
        K2_CLAIM, "    claim: >-\n      Part of the production\n      would move.\n     date: 2025\n"
    )
    with pytest.raises(ValidationFailed) as caught:
        load_project(make_project(text))
    error = only(caught.value.diagnostics)
    assert error.location.line == line_of(text, "     date: 2025")
    assert error.hint == (
        "this line is indented 5 spaces, which matches no enclosing level (the lines above are indented 0, 2, 4): "
        "indent it like the key it belongs beside"
    )


# -- on the command line: one located message per mistake, each with its hint --------------------------


def test_check_prints_each_mistake_once_at_its_place_with_the_hint_that_fixes_it(make_project: MakeProject) -> None:
    text = (
        MINIMAL_YAML.replace("file: seeds/a.txt", "file: seeds/a.tx")
        .replace("        quote: would move", "        qoute: would move")
        .replace("        facts: [k2]\n", "        facts: [k2]\n        order: chronologic\n")
    )
    config = make_project(text)
    result = CliRunner().invoke(app, ["check", "--config", str(config)])
    assert result.exit_code == 1
    assert result.stderr == (
        f"{config}:{line_of(text, 'file:')}:11: error: article 'seeds/a.tx': file not found\n"
        "    hint: did you mean 'seeds/a.txt'?\n"
        f"{config}:{line_of(text, 'qoute')}:9: error: facts[1].cite[0] (fact 'k2'): unknown key 'qoute'\n"
        "    hint: did you mean 'quote'?\n"
        f"{config}:{line_of(text, 'order:')}:16: error: briefs.demo.sections[0].order: "
        "'chronologic' is not one of as-listed, chronological\n"
        "    hint: did you mean 'chronological'?\n"
        "3 errors found\n"
    )
