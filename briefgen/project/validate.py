"""Stage 2, validate: schema, references and quotes, every problem collected and located.

Each source, entity, fact and brief is validated on its own, so that one malformed item does not
hide the problems of the others; references and quotes are then checked among the valid items.
Every quote is searched for once, here: the passages found are handed to the later stages
(assembly, evidence, the lock file) in the ValidProject.

Validation keeps nothing between runs and never touches `.briefgen-cache/`: what earlier runs found
(Memos) is handed in by the build layer, which reads it from the cache and saves it (build/api.py).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from functools import cached_property
from pathlib import Path
from types import MappingProxyType
from typing import Any

from pydantic import BaseModel, ValidationError

from briefgen.cpus import CpuWindow
from briefgen.errors import Diagnostic, Location, Severity, ValidationFailed, sort_diagnostics
from briefgen.limits import raise_hint
from briefgen.project.accept import Accepted, apply_accepts
from briefgen.project.block_keys import swallowed_keys
from briefgen.project.claims_ahead import ClaimsAhead
from briefgen.project.claims_memo import ClaimMemo
from briefgen.project.claims_support import ClaimSupport
from briefgen.project.drift import LockDrift
from briefgen.project.lint import lint
from briefgen.project.load import Article, LoadedProject, Unreadable
from briefgen.project.model import Brief, Citation, Entity, Fact, Project, Settings, Source
from briefgen.project.quote_memo import QuoteMemo
from briefgen.project.schema_errors import did_you_mean, kind_of, schema_diagnostics
from briefgen.project.theme import theme_problems
from briefgen.project.usage import UnusedFact, drafts_in_briefs, unused_facts
from briefgen.project.values import ID_PATTERN
from briefgen.project.variants import resolve_extends, template_problems
from briefgen.project.walk import (
    RawIds,
    brief_fact_refs,
    citations,
    project_citations,
    raw_source_files,
)
from briefgen.project.yamldoc import PathKey, YamlDocument
from briefgen.text.quotes import (
    IndexedText,
    Passage,
    explain_miss,
    normalize,
    quote_occurs,
)

MIN_QUOTE_CHARS = 12  # shorter text (a name, a date) proves nothing about a claim
TOP_LEVEL: dict[str, bool] = {
    "project": False,
    "include": False,  # merged by the loader (include.py); its problems are reported there
    "sources": True,
    "entities": False,
    "facts": True,
    "briefs": True,
}

QuoteKey = tuple[str, str]  # (source id, quote as briefs.yaml writes it)


@dataclass(frozen=True)
class Memos:
    """What earlier runs found, reused when its inputs are unchanged: where each quote stands
    (quote_memo.py) and each fact's claim-support findings (claims_memo.py). Validation updates them
    in memory only; new ones remember nothing."""

    quotes: QuoteMemo = field(default_factory=QuoteMemo)
    claims: ClaimMemo = field(default_factory=ClaimMemo)


@dataclass(frozen=True)
class ValidProject:
    """A project that passed validation: typed data, the article texts by source id, where each
    quote was found, and warnings."""

    config: Path
    root: Path
    # Where each value stands in briefs.yaml (and its included files): what located the warnings.
    # Kept with the project, also so that a check that ends at once (cli/commands.py, _ProcessEnd)
    # does not free every position one by one first (0.03 s for 10,000 facts).
    document: YamlDocument
    project: Project
    articles: Mapping[str, IndexedText]
    passages: Mapping[QuoteKey, Passage]
    warnings: tuple[Diagnostic, ...]
    accepted: tuple[Accepted, ...] = ()  # warnings a curator accepted (`accept:`), with their reasons

    def passage(self, cite: Citation) -> Passage:
        """Where the citation's quote stands in its article (found once, by validation)."""
        return self.passages[(cite.source, cite.quote)]

    def located_quotes(self) -> Iterator[tuple[str, IndexedText, Passage]]:
        """Each citation's article file, article text and passage (what the lock file records)."""
        for _, cite in project_citations(self.project):
            yield self.project.sources[cite.source].file, self.articles[cite.source], self.passage(cite)

    def fact_index(self) -> Mapping[str, Fact]:
        """Facts by id, built once (briefs look facts up by id many times)."""
        return self._fact_index

    @cached_property
    def _fact_index(self) -> Mapping[str, Fact]:
        return MappingProxyType({fact.id: fact for fact in self.project.facts})

    @cached_property
    def unused(self) -> tuple[UnusedFact, ...]:
        """The facts no brief names (drafts among them), for `report`: found when asked, as only
        `report` asks (for 10,000 facts, 8-13 ms at the end of every check)."""
        return unused_facts(self.project, self.document)


