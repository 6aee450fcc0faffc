"""Drafts cannot slip into a handout; `report` lists the drafts and the facts no brief uses; `check`
warns of two facts of one brief that say nearly the same thing (`near-duplicate`)."""

from __future__ import annotations

import json
import random
import time
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from briefgen.cli import app
from briefgen.errors import Location
from briefgen.project.duplicates import Claim, claim_of, near_duplicates, stem
from tests.conftest import ARTICLE, MINIMAL_YAML, MakeProject, line_of

runner = CliRunner()

DRAFT_CLAIM = '"DRAFT: The ministers said the tank programme would move part of its production to Poland."'
DRAFTED = MINIMAL_YAML.replace(
    "claim: Part of the tank programme's production would move to Poland.", f"claim: {DRAFT_CLAIM}"
)


def invoke(*args: str | Path) -> Any:
    return runner.invoke(app, [str(a) for a in args])


def column_of(yaml_text: str, needle: str) -> int:
    line = yaml_text.splitlines()[line_of(yaml_text, needle) - 1]
    return line.index(needle) + 1


# -- a draft in a brief is an error --------------------------------------------------------------------


def test_a_draft_a_brief_uses_is_an_error_at_its_claim(make_project: MakeProject) -> None:
    result = invoke("check", "--config", make_project(DRAFTED))
    assert result.exit_code == 1
    where = f"briefs.yaml:{line_of(DRAFTED, 'DRAFT:')}:{column_of(DRAFTED, DRAFT_CLAIM)}"
    assert (
        f"{where}: error: fact 'k2' is still a draft (claim starts with \"DRAFT:\") and brief 'demo' uses it"
    ) in result.stderr
    assert "hint: rewrite the claim in your own words" in result.stderr
    assert f"take the fact out of the brief (named at line {line_of(DRAFTED, 'facts: [k2]')})" in result.stderr
    assert result.stderr.rstrip().endswith("1 error found")
    assert "Traceback" not in result.stderr


UNUSED_DRAFT = DRAFTED.replace("        facts: [k2]", "        facts: [deepen]")  # k2 is in no brief


@pytest.mark.parametrize(
    ("where", "edit"),
    [
        ("bottom line", ("bottom_line: [deepen]", "bottom_line: [deepen, k2]")),
        ("summary", ("    bottom_line:", "    summary: {text: Production moves., based_on: [k2]}\n    bottom_line:")),
        ("section lead", ("Details\n", "Details\n        lead: {text: Moves., based_on: [k2]}\n")),
        ("assessment", ("    sections:", "    assessment: [{text: It moves., based_on: [k2]}]\n    sections:")),
    ],
)  # fmt: skip
def test_every_place_a_brief_names_a_fact_counts(make_project: MakeProject, where: str, edit: tuple[str, str]) -> None:
    assert invoke("check", "--config", make_project(UNUSED_DRAFT)).exit_code == 0  # unused, the draft is fine
    text = UNUSED_DRAFT.replace(*edit)
    assert text.count("k2]") == 1, where
    result = invoke("check", "--config", make_project(text))
    assert result.exit_code == 1, where
    assert "fact 'k2' is still a draft (claim starts with \"DRAFT:\") and brief 'demo' uses it" in result.stderr
    assert f"(named at line {line_of(text, 'k2]')})" in result.stderr


def test_one_error_names_every_brief_that_uses_the_draft(make_project: MakeProject) -> None:
    text = DRAFTED + "  other:\n    title: Other\n    as_of: 2025-10-24\n    bottom_line: [k2]\n"
    result = invoke("check", "--config", make_project(text))
    assert result.exit_code == 1
    assert result.stderr.count("is still a draft") == 1
    assert "and briefs 'demo', 'other' use it" in result.stderr
    assert f"take the fact out of those briefs (the first names it at line {line_of(text, 'facts: [k2]')})" in (
        result.stderr
    )


