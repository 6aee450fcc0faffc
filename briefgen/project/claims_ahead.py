"""Claim support begun at once, in a forked helper, for a large project whose facts are not yet known.

On the first check of a large project (or with caching off) every fact's claim is examined, after
the YAML is read (0.37 s for 10,000 facts), the facts validated and every quote found. A helper
forked before any of that — while the process is small, so that the two do not share the pages
they then write — reads the project itself and examines the last AHEAD_SHARE of its facts, while
this process does all of its own work but those facts' claims.

The helper tells two things as it goes (forked.py's `tell`). First the later half of briefs.yaml,
read apart (yamlhalves.py), while this process reads the first: then each reads 0.2 s of it, not
one of them all of it. Its share of the facts is those of the last AHEAD_SHARE of the list's text:
the items from there to the cut this process sends it once it has read its half, while the helper
reads what stands before `facts:` and the articles; where no half can be read apart it reads the
whole text and takes the last AHEAD_SHARE of the facts. Then where it found its
facts' quotes: this process learns them (QuoteMemo.learn) instead of searching again, as it would
take them from `.briefgen-cache/`: a place is for an article's exact text. The claims the two
then split as they go (forked.Meeting): the helper examines its share from the last fact down and,
should it get through it first, this process's facts too (read from the text a slice at a time);
this process its own facts from the first up, once it has linted, then the share's; until they
meet, so that neither waits for the other however fast each goes. The helper's findings are used
only for a fact whose key (claims_memo.FactKeys: the fact, its quotes' articles and passages, the
entities, the rules) is the one this process computes: the helper is just another memo, filled
meanwhile. So an article or briefs.yaml changed between the two readings, or a helper that
failed, costs only time: this process then searches and examines those itself.

Measured on the 2-CPU development machine (bench/RESULTS.md, 2026-12-03): a helper that waits for
the quotes (claims_support.ClaimSupport) overlaps only claim support and lint, with both processes
slowed by copying the pages they share; this one overlaps the reading of the YAML too.
"""

from __future__ import annotations

import contextlib
import hashlib
import marshal
import os
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from briefgen.cpus import CpuWindow
from briefgen.forked import ForkedHelper, Meeting, Tell
from briefgen.limits import Limits
from briefgen.project import claims_memo, quote_memo, result_cache
from briefgen.project.claims import Finding, fact_evidence, fact_findings
from briefgen.project.claims_entities import PeopleIndex
from briefgen.project.claims_support import helper_may_run
from briefgen.project.include import INCLUDE
from briefgen.project.load import Article, Unreadable, load_project, read_articles, read_text
from briefgen.project.model import Entity, Fact, Project, Settings
from briefgen.project.quote_memo import Place
from briefgen.project.walk import raw_source_files
from briefgen.project.yamldoc import YamlDocument, YamlProblem, read_plain
from briefgen.project.yamlhalves import Cut, cut_at, items_between, later_half
from briefgen.text.names import NameMatcher
from briefgen.text.quotes import IndexedText, normalize

# The helper's share of the facts: this process also validates the project, finds the quotes of
# the others and lints while the helper reads the project, finds the share's quotes and examines
# its claims. Having read a later half (yamlhalves.py), the share begins at the first fact in the
# last AHEAD_SHARE of the list's text. The claims of all facts they split as they go
# (forked.Meeting), but the quotes not: this process waits for the places of the share's quotes
# if it is larger. Measured before the helper went on past its share: 0.75 since this process
# sends the helper the share's items before the cut (0.68 when the helper read them again): at
# 0.68 the helper ended its share ~0.13 s before this process reached it, idle meanwhile; from
# 0.73 on the two met in the share, and 0.73-0.8 ended alike within the noise (bench/RESULTS.md).
AHEAD_SHARE = 0.75
# A briefs.yaml this large holds some 3,000 facts (the synthetic project: ~300 bytes a fact); below
# it, what the helper would take over is not worth reading the project twice.
MIN_AHEAD_BYTES = 1_000_000

Found = dict[int, tuple[str, tuple[Finding, ...]]]  # by fact index: the fact's key and its findings


def inputs_digest(yaml_texts: Iterable[str], articles: Mapping[str, str]) -> str:
    """A hash of what the facts' keys are made from but the rules' code (the same in a forked
    helper): the text of every YAML file the project was read from and each source's article."""
    hasher = hashlib.sha256()
    for text in yaml_texts:
        hasher.update(text.encode("utf-8", "surrogatepass") + b"\0")
    for source_id in sorted(articles):
        hasher.update(f"{source_id}\0".encode() + articles[source_id].encode("utf-8", "surrogatepass") + b"\0")
    return hasher.hexdigest()


