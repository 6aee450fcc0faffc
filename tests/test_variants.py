"""Variants of a brief (`extends:`), templates that leave blocks out, and a brief's template per format."""

from __future__ import annotations

import io
import json
import re
import subprocess
from pathlib import Path

import docx
import pytest
from typer.testing import CliRunner

from briefgen.assemble import AssembledBrief, assemble_all, passage_text
from briefgen.cli.commands import app
from briefgen.project.load import load_project
from briefgen.project.validate import validate
from briefgen.renderers.docx import BLOCKS
from briefgen.renderers.markdown import render_page
from briefgen.renderers.templates import search_path
from briefgen.renderers.wording import citation_text, short_citations
from tests.conftest import MINIMAL_YAML, MakeProject, line_of, require_tool
from tests.test_docx import footnotes, libreoffice_to_pdf, reference_ids

runner = CliRunner()

# The README's example: a one-page talking-points variant of the shipped korea-poland brief.
POINTS = """
  korea-poland-points:
    extends: korea-poland
    title: "Talking points: South Korea–Poland defence cooperation"
    subtitle: One page for the Director's meeting
    template: talking-points.md.j2
    bottom_line:
      - kang-meets-kosiniak-kamysz-warsaw
      - poland-largest-recipient-korean-arms
      - european-export-talks-56bn
    sections:
      - title: Talking points
        horizon: 12 years  # the strategic partnership dates from 2013
        facts:
          - korea-poland-strategic-partners-since-2013
          - korea-poland-action-plan-signed
          - poland-hub-production-technology-transfer
"""


def run(*args: str | Path) -> tuple[int, str, str]:
    result = runner.invoke(app, [str(a) for a in args])
    return result.exit_code, result.stdout, result.stderr


def with_briefs(config: Path, extra: str) -> str:
    """Append briefs to the project's `briefs:` mapping (the last top-level key of the shipped file)."""
    text = config.read_text(encoding="utf-8")
    assert text.rstrip().splitlines()[-1].startswith("      - ") or "\nbriefs:\n" in text
    text = text.rstrip("\n") + "\n" + extra
    config.write_text(text, encoding="utf-8")
    return text


def render(config: Path, *args: str) -> tuple[int, str, str]:
    return run("render", "--config", config, *args)


def footnote_numbers(markdown: str) -> tuple[list[int], list[int]]:
    """(note numbers in the order the text first cites them, numbers of the footnote definitions)."""
    body, _, _ = markdown.partition("\n[^")
    cited = list(dict.fromkeys(int(n) for n in re.findall(r"\[\^(\d+)\]", body)))
    defined = [int(n) for n in re.findall(r"^\[\^(\d+)\]:", markdown, re.M)]
    return cited, defined


# -- extends: inheritance and override -----------------------------------------------------------------


def test_a_variant_inherits_every_key_and_overrides_those_it_names(shipped_project: Path) -> None:
    with_briefs(shipped_project, POINTS)
    code, _, err = render(shipped_project, "korea-poland", "korea-poland-points", "-f", "json")
    assert code == 0, err
    out = shipped_project.parent / "out"
    full = json.loads((out / "korea-poland.json").read_text(encoding="utf-8"))
    points = json.loads((out / "korea-poland-points.json").read_text(encoding="utf-8"))
    # Overridden: title, subtitle, bottom line, sections.
    assert points["title"] == "Talking points: South Korea–Poland defence cooperation" != full["title"]
    assert points["subtitle"] == "One page for the Director's meeting"
    assert len(points["bottom_line"]) == 3 and len(full["bottom_line"]) == 4
    assert [s["title"] for s in points["sections"]] == ["Talking points"]
    # Inherited: the as-of date, who it is for, the assessment (text and what it rests on).
    for key in ("as_of", "prepared_for", "prepared_by", "marking"):
        assert points[key] == full[key], key
    assert [a["text"] for a in points["assessment"]] == [a["text"] for a in full["assessment"]]
    assert points["assessment"]


