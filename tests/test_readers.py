"""The PDF handouts in the readers people use besides poppler: MuPDF and Ghostscript (Linux printing).

poppler (tests/test_pdf.py) is lenient: it drew the Korean text of a CID-keyed CFF font whose glyph ids
WeasyPrint wrote where the CIDs belong, while MuPDF left it blank and Ghostscript printed empty boxes.
So every page of every PDF goes through both, must draw without a word on stderr, and where Hangul
stands the pixels must be the bundled font's glyphs — not blank, and not .notdef boxes.
"""

from __future__ import annotations

import subprocess
import xml.etree.ElementTree as ET
from dataclasses import dataclass, replace
from pathlib import Path

import pypdf
import pytest
from fontTools.ttLib import TTFont
from PIL import Image, ImageChops, ImageDraw, ImageFilter, ImageFont, ImageStat

import briefgen
from briefgen.formats import Format, PdfVariant, RenderOptions
from briefgen.renderers.templates import builtin_dir
from tests.conftest import SHIPPED_CONFIG, require_tool

pytestmark = pytest.mark.slow  # lays out six PDFs and rasterises every page twice

BRIEFS = ("korea-poland", "korea-nato", "korea-eu")
FONTS = builtin_dir() / "fonts"
DPI = 150  # the pixel check: a 8.5 pt Hangul syllable is ~18 px high, enough to tell a glyph from a box
# Of the reference glyph's ink, at least RECALL must be drawn by the reader (within 1 px), and of the
# reader's ink around the glyph at least PRECISION must be the glyph's. Measured on the shipped briefs:
# the right glyphs 0.98-1.00 / 0.98-1.00 in both readers; with the old CFF face, Ghostscript's .notdef
# boxes 0.69-0.78 / 0.34-0.44 and MuPDF's blanks 0 / 0.
RECALL, PRECISION = 0.9, 0.9


@pytest.fixture(scope="module")
def pdfs(tmp_path_factory: pytest.TempPathFactory) -> dict[tuple[str, PdfVariant], Path]:
    made: dict[tuple[str, PdfVariant], Path] = {}
    for variant in PdfVariant:
        out = tmp_path_factory.mktemp(variant.value.replace("/", "-"))
        briefgen.render(SHIPPED_CONFIG, BRIEFS, RenderOptions((Format.PDF,), pdf_variant=variant, force=True), out)
        made |= {(brief, variant): out / f"{brief}.pdf" for brief in BRIEFS}
    return made


EVERY_PDF = [pytest.param(b, v, id=f"{b}-{v.value}") for b in BRIEFS for v in PdfVariant]


def page_count(pdf: Path) -> int:
    return len(pypdf.PdfReader(pdf).pages)


def mutool_draw(pdf: Path, out: Path, dpi: int, *pages: str) -> subprocess.CompletedProcess[str]:
    # -q: no progress lines. -N: no colour management — Debian's mutool is built without it and warns
    # "ICC support is not available" for any PDF with an ICC profile (ours carry sRGB), which says
    # nothing about the PDF.
    command = [require_tool("mutool"), "draw", "-q", "-N", "-r", str(dpi), "-o", str(out), str(pdf), *pages]
    return subprocess.run(command, check=False, capture_output=True, text=True, timeout=120)


def ghostscript(pdf: Path, out: Path, dpi: int, *options: str) -> subprocess.CompletedProcess[str]:
    command = [require_tool("gs"), "-q", "-dNOPAUSE", "-dBATCH", "-dSAFER", "-sDEVICE=png16m", f"-r{dpi}"]
    return subprocess.run(
        [*command, *options, f"-sOutputFile={out}", str(pdf)], check=False, capture_output=True, text=True, timeout=120
    )


@pytest.mark.parametrize(("brief_id", "variant"), EVERY_PDF)
def test_mutool_draws_every_page_without_a_warning(
    pdfs: dict[tuple[str, PdfVariant], Path], brief_id: str, variant: PdfVariant, tmp_path: Path
) -> None:
    pdf = pdfs[brief_id, variant]
    result = mutool_draw(pdf, tmp_path / "page-%d.png", 60)
    assert result.returncode == 0, result.stderr
    assert result.stderr == "" and result.stdout == ""
    assert len(list(tmp_path.glob("page-*.png"))) == page_count(pdf)


@pytest.mark.parametrize(("brief_id", "variant"), EVERY_PDF)
def test_ghostscript_renders_every_page_without_a_warning(
    pdfs: dict[tuple[str, PdfVariant], Path], brief_id: str, variant: PdfVariant, tmp_path: Path
) -> None:
    pdf = pdfs[brief_id, variant]
    result = ghostscript(pdf, tmp_path / "page-%d.png", 60)
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stderr == "" and result.stdout == ""  # gs writes its warnings to stdout
    assert len(list(tmp_path.glob("page-*.png"))) == page_count(pdf)


@pytest.mark.parametrize("brief_id", BRIEFS)
def test_the_hangul_face_is_embedded_as_truetype(pdfs: dict[tuple[str, PdfVariant], Path], brief_id: str) -> None:
    """A CFF face would be embedded as CIDFontType0, whose codes readers take as CIDs (see module doc)."""
    result = subprocess.run(
        [require_tool("pdffonts"), str(pdfs[brief_id, PdfVariant.UA1])], capture_output=True, text=True, check=True
    )
    hangul = [line for line in result.stdout.splitlines() if "Briefgen-Hangul" in line]
    assert hangul
    assert all(" CID TrueType " in line for line in hangul), hangul