def validate(
    loaded: LoadedProject,
    template_dirs: Sequence[Path] = (),
    *,
    memos: Memos | None = None,
    ahead: ClaimsAhead | None = None,
) -> ValidProject:
    """Return the valid project, or raise ValidationFailed listing every error and warning.
    With `template_dirs` (the template search path), each brief's templates are looked for too.
    `memos` are what earlier runs found (none by default), updated with what this one finds.
    `ahead`: claim support begun before the project was read (claims_ahead.py)."""
    memos = Memos() if memos is None else memos
    window = CpuWindow()  # how busy the other CPUs are while this runs: whether a helper would pay (claims_support.py)
    document, variant_errors = resolve_extends(loaded.document)  # before the model: errors stay located
    loaded = replace(loaded, document=document)
    checker = _Checker(loaded, memos.quotes, ahead)
    checker.diagnostics.extend(variant_errors)
    checker.quotes.start_run()
    project = checker.run()
    checker.quotes.finish_run()
    if project is not None:
        checker.diagnostics.extend(drafts_in_briefs(project, loaded.document))
    if project is not None and template_dirs:
        checker.diagnostics.extend(template_problems(project, loaded.document, template_dirs))
        checker.diagnostics.extend(theme_problems(project, loaded.document, template_dirs))
    # dict.fromkeys: a variant's inherited value shares its parent's position, and with it the
    # parent's identical diagnostics there; each is reported once.
    diagnostics = sort_diagnostics(dict.fromkeys(checker.diagnostics))
    if project is None or any(d.severity is Severity.ERROR for d in diagnostics):
        raise ValidationFailed(diagnostics)
    articles = {sid: checker.article_texts[sid] for sid in project.sources}
    # Warnings are about a project that is otherwise valid: on a broken one they would mostly be noise.
    drift = checker.drift.warnings(loaded.document, project, project_citations(project), articles)
    texts = {source_id: article.original for source_id, article in articles.items()}
    starts = {key: passage.start for key, passage in checker.passages.items()}
    memos.claims.start_run()
    with ClaimSupport(project, loaded.document, texts, starts, memos.claims, window=window, ahead=ahead) as support:
        linted = lint(project, loaded.document)  # meanwhile, a helper (if any) examines its share of the claims
        found = [*linted, *support.diagnostics(), *drift]
    memos.claims.finish_run()
    reviewed = apply_accepts(project, loaded.document, [*diagnostics, *found])
    passages = MappingProxyType(checker.passages)
    warnings = tuple(sort_diagnostics(dict.fromkeys(reviewed.warnings)))
    return ValidProject(
        loaded.config, loaded.root, loaded.document, project, articles, passages, warnings, reviewed.accepted
    )


