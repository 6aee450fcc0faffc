"""The wheel carries the package, its templates and fonts, and its starter project — nothing else."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from tests.conftest import REPO


def _tracked(*paths: str) -> set[str]:
    listed = subprocess.run(["git", "ls-files", *paths], cwd=REPO, capture_output=True, text=True, check=True)
    return set(listed.stdout.split())


@pytest.mark.slow
def test_the_wheel_holds_the_package_templates_and_fonts_and_nothing_else(tmp_path: Path) -> None:
    build = [sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "--no-build-isolation", "-w", str(tmp_path)]
    subprocess.run([*build, str(REPO)], check=True, capture_output=True)
    (wheel,) = tmp_path.glob("briefgen-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    package = {name for name in names if not name.startswith("briefgen-")}
    expected = _tracked("briefgen") | {f"briefgen/{name}" for name in _tracked("templates")}
    assert package == expected
    assert "briefgen/templates/print.css" in package
    assert any(name.startswith("briefgen/templates/fonts/NotoSansCJK") for name in package)  # Hangul
    assert "briefgen/tools/starter/briefs.yaml" in package
    dist_info = {name.split("/", 1)[1] for name in names - package}
    assert dist_info == {"METADATA", "WHEEL", "entry_points.txt", "RECORD"}
