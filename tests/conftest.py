"""Shared fixtures: a copy of the shipped project, a builder for small projects, and tool checks."""

from __future__ import annotations

import os
import random
import shutil
import textwrap
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import settings

# `make test` (the Quick start and CI command) draws the same examples on every run, so a red build
# always means the change, never an unlucky draw. A scaled run (`BRIEFGEN_FUZZ_SCALE=20 make test`)
# explores new examples at random; that is where the fuzzers look for what nobody has seen yet.
FUZZ_SCALE = int(os.environ.get("BRIEFGEN_FUZZ_SCALE", "1"))
settings.register_profile("briefgen-reproducible", derandomize=True, database=None)
settings.register_profile("briefgen-explore", derandomize=False)
settings.load_profile("briefgen-reproducible" if FUZZ_SCALE == 1 else "briefgen-explore")


def seeded_rng() -> tuple[random.Random, int]:
    """A random generator for timing tests, and its seed: fixed under `make test` (a red build is the
    change, not a draw), drawn afresh in a scaled run, and named in failure messages either way."""
    seed = random.randrange(1 << 30) if FUZZ_SCALE > 1 else int(os.environ.get("BRIEFGEN_TEST_SEED", "20251024"))
    return random.Random(seed), seed


REPO = Path(__file__).resolve().parent.parent
SHIPPED_CONFIG = REPO / "briefs.yaml"


@pytest.fixture
def shipped_project(tmp_path: Path) -> Path:
    """A private copy of the shipped project (briefs.yaml, its lock file, seeds/), so tests may edit it."""
    shutil.copy(SHIPPED_CONFIG, tmp_path / "briefs.yaml")
    shutil.copy(REPO / "briefs.lock.json", tmp_path / "briefs.lock.json")
    shutil.copytree(REPO / "seeds", tmp_path / "seeds")
    return tmp_path / "briefs.yaml"


ARTICLE = """Seoul and Warsaw agreed on Monday to deepen defence-industry cooperation.
The ministers said the “K2 tank programme” would move part of its production to Poland.
Radmila Šekerinska welcomed the plan in Brussels.
"""

MINIMAL_YAML = """\
sources:
  art:
    file: seeds/a.txt
    title: Seoul and Warsaw deepen ties
    published: 2025-10-20
facts:
  - id: deepen
    claim: The two sides agreed to deepen defence-industry cooperation.
    date: 2025-10-20
    cite:
      - source: art
        quote: agreed on Monday to deepen defence-industry cooperation
  - id: k2
    claim: Part of the tank programme's production would move to Poland.
    cite:
      - source: art
        quote: would move part of its production to Poland
briefs:
  demo:
    title: Demo brief
    as_of: 2025-10-24
    bottom_line: [deepen]
    sections:
      - title: Details
        facts: [k2]
"""


MakeProject = Callable[..., Path]


@pytest.fixture
def make_project(tmp_path: Path) -> MakeProject:
    """Write a small project: `make_project(yaml_text, {"seeds/a.txt": text})` → path of briefs.yaml."""

    def make(yaml_text: str = MINIMAL_YAML, articles: dict[str, str | bytes] | None = None) -> Path:
        for name, content in (articles if articles is not None else {"seeds/a.txt": ARTICLE}).items():
            path = tmp_path / name
            path.parent.mkdir(parents=True, exist_ok=True)
            if isinstance(content, bytes):
                path.write_bytes(content)
            else:
                path.write_text(content, encoding="utf-8")
        config = tmp_path / "briefs.yaml"
        config.write_text(textwrap.dedent(yaml_text), encoding="utf-8")
        return config

    return make


def line_of(yaml_text: str, needle: str) -> int:
    """1-based number of the first line containing `needle`: expected positions are computed, not counted."""
    return next(n for n, line in enumerate(yaml_text.splitlines(), 1) if needle in line)


def require_tool(name: str) -> str:
    """The path of a command-line tool, or skip (fail under `make test`, which installs them)."""
    found = shutil.which(name)
    if found:
        return found
    message = f"{name} is not installed (scripts/system-deps.sh test installs it)"
    if os.environ.get("BRIEFGEN_REQUIRE_TOOLS"):
        pytest.fail(message)
    pytest.skip(message)
