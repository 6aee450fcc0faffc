"""Pydantic's validation errors as located diagnostics in briefs.yaml's own terms.

Pydantic reports `('facts', 3, 'cite', 0, 'quote')` and "Input should be a valid string"; a
curator needs `briefs.yaml:412:16: error: facts[3].cite[0].quote: expected text, got number`, and
for a misspelt key the key they meant.
"""

from __future__ import annotations

import difflib
import re
import types
import typing
from collections.abc import Iterable
from typing import Any

from pydantic import BaseModel, ValidationError

from briefgen.errors import Diagnostic
from briefgen.project.values import ID_PATTERN, TEMPLATE_NAME_PATTERN
from briefgen.project.yamldoc import PathKey, YamlDocument, format_path


def kind_of(value: Any) -> str:
    return {dict: "mapping", list: "list", str: "text", int: "number", float: "number", bool: "true/false"}.get(
        type(value), type(value).__name__
    )


def did_you_mean(word: str, choices: Iterable[str]) -> str | None:
    close = difflib.get_close_matches(str(word), list(choices), n=1, cutoff=0.5)
    return f"did you mean {close[0]!r}?" if close else None


_FRIENDLY = {
    "string_type": "expected text",
    "int_type": "expected a whole number",
    "bool_type": "expected true or false",
    "tuple_type": "expected a list",
    "list_type": "expected a list",
    "dict_type": "expected a mapping",
    "model_type": "expected a mapping",
    "model_attributes_type": "expected a mapping",
    "too_short": "must not be empty",
}


def schema_diagnostics(
    doc: YamlDocument, base: PathKey, model: type[BaseModel], exc: ValidationError
) -> list[Diagnostic]:
    out: list[Diagnostic] = []
    errors = exc.errors(include_url=False)
    # A misspelt key shows up twice, as unknown and as missing; the "did you mean" says it all.
    misspelt = {
        (*err["loc"][:-1], match)
        for err in errors
        if err["type"] == "extra_forbidden"
        for match in difflib.get_close_matches(str(err["loc"][-1]), fields_at(model, tuple(err["loc"])[:-1]), 1, 0.5)
    }
    for err in errors:
        loc: PathKey = base + tuple(err["loc"])
        kind = err["type"]
        if loc and loc[-1] == "[key]":  # a mapping key that is not allowed (e.g. an unknown warning kind)
            out.append(_key_diagnostic(doc, loc[:-1], err))
            continue
        if kind == "missing" and tuple(err["loc"]) in misspelt:
            continue
        if kind == "too_short" and _long_enough(err):
            continue  # pydantic counts only the valid items: the invalid ones are reported on their own
        if kind == "missing":
            out.append(Diagnostic(doc.locate(loc[:-1]), f"{label(doc, loc[:-1])}: missing required key {loc[-1]!r}"))
        elif kind == "extra_forbidden":
            allowed = fields_at(model, tuple(err["loc"])[:-1])
            hint = did_you_mean(str(loc[-1]), allowed) or (f"allowed keys: {', '.join(allowed)}" if allowed else None)
            out.append(Diagnostic(doc.locate(loc, key=True), f"{label(doc, loc[:-1])}: unknown key {loc[-1]!r}", hint))
        elif kind in ("literal_error", "enum") and _choices(err):
            allowed = _choices(err)
            message = f"{err.get('input')!r} is not one of {', '.join(allowed)}"
            out.append(
                Diagnostic(
                    doc.locate(loc), f"{label(doc, loc)}: {message}", did_you_mean(str(err.get("input")), allowed)
                )
            )
        elif kind == "string_pattern_mismatch" and "pattern" in err.get("ctx", {}):
            out.append(Diagnostic(doc.locate(loc), f"{label(doc, loc)}: {_pattern_message(err)}"))
        else:
            message = _FRIENDLY.get(kind) or str(err["msg"]).removeprefix("Value error, ")
            if kind in ("string_type", "tuple_type", "list_type", "dict_type", "model_type") and "input" in err:
                message += f", got {kind_of(err['input'])}"
            hint = _quote_hint(doc, loc, err.get("input")) if kind == "string_type" else None
            if kind == "model_type":  # e.g. `summary: some text`: say what the mapping holds
                keys = fields_at(model, tuple(err["loc"]))
                hint = f"write it as a mapping with the keys {', '.join(keys)}" if keys else None
            out.append(Diagnostic(doc.locate(loc), f"{label(doc, loc)}: {message}", hint))
    return out


