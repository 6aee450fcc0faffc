"""Stage 2, validate: schema, references and quotes, every problem collected and located.

Each source, entity, fact and brief is validated on its own, so that one malformed item does not
hide the problems of the others; references and quotes are then checked among the valid items.
"""

from __future__ import annotations

import difflib
import re
import types
import typing
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from types import MappingProxyType
from typing import Any

from pydantic import BaseModel, ValidationError

from briefgen.errors import Diagnostic, Location, Severity, ValidationFailed, sort_diagnostics
from briefgen.limits import raise_hint
from briefgen.project.lint import lint
from briefgen.project.load import Article, LoadedProject, Unreadable, source_files
from briefgen.project.lock import (
    Lock,
    LockedArticle,
    LockProblem,
    citations,
    compare_quote,
    digest,
    lock_path,
    parse_lock,
    relocate,
)
from briefgen.project.model import (
    ID_PATTERN,
    TEMPLATE_NAME_PATTERN,
    Brief,
    Citation,
    Entity,
    Fact,
    Project,
    Settings,
    Source,
)
from briefgen.project.yamldoc import PathKey, YamlDocument, format_path
from briefgen.text.quotes import IndexedText, describe_difference, nearest_passage, normalize, quote_occurs

MIN_QUOTE_CHARS = 12  # shorter text (a name, a date) proves nothing about a claim
TOP_LEVEL: dict[str, bool] = {"project": False, "sources": True, "entities": False, "facts": True, "briefs": True}


@dataclass(frozen=True)
class ValidProject:
    """A project that passed validation: typed data, the article texts by source id, and warnings."""

    config: Path
    root: Path
    project: Project
    articles: Mapping[str, IndexedText]
    warnings: tuple[Diagnostic, ...]

    def fact_index(self) -> Mapping[str, Fact]:
        """Facts by id, built once (briefs look facts up by id many times)."""
        return self._fact_index

    @cached_property
    def _fact_index(self) -> Mapping[str, Fact]:
        return MappingProxyType({fact.id: fact for fact in self.project.facts})


def validate(loaded: LoadedProject) -> ValidProject:
    """Return the valid project, or raise ValidationFailed listing every error and warning."""
    checker = _Checker(loaded)
    project = checker.run()
    diagnostics = sort_diagnostics(checker.diagnostics)
    if project is None or any(d.severity is Severity.ERROR for d in diagnostics):
        raise ValidationFailed(diagnostics)
    # Warnings are about a project that is otherwise valid: on a broken one they would mostly be noise.
    diagnostics = sort_diagnostics([*diagnostics, *lint(project, loaded.document), *checker.lock_warnings(project)])
    articles = {sid: checker.article_texts[sid] for sid in project.sources}
    return ValidProject(loaded.config, loaded.root, project, articles, tuple(diagnostics))


