"""Incremental builds: each output is keyed by a hash of everything it is made from.

An output's key covers the assembled brief (its facts, their sources, the entities and settings it
shows — everything a template can reach), for a PDF also its evidence attachments (the cited
articles' text) and layout options, plus every file on the template search path (templates, CSS,
fonts) and the versions of briefgen and the libraries that shape the bytes. The cache records, per
output file, that key and the hash of the bytes written; an output whose key is unchanged and whose
file is still those bytes is not rendered again.

What is never skipped: validation (every run checks everything, so a broken briefs.yaml still fails;
what it remembers between runs is keyed by content, see project/result_cache.py), warnings, and the
outputs themselves — the cache holds hashes only, and a file edited or deleted by
hand is rendered again. The cache lives beside the outputs (`out/.briefgen-cache.json`); a
corrupt, unreadable or foreign one is ignored, never fatal. Whatever sits in `out/` is read only as a
regular file, never through a symlink and never past its expected size (write.read_regular), so a
FIFO or a link to /dev/zero there is just "not up to date".
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import enum
import hashlib
import json
import logging
import time
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import cache
from importlib import metadata
from pathlib import Path, PurePosixPath
from typing import Any

from pydantic import BaseModel

from briefgen.build.write import read_regular, regular_digest, write_outputs
from briefgen.errors import OutputError
from briefgen.version import __version__

log = logging.getLogger(__name__)

CACHE_NAME = ".briefgen-cache.json"
CACHE_FORMAT = "briefgen-build-cache/2"  # /2: entries record the output's size
# Far above any real cache (an entry is about 200 bytes: 10,000 briefs in five formats take 10 MB);
# anything larger at the cache's path was not written by briefgen and is not read.
CACHE_MAX_BYTES = 64_000_000


Memo = dict[int, tuple[Any, str]]  # id(model) → (model, its digest), for one planning pass
_SCALARS = (str, int, float, bool, type(None))


def canonical(value: Any, memo: Memo | None = None) -> Any:  # noqa: PLR0911 - one return per kind of value
    """A JSON-ready, order-stable form of pipeline data: dataclasses, pydantic models, enums, dates.

    A pydantic model stands for itself by the digest of its JSON; `memo` remembers those digests
    (briefs share facts, sources and entities).
    """
    if isinstance(value, _SCALARS):
        return value
    if isinstance(value, (tuple, list)):
        return [canonical(v, memo) for v in value]
    if isinstance(value, Mapping):
        return {str(k): canonical(v, memo) for k, v in value.items()}
    if isinstance(value, enum.Enum):
        return value.value
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        fields = {f.name: canonical(getattr(value, f.name), memo) for f in dataclasses.fields(value)}
        return {"@": type(value).__name__, **fields}
    if isinstance(value, BaseModel):
        return _model_digest(value, memo if memo is not None else {})
    if isinstance(value, bytes):
        return hashlib.sha256(value).hexdigest()
    if isinstance(value, (Path, dt.date, dt.datetime)):
        return str(value)
    raise TypeError(f"cannot fingerprint a {type(value).__name__}")


def _model_digest(model: BaseModel, memo: Memo) -> str:
    seen = memo.get(id(model))
    if seen is None or seen[0] is not model:
        seen = memo[id(model)] = (model, digest(type(model).__name__, model.model_dump(mode="json")))
    return seen[1]


def digest(*parts: Any, memo: Memo | None = None) -> str:
    """The SHA-256 of the parts' canonical JSON."""
    text = json.dumps(canonical(parts, memo), sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def tree_digest(dirs: Iterable[Path]) -> str:
    """A hash of every file under `dirs` (names and contents), in search order."""
    hasher = hashlib.sha256()
    for index, base in enumerate(dirs):
        for path in sorted(p for p in base.rglob("*") if p.is_file()):
            hasher.update(f"{index}:{path.relative_to(base).as_posix()}\0".encode())
            hasher.update(_file_digest(path))
    return hasher.hexdigest()


# Each file's SHA-256 by its path and what stat says of it (size, inode, change and modification
# times). A watch plans every save, and the templates' fonts are most of what it would otherwise
# read and hash again (~10 ms a save). The kernel stamps times from a clock that ticks every few
# ms, so two writes of the same size in one tick look alike: as git does for its index, a file
# changed in the last RECENT_NS is hashed afresh every time, never remembered.
_file_digests: dict[Path, tuple[tuple[int, ...], bytes]] = {}
RECENT_NS = 2_000_000_000


def _file_digest(path: Path) -> bytes:
    stat = path.stat()
    signature = (stat.st_size, stat.st_ino, stat.st_dev, stat.st_mtime_ns, stat.st_ctime_ns)
    known = _file_digests.get(path)
    if known is not None and known[0] == signature:
        return known[1]
    sha = hashlib.sha256(path.read_bytes()).digest()
    if time.time_ns() - max(stat.st_mtime_ns, stat.st_ctime_ns) > RECENT_NS:
        _file_digests[path] = (signature, sha)
    return sha


@cache
def library_versions(*distributions: str) -> tuple[tuple[str, str], ...]:
    """briefgen's version and the installed versions of the libraries that shape an output's bytes."""
    found = [("briefgen", __version__)]
    for name in distributions:
        try:
            found.append((name, metadata.version(name)))
        except metadata.PackageNotFoundError:
            found.append((name, "absent"))
    return tuple(found)


@dataclass
class BuildCache:
    """Per output file (relative to the output directory): the key it was rendered from and its bytes' hash."""

    out_dir: Path
    entries: dict[str, dict[str, Any]] = field(default_factory=dict)

    @property
    def path(self) -> Path:
        return self.out_dir / CACHE_NAME

    @classmethod
    def load(cls, out_dir: Path) -> BuildCache:
        """The cache beside the outputs; an absent, corrupt or foreign file gives an empty cache."""
        path = out_dir / CACHE_NAME
        if not path.exists() and not path.is_symlink():
            return cls(out_dir)
        data = read_regular(path, CACHE_MAX_BYTES)
        if data is None:  # a FIFO, a symlink (to /dev/zero?), a huge file: not briefgen's cache
            log.info("ignoring build cache %s: not a regular file of at most %s bytes", path, CACHE_MAX_BYTES)
            return cls(out_dir)
        try:
            document = json.loads(data)
        except (ValueError, RecursionError) as exc:  # json recurses: 100,000 nested brackets
            log.info("ignoring unreadable build cache %s (%s); rendering everything", path, type(exc).__name__)
            return cls(out_dir)
        entries = document.get("outputs") if isinstance(document, dict) else None
        if not isinstance(entries, dict) or document.get("format") != CACHE_FORMAT:
            log.info("ignoring build cache %s: not written by this briefgen; rendering everything", path)
            return cls(out_dir)
        return cls(out_dir, {name: entry for name, entry in entries.items() if _valid_entry(name, entry)})

    def is_fresh(self, path: Path, key: str) -> bool:
        """True when `path` was rendered from `key` and still holds the bytes written then."""
        entry = self.entries.get(self._name(path))
        if entry is None or entry["key"] != key:
            return False
        # A FIFO, a symlink (to /dev/zero?) or a file of another size is not what was written: not fresh.
        return bool(regular_digest(path, entry["bytes"]) == entry["sha256"])

    def record(self, path: Path, key: str, data: bytes) -> None:
        self.entries[self._name(path)] = {"key": key, "sha256": hashlib.sha256(data).hexdigest(), "bytes": len(data)}

    def save(self) -> None:
        """Write the cache (atomically, only if changed); failing to is a warning, not an error."""
        kept = {name: entry for name, entry in sorted(self.entries.items()) if (self.out_dir / name).is_file()}
        document = {"format": CACHE_FORMAT, "outputs": kept}
        data = (json.dumps(document, indent=1, sort_keys=True) + "\n").encode("utf-8")
        try:
            write_outputs({self.path: data})
        except OutputError as exc:
            log.warning("%s; the next run will render everything again", exc.message)

    def _name(self, path: Path) -> str:
        return path.relative_to(self.out_dir).as_posix()


def _valid_entry(name: object, entry: object) -> bool:
    """Entries name files inside the output directory and carry two hex digests."""
    if not isinstance(name, str) or not isinstance(entry, dict):
        return False
    relative = PurePosixPath(name)
    return (
        not relative.is_absolute()
        and ".." not in relative.parts
        and all(isinstance(entry.get(k), str) for k in ("key", "sha256"))
        and type(entry.get("bytes")) is int
        and entry["bytes"] >= 0
    )
