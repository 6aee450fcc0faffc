"""`briefgen suggest`: its YAML pasted into a project validates, marks every guess, skips chrome."""

from __future__ import annotations

import re
import shutil
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st
from typer.testing import CliRunner

from briefgen.build.api import check
from briefgen.cli import app
from briefgen.errors import ValidationFailed
from briefgen.project.schema import project_schema
from briefgen.project.yamldoc import parse_yaml
from briefgen.text.quotes import IndexedText, find_quote
from briefgen.tools.yamltext import comment, scalar
from tests.conftest import REPO, SHIPPED_CONFIG

SEEDS = sorted((REPO / "seeds").glob("*.txt"))
runner = CliRunner()
BRIEF = "briefs:\n  trial:\n    title: Trial\n    as_of: 2025-10-24\n    bottom_line: [{fact}]\n"


def suggest(article: Path, *options: str) -> str:
    result = runner.invoke(app, ["suggest", str(article), *options])
    assert result.exit_code == 0, result.stderr
    return result.stdout


def load(text: str) -> Any:
    return parse_yaml(text, Path("suggested.yaml")).data


@pytest.fixture
def fresh_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An empty working directory (no briefs.yaml) with the seeds copied into seeds/."""
    shutil.copytree(REPO / "seeds", tmp_path / "seeds")
    monkeypatch.chdir(tmp_path)
    return tmp_path


@pytest.mark.parametrize("path", SEEDS, ids=[p.name[:3] for p in SEEDS])
def test_suggestion_pasted_into_a_project_validates(fresh_dir: Path, path: Path) -> None:
    output = suggest(Path("seeds") / path.name)
    data = load(output)
    assert list(data) == ["sources", "facts"] and len(data["sources"]) == 1
    assert data["facts"], "every seed has sentences with figures, dates or names"
    config = fresh_dir / "briefs.yaml"
    first = data["facts"][0]["id"]
    # As pasted, the facts are drafts: a brief may not use one until its claim is rewritten.
    config.write_text(output + BRIEF.format(fact=first), encoding="utf-8")
    with pytest.raises(ValidationFailed) as failed:
        check(config)
    assert [d.message for d in failed.value.diagnostics] == [
        f"fact {first!r} is still a draft (claim starts with \"DRAFT:\") and brief 'trial' uses it"
    ]
    rewritten = re.sub(rf"(- id: {first}\n    claim: \"?)DRAFT: ", r"\1", output, count=1)
    config.write_text(rewritten + BRIEF.format(fact=first), encoding="utf-8")
    valid = check(config)  # raises ValidationFailed on any error
    # A one-article project: the only warning is that its bottom line rests on that one source.
    assert [d.message.split(" rests on ")[1][:15] for d in valid.warnings] == ["a single source"]
    jsonschema.validate(load(config.read_text(encoding="utf-8")), project_schema())
    article = IndexedText(path.read_text(encoding="utf-8"))
    for fact in data["facts"]:
        assert find_quote(article, fact["cite"][0]["quote"]) is not None
        assert fact["claim"].startswith("DRAFT: ")


@pytest.mark.parametrize("path", SEEDS, ids=[p.name[:3] for p in SEEDS])
def test_every_metadata_guess_is_marked_inferred_with_its_line(fresh_dir: Path, path: Path) -> None:
    source = next(iter(load(suggest(Path("seeds") / path.name))["sources"].values()))
    lines = path.read_text(encoding="utf-8").splitlines()
    for field in ("title", "outlet", "author", "published", "url"):
        if field not in source:
            continue
        value = source[field]
        assert isinstance(value, dict) and value["basis"] == "inferred", field
        line = int(re.match(r"guessed by briefgen suggest from line (\d+): ", value["note"]).group(1))  # type: ignore[union-attr]
        assert lines[line - 1].strip()[:40] in value["note"]


def test_nothing_the_text_does_not_show_is_filled_in(fresh_dir: Path) -> None:
    output = suggest(Path("seeds") / SEEDS[1].name)  # 001: no headline, outlet, author, date or URL
    source = next(iter(load(output)["sources"].values()))
    assert set(source) == {"file"}
    for field in ("title", "outlet", "author", "published", "url"):
        assert f"# {field}: " in output
    assert "# dateline (line 1): WARSAW, Poland" in output


def test_page_chrome_and_captions_are_not_suggested(fresh_dir: Path) -> None:
    quotes = [fact["cite"][0]["quote"] for path in SEEDS for fact in load(suggest(Path("seeds") / path.name))["facts"]]
    assert quotes
    for quote in quotes:
        assert not re.search(r"[\uac00-\ud7a3]", quote), quote  # no Hangul UI text
        assert "WEEKLY HOT" not in quote and "(Yonhap)" not in quote
        assert "(Presidential office)" not in quote and "(Kubilius' X)" not in quote
        assert not quote.startswith(("WARSAW", "SEOUL -"))


def test_output_is_deterministic(fresh_dir: Path) -> None:
    article = Path("seeds") / SEEDS[0].name
    assert suggest(article) == suggest(article)


def test_a_project_supplies_entities_canonical_spellings_topics_and_free_ids(tmp_path: Path) -> None:
    shutil.copy(SHIPPED_CONFIG, tmp_path / "briefs.yaml")
    shutil.copytree(REPO / "seeds", tmp_path / "seeds")
    new = tmp_path / "seeds" / "new.txt"
    shutil.copy(REPO / "seeds" / SEEDS[4].name, new)  # the DAPA article again, as if it were new
    config = tmp_path / "briefs.yaml"
    output = suggest(new, "--config", str(config))
    suggested = load(output)
    project = load(config.read_text(encoding="utf-8"))
    taken = {f["id"] for f in project["facts"]} | set(project["sources"])
    assert not taken & ({f["id"] for f in suggested["facts"]} | set(suggested["sources"]))
    (source_id,) = suggested["sources"]
    assert suggested["sources"][source_id]["file"] == "seeds/new.txt"
    seok = next(f for f in suggested["facts"] if "Seok Jong-gun met" in f["cite"][0]["quote"])
    assert "seok-jong-geon" in seok["entities"] and "dapa" in seok["entities"]
    assert "Seok Jong-geon" in seok["claim"] and "Seok Jong-gun" not in seok["claim"]  # canonical spelling
    assert all(
        set(f["topics"]) <= {t for p in project["facts"] for t in p.get("topics", [])} for f in suggested["facts"]
    )
    # Pasted into the project, it still checks.
    project["sources"].update(suggested["sources"])
    project["facts"].extend(suggested["facts"])
    config.write_text(yaml.safe_dump(project, allow_unicode=True, sort_keys=False), encoding="utf-8")
    check(config)


def test_an_article_already_in_the_project_gets_only_its_uncited_sentences(tmp_path: Path) -> None:
    shutil.copy(SHIPPED_CONFIG, tmp_path / "briefs.yaml")
    shutil.copytree(REPO / "seeds", tmp_path / "seeds")
    output = suggest(tmp_path / "seeds" / SEEDS[1].name, "--config", str(tmp_path / "briefs.yaml"))
    assert "already in the project as source 'warsaw-nd-korea-poland-action-plan'" in output
    assert "\nsources:" not in output  # the entry is shown commented out, not pasted twice
    assert re.search(r"# \d+ sentences already quoted by the project's facts are left out", output)
    for fact in load(output)["facts"] or []:
        assert fact["cite"][0]["source"] == "warsaw-nd-korea-poland-action-plan"


def test_missing_article_is_a_usage_error(fresh_dir: Path) -> None:
    result = runner.invoke(app, ["suggest", "seeds/nope.txt"])
    assert result.exit_code == 2
    assert "nope.txt" in result.stderr


def test_article_that_is_not_utf8_is_a_clear_error(fresh_dir: Path) -> None:
    (fresh_dir / "seeds" / "latin1.txt").write_bytes("Caf\xe9 talks in Seoul.".encode("latin-1"))
    result = runner.invoke(app, ["suggest", "seeds/latin1.txt"])
    assert result.exit_code == 1
    assert "not UTF-8" in result.stderr and "Traceback" not in result.stderr


@given(st.text(max_size=60))
def test_scalars_read_back_as_the_text_given(text: str) -> None:
    written = scalar(text)
    assert yaml.safe_load(f"key: {written}\n") == {"key": text}
    assert parse_yaml(f"key: {written}\n", Path("x.yaml")).data == {"key": text}


@given(st.text(max_size=60))
def test_comments_stay_on_one_line(text: str) -> None:
    assert yaml.safe_load(f"# {comment(text)}\nkey: 1\n") == {"key": 1}
