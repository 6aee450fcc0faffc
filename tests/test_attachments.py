"""The evidence attached to each PDF can be found by name in strict readers (qpdf, pikepdf)."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pikepdf
import pytest

import briefgen
from briefgen.formats import Format, PdfVariant, RenderOptions
from tests.conftest import SHIPPED_CONFIG, require_tool

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
