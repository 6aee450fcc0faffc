"""Incremental builds: only outputs whose inputs changed are rendered again; the cache is never fatal."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from briefgen.assemble import assemble_all
from briefgen.build.api import check, plan_outputs, render
from briefgen.build.cache import CACHE_FORMAT, CACHE_NAME
from briefgen.errors import ValidationFailed
from briefgen.formats import Flavor, Format, Paper, RenderOptions
from briefgen.renderers.templates import builtin_dir
from tests.conftest import ARTICLE, MakeProject

# Three briefs: `alpha` states deepen and shared, `beta` states k2 and shared and rests an assessment
# on production, `gamma` states only production.
YAML = """\
sources:
  art:
    file: seeds/a.txt
    title: Seoul and Warsaw deepen ties
    published: 2025-10-20
facts:
  - id: deepen
    claim: Seoul and Warsaw agreed to deepen defence-industry cooperation.
    cite: [{source: art, quote: agreed on Monday to deepen defence-industry cooperation}]
  - id: k2
    claim: Part of the K2 tank programme's production would move to Poland.
    cite: [{source: art, quote: would move part of its production to Poland}]
  - id: shared
    claim: Radmila Šekerinska welcomed the plan.
    cite: [{source: art, quote: Radmila Šekerinska welcomed the plan in Brussels}]
  - id: production
    claim: The ministers said production would move.
    cite: [{source: art, quote: The ministers said the “K2 tank programme”}]
briefs:
  alpha:
    title: Alpha
    as_of: 2025-10-24
    bottom_line: [deepen, shared]
  beta:
    title: Beta
    as_of: 2025-10-24
    bottom_line: [k2, shared]
    assessment:
      - text: Production is likely to move.
        based_on: [production]
  gamma:
    title: Gamma
    as_of: 2025-10-24
    bottom_line: [production]
"""
MD = RenderOptions((Format.MD,))


def rendered_ids(config: Path, options: RenderOptions = MD) -> list[str]:
    """Render, and return the names of the outputs rendered this run (the rest were up to date)."""
    return sorted(path.name for path in render(config, options=options).rendered)


def test_a_second_run_renders_nothing(make_project: MakeProject) -> None:
    config = make_project(YAML)
    assert rendered_ids(config) == ["alpha.md", "beta.md", "gamma.md"]
    result = render(config, options=MD)
    assert result.rendered == ()
    assert sorted(p.name for p in result.up_to_date) == ["alpha.md", "beta.md", "gamma.md"]


def test_changing_one_fact_renders_only_the_briefs_that_state_it(make_project: MakeProject) -> None:
    config = make_project(YAML)
    rendered_ids(config)
    config.write_text(YAML.replace("would move to Poland.", "would move to Poland soon."), encoding="utf-8")
    assert rendered_ids(config) == ["beta.md"]
    config.write_text(YAML.replace("welcomed the plan.", "welcomed the action plan."), encoding="utf-8")
    assert rendered_ids(config) == ["alpha.md", "beta.md"]


def test_a_source_change_renders_every_brief_citing_it(make_project: MakeProject) -> None:
    config = make_project(YAML)
    rendered_ids(config)
    config.write_text(YAML.replace("title: Seoul and Warsaw deepen ties", "title: Seoul, Warsaw deepen ties"), "utf-8")
    assert rendered_ids(config) == ["alpha.md", "beta.md", "gamma.md"]


def test_a_fact_behind_an_assessment_renders_the_brief_resting_on_it_again(make_project: MakeProject) -> None:
    """`production` is stated by gamma and rests beta's assessment (its claim travels with the
    assessment and in the PDF's facts.json): both briefs are due, alpha is not."""
    config = make_project(YAML)
    options = RenderOptions((Format.MD, Format.PDF))

    def keys() -> dict[str, str]:
        valid = check(config)
        return {p.path.name: p.key for p in plan_outputs(valid, assemble_all(valid), options, Path("out")).outputs}

    before = keys()
    config.write_text(YAML.replace("The ministers said production would move.", "Production would move."), "utf-8")
    after = keys()
    assert sorted(name for name in before if before[name] != after[name]) == [
        "beta.md",
        "beta.pdf",
        "gamma.md",
        "gamma.pdf",
    ]


def test_options_that_change_the_pdf_change_only_its_key(make_project: MakeProject) -> None:
    config = make_project(YAML)
    valid = check(config)
    briefs = assemble_all(valid, ["alpha"])
    a4 = {
        p.path.name: p.key
        for p in plan_outputs(valid, briefs, RenderOptions((Format.MD, Format.PDF)), Path("o")).outputs
    }
    letter = RenderOptions((Format.MD, Format.PDF), paper=Paper.LETTER)
    other = {p.path.name: p.key for p in plan_outputs(valid, briefs, letter, Path("o")).outputs}
    assert a4["alpha.md"] == other["alpha.md"]
    assert a4["alpha.pdf"] != other["alpha.pdf"]


def test_changing_a_template_renders_everything(make_project: MakeProject) -> None:
    config = make_project(YAML)
    rendered_ids(config)
    templates = config.parent / "templates"
    templates.mkdir()
    text = (builtin_dir() / "brief.md.j2").read_text(encoding="utf-8")
    (templates / "brief.md.j2").write_text(
        text.replace("## {{ labels.bottom_line }}", "## Bottom line up front"), "utf-8"
    )
    assert rendered_ids(config) == ["alpha.md", "beta.md", "gamma.md"]
    assert "## Bottom line up front" in (config.parent / "out" / "alpha.md").read_text(encoding="utf-8")


