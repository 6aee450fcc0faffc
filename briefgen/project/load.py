"""Stage 1, load: read briefs.yaml and the articles it names. All input I/O happens here."""

from __future__ import annotations

import difflib
import errno
import itertools
import os
import stat
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path, PurePath

from briefgen.errors import ConfigError, Diagnostic, Location, ValidationFailed, sort_diagnostics
from briefgen.limits import Limits, raise_hint
from briefgen.project.include import merge_included, read_included
from briefgen.project.lock import lock_path
from briefgen.project.parse_cache import parse_yaml_cached
from briefgen.project.walk import raw_source_files
from briefgen.project.yamldoc import YamlDocument, YamlProblem
from briefgen.project.yamlhalves import LaterReader
from briefgen.text.quotes import IndexedText

DEFAULT_CONFIG = Path("briefs.yaml")


@dataclass(frozen=True)
class Article:
    """A source article's text, read byte-for-byte and decoded as UTF-8 (a leading BOM dropped)."""

    path: Path
    text: IndexedText


@dataclass(frozen=True)
class Unreadable:
    """Why an article named in briefs.yaml could not be read, located in the article if possible."""

    message: str
    line: int = 0
    column: int = 0
    hint: str | None = None


@dataclass(frozen=True)
class LoadedProject:
    """The raw YAML document with positions, plus every article it names, keyed by `file` value."""

    config: Path
    root: Path
    document: YamlDocument
    articles: Mapping[str, Article | Unreadable]
    limits: Limits
    lock: str | Unreadable | None = None  # briefs.lock.json's text, if there is one
    # The files `include:` merged into `document`, each parsed on its own (`add` merges them again
    # into the briefs.yaml it writes, to check it), and every YAML file the project was read from,
    # briefs.yaml first: what a watch watches.
    included: tuple[YamlDocument, ...] = ()
    inputs: tuple[Path, ...] = ()


def load_project(
    config: Path = DEFAULT_CONFIG, limits: Limits | None = None, later: LaterReader | None = None
) -> LoadedProject:
    """Read briefs.yaml and its articles; raise ValidationFailed when the YAML cannot be parsed.

    `limits` defaults to the built-in ceilings as changed by BRIEFGEN_MAX_* environment variables.
    `later`: what reads the later half of a large briefs.yaml meanwhile (yamlhalves.py).
    """
    limits = limits or Limits.from_env()
    if not config.exists():
        raise ConfigError(f"{config}: no such file", "run briefgen where briefs.yaml is, or pass --config PATH")
    text = read_text(config, limits.yaml_bytes, "yaml_bytes")
    if isinstance(text, Unreadable):
        where = Location(config, text.line or 1, text.column or 1)
        raise ValidationFailed([Diagnostic(where, text.message, text.hint)], inputs=(config,))
    try:
        main = parse_yaml_cached(text, config, limits, later)  # a large file's parse is kept (parse_cache.py)
    except YamlProblem as problem:
        raise ValidationFailed(problem.diagnostics, inputs=(config,)) from None
    included = read_included(main, lambda path: read_text(path, limits.yaml_bytes, "yaml_bytes"), limits)
    inputs = (config, *included.paths)
    document, problems = merge_included(main, included.documents)
    if included.problems or problems:  # like a YAML error: what the files hold cannot be read as one project
        raise ValidationFailed(sort_diagnostics([*included.problems, *problems]), inputs=inputs)
    root = config.parent
    articles = read_articles(root, raw_source_files(document.data).values(), limits)
    lock = lock_path(config)
    lock_text = read_text(lock, limits.yaml_bytes, "yaml_bytes") if lock.exists() else None
    return LoadedProject(config, root, document, articles, limits, lock_text, included.documents, inputs)


def read_text(path: Path, max_bytes: int, limit_name: str) -> str | Unreadable:
    """A UTF-8 text file's contents, or why it cannot be used."""
    data = _read_bytes(path, max_bytes)
    if data is None:
        return Unreadable(f"file is larger than the {max_bytes:,}-byte limit", hint=raise_hint(limit_name))
    return data if isinstance(data, Unreadable) else decode_utf8(data)