def document_texts(doc: YamlDocument) -> tuple[str, ...]:
    """The text of every YAML file a document was read from, its own first."""
    return (doc.source, *(included.source for included in doc.included))


def text_digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


def helper_share(facts: int) -> range:
    """The indexes of the facts a helper begun ahead examines when it read the whole text (no later
    half of it could be read apart): the last AHEAD_SHARE of them."""
    return range(facts - round(facts * AHEAD_SHARE), facts)


# What the helper tells first: the digest of the text it read, the cut, the later half's tables in
# marshal form (yamlhalves.py), and where its share of the facts begins (at or before the cut) and
# how many facts it holds; None when it read no later half.
Half = tuple[str, Cut, bytes, Cut, int] | None


class ClaimsAhead:
    """The helper begun at once (see the module)."""

    def __init__(self, helper: ForkedHelper[tuple[str, Found]], meeting: Meeting) -> None:
        self._helper = helper
        self.meeting = meeting  # where this process and the helper, examining the claims, meet
        self._half: Half = None
        self._half_read = False
        self._places: dict[tuple[str, str], Place] | None = None
        self._share: range | None = None

    @classmethod
    def start(cls, config: Path, limits: Limits, window: CpuWindow) -> ClaimsAhead | None:
        """The helper begun, when the project is large, what the memo knows of its facts is next to
        nothing, and a CPU is free (claims_support.helper_may_run); else None."""
        try:
            large = os.stat(config).st_size >= MIN_AHEAD_BYTES
        except OSError:
            return None  # loading says what is wrong with it
        if not large or len(claims_memo.memo_for(config.parent).entries) > 0:
            return None  # remembered findings: ClaimSupport decides once the facts are keyed
        if not helper_may_run(window):
            return None
        meeting = Meeting()
        helper = ForkedHelper.start(lambda tell: _examined_ahead(config, limits, tell, meeting))
        return cls(helper, meeting) if helper is not None else None

    def later_half(self, text: str, cut: Cut, first_half: YamlDocument | None) -> bytes | None:
        """The later half of `text` as the helper read it (yamlhalves.LaterReader); None if it read
        none, or another text. The helper is sent the items of its share in `first_half`, the text
        before the cut as this process read it, so that it need not read them too (if there is
        none, it reads them itself at once)."""
        half = self._told_half()
        if half is None or half[1] != cut or half[0] != text_digest(text):
            self.read()  # its findings are for another text: never used
            return None
        self._helper.send(_items_from(first_half, half[3], cut) if first_half is not None else None)
        self.read()
        return half[2]

    def read(self) -> None:
        """This process has read the project: the helper, if it waits for items this process did not
        send it (it took the project's parse from `.briefgen-cache/`, say), reads them itself now."""
        self._helper.sent_all()

    def share(self, doc: YamlDocument) -> range:
        """The indexes of the facts the helper examines (from the last; this process from the first,
        see forked.Meeting): having read a later half, its facts from the share's first one on, if
        the items there and at the cut stand in `doc` where they stood in its text; none if they
        do not (what it found is then for other facts); else, having read the whole text, the last
        AHEAD_SHARE of the facts."""
        if self._share is None:
            facts = doc.data.get("facts") if isinstance(doc.data, dict) else None
            count = len(facts) if isinstance(facts, list) else 0
            half = self._told_half()
            if half is None:
                self._share = helper_share(count)
            else:
                _, cut, _, first, facts = half
                aligned = all(_stands_at(doc, at) for at in (cut, first)) and first.items + facts <= count
                self._share = range(first.items, first.items + facts) if aligned else range(0)
        return self._share

    def places(self) -> dict[tuple[str, str], Place]:
        """Where the helper found its facts' quotes, by article digest and quote (as quote_memo.py
        keeps them), told before it examines any claim; {} if it failed first."""
        if self._places is None:
            self._told_half()
            self.read()  # (so already, unless loading failed)
            told = self._helper.told()
            places = told[1] if isinstance(told, tuple) and told[0] == "places" else None
            self._places = places if isinstance(places, dict) else {}
        return self._places

    def result(self) -> tuple[str, Found] | None:
        """The digest of the files the helper read (inputs_digest) and what it found; None if it failed."""
        return self._helper.result()

    def cancel(self) -> None:
        self._helper.cancel()

    def _told_half(self) -> Half:
        if not self._half_read:
            self._half_read = True
            told = self._helper.told()
            half = told[1] if isinstance(told, tuple) and told[0] == "half" else None
            self._half = half if isinstance(half, tuple) else None
        return self._half