def test_force_renders_everything(make_project: MakeProject) -> None:
    config = make_project(YAML)
    rendered_ids(config)
    result = render(config, options=RenderOptions((Format.MD,), force=True))
    assert sorted(p.name for p in result.report.unchanged if p.suffix == ".md") == ["alpha.md", "beta.md", "gamma.md"]
    assert sorted(p.name for p in result.rendered) == ["alpha.md", "beta.md", "gamma.md"]
    assert result.up_to_date == ()


def test_an_output_edited_or_deleted_by_hand_is_rendered_again(make_project: MakeProject) -> None:
    config = make_project(YAML)
    rendered_ids(config)
    out = config.parent / "out"
    original = (out / "alpha.md").read_bytes()
    (out / "alpha.md").write_text("edited by hand\n", encoding="utf-8")
    (out / "beta.md").unlink()
    assert rendered_ids(config) == ["alpha.md", "beta.md"]
    assert (out / "alpha.md").read_bytes() == original


@pytest.mark.parametrize(
    "content",
    [
        b"{not json",
        b"\xff\xfe garbage",
        b"[]",
        b'{"format": "someone-elses-cache", "outputs": {}}',
        json.dumps({"format": CACHE_FORMAT, "outputs": {"alpha.md": "not an entry", "../x": {}}}).encode(),
    ],
)
def test_a_corrupt_or_foreign_cache_is_ignored(make_project: MakeProject, content: bytes) -> None:
    config = make_project(YAML)
    rendered_ids(config)
    (config.parent / "out" / CACHE_NAME).write_bytes(content)
    assert rendered_ids(config) == ["alpha.md", "beta.md", "gamma.md"]
    saved = json.loads((config.parent / "out" / CACHE_NAME).read_bytes())  # and a good cache replaces it
    assert saved["format"] == CACHE_FORMAT
    assert sorted(saved["outputs"]) == ["alpha.md", "beta.md", "gamma.md"]


def test_an_unchanged_project_is_still_validated(make_project: MakeProject) -> None:
    """The cache skips rendering, never checking: a broken briefs.yaml fails even when nothing changed."""
    config = make_project(YAML)
    rendered_ids(config)
    before = (config.parent / "out" / "alpha.md").read_bytes()
    (config.parent / "seeds" / "a.txt").write_text(ARTICLE.replace("welcomed the plan", "praised the plan"), "utf-8")
    with pytest.raises(ValidationFailed, match="1 error"):
        render(config, options=MD)
    assert (config.parent / "out" / "alpha.md").read_bytes() == before


def test_the_cache_is_kept_per_output_directory(make_project: MakeProject, tmp_path: Path) -> None:
    config = make_project(YAML)
    rendered_ids(config)
    other = render(config, options=MD, out_dir=tmp_path / "elsewhere")
    assert sorted(p.name for p in other.report.written) == ["alpha.md", "beta.md", "gamma.md"]


def test_the_markdown_flavor_changes_only_the_markdown_key(make_project: MakeProject) -> None:
    config = make_project(YAML)
    valid = check(config)
    briefs = assemble_all(valid, ["alpha"])

    def keys(**flavor: object) -> dict[str, str]:
        options = RenderOptions((Format.MD, Format.PDF, Format.MEDIAWIKI), **flavor)  # type: ignore[arg-type]
        return {p.path.name: p.key for p in plan_outputs(valid, briefs, options, Path("o")).outputs}

    gfm, wiki = keys(), keys(flavor=Flavor.GITHUB_WIKI)
    assert gfm["alpha.md"] != wiki["alpha.md"] != keys(front_matter=True)["alpha.md"]
    assert gfm["alpha.pdf"] == wiki["alpha.pdf"] and gfm["alpha.wiki"] == wiki["alpha.wiki"]


def test_wikitext_and_json_are_kept_up_to_date_too(make_project: MakeProject) -> None:
    config = make_project(YAML)
    options = RenderOptions((Format.MEDIAWIKI, Format.JSON))
    assert rendered_ids(config, options) == [
        f"{b}.{ext}" for b in ("alpha", "beta", "gamma") for ext in ("json", "wiki")
    ]
    config.write_text(YAML.replace("would move to Poland.", "would move to Poland soon."), encoding="utf-8")
    assert rendered_ids(config, options) == ["beta.json", "beta.wiki"]


# --- the templates' hash ---------------------------------------------------------------------------


def test_the_templates_hash_remembers_only_files_that_have_not_changed_lately(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from briefgen.build import cache  # noqa: PLC0415

    font, page = tmp_path / "font.ttf", tmp_path / "page.md.j2"
    font.write_bytes(b"\0" * 1000)
    page.write_text("A", encoding="utf-8")
    reads: list[str] = []
    real_read = Path.read_bytes
    monkeypatch.setattr(Path, "read_bytes", lambda self: reads.append(self.name) or real_read(self))
    first = cache.tree_digest([tmp_path])
    page.write_text("B", encoding="utf-8")  # same size, within the clock's tick: still seen
    assert cache.tree_digest([tmp_path]) != first
    assert reads == ["font.ttf", "page.md.j2"] * 2  # both just written: neither remembered

    monkeypatch.setattr(cache, "RECENT_NS", -(10**18))  # as if both had been written long ago
    reads.clear()
    before = cache.tree_digest([tmp_path])
    assert cache.tree_digest([tmp_path]) == before and reads == ["font.ttf", "page.md.j2"]  # read once
    page.write_text("CC", encoding="utf-8")  # a change stat sees
    assert cache.tree_digest([tmp_path]) != before and reads[-1] == "page.md.j2"