@pytest.mark.parametrize("fmt", ["md", "html", "mediawiki"])
def test_a_variant_renders_through_its_own_template_in_every_templated_format(shipped_project: Path, fmt: str) -> None:
    with_briefs(shipped_project, POINTS)
    code, _, err = render(shipped_project, "korea-poland-points", "-f", fmt)
    assert code == 0, err
    suffix = {"md": ".md", "html": ".html", "mediawiki": ".wiki"}[fmt]
    text = (shipped_project.parent / "out" / f"korea-poland-points{suffix}").read_text(encoding="utf-8")
    text = text.split("<body", 1)[-1]  # the page, not its stylesheet
    if fmt != "mediawiki":  # a wiki page's title is its page name, not in its text
        assert "Talking points: South Korea–Poland defence cooperation" in text
    assert "One page for the Director" in text  # its own subtitle
    assert "Prepared for Director, Europe policy" in text  # inherited
    assert "Cho Tae-yul" in text  # a talking point
    for left_out in ("Timeline", "Key actors", "Key figures", "Article file:"):
        assert left_out not in text, left_out
    assert "Assessment" in text  # inherited, and rendered by the template


@pytest.mark.parametrize("fmt", ["md", "mediawiki"])
def test_the_talking_points_templates_show_a_sections_lead(shipped_project: Path, fmt: str) -> None:
    lead = (
        "\n        lead: {text: The partnership rests on arms sales., based_on: [poland-largest-recipient-korean-arms]}"
    )
    with_briefs(
        shipped_project, POINTS.replace("      - title: Talking points", "      - title: Talking points" + lead)
    )
    code, _, err = render(shipped_project, "korea-poland-points", "-f", fmt)
    assert code == 0, err
    suffix = {"md": ".md", "mediawiki": ".wiki"}[fmt]
    text = (shipped_project.parent / "out" / f"korea-poland-points{suffix}").read_text(encoding="utf-8")
    section = text.split("Talking points", 2)[-1]
    judgement = {"md": "**Analyst's judgement:**", "mediawiki": "'''Analyst's judgement:'''"}[fmt]
    assert f"{judgement} The partnership rests on arms sales." in section
    assert section.index("rests on arms sales") < section.index("Cho Tae-yul")  # before the points


def test_chains_of_variants_inherit_through_each_link(make_project: MakeProject) -> None:
    config = make_project(
        MINIMAL_YAML
        + "  second:\n    extends: demo\n    title: Second\n    prepared_for: The Director\n"
        + "  third:\n    extends: second\n    as_of: 2025-10-25\n"
    )
    code, _, err = render(config, "third", "-f", "json")
    assert code == 0, err
    third = json.loads((config.parent / "out" / "third.json").read_text(encoding="utf-8"))
    assert third["title"] == "Second"  # from its parent, which overrode the grandparent's
    assert third["prepared_for"] == "The Director"
    assert third["as_of"]["value"] == "2025-10-25"  # its own
    assert [s["title"] for s in third["sections"]] == ["Details"]  # from the grandparent


def test_an_error_in_an_inherited_value_is_located_where_the_parent_writes_it(make_project: MakeProject) -> None:
    text = MINIMAL_YAML.replace("bottom_line: [deepen]", "bottom_line: [deepen]\n    paper: a5") + (
        "  variant:\n    extends: demo\n    title: V\n"
    )
    config = make_project(text)
    code, _, err = run("check", "--config", config)
    assert code == 1
    line = line_of(text, "paper: a5")
    # At the parent's line, once for each brief that has the value: the variant's names it as its own.
    for brief_id in ("demo", "variant"):
        assert re.search(rf"briefs\.yaml:{line}:12: error: briefs\.{brief_id}\.paper: 'a5' is not one of", err), err


def test_an_error_in_a_variants_own_value_is_located_in_the_variant(make_project: MakeProject) -> None:
    text = MINIMAL_YAML + "  variant:\n    extends: demo\n    bottom_line: [nope]\n"
    config = make_project(text)
    code, _, err = run("check", "--config", config)
    assert code == 1
    line = line_of(text, "bottom_line: [nope]")
    assert re.search(rf"briefs\.yaml:{line}:19: error: unknown fact 'nope'", err), err
    assert err.count("error:") == 1, err  # the parent's own references are not repeated


