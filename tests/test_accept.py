"""`accept:` — a warning a curator has reviewed is counted and listed, not repeated, never hidden."""

from __future__ import annotations

import json

from typer.testing import CliRunner

from briefgen.cli import app
from tests.conftest import MINIMAL_YAML, MakeProject, line_of

runner = CliRunner()
ACCEPTED = MINIMAL_YAML.replace(
    "    date: 2025-10-20\n    cite:",
    '    date: 2025-10-20\n    accept: {single-source: "only one outlet has reported it so far"}\n    cite:',
    1,
)


def test_an_accepted_warning_is_counted_and_listed_not_repeated(make_project: MakeProject) -> None:
    config = make_project(ACCEPTED)
    result = runner.invoke(app, ["check", "--config", str(config)])
    assert result.exit_code == 0
    assert "warning" not in result.stderr
    assert result.stdout.strip().endswith("2 quotes verified; 1 accepted (listed by `briefgen report`)")
    report = runner.invoke(app, ["report", "--config", str(config)])
    assert "Accepted warnings" in report.stdout
    assert "single-source: bottom-line fact 'deepen' rests on a single source (art)" in report.stdout
    assert "accepted: only one outlet has reported it so far" in report.stdout
    (item,) = json.loads(runner.invoke(app, ["report", "--json", "--config", str(config)]).stdout)["accepted"]
    assert item["kind"] == "single-source" and item["reason"] == "only one outlet has reported it so far"
    assert item["line"] == line_of(ACCEPTED, "bottom_line: [deepen]")


def test_strict_passes_when_every_warning_is_accepted(make_project: MakeProject) -> None:
    assert runner.invoke(app, ["check", "--strict", "--config", str(make_project(MINIMAL_YAML))]).exit_code == 1
    assert runner.invoke(app, ["check", "--strict", "--config", str(make_project(ACCEPTED))]).exit_code == 0


def test_an_acceptance_that_matches_no_warning_is_itself_a_warning(make_project: MakeProject) -> None:
    text = ACCEPTED.replace("accept: {single-source:", "accept: {possibly-stale:")
    result = runner.invoke(app, ["check", "--config", str(make_project(text))])
    assert result.exit_code == 0
    line = line_of(text, "accept:")
    assert f"briefs.yaml:{line}:14: warning: fact 'deepen' accepts 'possibly-stale' warnings, but it has none" in (
        result.stderr
    )
    assert "rests on a single source" in result.stderr  # not accepted: still a warning


def test_an_acceptance_without_a_reason_accepts_nothing(make_project: MakeProject) -> None:
    text = ACCEPTED.replace('"only one outlet has reported it so far"', '"  "')
    result = runner.invoke(app, ["check", "--strict", "--config", str(make_project(text))])
    assert result.exit_code == 1
    assert "fact 'deepen' accepts 'single-source' warnings without a reason" in result.stderr
    assert "rests on a single source" in result.stderr


def test_an_unknown_kind_is_a_located_error(make_project: MakeProject) -> None:
    text = ACCEPTED.replace("accept: {single-source:", "accept: {single-sourced:")
    result = runner.invoke(app, ["check", "--config", str(make_project(text))])
    assert result.exit_code == 1
    assert f"briefs.yaml:{line_of(text, 'accept:')}:" in result.stderr
    assert "facts[0].accept (fact 'deepen'): 'single-sourced' is not allowed here" in result.stderr
    assert "did you mean 'single-source'?" in result.stderr