def label(doc: YamlDocument, path: PathKey) -> str:
    """`facts[57].date (fact 'k2-deal')`: a fact is a list item, and its index alone is hard to find in a
    long file, so the fact's id (when it has a text one) is named too. Sources, entities and briefs
    are keyed by id already."""
    text = format_path(doc.written_path(path))  # in an included file, its own numbering
    if len(path) < 2 or path[0] != "facts" or not isinstance(path[1], int) or path[2:3] == ("id",):
        return text
    facts = doc.data.get("facts") if isinstance(doc.data, dict) else None
    item = facts[path[1]] if isinstance(facts, list) and 0 <= path[1] < len(facts) else None
    fact_id = item.get("id") if isinstance(item, dict) else None
    return f"{text} (fact {fact_id!r})" if isinstance(fact_id, str) and fact_id else text


def _key_diagnostic(doc: YamlDocument, loc: PathKey, err: Any) -> Diagnostic:
    """`facts[0].accept: 'single-sourced' is not one of …`, at the key, with the nearest allowed one."""
    allowed = _choices(err)
    message = f"{label(doc, loc[:-1])}: {loc[-1]!r} is not allowed here"
    if allowed:
        message += f" (one of {', '.join(allowed)})"
    return Diagnostic(doc.locate(loc, key=True), message, did_you_mean(str(loc[-1]), allowed))


def _long_enough(err: Any) -> bool:
    """Whether a list pydantic calls too short was given enough items (some of them invalid)."""
    given, needed = err.get("input"), err.get("ctx", {}).get("min_length", 1)
    return isinstance(given, list | tuple) and len(given) >= needed


def _choices(err: Any) -> list[str]:
    """The values an enum or literal error allows, from pydantic's `'a', 'b' or 'c'`."""
    expected = str(err.get("ctx", {}).get("expected", ""))
    return re.findall(r"'([^']*)'", expected)


def _quote_hint(doc: YamlDocument, loc: PathKey, value: Any) -> str | None:
    """For text that YAML typed as something else (`subtitle: No`, `topics: [no]`): how to keep it text."""
    # A bare value given for `{value, basis}` is checked as `….value`; the YAML has it one level up.
    for path in (loc, loc[:-1]) if loc and loc[-1] == "value" else (loc,):
        written = doc.written_as(path)
        if written is not None:
            reads_as = str(value).lower() if isinstance(value, bool) or value is None else "a number"
            reads_as = "null" if value is None else reads_as
            return f'YAML reads {written} as {reads_as}; write it in quotes ("{written}") to keep it as text'
    return None


def _pattern_message(err: Any) -> str:
    pattern = err["ctx"]["pattern"]
    value = err.get("input")
    if pattern == ID_PATTERN:
        return f"{value!r} is not a valid id (use lower-case letters, digits and hyphens)"
    if pattern.startswith("^https?"):
        return f"{value!r} is not an http(s) URL"
    if pattern == TEMPLATE_NAME_PATTERN:
        return f"{value!r} is not a template file name (letters, digits, '.', '_' and '-'; no directories)"
    return f"{value!r} does not match {pattern}"


def fields_at(model: Any, loc: tuple[Any, ...]) -> list[str]:
    """The keys allowed at `loc` inside `model`, following field types through lists and mappings."""
    current: Any = model
    for part in loc:
        current = _unwrap(current)
        if isinstance(current, type) and issubclass(current, BaseModel) and isinstance(part, str):
            field = current.model_fields.get(part)
            if field is None:
                return []
            current = field.annotation
        elif typing.get_origin(current) in (tuple, list, dict):
            current = typing.get_args(current)[-1 if typing.get_origin(current) is dict else 0]
        else:
            return []
    current = _unwrap(current)
    if isinstance(current, type) and issubclass(current, BaseModel):
        return list(current.model_fields)
    return []


def _unwrap(annotation: Any) -> Any:
    """Strip Annotated[...] and Optional[...] to reach the model or container inside."""
    while True:
        origin = typing.get_origin(annotation)
        if origin is typing.Annotated:
            annotation = typing.get_args(annotation)[0]
        elif origin in (typing.Union, types.UnionType):
            members = [a for a in typing.get_args(annotation) if a is not type(None)]
            annotation = members[0] if len(members) == 1 else annotation
            if len(members) != 1:
                return annotation
        else:
            return annotation
