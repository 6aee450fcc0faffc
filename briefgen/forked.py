"""A share of pure, CPU-bound work done by a forked copy of this process while it does the rest.

A forked helper starts in about a millisecond with everything already in memory (the parsed project,
the compiled patterns), where a spawned one would first pay for a fresh interpreter and every
import. It only computes: its result comes back pickled and it ends with `os._exit`, so it never runs
the parent's exit handlers, flushes its buffers, or writes anything else. The parent may send it
things too (`send`; the helper waits for each with `tell.hear()`): what the parent has read by
then and the helper would otherwise read again.

What it tells and returns is written to a memory file both share (`os.memfd_create`, made before
the fork), one message after the other; through two pipes goes only where each message is, once
it is whole (the end of a pipe says the helper has ended). So the helper never waits for this
process to read: a pipe holds 64 KB to 1 MB, and a helper that told the 3.7 MB of a later half of
briefs.yaml through one waited ~0.1 s for the parent to finish its own half (bench/RESULTS.md).
What the parent sends goes the other way alike, through a memory file and a pipe of its own.

Forking is safe only while no other thread runs (one could hold a lock the copy would wait for
forever): `may_fork` refuses then, and on systems where fork is not the norm. When a helper fails
in any way, `result` says so with None and the caller does that share itself: nothing is lost.
"""

from __future__ import annotations

import contextlib
import mmap
import os
import pickle
import signal
import struct
import sys
import tempfile
import threading
from collections import deque
from collections.abc import Callable, Iterable
from typing import BinaryIO, Generic, Protocol, TypeVar

T = TypeVar("T")
_PLACE = struct.Struct("<QQ")  # where each message told is in the memory file: its offset and length
_TOLD_ALL = object()  # what _next_told gives once nothing more can be told


def may_fork() -> bool:
    """Whether this process can fork a helper safely: on Linux, with no thread but the main one."""
    return sys.platform == "linux" and hasattr(os, "fork") and threading.active_count() == 1


_running: set[int] = set()  # the pids of this process's helpers, until their result came or they were stopped
# Helpers whose result came whole, reaped once they have ended: a helper's exit, freeing its
# memory, took up to 15 ms that `result` need not wait for.
_ending: set[int] = set()


def helpers_running() -> int:
    """How many helpers this process has started whose result has not come (nor were they stopped)."""
    return len(_running)


def _reap_ended() -> None:
    """Reap the helpers of _ending that have ended (none is waited for)."""
    for pid in list(_ending):
        try:
            ended, _ = os.waitpid(pid, os.WNOHANG)
        except ChildProcessError:  # reaped already
            ended = pid
        if ended:
            _ending.discard(pid)


class Tell(Protocol):
    """What the work is given: called, it sends something early (ForkedHelper.told), never None."""

    def __call__(self, message: object, /) -> None: ...

    def hear(self) -> object | None:
        """The next thing the parent sent (ForkedHelper.send), once it has; None once it sends no
        more (it has asked for the result, or stopped the helper), or if it cannot be read."""

    def keep(self, *objects: object) -> None:
        """Hold these until the helper ends, so that they are never freed: it ends with `os._exit`.
        Freeing a project's objects one by one as the work returned took the claims helper 20-30 ms
        that the parent waited for (bench/RESULTS.md)."""


_STOPPING = (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)


