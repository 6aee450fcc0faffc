"""`briefgen watch`: re-render whenever briefs.yaml, an article or a template is saved.

Each batch of saves triggers one render (watchfiles groups events until 10 ms pass without a new
one, at most 1.6 s). The project is read once per save, for the render and for what to watch next.
The build cache beside the outputs (cache.py) keeps an output whose inputs did not change from being
rendered again, and only files whose bytes changed are written, so a save that touches one brief
costs that brief. Problems in the input are reported and the watch goes on; the next save retries.

What is watched: the directory of briefs.yaml, the directories of the files it includes
(`include:`; the set of YAML files the loader read, LoadedProject.inputs), the directories of the
articles it names and the template directories (project first, built-in last), each without
subdirectories. In an included file's directory, a new YAML file counts too: it may match a pattern. Outputs, the
lock file and hidden or temporary files (editor swap files, briefgen's own `.name.tmp`) never
trigger a render, so briefgen's own writes cannot set it off again.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

import watchfiles

from briefgen.build.api import RenderResult, default_out_dir, render_loaded
from briefgen.collector import full_collections_when_idle, thaw
from briefgen.errors import BriefgenError, ConfigError, UsageError, ValidationFailed
from briefgen.formats import RenderOptions
from briefgen.project.load import LoadedProject, load_project
from briefgen.project.lock import lock_path
from briefgen.project.walk import RawIds, raw_source_files
from briefgen.renderers.templates import search_path

STEP_MS = 10  # quiet time that ends a batch of saves (an editor's write, rename and chmod take a few ms)
DEBOUNCE_MS = 1600  # longest a batch may grow
CATCH_UP_MS = 300  # after the watched directories change, how soon to render what was saved meanwhile


class Reporter(Protocol):
    """Where a watch reports what it does (the CLI prints; tests may collect)."""

    def watching(self, dirs: Sequence[Path]) -> None: ...
    def changed(self, paths: Sequence[Path]) -> None: ...
    def rendered(self, result: RenderResult) -> None: ...
    def failed(self, error: BriefgenError) -> None: ...


@dataclass(frozen=True)
class _Scope:
    """The directories to watch and which files in them matter."""

    config: Path
    dirs: tuple[Path, ...]  # watched
    content_dirs: frozenset[Path]  # article and template directories: every file in them counts
    ignored: tuple[Path, ...]  # the output directory and the lock file
    inputs: frozenset[Path] = frozenset()  # the YAML files the project was read from (briefs.yaml, included)

    def relevant(self, _change: watchfiles.Change, name: str) -> bool:
        path = Path(name)
        if path.name.startswith(".") or path.name.endswith(("~", ".tmp", ".swp")):
            return False
        if any(path == ignored or ignored in path.parents for ignored in self.ignored):
            return False
        # A templates/ directory created beside briefs.yaml counts too: it is watched from then on.
        if path in (self.config, self.config.parent / "templates") or path in self.inputs:
            return True
        if path.suffix in (".yaml", ".yml") and any(path.parent == p.parent for p in self.inputs - {self.config}):
            return True  # a new file beside the included ones may be matched by an include pattern
        return path.parent in self.content_dirs


def watch(
    config: Path,
    brief_ids: Sequence[str],
    options: RenderOptions,
    out_dir: Path | None,
    reporter: Reporter,
    *,
    strict: bool = False,
    stop: watchfiles.main.AbstractEvent | None = None,
) -> None:
    """Render now, then again after every relevant save, until `stop` is set or Ctrl-C (KeyboardInterrupt).

    A missing config or an unknown brief id at the start are raised (there is nothing to watch);
    every later problem is reported and the watch goes on.
    """
    out = (out_dir or default_out_dir(config)).resolve()
    thaw()  # each save's project is dropped at the next: none may stay exempt from collection

    def render_once() -> LoadedProject | tuple[Path, ...] | None:
        """Read the project, render it; the project as read (the files read, or None, if it could not be)."""
        try:
            loaded = load_project(config)
        except BriefgenError as error:
            reporter.failed(error)
            return error.inputs if isinstance(error, ValidationFailed) and error.inputs else None
        try:
            reporter.rendered(render_loaded(loaded, brief_ids, options, out_dir, strict=strict))
        except BriefgenError as error:
            reporter.failed(error)
        return loaded

    if not config.exists():
        raise ConfigError(f"{config}: no such file", "run briefgen where briefs.yaml is, or pass --config PATH")
    loaded = _loaded_or_none(config)
    _check_brief_ids(config, brief_ids, loaded)
    scope = _scope(config, out, None, loaded)
    _check_out_dir(out, scope)
    reporter.watching(scope.dirs)
    # The first render waits until the watcher is up: a save made while it starts is then either
    # in that render or seen by the watcher, never lost.
    catch_up = True
    # A full collection runs once each render is written, while the watch waits for the next save.
    with full_collections_when_idle() as collect:
        while True:
            for changes in watchfiles.watch(
                *scope.dirs,
                watch_filter=scope.relevant,
                step=STEP_MS,
                debounce=DEBOUNCE_MS,
                stop_event=stop,
                recursive=False,
                rust_timeout=CATCH_UP_MS,
                yield_on_timeout=True,
            ):
                if not changes:  # a quiet interval: the watcher is running
                    if catch_up:
                        catch_up = False
                        render_once()
                        collect()
                    continue
                reporter.changed(sorted({Path(name) for _, name in changes}))
                new_scope = _scope(config, out, scope, render_once())
                collect()
                if new_scope.dirs != scope.dirs:  # e.g. an article in a new directory, or a new templates/
                    scope, catch_up = new_scope, True
                    reporter.watching(scope.dirs)
                    break
            else:
                return  # stopped


def _check_out_dir(out: Path, scope: _Scope) -> None:
    """Refuse an output directory that holds what is watched (`-o .`, `-o seeds`): a watch ignores
    every change inside its output directory (its own writes), so it would never see a save."""
    for watched in sorted({scope.config.parent, *scope.content_dirs, *(path.parent for path in scope.inputs)}):
        if watched == out or out in watched.parents:
            raise UsageError(
                f"cannot watch with the output directory {out}: it holds {watched}, and a watch ignores every "
                "change inside its output directory (its own writes), so it would never see a save",
                "write the outputs to a directory of their own, e.g. --out out",
            )


def _loaded_or_none(config: Path) -> LoadedProject | tuple[Path, ...] | None:
    """The project as read; when it cannot be read, the YAML files found (if any), to watch for a fix."""
    try:
        return load_project(config)
    except ValidationFailed as error:
        return error.inputs or None  # a broken project is reported by the first render
    except BriefgenError:
        return None


def _check_brief_ids(config: Path, brief_ids: Sequence[str], loaded: LoadedProject | tuple[Path, ...] | None) -> None:
    """An unknown brief id at the start is a usage error, as for `render`."""
    if not brief_ids or not isinstance(loaded, LoadedProject):
        return
    known = RawIds.of(loaded.document.data).briefs
    unknown = [b for b in brief_ids if b not in known]
    if unknown:
        raise UsageError(f"unknown brief {', '.join(map(repr, unknown))}", f"briefs in {config}: {', '.join(known)}")


def _scope(config: Path, out: Path, previous: _Scope | None, loaded: LoadedProject | tuple[Path, ...] | None) -> _Scope:
    """What to watch now; the included files and article directories come from the project as just
    read, or stay as they were while it cannot be read (the included files found are watched even
    then: a fix to one of them must be seen)."""
    root = config.parent.resolve()
    if isinstance(loaded, LoadedProject):
        files = raw_source_files(loaded.document.data).values()
        article_dirs = {(root / file).parent.resolve() for file in files}
        read = loaded.inputs
    else:
        article_dirs = set(previous.content_dirs) if previous else set()
        read = loaded or ()
    inputs = frozenset(path.resolve() for path in read) or (previous.inputs if previous else frozenset())
    content = {d for d in {*article_dirs, root / "templates", *search_path(root)} if d.is_dir()}
    dirs = tuple(sorted({root, *content, *(path.parent for path in inputs)}))
    return _Scope(config.resolve(), dirs, frozenset(content), (out, lock_path(config).resolve()), inputs)
