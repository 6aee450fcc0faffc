"""The evidence a handout carries: the cited articles' text and the brief's facts with their quotes.

The PDF embeds these as attachments, so a reader holding only the handout can check any footnote
offline: find the quote in the attached article, at the line and column given.
"""

from __future__ import annotations

import itertools
import json
from pathlib import PurePosixPath
from typing import Any

from briefgen.assemble import AssembledBrief
from briefgen.project.model import Citation, Fact
from briefgen.project.validate import ValidProject
from briefgen.renderers.pdf.job import EvidenceFile
from briefgen.text.quotes import Passage
from briefgen.version import __version__

FACTS_FILE = "facts.json"


def evidence_files(valid: ValidProject, brief: AssembledBrief) -> tuple[EvidenceFile, ...]:
    """The brief's facts as JSON, then each cited article's text, in note order."""
    names = _attachment_names(brief)
    articles = tuple(
        EvidenceFile(
            names[note.source_id],
            f"Note {note.number}: text of {note.source.file}",
            valid.articles[note.source_id].original.encode("utf-8"),
        )
        for note in brief.notes
    )
    facts = EvidenceFile(
        FACTS_FILE,
        f"Facts of brief {brief.id} with their quotes and where each quote is in its article",
        (json.dumps(_facts_document(valid, brief, names), ensure_ascii=False, indent=2) + "\n").encode("utf-8"),
    )
    return (facts, *articles)


def _attachment_names(brief: AssembledBrief) -> dict[str, str]:
    """Source id → attachment name: the article's file name, made unique with the source id.

    Unique whatever the paths (`seeds/a.txt`, `seeds/y-a.txt` and, for source `y`, `other/a.txt`),
    and without regard to case: `pdfdetach -saveall` on a case-insensitive disk would otherwise
    keep one of two, and facts.json would point a note at the wrong article.
    """
    names: dict[str, str] = {}
    taken = {FACTS_FILE.casefold()}
    for note in brief.notes:
        name = PurePosixPath(note.source.file).name
        candidates = itertools.chain(
            [name, f"{note.source_id}-{name}"], (f"{note.source_id}-{n}-{name}" for n in itertools.count(2))
        )
        chosen = next(c for c in candidates if c.casefold() not in taken)
        taken.add(chosen.casefold())
        names[note.source_id] = chosen
    return names


def _facts_document(valid: ValidProject, brief: AssembledBrief, names: dict[str, str]) -> dict[str, Any]:
    numbers = {note.source_id: note.number for note in brief.notes}
    return {
        "brief": brief.id,
        "title": brief.brief.title,
        "as_of": brief.brief.as_of.iso(),
        "generator": f"briefgen {__version__}",
        "sources": {
            note.source_id: {
                "note": note.number,
                "attachment": names[note.source_id],
                **note.source.model_dump(mode="json", exclude_none=True),
            }
            for note in brief.notes
        },
        "facts": [
            {
                **fact.model_dump(mode="json", exclude_none=True, exclude={"cite", "note"}),
                "cite": [_citation(c, numbers, valid.passage(c)) for c in fact.cite],
            }
            for fact in _facts_used(valid, brief)
        ],
    }


def _facts_used(valid: ValidProject, brief: AssembledBrief) -> list[Fact]:
    """The facts the brief states, then those only its judgements (summary, leads, assessment) rest on."""
    index = valid.fact_index()
    used = {fact.id: fact for fact in brief.facts}
    for judgement in brief.judgements:
        for fact_id in judgement.based_on:
            used.setdefault(fact_id, index[fact_id])
    return list(used.values())


def _citation(cite: Citation, numbers: dict[str, int], found: Passage) -> dict[str, Any]:
    return {
        "source": cite.source,
        "note": numbers.get(cite.source),
        "quote": cite.quote,
        "line": found.line,
        "column": found.column,
    }
