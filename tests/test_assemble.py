"""Assembly: facts in document order, notes numbered by first use and reused, actors found by name."""

from __future__ import annotations

from briefgen.assemble import assemble_all
from briefgen.project.load import load_project
from briefgen.project.validate import validate
from tests.conftest import MakeProject

ARTICLES = {
    "seeds/a.txt": "Alpha met Beta in Seoul on Monday to discuss tanks.\nAlpha said the deal was worth $5 billion.\n"
    "Beta is the Polish minister of defence.\n",
    "seeds/b.txt": "Beta, the Polish minister, confirmed the meeting with Alpha.\n",
    "seeds/c.txt": "In 2013 the two countries became strategic partners.\n",
}

PROJECT = """\
sources:
  a: {file: seeds/a.txt}
  b: {file: seeds/b.txt}
  c: {file: seeds/c.txt}
entities:
  alpha:
    name: Alpha Kim
    kind: person
    aliases: [Alpha]
    roles:
      - title: Envoy
        cite: [{source: c, quote: the two countries became strategic partners}]
  beta:
    name: Beta Nowak
    kind: person
    aliases: [Beta]
    roles:
      - title: Polish minister
        cite: [{source: b, quote: "Beta, the Polish minister, confirmed"}]
      - title: Polish minister
        cite: [{source: a, quote: Beta is the Polish minister of defence}]
  poland: {name: Poland, kind: country}
facts:
  - id: meeting
    claim: Alpha Kim met Beta Nowak in Seoul to discuss tanks.
    date: 2025-10-20
    cite:
      - {source: b, quote: confirmed the meeting with Alpha}
      - {source: a, quote: Alpha met Beta in Seoul on Monday}
  - id: worth
    claim: Alpha said the deal was worth $5 billion.
    date: 2025-10-21
    figure: {measure: Deal value, value: $5 billion}
    cite: [{source: a, quote: the deal was worth $5 billion}]
  - id: partners
    claim: The two countries, Poland among them, became strategic partners in 2013.
    date: 2013
    cite: [{source: c, quote: In 2013 the two countries became strategic partners}]
briefs:
  demo:
    title: Demo
    as_of: 2025-10-24
    bottom_line: [worth]
    sections:
      - title: Developments
        order: chronological
        facts: [worth, meeting, partners]
    assessment:
      - text: A judgement.
        based_on: [partners]
"""


def assembled(make_project: MakeProject):  # type: ignore[no-untyped-def]
    (brief,) = assemble_all(validate(load_project(make_project(PROJECT, ARTICLES))))
    return brief


def test_notes_are_numbered_by_first_use_and_reused(make_project: MakeProject) -> None:
    brief = assembled(make_project)
    assert [s.notes for s in brief.bottom_line] == [(1,)]  # `worth` cites a first
    # chronological: partners (2013), meeting (2025-10-20), worth (2025-10-21)
    assert [(s.fact.id, s.notes) for s in brief.sections[0].statements] == [
        ("partners", (2,)),
        ("meeting", (1, 3)),
        ("worth", (1,)),
    ]
    assert [(n.number, n.source_id) for n in brief.notes] == [(1, "a"), (2, "c"), (3, "b")]


def test_key_figures_come_from_facts_with_a_figure(make_project: MakeProject) -> None:
    assert [s.fact.id for s in assembled(make_project).key_figures] == ["worth"]


def test_key_actors_are_people_and_organisations_named_in_claims_by_name_or_alias(make_project: MakeProject) -> None:
    actors = assembled(make_project).key_actors
    assert [a.id for a in actors] == ["alpha", "beta"]  # Poland is a country: context, not an actor
    assert actors[0].roles[0].notes == (2,)


def test_a_role_sourced_twice_is_one_role_with_two_notes(make_project: MakeProject) -> None:
    beta = assembled(make_project).key_actors[1]
    assert [(r.title, r.notes) for r in beta.roles] == [("Polish minister", (1, 3))]


def test_assessment_cites_the_sources_of_its_facts(make_project: MakeProject) -> None:
    assert assembled(make_project).assessment[0].notes == (2,)


def test_facts_lists_each_fact_once_in_document_order(make_project: MakeProject) -> None:
    assert [f.id for f in assembled(make_project).facts] == ["worth", "partners", "meeting"]


def test_the_timeline_lists_every_dated_stated_fact_once_in_date_order(make_project: MakeProject) -> None:
    brief = assembled(make_project)
    # `worth` is in the bottom line and the section: once. Undated facts would be left out.
    assert [(s.fact.id, str(s.fact.date.value) if s.fact.date else None) for s in brief.timeline] == [
        ("partners", "2013"),
        ("meeting", "2025-10-20"),
        ("worth", "2025-10-21"),
    ]
    assert brief.undated == 0
    assert [s.notes for s in brief.timeline] == [(2,), (1, 3), (1,)]  # the notes of the same statements


def test_undated_facts_stay_off_the_timeline_and_are_counted(make_project: MakeProject) -> None:
    (brief,) = assemble_all(validate(load_project(make_project(PROJECT.replace("    date: 2013\n", ""), ARTICLES))))
    assert [s.fact.id for s in brief.timeline] == ["meeting", "worth"]
    assert brief.undated == 1


def test_partial_dates_sort_at_the_start_of_their_period(make_project: MakeProject) -> None:
    text = PROJECT.replace("date: 2025-10-21", "date: 2025-10").replace("date: 2013", "date: 2025")
    (brief,) = assemble_all(validate(load_project(make_project(text, ARTICLES))))
    assert [str(s.fact.date.value) for s in brief.timeline if s.fact.date] == ["2025", "2025-10", "2025-10-20"]


def test_a_role_shows_each_date_it_is_reported_for_earliest_first(make_project: MakeProject) -> None:
    text = PROJECT.replace(
        '      - title: Polish minister\n        cite: [{source: b, quote: "Beta, the',
        '      - title: Polish minister\n        date: 2025-10\n        cite: [{source: b, quote: "Beta, the',
    ).replace(
        "      - title: Polish minister\n        cite: [{source: a,",
        "      - title: Polish minister\n        date: {value: 2025-04, basis: inferred}\n        cite: [{source: a,",
    )
    (brief,) = assemble_all(validate(load_project(make_project(text, ARTICLES))))
    (role,) = brief.key_actors[1].roles
    assert [(str(d.value), d.basis.value) for d in role.dates] == [("2025-04", "inferred"), ("2025-10", "stated")]