def test_a_draft_is_reported_beside_other_errors_at_its_own_place(make_project: MakeProject) -> None:
    """An invalid fact before it does not move the draft's error to another fact."""
    text = DRAFTED.replace("facts:\n  - id: deepen", "facts:\n  - id: broken\n    claim: 12\n  - id: deepen")
    result = invoke("check", "--config", make_project(text))
    assert result.exit_code == 1
    assert f"briefs.yaml:{line_of(text, 'DRAFT:')}:" in result.stderr.split("is still a draft")[0].splitlines()[-1]


@pytest.mark.parametrize(
    "claim",
    [
        "The ministers said a DRAFT: plan exists.",  # the marker only counts at the start
        "Draft: the ministers' plan would move production.",  # suggest writes it in capitals
        "DRAFTS of the plan would move production to Poland.",
    ],
)
def test_only_suggests_marker_makes_a_draft(make_project: MakeProject, claim: str) -> None:
    text = MINIMAL_YAML.replace(
        "claim: Part of the tank programme's production would move to Poland.", f"claim: {claim!r}"
    )
    result = invoke("check", "--config", make_project(text))
    assert "is still a draft" not in result.stderr


def test_a_quoted_claim_with_leading_spaces_is_still_a_draft(make_project: MakeProject) -> None:
    text = DRAFTED.replace('"DRAFT:', '"  DRAFT:')
    assert "is still a draft" in invoke("check", "--config", make_project(text)).stderr


def test_render_refuses_a_draft_and_leaves_earlier_outputs_intact(make_project: MakeProject) -> None:
    config = make_project(MINIMAL_YAML)
    assert invoke("render", "--config", config, "-f", "md").exit_code == 0
    out = config.parent / "out" / "demo.md"
    before = out.read_bytes()
    config.write_text(DRAFTED, encoding="utf-8")
    result = invoke("render", "--config", config, "-f", "md")
    assert result.exit_code == 1
    assert "fact 'k2' is still a draft" in result.stderr
    assert out.read_bytes() == before


# -- report: drafts and facts no brief uses --------------------------------------------------------------

SPARE = """\
  - id: spare
    claim: Radmila Šekerinska welcomed the plan.
    date: 2025-10-20
    cite:
      - source: art
        quote: Radmila Šekerinska welcomed the plan in Brussels
  - id: waiting
    claim: "DRAFT: Radmila Šekerinska welcomed the plan in Brussels."
    cite:
      - source: art
        quote: Radmila Šekerinska welcomed the plan in Brussels
"""
WITH_SPARE = MINIMAL_YAML.replace("briefs:\n", SPARE + "briefs:\n")
DRAFT_VALUE = '"DRAFT: Radmila'


def test_an_unused_draft_is_fine_for_check_and_listed_by_report(make_project: MakeProject) -> None:
    config = make_project(WITH_SPARE)
    check = invoke("check", "--config", config)
    assert check.exit_code == 0 and "is still a draft" not in check.stderr
    text = invoke("report", "--config", config).stdout
    drafts = text.split("Drafts not yet in a brief\n")[1].split("Facts no brief uses\n")[0]
    where = f"briefs.yaml:{line_of(WITH_SPARE, 'DRAFT:')}:{column_of(WITH_SPARE, DRAFT_VALUE)}"
    assert f"{where}: waiting: DRAFT: Radmila Šekerinska welcomed the plan in Brussels." in drafts
    assert "spare" not in drafts


def test_report_lists_the_facts_no_brief_uses(make_project: MakeProject) -> None:
    config = make_project(WITH_SPARE)
    text = invoke("report", "--config", config).stdout
    unused = text.split("Facts no brief uses\n")[1]
    line = line_of(WITH_SPARE, "claim: Radmila")
    assert f"briefs.yaml:{line}:12: spare (2025-10-20): Radmila Šekerinska welcomed the plan." in unused
    assert "waiting" not in unused and "deepen" not in unused and "k2" not in unused


def test_report_json_gives_drafts_and_unused_facts(make_project: MakeProject) -> None:
    config = make_project(WITH_SPARE)
    data = json.loads(invoke("report", "--json", "--config", config).stdout)
    (draft,) = data["drafts"]
    (unused,) = data["unused_facts"]
    assert draft == {
        "id": "waiting",
        "claim": "DRAFT: Radmila Šekerinska welcomed the plan in Brussels.",
        "date": None,
        "file": str(config),
        "line": line_of(WITH_SPARE, "DRAFT:"),
        "column": column_of(WITH_SPARE, DRAFT_VALUE),
    }
    assert (unused["id"], unused["date"], unused["line"]) == (
        "spare",
        "2025-10-20",
        line_of(WITH_SPARE, "claim: Radmila"),
    )
    assert "drafts" in data["definitions"] and "unused_facts" in data["definitions"]


