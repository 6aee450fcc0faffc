"""`.briefgen-cache/` beside briefs.yaml: results worth keeping between runs, keyed by content hashes.

What is kept there is only ever a shortcut: every entry is keyed by a hash of everything its
result depends on (see claims_memo.py, parse_cache.py), so a stale entry is never used, only left
unused. Each file is signed with a key of the user's own (`briefgen/result-cache.key` under
$XDG_CACHE_HOME or ~/.cache, made on first use, readable by the user only): a cache that came with
a copied or cloned project, or was edited, fails the signature and is ignored — it cannot make a
check pass that would fail. A file that is missing, not a regular file, too large, unreadable or
unsigned is ignored; failing to write one is silent (a read-only project is checked as before,
only not faster). Set BRIEFGEN_CACHE=0 to neither read nor write it. Only what runs inside
`writing()` stores anything — the library's check, render and lock (build/api.py), and so the
commands built on them — so that `add` (even `--dry-run`) and `suggest`, which load and validate a
project to change it or to propose changes, leave nothing else behind.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import os
import signal
import stat
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from functools import cache
from pathlib import Path
from typing import Any

from briefgen.cpus import MIN_FREE_CPU, SINCE_START
from briefgen.forked import ForkedHelper, helpers_running, may_fork
from briefgen.version import __version__

log = logging.getLogger(__name__)

CACHE_DIR = ".briefgen-cache"
MAX_BYTES = 64_000_000  # far above any real entry (10,000 facts' claim findings take ~1 MB)


KEY_BYTES = 32
_WRITING: ContextVar[bool] = ContextVar("briefgen_result_cache_writing", default=False)


@contextmanager
def writing() -> Iterator[None]:
    """Let what runs inside store its results (reading is allowed everywhere); what is being stored
    apart (write_signed_apart) is stored when it ends."""
    try:
        with _storing(True):
            yield
    finally:
        _written_apart()


@contextmanager
def only_reading() -> Iterator[None]:
    """Let nothing that runs inside store its results (a forked helper: its process stores them)."""
    with _storing(False):
        yield


@contextmanager
def _storing(allowed: bool) -> Iterator[None]:
    token = _WRITING.set(allowed)
    try:
        yield
    finally:
        _WRITING.reset(token)


def storing() -> bool:
    """Whether write() would store anything now (inside writing(), with caching on)."""
    return _WRITING.get() and enabled()


def enabled() -> bool:
    return os.environ.get("BRIEFGEN_CACHE", "1").strip() != "0" and _signing_key() is not None


def key_path() -> Path:
    base = os.environ.get("XDG_CACHE_HOME", "").strip()
    return (Path(base) if base else Path.home() / ".cache") / "briefgen" / "result-cache.key"


@cache
def _signing_key() -> bytes | None:
    """The user's key (made on first use); None when it can be neither read nor made: no caching."""
    try:
        path = key_path()
        path.parent.mkdir(parents=True, exist_ok=True)
        key = _regular_bytes(path)
        if key is None or len(key) != KEY_BYTES:
            _install_key(path, over=key is not None)
            key = _regular_bytes(path)
    except (OSError, RuntimeError):  # RuntimeError: no home directory to be found
        return None
    return key if key is not None and len(key) == KEY_BYTES else None


def _install_key(path: Path, *, over: bool) -> None:
    """Put a new key at `path` whole or not at all: written to a file of its own first, so that no
    process ever reads a key half-written, and none left short (a Ctrl-C, a full disk) can turn
    caching off for good. A key another process put there first is kept; `over` replaces one of the
    wrong length (a regular file: a link or anything else at `path` is left alone)."""
    fd, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)  # mode 0600
    try:
        with os.fdopen(fd, "wb") as file:
            file.write(os.urandom(KEY_BYTES))
        if over:
            os.replace(temporary, path)
        else:
            try:
                os.link(temporary, path)
            except FileExistsError:
                pass  # made meanwhile by another process, or not a regular file: not ours to replace
            except OSError:  # a file system without hard links: a key made meanwhile is replaced, so
                os.replace(temporary, path)  # a cache it signed is only not reused
    finally:
        Path(temporary).unlink(missing_ok=True)


def _signature(payload: bytes) -> bytes:
    key = _signing_key()
    assert key is not None  # callers check enabled() first
    return hmac.new(key, payload, hashlib.sha256).hexdigest().encode("ascii")


def read(root: Path, name: str, format_: str) -> Any:
    """The JSON data stored under `name` by the same `format_`, or None."""
    body = read_signed(root, name, format_)
    if body is None:
        return None
    try:
        return json.loads(body)
    except (ValueError, RecursionError):  # pragma: no cover - signed, so written by write() below
        return None


