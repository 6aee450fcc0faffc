"""`briefgen suggest`: draft YAML for a new article — its source entry and fact candidates.

The output is in the shape of briefs.yaml (a `sources:` mapping with one entry, a `facts:` list)
and validates as pasted, but it is a draft, and says so everywhere:

- every metadata value is a guess written as `{value, basis: inferred, note: "guessed by briefgen
  suggest from line N: …"}`, so that a curator must look at it; what the text does not show is left
  out (or named in a comment), never made up;
- fact candidates are the body sentences that carry figures, dates or names (page chrome and photo
  captions are skipped, see `sentences`); each quote is the sentence verbatim, each claim the same
  sentence starting with "DRAFT:", for the analyst to rewrite;
- topics and entities are suggestions: with a project, its own topic ids and entities (by name or
  alias, whose spelling the draft claim then uses); without one, a small default vocabulary and
  capitalised names in a comment.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from briefgen.errors import BriefgenError
from briefgen.limits import Limits
from briefgen.project.load import DEFAULT_CONFIG, load_project, read_text
from briefgen.project.validate import MIN_QUOTE_CHARS
from briefgen.project.walk import raw_entities, raw_fact_quotes, raw_items, raw_mapping, raw_source_files, raw_strings
from briefgen.text.names import NameMatcher
from briefgen.text.quotes import IndexedText, normalize
from briefgen.text.sentences import (
    Sentence,
    body_sentences,
    capitalised_names,
    figures,
    overlaps,
    quote_spans,
    time_expressions,
)
from briefgen.tools.metadata import SourceGuesses, guess_source

DRAFT = "DRAFT: "
MAX_ID_WORDS = 6
# Without a project, topics come from this small vocabulary: topic id → words that suggest it.
DEFAULT_TOPICS: dict[str, str] = {
    "defence": r"defen[cs]e|military|arms|weapons?|armed forces|troops",
    "diplomacy": r"talks|met|meets|meeting|summit|visit|agreement|envoy|diplomat\w*|foreign minister",
    "economy": r"econom\w*|trade|trading|exports?|imports?|invest\w*|supply chains?",
    "security": r"security|deterr\w*|threats?",
}
_STOP_WORDS = frozenset("a an the of to on in at and or for with by from as its their his her is are was were".split())  # noqa: SIM905


@dataclass(frozen=True)
class ProjectContext:
    """What an existing project tells suggest: its vocabulary, its ids, and what it already quotes."""

    root: Path
    names: NameMatcher  # the project's entities, by name and alias
    topics: tuple[str, ...]
    taken_ids: frozenset[str]  # fact and source ids already in use
    sources_by_file: dict[str, str]  # `file` value → source id
    quotes_by_source: dict[str, tuple[str, ...]]


@dataclass(frozen=True)
class FactCandidate:
    id: str
    sentence: Sentence
    claim: str
    topics: tuple[str, ...]
    entities: tuple[str, ...]
    names: tuple[str, ...]  # capitalised names that are not (known) entities
    figures: tuple[str, ...]
    times: tuple[str, ...]


@dataclass(frozen=True)
class Suggestion:
    article: Path
    file: str
    outside_project: bool
    source_id: str
    known_source: bool
    metadata: SourceGuesses
    facts: tuple[FactCandidate, ...]
    already_cited: int


def suggest(article: Path, config: Path | None = None) -> Suggestion:
    """Read the article (and the project, when there is one) and draft its source entry and facts."""
    text = read_text(article, Limits.from_env().article_bytes, "article_bytes")
    if not isinstance(text, str):
        raise BriefgenError(f"{article}: {text.message}", text.hint)
    context = project_context(config) if config is not None else None
    root = context.root if context else Path.cwd()
    file, outside = article_file(article, root)
    metadata = guess_source(text)
    known = context.sources_by_file.get(file) if context else None
    source_id = known or unique_id(source_slug(metadata, article), context.taken_ids if context else frozenset())
    cited = quote_spans(IndexedText(text), context.quotes_by_source.get(known, ()) if context and known else ())
    sentences = [s for s in body_sentences(text) if len(normalize(s.quote)) >= MIN_QUOTE_CHARS]
    fresh = [s for s in sentences if not overlaps(s, cited)]
    facts = fact_candidates(fresh, context, {source_id})
    return Suggestion(
        article,
        file,
        outside,
        source_id,
        known is not None,
        metadata,
        facts,
        len(sentences) - len(fresh),
    )


def find_config(config: Path | None) -> Path | None:
    """The project to draw on: --config when given, else ./briefs.yaml if there is one."""
    if config is not None:
        return config
    return DEFAULT_CONFIG if DEFAULT_CONFIG.is_file() else None


# -- the project ------------------------------------------------------------------------------------


def project_context(config: Path) -> ProjectContext:
    """Read what suggest needs from a project's raw YAML, tolerating entries of the wrong shape."""
    data = load_project(config).document.data
    data = data if isinstance(data, dict) else {}
    facts = raw_items(data.get("facts"))
    topics = dict.fromkeys(t for f in facts for t in raw_strings(f.get("topics")))
    return ProjectContext(
        root=config.parent,
        names=NameMatcher(raw_entities(data)),
        topics=tuple(sorted(topics)),
        taken_ids=frozenset({*(str(f.get("id")) for f in facts), *raw_mapping(data.get("sources"))}),
        sources_by_file={file: sid for sid, file in raw_source_files(data).items()},
        quotes_by_source=raw_fact_quotes(data),
    )


