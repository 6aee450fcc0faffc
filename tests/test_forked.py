"""A forked helper (forked.py): its result comes back; a helper that fails or is stopped says so."""

from __future__ import annotations

import mmap
import os
import signal
import threading
import time
from collections.abc import Callable
from typing import TypeVar

import pytest

from briefgen import forked
from briefgen.forked import ForkedHelper, may_fork

T = TypeVar("T")


def test_the_helpers_result_comes_back() -> None:
    parent = os.getpid()
    helper = start(lambda: {"pid": os.getpid(), "data": list(range(100_000))})
    found = helper.result()
    assert found is not None
    assert found["pid"] != parent  # computed in another process
    assert found["data"] == list(range(100_000))  # more than a pipe holds at once


def start(work: Callable[[], T]) -> ForkedHelper[T]:
    helper = ForkedHelper.start(lambda tell: work())
    assert helper is not None
    return helper


def fails() -> None:
    raise RuntimeError("in the helper")


def test_a_helper_that_raises_returns_none() -> None:
    assert start(fails).result() is None


def test_a_helper_that_is_killed_returns_none() -> None:
    assert start(lambda: os.kill(os.getpid(), 9)).result() is None


def test_a_cancelled_helper_is_stopped_and_reaped() -> None:
    helper = start(lambda: time.sleep(60))
    pid = helper._pid
    assert pid is not None
    started = time.monotonic()
    helper.cancel()
    assert time.monotonic() - started < 10
    with pytest.raises(ChildProcessError):  # reaped: no zombie left behind
        os.waitpid(pid, os.WNOHANG)
    helper.cancel()  # twice is harmless


class _SaysWhenFreed:
    """Writes to `fd` when it is freed (in the helper: the parent reads the pipe's other end)."""

    def __init__(self, fd: int, name: bytes) -> None:
        self.fd, self.name = fd, name

    def __del__(self) -> None:
        os.write(self.fd, self.name)


def test_what_the_work_keeps_is_never_freed_and_the_rest_is() -> None:
    read_end, write_end = os.pipe()

    def work(tell: forked.Tell) -> str:
        tell.keep(_SaysWhenFreed(write_end, b"kept "))
        _SaysWhenFreed(write_end, b"dropped ")  # freed at once: the pipe shows the helper does free
        return "done"

    helper = ForkedHelper.start(work)
    assert helper is not None
    os.close(write_end)  # the helper's copy is closed when it ends
    assert helper.result() == "done"
    said = b""
    while chunk := os.read(read_end, 100):  # to the end: the helper has ended
        said += chunk
    os.close(read_end)
    assert said == b"dropped "  # the kept one was not freed when the work returned, nor after


def test_no_fork_while_another_thread_runs() -> None:
    if threading.active_count() > 1:
        pytest.skip("the test runner already runs threads here (pytest-xdist's worker)")
    assert may_fork() == (os.name == "posix" and os.uname().sysname == "Linux")
    stop = threading.Event()
    thread = threading.Thread(target=stop.wait)
    thread.start()
    try:
        assert not may_fork()
    finally:
        stop.set()
        thread.join()


def test_no_helper_when_no_process_can_be_forked(monkeypatch: pytest.MonkeyPatch) -> None:
    def no_fork() -> int:
        raise BlockingIOError(11, "Resource temporarily unavailable")

    monkeypatch.setattr(os, "fork", no_fork)
    descriptors = len(os.listdir("/proc/self/fd"))
    assert ForkedHelper.start(lambda tell: 1) is None
    assert len(os.listdir("/proc/self/fd")) == descriptors  # the pipe closed again


def test_a_ctrl_c_ends_the_helper_at_once_and_the_parent_learns_it_failed() -> None:
    def interrupted() -> None:
        os.kill(os.getpid(), signal.SIGINT)
        time.sleep(60)

    started = time.monotonic()
    assert start(interrupted).result() is None  # the default action: the helper ended by the signal
    assert time.monotonic() - started < 30


def test_what_the_helper_tells_comes_before_its_result() -> None:
    def work(tell: Callable[[object], None]) -> str:
        tell(list(range(100_000)))  # more than a pipe holds at once
        return "done"

    helper = ForkedHelper.start(work)
    assert helper is not None
    assert helper.told() == list(range(100_000))
    assert helper.result() == "done"


def test_what_the_helper_tells_comes_in_the_order_told_then_nothing() -> None:
    def work(tell: Callable[[object], None]) -> str:
        tell(("first", b"x" * 3_000_000))  # larger than a pipe holds, unless it is made room for
        tell(("second", 2))
        return "done"

    helper = ForkedHelper.start(work)
    assert helper is not None
    assert helper.told() == ("first", b"x" * 3_000_000)
    assert helper.told() == ("second", 2)
    assert helper.told() is None
    assert helper.result() == "done"
    assert helper.told() is None


