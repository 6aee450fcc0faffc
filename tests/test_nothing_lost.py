"""Nothing lost: writes are atomic and all-or-nothing, survive `kill -9`, and concurrent renders agree."""

from __future__ import annotations

import errno
import os
import re
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

import briefgen
from briefgen.build import write
from briefgen.build.write import atomic_write, write_outputs
from briefgen.cli import app
from briefgen.cli.console import NOTHING_WRITTEN
from briefgen.errors import OutputError
from briefgen.formats import Format, RenderOptions
from tests.conftest import FUZZ_SCALE, MINIMAL_YAML, MakeProject, seeded_rng

REPEATS = FUZZ_SCALE  # more kills for a longer run, as for the fuzz tests
TEMP_FILE = re.compile(r"^\.(?P<output>.+)\.[^.]+\.tmp$")  # what mkstemp makes in write.py


def files_in(directory: Path) -> dict[str, bytes]:
    return {p.relative_to(directory).as_posix(): p.read_bytes() for p in sorted(directory.rglob("*")) if p.is_file()}


def temp_files(directory: Path) -> list[Path]:
    return [p for p in directory.rglob("*") if TEMP_FILE.match(p.name)]


# -- interrupted writes (simulated) ----------------------------------------------------------------


def test_a_write_failing_midway_leaves_the_old_file_and_no_temporary_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "brief.md"
    target.write_bytes(b"old content")

    def disk_full(fd: int) -> None:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(write.os, "fsync", disk_full)  # the new bytes are half on their way
    with pytest.raises(OutputError, match=r"cannot write: No space left on device") as raised:
        atomic_write(target, b"new content " * 10_000)
    assert raised.value.format() == f"{target}: error: cannot write: No space left on device"  # located
    assert target.read_bytes() == b"old content"
    assert os.listdir(tmp_path) == ["brief.md"]


def test_an_interrupt_midway_leaves_the_old_file_and_no_temporary_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "brief.md"
    target.write_bytes(b"old content")

    def interrupted(fd: int) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(write.os, "fsync", interrupted)
    with pytest.raises(KeyboardInterrupt):
        write_outputs({tmp_path / "other.md": b"other", target: b"new"})
    assert os.listdir(tmp_path) == ["brief.md"]
    assert target.read_bytes() == b"old content"


