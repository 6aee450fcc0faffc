"""How well claim support catches wrong claims, and how rarely it flags true ones.

Every shipped claim is mutated once per class of error, as the fact-checking literature counts them
(FRANK's taxonomy): a number changed, an entity swapped for another of the project's entities of the
same kind, the main verb negated, a hedge dropped. A mutant counts as caught when claim support
reports a warning of that class on the claim. The true claims are the shipped ones plus the
paraphrases in bench/claims_paraphrases.yaml; any warning on one is a false positive.

    python bench/claims_eval.py [--verbose]

The mutators are deliberately simple and written apart from the rules (they share only the
quantity reader, to know where a number is); a mutant a mutator cannot make is not counted.
"""

from __future__ import annotations

import argparse
import re
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from briefgen.project.claims import Evidence, PeopleIndex, fact_evidence, fact_findings, quantities  # noqa: E402
from briefgen.project.load import load_project  # noqa: E402
from briefgen.project.model import Fact, Project  # noqa: E402
from briefgen.project.validate import ValidProject, validate  # noqa: E402
from briefgen.project.values import WarningKind  # noqa: E402
from briefgen.text.names import NameMatcher  # noqa: E402

TARGETS = {WarningKind.NUMBER: 0.95, WarningKind.ENTITY: 0.90, WarningKind.NEGATION: 0.80, WarningKind.CERTAINTY: 0.70}
WORDS = "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen".split()  # noqa: SIM905
MONTHS = "January February March April May June July August September October November December".split()  # noqa: SIM905


@dataclass(frozen=True)
class Context:
    valid: ValidProject
    names: NameMatcher
    people: PeopleIndex

    @property
    def project(self) -> Project:
        return self.valid.project

    def evidence(self, fact: Fact) -> Evidence:
        articles = {sid: text.original for sid, text in self.valid.articles.items()}
        starts = {key: passage.start for key, passage in self.valid.passages.items()}
        return fact_evidence(fact, articles, starts)

    def kinds_found(self, fact: Fact, claim: str) -> set[WarningKind]:
        changed = fact.model_copy(update={"claim": claim, "headline": None, "figure": None})
        return {
            f.kind
            for f in fact_findings(changed, self.evidence(fact), self.names, self.people)
            if f.field == ("claim",)
        }


# --- mutators: each returns the mutated claim, or None where the class does not apply ---------------


def change_number(claim: str, fact: Fact, ctx: Context) -> str | None:
    for quantity in quantities(claim):
        text = quantity.text
        if isinstance(quantity.value, tuple):
            month, day = quantity.value
            new = re.sub(r"\d+", lambda m: str(int(m.group()) % 28 + 3), text, count=1) if day else None
            new = new or MONTHS[month % 12]
        elif re.search(r"\d", text):
            new = re.sub(r"\d(?=\D*$)", lambda m: str((int(m.group()) + 3) % 10), text, count=1)
        else:
            word = next((w for w in WORDS if re.search(rf"\b{w}\b", text, re.I)), None)
            if word is None:
                continue
            new = re.sub(rf"\b{word}\b", WORDS[(WORDS.index(word) + 3) % len(WORDS)], text, count=1, flags=re.I)
        return claim[: quantity.start] + new + claim[quantity.start + len(text) :]
    return None


def swap_entity(claim: str, fact: Fact, ctx: Context) -> str | None:
    evidence = ctx.evidence(fact)
    quoted = {m.entity_id for quote in evidence.quotes for m in ctx.names.mentions(quote)} | set(fact.entities)
    for mention in ctx.names.mentions(claim):
        kind = ctx.project.entities[mention.entity_id].kind
        others = sorted(
            e
            for e, entity in ctx.project.entities.items()
            if entity.kind is kind and e not in quoted and e != mention.entity_id
        )
        if others and mention.spelling in claim:
            other = others[sum(map(ord, fact.id)) % len(others)]
            return claim.replace(mention.spelling, ctx.project.entities[other].name, 1)
    return None


_AUXILIARY = re.compile(r"\b(was|were|is|are|has|have|had|would|will|could|can|should)\b")
_IRREGULAR = {"met": "meet", "said": "say", "held": "hold", "began": "begin", "gave": "give", "took": "take",
              "sought": "seek", "made": "make", "led": "lead", "won": "win", "told": "tell"}  # fmt: skip


def negate(claim: str, fact: Fact, ctx: Context) -> str | None:
    for match in re.finditer(r"\b[a-z]+\b", claim):
        word = match.group()
        if match.start() == 0:
            continue
        if _AUXILIARY.fullmatch(word):
            return claim[: match.end()] + " not" + claim[match.end() :]
        if word in _IRREGULAR or (word.endswith("ed") and len(word) > 4):
            return claim[: match.start()] + "did not " + _base(word) + claim[match.end() :]
    return None


