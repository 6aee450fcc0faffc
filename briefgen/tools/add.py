"""`briefgen add`: a new article in one step — its text in seeds/, its source entry and DRAFT facts
merged into briefs.yaml.

For each file: extract the article (extract.py), refuse it if the project already has it, take the
metadata the file states about itself (`basis: stated`, with a note naming where) and what `suggest`
guesses from the text for the rest (`basis: inferred`), draft the facts as `suggest` does and date
them from relative time words where the published date allows (reldate.py). Then merge everything
into the project file as text (merge.py), check that the project has no error it did not have
before, and write the article, its original and the project file together — or nothing at all.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from briefgen.build.checking import check_loaded
from briefgen.build.write import WriteReport, write_outputs
from briefgen.errors import BriefgenError, Diagnostic, Severity, ValidationFailed
from briefgen.limits import Limits
from briefgen.project.include import merge_included
from briefgen.project.load import Article, LoadedProject, Unreadable, load_project, read_article
from briefgen.project.validate import MIN_QUOTE_CHARS
from briefgen.project.values import PartialDate
from briefgen.project.walk import raw_items, raw_mapping
from briefgen.project.yamldoc import YamlProblem, parse_yaml
from briefgen.text.quotes import IndexedText, normalize
from briefgen.text.sentences import body_sentences
from briefgen.tools.extract import Extracted, Kind, Stated, extract, fail
from briefgen.tools.merge import merge_entries
from briefgen.tools.metadata import Guess, SourceGuesses, guess_source
from briefgen.tools.reldate import ResolvedDate, resolve
from briefgen.tools.suggest import FactCandidate, ProjectContext, fact_candidates, project_context, source_slug
from briefgen.tools.yamltext import comment, scalar

SEEDS = "seeds"
ORIGINALS = "seeds/originals"
FIELDS = ("title", "outlet", "author", "published", "url")
# An article whose body sentences are mostly in an article of the project is that article again
# (another copy of the same story: a saved page of a text in seeds/, a PDF of a page already added).
SAME_ARTICLE_SHARE = 0.8
MAX_ID_CHARS = 76  # the schema allows 80; `-2` … `-999` still fit


@dataclass(frozen=True)
class NewArticle:
    """One file's contribution: where its text goes, its source entry and its drafted facts."""

    extracted: Extracted
    source_id: str
    file: str  # the article's `file` value, relative to the project
    original: str | None  # where the original is kept, relative to the project (None: the file is its own)
    in_place: bool  # a text file already inside the project, used where it is
    stated: tuple[Stated, ...]
    guessed: tuple[Guess, ...]  # from the text, for the fields the file does not state
    guesses: SourceGuesses  # everything read from the text, for its findings (a dateline, e-mails)
    facts: tuple[FactCandidate, ...]
    dates: dict[str, ResolvedDate]  # fact id → its date, resolved from relative words

    def yaml_source(self) -> str:
        return "".join(line + "\n" for line in _source_lines(self))

    def yaml_facts(self) -> str:
        return "".join(line + "\n" for line in _facts_lines(self))


@dataclass(frozen=True)
class AddPlan:
    config: Path
    articles: tuple[NewArticle, ...]
    merged: str  # the project file's new text
    outputs: dict[Path, bytes]  # everything to write, the project file last
    warnings: tuple[Diagnostic, ...]  # the merged project's warnings


def plan_add(paths: Sequence[Path], config: Path, limits: Limits | None = None) -> AddPlan:
    """Work out everything `add` would write; raise (writing nothing) on any problem."""
    limits = limits or Limits.from_env()
    loaded = load_project(config, limits)
    before = _problems(loaded)
    context = project_context(config)
    existing = _existing(loaded)
    root = loaded.root
    articles: list[NewArticle] = []
    for path in paths:
        extracted = extract(path, limits)
        _refuse_duplicate(extracted, existing, root)
        article = _new_article(extracted, context, root, articles, limits)
        articles.append(article)
        existing.add(article)
    text = loaded.document.source
    sources = "".join(a.yaml_source() for a in articles)
    facts = "".join(a.yaml_facts() for a in articles)
    merged = merge_entries(text, config, sources, facts)
    warnings = _checked(loaded, merged, articles, before)
    outputs: dict[Path, bytes] = {}
    for a in articles:
        if a.original is not None:
            outputs[root / a.original] = a.extracted.original
        if not a.in_place:
            outputs[root / a.file] = a.extracted.text.encode("utf-8")
    outputs[config] = merged.encode("utf-8")
    return AddPlan(config, tuple(articles), merged, outputs, warnings)