def _read_bytes(path: Path, max_bytes: int) -> bytes | Unreadable | None:
    """A regular file's bytes; None when it is larger than `max_bytes` (never reads more than one byte past)."""
    try:
        # Looked at before opening (a socket cannot even be opened) and again after (it may be swapped).
        problem = _not_regular(os.stat(path).st_mode)
        if problem:
            return problem
        # Non-blocking open: opening a FIFO for reading would otherwise wait for a writer forever.
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
        try:
            status = os.fstat(fd)
            problem = _not_regular(status.st_mode)
            if problem:
                return problem
            data = _read_up_to(fd, status.st_size, max_bytes + 1) if status.st_size <= max_bytes else b""
        finally:
            os.close(fd)
    except FileNotFoundError:
        return Unreadable("file not found")
    except OSError as exc:
        return Unreadable(f"cannot read: {exc.strerror}")
    return None if status.st_size > max_bytes or len(data) > max_bytes else data


def _read_up_to(fd: int, size: int, most: int) -> bytes:
    """At most `most` bytes of the file, to its end (it may grow meanwhile), asking for its `size`
    and one byte more first. Not through a buffered file, whose read(most) allocates `most` bytes
    whatever the file holds: reading 1,000 articles took 4x as long so."""
    parts = [os.read(fd, min(size + 1, most))]
    total = len(parts[0])
    while parts[-1] and total < most:
        parts.append(os.read(fd, min(most - total, 1 << 20)))
        total += len(parts[-1])
    return parts[0] if len(parts) == 1 else b"".join(parts)


def _not_regular(mode: int) -> Unreadable | None:
    """Why a file of this mode cannot be read as text: a FIFO or device would block or never end."""
    if stat.S_ISDIR(mode):
        return Unreadable("is a directory, not a file")
    return None if stat.S_ISREG(mode) else Unreadable("is not a regular file")


