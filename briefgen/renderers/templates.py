"""Where templates come from: the project's own `templates/` first, the built-in set last.

A project overrides a built-in template by putting a file of the same name in its `templates/`
directory; `{% extends "builtin/brief.md.j2" %}` reaches the built-in one it replaces.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

from briefgen.errors import BriefgenError, TemplateError
from briefgen.formats import Format, format_template

if TYPE_CHECKING:  # Jinja is imported where templates are compiled: `check` only looks for their files
    import jinja2

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


def no_template_error(brief_id: str, template: str, format_: Format) -> TemplateError:
    """A brief whose template has no counterpart for `format_`: refused, never a full brief instead."""
    name = format_template(template, format_)
    if name is None:
        why, hint = "only a template named NAME.md.j2 has one", "rename the template NAME.md.j2 and add NAME.wiki.j2"
    else:
        why, hint = f"there is no template {name!r}", f'add templates/{name} (e.g. extending "builtin/brief.wiki.j2")'
    return TemplateError(
        f"brief {brief_id!r} cannot be rendered as {format_.value}: its template {template!r} has no "
        f"{format_.value} counterpart ({why})",
        hint,
    )


def environment(
    dirs: tuple[Path, ...], *, autoescape: bool, finalize: Callable[[Any], Any] | None = None
) -> jinja2.Environment:
    """A Jinja environment that fails loudly on undefined names and searches `dirs` in order."""
    import jinja2  # noqa: PLC0415 - see the imports

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


BlockStarts = list[tuple[int, str]]  # (offset in the output, block name), in output order


def render_template_blocks(
    env: jinja2.Environment, dirs: tuple[Path, ...], name: str, context: dict[str, Any]
) -> tuple[str, BlockStarts]:
    """Render `name` like render_template, and say where the output of each of its top-level blocks
    starts — so that later stages can key their styling to the template's structure (block names),
    not to the words of a heading.

    Jinja calls a block through `context.blocks[name][0]`; the context's blocks are wrapped so that
    each call at the top level (not from inside another block) records the output offset it starts at.
    """
    starts: BlockStarts = []
    with _template_errors(dirs, name):
        template = env.get_template(name)
        context_ = template.new_context(context)
        recorder = _BlockRecorder(starts)
        context_.blocks = _RecordingBlocks(context_.blocks, recorder)
        chunks: list[str] = []
        try:
            for chunk in template.root_render_func(context_):
                chunks.append(chunk)
                recorder.offset += len(chunk)
        except Exception:
            env.handle_exception()  # re-raises with the template's own file and line in the traceback
        return "".join(chunks), starts


class _BlockRecorder:
    def __init__(self, starts: BlockStarts) -> None:
        self.starts = starts
        self.offset = 0  # characters the template has produced so far
        self.inside = False  # within a top-level block (its nested blocks and super() calls are its own)

    def wrap(self, name: str, block: Callable[[Any], Iterator[str]]) -> Callable[[Any], Iterator[str]]:
        def recorded(context: Any) -> Iterator[str]:
            if self.inside:
                yield from block(context)
                return
            self.inside = True
            self.starts.append((self.offset, name))
            try:
                yield from block(context)
            finally:
                self.inside = False

        return recorded


class _RecordingBlocks(dict[str, list[Any]]):
    """The context's blocks, handing out recorded block functions (the stored lists stay as they
    are: Jinja's super() finds a block in them by identity)."""

    def __init__(self, blocks: dict[str, list[Any]], recorder: _BlockRecorder) -> None:
        super().__init__(blocks)
        self._recorder = recorder

    def __getitem__(self, name: str) -> list[Any]:
        return _RecordingList(name, super().__getitem__(name), self._recorder)


class _RecordingList(list[Any]):
    def __init__(self, name: str, blocks: list[Any], recorder: _BlockRecorder) -> None:
        super().__init__(blocks)
        self._name = name
        self._recorder = recorder

    def __getitem__(self, index: Any) -> Any:
        block = super().__getitem__(index)
        return self._recorder.wrap(self._name, block) if isinstance(index, int) else block


def template_module(env: jinja2.Environment, dirs: tuple[Path, ...], name: str) -> Any:
    """The macros of template `name`, callable from Python (Jinja's `{% import %}` as an object)."""
    with _template_errors(dirs, name):
        return env.get_template(name).module


@contextmanager
def _template_errors(dirs: tuple[Path, ...], name: str) -> Iterator[None]:
    import jinja2  # noqa: PLC0415 - see the imports

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
