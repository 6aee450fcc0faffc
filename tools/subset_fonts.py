"""Build the bundled, subsetted font set in templates/fonts/.

briefgen renders PDFs with WeasyPrint using ONLY the fonts bundled in
templates/fonts/ (no system fonts are assumed).  This script produces those
files from unmodified upstream fonts as shipped by Debian:

* fonts-noto-core 20201225-1
    NotoSerif-{Regular,Bold,Italic,BoldItalic}.ttf, NotoSans-{Regular,Bold}.ttf
    (Noto Serif / Noto Sans, version 2.004, SIL OFL 1.1)
* fonts-noto-cjk 1:20220127+repack1-1
    NotoSansCJK-{Regular,Bold}.ttc -- the face whose name table family is
    "Noto Sans CJK KR" (Noto Sans CJK version 2.004, SIL OFL 1.1).
    NotoSerifCJK-{Regular,Bold}.ttc ("Noto Serif CJK KR") is only used with
    --with-serif-hangul, which is NOT part of the committed bundle (too big).

The source files are taken from /usr/share/fonts/{truetype,opentype}/noto/
of those packages (copied flat into one directory; default /work/fontsrc).

Re-run from the repository root with the project's virtualenv::

    .venv/bin/python tools/subset_fonts.py /path/to/sources

Options: --out DIR (default: templates/fonts/ next to this tools/ dir),
--with-serif-hangul (also build Noto Serif CJK KR subsets, to measure them).

The output is deterministic: the same sources and the same fontTools version
give byte-identical files (fontTools' subsetter has no randomness; head.created
and head.modified are kept at the source font's values instead of "now", and
the head checksum is recomputed from the content only).  The script ends by
printing one line per file with its size and SHA-256.

What is kept / dropped (see templates/fonts/README.md for the full story):

* Latin/Greek/Cyrillic faces: the Unicode blocks in LATIN_RANGES, the OpenType
  layout features fontTools keeps by default (ccmp, locl, liga, kern, mark,
  mkmk, ...) plus the numeric, case, position and small-caps features that CSS
  font-variant-* can ask for; glyphs reachable through those features are
  kept too (closure).
* Hangul face: HANGUL_RANGES (all 11,172 precomposed syllables, the Jamo
  blocks, CJK symbols/punctuation, half/fullwidth forms, plus U+0020, U+00A0
  and U+25CC, which the shaper needs inside Hangul runs) with the default
  feature set, which includes the ljmo/vjmo/tjmo jamo-composition features.
  It also carries SYMBOL_FALLBACK_RANGES (arrows, math operators incl. the
  minus sign, geometric shapes, ...), which Noto Serif/Sans 2.004 lack.
* Hangul face: its CFF (CID-keyed) outlines are converted to TrueType (glyf)
  quadratic outlines after subsetting (cff_to_truetype).  Why: a CID-keyed CFF
  subset keeps the source's CIDs in its charset (glyph 1351 is CID 48171), but
  WeasyPrint writes glyph ids as the character codes of a CIDFontType0 font,
  which readers that honour the charset -- MuPDF, Ghostscript, i.e. Linux
  printing -- take as CIDs: they drew nothing ("FT_Load_Glyph(...): invalid
  argument") or empty boxes.  A TrueType face is embedded as CIDFontType2 with
  an identity CIDToGIDMap, like the Latin faces, and reads right everywhere.
  The cost is size (no CFF subroutines): ~1.41 MB -> ~2.42 MB per face.
* All faces: TrueType instructions / CFF hints are dropped.  WeasyPrint drops
  hinting from embedded fonts anyway unless write_pdf(hinting=True) is used,
  so this changes nothing in the PDFs and saves ~30-35 %.  All name records
  (copyright, trademark, license, URLs) are kept; family names are unchanged
  (Noto fonts declare no Reserved Font Name).  .notdef keeps its outline.
"""

from __future__ import annotations

import argparse
import hashlib
import io
import os
import sys
from dataclasses import dataclass
from pathlib import Path

from fontTools import subset
from fontTools.pens.cu2quPen import Cu2QuPen
from fontTools.pens.ttGlyphPen import TTGlyphPen
from fontTools.ttLib import TTCollection, TTFont, newTable

REPO_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_SOURCE_DIR = Path("/work/fontsrc")
DEFAULT_OUT_DIR = REPO_ROOT / "templates" / "fonts"