def article_file(article: Path, root: Path) -> tuple[str, bool]:
    """The article's path as briefs.yaml names it (relative to the project), and whether it lies outside."""
    try:
        return article.resolve().relative_to(root.resolve()).as_posix(), False
    except ValueError:
        return f"seeds/{article.name}", True


# -- facts --------------------------------------------------------------------------------------------


def fact_candidates(
    sentences: Iterable[Sentence], context: ProjectContext | None, reserved: set[str]
) -> tuple[FactCandidate, ...]:
    """Sentences that carry figures, time expressions or names, as draft facts with unique ids."""
    taken = set(context.taken_ids if context else ()) | reserved
    candidates = []
    for sentence in sentences:
        quote = sentence.quote
        found_figures, times, names = figures(quote), time_expressions(quote), capitalised_names(quote)
        if not (found_figures or times or names):
            continue
        entities = _entities_in(quote, context)
        others = tuple(n for n in names if not context or not context.names.knows(n))
        claim = DRAFT + (context.names.with_canonical_names(quote) if context else quote)
        fact_id = unique_id(slug(quote, MAX_ID_WORDS) or "fact", frozenset(taken))
        taken.add(fact_id)
        topics = _topics_in(f"{quote} {claim}", context, entities)
        candidates.append(FactCandidate(fact_id, sentence, claim, topics, entities, others, found_figures, times))
    return tuple(candidates)


def _entities_in(text: str, context: ProjectContext | None) -> tuple[str, ...]:
    if context is None:
        return ()
    return tuple(dict.fromkeys(mention.entity_id for mention in context.names.mentions(text)))


def _topics_in(text: str, context: ProjectContext | None, entities: tuple[str, ...]) -> tuple[str, ...]:
    """The project's topics whose words (or same-named entity) the sentence mentions; else the defaults."""
    if context is not None:
        return tuple(t for t in context.topics if t in entities or re.search(_topic_pattern(t), text, re.IGNORECASE))
    return tuple(t for t, words in DEFAULT_TOPICS.items() if re.search(rf"\b(?:{words})\b", text, re.IGNORECASE))


def _topic_pattern(topic: str) -> str:
    """`defence-industry` matches "defense industry", `economy` "economic", `eu` only "EU"."""
    parts = []
    for word in topic.split("-"):
        if len(word) <= 4:
            parts.append(rf"{re.escape(word)}\b")
        else:  # a stem without the last two letters: "defen" for defence and defense, "econo" for economic
            parts.append(rf"{re.escape(word[: len(word) - 2])}\w*")
    return r"\b" + r"[\s-]+".join(parts)


# -- ids ------------------------------------------------------------------------------------------------


def source_slug(metadata: SourceGuesses, article: Path) -> str:
    """`yonhap-2023-12-13-defense-minister-meets-8`: outlet or agency, date, headline words (or file name)."""
    names = (metadata.get("outlet"), metadata.get("credit"))
    published, title = metadata.get("published"), metadata.get("title")
    parts = [
        next((s for s in (slug(g.value, 3) for g in names if g) if s), ""),  # an outlet in Hangul has no slug
        published.value if published else "",
        (slug(title.value, 5) if title else "") or slug(article.stem, 8),
    ]
    return "-".join(p for p in parts if p) or "source"


def slug(text: str, max_words: int) -> str:
    """Lower-case ASCII words joined by hyphens, without small words: a readable id."""
    text = re.sub(r"['’]s\b", "", text)  # "Korea's" → "korea", not "korea-s"
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    words = [w for w in re.split(r"[^a-z0-9]+", ascii_text) if w and w not in _STOP_WORDS]
    return "-".join(words[:max_words])[:60].strip("-")


def unique_id(base: str, taken: frozenset[str]) -> str:
    """`base`, or `base-2`, `base-3`, … when taken."""
    candidate, n = base, 1
    while candidate in taken:
        n += 1
        candidate = f"{base}-{n}"
    return candidate
