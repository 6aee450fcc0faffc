"""`briefgen init DIR`: a starter project that checks and renders, and never overwrites anything."""

from __future__ import annotations

from pathlib import Path

import jsonschema
from typer.testing import CliRunner

from briefgen.cli import app
from briefgen.project.schema import MODELINE, SCHEMA_FILE, project_schema, schema_text
from briefgen.project.yamldoc import parse_yaml

runner = CliRunner()


def invoke(*args: str | Path) -> tuple[int, str, str]:
    result = runner.invoke(app, [str(a) for a in args])
    return result.exit_code, result.stdout, result.stderr


def test_init_creates_a_project_that_checks_and_renders(tmp_path: Path) -> None:
    project = tmp_path / "new-topic"
    code, out, _ = invoke("init", project)
    assert code == 0
    assert f"created {project / 'briefs.yaml'}" in out
    config = project / "briefs.yaml"
    code, out, err = invoke("check", "--config", config)
    assert code == 0
    assert "ok — 1 brief, 4 facts, 1 source," in out
    # One article, so its bottom line rests on a single source: the one warning, and a useful first lesson.
    assert [line.split(": warning: ")[1] for line in err.splitlines() if ": warning: " in line] == [
        "bottom-line fact 'flood-data-agreement' rests on a single source (sample-2025-03-14-flood-data)"
    ]
    code, _, _ = invoke("render", "--config", config, "--format", "md")
    assert code == 0
    brief = (project / "out" / "flood-data.md").read_text(encoding="utf-8")
    assert "Nordhaven and Eastmere agreed to share river-level and tide data" in brief
    assert "[^1]:" in brief


def test_starter_is_editor_ready_and_honest(tmp_path: Path) -> None:
    invoke("init", tmp_path / "p")
    text = (tmp_path / "p" / "briefs.yaml").read_text(encoding="utf-8")
    assert text.splitlines()[0] == MODELINE
    assert (tmp_path / "p" / SCHEMA_FILE).read_text(encoding="utf-8") == schema_text()
    jsonschema.validate(parse_yaml(text, Path("briefs.yaml")).data, project_schema())
    article = (tmp_path / "p" / "seeds" / "sample-article.txt").read_text(encoding="utf-8")
    assert "invented" in article.splitlines()[5]  # says plainly that it is a sample
    assert (tmp_path / "p" / "README.md").read_text(encoding="utf-8").startswith("# p\n")


def test_init_accepts_an_empty_directory(tmp_path: Path) -> None:
    code, _, _ = invoke("init", tmp_path)
    assert code == 0
    assert (tmp_path / "briefs.yaml").is_file()


def test_init_refuses_a_non_empty_directory_and_writes_nothing(tmp_path: Path) -> None:
    (tmp_path / "notes.txt").write_text("mine", encoding="utf-8")
    code, out, err = invoke("init", tmp_path)
    assert code == 1
    assert out == ""
    assert f"error: {tmp_path} is not empty" in err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["notes.txt"]


def test_init_refuses_a_file(tmp_path: Path) -> None:
    target = tmp_path / "briefs.yaml"
    target.write_text("x", encoding="utf-8")
    code, _, err = invoke("init", target)
    assert code == 2  # a usage error: DIR must be a directory
    assert "is a file" in " ".join(err.replace("│", " ").split())  # rich may wrap the message in a box
    assert "Traceback" not in err
    assert target.read_text(encoding="utf-8") == "x"
