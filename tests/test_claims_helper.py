"""Claim support with a forked helper (claims_support.py, claims_ahead.py, forked.py): the same
warnings and the same memo as one process alone, whoever examines which fact, and nothing lost
when the helper fails."""

from __future__ import annotations

import os
import re
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from briefgen import forked
from briefgen.build import api
from briefgen.cpus import CpuWindow
from briefgen.errors import Diagnostic, ValidationFailed
from briefgen.forked import ForkedHelper
from briefgen.limits import Limits
from briefgen.project import (
    claims_ahead,
    claims_memo,
    claims_support,
    parse_cache,
    quote_memo,
    result_cache,
    yamlhalves,
)
from briefgen.project import validate as validate_module
from briefgen.project.claims_memo import ClaimMemo
from briefgen.project.claims_text import Finding
from briefgen.project.load import load_project
from briefgen.project.model import Fact
from briefgen.project.validate import Memos, validate
from briefgen.project.values import WarningKind
from briefgen.project.yamldoc import YamlDocument, parse_yaml
from tests.conftest import MakeProject
from tests.test_claims import ARTICLE, ENTITIES
from tests.test_memos import forget_process

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

    monkeypatch.setattr(claims_support, "_helper_pays", lambda unknown, window: True)
    monkeypatch.setattr(ForkedHelper, "result", counted)
    return arrived


