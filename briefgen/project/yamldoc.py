"""Safe YAML reading that remembers where every value came from.

PyYAML's safe loader keeps the last of two equal keys and forgets line numbers once it has built
Python objects. We build the values ourselves instead, so that duplicate keys are errors and
every value (and every mapping key) keeps its 1-based line and column for diagnostics: straight from
libyaml's events for the common case (_EventReader), and for anything else (aliases, merge keys,
tags, duplicates, syntax errors) from a node graph composed under the same limits (_compose, _Builder).
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from briefgen.errors import Diagnostic, Location
from briefgen.limits import Limits, raise_hint
from briefgen.project.yaml_hints import with_syntax_hint
from briefgen.project.yamllines import read_lines
from briefgen.project.yamlplain import ANY_FIRST, SCALAR_TYPES, STR, TYPED_FIRST, NotPlain, PlainScalars
from briefgen.project.yamlplain import PathKey as _PathKey

PathKey = _PathKey  # where the project's modules take it from

_SEQ = "tag:yaml.org,2002:seq"
_MAP = "tag:yaml.org,2002:map"
_PLAIN_DATA = "briefs.yaml holds plain text, numbers, lists and mappings"
_MERGE = "tag:yaml.org,2002:merge"


@dataclass(frozen=True)
class IncludedFile:
    """A file merged into the document by `include:` (include.py): where it is and its text."""

    path: Path
    source: str = field(repr=False)
    offsets: dict[str, int] = field(default_factory=dict, repr=False)  # where its list items start (`facts`)


MAIN_FILE = -1  # the origin of what the document's own file holds (see YamlDocument.origins)


@dataclass(frozen=True)
class YamlDocument:
    """Plain Python data plus the position of every value and key in the source file."""

    path: Path
    data: Any
    value_positions: dict[PathKey, tuple[int, int]] = field(repr=False)
    key_positions: dict[PathKey, tuple[int, int]] = field(repr=False)
    # The text of the unquoted scalars YAML typed as something other than text (`No` → false,
    # `2025` → 2025, `~` → null), for hints when a value was meant as text.
    typed_text: dict[PathKey, str] = field(default_factory=dict, repr=False)
    # The quoting or block style (`'`, `"`, `|`, `>`) of the text scalars not written plain, and the
    # file's text: where a word inside a value stands is worked out from them (yamlspan.py).
    scalar_styles: dict[PathKey, str] = field(default_factory=dict, repr=False)
    source: str = field(default="", repr=False)
    # A document merged from several files (`include:`): the files merged into it, and which file
    # each item came from, by the item's path (('facts', 12) → 0: the first included file). A path
    # belongs to the file of its longest prefix listed here; anything unlisted is the document's own.
    included: tuple[IncludedFile, ...] = field(default=(), repr=False)
    origins: dict[PathKey, int] = field(default_factory=dict, repr=False)

    def origin(self, path: PathKey) -> int:
        """Which file `path` is written in: an index into `included`, or MAIN_FILE."""
        return origin_in(self.origins, path)

    def file_of(self, path: PathKey) -> tuple[Path, str]:
        """The path and text of the file that `path` is written in."""
        index = self.origin(path)
        if index == MAIN_FILE:
            return self.path, self.source
        return self.included[index].path, self.included[index].source

    def written_path(self, path: PathKey) -> PathKey:
        """`path` as its own file numbers it: the 3rd fact of an included file is `facts[2]` there,
        whatever its place among the project's facts."""
        index = self.origin(path)
        if index == MAIN_FILE or len(path) < 2 or not isinstance(path[1], int):
            return path
        return (path[0], path[1] - self.included[index].offsets.get(str(path[0]), 0), *path[2:])

    def written_as(self, path: PathKey) -> str | None:
        """How an unquoted scalar that YAML read as true/false, a number or null was written."""
        return self.typed_text.get(path)

    def locate(self, path: PathKey, *, key: bool = False) -> Location:
        """Where `path` sits; a missing path falls back to its nearest present ancestor."""
        positions = self.key_positions if key else self.value_positions
        probe = path
        while probe not in positions and probe:
            probe = probe[:-1]
            positions = self.value_positions
        line, column = positions.get(probe, (1, 1))  # an empty document: its first line
        return Location(self.file_of(probe)[0], line, column, path)


