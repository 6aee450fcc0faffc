"""`include:`: a project split over several YAML files, merged into one document with positions.

briefs.yaml may list glob patterns (`include: [sources.yaml, facts/*.yaml]`), relative to its
directory. Each pattern's matches are taken in sorted order, the patterns in the order given, each
file once. An included file holds any of `sources`, `entities`, `facts` and `briefs`; its facts are
appended to briefs.yaml's, its sources, entities and briefs added to theirs. Project settings stay in
briefs.yaml, and an included file cannot include further files (one level: the list of files is in
one place, and there are no cycles to find).

The merged document remembers which file each item came from (YamlDocument.origins), so every
diagnostic about it names that file, at the item's own line and column. An id defined in two files
is an error at both places. Reading follows the article rules where they apply (SECURITY.md): a
pattern is relative and stays inside the project; hidden files are never included; only regular
UTF-8 files within the YAML size limit are read.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from briefgen.errors import Diagnostic, Location
from briefgen.limits import Limits
from briefgen.project.schema_errors import did_you_mean, kind_of
from briefgen.project.yamldoc import MAIN_FILE, IncludedFile, PathKey, YamlDocument, YamlProblem, parse_yaml

INCLUDE = "include"
MAPPINGS = ("sources", "entities", "briefs")  # id → entry: merged key by key
LISTS = ("facts",)  # appended in file order
INCLUDABLE = (*MAPPINGS, *LISTS)
_NOUNS = {"sources": "source", "entities": "entity", "briefs": "brief"}
_PATTERN_HINT = "write a pattern relative to briefs.yaml's directory, e.g. facts/*.yaml"


@dataclass(frozen=True)
class Included:
    """The files `include:` names, as read: parsed documents, and the problems found reading them."""

    documents: tuple[YamlDocument, ...]
    problems: tuple[Diagnostic, ...]
    paths: tuple[Path, ...]  # every file matched, read or not (a watch watches them all)


def read_included(main: YamlDocument, read_text: Any, limits: Limits) -> Included:
    """Read and parse every file main's `include:` names. `read_text(path)` is the loader's reader
    (str, or an object with message/line/column/hint saying why the file cannot be used)."""
    patterns = main.data.get(INCLUDE) if isinstance(main.data, dict) else None
    if patterns is None:
        return Included((), (), ())
    root = main.path.parent
    problems: list[Diagnostic] = []
    paths: dict[Path, None] = {}
    if not isinstance(patterns, list):
        where = main.locate((INCLUDE,))
        problems.append(Diagnostic(where, f"include must be a list of file patterns, not a {kind_of(patterns)}"))
        patterns = []
    for index, pattern in enumerate(patterns):
        where = main.locate((INCLUDE, index))
        matches = _matches(root, pattern, where, problems)
        for path in matches:
            if _same_file(path, main.path):
                problems.append(Diagnostic(where, f"include pattern {pattern!r} matches briefs.yaml itself"))
            else:
                paths.setdefault(path, None)
    documents = []
    for path in paths:
        text = read_text(path)
        if not isinstance(text, str):
            where = Location(path, text.line or 1, text.column or 1)
            problems.append(Diagnostic(where, f"included file {path.as_posix()}: {text.message}", text.hint))
            continue
        try:
            documents.append(parse_yaml(text, path, limits))
        except YamlProblem as problem:
            problems.extend(problem.diagnostics)
    return Included(tuple(documents), tuple(problems), tuple(paths))


def _matches(root: Path, pattern: Any, where: Location, problems: list[Diagnostic]) -> list[Path]:
    """The files a pattern matches, sorted; a problem (and no files) for a bad or empty pattern."""
    if not isinstance(pattern, str) or not pattern.strip():
        problems.append(Diagnostic(where, "an include pattern must be a non-empty text", _PATTERN_HINT))
        return []
    written = Path(pattern)
    if written.is_absolute() or ".." in written.parts:
        problems.append(Diagnostic(where, f"include pattern {pattern!r} must be relative and stay inside the project"))
        return []
    try:
        found = sorted(root.glob(pattern))
    except (ValueError, OSError) as exc:  # e.g. `**x` (Python: "Invalid pattern")
        problems.append(Diagnostic(where, f"include pattern {pattern!r} is not valid: {exc}", _PATTERN_HINT))
        return []
    files = [path for path in found if not _hidden(path.relative_to(root)) and not path.is_dir()]
    if not files:
        problems.append(
            Diagnostic(
                where,
                f"include pattern {pattern!r} matches no file",
                f"it is matched against the files under {root.as_posix()}/; hidden files are never included",
            )
        )
        return []
    outside = [path for path in files if not _inside(path, root)]
    for path in outside:
        problems.append(Diagnostic(where, f"included file {path.as_posix()} resolves outside the project (a symlink?)"))
    return [path for path in files if path not in outside]


def _hidden(relative: Path) -> bool:
    return any(part.startswith(".") for part in relative.parts)


def _inside(path: Path, root: Path) -> bool:
    try:
        path.resolve().relative_to(root.resolve())
    except (ValueError, OSError, RuntimeError):
        return False
    return True


def _same_file(path: Path, other: Path) -> bool:
    try:
        return path.resolve() == other.resolve()
    except (OSError, RuntimeError):
        return False


def merge_included(main: YamlDocument, documents: Sequence[YamlDocument]) -> tuple[YamlDocument, list[Diagnostic]]:
    """One document: main's data with each included file's items added, every position kept and
    each item's file recorded; the problems of the included files' layout and of ids defined twice."""
    if not documents or not isinstance(main.data, dict):
        return main, []
    merger = _Merger(main)
    offsets = [merger.add(index, document) for index, document in enumerate(documents)]
    merged = replace(
        main,
        data=merger.data,
        value_positions=merger.tables["value_positions"],
        key_positions=merger.tables["key_positions"],
        typed_text=merger.tables["typed_text"],
        scalar_styles=merger.tables["scalar_styles"],
        included=tuple(IncludedFile(d.path, d.source, o) for d, o in zip(documents, offsets, strict=True)),
        origins=merger.origins,
    )
    return merged, merger.problems


class _Merger:
    def __init__(self, main: YamlDocument) -> None:
        self.main = main
        self.data: dict[str, Any] = dict(main.data)
        self.tables: dict[str, dict[PathKey, Any]] = {
            "value_positions": dict(main.value_positions),
            "key_positions": dict(main.key_positions),
            "typed_text": dict(main.typed_text),
            "scalar_styles": dict(main.scalar_styles),
        }
        self.origins: dict[PathKey, int] = {}
        self.problems: list[Diagnostic] = []
        # Where each id of a mapping was first defined: (file index, the file's own document).
        self.defined: dict[PathKey, tuple[int, YamlDocument]] = {}
        for name in MAPPINGS:
            for item_id in _mapping(self.data.get(name)):
                self.defined[(name, item_id)] = (MAIN_FILE, main)

    def add(self, index: int, document: YamlDocument) -> dict[str, int]:
        """Merge one file in; where its items of each list start in the merged list."""
        data = document.data
        if data is None:
            return {}  # an empty file (or only comments): nothing to add
        if not isinstance(data, dict):
            message = f"an included file must be a mapping with {', '.join(INCLUDABLE)}, not a {kind_of(data)}"
            self.problems.append(Diagnostic(document.locate(()), message))
            return {}
        offsets: dict[str, int] = {}  # where the file's items of a list start in the merged list
        for key, value in data.items():
            if key not in INCLUDABLE:
                self._refuse_key(document, key)
            elif value is None:
                continue
            elif key in LISTS:
                self._append(index, document, key, value, offsets)
            else:
                self._add_entries(index, document, key, value)
        self._copy_positions(index, document, offsets)
        return offsets

    def _refuse_key(self, document: YamlDocument, key: str) -> None:
        where = document.locate((key,), key=True)
        if key == INCLUDE:
            message = "an included file cannot include further files"
            hint = "list every file in briefs.yaml's include"
        elif key == "project":
            message, hint = "project settings belong in briefs.yaml, not in an included file", None
        else:
            message = f"unknown key {key!r} in an included file"
            hint = did_you_mean(key, INCLUDABLE) or f"an included file holds {', '.join(INCLUDABLE)}"
        self.problems.append(Diagnostic(where, message, hint))

    def _append(self, index: int, document: YamlDocument, key: str, value: Any, offsets: dict[str, int]) -> None:
        if not isinstance(value, list):
            where = document.locate((key,))
            self.problems.append(Diagnostic(where, f"{key} must be a list, not a {kind_of(value)}"))
            return
        existing = self.data.get(key)
        if existing is not None and not isinstance(existing, list):
            return  # briefs.yaml's own value is of the wrong type: validation reports it there
        offsets[key] = offset = len(existing or [])
        self._top_level(index, document, key)
        self.data[key] = [*(existing or []), *value]
        for i in range(len(value)):
            self.origins[(key, offset + i)] = index

    def _add_entries(self, index: int, document: YamlDocument, key: str, value: Any) -> None:
        if not isinstance(value, dict):
            where = document.locate((key,))
            self.problems.append(Diagnostic(where, f"{key} must be a mapping of id → entry, not a {kind_of(value)}"))
            return
        existing = self.data.get(key)
        if existing is not None and not isinstance(existing, dict):
            return
        self._top_level(index, document, key)
        entries = dict(existing or {})
        for item_id, entry in value.items():
            first = self.defined.get((key, item_id))
            if first is not None:
                self._twice(key, item_id, first[1], document)
                continue
            self.defined[(key, item_id)] = (index, document)
            entries[item_id] = entry
            self.origins[(key, item_id)] = index
        self.data[key] = entries

    def _top_level(self, index: int, document: YamlDocument, key: str) -> None:
        """A top-level key briefs.yaml does not have is located in the first file that has it."""
        if (key,) not in self.tables["key_positions"]:
            self.origins[(key,)] = index
            for name in ("value_positions", "key_positions"):
                position = getattr(document, name).get((key,))
                if position is not None:
                    self.tables[name][(key,)] = position

    def _copy_positions(self, index: int, document: YamlDocument, offsets: dict[str, int]) -> None:
        """Copy the positions of the items the file added into the merged tables (in one pass over
        each table: a file of 10,000 facts has some 100,000 positions)."""
        for name, table in self.tables.items():
            for path, value in getattr(document, name).items():
                if len(path) < 2:
                    continue
                key = path[0]
                if key in offsets:
                    table[(key, offsets[key] + int(path[1]), *path[2:])] = value
                elif key in MAPPINGS and self.origins.get((key, path[1])) == index:
                    table[path] = value  # not an id the file defined twice: that one keeps the first's place

    def _twice(self, key: str, item_id: str, first: YamlDocument, second: YamlDocument) -> None:
        """An id defined in two files: an error at each, naming the other."""
        noun = _NOUNS[key]
        here, there = second.locate((key, item_id), key=True), first.locate((key, item_id), key=True)
        hint = "ids are shared by the whole project: rename one, or keep the entry in one file"
        self.problems.append(Diagnostic(here, f"duplicate {noun} id {item_id!r}: also defined at {there}", hint))
        self.problems.append(Diagnostic(there, f"duplicate {noun} id {item_id!r}: also defined at {here}", hint))


def _mapping(value: Any) -> dict[Any, Any]:
    return value if isinstance(value, dict) else {}