# -- extends: errors ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("extra", "needle", "message"),
    [
        (
            "  variant:\n    extends: dmeo\n    title: V\n",
            "extends: dmeo",
            r"brief 'variant' extends unknown brief 'dmeo'\n    hint: did you mean 'demo'\?",
        ),
        ("  variant:\n    extends: variant\n    title: V\n", "extends: variant", r"brief 'variant' extends itself"),
        (
            "  a:\n    extends: b\n    title: A\n  b:\n    extends: a\n    title: B\n",
            "extends: a",  # where the cycle closes, resolving the briefs in file order
            r"briefs extend each other in a cycle: 'a' extends 'b' extends 'a'",
        ),
    ],
    ids=["unknown", "itself", "cycle"],
)
def test_extends_errors_are_located_at_the_extends_value(
    make_project: MakeProject, extra: str, needle: str, message: str
) -> None:
    text = MINIMAL_YAML + extra
    config = make_project(text)
    column = text.splitlines()[line_of(text, needle) - 1].index("extends: ") + len("extends: ") + 1
    for command in ("check", "render"):
        code, _, err = run(command, "--config", config)
        assert code == 1, err
        assert re.search(rf"briefs\.yaml:{line_of(text, needle)}:{column}: error: {message}", err), err
        assert "Traceback" not in err
    assert not (config.parent / "out").exists()


def test_a_cycle_is_reported_once(make_project: MakeProject) -> None:
    config = make_project(MINIMAL_YAML + "  a:\n    extends: b\n    title: A\n  b:\n    extends: a\n    title: B\n")
    _, _, err = run("check", "--config", config)
    assert err.count("in a cycle") == 1, err


# -- a template may leave out any block ------------------------------------------------------------------

NO_ACTORS_OR_TIMELINE = (
    '{% extends "builtin/brief.md.j2" %}{% block timeline %}{% endblock %}{% block key_actors %}{% endblock %}'
)
NO_ACTORS_OR_TIMELINE_WIKI = NO_ACTORS_OR_TIMELINE.replace("brief.md.j2", "brief.wiki.j2")


def write_template(config: Path, name: str, text: str) -> None:
    (config.parent / "templates").mkdir(exist_ok=True)
    (config.parent / "templates" / name).write_text(text, encoding="utf-8")


def test_a_template_without_key_actors_and_timeline_numbers_its_notes_1_to_n(shipped_project: Path) -> None:
    write_template(shipped_project, "lean.md.j2", NO_ACTORS_OR_TIMELINE)
    write_template(shipped_project, "lean.wiki.j2", NO_ACTORS_OR_TIMELINE_WIKI)
    with_briefs(shipped_project, "  lean:\n    extends: korea-poland\n    template: lean.md.j2\n")
    code, _, err = render(shipped_project, "korea-poland", "lean", "-f", "md", "-f", "mediawiki", "-f", "html")
    assert code == 0, err
    out = shipped_project.parent / "out"
    _, full_defined = footnote_numbers((out / "korea-poland.md").read_text(encoding="utf-8"))
    lean_md = (out / "lean.md").read_text(encoding="utf-8")
    cited, defined = footnote_numbers(lean_md)
    # The full brief cites a source only in Key actors; the lean one leaves it out entirely.
    assert len(full_defined) > len(defined) >= 1
    assert cited == defined == list(range(1, len(defined) + 1))
    assert "KO YONG-CHUL" in (out / "korea-poland.md").read_text(encoding="utf-8")
    assert "KO YONG-CHUL" not in lean_md
    sources = lean_md.split("## Sources\n")[1].split("\n[^")[0]
    assert re.findall(r"^(\d+)\. ", sources, re.M) == [str(n) for n in defined]
    wiki = (out / "lean.wiki").read_text(encoding="utf-8")
    assert re.findall(r'<ref name="n(\d+)">', wiki) == [str(n) for n in defined]  # first citations, in order
    assert "Key actors" not in wiki and "Timeline" not in wiki
    html = (out / "lean.html").read_text(encoding="utf-8")
    assert sorted(set(re.findall(r'id="note-(\d+)"', html)), key=int) == [str(n) for n in defined]


