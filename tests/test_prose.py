"""The analyst's own words (`summary:` on a brief, `lead:` on a section) and the single-source mark.

Both kinds of prose are judgement tied to evidence: they name the facts they rest on, carry those
facts' notes in reading order, are labelled as the analyst's in every format, and are not read as
claims. A bottom-line item resting on one source (one article, or copies of one agency story) is
marked so in every format, whether or not the warning was accepted. Expected values are computed
from the project text and the assembly, never copied from an output.
"""

from __future__ import annotations

import html
import io
import json
import re
import subprocess
from pathlib import Path
from typing import Any

import docx
import jsonschema
import pikepdf
import pytest
from typer.testing import CliRunner

from briefgen.assemble import AssembledBrief, assemble_all
from briefgen.build.api import render_outputs
from briefgen.cli import app
from briefgen.errors import Diagnostic, ValidationFailed
from briefgen.formats import Flavor, Format, RenderOptions
from briefgen.project.load import load_project
from briefgen.project.model import Labels
from briefgen.project.schema import project_schema
from briefgen.project.validate import ValidProject, validate
from briefgen.text.quotes import fold
from tests.conftest import REPO, MakeProject, line_of, require_tool

runner = CliRunner()
LABEL = "Analyst's judgement:"
MARK = "(single source)"
JUDGEMENT_LABEL, SINGLE_SOURCE_MARK, SUMMARY_HEADING = (
    f"{Labels().judgement}:",
    f"({Labels().single_source})",
    "Summary",
)

ARTICLES = {
    "seeds/a.txt": "Alpha said the plant would open in 2026.\n",
    "seeds/b.txt": "Beta confirmed that the plant would open in 2026.\n",
    "seeds/c.txt": "Gamma signed the deal in Seoul on Monday. (Yonhap)\n",
    "seeds/d.txt": "SEOUL -- Gamma signed the deal in Seoul on Monday. (Yonhap)\n",
    "seeds/e.txt": "Delta said exports would double next year.\n",
    "seeds/f.txt": "Epsilon visited the plant on Tuesday.\n",
    "seeds/g.txt": "Zeta said the plant would employ 500 people.\n",
}

# Notes in reading order: the summary's (e) first, then the bottom line (a; a, b; c, d), the
# section's lead (f) before the section's facts (g), the assessment last (a again).
PROJECT = """\
sources:
  a: {file: seeds/a.txt}
  b: {file: seeds/b.txt}
  c: {file: seeds/c.txt, credit: Yonhap}
  d: {file: seeds/d.txt, credit: Yonhap}
  e: {file: seeds/e.txt}
  f: {file: seeds/f.txt}
  g: {file: seeds/g.txt}
facts:
  - id: alpha-on-plant
    claim: Alpha said the plant would open in 2026.
    cite: [{source: a, quote: Alpha said the plant would open in 2026}]
  - id: plant-opens
    claim: The plant would open in 2026.
    cite:
      - {source: a, quote: the plant would open in 2026}
      - {source: b, quote: the plant would open in 2026}
  - id: deal-signed
    claim: Gamma signed the deal in Seoul.
    cite:
      - {source: c, quote: Gamma signed the deal in Seoul}
      - {source: d, quote: Gamma signed the deal in Seoul}
  - id: exports-double
    claim: Delta said exports would double next year.
    cite: [{source: e, quote: Delta said exports would double next year}]
  - id: visit
    claim: Epsilon visited the plant.
    cite: [{source: f, quote: Epsilon visited the plant}]
  - id: jobs
    claim: Zeta said the plant would employ 500 people.
    cite: [{source: g, quote: Zeta said the plant would employ 500 people}]
briefs:
  demo:
    title: Demo brief
    as_of: 2025-10-24
    summary:
      text: Expect nine more plants within a decade, none of them certain.
      based_on: [exports-double]
    bottom_line: [alpha-on-plant, plant-opens, deal-signed]
    sections:
      - title: Outlook
        lead:
          text: Omega will never visit again, whatever the 40 reports say.
          based_on: [visit]
        facts: [jobs]
    assessment:
      - text: The opening date will hold.
        based_on: [alpha-on-plant]
"""
SUMMARY = "Expect nine more plants within a decade, none of them certain."
LEAD = "Omega will never visit again, whatever the 40 reports say."
SINGLE = ("Alpha said the plant would open in 2026.", "Gamma signed the deal in Seoul.")
SOURCED = "The plant would open in 2026."