class _Checker:
    def __init__(self, loaded: LoadedProject) -> None:
        self.loaded = loaded
        self.doc: YamlDocument = loaded.document
        self.diagnostics: list[Diagnostic] = []
        self.article_texts: dict[str, IndexedText] = {}
        self.lock, self.lock_problem = _read_lock(loaded)

    # -- reporting -------------------------------------------------------------------------------

    def error(self, path: PathKey, message: str, hint: str | None = None, *, key: bool = False) -> None:
        self.diagnostics.append(Diagnostic(self.doc.locate(path, key=key), message, hint))

    # -- the run -----------------------------------------------------------------------------------

    def run(self) -> Project | None:
        data = self.doc.data
        if not isinstance(data, dict):
            what = "empty" if data is None else f"a {_kind(data)}"
            self.error(
                (),
                f"briefs.yaml is {what}; it must be a mapping with sources, facts and briefs",
                "see briefs.schema.json or the README for the layout",
            )
            return None
        self._check_top_level(data)
        settings = self._one(("project",), Settings, data.get("project") or {})
        sources = self._mapping("sources", Source, data.get("sources"))
        entities = self._mapping("entities", Entity, data.get("entities") or {})
        facts = self._facts(data.get("facts"))
        briefs = self._mapping("briefs", Brief, data.get("briefs"))
        known = _RawIds.of(data)
        self._check_references(sources, entities, facts, briefs, known)
        self._check_articles_and_quotes(source_files(data), entities, facts)
        if settings is None or sources is None or facts is None or briefs is None:
            return None
        return Project.model_construct(
            project=settings, sources=sources, entities=entities or {}, facts=tuple(f for _, f in facts), briefs=briefs
        )

    def _check_top_level(self, data: dict[str, Any]) -> None:
        for key in data:
            if key not in TOP_LEVEL:
                self.error((key,), f"unknown top-level key {key!r}", _did_you_mean(key, TOP_LEVEL), key=True)
        for key, required in TOP_LEVEL.items():
            if required and key not in data:
                self.error((), f"missing required top-level key {key!r}")

    def _one(self, path: PathKey, model: type[BaseModel], raw: Any) -> Any:
        try:
            return model.model_validate(raw)
        except ValidationError as exc:
            self.diagnostics.extend(_schema_diagnostics(self.doc, path, model, exc))
            return None

    def _mapping(self, name: str, model: type[BaseModel], raw: Any) -> dict[str, Any] | None:
        if raw is None:
            return None
        if not isinstance(raw, dict):
            self.error((name,), f"{name} must be a mapping of id → entry, not a {_kind(raw)}")
            return None
        valid: dict[str, Any] = {}
        for item_id, item in raw.items():
            if not _is_id(item_id):
                self.error(
                    (name, item_id),
                    f"{name} id {item_id!r} is not valid",
                    "use lower-case letters, digits and hyphens",
                    key=True,
                )
                continue
            parsed = self._one((name, item_id), model, item)
            if parsed is not None:
                valid[item_id] = parsed
        return valid

    def _facts(self, raw: Any) -> list[tuple[int, Fact]] | None:
        if raw is None:
            return None
        if not isinstance(raw, list):
            self.error(("facts",), f"facts must be a list, not a {_kind(raw)}")
            return None
        valid: list[tuple[int, Fact]] = []
        first_line: dict[str, int] = {}
        for index, item in enumerate(raw):
            fact = self._one(("facts", index), Fact, item)
            if fact is None:
                continue
            if fact.id in first_line:
                self.error(
                    ("facts", index, "id"),
                    f"duplicate fact id {fact.id!r}",
                    f"first used at line {first_line[fact.id]}",
                )
                continue
            first_line[fact.id] = self.doc.locate(("facts", index, "id")).line
            valid.append((index, fact))
        return valid

    # -- references --------------------------------------------------------------------------------

    def _check_references(
        self,
        sources: dict[str, Source] | None,
        entities: dict[str, Entity] | None,
        facts: list[tuple[int, Fact]] | None,
        briefs: dict[str, Brief] | None,
        known: _RawIds,
    ) -> None:
        fact_ids = {fact.id for _, fact in facts or []}
        for path, cite in self._citations(entities, facts):
            self._reference((*path, "source"), cite.source, "source", sources or {}, known.sources)
        for index, fact in facts or []:
            for i, entity_id in enumerate(fact.entities):
                self._reference(("facts", index, "entities", i), entity_id, "entity", entities or {}, known.entities)
        for brief_id, brief in (briefs or {}).items():
            for path, fact_id in _brief_fact_refs(brief_id, brief):
                self._reference(path, fact_id, "fact", fact_ids, known.facts)

    def _reference(self, path: PathKey, ref: str, what: str, valid: Iterable[str], raw_ids: set[str]) -> None:
        if ref in valid:
            return
        if ref in raw_ids:
            return  # exists but is itself invalid; that error is already reported
        self.error(path, f"unknown {what} {ref!r}", _did_you_mean(ref, raw_ids))

    def _citations(
        self, entities: dict[str, Entity] | None, facts: list[tuple[int, Fact]] | None
    ) -> Iterator[tuple[PathKey, Citation]]:
        for index, fact in facts or []:
            for i, cite in enumerate(fact.cite):
                yield ("facts", index, "cite", i), cite
        for entity_id, entity in (entities or {}).items():
            for r, role in enumerate(entity.roles):
                for i, cite in enumerate(role.cite):
                    yield ("entities", entity_id, "roles", r, "cite", i), cite

    # -- articles and quotes -----------------------------------------------------------------------

    def _check_articles_and_quotes(
        self,
        files: dict[str, str],
        entities: dict[str, Entity] | None,
        facts: list[tuple[int, Fact]] | None,
    ) -> None:
        """Read each source's article by its raw `file`, so quotes are checked even if the source has other errors."""
        for source_id, file in files.items():
            article = self.loaded.articles.get(file)
            if isinstance(article, Article):
                self.article_texts[source_id] = article.text
            elif isinstance(article, Unreadable):
                self._report_unreadable(source_id, file, article)
        for path, cite in self._citations(entities, facts):
            self._check_quote(path, cite, files.get(cite.source))

    def _report_unreadable(self, source_id: str, file: str, problem: Unreadable) -> None:
        if problem.line:  # the problem is inside the article: point there
            where = Location(self.loaded.root / file, problem.line, problem.column)
            self.diagnostics.append(Diagnostic(where, problem.message, problem.hint))
        else:
            self.error(("sources", source_id, "file"), f"article {file!r}: {problem.message}", problem.hint)

    def _check_quote(self, path: PathKey, cite: Citation, file: str | None) -> None:
        quote_path = (*path, "quote")
        limit = self.loaded.limits.quote_chars
        if len(cite.quote) > limit:  # before normalising or searching: a huge quote costs time for nothing
            self.error(
                quote_path,
                f"quote is {len(cite.quote):,} characters long, more than the {limit:,}-character limit",
                f"quote the clause that supports the claim; {raise_hint('quote_chars')}",
            )
            return
        if len(normalize(cite.quote)) < MIN_QUOTE_CHARS:
            self.error(
                quote_path,
                f"quote too short to be evidence ({len(normalize(cite.quote))} characters; at least {MIN_QUOTE_CHARS})",
                "quote the clause that supports the claim",
            )
            return
        article = self.article_texts.get(cite.source)
        if file is None or article is None:
            return  # unknown source or unreadable article: already reported
        if quote_occurs(article, cite.quote):
            return
        locked = self._locked(file, article)
        place = locked.find(cite.quote) if locked else None
        if place is None:
            self.error(quote_path, f"quote not found in {file}", _nearest_hint(file, article, cite.quote))
            return
        hint = relocate(file, place, article) or (
            f"it was at {file}:{place.where} when locked, and the text around it is gone too; "
            + _nearest_hint(file, article, cite.quote)
        )
        self.error(quote_path, f"quote not found in {file}, which has changed since it was locked", hint)

    def _locked(self, file: str, article: IndexedText) -> LockedArticle | None:
        """The lock's record of an article that has changed since (None if unchanged or unrecorded)."""
        locked = self.lock.articles.get(file) if self.lock else None
        return locked if locked is not None and locked.sha256 != digest(article) else None

    def lock_warnings(self, project: Project) -> Iterator[Diagnostic]:
        """Articles changed since the lock was written, and their quotes that moved or changed context."""
        if self.lock_problem:
            where = Location(lock_path(self.loaded.config), 1, 1)  # the whole file, from its start
            yield Diagnostic(
                where, self.lock_problem, "the next `briefgen render` or `briefgen lock` rewrites it", WARN
            )
        changed: set[str] = set()
        for path, cite in citations(project):
            file = project.sources[cite.source].file
            article = self.article_texts[cite.source]
            locked = self._locked(file, article)
            if locked is None:
                continue
            if file not in changed:
                changed.add(file)
                yield Diagnostic(
                    self.doc.locate(("sources", cite.source, "file")),
                    f"{file} has changed since {lock_path(self.loaded.config).name} was written",
                    "every quote is still found; the next `briefgen render` or `briefgen lock` records the new version",
                    WARN,
                )
            place = locked.find(cite.quote)
            change = compare_quote(file, place, article) if place else None
            if change is not None:
                yield Diagnostic(self.doc.locate((*path, "quote")), change.message, change.hint, WARN)


