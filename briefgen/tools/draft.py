"""suggest's output: the draft as YAML text in the shape of briefs.yaml, with a comment on every guess.

Written by hand rather than dumped, so that it carries comments and a chosen layout; yamltext.py
keeps each scalar reading back as exactly the text given, whatever the article contains.
"""

from __future__ import annotations

from briefgen.errors import plural
from briefgen.tools.metadata import Finding, Guess
from briefgen.tools.suggest import FactCandidate, Suggestion
from briefgen.tools.yamltext import comment, scalar

_HEADER = """\
# Suggested by `briefgen suggest {article}`: a draft to review, not curated data.
# Metadata: each value below is a guess (basis: inferred) read from the line its note names.
#   Check it against the article; keep it as a bare value if the text says exactly that, correct
#   it, or delete it. Fields the text does not show are left out: never fill them in from memory.
# Facts: body sentences that carry figures, dates or names, each quoted verbatim. Every claim
#   starts with "DRAFT:": rewrite it to say only what its quote supports, trim the quote to match,
#   add a `date` where the sentence gives one, and delete the facts you do not want.
# Paste the entry under `sources:` and the items under `facts:` of briefs.yaml, then run
# `briefgen check`.
"""


def draft_yaml(suggestion: Suggestion) -> str:
    """The suggestion as YAML text, with comments; the same input always gives the same text."""
    out = [_HEADER.format(article=comment(str(suggestion.article)))]
    out += _source_yaml(suggestion)
    out += _facts_yaml(suggestion)
    return "".join(line + "\n" if not line.endswith("\n") else line for line in out)


def _source_yaml(s: Suggestion) -> list[str]:
    lines = ["sources:", f"  {s.source_id}:", f"    file: {scalar(s.file)}"]
    if s.outside_project:
        lines.append(f"    # copy {comment(str(s.article))} to {comment(s.file)}: articles must be inside the project")
    for field in ("title", "outlet", "author", "published", "url"):
        guess = s.metadata.get(field)
        lines += _guess_yaml(guess) if guess else [f"    # {field}: {_MISSING.get(field, 'not found in the text')}"]
    credit = s.metadata.get("credit")
    if credit:
        lines.append(f"    credit: {scalar(credit.value)}  # {comment(_guess_note(credit))}")
    lines += [f"    # {comment(_finding(f))}" for f in s.metadata.findings]
    if s.known_source:
        lines = [
            f"# This article is already in the project as source {s.source_id!r}; the facts below cite it.",
            *("# " + line for line in lines),
        ]
    return lines


_MISSING = {
    "title": "none in the text; write a descriptive one as {value: …, basis: supplied}",
    "published": "not found in the text; if you can date it, write {value: …, basis: inferred, note: how}",
}


def _guess_yaml(guess: Guess) -> list[str]:
    return [
        f"    {guess.field}:",
        f"      value: {scalar(guess.value)}",
        "      basis: inferred",
        f"      note: {scalar(_guess_note(guess))}",
    ]


def _guess_note(guess: Guess) -> str:
    evidence = " ".join(guess.evidence.split())
    note = f"guessed by briefgen suggest from line {guess.line}: {evidence}"
    return f"{note}; {guess.caveat}" if guess.caveat else note


def _finding(finding: Finding) -> str:
    return f"{finding.label} (line {finding.line}): {finding.value}"


def _facts_yaml(s: Suggestion) -> list[str]:
    lines = [f"# {plural(s.already_cited, 'sentence')} already quoted by the project's facts are left out."] * bool(
        s.already_cited
    )
    lines.append("facts:" if s.facts else "facts: []  # no new sentence with figures, dates or names")
    for fact in s.facts:
        lines += _fact_yaml(fact, s)
    return lines


def _fact_yaml(fact: FactCandidate, s: Suggestion) -> list[str]:
    carries = [f"line {fact.sentence.line}"]
    for label, values in (("figures", fact.figures), ("time", fact.times), ("names", fact.names)):
        if values:
            carries.append(f"{label}: {', '.join(values)}")
    lines = [f"  # {comment(' · '.join(carries))}", f"  - id: {fact.id}", f"    claim: {scalar(fact.claim)}"]
    lines.append(f"    topics: [{', '.join(fact.topics)}]")
    if fact.entities:
        lines.append(f"    entities: [{', '.join(fact.entities)}]")
    lines += ["    cite:", f"      - source: {s.source_id}", f"        quote: {scalar(fact.sentence.quote)}"]
    return lines