class _Checker:
    def __init__(self, loaded: LoadedProject, quotes: QuoteMemo, ahead: ClaimsAhead | None = None) -> None:
        self.loaded = loaded
        self.ahead = ahead  # a helper that finds the quotes of the last facts too (claims_ahead.py)
        self.doc: YamlDocument = loaded.document
        self.diagnostics: list[Diagnostic] = []
        self.article_texts: dict[str, IndexedText] = {}
        self.passages: dict[QuoteKey, Passage] = {}
        self.drift = LockDrift(loaded)
        self.quotes = quotes  # where quotes were found before (quote_memo.py)
        self.nearest_budget = NEAREST_SEARCH_CHARS  # article characters left to search for nearest passages
        # Citations of facts and entities that are invalid as a whole, read on their own: one error in
        # a fact (a misspelt key, a bad date) must not hide the problems of its quotes.
        self.salvaged: list[tuple[PathKey, Citation]] = []
        self.salvaged_entities: list[tuple[PathKey, str]] = []  # entity ids named by invalid facts

    # -- reporting -------------------------------------------------------------------------------

    def error(self, path: PathKey, message: str, hint: str | None = None, *, key: bool = False) -> None:
        self.diagnostics.append(Diagnostic(self.doc.locate(path, key=key), message, hint))

    # -- the run -----------------------------------------------------------------------------------

    def run(self) -> Project | None:
        data = self.doc.data
        if not isinstance(data, dict):
            what = "empty" if data is None else f"a {kind_of(data)}"
            self.error(
                (),
                f"briefs.yaml is {what}; it must be a mapping with sources, facts and briefs",
                "see briefs.schema.json or the README for the layout",
            )
            return None
        self._check_top_level(data)
        self.diagnostics.extend(swallowed_keys(self.doc, Project))
        settings = self._one(("project",), Settings, data.get("project") or {})
        sources = self._mapping("sources", Source, data.get("sources"))
        entities = self._mapping("entities", Entity, data.get("entities") or {})
        facts = self._facts(data.get("facts"))
        briefs = self._mapping("briefs", Brief, data.get("briefs"))
        self._check_references(sources, entities, facts, briefs, RawIds.of(data))
        self._check_articles_and_quotes(raw_source_files(data), entities, facts)
        if settings is None or sources is None or facts is None or briefs is None:
            return None
        return Project.model_construct(
            project=settings, sources=sources, entities=entities or {}, facts=tuple(f for _, f in facts), briefs=briefs
        )

    def _check_top_level(self, data: dict[str, Any]) -> None:
        for key in data:
            if key not in TOP_LEVEL:
                self.error((key,), f"unknown top-level key {key!r}", did_you_mean(key, TOP_LEVEL), key=True)
        for key, required in TOP_LEVEL.items():
            if required and key not in data:
                self.error((), f"missing required top-level key {key!r}")

    def _one(self, path: PathKey, model: type[BaseModel], raw: Any) -> Any:
        try:
            return model.model_validate(raw)
        except ValidationError as exc:
            self.diagnostics.extend(schema_diagnostics(self.doc, path, model, exc))
            return None

    def _mapping(self, name: str, model: type[BaseModel], raw: Any) -> dict[str, Any] | None:
        if raw is None:
            return None
        if not isinstance(raw, dict):
            self.error((name,), f"{name} must be a mapping of id → entry, not a {kind_of(raw)}")
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
            elif model is Entity:
                roles = item.get("roles") if isinstance(item, dict) else None
                for r, role in enumerate(roles if isinstance(roles, list) else []):
                    self._salvage((name, item_id, "roles", r), role)
        return valid

    def _facts(self, raw: Any) -> list[tuple[int, Fact]] | None:
        if raw is None:
            return None
        if not isinstance(raw, list):
            self.error(("facts",), f"facts must be a list, not a {kind_of(raw)}")
            return None
        valid: list[tuple[int, Fact]] = []
        first: dict[str, int] = {}  # the index of each id's first fact (located only for a duplicate)
        for index, item in enumerate(raw):
            fact = self._one(("facts", index), Fact, item)
            if fact is None:
                self._salvage(("facts", index), item)
                self._salvage_entities(index, item)
                continue
            if fact.id in first:
                self._duplicate_fact(("facts", index, "id"), fact.id, self.doc.locate(("facts", first[fact.id], "id")))
                continue
            first[fact.id] = index
            valid.append((index, fact))
        return valid

    def _duplicate_fact(self, path: PathKey, fact_id: str, first: Location) -> None:
        """A second fact with an id: in the same file, an error there; in another file (include:),
        an error at each, naming the other, as for any id defined in two files."""
        here = self.doc.locate(path)
        if here.path == first.path:
            self.error(path, f"duplicate fact id {fact_id!r}", f"first used at line {first.line}")
            return
        hint = "ids are shared by the whole project: rename one, or keep the fact in one file"
        self.diagnostics.append(Diagnostic(here, f"duplicate fact id {fact_id!r}: also defined at {first}", hint))
        self.diagnostics.append(Diagnostic(first, f"duplicate fact id {fact_id!r}: also defined at {here}", hint))

    def _salvage(self, path: PathKey, raw: Any) -> None:
        """Keep the valid citations of an invalid item (the invalid ones are in the item's errors)."""
        cites = raw.get("cite") if isinstance(raw, dict) else None
        for i, cite in enumerate(cites if isinstance(cites, list) else []):
            try:
                self.salvaged.append(((*path, "cite", i), Citation.model_validate(cite)))
            except ValidationError:
                continue

    def _salvage_entities(self, index: int, raw: Any) -> None:
        named = raw.get("entities") if isinstance(raw, dict) else None
        for i, entity_id in enumerate(named if isinstance(named, list) else []):
            if _is_id(entity_id):  # an invalid one is in the fact's errors
                self.salvaged_entities.append((("facts", index, "entities", i), entity_id))

    def _all_citations(
        self, facts: list[tuple[int, Fact]] | None, entities: dict[str, Entity] | None
    ) -> list[tuple[PathKey, Citation]]:
        """The valid items' citations, then the salvaged ones (diagnostics are sorted into file order later)."""
        return [*citations(facts or [], entities or {}), *self.salvaged]

    # -- references --------------------------------------------------------------------------------

    def _check_references(
        self,
        sources: dict[str, Source] | None,
        entities: dict[str, Entity] | None,
        facts: list[tuple[int, Fact]] | None,
        briefs: dict[str, Brief] | None,
        known: RawIds,
    ) -> None:
        fact_ids = {fact.id for _, fact in facts or []}
        for path, cite in self._all_citations(facts, entities):
            self._reference((*path, "source"), cite.source, "source", sources or {}, known.sources)
        for index, fact in facts or []:
            for i, entity_id in enumerate(fact.entities):
                self._reference(("facts", index, "entities", i), entity_id, "entity", entities or {}, known.entities)
        for path, entity_id in self.salvaged_entities:
            self._reference(path, entity_id, "entity", entities or {}, known.entities)
        for brief_id, brief in (briefs or {}).items():
            for ref in brief_fact_refs(brief_id, brief):
                self._reference(ref.path, ref.fact_id, "fact", fact_ids, known.facts)

    def _reference(self, path: PathKey, ref: str, what: str, valid: Iterable[str], raw_ids: Iterable[str]) -> None:
        if ref in valid:
            return
        if ref in raw_ids:
            return  # exists but is itself invalid; that error is already reported
        self.error(path, f"unknown {what} {ref!r}", did_you_mean(ref, raw_ids))

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
        ahead = self.ahead
        share = ahead.share(self.doc) if ahead is not None else range(0)
        ahead, helped = (ahead, share.start) if share else (None, 0)  # its share's quotes it found too
        for path, cite in self._all_citations(facts, entities):
            if ahead is not None and path[0] == "facts" and isinstance(path[1], int) and path[1] >= helped:
                self.quotes.learn(ahead.places())  # where the helper found them: not searched again
                ahead = None
            self._check_quote(path, cite, files.get(cite.source))

    def _report_unreadable(self, source_id: str, file: str, problem: Unreadable) -> None:
        if problem.line:  # the problem is inside the article: point there
            item = ("sources", source_id, "file")  # what the problem is about, for `check BRIEF-ID`
            where = Location(self.loaded.root / file, problem.line, problem.column, item)
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
        needle = normalize(cite.quote)
        if len(needle) < MIN_QUOTE_CHARS:
            self.error(
                quote_path,
                f"quote too short to be evidence ({len(needle)} characters; at least {MIN_QUOTE_CHARS})",
                "quote the clause that supports the claim",
            )
            return
        article = self.article_texts.get(cite.source)
        if file is None or article is None:
            return  # unknown source or unreadable article: already reported
        key = (cite.source, cite.quote)
        if key in self.passages:
            return  # the same quote of the same article, cited again
        passage = self.quotes.find(article, cite.quote, needle)
        if passage is not None:
            self.passages[key] = passage
            return
        locked = self.drift.missing_quote_hint(file, article, cite.quote)
        if locked is None:
            advice = (
                self._elsewhere_hint(cite)
                or _ellipsis_hint(article, cite.quote)
                or self._nearest_hint(file, article, cite.quote)
            )
            self.error(quote_path, f"quote not found in {file}", advice)
            return
        place, hint = locked
        hint = hint or (
            f"it was at {file}:{place.where} when locked, and the text around it is gone too; "
            + self._nearest_hint(file, article, cite.quote)
        )
        self.error(quote_path, f"quote not found in {file}, which has changed since it was locked", hint)

    def _elsewhere_hint(self, cite: Citation) -> str | None:
        """When the quote is verbatim text of another article of the project: it was cited to the wrong source."""
        files = raw_source_files(self.doc.data)
        for source_id, text in self.article_texts.items():
            elsewhere = source_id != cite.source and files.get(source_id) != files.get(cite.source)
            if elsewhere and quote_occurs(text, cite.quote):
                return f"found in {files[source_id]} (source {source_id!r}); cite `source: {source_id}`"
        return None

    def _nearest_hint(self, file: str, article: IndexedText, quote: str) -> str:
        """The nearest passage, while the run's budget for searching them lasts (see NEAREST_SEARCH_CHARS)."""
        if self.nearest_budget < len(article.normalized):
            return "nearest passage not searched: many quotes are not found already; fix those first"
        self.nearest_budget -= len(article.normalized)
        return _nearest_hint(file, article, quote)


