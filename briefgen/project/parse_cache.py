"""A large YAML file's parse, kept in `.briefgen-cache/` beside it with the text it was read from.

Parsing a 3 MB briefs.yaml with the position of every value takes ~0.35 s (yamldoc.py, on this
project's 2-core machine); reading the result back takes ~0.05 s. The entry is kept under the
file's name for the limits it was parsed under and the parser's own code; it is used as it is for
the very same text, and after an edit inside one list item (a fact) with only that item read again
(yamlsplice.py: ~0.07 s). Only parses that succeeded are kept (every error is found afresh; the
entry from before the error stays). A small file's parse, as fast as reading the cache, is kept
in the process only (its last parse, for the next reading of the same file: a watch's next save).
The entry is in `marshal` form (writing and reading 3 MB of YAML's values takes some
50 ms): safe to read only because result_cache.py reads nothing that does not carry this user's
signature, so briefgen itself wrote it.
"""

from __future__ import annotations

import hashlib
import marshal
from collections.abc import Callable
from dataclasses import astuple
from functools import cache
from pathlib import Path

import yaml

from briefgen.limits import Limits
from briefgen.project import result_cache
from briefgen.project.yamldoc import YamlDocument, parse_yaml
from briefgen.project.yamlhalves import LaterReader, read_in_halves
from briefgen.project.yamlsplice import reread

MIN_CACHED_CHARS = 200_000  # below this, parsing costs about what reading the cache does
_FORMAT = "briefgen-yaml/2"  # /2: the entry holds the text it was read from


@cache
def _parser_digest() -> str:
    code = result_cache.code_digest()  # the parser's code, and all it uses
    return hashlib.sha256(f"{code}\0{yaml.__version__}\0{_FORMAT}".encode()).hexdigest()


def parse_yaml_cached(text: str, path: Path, limits: Limits, later: LaterReader | None = None) -> YamlDocument:
    """parse_yaml(text, path, limits), through the cache for a large file (for a small one, the
    process's last parse of it, alike: _parsed_again): the very same text's
    document as it was kept, or, after an edit inside one list item, the kept document with that
    item read again (yamlsplice.py). `later`: what reads the later half of the text meanwhile, if
    the text is read (yamlhalves.read_in_halves)."""

    def parsed() -> YamlDocument:
        return read_in_halves(text, path, limits, later) if later is not None else parse_yaml(text, path, limits)

    if len(text) < MIN_CACHED_CHARS and later is None:  # (a helper reading a half reads a large file)
        return _parsed_again(text, path, limits, parsed)
    if not result_cache.enabled():
        return parsed()
    name = f"{path.name}.parse"
    format_ = f"{_FORMAT} {_parser_digest()} {astuple(limits)}"
    body = result_cache.read_signed(path.parent, name, format_)
    kept = _document(body, path) if body is not None else None
    if kept is not None and kept.source == text:
        return kept
    document = (reread(kept, text, limits) if kept is not None else None) or parsed()
    result_cache.write_signed_apart(path.parent, name, format_, lambda: _stored(document), len(text) * 4)
    return document


# The last parse of each small file in this process: a watch reads briefs.yaml again at every save,
# and after an edit inside one fact only that fact is read again (yamlsplice.reread; for the shipped
# 71 KB briefs.yaml 1.2 ms instead of 4.5 ms). Kept as it is, not copied: a document is never
# changed once read (the new one shares the items the edit left alone; tests/test_parse_kept.py
# holds a check and a render to leaving it as read). For the files read last only (a project and
# what it includes), so that a process reading many projects keeps no more than a few.
_kept_here: dict[tuple[Path, tuple[int, ...]], YamlDocument] = {}
KEPT_FILES = 16


def _parsed_again(text: str, path: Path, limits: Limits, parsed: Callable[[], YamlDocument]) -> YamlDocument:
    """parse_yaml(text, path, limits) for a small file, from this process's last parse of it: as it
    was for the very same text, else read again only where an edit inside one list item lies."""
    key = (path, astuple(limits))
    kept = _kept_here.pop(key, None)
    if kept is not None and kept.source == text:
        document = kept
    else:
        document = (reread(kept, text, limits) if kept is not None else None) or parsed()
    _kept_here[key] = document  # (last: the one read longest ago goes first)
    while len(_kept_here) > KEPT_FILES:
        del _kept_here[next(iter(_kept_here))]
    return document


def _stored(document: YamlDocument) -> bytes:
    parts = (document.source, document.data, document.value_positions, document.key_positions)
    return marshal.dumps((*parts, document.typed_text, document.scalar_styles))


def _document(body: bytes, path: Path) -> YamlDocument | None:
    """The document a (signed, so self-written) entry holds; None if it is not shaped as written."""
    try:
        text, data, values, keys, typed, styles = marshal.loads(body)
    except (EOFError, ValueError, TypeError):
        return None
    return YamlDocument(path, data, values, keys, typed, styles, text)
