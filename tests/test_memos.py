"""What a check reuses from earlier runs (validate.Memos: where quotes stand, claim findings) is read
from and saved to .briefgen-cache/ by the build layer (build/api.py): validation itself never touches
the cache, and a check in a new process still finds what the last one stored."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from briefgen.build.api import check, check_loaded
from briefgen.errors import ValidationFailed
from briefgen.project import claims_memo, quote_memo, result_cache
from briefgen.project.load import load_project
from briefgen.project.result_cache import CACHE_DIR
from briefgen.project.validate import Memos, validate
from briefgen.text.quotes import IndexedText, Passage
from tests.conftest import MINIMAL_YAML, MakeProject

WRONG_NUMBER = MINIMAL_YAML.replace(
    "claim: Part of the tank programme's production would move to Poland.",
    "claim: Part of the tank programme's production would move to Poland by 2031.",
)
MISQUOTED = WRONG_NUMBER.replace("quote: would move part of its production", "quote: would move all of its production")


@pytest.fixture(autouse=True)
def own_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """A cache signed with a key of the test's own, and a fresh process: nothing remembered or read yet."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "user-cache"))
    monkeypatch.delenv("BRIEFGEN_CACHE", raising=False)
    result_cache._signing_key.cache_clear()
    forget_process(monkeypatch)
    yield
    result_cache._signing_key.cache_clear()


def forget_process(monkeypatch: pytest.MonkeyPatch) -> None:
    """As a new process starts: the memos empty, no project's cache read yet."""
    monkeypatch.setattr(quote_memo, "PROCESS_MEMO", quote_memo.QuoteMemo())
    monkeypatch.setattr(quote_memo, "_read_from", set())
    monkeypatch.setattr(claims_memo, "PROCESS_MEMO", claims_memo.ClaimMemo())
    monkeypatch.setattr(claims_memo, "_read_from", set())


def count_searches(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The quotes searched for in their articles from now on (not those a memo knew)."""
    searched: list[str] = []
    real = quote_memo.find_quote

    def counting(article: IndexedText, quote: str, *, needle: str | None = None) -> Passage | None:
        searched.append(quote)
        return real(article, quote, needle=needle)

    monkeypatch.setattr(quote_memo, "find_quote", counting)
    return searched


def refuse_cache_io(monkeypatch: pytest.MonkeyPatch) -> None:
    def refused(*_args: object) -> None:
        raise AssertionError("validation touched .briefgen-cache/")

    for name in ("read", "write", "read_signed", "write_signed"):
        monkeypatch.setattr(result_cache, name, refused)


def test_validation_touches_no_cache(make_project: MakeProject, monkeypatch: pytest.MonkeyPatch) -> None:
    config = make_project(WRONG_NUMBER)
    with result_cache.writing():
        check(config)  # a cache there to be read, were validation to read one
    forget_process(monkeypatch)
    loaded = load_project(config)  # the loader may use the cache (parse_cache.py); validation may not
    refuse_cache_io(monkeypatch)
    with result_cache.writing():  # where storing is allowed: still nothing is stored
        valid = validate(loaded)
        memos = Memos()
        validate(loaded, memos=memos)
    assert "fact 'k2': claim gives '2031', which its quotes do not" in [d.message for d in valid.warnings]
    assert len(valid.passages) == 2
    assert len(memos.quotes.entries) == 2 and len(memos.claims.entries) == 2  # what the build layer would save


def test_memos_handed_in_are_reused(make_project: MakeProject, monkeypatch: pytest.MonkeyPatch) -> None:
    loaded = load_project(make_project(WRONG_NUMBER))
    refuse_cache_io(monkeypatch)
    memos = Memos()
    first = validate(loaded, memos=memos)
    searched = count_searches(monkeypatch)
    again = validate(loaded, memos=memos)
    assert searched == []
    assert (memos.claims.hits, memos.claims.misses) == (2, 0)
    assert (again.passages, again.warnings) == (first.passages, first.warnings)
    assert validate(loaded).passages == first.passages  # none handed in: searched afresh
    assert len(searched) == 2


def test_a_check_in_a_new_process_searches_no_quote_and_examines_no_fact(
    make_project: MakeProject, monkeypatch: pytest.MonkeyPatch
) -> None:
    config = make_project(WRONG_NUMBER)
    first = check(config)
    assert {path.name for path in (config.parent / CACHE_DIR).iterdir()} >= {"quotes.json", "claims.json"}
    forget_process(monkeypatch)
    searched = count_searches(monkeypatch)
    again = check(config)
    assert searched == []
    assert (claims_memo.PROCESS_MEMO.hits, claims_memo.PROCESS_MEMO.misses) == (2, 0)
    assert (again.passages, again.warnings) == (first.passages, first.warnings)


def test_quotes_found_by_a_failing_check_are_kept(make_project: MakeProject, monkeypatch: pytest.MonkeyPatch) -> None:
    config = make_project(MISQUOTED)
    with pytest.raises(ValidationFailed):
        check(config)
    forget_process(monkeypatch)
    searched = count_searches(monkeypatch)
    with pytest.raises(ValidationFailed):
        check(config)
    assert searched == ["would move all of its production to Poland"]  # the one not found, searched again


def test_validating_outside_check_stores_nothing(make_project: MakeProject) -> None:
    """`add` and `suggest` validate through check_loaded to change a project: they only read the cache."""
    config = make_project(WRONG_NUMBER)
    check_loaded(load_project(config))
    assert not (config.parent / CACHE_DIR).exists()