def write_plan(plan: AddPlan) -> WriteReport:
    """Write the articles, their originals and the project file, all or nothing."""
    for path in plan.outputs:
        if path != plan.config and path.exists():  # checked when planning; a file may have appeared since
            raise BriefgenError(f"{path}: already exists; nothing was written", "run briefgen add again")
    return write_outputs(plan.outputs)


def dry_run_text(plan: AddPlan) -> str:
    """What --dry-run prints: the files that would be written and the YAML that would be added."""
    out = []
    for a in plan.articles:
        if not a.in_place:
            out.append(f"# would write {comment(a.file)} ({len(a.extracted.text.encode('utf-8')):,} bytes)")
        if a.original is not None:
            out.append(f"# would keep the original as {comment(a.original)}")
    out.append(f"# would add to {comment(str(plan.config))}:")
    out.append("sources:")
    body = "".join(a.yaml_source() for a in plan.articles) + "facts:\n" + "".join(a.yaml_facts() for a in plan.articles)
    return "\n".join(out) + "\n" + body


# -- one article ----------------------------------------------------------------------------------------


class _Existing:
    """What the project already holds, to refuse an article twice: texts, URLs, originals, ids, files."""

    def __init__(self, texts: dict[str, str], urls: dict[str, str], ids: set[str], files: set[str]) -> None:
        self.texts, self.urls, self.ids, self.files = texts, urls, ids, files
        self.originals: dict[str, str] = {}
        self.normalized: dict[str, str] = {}  # source id → its article's text, normalised

    def add(self, article: NewArticle) -> None:
        self.texts[_fingerprint(article.extracted.text)] = article.source_id
        self.normalized[article.source_id] = normalize(article.extracted.text)
        url = next((s.value for s in article.stated if s.field == "url"), None)
        if url:
            self.urls[url] = article.source_id
        self.originals[hashlib.sha256(article.extracted.original).hexdigest()] = article.source_id
        self.ids.add(article.source_id)
        self.ids.update(f.id for f in article.facts)
        self.files.update(p for p in (article.file, article.original) if p)


def _existing(loaded: LoadedProject) -> _Existing:
    data = loaded.document.data if isinstance(loaded.document.data, dict) else {}
    sources = raw_mapping(data.get("sources"))
    by_file = {s.get("file"): sid for sid, s in sources.items() if isinstance(s, dict)}
    texts = {
        _fingerprint(article.text.original): str(by_file.get(name, name))
        for name, article in loaded.articles.items()
        if isinstance(article, Article)
    }
    urls = {}
    for sid, source in sources.items():
        url = source.get("url") if isinstance(source, dict) else None
        url = url.get("value") if isinstance(url, dict) else url
        if isinstance(url, str):
            urls[url] = sid
    ids = {*sources, *(str(f.get("id")) for f in raw_items(data.get("facts")))}
    existing = _Existing(texts, urls, ids, {f for f in by_file if isinstance(f, str)})
    existing.normalized = {
        str(by_file.get(name, name)): article.text.normalized
        for name, article in loaded.articles.items()
        if isinstance(article, Article)
    }
    originals = loaded.root / ORIGINALS
    if originals.is_dir():
        for path in sorted(originals.iterdir()):
            if path.is_file():
                stem_source = next((sid for sid in sources if path.stem == sid), path.name)
                existing.originals[hashlib.sha256(path.read_bytes()).hexdigest()] = stem_source
    return existing


def _fingerprint(text: str) -> str:
    return hashlib.sha256(normalize(text).encode("utf-8")).hexdigest()


def _refuse_duplicate(extracted: Extracted, existing: _Existing, root: Path) -> None:
    path = extracted.path
    digest = hashlib.sha256(extracted.original).hexdigest()
    same = (
        existing.texts.get(_fingerprint(extracted.text))
        or existing.originals.get(digest)
        or next(
            (existing.urls[s.value] for s in extracted.stated if s.field == "url" and s.value in existing.urls), None
        )
    )
    share = ""
    if not same:
        same, share = _same_sentences(extracted.text, existing)
    if same:
        fail(
            path,
            f"this article is already in the project as source {same!r}{share}",
            "to replace the article's text, edit that source's file instead",
        )


def _same_sentences(text: str, existing: _Existing) -> tuple[str | None, str]:
    """The project's article that holds most of this one's body sentences, if there is one."""
    sentences = [q for q in (normalize(s.quote) for s in body_sentences(text)) if len(q) >= MIN_QUOTE_CHARS]
    if len(sentences) < 2:
        return None, ""
    for source_id, other in existing.normalized.items():
        found = sum(sentence in other for sentence in sentences)
        if found >= SAME_ARTICLE_SHARE * len(sentences):
            return source_id, f" ({found} of its {len(sentences)} sentences are in that source's text)"
    return None, ""


