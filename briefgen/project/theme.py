"""The project's theme: its accent colour, read as CSS reads it, and its logo, found among the templates.

The accent reaches the outputs only as briefgen writes it (`#rrggbb`), never as typed: whatever
briefs.yaml holds, nothing but a colour can enter a stylesheet.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from briefgen.errors import Diagnostic

if TYPE_CHECKING:
    from briefgen.project.model import Project
    from briefgen.project.yamldoc import YamlDocument

COLOUR_EXAMPLES = "'#8a1c1c', 'darkgreen', 'rgb(20 48 79)' or 'hsl(212 60% 20%)'"

# What an image file starts with, by suffix: a logo that is not the image its name says fails to
# load in WeasyPrint; `check` says so without laying anything out.
_SIGNATURES: dict[str, tuple[bytes, ...]] = {
    ".png": (b"\x89PNG\r\n\x1a\n",),
    ".jpg": (b"\xff\xd8\xff",),
    ".jpeg": (b"\xff\xd8\xff",),
    ".gif": (b"GIF87a", b"GIF89a"),
    ".webp": (b"RIFF",),
}


def css_colour(value: str) -> str:
    """`value` as `#rrggbb` if it is an opaque CSS colour (hex, name, rgb(), hsl(), hwb()); else
    ValueError, saying what is accepted."""
    import tinycss2.color4  # noqa: PLC0415 - only projects with an accent pay for the import

    colour = tinycss2.color4.parse_color(value)
    if colour is None or isinstance(colour, str):  # None: not a colour; 'currentcolor' names none
        raise ValueError(f"{value!r} is not a CSS colour (e.g. {COLOUR_EXAMPLES})")
    if colour.alpha < 1:
        raise ValueError(f"{value!r} is not opaque: the accent must be, to print")
    try:
        red, green, blue = colour.to("srgb").coordinates
    except NotImplementedError:  # lab(), oklch()…: tinycss2 cannot convert them, nor can DOCX show them
        raise ValueError(f"{value!r}: write the accent in sRGB, e.g. {COLOUR_EXAMPLES}") from None
    return "#" + "".join(f"{round(min(max(c, 0.0), 1.0) * 255):02x}" for c in (red, green, blue))


def find_asset(template_dirs: Sequence[Path], relative: str) -> Path | None:
    """The file `relative` names on the template search path (first directory first); None if absent
    or outside every directory (renderers/templates.find_template_file, for the project stage)."""
    for base in template_dirs:
        candidate = (base / relative).resolve()
        if candidate.is_relative_to(base.resolve()) and candidate.is_file():
            return candidate
    return None


def logo_problem(path: Path) -> str | None:
    """Why the image file at `path` cannot be shown as a logo, or None if it looks like its kind."""
    suffix = path.suffix.lower()
    try:
        with path.open("rb") as file:
            head = file.read(512)
    except OSError as exc:
        return f"cannot be read ({exc.strerror or exc})"
    if suffix == ".svg":
        return None if b"<svg" in head or b"<?xml" in head else "is not an SVG image"
    signatures = _SIGNATURES.get(suffix)
    if signatures is None:
        return "is not a PNG, JPEG, GIF, SVG or WebP image"
    if not head.startswith(signatures):
        return f"is not a {suffix.lstrip('.').upper()} image (its content does not start like one)"
    return _decoding_problem(path)


def _decoding_problem(path: Path) -> str | None:
    """Why Pillow (which WeasyPrint reads images with) cannot decode the image, or None. WeasyPrint
    copies a PNG's data into the PDF undecoded, so a truncated file would print as a broken image."""
    try:
        from PIL import Image  # noqa: PLC0415 - WeasyPrint's dependency; only a project with a logo pays
    except ImportError:  # pragma: no cover - installed with WeasyPrint
        return None
    try:
        with Image.open(path) as image:
            image.load()
    except Exception as exc:  # Pillow raises many kinds for a broken file
        return f"cannot be decoded ({exc})"
    return None


def theme_problems(project: Project, doc: YamlDocument, template_dirs: Sequence[Path]) -> list[Diagnostic]:
    """A logo that is on no template directory, or is not an image, is an error at `theme.logo`."""
    logo = project.project.theme.logo
    if logo is None:
        return []
    where = doc.locate(("project", "theme", "logo"))
    path = find_asset(template_dirs, logo)
    if path is None:
        searched = ", ".join(str(d) for d in template_dirs)
        return [Diagnostic(where, f"project.theme.logo: image {logo!r} not found", f"searched: {searched}")]
    problem = logo_problem(path)
    if problem is not None:
        hint = "the logo must be an undamaged PNG, JPEG, GIF, SVG or WebP image"
        return [Diagnostic(where, f"project.theme.logo: {path} {problem}", hint)]
    return []