# (first, last, description) -- inclusive code point ranges.
LATIN_RANGES = (
    (0x0000, 0x007F, "Basic Latin"),
    (0x0080, 0x00FF, "Latin-1 Supplement"),
    (0x0100, 0x017F, "Latin Extended-A"),
    (0x0180, 0x024F, "Latin Extended-B"),
    (0x0250, 0x02AF, "IPA Extensions"),
    (0x02B0, 0x02FF, "Spacing Modifier Letters"),
    (0x0300, 0x036F, "Combining Diacritical Marks"),
    (0x0370, 0x03FF, "Greek and Coptic"),
    (0x0400, 0x04FF, "Cyrillic"),
    (0x0500, 0x052F, "Cyrillic Supplement"),
    (0x1E00, 0x1EFF, "Latin Extended Additional"),
    (0x2000, 0x206F, "General Punctuation"),
    (0x20A0, 0x20CF, "Currency Symbols"),
    (0x2100, 0x214F, "Letterlike Symbols"),
    (0x2190, 0x21FF, "Arrows"),
    (0x2212, 0x2212, "Minus sign"),
    (0x25A0, 0x25FF, "Geometric Shapes (those present)"),
)

HANGUL_RANGES = (
    # Pango never switches fonts for a space: a space between two Hangul words
    # is shaped with the Hangul font, so it must have U+0020 and U+00A0 even
    # though CSS unicode-range leaves them to the Latin faces.  HarfBuzz's
    # Hangul shaper inserts U+25CC before an orphan tone mark (U+302E/302F).
    (0x0020, 0x0020, "space"),
    (0x00A0, 0x00A0, "no-break space"),
    (0x25CC, 0x25CC, "dotted circle"),
    (0x1100, 0x11FF, "Hangul Jamo"),
    (0x3000, 0x303F, "CJK Symbols and Punctuation"),
    (0x3130, 0x318F, "Hangul Compatibility Jamo"),
    (0xA960, 0xA97F, "Hangul Jamo Extended-A"),
    (0xAC00, 0xD7A3, "Hangul Syllables (all 11,172)"),
    (0xD7B0, 0xD7FF, "Hangul Jamo Extended-B"),
    (0xFF00, 0xFFEF, "Halfwidth and Fullwidth Forms"),
)

# Noto Serif / Noto Sans 2.004 have NO arrows, NO mathematical operators (not
# even U+2212 MINUS SIGN) and no geometric shapes except U+25CC.  Noto Sans CJK
# KR has the common ones, so they go into the Hangul face as well; with the
# unicode-range given in templates/fonts/README.md it then serves as the
# fallback for them instead of a system font (only what the source has is
# kept: 25 arrows, 74 operators, 160 enclosed alphanumerics, 39 shapes,
# 50 miscellaneous symbols).
SYMBOL_FALLBACK_RANGES = (
    (0x2190, 0x21FF, "Arrows (those present)"),
    (0x2200, 0x22FF, "Mathematical Operators (those present, incl. U+2212)"),
    (0x2460, 0x24FF, "Enclosed Alphanumerics (those present)"),
    (0x25A0, 0x25FF, "Geometric Shapes (those present)"),
    (0x2600, 0x26FF, "Miscellaneous Symbols (those present)"),
)

# Largest distance (font units, 1000 per em) allowed between a CFF cubic curve
# and the quadratic curves replacing it: fontTools' otf2ttf / fontmake default,
# invisible at any print size.
CU2QU_MAX_ERR = 1.0

# Features on top of fontTools' defaults (which already include ccmp, locl,
# liga, clig, calt, kern, mark, mkmk, frac/numr/dnom, rlig, rvrn, the Hangul
# ljmo/vjmo/tjmo, vertical and East Asian spacing features, ...).
EXTRA_LATIN_FEATURES = (
    "case",
    "lnum",
    "onum",
    "pnum",
    "tnum",
    "zero",
    "ordn",
    "sups",
    "subs",
    "smcp",
    "c2sc",
)


@dataclass(frozen=True)
class Target:
    out_name: str  # file written in the output directory
    source: str  # file name in the source directory
    family: str  # expected name ID 1 (selects the face inside a .ttc)
    ranges: tuple
    features: tuple
    optional: bool = False  # only built with --with-serif-hangul
    truetype: bool = False  # convert CFF outlines to glyf (see module docstring)

    @property
    def is_hangul(self):
        return self.ranges is CJK_RANGES


LATIN_FEATURES = tuple(subset.Options._layout_features_default) + EXTRA_LATIN_FEATURES
HANGUL_FEATURES = tuple(subset.Options._layout_features_default)
CJK_RANGES = HANGUL_RANGES + SYMBOL_FALLBACK_RANGES