# -- helpers -----------------------------------------------------------------------------------------

WARN = Severity.WARNING


def _read_lock(loaded: LoadedProject) -> tuple[Lock | None, str | None]:
    """The parsed lock file, or why it cannot be used (a warning: briefgen rewrites it anyway)."""
    if loaded.lock is None:
        return None, None
    if isinstance(loaded.lock, Unreadable):
        return None, f"cannot read the lock file: {loaded.lock.message}"
    try:
        return parse_lock(loaded.lock), None
    except LockProblem as problem:
        return None, f"ignoring the lock file: {problem}"


@dataclass(frozen=True)
class _RawIds:
    """Ids present in the raw YAML, valid or not; used to avoid knock-on 'unknown id' errors."""

    sources: set[str]
    entities: set[str]
    facts: set[str]

    @classmethod
    def of(cls, data: dict[str, Any]) -> _RawIds:
        def keys(value: Any) -> set[str]:
            return {str(k) for k in value} if isinstance(value, dict) else set()

        facts = data.get("facts")
        fact_ids = (
            {f["id"] for f in facts if isinstance(f, dict) and isinstance(f.get("id"), str)}
            if isinstance(facts, list)
            else set()
        )
        return cls(keys(data.get("sources")), keys(data.get("entities")), fact_ids)


def _brief_fact_refs(brief_id: str, brief: Brief) -> Iterator[tuple[PathKey, str]]:
    base: PathKey = ("briefs", brief_id)
    for i, fact_id in enumerate(brief.bottom_line):
        yield (*base, "bottom_line", i), fact_id
    for s, section in enumerate(brief.sections):
        for i, fact_id in enumerate(section.facts):
            yield (*base, "sections", s, "facts", i), fact_id
    for a, assessment in enumerate(brief.assessment):
        for i, fact_id in enumerate(assessment.based_on):
            yield (*base, "assessment", a, "based_on", i), fact_id


def _nearest_hint(file: str, article: IndexedText, quote: str) -> str:
    passage = nearest_passage(article, quote)
    if passage is None:
        return "no similar passage in the article; is it the right source?"
    return (
        f"nearest passage ({file}:{passage.line}:{passage.column}): “{' '.join(passage.text.split())}”; "
        f"the quote has {describe_difference(passage.text, quote)}"
    )