def failures(config: Path) -> tuple[Diagnostic, ...]:
    with pytest.raises(ValidationFailed) as caught:
        validate(load_project(config))
    return caught.value.diagnostics


def only(diagnostics: tuple[Diagnostic, ...]) -> Diagnostic:
    assert len(diagnostics) == 1, [d.format() for d in diagnostics]
    return diagnostics[0]


@pytest.fixture
def valid(make_project: MakeProject) -> ValidProject:
    return validate(load_project(make_project(PROJECT, ARTICLES)))


@pytest.fixture
def brief(valid: ValidProject) -> AssembledBrief:
    (assembled,) = assemble_all(valid)
    return assembled


# -- model and schema ----------------------------------------------------------------------------------


def test_the_json_schema_documents_summary_and_lead_with_at_least_one_fact() -> None:
    definitions = project_schema()["definitions"]
    assert "summary" in definitions["Brief"]["properties"] and "lead" not in definitions["Brief"]["properties"]
    assert "lead" in definitions["Section"]["properties"] and "summary" not in definitions["Section"]["properties"]
    for name in ("Summary", "Lead"):
        words = definitions[name]
        assert set(words["required"]) == {"text", "based_on"}
        assert words["properties"]["based_on"]["minItems"] == 1
        assert words["additionalProperties"] is False
    shipped = json.loads((REPO / "briefs.schema.json").read_text(encoding="utf-8"))
    assert shipped == project_schema()  # the copy editors read is the current one


def test_summary_and_lead_have_the_shape_of_an_assessment_entry(valid: ValidProject) -> None:
    demo = valid.project.briefs["demo"]
    assert demo.summary is not None and demo.sections[0].lead is not None
    keys = tuple(type(demo.assessment[0]).model_fields)
    assert tuple(type(demo.summary).model_fields) == tuple(type(demo.sections[0].lead).model_fields) == keys


# -- errors, located ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("old", "new", "needle", "message"),
    [
        ("      based_on: [exports-double]", "      based_on: [export-double]", "export-double", "unknown fact"),
        ("          based_on: [visit]", "          based_on: [visits]", "visits", "unknown fact"),
    ],
)
def test_an_unknown_fact_is_an_error_at_its_place_with_the_nearest_id(
    make_project: MakeProject, old: str, new: str, needle: str, message: str
) -> None:
    text = PROJECT.replace(old, new)
    error = only(failures(make_project(text, ARTICLES)))
    assert message in error.message and needle in error.message
    line = line_of(text, new)
    assert (error.location.line, error.location.column) == (line, text.splitlines()[line - 1].index(needle) + 1)
    assert error.hint is not None and repr(old.split("[")[1].rstrip("]")) in error.hint


@pytest.mark.parametrize(
    ("old", "new", "needle", "message", "hint"),
    [
        # `lead` belongs to a section, `summary` to a brief: each is refused in the other's place.
        (
            "    bottom_line:",
            "    lead: {text: x, based_on: [visit]}\n    bottom_line:",
            "lead: {",
            "unknown key 'lead'",
            None,
        ),
        ("        facts: [jobs]", "        intro: Text.\n        facts: [jobs]", "intro:", "unknown key 'intro'", ""),
        ("          based_on: [visit]", "          based_on: []", "[]", "must not be empty", ""),
        (
            "    summary:\n      text: " + SUMMARY + "\n      based_on: [exports-double]",
            "    summary: " + SUMMARY,
            SUMMARY,
            "summary: expected a mapping, got text",
            "text, based_on",
        ),
        # Located at the mapping that lacks it (its first key).
        ("          text: " + LEAD + "\n", "", "based_on: [visit]", "missing required key 'text'", ""),
    ],
)
def test_a_misshapen_summary_or_lead_is_a_located_error(  # noqa: PLR0917 - one parameter per column
    make_project: MakeProject, old: str, new: str, needle: str, message: str, hint: str
) -> None:
    assert old in PROJECT
    text = PROJECT.replace(old, new)
    error = only(failures(make_project(text, ARTICLES)))
    assert message in error.message, error.message
    line = line_of(text, needle)
    assert error.location.line == line
    assert error.location.column == text.splitlines()[line - 1].index(needle.strip()) + 1
    if hint:
        assert error.hint is not None and hint in error.hint


