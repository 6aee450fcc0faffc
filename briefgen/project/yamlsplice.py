"""A large briefs.yaml edited inside one list item: only that item is read again.

An analyst edits a fact and checks: of a 10,000-fact briefs.yaml one item of `facts:` changed, yet
reading the whole text takes 0.4 s (yamldoc.py). `reread` makes the new document from the document
of the text before the edit (kept by parse_cache.py): it reads only the edited item, as a document
of its own, and puts it in the old item's place, the positions after it moved by the lines it
gained or lost.

That is exactly what reading the whole text gives when the edit lies inside one item of a
top-level block sequence and the item, read alone, is one complete item at the same column, every
line after its first indented further (or blank, or a comment): YAML reads the item's characters
alike in both places, as what stands outside an item only matters to a line indented no further
than the item's dash (comments aside). Anything else — an edit across items, such a line, a
document marker, an anchor or alias anywhere (an alias may repeat what the item held), a line
break other than \\n or \\r\\n (lines are counted by \\n), a tag, a limit reached — and `reread`
returns None: the whole text is read, and reports what there is to report.
tests/test_yamlsplice.py holds it to reading the whole text.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Any

from briefgen.limits import Limits
from briefgen.project.yamldoc import PathKey, YamlDocument, YamlProblem, read_plain

_DASH = re.compile(r"( *)- +")  # what stands before an item's value on its first line
_LINE = re.compile(r".*\n?")
_MARKERS = ("---", "...", "%")
_MARKER_LINE = re.compile(r"\n(?:---|\.\.\.|%)")  # from a line break: found fast (a `^` is tried everywhere)


def document_marker(text: str) -> bool:
    """Whether a line of the text begins as a document marker or directive does."""
    return text.startswith(_MARKERS) or _MARKER_LINE.search(text) is not None


_OTHER_BREAKS = ("\x85", "\u2028", "\u2029")  # line breaks to YAML, not to `\n`-counting


# Where an anchor (`&a`) or an alias (`*a`) can stand: first in a node, so first in the text or
# after whitespace, a flow indicator, a JSON-like key's `:` (`{"a":&x 1}`) or a byte-order mark. A
# `&` or `*` after anything else is inside a scalar: "R&D" (in the shipped briefs.yaml), "3*4".
_AMPERSAND_OR_STAR = re.compile("[&*]")  # a character set first: scanned for in C, as str.find does
_NODE_MAY_START_AFTER = frozenset("[]{},:\ufeff")


def _anchor_or_alias(text: str) -> bool:
    """Whether a `&` or `*` of the text stands where an anchor or alias could (see above)."""
    for match in _AMPERSAND_OR_STAR.finditer(text):
        at = match.start()
        if at == 0 or text[at - 1].isspace() or text[at - 1] in _NODE_MAY_START_AFTER:
            return True
    return False


def unsafe_apart(text: str) -> bool:
    """Whether the text could hold an anchor or alias (an alias may repeat what an item held), or a
    line break YAML counts that `\n` does not (the old document's lines would not be `\n`'s). Looked
    for as single characters first, in C; a `*` or `&` where no anchor or alias can stand
    (_anchor_or_alias) is prose. tests/test_yamlsplice.py holds what is read apart to the whole."""
    return (
        (("*" in text or "&" in text) and _anchor_or_alias(text))
        or any(c in text for c in _OTHER_BREAKS)
        or ("\r" in text and text.count("\r") != text.count("\r\n"))
    )


@dataclass(frozen=True)
class _Item:
    """The edited item: its list's name and index, and its lines (first, and the line after it)."""

    name: str
    index: int
    first: int
    end: int


def reread(old: YamlDocument, text: str, limits: Limits) -> YamlDocument | None:
    """The document of `text`, made from `old` (of the text before an edit) by reading again only
    the list item the edit is in; None when that would not be exactly what reading `text` gives."""
    too_large = len(text.encode("utf-8", "surrogatepass")) > limits.yaml_bytes  # reading it whole refuses it
    if too_large or old.included or not isinstance(old.data, dict) or not old.source or old.source == text:
        return None
    start, old_end = _edit(old.source, text)
    item = _edited_item(old, start)
    if item is None or unsafe_apart(old.source):
        return None
    begin, end = _span(old.source, start, item)
    if old_end > end:
        return None  # the edit goes on past the item
    before, after = old.source[begin:end], text[begin : end + len(text) - len(old.source)]
    if end < len(old.source) and not after.endswith("\n"):
        return None  # the edit joined the next item's first line to this item's last
    read = _read_alone(after, old, limits) if _alike_in_place(old, item, before, after) else None
    if read is None or not _ends_alike(read, text, begin + len(after), after):
        return None
    return _spliced(old, text, item, read, gained=after.count("\n") - before.count("\n"), limits=limits)


