"""Templates fail loudly: every failure names the template file and line, through the real CLI."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from briefgen.cli import app
from briefgen.cli.console import NOTHING_WRITTEN
from tests.conftest import MakeProject

runner = CliRunner()

# (the template's third line, the message expected for it)
FAILURES = {
    "undefined-variable": ("{{ nope }}", "'nope' is undefined"),
    "undefined-attribute": ("{{ brief.brief.nope }}", "has no attribute 'nope'"),
    "syntax-error": ("{% if %}", "template syntax: Expected an expression"),
    "missing-include": ('{% include "missing.css" %}', "template 'missing.css' not found"),
    "type-error": ("{{ brief.brief.title + 1 }}", "TypeError: can only concatenate str"),
    "zero-division": ("{{ 1 / 0 }}", "ZeroDivisionError: division by zero"),
}
# Which template each format renders through, and the text the rest of the override needs.
TEMPLATES = {
    "md": ("brief.md.j2", "# {{ brief.brief.title }}\n\n{line}\n"),
    "html": ("screen.html.j2", "<!DOCTYPE html>\n<html><head><title>x</title></head>\n{line}\n{{{{ body }}}}\n"),
    "pdf": ("print.html.j2", "<!DOCTYPE html>\n<html><head><title>x</title></head>\n{line}\n{{{{ body }}}}\n"),
}


@pytest.mark.parametrize("fmt", TEMPLATES)
@pytest.mark.parametrize("failure", FAILURES)
def test_a_failing_template_is_named_with_its_line(
    make_project: MakeProject, tmp_path: Path, fmt: str, failure: str
) -> None:
    config = make_project()
    name, text = TEMPLATES[fmt]
    line, message = FAILURES[failure]
    template = config.parent / "templates" / name
    template.parent.mkdir()
    # The Markdown template is plain text; the HTML ones go through str.format for the {line} slot.
    template.write_text(text.replace("{line}", line).replace("{{{{", "{{").replace("}}}}", "}}"), encoding="utf-8")
    assert template.read_text(encoding="utf-8").splitlines()[2] == line
    out = tmp_path / "out"
    result = runner.invoke(app, ["render", "--config", str(config), "-o", str(out), "-f", fmt])
    assert result.exit_code == 1
    assert "Traceback" not in result.output
    first = result.stderr.splitlines()[0]
    assert first.startswith(f"error: {template}:3: "), result.stderr
    assert message in first
    assert result.stderr.rstrip().endswith(NOTHING_WRITTEN)
    assert not out.exists()


def test_a_missing_template_lists_the_directories_searched(make_project: MakeProject, tmp_path: Path) -> None:
    config = make_project()
    config.write_text(
        config.read_text(encoding="utf-8").replace(
            "    title: Demo brief", "    title: Demo brief\n    template: x.j2"
        ),
        encoding="utf-8",
    )
    result = runner.invoke(app, ["render", "--config", str(config), "-o", str(tmp_path / "out"), "-f", "md"])
    assert result.exit_code == 1
    # Located at the `template:` value, as `check` reports it (before anything is rendered).
    line = config.read_text(encoding="utf-8").splitlines().index("    template: x.j2") + 1
    assert result.stderr.startswith(
        f"{config}:{line}:15: error: brief 'demo': template 'x.j2' not found\n    hint: searched: "
    )
    assert str(config.parent / "templates") not in result.stderr  # it does not exist, so it is not searched
    assert "templates" in result.stderr.splitlines()[1]


def test_extending_a_missing_builtin_names_the_line(make_project: MakeProject, tmp_path: Path) -> None:
    config = make_project()
    (config.parent / "templates").mkdir()
    template = config.parent / "templates" / "brief.md.j2"
    template.write_text('{# my brief #}\n{% extends "builtin/nothing.md.j2" %}\n', encoding="utf-8")
    result = runner.invoke(app, ["render", "--config", str(config), "-o", str(tmp_path / "out"), "-f", "md"])
    assert result.exit_code == 1
    assert result.stderr.startswith(f"error: {template}:2: template 'builtin/nothing.md.j2' not found")
