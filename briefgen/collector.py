"""What briefgen exempts from the cyclic garbage collector (`gc.freeze`), and for how long.

Frozen objects are still freed by reference counting, but never scanned, so a cycle among them
is never freed. Three uses:

- A one-shot command freezes for good what lives until the process ends: the command line's
  modules on import (~140,000 objects), a check's project at its end. The collections during the
  command, and the one when the interpreter exits, then skip them (`freeze_for_good`).
- Laying out PDFs makes cyclic garbage, so the collector runs then, but what exists before (the
  project) is exempt meanwhile (`frozen_meanwhile`): unfrozen after, unless frozen for good.
- A long-running command (a watch) drops each save's project at the next: it thaws everything at
  its start (`thaw`), so that nothing it reads afterwards stays frozen for good.

Whether anything is frozen for good is remembered here: asking the collector
(`gc.get_freeze_count`) walks every frozen object, ~20 ms a save in a watch.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager

_for_good = False  # whether something was frozen to stay so until the process ends


def freeze_for_good() -> None:
    """Exempt every object that exists now, until the process ends (or `thaw`)."""
    global _for_good  # noqa: PLW0603 - one process-wide state, as the collector's is
    gc.freeze()
    _for_good = True


def thaw() -> None:
    """Let the collector scan everything again, what was frozen for good included."""
    global _for_good  # noqa: PLW0603
    gc.unfreeze()
    _for_good = False


@contextmanager
def frozen_meanwhile() -> Iterator[None]:
    """Exempt what exists now while the block runs; unfrozen after, unless frozen for good."""
    gc.freeze()
    try:
        yield
    finally:
        if not _for_good:
            gc.unfreeze()
