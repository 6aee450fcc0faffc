"""Stage 5, write: every output through one function, atomically, and only when its bytes changed.

A reader (or a crash, or `kill -9`) sees either the old file or the new one, never half of one.
Writing has two phases: every changed output is first written in full to a hidden temporary file
beside it (`.<name>.<random>.tmp`) and flushed to disk, all at once in threads (see _stage_all);
only when all of them are staged is each renamed over its output. So a full disk or an unwritable
directory fails the run before any output is replaced, and the temporary files are removed.
Identical content is not rewritten, so timestamps only move when a brief changes. A process
killed with SIGKILL cannot remove its temporary files; they are hidden and never named like an
output, and the next write of the same output removes any left over for more than an hour (a live
write renames its own within seconds).
"""

from __future__ import annotations

import contextlib
import glob
import hashlib
import os
import stat
import tempfile
import time
from collections.abc import Iterable, Iterator, Mapping, Sequence
from concurrent.futures import Future, ThreadPoolExecutor, wait
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from briefgen.errors import OutputError, raise_if_interrupted

# A temporary file older than this cannot belong to a write still in progress: a write stages all
# its files and renames them straight away, in seconds even for hundreds of PDFs.
STALE_TEMP_SECONDS = 3600


@dataclass(frozen=True)
class WriteReport:
    written: tuple[Path, ...]
    unchanged: tuple[Path, ...]


def write_outputs(outputs: Mapping[Path, bytes]) -> WriteReport:
    """Write each path's bytes; paths whose current content is identical are left untouched."""
    raise_if_interrupted()  # nothing is written after a Ctrl-C or kill, even one swallowed on the way
    changed = {path: data for path, data in outputs.items() if not _same_content(path, data)}
    unchanged = tuple(path for path in outputs if path not in changed)
    report = WriteReport(_commit(_stage_all(changed)), unchanged)
    for path in outputs:
        _remove_stale_temps(path)
    return report


def ensure_inside(out_dir: Path, paths: Iterable[Path]) -> None:
    """Refuse (OutputError, before anything is written) any path that would not land inside `out_dir`.

    The output directory must be a real directory, not a symlink (one committed to a project as
    `out` would send every output elsewhere); each path must be inside it by name (no `..`, which a
    name taken from a template's CSS could hold) and, once the symlinks of its existing directories
    are followed, still inside it. A symlink at a path itself is fine: writing replaces it.
    """
    if out_dir.is_symlink():
        raise OutputError(
            f"cannot write into it: it is a symlink (to {os.readlink(out_dir)}), not a directory",
            f"briefgen writes only into a real directory: pass --out {out_dir.resolve()} to write there",
            path=out_dir,
        )
    real_base = out_dir.resolve()
    for path in paths:
        parts = path.relative_to(out_dir).parts if path.is_relative_to(out_dir) else ("..",)
        if not parts or ".." in parts:
            raise OutputError(f"cannot write: it is outside the output directory {out_dir}", path=path)
        real_parent = path.parent.resolve()  # symlinks followed as the kernel will follow them
        if not real_parent.is_relative_to(real_base):
            raise OutputError(
                f"cannot write: its directory leads to {real_parent}, outside the output directory "
                f"{out_dir} (a symlink?)",
                f"remove the symlink inside {out_dir}",
                path=path,
            )


def atomic_write(path: Path, data: bytes) -> None:
    """Replace `path` with `data` in one rename; on any failure the old file is left as it was."""
    _commit({path: _stage(path, data)})


def _stage(path: Path, data: bytes, mode: int | None = None) -> str:
    """Write `data` to a new temporary file beside `path`, flushed to disk; return its name.
    `mode` is the output's permissions (by default the usual ones, from the umask)."""
    mode = _output_mode() if mode is None else mode
    if path.is_dir():
        raise OutputError("cannot write: a directory is in the way", path=path)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, temp_name = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    except OSError as exc:
        raise OutputError(f"cannot write: {exc.strerror}", path=path) from None
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(temp_name, mode)  # mkstemp creates 0600; outputs get the usual permissions
    except OSError as exc:
        _discard([temp_name])
        raise OutputError(f"cannot write: {exc.strerror}", path=path) from None
    except BaseException:
        _discard([temp_name])
        raise
    return temp_name


# Outputs staged at once, in threads: each fsync waits for the disk (7–15 ms a file on this
# project's machine, one journal commit each), and the kernel commits the ones that wait together
# in one go (two or three files: ~1–2 ms in all).
STAGING_THREADS = 8