def write(root: Path, name: str, format_: str, data: Any) -> None:
    """Store `data` as JSON under `name` (see write_signed)."""
    if _WRITING.get() and enabled():
        # ensure_ascii: even a lone surrogate round-trips
        write_signed(root, name, format_, json.dumps(data, ensure_ascii=True, separators=(",", ":")).encode("ascii"))


def read_signed(root: Path, name: str, format_: str) -> bytes | None:
    """The bytes stored under `name` by the same `format_` with this user's key, or None."""
    raw = _regular_bytes(root / CACHE_DIR / name) if enabled() else None
    signature, _, payload = (raw or b"").partition(b"\n")
    header, _, body = payload.partition(b"\n")
    # The header first: an entry for other input (the parse of a briefs.yaml since edited) is
    # passed over without hashing its megabytes; what is used is always checked in full.
    if header != format_.encode("utf-8", "backslashreplace"):
        return None
    if not hmac.compare_digest(signature, _signature(payload)):
        return None  # not written by this user's briefgen
    return body


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


def write_signed(root: Path, name: str, format_: str, body: bytes) -> None:
    """Store `body` under `name`, signed, atomically; any failure leaves the cache as it was, silently."""
    if not _WRITING.get() or not enabled():
        return
    directory = root / CACHE_DIR
    try:
        if directory.is_symlink():
            return  # never write through a link planted in the project
        directory.mkdir(exist_ok=True)
        payload = format_.encode("utf-8", "backslashreplace") + b"\n" + body
        fd, temporary = tempfile.mkstemp(prefix=f".{name}.", suffix=".tmp", dir=directory)
        try:
            with os.fdopen(fd, "wb") as file:
                file.write(_signature(payload) + b"\n" + payload)
            os.replace(temporary, directory / name)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise
    except OSError as exc:
        log.info("not caching %s: %s", name, exc)


# Large entries being written by a forked copy of this process while it goes on (write_signed_apart).
_APART: list[ForkedHelper[None]] = []
# Below this, writing here costs about what forking a writer would (the pages this process then
# writes that the writer still shares are copied: ~29,000 page faults for the synthetic project).
MIN_APART_BYTES = 1_000_000


def write_signed_apart(root: Path, name: str, format_: str, body: Callable[[], bytes], size: int) -> None:
    """write_signed(root, name, format_, body()), by a forked copy of this process when the entry
    is large (`size`: about how many bytes) and a CPU is free for it: making and writing the 13 MB
    parse of the synthetic project takes 0.1-0.15 s, which this process spends going on instead
    (bench/RESULTS.md). The entry is in place once `writing()` ends, which waits for the writer."""
    if not _WRITING.get() or not enabled():
        return
    writer = None
    if size >= MIN_APART_BYTES and _cpu_free_for_a_writer():
        writer = ForkedHelper.start(lambda tell: _write_whole(root, name, format_, body))
    if writer is None:
        write_signed(root, name, format_, body())
    else:
        _APART.append(writer)


def _write_whole(root: Path, name: str, format_: str, body: Callable[[], bytes]) -> None:
    """In the writer: the entry written, whatever signal stops this command meanwhile (a Ctrl-C goes
    to the whole process group). Stopped halfway, it would leave a temporary file of megabytes that
    nothing removes; it ends ~0.15 s later, and a command stopped meanwhile waits for it in
    `writing()` unless stopped again."""
    signal.pthread_sigmask(signal.SIG_BLOCK, (signal.SIGINT, signal.SIGTERM, signal.SIGHUP))
    write_signed(root, name, format_, body())


def _cpu_free_for_a_writer() -> bool:
    """A CPU free (cpus.SINCE_START) and no other helper of ours using it (claims_ahead.py)."""
    if not may_fork() or helpers_running():
        return False
    free = SINCE_START.free_besides_us()
    return free is not None and free >= MIN_FREE_CPU


def _written_apart() -> None:
    """Wait for the writers begun apart: what they write is in place once they have ended. Those
    not waited for (the wait was interrupted) write on, and are reaped later (forked.py)."""
    try:
        while _APART:
            _APART[0].result()
            del _APART[0]
    finally:
        while _APART:
            _APART.pop().leave()


@cache
def code_digest() -> str:
    """A hash of briefgen's version and all its code, for the keys of remembered results: one
    computed by other code — a rule edited, or a module a rule starts to use — is never reused.
    Every module rather than a hand-kept list of those a result depends on, which would go stale
    as the code grows (about 80 files, read once per process: a few milliseconds)."""
    package = Path(__file__).resolve().parent.parent
    hasher = hashlib.sha256(f"{__version__}\0".encode())
    for path in sorted(package.rglob("*.py")):
        hasher.update(path.relative_to(package).as_posix().encode() + b"\0" + path.read_bytes() + b"\0")
    return hasher.hexdigest()