def test_cli_reports_file_line_col_and_exits_1(make_project: MakeProject) -> None:
    text = PROJECT.replace("based_on: [visit]", "based_on: [vist]")
    result = runner.invoke(app, ["check", "--config", str(make_project(text, ARTICLES))])
    assert result.exit_code == 1
    line = line_of(text, "[vist]")
    column = text.splitlines()[line - 1].index("vist") + 1
    assert f"briefs.yaml:{line}:{column}: error: unknown fact 'vist'" in result.output
    assert "did you mean 'visit'?" in result.output
    assert "Traceback" not in result.output


# -- not claims: no claim-support rule reads them ---------------------------------------------------


def test_claim_rules_do_not_read_the_analysts_words(make_project: MakeProject) -> None:
    """The summary gives a number ('nine') and the lead a figure (40), a name and a negation no
    quote has; as claims they would be warned about. The only warnings are the two single-source
    bottom lines, and that plant-opens says what alpha-on-plant says (as the fixture means it to)."""
    valid = validate(load_project(make_project(PROJECT, ARTICLES)))
    assert sorted(w.kind or "" for w in valid.warnings) == ["near-duplicate", "single-source", "single-source"]
    as_claim = PROJECT.replace("    claim: Epsilon visited the plant.", f"    claim: {LEAD}")
    claimed = validate(load_project(make_project(as_claim, ARTICLES)))
    kinds = {w.kind for w in claimed.warnings}
    assert kinds & {"number", "negation", "entity"}, kinds  # the same words as a claim are warned about


# -- assembly: notes in reading order ---------------------------------------------------------------------


def test_notes_are_numbered_in_reading_order(brief: AssembledBrief) -> None:
    assert brief.summary is not None and brief.sections[0].lead is not None
    numbers = {note.source_id: note.number for note in brief.notes}
    assert brief.summary.notes == (numbers["e"],) == (1,)
    assert [s.notes for s in brief.bottom_line] == [(2,), (2, 3), (4, 5)]
    assert brief.sections[0].lead.notes == (numbers["f"],) == (6,)
    assert brief.sections[0].statements[0].notes == (numbers["g"],) == (7,)
    assert brief.assessment[0].notes == (2,)


def test_single_source_is_one_article_or_one_agency_story(brief: AssembledBrief) -> None:
    assert [s.single_source for s in brief.bottom_line] == [True, False, True]


def test_a_fact_only_the_prose_rests_on_is_in_the_evidence(valid: ValidProject, brief: AssembledBrief) -> None:
    from briefgen.renderers.pdf.evidence import evidence_files  # noqa: PLC0415 - PDF side only here

    facts = json.loads(next(f.data for f in evidence_files(valid, brief) if f.name == "facts.json"))
    assert "visit" in {fact["id"] for fact in facts["facts"]}  # only the lead rests on it


# -- every format ----------------------------------------------------------------------------------------


@pytest.fixture
def outputs(valid: ValidProject, brief: AssembledBrief, tmp_path: Path) -> dict[str, bytes]:
    """Every text format of the brief (each Markdown flavor, wikitext, screen HTML, JSON, docx)."""
    made: dict[str, bytes] = {}
    for flavor in Flavor:
        out = tmp_path / flavor.value
        formats = (Format.MD,) if flavor is not Flavor.GFM else (Format.MD, Format.HTML, Format.MEDIAWIKI)
        formats += (Format.JSON, Format.DOCX) if flavor is Flavor.GFM else ()
        files = render_outputs(valid, [brief], RenderOptions(formats, flavor=flavor), out)
        for path, data in files.items():
            if path.suffix != ".svg":
                made[flavor.value + path.suffix if path.suffix == ".md" else path.suffix.lstrip(".")] = data
    return made


def readable(text: str) -> str:
    """Text as a reader sees it: note references (and wikitext's inline notes), tags, emphasis,
    escapes, soft hyphens and typographic quotes taken out, whitespace single."""
    text = re.sub(r"<ref[^>]*/>|<ref[^>]*>.*?</ref>", "", text, flags=re.S)  # wikitext notes
    text = re.sub(r'<sup class="note-(ref|sep)">.*?</sup>', "", text)  # the screen page's
    text = re.sub(r"\[\^[\w-]+\]|\[\d+\]\(#note-\d+\)", "", text)  # Markdown's
    text = html.unescape(re.sub(r"<[^>]+>", "", text)).replace("\u00ad", "")
    text = re.sub(r"\\(.)", r"\1", text)
    text = re.sub(r"'{2,3}|\*{1,2}", "", text)
    return " ".join(fold(text).split())


