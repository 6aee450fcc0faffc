"""Claim support's entity rule (see claims.py): every person, organisation, country or programme
a claim names is named by a quote (by name, alias, a word of a person's name, a pronoun its article
resolves) or attached to the fact; capitalised names the project does not know must be quoted."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping, Sequence

from briefgen.project.claims_numbers import MONTHS
from briefgen.project.claims_text import WORD, Evidence, Finding, Word, folded_words, hint, words
from briefgen.project.model import Entity, EntityKind, Fact
from briefgen.project.values import WarningKind
from briefgen.text.names import NameMatcher, fold_spaces, name_key

_WEEKDAYS = frozenset(("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"))
# Demonyms whose country does not share their first letters: "Polish" stands for "Poland".
_DEMONYMS = {"polish": "poland", "dutch": "netherlands", "french": "france", "danish": "denmark",
             "finnish": "finland", "spanish": "spain", "norwegian": "norway", "swiss": "switzerland",
             "welsh": "wales", "irish": "ireland", "filipino": "philippines", "czech": "czechia"}  # fmt: skip


class PeopleIndex:
    """The words of people's names, so that a quote's "Wi said" can stand for Wi Sung-lac — and
    "Cho" for whichever Cho the quote's article names in full."""

    def __init__(self, entities: Mapping[str, Entity]) -> None:
        self.entities = entities
        self.by_word: dict[str, set[str]] = {}
        self.by_title: dict[tuple[str, ...], set[str]] = {}  # ("deputy", "secretary", "general") → its holders
        self.folded: set[str] = set()  # every word of a person's name, casefolded: a cheap first look
        self.entity_words = frozenset(
            w for e in entities.values() for s in (e.name, *e.aliases) for w in folded_words(s)
        )
        for entity_id, entity in entities.items():
            if entity.kind is not EntityKind.PERSON:
                continue
            for spelling in (entity.name, *entity.aliases):
                for word in fold_spaces(spelling).split():
                    if len(word) >= 2 and word[0].isupper():
                        self.by_word.setdefault(name_key(word), set()).add(entity_id)
                        self.folded |= folded_words(word)
            for role in entity.roles:
                title = _title_words(role.title)
                if title:
                    self.by_title.setdefault(title, set()).add(entity_id)

    def candidates(self, word: str) -> set[str]:
        return self.by_word.get(name_key(word.removesuffix("'s").removesuffix("’s")), set())

    def _titles_in(self, quote: str) -> Iterator[set[str]]:
        """The holders of each role title the quote writes, longest first: "Deputy Secretary
        General" is not also "Secretary General"."""
        keys = [name_key(w) for w in re.split(r"[\s\-‐‑–—]+", quote)]
        taken: set[int] = set()
        for title in sorted(self.by_title, key=len, reverse=True):
            for at in range(len(keys) - len(title) + 1):
                span = set(range(at, at + len(title)))
                if tuple(keys[at : at + len(title)]) == title and not span & taken:
                    taken |= span
                    yield self.by_title[title]

    def named_by_short_form(self, quote: str, article: str, names: NameMatcher) -> set[str]:
        """The people a quote names by a word of their name alone, resolved by its article."""
        in_article: set[str] | None = None
        found: set[str] = set()
        for word in re.findall(r"[^\W\d_][\w'’-]*", quote):
            candidates = self.candidates(word)
            if len(candidates) > 1:
                if in_article is None:
                    in_article = {m.entity_id for m in names.mentions(article)}
                candidates = candidates & in_article
            if len(candidates) == 1:
                found |= candidates
        for holders in self._titles_in(quote):
            if len(holders) > 1:
                if in_article is None:
                    in_article = {m.entity_id for m in names.mentions(article)}
                holders = holders & in_article  # noqa: PLW2901 (narrowed to the one the article names)
            if len(holders) == 1:
                found |= holders
        return found


def _title_words(title: str) -> tuple[str, ...]:
    """The words of a role's title as articles write it: "Deputy Secretary General" of "Deputy
    Secretary General of NATO"; titles of one word ("President") are too common to stand for a person."""
    head = re.split(r"\s+of\s+|\s*\(", title, maxsplit=1)[0]
    words_of_head = tuple(name_key(w) for w in re.split(r"[\s\-‐‑–—]+", head) if name_key(w))
    return words_of_head if len(words_of_head) >= 2 else ()


# Words by which a quote refers to entities its article has just named: "she said", "the two sides".
_ANAPHORS = {
    EntityKind.PERSON: (re.compile(r"(?i)(?<![\w])(?:he|she|his|her|him|the\s+minister)(?![\w])"),
                        re.compile(r"(?i)(?<![\w])(?:they|their|them|(?:the\s+two|both)\s+(?:sides|men|women|leaders|ministers|officials))(?![\w])")),
    EntityKind.COUNTRY: (re.compile(r"(?i)(?<![\w])the\s+country(?![\w])"),
                         re.compile(r"(?i)(?<![\w])(?:both\s+(?:countries|nations|sides)|the\s+two\s+(?:countries|nations|sides))(?![\w])")),
}  # fmt: skip