def _ends_alike(read: YamlDocument, text: str, offset: int, after: str) -> bool:
    """Whether the item ends in place where it ends alone: what follows it (from `offset`, skipping
    blank and comment lines) is indented no further than its dash — the next item's dash, the next
    key, or nothing; not a value of the next item written below its dash (`-` alone on a line), which
    would continue this one. And no value of it is marked past its text: an empty value (`? key`)
    is marked at the next token, which alone is the end of the text, in place the next item."""
    column = len(after) - len(after.lstrip(" "))
    for match in _LINE.finditer(text, offset):
        line = match.group()
        content = line.lstrip(" ")
        if not line:
            break
        if content.strip() and not content.startswith("#"):
            if len(line) - len(content) > column:
                return False
            break
    lines = after.count("\n")
    return all(line <= lines for line, _ in read.value_positions.values())


def _alike_in_place(old: YamlDocument, item: _Item, before: str, after: str) -> bool:
    """Whether the item's new text, `after`, reads alone as it does in its place (see the module)."""
    column = _dash_column(old, item, before)
    return (
        column is not None
        and _dash_column(old, item, after) == column
        and _indented_past(after, column)
        and not unsafe_apart(after)
        and not document_marker(after)
    )


def _edit(old: str, new: str) -> tuple[int, int]:
    """Where `old` and `new` first differ, and where in `old` the difference ends."""
    start = _alike(old, new, min(len(old), len(new)), forward=True)
    room = min(len(old), len(new)) - start  # the ending alike may not reach back before `start`
    return start, len(old) - _alike(old, new, room, forward=False)


_CHUNK = 1 << 16


def _alike(a: str, b: str, limit: int, *, forward: bool) -> int:
    """How many characters (at most `limit`) `a` and `b` have alike from their beginning, or from
    their end: whole chunks compared in C, then the first chunk that differs halved."""

    def alike(start: int, stop: int) -> bool:  # characters start..stop, counted from the beginning or the end
        if forward:
            return a[start:stop] == b[start:stop]
        return a[len(a) - stop : len(a) - start] == b[len(b) - stop : len(b) - start]

    low = 0
    while low + _CHUNK <= limit and alike(low, low + _CHUNK):
        low += _CHUNK
    known, high = low, min(low + _CHUNK, limit)
    while low < high:  # the first `low` are alike; the first `high + 1` are not, or past the limit
        middle = (low + high + 1) // 2
        if alike(known, middle):
            low = middle
        else:
            high = middle - 1
    return low


def _edited_item(old: YamlDocument, start: int) -> _Item | None:
    """The top-level list item whose lines hold character `start` of the old text."""
    line = old.source.count("\n", 0, start) + 1
    keys = list(old.data)
    for place, name in enumerate(keys):
        items = old.data[name]
        if not isinstance(items, list) or not items:
            continue
        firsts = [old.value_positions[(name, i)][0] for i in range(len(items))]
        index = bisect_right(firsts, line) - 1
        if index < 0:
            continue
        if index + 1 < len(items):
            end = firsts[index + 1]
        elif place + 1 < len(keys):
            end = old.key_positions[(keys[place + 1],)][0]
        else:
            end = old.source.count("\n") + 2  # the list ends the file: its last item runs to the end
        if line < end:
            return _Item(name, index, firsts[index], end)
    return None


def _span(text: str, offset: int, item: _Item) -> tuple[int, int]:
    """Where the item's first line and the line after it begin in `text`, found from `offset` (on
    one of its lines) a line at a time, not by counting from the beginning of the text."""
    line = text.count("\n", 0, offset) + 1
    begin = offset
    for _ in range(line - item.first + 1):
        begin = text.rfind("\n", 0, begin)
    finish = offset
    for _ in range(item.end - line):
        finish = text.find("\n", finish) + 1
        if finish == 0:  # past the last line break: the item runs to the end of the text
            return begin + 1, len(text)
    return begin + 1, finish


