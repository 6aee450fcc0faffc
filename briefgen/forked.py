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
from collections.abc import Callable, Iterable
from typing import BinaryIO, Generic, TypeVar

T = TypeVar("T")


def may_fork() -> bool:
    """Whether this process can fork a helper safely: on Linux, with no thread but the main one."""
    return sys.platform == "linux" and hasattr(os, "fork") and threading.active_count() == 1


_STOPPING = (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)


class ForkedHelper(Generic[T]):
    """`work()` run in a forked child; `result()` waits for what it returned. Made by `start`."""

    def __init__(self, pid: int, pipe: BinaryIO) -> None:
        self._pid: int | None = pid
        self._pipe = pipe

    @classmethod
    def start(cls, work: Callable[[], T]) -> ForkedHelper[T] | None:
        """The helper, started; None if no process can be forked now (a process limit, no memory):
        the caller then does the work itself."""
        read_end, write_end = os.pipe()
        # Signals wait until the child has its own handlers: a Ctrl-C between the fork and those
        # would run the parent's handler in the child (its message, its exit). One that comes to
        # the parent meanwhile is delivered when they are unblocked.
        previous = signal.pthread_sigmask(signal.SIG_BLOCK, _STOPPING)
        try:
            pid = os.fork()
        except OSError:
            signal.pthread_sigmask(signal.SIG_SETMASK, previous)
            os.close(read_end)
            os.close(write_end)
            return None
        if pid == 0:
            _run_and_exit(work, read_end, write_end, previous)  # never returns
        os.close(write_end)
        helper = cls(pid, os.fdopen(read_end, "rb"))
        signal.pthread_sigmask(signal.SIG_SETMASK, previous)
        return helper

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
        """The helper's exit status, once it has ended; forgotten only then (an interrupted wait
        leaves it to `cancel`, so no ended helper is left unreaped)."""
        if self._pid is None:
            return -1
        _, status = os.waitpid(self._pid, 0)
        self._pid = None
        return os.waitstatus_to_exitcode(status)


def _run_and_exit(work: Callable[[], object], read_end: int, write_end: int, mask: Iterable[int]) -> None:
    """In the child: the default action for the signals that stop briefgen (a Ctrl-C ends it at
    once; the parent sees a failed helper), the signals blocked before the fork (`mask`) blocked
    again, then the work, sent; and the end, whatever happens."""
    status = 1
    try:
        os.close(read_end)
        for signum in _STOPPING:
            signal.signal(signum, signal.SIG_DFL)
        signal.pthread_sigmask(signal.SIG_SETMASK, mask)
        payload = pickle.dumps(work(), protocol=pickle.HIGHEST_PROTOCOL)
        with os.fdopen(write_end, "wb") as pipe:
            pipe.write(payload)
        status = 0
    finally:  # also on an exception: the parent sees a failed helper and does the work
        os._exit(status)