def _new_article(
    extracted: Extracted, context: ProjectContext, root: Path, earlier: Iterable[NewArticle], limits: Limits
) -> NewArticle:
    stated_fields = {s.field for s in extracted.stated}
    guesses = guess_source(extracted.text)
    guessed = tuple(g for g in guesses.guesses if g.field not in stated_fields)
    as_guesses = SourceGuesses(
        tuple(Guess(s.field, s.value, 0, s.origin) for s in extracted.stated) + guessed, guesses.findings
    )
    taken = set(context.taken_ids)
    files = set(context.sources_by_file)
    for article in earlier:
        taken.update({article.source_id, *(f.id for f in article.facts)})
        files.update(p for p in (article.file, article.original) if p)
    in_place = _inside(extracted.path, root) if extracted.kind is Kind.TEXT else None
    base = _capped(source_slug(as_guesses, extracted.path))
    source_id, file, original = _names(base, extracted, root=root, taken=taken, files=files, in_place=in_place)
    # A "sentence" longer than a quote may be (a table or a list run together) is no quote to draft.
    sentences = [
        s
        for s in body_sentences(extracted.text)
        if len(normalize(s.quote)) >= MIN_QUOTE_CHARS and len(s.quote) <= limits.quote_chars
    ]
    facts = fact_candidates(sentences, replace(context, taken_ids=frozenset(taken)), {source_id})
    published = _published(extracted.stated, guessed)
    guessed_date = not any(s.field == "published" for s in extracted.stated)
    dates = {}
    if published is not None:
        for fact in facts:
            resolved = resolve(fact.sentence.quote, published)
            if resolved is not None and guessed_date:  # an inference from an inference: say so
                resolved = replace(
                    resolved, note=f"{resolved.note}; that published date is itself guessed from the text"
                )
            if resolved is not None:
                dates[fact.id] = resolved
    return NewArticle(
        extracted, source_id, file, original, in_place is not None, extracted.stated, guessed, guesses, facts, dates
    )


def _capped(source_id: str) -> str:
    """An id short enough for the schema (80 characters) with room for a `-NN`, cut between words."""
    if len(source_id) <= MAX_ID_CHARS:
        return source_id
    return source_id[: MAX_ID_CHARS + 1].rsplit("-", 1)[0].strip("-") or source_id[:MAX_ID_CHARS]


def _inside(path: Path, root: Path) -> str | None:
    """A text file already in the project's seeds/ is used where it is, not copied."""
    try:
        return f"{SEEDS}/{path.resolve().relative_to((root / SEEDS).resolve()).as_posix()}"
    except ValueError:
        return None


def _names(
    base: str, extracted: Extracted, *, root: Path, taken: set[str], files: set[str], in_place: str | None
) -> tuple[str, str, str | None]:
    """A source id, the article's file and the original's, none of them taken or on disk already."""
    suffix = extracted.path.suffix.lower()
    n = 1
    while True:
        source_id = base if n == 1 else f"{base}-{n}"
        n += 1
        if in_place is not None:
            if source_id not in taken:
                return source_id, in_place, None
            continue
        text_suffix = ".md" if extracted.kind is Kind.TEXT and suffix in (".md", ".markdown") else ".txt"
        file = f"{SEEDS}/{source_id}{text_suffix}"
        original = f"{ORIGINALS}/{source_id}{suffix}" if extracted.kind is not Kind.TEXT else None
        wanted = [p for p in (file, original) if p]
        if source_id in taken or any(p in files or (root / p).exists() for p in wanted):
            continue
        if original is None:  # a text file is its own original: the copy in seeds/ is kept as it was
            return source_id, file, None
        return source_id, file, original


def _published(stated: Iterable[Stated], guessed: Iterable[Guess]) -> PartialDate | None:
    value = next((s.value for s in stated if s.field == "published"), None) or next(
        (g.value for g in guessed if g.field == "published"), None
    )
    try:
        return PartialDate.parse(value) if value else None
    except ValueError:
        return None


# -- the check ------------------------------------------------------------------------------------------


def _problems(loaded: LoadedProject) -> list[Diagnostic]:
    """The project's errors and warnings before anything is added."""
    try:
        return list(check_loaded(loaded).warnings)
    except ValidationFailed as failed:
        return list(failed.diagnostics)