def _quotes_found(
    raw_facts: Iterable[Any], articles: Mapping[str, IndexedText], quotes: quote_memo.QuoteMemo
) -> tuple[dict[tuple[str, str], int], dict[tuple[str, str], Place]]:
    """Where each quote of the facts (as written: before they are validated, so that this process
    has them the sooner) begins in its article, and the places found, as quote_memo.py keeps them."""
    starts: dict[tuple[str, str], int] = {}
    places: dict[tuple[str, str], Place] = {}
    for raw in raw_facts:
        cites = raw.get("cite") if isinstance(raw, dict) else None
        for cite in cites if isinstance(cites, list) else ():
            source, quote = (cite.get("source"), cite.get("quote")) if isinstance(cite, dict) else (None, None)
            if not isinstance(source, str) or not isinstance(quote, str) or source not in articles:
                continue  # an invalid citation fails the helper once its fact is validated
            if (source, quote) not in starts:
                article = articles[source]
                passage = quotes.find(article, quote, normalize(quote))
                starts[(source, quote)] = passage.start if passage is not None else 0
                if passage is not None:
                    places[(article.sha256, quote)] = (passage.start, passage.end, passage.line, passage.column)
    return starts, places


def _items_from(first_half: YamlDocument, first: Cut, cut: Cut) -> bytes | None:
    """The items of `facts:` from `first` to the cut, in marshal form, read in `first_half`; None if
    they do not stand there where they stood in the helper's text."""
    facts = first_half.data.get("facts") if isinstance(first_half.data, dict) else None
    if not isinstance(facts, list) or len(facts) != cut.items or not _stands_at(first_half, first):
        return None
    try:
        return marshal.dumps(facts[first.items :])
    except ValueError:  # not plain data (read_plain gives only that): the helper reads them itself
        return None


def _stands_at(doc: YamlDocument, cut: Cut) -> bool:
    """Whether the item of `facts:` at the cut's index begins on the cut's line."""
    place = doc.value_positions.get(("facts", cut.items))
    return place is not None and place[0] == cut.line


def _examined_ahead(config: Path, limits: Limits, tell: Tell, meeting: Meeting) -> tuple[str, Found]:
    """In the helper: the later half of briefs.yaml read and told (yamlhalves.py), and the rest of
    the project as this process reads it (storing nothing); then the quotes of the helper's share
    found (and told), its facts validated, and each keyed and examined, from the last until this
    process meets it (forked.Meeting), past the share if it gets there first (_examined). An
    invalid fact or entity in the share fails the helper: the project is then invalid, and no
    claim is examined at all."""
    text = read_text(config, limits.yaml_bytes, "yaml_bytes")
    cut = cut_at(text) if isinstance(text, str) else None
    later = later_half(text, cut, config, limits) if isinstance(text, str) and cut is not None else None
    if not isinstance(text, str) or cut is None or later is None:
        tell(("half", None))
        read = _read_whole(config, limits)
        raw = read.data["facts"]
        share = helper_share(len(raw))
        return _examined(read, {index: raw[index] for index in share}, tell, meeting, lambda: [(0, raw[: share.start])])
    first = cut_at(text, 1 - AHEAD_SHARE)  # where its share of the facts begins
    if first is None or first.offset > cut.offset:
        first = cut
    later_facts = later[0]["facts"]
    facts = cut.items - first.items + len(later_facts)
    tell(("half", (text_digest(text), cut, marshal.dumps(later), first, facts)))
    read = _read_apart(config, text, cut, later[0], limits) or _read_whole(config, limits)
    before = _items_before_cut(tell.hear(), text, (first, cut), config, limits)
    tell.keep(text, later, before)
    items = dict(enumerate([*before, *later_facts], start=first.items))
    return _examined(read, items, tell, meeting, lambda: _slices_before_share(text, first, config, limits))


def _items_before_cut(sent: object, text: str, cuts: tuple[Cut, Cut], config: Path, limits: Limits) -> list[Any]:
    """In the helper: the items of its share from its first (`cuts[0]`) to the cut, as this process
    sent them (ClaimsAhead.later_half), or where it sent none (it read the text whole), read apart."""
    first, cut = cuts
    if isinstance(sent, bytes):
        items = marshal.loads(sent)
        if isinstance(items, list) and len(items) == cut.items - first.items:
            return items
    before = items_between(text, first, cut, config, limits)
    if before is None:
        raise ValueError("the facts before the cut could not be read apart")  # fails: this process examines them
    return before


# The facts before the helper's share are read in this many slices, the last first: this process,
# coming up to the share meanwhile, waits at most for one slice (~250 facts of the synthetic
# project, a few milliseconds) and the fact the helper is examining.
EARLIER_SLICES = 10