# An ellipsis marks words left out; a quote must be one unbroken run of the article's text.
_ELLIPSIS = re.compile(r"\s*(?:\[\s*(?:\.\s*){3}\]|\[\s*…\s*\]|\.\s*\.\s*\.|…)\s*")


def _ellipsis_hint(article: IndexedText, quote: str) -> str | None:
    """For a quote that skips words with an ellipsis: cite the parts as separate quotes."""
    parts = [part for part in _ELLIPSIS.split(quote) if part.strip()]
    if not _ELLIPSIS.search(quote) or not parts:
        return None
    found = [part for part in parts if quote_occurs(article, part)]
    advice = "a quote cannot skip words; cite each part as a quote of its own (one `- source: … quote: …` each)"
    if len(found) == len(parts):
        shown = " and ".join(f"“{' '.join(part.split())}”" for part in parts)
        return f"{advice}: {shown} are each in the article"
    return advice


# Searching an article for the passage nearest a quote costs about 0.3 µs per character (0.5 s for
# a 2 MB article). A run searches at most this many characters in all: ten articles at the size
# limit, thousands of ordinary ones; past it a quote not found is still an error, without a
# suggestion, so fifty missing quotes cannot cost a minute.
NEAREST_SEARCH_CHARS = 20_000_000


def _nearest_hint(file: str, article: IndexedText, quote: str) -> str:
    miss = explain_miss(article, quote)
    if miss is None:
        return "no similar passage in the article; is it the right source?"
    passage = miss.passage
    shown = " ".join(passage.text.split())
    return f"nearest passage ({file}:{passage.line}:{passage.column}): “{shown}”; {miss.difference}"


def _is_id(value: Any) -> bool:
    return isinstance(value, str) and re.fullmatch(ID_PATTERN, value) is not None