TARGETS = (
    Target("NotoSerif-Regular.ttf", "NotoSerif-Regular.ttf", "Noto Serif", LATIN_RANGES, LATIN_FEATURES),
    Target("NotoSerif-Bold.ttf", "NotoSerif-Bold.ttf", "Noto Serif", LATIN_RANGES, LATIN_FEATURES),
    Target("NotoSerif-Italic.ttf", "NotoSerif-Italic.ttf", "Noto Serif", LATIN_RANGES, LATIN_FEATURES),
    Target("NotoSerif-BoldItalic.ttf", "NotoSerif-BoldItalic.ttf", "Noto Serif", LATIN_RANGES, LATIN_FEATURES),
    Target("NotoSans-Regular.ttf", "NotoSans-Regular.ttf", "Noto Sans", LATIN_RANGES, LATIN_FEATURES),
    Target("NotoSans-Bold.ttf", "NotoSans-Bold.ttf", "Noto Sans", LATIN_RANGES, LATIN_FEATURES),
    Target(
        "NotoSansCJKkr-Regular.ttf",
        "NotoSansCJK-Regular.ttc",
        "Noto Sans CJK KR",
        CJK_RANGES,
        HANGUL_FEATURES,
        truetype=True,
    ),
    Target(
        "NotoSansCJKkr-Bold.ttf", "NotoSansCJK-Bold.ttc", "Noto Sans CJK KR", CJK_RANGES, HANGUL_FEATURES, truetype=True
    ),
    Target(
        "NotoSerifCJKkr-Regular.ttf",
        "NotoSerifCJK-Regular.ttc",
        "Noto Serif CJK KR",
        CJK_RANGES,
        HANGUL_FEATURES,
        optional=True,
        truetype=True,
    ),
    Target(
        "NotoSerifCJKkr-Bold.ttf",
        "NotoSerifCJK-Bold.ttc",
        "Noto Serif CJK KR",
        CJK_RANGES,
        HANGUL_FEATURES,
        optional=True,
        truetype=True,
    ),
)


def codepoints(ranges):
    return [cp for first, last, _ in ranges for cp in range(first, last + 1)]


def family_name(font):
    name = font["name"].getName(1, 3, 1, 0x409)
    return name.toUnicode() if name else None


def load_source(path: Path, family: str) -> TTFont:
    """Load the face named `family` from a .ttf/.otf or a .ttc collection."""
    if path.suffix.lower() in (".ttc", ".otc"):
        collection = TTCollection(str(path), lazy=True)
        try:
            families = [family_name(face) for face in collection.fonts]
        finally:
            collection.close()
        if family not in families:
            raise SystemExit(f"{path}: no face named {family!r} (found {families})")
        index = families.index(family)
    else:
        index = -1
    font = TTFont(str(path), fontNumber=index, recalcTimestamp=False, recalcBBoxes=True)
    if family_name(font) != family:
        raise SystemExit(f"{path}: family is {family_name(font)!r}, expected {family!r}")
    return font


def subset_options(features) -> subset.Options:
    options = subset.Options()
    options.layout_features = list(features)
    options.layout_scripts = ["*"]
    options.hinting = False  # see module docstring
    options.desubroutinize = False  # irrelevant once converted to glyf; kept for CFF outputs
    options.notdef_glyph = True
    options.notdef_outline = True  # a missing glyph shows as a box, not blank
    options.name_IDs = ["*"]  # keep copyright, trademark, license, URLs
    options.name_languages = ["*"]  # keep the Korean-language names too
    options.name_legacy = False
    options.glyph_names = False
    options.recalc_timestamp = False
    options.prune_unicode_ranges = True
    return options


