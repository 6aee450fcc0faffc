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
Tell = Callable[[object], None]  # what the work is given to send one thing early (ForkedHelper.told)
_UNTOLD = object()


def may_fork() -> bool:
    """Whether this process can fork a helper safely: on Linux, with no thread but the main one."""
    return sys.platform == "linux" and hasattr(os, "fork") and threading.active_count() == 1


_STOPPING = (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)


class ForkedHelper(Generic[T]):
    """`work(tell)` run in a forked child; `told()` waits for what it told, `result()` for what it
    returned. Made by `start`."""

    def __init__(self, pid: int, early: BinaryIO, final: BinaryIO) -> None:
        self._pid: int | None = pid
        self._early, self._final = early, final
        self._told: object = _UNTOLD

    @classmethod
    def start(cls, work: Callable[[Tell], T]) -> ForkedHelper[T] | None:
        """The helper, started; None if no process can be forked now (a process limit, no memory):
        the caller then does the work itself."""
        early_read, early_write = os.pipe()
        final_read, final_write = os.pipe()
        # Signals wait until the child has its own handlers: a Ctrl-C between the fork and those
        # would run the parent's handler in the child (its message, its exit). One that comes to
        # the parent meanwhile is delivered when they are unblocked.
        previous = signal.pthread_sigmask(signal.SIG_BLOCK, _STOPPING)
        try:
            pid = os.fork()
        except OSError:
            signal.pthread_sigmask(signal.SIG_SETMASK, previous)
            for fd in (early_read, early_write, final_read, final_write):
                os.close(fd)
            return None
        if pid == 0:
            os.close(early_read)
            os.close(final_read)
            _run_and_exit(work, early_write, final_write, previous)  # never returns
        os.close(early_write)
        os.close(final_write)
        helper = cls(pid, os.fdopen(early_read, "rb"), os.fdopen(final_read, "rb"))
        signal.pthread_sigmask(signal.SIG_SETMASK, previous)
        return helper

    def told(self) -> object | None:
        """What the work told before its result, once it has (or ended); None if it told nothing."""
        if self._told is _UNTOLD:
            try:
                data = self._early.read()  # until the child closes its end: after telling, or ending
            finally:
                self._early.close()
            self._told = _unpickled(data) if data else None
        return self._told

    def result(self) -> T | None:
        """What `work()` returned, or None if the helper failed (raised, was killed, sent nothing)."""
        self.told()  # read first: a child still writing what it tells would never get to its result
        try:
            data = self._final.read()  # until the helper closes its end: it has sent all or ended
        finally:
            self._final.close()
        if self._wait() != 0:
            return None
        return _unpickled(data)  # type: ignore[return-value]

    def cancel(self) -> None:
        """Stop the helper if it still runs (the parent failed or was interrupted meanwhile)."""
        if self._pid is None:
            return
        with contextlib.suppress(ProcessLookupError):  # it ended meanwhile
            os.kill(self._pid, signal.SIGKILL)
        self._early.close()
        self._final.close()
        self._wait()

    def _wait(self) -> int:
        """The helper's exit status, once it has ended; forgotten only then (an interrupted wait
        leaves it to `cancel`, so no ended helper is left unreaped)."""
        if self._pid is None:
            return -1
        _, status = os.waitpid(self._pid, 0)
        self._pid = None
        return os.waitstatus_to_exitcode(status)


def _unpickled(data: bytes) -> object | None:
    try:
        return pickle.loads(data)  # type: ignore[no-any-return]  # our own process's copy wrote it
    except Exception:  # a truncated message is a failed helper too
        return None


def _run_and_exit(work: Callable[[Tell], object], early: int, final: int, mask: Iterable[int]) -> None:
    """In the child: the default action for the signals that stop briefgen (a Ctrl-C ends it at
    once; the parent sees a failed helper), the signals blocked before the fork (`mask`) blocked
    again, then the work, what it tells and returns sent; and the end, whatever happens."""
    status = 1
    try:
        for signum in _STOPPING:
            signal.signal(signum, signal.SIG_DFL)
        signal.pthread_sigmask(signal.SIG_SETMASK, mask)

        told = False

        def tell(message: object) -> None:
            nonlocal told
            told = True
            with os.fdopen(early, "wb") as pipe:  # once: the pipe is closed after it
                pipe.write(pickle.dumps(message, protocol=pickle.HIGHEST_PROTOCOL))

        payload = pickle.dumps(work(tell), protocol=pickle.HIGHEST_PROTOCOL)
        if not told:
            os.close(early)  # nothing told: the parent, waiting for that first, reads the result
        with os.fdopen(final, "wb") as pipe:
            pipe.write(payload)
        status = 0
    finally:  # also on an exception: the parent sees a failed helper and does the work
        os._exit(status)
