"""Reading articles as prose: body lines, page chrome, sentences, and what sentences carry."""

from __future__ import annotations

from pathlib import Path

import pytest

from briefgen.text.quotes import IndexedText, find_quote
from briefgen.text.sentences import (
    LineKind,
    body_sentences,
    capitalised_names,
    figures,
    read_lines,
    split_sentences,
    time_expressions,
)
from tests.conftest import REPO

SEEDS = sorted((REPO / "seeds").glob("*.txt"))


def seed(prefix: str) -> str:
    return next(p for p in SEEDS if p.name.startswith(prefix)).read_text(encoding="utf-8")


def kinds(text: str) -> dict[str, LineKind]:
    return {line.text.strip(): line.kind for line in read_lines(text) if line.text.strip()}


def test_korean_page_chrome_and_captions_are_not_body() -> None:
    found = kinds(seed("000"))
    for chrome in ("기사원문", "말하기 속도", "닫기", "Hwang Joo-young 기자", "수정 2025.10.21. 오후 6:07"):
        assert found[chrome] is LineKind.CHROME, chrome
    captions = [text for text, kind in found.items() if kind is LineKind.CAPTION]
    assert [c[:12] for c in captions] == ["Kang Hoon-si", "Wi Sung-lac "]
    assert found["Seoul holds talks with Poland, NATO on defense industry cooperation"] is LineKind.CHROME


def test_weekly_hot_and_byline_are_chrome_header_fields_are_headers() -> None:
    assert kinds(seed("002"))["WEEKLY HOT"] is LineKind.CHROME
    assert kinds(seed("002"))["KO YONG-CHUL Reporter"] is LineKind.CHROME
    header = kinds(seed("003"))
    assert header[">Idioma: en"] is LineKind.HEADER
    assert header["### Conteúdo:"] is LineKind.HEADER


def test_a_doubled_caption_is_a_caption_once_then_chrome() -> None:
    lines = read_lines(seed("004"))
    assert (lines[0].kind, lines[1].kind) == (LineKind.CAPTION, LineKind.CHROME)


def test_hangul_lines_are_body_in_a_korean_article() -> None:
    article = "한국과 폴란드가 방산 협력을 강화하기로 합의했다고 국방부가 밝혔습니다.\n기사원문\n"
    assert [line.kind for line in read_lines(article)][:2] == [LineKind.BODY, LineKind.CHROME]


@pytest.mark.parametrize("path", SEEDS, ids=[p.name[:3] for p in SEEDS])
def test_every_body_sentence_is_verbatim_article_text(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    article = IndexedText(text)
    sentences = body_sentences(text)
    assert sentences
    for sentence in sentences:
        assert text[sentence.start : sentence.end] == sentence.text
        passage = find_quote(article, sentence.quote)
        assert passage is not None and passage.line == sentence.line


def test_dateline_and_agency_credit_are_left_out_of_sentences() -> None:
    first = body_sentences(seed("001"))[0]
    assert first.quote.startswith("South Korea and Poland marked")
    assert body_sentences(seed("002"))[0].quote.startswith("Radmila Šekerinska")
    last = body_sentences(seed("003"))[-1]
    assert last.quote.endswith("in the cyberspace domain.")


def test_sentence_splitting_respects_abbreviations_and_quotes() -> None:
    text = 'Mr. Kim met Gen. Lee in the U.S. capital. "It went well," he said. J. Smith agreed. Talks end Oct. 3.'
    parts = [text[a:b] for a, b in split_sentences(text)]
    assert parts == [
        "Mr. Kim met Gen. Lee in the U.S. capital.",
        '"It went well," he said.',
        "J. Smith agreed.",
        "Talks end Oct. 3.",
    ]


def test_figures_are_numbers_amounts_and_percentages_not_years_days_or_codes() -> None:
    sentence = "In 2014 NATO agreed on 2% of GDP; on October 20, 32 states and K2 tanks cost $56.2 billion."
    assert figures(sentence) == ("2%", "32", "$56.2 billion")
    assert figures("representatives of eight member states began a three-day visit") == ("eight", "three-day")
    assert figures("the NATO-IP4 partnership since 2013") == ()


def test_time_expressions() -> None:
    text = "On Monday, after talks in July and on October 20, 2025, it said last month that 2028 was the goal."
    assert time_expressions(text) == ("Monday", "July", "October 20, 2025", "last month", "2028")


def test_capitalised_names_split_titles_off() -> None:
    text = "Foreign Minister Cho Hyun and NATO Deputy Secretary-General Radmila Sekerinska met in Seoul on Monday."
    assert capitalised_names(text) == ("Cho Hyun", "NATO", "Radmila Sekerinska", "Seoul")
    assert capitalised_names("Kang’s trip to Warsaw and the X account") == ("Kang", "Warsaw")