def _slices_before_share(text: str, first: Cut, config: Path, limits: Limits) -> Iterator[tuple[int, list[Any]]]:
    """In the helper, its share examined before this process came to it: the facts before the
    share (`first`) read from the text, a slice at a time from the share down (this process has
    not sent them: it needs them sooner itself), each with the index of its first fact; ending
    early where a slice cannot be read apart."""
    upper = first
    for step in range(EARLIER_SLICES - 1, -1, -1):
        lower = cut_at(text, (1 - AHEAD_SHARE) * step / EARLIER_SLICES)  # (0: the list's first item)
        if lower is None or lower.items >= upper.items:
            continue  # no item begins in this slice: on to the next, which ends where this one did
        items = items_between(text, lower, upper, config, limits)
        if items is None:
            return
        yield lower.items, items
        upper = lower


@dataclass(frozen=True)
class _Read:
    """What the helper read: the project's data (all but the facts it does not examine, at least),
    its YAML files' texts, and the articles by `file`."""

    data: dict[str, Any]
    yaml_texts: tuple[str, ...]
    articles: Mapping[str, Article | Unreadable]
    root: Path


def _read_whole(config: Path, limits: Limits) -> _Read:
    with result_cache.only_reading():
        loaded = load_project(config, limits)
    return _Read(loaded.document.data, document_texts(loaded.document), loaded.articles, loaded.root)


def _read_apart(config: Path, text: str, cut: Cut, later: dict[str, Any], limits: Limits) -> _Read | None:
    """The project read from the text before the list of facts and the later half's data (its facts
    and what follows them): enough for the facts of the later half. None when the project includes
    other files, or that text cannot be read plainly: the whole project is read then."""
    try:
        head = read_plain(text[: cut.list_start], config, limits)
    except YamlProblem:
        return None
    if head is None or not isinstance(head.data, dict):
        return None
    data = {**head.data, **later}
    if INCLUDE in data:
        return None
    articles = read_articles(config.parent, raw_source_files(data).values(), limits)
    return _Read(data, (text,), articles, config.parent)


def _examined(
    read: _Read,
    raw_facts: Mapping[int, Any],
    tell: Tell,
    meeting: Meeting,
    earlier: Callable[[], Iterable[tuple[int, list[Any]]]],
) -> tuple[str, Found]:
    """In the helper: its share of the facts (`raw_facts`, its last ones) examined from the last
    down, until this process meets it (forked.Meeting); should it get through the share first, it
    goes on down through the facts before it (`earlier()`: slices of them from the last, each with
    the index of its first), which this process examines upwards from the first once it has
    linted: so the two end together, whichever is the faster."""
    data = read.data
    files = {source_id: read.articles.get(file) for source_id, file in raw_source_files(data).items()}
    articles = {source_id: article.text for source_id, article in files.items() if isinstance(article, Article)}
    memo = quote_memo.memo_for(read.root)
    starts, places = _quotes_found(raw_facts.values(), articles, memo)
    tell(("places", places))  # this process searches no more for them (validate.py)
    entities = {entity_id: Entity.model_validate(raw) for entity_id, raw in (data.get("entities") or {}).items()}
    facts = {index: Fact.model_validate(raw) for index, raw in raw_facts.items()}
    texts = {source_id: article.original for source_id, article in articles.items()}
    entities_only = Project.model_construct(project=Settings(), sources={}, entities=entities, facts=(), briefs={})
    keys = claims_memo.FactKeys(entities_only, texts)
    rules = NameMatcher(entities), PeopleIndex(entities)
    digest = inputs_digest(read.yaml_texts, texts)  # before the claims: after them, this process would wait for it
    tell.keep(read, raw_facts, files, articles, starts, entities, facts, texts, keys)  # never freed: see Tell.keep
    found: Found = {}

    def examine(index: int, fact: Fact, raw: Any) -> None:
        evidence = fact_evidence(fact, texts, starts)
        found[index] = keys.key(fact, raw, starts), tuple(fact_findings(fact, evidence, *rules))

    for index in sorted(facts, reverse=True):  # from the last, until this process comes the other way
        if not meeting.helper_takes(index):
            return digest, found
        examine(index, facts[index], raw_facts[index])

    def go_on_below(below: int) -> None:
        """The share done and this process not there yet (it was still linting, say): the facts
        before `below`, from the last down, each validated and its quotes found when it is taken."""
        for start, items in earlier() if below > 0 else ():
            tell.keep(items)
            if start + len(items) != below:
                return  # not the slice just below (never so, but then nothing is certain)
            for index in range(below - 1, start - 1, -1):
                if not meeting.helper_takes(index):
                    return
                raw = items[index - start]
                starts.update(_quotes_found([raw], articles, memo)[0])
                examine(index, Fact.model_validate(raw), raw)
            below = start

    # Past the share is a bonus: should anything fail there (an invalid fact: the project is invalid,
    # and this process says so), what was found stands, and this process examines the rest.
    with contextlib.suppress(Exception):
        go_on_below(min(facts, default=0))
    return digest, found
