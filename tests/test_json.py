"""The JSON output: valid against its published schema, deterministic, and saying what the brief says."""

from __future__ import annotations

import json
from typing import Any

import jsonschema
import pytest

from briefgen.assemble import AssembledBrief, assemble_all
from briefgen.project.load import load_project
from briefgen.project.validate import validate
from briefgen.renderers.jsondoc import render_json
from briefgen.renderers.wording import citation_text
from tests.conftest import MINIMAL_YAML, REPO, SHIPPED_CONFIG, MakeProject

BRIEF_IDS = ["korea-poland", "korea-nato", "korea-eu"]
SCHEMA = json.loads((REPO / "schemas" / "brief.schema.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def shipped() -> dict[str, AssembledBrief]:
    return {brief.id: brief for brief in assemble_all(validate(load_project(SHIPPED_CONFIG)))}


def document(brief: AssembledBrief) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(render_json(brief))
    return data


def test_the_published_schema_is_a_valid_json_schema() -> None:
    jsonschema.Draft202012Validator.check_schema(SCHEMA)


@pytest.mark.parametrize("brief_id", BRIEF_IDS)
def test_every_shipped_brief_validates_against_the_published_schema(
    shipped: dict[str, AssembledBrief], brief_id: str
) -> None:
    jsonschema.Draft202012Validator(SCHEMA).validate(document(shipped[brief_id]))


def test_the_schema_rejects_what_the_output_never_has(shipped: dict[str, AssembledBrief]) -> None:
    data = document(shipped["korea-eu"])
    validator = jsonschema.Draft202012Validator(SCHEMA)
    for broken in (
        {**data, "surprise": 1},
        {**data, "sources": [{**data["sources"][0], "note": "1"}]},
        {**data, "as_of": {**data["as_of"], "basis": "guessed"}},
    ):
        assert not validator.is_valid(broken)


def test_output_is_deterministic_utf8_with_a_trailing_newline(shipped: dict[str, AssembledBrief]) -> None:
    text = render_json(shipped["korea-nato"])
    assert text == render_json(shipped["korea-nato"])
    assert text.endswith("}\n") and not text.endswith("\n\n")
    assert "Šekerinska" in text  # UTF-8 as is, not \u escapes
    assert list(json.loads(text)) == list(SCHEMA["properties"])  # fields in the schema's fixed order


@pytest.mark.parametrize("brief_id", BRIEF_IDS)
def test_notes_quotes_and_facts_agree_with_the_brief(shipped: dict[str, AssembledBrief], brief_id: str) -> None:
    brief = shipped[brief_id]
    data = document(brief)
    number = {note.source_id: note.number for note in brief.notes}
    assert [(s["note"], s["id"]) for s in data["sources"]] == [(n.number, n.source_id) for n in brief.notes]
    assert [s["citation"] for s in data["sources"]] == [citation_text(n.source) for n in brief.notes]
    facts = {fact["id"]: fact for fact in data["facts"]}
    for statement in (*brief.bottom_line, *(s for block in brief.sections for s in block.statements)):
        fact = facts[statement.fact.id]
        assert fact["claim"] == statement.fact.claim
        assert fact["notes"] == list(statement.notes)
        assert [(c["source"], c["quote"], c["note"]) for c in fact["citations"]] == [
            (c.source, c.quote, number[c.source]) for c in statement.fact.cite
        ]
    assert data["bottom_line"] == [s.fact.id for s in brief.bottom_line]
    assert [section["facts"] for section in data["sections"]] == [
        [s.fact.id for s in block.statements] for block in brief.sections
    ]
    every_fact_referenced = set(data["bottom_line"]) | {f for s in data["sections"] for f in s["facts"]}
    every_fact_referenced |= {f for j in data["assessment"] for f in j["based_on"]} | set(data["key_figures"])
    assert every_fact_referenced == set(facts)
    entity_ids = {entity["id"] for entity in data["entities"]}
    assert {e for fact in data["facts"] for e in fact["entities"]} == entity_ids
    assert [e["id"] for e in data["entities"] if e["key_actor"]] == [actor.id for actor in brief.key_actors]


def test_dates_and_metadata_keep_their_precision_and_basis(shipped: dict[str, AssembledBrief]) -> None:
    data = document(shipped["korea-eu"])
    (source,) = [s for s in data["sources"] if s["file"].startswith("seeds/004_")]
    assert source["published"] == {
        "value": "2025-04",
        "precision": "month",
        "basis": "inferred",
        "approximate": False,
        "note": source["published"]["note"],
        "text": "April 2025 (inferred)",
    }
    assert source["title"]["basis"] == "supplied"
    assert source["author"] is None and source["url"] is None  # unknown stays unknown
    assert data["as_of"]["value"] == "2025-10-24" and data["as_of"]["precision"] == "day"


def test_data_is_carried_as_plain_text(make_project: MakeProject) -> None:
    hostile = "<b>[x](javascript:1)</b> {{ 7*7 }} ''wiki'' $math$"
    config = make_project(MINIMAL_YAML.replace("    title: Demo brief", f"    title: {json.dumps(hostile)}"))
    (brief,) = assemble_all(validate(load_project(config)))
    assert document(brief)["title"] == hostile