def origin_in(origins: dict[PathKey, int], path: PathKey) -> int:
    """The origin of `path`'s longest prefix in `origins` (see YamlDocument.origins)."""
    if origins:
        for end in range(len(path), 0, -1):
            found = origins.get(path[:end])
            if found is not None:
                return found
    return MAIN_FILE


class YamlProblem(Exception):
    """The text is not YAML we accept; carries located diagnostics."""

    def __init__(self, diagnostics: list[Diagnostic]) -> None:
        super().__init__(diagnostics[0].message if diagnostics else "invalid YAML")
        self.diagnostics = diagnostics


def format_path(path: PathKey) -> str:
    """`('facts', 3, 'cite', 0, 'quote')` → `facts[3].cite[0].quote`."""
    text = ""
    for part in path:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text or "(document)"


def parse_yaml(text: str, path: Path, limits: Limits | None = None) -> YamlDocument:
    """Parse one YAML document; raise YamlProblem with every duplicate key, or the syntax error."""
    limits = limits or Limits()
    if len(text.encode("utf-8", "surrogatepass")) > limits.yaml_bytes:
        raise YamlProblem([_too_large(path, limits)])
    read = read_plain(text, path, limits)  # the common case, fast; None for anything else
    if read is not None:
        return read
    try:
        root, alias_positions = _compose(text, path, limits)
    except yaml.MarkedYAMLError as exc:
        raise YamlProblem([with_syntax_hint(_syntax_diagnostic(exc, path), exc, text)]) from None
    except yaml.reader.ReaderError as exc:  # a character YAML does not allow, e.g. a control character
        raise YamlProblem([_reader_diagnostic(exc, text, path)]) from None
    builder = _Builder(path, limits, alias_positions)
    data = builder.build(root, (), 0) if root is not None else None
    if builder.problems:
        raise YamlProblem(builder.problems)
    positions, keys = builder.value_positions, builder.key_positions
    return YamlDocument(path, data, positions, keys, builder.typed_text, builder.scalar_styles, text)


def read_plain(
    text: str, path: Path, limits: Limits, *, numbered_after: Mapping[PathKey, int] | None = None
) -> YamlDocument | None:
    """`text` read plainly: line by line where it has briefs.yaml's common shape (yamllines.py), else
    from libyaml's events alone (_EventReader); None for anything only the full reading handles
    (aliases, tags, duplicates, syntax errors…); YamlProblem past a limit.

    `numbered_after`: lists at these paths begin with that many placeholders (None), so that the
    items read there are numbered, in the data and in the positions' paths, after them (a part of
    a list read apart: yamlhalves.py)."""
    lines = read_lines(text, limits, numbered_after)
    if lines is not None:
        return YamlDocument(path, *lines, text)
    if _LibyamlBoundedLoader is None:
        return None
    return _EventReader(path, limits, numbered_after).read(text)


def _compose(text: str, path: Path, limits: Limits) -> tuple[Node | None, dict[tuple[int, int], tuple[int, int]]]:
    """The document's node graph, and where each alias stood (see _BoundedLoader).

    libyaml parses the text when PyYAML has it (~20× faster than PyYAML's own parser on a large
    briefs.yaml); the nodes are composed, and bounded, by the same Python code either way. When
    libyaml rejects the text, PyYAML's parser reads it again: it accepts the same YAML, and its
    messages are the ones the diagnostics are written for.
    """
    if _LibyamlBoundedLoader is not None:
        try:
            if _without_aliases_within_limits(text, path, limits):
                return yaml.compose(text, Loader=yaml.CSafeLoader), {}  # all in C: nothing to bound or remember
            return _composed(_LibyamlBoundedLoader(text, path, limits))
        except yaml.YAMLError:
            pass
    return _composed(_BoundedLoader(text, path, limits))  # reads the whole text, so may raise ReaderError


