"""Warnings: what a careful reviewer would point out in a valid project, none of it fatal.

`check` shows every warning; `--strict` turns them into failures. Pure: it reads the typed project
and the YAML positions and returns located diagnostics, so it is as easy to test as to call.

Each rule, and why it is drawn where it is:
- alias spellings: a claim (or headline) should name an entity as its canonical `name`. Abbreviations in capitals
  (NATO, EU, DAPA) and short forms that are whole words of the name spelt the same way (Šekerinska
  for Radmila Šekerinska, Korea for South Korea) are ordinary English, not other spellings. Text
  inside double quotation marks ("…" or “…”) quotes an article, so it keeps the article's spelling.
- look-alike entities: two entities whose spellings agree once diacritics, case, spaces and hyphens
  are ignored, have the same words in another order (Korean names are written both ways), or
  differ in one word only, slightly (Seok Jong-gun / Seok Jong-geon; not South / North Korea).
- single-source bottom line: a bottom-line fact whose citations come from one article, or from
  several copies of the same agency story (sources with the same `credit`).
- stale facts: a fact whose latest possible date is further back than the horizon before the
  brief's `as_of` (section horizon, else brief, else project; default one year). Undated facts
  are not judged.
- headlines beyond their claims: a headline stands for its claim on the Timeline, so it may only
  shorten it. Two things a headline can add are checked exactly: a number the claim does not give
  (2%, 2035, 56.2) and an entity the claim does not name. Other paraphrase is left to the reviewer.
- uncited sources: a source no fact or role cites.
- near-duplicate facts: two facts of one brief whose claims say nearly the same thing — the same
  numbers, the same date and most of their word stems (see duplicates.py for the measure).
- conflicting figures: two facts give the same measure (compared case-, space-, quote- and
  dash-insensitively) different values, unless both are dated and their dates cannot overlap (a
  figure may change over time).
"""

from __future__ import annotations

import bisect
import itertools
import re
from collections.abc import Iterator, Mapping
from functools import cache, lru_cache

from briefgen.errors import Diagnostic, Severity
from briefgen.project.duplicates import Claim, claim_of, near_duplicates
from briefgen.project.model import Entity, Fact, Project
from briefgen.project.values import Horizon, WarningKind
from briefgen.project.walk import brief_fact_ids, brief_fact_refs, project_citations
from briefgen.project.yamldoc import PathKey, YamlDocument
from briefgen.text.names import NameMatcher, is_abbreviation, is_short_form, matching_words, name_key
from briefgen.text.quotes import normalize


def lint(project: Project, doc: YamlDocument) -> list[Diagnostic]:
    """Every warning for a project that passed validation, located in briefs.yaml, with its kind and
    the item it is about (where a curator may `accept:` it)."""
    fact_paths: dict[str, PathKey] = {fact.id: ("facts", index) for index, fact in enumerate(project.facts)}

    def at(kind: WarningKind) -> _Locator:
        return _Locator(doc, kind, fact_paths)

    names = NameMatcher(project.entities)
    return [
        *uncited_sources(project, at(WarningKind.NEVER_CITED)),
        *alias_spellings(project, names, at(WarningKind.ALIAS_SPELLING)),
        *headlines_beyond_claims(project.facts, names, at(WarningKind.HEADLINE_BEYOND_CLAIM)),
        *look_alike_entities(project.entities, at(WarningKind.LOOK_ALIKE)),
        *single_source_bottom_lines(project, at(WarningKind.SINGLE_SOURCE)),
        *stale_facts(project, at(WarningKind.POSSIBLY_STALE)),
        *conflicting_figures(project.facts, at(WarningKind.CONFLICTING_FIGURES)),
        *near_duplicate_facts(project, at(WarningKind.NEAR_DUPLICATE)),
    ]