def test_what_was_told_and_not_yet_asked_for_is_kept_past_the_result() -> None:
    def work(tell: Callable[[object], None]) -> str:
        tell("one")
        tell("x" * 1_000_000)
        return "done"

    helper = ForkedHelper.start(work)
    assert helper is not None
    assert helper.result() == "done"
    assert helper.told() == "one"
    assert helper.told() == "x" * 1_000_000
    assert helper.told() is None


def test_a_helper_that_fails_after_telling_has_told_that_and_no_result() -> None:
    def work(tell: Callable[[object], None]) -> str:
        tell("one")
        raise RuntimeError("then it fails")

    helper = ForkedHelper.start(work)
    assert helper is not None
    assert helper.told() == "one"
    assert helper.told() is None
    assert helper.result() is None


def test_a_result_asked_for_without_what_was_told_does_not_wait_forever() -> None:
    def work(tell: Callable[[object], None]) -> str:
        tell("x" * 1_000_000)  # the child blocks until the parent reads this
        return "done"

    helper = ForkedHelper.start(work)
    assert helper is not None
    assert helper.result() == "done"


def test_a_helper_that_ends_before_telling_has_told_nothing() -> None:
    assert start(fails).told() is None
    helper = ForkedHelper.start(lambda tell: 5)
    assert helper is not None
    assert helper.told() is None
    assert helper.result() == 5


def test_a_large_result_of_a_helper_that_told_nothing_comes_back() -> None:
    helper = ForkedHelper.start(lambda tell: "y" * 1_000_000)  # more than a pipe holds at once
    assert helper is not None
    assert helper.result() == "y" * 1_000_000


def test_a_message_that_reads_as_none_does_not_stop_the_reading_before_the_result() -> None:
    """Found by a review: a result asked for after a `None` told (or one that cannot be unpickled)
    stopped reading what was told, while the child waited to write its next message: both waited."""

    def work(tell: Callable[[object], None]) -> str:
        tell(None)
        tell(b"x" * 1_000_000)  # more than a pipe holds
        return "done"

    def waited_too_long(signum: int, frame: object) -> None:
        raise TimeoutError("the parent and the helper wait for each other")

    previous = signal.signal(signal.SIGALRM, waited_too_long)
    signal.alarm(30)
    try:
        helper = ForkedHelper.start(work)
        assert helper is not None
        assert helper.result() == "done"
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)
    assert helper.told() is None  # the None told
    assert helper.told() == b"x" * 1_000_000


def test_a_helper_goes_on_after_telling_more_than_a_pipe_holds_before_the_parent_reads_it() -> None:
    """What is told waits in memory both share, not in a pipe (64 KB to 1 MB): the helper is not
    held up until this process has time to read (a later half of briefs.yaml is 3.7 MB)."""
    went_on = mmap.mmap(-1, 1)  # shared with the child

    def work(tell: Callable[[object], None]) -> str:
        tell(b"x" * 8_000_000)
        went_on[0] = 1
        return "done"

    helper = ForkedHelper.start(work)
    assert helper is not None
    deadline = time.monotonic() + 30
    while not went_on[0] and time.monotonic() < deadline:
        time.sleep(0.01)
    assert went_on[0] == 1
    assert helper.told() == b"x" * 8_000_000
    assert helper.result() == "done"