def _checked(
    loaded: LoadedProject, merged: str, articles: Sequence[NewArticle], before: list[Diagnostic]
) -> tuple[Diagnostic, ...]:
    """Validate the merged project in memory; refuse when it has an error the project did not have,
    and return the warnings it did not have (those about the new entries)."""
    try:
        document = parse_yaml(merged, loaded.config, loaded.limits)
    except YamlProblem as problem:
        raise ValidationFailed(problem.diagnostics) from None
    # A split project (include:): the entries go into briefs.yaml, checked with the included files.
    document, _ = merge_included(document, loaded.included)
    new_articles: dict[str, Article | Unreadable] = {
        a.file: Article(loaded.root / a.file, IndexedText(a.extracted.text)) for a in articles if not a.in_place
    }
    new_articles.update({a.file: read_article(loaded.root, a.file, loaded.limits) for a in articles if a.in_place})
    candidate = replace(loaded, document=document, articles={**loaded.articles, **new_articles})
    new = _new_problems(_problems(candidate), before)
    errors = [d for d in new if d.severity is Severity.ERROR]
    if errors:
        raise BriefgenError(
            "the drafted entries would not pass `briefgen check`:\n" + "\n".join(d.format() for d in errors),
            "please report this; meanwhile run briefgen suggest on the extracted text and paste by hand",
        )
    return tuple(new)


def _new_problems(after: list[Diagnostic], before: list[Diagnostic]) -> list[Diagnostic]:
    """The problems in `after` not in `before`, compared by message (lines move when entries are added)."""
    remaining = [(d.severity, d.message) for d in before]
    new = []
    for d in after:
        if (d.severity, d.message) in remaining:
            remaining.remove((d.severity, d.message))
        else:
            new.append(d)
    return new


# -- YAML ------------------------------------------------------------------------------------------------


def _source_lines(a: NewArticle) -> list[str]:
    kept = f" (original in {ORIGINALS}/)" if a.original else ""
    lines = [
        f"  # Added by `briefgen add` from {comment(a.extracted.path.name)}{kept}: review every value.",
        f"  {a.source_id}:",
        f"    file: {scalar(a.file)}",
    ]
    stated = {s.field: s for s in a.stated}
    guessed = {g.field: g for g in a.guessed}
    for field in FIELDS:
        if field in stated:
            lines += _attested(field, stated[field].value, "stated", f"as given by {stated[field].origin}")
        elif field in guessed:
            lines += _attested(field, guessed[field].value, "inferred", _guess_note(guessed[field], a.file))
        else:
            lines.append(
                f"    # {field}: neither the file's metadata nor its text gives one; never fill it in from memory"
            )
    credit = guessed.get("credit")
    if credit:
        lines.append(f"    credit: {scalar(credit.value)}  # {comment(_guess_note(credit, a.file))}")
    lines += [f"    # {comment(remark)}" for remark in a.extracted.remarks]
    lines += [f"    # {comment(f'{f.label} (line {f.line}): {f.value}')}" for f in a.guesses.findings]
    return lines


def _attested(field: str, value: str, basis: str, note: str) -> list[str]:
    return [f"    {field}:", f"      value: {scalar(value)}", f"      basis: {basis}", f"      note: {scalar(note)}"]


def _guess_note(guess: Guess, file: str) -> str:
    evidence = " ".join(guess.evidence.split())
    note = f"guessed by briefgen add from line {guess.line} of {file}: {evidence}"
    return f"{note}; {guess.caveat}" if guess.caveat else note


def _facts_lines(a: NewArticle) -> list[str]:
    if not a.facts:
        return [f"  # briefgen add: no sentence with figures, dates or names in {comment(a.file)}"]
    lines = [
        f"  # DRAFT facts from {comment(a.file)} (briefgen add): rewrite each claim, trim each quote, delete the rest"
    ]
    for fact in a.facts:
        carries = [f"line {fact.sentence.line}"]
        for label, values in (("figures", fact.figures), ("time", fact.times), ("names", fact.names)):
            if values:
                carries.append(f"{label}: {', '.join(values)}")
        lines += [f"  # {comment(' · '.join(carries))}", f"  - id: {fact.id}", f"    claim: {scalar(fact.claim)}"]
        resolved = a.dates.get(fact.id)
        if resolved:
            lines += ["    date:", f"      value: {scalar(resolved.value.iso())}", "      basis: inferred"]
            lines.append(f"      note: {scalar(resolved.note)}")
        lines.append(f"    topics: [{', '.join(fact.topics)}]")
        if fact.entities:
            lines.append(f"    entities: [{', '.join(fact.entities)}]")
        lines += ["    cite:", f"      - source: {a.source_id}", f"        quote: {scalar(fact.sentence.quote)}"]
    return lines
