"""Where a file the PDF (or the screen page) could not load is named: the logo at its `theme.logo` value in briefs.yaml,
anything else at the `url(…)` (or `src=`) in the stylesheet or template that names it.

The layout reports only URLs (it runs in helper processes that know no YAML: pdf/layout.py);
this turns them into located diagnostics, so that a broken image is an error where it is written.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path
from urllib.parse import unquote, urlsplit

from briefgen.errors import AssetError, Diagnostic, Location, sort_diagnostics
from briefgen.project.yamldoc import YamlDocument

# The files a handout's assets are named in, besides briefs.yaml: what the shells include.
_NAMING_FILES = ("extra.css", "print.css", "print.html.j2", "screen.css", "screen.html.j2")
_NAMED_BY = re.compile(r"""(?:url\(\s*|src\s*=\s*)["']?([^"')\s>]+)""")


def asset_diagnostics(
    error: AssetError, document: YamlDocument, template_dirs: tuple[Path, ...], logo: str | None
) -> list[Diagnostic]:
    """One error per file that could not be loaded, located where it is named."""
    searched = "searched: " + ", ".join(str(d) for d in template_dirs)
    out: list[Diagnostic] = []
    for url, reason in error.failures:
        relative = _relative(url, template_dirs) if url else None
        if relative is not None and relative == logo:
            where = document.locate(("project", "theme", "logo"))
            message = f"project.theme.logo: {error.output} cannot load {logo!r}: {reason}"
            out.append(Diagnostic(where, message, searched))
            continue
        family = re.search(r"the font '([^']*)'", reason) if url is None else None
        named = _naming_place(relative, template_dirs) if relative else None
        named = _font_face_place(family[1], template_dirs) if family else named
        shown = relative or url
        message = f"{error.output} cannot load " + (f"{shown!r}: {reason}" if shown else reason)
        out.append(Diagnostic(named or Location(template_dirs[0]), message, searched))
    return sort_diagnostics(dict.fromkeys(out))


def _relative(url: str, template_dirs: tuple[Path, ...]) -> str | None:
    """The path a `file:` URL names relative to the first template directory (the PDF's base URL)."""
    parts = urlsplit(url)
    if parts.scheme != "file":
        return None
    path = Path(unquote(parts.path))
    return path.relative_to(template_dirs[0]).as_posix() if path.is_relative_to(template_dirs[0]) else None


def _naming_place(relative: str, template_dirs: tuple[Path, ...]) -> Location | None:
    """The first `url(relative)` or `src="relative"` in the stylesheets and templates the print
    shell uses (each as found on the search path), at its line and column."""
    for path in _naming_files(template_dirs):
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            continue
        for match in _NAMED_BY.finditer(text):
            if match[1].removeprefix("./") == relative:
                line = text.count("\n", 0, match.start(1)) + 1
                column = match.start(1) - (text.rfind("\n", 0, match.start(1)) + 1) + 1
                return Location(path, line, column)
    return None


def _font_face_place(family: str, template_dirs: tuple[Path, ...]) -> Location | None:
    """The first @font-face that declares `family`, in the stylesheets the print shell uses."""
    pattern = re.compile(r"@font-face\s*\{[^}]*font-family:\s*[\"']?" + re.escape(family))
    for path in _naming_files(template_dirs):
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            continue
        match = pattern.search(text)
        if match:
            line = text.count("\n", 0, match.start()) + 1
            return Location(path, line, match.start() - (text.rfind("\n", 0, match.start()) + 1) + 1)
    return None


def _naming_files(template_dirs: tuple[Path, ...]) -> Iterable[Path]:
    for name in _NAMING_FILES:
        for directory in template_dirs:
            if (directory / name).is_file():
                yield directory / name
                break
