"""`briefgen report`: coverage per source, make-up per brief, text and JSON."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from typer.testing import CliRunner

from briefgen.cli import app
from tests.conftest import MakeProject

runner = CliRunner()

ARTICLE_A = """A headline without a full stop

SEOUL — The ministers met on Monday in Seoul to discuss cooperation.
The deal is worth $5 billion over ten years. Officials said 12 projects were chosen.
The ministers shake hands after the signing in Seoul. (Ministry of Defence)
"""
ARTICLE_B = "The two governments confirmed the $5 billion deal on Tuesday in a joint statement.\n"

PROJECT = """\
sources:
  a:
    file: seeds/a.txt
  b:
    file: seeds/b.txt
facts:
  - id: met
    claim: The ministers met in Seoul.
    date: 2025-10-20
    cite:
      - source: a
        quote: The ministers met on Monday in Seoul
  - id: deal
    claim: The deal is worth $5 billion over ten years.
    date: 2025
    cite:
      - source: a
        quote: worth $5 billion over ten years
  - id: confirmed
    claim: Both governments confirmed the deal.
    cite:
      - source: a
        quote: worth $5 billion over ten years
      - source: b
        quote: confirmed the $5 billion deal
briefs:
  demo:
    title: Demo brief
    as_of: 2025-10-24
    bottom_line: [met]
    sections:
      - title: Money
        facts: [deal, confirmed]
"""


def report_json(config: Path) -> dict[str, Any]:
    result = runner.invoke(app, ["report", "--json", "--config", str(config)])
    assert result.exit_code == 0, result.stderr
    data: dict[str, Any] = json.loads(result.stdout)
    return data


def nonspace(text: str) -> int:
    return len("".join(text.split()))


def test_coverage_counts_body_sentences_a_quote_overlaps(make_project: MakeProject) -> None:
    config = make_project(PROJECT, {"seeds/a.txt": ARTICLE_A, "seeds/b.txt": ARTICLE_B})
    source_a, source_b = report_json(config)["sources"]
    sentences = [
        "The ministers met on Monday in Seoul to discuss cooperation.",
        "The deal is worth $5 billion over ten years.",
        "Officials said 12 projects were chosen.",
    ]  # the headline and the photo caption are not body sentences; the dateline is not part of one
    quoted = nonspace("The ministers met on Monday in Seoul") + nonspace("worth $5 billion over ten years")
    assert source_a == {
        "id": "a",
        "file": "seeds/a.txt",
        "sentences": 3,
        "cited_sentences": 2,
        "coverage_percent": 66.7,
        "cited_characters_percent": round(100 * quoted / sum(nonspace(s) for s in sentences), 1),
        "quotes": 3,
        "facts": 3,
        "uncited_sentences_with_figures": [{"line": 4, "text": sentences[2], "figures": ["12"]}],
    }
    assert (source_b["sentences"], source_b["cited_sentences"], source_b["coverage_percent"]) == (1, 1, 100.0)


def test_brief_make_up(make_project: MakeProject) -> None:
    config = make_project(PROJECT, {"seeds/a.txt": ARTICLE_A, "seeds/b.txt": ARTICLE_B})
    (brief,) = report_json(config)["briefs"]
    assert brief == {
        "id": "demo",
        "title": "Demo brief",
        "facts": 3,
        "sources": 2,
        "single_source_facts": 2,
        "single_source_percent": 66.7,
        "oldest_fact": {"id": "deal", "date": "2025"},  # a year-only date counts from 1 January
        "undated_facts": 1,
    }


def test_json_keys_are_stable(shipped_project: Path) -> None:
    data = report_json(shipped_project)
    assert list(data) == ["definitions", "sources", "briefs", "accepted", "drafts", "unused_facts"]
    assert list(data["definitions"]) == ["coverage", "briefs", "drafts", "unused_facts"]
    assert data["drafts"] == data["unused_facts"] == []  # every shipped fact is curated and in a brief
    assert [s["id"] for s in data["sources"]][:1] == ["portal-2025-10-21-seoul-talks-poland-nato"]
    assert [b["id"] for b in data["briefs"]] == ["korea-poland", "korea-nato", "korea-eu"]
    for source in data["sources"]:
        assert 0 < source["cited_sentences"] <= source["sentences"]
        assert source["coverage_percent"] == round(100 * source["cited_sentences"] / source["sentences"], 1)


def test_text_report_counts_one_sentence_in_the_singular(make_project: MakeProject) -> None:
    config = make_project(PROJECT, {"seeds/a.txt": ARTICLE_A, "seeds/b.txt": ARTICLE_B})
    result = runner.invoke(app, ["report", "--config", str(config)])
    assert "b (seeds/b.txt)\n  coverage 1 of 1 sentence (100%), " in result.stdout


def test_text_report_says_what_coverage_means(make_project: MakeProject) -> None:
    config = make_project(PROJECT, {"seeds/a.txt": ARTICLE_A, "seeds/b.txt": ARTICLE_B})
    result = runner.invoke(app, ["report", "--config", str(config)])
    assert result.exit_code == 0
    out = result.stdout
    assert "coverage: share of an article's body sentences that at least one quote overlaps" in out
    assert "a (seeds/a.txt)\n  coverage 2 of 3 sentences (66.7%)" in out
    assert "    line 4: Officials said 12 projects were chosen.  [12]" in out
    assert (
        "demo: Demo brief\n  3 facts from 2 sources; 2 single-source (66.7%); oldest fact 2025 (deal); 1 undated" in out
    )


def test_report_of_an_invalid_project_fails_like_check(make_project: MakeProject) -> None:
    config = make_project(
        PROJECT.replace("worth $5 billion over ten", "worth $6 billion over ten"),
        {
            "seeds/a.txt": ARTICLE_A,
            "seeds/b.txt": ARTICLE_B,
        },
    )
    result = runner.invoke(app, ["report", "--config", str(config)])
    assert result.exit_code == 1
    assert "quote not found" in result.stderr
