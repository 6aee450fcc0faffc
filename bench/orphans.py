"""CPU time of a command and everything it started, helpers left to end after it included.

`wait4` gives a process's CPU time and that of the children it reaped. A briefgen helper whose
result came whole is not waited for (briefgen/forked.py): the command may exit before it has
ended, and the helper is then reparented. With this process a child subreaper (Linux's
PR_SET_CHILD_SUBREAPER), it is reparented here, and `reaped_cpu` counts it.
"""

from __future__ import annotations

import contextlib
import ctypes
import os
import time

PR_SET_CHILD_SUBREAPER = 36


def adopt_orphans() -> None:
    """Make this process the reaper of the descendants whose parent ends before them (Linux)."""
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL(None, use_errno=True).prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0)


def reaped_cpu(timeout: float = 2.0) -> float:
    """CPU seconds of the children that end within `timeout` (the orphans of a command just
    waited for: call it when no other child runs)."""
    cpu, deadline = 0.0, time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            pid, _, usage = os.wait4(-1, os.WNOHANG)
        except ChildProcessError:
            break  # none left
        if pid:
            cpu += usage.ru_utime + usage.ru_stime
        else:
            time.sleep(0.002)  # one is still ending
    return cpu
