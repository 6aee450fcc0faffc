"""Appending YAML entries to briefs.yaml as text, so that every comment and line of it stays as written.

A YAML dumper would rewrite the whole file (losing comments, folding, ordering). Instead, the new
source entries go after the last line of the `sources:` mapping and the new facts after the last
line of the `facts:` list, indented as the file indents them. The result is parsed again and must
hold exactly the old data plus the new entries; anything else is refused, and nothing is written.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from briefgen.errors import BriefgenError
from briefgen.project.yamldoc import YamlProblem, parse_yaml

_TOP_KEY = re.compile(r"^(?P<key>[A-Za-z_][\w-]*)\s*:(?P<rest>.*)$")
_CANONICAL_INDENT = 2  # the indentation the new entries are written with, before re-indenting


def merge_entries(text: str, path: Path, sources: str, facts: str) -> str:
    """`text` with `sources` (entries indented by two) under `sources:` and `facts` (items written
    `  - …`) under `facts:`; raise BriefgenError when that cannot be done without changing anything else."""
    newline = "\r\n" if "\r\n" in text else "\n"  # a file saved on Windows stays a Windows file
    if newline != "\n":
        sources, facts = sources.replace("\n", newline), facts.replace("\n", newline)
    lines = (text if text.endswith("\n") or not text else text + newline).splitlines(keepends=True)
    edits = [
        _edit(lines, path, "sources", sources, list_items=False),
        _edit(lines, path, "facts", facts, list_items=True),
    ]
    for at, replace, new in sorted(edits, key=lambda e: e[0], reverse=True):  # later edits first: indices hold
        lines[at : at + replace] = new
    merged = "".join(lines)
    _verify(text, merged, path, sources, facts)
    return merged


def _edit(lines: list[str], path: Path, key: str, block: str, *, list_items: bool) -> tuple[int, int, list[str]]:
    """Where to insert `block` under top-level `key`: (line index, lines replaced, new lines)."""
    if not block:
        return len(lines), 0, []
    start = next((i for i, line in enumerate(lines) if (m := _TOP_KEY.match(line)) and m["key"] == key), None)
    if start is None:  # no such key yet: a new section at the end
        newline = "\r\n" if block.endswith("\r\n") else "\n"
        return len(lines), 0, [newline, f"{key}:{newline}", *_indented(block, _CANONICAL_INDENT)]
    head = _TOP_KEY.match(lines[start])
    assert head is not None
    value, comment = _split_comment(head["rest"])
    replaced, header = 0, []
    if value in ("{}", "[]", ""):
        if value:  # `facts: []` becomes a block: `facts:` and the items under it
            replaced, header = 1, [f"{key}:{'  ' + comment if comment else ''}\n"]
    else:
        raise BriefgenError(
            f"{path}:{start + 1}:1: cannot add to `{key}:` written on one line (flow style)",
            f"write `{key}:` as a block, one entry per line, then run briefgen add again",
        )
    end = next((i for i in range(start + 1, len(lines)) if _is_top_level(lines[i])), len(lines))
    last = end
    while last > start + 1 and _is_trailing(lines[last - 1]):
        last -= 1  # blank lines and column-0 comments before the next key belong to that key
    indent = _child_indent(lines[start + 1 : last], list_items)
    newline = "\r\n" if block.endswith("\r\n") else "\n"
    new = [*([newline] if last > start + 1 else []), *_indented(block, indent)]
    if replaced:
        return start, 1, [f"{header[0].rstrip()}{newline}", *lines[start + 1 : last], *new]
    return last, 0, new


def _is_top_level(line: str) -> bool:
    """A top-level key, or a document marker (an indentless list's `- ` items belong to their key)."""
    return bool(_TOP_KEY.match(line)) or line.startswith(("---", "..."))


def _is_trailing(line: str) -> bool:
    return not line.strip() or line.startswith("#")


def _split_comment(rest: str) -> tuple[str, str]:
    value, _, comment = rest.partition(" #")
    return value.strip(), f"#{comment}".rstrip() if comment or rest.strip().startswith("#") else ""


def _child_indent(body: list[str], list_items: bool) -> int:
    """How far the file indents the entries of a section (2 when it has none yet)."""
    for line in body:
        stripped = line.lstrip(" ")
        if not stripped.strip() or stripped.startswith("#"):
            continue
        if not list_items or stripped.startswith("- "):
            return len(line) - len(stripped)
    return _CANONICAL_INDENT


def _indented(block: str, indent: int) -> list[str]:
    """`block`'s lines, moved from the canonical indentation to `indent`."""
    out = []
    for line in block.splitlines(keepends=True):
        if not line.strip():
            out.append(line)
        elif indent >= _CANONICAL_INDENT:
            out.append(" " * (indent - _CANONICAL_INDENT) + line)
        else:
            out.append(line[_CANONICAL_INDENT - indent :])
    return out


def _verify(old_text: str, merged: str, path: Path, sources: str, facts: str) -> None:
    """The merged file must hold the old data plus the new entries, and nothing else."""
    try:
        old = _data(old_text, path)
        new = _data(merged, path)
        added_sources = _data(f"sources:\n{sources}", path).get("sources") or {}
        added_facts = _data(f"facts:\n{facts}", path).get("facts") or []
    except YamlProblem as problem:
        raise BriefgenError(
            f"{path}: adding the entries would make the file unreadable: {problem}",
            "run briefgen add --dry-run and paste what it prints by hand",
        ) from None
    expected = {**old, "sources": {**(old.get("sources") or {}), **added_sources}}
    expected["facts"] = [*(old.get("facts") or []), *added_facts]
    if new != expected or list(new.get("sources") or {}) != list(expected["sources"]):
        raise BriefgenError(
            f"{path}: could not add the entries without changing the rest of the file",
            "run briefgen add --dry-run and paste what it prints by hand",
        )


def _data(text: str, path: Path) -> dict[str, Any]:
    data = parse_yaml(text, path).data
    return data if isinstance(data, dict) else {}
