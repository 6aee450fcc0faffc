"""Stage 1, load: read briefs.yaml and the articles it names. All input I/O happens here."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .errors import ConfigError, Diagnostic, Location, ValidationFailed
from .lock import lock_path
from .quotes import IndexedText
from .yamldoc import DEFAULT_LIMITS, Limits, YamlDocument, YamlProblem, parse_yaml

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
    lock: str | Unreadable | None = None  # briefs.lock.json's text, if there is one


def load_project(config: Path = DEFAULT_CONFIG, limits: Limits = DEFAULT_LIMITS) -> LoadedProject:
    """Read briefs.yaml and its articles; raise ValidationFailed when the YAML cannot be parsed."""
    if not config.exists():
        raise ConfigError(f"{config}: no such file", "run briefgen where briefs.yaml is, or pass --config PATH")
    text = read_text(config, limits)
    if isinstance(text, Unreadable):
        raise ValidationFailed([Diagnostic(Location(config, text.line, text.column), text.message, text.hint)])
    try:
        document = parse_yaml(text, config, limits)
    except YamlProblem as problem:
        raise ValidationFailed(problem.diagnostics) from None
    root = config.parent
    articles = {name: read_article(root, name, limits) for name in sorted(set(source_files(document.data).values()))}
    lock = lock_path(config)
    return LoadedProject(config, root, document, articles, read_text(lock, limits) if lock.exists() else None)


def read_text(path: Path, limits: Limits) -> str | Unreadable:
    """A UTF-8 text file's contents, or why it cannot be used."""
    try:
        if path.stat().st_size > limits.max_bytes:
            return Unreadable(f"file is larger than the {limits.max_bytes:,}-byte limit")
        data = path.read_bytes()
    except FileNotFoundError:
        return Unreadable("file not found")
    except IsADirectoryError:
        return Unreadable("is a directory, not a file")
    except OSError as exc:
        return Unreadable(f"cannot read: {exc.strerror}")
    return decode_utf8(data)


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


def read_article(root: Path, name: str, limits: Limits) -> Article | Unreadable:
    """Read an article named relative to the project root; it must stay inside the project."""
    path = root / name
    if Path(name).is_absolute() or ".." in Path(name).parts:
        return Unreadable(
            "article paths must be relative and stay inside the project", hint="put the article in seeds/"
        )
    try:
        path.resolve().relative_to(root.resolve())
    except ValueError:
        return Unreadable("resolves outside the project (a symlink?)", hint="copy the article into seeds/")
    text = read_text(path, limits)
    if isinstance(text, Unreadable):
        return text
    return Article(path, IndexedText(text))


def source_files(data: Any) -> dict[str, str]:
    """Source id → `file`, read from raw data before validation (sources of a bad shape are skipped)."""
    sources = data.get("sources") if isinstance(data, dict) else None
    if not isinstance(sources, dict):
        return {}
    return {str(sid): s["file"] for sid, s in sources.items() if isinstance(s, dict) and isinstance(s.get("file"), str)}
