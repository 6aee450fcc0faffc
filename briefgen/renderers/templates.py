"""Where templates come from: the project's own `templates/` first, the built-in set last.

A project overrides a built-in template by putting a file of the same name in its `templates/`
directory; `{% extends "builtin/brief.md.j2" %}` reaches the built-in one it replaces.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import jinja2

from briefgen.errors import BriefgenError, TemplateError

PACKAGE_DIR = Path(__file__).resolve().parents[1]  # briefgen/


def builtin_dir() -> Path:
    """The built-in templates: inside the installed package, or the repository's `templates/`."""
    packaged = PACKAGE_DIR / "templates"  # wheels carry them here (pyproject force-include)
    return packaged if packaged.is_dir() else PACKAGE_DIR.parent / "templates"


def search_path(project_root: Path) -> tuple[Path, ...]:
    """Template directories in lookup order, without duplicates."""
    dirs: list[Path] = []
    for candidate in (project_root / "templates", builtin_dir()):
        resolved = candidate.resolve()
        if resolved.is_dir() and resolved not in dirs:
            dirs.append(resolved)
    return tuple(dirs)


def find_template_file(dirs: tuple[Path, ...], relative: str | Path) -> Path | None:
    """A file (CSS, font, image) looked up along the template search path like a template is;
    None if absent or if the path leads outside its directory (`..`, a symlink out)."""
    for base in dirs:
        candidate = (base / relative).resolve()
        if candidate.is_relative_to(base) and candidate.is_file():
            return candidate
    return None


def environment(
    dirs: tuple[Path, ...], *, autoescape: bool, finalize: Callable[[Any], Any] | None = None
) -> jinja2.Environment:
    """A Jinja environment that fails loudly on undefined names and searches `dirs` in order."""
    loader = jinja2.ChoiceLoader(
        [
            jinja2.FileSystemLoader([str(d) for d in dirs]),
            jinja2.PrefixLoader({"builtin": jinja2.FileSystemLoader(str(builtin_dir()))}),
        ]
    )
    return jinja2.Environment(
        loader=loader,
        autoescape=autoescape,
        finalize=finalize,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        auto_reload=False,
    )


def render_template(env: jinja2.Environment, dirs: tuple[Path, ...], name: str, context: dict[str, Any]) -> str:
    """Render `name`, turning every failure inside it into a TemplateError naming the template and line."""
    with _template_errors(dirs, name):
        return env.get_template(name).render(context)


def template_module(env: jinja2.Environment, dirs: tuple[Path, ...], name: str) -> Any:
    """The macros of template `name`, callable from Python (Jinja's `{% import %}` as an object)."""
    with _template_errors(dirs, name):
        return env.get_template(name).module


@contextmanager
def _template_errors(dirs: tuple[Path, ...], name: str) -> Iterator[None]:
    try:
        yield
    except jinja2.TemplateNotFound as exc:
        searched = ", ".join(str(d) for d in dirs)
        where = _template_position(exc, "")  # set when an {% include %} or {% extends %} names it
        prefix = f"{where}: " if where else ""
        raise TemplateError(f"{prefix}template {exc.name!r} not found", f"searched: {searched}") from None
    except jinja2.TemplateSyntaxError as exc:
        raise TemplateError(f"{exc.filename or exc.name}:{exc.lineno}: template syntax: {exc.message}") from None
    except jinja2.UndefinedError as exc:
        raise TemplateError(f"{_template_position(exc, name)}: {exc.message}") from None
    except BriefgenError:
        raise
    except Exception as exc:  # templates are code: `{{ 1 / 0 }}` or `{{ title + 1 }}` fail like code
        raise TemplateError(f"{_template_position(exc, name)}: {type(exc).__name__}: {exc}") from None


def _template_position(exc: BaseException, fallback: str) -> str:
    """`file:line` of the template frame that raised, found in the traceback Jinja rewrites."""
    tb = exc.__traceback__
    where = fallback
    while tb is not None:
        filename = tb.tb_frame.f_code.co_filename
        if filename.endswith((".j2", ".html", ".css", ".md", ".wiki")):
            where = f"{filename}:{tb.tb_lineno}"
        tb = tb.tb_next
    return where