def cff_to_truetype(font: TTFont) -> None:
    """Replace the CFF outlines of `font` by TrueType (glyf) ones, in place.

    The steps of fontTools' Snippets/otf2ttf.py: each cubic outline is
    approximated by quadratic curves (cu2qu) with its direction reversed
    (TrueType fills clockwise contours, CFF counter-clockwise ones); hmtx left
    side bearings become the glyf xMin, as TrueType requires; maxp gets the
    version 1.0 fields; VORG (a CFF-only table) is dropped -- vmtx's top side
    bearings already give the same vertical origins.  No instructions are
    added: the other faces are unhinted too.
    """
    glyph_order = font.getGlyphOrder()
    glyph_set = font.getGlyphSet()
    glyf = newTable("glyf")
    glyf.glyphOrder = glyph_order
    glyf.glyphs = {}
    for name in glyph_order:
        pen = TTGlyphPen(glyph_set)
        glyph_set[name].draw(Cu2QuPen(pen, CU2QU_MAX_ERR, reverse_direction=True))
        glyf.glyphs[name] = pen.glyph()
    font["loca"] = newTable("loca")
    font["glyf"] = glyf
    del font["CFF "]
    if "VORG" in font:
        del font["VORG"]
    glyf.compile(font)  # computes each glyph's bounding box
    hmtx = font["hmtx"]
    for name, glyph in glyf.glyphs.items():
        hmtx[name] = (hmtx[name][0], getattr(glyph, "xMin", 0))
    maxp = newTable("maxp")
    maxp.tableVersion = 0x00010000
    maxp.maxZones = 1
    for field in (
        "maxTwilightPoints",
        "maxStorage",
        "maxFunctionDefs",
        "maxInstructionDefs",
        "maxStackElements",
        "maxSizeOfInstructions",
        "maxComponentElements",
        "maxComponentDepth",
    ):
        setattr(maxp, field, 0)
    maxp.numGlyphs = len(glyph_order)  # the other counts are recomputed on save
    font["maxp"] = maxp
    font["post"].formatType = 3.0  # no glyph names, as for the other faces
    font["head"].glyphDataFormat = 0
    font.sfntVersion = "\x00\x01\x00\x00"


def build_one(target: Target, source_dir: Path) -> bytes:
    source = source_dir / target.source
    if not source.is_file():
        raise SystemExit(f"missing source font: {source}")
    font = load_source(source, target.family)
    created, modified = font["head"].created, font["head"].modified
    source_cmap = font.getBestCmap()
    wanted = codepoints(target.ranges)

    subsetter = subset.Subsetter(subset_options(target.features))
    subsetter.populate(unicodes=wanted)
    subsetter.subset(font)

    if target.truetype:
        cff_to_truetype(font)

    # Deterministic timestamps: those of the source font, never "now".
    font["head"].created = created
    font["head"].modified = modified

    # Every requested code point the source had must have survived.
    cmap = font.getBestCmap()
    lost = sorted(cp for cp in wanted if cp in source_cmap and cp not in cmap)
    if lost:
        raise SystemExit(f"{target.out_name}: lost code points {[hex(c) for c in lost[:20]]}")
    if target.is_hangul:
        missing = [cp for cp in range(0xAC00, 0xD7A4) if cp not in cmap]
        if missing:
            raise SystemExit(f"{target.out_name}: {len(missing)} Hangul syllables missing")

    buffer = io.BytesIO()
    font.save(buffer)
    font.close()
    return buffer.getvalue()


def describe(data: bytes):
    font = TTFont(io.BytesIO(data), lazy=True)
    name = font["name"]
    return {
        "family": name.getDebugName(1),
        "style": name.getDebugName(2),
        "version": name.getDebugName(5).split(";")[0],
        "glyphs": font["maxp"].numGlyphs,
        "codepoints": len(font.getBestCmap()),
        "outlines": "CFF" if "CFF " in font else "glyf",
    }


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "source_dir",
        nargs="?",
        type=Path,
        default=DEFAULT_SOURCE_DIR,
        help=f"directory holding the source fonts (default {DEFAULT_SOURCE_DIR})",
    )
    parser.add_argument(
        "--out", type=Path, default=DEFAULT_OUT_DIR, help="output directory (default templates/fonts/ in this repo)"
    )
    parser.add_argument(
        "--with-serif-hangul", action="store_true", help="also build Noto Serif CJK KR subsets (not part of the bundle)"
    )
    args = parser.parse_args(argv)

    args.out.mkdir(parents=True, exist_ok=True)
    total = 0
    for target in TARGETS:
        if target.optional and not args.with_serif_hangul:
            continue
        data = build_one(target, args.source_dir)
        out_path = args.out / target.out_name
        tmp_path = out_path.with_name(out_path.name + ".tmp")
        tmp_path.write_bytes(data)
        os.replace(tmp_path, out_path)
        total += len(data)
        info = describe(data)
        print(
            f"{target.out_name:28} {len(data):>9,} B  {info['family']} {info['style']}, "
            f"{info['version']}, {info['outlines']}, {info['glyphs']} glyphs, "
            f"{info['codepoints']} code points  sha256:{hashlib.sha256(data).hexdigest()[:16]}",
            flush=True,
        )
    print(f"{'total':28} {total:>9,} B")
    return 0


if __name__ == "__main__":
    sys.exit(main())
