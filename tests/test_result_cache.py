"""`.briefgen-cache/`: a large briefs.yaml's parse is reused only for the same text, and nothing
in the directory is trusted unless this user's briefgen wrote it."""

from __future__ import annotations

import dataclasses
import os
import shutil
import signal
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from briefgen import forked
from briefgen.limits import Limits
from briefgen.project import parse_cache, result_cache
from briefgen.project.parse_cache import parse_yaml_cached
from briefgen.project.yamldoc import YamlProblem, parse_yaml
from tests.conftest import MINIMAL_YAML

TEXT = MINIMAL_YAML + "".join(
    f"  extra{i}:\n    title: A brief with “quotes” and Hangul 한국 {i}\n    note: No\n    when: 2025-10-2{i % 10}\n"
    for i in range(3)
)


@pytest.fixture(autouse=True)
def storing() -> Iterator[None]:
    """As inside check, render and watch: results may be stored."""
    with result_cache.writing():
        yield


@pytest.fixture(autouse=True)
def own_key(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "user-cache"))
    monkeypatch.delenv("BRIEFGEN_CACHE", raising=False)
    monkeypatch.setattr(parse_cache, "MIN_CACHED_CHARS", 0)
    result_cache._signing_key.cache_clear()
    yield
    result_cache._signing_key.cache_clear()


def project(tmp_path: Path) -> Path:
    path = tmp_path / "project" / "briefs.yaml"
    path.parent.mkdir()
    path.write_text(TEXT, encoding="utf-8")
    return path


def fields(document: object) -> tuple[object, ...]:
    return dataclasses.astuple(document)  # type: ignore[call-overload]


