"""The JSON Schema of briefs.yaml: committed copy up to date, shipped project valid, agrees with the model."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from pydantic import ValidationError
from typer.testing import CliRunner

from briefgen.cli import app
from briefgen.project.model import Project
from briefgen.project.schema import MODELINE, REGENERATE, SCHEMA_FILE, project_schema, schema_text
from briefgen.project.yamldoc import parse_yaml
from tests.conftest import MINIMAL_YAML, REPO, SHIPPED_CONFIG


def load_yaml(text: str) -> Any:
    """YAML as briefgen and YAML 1.2 editors read it: dates stay text."""
    return parse_yaml(text, Path("briefs.yaml")).data


@pytest.fixture(scope="module")
def validator() -> jsonschema.Draft7Validator:
    schema = project_schema()
    jsonschema.Draft7Validator.check_schema(schema)
    return jsonschema.Draft7Validator(schema)


def test_committed_schema_is_current() -> None:
    committed = (REPO / SCHEMA_FILE).read_text(encoding="utf-8")
    assert committed == schema_text(), f"{SCHEMA_FILE} is stale; regenerate it with `{REGENERATE}`"


def test_shipped_briefs_yaml_names_the_schema_on_its_first_line() -> None:
    assert SHIPPED_CONFIG.read_text(encoding="utf-8").splitlines()[0] == MODELINE


def test_shipped_briefs_yaml_is_valid_against_the_schema(validator: jsonschema.Draft7Validator) -> None:
    errors = [f"{e.json_path}: {e.message}" for e in validator.iter_errors(load_yaml(SHIPPED_CONFIG.read_text()))]
    assert errors == []


def _nodes(node: Any) -> list[dict[str, Any]]:
    if isinstance(node, list):
        return [n for item in node for n in _nodes(item)]
    if isinstance(node, dict):
        return [node, *(n for value in node.values() for n in _nodes(value))]
    return []


def test_schema_is_draft_07_for_the_yaml_language_server() -> None:
    schema = project_schema()
    assert schema["$schema"] == "http://json-schema.org/draft-07/schema#"
    newer = {"$defs", "prefixItems", "unevaluatedProperties", "dependentSchemas", "$anchor", "$dynamicRef"}
    for node in _nodes(schema):
        assert not newer & set(node), node
        assert "$ref" not in node or len(node) == 1, f"draft-07 ignores keywords beside $ref: {node}"


def test_schema_command_prints_the_schema() -> None:
    result = CliRunner().invoke(app, ["schema"])
    assert result.exit_code == 0
    assert json.loads(result.stdout) == project_schema()
    assert result.stdout == schema_text()


def _set(data: dict[str, Any], path: tuple[str | int, ...], value: Any) -> dict[str, Any]:
    changed = copy.deepcopy(data)
    target: Any = changed
    for part in path[:-1]:
        target = target[part]
    target[path[-1]] = value
    return changed


# Each variant of the minimal project, and whether briefgen's model accepts it.
VARIANTS: list[tuple[str, tuple[str | int, ...], Any, bool]] = [
    ("bare title", ("sources", "art", "title"), "A headline", True),
    ("attested title", ("sources", "art", "title"), {"value": "A title", "basis": "supplied", "note": "n"}, True),
    ("title basis unknown", ("sources", "art", "title"), {"value": "A title", "basis": "guessed"}, False),
    ("empty title", ("sources", "art", "title"), "", False),
    ("bare year", ("sources", "art", "published"), 2025, True),
    ("bare month", ("sources", "art", "published"), "2025-04", True),
    ("attested date", ("sources", "art", "published"), {"value": "2025-04", "basis": "inferred"}, True),
    ("prose date", ("sources", "art", "published"), "April 2025", False),
    ("bare url", ("sources", "art", "url"), "https://example.org/a", True),
    ("attested url", ("sources", "art", "url"), {"value": "https://example.org/a", "basis": "supplied"}, True),
    ("javascript url", ("sources", "art", "url"), "javascript:alert(1)", False),
    ("unknown key", ("sources", "art", "auther"), "X", False),
    ("bad source id", ("sources", "Art_1"), {"file": "seeds/a.txt"}, False),
    ("approximate fact date", ("facts", 0, "date"), {"value": 2025, "approximate": True}, True),
    ("cite not a list", ("facts", 0, "cite"), "art", False),
    ("empty cite", ("facts", 0, "cite"), [], False),
    ("bad order", ("briefs", "demo", "sections", 0, "order"), "random", False),
]


@pytest.mark.parametrize(("path", "value", "valid"), [v[1:] for v in VARIANTS], ids=[v[0] for v in VARIANTS])
def test_schema_and_model_agree(
    validator: jsonschema.Draft7Validator, path: tuple[str | int, ...], value: Any, valid: bool
) -> None:
    data = _set(load_yaml(MINIMAL_YAML), path, value)
    try:
        Project.model_validate(data)
        model_accepts = True
    except ValidationError:
        model_accepts = False
    assert model_accepts is valid
    assert validator.is_valid(data) is valid