def _dash_column(old: YamlDocument, item: _Item, text: str) -> int | None:
    """The column of the item's dash, if its first line is spaces, a dash and spaces up to where the
    old document has the item's value; else None."""
    column = old.value_positions[(item.name, item.index)][1] - 1
    dash = _DASH.fullmatch(text, 0, column)
    return len(dash.group(1)) if dash is not None else None


def _indented_past(text: str, column: int) -> bool:
    """Whether every line after the first is blank, a comment, or indented past `column`."""
    second = text.find("\n") + 1
    for match in _LINE.finditer(text, second if second else len(text)):
        line = match.group()
        content = line.lstrip(" ")
        if content.strip() and not content.startswith("#") and len(line) - len(content) <= column:
            return False
    return True


def _read_alone(text: str, old: YamlDocument, limits: Limits) -> YamlDocument | None:
    """The item read as a document of its own: a list of exactly one item, or None. In place it is
    two levels deep (the file's mapping, its list), alone one: one level less is allowed."""
    try:
        read = read_plain(text, old.path, replace(limits, yaml_depth=limits.yaml_depth - 1))
    except YamlProblem:
        return None  # past a limit: reading the whole text reports it, where it is
    if read is None or not isinstance(read.data, list) or len(read.data) != 1:
        return None
    return read


def _spliced(
    old: YamlDocument, text: str, item: _Item, read: YamlDocument, *, gained: int, limits: Limits
) -> YamlDocument | None:
    """`old` with the item replaced by what `read` holds (its positions moved to the item's lines)."""
    prefix = (item.name, item.index)

    def renamed(table: dict[PathKey, Any], offset: int | None) -> dict[PathKey, Any]:
        if offset is None:
            return {(*prefix, *path[1:]): value for path, value in table.items()}
        return {(*prefix, *path[1:]): (line + offset, column) for path, (line, column) in table.items()}

    def line_of_value(path: PathKey) -> int:
        return old.value_positions[path][0]

    offset = item.first - 1  # the item's first line, as a line of the file
    values = _replaced(old.value_positions, renamed(read.value_positions, offset), item, gained, None)
    keys = _replaced(old.key_positions, renamed(read.key_positions, offset), item, gained, None)
    typed = _replaced(old.typed_text, renamed(read.typed_text, None), item, 0, line_of_value)
    styles = _replaced(old.scalar_styles, renamed(read.scalar_styles, None), item, 0, line_of_value)
    if values is None or keys is None or typed is None or styles is None:
        return None
    if len(values) + len(keys) > limits.yaml_values:
        return None  # reading the whole text reports it
    items = list(old.data[item.name])
    items[item.index] = read.data[0]
    data = {**old.data, item.name: items}
    return YamlDocument(old.path, data, values, keys, typed, styles, text)


def _replaced(
    table: dict[PathKey, Any],
    new: dict[PathKey, Any],
    item: _Item,
    gained: int,
    line_of: Callable[[PathKey], int] | None,
) -> dict[PathKey, Any] | None:
    """The table with the item's entries (those on its lines) replaced by `new`, in the order a
    reading of the whole text makes them (the file's: lines never go back), the positions after it
    moved by `gained` lines. `line_of`: the line of an entry that holds no position of its own."""
    entries = list(table.items())

    def line(entry: tuple[PathKey, Any]) -> int:
        return entry[1][0] if line_of is None else line_of(entry[0])

    first, end = bisect_left(entries, item.first, key=line), bisect_left(entries, item.end, key=line)
    prefix = (item.name, item.index)
    while first < end and entries[first][0][:2] != prefix:
        first += 1  # on the item's first line, before it: the list's own position (its first dash)
    if any(path[:2] != prefix for path, _ in entries[first:end]):
        return None  # something else on the item's lines: not an item alone on its lines
    if end < len(entries) and entries[end][0][:2] == prefix:
        return None  # a value of the item marked on the next item's line (an empty value, `? key`)
    result = dict(entries[:first])
    result.update(new)
    if gained and line_of is None:
        result.update({path: (row + gained, column) for path, (row, column) in entries[end:]})
    else:
        result.update(entries[end:])
    return result