def test_every_bundled_font_has_truetype_outlines() -> None:
    for path in sorted(FONTS.glob("*.*tf")):
        tables = set(TTFont(path, lazy=True).keys())
        assert "glyf" in tables and "CFF " not in tables, path.name


@dataclass(frozen=True)
class Glyph:
    """A Hangul character where the PDF places it, as MuPDF's text extraction reads the content stream
    (points, origin top left). Its box is not taken from there: MuPDF gives an empty one for a glyph it
    cannot load."""

    char: str
    page: int  # 1-based
    font: str
    size: float
    x: float  # pen position on the baseline
    baseline: float


def hangul_glyphs(pdf: Path) -> list[Glyph]:
    command = [require_tool("mutool"), "draw", "-q", "-N", "-F", "stext", "-o", "-", str(pdf)]
    root = ET.fromstring(subprocess.run(command, capture_output=True, text=True, check=True).stdout)
    found = []
    for number, page in enumerate(root.iter("page"), 1):
        for font in page.iter("font"):
            for char in font.iter("char"):
                if not "\uac00" <= char.get("c", "") <= "\ud7a3":  # Hangul syllables
                    continue
                found.append(
                    Glyph(
                        char.get("c", ""),
                        number,
                        font.get("name", ""),
                        float(font.get("size", "0")),
                        float(char.get("x", "0")),
                        float(char.get("y", "0")),
                    )
                )
    return found


def ink(image: Image.Image) -> Image.Image:
    """255 where a pixel is dark (text), 0 elsewhere."""
    return image.convert("L").point(lambda v: 255 if v < 128 else 0)


def share_near(a: Image.Image, b: Image.Image) -> float:
    """The share of a's ink that has ink of b within one pixel (0 when a has none)."""
    near = ImageChops.multiply(a, b.filter(ImageFilter.MaxFilter(3)))
    total = ImageStat.Stat(a).sum[0]
    return ImageStat.Stat(near).sum[0] / total if total else 0.0


def reference(glyph: Glyph, size: tuple[int, int]) -> Image.Image:
    """The glyph drawn by FreeType from the bundled font file, where the PDF places it."""
    file = "NotoSansCJKkr-Bold.ttf" if "Bold" in glyph.font else "NotoSansCJKkr-Regular.ttf"
    scale = DPI / 72
    font = ImageFont.truetype(str(FONTS / file), glyph.size * scale)
    image = Image.new("L", size, 255)
    ImageDraw.Draw(image).text((glyph.x * scale, glyph.baseline * scale), glyph.char, font=font, fill=0, anchor="ls")
    return image


def glyph_drawn(page: Image.Image, glyph: Glyph) -> tuple[float, float]:
    """(recall, precision) of the page's ink near the reference glyph's ink against the reference's."""
    expected_page = ink(reference(glyph, page.size))
    bbox = expected_page.getbbox()
    assert bbox, glyph  # the bundled font has the glyph
    left, top, right, bottom = bbox
    box = (left - 2, top - 2, right + 2, bottom + 2)
    drawn, expected = ink(page.crop(box)), expected_page.crop(box)
    return share_near(expected, drawn), share_near(drawn, expected)


def rasterise(reader: str, pdf: Path, page: int, out: Path) -> Image.Image:
    if reader == "mutool":
        result = mutool_draw(pdf, out, DPI, str(page))
    else:
        result = ghostscript(pdf, out, DPI, f"-dFirstPage={page}", f"-dLastPage={page}")
    assert result.returncode == 0, result.stdout + result.stderr
    return Image.open(out)


@pytest.mark.parametrize("reader", ["mutool", "gs"])
@pytest.mark.parametrize("brief_id", BRIEFS)
def test_hangul_is_drawn_with_the_bundled_glyphs(
    pdfs: dict[tuple[str, PdfVariant], Path], brief_id: str, reader: str, tmp_path: Path
) -> None:
    pdf = pdfs[brief_id, PdfVariant.UA1]
    glyphs = hangul_glyphs(pdf)
    if brief_id == "korea-poland":  # 기자 in note 1 ("Hwang Joo-young 기자"), twice
        assert "기자" in "".join(g.char for g in glyphs)
    for page in sorted({g.page for g in glyphs}):
        image = rasterise(reader, pdf, page, tmp_path / f"page-{page}.png")
        for glyph in (g for g in glyphs if g.page == page):
            recall, precision = glyph_drawn(image, glyph)
            assert recall >= RECALL and precision >= PRECISION, (glyph, recall, precision)


def test_the_pixel_check_tells_a_glyph_from_a_blank_or_a_box() -> None:
    glyph = Glyph("자", 1, "Briefgen-Hangul", 8.5, 100.0, 110.0)
    size = (400, 400)
    right = reference(glyph, size)
    blank = Image.new("L", size, 255)
    boxed = Image.new("L", size, 255)  # what Ghostscript printed: .notdef, a crossed box
    left, top, width, bottom = (v * DPI / 72 for v in (100.6, 101.5, 107.2, 111.0))
    ImageDraw.Draw(boxed).rectangle((left, top, width, bottom), outline=0, width=1)
    ImageDraw.Draw(boxed).line((left, top, width, bottom), fill=0, width=1)
    ImageDraw.Draw(boxed).line((left, bottom, width, top), fill=0, width=1)

    def passes(image: Image.Image) -> bool:
        recall, precision = glyph_drawn(image, glyph)
        return recall >= RECALL and precision >= PRECISION

    assert passes(right)
    assert not passes(blank)
    assert not passes(boxed)
    assert not passes(reference(replace(glyph, char="기"), size))  # another syllable in its place
