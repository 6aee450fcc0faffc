"""Claim-support findings remembered per fact (claims_memo.py): reused only for an unchanged fact,
article and entity set, identical to examining afresh, and never trusted from a damaged file.
The memos are read and saved by the build layer (check_loaded), so these tests check through it."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from briefgen.build.api import check_loaded
from briefgen.project import claims_memo, quote_memo, result_cache
from briefgen.project.claims_memo import ClaimMemo
from briefgen.project.load import load_project
from briefgen.project.result_cache import CACHE_DIR
from briefgen.text.quotes import IndexedText, Passage
from tests.conftest import ARTICLE, MINIMAL_YAML, MakeProject

WRONG_NUMBER = MINIMAL_YAML.replace(
    "claim: Part of the tank programme's production would move to Poland.",
    "claim: Part of the tank programme's production would move to Poland by 2031.",
)


@pytest.fixture(autouse=True)
def storing() -> Iterator[None]:
    """As inside check, render and watch: results may be stored."""
    with result_cache.writing():
        yield


@pytest.fixture(autouse=True)
def fresh_memo(monkeypatch: pytest.MonkeyPatch) -> None:
    """Each test starts as a fresh process does: nothing remembered, no cache read yet."""
    monkeypatch.setattr(claims_memo, "PROCESS_MEMO", ClaimMemo())
    monkeypatch.setattr(claims_memo, "_read_from", set())


def warnings_of(config: Path) -> list[tuple[object, str]]:
    return [(d.location, d.message) for d in check_loaded(load_project(config)).warnings]


def forget_process() -> None:
    claims_memo.PROCESS_MEMO = ClaimMemo()
    claims_memo._read_from.clear()


def test_warm_findings_are_those_examined_afresh(make_project: MakeProject) -> None:
    config = make_project(WRONG_NUMBER)
    cold = warnings_of(config)
    assert any("2031" in message for _, message in cold)
    assert (config.parent / CACHE_DIR / "claims.json").is_file()
    forget_process()  # a new process: the findings come from the file
    assert warnings_of(config) == cold
    assert claims_memo.PROCESS_MEMO.hits == 2 and claims_memo.PROCESS_MEMO.misses == 0


def test_only_changed_facts_are_examined_again(make_project: MakeProject) -> None:
    config = make_project(WRONG_NUMBER)
    warnings_of(config)
    memo = claims_memo.PROCESS_MEMO
    config.write_text(WRONG_NUMBER.replace("to deepen defence-industry cooperation.", "to deepen cooperation."))
    claims = []
    real = memo.get

    def counting(key: str) -> object:
        found = real(key)
        claims.append(found is not None)
        return found

    memo.get = counting  # type: ignore[method-assign]
    warnings_of(config)
    assert sorted(claims) == [False, True]  # the edited fact examined, the other remembered


def test_a_changed_article_is_examined_again(make_project: MakeProject) -> None:
    """The key covers the article's text: a quote that now stands elsewhere is looked at afresh."""
    config = make_project(WRONG_NUMBER)
    warnings_of(config)
    (config.parent / "seeds/a.txt").write_text("Earlier that week, talks began.\n" + ARTICLE, encoding="utf-8")
    forget_process()
    warm = warnings_of(config)
    assert (claims_memo.PROCESS_MEMO.hits, claims_memo.PROCESS_MEMO.misses) == (0, 2)
    forget_process()
    (config.parent / CACHE_DIR / "claims.json").unlink()
    assert warm == warnings_of(config)


def test_a_damaged_or_foreign_cache_file_is_ignored(make_project: MakeProject) -> None:
    config = make_project(WRONG_NUMBER)
    expected = warnings_of(config)
    path = config.parent / CACHE_DIR / "claims.json"
    signature, header, body = path.read_bytes().split(b"\n", 2)
    entries = json.loads(body)
    original = path.read_bytes()
    for damaged in (
        b"{not json",
        b"[" * 100_000,
        signature + b"\nbriefgen-claims/0 other-rules\n" + body,  # another format (and so unsigned)
        signature + b"\n" + header + b"\n" + json.dumps({key: [] for key in entries}).encode(),  # edited
        original,  # the real thing, as a control: used
    ):
        path.write_bytes(damaged)
        forget_process()
        assert warnings_of(config) == expected
        assert claims_memo.PROCESS_MEMO.hits == (2 if damaged == original else 0)


def test_no_cache_is_written_when_disabled(make_project: MakeProject, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BRIEFGEN_CACHE", "0")
    config = make_project(WRONG_NUMBER)
    warnings_of(config)
    assert not (config.parent / CACHE_DIR).exists()


def test_a_read_only_project_is_checked_as_before(make_project: MakeProject) -> None:
    config = make_project(WRONG_NUMBER)
    (config.parent / CACHE_DIR).symlink_to(config.parent / "elsewhere")  # never written through
    assert any("2031" in message for _, message in warnings_of(config))
    assert not (config.parent / "elsewhere").exists()


def test_found_quotes_are_remembered_by_article_text(
    make_project: MakeProject, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(quote_memo, "PROCESS_MEMO", quote_memo.QuoteMemo())
    monkeypatch.setattr(quote_memo, "_read_from", set())
    config = make_project(WRONG_NUMBER)
    first = check_loaded(load_project(config))
    searched = []
    real = quote_memo.find_quote

    def counting(article: IndexedText, quote: str, *, needle: str | None = None) -> Passage | None:
        searched.append(quote)
        return real(article, quote, needle=needle)

    monkeypatch.setattr(quote_memo, "find_quote", counting)
    quote_memo.PROCESS_MEMO = quote_memo.QuoteMemo()  # a new process: from .briefgen-cache/quotes.json
    quote_memo._read_from.clear()
    again = check_loaded(load_project(config))
    assert searched == []
    assert again.passages == first.passages
    (config.parent / "seeds/a.txt").write_text("Earlier that week, talks began.\n" + ARTICLE, encoding="utf-8")
    moved = check_loaded(load_project(config))
    assert len(searched) == 2  # the article changed: both its quotes searched again
    assert all(p.line == first.passages[key].line + 1 for key, p in moved.passages.items())


def test_the_rules_digest_changes_with_the_stemmers_c_backend(monkeypatch: pytest.MonkeyPatch) -> None:
    """Findings made with another stemmer are not reused: its C backend (PyStemmer) counts too,
    and a Python without it still has a digest."""
    from importlib import metadata  # noqa: PLC0415

    real = metadata.version
    installed = claims_memo.rules_digest.__wrapped__()

    def other(name: str) -> str:
        return "0.1" if name == "PyStemmer" else real(name)

    def absent(name: str) -> str:
        if name == "PyStemmer":
            raise metadata.PackageNotFoundError(name)
        return real(name)

    monkeypatch.setattr(metadata, "version", other)
    assert claims_memo.rules_digest.__wrapped__() != installed
    monkeypatch.setattr(metadata, "version", absent)
    assert claims_memo.rules_digest.__wrapped__() not in (installed, "")
