"""What briefgen exempts from the cyclic garbage collector (`gc.freeze`), and for how long.

Frozen objects are still freed by reference counting, but never scanned, so a cycle among them
is never freed. Three uses:

- A one-shot command freezes for good what lives until the process ends: the command line's
  modules on import (~140,000 objects), a check's project at its end. The collections during the
  command, and the one when the interpreter exits, then skip them (`freeze_for_good`).
- Laying out PDFs makes cyclic garbage, so the collector runs then, but what exists before (the
  project) is exempt meanwhile (`frozen_meanwhile`): unfrozen after, unless frozen for good.
- A long-running command (a watch) drops each save's project at the next: it thaws everything at
  its start (`thaw`), so that nothing it reads afterwards stays frozen for good. Its full
  collections, which then scan every object of the process, it runs itself while it waits
  between saves (`full_collections_when_idle`).

Whether anything is frozen for good is remembered here: asking the collector
(`gc.get_freeze_count`) walks every frozen object, ~20 ms a save in a watch.
"""

from __future__ import annotations

import gc
from collections.abc import Callable, Iterator
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


# A threshold the count of the oldest generation never reaches: its collection runs only when asked.
_NEVER = 1 << 30


@contextmanager
def full_collections_when_idle() -> Iterator[Callable[[], None]]:
    """While the block runs, the oldest generation is collected only when the function given is
    called (the young ones as ever): for a long-running command, between its pieces of work. In a
    watch, a full collection scans the modules, WeasyPrint's and the fonts' objects and the project
    (~0.1-0.25 s): run by the collector's own count, it fell in one save of three or four and made
    that save take half as long again (bench/RESULTS.md); run while the watch waits, no save waits
    for it."""
    young, middle, oldest = gc.get_threshold()
    gc.set_threshold(young, middle, _NEVER)
    try:
        yield _collect_all
    finally:
        gc.set_threshold(young, middle, oldest)


def _collect_all() -> None:
    gc.collect()
