"""Golden files: the shipped briefs' Markdown, body HTML and Timeline figure, one brief in every
other flavor and format, and the published JSON Schema of the JSON output — byte for byte.

When a change to briefs.yaml, the templates or the JSON model is intended, regenerate with
`make golden` (BRIEFGEN_UPDATE_GOLDEN=1), read the diff, and commit it with the change.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from briefgen.assemble import AssembledBrief, assemble_all
from briefgen.formats import Flavor
from briefgen.project.load import load_project
from briefgen.project.validate import validate
from briefgen.renderers.html import markdown_to_html
from briefgen.renderers.jsondoc import brief_json_schema, render_json
from briefgen.renderers.markdown import render_markdown, render_page
from briefgen.renderers.templates import search_path
from briefgen.renderers.timeline import brief_timeline_svg
from briefgen.renderers.wikitext import render_wikitext
from tests.conftest import REPO, SHIPPED_CONFIG

GOLDEN = Path(__file__).parent / "golden"
SCHEMA = REPO / "schemas" / "brief.schema.json"
UPDATE = bool(os.environ.get("BRIEFGEN_UPDATE_GOLDEN"))
BRIEF_IDS = ["korea-poland", "korea-nato", "korea-eu"]
OTHER_FORMATS_BRIEF = "korea-nato"  # the brief whose sources include a URL
DIRS = search_path(SHIPPED_CONFIG.parent)


@pytest.fixture(scope="module")
def shipped() -> dict[str, AssembledBrief]:
    return {brief.id: brief for brief in assemble_all(validate(load_project(SHIPPED_CONFIG)))}


def compare(path: Path, actual: str) -> None:
    if UPDATE:
        path.parent.mkdir(parents=True, exist_ok=True)
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
    page = render_page(shipped[brief_id], search_path(SHIPPED_CONFIG.parent))
    assert page.text == (GOLDEN / f"{brief_id}.md").read_text(encoding="utf-8")
    compare(GOLDEN / f"{brief_id}.html", markdown_to_html(page))


@pytest.mark.parametrize("brief_id", BRIEF_IDS)
def test_timeline_figure_matches_golden(shipped: dict[str, AssembledBrief], brief_id: str) -> None:
    svg = brief_timeline_svg(shipped[brief_id])
    assert svg is not None
    compare(GOLDEN / f"{brief_id}-timeline.svg", svg)


def test_every_shipped_brief_has_a_golden_file() -> None:
    assert sorted(BRIEF_IDS) == sorted(validate(load_project(SHIPPED_CONFIG)).project.briefs)


@pytest.mark.parametrize("flavor", [f for f in Flavor if f is not Flavor.GFM])
def test_markdown_flavor_matches_golden(shipped: dict[str, AssembledBrief], flavor: Flavor) -> None:
    brief = shipped[OTHER_FORMATS_BRIEF]
    compare(GOLDEN / f"{brief.id}.{flavor}.md", render_markdown(brief, DIRS, flavor))


def test_front_matter_matches_golden(shipped: dict[str, AssembledBrief]) -> None:
    brief = shipped[OTHER_FORMATS_BRIEF]
    compare(GOLDEN / f"{brief.id}.front-matter.md", render_markdown(brief, DIRS, front_matter=True))


def test_wikitext_matches_golden(shipped: dict[str, AssembledBrief]) -> None:
    compare(GOLDEN / f"{OTHER_FORMATS_BRIEF}.wiki", render_wikitext(shipped[OTHER_FORMATS_BRIEF], DIRS))


def test_json_matches_golden(shipped: dict[str, AssembledBrief]) -> None:
    compare(GOLDEN / f"{OTHER_FORMATS_BRIEF}.json", render_json(shipped[OTHER_FORMATS_BRIEF]))


def test_published_json_schema_is_current() -> None:
    compare(SCHEMA, brief_json_schema())
