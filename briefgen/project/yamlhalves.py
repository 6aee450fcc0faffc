"""A large briefs.yaml read in two halves at once: this process reads the first, a forked helper the later.

Reading a 3 MB briefs.yaml with every position takes ~0.37 s (yamldoc.py), and on a check nothing
remembers, everything else waits for it. The helper begun at once (claims_ahead.py) needs the later
facts anyway; it reads the text from the start of an item of `facts:` on (`cut_at`) and sends what
it read (`later_half`: ~0.02 s to write, ~0.03 s to read back in marshal form), while this process
reads the text before that item. `joined` puts the two together.

That is exactly what reading the whole text gives when, at the cut, the whole reading stands where
the first half's reading ends: between two items of the top-level block sequence `facts:`. So the
cut is at a line that starts with the list's dash, after `facts:` (at column 0), with every line
between them indented no further than the dash a dash of the same list (or blank, or a comment):
nothing before the cut is still open at it but that list. Anything that could leave something
open (a quoted scalar or flow collection running on over such a line) makes the first half
unreadable (its end comes in the middle) or gives it fewer items than dashes: both are refused.
The later half is read after a line `facts:`, in the same place, so it reads alike; its lines and
its items are numbered as in the whole text.
Refused too: an anchor or alias anywhere (an alias may repeat what the other half holds), document
markers, line breaks other than \\n or \\r\\n, a top-level key in both halves, a value of the first
half marked at the cut (an empty value is marked at the next token, which in place is the next
item's), a limit reached. Then the whole text is read, and reports what there is to report.
tests/test_yamlhalves.py holds it to reading the whole text.
"""

from __future__ import annotations

import marshal
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from briefgen.limits import Limits
from briefgen.project.yamldoc import PathKey, YamlDocument, YamlProblem, parse_yaml, read_plain
from briefgen.project.yamlsplice import document_marker, unsafe_apart

FACTS = "facts"
_FACTS_KEY = re.compile(r"^facts:[ ]*(?:#.*)?\r?$", re.MULTILINE)
_FIRST_ITEM = re.compile(r"^( *)-(?: |\r?$)", re.MULTILINE)
_BLANK_OR_COMMENT = re.compile(r" *(?:#.*)?\r?(?:\n|$)")
# The share of the list's text read first: this process then reads about as long as the helper
# reads the rest and sends it (bench/RESULTS.md).
FIRST_SHARE = 0.6

Tables = tuple[Any, dict[PathKey, Any], dict[PathKey, Any], dict[PathKey, Any], dict[PathKey, Any]]
# What reads the later half meanwhile: given the text, the cut and the first half as read (None if
# it could not be read apart: the whole text is read then, and the half not used), that half's
# tables in marshal form (later_half), or None (the whole text is read then).
LaterReader = Callable[[str, "Cut", YamlDocument | None], bytes | None]


@dataclass(frozen=True)
class Cut:
    """Where the text is cut: the offset and line (1-based) of the later half's first item, the
    number of items before it, the line of the key `facts:` and the offset of the line after it."""

    offset: int
    line: int
    items: int
    key_line: int
    list_start: int


def cut_at(text: str, share: float | None = None) -> Cut | None:
    """The cut at the first item of `facts:` that starts `share` (FIRST_SHARE) of the list's text
    in or later, or None where there is none that can be read apart (see the module)."""
    share = FIRST_SHARE if share is None else share
    key = _FACTS_KEY.search(text)
    if key is None or unsafe_apart(text) or document_marker(text):
        return None
    start = list_start = key.end() + 1  # the line after `facts:`
    while (blank := _BLANK_OR_COMMENT.match(text, start)) is not None and blank.end() > start:
        start = blank.end()
    first = _FIRST_ITEM.match(text, start)
    if first is None:
        return None  # no block sequence below the key
    dash = len(first.group(1))
    # Each pattern begins with a line break, which the regular expression engine looks for fast (a
    # `^` would be tried at every character): it finds the lines after one, so the search begins at
    # the line break before the list's first line.
    item = re.compile(rf"\n {{{dash}}}-(?= |\r?\n)")  # (the line break after `-` alone left to the next)
    later = item.search(text, max(start, start + int((len(text) - start) * share)) - 1)
    if later is None:
        return None
    offset = later.start() + 1
    # A line at or left of the dash's column that is no dash of the list ends it (or is in a quoted
    # scalar or flow collection running on): the cut may be inside something else. The search runs
    # on to the cut line's dash, so that the line before it is seen whole (a blank one is fine).
    outside = re.compile(rf"\n(?! {{{dash + 1}}}| {{{dash}}}-(?: |\r?\n)| *(?:#|\r?\n))")
    if outside.search(text, start - 1, offset + dash + 3):
        return None
    items = len(item.findall(text, start - 1, offset))
    line = text.count("\n", 0, offset) + 1
    return Cut(offset, line, items, text.count("\n", 0, key.start()) + 1, list_start)