def docx_text(data: bytes) -> str:
    return "\n".join(p.text for p in _docx_paragraphs(data))


def _docx_paragraphs(data: bytes) -> list[Any]:
    document = docx.Document(io.BytesIO(data))
    cell_paragraphs = [p for t in document.tables for row in t.rows for c in row.cells for p in c.paragraphs]
    return cell_paragraphs + list(document.paragraphs)


TEXT_OUTPUTS = ["gfm.md", "github-wiki.md", "mkdocs.md", "pandoc.md", "wiki", "html"]


@pytest.mark.parametrize("name", TEXT_OUTPUTS)
def test_every_text_format_labels_the_summary_first_and_the_lead_before_its_facts(
    outputs: dict[str, bytes], name: str
) -> None:
    text = readable(outputs[name].decode("utf-8"))
    summary_at, lead_at = text.index(f"{LABEL} {SUMMARY}"), text.index(f"{LABEL} {LEAD}")
    assert summary_at < text.index("Bottom line") < text.index("Outlook") < lead_at
    assert lead_at < text.index("Zeta said the plant would employ 500 people.")
    assert text.index("Summary") < summary_at


@pytest.mark.parametrize("name", TEXT_OUTPUTS)
def test_every_text_format_marks_the_single_source_bottom_line_items(outputs: dict[str, bytes], name: str) -> None:
    text = readable(outputs[name].decode("utf-8"))
    bottom_line = text[text.index("Bottom line") : text.index("Outlook")]
    for claim in SINGLE:
        after = bottom_line[bottom_line.index(claim) + len(claim) :]
        assert re.match(r"^[,\s]*\(single source\)", after), (claim, after[:80])
    assert bottom_line.count(MARK) == len(SINGLE)
    sourced = bottom_line[bottom_line.index(SOURCED) + len(SOURCED) :]
    assert MARK not in sourced.split(SINGLE[1])[0]  # the item with two sources carries no mark


def test_html_sets_the_prose_apart_by_block(outputs: dict[str, bytes]) -> None:
    html = outputs["html"].decode("utf-8")
    summary = re.search(r'<section class="block block-summary"[^>]*>(.*?)</section>', html, re.S)
    assert summary is not None and "<strong>Analyst" in summary.group(1) and "note-1" in summary.group(1)
    sections = re.search(r'<section class="block block-sections"[^>]*>(.*?)</section>', html, re.S)
    assert sections is not None
    assert re.search(r"<h2>Outlook</h2>\s*<p><strong>Analyst", sections.group(1))  # the lead, a paragraph
    assert ".block-summary p" in html and ".block-bottom-line li > em:last-child" in html  # styled


