"""A share of pure, CPU-bound work done by a forked copy of this process while it does the rest.

A forked helper starts in about a millisecond with everything already in memory (the parsed project,
the compiled patterns), where a spawned one would first pay for a fresh interpreter and every
import. It only computes: its result comes back pickled through a pipe and it ends with `os._exit`,
so it never runs the parent's exit handlers, flushes its buffers, or writes anything else.

Forking is safe only while no other thread runs (one could hold a lock the copy would wait for
forever): `may_fork` refuses then, and on systems where fork is not the norm. When a helper fails
in any way, `result` says so with None and the caller does that share itself: nothing is lost.
"""

from __future__ import annotations

import contextlib
import os
import pickle
import signal
import sys
import threading
from collections.abc import Callable
from typing import Generic, TypeVar

T = TypeVar("T")


def may_fork() -> bool:
    """Whether this process can fork a helper safely: on Linux, with no thread but the main one."""
    return sys.platform == "linux" and hasattr(os, "fork") and threading.active_count() == 1


class ForkedHelper(Generic[T]):
    """`work()` run in a forked child, started at once; `result()` waits for what it returned."""

    def __init__(self, work: Callable[[], T]) -> None:
        read_end, write_end = os.pipe()
        pid = os.fork()
        if pid == 0:  # the helper: compute, send, and end without running anything of the parent's
            os.close(read_end)
            _run_and_exit(work, write_end)
        os.close(write_end)
        self._pid: int | None = pid
        self._pipe = os.fdopen(read_end, "rb")

    def result(self) -> T | None:
        """What `work()` returned, or None if the helper failed (raised, was killed, sent nothing)."""
        try:
            data = self._pipe.read()  # until the helper closes its end: it has sent all or ended
        finally:
            self._pipe.close()
        if self._wait() != 0:
            return None
        try:
            return pickle.loads(data)  # type: ignore[no-any-return]  # it is our own process's copy that wrote it
        except Exception:  # a truncated result is a failed helper too
            return None

    def cancel(self) -> None:
        """Stop the helper if it still runs (the parent failed or was interrupted meanwhile)."""
        if self._pid is None:
            return
        with contextlib.suppress(ProcessLookupError):  # it ended meanwhile
            os.kill(self._pid, signal.SIGKILL)
        self._pipe.close()
        self._wait()

    def _wait(self) -> int:
        if self._pid is None:
            return -1
        pid, self._pid = self._pid, None
        _, status = os.waitpid(pid, 0)
        return os.waitstatus_to_exitcode(status)


def _run_and_exit(work: Callable[[], object], write_end: int) -> None:
    status = 1
    try:
        payload = pickle.dumps(work(), protocol=pickle.HIGHEST_PROTOCOL)
        with os.fdopen(write_end, "wb") as pipe:
            pipe.write(payload)
        status = 0
    finally:  # also on an exception or Ctrl-C: the parent sees a failed helper and does the work
        os._exit(status)