def test_a_cached_parse_is_the_parse(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = project(tmp_path)
    fresh = parse_yaml(TEXT, path, Limits())
    assert fields(parse_yaml_cached(TEXT, path, Limits())) == fields(fresh)  # parsed, then stored

    def no_parsing(*args: object) -> None:
        raise AssertionError("parsed again")

    monkeypatch.setattr(parse_cache, "parse_yaml", no_parsing)
    again = parse_yaml_cached(TEXT, path, Limits())
    assert fields(again) == fields(fresh)
    assert again.locate(("briefs", "extra2", "title")) == fresh.locate(("briefs", "extra2", "title"))
    assert again.written_as(("briefs", "extra1", "note")) == "No"


def test_other_text_or_limits_are_parsed_afresh(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = project(tmp_path)
    parse_yaml_cached(TEXT, path, Limits())
    calls = []
    real = parse_cache.parse_yaml

    def counting(*args: object) -> object:
        calls.append(args)
        return real(*args)  # type: ignore[arg-type]

    monkeypatch.setattr(parse_cache, "parse_yaml", counting)
    edited = TEXT.replace("extra1", "extra9")
    assert parse_yaml_cached(edited, path, Limits()).data["briefs"].keys() >= {"extra9"}
    parse_yaml_cached(edited, path, Limits(yaml_depth=10))
    assert len(calls) == 2


@pytest.mark.parametrize("how", ["another user's key", "edited", "truncated", "a symlink"])
def test_a_cache_not_written_by_this_user_is_ignored(tmp_path: Path, how: str) -> None:
    path = project(tmp_path)
    parse_yaml_cached(TEXT, path, Limits())
    (stored,) = (path.parent / result_cache.CACHE_DIR).glob("*.parse")
    data = stored.read_bytes()
    if how == "another user's key":  # e.g. a cache that came with a cloned project
        shutil.rmtree(tmp_path / "user-cache")
        result_cache._signing_key.cache_clear()
    elif how == "edited":
        stored.write_bytes(data.replace(b"A brief", b"B brief"))
    elif how == "truncated":
        stored.write_bytes(data[: len(data) // 2])
    else:
        elsewhere = tmp_path / "elsewhere.json"
        elsewhere.write_bytes(data)
        stored.unlink()
        stored.symlink_to(elsewhere)
    format_ = data.split(b"\n", 2)[1].decode()  # what the entry says it is
    assert result_cache.read_signed(path.parent, stored.name, format_) is None
    assert fields(parse_yaml_cached(TEXT, path, Limits())) == fields(parse_yaml(TEXT, path, Limits()))


def test_no_key_no_cache(tmp_path: Path) -> None:
    (tmp_path / "user-cache").write_text("a file where the directory would go", encoding="utf-8")
    result_cache._signing_key.cache_clear()
    path = project(tmp_path)
    assert not result_cache.enabled()
    assert fields(parse_yaml_cached(TEXT, path, Limits())) == fields(parse_yaml(TEXT, path, Limits()))
    assert not (path.parent / result_cache.CACHE_DIR).exists()


def test_nothing_is_stored_outside_check_render_and_watch(tmp_path: Path) -> None:
    """`add --dry-run`, `suggest`: they load and validate, and must leave the project as it was."""
    path = project(tmp_path)
    with result_cache.writing():
        pass
    token = result_cache._WRITING.set(False)
    try:
        parse_yaml_cached(TEXT, path, Limits())
    finally:
        result_cache._WRITING.reset(token)
    assert not (path.parent / result_cache.CACHE_DIR).exists()


@pytest.mark.parametrize("left", [b"", b"\x01" * 7])
def test_a_key_file_left_short_is_made_again(tmp_path: Path, left: bytes) -> None:
    """A key file cut short (the process stopped between creating and writing it, a full disk) must
    not turn caching off for good: a new key replaces it, and what it signs is read back."""
    key = result_cache.key_path()
    key.parent.mkdir(parents=True)
    key.write_bytes(left)
    assert result_cache.enabled()
    assert len(key.read_bytes()) == result_cache.KEY_BYTES and key.stat().st_mode & 0o077 == 0
    path = project(tmp_path)
    result_cache.write_signed(path.parent, "x", "fmt", b"body")
    assert result_cache.read_signed(path.parent, "x", "fmt") == b"body"


def test_a_key_that_is_not_a_regular_file_is_left_alone(tmp_path: Path) -> None:
    key = result_cache.key_path()
    key.parent.mkdir(parents=True)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.write_bytes(b"")
    key.symlink_to(elsewhere)
    assert not result_cache.enabled()
    assert key.is_symlink() and elsewhere.read_bytes() == b""


def test_an_edit_inside_one_fact_reads_that_fact_only(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = project(tmp_path)
    parse_yaml_cached(TEXT, path, Limits())

    def no_parsing(*args: object) -> None:
        raise AssertionError("parsed in full")

    real = parse_cache.parse_yaml
    monkeypatch.setattr(parse_cache, "parse_yaml", no_parsing)
    first = TEXT.replace("agreed to deepen", "agreed on Monday to deepen")
    assert fields(parse_yaml_cached(first, path, Limits())) == fields(real(first, path, Limits()))
    second = first.replace("deepen defence-industry cooperation.", "deepen\n      defence-industry cooperation.")
    assert second.count("\n") == first.count("\n") + 1  # a line more: what follows moves down
    assert fields(parse_yaml_cached(second, path, Limits())) == fields(real(second, path, Limits()))
    monkeypatch.setattr(parse_cache, "parse_yaml", real)
    with pytest.raises(YamlProblem):
        parse_yaml_cached(second.replace("claim: The", 'claim: "The'), path, Limits())  # an error: nothing kept
    monkeypatch.setattr(parse_cache, "parse_yaml", no_parsing)
    third = second.replace("on Monday to", "on Tuesday to")  # read again from what was kept before the error
    assert fields(parse_yaml_cached(third, path, Limits())) == fields(real(third, path, Limits()))


@pytest.fixture
def apart(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every entry is written apart, whatever its size and however busy the machine is (and beside
    pytest-xdist's threads, which a forked writer does not meet)."""
    monkeypatch.setattr(result_cache, "MIN_APART_BYTES", 0)
    monkeypatch.setattr(result_cache, "may_fork", lambda: True)
    monkeypatch.setattr(result_cache, "helpers_running", lambda: 0)  # (another test's left unreaped)
    monkeypatch.setattr(result_cache, "SINCE_START", FreeWindow())


class FreeWindow:
    def free_besides_us(self) -> float:
        return 1.0


@pytest.mark.usefixtures("apart")
def test_a_large_entry_is_written_apart_and_is_in_place_once_writing_ends(tmp_path: Path) -> None:
    root = tmp_path / "project"
    root.mkdir()
    with result_cache.writing():
        result_cache.write_signed_apart(root, "entry", "format", lambda: str(os.getpid()).encode(), 1)
        assert len(result_cache._APART) == 1  # a writer is at work
    assert not result_cache._APART  # it has ended
    written = result_cache.read_signed(root, "entry", "format")
    assert written is not None and int(written) != os.getpid()  # made and written by the writer


@pytest.mark.usefixtures("apart")
def test_a_writer_apart_that_fails_leaves_the_entry_as_it_was(tmp_path: Path) -> None:
    root = tmp_path / "project"
    root.mkdir()
    result_cache.write_signed(root, "entry", "format", b"before")

    def fails() -> bytes:
        raise RuntimeError("no memory")

    with result_cache.writing():
        result_cache.write_signed_apart(root, "entry", "format", fails, 1)
    assert result_cache.read_signed(root, "entry", "format") == b"before"


@pytest.mark.usefixtures("apart")
def test_no_writer_apart_while_another_helper_runs_or_when_none_can_be_forked(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = tmp_path / "project"
    root.mkdir()
    monkeypatch.setattr(result_cache, "helpers_running", forked.helpers_running)
    busy = forked.ForkedHelper.start(lambda tell: time.sleep(60))
    assert busy is not None
    try:
        result_cache.write_signed_apart(root, "entry", "format", lambda: str(os.getpid()).encode(), 1)
        assert not result_cache._APART  # written here: the other helper has the free CPU
        assert result_cache.read_signed(root, "entry", "format") == str(os.getpid()).encode()
    finally:
        busy.cancel()
    monkeypatch.setattr(forked.ForkedHelper, "start", lambda work: None)  # no process can be forked
    result_cache.write_signed_apart(root, "entry", "format", lambda: b"here", 1)
    assert not result_cache._APART
    assert result_cache.read_signed(root, "entry", "format") == b"here"


@pytest.mark.usefixtures("apart")
def test_a_parse_written_apart_is_the_parse(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = project(tmp_path)
    fresh = parse_yaml(TEXT, path, Limits())
    with result_cache.writing():
        assert fields(parse_yaml_cached(TEXT, path, Limits())) == fields(fresh)
        assert len(result_cache._APART) == 1
    monkeypatch.setattr(parse_cache, "parse_yaml", lambda *args: pytest.fail("parsed again"))
    assert fields(parse_yaml_cached(TEXT, path, Limits())) == fields(fresh)


def slow_body(seconds: float, data: bytes) -> Callable[[], bytes]:
    return lambda: time.sleep(seconds) or data


@pytest.mark.usefixtures("apart")
def test_a_writer_apart_is_not_stopped_halfway_by_a_ctrl_c(tmp_path: Path) -> None:
    """A Ctrl-C goes to the whole process group: the writer writes the entry whole, leaving no
    temporary file behind."""
    root = tmp_path / "project"
    root.mkdir()
    with result_cache.writing():
        result_cache.write_signed_apart(root, "entry", "format", slow_body(0.3, b"whole"), 1)
        pid = result_cache._APART[0]._pid
        assert pid is not None
        time.sleep(0.1)
        os.kill(pid, signal.SIGINT)
    assert result_cache.read_signed(root, "entry", "format") == b"whole"
    assert [p.name for p in (root / result_cache.CACHE_DIR).iterdir()] == ["entry"]


@pytest.mark.usefixtures("apart")
def test_a_wait_for_writers_apart_that_is_interrupted_leaves_them_to_write_and_end(tmp_path: Path) -> None:
    root = tmp_path / "project"
    root.mkdir()

    def interrupt(signum: int, frame: object) -> None:
        raise KeyboardInterrupt

    previous = signal.signal(signal.SIGALRM, interrupt)
    try:
        with pytest.raises(KeyboardInterrupt), result_cache.writing():
            result_cache.write_signed_apart(root, "entry", "format", slow_body(0.6, b"written on"), 1)
            pid = result_cache._APART[0]._pid
            signal.setitimer(signal.ITIMER_REAL, 0.2)  # while writing() waits for the writer
    finally:
        signal.signal(signal.SIGALRM, previous)
    assert not result_cache._APART and pid not in forked._running  # no longer waited for, nor counted
    time.sleep(1.0)
    assert result_cache.read_signed(root, "entry", "format") == b"written on"
    started = forked.ForkedHelper.start(lambda tell: 1)  # which reaps it, ended
    assert started is not None and started.result() == 1
    with pytest.raises(ChildProcessError):
        os.waitpid(pid, os.WNOHANG)
