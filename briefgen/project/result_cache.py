"""`.briefgen-cache/` beside briefs.yaml: results worth keeping between runs, keyed by content hashes.

What is kept there is only ever a shortcut: every entry is keyed by a hash of everything its
result depends on (see claims_memo.py), so a stale entry is never used, only left unused. A file
that is missing, not a regular file, too large, unreadable or written by other code is ignored;
failing to write one is silent (a read-only project is checked as before, only not faster). Set
BRIEFGEN_CACHE=0 to neither read nor write it.
"""

from __future__ import annotations

import json
import logging
import os
import stat
import tempfile
from pathlib import Path
from typing import Any

log = logging.getLogger(__name__)

CACHE_DIR = ".briefgen-cache"
MAX_BYTES = 64_000_000  # far above any real entry (10,000 facts' claim findings take ~1 MB)


def enabled() -> bool:
    return os.environ.get("BRIEFGEN_CACHE", "1").strip() != "0"


def read(root: Path, name: str, format_: str) -> Any:
    """The data stored under `name` by the same `format_`, or None."""
    raw = _regular_bytes(root / CACHE_DIR / name) if enabled() else None
    if raw is None:
        return None
    try:
        document = json.loads(raw)
    except (ValueError, RecursionError):  # RecursionError: json recurses on deeply nested brackets
        log.info("ignoring unreadable %s", root / CACHE_DIR / name)
        return None
    if not isinstance(document, dict) or document.get("format") != format_:
        return None
    return document.get("data")


def _regular_bytes(path: Path) -> bytes | None:
    """The file's bytes if it is a regular file (not a link, FIFO or device) of at most MAX_BYTES."""
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0))
    except OSError:
        return None
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode) or info.st_size > MAX_BYTES:
            return None
        with os.fdopen(fd, "rb", closefd=False) as file:
            return file.read(MAX_BYTES + 1)
    except OSError:
        return None
    finally:
        os.close(fd)


def write(root: Path, name: str, format_: str, data: Any) -> None:
    """Store `data` under `name`, atomically; any failure leaves the cache as it was, silently."""
    if not enabled():
        return
    directory = root / CACHE_DIR
    try:
        if directory.is_symlink():
            return  # never write through a link planted in the project
        directory.mkdir(exist_ok=True)
        text = json.dumps({"format": format_, "data": data}, ensure_ascii=False, separators=(",", ":"))
        fd, temporary = tempfile.mkstemp(prefix=f".{name}.", suffix=".tmp", dir=directory)
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as file:
                file.write(text)
            os.replace(temporary, directory / name)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise
    except OSError as exc:
        log.info("not caching %s: %s", name, exc)