def _stage_all(changed: Mapping[Path, bytes]) -> dict[Path, str]:
    """Stage every output; if one fails, discard all that were staged and raise the first failure
    in output order (as staging them one by one would)."""
    if len(changed) <= 1:
        return {path: _stage(path, data) for path, data in changed.items()}
    # Read before the threads start: reading the umask sets it for a moment, and a thread reading
    # it meanwhile would see (and put back) 0, making every later file world-writable.
    mode = _output_mode()
    staged: dict[Path, str] = {}
    futures: list[tuple[Path, Future[str]]] = []
    with ThreadPoolExecutor(min(len(changed), STAGING_THREADS), thread_name_prefix="briefgen-write") as pool:
        try:
            for path, data in changed.items():  # inside the try: a signal may land between two submits
                futures.append((path, pool.submit(_stage, path, data, mode)))
            for path, future in futures:
                staged[path] = future.result()
        except BaseException:  # a failure, or a signal: nothing staged may stay behind
            _discard_staged([future for _, future in futures])
            raise
    return staged


def _discard_staged(futures: Sequence[Future[str]]) -> None:
    """Once the staging still running has finished, remove every file it staged."""
    for future in futures:
        future.cancel()
    while True:
        try:
            wait(futures)
            break
        except BaseException:  # a second signal: the first is being raised; clean up first
            continue
    _discard(future.result() for future in futures if not future.cancelled() and future.exception() is None)


def _commit(staged: Mapping[Path, str]) -> tuple[Path, ...]:
    """Rename each staged file over its output; on failure, discard the rest and say what was written."""
    done: list[Path] = []
    try:
        for path, temp_name in staged.items():
            os.replace(temp_name, path)
            done.append(path)
    except OSError as exc:
        written = ", ".join(str(p) for p in done) or "nothing"
        raise OutputError(
            f"cannot write: {exc.strerror}",
            f"already replaced: {written}; every other output was left as it was",
            path=path,
            written=tuple(done),
        ) from None
    finally:
        _discard(temp for path, temp in staged.items() if path not in done)
    for directory in {path.parent for path in done}:
        _sync_directory(directory)
    return tuple(done)


def _remove_stale_temps(path: Path) -> None:
    """Remove the temporary files a killed write of `path` left behind, once they are stale."""
    cutoff = time.time() - STALE_TEMP_SECONDS
    for temp in path.parent.glob(f".{glob.escape(path.name)}.*.tmp"):
        try:
            if temp.is_file() and not temp.is_symlink() and temp.stat().st_mtime < cutoff:
                temp.unlink()
        except OSError:  # gone already (another run cleaned it), or not ours to remove: leave it
            pass


def _discard(temp_names: Iterable[str]) -> None:
    for name in list(temp_names):
        Path(name).unlink(missing_ok=True)


def _sync_directory(directory: Path) -> None:
    """Flush the renames themselves to disk (best effort: not every file system allows it)."""
    try:
        fd = os.open(directory, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def _same_content(path: Path, data: bytes) -> bool:
    """True when `path` is a regular file (not a symlink) holding exactly `data`."""
    return read_regular(path, len(data)) == data


def regular_digest(path: Path, size: int) -> str | None:
    """The SHA-256 of `path` if it is a regular file of exactly `size` bytes (see read_regular); else None.

    Read in pieces, so memory stays small however large the output."""
    hasher = hashlib.sha256()
    try:
        with _open_regular(path, size) as handle:
            if handle is None or os.fstat(handle.fileno()).st_size != size:
                return None
            while piece := handle.read(1 << 20):
                hasher.update(piece)
                size -= len(piece)
                if size < 0:  # it grew while being read
                    return None
    except OSError:
        return None
    return hasher.hexdigest() if size == 0 else None


def read_regular(path: Path, max_bytes: int) -> bytes | None:
    """The bytes of `path` if it is a regular file of at most `max_bytes`; None for anything else.

    What sits at an output path may be anything: a FIFO (opening or reading it would wait forever),
    a symlink to /dev/zero (reading it never ends) or to a huge file. So a symlink is not followed,
    the file is opened without blocking, its kind and size are checked on the open file, and never
    more than `max_bytes` + 1 bytes are read.
    """
    try:
        with _open_regular(path, max_bytes) as handle:
            data = handle.read(max_bytes + 1) if handle is not None else None
    except OSError:
        return None
    return data if data is not None and len(data) <= max_bytes else None


@contextlib.contextmanager
def _open_regular(path: Path, max_bytes: int) -> Iterator[BinaryIO | None]:
    """`path` opened for reading if it is a regular file, not a symlink, of at most `max_bytes`; else None."""
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOFOLLOW", 0)
    try:
        status = os.lstat(path)
        fd = os.open(path, flags) if stat.S_ISREG(status.st_mode) and status.st_size <= max_bytes else None
    except OSError:  # absent, a symlink swapped in (ELOOP from O_NOFOLLOW), unreadable
        fd = None
    if fd is None:
        yield None
        return
    with os.fdopen(fd, "rb") as handle:
        status = os.fstat(fd)
        yield handle if stat.S_ISREG(status.st_mode) and status.st_size <= max_bytes else None


def _output_mode() -> int:
    """The permissions of a new output: 0666 less the process umask (read by setting it, so set
    straight back; call it only where no other thread creates files)."""
    mask = os.umask(0)
    os.umask(mask)
    return 0o666 & ~mask
