"""Issue 12, item 9: SIGTERM, SIGINT or SIGHUP during a parallel PDF build ends every helper, leaves
the earlier outputs whole, and the exit status says it was interrupted (128 + the signal)."""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
import weasyprint
from typer.testing import CliRunner

from briefgen.cli.commands import app
from briefgen.errors import forget_interruption, interrupt
from tests.conftest import REPO

pytestmark = pytest.mark.slow  # lays out real PDFs in helper processes


def _group_is_gone(pgid: int, within: float) -> bool:
    deadline = time.monotonic() + within
    while time.monotonic() < deadline:
        try:
            os.killpg(pgid, 0)
        except ProcessLookupError:
            return True
        time.sleep(0.05)
    return False


def _has_helper(pid: int, within: float) -> bool:
    """Whether `pid` comes to have a spawned multiprocessing child (a PDF helper) within `within` s."""
    deadline = time.monotonic() + within
    while time.monotonic() < deadline:
        with contextlib.suppress(OSError):
            for child in Path(f"/proc/{pid}/task/{pid}/children").read_text().split():
                if b"spawn_main" in Path(f"/proc/{child}/cmdline").read_bytes():
                    return True
        time.sleep(0.01)
    return False


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT, signal.SIGHUP], ids=["TERM", "INT", "HUP"])
def test_a_signal_stops_every_helper_and_leaves_outputs_whole(tmp_path: Path, signum: int) -> None:
    for name in ("briefs.yaml", "briefs.lock.json"):
        shutil.copy(REPO / name, tmp_path / name)
    shutil.copytree(REPO / "seeds", tmp_path / "seeds")
    briefgen = [sys.executable, "-m", "briefgen", "render", "-f", "pdf"]
    subprocess.run(briefgen, cwd=tmp_path, check=True, capture_output=True, timeout=120)
    before = {p.name: p.read_bytes() for p in (tmp_path / "out").iterdir()}

    # A session of its own: the process group then holds briefgen, its helpers and their resource tracker.
    build = subprocess.Popen(
        [*briefgen, "--force", "-j", "3"],
        cwd=tmp_path,
        start_new_session=True,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    # Once a helper has started, the PDFs are being laid out (the main process lays out too): a
    # fixed delay instead let a fast machine finish first, and the signal then met an exiting process.
    assert _has_helper(build.pid, within=60), "no helper process started"
    os.kill(build.pid, signum)
    try:
        _, err = build.communicate(timeout=30)  # orphaned helpers would hold the pipes open: a hang
    finally:
        if build.poll() is None:
            os.killpg(build.pid, signal.SIGKILL)
    assert _group_is_gone(build.pid, within=10), "a helper outlived briefgen"
    if build.returncode == 0:
        pytest.skip("the build finished before the signal arrived (a fast machine)")
    assert build.returncode == 128 + signum
    assert b"interrupted" in err
    after = {p.name: p.read_bytes() for p in (tmp_path / "out").iterdir() if not p.name.startswith(".")}
    assert after == {name: data for name, data in before.items() if not name.startswith(".")}


def test_a_signal_that_weasyprint_swallows_still_stops_the_build_and_writes_nothing(
    shipped_project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """WeasyPrint catches BaseException while it draws an SVG image (the timeline figure): a signal
    arriving then used to be logged as "Failed to render SVG image" and the PDF written without its
    figure, exit 0 — or, on a busy machine, the build went on long after the kill."""
    lay_out = weasyprint.HTML.write_pdf

    def swallowing_a_signal(self: weasyprint.HTML, *args: object, **kwargs: object) -> bytes:
        with contextlib.suppress(BaseException):  # what WeasyPrint's SVG drawing does
            interrupt(signal.SIGHUP)
        return lay_out(self, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(weasyprint.HTML, "write_pdf", swallowing_a_signal)
    command = ["render", "korea-eu", "-f", "pdf", "-j", "1", "--config", str(shipped_project)]
    try:
        result = CliRunner().invoke(app, command)
    finally:
        forget_interruption()
    assert result.exit_code == 128 + signal.SIGHUP
    assert "interrupted" in result.output
    out = shipped_project.parent / "out"
    assert not out.exists() or not any(out.glob("*.pdf"))
