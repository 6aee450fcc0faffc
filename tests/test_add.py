"""`briefgen add`: a saved page, a PDF or a text becomes an article in seeds/ and DRAFT entries in
briefs.yaml — body text without chrome, metadata with its origin, comments kept, nothing written on error."""

from __future__ import annotations

import difflib
import re
import shutil
import socket
from pathlib import Path
from typing import Any

import pytest
from pypdf import PdfWriter
from typer.testing import CliRunner

from briefgen.build.api import check
from briefgen.cli import app
from briefgen.project.values import PartialDate
from briefgen.project.yamldoc import parse_yaml
from briefgen.text.quotes import IndexedText, find_quote
from briefgen.tools.merge import merge_entries
from briefgen.tools.reldate import resolve
from tests.conftest import REPO, MakeProject

FIXTURES = Path(__file__).parent / "fixtures" / "add"
JSONLD_PAGE = FIXTURES / "news-agency-jsonld.html"  # seeds/004's text in a news agency's article template
OG_PAGE = FIXTURES / "daily-opengraph.html"  # seeds/002's text; OpenGraph and <meta> only
INDEX_PAGE = FIXTURES / "no-article.html"
PDF = FIXTURES / "report-with-info.pdf"  # seeds/001's text, made with WeasyPrint, with Title and Author
runner = CliRunner()

# The page chrome around the article in the two HTML fixtures: none of it may reach seeds/.
CHROME = (
    "cookies",
    "Cookie settings",
    "Share on",
    "Copy link",
    "Related Articles",
    "Most Viewed",
    "K-pop",
    "K2 tank",
    "gtag",
    "dataLayer",
    "addEventListener",
    "All rights reserved",
    "Keywords",
    "Privacy",
    "WEEKLY HOT",
    "Login",
    "KakaoTalk",
    "shake hands",  # the photo caption
)


# A made-up article (test text only: Examplia and Sampleton do not exist) for projects that already
# hold every seed, in the markup of JSONLD_PAGE.
FICTIONAL = (
    "The defence ministry of Examplia said on Tuesday that it had signed a supply agreement worth 1.2 billion "
    "euros with a shipyard in Sampleton, its largest naval order in a decade.",
    "Under the agreement, the shipyard will deliver four patrol vessels by 2029, the ministry said in a statement "
    "published after the signing ceremony.",
    "Officials from both sides met last month in Sampleton to settle the remaining terms, according to the "
    "statement, which gave no further details of the financing.",
    "The agreement follows a first contract for two smaller vessels that the ministry signed with the same "
    "shipyard in July.",
)


def page_with(paragraphs: tuple[str, ...], path: Path, url: str = "https://news.example.com/en/articles/TEST") -> Path:
    """JSONLD_PAGE with other body paragraphs and another address."""
    html = JSONLD_PAGE.read_text(encoding="utf-8").replace(
        "https://news.example.com/en/articles/AEN20250403001100315", url
    )
    html = re.sub(r"(?m)^        <p>.*</p>\n", "", html)
    body = "".join(f"        <p>{p}</p>\n" for p in paragraphs)
    path.write_text(
        html.replace('        <p class="copyright">', body + '        <p class="copyright">'), encoding="utf-8"
    )
    return path


def add(*args: str | Path) -> tuple[int, str, str]:
    result = runner.invoke(app, ["add", *map(str, args)])
    return result.exit_code, result.stdout, result.stderr


