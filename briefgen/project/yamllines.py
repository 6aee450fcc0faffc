"""A briefs.yaml of the common shape read line by line: block mappings and lists of one-line scalars.

libyaml's events cost ~0.17 s for the synthetic project's 3 MB briefs.yaml before anything is made
of them, and the event reader (yamldoc._EventReader) ~0.2 s more. A large briefs.yaml is most often
written as briefgen's own tools write it (tools/yamltext.py) and as bench/synth.py does: block
mappings and lists, each scalar on its line, plain or quoted. Read line by line, with one regular
expression a line, such a text takes about two thirds of that (bench/RESULTS.md).

Only lines whose reading is certain are read, each of these (after its indentation, in spaces):
    blank, or a comment;
    `key: value`, `- value`, `- key: value`;
    `key:` or `- key:`, whose value is the block mapping or list on the lines below;
where a key is a plain word (`[A-Za-z0-9_][A-Za-z0-9_.-]*`, at most 128 characters, as YAML types
it text or a whole number), and a value a plain scalar that starts like no YAML syntax and holds
no `: ` (`#` after a space begins a comment), a single-quoted one, or a double-quoted one without
escapes, each closed on its line. Every line is printable (str.isprintable: no tab, no control
character, no line break YAML knows that Python does not split at); indentation moves only as
YAML's block structure does. Anything else, duplicate keys, a value or depth past a limit: None,
and the event reader reads the text (and reports what there is to report). tests/test_yamllines.py
holds it to the event reader.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Mapping
from typing import Any

from briefgen.limits import Limits
from briefgen.project.yamlplain import ANY_FIRST, TYPED_FIRST, NotPlain, PathKey, PlainScalars

# A line: indentation, a list item's dash, a key (`:` then spaces or the line's end), the rest. A
# key is at most 128 characters: YAML refuses a key without `?` of more than 1,024.
_LINE = re.compile(r"( *)(- +)?(?:([A-Za-z0-9_][A-Za-z0-9_.-]{0,127}):(?: +|$))?(.*)")
# What a plain scalar may not start with: YAML syntax (indicators); of those, `-` may when no space
# follows (`?` and `:` too, left to the event reader).
_NOT_PLAIN_START = frozenset("-?:,[]{}#&*!|>'\"%@`")
_SINGLE_QUOTED = re.compile(r"'((?:[^']|'')*)' *(?: #.*)?")
_DOUBLE_QUOTED = re.compile(r'"([^"\\]*)" *(?: #.*)?')

Positions = dict[PathKey, tuple[int, int]]
Tables = tuple[Any, Positions, Positions, dict[PathKey, str], dict[PathKey, str]]  # as YamlDocument's


class _Unsure(Exception):
    """A line this reader does not read (see the module)."""


def read_lines(text: str, limits: Limits, numbered_after: Mapping[PathKey, int] | None = None) -> Tables | None:
    """The data of `text`, its value and key positions, the text of its typed scalars and the styles
    of its quoted ones, as YamlDocument holds them; None where it is not of the shape read here.

    `numbered_after`: lists at these paths begin with that many placeholders (see yamldoc.read_plain)."""
    reader = _LineReader(limits, numbered_after or {})
    try:
        data = reader.read(text)
    except (_Unsure, NotPlain):
        return None
    return data, reader.value_positions, reader.key_positions, reader.plain.typed_text, reader.styles


class _LineReader:
    def __init__(self, limits: Limits, numbered_after: Mapping[PathKey, int]) -> None:
        self.limits = limits
        self.numbered_after = numbered_after
        self.value_positions: Positions = {}
        self.key_positions: Positions = {}
        self.styles: dict[PathKey, str] = {}
        self.plain = PlainScalars()

    def read(self, text: str) -> Any:  # noqa: PLR0912, PLR0915 - one loop on purpose: see below
        # One loop, with what it looks up bound to local names: it runs once a line (107,000 for
        # 10,000 facts). The innermost open collection is in local names too: its container, its
        # path, its indentation (a mapping's keys' column, a list's dashes') and whether it is a
        # list; those around it are on `outer`, innermost last. `pending`: the key (its path and
        # its mapping's indentation) whose value is the block collection on the lines below.
        outer: list[tuple[Any, PathKey, int, bool]] = []
        container: Any = None
        here: PathKey = ()
        indentation = -1
        in_list = False
        pending: tuple[str, PathKey, int] | None = None
        values, depth = 0, 0  # counted as yamldoc's readers count them; past a limit, they report it
        most_values, most_depth = self.limits.yaml_values, self.limits.yaml_depth
        value_positions, key_positions, numbered_after = self.value_positions, self.key_positions, self.numbered_after
        plain, known_keys, scalar = self.plain, self.plain.keys, self._scalar
        match, intern = _LINE.match, sys.intern
        root: Any = None
        line_number = 0
        for line in text.split("\n"):
            line_number += 1
            if not line.isprintable():
                raise _Unsure  # a tab, a control character, \r, a line break YAML knows…
            spaces, dash, key, rest = match(line).groups()  # type: ignore[union-attr]  # (it matches any line)
            if dash is None and key is None:
                if not rest or rest[0] == "#":
                    continue  # blank, or a comment
                raise _Unsure  # a scalar alone on its line: a document of one, a value running on…
            column = len(spaces)
            if pending is not None:  # the first line of a key's block collection
                key_above, path, key_column = pending
                pending = None
                if not (column > key_column or (dash is not None and column == key_column)):
                    raise _Unsure  # an empty value (a list may stand at its key's indentation)
                values += 1
                if values > most_values or depth >= most_depth:
                    raise _Unsure
                new: Any = ([None] * numbered_after.get(path, 0)) if dash is not None else {}
                value_positions[path] = (line_number, column + 1)
                container[key_above] = new
                outer.append((container, here, indentation, in_list))
                container, here, indentation, in_list = new, path, column, dash is not None
                depth += 1
            else:
                while column < indentation or (in_list and column == indentation and dash is None):
                    container, here, indentation, in_list = outer.pop()  # the collection has ended
                    depth -= 1
                if container is None:  # the first line: the document's mapping
                    if root is not None or column != 0 or dash is not None or most_values < 1 or most_depth < 1:
                        raise _Unsure
                    values, depth = 1, 1
                    root = container = {}
                    value_positions[()] = (line_number, 1)
                    outer.append((None, (), -1, False))
                    here, indentation, in_list = (), 0, False
                elif column != indentation:
                    raise _Unsure  # more indented than the collection: a value running on…
            if dash is not None:
                if not in_list:
                    raise _Unsure
                path = (*here, len(container))
                values += 1
                if values > most_values or depth >= most_depth:
                    raise _Unsure
                if key is None:
                    if not rest:
                        raise _Unsure  # an empty item, or its value below
                    value_positions[path] = (line_number, len(line) - len(rest) + 1)
                    container.append(scalar(rest, path))
                    continue
                item: dict[str, Any] = {}
                column += len(dash)
                value_positions[path] = (line_number, column + 1)
                container.append(item)
                outer.append((container, here, indentation, in_list))
                container, here, indentation, in_list = item, path, column, False
                depth += 1
            elif in_list:
                raise _Unsure  # a key where the list's next item should be
            key = intern(key)  # the same few keys, thousands of times: one object each (see yamldoc)
            if key not in known_keys:
                plain.check_key(key)
            if key in container:
                raise _Unsure  # a duplicate: the full reading reports every one
            path = (*here, key)
            values += 2 if rest and rest[0] != "#" else 1  # the key, and a scalar value now
            if values > most_values or depth >= most_depth:
                raise _Unsure
            key_positions[path] = (line_number, column + 1)
            if not rest or rest[0] == "#":
                pending = key, path, column
                container[key] = None  # (its place in the mapping's order)
                continue
            value_positions[path] = (line_number, len(line) - len(rest) + 1)
            container[key] = scalar(rest, path)
        if pending is not None or root is None:
            raise _Unsure  # an empty value at the end, or no document
        return root

    def _scalar(self, written: str, path: PathKey) -> Any:
        """The value of the scalar `written` (the rest of its line) at `path`."""
        first = written[0]
        if first == "'":
            quoted = _SINGLE_QUOTED.fullmatch(written)
            if quoted is None:
                raise _Unsure  # running on to another line, or followed by more
            self.styles[path] = "'"
            return quoted.group(1).replace("''", "'")
        if first == '"':
            quoted = _DOUBLE_QUOTED.fullmatch(written)
            if quoted is None:
                raise _Unsure  # with an escape, running on, or followed by more
            self.styles[path] = '"'
            return quoted.group(1)
        if first in _NOT_PLAIN_START and not (first == "-" and written[1:2] not in ("", " ")):
            raise _Unsure  # (`-1`, `-x` are plain scalars: a dash and a space are a list's item)
        comment = written.find(" #")
        value = (written[:comment] if comment >= 0 else written).rstrip(" ")
        if ": " in value or value[-1] == ":":
            raise _Unsure  # a mapping where YAML allows none: the full reading reports it
        if value[0] in TYPED_FIRST or ANY_FIRST:
            return self.plain.value(value, path)
        return value
