"""Claim support with a forked helper (claims.py, forked.py): the same warnings and the same memo as
one process alone, whoever examines which fact, and nothing lost when the helper fails."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from briefgen.errors import Diagnostic
from briefgen.forked import ForkedHelper
from briefgen.project import claims
from briefgen.project.claims_memo import ClaimMemo
from briefgen.project.claims_text import Finding
from briefgen.project.load import load_project
from briefgen.project.validate import Memos, validate
from tests.conftest import MakeProject
from tests.test_claims import ARTICLE, ENTITIES

# Claims with a number, an entity, a negation or a certainty warning, and claims with none.
CLAIMS = [
    ("Cho announced an assistance package worth $3 billion.", "worth over $2 billion"),
    ("Cho Hyun met Poland's Radek Sikorski.", "Cho Tae-yul of South Korea met Poland's Radek Sikorski"),
    ("The alliance discussed troop numbers.", "the alliance did not discuss troop numbers"),
    ("Both countries will move production to Poland.", "Both countries could move production to Poland"),
    ("The talks were productive, the ministry said.", "The ministry said the talks were productive"),
]


def many_facts(count: int) -> str:
    facts = "".join(
        f'  - id: f{i}\n    claim: "{claim}"\n    cite:\n      - source: art\n        quote: "{quote}"\n'
        for i in range(count)
        for claim, quote in [CLAIMS[i % len(CLAIMS)]]
    )
    refs = ", ".join(f"f{i}" for i in range(count))
    return (
        "sources:\n  art: {file: seeds/a.txt, title: Talks}\n"
        + ENTITIES
        + "facts:\n"
        + facts
        + f"briefs:\n  b: {{title: B, as_of: 2025-10-24, bottom_line: [{refs}]}}\n"
    )


def checked(config: Path) -> tuple[list[Diagnostic], ClaimMemo]:
    memos = Memos()
    valid = validate(load_project(config), memos=memos)
    return list(valid.warnings), memos.claims


@pytest.fixture
def config(make_project: MakeProject) -> Path:
    return make_project(many_facts(40), {"seeds/a.txt": ARTICLE})


def force_helper(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Make every validation from now on fork a helper; how many facts each helper's result held
    (-1: it failed), counted as they arrive."""
    arrived: list[int] = []
    result = ForkedHelper.result

    def counted(self: ForkedHelper[dict[int, tuple[Finding, ...]]]) -> object:
        found = result(self)
        arrived.append(len(found) if found is not None else -1)
        return found

    monkeypatch.setattr(claims, "_helper_pays", lambda unknown, window: True)
    monkeypatch.setattr(ForkedHelper, "result", counted)
    return arrived


def test_a_helper_finds_what_one_process_finds(config: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    alone, alone_memo = checked(config)  # 40 facts: too few for a helper
    assert sum(w.kind in {"number", "entity", "negation", "certainty"} for w in alone) >= 30
    arrived = force_helper(monkeypatch)
    helped, helped_memo = checked(config)
    assert arrived == [round(40 * claims.HELPER_SHARE)]  # the helper examined its share
    assert helped == alone
    assert helped_memo.entries == alone_memo.entries


def test_a_failing_helper_loses_nothing(config: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    alone, _ = checked(config)
    helped = force_helper(monkeypatch)
    parent = os.getpid()
    findings = claims.fact_findings

    def fails_in_the_helper(*args: object, **kwargs: object) -> object:
        if os.getpid() != parent:
            raise RuntimeError("the helper fails")
        return findings(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(claims, "fact_findings", fails_in_the_helper)
    assert checked(config)[0] == alone
    assert helped == [-1]  # the helper failed; this process examined its share


def test_a_remembered_project_forks_no_helper(config: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    helped = force_helper(monkeypatch)
    memos = Memos()
    validate(load_project(config), memos=memos)
    assert helped == [round(40 * claims.HELPER_SHARE)]
    validate(load_project(config), memos=memos)
    assert helped == [round(40 * claims.HELPER_SHARE)]  # every fact's findings were known: nothing to share


class Window:
    def __init__(self, free: float | None) -> None:
        self.free = free

    def free_besides_us(self) -> float | None:
        return self.free


def test_a_helper_only_for_many_facts_and_a_free_cpu(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(claims, "may_fork", lambda: True)
    many = claims.MIN_HELPED_FACTS
    assert claims._helper_pays(many, Window(1.0))  # type: ignore[arg-type]
    assert claims._helper_pays(many, Window(0.5))  # type: ignore[arg-type]
    assert not claims._helper_pays(many - 1, Window(1.0))  # type: ignore[arg-type]
    assert not claims._helper_pays(many, Window(0.2))  # type: ignore[arg-type]  # the other CPU busy
    assert not claims._helper_pays(many, Window(None))  # type: ignore[arg-type]  # not known
    assert not claims._helper_pays(many, None)
    monkeypatch.setattr(claims, "may_fork", lambda: False)  # another thread runs
    assert not claims._helper_pays(many, Window(1.0))  # type: ignore[arg-type]
