"""A synthetic briefgen project, generated deterministically: articles, facts, entities and briefs.

At scale 1: 1,000 articles (~3 KB each), 10,000 facts, 200 entities and 100 briefs of 24 facts each
(three pages or so of PDF). Every quote is a run of words cut from a sentence of its article, so
`briefgen check` verifies 12,000+ real quotes; articles wrap lines mid-sentence and use typographic
quotes, dashes, diacritics and some Hangul, so quote matching does its normalisation for real.

    python bench/synth.py DIR [--scale 0.25]
"""

from __future__ import annotations

import argparse
import random
import re
import sys
import textwrap
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

ARTICLES, FACTS, BRIEFS, ENTITIES = 1000, 10_000, 100, 200
SEED = 5

FIRST = [
    "Min",
    "Ji",
    "Anna",
    "Piotr",
    "Radmila",
    "Seo",
    "Tomasz",
    "Hye",
    "Marta",
    "Jan",
    "Eun",
    "Zofia",
    "Kang",
    "Lena",
]
SURNAMES = ["Kowalski", "Šekerinska", "Nowak", "Park", "Wiśniewski", "Lee", "Dąbrowska", "Choi", "Müller", "Jung"]
ORGS = ["Ministry of Defence", "Defence Acquisition Agency", "Trade Office", "Export Bank", "Security Council"]
COUNTRIES = ["Poland", "Korea", "Romania", "Estonia", "Norway", "Finland", "Czechia", "Slovakia", "Hungary", "Latvia"]
TITLES = ["Defence Minister", "Deputy Minister", "Procurement Chief", "Ambassador", "Trade Commissioner", "Envoy"]
TOPICS = [
    "artillery", "tanks", "shipbuilding", "aerospace", "exports", "diplomacy", "finance", "training", "supply",
    "space", "cyber", "missiles", "logistics", "research", "energy", "trade", "sanctions", "nato", "eu", "industry",
]  # fmt: skip
NOUNS = [
    "the contract", "the framework agreement", "a joint venture", "the second tranche", "local production",
    "the delivery schedule", "technology transfer", "the loan facility", "maintenance centres", "the export licence",
    "a research programme", "training for crews", "the supply chain", "spare parts", "the memorandum",
]  # fmt: skip
VERBS = [
    "agreed to expand", "signed", "reviewed", "postponed", "approved", "discussed", "announced", "welcomed",
    "questioned", "financed", "accelerated", "completed",
]  # fmt: skip
OUTLETS = ["Warsaw Ledger", "Seoul Herald", "Baltic Wire", "Nordic Defence Review", "Danube Post", None]
HANGUL = ["국방", "수출", "협력", "기자", "장관"]


@dataclass
class Entity:
    id: str
    name: str
    kind: str
    aliases: list[str]
    title: str
    country: str
    role_quote: tuple[int, str] | None = None  # (article index, quote)


@dataclass
class Article:
    index: int
    file: str
    sentences: list[str] = field(default_factory=list)
    text: str = ""


def _codename(i: int) -> str:
    """A made-up word per organisation (Alvoria, Bendastra, ...): names that do not look alike."""
    first, middle, last = "ABCDEFGHKLMNPRSTVZ", ["al", "en", "or", "is", "um", "ev", "ad", "on"], ["ia", "ara", "ostra"]
    return f"{first[i % 18]}{middle[(i // 18) % 8]}{middle[(i // 144) % 8]}{last[i % 3]}"


def _ascii(name: str) -> str:
    return name.translate(str.maketrans("ŠšąęśńółźżĄŚŁŻüÜ", "SsaesnolzzASLZuU"))


def _entities(rng: random.Random, count: int) -> list[Entity]:
    people = count * 3 // 4
    entities: list[Entity] = []
    for i in range(count):
        country = COUNTRIES[i % len(COUNTRIES)]
        if i < people:
            name = f"{FIRST[i % len(FIRST)]} {SURNAMES[(i // len(FIRST)) % len(SURNAMES)]}-{i:03d}"
            aliases = [_ascii(name)] if _ascii(name) != name else []
            entities.append(Entity(f"person-{i:03d}", name, "person", aliases, rng.choice(TITLES), country))
        else:
            name = f"{country} {ORGS[i % len(ORGS)]} for {_codename(i)}"
            entities.append(Entity(f"org-{i:03d}", name, "organisation", [], "Agency", country))
    return entities