def test_report_says_so_when_every_fact_is_in_a_brief(make_project: MakeProject) -> None:
    text = invoke("report", "--config", make_project(MINIMAL_YAML)).stdout
    assert "Drafts not yet in a brief" in text and "  no drafts" in text
    assert "Facts no brief uses" in text and "  every fact is in a brief" in text


HOSTILE = "\\e]0;owned\\a\\e[2J\\x9b31m"


@pytest.mark.parametrize("option", [None, "--json"])
def test_report_shows_control_characters_of_claims_escaped(make_project: MakeProject, option: str | None) -> None:
    """A claim is data: an ESC or C1 sequence in it reaches the terminal as letters, not as an action."""
    text = WITH_SPARE.replace('"DRAFT: Radmila', f'"DRAFT: {HOSTILE}Radmila').replace(
        "claim: Radmila Šekerinska welcomed the plan.", f'claim: "{HOSTILE}Radmila Šekerinska welcomed the plan."'
    )
    config = make_project(text)
    result = invoke("report", *([option] if option else []), "--config", config)
    assert result.exit_code == 0, result.stderr
    assert not any(c in result.stdout for c in "\x1b\x07\x9b")
    if option:
        data = json.loads(result.stdout)  # still JSON, and the claim is still what briefs.yaml says
        assert data["drafts"][0]["claim"].startswith("DRAFT: \x1b]0;owned\x07\x1b[2J\x9b31mRadmila")
    else:
        assert "\\x1b]0;owned\\x07\\x1b[2J\\x9b31mRadmila Šekerinska welcomed the plan." in result.stdout


# -- near-duplicate facts -----------------------------------------------------------------------------------

ARTICLES = {"seeds/a.txt": ARTICLE + "Seoul and Warsaw on Monday agreed to deepen defence-industry cooperation.\n"}
TWIN = """\
  - id: deepen-again
    claim: Both sides agreed to deepen their defence-industry cooperation.
    date: 2025-10-20
    cite:
      - source: art
        quote: on Monday agreed to deepen defence-industry cooperation
"""
TWINNED = MINIMAL_YAML.replace("briefs:\n", TWIN + "briefs:\n").replace("facts: [k2]", "facts: [k2, deepen-again]")


def test_two_facts_saying_nearly_the_same_warn_at_the_later_claim(make_project: MakeProject) -> None:
    result = invoke("check", "--config", make_project(TWINNED, ARTICLES))
    assert result.exit_code == 0
    line = line_of(TWINNED, "claim: Both sides")
    assert (
        f"briefs.yaml:{line}:12: warning: fact 'deepen-again' says nearly what fact 'deepen' says "
        f"(line {line_of(TWINNED, 'claim: The two sides')}), and brief 'demo' uses both: "
        "6 of their 8 word stems are the same, the same date 2025-10-20"
    ) in result.stderr
    assert "hint: if both report one event, keep one fact and give it the quotes of both" in result.stderr
    assert invoke("check", "--strict", "--config", make_project(TWINNED, ARTICLES)).exit_code == 1


