"""Warnings: alias spellings, look-alike entities, single-source bottom lines, stale facts, conflicting figures."""

from __future__ import annotations

import datetime as dt
import itertools
import time
from pathlib import Path
from types import SimpleNamespace

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from briefgen.errors import Severity
from briefgen.project import lint
from briefgen.project.lint import _candidate_pairs, look_alike
from briefgen.project.load import load_project
from briefgen.project.validate import validate
from briefgen.project.values import PartialDate
from tests.conftest import MakeProject, line_of

ARTICLES = {
    "seeds/a.txt": "Radmila Sekerinska met Seok Jong-gun in Brussels on Wednesday.\n"
    "The deal was worth $5 billion, officials said.\nYonhap reported the talks.\n",
    "seeds/b.txt": "Seok Jong-geon, the DAPA minister, confirmed the Brussels meeting.\n"
    "The deal was worth $6 billion, a second official said.\n",
    "seeds/c.txt": "Seok Jong-geon, the DAPA minister, confirmed the Brussels meeting, Yonhap said.\n",
}

HEAD = """\
sources:
  a: {file: seeds/a.txt}
  b: {file: seeds/b.txt}
entities:
  radmila-sekerinska:
    name: Radmila Šekerinska
    kind: person
    aliases: [Radmila Sekerinska, Sekerinska]
  seok-jong-geon:
    name: Seok Jong-geon
    kind: person
    aliases: [Seok Jong-gun]
  dapa:
    name: Defense Acquisition Program Administration
    kind: organisation
    aliases: [DAPA]
  yonhap:
    name: Yonhap News Agency
    kind: organisation
    aliases: [Yonhap]
"""

BRIEF = """\
briefs:
  demo:
    title: Demo
    as_of: 2025-10-24
    bottom_line: [meeting]
"""


def fact(
    fact_id: str, claim: str, cites: str = "[{source: a, quote: met Seok Jong-gun in Brussels}]", **extra: str
) -> str:
    lines = [
        f"  - id: {fact_id}",
        f"    claim: {claim}",
        *(f"    {k}: {v}" for k, v in extra.items()),
        f"    cite: {cites}",
    ]
    return "\n".join(lines) + "\n"


TWO_SOURCES = "[{source: a, quote: met Seok Jong-gun in Brussels}, {source: b, quote: confirmed the Brussels meeting}]"


CLAIM_SUPPORT = {"number", "entity", "negation", "certainty"}  # tested in tests/test_claims.py


def warnings(config: Path) -> list[tuple[int, str, str | None]]:
    """The lint warnings (the fixtures' claims are not written to be supported by their quotes)."""
    valid = validate(load_project(config))
    assert all(d.severity is Severity.WARNING for d in valid.warnings)
    return [(d.location.line, d.message, d.hint) for d in valid.warnings if d.kind not in CLAIM_SUPPORT]


def project(make_project: MakeProject, facts: str, brief: str = BRIEF, head: str = HEAD) -> tuple[Path, str]:
    text = f"{head}facts:\n{facts}{brief}"
    return make_project(text, ARTICLES), text


# -- alias spellings -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "claim, spelling, suggestion",
    [
        ("Radmila Sekerinska met Seok Jong-geon.", "Radmila Sekerinska", "write 'Radmila Šekerinska'"),
        ("Sekerinska met Seok Jong-geon.", "Sekerinska", "write 'Šekerinska', as in the canonical name"),
        ("Radmila Šekerinska met Seok Jong-gun.", "Seok Jong-gun", "write 'Seok Jong-geon'"),
    ],
)
def test_a_claim_that_spells_an_entity_by_an_alias_is_warned_with_the_canonical_spelling(
    make_project: MakeProject, claim: str, spelling: str, suggestion: str
) -> None:
    config, text = project(make_project, fact("meeting", claim, TWO_SOURCES))
    ((line, message, hint),) = warnings(config)
    assert line == line_of(text, "claim:")
    assert spelling in message and "an alias" in message
    assert hint is not None and hint.startswith(suggestion)


def test_a_headline_that_spells_an_entity_by_an_alias_is_warned_at_the_headline(make_project: MakeProject) -> None:
    facts = fact("meeting", "Radmila Šekerinska met Seok Jong-geon.", TWO_SOURCES, headline="Sekerinska meets Seok")
    config, text = project(make_project, facts)
    ((line, message, hint),) = warnings(config)
    assert line == line_of(text, "headline:")
    assert message.startswith("headline spells 'Radmila Šekerinska' as 'Sekerinska', an alias")
    assert hint is not None and hint.startswith("write 'Šekerinska', as in the canonical name")