def _base(word: str) -> str:
    if word in _IRREGULAR:
        return _IRREGULAR[word]
    if word.endswith("ied"):
        return word[:-3] + "y"
    if word.endswith(("ced", "sed", "ved", "zed", "ged", "ated", "ured", "ired", "eed")):
        return word[:-1]
    return word[:-2]


_HEDGES: list[tuple[re.Pattern[str], str]] = [
    (re.compile(r"^According to [^,]+, "), ""),
    (re.compile(r",? according to [^,.]+"), ""),
    (re.compile(r",? the [A-Z][\w ]+ said\b"), ""),
    (re.compile(r"\b(could|may|might|would)\b"), "will"),
    (re.compile(r"\b(potential|potentially|possible|possibly|likely|reportedly) "), ""),
    (re.compile(r"\b(plans|hopes|aims|seeks|wishes) to\b"), "will"),
    (re.compile(r"\b(planned|hoped|aimed|sought|wished) to\b"), "did"),
    (re.compile(r"\bwere exploring\b"), "had agreed on"),
    (re.compile(r"\bwas seen as\b"), "was"),
    (re.compile(r"\bthe prospect of\b"), ""),
]


def drop_hedge(claim: str, fact: Fact, ctx: Context) -> str | None:
    """Drop a hedge the claim keeps from its quotes (a "would" reporting the quote's "will" is none)."""
    quotes = ctx.evidence(fact).text.casefold()
    for pattern, replacement in _HEDGES:
        match = pattern.search(claim)
        if match and (match.group(1) if pattern.groups else "according to").casefold() in quotes:
            changed = claim[: match.start()] + replacement + claim[match.end() :]
            return changed[:1].upper() + changed[1:]
    return None


MUTATORS: dict[WarningKind, Callable[[str, Fact, Context], str | None]] = {
    WarningKind.NUMBER: change_number,
    WarningKind.ENTITY: swap_entity,
    WarningKind.NEGATION: negate,
    WarningKind.CERTAINTY: drop_hedge,
}


@dataclass
class Tally:
    caught: int = 0
    total: int = 0
    missed: list[str] | None = None

    @property
    def rate(self) -> float:
        return self.caught / self.total if self.total else 1.0


def evaluate(
    config: Path, paraphrases: Path
) -> tuple[dict[WarningKind, Tally], list[tuple[str, str, set[WarningKind]]], int]:
    valid = validate(load_project(config))
    ctx = Context(valid, NameMatcher(valid.project.entities), PeopleIndex(valid.project.entities))
    tallies = {kind: Tally(missed=[]) for kind in MUTATORS}
    for fact in valid.project.facts:
        for kind, mutate in MUTATORS.items():
            mutant = mutate(fact.claim, fact, ctx)
            if mutant is None or mutant == fact.claim:
                continue
            tally = tallies[kind]
            tally.total += 1
            if kind in ctx.kinds_found(fact, mutant):
                tally.caught += 1
            else:
                assert tally.missed is not None
                tally.missed.append(f"{fact.id}: {mutant}")
    facts = {fact.id: fact for fact in valid.project.facts}
    true_claims = [(fact.id, fact.claim) for fact in valid.project.facts]
    true_claims += [(row["fact"], row["claim"]) for row in yaml.safe_load(paraphrases.read_text(encoding="utf-8"))]
    flagged = [(fid, claim, kinds) for fid, claim in true_claims if (kinds := ctx.kinds_found(facts[fid], claim))]
    return tallies, flagged, len(true_claims)


def report(
    tallies: dict[WarningKind, Tally], flagged: list[tuple[str, str, set[WarningKind]]], true_count: int, verbose: bool
) -> Iterator[str]:
    yield "| class | caught | mutants | rate | target |"
    yield "|---|---|---|---|---|"
    for kind, tally in tallies.items():
        yield f"| {kind.value} | {tally.caught} | {tally.total} | {tally.rate:.0%} | ≥ {TARGETS[kind]:.0%} |"
    yield f"| true claims flagged | {len(flagged)} | {true_count} | | ≤ 1 |"
    if verbose:
        for kind, tally in tallies.items():
            for missed in tally.missed or []:
                yield f"missed {kind.value}: {missed}"
        for fid, claim, kinds in flagged:
            yield f"flagged {sorted(k.value for k in kinds)}: {fid}: {claim}"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--config", type=Path, default=ROOT / "briefs.yaml")
    parser.add_argument("--paraphrases", type=Path, default=ROOT / "bench" / "claims_paraphrases.yaml")
    parser.add_argument("--verbose", action="store_true")
    args = parser.parse_args()
    tallies, flagged, true_count = evaluate(args.config, args.paraphrases)
    print("\n".join(report(tallies, flagged, true_count, args.verbose)))
    met = all(t.rate >= TARGETS[k] for k, t in tallies.items()) and len(flagged) <= 1
    return 0 if met else 1


if __name__ == "__main__":
    sys.exit(main())