def _sentence(rng: random.Random, entities: list[Entity], year: int) -> str:
    who = rng.choice(entities).name
    what = rng.choice(NOUNS)
    amount = f"{rng.randint(1, 900)}.{rng.randint(0, 9)} billion dollars"
    forms = [
        f"{who} {rng.choice(VERBS)} {what} worth {amount} in {year}, officials said.",
        f"According to {who}, {what} was {rng.choice(['on track', 'delayed', 'under review'])} — "
        f"with {rng.randint(2, 60)} units due by {year + rng.randint(1, 4)}.",
        f"“We {rng.choice(VERBS)} {what},” {who} told reporters in {rng.choice(COUNTRIES)} on Monday.",
        f"The {rng.choice(TOPICS)} talks covered {what} and {rng.choice(NOUNS)}, a spokesperson for {who} said.",
    ]
    return rng.choice(forms)


def _articles(rng: random.Random, count: int, entities: list[Entity]) -> list[Article]:
    articles = []
    for i in range(count):
        article = Article(i, f"seeds/{i:04d}.txt")
        year = 2025
        article.sentences = [_sentence(rng, entities, year) for _ in range(rng.randint(22, 30))]
        chrome = f"{rng.choice(HANGUL)} {rng.choice(HANGUL)} | input {year}.{1 + i % 12:02d}.{1 + i % 28:02d}\n\n"
        paragraphs = [" ".join(article.sentences[j : j + 4]) for j in range(0, len(article.sentences), 4)]
        body = "\n\n".join(textwrap.fill(p, width=rng.choice([72, 80, 96])) for p in paragraphs)
        article.text = chrome + body + "\n"
        articles.append(article)
    for entity in entities:  # one sourced role each, stated in some article
        article = articles[rng.randrange(count)]
        sentence = f"{entity.name}, {entity.title} of {entity.country}, attended the meeting."
        article.sentences.append(sentence)
        article.text += "\n" + sentence + "\n"
        entity.role_quote = (article.index, sentence.removesuffix(" attended the meeting."))
    return articles


def _quote(rng: random.Random, article: Article) -> str:
    words = rng.choice(article.sentences).split()
    size = min(len(words), rng.randint(6, 12))
    start = rng.randint(0, len(words) - size)
    return " ".join(words[start : start + size])


def _source(rng: random.Random, article: Article) -> dict[str, Any]:
    year = 2025
    source: dict[str, Any] = {"file": article.file, "title": f"Report {article.index}: defence cooperation update"}
    outlet = OUTLETS[article.index % len(OUTLETS)]
    if outlet:
        source["outlet"] = outlet
    if article.index % 3:
        source["author"] = f"{rng.choice(FIRST)} {rng.choice(SURNAMES)}"
    if article.index % 4 == 0:
        source["published"] = {"value": f"{year}-{1 + article.index % 12:02d}", "basis": "inferred", "note": "dateline"}
    else:
        source["published"] = f"{year}-{1 + article.index % 12:02d}-{1 + article.index % 28:02d}"
    if article.index % 2:
        source["url"] = f"https://news.example.org/{year}/{article.index}"
    return source