@pytest.mark.parametrize(
    "headline, added",
    [
        ("Šekerinska and Seok meet over a $5 billion deal", "the number 5"),
        ("Šekerinska meets Seok for DAPA", "entity 'dapa'"),
        ("Šekerinska meets Seok in 2025, Yonhap says", "the number 2025, entity 'yonhap'"),
    ],
)
def test_a_headline_that_adds_a_number_or_an_entity_to_its_claim_is_warned(
    make_project: MakeProject, headline: str, added: str
) -> None:
    facts = fact("meeting", "Radmila Šekerinska met Seok Jong-geon in Brussels.", TWO_SOURCES, headline=headline)
    config, text = project(make_project, facts)
    ((line, message, _),) = warnings(config)
    assert line == line_of(text, "headline:")
    assert message == f"headline of fact 'meeting' gives {added}, which its claim does not"


@pytest.mark.parametrize(
    "headline",
    [
        "Šekerinska meets Seok in Brussels",  # shorter, with short forms of the claim's names
        "Šekerinska meets the DAPA minister",  # DAPA is not in the claim, but the fact lists it
    ],
)
def test_a_headline_that_only_shortens_its_claim_is_not_warned(make_project: MakeProject, headline: str) -> None:
    claim = "Radmila Šekerinska met Seok Jong-geon in Brussels."
    facts = fact("meeting", claim, TWO_SOURCES, headline=headline, entities="[dapa]")
    config, _ = project(make_project, facts)
    assert warnings(config) == []


@pytest.mark.parametrize(
    "claim",
    [
        "Radmila Šekerinska met Seok Jong-geon in Brussels.",  # canonical names
        "Šekerinska met Seok Jong-geon, the DAPA minister.",  # surname of the canonical name; abbreviation
        "Yonhap reported that Radmila Šekerinska met Seok Jong-geon.",  # alias = whole words of the name
        "The Defense Acquisition Program Administration minister met Radmila Šekerinska.",
    ],
)
def test_canonical_names_abbreviations_and_short_forms_are_not_warned(make_project: MakeProject, claim: str) -> None:
    config, _ = project(make_project, fact("meeting", claim, TWO_SOURCES))
    assert warnings(config) == []


# -- look-alike entities ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "first, second",
    [("Kim Min-gun", "Kim Min-geon"), ("Lee Jae Myung", "Lee Jae-myung"), ("Władysław Nowak", "Wladyslaw Nowak")],
)
def test_entities_with_near_identical_spellings_are_flagged(make_project: MakeProject, first: str, second: str) -> None:
    head = HEAD + f"  one:\n    name: {first}\n    kind: person\n  two:\n    name: {second}\n    kind: person\n"
    config, text = project(make_project, fact("meeting", "Radmila Šekerinska met officials.", TWO_SOURCES), head=head)
    found = [w for w in warnings(config) if "look like the same one" in w[1]]
    assert [(line, message) for line, message, _ in found] == [
        (line_of(text, f"name: {second}"), f"entities 'one' and 'two' look like the same one: {first!r} ~ {second!r}")
    ]


@pytest.mark.parametrize("first, second", [("South Korea", "North Korea"), ("EU", "UN"), ("Cho Hyun", "Cho Tae-yul")])
def test_different_entities_are_not_flagged(make_project: MakeProject, first: str, second: str) -> None:
    head = HEAD + f"  one:\n    name: {first}\n    kind: country\n  two:\n    name: {second}\n    kind: country\n"
    config, _ = project(make_project, fact("meeting", "Radmila Šekerinska met officials.", TWO_SOURCES), head=head)
    assert warnings(config) == []


@pytest.mark.parametrize(
    "entity, flagged",
    [
        ("name: Jong-geon Seok", "Jong-geon Seok"),  # the same words in the other order
        ("name: S. J. Seok\n    aliases: [Seok Jong geon]", "Seok Jong geon"),  # an alias like another's name
    ],
)
def test_word_order_and_aliases_count_too(make_project: MakeProject, entity: str, flagged: str) -> None:
    head = HEAD + f"  seok-2:\n    {entity}\n    kind: person\n"
    config, text = project(make_project, fact("meeting", "Radmila Šekerinska met officials.", TWO_SOURCES), head=head)
    ((line, message, _),) = warnings(config)
    assert line == line_of(text, flagged)
    assert message == f"entities 'seok-jong-geon' and 'seok-2' look like the same one: 'Seok Jong-geon' ~ {flagged!r}"


# -- single-source bottom line -----------------------------------------------------------------------------