class ForkedHelper(Generic[T]):
    """`work(tell)` run in a forked child; `told()` waits for the next thing it told, `result()` for
    what it returned. Made by `start`."""

    def __init__(self, pid: int, early: BinaryIO, final: BinaryIO, messages: int, sending: _MessageFile) -> None:
        self._pid: int | None = pid
        self._early, self._final = early, final
        self._messages = messages  # the memory file the helper writes each message to
        self._told: deque[object] = deque()  # told, read before they were asked for (by `result`)
        self._sending: _MessageFile | None = sending  # what this process sends the helper; None once it sends no more

    @classmethod
    def start(cls, work: Callable[[Tell], T]) -> ForkedHelper[T] | None:
        """The helper, started; None if no process can be forked now (a process limit, no memory):
        the caller then does the work itself."""
        _reap_ended()
        opened: list[int] = []
        try:
            for _ in range(2):
                opened.append(_message_file())
            for _ in range(3):
                opened.extend(os.pipe())
        except OSError:  # no memory, or no descriptor left
            for fd in opened:
                os.close(fd)
            return None
        messages, sent, early_read, early_write, final_read, final_write, sent_read, sent_write = opened
        # Signals wait until the child has its own handlers: a Ctrl-C between the fork and those
        # would run the parent's handler in the child (its message, its exit). One that comes to
        # the parent meanwhile is delivered when they are unblocked.
        previous = signal.pthread_sigmask(signal.SIG_BLOCK, _STOPPING)
        try:
            pid = os.fork()
        except OSError:
            signal.pthread_sigmask(signal.SIG_SETMASK, previous)
            for fd in opened:
                os.close(fd)
            return None
        if pid == 0:
            for fd in (early_read, final_read, sent_write):
                os.close(fd)
            writer = _Writer(_MessageFile(messages, early_write), final_write, (os.fdopen(sent_read, "rb"), sent))
            _run_and_exit(work, writer, previous)  # never returns
        for fd in (early_write, final_write, sent_read):
            os.close(fd)
        sending = _MessageFile(sent, sent_write)
        helper = cls(pid, os.fdopen(early_read, "rb"), os.fdopen(final_read, "rb"), messages, sending)
        _running.add(pid)
        signal.pthread_sigmask(signal.SIG_SETMASK, previous)
        return helper

    def send(self, message: object) -> None:
        """Send the helper `message` (it waits for it with `tell.hear()`); nothing once this process
        sends no more (`result` or `cancel` was called), or if it could not be sent (the helper
        has ended: it hears None)."""
        if self._sending is None:
            return
        try:
            self._sending.send(message)
        except OSError:  # the helper ended (a broken pipe), or no memory: it hears no more
            self.sent_all()

    def sent_all(self) -> None:
        """Send no more: the helper, once it has heard what was sent, hears None. Call it before
        waiting for anything the helper tells after it waits to hear (`result` and `cancel` do),
        or each waits for the other."""
        if self._sending is not None:
            self._sending.close()
            self._sending = None

    def told(self) -> object | None:
        """The next thing the work told, once it has (in the order told); None once it has told
        all (it returned or ended), or if what it told cannot be read."""
        message = self._told.popleft() if self._told else self._next_told()
        return None if message is _TOLD_ALL else message

    def _next_told(self) -> object:
        """The next message told, or _TOLD_ALL once the child has closed its pipe."""
        if self._early.closed:
            return _TOLD_ALL
        data = self._next_message(self._early)  # waits until a message comes, or the child closes its end
        if data is None:
            self._early.close()  # told all (or failed): nothing more comes
            return _TOLD_ALL
        return _unpickled(data)

    def result(self) -> T | None:
        """What `work()` returned, or None if the helper failed (raised, was killed, sent nothing)."""
        self.sent_all()
        while (message := self._next_told()) is not _TOLD_ALL:  # kept, to be asked for later
            self._told.append(message)
        try:
            data = self._next_message(self._final)
        finally:
            self._final.close()
            self._close_messages()
        if data is None:
            self._wait()
            return None
        self._reap_when_ended()  # whole, it was sent once the work had returned: nothing can fail now
        return _unpickled(data)  # type: ignore[return-value]

    def leave(self) -> None:
        """Wait for nothing more from the helper, and let it end in its own time (reaped once it has,
        when the next one starts): for a helper that must not be stopped halfway."""
        self.sent_all()
        self._early.close()
        self._final.close()
        self._close_messages()
        self._reap_when_ended()

    def cancel(self) -> None:
        """Stop the helper if it still runs (the parent failed or was interrupted meanwhile)."""
        self.sent_all()
        if self._pid is None:
            return
        with contextlib.suppress(ProcessLookupError):  # it ended meanwhile
            os.kill(self._pid, signal.SIGKILL)
        self._early.close()
        self._final.close()
        self._close_messages()
        self._wait()

    def _next_message(self, pipe: BinaryIO) -> bytes | None:
        return _next_message(pipe, self._messages) if self._messages >= 0 else None

    def _close_messages(self) -> None:
        if self._messages >= 0:
            os.close(self._messages)
            self._messages = -1

    def _reap_when_ended(self) -> None:
        if self._pid is not None:
            _running.discard(self._pid)
            _ending.add(self._pid)
            self._pid = None
            _reap_ended()

    def _wait(self) -> int:
        """The helper's exit status, once it has ended; forgotten only then (an interrupted wait
        leaves it to `cancel`, so no ended helper is left unreaped)."""
        if self._pid is None:
            return -1
        _, status = os.waitpid(self._pid, 0)
        _running.discard(self._pid)
        self._pid = None
        return os.waitstatus_to_exitcode(status)


class _MessageFile:
    """The writing end: each message written whole to a memory file, then where it is (its offset
    and length) to a pipe: a message that failed half-written is never read, and none after it is
    read from the wrong place."""

    def __init__(self, file: int, pipe: int) -> None:
        self.file, self.pipe = file, pipe
        self._written_to = 0

    def send(self, message: object, pipe: int | None = None) -> None:
        """`message` written, and its place to `pipe` (this file's own, unless another is given)."""
        data = pickle.dumps(message, protocol=pickle.HIGHEST_PROTOCOL)
        offset = end = self._written_to
        left = memoryview(data)
        while left:  # a memory file takes it all at once, unless memory runs out (OSError: failed)
            written = os.pwrite(self.file, left, end)
            end += written
            left = left[written:]
        self._written_to = end
        os.write(self.pipe if pipe is None else pipe, _PLACE.pack(offset, len(data)))  # 16 bytes: written at once

    def close(self) -> None:
        os.close(self.pipe)
        os.close(self.file)


