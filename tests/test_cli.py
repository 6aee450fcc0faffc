"""The command line: exit codes, messages, outputs, and --help for every command."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from briefgen.build.api import RenderResult
from briefgen.build.write import WriteReport
from briefgen.cli import app, console
from briefgen.cli.console import EchoReporter
from briefgen.errors import Diagnostic, Location, Severity
from tests.conftest import ARTICLE, MINIMAL_YAML, MakeProject, line_of

runner = CliRunner()
COMMANDS = ["render", "check", "list", "report", "suggest", "init", "schema", "lock", "watch"]
PROJECT_COMMANDS = ["render", "check", "list", "report", "suggest", "lock", "watch"]  # those that read a project


def run(*args: str | Path) -> tuple[int, str, str]:
    result = runner.invoke(app, [str(a) for a in args])
    return result.exit_code, result.stdout, result.stderr


@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_has_help(command: str) -> None:
    code, out, _ = run(command, "--help")
    assert code == 0
    assert ("--config" in out) is (command in PROJECT_COMMANDS)


def test_help_imports_nothing_heavy() -> None:
    script = (
        "import sys\nfrom briefgen.cli import main\nsys.argv = ['briefgen', '--help']\n"
        "try:\n    main()\nexcept SystemExit:\n    pass\n"
        "print(sorted(m for m in ('pydantic', 'jinja2', 'weasyprint', 'yaml') if m in sys.modules))"
    )
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=False)
    assert result.stdout.strip().splitlines()[-1] == "[]", result.stderr


def test_top_level_help_lists_every_command() -> None:
    code, out, _ = run("--help")
    assert code == 0
    for command in COMMANDS:
        assert command in out


def test_check_of_the_shipped_project_counts_its_accepted_warnings(shipped_project: Path) -> None:
    code, out, err = run("check", "--config", shipped_project)
    assert (code, err) == (0, "")
    assert "ok — 3 briefs" in out and out.rstrip().endswith("; 8 accepted (listed by `briefgen report`)")


@pytest.mark.parametrize("args", [(), ("demo",), ("nope",)])
def test_check_leaves_the_garbage_collector_running(make_project: MakeProject, args: tuple[str, ...]) -> None:
    """`check` pauses the collector while it works; a caller in the same process (a test, a tool
    running the app in-process) must get it back running, whether the check passed or failed."""
    import gc  # noqa: PLC0415

    config = make_project(MINIMAL_YAML)
    assert gc.isenabled()
    try:
        code, _, _ = run("check", "--config", config, *args)
        assert code == (2 if args == ("nope",) else 0)
        assert gc.isenabled()
    finally:
        gc.enable()


def test_check_strict_passes_the_shipped_project_whose_warnings_are_all_accepted(shipped_project: Path) -> None:
    code, out, err = run("check", "--strict", "--config", shipped_project)
    assert (code, err) == (0, "")
    assert out.rstrip().endswith("; 8 accepted (listed by `briefgen report`)")


def test_check_strict_fails_on_a_warning_nobody_accepted_and_says_so(shipped_project: Path) -> None:
    text = shipped_project.read_text(encoding="utf-8")
    acceptance = next(line for line in text.splitlines(keepends=True) if line.strip().startswith("accept:"))
    shipped_project.write_text(text.replace(acceptance, "", 1), encoding="utf-8")
    code, out, err = run("check", "--strict", "--config", shipped_project)
    assert (code, out) == (1, "")
    assert err.count(": warning: ") == 1 and "rests on a single source" in err
    assert err.rstrip().endswith("1 warning found (--strict treats warnings as errors)")


def test_check_strict_passes_a_project_without_warnings(make_project: MakeProject) -> None:
    second_source = MINIMAL_YAML.replace("facts:\n", "  other: {file: seeds/b.txt}\nfacts:\n", 1).replace(
        "        quote: agreed on Monday to deepen defence-industry cooperation\n",
        "        quote: agreed on Monday to deepen defence-industry cooperation\n"
        "      - source: other\n        quote: agreed to deepen their cooperation\n",
    )
    articles = {"seeds/a.txt": ARTICLE, "seeds/b.txt": "Warsaw and Seoul agreed to deepen their cooperation.\n"}
    code, out, err = run("check", "--strict", "--config", make_project(second_source, articles))
    assert (code, err) == (0, "")
    assert "warning" not in out


def test_render_strict_writes_nothing_when_there_are_warnings(make_project: MakeProject, tmp_path: Path) -> None:
    config = make_project(MINIMAL_YAML.replace("facts:\n", "  spare: {file: seeds/a.txt}\nfacts:\n", 1))
    out = tmp_path / "site"
    code, _, err = run("render", "--strict", "--config", config, "-f", "md", "--out", out)
    assert code == 1
    assert "warning: source 'spare' is never cited" in err
    assert not out.exists()
    code, _, err = run("render", "--config", config, "-f", "md", "--out", out)
    assert code == 0 and "warning: source 'spare' is never cited" in err
    assert (out / "demo.md").exists()


def test_check_reports_located_errors_and_exits_1(make_project: MakeProject) -> None:
    text = MINIMAL_YAML.replace("quote: would move part", "quote: would move most")
    config = make_project(text)
    code, out, err = run("check", "--config", config)
    assert code == 1
    assert out == ""
    first = err.splitlines()[0]
    assert first == f"{config}:{line_of(text, 'would move most')}:16: error: quote not found in seeds/a.txt"
    assert "    hint: nearest passage" in err
    assert err.rstrip().endswith("1 error found")


def test_malformed_yaml_gets_a_located_error_not_a_traceback(make_project: MakeProject) -> None:
    config = make_project("facts:\n  - id: x\n    claim: [oops\nbriefs: {}\n")
    code, _, err = run("check", "--config", config)
    assert code == 1
    assert err.startswith(f"{config}:4:")
    assert "YAML syntax" in err
    assert "Traceback" not in err


def test_missing_config_is_a_clear_error(tmp_path: Path) -> None:
    code, _, err = run("check", "--config", tmp_path / "nope.yaml")
    assert code == 1
    assert "no such file" in err and "--config" in err


def test_unknown_brief_is_a_usage_error(make_project: MakeProject) -> None:
    code, _, err = run("render", "nope", "--config", make_project(), "--format", "md")
    assert code == 2
    assert "unknown brief 'nope'" in err and "demo" in err


def test_unknown_option_is_a_usage_error() -> None:
    code, _, _ = run("render", "--colour")
    assert code == 2


def test_render_markdown_only_writes_only_markdown(make_project: MakeProject, tmp_path: Path) -> None:
    out = tmp_path / "site"
    code, stdout, _ = run("render", "--config", make_project(), "--format", "md", "--out", out)
    assert code == 0
    assert sorted(p.name for p in out.iterdir()) == [".briefgen-cache.json", "demo.md"]
    assert f"wrote {out / 'demo.md'}" in stdout
    code, stdout, _ = run("render", "--config", make_project(), "--format", "md", "--out", out)
    assert stdout.splitlines()[-1] == "1 output up to date (inputs unchanged; --force re-renders)"
    assert "demo.md" not in stdout
    code, stdout, _ = run("render", "--config", make_project(), "--format", "md", "--out", out, "--force")
    assert f"unchanged {out / 'demo.md'}\n" in stdout
    assert "up to date" not in stdout


def test_default_out_is_beside_the_config(make_project: MakeProject) -> None:
    config = make_project()
    code, _, _ = run("render", "--config", config, "-f", "md", "-f", "html")
    assert code == 0
    names = sorted(p.name for p in (config.parent / "out").iterdir())
    assert names == [".briefgen-cache.json", "demo.html", "demo.md", "fonts"]


def test_a_failed_render_leaves_earlier_outputs_intact(make_project: MakeProject) -> None:
    config = make_project()
    assert run("render", "--config", config, "-f", "md")[0] == 0
    before = (config.parent / "out" / "demo.md").read_bytes()
    config.write_text(MINIMAL_YAML.replace("quote: would move part", "quote: would move most"), encoding="utf-8")
    code, _, _ = run("render", "--config", config, "-f", "md")
    assert code == 1
    assert (config.parent / "out" / "demo.md").read_bytes() == before


def test_list_shows_each_brief(shipped_project: Path) -> None:
    code, out, _ = run("list", "--config", shipped_project)
    assert code == 0
    for brief_id in ("korea-poland", "korea-nato", "korea-eu"):
        assert f"{brief_id}: " in out


def test_list_says_nothing_of_warnings_that_are_all_accepted(shipped_project: Path) -> None:
    code, out, err = run("list", "--config", shipped_project)
    assert code == 0 and "warning" not in out
    assert err == ""  # the shipped project's 8 warnings are all accepted


def test_counts_are_singular_when_there_is_one(make_project: MakeProject) -> None:
    config = make_project()  # one brief, one source, one section; one warning (a single-source bottom line)
    code, out, _ = run("check", "--config", config)
    assert code == 0
    assert out == f"{config}: ok — 1 brief, 2 facts, 1 source, 2 quotes verified; 1 warning\n"
    code, out, err = run("list", "--config", config)
    assert code == 0
    assert out.splitlines()[1] == "    2 facts, 1 source, 1 section, as of 2025-10-24, template brief.md.j2"
    assert err == "1 warning; `briefgen check` shows it\n"


@pytest.mark.parametrize(
    "command, scope",
    [
        ("list", "lists every brief of the project"),
        ("lock", "locks every quote of the project"),
    ],
)
def test_a_command_that_takes_no_arguments_says_what_it_takes(
    make_project: MakeProject, command: str, scope: str
) -> None:
    config = make_project()
    code, out, err = run(command, "korea-poland", "--config", config)
    assert (code, out) == (2, "")
    assert err.startswith(
        f"error: `briefgen {command}` takes no arguments, only options (got 'korea-poland'): it {scope}\n"
        "    hint: to render only some briefs: briefgen render korea-poland\n"
    )
    assert "Traceback" not in err and "unexpected extra argument" not in err


def test_check_given_a_project_file_as_an_argument_points_to_config(make_project: MakeProject) -> None:
    config = make_project()
    code, _, err = run("check", str(config))
    assert code == 2
    assert f"hint: to check another project file, name it with --config: briefgen check --config {config}" in err


@pytest.mark.parametrize("command", ["check", "report"])
def test_check_and_report_refuse_an_unknown_brief_id_listing_the_known_ones(
    make_project: MakeProject, command: str
) -> None:
    config = make_project()
    code, out, err = run(command, "korea-poland", "--config", config)
    assert (code, out) == (2, "")
    assert err == f"error: unknown brief 'korea-poland'\n    hint: briefs in {config}: demo\n"


def test_commands_that_take_no_arguments_show_none_in_their_usage() -> None:
    for command in ("list", "lock"):
        usage = run(command, "--help")[1]
        assert f"Usage: briefgen {command} [OPTIONS]" in usage and "[OPTIONS] [" not in usage
        assert run(command, "--colour")[0] == 2  # an unknown option is still click's usage error


def test_python_dash_m_runs_the_cli() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "briefgen", "--version"], capture_output=True, text=True, check=False
    )
    assert result.returncode == 0
    assert result.stdout.startswith("briefgen ")


def _with_output_unread(argv: list[str], cwd: Path) -> subprocess.CompletedProcess[str]:
    """Run `briefgen ARGV` with its standard output a pipe whose reader has gone (`| head -0`)."""
    read_end, write_end = os.pipe()
    os.close(read_end)
    try:
        return subprocess.run(
            [sys.executable, "-m", "briefgen", *argv],
            cwd=cwd,
            stdout=write_end,
            stderr=subprocess.PIPE,
            text=True,
            check=False,
            timeout=120,
        )
    finally:
        os.close(write_end)


@pytest.mark.parametrize("argv", [["check"], ["list"], ["schema"], ["render", "-f", "md"], ["--help"]])
def test_a_reader_that_stops_reading_ends_the_command_quietly(make_project: MakeProject, argv: list[str]) -> None:
    """`briefgen check | head -0`: the reader's choice, not a bug: status 1 and nothing said, as
    Typer does for --help; and what render wrote before printing stays written."""
    config = make_project()
    result = _with_output_unread(argv, config.parent)
    assert result.returncode == 1
    # Only the project's warnings (on standard error, which is still read): no "internal error", no
    # traceback, no "nothing was written".
    said = [line for line in result.stderr.splitlines() if not line.startswith(("briefs.yaml:", "    hint: "))]
    assert said == []
    if argv[0] == "render":
        assert sorted(p.name for p in (config.parent / "out").iterdir() if not p.name.startswith(".")) == ["demo.md"]


def test_a_pipe_is_gone_once_its_reader_has_closed_it(monkeypatch: pytest.MonkeyPatch) -> None:
    read_end, write_end = os.pipe()
    with open(write_end, "w") as output, open(os.devnull, "w") as quiet:
        monkeypatch.setattr(sys, "stdout", output)
        monkeypatch.setattr(sys, "stderr", quiet)
        assert not console._reader_gone()  # read: not gone
        os.close(read_end)
        assert console._reader_gone()
        monkeypatch.setattr(sys, "stdout", None)  # started with `>&-`
        assert not console._reader_gone()


def test_a_broken_pipe_that_is_not_the_output_is_still_an_internal_error(
    make_project: MakeProject, monkeypatch: pytest.MonkeyPatch
) -> None:
    config = make_project()

    def broken(*_: object, **__: object) -> None:
        raise BrokenPipeError(32, "Broken pipe")  # as from a pipe of briefgen's own (a helper's)

    monkeypatch.setattr("briefgen.build.checking.check", broken)
    code, _, err = run("check", "--config", config)
    assert code == 70
    assert "internal error: BrokenPipeError" in err


@pytest.mark.parametrize(
    ("argv", "status", "ends_at_once"),
    [(["check"], 0, True), (["check", "demo"], 0, True), (["check", "--strict"], 1, True), (["list"], 0, False)],
)
def test_a_check_ends_the_process_at_once_with_everything_said(
    make_project: MakeProject, argv: list[str], status: int, ends_at_once: bool
) -> None:
    config = make_project()  # one warning: a single source
    script = (
        "import atexit, sys\n"
        "atexit.register(lambda: print('torn down', file=sys.stderr))\n"
        "from briefgen.cli import main\n"
        "sys.argv = ['briefgen', *sys.argv[2:], '--config', sys.argv[1]]\n"
        "main()\n"
    )
    command = [sys.executable, "-c", script, str(config), *argv]
    result = subprocess.run(command, capture_output=True, text=True, check=False)
    assert result.returncode == status, result.stderr
    assert ("torn down" not in result.stderr) == ends_at_once
    if argv[0] == "check":
        assert "warning: bottom-line fact 'deepen' rests on a single source" in result.stderr
        assert (": ok — " in result.stdout) == (status == 0)


@pytest.mark.parametrize(
    ("argv", "rendered_before"),
    [
        (["render", "-f", "md"], False),
        (["render", "-f", "md", "-f", "html"], False),
        (["render", "-f", "md"], True),  # every output up to date
        (["check"], False),
        (["list"], False),
        (["--help"], False),
        (["render", "--help"], False),
    ],
)
@pytest.mark.slow
def test_commands_that_make_no_pdf_do_not_import_weasyprint(
    make_project: MakeProject, argv: list[str], rendered_before: bool
) -> None:
    config = make_project()
    if rendered_before:
        assert run("render", "-f", "md", "--config", config)[0] == 0
    script = (
        "import sys\n"
        "from briefgen.cli import app\n"  # what main() runs (main would end the process after a check)
        "sys.argv = ['briefgen', *sys.argv[2:], *(['--config', sys.argv[1]] if '--help' not in sys.argv else [])]\n"
        "try:\n    app(prog_name='briefgen')\nexcept SystemExit:\n    pass\n"
        "print('weasyprint' in sys.modules)"
    )
    command = [sys.executable, "-c", script, str(config), *argv]
    result = subprocess.run(command, capture_output=True, text=True, check=False)
    assert result.stdout.strip().splitlines()[-1] == "False", result.stderr


def test_check_imports_none_of_rendering(make_project: MakeProject) -> None:
    """`check` stops at validation: it imports neither assembling nor the build, the templates'
    engine nor a renderer (all imported before a cold check can fork its helper: build/checking.py)."""
    script = (
        "import sys\n"
        "from briefgen.cli import app\n"
        "sys.argv = ['briefgen', 'check', '--config', sys.argv[1]]\n"
        "try:\n    app(prog_name='briefgen')\nexcept SystemExit:\n    pass\n"
        "print(sorted(m for m in sys.modules if m.startswith(('briefgen.assemble', 'briefgen.build.api', "
        "'briefgen.build.plan', 'briefgen.build.cache', 'briefgen.renderers.pdf', 'briefgen.renderers.markdown', "
        "'jinja2', 'markdown_it', 'concurrent.futures'))))"
    )
    command = [sys.executable, "-c", script, str(make_project())]
    result = subprocess.run(command, capture_output=True, text=True, check=False)
    assert result.stdout.strip().splitlines()[-1] == "[]", result.stdout + result.stderr


def test_render_writes_wikitext_and_json_beside_the_markdown(make_project: MakeProject, tmp_path: Path) -> None:
    out = tmp_path / "site"
    code, stdout, err = run(
        "render", "--config", make_project(), "-f", "md", "-f", "mediawiki", "-f", "json", "-o", out
    )
    assert code == 0, err
    assert f"wrote {out / 'demo.wiki'}" in stdout
    assert sorted(p.name for p in out.iterdir()) == [".briefgen-cache.json", "demo.json", "demo.md", "demo.wiki"]
    assert '<ref name="n1">' in (out / "demo.wiki").read_text(encoding="utf-8")
    assert json.loads((out / "demo.json").read_text(encoding="utf-8"))["id"] == "demo"


def test_flavor_and_front_matter_shape_the_markdown(make_project: MakeProject, tmp_path: Path) -> None:
    config = make_project()
    code, _, _ = run("render", "-c", config, "-f", "md", "--flavor", "github-wiki", "--front-matter", "-o", tmp_path)
    assert code == 0
    page = (tmp_path / "demo.md").read_text(encoding="utf-8")
    assert page.startswith("---\ntitle: Demo brief\n")
    assert "<sup>[1](#note-1)</sup>" in page and "[^" not in page


def test_unknown_flavor_is_a_usage_error(make_project: MakeProject) -> None:
    code, _, err = run("render", "-c", make_project(), "-f", "md", "--flavor", "confluence")
    assert code == 2
    assert "confluence" in err


def test_render_help_names_every_format_and_flavor() -> None:
    out = runner.invoke(app, ["render", "--help"], env={"COLUMNS": "200"}).stdout
    for name in ("mediawiki", "json", "github-wiki", "mkdocs", "pandoc", "--front-matter"):
        assert name in out


def test_jobs_must_be_at_least_one(make_project: MakeProject) -> None:
    code, _, err = run("render", "--config", make_project(), "--jobs", "0")
    assert code == 2
    assert "--jobs" in err


@pytest.mark.slow
def test_no_progress_bar_when_not_in_a_terminal(shipped_project: Path) -> None:
    code, out, err = run("render", "--config", shipped_project, "-f", "md", "-f", "pdf", "--jobs", "1")
    assert code == 0
    assert "laying out PDFs" not in err and "━" not in err  # only the project's warnings
    assert len([line for line in out.splitlines() if line.startswith("wrote ") and "/out/korea-" in line]) == 6


def test_render_help_shows_the_defaults_it_describes() -> None:
    code, out, _ = run("render", "--help")
    assert code == 0
    for default in (
        "[default: md, pdf]",
        "[default: out/ beside the config]",
        "[default: helpers only where they pay]",
    ):
        assert default in " ".join(out.replace("│", " ").split())


# -- what a watch prints ---------------------------------------------------------------------------------


def _warning(line: int, message: str) -> Diagnostic:
    return Diagnostic(Location(Path("briefs.yaml"), line, 5), message, "a hint", Severity.WARNING, "never-cited")


def _rendered(reporter: EchoReporter, capsys: pytest.CaptureFixture[str], *warnings: Diagnostic) -> tuple[str, str]:
    reporter.rendered(RenderResult(WriteReport((), (Path("out/demo.md"),)), warnings))
    captured = capsys.readouterr()
    return captured.out.strip(), captured.err


def test_a_watch_shows_only_the_warnings_that_are_new_or_gone(capsys: pytest.CaptureFixture[str]) -> None:
    reporter, spare, other = EchoReporter(), "source 'spare' is never cited", "source 'other' is never cited"
    out, err = _rendered(reporter, capsys, _warning(3, spare))
    assert out == "ok — 0 files written, 1 unchanged; 1 warning"
    assert err == f"briefs.yaml:3:5: warning: {spare}\n    hint: a hint\n"
    # A save that moves the warning (a line added above it) does not show it again.
    assert _rendered(reporter, capsys, _warning(4, spare)) == (
        "ok — 0 files written, 1 unchanged; 1 warning, none new",
        "",
    )
    out, err = _rendered(reporter, capsys, _warning(4, spare), _warning(9, other))
    assert out.endswith("; 2 warnings, 1 new")
    assert err == f"briefs.yaml:9:5: warning: {other}\n    hint: a hint\n"
    out, err = _rendered(reporter, capsys, _warning(9, other))
    assert out.endswith("; 1 warning, 1 gone")
    assert err == f"briefs.yaml: warning gone: {spare}\n"
    out, err = _rendered(reporter, capsys)
    assert (out, err) == (
        "ok — 0 files written, 1 unchanged; no warnings, 1 gone",
        f"briefs.yaml: warning gone: {other}\n",
    )
    assert _rendered(reporter, capsys) == ("ok — 0 files written, 1 unchanged", "")


def test_one_of_two_equal_warnings_going_is_shown(capsys: pytest.CaptureFixture[str]) -> None:
    """Two briefs with one single-source fact in their bottom lines give the same warning twice."""
    reporter, twice = EchoReporter(), "bottom-line fact 'deal' rests on a single source (a)"
    _rendered(reporter, capsys, _warning(3, twice), _warning(9, twice))
    out, err = _rendered(reporter, capsys, _warning(3, twice))
    assert out.endswith("; 1 warning, 1 gone")
    assert err == f"briefs.yaml: warning gone: {twice}\n"