def anaphora(evidence: Evidence, names: NameMatcher, people: PeopleIndex) -> set[str]:
    """Entities a quote refers to without naming them ("she", "the two sides", "both countries"):
    those its article named last before the word, or first in the last sentence that named any (the
    subject a pronoun most often continues)."""
    found: set[str] = set()
    for index, quote in enumerate(evidence.quotes):
        for kind, (singular, plural) in _ANAPHORS.items():
            for pattern, count in ((singular, 1), (plural, 2)):
                for match in pattern.finditer(quote):
                    before = evidence.before(index) + " " + quote[: match.start()]
                    found |= _last_named(before, kind, count, names, people)
    return found


_SENTENCE_END = re.compile(r"(?<=[.!?])[\"”’']?\s+")


def _last_named(text: str, kind: EntityKind, count: int, names: NameMatcher, people: PeopleIndex) -> set[str]:
    named = _named_in(text, kind, names, people)
    last = list(dict.fromkeys(reversed(named)))[:count]
    if count > 1:  # "both countries": also the two the article is about, those it names most
        last += sorted(set(named), key=named.count, reverse=True)[:count]
    for sentence in reversed(_SENTENCE_END.split(text)):
        in_sentence = list(dict.fromkeys(_named_in(sentence, kind, names, people)))
        if in_sentence:
            return set(last) | set(in_sentence[:count])
    return set(last)


def _named_in(text: str, kind: EntityKind, names: NameMatcher, people: PeopleIndex) -> list[str]:
    """The entities of `kind` that `text` names, in order, people also by a word of their name."""
    mentions = [*_mentions_at(text, names)]
    if kind is EntityKind.PERSON:
        mentions += _short_form_mentions(text, mentions, set(), people)
    return [e for e, _, _ in sorted(mentions, key=lambda m: m[2]) if people.entities[e].kind is kind]


def entity_findings(
    field: tuple[str, ...], text: str, *, fact: Fact, evidence: Evidence, names: NameMatcher, people: PeopleIndex
) -> Iterator[Finding]:
    if _all_names_quoted(text, evidence, people):
        return  # the usual case, decided cheaply
    mentions = [*_mentions_at(text, names)]
    attached = set(fact.entities)
    # Most names a claim gives are written out in its quotes: only the others need the full search.
    written_out = {e for e, spelling, _ in mentions if fold_spaces(spelling).casefold() in evidence.folded}
    named = {entity_id for entity_id, _, _ in mentions}
    quoted = _quoted_entities(evidence, names, people) if named - written_out - attached else written_out
    supported = quoted | attached
    mentions += _short_form_mentions(text, mentions, supported, people)
    claimed = {entity_id for entity_id, _, _ in mentions}
    unsupported = [m for m in mentions if m[0] not in supported and m[0] not in written_out]
    if unsupported:
        quoted = _quoted_entities(evidence, names, people) | _countries_by_adjective(unsupported, evidence, people)
        supported |= quoted | anaphora(evidence, names, people)
    for entity_id, spelling, start in sorted(unsupported, key=lambda m: m[2]):
        if entity_id in supported:
            continue
        others = [names.entities[e].name for e in sorted(quoted - claimed)]
        instead = f"the quotes name {', '.join(map(repr, others))}" if others else "no quote names it"
        yield Finding(
            WarningKind.ENTITY,
            field,
            start,
            f"{field[-1]} names {spelling!r} (entity {entity_id!r}), which its quotes do not",
            hint(WarningKind.ENTITY, f"{instead}; if the fact involves it, list it under `entities:`"),
        )
    yield from _unknown_names(field, text, mentions=mentions, supported=supported, evidence=evidence, names=names)


def _countries_by_adjective(
    mentions: Iterable[tuple[str, str, int]], evidence: Evidence, people: PeopleIndex
) -> set[str]:
    """Countries a quote names by their adjective: "Polish" names Poland, "South Korean" South Korea
    (the words before the last must be written out, so "North Korean" does not name South Korea)."""
    found = set()
    capitalised = {name_key(w) for w in WORD.findall(evidence.text) if w[0].isupper()}
    for entity_id, _, _ in mentions:
        entity = people.entities[entity_id]
        if entity.kind is not EntityKind.COUNTRY:
            continue
        for spelling in (entity.name, *entity.aliases):
            *first, last = fold_spaces(spelling).split() or [""]
            if all(w.casefold() in evidence.folded_words for w in first) and any(
                _demonym_of_quoted(adjective, {name_key(last)}) for adjective in capitalised - {name_key(last)}
            ):
                found.add(entity_id)
    return found


def _all_names_quoted(text: str, evidence: Evidence, people: PeopleIndex) -> bool:
    """Whether every capitalised word of `text` is in the quotes — or opens a sentence and is no word
    of any entity's name ("Reports said …"): then no rule below can find a name the quotes lack."""
    for match in _CAPITALISED.finditer(text):
        word = match.group().casefold()
        if not match.group()[0].isupper() or word in evidence.folded_words:
            continue
        before = text[: match.start()].rstrip()
        if word in people.entity_words or (before and before[-1] not in ".!?:;\"“‘'(—"):
            return False
    return True