class _Writer:
    """In the child: what the work tells (Tell), then its result, each sent to the parent; and
    what the parent sends it, heard."""

    def __init__(self, messages: _MessageFile, final: int, sent: tuple[BinaryIO, int]) -> None:
        self.messages, self.final = messages, final
        self._sent_pipe, self._sent_file = sent
        self._kept: list[tuple[object, ...]] = []

    def __call__(self, message: object, /) -> None:
        self.messages.send(message)

    def hear(self) -> object | None:
        if self._sent_pipe.closed:
            return None
        data = _next_message(self._sent_pipe, self._sent_file)
        if data is None:
            self._sent_pipe.close()  # the parent sends no more
            return None
        return _unpickled(data)

    def keep(self, *objects: object) -> None:
        self._kept.append(objects)

    def finish(self, result: object) -> None:
        os.close(self.messages.pipe)  # told all: the parent, reading what was told first, reads the result next
        self.messages.send(result, self.final)
        os.close(self.final)


def _next_message(pipe: BinaryIO, file: int) -> bytes | None:
    """The message whose place comes next through `pipe`, read from the memory file `file`; None
    if the pipe ends first (the other process sends no more, or ended) or the file holds less."""
    header = pipe.read(_PLACE.size)
    if len(header) != _PLACE.size:
        return None
    offset, size = _PLACE.unpack(header)
    data = _read_at(file, size, offset)
    return data if len(data) == size else None


def _message_file() -> int:
    """A file in memory for the messages, shared with the child once it is forked: a memfd, or
    where there is none (an old C library; memfd_create refused by `vm.memfd_noexec`), a temporary
    file already unlinked. OSError if neither can be made."""
    try:
        return os.memfd_create("briefgen-helper")
    except (AttributeError, OSError):
        with tempfile.TemporaryFile() as file:
            return os.dup(file.fileno())  # the file lives on while this descriptor is open


def _read_at(fd: int, size: int, offset: int) -> bytes:
    """`size` bytes of the file from `offset` (fewer only where it ends sooner)."""
    parts = []
    while size > 0 and (part := os.pread(fd, size, offset)):
        parts.append(part)
        size, offset = size - len(part), offset + len(part)
    return b"".join(parts)


class Meeting:
    """This process and a helper forked after it working through one range of items from its two
    ends, one item at a time, until they meet: this process upwards (`parent_takes`), the helper
    downwards (`helper_takes`), so that neither waits for the other however fast each goes.

    Where each stands is kept in memory both share (an anonymous shared mapping made before the
    fork). Each writes its own place before reading the other's, and at the same place the helper
    takes the item: so none is left by both (to stop at an item, one must have seen the other
    there or past it, and the other then takes it), while both may take one whose place the other
    saw late (then the parent's findings are used). The parent still examines anything it finds
    missing from the helper's result (a helper that failed).
    """

    def __init__(self) -> None:
        # Each place is one aligned 8-byte word, written and read whole through a memoryview of
        # the mapping (one 8-byte copy: on x86-64 and ARM64 a single store or load). Not with
        # struct.pack_into: it zero-fills its target before packing, so a reader could see the
        # other at item 0 — measured: 8 % of reads against a helper writing in a loop, and in four
        # checks of six the parent stopped at once, then waited 0.24-0.55 s for the helper to come
        # all the way down (bench/RESULTS.md).
        self._mapping = mmap.mmap(-1, 16)  # shared with the child on fork (MAP_SHARED)
        self._places = memoryview(self._mapping).cast("q")  # the parent's last item, the helper's
        self._places[0], self._places[1] = -1, _FAR

    def parent_takes(self, index: int) -> bool:
        """Whether this process may examine item `index` (going up): the helper has not taken it."""
        self._places[0] = index
        return index < self._places[1]

    def helper_takes(self, index: int) -> bool:
        """Whether the helper may examine item `index` (going down): this process has not gone past it."""
        self._places[1] = index
        return index >= self._places[0]


_FAR = 1 << 62  # the helper's place before it takes any item


def _unpickled(data: bytes) -> object | None:
    try:
        return pickle.loads(data)  # type: ignore[no-any-return]  # our own process's copy wrote it
    except Exception:  # a truncated message is a failed helper too
        return None


def _run_and_exit(work: Callable[[Tell], object], writer: _Writer, mask: Iterable[int]) -> None:
    """In the child: the default action for the signals that stop briefgen (a Ctrl-C ends it at
    once; the parent sees a failed helper), the signals blocked before the fork (`mask`) blocked
    again, then the work, what it tells and returns sent; and the end, whatever happens."""
    status = 1
    try:
        for signum in _STOPPING:
            signal.signal(signum, signal.SIG_DFL)
        signal.pthread_sigmask(signal.SIG_SETMASK, mask)
        writer.finish(work(writer))
        status = 0
    finally:  # also on an exception: the parent sees a failed helper and does the work
        os._exit(status)
