"""YAML reading: positions, duplicate keys, syntax errors, and the shapes we refuse."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from briefgen.limits import Limits
from briefgen.project import yamldoc
from briefgen.project.yamldoc import YamlProblem, format_path, parse_yaml

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


def test_merge_chains_within_the_depth_limit_merge_every_level() -> None:
    """A chain of merges as deep as the limit allows is fine; one more level is refused at its `<<`."""
    depth = Limits().yaml_depth
    lines = ["c0: &c0 {x0: 0}"] + [f"c{n}: &c{n} {{<<: *c{n - 1}, x{n}: {n}}}" for n in range(1, depth + 1)]
    doc = parse_yaml("\n".join(lines) + "\n", P)
    assert doc.data[f"c{depth}"] == {f"x{n}": n for n in range(depth, -1, -1)}
    with pytest.raises(YamlProblem) as caught:
        parse_yaml("\n".join([*lines, f"c{depth + 1}: {{<<: *c{depth}}}"]) + "\n", P)
    diagnostic = caught.value.diagnostics[0]
    assert (diagnostic.location.line, diagnostic.location.column) == (depth + 2, len(f"c{depth + 1}: {{") + 1)
    assert f"merge keys (<<) chained more than {depth} levels deep" in diagnostic.message


def test_merged_duplicates_count_against_the_value_limit() -> None:
    text = f"a: &a {{x: 1, y: 2}}\nb: {{<<: [{', '.join(['*a'] * 30)}]}}\n"  # 41 nodes; 60 merged pairs, 2 kept
    assert parse_yaml(text, P, Limits(yaml_values=100)).data["b"] == {"x": 1, "y": 2}
    with pytest.raises(YamlProblem, match="more than 50 values once merge keys"):
        parse_yaml(text, P, Limits(yaml_values=50))


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
        parse_yaml("\n".join(lines) + "\n", P, Limits(yaml_values=100_000))
    assert "more than 100,000 values" in caught.value.diagnostics[0].message


def test_format_path_reads_like_code() -> None:
    assert format_path(("facts", 3, "cite", 0, "quote")) == "facts[3].cite[0].quote"
    assert format_path(()) == "(document)"


@pytest.mark.parametrize(
    "text",
    [
        "a: " + "[" * 5000 + "]" * 5000,  # flow nesting deeper than Python's stack
        "a:\n" + "".join("  " * i + "- \n" for i in range(1, 2000)),  # block nesting
        "a: " + "{b: " * 3000 + "}" * 3000,
    ],
    ids=["flow", "block", "mappings"],
)
def test_deep_nesting_is_refused_while_parsing_not_by_a_recursion_error(text: str) -> None:
    with pytest.raises(YamlProblem) as caught:
        parse_yaml(text, P)
    (diagnostic,) = caught.value.diagnostics
    assert diagnostic.message == "lists and mappings nested more than 64 levels deep"
    assert diagnostic.location.line >= 1
    assert "BRIEFGEN_MAX_YAML_DEPTH" in (diagnostic.hint or "")


CRASHING_DEPTH = """
import sys
from pathlib import Path
from briefgen.project.yamldoc import YamlProblem, parse_yaml
try:
    parse_yaml("a: " + "[" * 200_000 + "]" * 200_000, Path("briefs.yaml"))
except YamlProblem as problem:
    print(problem.diagnostics[0].message)
