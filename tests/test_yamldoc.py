"""YAML reading: positions, duplicate keys, syntax errors, and the shapes we refuse."""

from __future__ import annotations

from pathlib import Path

import pytest

from briefgen.yamldoc import Limits, YamlProblem, format_path, parse_yaml

P = Path("briefs.yaml")


def test_values_and_keys_keep_their_line_and_column() -> None:
    doc = parse_yaml("facts:\n  - id: one\n    claim: 'text'\n", P)
    assert doc.data == {"facts": [{"id": "one", "claim": "text"}]}
    assert doc.locate(("facts", 0, "claim")).line == 3
    assert doc.locate(("facts", 0, "claim")).column == 12
    assert doc.locate(("facts", 0, "claim"), key=True).column == 5


def test_a_missing_path_is_located_at_its_nearest_ancestor() -> None:
    doc = parse_yaml("facts:\n  - id: one\n", P)
    assert (doc.locate(("facts", 0, "cite", 2)).line, doc.locate(("facts", 0, "cite", 2)).column) == (2, 5)


def test_duplicate_keys_are_errors_not_silently_overwritten() -> None:
    with pytest.raises(YamlProblem) as caught:
        parse_yaml("sources:\n  a: {file: x}\n  a: {file: y}\n", P)
    (diagnostic,) = caught.value.diagnostics
    assert (diagnostic.location.line, diagnostic.location.column) == (3, 3)
    assert "duplicate key 'a'" in diagnostic.message
    assert "line 2" in (diagnostic.hint or "")


def test_syntax_error_is_located() -> None:
    with pytest.raises(YamlProblem) as caught:
        parse_yaml("facts:\n  - id: one\n    claim: [unclosed\n", P)
    diagnostic = caught.value.diagnostics[0]
    assert diagnostic.location.line >= 3
    assert diagnostic.message.startswith("YAML syntax:")


def test_tab_indentation_gets_a_plain_message() -> None:
    with pytest.raises(YamlProblem) as caught:
        parse_yaml("facts:\n\t- id: one\n", P)
    diagnostic = caught.value.diagnostics[0]
    assert "tab" in diagnostic.message
    assert (diagnostic.location.line, diagnostic.location.column) == (2, 1)


def test_dates_stay_text_so_the_model_can_keep_their_precision() -> None:
    doc = parse_yaml("a: 2025-10-21\nb: 2025\nc: true\nd: null\n", P)
    assert doc.data == {"a": "2025-10-21", "b": 2025, "c": True, "d": None}


def test_merge_keys_fill_in_without_overriding() -> None:
    doc = parse_yaml("base: &b {x: 1, y: 2}\nitem:\n  <<: *b\n  y: 3\n", P)
    assert doc.data["item"] == {"y": 3, "x": 1}


def test_python_tags_are_refused() -> None:
    with pytest.raises(YamlProblem) as caught:
        parse_yaml("a: !!python/object:os.system ls\n", P)
    assert "unsupported YAML tag" in caught.value.diagnostics[0].message


def test_alias_bomb_stops_at_the_node_limit() -> None:
    # Nine levels of ten aliases each would expand to 10**9 values if built naively.
    lines = ["l0: &l0 [x, x, x, x, x, x, x, x, x, x]"]
    for level in range(1, 9):
        lines.append(f"l{level}: &l{level} [{', '.join([f'*l{level - 1}'] * 10)}]")
    with pytest.raises(YamlProblem) as caught:
        parse_yaml("\n".join(lines) + "\n", P, Limits(max_nodes=100_000))
    assert "more than 100,000 values" in caught.value.diagnostics[0].message


def test_format_path_reads_like_code() -> None:
    assert format_path(("facts", 3, "cite", 0, "quote")) == "facts[3].cite[0].quote"
    assert format_path(()) == "(document)"