class _Locator:
    """Makes a rule's warnings: located at `path`, about the item `path` is in — or, for a warning
    located at a brief's reference to a fact, about that fact (`about`)."""

    def __init__(self, doc: YamlDocument, kind: WarningKind, fact_paths: dict[str, PathKey]) -> None:
        self.doc = doc
        self.kind = kind
        self.fact_paths = fact_paths

    def __call__(self, path: PathKey, message: str, hint: str | None = None, *, about: str | None = None) -> Diagnostic:
        subject = self.fact_paths[about] if about is not None else path[:2]
        return Diagnostic(self.doc.locate(path), message, hint, Severity.WARNING, self.kind.value, subject)


def uncited_sources(project: Project, at: _Locator) -> Iterator[Diagnostic]:
    cited = {cite.source for _, cite in project_citations(project)}
    for source_id in project.sources:
        if source_id not in cited:
            yield at(("sources", source_id), f"source {source_id!r} is never cited")


def alias_spellings(project: Project, names: NameMatcher, at: _Locator) -> Iterator[Diagnostic]:
    for index, fact in enumerate(project.facts):
        for field, text in (("claim", fact.claim), ("headline", fact.headline)):
            for mention in names.mentions(outside_quotations(text)) if text else ():
                name = project.entities[mention.entity_id].name
                if mention.canonical or is_abbreviation(mention.spelling) or is_short_form(mention.spelling, name):
                    continue
                yield at(
                    ("facts", index, field),
                    f"{field} spells {name!r} as {mention.spelling!r}, an alias (entity {mention.entity_id!r})",
                    _alias_hint(mention.spelling, name),
                )


# A double-quoted span, straight or curly; an unclosed quotation mark masks nothing.
_QUOTATION = re.compile(r'"[^"]*"|“[^“”]*”')


def outside_quotations(text: str) -> str:
    """`text` with each quotation (marks included) made a space: the words a claim says in its own
    voice, without the article's words it quotes (`Reports of "ties between Pyongyang and Moscow"`)."""
    return _QUOTATION.sub(" ", text)


def _alias_hint(spelling: str, name: str) -> str:
    """`write 'Šekerinska', as in the canonical name 'Radmila Šekerinska'; …`, or `write '<name>'; …`."""
    words = matching_words(spelling, name)
    write = f"write {words!r}, as in the canonical name {name!r}" if words and words != name else f"write {name!r}"
    return f"{write}; aliases are for recognising the articles' spellings"


_NUMBER = re.compile(r"\d+(?:[.,]\d+)*")


def headlines_beyond_claims(facts: tuple[Fact, ...], names: NameMatcher, at: _Locator) -> Iterator[Diagnostic]:
    for index, fact in enumerate(facts):
        if fact.headline is None:
            continue
        claim_numbers = set(_NUMBER.findall(fact.claim))
        claim_entities = {m.entity_id for m in names.mentions(fact.claim)} | set(fact.entities)
        headline_numbers = dict.fromkeys(_NUMBER.findall(fact.headline))
        headline_entities = dict.fromkeys(m.entity_id for m in names.mentions(fact.headline))
        added = [
            *(f"the number {n}" for n in headline_numbers if n not in claim_numbers),
            *(f"entity {e!r}" for e in headline_entities if e not in claim_entities),
        ]
        if added:
            yield at(
                ("facts", index, "headline"),
                f"headline of fact {fact.id!r} gives {', '.join(added)}, which its claim does not",
                "a headline stands for its claim on the Timeline: it may shorten the claim, not add to it",
            )


def look_alike_entities(entities: Mapping[str, Entity], at: _Locator) -> Iterator[Diagnostic]:
    spellings = [
        (entity_id, path, text)
        for entity_id, entity in entities.items()
        for path, text in [(("entities", entity_id, "name"), entity.name)]
        + [(("entities", entity_id, "aliases", i), alias) for i, alias in enumerate(entity.aliases)]
    ]
    reported: set[tuple[str, str]] = set()
    for i, j in _candidate_pairs([text for _, _, text in spellings], [entity_id for entity_id, _, _ in spellings]):
        (first_id, _, first), (second_id, path, second) = spellings[i], spellings[j]
        if first_id == second_id or (first_id, second_id) in reported or not look_alike(first, second):
            continue
        reported.add((first_id, second_id))
        yield at(
            path,
            f"entities {first_id!r} and {second_id!r} look like the same one: {first!r} ~ {second!r}",
            "if they are, keep one entity and list the other spelling under its aliases",
        )


