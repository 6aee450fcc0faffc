"""Validation: every problem reported at once, each at the line and column of the offending value."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from briefgen.errors import Diagnostic, Severity, ValidationFailed
from briefgen.project.load import load_project
from briefgen.project.validate import validate
from briefgen.project.values import PartialDate
from tests.conftest import ARTICLE, MINIMAL_YAML, SHIPPED_CONFIG, MakeProject, line_of


def failures(config: Path) -> tuple[Diagnostic, ...]:
    """The diagnostics of a project that must fail validation."""
    with pytest.raises(ValidationFailed) as caught:
        validate(load_project(config))
    return caught.value.diagnostics


def errors_of(config: Path) -> list[str]:
    """Every diagnostic as `line:col: severity: message`, or [] when the project is valid."""
    try:
        valid = validate(load_project(config))
    except ValidationFailed as failed:
        return [f"{d.location.line}:{d.location.column}: {d.severity.value}: {d.message}" for d in failed.diagnostics]
    return [f"{d.location.line}:{d.location.column}: warning: {d.message}" for d in valid.warnings]


def test_minimal_project_is_valid_and_warns_that_its_bottom_line_has_one_source(make_project: MakeProject) -> None:
    line = line_of(MINIMAL_YAML, "bottom_line:")
    assert errors_of(make_project()) == [
        f"{line}:19: warning: bottom-line fact 'deepen' rests on a single source (art)"
    ]


def test_shipped_project_is_valid_and_accepts_only_its_single_source_bottom_lines(shipped_project: Path) -> None:
    """The shipped data is honest: no second article supports these bottom-line facts, so the
    warnings are accepted with a reason each (the handout marks the items), none left open."""
    valid = validate(load_project(shipped_project))
    single_source = {
        "korea-poland": [
            "kang-meets-kosiniak-kamysz-warsaw",
            "kosiniak-kamysz-talks-topics",
            "poland-largest-recipient-korean-arms",
            "european-export-talks-56bn",
        ],
        "korea-nato": ["korea-nato-industry-body-launched"],
        "korea-eu": ["seok-meets-kubilius-brussels", "first-dapa-eu-high-level-talks", "european-export-talks-56bn"],
    }
    expected = [
        f"bottom-line fact {fact!r} rests on a single source" for facts in single_source.values() for fact in facts
    ]
    assert valid.warnings == ()
    assert [a.warning.message.split(" (")[0] for a in valid.accepted] == expected
    assert all(a.reason.strip() for a in valid.accepted)
    assert len(valid.project.facts) >= 40
    assert set(valid.project.briefs) == {"korea-poland", "korea-nato", "korea-eu"}


def test_misspelled_key_is_located_and_the_intended_key_suggested(make_project: MakeProject) -> None:
    text = MINIMAL_YAML.replace("    claim: Part of", "    claym: Part of")
    diagnostics = failures(make_project(text))
    messages = {d.message: d for d in diagnostics}
    unknown = messages["facts[1] (fact 'k2'): unknown key 'claym'"]
    assert (unknown.location.line, unknown.location.column) == (line_of(text, "claym"), 5)
    assert unknown.hint == "did you mean 'claim'?"
    assert "facts[1] (fact 'k2'): missing required key 'claim'" not in messages  # the misspelling says it already


def test_missing_key_is_reported_at_its_mapping(make_project: MakeProject) -> None:
    text = MINIMAL_YAML.replace("    claim: Part of the tank programme's production would move to Poland.\n", "")
    line = line_of(text, "id: k2")
    assert errors_of(make_project(text)) == [f"{line}:5: error: facts[1] (fact 'k2'): missing required key 'claim'"]


def test_wrong_type_is_reported_at_the_value(make_project: MakeProject) -> None:
    text = MINIMAL_YAML.replace("bottom_line: [deepen]", "bottom_line: deepen")
    line = line_of(text, "bottom_line")
    assert errors_of(make_project(text)) == [f"{line}:18: error: briefs.demo.bottom_line: expected a list, got text"]


def test_invalid_date_is_explained(make_project: MakeProject) -> None:
    text = MINIMAL_YAML.replace("    date: 2025-10-20", "    date: 2025-13-40")
    (error,) = errors_of(make_project(text))
    line = line_of(text, "2025-13-40")
    expected = f"{line}:11: error: facts[0].date.value (fact 'deepen'): '2025-13-40' is not a calendar date"
    assert error.startswith(expected)


def test_unknown_references_suggest_the_closest_id(make_project: MakeProject) -> None:
    text = MINIMAL_YAML.replace("facts: [k2]", "facts: [k3]").replace(
        "- source: art\n        quote: would", "- source: arts\n        quote: would"
    )
    diagnostics = failures(make_project(text))
    found = {(d.location.line, d.message, d.hint) for d in diagnostics}
    assert found == {
        (line_of(text, "source: arts"), "unknown source 'arts'", "did you mean 'art'?"),
        (line_of(text, "[k3]"), "unknown fact 'k3'", "did you mean 'k2'?"),
    }


def test_duplicate_fact_ids_point_at_the_first(make_project: MakeProject) -> None:
    text = MINIMAL_YAML.replace("  - id: k2", "  - id: deepen")
    diagnostics = failures(make_project(text))
    duplicate = next(d for d in diagnostics if "duplicate" in d.message)
    lines = [n for n, line in enumerate(text.splitlines(), 1) if "id: deepen" in line]
    assert (duplicate.location.line, duplicate.message, duplicate.hint) == (
        lines[1],
        "duplicate fact id 'deepen'",
        f"first used at line {lines[0]}",
    )


def test_every_problem_is_reported_in_one_run(make_project: MakeProject) -> None:
    broken = (
        MINIMAL_YAML.replace("title: Seoul and Warsaw deepen ties", "titel: Seoul and Warsaw deepen ties")
        .replace(
            "quote: would move part of its production to Poland", "quote: would move all of its production to Poland"
        )
        .replace("bottom_line: [deepen]", "bottom_line: [deep]")
    )
    lines = errors_of(make_project(broken))
    assert [line.split(": error: ")[1] for line in lines] == [
        "sources.art: unknown key 'titel'",
        "quote not found in seeds/a.txt",
        "unknown fact 'deep'",
    ]


def test_quote_not_found_names_its_line_and_suggests_the_nearest_passage(make_project: MakeProject) -> None:
    text = MINIMAL_YAML.replace("quote: would move part", "quote: would move most")
    diagnostics = failures(make_project(text))
    (diagnostic,) = diagnostics
    assert (diagnostic.location.line, diagnostic.location.column) == (line_of(text, "would move most"), 16)
    assert diagnostic.message == "quote not found in seeds/a.txt"
    assert diagnostic.hint is not None
    assert "nearest passage (seeds/a.txt:2:" in diagnostic.hint
    assert "would move part of its production to Poland" in diagnostic.hint


def test_quote_too_short_is_not_evidence(make_project: MakeProject) -> None:
    config = make_project(MINIMAL_YAML.replace("quote: would move part of its production to Poland", "quote: Poland"))
    (error,) = errors_of(config)
    assert "quote too short to be evidence" in error


def test_article_that_is_not_utf8_is_reported_inside_the_article(make_project: MakeProject) -> None:
    config = make_project(articles={"seeds/a.txt": ARTICLE.encode() + b"caf\xe9\n"})
    (error,) = errors_of(config)
    assert error == "4:4: error: not UTF-8 text: byte 0xe9 cannot be decoded"


def test_missing_article_is_reported_at_its_file_key(make_project: MakeProject) -> None:
    config = make_project(articles={})
    line = line_of(MINIMAL_YAML, "file: seeds/a.txt")
    assert errors_of(config) == [f"{line}:11: error: article 'seeds/a.txt': file not found"]


@pytest.mark.parametrize("path", ["../outside.txt", "/etc/passwd"])
def test_articles_must_stay_inside_the_project(make_project: MakeProject, path: str) -> None:
    config = make_project(MINIMAL_YAML.replace("file: seeds/a.txt", f"file: {path}"))
    (error,) = errors_of(config)
    assert "must be relative and stay inside the project" in error


def test_uncited_source_is_a_warning_not_an_error(make_project: MakeProject) -> None:
    text = MINIMAL_YAML.replace("facts:\n", "  spare:\n    file: seeds/a.txt\nfacts:\n", 1)
    line = line_of(text, "spare:") + 1  # a mapping's position is that of its first key
    assert f"{line}:5: warning: source 'spare' is never cited" in errors_of(make_project(text))


@pytest.mark.parametrize(
    "text, message",
    [
        ("", "briefs.yaml is empty; it must be a mapping with sources, facts and briefs"),
        ("- a\n- b\n", "briefs.yaml is a list; it must be a mapping with sources, facts and briefs"),
    ],
)
def test_document_must_be_a_mapping(make_project: MakeProject, text: str, message: str) -> None:
    assert errors_of(make_project(text)) == [f"1:1: error: {message}"]


def _shipped_quotes() -> list[tuple[int, int, int]]:
    """(line, start, end) of every quote scalar in the shipped briefs.yaml, found without briefgen."""
    node = yaml.compose(SHIPPED_CONFIG.read_text(encoding="utf-8"))
    found: list[tuple[int, int, int]] = []

    def walk(n: yaml.Node) -> None:
        if isinstance(n, yaml.MappingNode):
            for key, value in n.value:
                if key.value == "quote" and isinstance(value, yaml.ScalarNode):
                    found.append((value.start_mark.line + 1, value.start_mark.index, value.end_mark.index))
                walk(value)
        elif isinstance(n, yaml.SequenceNode):
            for item in n.value:
                walk(item)

    walk(node)
    return found


@pytest.mark.parametrize("line, start, end", _shipped_quotes(), ids=str)
def test_changing_one_character_of_any_shipped_quote_fails_at_its_line(
    shipped_project: Path, line: int, start: int, end: int
) -> None:
    text = shipped_project.read_text(encoding="utf-8")
    # Flip the case of a letter inside a word in the middle of the quote (case is never normalised);
    # a letter after two letters cannot be part of a YAML escape such as \n or \u00e9.
    middle = next(
        i
        for i in range((start + end) // 2, end)
        if text[i].isalpha() and text[i - 1].isalpha() and text[i - 2].isalpha()
    )
    shipped_project.write_text(text[:middle] + text[middle].swapcase() + text[middle + 1 :], encoding="utf-8")
    diagnostics = failures(shipped_project)
    errors = [d for d in diagnostics if d.severity is Severity.ERROR]
    assert [(d.location.line, d.message.split(" in ")[0]) for d in errors] == [(line, "quote not found")]
    assert re.search(r"nearest passage \(seeds/\S+:\d+:\d+\)", errors[0].hint or "")


@pytest.mark.parametrize(
    ("old", "new", "path", "hint"),
    [
        ("    title: Demo brief\n", "    title: Demo brief\n    subtitle: No\n", "briefs.demo.subtitle", "No as false"),
        (
            "    date: 2025-10-20\n    cite:",
            "    date: 2025-10-20\n    topics: [no, on]\n    cite:",
            "facts[0].topics[0] (fact 'deepen')",
            "no as false",
        ),
        (
            "    title: Seoul and Warsaw deepen ties\n",
            "    title: 1984\n",
            "sources.art.title.value",
            "1984 as a number",
        ),
        ("    title: Demo brief\n", "    title: Demo brief\n    prepared_by: ~\n    subtitle: null\n", None, None),
    ],
)
def test_yaml_typed_text_gets_a_hint_to_quote_it(
    make_project: MakeProject, old: str, new: str, path: str | None, hint: str | None
) -> None:
    """YAML 1.1 reads `No`, `on`, `yes` as booleans and `1984` as a number; text was meant."""
    config = make_project(MINIMAL_YAML.replace(old, new, 1))
    if path is None:  # null where text is optional is simply absent: no error, no hint
        validate(load_project(config))
        return
    diagnostics = [d for d in failures(config) if d.message.startswith(f"{path}:")]
    assert diagnostics, [d.message for d in failures(config)]
    assert diagnostics[0].hint is not None and hint in diagnostics[0].hint
    assert "write it in quotes" in diagnostics[0].hint


def test_a_date_written_many_times_is_read_once_and_a_wrong_one_each_time() -> None:
    first, again = PartialDate.parse("2025-10-21"), PartialDate.parse("2025-10-21")
    assert first == again == PartialDate(2025, 10, 21) and first is again  # remembered (it cannot change)
    assert PartialDate.parse(2025) is PartialDate.parse("2025")
    for _ in range(2):  # a refusal is not remembered as a date
        with pytest.raises(ValueError, match="not a calendar date"):
            PartialDate.parse("2025-02-30")
