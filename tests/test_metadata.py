"""Source metadata guessed from article text: what each seed shows, and nothing it does not."""

from __future__ import annotations

from pathlib import Path

import pytest

from briefgen.project.values import PartialDate
from briefgen.tools.metadata import guess_source, parse_date
from tests.conftest import REPO

SEEDS = sorted((REPO / "seeds").glob("*.txt"))


def seed(prefix: str) -> str:
    return next(p for p in SEEDS if p.name.startswith(prefix)).read_text(encoding="utf-8")


def line_number(text: str, needle: str) -> int:
    return next(n for n, line in enumerate(text.splitlines(), 1) if needle in line)


def values(text: str) -> dict[str, tuple[str, int]]:
    return {g.field: (g.value, g.line) for g in guess_source(text).guesses}


def test_portal_copy_byline_and_modified_timestamp() -> None:
    text = seed("000")
    assert values(text) == {
        "title": ("Seoul holds talks with Poland, NATO on defense industry cooperation", 1),
        "author": ("Hwang Joo-young", line_number(text, "기자")),
        "published": ("2025-10-21", line_number(text, "수정")),
    }
    published = guess_source(text).get("published")
    assert published is not None and published.caveat is not None
    assert "last modified" in published.caveat and "입력" in published.caveat


def test_untitled_undated_article_yields_only_its_dateline() -> None:
    guesses = guess_source(seed("001"))
    assert guesses.guesses == ()
    assert [(f.label, f.value, f.line) for f in guesses.findings] == [("dateline", "WARSAW, Poland", 1)]


def test_reporter_byline_and_email_timestamp_line() -> None:
    text = seed("002")
    assert values(text)["author"] == ("KO YONG-CHUL", line_number(text, "Reporter"))
    assert values(text)["published"] == ("2025-10-20", line_number(text, "korocamia"))
    # The article reports an interview given to Yonhap; it is not credited to Yonhap.
    assert "credit" not in values(text)
    assert ("e-mail", "korocamia@naver.com") in [(f.label, f.value) for f in guess_source(text).findings]


def test_aggregator_header_fields_and_the_url_date_trap() -> None:
    text = seed("003")
    found = values(text)
    assert found["title"] == (
        "Defense minister meets 8 NATO representatives to expand security, defense cooperation",
        1,
    )
    assert found["outlet"] == ("코리아타임스", line_number(text, ">Origem"))
    assert found["published"] == ("2023-12-13", line_number(text, ">Data"))
    assert found["url"] == (
        "https://www.koreatimes.co.kr/www/nation/2025/03/113_365075.html",
        line_number(text, ">URL"),
    )
    assert found["credit"] == ("Yonhap", line_number(text, "(Yonhap)"))
    for field in ("url", "published"):
        guess = guess_source(text).get(field)
        assert guess is not None and guess.caveat is not None and "2025/03" in guess.caveat


def test_a_photo_caption_is_not_taken_for_a_headline() -> None:
    text = seed("004")
    assert values(text) == {"credit": ("Yonhap", line_number(text, "(Yonhap)"))}


@pytest.mark.parametrize("path", SEEDS, ids=[p.name[:3] for p in SEEDS])
def test_every_guess_comes_from_the_line_it_names(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    lines = text.splitlines()
    for guess in guess_source(text).guesses:
        assert " ".join(lines[guess.line - 1].split()).endswith(guess.evidence.lstrip("…"))
        if guess.field == "published":
            date = PartialDate.parse(guess.value)
            assert str(date.year) in guess.evidence
        else:
            assert guess.value in text  # never invented


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("수정 2025.10.21. 오후 6:07", "2025-10-21"),
        ("Input 2025-10-21 18:07", "2025-10-21"),
        ("Updated : Oct. 21, 2025", "2025-10-21"),
        ("Published 3 March 2024", "2024-03-03"),
        ("2025/02/30 10:00", None),
        ("no date here", None),
    ],
)
def test_parse_date(line: str, expected: str | None) -> None:
    parsed = parse_date(line)
    assert (parsed.iso() if parsed else None) == expected


def test_first_published_beats_modified() -> None:
    text = "A headline about talks in Seoul\n\n입력 2025.10.20. 오전 9:00\n수정 2025.10.21. 오후 6:07\n"
    guess = guess_source(text).get("published")
    assert guess is not None and (guess.value, guess.line, guess.caveat) == ("2025-10-20", 3, None)
