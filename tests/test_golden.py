"""Golden files: the shipped briefs' Markdown and body HTML, byte for byte.

When a change to briefs.yaml or the templates is intended, regenerate with `make golden`
(BRIEFGEN_UPDATE_GOLDEN=1), read the diff, and commit it with the change.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from briefgen.assemble import AssembledBrief, assemble_all
from briefgen.load import load_project
from briefgen.render_html import markdown_to_html
from briefgen.render_md import render_markdown
from briefgen.templates import search_path
from briefgen.validate import validate
from tests.conftest import SHIPPED_CONFIG

GOLDEN = Path(__file__).parent / "golden"
UPDATE = bool(os.environ.get("BRIEFGEN_UPDATE_GOLDEN"))
BRIEF_IDS = ["korea-poland", "korea-nato", "korea-eu"]


@pytest.fixture(scope="module")
def shipped() -> dict[str, AssembledBrief]:
    return {brief.id: brief for brief in assemble_all(validate(load_project(SHIPPED_CONFIG)))}


def compare(path: Path, actual: str) -> None:
    if UPDATE:
        path.write_text(actual, encoding="utf-8")
        return
    assert path.exists(), f"{path.name} missing: run `make golden`"
    expected = path.read_text(encoding="utf-8")
    assert actual == expected, f"{path.name} differs from the golden file; if intended, run `make golden`"


@pytest.mark.parametrize("brief_id", BRIEF_IDS)
def test_markdown_matches_golden(shipped: dict[str, AssembledBrief], brief_id: str) -> None:
    compare(GOLDEN / f"{brief_id}.md", render_markdown(shipped[brief_id], search_path(SHIPPED_CONFIG.parent)))


@pytest.mark.parametrize("brief_id", BRIEF_IDS)
def test_body_html_matches_golden(shipped: dict[str, AssembledBrief], brief_id: str) -> None:
    markdown = (GOLDEN / f"{brief_id}.md").read_text(encoding="utf-8")
    compare(GOLDEN / f"{brief_id}.html", markdown_to_html(markdown))


def test_every_shipped_brief_has_a_golden_file() -> None:
    assert sorted(BRIEF_IDS) == sorted(validate(load_project(SHIPPED_CONFIG)).project.briefs)