@pytest.mark.parametrize(
    ("what", "old", "new"),
    [
        ("another date", "cooperation.\n    date: 2025-10-20\n    cite:\n      - source: art\n        quote: on Monday",
         "cooperation.\n    date: 2025-10-21\n    cite:\n      - source: art\n        quote: on Monday"),
        ("one undated", "cooperation.\n    date: 2025-10-20\n    cite:\n      - source: art\n        quote: on Monday",
         "cooperation.\n    cite:\n      - source: art\n        quote: on Monday"),
        ("another number", "claim: Both sides agreed to deepen their defence-industry cooperation.",
         "claim: Both sides agreed to deepen their defence-industry cooperation for 5 years."),
        ("fewer shared words", "claim: Both sides agreed to deepen their defence-industry cooperation.",
         "claim: Both sides agreed to deepen their cooperation in shipbuilding and research."),
        ("another brief", "facts: [k2, deepen-again]",
         "facts: [k2]\n  other:\n    title: Other\n    as_of: 2025-10-24\n    bottom_line: [deepen-again]"),
    ],
)  # fmt: skip
def test_different_facts_are_not_near_duplicates(make_project: MakeProject, what: str, old: str, new: str) -> None:
    assert old in TWINNED
    text = TWINNED.replace(old, new)
    result = invoke("check", "--config", make_project(text, ARTICLES))
    assert result.exit_code == 0, result.stderr
    assert "says nearly what" not in result.stderr, what


def test_claims_naming_different_places_are_not_near_duplicates(make_project: MakeProject) -> None:
    text = TWINNED.replace("The two sides agreed to deepen", "Seoul and Warsaw agreed to deepen").replace(
        "Both sides agreed to deepen their defence-industry cooperation.",
        "Seoul and Prague agreed to deepen their defence-industry cooperation.",
    )
    result = invoke("check", "--config", make_project(text, ARTICLES))
    assert result.exit_code == 0, result.stderr
    assert "says nearly what" not in result.stderr


def test_a_name_the_other_claim_adds_to_is_not_a_difference(make_project: MakeProject) -> None:
    """ "in Seoul" and "in Seoul on Monday" may be one event: names differ only when neither set holds the other."""
    text = TWINNED.replace("The two sides agreed to deepen", "Seoul and Warsaw agreed to deepen").replace(
        "Both sides agreed to deepen their defence-industry cooperation.",
        "Seoul and Warsaw agreed to deepen defence-industry cooperation on Monday.",
    )
    assert "says nearly what fact 'deepen'" in invoke("check", "--config", make_project(text, ARTICLES)).stderr


def test_a_pair_in_several_briefs_is_reported_once(make_project: MakeProject) -> None:
    text = TWINNED + "  other:\n    title: Other\n    as_of: 2025-10-24\n    bottom_line: [deepen, deepen-again]\n"
    result = invoke("check", "--config", make_project(text, ARTICLES))
    assert result.stderr.count("says nearly what") == 1


def test_an_intended_pair_can_be_accepted_on_the_later_fact(make_project: MakeProject) -> None:
    reason = "the ministry and the embassy each announced it; both statements belong in the record"
    text = TWINNED.replace(
        "    date: 2025-10-20\n    cite:\n      - source: art\n        quote: on Monday",
        f'    date: 2025-10-20\n    accept: {{near-duplicate: "{reason}"}}\n    cite:\n      - source: art\n'
        "        quote: on Monday",
    ).replace(
        "    date: 2025-10-20\n    cite:\n      - source: art\n        quote: agreed on Monday",
        '    date: 2025-10-20\n    accept: {single-source: "one article so far"}\n    cite:\n      - source: art\n'
        "        quote: agreed on Monday",
    )
    assert text.count("accept:") == 2
    config = make_project(text, ARTICLES)
    result = invoke("check", "--strict", "--config", config)
    assert result.exit_code == 0, result.stderr
    assert "warning" not in result.stderr
    assert result.stdout.rstrip().endswith("; 2 accepted (listed by `briefgen report`)")
    report = invoke("report", "--config", config).stdout
    assert "near-duplicate: fact 'deepen-again' says nearly what fact 'deepen' says" in report
    assert f"accepted: {reason}" in report


def test_accepting_it_on_the_earlier_fact_accepts_nothing(make_project: MakeProject) -> None:
    text = TWINNED.replace(
        "    date: 2025-10-20\n    cite:\n      - source: art\n        quote: agreed on Monday",
        '    date: 2025-10-20\n    accept: {near-duplicate: "wrong fact"}\n    cite:\n      - source: art\n'
        "        quote: agreed on Monday",
    )
    assert "wrong fact" in text
    result = invoke("check", "--config", make_project(text, ARTICLES))
    assert "fact 'deepen' accepts 'near-duplicate' warnings, but it has none" in result.stderr
    assert "says nearly what" in result.stderr