_NODE_EVENTS = (yaml.ScalarEvent, yaml.SequenceStartEvent, yaml.MappingStartEvent, yaml.AliasEvent)
_END_EVENTS = (yaml.SequenceEndEvent, yaml.MappingEndEvent)


def _without_aliases_within_limits(text: str, path: Path, limits: Limits) -> bool:
    """Walk libyaml's events, counting values and depth exactly as _BoundedLoader does (and raising
    the same YamlProblem); False at the first alias, whose position only _BoundedLoader records.

    Without aliases, libyaml may then compose the nodes itself (~3× faster than Python): the walk
    has shown it will meet no nesting deep enough to exhaust its stack (100,000 nested brackets crash
    the interpreter with a segmentation fault), and no more values than allowed.
    """
    depth = values = 0
    for event in yaml.parse(text, Loader=yaml.CSafeLoader):
        if isinstance(event, _NODE_EVENTS):
            if isinstance(event, yaml.AliasEvent):
                return False
            values += 1
            if values > limits.yaml_values:
                raise YamlProblem([_too_many_values(_event_location(path, event), limits)])
            if depth >= limits.yaml_depth:
                raise YamlProblem([_too_deep(_event_location(path, event), limits)])
            if not isinstance(event, yaml.ScalarEvent):
                depth += 1
        elif isinstance(event, _END_EVENTS):
            depth -= 1
    return True