def test_a_template_that_puts_the_assessment_first_numbers_notes_in_reading_order(make_project: MakeProject) -> None:
    text = MINIMAL_YAML.replace(
        "    published: 2025-10-20", "    published: 2025-10-20\n  other: {file: seeds/b.txt, title: Other}"
    ).replace("- source: art\n        quote: would", "- source: other\n        quote: would")
    text = text.replace("        facts: [k2]\n", "        facts: [k2]\n    assessment:\n      - text: K2 first.\n")
    text += "        based_on: [k2]\n    template: first.md.j2\n"
    config = make_project(
        text,
        {
            "seeds/a.txt": "agreed on Monday to deepen defence-industry cooperation",
            "seeds/b.txt": "would move part of its production to Poland",
        },
    )
    write_template(
        config,
        "first.md.j2",
        '{% extends "builtin/brief.md.j2" %}{% block header %}{{ self.assessment() }}{% endblock %}'
        "{% block assessment %}{% if brief.assessment %}## Assessment\n\n"
        "{% for j in brief.assessment %}- {{ j.text }}{{ j.notes | notes }}\n{% endfor %}\n{% endif %}{% endblock %}",
    )
    code, _, err = render(config, "-f", "md")
    assert code == 0, err
    markdown = (config.parent / "out" / "demo.md").read_text(encoding="utf-8")
    cited, defined = footnote_numbers(markdown)
    assert cited == defined == [1, 2]
    assert "- K2 first.[^1]" in markdown  # the second article, cited first, is note 1
    assert re.search(r"^\[\^1\]: .*Other", markdown, re.M)


# -- a brief's template in every format --------------------------------------------------------------------


def test_a_format_without_the_briefs_template_is_an_error_not_a_full_brief(shipped_project: Path) -> None:
    text = with_briefs(shipped_project, POINTS)
    (shipped_project.parent / "templates").mkdir()
    # A project of its own: its talking-points.md.j2, with no MediaWiki counterpart.
    (shipped_project.parent / "templates" / "own.md.j2").write_text(NO_ACTORS_OR_TIMELINE, encoding="utf-8")
    text = text.replace("template: talking-points.md.j2", "template: own.md.j2")
    shipped_project.write_text(text, encoding="utf-8")
    line = line_of(text, "template: own.md.j2")
    column = text.splitlines()[line - 1].index("own.md.j2") + 1

    code, _, err = run("check", "--config", shipped_project)
    assert code == 0, err  # md, pdf and html can still be made
    assert re.search(
        rf"briefs\.yaml:{line}:{column}: warning: brief 'korea-poland-points' cannot be rendered as "
        r"mediawiki \(no template 'own\.wiki\.j2'\)\n",
        err,
    ), err
    assert "docx" not in err  # DOCX follows the Markdown template: nothing to warn about

    code, _, err = render(shipped_project, "korea-poland-points", "-f", "md")
    assert code == 0, err
    page = shipped_project.parent / "out" / "korea-poland-points.md"
    before = page.read_bytes()
    for fmt, why in (("mediawiki", "there is no template 'own.wiki.j2'"),):
        code, _, err = render(shipped_project, "korea-poland-points", "-f", "md", "-f", fmt, "--force")
        assert code == 1, err
        assert re.search(
            rf"briefs\.yaml:{line}:{column}: error: brief 'korea-poland-points' cannot be rendered as {fmt}: "
            rf"its template 'own\.md\.j2' has no {fmt} counterpart \({re.escape(why)}\)",
            err,
        ), err
        assert "Traceback" not in err
        assert page.read_bytes() == before  # nothing written, the earlier page intact
        assert not (
            shipped_project.parent / "out" / f"korea-poland-points.{'wiki' if fmt == 'mediawiki' else fmt}"
        ).exists()
    # DOCX follows the Markdown template (its blocks, in its order): made for any template.
    code, _, err = render(shipped_project, "korea-poland-points", "-f", "docx")
    assert code == 0, err
    assert (shipped_project.parent / "out" / "korea-poland-points.docx").is_file()


def test_check_reports_a_missing_template_at_its_value(make_project: MakeProject) -> None:
    text = MINIMAL_YAML.replace("    title: Demo brief", "    title: Demo brief\n    template: gone.md.j2")
    config = make_project(text)
    line = line_of(text, "template: gone.md.j2")
    column = text.splitlines()[line - 1].index("gone") + 1
    code, _, err = run("check", "--config", config)
    assert code == 1
    assert re.search(rf"briefs\.yaml:{line}:{column}: error: brief 'demo': template 'gone\.md\.j2' not found", err), err
    assert "searched:" in err


