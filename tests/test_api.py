"""The public API: every name the README documents works as shown, whatever was imported first."""

from __future__ import annotations

import ast
import importlib
import pkgutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

import briefgen
from tests.conftest import REPO

PACKAGE = REPO / "briefgen"

# The README's "Everything the CLI does is a library call", on a copy of the shipped project.
README_CALLS = """
from pathlib import Path
import json, os, sys
import briefgen

project = Path(sys.argv[1])
config = project / "briefs.yaml"
valid = briefgen.check(config)
assert valid.accepted and all(isinstance(a.warning, briefgen.Diagnostic) for a in valid.accepted)
options = briefgen.RenderOptions(formats=(briefgen.Format.MD,), jobs=2, force=False)
result = briefgen.render(config, ["korea-nato"], options)
assert project / "out" / "korea-nato.md" in result.report.written and result.up_to_date == ()
coverage = briefgen.build_report(valid)
assert json.loads(json.dumps(briefgen.report_json(coverage)))["sources"]
assert briefgen.init_project(project / "new-topic")
assert briefgen.project_schema()["$schema"].startswith("http://json-schema.org/")
draft = briefgen.draft_yaml(briefgen.suggest(project / "seeds" / "001_d5eb982e1b5ba0f4.txt", config))
assert draft.startswith("# Suggested by `briefgen suggest")
assert briefgen.lock(config).report.unchanged == (project / "briefs.lock.json",)
mkdocs = briefgen.RenderOptions(formats=(briefgen.Format.MD,), flavor=briefgen.Flavor.MKDOCS, front_matter=True)
briefgen.render(config, [], mkdocs)
assert (project / "out" / "korea-eu.md").read_text(encoding="utf-8").startswith("---\\n")
loaded = briefgen.load_project(config)
assert isinstance(briefgen.validate(loaded), briefgen.ValidProject)
assert isinstance(briefgen.assemble_all(valid)[0], briefgen.AssembledBrief)
assert isinstance(valid.project, briefgen.Project)
try:
    briefgen.check(project / "missing.yaml")
except briefgen.BriefgenError as error:
    assert error.exit_code == 1
print("ok")
"""

IMPORT_EVERYTHING_FIRST = """
import importlib, pkgutil
import briefgen
for module in pkgutil.walk_packages(briefgen.__path__, "briefgen."):
    importlib.import_module(module.name)
"""


def _run(code: str, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True, cwd=REPO, check=False)


@pytest.mark.slow
@pytest.mark.parametrize("first", ["nothing", "every submodule"])
def test_the_readme_calls_work_whatever_was_imported_first(shipped_project: Path, first: str) -> None:
    prelude = IMPORT_EVERYTHING_FIRST if first == "every submodule" else ""
    result = _run(prelude + README_CALLS, str(shipped_project.parent))
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "ok"


def test_every_public_name_is_what_it_says_after_every_submodule_is_imported() -> None:
    for module in pkgutil.walk_packages(briefgen.__path__, "briefgen."):
        importlib.import_module(module.name)
    for name in briefgen.__all__:
        value = getattr(briefgen, name)
        assert not isinstance(value, type(briefgen)), f"briefgen.{name} is a module"
    assert sorted(briefgen.__all__) == sorted([*briefgen._EXPORTS, "__version__"])


def test_no_module_imports_the_package_root() -> None:
    """Leaf modules importing `briefgen` itself (for __version__) ran the root's lazy machinery."""
    offenders = []
    for path in PACKAGE.rglob("*.py"):
        if path == PACKAGE / "__init__.py":
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and (node.module == "briefgen" or (node.level and not node.module)):
                offenders.append(f"{path.relative_to(REPO)}:{node.lineno}")
            if isinstance(node, ast.Import) and any(alias.name == "briefgen" for alias in node.names):
                offenders.append(f"{path.relative_to(REPO)}:{node.lineno}")
    assert offenders == []


def test_report_json_works_in_a_fresh_interpreter() -> None:
    code = textwrap.dedent(
        """
        from pathlib import Path
        import briefgen
        print(len(briefgen.report_json(briefgen.build_report(briefgen.check(Path("briefs.yaml"))))["briefs"]))
        """
    )
    result = _run(code)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "3"