def _candidate_pairs(names: list[str], owners: list[str] | None = None) -> list[tuple[int, int]]:
    """Index pairs (i < j, in order) of the names that could look alike: those sharing a bucket.

    Every pair look_alike() accepts shares one: the same name key, the same words in any order, or
    the same words but one at the same place. Comparing only within buckets keeps the rule linear
    in the number of entities (all pairs of 2,000 entities would be two million comparisons).
    Names with the same owner (one entity's name and aliases) are never paired: the aliases of one
    entity are meant to look alike, and 6,000 of them would otherwise be 18 million pairs.
    """
    buckets: dict[tuple[object, ...], list[int]] = {}
    for index, name in enumerate(names):
        words = _words(name)
        keys: list[tuple[object, ...]] = [("key", name_key(name))]
        if len(words) >= 2:
            keys.append(("sorted", *sorted(words)))
            keys += [("all but", len(words), at, *words[:at], *words[at + 1 :]) for at in range(len(words))]
        for key in keys:
            buckets.setdefault(key, []).append(index)
    if owners is None:
        pairs = {pair for members in buckets.values() for pair in itertools.combinations(members, 2)}
        return sorted(pairs)
    pairs = set()
    for members in buckets.values():
        by_owner: dict[str, list[int]] = {}
        for index in members:
            by_owner.setdefault(owners[index], []).append(index)
        for first, second in itertools.combinations(by_owner.values(), 2):
            pairs.update((min(i, j), max(i, j)) for i in first for j in second)
    return sorted(pairs)


def look_alike(first: str, second: str) -> bool:
    """Two spellings of one name? Equal once folded, the same words in another order, or one word
    spelt slightly differently (`Jong-gun`/`Jong-geon`: same first letter, at most two edits).

    Word by word rather than over the whole string: `South Korea`/`North Korea` also differ by two
    letters, but in a word that starts differently.
    """
    if name_key(first) == name_key(second):
        return bool(name_key(first))
    a, b = _words(first), _words(second)
    if len(a) < 2 or len(a) != len(b):
        return False
    if sorted(a) == sorted(b):
        return True
    different = [(x, y) for x, y in zip(a, b, strict=True) if x != y]
    if len(different) != 1:
        return False
    x, y = different[0]
    return x[0] == y[0] and min(len(x), len(y)) >= 3 and _edits(x, y) <= 2


@lru_cache(maxsize=4096)
def _words(name: str) -> tuple[str, ...]:
    return tuple(key for key in map(name_key, re.split(r"[\s\-‐‑–]+", name)) if key)


def _edits(a: str, b: str) -> int:
    """Levenshtein distance (names are short, so the plain table is fine)."""
    previous = list(range(len(b) + 1))
    for i, x in enumerate(a, 1):
        current = [i]
        for j, y in enumerate(b, 1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (x != y)))
        previous = current
    return previous[-1]


def single_source_bottom_lines(project: Project, at: _Locator) -> Iterator[Diagnostic]:
    facts = {f.id: f for f in project.facts}
    for brief_id, brief in project.briefs.items():
        for i, fact_id in enumerate(brief.bottom_line):
            if not single_origin(project, facts[fact_id]):
                continue
            sources = list(dict.fromkeys(c.source for c in facts[fact_id].cite))
            origins = {_origin(project, s) for s in sources}
            if len(sources) == 1:
                what = f"a single source ({sources[0]})"
            else:
                what = f"one story: its sources {', '.join(sources)} are all credited to {next(iter(origins))}"
            yield at(
                ("briefs", brief_id, "bottom_line", i),
                f"bottom-line fact {fact_id!r} rests on {what}",
                "cite a second, independent article that supports it, or move it out of the bottom line",
                about=fact_id,
            )