def test_an_inherited_missing_template_is_reported_at_the_parents_value(make_project: MakeProject) -> None:
    text = MINIMAL_YAML.replace("    title: Demo brief", "    title: Demo brief\n    template: gone.md.j2") + (
        "  variant:\n    extends: demo\n    title: V\n"
    )
    config = make_project(text)
    line = line_of(text, "template: gone.md.j2")
    _, _, err = run("check", "--config", config)
    assert re.search(rf"briefs\.yaml:{line}:\d+: error: brief 'variant': template 'gone\.md\.j2' not found", err), err
    assert re.search(rf"briefs\.yaml:{line}:\d+: error: brief 'demo': template 'gone\.md\.j2' not found", err), err


# -- the README's example, in print ------------------------------------------------------------------------


@pytest.mark.slow
def test_the_talking_points_variant_is_one_page_in_print(shipped_project: Path, tmp_path: Path) -> None:
    with_briefs(shipped_project, POINTS)
    code, _, err = render(shipped_project, "korea-poland-points", "-f", "pdf")
    assert code == 0, err
    pdf = shipped_project.parent / "out" / "korea-poland-points.pdf"
    info = subprocess.run([require_tool("pdfinfo"), str(pdf)], capture_output=True, check=True, text=True).stdout
    assert re.search(r"^Pages:\s+1$", info, re.M), info
    text = subprocess.run([require_tool("pdftotext"), str(pdf), "-"], capture_output=True, check=True, text=True).stdout
    assert "TALKING POINTS" in text.upper() and "KEY ACTORS" not in text.upper()


def test_a_note_lists_only_the_passages_its_page_quotes(shipped_project: Path) -> None:
    # Key actors cites role quotes of sources the facts cite too: left out, their passages go.
    write_template(shipped_project, "lean.md.j2", NO_ACTORS_OR_TIMELINE)
    with_briefs(shipped_project, "  lean:\n    extends: korea-poland\n    template: lean.md.j2\n")
    valid = validate(load_project(shipped_project), search_path(shipped_project.parent))
    full, lean = assemble_all(valid, ["korea-poland", "lean"])
    dirs = search_path(valid.root)
    assert render_page(full, dirs).brief == full  # the default template shows every passage: as assembled
    shown = render_page(lean, dirs).brief
    assert shown is not None
    full_passages = {(n.source_id, p.text) for n in full.notes for p in n.passages}
    lean_passages = {(n.source_id, p.text) for n in shown.notes for p in n.passages}
    stated = [
        *lean.bottom_line,
        *(s for b in lean.sections for s in b.statements),
        *(s for j in lean.assessment for s in j.facts),
    ]
    expected = {(c.source, passage_text(valid.passage(c).text)) for s in stated for c in s.fact.cite}
    assert lean_passages == expected  # exactly what the page's facts quote
    assert lean_passages < full_passages  # the role quotes of Key actors are gone


# -- DOCX follows the brief's template ----------------------------------------------------------------------

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"

# A template of a project's own, not extending the built-in one: the assessment before the bottom
# line, a block of its own (not a built-in block: not in the Word file), no sections or sources.
ASSESSMENT_FIRST = """{% block header %}# {{ brief.brief.title }}

{% endblock %}
{% block reader_note %}Read the assessment first.

{% endblock %}
{% block assessment %}## {{ labels.assessment }}

{% for j in brief.assessment %}
- {{ j.text }}{{ j.notes | notes }}
{% endfor %}

{% endblock %}
{% block bottom_line %}## {{ labels.bottom_line }}

{% for s in brief.bottom_line %}
- {{ s.fact.claim }}{{ s.notes | notes }}
{% endfor %}

{% endblock %}
{% block timeline %}{% endblock %}
{% block footnotes %}{{ flavor.footnotes(brief.notes) }}{% endblock %}
"""


def docx_headings(data: bytes) -> list[str]:
    """The body's headings in document order, the bottom line's (inside its box) included."""
    body = docx.Document(io.BytesIO(data)).element.body
    headings = []
    for paragraph in body.iter(f"{W}p"):
        style = paragraph.find(f"{W}pPr/{W}pStyle")
        if style is not None and style.get(f"{W}val") == "Heading1":
            headings.append("".join(t.text or "" for t in paragraph.iter(f"{W}t")))
    return headings


