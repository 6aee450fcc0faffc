"""`briefgen report`: how much of each article the project uses, and what each brief rests on.

Coverage of a source is the share of its article's *body sentences* (see `sentences`: page
chrome, headlines, bylines and photo captions are not counted) that at least one quote overlaps;
the share of those sentences' characters that lie inside a quote is given beside it. Quotes are
the facts' and the entity roles' citations, each placed where `check` finds it (first occurrence).
"""

from __future__ import annotations

import bisect
import json
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from briefgen.assemble import AssembledBrief, assemble_all
from briefgen.errors import Diagnostic, plural, visible
from briefgen.project.accept import Accepted
from briefgen.project.model import Fact
from briefgen.project.scope import brief_scope
from briefgen.project.usage import DRAFT_MARKER, UnusedFact
from briefgen.project.validate import ValidProject
from briefgen.project.walk import project_citations
from briefgen.text.sentences import Sentence, body_sentences, figures

COVERAGE_DEFINITION = (
    "coverage: share of an article's body sentences that at least one quote overlaps "
    "(page chrome, headlines, bylines and photo captions are not counted); "
    "characters: share of those sentences' non-space characters that lie inside a quote"
)

BRIEF_DEFINITION = (
    "single-source: facts whose quotes all come from one article; "
    "oldest fact: the earliest fact date (a date known only to the month or year counts from its start)"
)

DRAFTS_DEFINITION = (
    f'facts whose claim still starts with "{DRAFT_MARKER}" (as `briefgen suggest` and `briefgen add` write them); '
    "a brief may use one only once its claim is rewritten"
)

UNUSED_DEFINITION = "curated facts (not drafts) that no brief names in its summary, bottom line, sections or assessment"


@dataclass(frozen=True)
class UncitedSentence:
    line: int
    text: str
    figures: tuple[str, ...]


@dataclass(frozen=True)
class SourceReport:
    id: str
    file: str
    sentences: int
    cited_sentences: int
    cited_characters: int
    body_characters: int
    quotes: int
    facts: int
    uncited_with_figures: tuple[UncitedSentence, ...]

    @property
    def coverage_percent(self) -> float | None:
        return _percent(self.cited_sentences, self.sentences)

    @property
    def characters_percent(self) -> float | None:
        return _percent(self.cited_characters, self.body_characters)


@dataclass(frozen=True)
class BriefReport:
    id: str
    title: str
    facts: int
    sources: int
    single_source_facts: int
    oldest_fact: Fact | None
    undated_facts: int

    @property
    def single_source_percent(self) -> float | None:
        return _percent(self.single_source_facts, self.facts)


@dataclass(frozen=True)
class Report:
    sources: tuple[SourceReport, ...]
    briefs: tuple[BriefReport, ...]
    accepted: tuple[Accepted, ...] = ()  # warnings the curators accepted, with their reasons
    warnings: tuple[Diagnostic, ...] = ()  # the project's warnings (about the briefs reported on)
    # The facts no brief uses, drafts and others; None in a report on some briefs (`report BRIEF-ID`),
    # which is about what those briefs use.
    drafts: tuple[UnusedFact, ...] | None = ()
    unused: tuple[UnusedFact, ...] | None = ()


def build_report(valid: ValidProject, brief_ids: Sequence[str] = ()) -> Report:
    """Coverage of every source, the make-up of every brief and the facts no brief uses, in
    briefs.yaml order; with `brief_ids`, of those briefs, the sources they rest on, and the warnings
    about them (scope.py)."""
    project = valid.project
    if not brief_ids:
        sources = tuple(source_report(valid, sid) for sid in project.sources)
        briefs = tuple(brief_report(brief) for brief in assemble_all(valid))
        drafts = tuple(item for item in valid.unused if item.draft)
        unused = tuple(item for item in valid.unused if not item.draft)
        return Report(sources, briefs, valid.accepted, valid.warnings, drafts, unused)
    scope = brief_scope(project.model_dump(mode="json"), brief_ids, valid.config)
    sources = tuple(source_report(valid, sid) for sid in project.sources if ("sources", sid) in scope.items)
    briefs = tuple(brief_report(brief) for brief in assemble_all(valid, scope.brief_ids))
    accepted = tuple(item for item in valid.accepted if scope.covers(item.warning))
    return Report(sources, briefs, accepted, scope.only(valid.warnings), None, None)


# -- sources ----------------------------------------------------------------------------------------