def test_a_bottom_line_fact_with_one_source_is_warned_at_its_bottom_line_entry(make_project: MakeProject) -> None:
    one_source_twice = (
        "[{source: a, quote: met Seok Jong-gun in Brussels}, {source: a, quote: Yonhap reported the talks}]"
    )
    config, text = project(make_project, fact("meeting", "Radmila Šekerinska met Seok Jong-geon.", one_source_twice))
    assert [w for w in warnings(config) if "bottom-line" in w[1]] == [
        (
            line_of(text, "bottom_line: [meeting]"),
            "bottom-line fact 'meeting' rests on a single source (a)",
            "cite a second, independent article that supports it, or move it out of the bottom line",
        )
    ]


def test_two_copies_of_one_agency_story_are_one_source(make_project: MakeProject) -> None:
    head = HEAD.replace(
        "a: {file: seeds/a.txt}", "a: {file: seeds/a.txt, credit: yonhap}\n  c: {file: seeds/c.txt, credit: Yonhap}"
    )
    cites = "[{source: a, quote: met Seok Jong-gun in Brussels}, {source: c, quote: confirmed the Brussels meeting}]"
    facts = fact("meeting", "Radmila Šekerinska met Seok Jong-geon.", cites) + fact(
        "other", "Seok confirmed.", TWO_SOURCES
    )
    config, _ = project(make_project, facts, head=head)
    ((_, message, _),) = warnings(config)
    assert message == "bottom-line fact 'meeting' rests on one story: its sources a, c are all credited to yonhap"


def test_independent_sources_in_the_bottom_line_are_fine(make_project: MakeProject) -> None:
    config, _ = project(make_project, fact("meeting", "Radmila Šekerinska met Seok Jong-geon.", TWO_SOURCES))
    assert warnings(config) == []


# -- stale facts ---------------------------------------------------------------------------------------------


def stale(make_project: MakeProject, date: str, brief_extra: str = "", section_extra: str = "") -> list[str]:
    facts = fact("meeting", "Radmila Šekerinska met Seok Jong-geon.", TWO_SOURCES) + fact(
        "old", "Seok Jong-geon confirmed the meeting.", TWO_SOURCES, date=date
    )
    brief = BRIEF + brief_extra + f"    sections:\n      - title: Background\n{section_extra}        facts: [old]\n"
    config, _ = project(make_project, facts, brief)
    return [message for _, message, _ in warnings(config)]


@pytest.mark.parametrize(
    "date, is_stale",
    [
        ("2024-10-23", True),  # a year and a day before 24 October 2025
        ("2024-10-24", False),  # exactly the horizon
        ("2024-10", False),  # could be 31 October 2024: not certainly older than the horizon
        ("2024-09", True),
        ("2023", True),
    ],
)
def test_the_default_horizon_is_one_year_and_respects_precision(
    make_project: MakeProject, date: str, is_stale: bool
) -> None:
    messages = stale(make_project, date)
    assert bool(messages) == is_stale
    if is_stale:
        assert messages[0].startswith("fact 'old' dates from ")
        assert messages[0].endswith("more than 1 year before this brief's as-of date (24 October 2025): possibly stale")


def test_a_brief_or_section_horizon_overrides_the_project_one(make_project: MakeProject) -> None:
    assert stale(make_project, "2023-12", brief_extra="    horizon: 2 years\n") == []
    assert stale(make_project, "2023-12", section_extra="        horizon: 2 years\n") == []
    (message,) = stale(make_project, "2025-06", brief_extra="    horizon: 90 days\n")
    assert "June 2025, more than 90 days before" in message


def test_the_project_horizon_sets_the_default(make_project: MakeProject) -> None:
    facts = fact("meeting", "Radmila Šekerinska met Seok Jong-geon.", TWO_SOURCES, date="2025-04")
    config, _ = project(make_project, facts, head="project:\n  horizon: 3 months\n" + HEAD)
    ((_, message, _),) = warnings(config)
    assert "April 2025, more than 3 months before" in message


def test_a_bad_horizon_is_a_located_error(make_project: MakeProject) -> None:
    from tests.test_validate import errors_of  # noqa: PLC0415

    config, text = project(
        make_project, fact("meeting", "Seok Jong-geon met.", TWO_SOURCES), BRIEF + "    horizon: soon\n"
    )
    (error,) = errors_of(config)
    assert error.startswith(f"{line_of(text, 'horizon: soon')}:14: error: briefs.demo.horizon: 'soon' is not a horizon")


# -- conflicting figures -------------------------------------------------------------------------------------


