"""What decides whether a helper process would pay: the CPUs we may use and how idle the others are."""

from __future__ import annotations

import time
from pathlib import Path

from briefgen.cpus import MIN_WINDOW_TICKS, CpuWindow, idle_ticks, usable_cpus


def stat_file(path: Path, cpu0: tuple[int, int], cpu1: tuple[int, int]) -> Path:
    """A /proc/stat with two CPUs, each as (busy, idle) ticks."""
    path.write_text(
        f"cpu  0 0 0 0 0 0 0 0 0 0\ncpu0 {cpu0[0]} 0 0 {cpu0[1]} 0 0 0 0 0 0\n"
        f"cpu1 {cpu1[0]} 0 0 {cpu1[1]} 0 0 0 0 0 0\nintr 12345\n",
        encoding="ascii",
    )
    return path


def test_idle_ticks_count_only_the_cpus_we_may_use(tmp_path: Path) -> None:
    stat = tmp_path / "stat"
    stat.write_text(
        "cpu  30 0 10 60 0 0 0 0 0 0\ncpu0 10 0 5 80 5 0 0 0 0 0\ncpu1 20 0 5 20 0 0 0 0 0 0\nintr 12345\n",
        encoding="ascii",
    )
    assert idle_ticks({0}, stat) == (85, 100)
    assert idle_ticks({0, 1}, stat) == (105, 145)


def test_a_window_counts_the_cpus_left_idle_besides_ours(tmp_path: Path) -> None:
    stat = stat_file(tmp_path / "stat", (100, 100), (100, 100))
    window = CpuWindow(stat, {0, 1})
    stat_file(stat, (150, 100), (100, 150))  # ours busy, the other idle: one CPU free
    assert window.free_besides_us() == 1.0
    stat_file(stat, (150, 100), (140, 110))  # the other CPU busy four fifths of the time
    assert window.free_besides_us() == 0.2


def test_a_window_too_short_or_unreadable_says_nothing(tmp_path: Path) -> None:
    stat = stat_file(tmp_path / "stat", (100, 100), (100, 100))
    window = CpuWindow(stat, {0, 1})
    stat_file(stat, (100 + MIN_WINDOW_TICKS, 100), (100, 100 + MIN_WINDOW_TICKS - 1))
    assert window.free_besides_us() is None  # fewer than MIN_WINDOW_TICKS per CPU
    stat.unlink()
    assert window.free_besides_us() is None
    assert CpuWindow(tmp_path / "missing").free_besides_us() is None


def test_a_window_on_this_machine_measures_something() -> None:
    window = CpuWindow()
    busy_until = time.monotonic() + 0.3  # 30 ticks at the usual 100 a second, on our own CPU
    while time.monotonic() < busy_until:
        pass
    free = window.free_besides_us()
    assert free is not None
    assert 0.0 <= free <= usable_cpus() - 0.5  # our own CPU was busy: never counted as free