class _EventReader:
    """Plain data and positions straight from libyaml's events: what parse_yaml gives for the common
    case, without composing a node graph (0.34 s instead of 0.68 s for the synthetic project's 3 MB
    briefs.yaml).

    It reads only documents without aliases, explicit tags, duplicate keys, merge keys or keys that
    are neither text nor whole numbers, and with numbers Python can hold: at the first of these,
    read() returns None and parse_yaml reads the text in full (_compose, _Builder), which gives
    their data or diagnostics. Values and depth are counted, and their limits reported, exactly as
    _without_aliases_within_limits counts them. tests/test_yamldoc.py holds both readings to the
    same result.
    """

    def __init__(self, path: Path, limits: Limits, numbered_after: Mapping[PathKey, int] | None = None) -> None:
        self.path = path
        self.limits = limits
        self.numbered_after = numbered_after or {}  # see read_plain
        self.value_positions: dict[PathKey, tuple[int, int]] = {}
        self.key_positions: dict[PathKey, tuple[int, int]] = {}
        self.scalar_styles: dict[PathKey, str] = {}
        self.plain = PlainScalars()

    def read(self, text: str) -> YamlDocument | None:
        parser = yaml.CSafeLoader(text)
        try:
            data = self._data(parser.get_event)
        except (NotPlain, yaml.YAMLError):
            return None
        finally:
            parser.dispose()
        return YamlDocument(
            self.path, data, self.value_positions, self.key_positions, self.plain.typed_text, self.scalar_styles, text
        )

    def _data(self, next_event: Callable[[], Any]) -> Any:  # noqa: PLR0912, PLR0915 - one loop on purpose: see below
        # One loop with the common case inline, what it looks up bound to local names: it runs once
        # per event (260,000 for 10,000 facts), and each lookup saved there is ~10 ms. So the
        # innermost open collection is held in local names too: its container, its path, whether it
        # is a mapping, and (for a mapping) the path of the value that comes next, or None when a
        # key comes next; the collections around it are kept on `outer`, innermost last.
        outer: list[tuple[Any, PathKey, bool]] = []
        container: Any = None
        here: PathKey = ()
        in_mapping = False
        value_path: PathKey | None = None
        key = ""
        depth = documents = values = 0
        most_values, most_depth = self.limits.yaml_values, self.limits.yaml_depth
        value_positions, key_positions, styles = self.value_positions, self.key_positions, self.scalar_styles
        scalar, mapping_start, sequence_start = yaml.ScalarEvent, yaml.MappingStartEvent, yaml.SequenceStartEvent
        mapping_end, sequence_end = yaml.MappingEndEvent, yaml.SequenceEndEvent
        stream_end, typed_first, any_first, intern = yaml.StreamEndEvent, TYPED_FIRST, ANY_FIRST, sys.intern
        numbered_after = self.numbered_after
        plain = self.plain
        known_keys = plain.keys  # (looked up here: most keys are known)
        root: Any = None
        while True:
            event = next_event()
            kind = type(event)
            if kind is scalar or kind is mapping_start or kind is sequence_start:
                if event.tag is not None:
                    raise NotPlain
                values += 1  # counted and bounded as _without_aliases_within_limits does
                if values > most_values or depth >= most_depth:
                    raise YamlProblem([self._over_limit(event, values)])
                mark = event.start_mark
                position = (mark.line + 1, mark.column + 1)
                if in_mapping:
                    if value_path is None:  # a key
                        if kind is not scalar:
                            raise NotPlain  # a list or mapping as a key
                        # The same few keys, thousands of times: one object each (less memory, and
                        # marshal writes a reference to it again, so that the half is read back sooner).
                        key = intern(event.value)
                        if not event.style and key not in known_keys:
                            plain.check_key(key)
                        if key in container:
                            raise NotPlain  # a duplicate: the full reading reports every one
                        value_path = (*here, key)
                        key_positions[value_path] = position
                        continue
                    path = value_path
                    value_path = None  # (its value is this one)
                else:
                    path = (*here, len(container)) if container is not None else ()
                value_positions[path] = position
                if kind is scalar:
                    value = event.value
                    if event.style:  # quoted or a block scalar: text ("" is libyaml's plain style)
                        styles[path] = event.style
                    elif not value or value[0] in typed_first or any_first:
                        value = plain.value(value, path)
                elif kind is mapping_start:
                    value = {}
                else:
                    value = [None] * numbered_after[path] if numbered_after and path in numbered_after else []
                if in_mapping:
                    container[key] = value
                elif container is not None:
                    container.append(value)
                else:
                    root = value
                if kind is not scalar:
                    outer.append((container, here, in_mapping))
                    container, here, in_mapping = value, path, kind is mapping_start
                    depth += 1
            elif kind is mapping_end or kind is sequence_end:
                container, here, in_mapping = outer.pop()
                depth -= 1
            elif event is None or kind is stream_end:
                break
            elif kind is yaml.AliasEvent or (kind is yaml.DocumentStartEvent and documents):
                raise NotPlain  # compose refuses a second document: let it say so
            else:
                documents += kind is yaml.DocumentStartEvent
        if not documents:
            raise NotPlain  # no document at all: the full reading says what an empty one holds
        return root

    def _over_limit(self, event: Any, values: int) -> Diagnostic:
        where = _event_location(self.path, event)
        return (
            _too_many_values(where, self.limits) if values > self.limits.yaml_values else _too_deep(where, self.limits)
        )


def _event_location(path: Path, event: Any) -> Location:
    """Where a parser event starts (every event the composer sees has a start mark)."""
    return Location(path, event.start_mark.line + 1, event.start_mark.column + 1)


def _composed(loader: _BoundedLoader) -> tuple[Node | None, dict[tuple[int, int], tuple[int, int]]]:
    try:
        return loader.get_single_node(), loader.alias_positions
    finally:
        loader.dispose()


def _child_key(parent: Node, index: object) -> tuple[int, int]:
    """Identifies a child slot: a list item by its index, a mapping value by its key node."""
    return id(parent), index if isinstance(index, int) else id(index)


def _too_large(path: Path, limits: Limits) -> Diagnostic:
    return Diagnostic(
        Location(path, 1, 1), f"file is larger than the {limits.yaml_bytes:,}-byte limit", raise_hint("yaml_bytes")
    )


def _too_many_values(location: Location, limits: Limits, *, aliases: bool = False, merges: bool = False) -> Diagnostic:
    why = " once aliases are expanded (an alias bomb?)" if aliases else ""
    why = " once merge keys (<<) are expanded (a merge bomb?)" if merges else why
    return Diagnostic(location, f"document has more than {limits.yaml_values:,} values{why}", raise_hint("yaml_values"))


