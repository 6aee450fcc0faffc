"""Warnings a curator has reviewed: `accept: {kind: reason}` on the item a warning is about.

An accepted warning is not repeated as a warning (so `--strict` passes when every warning is
accepted) but it is never hidden either: it is counted in `check`'s summary line and listed, with
its reason, by `report`. An `accept` entry without a reason, or one that no longer matches any
warning of its item, is itself a warning — a stale acceptance must not outlive what it accepted.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass

from briefgen.errors import Diagnostic, Severity
from briefgen.project.model import Project
from briefgen.project.yamldoc import PathKey, YamlDocument


@dataclass(frozen=True, slots=True)
class Accepted:
    """A warning the curator accepted, and the reason they wrote."""

    warning: Diagnostic
    reason: str


@dataclass(frozen=True)
class Reviewed:
    """The warnings that remain, and those accepted."""

    warnings: tuple[Diagnostic, ...]
    accepted: tuple[Accepted, ...]


def apply_accepts(project: Project, doc: YamlDocument, warnings: Iterable[Diagnostic]) -> Reviewed:
    """Set accepted warnings apart; warn about `accept` entries that are blank or match nothing."""
    accepts = {subject: kinds for subject, _, kinds in _accepts(project)}
    labels = {subject: label for subject, label, _ in _accepts(project)}
    remaining: list[Diagnostic] = []
    accepted: list[Accepted] = []
    used: set[tuple[PathKey, str]] = set()
    for warning in warnings:
        reason = accepts.get(warning.subject, {}).get(warning.kind or "") if warning.kind else None
        if reason and reason.strip():
            accepted.append(Accepted(warning, reason.strip()))
            used.add((warning.subject, warning.kind or ""))
        else:
            remaining.append(warning)
    remaining += _stale(doc, accepts, labels, used)
    return Reviewed(tuple(remaining), tuple(accepted))


def _accepts(project: Project) -> Iterator[tuple[PathKey, str, Mapping[str, str]]]:
    """Each item that accepts warnings: its place in briefs.yaml (the warnings' `subject`), what to
    call it, and its entries."""
    for index, fact in enumerate(project.facts):
        if fact.accept:
            yield ("facts", index), f"fact {fact.id!r}", {kind.value: why for kind, why in fact.accept.items()}
    for group, noun, items in (("sources", "source", project.sources), ("entities", "entity", project.entities)):
        for item_id, item in items.items():
            if item.accept:
                yield (group, item_id), f"{noun} {item_id!r}", {kind.value: why for kind, why in item.accept.items()}


def _stale(
    doc: YamlDocument,
    accepts: Mapping[PathKey, Mapping[str, str]],
    labels: Mapping[PathKey, str],
    used: set[tuple[PathKey, str]],
) -> Iterator[Diagnostic]:
    for subject, kinds in accepts.items():
        for kind, reason in kinds.items():
            where = doc.locate((*subject, "accept", kind), key=True)
            if not reason.strip():
                yield Diagnostic(
                    where,
                    f"{labels[subject]} accepts {kind!r} warnings without a reason",
                    "write why the warning does not apply, e.g. the article's own words the claim rounds",
                    Severity.WARNING,
                )
            elif (subject, kind) not in used:
                yield Diagnostic(
                    where,
                    f"{labels[subject]} accepts {kind!r} warnings, but it has none",
                    "the warning it accepted is gone (the data changed): remove this entry",
                    Severity.WARNING,
                )