def later_half(text: str, cut: Cut, path: Path, limits: Limits) -> Tables | None:
    """In the helper: the text from the cut read after a line `facts:` — its data, value and key
    positions, typed text and styles (YamlDocument's tables), paths and positions as in the whole
    text; None if it cannot be read so (the whole text is read then). `marshal.dumps` it to send it.

    The line `facts:` comes after blank lines, so that each line read is numbered as in the whole
    text, and the list's items after the first half's (read_plain's `numbered_after`): moving
    100,000 positions afterwards took as long as a third of the reading."""
    blank_lines = "\n" * (cut.line - 2)  # `facts:` on the line before the cut's
    read = _read_apart(blank_lines + "facts:\n" + text[cut.offset :], path, limits, {(FACTS,): cut.items})
    if read is None or not isinstance(read.data, dict) or not isinstance(read.data.get(FACTS), list):
        return None
    values, keys = read.value_positions, read.key_positions
    for own in ((), (FACTS,)):  # the mapping and the list, read already in the first half
        values.pop(own, None)
    keys.pop((FACTS,), None)
    read.data[FACTS] = read.data[FACTS][cut.items :]  # without the placeholders
    return read.data, values, keys, read.typed_text, read.scalar_styles


def joined(first: YamlDocument, later: bytes, cut: Cut, text: str, limits: Limits) -> YamlDocument | None:
    """The document of the whole text, from the first half's (`first`, read from `text[:cut.offset]`)
    and the later half's (`later_half`); None where that might not be what reading it whole gives."""
    data = first.data
    if not isinstance(data, dict) or not data or list(data)[-1] != FACTS:
        return None  # the first half does not end in `facts:`
    items = data[FACTS]
    if not isinstance(items, list) or len(items) != cut.items or first.key_positions[(FACTS,)][0] != cut.key_line:
        return None  # another key, or a dash that is no item's (inside a quoted scalar…)
    if _marked_at(first.value_positions, cut.line) or _marked_at(first.key_positions, cut.line):
        return None  # an empty value marked at the cut: in place, at the next item's dash
    later_data, values, keys, typed, styles = marshal.loads(later)
    rest = {name: value for name, value in later_data.items() if name != FACTS}
    if any(name in data for name in rest):
        return None  # a key in both halves: reading it whole reports the duplicate
    if len(first.value_positions) + len(first.key_positions) + len(values) + len(keys) > limits.yaml_values:
        return None  # reading it whole reports it
    whole = {**data, FACTS: items + later_data[FACTS], **rest}
    return YamlDocument(
        first.path,
        whole,
        {**first.value_positions, **values},
        {**first.key_positions, **keys},
        {**first.typed_text, **typed},
        {**first.scalar_styles, **styles},
        text,
    )


def _marked_at(table: dict[PathKey, tuple[int, int]], line: int) -> bool:
    """Whether the table's last entry (its lines never go back) is on `line` or later."""
    return bool(table) and next(reversed(table.values()))[0] >= line


def items_between(text: str, first: Cut, cut: Cut, path: Path, limits: Limits) -> list[Any] | None:
    """The items of `facts:` from one cut to a later one, read as the later half is (its data
    alone: positions as in that text); None if they cannot be read so."""
    if first.offset == cut.offset:
        return []
    read = _read_apart("facts:\n" + text[first.offset : cut.offset], path, limits)
    if read is None or not isinstance(read.data, dict) or list(read.data) != [FACTS]:
        return None
    items = read.data[FACTS]
    return items if isinstance(items, list) and len(items) == cut.items - first.items else None


def first_half(text: str, cut: Cut, path: Path, limits: Limits) -> YamlDocument | None:
    """The text before the cut, read (plainly: anything else makes the whole text read)."""
    return _read_apart(text[: cut.offset], path, limits)


def _read_apart(
    part: str, path: Path, limits: Limits, numbered_after: dict[PathKey, int] | None = None
) -> YamlDocument | None:
    """A part of the text read plainly (yamldoc.read_plain); None also past a limit: reading the
    whole text reports it, where it is."""
    try:
        return read_plain(part, path, limits, numbered_after=numbered_after)
    except YamlProblem:
        return None


def read_in_halves(text: str, path: Path, limits: Limits, later: LaterReader) -> YamlDocument:
    """parse_yaml(text, path, limits), the later half read by `later` meanwhile where it can be."""
    cut = cut_at(text) if len(text.encode("utf-8", "surrogatepass")) <= limits.yaml_bytes else None
    if cut is not None:
        first = first_half(text, cut, path, limits)
        half = later(text, cut, first)  # asked for even when unused: whoever reads it then knows
        document = joined(first, half, cut, text, limits) if first is not None and half is not None else None
        if document is not None:
            return document
    return parse_yaml(text, path, limits)