def _too_deep(location: Location, limits: Limits, *, aliases: bool = False, merges: bool = False) -> Diagnostic:
    why = " once aliases are expanded (an alias inside its own anchor?)" if aliases else ""
    what = "lists and mappings nested"
    if merges:
        what = "merge keys (<<) chained"
    return Diagnostic(location, f"{what} more than {limits.yaml_depth} levels deep{why}", raise_hint("yaml_depth"))


class _BoundedLoader(yaml.SafeLoader):
    """PyYAML's safe loader, stopped at the first node past the value or depth limit.

    PyYAML composes nodes recursively: without this, a few kilobytes of `[[[[…` exhaust Python's
    stack, and a large flat file is composed in full before anything counts it.
    """

    def __init__(self, text: str, path: Path, limits: Limits) -> None:
        super().__init__(text)
        self.path = path
        self.limits = limits
        self.depth = 0
        self.nodes = 0
        self.alias_positions: dict[tuple[int, int], tuple[int, int]] = {}

    def compose_node(self, parent: Node | None, index: int) -> Node | None:
        self.nodes += 1
        event = self.peek_event()  # type: ignore[no-untyped-call]
        if isinstance(event, yaml.AliasEvent) and parent is not None and index is not None:
            # PyYAML returns the anchored node itself and forgets where the alias stood; remember it
            # (by parent and list index or mapping key node), to locate what goes wrong in its expansion.
            where = self._where(event)
            self.alias_positions[_child_key(parent, index)] = (where.line, where.column)
        if self.nodes > self.limits.yaml_values:
            raise YamlProblem([_too_many_values(self._where(event), self.limits)])
        if self.depth >= self.limits.yaml_depth:
            raise YamlProblem([_too_deep(self._where(event), self.limits)])
        self.depth += 1
        try:
            node = super().compose_node(parent, index)
        finally:
            self.depth -= 1
        if node is not None and type(node.start_mark) is not _Position:
            # PyYAML's marks carry a dict each; a position is all we use. This halves the memory a
            # large document takes while it is composed.
            node.start_mark = _Position(node.start_mark.line, node.start_mark.column)
            node.end_mark = None
        return node

    def _where(self, event: yaml.Event) -> Location:
        """Where an event starts (built only for a diagnostic: a Location per node costs)."""
        return _event_location(self.path, event)


class _LibyamlEvents(_BoundedLoader):
    """_BoundedLoader with libyaml (C) reading, scanning and parsing the text into events."""

    def __init__(self, text: str, path: Path, limits: Limits) -> None:
        super().__init__(text, path, limits)  # the Python reader still checks every character first
        self._events = yaml.CSafeLoader(text)
        self.check_event = self._events.check_event  # type: ignore[method-assign]
        self.peek_event = self._events.peek_event  # type: ignore[method-assign]
        self.get_event = self._events.get_event  # type: ignore[method-assign]

    def dispose(self) -> None:
        self._events.dispose()
        super().dispose()


_LibyamlBoundedLoader = _LibyamlEvents if getattr(yaml, "__with_libyaml__", False) else None


class _Position:
    """The part of a PyYAML mark briefgen uses: 0-based line and column."""

    __slots__ = ("column", "line")

    def __init__(self, line: int, column: int) -> None:
        self.line = line
        self.column = column


def _reader_diagnostic(exc: yaml.reader.ReaderError, text: str, path: Path) -> Diagnostic:
    """Locate a character the YAML reader refuses (its position counts characters of the text)."""
    position = min(max(exc.position, 0), len(text))
    line = text.count("\n", 0, position) + 1
    column = position - (text.rfind("\n", 0, position) + 1) + 1
    character = exc.character if isinstance(exc.character, str) else chr(exc.character)
    return Diagnostic(
        Location(path, line, column),
        f"character U+{ord(character):04X} is not allowed in YAML",
        "remove it, or write it as an escape (\\uXXXX) inside a double-quoted string",
    )


