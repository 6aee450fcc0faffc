"""Stage 5, write: every output through one function, atomically, and only when its bytes changed.

A reader (or a crash, or `kill -9`) sees either the old file or the new one, never half of one:
each file is written to a temporary file in the same directory, flushed to disk, then renamed over
the old one. Identical content is not rewritten, so timestamps only move when a brief changes.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from .errors import OutputError


@dataclass(frozen=True)
class WriteReport:
    written: tuple[Path, ...]
    unchanged: tuple[Path, ...]


def write_outputs(outputs: Mapping[Path, bytes]) -> WriteReport:
    """Write each path's bytes; paths whose current content is identical are left untouched."""
    written: list[Path] = []
    unchanged: list[Path] = []
    for path, data in outputs.items():
        if _same_content(path, data):
            unchanged.append(path)
            continue
        atomic_write(path, data)
        written.append(path)
    return WriteReport(tuple(written), tuple(unchanged))


def atomic_write(path: Path, data: bytes) -> None:
    """Replace `path` with `data` in one rename; on any failure the old file is left as it was."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, temp_name = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    except OSError as exc:
        raise OutputError(f"cannot write {path}: {exc.strerror}") from None
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(temp_name, 0o666 & ~_umask())
        os.replace(temp_name, path)
    except OSError as exc:
        Path(temp_name).unlink(missing_ok=True)
        raise OutputError(f"cannot write {path}: {exc.strerror}", "earlier outputs were left as they were") from None
    except BaseException:
        Path(temp_name).unlink(missing_ok=True)
        raise


def _same_content(path: Path, data: bytes) -> bool:
    try:
        return path.stat().st_size == len(data) and path.read_bytes() == data
    except OSError:
        return False


def _umask() -> int:
    """The process umask (mkstemp creates files 0600; outputs should get the usual permissions)."""
    mask = os.umask(0)
    os.umask(mask)
    return mask