def _fact(rng: random.Random, index: int, articles: list[Article]) -> dict[str, Any]:
    cited = [articles[index % len(articles)]]
    if index % 5 == 0 and len(articles) > 1:  # bottom lines are drawn from these: two independent articles
        cited.append(articles[(index % len(articles) + 1 + index // len(articles)) % len(articles)])
    cites = [{"source": f"src-{a.index:04d}", "quote": _quote(rng, a)} for a in cited]
    fact: dict[str, Any] = {
        "id": f"fact-{index:05d}",
        "claim": f"Reports said {cites[0]['quote'].rstrip('.,')}.",
        "date": f"2025-{1 + index % 11:02d}-{1 + index % 28:02d}" if index % 3 else "2025-11",
        "topics": sorted({TOPICS[index % len(TOPICS)], TOPICS[(index * 3) % len(TOPICS)]}),
        "cite": cites,
    }
    if index % 10 == 0:
        measure, made_up = f"Value of {rng.choice(NOUNS)}, item {index}", rng.randint(1, 90)
        # A figure gives a number its quote gives, as a curated one does (claim support checks it);
        # the random draw is kept so that the rest of the project stays as it was.
        amount = _AMOUNT.search(cites[0]["quote"])
        if amount and made_up:
            fact["figure"] = {"measure": measure, "value": amount.group()}
    return fact


_SCALE = r"(?: (?:billion|million))?(?: dollars)?"
_AMOUNT = re.compile(rf"(?<![\w-])(?:\$?\d[\d.,]*\d{_SCALE}|\$?\d{_SCALE})")


def _brief(rng: random.Random, index: int, fact_count: int, briefs: int) -> dict[str, Any]:
    window = max(fact_count // briefs, 24)
    start = (index * fact_count) // briefs
    pool = [f"fact-{(start + k) % fact_count:05d}" for k in range(window + window // 2)]  # overlaps the next brief
    chosen = rng.sample(pool, 24)
    two_sources = [f for f in pool if int(f.removeprefix("fact-")) % 5 == 0 and f not in chosen[3:]]
    chosen[:3] = rng.sample(two_sources, 3)  # a bottom line rests on more than one article
    return {
        "title": f"Brief {index:03d}: {COUNTRIES[index % len(COUNTRIES)]} and Korea — {TOPICS[index % len(TOPICS)]}",
        "subtitle": "Synthetic brief for the benchmark",
        "as_of": f"2025-12-{1 + index % 28:02d}",
        "prepared_for": "Director, Europe policy",
        "bottom_line": chosen[:3],
        "sections": [
            {"title": "Recent developments", "order": "chronological", "facts": chosen[3:10]},
            {"title": "Industry", "facts": chosen[10:17]},
            {"title": "Finance and trade", "facts": chosen[17:24]},
        ],
        "assessment": [
            {"text": "Cooperation is likely to deepen over the next year.", "based_on": chosen[:2]},
            {"text": "Financing remains the main constraint.", "based_on": [chosen[17]]},
        ],
    }


def generate(root: Path, scale: float = 1.0, seed: int = SEED) -> Path:
    """Write briefs.yaml and seeds/ under `root` (which must be empty or absent); return briefs.yaml."""
    rng = random.Random(seed)
    n_articles, n_facts, n_briefs = (max(1, round(n * scale)) for n in (ARTICLES, FACTS, BRIEFS))
    entities = _entities(rng, max(4, round(ENTITIES * scale)))
    articles = _articles(rng, n_articles, entities)
    (root / "seeds").mkdir(parents=True, exist_ok=True)
    for article in articles:
        (root / article.file).write_text(article.text, encoding="utf-8")
    project: dict[str, Any] = {
        "project": {"title": "Synthetic defence desk", "marking": "UNCLASSIFIED — SYNTHETIC", "language": "en"},
        "sources": {f"src-{a.index:04d}": _source(rng, a) for a in articles},
        "entities": {
            e.id: {
                "name": e.name,
                "kind": e.kind,
                **({"aliases": e.aliases} if e.aliases else {}),
                "roles": [
                    {"title": e.title, "cite": [{"source": f"src-{e.role_quote[0]:04d}", "quote": e.role_quote[1]}]}
                ],
            }
            for e in entities
            if e.role_quote
        },
        "facts": [_fact(rng, i, articles) for i in range(n_facts)],
        "briefs": {f"brief-{i:03d}": _brief(rng, i, n_facts, n_briefs) for i in range(n_briefs)},
    }
    dumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)
    text = yaml.dump(project, Dumper=dumper, sort_keys=False, allow_unicode=True, width=120)
    config = root / "briefs.yaml"
    config.write_text(f"# Synthetic project (bench/synth.py, scale {scale}, seed {seed}).\n{text}", encoding="utf-8")
    return config


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("root", type=Path)
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--seed", type=int, default=SEED)
    args = parser.parse_args()
    sys.stdout.write(f"{generate(args.root, args.scale, args.seed)}\n")


if __name__ == "__main__":
    main()