def single_origin(project: Project, fact: Fact) -> bool:
    """Whether all of a fact's quotes come from one origin: one article, or copies of one agency
    story. The rule behind the single-source warning, and the handout's "single source" mark."""
    return len({_origin(project, c.source) for c in fact.cite}) == 1


def _origin(project: Project, source_id: str) -> str:
    """Copies of one agency story are one origin, however many outlets carried them."""
    credit = project.sources[source_id].credit
    return " ".join(credit.casefold().split()) if credit else f"source:{source_id}"


def stale_facts(project: Project, at: _Locator) -> Iterator[Diagnostic]:
    facts = {f.id: f for f in project.facts}
    for brief_id, brief in project.briefs.items():
        as_of = brief.as_of.as_date()
        # A fact placed in a background section with a long horizon is background wherever else it appears.
        placements: dict[str, list[tuple[PathKey, Horizon]]] = {}
        brief_horizon = brief.horizon or project.project.horizon
        for ref in brief_fact_refs(brief_id, brief):
            section_horizon = ref.section.horizon if ref.section else None
            placements.setdefault(ref.fact_id, []).append((ref.path, section_horizon or brief_horizon))
        reach = cache(lambda horizon, as_of=as_of: horizon.before(as_of))  # a brief has few horizons, many facts
        for fact_id, refs in placements.items():
            date = facts[fact_id].date
            if date is None:
                continue
            horizon = min((h for _, h in refs), key=reach)
            if date.value.last_day() >= reach(horizon):
                continue
            yield at(
                refs[0][0],
                f"fact {fact_id!r} dates from {date.value.human()}, more than {horizon} before this brief's "
                f"as-of date ({brief.as_of.human()}): possibly stale",
                "check that it still holds; if it is background on purpose, give its section a longer `horizon`",
                about=fact_id,
            )


def near_duplicate_facts(project: Project, at: _Locator) -> Iterator[Diagnostic]:
    """Per brief, each fact whose claim nearly repeats another's there, at the later one in `facts:`;
    a pair in several briefs is reported once, for the first brief."""
    order = {fact.id: index for index, fact in enumerate(project.facts)}
    claims: dict[str, Claim] = {}  # by fact id: a fact in many briefs is read once
    reported: set[tuple[str, str]] = set()
    for brief_id, brief in project.briefs.items():
        ids = sorted(set(brief_fact_ids(brief)), key=order.__getitem__)  # file order: "later" means further down
        for fact_id in ids:
            if fact_id not in claims:
                fact = project.facts[order[fact_id]]
                claims[fact_id] = claim_of(fact.claim, fact.date.value.iso() if fact.date else None)
        for pair in near_duplicates([claims[fact_id] for fact_id in ids]):
            earlier, later = ids[pair.earlier], ids[pair.later]
            if (earlier, later) in reported:
                continue
            reported.add((earlier, later))
            date = claims[later].date
            here, there = (at.doc.locate(("facts", order[fid], "claim")) for fid in (later, earlier))
            yield at(
                ("facts", order[later], "claim"),
                f"fact {later!r} says nearly what fact {earlier!r} says ({there.seen_from(here)}), "
                f"and brief {brief_id!r} uses both: "
                f"{pair.shared} of their {pair.union} word stems are the same, "
                f"{'the same date ' + date if date else 'neither is dated'}"
                f"{', the same numbers' if claims[later].numbers else ''}",
                "if both report one event, keep one fact and give it the quotes of both; if they differ, "
                "say how in the claims — or, if both belong, `accept: {near-duplicate: why}` on this fact",
            )