def markdown_references(markdown: str) -> list[int]:
    """The note number of each reference in the page's text, in order (one per `[^n]`)."""
    body, _, _ = markdown.partition("\n[^")
    return [int(n) for n in re.findall(r"\[\^(\d+)\]", body)]


def docx_note_sequence(data: bytes, brief: AssembledBrief) -> list[int]:
    """The note each Word footnote gives, in Word's order: known by its text, the note's full
    reference (its citation first) or its short form."""
    short = dict(zip((n.number for n in brief.notes), short_citations([n.source for n in brief.notes]), strict=True))
    sequence = []
    for word_id, note_text in footnotes(data).items():
        assert word_id == len(sequence) + 1
        matches = [
            n.number
            for n in brief.notes
            if note_text.startswith(citation_text(n.source)) or note_text == short[n.number]
        ]
        assert len(matches) == 1, note_text
        sequence += matches
    return sequence


def shown_brief(config: Path, brief_id: str) -> AssembledBrief:
    """The brief as its Markdown page numbers its notes (Page.brief)."""
    valid = validate(load_project(config), search_path(config.parent))
    (brief,) = assemble_all(valid, [brief_id])
    shown = render_page(brief, search_path(valid.root)).brief
    assert shown is not None
    return shown


def test_a_talking_points_variant_renders_as_docx_with_the_blocks_its_template_shows(shipped_project: Path) -> None:
    with_briefs(shipped_project, POINTS)
    code, _, err = render(shipped_project, "korea-poland-points", "-f", "md", "-f", "docx")
    assert code == 0, err
    out = shipped_project.parent / "out"
    data = (out / "korea-poland-points.docx").read_bytes()
    markdown = (out / "korea-poland-points.md").read_text(encoding="utf-8")
    # The blocks the template shows, in its order; Timeline, Key figures, Key actors, Sources left out.
    assert docx_headings(data) == ["Bottom line", "Talking points", "Assessment"]
    document = docx.Document(io.BytesIO(data))
    words = "\n".join(p.text for p in document.paragraphs) + "\n".join(
        cell.text for table in document.tables for row in table.rows for cell in row.cells
    )
    assert "Talking points: South Korea–Poland defence cooperation" in words  # the masthead
    assert "Cho Tae-yul" in words  # a talking point
    assert "Kang Hoon-sik" in words  # the variant's own bottom line
    for left_out in ("Timeline", "Key figures", "Key actors", "Sources"):
        assert left_out not in words, left_out
    assert len(document.tables) == 1  # the bottom line's box only: no timeline, figures or actors
    # The notes: Word's footnotes 1..N, one per reference the Markdown makes, giving the same notes.
    brief = shown_brief(shipped_project, "korea-poland-points")
    references = markdown_references(markdown)
    _, defined = footnote_numbers(markdown)
    assert len(brief.notes) == len(defined) >= 2
    assert reference_ids(data) == list(range(1, len(references) + 1))
    assert docx_note_sequence(data, brief) == references
    short = set(short_citations([n.source for n in brief.notes]))
    assert sum(t not in short for t in footnotes(data).values()) == len(defined)  # each full reference once


def test_a_template_that_reorders_blocks_gives_a_docx_in_that_order(shipped_project: Path) -> None:
    write_template(shipped_project, "assessment-first.md.j2", ASSESSMENT_FIRST)
    with_briefs(shipped_project, "  first:\n    extends: korea-poland\n    template: assessment-first.md.j2\n")
    code, _, err = render(shipped_project, "first", "-f", "md", "-f", "docx")
    assert code == 0, err
    out = shipped_project.parent / "out"
    data = (out / "first.docx").read_bytes()
    markdown = (out / "first.md").read_text(encoding="utf-8")
    assert markdown.index("## Assessment") < markdown.index("## Bottom line")
    assert docx_headings(data) == ["Assessment", "Bottom line"]
    paragraphs = [p.text for p in docx.Document(io.BytesIO(data)).paragraphs]
    assert "Read the assessment first." in markdown
    assert "Read the assessment first." not in paragraphs  # a template's own block: not in the Word file
    brief = shown_brief(shipped_project, "first")
    assert docx_note_sequence(data, brief) == markdown_references(markdown)
    assert markdown_references(markdown)[0] == 1  # numbered in reading order: the assessment's first


