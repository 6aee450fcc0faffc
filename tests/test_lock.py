"""briefs.lock.json: written by render and `briefgen lock`, deterministic, and compared by check when an
article file is replaced by a newer copy."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from briefgen.build.api import lock_bytes
from briefgen.cli import app
from briefgen.errors import Diagnostic, Severity, ValidationFailed
from briefgen.project.load import load_project
from briefgen.project.lock import dump_lock, lock_path, parse_lock
from briefgen.project.validate import validate
from tests.conftest import ARTICLE, MINIMAL_YAML, REPO, SHIPPED_CONFIG, MakeProject, line_of

runner = CliRunner()


def cli(*args: str | Path) -> tuple[int, str, str]:
    result = runner.invoke(app, [str(a) for a in args])
    return result.exit_code, result.stdout, result.stderr


def diagnostics(config: Path) -> list[Diagnostic]:
    try:
        return list(validate(load_project(config)).warnings)
    except ValidationFailed as failed:
        return list(failed.diagnostics)


def about_the_lock(config: Path) -> list[tuple[int, str, str, str | None]]:
    """Diagnostics other than the single-source one every one-article project has."""
    return [
        (d.location.line, d.severity.value, d.message, d.hint)
        for d in diagnostics(config)
        if "single source" not in d.message
    ]


@pytest.fixture
def locked(make_project: MakeProject) -> Path:
    config = make_project()
    assert cli("lock", "--config", config)[0] == 0
    return config


def test_the_shipped_lock_file_is_up_to_date() -> None:
    assert lock_bytes(validate(load_project(SHIPPED_CONFIG))) == (REPO / "briefs.lock.json").read_bytes()


def test_the_lock_records_hash_and_w3c_selectors(locked: Path) -> None:
    data = json.loads(lock_path(locked).read_text(encoding="utf-8"))
    assert lock_path(locked).name == "briefs.lock.json"
    article = data["articles"]["seeds/a.txt"]
    assert len(article["sha256"]) == 64
    first = article["quotes"][0]
    quote, position = first["selector"]
    assert quote == {
        "type": "TextQuoteSelector",
        "prefix": "Seoul and Warsaw ",
        "exact": "agreed on Monday to deepen defence-industry cooperation",
        "suffix": ".\nThe ministers said the “K2 tan",  # 32 characters
    }
    assert position == {"type": "TextPositionSelector", "start": 17, "end": 72}
    assert ARTICLE[17:72] == quote["exact"]
    assert (first["line"], first["column"]) == (1, 18)


def test_the_lock_round_trips_and_is_deterministic(locked: Path) -> None:
    text = lock_path(locked).read_bytes()
    assert dump_lock(parse_lock(text.decode("utf-8"))) == text
    assert lock_bytes(validate(load_project(locked))) == text


def test_render_writes_the_lock_and_check_only_reads_it(make_project: MakeProject, tmp_path: Path) -> None:
    config = make_project()
    assert cli("check", "--config", config)[0] == 0
    assert not lock_path(config).exists()
    code, out, _ = cli("render", "--config", config, "-f", "md", "--out", tmp_path / "site")
    assert code == 0 and f"wrote {lock_path(config)}" in out
    code, out, _ = cli("lock", "--config", config)
    assert (code, out.strip()) == (0, f"unchanged {lock_path(config)}")


def test_an_untouched_article_gives_no_lock_warning(locked: Path) -> None:
    assert about_the_lock(locked) == []


def test_a_newer_copy_of_an_article_reports_moved_quotes_at_their_yaml_lines(locked: Path) -> None:
    article = locked.parent / "seeds/a.txt"
    article.write_text("Updated 21 October.\n" + ARTICLE, encoding="utf-8")
    found = about_the_lock(locked)
    assert found[0] == (
        line_of(MINIMAL_YAML, "file: seeds/a.txt"),
        "warning",
        "seeds/a.txt has changed since briefs.lock.json was written",
        "every quote is still found; the next `briefgen render` or `briefgen lock` records the new version",
    )
    assert [(line, message) for line, _, message, _ in found[1:]] == [
        # the first quote's prefix reached back to the start of the file, so its context changed too
        (
            line_of(MINIMAL_YAML, "quote: agreed on Monday"),
            "quote moved in seeds/a.txt: from 1:18 to 2:18, and the text around it changed",
        ),
        (line_of(MINIMAL_YAML, "quote: would move part"), "quote moved in seeds/a.txt: from 2:44 to 3:44"),
    ]
    assert cli("lock", "--config", locked)[0] == 0
    assert about_the_lock(locked) == []  # the new version is recorded


def test_changed_context_is_reported_with_before_and_after(locked: Path) -> None:
    article = locked.parent / "seeds/a.txt"
    article.write_text(ARTICLE.replace("to Poland.", "to Poland, pending a vote."), encoding="utf-8")
    (_, (line, _, message, hint)) = about_the_lock(locked)
    assert line == line_of(MINIMAL_YAML, "quote: would move part")
    assert message == "the text around this quote changed in seeds/a.txt:2:44"
    assert hint is not None
    assert "[quote]. Radmila Šekerinska welcomed" in hint and "[quote], pending a vote. Radmila" in hint


def test_a_quote_that_changed_is_an_error_showing_what_is_there_now(locked: Path) -> None:
    article = locked.parent / "seeds/a.txt"
    article.write_text(ARTICLE.replace("would move part of its", "could move part of its"), encoding="utf-8")
    (error,) = [d for d in diagnostics(locked) if d.severity is Severity.ERROR]
    assert error.location.line == line_of(MINIMAL_YAML, "quote: would move part")
    assert error.message == "quote not found in seeds/a.txt, which has changed since it was locked"
    assert error.hint == (
        "it was at seeds/a.txt:2:44 when locked; between the same surrounding words the article now reads "
        "(seeds/a.txt:2:44): “could move part of its production to Poland”"
    )


def test_a_quote_whose_surroundings_are_gone_falls_back_to_the_nearest_passage(locked: Path) -> None:
    article = locked.parent / "seeds/a.txt"
    article.write_text("Officials say the plan would move part of its output to Poland.\n", encoding="utf-8")
    errors = [d for d in diagnostics(locked) if d.severity is Severity.ERROR]
    hint = next(d.hint for d in errors if d.location.line == line_of(MINIMAL_YAML, "quote: would move part"))
    assert hint is not None and hint.startswith("it was at seeds/a.txt:2:44 when locked, and the text around it")
    assert "nearest passage (seeds/a.txt:1:" in hint


def test_a_damaged_lock_file_is_a_warning_and_render_rewrites_it(locked: Path, tmp_path: Path) -> None:
    lock_path(locked).write_text("<<<<<<< HEAD\n", encoding="utf-8")
    code, _, err = cli("check", "--config", locked)
    assert code == 0
    assert f"{lock_path(locked)}:1:1: warning: ignoring the lock file: not a briefgen lock file" in err
    assert cli("render", "--config", locked, "-f", "md", "--out", tmp_path / "site")[0] == 0
    assert parse_lock(lock_path(locked).read_text(encoding="utf-8")).articles


def test_the_templated_lock_is_what_the_indenting_json_encoder_writes() -> None:
    """dump_lock writes quotes through a template for speed; the bytes must be json.dumps(indent=2)'s."""
    from briefgen.project.lock import ABOUT, LOCK_VERSION, Lock, LockedArticle, LockedQuote, _quote_json  # noqa: PLC0415

    tricky = LockedQuote(3, 40, 'say "hi"\\ — 한국\n\ttab', "\u2028line sep", "\x00nul \u0000", 2, 1)
    plain = LockedQuote(50, 60, "plain", "", "", 3, 4)
    lock = Lock({"seeds/a.txt": LockedArticle("ab" * 32, (tricky, plain)), "seeds/b.txt": LockedArticle("cd" * 32, ())})
    data = {
        "about": ABOUT,
        "version": LOCK_VERSION,
        "articles": {
            file: {"sha256": article.sha256, "quotes": [_quote_json(q) for q in article.quotes]}
            for file, article in lock.articles.items()
        },
    }
    assert dump_lock(lock) == (json.dumps(data, ensure_ascii=False, indent=2) + "\n").encode("utf-8")
    assert parse_lock(dump_lock(lock).decode("utf-8")) == lock