def test_writing_is_all_or_nothing_when_one_output_cannot_be_staged(tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    (out / "a.md").write_bytes(b"old a")
    (out / "c.md").mkdir()  # a directory where an output should go
    with pytest.raises(OutputError, match="a directory is in the way"):
        write_outputs({out / "a.md": b"new a", out / "b.md": b"new b", out / "c.md": b"new c"})
    assert files_in(out) == {"a.md": b"old a"}
    assert not temp_files(out)


def test_a_rename_failing_midway_says_what_was_replaced_and_cleans_up(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls: list[str] = []
    real_replace = os.replace

    def second_rename_fails(source: str, target: str | Path) -> None:
        calls.append(str(target))
        if len(calls) == 2:
            raise OSError(errno.EIO, os.strerror(errno.EIO))
        real_replace(source, target)

    monkeypatch.setattr(write.os, "replace", second_rename_fails)
    outputs = {tmp_path / name: name.encode() for name in ("a.md", "b.md", "c.md")}
    with pytest.raises(OutputError) as caught:
        write_outputs(outputs)
    assert caught.value.written == (tmp_path / "a.md",)
    assert f"already replaced: {tmp_path / 'a.md'}" in (caught.value.hint or "")
    assert files_in(tmp_path) == {"a.md": b"a.md"}
    assert not temp_files(tmp_path)


def test_unchanged_outputs_are_not_rewritten(tmp_path: Path) -> None:
    target = tmp_path / "brief.md"
    write_outputs({target: b"same"})
    before = target.stat().st_ino  # every write renames a new file into place: a new inode
    report = write_outputs({target: b"same"})
    assert report.unchanged == (target,) and report.written == ()
    assert target.stat().st_ino == before


def test_the_next_write_removes_what_a_killed_write_left_only_once_it_is_stale(tmp_path: Path) -> None:
    target = tmp_path / "brief.md"
    stale, fresh = tmp_path / ".brief.md.k1ll3d.tmp", tmp_path / ".brief.md.l1v3.tmp"
    others = [tmp_path / ".other.md.k1ll3d.tmp", tmp_path / ".brief.md.notes", tmp_path / "brief.md.k1ll3d.tmp"]
    for path in (stale, fresh, *others):
        path.write_bytes(b"half")
    two_hours_ago = time.time() - 2 * write.STALE_TEMP_SECONDS
    for path in (stale, *others):
        os.utime(path, (two_hours_ago, two_hours_ago))
    assert all(TEMP_FILE.match(p.name) for p in (stale, fresh))
    write_outputs({target: b"brief"})
    assert not stale.exists()  # left by a killed write, long ago
    assert fresh.exists()  # may belong to a write in progress right now
    assert all(path.exists() for path in others)  # another output's, or not a temporary file at all
    write_outputs({target: b"brief"})  # unchanged output: the clean-up still runs
    assert fresh.exists()


def test_outputs_get_the_usual_permissions_not_mkstemps(tmp_path: Path) -> None:
    atomic_write(tmp_path / "brief.md", b"x")
    mask = os.umask(0)
    os.umask(mask)
    assert (tmp_path / "brief.md").stat().st_mode & 0o777 == 0o666 & ~mask


def test_outputs_staged_in_threads_get_the_usual_permissions_and_leave_the_umask_alone(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Reading the umask sets it for a moment: only the main thread may (a staging thread reading
    it meanwhile would see 0, put 0 back, and every later file would be world-writable)."""
    readers: list[str] = []
    real_umask = os.umask

    def umask(mask: int) -> int:
        readers.append(threading.current_thread().name)
        return real_umask(mask)

    monkeypatch.setattr(write.os, "umask", umask)
    before = real_umask(0o027)
    try:
        write_outputs({tmp_path / f"{n}.md": b"x" for n in "abcdef"})
        assert real_umask(0o027) == 0o027  # as it was set
    finally:
        real_umask(before)
    assert {(tmp_path / f"{n}.md").stat().st_mode & 0o777 for n in "abcdef"} == {0o640}
    assert readers and set(readers) == {threading.main_thread().name}


def test_a_signal_between_two_outputs_being_staged_leaves_no_temporary_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The signal handler raises in the main thread wherever it is: here, between two submits,
    while the first output is being staged in a thread."""
    (tmp_path / "a.md").write_bytes(b"old a")

    class InterruptedPool(write.ThreadPoolExecutor):
        def submit(self, *args: Any, **kwargs: Any) -> Any:
            if getattr(self, "submitted", 0):
                raise KeyboardInterrupt
            self.submitted = 1
            return super().submit(*args, **kwargs)

    monkeypatch.setattr(write, "ThreadPoolExecutor", InterruptedPool)
    with pytest.raises(KeyboardInterrupt):
        write_outputs({tmp_path / "a.md": b"new a", tmp_path / "b.md": b"new b"})
    assert files_in(tmp_path) == {"a.md": b"old a"}
    assert not temp_files(tmp_path)


def test_a_symlinked_output_is_replaced_not_followed(tmp_path: Path) -> None:
    victim = tmp_path / "victim.txt"
    victim.write_bytes(b"precious")
    (tmp_path / "out").mkdir()
    (tmp_path / "out" / "brief.md").symlink_to(victim)
    write_outputs({tmp_path / "out" / "brief.md": b"brief"})
    assert victim.read_bytes() == b"precious"
    assert (tmp_path / "out" / "brief.md").read_bytes() == b"brief"
    assert not (tmp_path / "out" / "brief.md").is_symlink()


# -- failed runs, through the CLI -------------------------------------------------------------------

runner = CliRunner()


def test_a_run_failing_while_rendering_writes_nothing_and_says_so(make_project: MakeProject, tmp_path: Path) -> None:
    config = make_project()
    out = tmp_path / "out"
    assert runner.invoke(app, ["render", "--config", str(config), "-o", str(out), "-f", "md"]).exit_code == 0
    before = {p: (p.read_bytes(), p.stat().st_ino) for p in out.iterdir()}
    # A second brief whose template fails: the first brief renders fine, but nothing may be written.
    config.write_text(
        MINIMAL_YAML.replace("Demo brief", "Demo brief, changed")
        + "  broken:\n    title: Broken\n    as_of: 2025-10-24\n    bottom_line: [k2]\n    template: broken.md.j2\n",
        encoding="utf-8",
    )
    (config.parent / "templates").mkdir()
    (config.parent / "templates" / "broken.md.j2").write_text("# {{ brief.nope }}\n", encoding="utf-8")
    result = runner.invoke(app, ["render", "--config", str(config), "-o", str(out), "-f", "md"])
    assert result.exit_code == 1
    assert "broken.md.j2:1:" in result.stderr and "'nope'" in result.stderr
    assert result.stderr.rstrip().endswith(NOTHING_WRITTEN)
    assert {p: (p.read_bytes(), p.stat().st_ino) for p in out.iterdir()} == before


def test_an_output_directory_that_cannot_be_made_writes_nothing(make_project: MakeProject, tmp_path: Path) -> None:
    (tmp_path / "blocker").write_text("a file, not a directory", encoding="utf-8")
    command = ["render", "--config", str(make_project()), "-o", str(tmp_path / "blocker" / "out"), "-f", "md"]
    result = runner.invoke(app, command)
    assert result.exit_code in (1, 2)  # click may refuse the path itself
    assert "Traceback" not in result.output
    assert (tmp_path / "blocker").read_text(encoding="utf-8") == "a file, not a directory"


# -- kill -9 -----------------------------------------------------------------------------------------

WRITER = """
import sys
import threading
from pathlib import Path
from typing import Any
from briefgen.build.write import write_outputs
out = Path(sys.argv[1])
versions = [{out / f"f{i}.bin": bytes([65 + v]) * 2_000_000 for i in range(3)} for v in (0, 1)]
print("ready", flush=True)
n = 0
while True:
    write_outputs(versions[n % 2])
    n += 1
"""


@pytest.mark.slow
def test_kill_9_during_writes_leaves_every_file_whole(tmp_path: Path) -> None:
    """Kill a process that rewrites three 2 MB files in a loop, at random moments: each file is
    always all A or all B, never a mixture or a truncation."""
    rng, seed = seeded_rng()
    out = tmp_path / "out"
    whole = {b"A" * 2_000_000, b"B" * 2_000_000}
    for attempt in range(8 * REPEATS):
        process = subprocess.Popen([sys.executable, "-c", WRITER, str(out)], stdout=subprocess.PIPE)
        assert process.stdout is not None and process.stdout.readline() == b"ready\n"
        time.sleep(rng.uniform(0.0, 0.25))
        process.send_signal(signal.SIGKILL)
        process.wait()
        for name in ("f0.bin", "f1.bin", "f2.bin"):
            if (out / name).exists():  # the first attempts may be killed before the first rename
                assert (out / name).read_bytes() in whole, f"{name} damaged (attempt {attempt}, seed {seed})"
        leftovers = [p.name for p in out.iterdir() if p.name not in ("f0.bin", "f1.bin", "f2.bin")]
        assert all(TEMP_FILE.match(name) for name in leftovers), leftovers


ONE_BRIEF = ("korea-eu",)
ALL_FORMATS = RenderOptions((Format.MD, Format.HTML, Format.PDF))


def cli_render(config: Path, out: Path, brief_ids: tuple[str, ...]) -> list[str]:
    formats = ["-f", "md", "-f", "html", "-f", "pdf"]
    return [sys.executable, "-m", "briefgen", "render", *brief_ids, *formats, "--config", str(config), "-o", str(out)]


@pytest.mark.slow
def test_kill_9_of_a_render_leaves_every_earlier_output_whole(shipped_project: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    briefgen.render(shipped_project, ONE_BRIEF, ALL_FORMATS, out)
    before = files_in(out)
    text = shipped_project.read_text(encoding="utf-8")
    shipped_project.write_text(text.replace("FOR DISCUSSION", "FOR A LATER DISCUSSION"), encoding="utf-8")
    rng, seed = seeded_rng()
    snapshots = []
    for _ in range(3 * REPEATS):  # killed while starting, validating, laying out or writing
        process = subprocess.Popen(cli_render(shipped_project, out, ONE_BRIEF), stderr=subprocess.DEVNULL)
        time.sleep(rng.uniform(0.2, 1.0))
        process.send_signal(signal.SIGKILL)
        process.wait()
        snapshots.append({name: data for name, data in files_in(out).items() if not TEMP_FILE.match(Path(name).name)})
    briefgen.render(shipped_project, ONE_BRIEF, ALL_FORMATS, out)
    after = files_in(out)
    assert before["korea-eu.md"] != after["korea-eu.md"]
    for snapshot in snapshots:
        assert set(snapshot) == set(before)
        for name, data in snapshot.items():
            assert data in (before[name], after[name]), f"{name} is neither the old nor the new version (seed {seed})"
    # A killed process cannot remove its temporary file; any left is hidden and named as one.
    assert all(TEMP_FILE.match(Path(name).name) for name in set(files_in(out)) - set(after))


# -- concurrent renders --------------------------------------------------------------------------------


@pytest.mark.slow
def test_three_concurrent_renders_write_what_one_render_writes(shipped_project: Path, tmp_path: Path) -> None:
    command = cli_render(shipped_project, tmp_path / "shared", ONE_BRIEF)
    processes = [subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE) for _ in range(3)]
    errors = [process.communicate()[1] for process in processes]
    assert [process.returncode for process in processes] == [0, 0, 0], errors
    briefgen.render(shipped_project, ONE_BRIEF, ALL_FORMATS, tmp_path / "alone")
    shared, alone = files_in(tmp_path / "shared"), files_in(tmp_path / "alone")
    assert sorted(shared) == sorted(alone)
    assert shared == alone
    assert not temp_files(tmp_path / "shared")
