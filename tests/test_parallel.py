"""PDF layout across processes: results in order, progress reported, a failure raised in the parent."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from briefgen.formats import PdfVariant
from briefgen.renderers.pdf.job import PdfJob
from briefgen.renderers.pdf.pool import render_pdfs
from briefgen.renderers.templates import builtin_dir

pytestmark = pytest.mark.slow  # lays out PDFs or watches real files: seconds per test

STAMP = dt.datetime(2025, 10, 24, tzinfo=dt.UTC)


def job(name: str, dirs: tuple[Path, ...] = (builtin_dir(),)) -> PdfJob:
    html = f"<!DOCTYPE html><html lang='en'><head><title>{name}</title></head><body><p>{name}</p></body></html>"
    return PdfJob(Path(f"{name}.pdf"), html, dirs, (), STAMP, PdfVariant.UA1)


def test_workers_return_every_pdf_in_job_order_and_report_progress() -> None:
    calls: list[tuple[int, int]] = []
    jobs = [job("one"), job("two"), job("three")]
    pdfs = render_pdfs(jobs, workers=2, progress=lambda done, total: calls.append((done, total)))
    assert list(pdfs) == [Path("one.pdf"), Path("two.pdf"), Path("three.pdf")]
    assert all(data.startswith(b"%PDF-") for data in pdfs.values())
    assert calls == [(0, 3), (1, 3), (2, 3), (3, 3)]
    assert pdfs == render_pdfs(jobs, workers=1)  # serial gives the same bytes


def test_a_failing_pdf_raises_in_the_parent() -> None:
    with pytest.raises(IndexError):  # a job without template directories cannot set its base URL
        render_pdfs([job("good"), job("bad", dirs=())], workers=2)
