"""Keys swallowed by a text value: a line inside a block (or multi-line quoted) scalar that reads like a key.

Indent `topics:` two spaces too far under `claim: >-` and YAML makes it part of the claim: no error,
and the brief prints "…New Zealand. topics: [nato, diplomacy]". A line of such a value that starts,
in the file, with a key the enclosing mapping allows (`topics:`, `cite:`, `date:`) was almost
certainly meant as that key.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

from pydantic import BaseModel

from briefgen.errors import Diagnostic, Location, Severity
from briefgen.project.schema_errors import fields_at, label
from briefgen.project.yamldoc import PathKey, YamlDocument
from briefgen.project.yamlspan import locate_in_value, value_at


def swallowed_keys(doc: YamlDocument, model: type[BaseModel]) -> Iterator[Diagnostic]:
    """A warning at each line of a text value that starts with a key of the mapping holding the value."""
    lines: dict[Path, list[str]] = {}  # by file: an included file's value is located in that file
    patterns: dict[PathKey, re.Pattern[str] | None] = {}  # by the holder's path, list indexes as 0: facts share one
    for path, value in _styled_text(doc):
        shape = tuple(0 if isinstance(part, int) else part for part in path[:-1])
        if shape not in patterns:
            keys = fields_at(model, shape)
            patterns[shape] = (
                re.compile(r"(?:^|(?<=\s))(" + "|".join(map(re.escape, keys)) + r"):(?=\s|$)") if keys else None
            )
        pattern = patterns[shape]
        if pattern is None:
            continue
        for match in pattern.finditer(value):
            where = locate_in_value(doc, path, match.start())
            if where.path not in lines:
                lines[where.path] = doc.file_of(path)[1].splitlines()
            file_lines = lines[where.path]
            line = file_lines[where.line - 1] if 0 < where.line <= len(file_lines) else ""
            if line[: where.column - 1].strip():
                continue  # in the middle of a line (or on the key's own line): text that happens to say "date:"
            yield _warning(doc, path, match.group(1), where)


def _styled_text(doc: YamlDocument) -> Iterator[tuple[PathKey, str]]:
    """The quoted and block text values that hold a `:` (a plain value cannot hold `key: ` at all:
    YAML refuses it)."""
    for path in doc.scalar_styles:
        if not path or not isinstance(path[-1], str):
            continue
        value = value_at(doc.data, path)
        if isinstance(value, str) and ":" in value:  # most do not: the pattern need not look
            yield path, value


def _warning(doc: YamlDocument, path: PathKey, key: str, where: Location) -> Diagnostic:
    owner = doc.locate(path, key=True)
    indent = owner.column - 1
    return Diagnostic(
        where,
        f"{label(doc, path)}: a line of the text reads like the key {key!r}; YAML made it part of {path[-1]!r}",
        f"to make it a key, indent it like {path[-1]!r} ({indent} spaces); if it is meant as text, reword the line",
        Severity.WARNING,
    )