def test_page_shown_blocks_are_the_blocks_with_text_in_order(shipped_project: Path) -> None:
    with_briefs(shipped_project, POINTS)
    full, points = (shown_brief(shipped_project, b) for b in ("korea-poland", "korea-poland-points"))
    dirs = search_path(shipped_project.parent)
    assert render_page(points, dirs).shown_blocks() == ("header", "bottom_line", "sections", "assessment", "footnotes")
    shown = render_page(full, dirs).shown_blocks()
    expected = ["header", "summary", "bottom_line", "sections", "timeline", "key_figures", "key_actors"]
    expected += ["assessment", "sources", "footnotes"]
    assert shown == tuple(b for b in expected if b != "summary" or full.summary is not None)
    assert set(shown) <= set(BLOCKS)


@pytest.mark.slow
def test_the_talking_points_docx_lays_out_in_libreoffice_on_one_or_two_pages(
    shipped_project: Path, tmp_path: Path
) -> None:
    with_briefs(shipped_project, POINTS)
    code, _, err = render(shipped_project, "korea-poland-points", "-f", "docx")
    assert code == 0, err
    data = (shipped_project.parent / "out" / "korea-poland-points.docx").read_bytes()
    work = tmp_path / "libreoffice"
    work.mkdir()
    libreoffice_to_pdf({"points": data}, work)
    pdf = work / "points.pdf"
    info = subprocess.run([require_tool("pdfinfo"), str(pdf)], capture_output=True, check=True, text=True).stdout
    pages = int(re.search(r"^Pages:\s+(\d+)$", info, re.M).group(1))  # type: ignore[union-attr]
    assert 1 <= pages <= 2, info
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, check=True, text=True).stdout
    flat = re.sub(r"\s+", "", text)
    assert "TALKINGPOINTS" in flat.upper() and "KEYACTORS" not in flat.upper()
    for note_text in footnotes(data).values():
        assert re.sub(r"\s+", "", note_text)[:40] in flat, note_text


def test_the_word_file_never_shows_a_lead_without_the_notes_it_rests_on(shipped_project: Path) -> None:
    # A template may show sections without their leads. Word writes a section's lead, unless the page
    # does not cite all the notes it rests on: one resting on an article the page never cites is left out.
    templates = shipped_project.parent / "templates"
    templates.mkdir(exist_ok=True)
    (templates / "no-leads.md.j2").write_text(
        '{% extends "talking-points.md.j2" %}{% block sections %}{% for section in brief.sections %}\n'
        "## {{ section.title }}\n\n{% for s in section.statements %}\n"
        "- {{ s.fact.claim }}{{ s.notes | notes }}\n{% endfor %}\n{% endfor %}{% endblock %}\n",
        encoding="utf-8",
    )
    leads = POINTS.replace("talking-points.md.j2", "no-leads.md.j2").replace(
        "      - title: Talking points\n",
        "      - title: Talking points\n"
        "        lead:\n          text: Unsourced on this page.\n"
        "          based_on: [sekerinska-meets-korean-ministers]\n",
    ) + (
        "      - title: Partnership\n"
        "        lead:\n          text: Sourced on this page.\n          based_on: [korea-poland-action-plan-signed]\n"
        "        facts: [korea-poland-concern-ukraine-war]\n"
    )
    with_briefs(shipped_project, leads)
    code, _, err = render(shipped_project, "korea-poland-points", "-f", "md", "-f", "docx")
    assert code == 0, err
    out = shipped_project.parent / "out"
    markdown = (out / "korea-poland-points.md").read_text(encoding="utf-8")
    assert "Unsourced on this page" not in markdown and "KO YONG-CHUL" not in markdown
    data = (out / "korea-poland-points.docx").read_bytes()
    paragraphs = [p.text for p in docx.Document(io.BytesIO(data)).paragraphs]
    assert not any("Unsourced on this page" in p for p in paragraphs)
    assert "Analyst's judgement: Sourced on this page." in paragraphs
    assert not any("KO YONG-CHUL" in t for t in footnotes(data).values())