def source_report(valid: ValidProject, source_id: str) -> SourceReport:
    """How much of one source's article the project quotes, and what it leaves uncited."""
    project, article = valid.project, valid.articles[source_id]
    citations = [c for _, c in project_citations(project) if c.source == source_id]
    quoted = _union({(p.start, p.end) for p in map(valid.passage, citations)})
    sentences = body_sentences(article.original)
    covered = [_covered(article.original, s, quoted) for s in sentences]  # None: no quote touches it
    uncited = tuple(
        UncitedSentence(s.line, s.quote, figures(s.quote))
        for s, chars in zip(sentences, covered, strict=True)
        if chars is None and figures(s.quote)
    )
    return SourceReport(
        id=source_id,
        file=project.sources[source_id].file,
        sentences=len(sentences),
        cited_sentences=sum(chars is not None for chars in covered),
        cited_characters=sum(chars or 0 for chars in covered),
        body_characters=sum(_nonspace(s.text) for s in sentences),
        quotes=len(citations),
        facts=sum(any(c.source == source_id for c in fact.cite) for fact in project.facts),
        uncited_with_figures=uncited,
    )


def _union(spans: set[tuple[int, int]]) -> list[tuple[int, int]]:
    """The quoted spans as disjoint, sorted ranges covering the same characters."""
    merged: list[tuple[int, int]] = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return merged


def _covered(text: str, sentence: Sentence, quoted: Sequence[tuple[int, int]]) -> int | None:
    """How many non-space characters of the sentence the quotes cover; None if no quote overlaps it.

    Only the ranges that can overlap the sentence are looked at (found by bisection): a 2 MB article
    quoted 3,000 times made trying every range for every sentence take minutes."""
    at = bisect.bisect_right(quoted, (sentence.start, sys.maxsize))
    at = at - 1 if at and quoted[at - 1][1] > sentence.start else at
    count, touched = 0, False
    while at < len(quoted) and quoted[at][0] < sentence.end:
        start, end = max(quoted[at][0], sentence.start), min(quoted[at][1], sentence.end)
        if start < end or (quoted[at][0] < sentence.end and sentence.start < quoted[at][1]):
            touched = True
            count += _nonspace(text[start:end]) if start < end else 0
        at += 1
    return count if touched else None


def _nonspace(text: str) -> int:
    return len("".join(text.split()))  # str.split splits at exactly the characters str.isspace accepts


# -- briefs ------------------------------------------------------------------------------------------


def brief_report(brief: AssembledBrief) -> BriefReport:
    facts = brief.facts
    sources = {c.source for fact in facts for c in fact.cite}
    dated = [(f.date.value, f) for f in facts if f.date is not None]
    oldest = min(dated, key=lambda pair: pair[0])[1] if dated else None  # a year-only date counts from 1 January
    return BriefReport(
        id=brief.id,
        title=brief.brief.title,
        facts=len(facts),
        sources=len(sources),
        single_source_facts=sum(len({c.source for c in fact.cite}) == 1 for fact in facts),
        oldest_fact=oldest,
        undated_facts=len(facts) - len(dated),
    )


def _percent(part: int, whole: int) -> float | None:
    return round(100 * part / whole, 1) if whole else None


# -- output --------------------------------------------------------------------------------------------


def report_json(report: Report) -> dict[str, Any]:
    """The report as plain data with stable keys, for scripts (`briefgen report --json`)."""
    return {
        "definitions": {
            "coverage": COVERAGE_DEFINITION,
            "briefs": BRIEF_DEFINITION,
            "drafts": DRAFTS_DEFINITION,
            "unused_facts": UNUSED_DEFINITION,
        },
        "sources": [
            {
                "id": s.id,
                "file": s.file,
                "sentences": s.sentences,
                "cited_sentences": s.cited_sentences,
                "coverage_percent": s.coverage_percent,
                "cited_characters_percent": s.characters_percent,
                "quotes": s.quotes,
                "facts": s.facts,
                "uncited_sentences_with_figures": [
                    {"line": u.line, "text": u.text, "figures": list(u.figures)} for u in s.uncited_with_figures
                ],
            }
            for s in report.sources
        ],
        "briefs": [
            {
                "id": b.id,
                "title": b.title,
                "facts": b.facts,
                "sources": b.sources,
                "single_source_facts": b.single_source_facts,
                "single_source_percent": b.single_source_percent,
                "oldest_fact": _oldest_json(b.oldest_fact),
                "undated_facts": b.undated_facts,
            }
            for b in report.briefs
        ],
        "accepted": [
            {
                "kind": item.warning.kind,
                "file": str(item.warning.location.path),
                "line": item.warning.location.line,
                "column": item.warning.location.column,
                "message": item.warning.message,
                "reason": item.reason,
            }
            for item in report.accepted
        ],
        "drafts": None if report.drafts is None else [_unused_json(item) for item in report.drafts],
        "unused_facts": None if report.unused is None else [_unused_json(item) for item in report.unused],
    }


