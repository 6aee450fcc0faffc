"""A forked helper (forked.py): its result comes back; a helper that fails or is stopped says so."""

from __future__ import annotations

import os
import threading
import time

import pytest

from briefgen.forked import ForkedHelper, may_fork


def test_the_helpers_result_comes_back() -> None:
    parent = os.getpid()
    helper = ForkedHelper(lambda: {"pid": os.getpid(), "data": list(range(100_000))})
    found = helper.result()
    assert found is not None
    assert found["pid"] != parent  # computed in another process
    assert found["data"] == list(range(100_000))  # more than a pipe holds at once


def fails() -> None:
    raise RuntimeError("in the helper")


def test_a_helper_that_raises_returns_none() -> None:
    assert ForkedHelper(fails).result() is None


def test_a_helper_that_is_killed_returns_none() -> None:
    assert ForkedHelper(lambda: os.kill(os.getpid(), 9)).result() is None


def test_a_cancelled_helper_is_stopped_and_reaped() -> None:
    helper = ForkedHelper(lambda: time.sleep(60))
    pid = helper._pid
    assert pid is not None
    started = time.monotonic()
    helper.cancel()
    assert time.monotonic() - started < 10
    with pytest.raises(ChildProcessError):  # reaped: no zombie left behind
        os.waitpid(pid, os.WNOHANG)
    helper.cancel()  # twice is harmless


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
