"""What briefgen exempts from the cyclic garbage collector, and for how long (collector.py)."""

from __future__ import annotations

import gc
import threading
import weakref
from collections.abc import Callable, Iterator
from contextlib import contextmanager

import pytest

from briefgen import collector
from briefgen.build.api import render
from briefgen.formats import Format, RenderOptions
from tests.conftest import MakeProject


class _Cycle:
    me: _Cycle | None = None


def _cycle() -> tuple[_Cycle, weakref.ref[_Cycle]]:
    cycle = _Cycle()
    cycle.me = cycle
    return cycle, weakref.ref(cycle)


@pytest.fixture(autouse=True)
def _thawed() -> Iterator[None]:
    collector.thaw()  # nothing frozen for good before (the command line, imported by another test)
    yield
    collector.thaw()  # nor after


def test_what_exists_during_a_layout_is_collected_again_after_it() -> None:
    cycle, alive = _cycle()
    with collector.frozen_meanwhile():
        del cycle
        gc.collect()
        assert alive() is not None  # exempt meanwhile
    gc.collect()
    assert alive() is None


def test_a_one_shot_command_keeps_what_it_froze_for_good_frozen() -> None:
    cycle, alive = _cycle()
    collector.freeze_for_good()  # as importing the command line does
    with collector.frozen_meanwhile():
        pass
    del cycle
    gc.collect()
    assert alive() is not None  # skipped by every collection, the one at exit too
    collector.thaw()
    gc.collect()
    assert alive() is None


def test_a_watch_leaves_no_saved_project_frozen(make_project: MakeProject) -> None:
    """Found measuring the watch: the command line's modules are frozen for good on import, and
    then so was every project a watch rendered (frozen for the layout, never unfrozen): the cycles
    of each save's dropped project were never freed."""
    from briefgen.build import watch as watch_module  # noqa: PLC0415

    config = make_project()
    collector.freeze_for_good()  # as importing the command line does
    cycle, alive = _cycle()  # made before a render, as the project of the save before is

    class StopAfterTheRender:
        def watching(self, dirs: object) -> None: ...
        def changed(self, paths: object) -> None: ...
        def rendered(self, result: object) -> None:
            stop.set()

        def failed(self, error: object) -> None:
            stop.set()

    stop = threading.Event()
    thread = threading.Thread(
        target=watch_module.watch,
        args=(config, (), RenderOptions((Format.MD,)), None, StopAfterTheRender()),
        kwargs={"stop": stop},
    )
    thread.start()
    thread.join(timeout=30)
    assert stop.is_set() and not thread.is_alive()
    del cycle
    gc.collect()
    assert alive() is None


def test_a_render_in_a_library_call_leaves_nothing_frozen(make_project: MakeProject) -> None:
    cycle, alive = _cycle()
    render(make_project(), options=RenderOptions(formats=(Format.MD,)))
    del cycle
    gc.collect()
    assert alive() is None


def _collections_of_the_oldest(work: Callable[[], object]) -> int:
    """How many collections of the oldest generation ran while `work` ran."""
    oldest: list[int] = []

    def seen(phase: str, info: dict[str, int]) -> None:
        if phase == "start" and info["generation"] == 2:
            oldest.append(1)

    gc.callbacks.append(seen)
    try:
        work()
    finally:
        gc.callbacks.remove(seen)
    return len(oldest)


def _many_objects_that_live() -> list[list[int]]:
    """Enough new containers that live on for the collector's own count to collect the oldest
    generation (it does once they are a quarter of what lived before)."""
    kept = [[i] for i in range(300_000)]
    return kept


def test_a_watch_runs_full_collections_only_when_it_waits() -> None:
    """Between saves a watch holds WeasyPrint, the fonts and a project: a full collection, run by the
    collector's own count, fell inside one save in three or four and made it half as long again."""
    gc.collect()
    assert _collections_of_the_oldest(_many_objects_that_live) > 0  # the collector's own count
    thresholds = gc.get_threshold()
    with collector.full_collections_when_idle() as collect:
        gc.collect()
        assert _collections_of_the_oldest(_many_objects_that_live) == 0
        cycle, alive = _cycle()
        del cycle
        assert _collections_of_the_oldest(collect) == 1 and alive() is None
    assert gc.get_threshold() == thresholds


def test_a_watch_collects_once_a_render_is_written(make_project: MakeProject, monkeypatch: pytest.MonkeyPatch) -> None:
    from briefgen.build import watch as watch_module  # noqa: PLC0415

    events: list[str] = []
    stop = threading.Event()

    def collected() -> None:
        events.append("collected")
        stop.set()

    @contextmanager
    def recorded() -> Iterator[Callable[[], None]]:
        yield collected

    monkeypatch.setattr(watch_module, "full_collections_when_idle", recorded)

    class Recorder:
        def watching(self, dirs: object) -> None: ...
        def changed(self, paths: object) -> None: ...
        def rendered(self, result: object) -> None:
            events.append("rendered")

        def failed(self, error: object) -> None:
            events.append("failed")

    thread = threading.Thread(
        target=watch_module.watch,
        args=(make_project(), (), RenderOptions((Format.MD,)), None, Recorder()),
        kwargs={"stop": stop},
    )
    thread.start()
    thread.join(timeout=30)
    assert not thread.is_alive()
    assert events == ["rendered", "collected"]
