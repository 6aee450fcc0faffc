"""Property-based tests: mutated projects never crash briefgen, hostile text never becomes markup.

`BRIEFGEN_FUZZ_SCALE=20 make test` runs twenty times as many examples (and kills, in
test_nothing_lost.py), drawn at random; the default draws a fixed set, so CI stays fast and reproducible.
"""

from __future__ import annotations

import dataclasses
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from briefgen.assemble import assemble_all
from briefgen.build.api import render_outputs
from briefgen.cli import app
from briefgen.formats import Format, RenderOptions
from briefgen.project.load import load_project
from briefgen.project.model import Project
from briefgen.project.validate import ValidProject, validate
from briefgen.renderers.html import render_screen_html
from briefgen.renderers.markdown import render_markdown
from briefgen.renderers.templates import search_path
from tests.conftest import ARTICLE, FUZZ_SCALE, MINIMAL_YAML, REPO, SHIPPED_CONFIG, require_tool
from tests.inertness import BODY_TAGS, SHELL_TAGS, Page, assert_inert, pdf_security_report

SCALE = FUZZ_SCALE
FUZZ = settings(deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
runner = CliRunner()

# -- mutated briefs.yaml -------------------------------------------------------------------------------

SHIPPED_LINES = SHIPPED_CONFIG.read_text(encoding="utf-8").splitlines(keepends=True)
YAML_SPECIALS = [*":-?[]{},#&*!|>'\"%@`\t\n\r\\ ", "\ufeff", "\u2028", "\x00", "\x85", "é", "한"]
REPLACEMENT_VALUES = ["[]", "{}", "42", "true", "null", "~", '""', "[a, b]", "{a: 1}", "2025-13-45", "-1.5"]
REPLACEMENT_VALUES += ["*nope", "&a x", "!!binary eA==", "|", ">", "9" * 5000, "'unclosed", "[[[[[[", "<<: *x"]


@st.composite
def mutated_yaml(draw: st.DrawFn) -> str:
    """The shipped briefs.yaml after one to three edits a hurried (or hostile) editor might make."""
    lines = list(SHIPPED_LINES)
    for _ in range(draw(st.integers(1, 3))):
        if not lines:  # an earlier truncate + delete emptied the file; an empty file is its own catalogue row
            break
        i = draw(st.integers(0, len(lines) - 1))
        line = lines[i]
        edit = draw(st.sampled_from(["delete", "duplicate", "retype", "insert", "truncate", "indent"]))
        if edit == "delete":
            del lines[i]
        elif edit == "duplicate":
            lines.insert(i, line)
        elif edit == "retype" and ":" in line:
            key = line.partition(":")[0]
            lines[i] = f"{key}: {draw(st.sampled_from(REPLACEMENT_VALUES))}\n"
        elif edit == "insert":
            at = draw(st.integers(0, len(line)))
            noise = draw(st.text(st.sampled_from(YAML_SPECIALS) | st.characters(codec="utf-8"), min_size=1, max_size=6))
            lines[i] = line[:at] + noise + line[at:]
        elif edit == "truncate":
            lines = [*lines[:i], line[: draw(st.integers(0, len(line)))]]
        elif edit == "indent":
            lines[i] = " " * draw(st.integers(0, 5)) + line.lstrip(" ")
    return "".join(lines)


DIAGNOSTIC_LINE = re.compile(r"^.+:\d+:\d+: (error|warning): .+$|^    hint: .*$|^\d+ errors? found$")


@pytest.fixture(scope="module")
def scratch_project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("mutated")
    shutil.copytree(REPO / "seeds", root / "seeds")
    return root / "briefs.yaml"


@pytest.mark.slow
@settings(FUZZ, max_examples=20 * SCALE)
@given(text=mutated_yaml())
@example(text="")  # truncate then delete can empty the file; this case once crashed the generator itself
def test_a_mutated_project_gets_located_errors_never_a_traceback(scratch_project: Path, text: str) -> None:
    scratch_project.write_text(text, encoding="utf-8")
    result = runner.invoke(app, ["check", "--config", str(scratch_project)])
    assert result.exit_code in (0, 1), result.output
    assert "Traceback" not in result.output and "internal error" not in result.output
    if result.exit_code == 0:
        assert ": ok — " in result.stdout
    for line in result.stderr.splitlines():  # every line a located diagnostic, its hint, or the count
        assert DIAGNOSTIC_LINE.match(line), line


def test_the_mutation_fuzzer_would_notice_an_unlocated_error() -> None:
    assert not DIAGNOSTIC_LINE.match("error: something went wrong")
    assert not DIAGNOSTIC_LINE.match("briefs.yaml: error: no line")
    assert DIAGNOSTIC_LINE.match("briefs.yaml:3:4: error: unknown key 'x'")


# -- hostile text in the rendered fields --------------------------------------------------------------

TOKENS = ["<script>", "</style>", "javascript:", "](", "![", "{{", "}}", "{%", "<!--", "&#60;", "&amp;", "www."]
TOKENS += ["https://", "[^1]", "\\", "`", "*", "_", "#", "|", "~", "^", "$", "@", ":", "=", "%", "+", "-", "1.", ">"]
TOKENS += [" ", "\t", "\n", "\r", "\u2028", "\x00", "\x1b", "é", "한", "\u200b", "\ufeff"]
hostile_text = st.lists(st.sampled_from(TOKENS) | st.characters(codec="utf-8"), min_size=1, max_size=40).map("".join)


@pytest.fixture(scope="module")
def base_project(tmp_path_factory: pytest.TempPathFactory) -> ValidProject:
    root = tmp_path_factory.mktemp("base")
    (root / "seeds").mkdir()
    (root / "seeds" / "a.txt").write_text(ARTICLE, encoding="utf-8")
    (root / "briefs.yaml").write_text(MINIMAL_YAML, encoding="utf-8")
    return validate(load_project(root / "briefs.yaml"))


def with_text(valid: ValidProject, claim: str, title: str, section: str, source_title: str) -> ValidProject:
    """The project with hostile text in a claim, the brief and section titles and a source title."""
    project = valid.project
    facts = (project.facts[0].model_copy(update={"claim": claim}), *project.facts[1:])
    brief = project.briefs["demo"]
    sections = (brief.sections[0].model_copy(update={"title": section}),)
    source = project.sources["art"]
    source = source.model_copy(update={"title": source.title.model_copy(update={"value": source_title})})  # type: ignore[union-attr]
    changed = project.model_copy(
        update={
            "facts": facts,
            "briefs": {"demo": brief.model_copy(update={"title": title, "sections": sections})},
            "sources": {"art": source},
        }
    )
    return dataclasses.replace(valid, project=Project.model_validate(changed.model_dump()))


def shown(text: str) -> str:
    """What a reader must see: runs of whitespace (as Python counts it: U+001C-U+001F too) as one
    space, then any other control character as U+FFFD."""
    return " ".join(re.sub(r"[\x00-\x1f\x7f-\x9f]", "\ufffd", " ".join(text.split())).split())


@pytest.mark.slow
@settings(FUZZ, max_examples=60 * SCALE)
@given(claim=hostile_text, title=hostile_text, section=hostile_text, source_title=hostile_text)
@example(claim="ends with a hash #", title="Korea ##", section="Poland #", source_title="x")  # was a closing sequence
def test_hostile_text_stays_text_in_markdown_and_html(
    base_project: ValidProject, claim: str, title: str, section: str, source_title: str
) -> None:
    valid = with_text(base_project, claim, title, section, source_title)
    (brief,) = assemble_all(valid)
    dirs = search_path(valid.root)
    markdown = render_markdown(brief, dirs)
    pages = {
        "markdown": Page(STRICT_MD.render(markdown)),
        "html": Page(render_screen_html(brief, markdown, dirs)),
    }
    for name, page in pages.items():
        assert_inert(page, BODY_TAGS | (SHELL_TAGS if name == "html" else set()))
        for text in (claim, title, section, source_title):
            assert shown(text) in page.text, (name, text)


def markdown_it_with_raw_html() -> object:
    from markdown_it import MarkdownIt  # noqa: PLC0415
    from mdit_py_plugins.footnote import footnote_plugin  # noqa: PLC0415

    return MarkdownIt("commonmark", {"html": True}).enable(["table", "strikethrough"]).use(footnote_plugin)


STRICT_MD = markdown_it_with_raw_html()

# Printable ASCII only, so that every character has a glyph and pdftotext gives it back.
printable = st.lists(st.sampled_from(TOKENS[:30]) | st.characters(min_codepoint=0x21, max_codepoint=0x7E), max_size=20)


@pytest.mark.slow
@settings(FUZZ, max_examples=5 * SCALE)
@given(claim=printable.map(lambda parts: "x" + "".join(parts)))
def test_hostile_text_stays_text_in_the_pdf(base_project: ValidProject, claim: str, tmp_path: Path) -> None:
    valid = with_text(base_project, claim, "Title", "Section", "Source")
    out = tmp_path / "pdf"
    pdf = render_outputs(valid, assemble_all(valid), RenderOptions((Format.PDF,)), out)[out / "demo.pdf"]
    report = pdf_security_report(pdf)
    assert not report["javascript"] and not report["launch"] and report["images"] == 0
    assert all(uri.startswith(("http://", "https://")) for uri in report["uris"])
    assert report["attachments"] == {"facts.json", "a.txt"}
    out.mkdir(exist_ok=True)
    (out / "demo.pdf").write_bytes(pdf)
    text = subprocess.run(
        [require_tool("pdftotext"), "-enc", "UTF-8", str(out / "demo.pdf"), "-"], capture_output=True, check=True
    ).stdout.decode("utf-8")
    assert re.sub(r"[\s-]+", "", claim) in re.sub(r"[\s-]+", "", text)
