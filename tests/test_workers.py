"""The default number of PDF processes: a pure decision from predicted work, start cost and free cores."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from briefgen.formats import PdfVariant
from briefgen.renderers.pdf import workers
from briefgen.renderers.pdf.job import EvidenceFile, PdfJob
from briefgen.renderers.pdf.workers import (
    HELPER_START,
    MARGIN,
    choose_workers,
    default_workers,
    estimated_cost,
    predicted_time,
)

SHIPPED = [0.38, 0.69, 0.40]  # the three shipped briefs' layout, CPU seconds


def test_small_work_stays_in_process_even_on_an_idle_machine() -> None:
    assert choose_workers(SHIPPED, cpus=2, free=2.0) == 1
    assert choose_workers([5.0], cpus=8, free=8.0) == 1  # one PDF: nothing to share
    assert choose_workers([], cpus=8, free=8.0) == 1


def test_large_work_with_free_cores_uses_helpers() -> None:
    assert choose_workers([1.0] * 20, cpus=2, free=2.0) == 2
    assert choose_workers([1.0] * 40, cpus=4, free=4.0) == 4
    assert choose_workers([1.0] * 3, cpus=4, free=4.0) == 3  # never more processes than PDFs


def test_busy_cores_mean_fewer_helpers_or_none() -> None:
    work = [1.0] * 40
    assert choose_workers(work, cpus=4, free=2.0) == 2  # only the free cores are counted
    assert choose_workers(work, cpus=2, free=1.0) == 1  # the other core busy: helpers only steal
    assert choose_workers(work, cpus=2, free=0.0) == 1  # both busy
    assert choose_workers([0.45] * 4, cpus=2, free=2.0) == 2
    assert choose_workers([0.45] * 4, cpus=2, free=1.5) == 1  # same work, less room


def test_helpers_are_chosen_only_beyond_the_margin() -> None:
    for n in range(2, 30):
        work = [0.45] * n
        chosen = choose_workers(work, cpus=2, free=2.0)
        ratio = predicted_time(work, 2, 2.0) / predicted_time(work, 1, 2.0)
        assert chosen == (2 if ratio <= MARGIN else 1), n


def test_predicted_time_replays_the_queue() -> None:
    # The main process lays out at once; the helper joins after its start and takes the next PDF.
    assert predicted_time([1.0, 1.0, 1.0], 1, 2.0) == 3.0
    assert predicted_time([0.5, 0.5, 0.5], 2, 2.0, start=0.9) == pytest.approx(1.4)  # helper: 0.9-1.4
    # Two processes on one free core run at half speed, and the helper's start costs twice as long.
    # Main: 0-2 s; helper ready at 1 s, lays out the second PDF from 1 to 3 s.
    assert predicted_time([1.0, 1.0], 2, 1.0, start=0.5) == pytest.approx(3.0)
    # Ten 1 s PDFs: main takes five (0-5 s), the helper from its start on takes the other five.
    assert predicted_time([1.0] * 10, 2, 2.0) == pytest.approx(HELPER_START + 5.0)


def job(html_kb: int, attached_kb: int) -> PdfJob:
    evidence = (EvidenceFile("a.txt", "", b"x" * attached_kb * 1000),) if attached_kb else ()
    stamp = dt.datetime(2025, 1, 1, tzinfo=dt.UTC)
    return PdfJob(Path("x.pdf"), "x" * html_kb * 1000, (), evidence, stamp, PdfVariant.UA1)


def test_cost_grows_with_what_weasyprint_is_given() -> None:
    assert estimated_cost(job(21, 30)) == pytest.approx(0.38, abs=0.05)  # korea-poland, measured 0.37-0.40 s
    assert estimated_cost(job(40, 0)) < estimated_cost(job(40, 150)) < estimated_cost(job(80, 150))


def test_default_samples_the_machine_only_when_a_helper_could_pay(monkeypatch: pytest.MonkeyPatch) -> None:
    def no_sampling(cpus: int) -> float:
        raise AssertionError("sampled")

    monkeypatch.setattr(workers, "usable_cpus", lambda: 2)
    monkeypatch.setattr(workers, "free_cpus", no_sampling)
    shipped_size = [job(21, 30), job(37, 57), job(21, 31)]
    assert default_workers(shipped_size) == 1
    large = [job(41, 150)] * 20
    monkeypatch.setattr(workers, "free_cpus", lambda cpus: 2.0)
    assert default_workers(large) == 2
    monkeypatch.setattr(workers, "free_cpus", lambda cpus: 1.0)  # the other core busy
    assert default_workers(large) == 1