def snapshot(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def load(config: Path) -> Any:
    return parse_yaml(config.read_text(encoding="utf-8"), config).data


def new_source(config: Path, before: Any) -> tuple[str, dict[str, Any]]:
    (source_id,) = set(load(config)["sources"]) - set(before["sources"])
    return source_id, load(config)["sources"][source_id]


@pytest.fixture
def small_project(make_project: MakeProject) -> Path:
    """A one-article project (its article is none of the fixtures')."""
    return make_project()


# -- 1. extraction --------------------------------------------------------------------------------------


@pytest.mark.parametrize("page", [JSONLD_PAGE, OG_PAGE], ids=["json-ld", "opengraph"])
def test_a_saved_page_gives_its_body_text_without_the_chrome(small_project: Path, page: Path) -> None:
    before = load(small_project)
    code, out, err = add(page, "--into", small_project)
    assert code == 0, err
    source_id, source = new_source(small_project, before)
    root = small_project.parent
    text = (root / source["file"]).read_text(encoding="utf-8")
    seed = REPO / "seeds" / ("004_eec81dc4fabef47c.txt" if page == JSONLD_PAGE else "002_0786d34240ad74f5.txt")
    body = [line for line in seed.read_text(encoding="utf-8").splitlines() if len(line) > 150 and "shake" not in line]
    assert body
    for paragraph in body:  # every paragraph of the article, verbatim
        assert paragraph in text
    for chrome in CHROME:
        assert chrome not in text, chrome
    assert (root / "seeds" / "originals" / f"{source_id}.html").read_bytes() == page.read_bytes()
    assert f"added {source_id}: {source['file']}" in out


def test_a_pdf_gives_its_text_layer_with_paragraphs_on_one_line(small_project: Path) -> None:
    before = load(small_project)
    code, _, err = add(PDF, "--into", small_project)
    assert code == 0, err
    source_id, source = new_source(small_project, before)
    text = (small_project.parent / source["file"]).read_text(encoding="utf-8")
    seed = (REPO / "seeds" / "001_d5eb982e1b5ba0f4.txt").read_text(encoding="utf-8")
    assert text.splitlines()[0] == seed.splitlines()[0]  # a paragraph wrapped over six lines, rejoined
    assert " ".join(text.split()) == " ".join(seed.split())  # nothing dropped, nothing added
    assert (small_project.parent / "seeds" / "originals" / f"{source_id}.pdf").read_bytes() == PDF.read_bytes()


def test_a_text_file_is_copied_as_it_is(small_project: Path, tmp_path: Path) -> None:
    article = tmp_path / "incoming" / "dapa.txt"
    article.parent.mkdir()
    shutil.copy(REPO / "seeds" / "003_6d34a9a495decccd.txt", article)
    before = load(small_project)
    code, _, err = add(article, "--into", small_project)
    assert code == 0, err
    _, source = new_source(small_project, before)
    assert (small_project.parent / source["file"]).read_bytes() == article.read_bytes()
    assert not (small_project.parent / "seeds" / "originals").exists()  # a text is its own original


def test_a_text_already_in_seeds_is_used_where_it_is(small_project: Path) -> None:
    article = small_project.parent / "seeds" / "new.txt"
    shutil.copy(REPO / "seeds" / "003_6d34a9a495decccd.txt", article)
    files = set(snapshot(small_project.parent))
    before = load(small_project)
    code, _, err = add(article, "--into", small_project)
    assert code == 0, err
    assert new_source(small_project, before)[1]["file"] == "seeds/new.txt"
    assert set(snapshot(small_project.parent)) == files  # only briefs.yaml changed


# -- 2. metadata --------------------------------------------------------------------------------------------


def test_json_ld_metadata_is_stated_with_where_it_came_from(small_project: Path) -> None:
    before = load(small_project)
    assert add(JSONLD_PAGE, "--into", small_project)[0] == 0
    _, source = new_source(small_project, before)
    expected = {
        "title": ("S. Korea's arms procurement chief holds talks with EU, NATO officials", "`headline`"),
        "outlet": ("Example News Agency", "`publisher`"),
        "author": ("Kim Example", "`author`"),
        "published": ("2025-04-03", "`datePublished` (2025-04-03T15:12:00+09:00)"),
        "url": ("https://news.example.com/en/articles/AEN20250403001100315", "`mainEntityOfPage`"),
    }
    for field, (value, origin) in expected.items():
        assert source[field]["value"] == value, field
        assert source[field]["basis"] == "stated"
        assert source[field]["note"] == f"as given by the page's JSON-LD NewsArticle {origin}"
    assert source["credit"] == "Yonhap"  # from the text: "(Yonhap)"
    text = small_project.read_text(encoding="utf-8")
    assert 'article:modified_time"> says it was last modified 2025-04-03T16:40:00+09:00' in text  # shown, not used


def test_opengraph_and_meta_tags_are_stated_and_a_profile_link_is_no_byline(small_project: Path) -> None:
    before = load(small_project)
    assert add(OG_PAGE, "--into", small_project)[0] == 0
    _, source = new_source(small_project, before)
    assert source["author"] == {
        "value": "KO YONG-CHUL",
        "basis": "stated",
        "note": 'as given by the page\'s <meta name="author">',  # not article:author, a URL
    }
    assert source["outlet"]["note"] == 'as given by the page\'s <meta property="og:site_name">'
    assert source["url"]["value"] == "https://www.daily.example.org/news/articleView.html?idxno=20251020"
    assert source["published"]["value"] == "2025-10-20"
    assert source["title"]["value"].startswith("NATO Deputy Secretary General Pledges to Strengthen Substantive")


def test_pdf_document_info_is_stated_and_its_creation_date_is_not_a_publication_date(small_project: Path) -> None:
    before = load(small_project)
    assert add(PDF, "--into", small_project)[0] == 0
    _, source = new_source(small_project, before)
    assert source["title"] == {
        "value": "South Korea and Poland sign cooperation action plan through 2028",
        "basis": "stated",
        "note": "as given by the PDF's document information (Title)",
    }
    assert source["author"]["value"] == "Example Desk"
    assert "published" not in source and "outlet" not in source and "url" not in source  # nothing invented
    assert "says the file was created on 2024-11-20" in small_project.read_text(encoding="utf-8")


def test_guesses_from_the_text_stay_inferred(small_project: Path, tmp_path: Path) -> None:
    article = tmp_path / "gnews.txt"
    shutil.copy(REPO / "seeds" / "003_6d34a9a495decccd.txt", article)  # aggregator header, no page metadata
    before = load(small_project)
    assert add(article, "--into", small_project)[0] == 0
    _, source = new_source(small_project, before)
    for field in ("title", "outlet", "published", "url"):
        assert source[field]["basis"] == "inferred", field
        assert source[field]["note"].startswith("guessed by briefgen add from line "), field


# -- 3. relative dates ----------------------------------------------------------------------------------------


def test_relative_dates_in_drafted_facts_are_resolved_from_the_published_date(small_project: Path) -> None:
    before = load(small_project)
    assert add(JSONLD_PAGE, "--into", small_project)[0] == 0
    facts = load(small_project)["facts"][len(before["facts"]) :]
    by_quote = {f["cite"][0]["quote"][:30]: f for f in facts}
    met = by_quote["Defense Acquisition Program Ad"]["date"]
    assert met["value"] == "2025-04-02" and met["basis"] == "inferred"  # "on Wednesday", published Thu 3 April
    assert "'Wednesday'" in met["note"] and "2025-04-03" in met["note"]
    assert by_quote["The talks took place after the"]["date"]["value"] == "2025-03"  # "last month"
    assert "date" not in by_quote["It marked the first time that "]  # no time words


@pytest.mark.parametrize(
    ("sentence", "published", "expected"),
    [
        ("They met on Monday.", "2025-10-21", "2025-10-20"),
        ("His office said Tuesday.", "2025-10-21", "2025-10-21"),
        ("It was adopted in July.", "2023-12-13", "2023-07"),
        ("It was adopted in July.", "2024-03-01", "2023-07"),  # a July after the published month: the year before
        ("It was held last month.", "2025-01-10", "2024-12"),
        ("It began on October 19 with a visit.", "2025-10-20", "2025-10-19"),
        ("It opened on October 20, 2025 in Seoul.", "2025-10-20", None),  # not relative
        ("They met on Monday.", "2025-10", None),  # a weekday needs the published day
        ("It rose 5% in 2024.", "2025-10-20", None),
        ("On the 20th, she met officials.", "2025-10-20", "2025-10-20"),
        ("On the 28th, she met officials.", "2025-10-20", "2025-09-28"),
        ("It was unveiled earlier this month.", "2025-10-20", "2025-10"),
        ("Elections are due later this year.", "2025-10-20", "2025"),
    ],
)
def test_relative_date_forms(sentence: str, published: str, expected: str | None) -> None:
    resolved = resolve(sentence, PartialDate.parse(published))
    assert (resolved.value.iso() if resolved else None) == expected


# -- 4. merged, not pasted ----------------------------------------------------------------------------------------


def test_the_project_file_keeps_every_line_and_still_passes_check(shipped_project: Path, tmp_path: Path) -> None:
    old = shipped_project.read_text(encoding="utf-8")
    before = load(shipped_project)
    page = page_with(FICTIONAL, tmp_path / "examplia.html")
    code, _, err = add(page, "--into", shipped_project)
    assert code == 0, err
    new = shipped_project.read_text(encoding="utf-8")
    opcodes = difflib.SequenceMatcher(None, old.splitlines(), new.splitlines(), autojunk=False).get_opcodes()
    assert {tag for tag, *_ in opcodes} == {"equal", "insert"}  # every comment and line kept, in place
    assert check(shipped_project).project  # no error (drafts are in no brief)
    result = runner.invoke(app, ["check", "--config", str(shipped_project)])
    assert result.exit_code == 0, result.stderr
    after = load(shipped_project)
    assert list(after["sources"])[: len(before["sources"])] == list(before["sources"])
    added = after["facts"][len(before["facts"]) :]
    assert added and all(f["claim"].startswith("DRAFT: ") for f in added)
    ids = [f["id"] for f in after["facts"]] + list(after["sources"])
    assert len(ids) == len(set(ids))  # no id collides
    for fact in added:  # every quote is in its new article
        source = after["sources"][fact["cite"][0]["source"]]
        article = IndexedText((shipped_project.parent / source["file"]).read_text(encoding="utf-8"))
        assert find_quote(article, fact["cite"][0]["quote"]) is not None


def test_articles_with_the_same_metadata_get_distinct_ids(small_project: Path, tmp_path: Path) -> None:
    other = page_with(FICTIONAL, tmp_path / "other.html")  # the same headline, outlet and date, another story
    before = load(small_project)
    assert add(JSONLD_PAGE, other, "--into", small_project)[0] == 0
    after = load(small_project)
    new_ids = sorted(set(after["sources"]) - set(before["sources"]))
    assert len(new_ids) == 2 and new_ids[1] == f"{new_ids[0]}-2"
    assert len({after["sources"][i]["file"] for i in new_ids}) == 2
    fact_ids = [f["id"] for f in after["facts"]]
    assert len(fact_ids) == len(set(fact_ids))
    check(small_project)


def test_dry_run_prints_the_entries_and_writes_nothing(shipped_project: Path, tmp_path: Path) -> None:
    root = shipped_project.parent
    page = page_with(FICTIONAL, tmp_path / "examplia.html")
    files = snapshot(root)
    code, out, err = add(page, "--into", shipped_project, "--dry-run")
    assert code == 0, err
    assert snapshot(root) == files
    printed = parse_yaml(out, Path("dry-run.yaml")).data
    (source_id,) = printed["sources"]
    assert f"# would write seeds/{source_id}.txt" in out
    assert f"# would keep the original as seeds/originals/{source_id}.html" in out
    assert printed["facts"] and all(f["cite"][0]["source"] == source_id for f in printed["facts"])


def test_adding_the_same_article_twice_is_refused_naming_the_source(small_project: Path) -> None:
    before = load(small_project)
    assert add(OG_PAGE, "--into", small_project)[0] == 0
    source_id, _ = new_source(small_project, before)
    files = snapshot(small_project.parent)
    code, _, err = add(OG_PAGE, "--into", small_project)
    assert code == 1
    assert f"{OG_PAGE}: error: this article is already in the project as source '{source_id}'" in err
    assert snapshot(small_project.parent) == files


@pytest.mark.parametrize(
    ("copy", "source_id"),
    [
        (PDF, "warsaw-nd-korea-poland-action-plan"),  # seeds/001 as a PDF: the same text, rewrapped
        (OG_PAGE, "news-2025-10-20-sekerinska-adex-interview"),  # seeds/002's body, without its header lines
        (JSONLD_PAGE, "yonhap-2025-04-dapa-eu-nato-talks"),  # seeds/004 without its caption, with "(END)"
    ],
    ids=["pdf", "opengraph", "json-ld"],
)
def test_another_copy_of_an_article_in_seeds_is_refused(shipped_project: Path, copy: Path, source_id: str) -> None:
    files = snapshot(shipped_project.parent)
    code, _, err = add(copy, "--into", shipped_project)
    assert code == 1
    assert f"error: this article is already in the project as source {source_id!r}" in err
    assert snapshot(shipped_project.parent) == files


@pytest.mark.parametrize(
    ("old", "expected_item"),
    [
        ("sources:\n  a:\n    file: a.txt  # kept\nfacts:\n  - id: x\n    claim: X\nbriefs: {}\n", "  - id: new"),
        ("sources:\n  a:\n    file: a.txt\nfacts:\n- id: x\n  claim: X\n# trailing comment\nbriefs: {}\n", "- id: new"),
        ("sources: {}\nfacts: []  # none yet\nbriefs: {}\n", "  - id: new"),
        ("project:\n  title: T\n", "  - id: new"),
    ],
    ids=["block", "indentless-list", "empty-flow", "no-sections"],
)
def test_entries_are_merged_as_the_file_indents_them(old: str, expected_item: str) -> None:
    merged = merge_entries(old, Path("b.yaml"), "  new-source:\n    file: n.txt\n", "  - id: new\n    claim: N\n")
    assert expected_item in merged.splitlines()
    data = parse_yaml(merged, Path("b.yaml")).data
    assert data["sources"]["new-source"] == {"file": "n.txt"}
    assert data["facts"][-1] == {"id": "new", "claim": "N"}
    for line in old.splitlines():  # every line kept, but an empty flow section made a block
        if not line.startswith(("sources: {}", "facts: []")):
            assert line in merged.splitlines()


def test_a_section_written_in_flow_style_is_not_rewritten() -> None:
    with pytest.raises(Exception, match=r"b\.yaml:2:1: cannot add to `facts:` written on one line"):
        merge_entries("sources: {}\nfacts: [{id: x}]\n", Path("b.yaml"), "  s:\n    file: n.txt\n", "  - id: n\n")


# -- 5. bad input ----------------------------------------------------------------------------------------------


def _scanned_pdf(path: Path) -> Path:
    writer = PdfWriter()
    writer.add_blank_page(width=420, height=595)  # an image-only page has no text layer either
    writer.add_metadata({"/Title": "Scanned"})
    with path.open("wb") as handle:
        writer.write(handle)
    return path


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda d: INDEX_PAGE, "error: no article found on the page"),
        (lambda d: _scanned_pdf(d / "scan.pdf"), "error: the PDF has no text layer"),
        (lambda d: _write(d / "notes.docx", b"PK\x03\x04"), "error: unknown type: briefgen add reads .html/.htm"),
        (lambda d: _write(d / "fake.pdf", b"<html></html>"), "error: named .pdf but is not a PDF file"),
        (lambda d: d / "missing.html", "error: file not found"),
        (lambda d: _write(d / "latin1.txt", b"Seoul\nM\xfcnchen talks\n"), ":2:2: error: not UTF-8 text"),
        (lambda d: _write(d / "empty.txt", b"\n\n"), "error: the file has no text"),
    ],
    ids=["no-article", "scanned-pdf", "unknown-type", "not-a-pdf", "missing", "not-utf8", "empty"],
)
def test_bad_input_is_a_located_error_and_nothing_is_written(
    small_project: Path, tmp_path: Path, make: Any, message: str
) -> None:
    incoming = tmp_path / "incoming"
    incoming.mkdir()
    path = make(incoming)
    files = snapshot(small_project.parent)
    code, out, err = add(JSONLD_PAGE, path, "--into", small_project)  # the good page is not added either
    assert code == 1 and not out
    assert err.startswith(str(path)) and message in err.splitlines()[0], err
    assert "\n    hint: " in err
    assert "Traceback" not in err and "nothing was written" in err
    assert snapshot(small_project.parent) == files


