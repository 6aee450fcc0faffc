"""`briefgen watch`, for real: a subprocess on a temporary project, files saved, outputs awaited."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from tests.conftest import ARTICLE, MINIMAL_YAML, MakeProject, line_of

pytestmark = pytest.mark.slow  # lays out PDFs or watches real files: seconds per test

TIMEOUT = 20.0  # seconds to wait for any one expected effect (a render takes well under one)


class Watch:
    """A running `briefgen watch` whose standard error is collected as it arrives."""

    def __init__(self, config: Path, *args: str) -> None:
        self.config = config
        self.out = config.parent / "out" / "demo.md"
        self.process = subprocess.Popen(
            [sys.executable, "-m", "briefgen", "watch", "--config", str(config), "-f", "md", *args],
            cwd=config.parent,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env={**os.environ, "PYTHONUNBUFFERED": "1"},
        )
        self.stderr: list[str] = []
        self.stdout: list[str] = []
        self.readers = [
            threading.Thread(target=lambda s=stream, k=sink: k.extend(iter(s.readline, "")), daemon=True)
            for stream, sink in ((self.process.stderr, self.stderr), (self.process.stdout, self.stdout))
        ]
        for reader in self.readers:
            reader.start()

    def drained(self) -> None:
        """Once the process has exited: wait until everything it wrote has been read."""
        for reader in self.readers:
            reader.join(timeout=TIMEOUT)

    def wait_for(self, what: str, condition: Callable[[], bool]) -> None:
        deadline = time.monotonic() + TIMEOUT
        while time.monotonic() < deadline:
            if condition():
                return
            assert self.process.poll() is None, (
                f"watch exited ({self.process.returncode}) waiting for {what}:\n{self.log}"
            )
            time.sleep(0.05)
        pytest.fail(f"timed out waiting for {what}:\n{self.log}")

    def output_has(self, text: str) -> bool:
        return self.out.exists() and text in self.out.read_text(encoding="utf-8")

    def renders(self) -> int:
        """Successful renders so far (each prints one `ok — …` line)."""
        return sum(line.startswith("ok — ") for line in list(self.stdout))

    @property
    def log(self) -> str:
        return "".join(self.stderr)

    def save(self, path: Path, text: str) -> None:
        """Save as an editor does: write a temporary file, rename it over the old one."""
        temp = path.with_name(f".{path.name}.swp")
        temp.write_text(text, encoding="utf-8")
        temp.replace(path)


@pytest.fixture
def watch(make_project: MakeProject) -> Iterator[Watch]:
    running = Watch(make_project())
    yield running
    if running.process.poll() is None:
        running.process.kill()
        running.process.wait(timeout=TIMEOUT)


def test_watch_rerenders_on_save_reports_errors_and_keeps_running(watch: Watch) -> None:
    config, article = watch.config, watch.config.parent / "seeds" / "a.txt"
    watch.wait_for("the first render", lambda: watch.output_has("The two sides agreed to deepen"))
    watch.wait_for("the watch to start", lambda: "watching" in watch.log)

    # 1. briefs.yaml saved with a new claim: the output follows.
    watch.save(config, MINIMAL_YAML.replace("The two sides agreed", "The two sides formally agreed"))
    watch.wait_for("the new claim", lambda: watch.output_has("The two sides formally agreed"))

    # 2. Broken YAML: a located error, the process keeps running, the output is left as it was.
    before = watch.out.read_bytes()
    broken = MINIMAL_YAML + "extra: [unclosed\n"
    watch.save(config, broken)
    watch.wait_for(
        "the YAML error", lambda: f"{config.name}:{line_of(broken, 'extra:') + 1}:1: error: YAML" in watch.log
    )
    assert watch.process.poll() is None
    assert watch.out.read_bytes() == before

    # 3. Fixed again: it recovers.
    watch.save(config, MINIMAL_YAML.replace("The two sides agreed", "The two sides recovered"))
    watch.wait_for("recovery", lambda: watch.output_has("The two sides recovered"))

    # 4. An article saved so that a quote no longer matches: the error is at the quote's line.
    watch.save(article, ARTICLE.replace("would move part of its production", "might move some production"))
    quote_line = line_of(MINIMAL_YAML, "quote: would move part")
    watch.wait_for("the quote error", lambda: f"{config.name}:{quote_line}:16: error: quote not found" in watch.log)
    renders = watch.renders()
    watch.save(article, ARTICLE)
    watch.wait_for("a render of the fixed article", lambda: watch.renders() > renders)

    # 5. A template created in the project's templates/ (a directory that did not exist) is picked up.
    (config.parent / "templates").mkdir()
    watch.save(
        config.parent / "templates" / "brief.md.j2",
        '{% extends "builtin/brief.md.j2" %}{% block header %}# Watched template\n\n{% endblock %}',
    )
    watch.wait_for("the template", lambda: watch.output_has("# Watched template"))

    # Ctrl-C: a clean stop, exit 0, no traceback.
    watch.process.send_signal(signal.SIGINT)
    assert watch.process.wait(timeout=TIMEOUT) == 0
    watch.drained()
    assert "stopped watching" in watch.log
    assert "Traceback" not in watch.log


def test_watch_ignores_its_own_writes(watch: Watch) -> None:
    watch.wait_for("the first render", lambda: watch.output_has("The two sides agreed"))
    watch.wait_for("the watch to start", lambda: "watching" in watch.log)
    time.sleep(1.5)  # longer than a batch of saves: a render of its own writes would show by now
    assert "changed:" not in watch.log
    watch.process.send_signal(signal.SIGTERM)
    assert watch.process.wait(timeout=TIMEOUT) == 0


def test_watch_with_an_unknown_brief_is_a_usage_error(make_project: MakeProject) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "briefgen", "watch", "nope", "--config", str(make_project()), "-f", "md"],
        capture_output=True,
        text=True,
        timeout=TIMEOUT,
        check=False,
    )
    assert result.returncode == 2
    assert "unknown brief 'nope'" in result.stderr


@pytest.mark.parametrize("out", [".", "..", "seeds", "templates"])
def test_watch_into_a_directory_holding_what_it_watches_is_refused(make_project: MakeProject, out: str) -> None:
    """A watch ignores changes inside its output directory, so there it would never see a save: it says so."""
    config = make_project()
    (config.parent / "templates").mkdir(exist_ok=True)
    result = subprocess.run(
        [sys.executable, "-m", "briefgen", "watch", "--config", str(config), "-f", "md", "-o", out],
        capture_output=True,
        text=True,
        timeout=TIMEOUT,
        check=False,
        cwd=config.parent,
    )
    assert result.returncode == 2, result.stderr
    assert "would never see a save" in result.stderr and "--out out" in result.stderr
    assert not (config.parent / out / "demo.md").exists()


def test_a_brief_whose_inputs_did_not_change_is_not_laid_out_again(
    make_project: MakeProject, monkeypatch: pytest.MonkeyPatch
) -> None:
    """What each watch render relies on: the build cache skips a PDF whose inputs are unchanged."""
    import briefgen.renderers.pdf.layout  # noqa: PLC0415
    from briefgen.build.api import render  # noqa: PLC0415
    from briefgen.formats import Format, RenderOptions  # noqa: PLC0415

    layouts: list[str] = []
    monkeypatch.setattr(
        briefgen.renderers.pdf.layout, "render_pdf", lambda html, dirs, **_: layouts.append(html) or b"%PDF-"
    )
    config, pdf = make_project(), RenderOptions((Format.PDF,))
    render(config, options=pdf)
    render(config, options=pdf)
    assert len(layouts) == 1
    config.write_text(MINIMAL_YAML.replace("agreed to deepen", "agreed again to deepen"), encoding="utf-8")
    render(config, options=pdf)
    assert len(layouts) == 2


def test_each_save_reads_the_project_once(make_project: MakeProject, monkeypatch: pytest.MonkeyPatch) -> None:
    """One read serves the render and the choice of what to watch next (it used to be two)."""
    from briefgen.build import api  # noqa: PLC0415
    from briefgen.build import watch as watch_module  # noqa: PLC0415
    from briefgen.formats import Format, RenderOptions  # noqa: PLC0415

    config = make_project()
    reads: list[Path] = []
    real_load = watch_module.load_project
    for module in (watch_module, api):  # wherever the project could be read from
        monkeypatch.setattr(module, "load_project", lambda path, *rest: reads.append(path) or real_load(path, *rest))
    rendered: list[object] = []

    class Collect:
        def watching(self, dirs: object) -> None: ...
        def changed(self, paths: object) -> None: ...
        def rendered(self, result: object) -> None:
            rendered.append(result)

        def failed(self, error: object) -> None:
            rendered.append(error)

    stop = threading.Event()
    options = RenderOptions((Format.MD,))
    thread = threading.Thread(
        target=watch_module.watch, args=(config, (), options, None, Collect()), kwargs={"stop": stop}
    )
    thread.start()
    try:
        deadline = time.monotonic() + TIMEOUT
        while not rendered and time.monotonic() < deadline:
            time.sleep(0.05)
        reads_before_save = len(reads)
        config.write_text(config.read_text(encoding="utf-8") + "# saved again\n", encoding="utf-8")
        while len(rendered) < 2 and time.monotonic() < deadline:
            time.sleep(0.05)
    finally:
        stop.set()
        thread.join(timeout=TIMEOUT)
    assert len(rendered) == 2, rendered
    assert reads_before_save == 2  # the start (scope) and the first render
    assert len(reads) - reads_before_save == 1