def decode_utf8(data: bytes) -> str | Unreadable:
    """Strict UTF-8 (a leading byte-order mark is dropped); a bad byte is reported at its line and column."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line_start = data.rfind(b"\n", 0, exc.start) + 1
        line = data.count(b"\n", 0, exc.start) + 1
        column = len(data[line_start : exc.start].decode("utf-8", "replace")) + 1
        return Unreadable(
            f"not UTF-8 text: byte 0x{data[exc.start]:02x} cannot be decoded",
            line,
            column,
            "save the file as UTF-8 (e.g. `iconv -f WINDOWS-1252 -t UTF-8`)",
        )


# Top-level directories of a project that hold what briefgen writes or runs, never articles.
RESERVED_DIRS = frozenset({"out", "templates"})
ARTICLE_HINT = "keep articles in an article directory such as seeds/ (`file: seeds/NAME.txt`)"


def read_articles(root: Path, names: Iterable[str], limits: Limits) -> dict[str, Article | Unreadable]:
    """Each article named (read_article), by name, in the order of their names."""
    try:
        resolved_root: Path | None = root.resolve()  # once: 1,000 articles took 15 ms resolving it each time
    except (OSError, RuntimeError):
        resolved_root = None
    return {name: read_article(root, name, limits, resolved_root) for name in sorted(set(names))}


def read_article(root: Path, name: str, limits: Limits, resolved_root: Path | None = None) -> Article | Unreadable:
    """Read an article named relative to the project root; it must be one a curator put among the articles.

    The rule (SECURITY.md, "reading files outside the project"): the path is relative, in a directory
    of the project (not at its top level, where briefs.yaml, the lock file and tool configuration
    live), with no hidden component (.git, .env, .venv) and not under out/ or templates/; followed
    through any symlinks, it still obeys all of that; and it is a regular file. Anything else could
    put a file nobody meant as evidence (a CI token in .git/config) into a PDF.
    """
    path = _article_path(root, name, resolved_root)
    if isinstance(path, Unreadable):
        return path
    text = read_text(path, limits.article_bytes, "article_bytes")
    if isinstance(text, Unreadable):
        if text.message == "file not found":
            return Unreadable(text.message, hint=_nearest_file(root, name))
        return text
    return Article(path, IndexedText(text))


def _article_path(root: Path, name: str, resolved_root: Path | None) -> Path | Unreadable:
    """The article's path under `root` (which resolves to `resolved_root`, if known), or why it is
    not one (see read_article)."""
    written = PurePath(name)
    if written.is_absolute() or ".." in written.parts:
        return Unreadable(
            "article paths must be relative and stay inside the project", hint="put the article in seeds/"
        )
    problem = _article_path_problem(written.parts, "is")
    if problem:
        return problem
    path = root / written
    try:
        # As Path.resolve() and relative_to() do, on strings: pathlib's objects were most of the
        # time spent reading 1,000 articles.
        base = str(resolved_root or root.resolve())
        real = _real_path(str(path))
    except (OSError, RuntimeError):  # Python 3.11-3.12 raise RuntimeError for a symlink loop
        return Unreadable("cannot be resolved (a symlink loop?)")
    inside = base.rstrip(os.sep) + os.sep
    if real != base and not real.startswith(inside):
        return Unreadable("resolves outside the project (a symlink?)", hint="copy the article into seeds/")
    resolved = PurePath(real[len(inside) :] if real != base else "")
    return _article_path_problem(resolved.parts, f"is a symlink to {resolved.as_posix()!r}, which is") or path


def _real_path(path: str) -> str:
    """What Path(path).resolve() gives, as a string: RuntimeError for a symlink loop."""
    real = os.path.realpath(path)
    try:
        os.stat(real)  # realpath does not fail on a loop; stat does
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            raise RuntimeError(f"symlink loop from {exc.filename!r}") from None
    return real


def _article_path_problem(parts: tuple[str, ...], subject: str) -> Unreadable | None:
    """Why a project-relative path (its components) cannot be an article, or None when it can."""
    if len(parts) < 2:
        why = "a file at the top of the project (where briefs.yaml and its lock file live)"
        return Unreadable(f"{subject} {why}, not in an article directory", hint=ARTICLE_HINT)
    hidden = next((part for part in parts if part.startswith(".")), None)
    if hidden is not None:
        return Unreadable(f"{subject} a hidden path ({hidden!r}), not an article", hint=ARTICLE_HINT)
    if parts[0] in RESERVED_DIRS:
        return Unreadable(f"{subject} inside {parts[0]}/, which holds no articles", hint=ARTICLE_HINT)
    return None


_LISTED_FILES = 10_000  # a directory with more entries is not searched further for a nearest name


def _nearest_file(root: Path, name: str) -> str | None:
    """`did you mean 'seeds/004_eec81dc4fabef47c.txt'?` for a misspelt article path: the nearest name
    among the files of the directory it names (or of the nearest directory, if that is misspelt too)."""
    written = Path(name)
    folder = written.parent
    if not (root / folder).is_dir():
        folders = _entries(root, directories=True)
        close = difflib.get_close_matches(folder.as_posix(), folders, n=1, cutoff=0.6)
        if not close:
            return None
        folder = Path(close[0])
    files = _entries(root / folder, directories=False)
    close = difflib.get_close_matches(written.name, files, n=1, cutoff=0.6)
    return f"did you mean {(folder / close[0]).as_posix()!r}?" if close else None


def _entries(directory: Path, *, directories: bool) -> list[str]:
    """Names of the (first _LISTED_FILES) subdirectories or regular files of a directory."""
    try:
        with os.scandir(directory) as scan:
            entries = itertools.islice(scan, _LISTED_FILES)
            return sorted(e.name for e in entries if (e.is_dir() if directories else e.is_file()))
    except OSError:
        return []