"""


def test_nesting_that_would_crash_libyamls_composer_is_refused_before_it_runs() -> None:
    """libyaml composes recursively in C: 100,000 nested brackets end in a segmentation fault, not an
    exception. Run in a child process, so that if the limit walk ever stops guarding it, this test
    fails instead of killing pytest."""
    command = [sys.executable, "-c", CRASHING_DEPTH]
    result = subprocess.run(command, check=False, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, f"exit status {result.returncode}: {result.stderr[-500:]}"
    assert result.stdout.strip() == "lists and mappings nested more than 64 levels deep"


def test_nesting_within_the_limit_is_accepted() -> None:
    doc = parse_yaml("a: " + "[" * 60 + "]" * 60, P)
    depth, value = 0, doc.data["a"]
    while value:
        depth, value = depth + 1, value[0]
    assert depth == 59


def test_an_alias_inside_its_own_anchor_is_refused() -> None:
    with pytest.raises(YamlProblem) as caught:
        parse_yaml("a: &a [x, *a]\n", P)
    assert "once aliases are expanded" in caught.value.diagnostics[0].message


def test_a_mapping_that_merges_itself_is_refused() -> None:
    with pytest.raises(YamlProblem) as caught:
        parse_yaml("a: &a\n  x: 1\n  <<: *a\n", P)
    (diagnostic,) = caught.value.diagnostics
    assert diagnostic.message.startswith("a mapping merges itself")
    assert (diagnostic.location.line, diagnostic.location.column) == (3, 3)


def test_a_flat_file_with_too_many_values_stops_while_parsing() -> None:
    text = "a: [" + ", ".join(["x"] * 2000) + "]\n"
    with pytest.raises(YamlProblem) as caught:
        parse_yaml(text, P, Limits(yaml_values=1000))
    (diagnostic,) = caught.value.diagnostics
    assert "more than 1,000 values" in diagnostic.message
    assert diagnostic.location.line == 1


def test_a_number_python_will_not_convert_is_an_error() -> None:
    with pytest.raises(YamlProblem) as caught:
        parse_yaml("a: 1\nb: " + "9" * 5000 + "\n", P)
    (diagnostic,) = caught.value.diagnostics
    assert (diagnostic.location.line, diagnostic.location.column) == (2, 4)
    assert "as a number" in diagnostic.message


@pytest.mark.parametrize(
    ("text", "line", "column", "code"), [("a: b\x00c\n", 1, 5, "U+0000"), ("a: b\nc: \x07\n", 2, 4, "U+0007")]
)
def test_control_characters_are_located(text: str, line: int, column: int, code: str) -> None:
    with pytest.raises(YamlProblem) as caught:
        parse_yaml(text, P)
    (diagnostic,) = caught.value.diagnostics
    assert (diagnostic.location.line, diagnostic.location.column) == (line, column)
    assert diagnostic.message == f"character {code} is not allowed in YAML"


def test_text_larger_than_the_limit_is_refused_before_parsing() -> None:
    with pytest.raises(YamlProblem) as caught:
        parse_yaml("a: " + "x" * 100, P, Limits(yaml_bytes=50))
    assert "larger than the 50-byte limit" in caught.value.diagnostics[0].message


SHIPPED_YAML = (Path(__file__).resolve().parent.parent / "briefs.yaml").read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("text", "limits"),
    [
        (SHIPPED_YAML, Limits()),
        ("base: &b {x: 1, y: [2, 3]}\nuse:\n  <<: *b\n  y: 4\nlist: [*b, *b]\n", Limits()),  # aliases, merge
        ("a:\n  b:\n    c: [[[[1]]]]\n", Limits(yaml_depth=4)),  # too deep, in block and flow style
        ("- [1, 2, 3]\n- {a: 1, b: 2}\n- x\n", Limits(yaml_values=6)),  # one value too many
        ("a: &x [1, *x]\n", Limits()),  # an alias inside its own anchor
        ("a: 1\n---\nb: 2\n", Limits()),  # two documents
        ("a: [1, 2\n", Limits()),  # a syntax error
        ("a:\n\t- 1\n", Limits()),  # a tab
        ("a: \x07\n", Limits()),  # a control character
        # What the event reader types and records itself: numbers, booleans, nulls, dates, styles
        ("n: 12\nf: 1.5e3\nb: No\nz: ~\ne:\nd: 2025-04-02\ns: 'No'\nq: \"x\"\nl: |\n  a\n  b\nm: >\n  c\n", Limits()),
        ("2025: year\n'k': v\n\"k2\": [a, {b: c, d: []}, {}]\nx: [[], [[y]]]\n", Limits()),  # int and quoted keys
        ("- \n- - a\n  - b\n- {x: 1}\n- Tá: ü 한국\n", Limits()),  # nested lists, unicode
        ("a: 1\nb: 2\na: 3\nb: 4\n", Limits()),  # duplicate keys: left to the full reading
        ("a: !!str 12\nb: !!int '7'\nc: !!float x\nd: ! e\n", Limits()),  # explicit tags
        ("a: !!map {x: 1}\nb: !!set {x}\n", Limits()),  # tagged collections
        ("true: 1\n~: 2\n1.5: 3\n[a]: 4\n", Limits()),  # keys that are not text
        ("a: =\nb: " + "9" * 5000 + "\n", Limits()),  # the value tag, a number Python refuses
        ("base: &b {x: 1}\nc: {<<: {y: 2}}\n", Limits()),  # an anchor without alias, a merge of a literal
        ("a: 1\nb:\n- 'x'\n- c: \"d\"  # e\n  f: -1\n", Limits()),  # the common shape, read line by line
        ("", Limits()),  # empty
        ("# only a comment\n", Limits()),
        ("--- a\n...\n", Limits()),  # a document that is one scalar
        ("- x\n" * 40, Limits(yaml_values=40)),  # one value too many: the list itself
        ("a: [[[[1]]]]\n", Limits(yaml_depth=5)),  # exactly as deep as allowed
    ],
)
def test_libyaml_gives_what_pyyaml_gives(monkeypatch: pytest.MonkeyPatch, text: str, limits: Limits) -> None:
    """The fast paths (the line reader, the event reader; the limit walk and C composer) must give
    the same data, positions and errors as the bounded pure-Python loader they speed up."""

    def parsed() -> object:
        try:
            document = parse_yaml(text, Path("briefs.yaml"), limits)
        except YamlProblem as problem:
            return [d.format() for d in problem.diagnostics]
        parts = (document.value_positions, document.key_positions, document.typed_text, document.scalar_styles)
        return document.data, *parts, [list(part) for part in parts]  # and the order things were seen in

    fast = parsed()
    monkeypatch.setattr(yamldoc, "_LibyamlBoundedLoader", None)
    monkeypatch.setattr(yamldoc, "read_lines", lambda *_args: None)
    assert fast == parsed()


def test_a_plain_document_is_read_from_events_and_anything_else_is_left_to_the_full_reading() -> None:
    if yamldoc._LibyamlBoundedLoader is None:
        pytest.skip("this PyYAML was built without libyaml")

    def read(text: str) -> yamldoc.YamlDocument | None:
        return yamldoc._EventReader(Path("briefs.yaml"), Limits()).read(text)

    shipped = read(SHIPPED_YAML)
    assert shipped is not None and shipped.data["briefs"]
    assert read("a: [1, x, {b: ~}]\n") is not None
    for text in ("a: &x 1\nb: *x\n", "a: 1\na: 2\n", "a: !!str 1\n", "<<: {a: 1}\n", "", "a: 1\n---\nb: 2\n"):
        assert read(text) is None, text


def test_a_document_without_aliases_is_composed_by_libyaml() -> None:
    if yamldoc._LibyamlBoundedLoader is None:
        pytest.skip("this PyYAML was built without libyaml")
    assert yamldoc._without_aliases_within_limits(SHIPPED_YAML, Path("briefs.yaml"), Limits())
    assert not yamldoc._without_aliases_within_limits("a: &x 1\nb: *x\n", Path("briefs.yaml"), Limits())


def test_a_list_read_apart_numbers_its_items_after_those_before_it() -> None:
    text = "\n\nfacts:\n- a\n- b: [c]\n"  # a later half, on the lines it has in the whole text
    read = yamldoc.read_plain(text, Path("briefs.yaml"), Limits(), numbered_after={("facts",): 2})
    assert read is not None
    assert read.data == {"facts": [None, None, "a", {"b": ["c"]}]}
    assert read.value_positions[("facts", 2)] == (4, 3)
    assert read.key_positions[("facts", 3, "b")] == (5, 3)
    assert read.value_positions[("facts", 3, "b", 0)] == (5, 7)
    assert ("facts", 0) not in read.value_positions  # a placeholder stands nowhere