def test_a_file_over_the_article_limit_is_refused(small_project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BRIEFGEN_MAX_ARTICLE_BYTES", "4000")
    files = snapshot(small_project.parent)
    code, _, err = add(JSONLD_PAGE, "--into", small_project)
    assert code == 1
    assert f"{JSONLD_PAGE}: error: file is larger than the 4,000-byte article limit" in err
    assert "BRIEFGEN_MAX_ARTICLE_BYTES" in err
    assert snapshot(small_project.parent) == files


def _write(path: Path, data: bytes) -> Path:
    path.write_bytes(data)
    return path


def test_a_long_outlet_and_headline_still_give_a_valid_id(small_project: Path, tmp_path: Path) -> None:
    html = (
        JSONLD_PAGE.read_text(encoding="utf-8")
        .replace("Example News Agency", "The Extraordinarily Long Example Metropolitan Evening Newspaper Company")
        .replace(
            "S. Korea's arms procurement chief holds talks with EU, NATO officials",
            "Procurement agency administrator concludes unprecedented multilateral consultations in Brussels",
        )
    )
    page = tmp_path / "long.html"
    page.write_text(html, encoding="utf-8")
    before = load(small_project)
    code, _, err = add(page, "--into", small_project)
    assert code == 0, err
    source_id, _ = new_source(small_project, before)
    assert 40 < len(source_id) <= 76 and not source_id.endswith("-")
    check(small_project)


def test_add_fetches_nothing_the_page_names(small_project: Path, tmp_path: Path) -> None:
    """Scripts, images and URLs in a saved page are text: no connection is made to any of them."""
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen(8)
        listener.settimeout(0.2)
        local = f"http://127.0.0.1:{listener.getsockname()[1]}"
        html = JSONLD_PAGE.read_text(encoding="utf-8").replace("https://ads.example.com", local)
        html = html.replace("https://img.news.example.com", local).replace("/static/js/", f"{local}/js/")
        page = tmp_path / "tracking.html"
        page.write_text(html, encoding="utf-8")
        assert add(page, "--into", small_project)[0] == 0
        with pytest.raises(TimeoutError):
            listener.accept()


def test_a_windows_file_keeps_its_line_endings() -> None:
    old = "sources:\r\n  a:\r\n    file: a.txt\r\nfacts:\r\n  - id: x\r\n    claim: X\r\nbriefs: {}\r\n"
    merged = merge_entries(old, Path("b.yaml"), "  s:\n    file: n.txt\n", "  - id: n\n    claim: N\n")
    assert merged.count("\n") == merged.count("\r\n") and merged.startswith(old[:30])
    assert parse_yaml(merged, Path("b.yaml")).data["facts"][-1] == {"id": "n", "claim": "N"}


def test_json_ld_in_a_graph_is_read_and_a_broken_block_is_skipped(tmp_path: Path) -> None:
    body = "".join(f"<p>{p}</p>" for p in FICTIONAL)
    page = tmp_path / "graph.html"
    page.write_text(
        '<html><head><script type="application/ld+json">{"@type": "NewsArticle", broken</script>'
        '<script type="application/ld+json">{"@context": "https://schema.org", "@graph": [{"@type": "WebSite", '
        '"name": "Not the outlet"}, {"@type": ["NewsArticle"], "headline": "Examplia orders patrol vessels", '
        '"author": ["https://daily.example.org/staff/1", {"@type": "Person", "name": "Jo Example"}], '
        '"datePublished": "2025-04-03", "url": "https://daily.example.org/a/1"}]}</script>'
        '<meta property="og:title" content="Examplia orders four patrol vessels"></head>'
        f"<body><article>{body}</article></body></html>",
        encoding="utf-8",
    )
    from briefgen.tools.extract import extract  # noqa: PLC0415

    extracted = extract(page)
    stated = {s.field: (s.value, s.origin) for s in extracted.stated}
    assert stated["title"] == ("Examplia orders patrol vessels", "the page's JSON-LD NewsArticle `headline`")
    assert stated["author"][0] == "Jo Example"  # the profile link is not a name
    assert stated["url"][0] == "https://daily.example.org/a/1" and "outlet" not in stated
    assert extracted.remarks == (
        'the page\'s <meta property="og:title"> gives a different title: Examplia orders four patrol vessels',
    )


def test_a_sentence_longer_than_a_quote_may_be_is_not_drafted(small_project: Path, tmp_path: Path) -> None:
    run_on = "Examplia listed its orders " + ", ".join(f"vessel {n} for {n} million euros" for n in range(60))
    page = page_with((*FICTIONAL, run_on + "."), tmp_path / "table.html")
    before = load(small_project)
    code, _, err = add(page, "--into", small_project)
    assert code == 0, err
    quotes = [f["cite"][0]["quote"] for f in load(small_project)["facts"][len(before["facts"]) :]]
    assert quotes and not any(q.startswith("Examplia listed") for q in quotes)


def test_the_library_calls_the_readme_shows(small_project: Path) -> None:
    import briefgen  # noqa: PLC0415

    files = snapshot(small_project.parent)
    plan = briefgen.plan_add([OG_PAGE], small_project)
    assert "sources:" in briefgen.dry_run_text(plan) and snapshot(small_project.parent) == files
    written = briefgen.write_plan(plan).written
    assert small_project in written and len(written) == 3  # the article, its original, briefs.yaml
    briefgen.check(small_project)


def test_a_page_in_a_legacy_encoding_is_decoded(small_project: Path, tmp_path: Path) -> None:
    body = "".join(f"<p>{p} 국방부는 화요일 발표했다.</p>" for p in FICTIONAL)
    page = tmp_path / "euc-kr.html"
    page.write_bytes(
        '<html><head><meta charset="euc-kr"><meta property="og:site_name" content="예시일보"></head>'
        f"<body><article>{body}</article></body></html>".encode("euc-kr")
    )
    before = load(small_project)
    assert add(page, "--into", small_project)[0] == 0
    _, source = new_source(small_project, before)
    assert source["outlet"]["value"] == "예시일보"
    assert "국방부는 화요일 발표했다." in (small_project.parent / source["file"]).read_text(encoding="utf-8")


def test_a_date_resolved_from_a_guessed_published_date_says_so(small_project: Path, tmp_path: Path) -> None:
    article = tmp_path / "gnews.txt"
    shutil.copy(REPO / "seeds" / "003_6d34a9a495decccd.txt", article)  # header date 2023-12-13, "in July"
    before = load(small_project)
    assert add(article, "--into", small_project)[0] == 0
    dated = [f["date"] for f in load(small_project)["facts"][len(before["facts"]) :] if "date" in f]
    assert dated and all(d["note"].endswith("that published date is itself guessed from the text") for d in dated)
    assert {"2023-07", "2023-11"} <= {d["value"] for d in dated}  # "in July", "last month"
