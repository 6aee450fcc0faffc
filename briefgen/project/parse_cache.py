"""A large YAML file's parse, kept in `.briefgen-cache/` beside it, keyed by the file's exact text.

Parsing a 3 MB briefs.yaml with the position of every value takes about a second (yamldoc.py);
reading the result back takes a fraction of that. The key is a hash of the text, the limits it
was parsed under and the parser's own code, so an entry is used only for the very same input, and
only parses that succeeded are kept (every error is found afresh). Small files are parsed each
time: for them the parse is as fast as the cache.
"""

from __future__ import annotations

import hashlib
from dataclasses import astuple
from functools import cache
from pathlib import Path
from typing import Any

import yaml

from briefgen.limits import Limits
from briefgen.project import result_cache
from briefgen.project.yamldoc import PathKey, YamlDocument, parse_yaml
from briefgen.version import __version__

MIN_CACHED_CHARS = 200_000  # below this, parsing costs about what reading the cache does
_FORMAT = "briefgen-yaml/1"


@cache
def _parser_digest() -> str:
    hasher = hashlib.sha256(f"{__version__}\0{yaml.__version__}\0{_FORMAT}\0".encode())
    for module in ("yamldoc.py", "yaml_hints.py", "parse_cache.py"):
        hasher.update((Path(__file__).parent / module).read_bytes())
    return hasher.hexdigest()


def parse_yaml_cached(text: str, path: Path, limits: Limits) -> YamlDocument:
    """parse_yaml(text, path, limits), through the cache for a large file."""
    if len(text) < MIN_CACHED_CHARS or not result_cache.enabled():
        return parse_yaml(text, path, limits)
    key = hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()
    name = f"{path.name}.parse.json"
    format_ = f"{_FORMAT} {_parser_digest()} {astuple(limits)} {key}"
    stored = result_cache.read(path.parent, name, format_)
    document = _document(stored, path, text) if stored is not None else None
    if document is None:
        document = parse_yaml(text, path, limits)
        result_cache.write(path.parent, name, format_, _stored(document))
    return document


def _stored(document: YamlDocument) -> dict[str, Any]:
    def rows(positions: dict[PathKey, Any]) -> list[Any]:
        return [
            [list(where), *value] if isinstance(value, tuple) else [list(where), value]
            for where, value in positions.items()
        ]

    return {
        "data": document.data,
        "values": rows(document.value_positions),
        "keys": rows(document.key_positions),
        "typed": rows(document.typed_text),
        "styles": rows(document.scalar_styles),
    }


def _document(stored: Any, path: Path, text: str) -> YamlDocument | None:
    """The document a (signed, so self-written) entry holds; None if it is not shaped as written."""
    try:
        return YamlDocument(
            path,
            stored["data"],
            {tuple(where): (line, column) for where, line, column in stored["values"]},
            {tuple(where): (line, column) for where, line, column in stored["keys"]},
            {tuple(where): written for where, written in stored["typed"]},
            {tuple(where): style for where, style in stored["styles"]},
            text,
        )
    except (KeyError, TypeError, ValueError):
        return None
