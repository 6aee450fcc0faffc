"""Hints for YAML syntax errors: the likely cause at that spot, in a curator's terms.

PyYAML says "mapping values are not allowed here" or "expected <block end>, but found '<scalar>'";
what the curator did was put a colon in an unquoted value, indent a line to no enclosing level, or
write an apostrophe inside a single-quoted string. The file's text around the error tells which.
"""

from __future__ import annotations

import dataclasses
import re

import yaml

from briefgen.errors import Diagnostic, Location, plural

_KEY = re.compile(r"(\s*)(?:-\s+)*([^\s#'\"\[{&*!|>%@`][^:#]*?|\"[^\"]*\"|'[^']*'):(\s|$)")
_QUOTE_TEXT = {
    "'": "the apostrophe at column {} ends the single-quoted text: inside '…' write it twice (''), "
    "or put the text in double quotes",
    '"': 'the double quote at column {} ends the double-quoted text: inside "…" write it as \\", '
    "or put the text in single quotes",
}


def with_syntax_hint(diagnostic: Diagnostic, exc: yaml.MarkedYAMLError, text: str) -> Diagnostic:
    """The diagnostic with a hint naming the likely cause (and, for an unclosed quote or a line
    without a key, moved to where the mistake starts); unchanged when nothing fits."""
    if diagnostic.hint is not None or exc.problem_mark is None:
        return diagnostic
    lines = text.splitlines()
    found = _hint(exc, lines)
    if found is None:
        return diagnostic
    hint, moved = found
    location = diagnostic.location
    if moved is not None:
        location = Location(location.path, moved.line + 1, moved.column + 1)
    return dataclasses.replace(diagnostic, location=location, hint=hint)


def _hint(exc: yaml.MarkedYAMLError, lines: list[str]) -> tuple[str, yaml.Mark | None] | None:
    problem, context = exc.problem or "", exc.context or ""
    mark = exc.problem_mark
    assert mark is not None  # checked by the caller
    if problem.startswith("mapping values are not allowed"):
        return _colon_hint(lines, mark.line, mark.column), None
    if "quoted scalar" in context and exc.context_mark is not None:
        quote = _char_at(lines, exc.context_mark)
        return f"the quote ({quote}) opened here is never closed: end the value with {quote}", exc.context_mark
    if "flow sequence" in context or "flow mapping" in context:
        opening, closing = ("[", "]") if "sequence" in context else ("{", "}")
        opened = f"at line {exc.context_mark.line + 1}" if exc.context_mark else "above"
        return (
            f"the {opening} opened {opened} is not closed: close it with {closing} "
            f"(a text value that starts with {opening} must be quoted)"
        ), None
    return _token_hint(exc, problem, mark.line, mark.column, lines)


def _token_hint(
    exc: yaml.MarkedYAMLError, problem: str, row: int, column: int, lines: list[str]
) -> tuple[str, yaml.Mark | None] | None:
    """The scanner's complaints about a single token or line."""
    if "cannot start any token" in problem:
        return "a value cannot start with this character unless it is quoted: put the value in double quotes", None
    if "could not find expected ':'" in problem and exc.context_mark is not None:
        return (
            "this line is inside a mapping but is not `key: value` (a colon and a space after the key); "
            "if it continues the value above, indent it further than that key, or quote the value"
        ), exc.context_mark
    if problem.startswith("expected <block end>"):
        hint = _block_end_hint(lines, row, column, lines[row] if row < len(lines) else "")
        return (hint, None) if hint else None
    return None


def _char_at(lines: list[str], mark: yaml.Mark) -> str:
    line = lines[mark.line] if mark.line < len(lines) else ""
    return line[mark.column] if mark.column < len(line) else '"'


def _colon_hint(lines: list[str], row: int, column: int) -> str:
    """A `: ` YAML cannot take as a key: in the middle of a value, or a key indented too far."""
    line = lines[row] if row < len(lines) else ""
    key = _KEY.match(line)
    if key is not None and key.end(2) < column:
        return (
            "the value contains a colon followed by a space, which YAML reads as a new key: "
            'put the whole value in double quotes ("…"), or write it as a block (`>-` and the text on the next lines)'
        )
    sibling = _previous_key_indent(lines, row)
    where = f" (indented {sibling} spaces)" if sibling is not None else ""
    return (
        "this key is indented further than the key above it, so YAML reads it as part of that key's value: "
        f"indent it like the keys beside it{where}"
    )


def _block_end_hint(lines: list[str], row: int, column: int, line: str) -> str | None:
    """Text after a value that ended early (a closing quote), or a line indented to no open level."""
    before = line[:column].rstrip()
    if before and before[-1] in _QUOTE_TEXT and before.count(before[-1]) >= 2:
        return _QUOTE_TEXT[before[-1]].format(len(before))
    stripped = line.lstrip()
    if re.match(r"-[^\s-]", stripped):
        return "a list item needs a space after its dash (`- id: …`)"
    indent = len(line) - len(stripped)
    levels = _open_levels(lines, row)
    if indent in levels:
        return None
    shown = ", ".join(str(level) for level in sorted(levels))
    return (
        f"this line is indented {plural(indent, 'space')}, which matches no enclosing level (the lines above are "
        f"indented {shown}): indent it like the key it belongs beside"
    )


def _open_levels(lines: list[str], row: int) -> set[int]:
    """The indentations a line at `row` may have: of each enclosing key above it, and of the
    content of list items (`- id:` opens a level at `id`)."""
    levels: set[int] = set()
    deepest = None
    text_rows = _block_text_rows(lines, row)
    for number in range(row - 1, -1, -1):
        above = lines[number]
        stripped = above.lstrip()
        if not stripped or stripped.startswith("#") or number in text_rows:
            continue
        indent = len(above) - len(stripped)
        if deepest is not None and indent > deepest:
            continue  # inside a mapping that has already closed
        levels.add(indent)
        item = re.match(r"((?:-\s+)+)", stripped)
        if item:
            levels.add(indent + len(item.group(1)))
        deepest = indent
        if indent == 0:
            break
    return levels


_BLOCK_HEADER = re.compile(r"(?:^|[:\-]\s)\s*[|>][-+0-9]*\s*(?:#.*)?$")


def _block_text_rows(lines: list[str], row: int) -> set[int]:
    """The rows before `row` that are the text of a block scalar (`claim: >-` and its lines)."""
    rows: set[int] = set()
    header: int | None = None  # the indentation of the line that opened the block being read
    for number, line in enumerate(lines[:row]):
        stripped = line.lstrip()
        indent = len(line) - len(stripped)
        if header is not None and (not stripped or indent > header):
            rows.add(number)
            continue
        header = indent if _BLOCK_HEADER.search(line) else None
    return rows


def _previous_key_indent(lines: list[str], row: int) -> int | None:
    """Where the key on the nearest line above that has one starts."""
    for above in reversed(lines[:row]):
        key = _KEY.match(above)
        if key is not None:
            return key.start(2)
    return None