def test_json_carries_summary_lead_and_single_source(outputs: dict[str, bytes], brief: AssembledBrief) -> None:
    data = json.loads(outputs["json"])
    schema = json.loads((REPO / "schemas" / "brief.schema.json").read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator(schema).validate(data)
    assert data["summary"] == {"text": SUMMARY, "based_on": ["exports-double"], "notes": [1]}
    assert data["sections"][0]["lead"] == {"text": LEAD, "based_on": ["visit"], "notes": [6]}
    single = {fact["id"]: fact["single_source"] for fact in data["facts"]}
    assert [single[fid] for fid in data["bottom_line"]] == [s.single_source for s in brief.bottom_line]
    assert "visit" in single  # the fact only the lead rests on is listed with the others


def test_docx_labels_the_prose_and_marks_single_sources(outputs: dict[str, bytes]) -> None:
    paragraphs = _docx_paragraphs(outputs["docx"])
    texts = [p.text for p in paragraphs]
    assert f"{JUDGEMENT_LABEL} {SUMMARY}" in texts and f"{JUDGEMENT_LABEL} {LEAD}" in texts
    body = [p.text for p in docx.Document(io.BytesIO(outputs["docx"])).paragraphs]
    assert body.index(SUMMARY_HEADING) < body.index(f"{JUDGEMENT_LABEL} {SUMMARY}") < body.index("Outlook")
    assert body.index("Outlook") < body.index(f"{JUDGEMENT_LABEL} {LEAD}")
    summary = next(p for p in paragraphs if p.text.endswith(SUMMARY))
    assert [run.italic for run in summary.runs if run.text == SUMMARY] == [True]  # judgement, set apart
    marked = sorted(t.replace(".,", ".") for t in texts if t.endswith(SINGLE_SOURCE_MARK))  # `,` between notes
    assert marked == sorted(f"{c} {MARK}" for c in SINGLE)
    # The docx's footnotes follow the same reading order: the summary's note is Word's first.
    assert "footnoteReference" in summary._p.xml


def test_the_mark_shows_whether_or_not_the_warning_is_accepted(make_project: MakeProject, tmp_path: Path) -> None:
    accepted = PROJECT.replace(
        "    cite: [{source: a, quote: Alpha said the plant would open in 2026}]",
        "    cite: [{source: a, quote: Alpha said the plant would open in 2026}]\n"
        '    accept: {single-source: "only Alpha has said so"}',
    )
    valid = validate(load_project(make_project(accepted, ARTICLES)))
    assert not [w for w in valid.warnings if w.kind == "single-source" and "alpha-on-plant" in w.message]
    (brief,) = assemble_all(valid)
    page = render_outputs(valid, [brief], RenderOptions((Format.MD,)), tmp_path / "out")[tmp_path / "out" / "demo.md"]
    assert readable(page.decode("utf-8")).count(MARK) == len(SINGLE)


# -- the PDF ---------------------------------------------------------------------------------------------------


@pytest.mark.slow
def test_pdf_shows_the_summary_first_tagged_and_the_marks(
    valid: ValidProject, brief: AssembledBrief, tmp_path: Path
) -> None:
    pdf = render_outputs(valid, [brief], RenderOptions((Format.PDF,)), tmp_path)[tmp_path / "demo.pdf"]
    (tmp_path / "demo.pdf").write_bytes(pdf)
    text = subprocess.run(
        [require_tool("pdftotext"), "-enc", "UTF-8", str(tmp_path / "demo.pdf"), "-"], capture_output=True, check=True
    ).stdout.decode("utf-8")
    flat = " ".join(fold(text).split())
    assert flat.index("Demo brief") < flat.index(f"{LABEL} {SUMMARY}") < flat.upper().index("BOTTOM LINE")
    assert flat.index(f"{LABEL} {LEAD}") < flat.index("Zeta said the plant would employ 500 people.")
    assert flat.count(MARK) == len(SINGLE)
    # PDF/UA: the summary is a tagged paragraph under its heading, in reading order.
    structure = subprocess.run(
        [require_tool("pdfinfo"), "-struct-text", str(tmp_path / "demo.pdf")], capture_output=True, check=True
    ).stdout.decode("utf-8")
    tagged = " ".join(structure.split())
    assert re.search(r"H2.*SUMMARY.*?P .*?Analyst", tagged, re.I | re.S), structure[:2000]
    with pikepdf.open(tmp_path / "demo.pdf") as document:
        assert document.Root.MarkInfo.Marked is True


# -- the shipped project ------------------------------------------------------------------------------------


def test_the_shipped_project_passes_strict_with_its_accepted_warnings_counted() -> None:
    result = runner.invoke(app, ["check", "--strict", "--config", str(REPO / "briefs.yaml")])
    assert result.exit_code == 0, result.output
    assert re.search(r"; 8 accepted \(listed by `briefgen report`\)", result.output), result.output
    assert "warning" not in result.output


def test_the_shipped_handouts_mark_every_single_source_bottom_line_item() -> None:
    valid = validate(load_project(REPO / "briefs.yaml"))
    briefs = assemble_all(valid)
    accepted = {a.warning.message for a in valid.accepted}
    for shipped in briefs:
        for statement in shipped.bottom_line:
            warned = any(f"bottom-line fact {statement.fact.id!r}" in m for m in accepted)
            assert statement.single_source == warned, statement.fact.id
    golden = (REPO / "tests" / "golden" / "korea-poland.md").read_text(encoding="utf-8")
    bottom = golden.split("## Bottom line")[1].split("\n## ")[0]
    marks = sum(s.single_source for s in briefs[[b.id for b in briefs].index("korea-poland")].bottom_line)
    assert bottom.count(MARK) == marks > 0