def test_the_shipped_project_has_no_near_duplicates(shipped_project: Path) -> None:
    result = invoke("check", "--strict", "--config", shipped_project)
    assert result.exit_code == 0, result.stderr
    assert "near-duplicate" not in result.stderr


# -- the measure -----------------------------------------------------------------------------------------


def test_stems_fold_common_endings() -> None:
    assert {stem(w) for w in ("agree", "agreed", "agrees", "agreement", "agreements")} == {"agr"}
    assert {stem(w) for w in ("sign", "signs", "signed", "signing")} == {"sign"}
    assert stem("cooperation") == stem("cooperate")
    assert stem("met") == "met"  # short words keep at least three letters


def test_a_claim_is_its_stems_numbers_and_names() -> None:
    claim = claim_of("South Korea's ministers signed a $5.6 billion deal with Šekerinska in Seoul.", "2025-10-20")
    assert claim.numbers == frozenset({"5.6"})
    assert claim.names == frozenset({"korea", "sekerinska", "seoul"})  # not "South": a sentence's first word
    assert {stem(w) for w in ("ministers", "signed", "deal", "billion", "korea", "seoul")} <= claim.stems
    assert not claim.stems & {"a", "with", "in", "s"}


def test_finding_pairs_does_not_try_every_pair() -> None:
    """10,000 claims of one date, no numbers, from a 3,000-word vocabulary: all pairs would be 50
    million comparisons (minutes); the index keeps it to about reading them."""
    rng = random.Random(5)
    words = [f"w{n}x" for n in range(3000)]
    claims = [Claim(frozenset(rng.sample(words, 8)), frozenset(), frozenset(), None) for _ in range(10_000)]
    claims += [claims[17], claims[4_000]]  # two repeats, to be found
    start = time.perf_counter()
    found = [(pair.earlier, pair.later) for pair in near_duplicates(claims)]
    assert found == [(17, 10_000), (4_000, 10_001)]
    assert time.perf_counter() - start < 5  # ~0.2 s; generous for a shared machine


# -- a project split with include:, and a report on some briefs ---------------------------------------------

SOURCES_PART, _, REST = DRAFTED.partition("facts:\n")
FACTS_PART, _, BRIEFS_PART = REST.partition("briefs:\n")


def test_a_draft_in_an_included_file_is_an_error_there_naming_the_brief_file(make_project: MakeProject) -> None:
    main = f"{SOURCES_PART}include: [facts/*.yaml]\nbriefs:\n{BRIEFS_PART}"
    facts = f"facts:\n{FACTS_PART}"
    config = make_project(main)
    (config.parent / "facts").mkdir()
    (config.parent / "facts" / "core.yaml").write_text(facts, encoding="utf-8")
    result = invoke("check", "--config", config)
    assert result.exit_code == 1
    claim_at = f"{config.parent / 'facts' / 'core.yaml'}:{line_of(facts, 'DRAFT:')}:{column_of(facts, DRAFT_CLAIM)}"
    assert f"{claim_at}: error: fact 'k2' is still a draft" in result.stderr
    named_at = f"{config}:{line_of(main, 'facts: [k2]')}:{column_of(main, 'k2]')}"
    assert f"take the fact out of the brief (named at {named_at})" in result.stderr


def test_a_report_on_some_briefs_leaves_out_the_facts_no_brief_uses(make_project: MakeProject) -> None:
    config = make_project(WITH_SPARE)
    text = invoke("report", "demo", "--config", config).stdout
    assert "Briefs" in text and "Drafts not yet in a brief" not in text and "Facts no brief uses" not in text
    data = json.loads(invoke("report", "demo", "--json", "--config", config).stdout)
    assert data["drafts"] is None and data["unused_facts"] is None


def test_a_place_in_another_file_is_named_in_full() -> None:
    here = Location(Path("briefs.yaml"), 3, 5)
    assert Location(Path("briefs.yaml"), 12, 9).seen_from(here) == "line 12"
    assert Location(Path("facts/b.yaml"), 12, 9).seen_from(here) == "facts/b.yaml:12:9"
