"""Claim support's negation and certainty rules (see claims.py): a claim may not negate what its
quotes affirm, nor affirm what they negate; where a quote hedges or attributes the words a claim
takes from it, the claim hedges or attributes them too."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass

from briefgen.project.claims_text import (
    WORD,
    Evidence,
    Finding,
    Word,
    content_stems,
    content_words,
    folded_words,
    hint,
    words,
)
from briefgen.project.values import WarningKind
from briefgen.text.names import name_key

# --- negation -------------------------------------------------------------------------------------

_NEGATION = re.compile(
    r"(?i)(?<![\w])(?:not|no|never|none|neither|nor|without|cannot|nobody|nothing|nowhere"
    r"|den(?:y|ies|ied|ying)|reject(?:s|ed|ing)?|refus(?:e|es|ed|ing)|declin(?:e|es|ed|ing)"
    r"|fail(?:s|ed|ing)?|non(?=-\w))(?![\w])|n['’]t(?![\w])"
)
_NEGATION_WORDS = frozenset(
    "not no never none neither nor without cannot nobody nothing nowhere deny denies denied denying"  # noqa: SIM905
    " reject rejects rejected rejecting refuse refuses refused refusing decline declines declined"
    " declining fail fails failed failing non".split()
)


def _may_negate(text: str) -> bool:
    """A cheap first look for _NEGATION: a word set, and the one cue inside words."""
    return bool(folded_words(text) & _NEGATION_WORDS) or "n't" in text or "n’t" in text


_CONTEXT = 6  # content words either side of a negation that tell what it negates


@dataclass(frozen=True, slots=True)
class Cue:
    """A negation or hedge word, where it stands, and the stems of the words around it."""

    text: str
    start: int
    context: frozenset[str]
    negated: frozenset[str] = frozenset()  # the first content words after it: what it applies to
    head: str = ""  # the first content word after it: what a hedge governs


def _cues(pattern: re.Pattern[str], text: str, before: int = _CONTEXT, after: int = _CONTEXT) -> list[Cue]:
    matches = list(pattern.finditer(text))
    if not matches:
        return []  # most texts have no cue: they need not be split into words
    tokens = content_words(text)
    cues = []
    for match in matches:
        preceding = [stem for w, stem in tokens if w.end <= match.start()][-before:] if before else []
        following = [stem for w, stem in tokens if w.start >= match.end()][:after]
        head = following[0] if following else ""
        cues.append(Cue(match.group(), match.start(), frozenset(preceding + following), frozenset(following[:2]), head))
    return cues


def negation_findings(field: tuple[str, ...], text: str, evidence: Evidence) -> Iterator[Finding]:
    if not _may_negate(text) and not _may_negate(evidence.text):
        return
    claim_cues = [c for c in _cues(_NEGATION, text) if not _prefix_written_solid(c, text, evidence)]
    quote_cues = [cue for quote in evidence.quotes for cue in _cues(_NEGATION, quote)]
    unmatched = list(quote_cues)
    for cue in claim_cues:
        partner = next((q for q in unmatched if q.context & cue.context), None)
        if partner is not None:
            unmatched.remove(partner)
            continue
        yield Finding(
            WarningKind.NEGATION,
            field,
            cue.start,
            f"{field[-1]} says {cue.text!r} where its quotes do not negate it",
            hint(WarningKind.NEGATION, f"the quote says: {_passage(evidence, cue.context)!r}"),
        )
    if claim_cues:
        return
    claim_stems = content_stems(text)
    for cue in quote_cues:
        if cue.negated and cue.negated <= claim_stems and len(cue.context & claim_stems) >= 3:
            yield Finding(
                WarningKind.NEGATION,
                field,
                0,
                f"{field[-1]} affirms what its quote negates ({cue.text!r})",
                hint(WarningKind.NEGATION, f"the quote says: {_passage(evidence, cue.context)!r}"),
            )
            return


def _prefix_written_solid(cue: Cue, text: str, evidence: Evidence) -> bool:
    """ "non-proliferation" where the quote writes "nonproliferation": one word, not a negation."""
    if cue.text.casefold() != "non":
        return False
    following = WORD.match(text, cue.start + len(cue.text) + 1)
    return following is not None and name_key("non" + following.group()) in evidence.word_keys


def _passage(evidence: Evidence, stems: Iterable[str], width: int = 12) -> str:
    """The few words of the quotes that best match `stems`: what a hint shows of the evidence."""
    wanted = set(stems)
    best: tuple[int, str] = (-1, "")
    for quote in evidence.quotes:
        quote_words = words(quote)
        for i in range(max(1, len(quote_words) - width + 1)):
            window = quote_words[i : i + width]
            score = sum(w.stem in wanted for w in window)
            if score > best[0] and window:
                best = (score, quote[window[0].start : window[-1].end])
    return best[1] + ("…" if best[1] else "")


# --- certainty ------------------------------------------------------------------------------------

_POSSIBILITY = re.compile(
    r"(?<![\w])(?:could|may|might|would|possibl[ey]|possibilit(?:y|ies)|potential(?:ly)?|likely|unlikely"
    r"|probabl[ey]|perhaps|expect(?:s|ed|ing)?|plan(?:s|ned|ning)?\s+to|seek(?:s|ing)?|sought|hop(?:e|es|ed|ing)"
    r"|explor(?:e|es|ed|ing)|consider(?:s|ed|ing)|aim(?:s|ed|ing)?\s+to|intend(?:s|ed|ing)?|intention"
    r"|wish(?:es|ed)?|prospect|prospects)(?![\w])"
)
_HEARSAY = re.compile(
    r"(?i)(?<![\w])(?:according\s+to|reportedly|reports?|reported|allegedly|is\s+seen\s+as|seen\s+as"
    r"|(?:is|are|was|were)\s+believed)(?![\w])"
)
# A quote that says who says so ("…, the ministry said", "Wi noted that …"): a claim taking its words
# must say who says so too, or it states as fact what the article only reports.
_REPORTED = re.compile(r"(?<![\w])(?:said|says|noted|told|stated)(?![\w])")
_ATTRIBUTION = re.compile(
    r"(?i)(?<![\w])(?:according\s+to|reportedly|reports?|reported|allegedly|seen\s+as|believed|sa(?:id|ys|y)"
    r"|told|noted|stated|announced|described|quoted|claimed|confirmed|explained|cited|cites|stressed|emphasi[sz]ed"
    r"|highlighted|expressed|assessed|argued|warned|insisted|added|the\s+article)(?![\w])"
)
_HEDGE_WORDS = frozenset(
    "could may might would possible possibly possibility possibilities potential potentially likely"  # noqa: SIM905
    " unlikely probable probably perhaps expect expects expected expecting plan plans planned planning"
    " seek seeks seeking sought hope hopes hoped hoping explore explores explored exploring consider"
    " considers considered considering aim aims aimed aiming intend intends intended intending intention"
    " wish wishes wished prospect prospects according reportedly report reports reported allegedly seen"
    " believed".split()
)  # every word _POSSIBILITY or _HEARSAY can match starts with one of these: a cheap first look
_REPORTED_WORDS = frozenset(("said", "says", "noted", "told", "stated"))
_CERTAINTY_WORDS = _HEDGE_WORDS | _REPORTED_WORDS
_SCOPE = 6  # content words after a hedge that it governs
_REACH = 8  # how many words before the hedged words a claim's hedge may stand


def certainty_findings(field: tuple[str, ...], text: str, evidence: Evidence) -> Iterator[Finding]:
    """Where a quote hedges or attributes words the claim takes from it, the claim does so too."""
    if _CERTAINTY_WORDS.isdisjoint(folded_words(evidence.text)):
        return
    hedged = [(q, cues) for q in evidence.quotes if (cues := _cues(_POSSIBILITY, q, before=0, after=_SCOPE))]
    if hedged:  # the claim is split into words only when some quote hedges
        claim_words = words(text)
        claim_hedges = [m.start() for m in _POSSIBILITY.finditer(text)] + [m.start() for m in _HEARSAY.finditer(text)]
        for quote, cues in hedged:
            for cue in cues:
                taken = [(w, stem) for w, stem in content_words(text) if stem in cue.context]
                heads = [w for w, stem in taken if stem == cue.head]
                if len(taken) < 2 or not heads or any(_hedged_near(claim_hedges, claim_words, w) for w in heads):
                    continue
                yield _certainty_finding(field, heads[0], cue, quote)
                return
    if _HEARSAY.search(text):
        return
    attributed = _ATTRIBUTION.search(text) is not None
    claim_stems = content_stems(text)
    for quote in evidence.quotes:
        for cue in [*_cues(_HEARSAY, quote, 2 * _SCOPE, 2 * _SCOPE), *_cues(_REPORTED, quote, 2 * _SCOPE, 2 * _SCOPE)]:
            shared = {stem: w for w, stem in content_words(text) if stem in cue.context}
            if len(shared) < max(3, 0.4 * len(cue.context)):
                continue  # the claim does not take its words from that report
            source = _attributed_to(quote, cue) if cue.text.casefold().startswith("according") else None
            if attributed and (source is None or source & claim_stems):
                continue  # "Shin said …" for "Shin said"; "Šekerinska cited" for "according to Šekerinska"
            yield _certainty_finding(field, next(iter(shared.values())), cue, quote)
            return


def _attributed_to(quote: str, cue: Cue) -> frozenset[str]:
    """The stems of whom "according to" names: "according to the presidential office, …" → office."""
    after = quote[cue.start + len(cue.text) :]
    source = re.split(r"[,.;:—–()]", after, maxsplit=1)[0]
    return frozenset(w.stem for w in words(source)[:6] if w.is_content)


def _hedged_near(hedges: Sequence[int], claim_words: Sequence[Word], head: Word) -> bool:
    """A hedge a few words before the hedged word, or just after it ("Russia might compensate")."""
    index = next(i for i, w in enumerate(claim_words) if w.start == head.start)
    reach_start = claim_words[max(0, index - _REACH)].start
    reach_end = claim_words[min(len(claim_words) - 1, index + 2)].end
    return any(reach_start <= h <= reach_end for h in hedges)


def _certainty_finding(field: tuple[str, ...], word: Word, cue: Cue, quote: str) -> Finding:
    quote_words = words(quote)
    at = next((i for i, w in enumerate(quote_words) if w.start >= cue.start), len(quote_words) - 1)
    window = quote_words[max(0, at - 5) : at + 9]  # whole words around the hedge
    around = quote[window[0].start : window[-1].end] if window else cue.text
    return Finding(
        WarningKind.CERTAINTY,
        field,
        word.start,
        f"{field[-1]} states as certain what its quote hedges with {cue.text!r}",
        hint(WarningKind.CERTAINTY, f"the quote says: '…{around}…'; keep the hedge or say who says so"),
    )