def conflicting_figures(facts: tuple[Fact, ...], at: _Locator) -> Iterator[Diagnostic]:
    by_measure: dict[str, list[tuple[int, Fact]]] = {}
    for index, fact in enumerate(facts):
        if fact.figure is not None:
            by_measure.setdefault(_figure_key(fact.figure.measure), []).append((index, fact))
    for group in by_measure.values():
        conflicts = _EarlierConflicts()
        for index, fact in group:
            earlier = conflicts.first_for(fact)
            conflicts.add(fact)
            if earlier is None or earlier.figure is None or fact.figure is None:
                continue
            yield at(
                ("facts", index, "figure", "value"),
                f"figure {fact.figure.measure!r} is {fact.figure.value!r} here but "
                f"{earlier.figure.value!r} in fact {earlier.id!r}",
                "if the figure changed over time, date both facts; otherwise check which source is right",
            )


class _FirstTwo:
    """The first facts of the first two different values seen: among them is the earliest fact
    whose value differs from any given one (the first, or else the second)."""

    def __init__(self) -> None:
        self.entries: list[tuple[int, str, Fact]] = []

    def add(self, order: int, key: str, fact: Fact) -> None:
        if len(self.entries) < 2 and all(key != seen for _, seen, _ in self.entries):
            self.entries.append((order, key, fact))

    def first_other(self, key: str) -> tuple[int, Fact] | None:
        return next(((order, fact) for order, seen, fact in self.entries if seen != key), None)


class _EarlierConflicts:
    """The facts of one measure seen so far, to find the first one a new fact conflicts with
    (_conflict: another value, and a date that may be the same time) without trying every pair.

    Trying every earlier fact made 10,000 facts of one measure take minutes. Undated facts conflict
    with every other value; dated ones only with dates that overlap theirs, so they are kept by
    first and last day, and a new fact looks only at those starting no earlier than the longest
    period seen allows.
    """

    def __init__(self) -> None:
        self.count = 0
        self.everything = _FirstTwo()
        self.undated = _FirstTwo()
        self.by_period: dict[int, dict[int, _FirstTwo]] = {}  # first day → last day → values
        self.starts: list[int] = []  # the first days in by_period, sorted
        self.longest = 0  # days between first and last day of the longest period seen

    def add(self, fact: Fact) -> None:
        assert fact.figure is not None
        key, self.count = _figure_key(fact.figure.value), self.count + 1
        self.everything.add(self.count, key, fact)
        if fact.date is None:
            self.undated.add(self.count, key, fact)
            return
        first, last = fact.date.value.as_date().toordinal(), fact.date.value.last_day().toordinal()
        if first not in self.by_period:
            bisect.insort(self.starts, first)
        self.by_period.setdefault(first, {}).setdefault(last, _FirstTwo()).add(self.count, key, fact)
        self.longest = max(self.longest, last - first)

    def first_for(self, fact: Fact) -> Fact | None:
        assert fact.figure is not None
        key = _figure_key(fact.figure.value)
        if fact.date is None:
            found = self.everything.first_other(key)
            return found[1] if found else None
        first, last = fact.date.value.as_date().toordinal(), fact.date.value.last_day().toordinal()
        candidates = [self.undated.first_other(key)]
        low, high = bisect.bisect_left(self.starts, first - self.longest), bisect.bisect_right(self.starts, last)
        for start in self.starts[low:high]:
            candidates += [values.first_other(key) for end, values in self.by_period[start].items() if end >= first]
        found = min((c for c in candidates if c is not None), default=None, key=lambda c: c[0])
        return found[1] if found else None


def _figure_key(text: str) -> str:
    return normalize(text).casefold().rstrip(".:;, ")


def _conflict(a: Fact, b: Fact) -> bool:
    if a.figure is None or b.figure is None or _figure_key(a.figure.value) == _figure_key(b.figure.value):
        return False
    if a.date is None or b.date is None:
        return True  # an undated figure could be meant for any time
    first, second = a.date.value, b.date.value
    return first.as_date() <= second.last_day() and second.as_date() <= first.last_day()