def test_a_message_that_fails_half_written_moves_none_of_the_next() -> None:
    """Found by a review: with each side counting where the next message begins, a message whose
    writing failed halfway (and was caught) made the parent read every later one from the wrong
    place: what it gives is where each message is."""

    def work(tell: Callable[[object], None]) -> str:
        real, calls = os.pwrite, []

        def half_then_fail(fd: int, data: bytes, offset: int) -> int:
            calls.append(offset)
            if len(calls) > 1:
                raise OSError("no memory left")
            return real(fd, memoryview(data)[: len(data) // 2], offset)

        os.pwrite = half_then_fail  # type: ignore[assignment]  # in the forked child only
        try:
            tell("x" * 10_000)
        except OSError:
            pass
        finally:
            os.pwrite = real
        tell("second")
        return "done"

    helper = ForkedHelper.start(work)
    assert helper is not None
    assert helper.told() == "second"
    assert helper.result() == "done"


def test_a_helper_that_cannot_get_its_pipes_is_none_and_leaves_nothing_open(monkeypatch: pytest.MonkeyPatch) -> None:
    real, pipes = os.pipe, []

    def second_fails() -> tuple[int, int]:
        if pipes:
            raise OSError("too many open files")
        pipes.append(real())
        return pipes[-1]

    before = set(os.listdir("/proc/self/fd"))
    monkeypatch.setattr(os, "pipe", second_fails)
    assert ForkedHelper.start(lambda tell: 1) is None
    assert set(os.listdir("/proc/self/fd")) <= before


def test_a_helper_works_where_no_memfd_can_be_made(monkeypatch: pytest.MonkeyPatch) -> None:
    def refused(name: str) -> int:
        raise PermissionError("memfd_create refused (vm.memfd_noexec)")

    monkeypatch.setattr(os, "memfd_create", refused)
    helper = ForkedHelper.start(lambda tell: tell("x" * 2_000_000) or "done")
    assert helper is not None
    assert helper.told() == "x" * 2_000_000
    assert helper.result() == "done"


# The side that pauses sleeps 2 ms an item; the other never calls sleep, not even sleep(0), which
# yields the CPU: beside the suite's other worker that made the "fast" side the slower one.
@pytest.mark.parametrize(("parent_pause", "helper_pause"), [(0.0, 0.0), (0.002, 0.0), (0.0, 0.002)])
def test_two_processes_meeting_in_a_range_take_it_all_between_them(parent_pause: float, helper_pause: float) -> None:
    meeting = forked.Meeting()

    def work(tell: Callable[[object], None]) -> list[int]:
        taken = []
        for index in range(999, -1, -1):
            if not meeting.helper_takes(index):
                break
            taken.append(index)
            if helper_pause:
                time.sleep(helper_pause)
        return taken

    helper = ForkedHelper.start(work)
    assert helper is not None
    mine = []
    for index in range(1000):
        if not meeting.parent_takes(index):
            break
        mine.append(index)
        if parent_pause:
            time.sleep(parent_pause)
    theirs = helper.result()
    assert theirs is not None
    assert mine == list(range(len(mine))) and theirs == list(range(999, 999 - len(theirs), -1))
    assert 1000 <= len(mine) + len(theirs) <= 1001  # at most one taken by both, none by neither here
    if parent_pause:
        assert len(theirs) > len(mine)
    if helper_pause:
        assert len(mine) > len(theirs)


def test_the_parent_never_sees_the_helper_at_a_place_it_never_took() -> None:
    """The helper writes its place over and over (far above 0, going down) while this process reads
    it: every reading is one the helper wrote. struct.pack_into, which zero-fills before it packs,
    let this process see 0 in ~8 % of the readings, stop at once and wait for the helper."""
    meeting = forked.Meeting()
    lowest = 1 << 40

    def work(tell: Callable[[object], None]) -> int:
        index = lowest + 2_000_000
        while index > lowest and meeting.helper_takes(index):
            index -= 1
        return index

    helper = ForkedHelper.start(work)
    assert helper is not None
    readings, refused = 0, 0
    deadline = time.monotonic() + 0.3
    while time.monotonic() < deadline:
        readings += 1
        refused += not meeting.parent_takes(0)  # the helper stays far above 0: always True
    meeting.parent_takes(lowest + 3_000_000)  # now past the helper: it stops
    assert helper.result() is not None
    assert readings > 10_000 and refused == 0


def test_what_the_parent_sends_the_helper_hears_in_order_then_none() -> None:
    helper = ForkedHelper.start(lambda tell: [tell.hear(), tell.hear(), tell.hear()])
    assert helper is not None
    helper.send({"first": 1})
    helper.send("y" * 2_000_000)  # more than a pipe holds at once
    helper.sent_all()
    helper.send("after the end")  # not sent: the helper hears that nothing more comes
    assert helper.result() == [{"first": 1}, "y" * 2_000_000, None]


def test_a_helper_waiting_to_hear_hears_none_once_its_result_is_asked_for() -> None:
    """The parent that waits for the result sends no more: neither waits for the other."""
    helper = ForkedHelper.start(lambda tell: ("heard", tell.hear()))
    assert helper is not None
    assert helper.result() == ("heard", None)


def test_sending_to_a_helper_that_has_ended_is_harmless() -> None:
    helper = ForkedHelper.start(lambda tell: os._exit(0))
    assert helper is not None
    assert helper.told() is None  # it has ended
    for _ in range(3):
        helper.send("x" * 100_000)
    assert helper.result() is None


def test_a_helper_counts_as_running_until_its_result_is_taken_or_it_is_cancelled() -> None:
    before = forked.helpers_running()  # (other tests may leave theirs unreaped)
    first, second = start(lambda: 1), start(lambda: time.sleep(60))
    assert forked.helpers_running() == before + 2
    assert first.result() == 1
    assert forked.helpers_running() == before + 1
    second.cancel()
    assert forked.helpers_running() == before


def test_the_result_does_not_wait_for_the_helper_to_end_which_is_reaped_later(monkeypatch: pytest.MonkeyPatch) -> None:
    real_exit = os._exit
    monkeypatch.setattr(os, "_exit", lambda status: (time.sleep(1), real_exit(status)))  # a slow end, in the helper
    helper = start(os.getpid)
    started = time.monotonic()
    pid = helper.result()
    assert pid is not None and time.monotonic() - started < 0.9  # whole once sent: not waited for to end
    assert pid not in forked._running  # no longer counted as running
    time.sleep(1.2)
    assert start(lambda: 1).result() == 1  # a helper started reaps the ended ones first
    with pytest.raises(ChildProcessError):  # no zombie left behind
        os.waitpid(pid, os.WNOHANG)
