"""Where a character inside a YAML text value stands in the file.

A diagnostic about words in a claim should point at those words, not at the start of the claim.
YAML changes text on the way from the file to the value: a plain or folded scalar joins its lines
with single spaces, a block scalar drops its indentation, quoted scalars have escapes (`\\"`,
`\\u00e9`, `''`). The value is walked alongside the file text from the scalar's start, skipping what
YAML removed, until the wanted character is reached.
"""

from __future__ import annotations

import bisect
import re
from functools import lru_cache

from briefgen.errors import Location
from briefgen.project.yamldoc import PathKey, YamlDocument

_ESCAPE_LENGTHS = {"x": 4, "u": 6, "U": 10}  # \xNN, \uNNNN, \UNNNNNNNN; every other escape is two characters
_WHITESPACE = " \t\r\n"


def locate_in_value(doc: YamlDocument, path: PathKey, offset: int) -> Location:
    """Where character `offset` of the text value at `path` is written; the value's start when the
    file cannot tell (a value reached through an alias, or no source text)."""
    value = value_at(doc.data, path)
    start = doc.locate(path)
    file, source = doc.file_of(path)  # the file the value is written in (include: may split a project)
    if not isinstance(value, str) or not source or path not in doc.value_positions:
        return start
    begin = _after_properties(source, _offset_of(source, start.line, start.column))
    if begin >= len(source) or source[begin] == "*":  # an alias: the text is elsewhere
        return start
    at = _walk(source, begin, doc.scalar_styles.get(path, ""), value, min(max(offset, 0), len(value)))
    starts = _line_starts(source)
    line = bisect.bisect_right(starts, at)
    return Location(file, line, at - starts[line - 1] + 1, path)


def _walk(source: str, at: int, style: str, value: str, target: int) -> int:
    """The file offset of value character `target`, walking from the scalar's start at `at`."""
    if style in ("'", '"'):
        at += 1
    elif style in ("|", ">"):
        at = source.find("\n", at) + 1 or len(source)  # the header line: indicators and a comment
    i = 0
    while i < target and at < len(source):
        char, written = value[i], source[at]
        if style == "'" and source.startswith("''", at):
            i, at = i + 1, at + 2
        elif char == written:
            i, at = i + 1, at + 1
        elif style == '"' and written == "\\":
            follower = source[at + 1 : at + 2]
            if follower == "\n":  # an escaped line break adds nothing to the value
                at += 2
                continue
            i, at = i + 1, at + _ESCAPE_LENGTHS.get(follower, 2)
        elif written in _WHITESPACE:
            at += 1  # a line break and indentation that YAML folded or dropped
        elif char in _WHITESPACE:
            i += 1  # whitespace the value has where the file has none here (a folded line break)
        else:
            i, at = i + 1, at + 1  # should not happen; keep both moving
    while at < len(source) and source[at] in _WHITESPACE and (target >= len(value) or value[target] not in _WHITESPACE):
        at += 1  # point at the word, not at the line break before it
    return at


def _after_properties(source: str, at: int) -> int:
    """Past an anchor (`&name`) or a tag (`!!str`) written before the scalar, if any."""
    while at < len(source) and source[at] in "&!":
        while at < len(source) and source[at] not in _WHITESPACE:
            at += 1
        while at < len(source) and source[at] in " \t":
            at += 1
    return at


def _offset_of(text: str, line: int, column: int) -> int:
    starts = _line_starts(text)
    return (starts[line - 1] if line <= len(starts) else len(text)) + column - 1


@lru_cache(maxsize=4)
def _line_starts(text: str) -> tuple[int, ...]:
    """Where each line of the file starts: built once per file, so locating a thousand warnings
    does not walk a large briefs.yaml a thousand times (a string's hash is cached, so is the key)."""
    return (0, *(m.end() for m in re.finditer("\n", text)))


def value_at(data: object, path: PathKey) -> object:
    """The value at `path` in plain YAML data, or None where the path leads nowhere."""
    for part in path:
        try:
            data = data[part]  # type: ignore[index]
        except (KeyError, IndexError, TypeError):
            return None
    return data