def _syntax_diagnostic(exc: yaml.MarkedYAMLError, path: Path) -> Diagnostic:
    mark = exc.problem_mark or exc.context_mark
    line, column = (mark.line + 1, mark.column + 1) if mark else (1, 1)
    problem = exc.problem or "invalid YAML"
    hint = None
    if "'\\t'" in problem:
        problem = "a tab character here; YAML indents with spaces only"
        hint = "replace the tab with spaces"
    elif exc.context:
        problem = f"{problem} ({exc.context}"
        if exc.context_mark and exc.context_mark is not mark:
            problem += f" at line {exc.context_mark.line + 1}"
        problem += ")"
    return Diagnostic(Location(path, line, column), f"YAML syntax: {problem}", hint)


class _Builder:
    """Turns a composed node graph into dicts/lists/scalars, recording positions as it goes."""

    def __init__(self, path: Path, limits: Limits, alias_positions: dict[tuple[int, int], tuple[int, int]]) -> None:
        self.path = path
        self.limits = limits
        self.alias_positions = alias_positions
        self.expanding: list[tuple[int, int]] = []  # positions of the aliases being expanded, outermost first
        self.nodes_seen = 0
        self.problems: list[Diagnostic] = []
        self.value_positions: dict[PathKey, tuple[int, int]] = {}
        self.key_positions: dict[PathKey, tuple[int, int]] = {}
        self.typed_text: dict[PathKey, str] = {}
        self.scalar_styles: dict[PathKey, str] = {}
        self._constructor = yaml.SafeLoader("")  # only used to type plain scalars

    def _position(self, node: Node) -> tuple[int, int]:
        return node.start_mark.line + 1, node.start_mark.column + 1

    def _fail(self, node: Node, message: str, hint: str | None = None) -> None:
        line, column = self._position(node)
        self.problems.append(Diagnostic(Location(self.path, line, column), message, hint))

    def build(self, node: Node, path: PathKey, depth: int, alias: tuple[int, int] | None = None) -> Any:
        """The value of `node` at `path`; `alias` is where the alias stood if the node was reached through one."""
        if alias is None:
            return self._build(node, path, depth, self._position(node))
        self.expanding.append(alias)
        try:
            return self._build(node, path, depth, alias)
        finally:
            self.expanding.pop()

    def _build(self, node: Node, path: PathKey, depth: int, position: tuple[int, int]) -> Any:
        self.nodes_seen += 1
        if self.nodes_seen > self.limits.yaml_values:
            raise YamlProblem([_too_many_values(self._where(position), self.limits, aliases=True)])
        if depth > self.limits.yaml_depth:
            raise YamlProblem([_too_deep(self._where(position), self.limits, aliases=True)])
        self.value_positions[path] = position
        if isinstance(node, ScalarNode):
            value = self._scalar(node)
            if not node.style:  # plain: None in PyYAML, "" from libyaml
                if not isinstance(value, str):
                    self.typed_text[path] = node.value
            elif isinstance(value, str):
                self.scalar_styles[path] = node.style
            return value
        if isinstance(node, SequenceNode):
            self._check_collection_tag(node, _SEQ)
            return [
                self.build(item, (*path, i), depth + 1, self.alias_positions.get((id(node), i)))
                for i, item in enumerate(node.value)
            ]
        if isinstance(node, MappingNode):
            self._check_collection_tag(node, _MAP)
            return self._mapping(node, path, depth)
        self._fail(node, "unsupported YAML node")  # pragma: no cover - PyYAML has only three kinds
        return None

    def _where(self, position: tuple[int, int]) -> Location:
        """Only alias expansion can cross the limits here (the loader counted the text itself), so
        point at the outermost alias being expanded: that is the line that asked for too much."""
        return Location(self.path, *(self.expanding[0] if self.expanding else position))

    def _check_collection_tag(self, node: Node, expected: str) -> None:
        if node.tag != expected:  # e.g. !!python/object/apply on a list, !!set, !!omap
            self._fail(node, f"unsupported YAML tag {node.tag!r}", _PLAIN_DATA)

    def _scalar(self, node: ScalarNode) -> Any:
        if node.tag in (STR, "tag:yaml.org,2002:timestamp"):
            return node.value
        if node.tag in SCALAR_TYPES:
            if not self._written_as(node):  # an explicit tag on text it does not fit: `!!int ''`, `!!bool maybe`
                kind = node.tag.rsplit(":", 1)[-1]
                self._fail(node, f"{node.value[:20]!r} is not a valid !!{kind}", f"write a {kind}, or drop the tag")
                return node.value
            try:
                return self._constructor.construct_object(node)
            except ValueError:  # e.g. Python refuses to convert integers of more than 4,300 digits
                self._fail(node, f"cannot read {node.value[:20]!r}… as a number", "quote it to keep it as text")
                return node.value
        self._fail(node, f"unsupported YAML tag {node.tag!r}", _PLAIN_DATA)
        return node.value

    def _written_as(self, node: ScalarNode) -> bool:
        """Whether the scalar's text is written as its tag's type, as YAML would type it untagged.

        PyYAML's constructors trust the tag and fail with IndexError or KeyError on text that does
        not fit (`!!int ''`); a whole number is also a valid float (`!!float 1`)."""
        implicit = self._constructor.resolve(ScalarNode, node.value, (True, False))  # type: ignore[no-untyped-call]
        return bool(implicit == node.tag or (node.tag.endswith(":float") and implicit.endswith(":int")))

    def _mapping(self, node: MappingNode, path: PathKey, depth: int) -> dict[str, Any]:
        result: dict[str, Any] = {}
        first_seen: dict[str, int] = {}
        for key_node, value_node in self._merged_pairs(node):
            if not isinstance(key_node, ScalarNode) or key_node.tag not in (STR, "tag:yaml.org,2002:int"):
                self._fail(key_node, "mapping keys must be plain text")
                continue
            key = str(key_node.value)
            if key in first_seen:
                self._fail(
                    key_node,
                    f"duplicate key {key!r} in {format_path(path)}",
                    f"first given at line {first_seen[key]}; YAML would silently keep only the last",
                )
                continue
            first_seen[key] = key_node.start_mark.line + 1
            self.key_positions[(*path, key)] = self._position(key_node)
            alias = self.alias_positions.get((id(node), id(key_node)))
            result[key] = self.build(value_node, (*path, key), depth + 1, alias)
        return result

    def _merged_pairs(
        self, node: MappingNode, merging: tuple[int, ...] = (), origin: tuple[int, int] | None = None
    ) -> Iterator[tuple[Node, Node]]:
        """Yield the mapping's own pairs, then pairs from `<<:` merges that the mapping does not set.

        Merges can multiply work as aliases do (`<<: [*a, *a, …]` on each of a few lines), even where
        the merged keys are duplicates that are dropped: every pair passed on from a merged mapping
        counts as a value, so the work is bounded by the value limit. `merging` holds the mappings
        being merged into this one (to refuse one that merges itself); how many there are is a
        nesting depth, bounded like any other. `origin` is the outermost `<<`, reported for both.
        """
        merging = (*merging, id(node))
        own = [(k, v) for k, v in node.value if k.tag != _MERGE]
        own_keys = {k.value for k, _ in own if isinstance(k, ScalarNode)}
        yield from own
        for key_node, value_node in node.value:
            if key_node.tag != _MERGE:
                continue
            where = origin or self._position(key_node)
            if len(merging) > self.limits.yaml_depth:
                raise YamlProblem([_too_deep(self._where(where), self.limits, merges=True)])
            sources = value_node.value if isinstance(value_node, SequenceNode) else [value_node]
            for source in sources:
                if not isinstance(source, MappingNode):
                    self._fail(key_node, "a merge key (<<) takes a mapping or a list of mappings")
                    continue
                if id(source) in merging:
                    self._fail(key_node, "a mapping merges itself (<<: *anchor inside its own anchor)")
                    continue
                for k, v in self._merged_pairs(source, merging, where):
                    self.nodes_seen += 1
                    if self.nodes_seen > self.limits.yaml_values:
                        raise YamlProblem([_too_many_values(self._where(where), self.limits, merges=True)])
                    if isinstance(k, ScalarNode) and k.value not in own_keys:
                        own_keys.add(k.value)
                        yield k, v
