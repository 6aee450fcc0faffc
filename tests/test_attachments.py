"""The evidence attached to each PDF can be found by name in strict readers (qpdf, pikepdf)."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pikepdf
import pytest

import briefgen
from briefgen.assemble import assemble_all
from briefgen.formats import Format, PdfVariant, RenderOptions
from briefgen.renderers.pdf.evidence import evidence_files
from tests.conftest import ARTICLE, SHIPPED_CONFIG, MakeProject, require_tool

pytestmark = pytest.mark.slow  # lays out six PDFs

BRIEFS = ("korea-poland", "korea-nato", "korea-eu")


@pytest.fixture(scope="module")
def pdfs(tmp_path_factory: pytest.TempPathFactory) -> dict[tuple[str, PdfVariant], Path]:
    made = {}
    for variant in PdfVariant:
        out = tmp_path_factory.mktemp(variant.value.replace("/", "-"))
        briefgen.render(SHIPPED_CONFIG, BRIEFS, RenderOptions((Format.PDF,), pdf_variant=variant, force=True), out)
        made |= {(brief, variant): out / f"{brief}.pdf" for brief in BRIEFS}
    return made


@pytest.mark.parametrize("variant", list(PdfVariant))
@pytest.mark.parametrize("brief", BRIEFS)
def test_every_attachment_is_found_by_name_with_qpdf(
    pdfs: dict[tuple[str, PdfVariant], Path], brief: str, variant: PdfVariant
) -> None:
    qpdf = require_tool("qpdf")
    pdf = pdfs[(brief, variant)]
    with pikepdf.open(pdf) as document:
        attachments = {name: spec.get_file().read_bytes() for name, spec in document.attachments.items()}
    assert "facts.json" in attachments and len(attachments) >= 3
    for name, data in attachments.items():
        shown = subprocess.run([qpdf, f"--show-attachment={name}", str(pdf)], capture_output=True, check=False)
        assert shown.returncode == 0, shown.stderr.decode()  # qpdf looks names up by binary search
        assert shown.stdout == data


@pytest.mark.parametrize("variant", list(PdfVariant))
@pytest.mark.parametrize("brief", BRIEFS)
def test_the_name_tree_is_sorted_and_pikepdf_finds_no_problem(
    pdfs: dict[tuple[str, PdfVariant], Path], brief: str, variant: PdfVariant
) -> None:
    with pikepdf.open(pdfs[(brief, variant)]) as document:
        assert document.check_pdf_syntax() == []
        names = document.Root.Names.EmbeddedFiles.Names
        keys = [bytes(names[i]) for i in range(0, len(names), 2)]
        assert keys == sorted(keys)  # ISO 32000-1 §7.9.6
        if variant is PdfVariant.A3B:
            files = [str(item.objgen) for item in document.Root.AF]
            assert len(files) == len(set(files)) == len(document.attachments)  # each attachment once in /AF


def test_attachment_names_are_unique_whatever_the_paths(make_project: MakeProject) -> None:
    """`seeds/a.txt`, `seeds/y-a.txt` and source y's `other/a.txt` (and `A.TXT`, the same name on a
    case-insensitive disk) each get their own name, and facts.json points each note at its article."""
    files = {"a": "seeds/a.txt", "x": "seeds/y-a.txt", "y": "other/a.txt", "z": "more/A.TXT", "f": "seeds/facts.json"}
    sources = "".join(f"  {sid}:\n    file: {file}\n    title: T {sid}\n" for sid, file in files.items())
    facts = "".join(
        f"  - id: f{sid}\n    claim: Claim {sid}.\n    cite: [{{source: {sid}, quote: 'agreed on Monday to deepen'}}]\n"
        for sid in files
    )
    ids = ", ".join(f"f{sid}" for sid in files)
    yaml_text = (
        f"sources:\n{sources}facts:\n{facts}briefs:\n  demo: {{title: D, as_of: 2025-10-24, bottom_line: [{ids}]}}\n"
    )
    articles = {file: ARTICLE.replace("Seoul", f"Seoul ({sid})") for sid, file in files.items()}
    valid = briefgen.check(make_project(yaml_text, articles))
    [brief] = assemble_all(valid, ["demo"])
    evidence = evidence_files(valid, brief)
    names = [file.name for file in evidence]
    assert len({name.casefold() for name in names}) == len(names) == len(files) + 1, names
    by_name = {file.name: file.data for file in evidence}
    document = json.loads(by_name["facts.json"])
    for sid in files:
        assert f"Seoul ({sid})".encode() in by_name[document["sources"][sid]["attachment"]]