def _is_id(value: Any) -> bool:
    return isinstance(value, str) and re.fullmatch(ID_PATTERN, value) is not None


def _kind(value: Any) -> str:
    return {dict: "mapping", list: "list", str: "text", int: "number", float: "number", bool: "true/false"}.get(
        type(value), type(value).__name__
    )


def _did_you_mean(word: str, choices: Iterable[str]) -> str | None:
    close = difflib.get_close_matches(str(word), list(choices), n=1, cutoff=0.5)
    return f"did you mean {close[0]!r}?" if close else None


_FRIENDLY = {
    "string_type": "expected text",
    "int_type": "expected a whole number",
    "bool_type": "expected true or false",
    "tuple_type": "expected a list",
    "list_type": "expected a list",
    "dict_type": "expected a mapping",
    "model_type": "expected a mapping",
    "model_attributes_type": "expected a mapping",
    "too_short": "must not be empty",
}


def _schema_diagnostics(
    doc: YamlDocument, base: PathKey, model: type[BaseModel], exc: ValidationError
) -> list[Diagnostic]:
    out: list[Diagnostic] = []
    errors = exc.errors(include_url=False)
    # A misspelt key shows up twice, as unknown and as missing; the "did you mean" says it all.
    misspelt = {
        (*err["loc"][:-1], match)
        for err in errors
        if err["type"] == "extra_forbidden"
        for match in difflib.get_close_matches(str(err["loc"][-1]), _fields_at(model, tuple(err["loc"])[:-1]), 1, 0.5)
    }
    for err in errors:
        loc: PathKey = base + tuple(err["loc"])
        kind = err["type"]
        if kind == "missing" and tuple(err["loc"]) in misspelt:
            continue
        if kind == "missing":
            out.append(Diagnostic(doc.locate(loc[:-1]), f"{format_path(loc[:-1])}: missing required key {loc[-1]!r}"))
        elif kind == "extra_forbidden":
            allowed = _fields_at(model, tuple(err["loc"])[:-1])
            hint = _did_you_mean(str(loc[-1]), allowed) or (f"allowed keys: {', '.join(allowed)}" if allowed else None)
            out.append(Diagnostic(doc.locate(loc, key=True), f"{format_path(loc[:-1])}: unknown key {loc[-1]!r}", hint))
        elif kind == "string_pattern_mismatch" and "pattern" in err.get("ctx", {}):
            out.append(Diagnostic(doc.locate(loc), f"{format_path(loc)}: {_pattern_message(err)}"))
        else:
            message = _FRIENDLY.get(kind) or str(err["msg"]).removeprefix("Value error, ")
            if kind in ("string_type", "tuple_type", "list_type", "dict_type", "model_type") and "input" in err:
                message += f", got {_kind(err['input'])}"
            out.append(Diagnostic(doc.locate(loc), f"{format_path(loc)}: {message}"))
    return out


def _pattern_message(err: Any) -> str:
    pattern = err["ctx"]["pattern"]
    value = err.get("input")
    if pattern == ID_PATTERN:
        return f"{value!r} is not a valid id (use lower-case letters, digits and hyphens)"
    if pattern.startswith("^https?"):
        return f"{value!r} is not an http(s) URL"
    if pattern == TEMPLATE_NAME_PATTERN:
        return f"{value!r} is not a template file name (letters, digits, '.', '_' and '-'; no directories)"
    return f"{value!r} does not match {pattern}"


def _fields_at(model: Any, loc: tuple[Any, ...]) -> list[str]:
    """The keys allowed at `loc` inside `model`, following field types through lists and mappings."""
    current: Any = model
    for part in loc:
        current = _unwrap(current)
        if isinstance(current, type) and issubclass(current, BaseModel) and isinstance(part, str):
            field = current.model_fields.get(part)
            if field is None:
                return []
            current = field.annotation
        elif typing.get_origin(current) in (tuple, list, dict):
            current = typing.get_args(current)[-1 if typing.get_origin(current) is dict else 0]
        else:
            return []
    current = _unwrap(current)
    if isinstance(current, type) and issubclass(current, BaseModel):
        return list(current.model_fields)
    return []


def _unwrap(annotation: Any) -> Any:
    """Strip Annotated[...] and Optional[...] to reach the model or container inside."""
    while True:
        origin = typing.get_origin(annotation)
        if origin is typing.Annotated:
            annotation = typing.get_args(annotation)[0]
        elif origin in (typing.Union, types.UnionType):
            members = [a for a in typing.get_args(annotation) if a is not type(None)]
            annotation = members[0] if len(members) == 1 else annotation
            if len(members) != 1:
                return annotation
        else:
            return annotation
