"""Claim support: each rule of project/claims.py on small projects, the shipped project, and the
corpus of mutants and paraphrases (bench/claims_eval.py)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from briefgen.cli.commands import app
from briefgen.errors import Diagnostic
from briefgen.project.claims import quantities
from briefgen.project.load import load_project
from briefgen.project.validate import validate
from tests.conftest import REPO, MakeProject, line_of

runner = CliRunner()
CLAIM_KINDS = {"number", "entity", "negation", "certainty"}

ARTICLE = """\
WARSAW — Foreign Minister Cho Tae-yul of South Korea met Poland's Radek Sikorski on Wednesday.
Cho announced an assistance package for Ukraine worth over $2 billion, on top of the $400 million given last year.
The two countries are in talks over potential defence export deals worth a combined $56.2 billion.
Both countries could move production to Poland, potentially making it a regional hub.
NATO agreed on 19 October to spend 5 percent of GDP, with eight members in favour.
Wi Sung-lac met NATO officials in Seoul. He said the alliance did not discuss troop numbers.
The ministry said the talks were productive, according to local reports.
The programme covers nonproliferation and cyber defence.
"""

ENTITIES = """\
entities:
  cho-tae-yul: {name: Cho Tae-yul, kind: person}
  cho-hyun: {name: Cho Hyun, kind: person}
  radoslaw-sikorski: {name: Radosław Sikorski, kind: person, aliases: [Radek Sikorski]}
  wi-sung-lac: {name: Wi Sung-lac, kind: person}
  south-korea: {name: South Korea, kind: country}
  poland: {name: Poland, kind: country}
  nato: {name: NATO, kind: organisation}