def test_a_helper_finds_what_one_process_finds(config: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    alone, alone_memo = checked(config)  # 40 facts: too few for a helper
    assert sum(w.kind in {"number", "entity", "negation", "certainty"} for w in alone) >= 30
    arrived = force_helper(monkeypatch)
    helped, helped_memo = checked(config)
    assert arrived == [round(40 * claims_support.HELPER_SHARE)]  # the helper examined its share
    assert helped == alone
    assert helped_memo.entries == alone_memo.entries


def test_a_failing_helper_loses_nothing(config: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    alone, _ = checked(config)
    helped = force_helper(monkeypatch)
    parent = os.getpid()
    findings = claims_support.fact_findings

    def fails_in_the_helper(*args: object, **kwargs: object) -> object:
        if os.getpid() != parent:
            raise RuntimeError("the helper fails")
        return findings(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(claims_support, "fact_findings", fails_in_the_helper)
    assert checked(config)[0] == alone
    assert helped == [-1]  # the helper failed; this process examined its share


def test_when_no_process_can_be_forked_all_is_examined_here(config: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    alone, _ = checked(config)
    force_helper(monkeypatch)

    def no_fork() -> int:
        raise BlockingIOError(11, "Resource temporarily unavailable")

    monkeypatch.setattr(os, "fork", no_fork)
    assert checked(config)[0] == alone


def test_a_remembered_project_forks_no_helper(config: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    helped = force_helper(monkeypatch)
    memos = Memos()
    validate(load_project(config), memos=memos)
    assert helped == [round(40 * claims_support.HELPER_SHARE)]
    validate(load_project(config), memos=memos)
    assert helped == [round(40 * claims_support.HELPER_SHARE)]  # every fact's findings were known: nothing to share


class Window:
    def __init__(self, free: float | None) -> None:
        self.free = free

    def free_besides_us(self) -> float | None:
        return self.free


def test_a_helper_only_for_many_facts_and_a_free_cpu(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(claims_support, "may_fork", lambda: True)
    many = claims_support.MIN_HELPED_FACTS
    assert claims_support._helper_pays(many, Window(1.0))  # type: ignore[arg-type]
    assert claims_support._helper_pays(many, Window(0.5))  # type: ignore[arg-type]
    assert not claims_support._helper_pays(many - 1, Window(1.0))  # type: ignore[arg-type]
    assert not claims_support._helper_pays(many, Window(0.2))  # type: ignore[arg-type]  # the other CPU busy
    assert not claims_support._helper_pays(many, Window(None))  # type: ignore[arg-type]  # not known
    assert not claims_support._helper_pays(many, None)
    monkeypatch.setattr(claims_support, "may_fork", lambda: False)  # another thread runs
    assert not claims_support._helper_pays(many, Window(1.0))  # type: ignore[arg-type]


# --- a helper begun ahead, before the project is read (claims_ahead.py) -------------------------


@pytest.fixture
def begun_ahead(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> list[int]:
    """Every check from now on begins a helper ahead (any size, any CPU), in a fresh process's state
    and with caching off; how many facts each helper's result held (-1: it failed)."""
    monkeypatch.setenv("BRIEFGEN_CACHE", "0")
    forget_process(monkeypatch)
    monkeypatch.setattr(claims_ahead, "MIN_AHEAD_BYTES", 0)
    monkeypatch.setattr(claims_ahead, "helper_may_run", lambda window: True)
    arrived: list[int] = []
    result = claims_ahead.ClaimsAhead.result

    def counted(self: claims_ahead.ClaimsAhead) -> object:
        found = result(self)
        arrived.append(len(found[1]) if found is not None else -1)
        return found

    monkeypatch.setattr(claims_ahead.ClaimsAhead, "result", counted)
    return arrived


@pytest.fixture
def helper_takes_all(monkeypatch: pytest.MonkeyPatch) -> None:
    """This process takes no fact first (forked.Meeting): the helper examines its share, then the
    facts before it, down to the first."""
    monkeypatch.setattr(forked.Meeting, "parent_takes", lambda self, index: False)


@pytest.fixture
def only_its_share(monkeypatch: pytest.MonkeyPatch) -> None:
    """A helper through its share goes no further: it finds no facts before it."""
    in_the_helper(monkeypatch, claims_ahead, "_slices_before_share", lambda *a: iter(()))


@pytest.fixture
def taken_here(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """The facts this process took first (forked.Meeting: its own, then the helper's share's), in order."""
    taken: list[int] = []
    real = forked.Meeting.parent_takes
    monkeypatch.setattr(
        forked.Meeting, "parent_takes", lambda self, index: real(self, index) and (taken.append(index) or True)
    )
    return taken


def in_the_helper(monkeypatch: pytest.MonkeyPatch, module: object, name: str, instead: Callable[..., Any]) -> None:
    """Replace `module.name` by `instead`, in a forked helper only (this process keeps the real one)."""
    parent, real = os.getpid(), getattr(module, name)

    def switched(*args: object, **kwargs: object) -> object:
        return (real if os.getpid() == parent else instead)(*args, **kwargs)

    monkeypatch.setattr(module, name, switched)


def share_ahead(config: Path) -> range:
    """The facts a helper begun ahead examines: from the first fact in the last AHEAD_SHARE of the
    list's text, having read the later half of briefs.yaml apart (yamlhalves.py)."""
    text = config.read_text()
    first = yamlhalves.cut_at(text, 1 - claims_ahead.AHEAD_SHARE)
    assert yamlhalves.cut_at(text) is not None and first is not None  # what these tests are about
    return range(first.items, 40)


def test_a_helper_begun_ahead_finds_what_one_process_finds(
    config: Path, begun_ahead: list[int], taken_here: list[int]
) -> None:
    alone, _ = checked(config)  # validate() alone begins no helper ahead: only check() does
    assert list(api.check(config).warnings) == alone
    share = share_ahead(config)
    assert 0.6 < len(share) / 40 < 0.85  # about AHEAD_SHARE of the facts
    assert taken_here == list(range(len(taken_here)))  # this process from the first fact on,
    assert 40 <= begun_ahead[0] + len(taken_here) <= 41  # the helper from the last, past its share if first there


def test_this_process_takes_on_more_of_a_slow_helpers_share(
    config: Path, begun_ahead: list[int], taken_here: list[int], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Neither waits for the other: they meet where they meet (forked.Meeting)."""
    alone, _ = checked(config)
    real = claims_ahead.fact_findings
    in_the_helper(monkeypatch, claims_ahead, "fact_findings", lambda *a: time.sleep(0.05) or real(*a))
    assert list(api.check(config).warnings) == alone
    share = share_ahead(config)
    assert len([index for index in taken_here if index in share]) > len(share) / 2


def test_a_helper_through_its_share_first_goes_on_to_this_process_facts(
    config: Path, begun_ahead: list[int], taken_here: list[int], monkeypatch: pytest.MonkeyPatch
) -> None:
    """This process slow to come to the claims (a long lint, a busy CPU): the helper, its share
    done, examines this process's facts too, from the last of them down, and this process takes
    its findings, as it would its own."""
    alone, _ = checked(config)
    real = validate_module.lint
    monkeypatch.setattr(validate_module, "lint", lambda *a: time.sleep(1.0) or real(*a))  # (only here: it lints)
    assert list(api.check(config).warnings) == alone
    assert begun_ahead == [40]  # every fact
    assert taken_here == []  # none left for this process


def test_a_helper_that_fails_past_its_share_loses_nothing(
    config: Path, begun_ahead: list[int], taken_here: list[int], monkeypatch: pytest.MonkeyPatch
) -> None:
    """What it found stands; this process examines the rest (here: no fact was taken first)."""
    alone, _ = checked(config)
    real = claims_ahead._slices_before_share

    def one_slice_then_fails(*args: object) -> Iterator[tuple[int, list[Any]]]:
        slices = real(*args)  # type: ignore[arg-type]
        yield next(slices)
        raise RuntimeError("the helper fails past its share")

    in_the_helper(monkeypatch, claims_ahead, "_slices_before_share", one_slice_then_fails)
    real_lint = validate_module.lint
    monkeypatch.setattr(validate_module, "lint", lambda *a: time.sleep(1.0) or real_lint(*a))
    assert list(api.check(config).warnings) == alone
    share = share_ahead(config)
    assert len(share) < begun_ahead[0] < 40  # its share and one slice before it


def test_the_facts_before_the_share_are_read_in_slices_from_the_share_down(config: Path) -> None:
    text = config.read_text()
    share = share_ahead(config)
    first = yamlhalves.cut_at(text, 1 - claims_ahead.AHEAD_SHARE)
    assert first is not None
    slices = list(claims_ahead._slices_before_share(text, first, config, Limits()))
    ends = [share.start, *(start for start, _ in slices)]
    assert [start + len(items) for start, items in slices] == ends[:-1]  # each ends where the one above begins
    assert ends[-1] == 0 and len(slices) > 1
    in_order = [item for _, items in reversed(slices) for item in items]
    assert in_order == parse_yaml(text, config).data["facts"][: share.start]


def test_a_helper_that_took_none_of_its_share_is_stopped_not_waited_for(
    config: Path, begun_ahead: list[int], taken_here: list[int], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A helper slow to begin its claims (a busy machine): this process takes them all, and ends."""
    alone, _ = checked(config)
    real = claims_memo.FactKeys
    in_the_helper(monkeypatch, claims_memo, "FactKeys", lambda *a: time.sleep(30) or real(*a))
    started = time.monotonic()
    assert list(api.check(config).warnings) == alone
    assert time.monotonic() - started < 15
    assert taken_here == list(range(40))  # its own facts, then the helper's share
    assert begun_ahead == []  # its result was never asked for


@pytest.mark.parametrize("how", ["a tag in the first half", "the parse remembered"])
def test_a_helper_ahead_is_told_at_once_when_no_items_will_be_sent(
    make_project: MakeProject, begun_ahead: list[int], monkeypatch: pytest.MonkeyPatch, how: str
) -> None:
    """Not once this process waits for the places of its quotes (each would wait for the other
    meanwhile): when the first half cannot be read apart, or the parse comes from the cache."""
    text = many_facts(40)
    if how == "a tag in the first half":
        text = text.replace('id: f1\n    claim: "', 'id: f1\n    claim: !!str "')
    config = make_project(text, {"seeds/a.txt": ARTICLE})
    alone, _ = checked(config)
    events: list[str] = []
    if how == "the parse remembered":
        monkeypatch.setenv("BRIEFGEN_CACHE", "1")
        monkeypatch.setattr(parse_cache, "MIN_CACHED_CHARS", 0)
        monkeypatch.setenv("XDG_CACHE_HOME", str(config.parent / "user-cache"))
        result_cache._signing_key.cache_clear()
        api.check(config)  # the parse is kept
        (config.parent / result_cache.CACHE_DIR / "claims.json").unlink()  # and the findings forgotten:
        forget_process(monkeypatch)  # a helper is begun again
        monkeypatch.setattr(yamlhalves, "read_in_halves", lambda *a: pytest.fail("parsed again"))
    real_sent_all, real_places = ForkedHelper.sent_all, claims_ahead.ClaimsAhead.places
    monkeypatch.setattr(ForkedHelper, "sent_all", lambda self: events.append("sent all") or real_sent_all(self))
    monkeypatch.setattr(claims_ahead.ClaimsAhead, "places", lambda self: events.append("places") or real_places(self))
    assert list(api.check(config).warnings) == alone
    assert "places" in events and events.index("sent all") < events.index("places")
    result_cache._signing_key.cache_clear()


def test_the_later_half_the_helper_read_is_what_this_process_reads(
    config: Path, begun_ahead: list[int], monkeypatch: pytest.MonkeyPatch
) -> None:
    joined: list[YamlDocument | None] = []
    real = yamlhalves.joined
    monkeypatch.setattr(yamlhalves, "joined", lambda *a: joined.append(real(*a)) or joined[-1])
    valid = api.check(config)
    assert joined and joined[0] is not None  # the two halves were read in two processes
    whole = parse_yaml(config.read_text(), config)
    assert valid.document.data == whole.data
    assert list(valid.document.value_positions.items()) == list(whole.value_positions.items())


@pytest.mark.usefixtures("helper_takes_all", "only_its_share")
def test_the_helper_ahead_is_sent_the_facts_of_its_share_before_the_cut(
    config: Path, begun_ahead: list[int], monkeypatch: pytest.MonkeyPatch
) -> None:
    """This process, having read the first half, sends the helper the items of its share there:
    the helper reads none of them itself."""
    alone, _ = checked(config)
    in_the_helper(monkeypatch, claims_ahead, "items_between", fails_in_the_helper)
    assert list(api.check(config).warnings) == alone
    assert begun_ahead == [len(share_ahead(config))]  # it examined its whole share


@pytest.mark.usefixtures("helper_takes_all", "only_its_share")
def test_a_helper_ahead_sent_no_facts_reads_them_itself(
    config: Path, begun_ahead: list[int], monkeypatch: pytest.MonkeyPatch
) -> None:
    alone, _ = checked(config)
    monkeypatch.setattr(claims_ahead, "_items_from", lambda *a: None)  # as when they stood elsewhere
    assert list(api.check(config).warnings) == alone
    assert begun_ahead == [len(share_ahead(config))]
    in_the_helper(monkeypatch, claims_ahead, "items_between", fails_in_the_helper)  # so it did read them
    forget_process(monkeypatch)  # what the first check found, forgotten: a helper is begun again
    assert list(api.check(config).warnings) == alone
    assert begun_ahead == [len(share_ahead(config)), -1]


def test_a_helper_ahead_that_reads_the_whole_text_examines_the_last_facts(
    make_project: MakeProject, begun_ahead: list[int], taken_here: list[int]
) -> None:
    """A `&` where an anchor may stand (and an alias repeat in one half what the other holds): no
    half is read apart."""
    config = make_project(many_facts(40).replace("briefs:", "# Q & A\nbriefs:"), {"seeds/a.txt": ARTICLE})
    assert yamlhalves.cut_at(config.read_text()) is None
    alone, _ = checked(config)
    assert list(api.check(config).warnings) == alone
    assert taken_here == list(range(len(taken_here)))
    assert 40 <= begun_ahead[0] + len(taken_here) <= 41


@pytest.mark.usefixtures("helper_takes_all")
def test_findings_ahead_are_taken_for_the_facts_whose_keys_match(
    config: Path, begun_ahead: list[int], monkeypatch: pytest.MonkeyPatch
) -> None:
    marker = Finding(WarningKind.NUMBER, ("claim",), 0, "found by the helper", "hint")
    real = claims_ahead.fact_findings
    in_the_helper(monkeypatch, claims_ahead, "fact_findings", lambda *a, **k: [*real(*a, **k), marker])
    marked = {w.location.item[:2] for w in api.check(config).warnings if "found by the helper" in w.message}
    assert marked == {("facts", i) for i in range(40)}  # its share, and past it this process's facts


@pytest.mark.usefixtures("helper_takes_all")
def test_findings_ahead_under_other_keys_are_not_taken(
    config: Path, begun_ahead: list[int], monkeypatch: pytest.MonkeyPatch
) -> None:
    """As if an article or briefs.yaml had changed between the helper's reading and this process's."""
    alone, _ = checked(config)
    marker = Finding(WarningKind.NUMBER, ("claim",), 0, "found by the helper", "hint")
    real = claims_ahead.fact_findings
    in_the_helper(monkeypatch, claims_ahead, "fact_findings", lambda *a, **k: [*real(*a, **k), marker])
    in_the_helper(monkeypatch, claims_ahead, "inputs_digest", lambda yaml_texts, articles: "other files")
    in_the_helper(monkeypatch, claims_ahead.claims_memo.FactKeys, "key", lambda self, *a: "another text's key")
    assert list(api.check(config).warnings) == alone
    assert begun_ahead == [40]  # it answered, and was not believed


@pytest.mark.usefixtures("helper_takes_all")
def test_findings_ahead_from_the_same_files_are_taken_unkeyed_here(
    config: Path, begun_ahead: list[int], monkeypatch: pytest.MonkeyPatch
) -> None:
    alone, alone_memo = checked(config)
    forget_process(monkeypatch)
    keyed: list[int] = []
    real = claims_memo.FactKeys.key
    monkeypatch.setattr(claims_memo.FactKeys, "key", lambda self, *a: keyed.append(os.getpid()) or real(self, *a))
    valid = api.check(config)
    assert list(valid.warnings) == alone
    assert keyed.count(os.getpid()) == 40 - len(share_ahead(config))  # the helper's facts keyed there only
    assert claims_memo.PROCESS_MEMO.entries == alone_memo.entries  # under the keys this process would give them


def test_an_invalid_citation_in_the_helpers_share_is_reported_as_alone(
    make_project: MakeProject, begun_ahead: list[int]
) -> None:
    """The helper finds its quotes before it validates its facts: a quote that is no text fails it
    then, and this process reports the error as it would alone."""
    text = re.sub(r'(id: f3[5]\n(?:.*\n){3}.*quote: )"[^"]*"', r"\g<1>2000000000", many_facts(40))
    config = make_project(text, {"seeds/a.txt": ARTICLE})
    assert 35 in share_ahead(config)
    with pytest.raises(ValidationFailed) as alone:
        validate(load_project(config))
    with pytest.raises(ValidationFailed) as ahead:
        api.check(config)
    assert ahead.value.diagnostics == alone.value.diagnostics
    assert any(d.location.item[:2] == ("facts", 35) for d in alone.value.diagnostics)
    assert begun_ahead == []  # validation failed first: no claim was asked for


@pytest.mark.parametrize("where", ["later_half", "_examined"])  # before telling anything, after the half
def test_a_helper_ahead_that_fails_loses_nothing(
    config: Path, begun_ahead: list[int], taken_here: list[int], monkeypatch: pytest.MonkeyPatch, where: str
) -> None:
    alone, _ = checked(config)
    in_the_helper(monkeypatch, claims_ahead, where, fails_in_the_helper)
    assert list(api.check(config).warnings) == alone
    assert taken_here == list(range(40))  # this process examined all, the helper's share too
    assert begun_ahead == []  # and did not wait for a failed helper's result


def test_a_later_half_of_another_text_is_not_used(
    config: Path, begun_ahead: list[int], monkeypatch: pytest.MonkeyPatch
) -> None:
    """As if briefs.yaml had changed between the helper's reading and this process's."""
    alone, _ = checked(config)
    in_the_helper(monkeypatch, claims_ahead, "text_digest", lambda text: "another text")
    joined: list[object] = []
    monkeypatch.setattr(yamlhalves, "joined", lambda *a: joined.append(a))
    assert list(api.check(config).warnings) == alone
    assert joined == []  # this process read the whole text itself


def fails_in_the_helper(*args: object) -> None:
    raise RuntimeError("the helper fails")


def test_no_helper_ahead_for_a_small_file_or_one_the_memo_knows(config: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    forget_process(monkeypatch)
    monkeypatch.setattr(claims_ahead, "helper_may_run", lambda window: True)
    window = CpuWindow()
    assert claims_ahead.ClaimsAhead.start(config, Limits(), window) is None  # 2 KB, not a megabyte
    monkeypatch.setattr(claims_ahead, "MIN_AHEAD_BYTES", 0)
    claims_memo.PROCESS_MEMO.entries["a fact's key"] = ()
    monkeypatch.setattr(claims_memo, "_read_from", {config.parent})
    assert claims_ahead.ClaimsAhead.start(config, Limits(), window) is None  # the memo knows facts
    monkeypatch.setattr(claims_ahead, "helper_may_run", lambda window: False)  # no CPU free
    claims_memo.PROCESS_MEMO.entries.clear()
    assert claims_ahead.ClaimsAhead.start(config, Limits(), window) is None


def test_where_the_helper_ahead_found_its_quotes_is_learnt(
    config: Path, begun_ahead: list[int], monkeypatch: pytest.MonkeyPatch
) -> None:
    alone, _ = checked(config)
    learnt: list[dict[tuple[str, str], tuple[int, int, int, int]]] = []
    real = quote_memo.QuoteMemo.learn
    monkeypatch.setattr(quote_memo.QuoteMemo, "learn", lambda self, places: learnt.append(places) or real(self, places))
    assert list(api.check(config).warnings) == alone
    assert len(learnt) == 1  # when the first of the helper's facts came
    helped = {cite.quote for i in share_ahead(config) for cite in load_fact(config, i).cite}
    assert {quote for _, quote in learnt[0]} == helped


def load_fact(config: Path, index: int) -> Fact:
    return Fact.model_validate(load_project(config).document.data["facts"][index])