def figures(
    make_project: MakeProject, first: tuple[str, str, str], second: tuple[str, str, str]
) -> list[tuple[int, str]]:
    facts = fact("meeting", "Radmila Šekerinska met Seok Jong-geon.", TWO_SOURCES)
    for fact_id, (measure, value, date) in (("worth-a", first), ("worth-b", second)):
        extra = {"figure": f"{{measure: {measure}, value: {value!r}}}"} | ({"date": date} if date else {})
        facts += fact(fact_id, "The deal had a value.", "[{source: a, quote: The deal was worth $5 billion}]", **extra)
    config, _ = project(make_project, facts)
    return [(line, message) for line, message, _ in warnings(config)]


def test_the_same_measure_with_different_values_is_a_conflict(make_project: MakeProject) -> None:
    found = figures(make_project, ("Deal value", "$5 billion", ""), ("deal  value.", "$6 billion", ""))
    assert [message for _, message in found] == [
        "figure 'deal  value.' is '$6 billion' here but '$5 billion' in fact 'worth-a'"
    ]


@pytest.mark.parametrize(
    "first, second",
    [
        (("Deal value", "$5 billion", ""), ("Deal value", "$5  billion", "")),  # same value, other spacing
        (("Deal value", "$5 billion", "2024"), ("Deal value", "$6 billion", "2025-10")),  # a figure over time
        (("Deal value", "$5 billion", ""), ("Deal size", "$6 billion", "")),  # another measure
    ],
)
def test_equal_values_other_times_or_other_measures_are_not_conflicts(
    make_project: MakeProject, first: tuple[str, str, str], second: tuple[str, str, str]
) -> None:
    assert figures(make_project, first, second) == []


def test_overlapping_dates_still_conflict(make_project: MakeProject) -> None:
    found = figures(make_project, ("Deal value", "$5 billion", "2025"), ("Deal value", "$6 billion", "2025-10"))
    assert len(found) == 1


@settings(max_examples=200, deadline=None)
@given(
    st.lists(
        st.lists(
            st.sampled_from(
                ["Seok", "Jong-gun", "Jong-geon", "South", "North", "Korea", "Šekerinska", "Sekerinska", "EU"]
            ),
            min_size=1,
            max_size=3,
        ).map(" ".join),
        max_size=12,
    )
)
def test_look_alike_candidates_include_every_look_alike_pair(names: list[str]) -> None:
    """The rule compares only names sharing a bucket; no look-alike pair may fall outside them."""
    candidates = set(_candidate_pairs(names))
    for i, j in itertools.combinations(range(len(names)), 2):
        if look_alike(names[i], names[j]):
            assert (i, j) in candidates


@settings(max_examples=300, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.sampled_from(["$5 billion", "$6 billion", "$7 billion"]),
            st.sampled_from(["", "2024", "2025", "2025-02", "2025-10", "2025-10-03", "2025-10-31", "2026-01-01"]),
        ),
        max_size=14,
    )
)
def test_the_first_conflicting_earlier_figure_is_the_one_every_pair_would_find(
    figures_given: list[tuple[str, str]],
) -> None:
    """The conflicting-figures rule looks only where a conflict can be; it must name the same earlier
    fact as trying every earlier fact in order (what it did, in quadratic time)."""
    facts = [
        SimpleNamespace(
            id=f"f{n}",
            figure=SimpleNamespace(value=value),
            date=SimpleNamespace(value=PartialDate.parse(date)) if date else None,
        )
        for n, (value, date) in enumerate(figures_given)
    ]
    conflicts = lint._EarlierConflicts()
    for later, fact in enumerate(facts):
        expected = next((f for f in facts[:later] if lint._conflict(f, fact)), None)  # type: ignore[arg-type]
        assert conflicts.first_for(fact) is expected  # type: ignore[arg-type]
        conflicts.add(fact)  # type: ignore[arg-type]


def test_one_entity_with_thousands_of_aliases_and_thousands_of_figures_stay_fast() -> None:
    """6,000 aliases of one entity took 92 s in the look-alike rule, 10,000 dated figures of one
    measure 182 s in the conflicting-figures rule; both are now a small fraction of a second or so."""
    names = ["Zed Alpha", *(f"Zed q{i}x{i * 7}" for i in range(6000)), "Zed Beta"]
    start = time.perf_counter()
    pairs = _candidate_pairs(names, ["one"] * 6001 + ["two"])
    assert all(j == 6001 for _, j in pairs)
    conflicts = lint._EarlierConflicts()
    for n in range(10_000):
        day = PartialDate.parse((dt.date(1990, 1, 1) + dt.timedelta(days=n)).isoformat())
        fact = SimpleNamespace(id=f"f{n}", figure=SimpleNamespace(value=str(n)), date=SimpleNamespace(value=day))
        assert conflicts.first_for(fact) is None  # type: ignore[arg-type]
        conflicts.add(fact)  # type: ignore[arg-type]
    assert time.perf_counter() - start < 10  # ~1 s here; minutes before