# json.dumps escapes the C0 controls in strings, but (with ensure_ascii=False) not DEL and the C1
# controls, which some terminals act on (0x9b alone is CSI): escaped too, the JSON value is the same.
_JSON_CONTROLS = {code: f"\\u{code:04x}" for code in range(0x7F, 0xA0)}


def json_text(report: Report) -> str:
    """`report_json` as the text `briefgen report --json` prints: readable UTF-8, no raw control character."""
    return json.dumps(report_json(report), indent=2, ensure_ascii=False).translate(_JSON_CONTROLS)


def _unused_json(item: UnusedFact) -> dict[str, Any]:
    fact, where = item.fact, item.location
    date = fact.date.value.iso() if fact.date else None
    return {
        "id": fact.id,
        "claim": fact.claim,
        "date": date,
        "file": str(where.path),
        "line": where.line,
        "column": where.column,
    }


def _oldest_json(fact: Fact | None) -> dict[str, str] | None:
    if fact is None or fact.date is None:
        return None
    return {"id": fact.id, "date": fact.date.value.iso()}


def format_text(report: Report) -> str:
    """The report for people: one block per source, one per brief, then what no brief uses.

    Every line is passed through `visible`: claims and article sentences are data, and a control
    character in them (an ESC sequence) must reach the terminal as letters, not act on it."""
    lines = ["Sources", *(f"  {line}" for line in COVERAGE_DEFINITION.split("; ")), ""]
    for s in report.sources:
        lines += _source_lines(s)
    lines += ["Briefs", *(f"  {line}" for line in BRIEF_DEFINITION.split("; ")), ""]
    for b in report.briefs:
        lines += _brief_lines(b)
    if report.accepted:
        lines += ["Accepted warnings", "  reviewed by a curator, who wrote why each does not apply (`accept:`)", ""]
        for item in report.accepted:
            lines += [
                f"{item.warning.location}: {item.warning.kind}: {item.warning.message}",
                f"  accepted: {item.reason}",
            ]
        lines.append("")
    if report.drafts is not None:
        lines += _unused_lines("Drafts not yet in a brief", DRAFTS_DEFINITION, report.drafts, "no drafts")
    if report.unused is not None:
        lines += _unused_lines("Facts no brief uses", UNUSED_DEFINITION, report.unused, "every fact is in a brief")
    return "\n".join(map(visible, lines))


def _unused_lines(heading: str, definition: str, items: Sequence[UnusedFact], none: str) -> list[str]:
    """`briefs.yaml:L:C: fact-id (date): claim`, one line per fact, located at the claim."""
    lines = [heading, f"  {definition}", ""]
    for item in items:
        date = f" ({item.fact.date.value.iso()})" if item.fact.date else ""
        lines.append(f"{item.location}: {item.fact.id}{date}: {' '.join(item.fact.claim.split())}")
    return [*lines, *([] if items else [f"  {none}"]), ""]


def _source_lines(s: SourceReport) -> list[str]:
    lines = [
        f"{s.id} ({s.file})",
        f"  coverage {s.cited_sentences} of {plural(s.sentences, 'sentence')} ({_pct(s.coverage_percent)}), "
        f"{_pct(s.characters_percent)} of characters; {plural(s.quotes, 'quote')} in {plural(s.facts, 'fact')}",
    ]
    if s.uncited_with_figures:
        lines.append("  sentences with figures not yet cited:")
        lines += [f"    line {u.line}: {u.text}  [{', '.join(u.figures)}]" for u in s.uncited_with_figures]
    else:
        lines.append("  every sentence with figures is cited")
    return [*lines, ""]


def _brief_lines(b: BriefReport) -> list[str]:
    oldest = (
        f"oldest fact {b.oldest_fact.date.value.iso()} ({b.oldest_fact.id})"
        if b.oldest_fact and b.oldest_fact.date
        else "no dated facts"
    )
    undated = f"; {b.undated_facts} undated" if b.undated_facts else ""
    return [
        f"{b.id}: {b.title}",
        f"  {plural(b.facts, 'fact')} from {plural(b.sources, 'source')}; {b.single_source_facts} single-source "
        f"({_pct(b.single_source_percent)}); {oldest}{undated}",
        "",
    ]


def _pct(value: float | None) -> str:
    return "n/a" if value is None else f"{value:g}%"
