"""Variants of a brief: `extends: <brief-id>` inherits every key of that brief, overriding what it names.

Resolved on the raw YAML, after parsing and before the model is validated, so that every error —
in an inherited value or in the variant's own — is still reported at the line and column where
the value is written. An inherited value keeps the position of the parent's key it came from.

The merge is shallow, key by key: a variant that names `sections` replaces the parent's sections
as a whole (sections are an ordered list; merging them item by item would guess). Chains work
(`c` extends `b` extends `a`: `c` gets `a`'s keys as `b` overrode them, then its own); a brief
that extends itself, a cycle, or an unknown brief is a located error.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

from briefgen.errors import Diagnostic, Severity
from briefgen.formats import Format, format_template
from briefgen.project.model import Project
from briefgen.project.schema_errors import did_you_mean
from briefgen.project.yamldoc import PathKey, YamlDocument, origin_in

EXTENDS = "extends"
# The formats with templates of their own, not made from the Markdown page. (DOCX follows the
# brief's Markdown template, its blocks in its order, as md, pdf and html do: nothing to warn about.)
TEMPLATED_FORMATS = (Format.MEDIAWIKI,)


def resolve_extends(doc: YamlDocument) -> tuple[YamlDocument, list[Diagnostic]]:
    """The document with every variant's inherited keys filled in (positions included), and the
    errors of its `extends:` values. A document without variants is returned as it is."""
    data = doc.data
    briefs = data.get("briefs") if isinstance(data, dict) else None
    if not isinstance(briefs, dict) or not any(_parent(b) is not None for b in briefs.values()):
        return doc, []
    resolver = _Resolver(doc, briefs)
    for brief_id in briefs:
        resolver.resolve(brief_id)
    resolved = {**data, "briefs": resolver.resolved}
    return replace(doc, data=resolved, **resolver.positions()), resolver.diagnostics


def _parent(brief: Any) -> Any:
    return brief.get(EXTENDS) if isinstance(brief, dict) else None


class _Resolver:
    def __init__(self, doc: YamlDocument, briefs: dict[Any, Any]) -> None:
        self.doc = doc
        self.briefs = briefs
        self.resolved: dict[Any, Any] = dict(briefs)
        self.done: set[Any] = set()
        self.diagnostics: list[Diagnostic] = []
        self.copies: list[tuple[PathKey, PathKey]] = []  # (inherited path, the parent's path it comes from)

    def resolve(self, brief_id: Any, chain: tuple[Any, ...] = ()) -> None:
        """Fill in `brief_id`'s inherited keys (its parent's first); `chain`: the briefs whose
        resolution is waiting on this one."""
        if brief_id in self.done:
            return
        brief = self.briefs[brief_id]
        parent_id = _parent(brief)
        if parent_id is None or not isinstance(parent_id, str):
            self.done.add(brief_id)  # no parent, or one of the wrong type (the schema reports it)
            return
        if not self._valid_parent(brief_id, parent_id, chain):
            self.done.add(brief_id)
            return
        self.resolve(parent_id, (*chain, brief_id))
        parent = self.resolved[parent_id]
        if isinstance(parent, dict):
            inherited = {key: value for key, value in parent.items() if key != EXTENDS and key not in brief}
            self.resolved[brief_id] = {**inherited, **brief}
            self.copies += [(("briefs", brief_id, key), ("briefs", parent_id, key)) for key in inherited]
        self.done.add(brief_id)

    def _valid_parent(self, brief_id: Any, parent_id: str, chain: tuple[Any, ...]) -> bool:
        where = self.doc.locate(("briefs", brief_id, EXTENDS))
        if parent_id == brief_id:
            self.diagnostics.append(
                Diagnostic(where, f"brief {brief_id!r} extends itself", "name the brief it is a variant of")
            )
            return False
        if parent_id not in self.briefs:
            others = [str(b) for b in self.briefs if b != brief_id]
            hint = did_you_mean(parent_id, others) or f"briefs: {', '.join(others)}"
            self.diagnostics.append(Diagnostic(where, f"brief {brief_id!r} extends unknown brief {parent_id!r}", hint))
            return False
        if parent_id in chain:
            cycle = " extends ".join(repr(b) for b in (*chain[chain.index(parent_id) :], brief_id, parent_id))
            self.diagnostics.append(
                Diagnostic(where, f"briefs extend each other in a cycle: {cycle}", "one of them must not use extends")
            )
            return False
        return True

    def positions(self) -> dict[str, Any]:
        """The document's position tables with every inherited value placed where its parent wrote it.
        Copies are made in resolution order, so a grandparent's positions reach a grandchild."""
        tables: dict[str, dict[PathKey, Any]] = {
            "value_positions": dict(self.doc.value_positions),
            "key_positions": dict(self.doc.key_positions),
            "typed_text": dict(self.doc.typed_text),
            "scalar_styles": dict(self.doc.scalar_styles),
        }
        origins = dict(self.doc.origins)
        for target, origin in self.copies:
            for table in tables.values():
                for path, value in list(table.items()):
                    if path[: len(origin)] == origin:
                        table[(*target, *path[len(origin) :])] = value
            if origins:  # a split project (include:): the inherited value is in its parent's file
                origins[target] = origin_in(origins, origin)
        return {**tables, "origins": origins}


def template_problems(project: Project, doc: YamlDocument, template_dirs: Sequence[Path]) -> list[Diagnostic]:
    """A brief whose Markdown template is on no template directory is an error (render would fail);
    one whose template has no counterpart for some format is warned about, since rendering it in
    that format is refused. Both are located at the `template:` value (the parent's, if inherited)."""
    found: list[Diagnostic] = []
    for brief_id, brief in project.briefs.items():
        where = doc.locate(("briefs", brief_id, "template"))
        if not _on_path(brief.template, template_dirs):
            searched = ", ".join(str(d) for d in template_dirs)
            found.append(
                Diagnostic(where, f"brief {brief_id!r}: template {brief.template!r} not found", f"searched: {searched}")
            )
            continue
        missing = [
            _missing_text(f, brief.template)
            for f in TEMPLATED_FORMATS
            if not _has_template(brief.template, f, template_dirs)
        ]
        if missing:
            found.append(
                Diagnostic(
                    where,
                    f"brief {brief_id!r} cannot be rendered as {' or '.join(missing)}",
                    "`render -f` that format is refused for it; add the template, or render it as md, pdf "
                    "and html (which follow its Markdown template)",
                    Severity.WARNING,
                )
            )
    return found


def _on_path(name: str, template_dirs: Sequence[Path]) -> bool:
    return any((directory / name).is_file() for directory in template_dirs)


def _has_template(template: str, format_: Format, template_dirs: Sequence[Path]) -> bool:
    name = format_template(template, format_)
    return name is not None and _on_path(name, template_dirs)


def _missing_text(format_: Format, template: str) -> str:
    name = format_template(template, format_)
    if name is None:
        return f"{format_.value} (only a template named NAME.md.j2 has a counterpart)"
    return f"{format_.value} (no template {name!r})"
