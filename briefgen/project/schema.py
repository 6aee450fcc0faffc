"""The JSON Schema of briefs.yaml, generated from the pydantic model so the two cannot disagree.

Editors use it (through the `# yaml-language-server: $schema=./briefs.schema.json` comment) to
validate and complete briefs.yaml as it is typed. The repository commits the generated file as
`briefs.schema.json`; a test fails when it is stale.
"""

from __future__ import annotations

import json
from typing import Any

from pydantic.json_schema import GenerateJsonSchema, JsonSchemaValue
from pydantic_core import core_schema

from briefgen.project.model import Project

SCHEMA_FILE = "briefs.schema.json"
REGENERATE = f"briefgen schema > {SCHEMA_FILE}"
# Draft-07, not pydantic's 2020-12: it is the newest draft the YAML language server (VS Code's YAML
# extension and the editors that embed it) validates with; later drafts only earn a warning there.
DIALECT = "http://json-schema.org/draft-07/schema#"
MODELINE = f"# yaml-language-server: $schema=./{SCHEMA_FILE}"


class _BriefsSchema(GenerateJsonSchema):
    """Pydantic's generator, with id-keyed mappings that reject a malformed id."""

    def dict_schema(self, schema: core_schema.DictSchema) -> JsonSchemaValue:
        # Pydantic writes `dict[Id, X]` as patternProperties, which lets a key that does not match
        # the pattern through unchecked; editors should flag `Korea_Poland:` as a bad id instead.
        json_schema = super().dict_schema(schema)
        patterns = json_schema.get("patternProperties", {})
        if len(patterns) == 1:
            ((pattern, values),) = patterns.items()
            del json_schema["patternProperties"]
            json_schema["additionalProperties"] = values
            json_schema["propertyNames"] = {"pattern": pattern, **json_schema.get("propertyNames", {})}
        return json_schema


def project_schema() -> dict[str, Any]:
    """The JSON Schema (draft-07) of briefs.yaml."""
    body = _draft7(Project.model_json_schema(ref_template="#/definitions/{model}", schema_generator=_BriefsSchema))
    body["definitions"] = body.pop("$defs")
    body["title"] = "briefgen project (briefs.yaml)"
    body["description"] = (
        "Curated sources, entities and sourced facts, and the briefs built from them. "
        "Every quote must be verbatim text of its article; `briefgen check` verifies it."
    )
    return {"$schema": DIALECT, **body}


def _draft7(node: Any) -> Any:
    """Draft-07 ignores keywords beside `$ref`; wrap the reference so descriptions and defaults count."""
    if isinstance(node, list):
        return [_draft7(item) for item in node]
    if not isinstance(node, dict):
        return node
    node = {key: _draft7(value) for key, value in node.items()}
    if "$ref" in node and len(node) > 1:
        ref = node.pop("$ref")
        return {"allOf": [{"$ref": ref}], **node}
    return node


def schema_text() -> str:
    """The schema as the committed file holds it: indented JSON, UTF-8, ending in a newline."""
    return json.dumps(project_schema(), indent=2, ensure_ascii=False) + "\n"
