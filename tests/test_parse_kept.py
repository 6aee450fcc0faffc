"""A small briefs.yaml's parse kept in the process (parse_cache.py): the same text is not read again,
an edit inside one fact reads only that fact, and what a check and a render make of the document
leaves it as it was read (it is kept as it is, not copied)."""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path

import pytest

from briefgen.build.api import check, render
from briefgen.formats import Format, RenderOptions
from briefgen.limits import Limits
from briefgen.project import parse_cache
from briefgen.project.parse_cache import parse_yaml_cached
from briefgen.project.yamldoc import YamlDocument, parse_yaml


def fields(document: YamlDocument) -> tuple[object, ...]:
    return dataclasses.astuple(document)


def counting(monkeypatch: pytest.MonkeyPatch, name: str) -> list[object]:
    """Calls of parse_cache's `name` from now on (each still made)."""
    calls: list[object] = []
    real = getattr(parse_cache, name)

    def counted(*args: object) -> object:
        calls.append(result := real(*args))
        return result

    monkeypatch.setattr(parse_cache, name, counted)
    return calls


def test_the_same_text_is_not_read_again(shipped_project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    config = shipped_project
    text = config.read_text(encoding="utf-8")
    assert len(text) < parse_cache.MIN_CACHED_CHARS  # what this is about: a file the disk cache leaves alone
    first = parse_yaml_cached(text, config, Limits())
    parsed = counting(monkeypatch, "parse_yaml")
    assert parse_yaml_cached(text, config, Limits()) is first
    assert parsed == []
    assert fields(parse_yaml_cached(text, config, Limits(yaml_depth=30))) == fields(first)
    assert len(parsed) == 1  # other limits: read again


def test_an_edit_inside_one_fact_reads_only_that_fact(shipped_project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The shipped briefs.yaml has "R&D" in a headline: prose, no anchor (yamlsplice.unsafe_apart)."""
    config = shipped_project
    text = config.read_text(encoding="utf-8")
    assert "R&D" in text
    parse_yaml_cached(text, config, Limits())
    reread, parsed = counting(monkeypatch, "reread"), counting(monkeypatch, "parse_yaml")
    edited, count = re.subn(r"(claim: [^\n]*?)\.\n", r"\1 jointly.\n", text, count=1)
    assert count == 1
    document = parse_yaml_cached(edited, config, Limits())
    assert reread and reread[0] is not None and parsed == []
    assert fields(document) == fields(parse_yaml(edited, config, Limits()))


def test_a_check_and_a_render_leave_the_kept_document_as_read(shipped_project: Path) -> None:
    config = shipped_project
    render(config, [], RenderOptions((Format.MD, Format.JSON, Format.HTML)), shipped_project.parent / "out")
    check(config)
    kept = parse_yaml_cached(config.read_text(encoding="utf-8"), config, Limits())
    assert fields(kept) == fields(parse_yaml(kept.source, config, Limits()))


def test_only_the_files_read_last_are_kept(tmp_path: Path) -> None:
    """A process reading many projects (a server, the test suite) keeps a few documents, not all."""
    paths = [tmp_path / f"p{i}.yaml" for i in range(parse_cache.KEPT_FILES + 5)]
    for path in paths:
        parse_yaml_cached(f"project:\n  title: {path.stem}\n", path, Limits())
    kept = {path for path, _ in parse_cache._kept_here}
    assert len(parse_cache._kept_here) == parse_cache.KEPT_FILES
    assert kept == set(paths[-parse_cache.KEPT_FILES :])