"""


def project(claim: str, quote: str, extra: str = "") -> str:
    """A one-fact project; `claim` is written as a double-quoted YAML string on its own line."""
    escaped = claim.replace("\\", "\\\\").replace('"', '\\"')
    return (
        "sources:\n  art: {file: seeds/a.txt, title: Talks}\n"
        + ENTITIES
        + f'facts:\n  - id: f\n    claim: "{escaped}"\n{extra}    cite:\n      - source: art\n'
        + f"        quote: {quote}\n"
        + "briefs:\n  b: {title: B, as_of: 2025-10-24, bottom_line: [f]}\n"
    )


def claim_warnings(make_project: MakeProject, claim: str, quote: str, extra: str = "") -> list[Diagnostic]:
    valid = validate(load_project(make_project(project(claim, quote, extra), {"seeds/a.txt": ARTICLE})))
    return [w for w in valid.warnings if w.kind in CLAIM_KINDS]


def kinds(warnings: list[Diagnostic]) -> list[str | None]:
    return [w.kind for w in warnings]


AID = (
    "Cho announced an assistance package for Ukraine worth over $2 billion, on top of the $400 million given last year."
)
DEALS = "The two countries are in talks over potential defence export deals worth a combined $56.2 billion."
NATO = "NATO agreed on 19 October to spend 5 percent of GDP, with eight members in favour."


# --- numbers ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "written",
    ["$56.2 billion", "$56.2bn", "56.2 billion dollars", "US$56.2 billion", "$56,200 million"],
)
def test_an_amount_is_compared_as_a_value_whatever_its_format(make_project: MakeProject, written: str) -> None:
    claim = f"The two countries are in talks over potential defence export deals worth {written}."
    assert claim_warnings(make_project, claim, DEALS) == []


@pytest.mark.parametrize(
    "claim",
    [
        "NATO agreed on October 19 to spend five per cent of GDP, with 8 members in favour.",
        "NATO agreed on 19 October to spend 5% of GDP, with eight members in favour.",
        "On 19 Oct NATO agreed to spend 5 per cent of GDP, eight members in favour.",
    ],
)
def test_percentages_number_words_and_day_month_dates_in_any_order(make_project: MakeProject, claim: str) -> None:
    assert claim_warnings(make_project, claim, NATO) == []


def test_millions_written_m_and_qualifiers_written_alike(make_project: MakeProject) -> None:
    claim = "Cho Tae-yul announced a package for Ukraine of more than $2bn, on top of the $400m given last year."
    assert claim_warnings(make_project, claim, AID) == []


def test_a_different_amount_is_reported_at_its_column_with_the_quotes_wording(make_project: MakeProject) -> None:
    claim = "The two countries are in talks over potential defence export deals worth $62 billion."
    (warning,) = claim_warnings(make_project, claim, DEALS)
    text = project(claim, DEALS)
    assert warning.kind == "number" and "'$62 billion'" in warning.message
    assert warning.location.line == line_of(text, "claim:")
    assert warning.location.column == text.splitlines()[warning.location.line - 1].index("$62") + 1
    assert "the quotes give '$56.2 billion'" in (warning.hint or "")
    assert "accept: {number:" in (warning.hint or "")


@pytest.mark.parametrize("claim_amount", ["$2 billion", "over $3 billion", "about $2.5 billion"])
def test_a_qualifier_is_part_of_the_number(make_project: MakeProject, claim_amount: str) -> None:
    claim = (
        f"Cho Tae-yul announced a package for Ukraine worth {claim_amount}, on top of the $400 million given last year."
    )
    assert kinds(claim_warnings(make_project, claim, AID)) == ["number"]


def test_a_number_no_quote_gives_is_reported(make_project: MakeProject) -> None:
    claim = "Wi Sung-lac met three NATO officials in Seoul."
    (warning,) = claim_warnings(make_project, claim, "Wi Sung-lac met NATO officials in Seoul.")
    assert warning.kind == "number" and "the quotes give no number" in (warning.hint or "")


def test_a_figure_value_is_checked_like_a_claim(make_project: MakeProject) -> None:
    extra = "    figure: {measure: Aid, value: $3 billion}\n"
    claim = "Cho Tae-yul announced a package for Ukraine worth over $2 billion."
    (warning,) = claim_warnings(make_project, claim, AID, extra)
    assert warning.kind == "number" and warning.message.startswith("fact 'f': value gives '$3 billion'")


def test_digits_inside_names_are_not_numbers() -> None:
    assert [q.text for q in quantities("NATO-IP4 met on the K2 line in 2023, for 3 days")] == ["2023", "3"]


# --- entities --------------------------------------------------------------------------------------


def test_an_entity_swapped_for_another_is_reported_naming_the_quoted_one(make_project: MakeProject) -> None:
    quote = "Cho announced an assistance package for Ukraine"
    (warning,) = claim_warnings(make_project, "Cho Hyun announced an assistance package for Ukraine.", quote)
    assert warning.kind == "entity" and "'Cho Hyun' (entity 'cho-hyun')" in warning.message
    # "Cho" is both Chos' name; the article names Cho Tae-yul in full, so the quote's "Cho" is him.
    assert "the quotes name 'Cho Tae-yul'" in (warning.hint or "")
    assert claim_warnings(make_project, "Cho Tae-yul announced an assistance package for Ukraine.", quote) == []


def test_a_word_of_a_persons_name_and_a_pronoun_stand_for_the_person(make_project: MakeProject) -> None:
    quote = "He said the alliance did not discuss troop numbers."
    claim = "Wi Sung-lac said the alliance did not discuss troop numbers."
    assert claim_warnings(make_project, claim, quote) == []  # "He": the article named Wi just before
    assert (
        claim_warnings(make_project, "Wi met NATO officials in Seoul.", "Wi Sung-lac met NATO officials in Seoul") == []
    )


def test_a_name_the_project_does_not_know_is_reported(make_project: MakeProject) -> None:
    claim = "The two countries are in talks over potential defence export deals, led by Hanwha Aerospace."
    (warning,) = claim_warnings(make_project, claim, DEALS)
    assert warning.kind == "entity" and "'Hanwha Aerospace'" in warning.message


def test_an_entity_attached_to_the_fact_is_supported(make_project: MakeProject) -> None:
    claim = "Radosław Sikorski and the two countries are in talks over potential defence export deals."
    assert kinds(claim_warnings(make_project, claim, DEALS)) == ["entity"]
    assert claim_warnings(make_project, claim, DEALS, "    entities: [radoslaw-sikorski]\n") == []


def test_a_country_is_named_by_its_adjective(make_project: MakeProject) -> None:
    claim = "Cho Tae-yul met Poland's Radosław Sikorski on Wednesday."
    assert (
        claim_warnings(make_project, claim, "Foreign Minister Cho Tae-yul of South Korea met Poland's Radek Sikorski")
        == []
    )


# --- negation --------------------------------------------------------------------------------------


def test_a_negated_claim_is_reported(make_project: MakeProject) -> None:
    (warning,) = claim_warnings(
        make_project, "Wi Sung-lac did not meet NATO officials in Seoul.", "Wi Sung-lac met NATO officials in Seoul"
    )
    assert warning.kind == "negation" and "'not'" in warning.message


def test_a_claim_that_affirms_what_its_quote_negates_is_reported(make_project: MakeProject) -> None:
    quote = "He said the alliance did not discuss troop numbers."
    (warning,) = claim_warnings(make_project, "Wi Sung-lac said the alliance discussed troop numbers.", quote)
    assert warning.kind == "negation" and "affirms what its quote negates" in warning.message


def test_a_prefix_written_solid_in_the_quote_is_not_a_negation(make_project: MakeProject) -> None:
    quote = "The programme covers nonproliferation and cyber defence."
    assert claim_warnings(make_project, "The programme covers non-proliferation and cyber defence.", quote) == []


# --- certainty -------------------------------------------------------------------------------------


def test_a_dropped_hedge_is_reported_a_kept_one_is_not(make_project: MakeProject) -> None:
    quote = "Both countries could move production to Poland, potentially making it a regional hub."
    kept = "South Korea and Poland could move production to Poland, possibly making it a regional hub."
    assert claim_warnings(make_project, kept, quote) == []
    (warning,) = claim_warnings(make_project, "South Korea and Poland will move production to Poland.", quote)
    assert warning.kind == "certainty" and "'could'" in warning.message
    assert "could move production" in (warning.hint or "")


def test_a_dropped_attribution_is_reported(make_project: MakeProject) -> None:
    quote = "The ministry said the talks were productive, according to local reports."
    assert (
        claim_warnings(make_project, "The talks were productive, the ministry said, according to local reports.", quote)
        == []
    )
    assert kinds(claim_warnings(make_project, "The talks were very productive for the ministry.", quote)) == [
        "certainty"
    ]


# --- acceptance, strictness and the shipped project ---------------------------------------------


def test_a_checked_paraphrase_is_accepted_with_its_reason_and_strict_passes(make_project: MakeProject) -> None:
    one_source = "    accept: {single-source: the test has one article}\n"
    claim = "The two countries are in talks over potential defence export deals worth about $56 billion."
    text = project(claim, DEALS, one_source)
    assert (
        runner.invoke(
            app, ["check", "--strict", "--config", str(make_project(text, {"seeds/a.txt": ARTICLE}))]
        ).exit_code
        == 0
    )
    claim = "The two countries are in talks over potential defence export deals worth $56 billion."
    reason = '    accept: {number: "rounded from the article\'s $56.2 billion", single-source: one article}\n'
    config = make_project(project(claim, DEALS, reason), {"seeds/a.txt": ARTICLE})
    valid = validate(load_project(config))
    assert not [w for w in valid.warnings if w.kind in CLAIM_KINDS]
    accepted = [(a.warning.kind, a.reason) for a in valid.accepted if a.warning.kind in CLAIM_KINDS]
    assert accepted == [("number", "rounded from the article's $56.2 billion")]
    result = runner.invoke(app, ["check", "--strict", "--config", str(config)])
    assert result.exit_code == 0 and "2 accepted" in result.output


def test_the_shipped_project_has_no_claim_support_warnings() -> None:
    valid = validate(load_project(REPO / "briefs.yaml"))
    assert [w.format() for w in valid.warnings if w.kind in CLAIM_KINDS] == []


def test_the_issues_example_is_caught_at_the_offending_words(tmp_path: Path) -> None:
    shutil.copytree(REPO / "seeds", tmp_path / "seeds")
    text = (REPO / "briefs.yaml").read_text(encoding="utf-8")
    text = text.replace("worth a combined $56.2 billion.", "worth a combined $62 billion, led by Hanwha Aerospace.", 1)
    (tmp_path / "briefs.yaml").write_text(text, encoding="utf-8")
    valid = validate(load_project(tmp_path / "briefs.yaml"))
    found = {(w.kind, w.location.line, w.location.column) for w in valid.warnings if w.kind in CLAIM_KINDS}
    line = line_of(text, "$62 billion")
    row = text.splitlines()[line - 1]
    assert found == {("number", line, row.index("$62") + 1), ("entity", line, row.index("Hanwha") + 1)}
    result = runner.invoke(app, ["check", "--strict", "--config", str(tmp_path / "briefs.yaml")])
    assert result.exit_code == 1 and "claim gives '$62 billion', which its quotes do not" in result.output


def test_the_corpus_meets_the_targets() -> None:
    """bench/claims_eval.py: mutants of every shipped claim per class, and true paraphrases."""
    import sys  # noqa: PLC0415

    sys.path.insert(0, str(REPO / "bench"))
    from claims_eval import TARGETS, evaluate  # type: ignore[import-not-found]  # noqa: PLC0415

    tallies, flagged, true_count = evaluate(REPO / "briefs.yaml", REPO / "bench" / "claims_paraphrases.yaml")
    assert {k: t.rate >= TARGETS[k] for k, t in tallies.items()} == dict.fromkeys(TARGETS, True)
    assert all(t.total >= 10 for t in tallies.values())
    assert true_count >= 65 and len(flagged) <= 1, flagged


TITLES_ARTICLE = """\
NATO Secretary General Mark Rutte spoke in Brussels on Monday.
Deputy Secretary General Radmila Šekerinska visited Seoul on Tuesday.
The Deputy Secretary General met the foreign minister in Seoul.
"""


def test_a_role_title_stands_for_its_holder_and_not_for_a_shorter_title(make_project: MakeProject) -> None:
    def role(title: str, quote: str) -> str:
        return f"    roles: [{{title: {title}, cite: [{{source: art, quote: {quote}}}]}}]\n"

    entities = (
        "entities:\n"
        "  mark-rutte:\n    name: Mark Rutte\n    kind: person\n"
        + role("Secretary General of NATO", "NATO Secretary General Mark Rutte")
        + "  radmila-sekerinska:\n    name: Radmila Šekerinska\n    kind: person\n"
        + role("Deputy Secretary General of NATO", "Deputy Secretary General Radmila Šekerinska")
    )
    quote = "The Deputy Secretary General met the foreign minister in Seoul."

    def found(claim: str) -> list[str | None]:
        text = project(claim, quote).replace(ENTITIES, entities)
        valid = validate(load_project(make_project(text, {"seeds/a.txt": TITLES_ARTICLE})))
        return [w.kind for w in valid.warnings if w.kind in CLAIM_KINDS]

    assert found("Radmila Šekerinska met the foreign minister in Seoul.") == []
    assert found("Mark Rutte met the foreign minister in Seoul.") == ["entity"]