_CAPITALISED = re.compile(r"(?<![\w'’])[^\W\d_a-z][\w'’]*")  # then filtered: the class also lets in other scripts


def _quoted_entities(evidence: Evidence, names: NameMatcher, people: PeopleIndex) -> set[str]:
    """The entities the quotes name: by name or alias, or a person by a word of their name or title."""
    quoted = {m.entity_id for quote in evidence.quotes for m in names.mentions(quote)}
    for quote, article in zip(evidence.quotes, evidence.articles, strict=False):
        quoted |= people.named_by_short_form(quote, article, names)
    return quoted


def _mentions_at(text: str, names: NameMatcher) -> Iterator[tuple[str, str, int]]:
    """Each mention in `text` with the character where it starts (names match spaces folded)."""
    at = 0
    for mention in names.mentions(text):
        first = mention.spelling.split()[0]
        found = text.find(first, at)
        start = found if found >= 0 else at
        at = start + len(mention.spelling)
        yield mention.entity_id, mention.spelling, start


def _short_form_mentions(
    text: str, mentions: Sequence[tuple[str, str, int]], supported: set[str], people: PeopleIndex
) -> list[tuple[str, str, int]]:
    """A claim's "Šekerinska" names Radmila Šekerinska: a word of one person's name (or of one of
    several people's names, when the quotes name one of them)."""
    if not folded_words(text) & people.folded:
        return []
    covered = [(start, start + len(spelling)) for _, spelling, start in mentions]
    found = []
    for word in words(text):
        if not word.text[0].isupper() or any(start <= word.start < end for start, end in covered):
            continue
        candidates = people.candidates(word.text)
        if len(candidates) > 1:
            candidates = (candidates & supported) or candidates
        if len(candidates) == 1:
            found.append((next(iter(candidates)), word.text, word.start))
    return found


def _unknown_names(
    field: tuple[str, ...],
    text: str,
    *,
    mentions: Sequence[tuple[str, str, int]],
    supported: set[str],
    evidence: Evidence,
    names: NameMatcher,
) -> Iterator[Finding]:
    """Capitalised words the project does not know as an entity, and no quote has: a name the claim
    added ("led by Hanwha Aerospace")."""
    covered = [(start, start + len(spelling)) for _, spelling, start in mentions]
    candidates = [
        word
        for word in words(text)
        if _is_name_word(word, text)
        and word.text.casefold() not in evidence.folded_words
        and not any(start <= word.start < end for start, end in covered)
    ]
    if not candidates:
        return
    known = [s for e in supported for s in (names.entities[e].name, *names.entities[e].aliases)]
    quoted = {w.stem for w in words(evidence.text)} | {w.stem for s in known for w in words(s)}
    quoted_keys = {name_key(t) for t in re.split(r"[\s\-‐‑–—/]+", " ".join([evidence.text, *known]))} - {""}
    unknown = [
        word
        for word in candidates
        if word.stem not in quoted
        and name_key(word.text) not in quoted_keys
        and not _demonym_of_quoted(word.text, quoted_keys)
    ]
    for group in _adjacent(unknown, text):
        phrase = text[group[0].start : group[-1].end]
        yield Finding(
            WarningKind.ENTITY,
            field,
            group[0].start,
            f"{field[-1]} names {phrase!r}, which its quotes do not",
            hint(WarningKind.ENTITY, "no quote has this name; if it is another spelling, make it an entity's alias"),
        )


def _is_name_word(word: Word, text: str) -> bool:
    first = word.text[0]
    folded = word.text.casefold()
    if text.startswith("$", word.end):
        return False  # "US$": a currency, read with the number
    if len(word.text) < 2 or not first.isupper() or folded in MONTHS or folded in _WEEKDAYS:
        return False
    if word.text.isupper() and text[word.end : word.end + 1] == ":" and not text[: word.start].strip():
        return False  # a label such as suggest's "DRAFT:", not a name
    # A capital at the start of a sentence says nothing: "Reports said …" (a name there is still
    # checked when the project knows it as an entity).
    before = text[: word.start].rstrip()
    return not (not before or before[-1] in ".!?:;\"“‘'(" or before.endswith("—"))


def _demonym_of_quoted(word: str, quoted_keys: set[str]) -> bool:
    """ "Korean", "European", "Ukrainian" for a quote's Korea, Europe, Ukraine; "Polish" for Poland."""
    key = name_key(word)
    if _DEMONYMS.get(key) in quoted_keys:
        return True
    for stem_length in range(max(4, len(key) - 3), len(key)):
        prefix = key[:stem_length]
        if any(q.startswith(prefix) and len(q) >= 4 for q in quoted_keys):
            return True
    return False


def _adjacent(found: Sequence[Word], text: str) -> Iterator[list[Word]]:
    group: list[Word] = []
    for word in found:
        if group and text[group[-1].end : word.start].strip(" -–") == "":
            group.append(word)
            continue
        if group:
            yield group
        group = [word]
    if group:
        yield group
