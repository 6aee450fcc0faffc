"""briefgen: sourced policy briefs in Markdown and PDF (and wikitext, HTML, JSON, Word) from articles and curated facts.

Everything the command line does is a function here::

    import briefgen
    valid = briefgen.check(Path("briefs.yaml"))          # raises briefgen.ValidationFailed
    result = briefgen.render(Path("briefs.yaml"), ["korea-poland"], briefgen.RenderOptions((briefgen.Format.MD,)))

Names are imported on first use, so `import briefgen` (and `briefgen --help`) stays fast.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from briefgen.version import __version__

_EXPORTS = {
    "check": "briefgen.build.api",
    "check_briefs": "briefgen.build.api",
    "render": "briefgen.build.api",
    "lock": "briefgen.build.api",
    "watch": "briefgen.build.watch",
    "Format": "briefgen.formats",
    "Flavor": "briefgen.formats",
    "RenderOptions": "briefgen.formats",
    "Limits": "briefgen.limits",
    "RenderResult": "briefgen.build.api",
    "load_project": "briefgen.project.load",
    "validate": "briefgen.project.validate",
    "ValidProject": "briefgen.project.validate",
    "assemble_all": "briefgen.assemble",
    "AssembledBrief": "briefgen.assemble",
    "BriefgenError": "briefgen.errors",
    "ValidationFailed": "briefgen.errors",
    "Diagnostic": "briefgen.errors",
    "Project": "briefgen.project.model",
    "build_report": "briefgen.tools.report",
    "report_json": "briefgen.tools.report",
    "suggest": "briefgen.tools.suggest",
    "draft_yaml": "briefgen.tools.draft",
    "plan_add": "briefgen.tools.add",
    "write_plan": "briefgen.tools.add",
    "dry_run_text": "briefgen.tools.add",
    "init_project": "briefgen.tools.starter",
    "project_schema": "briefgen.project.schema",
}

__all__ = [
    "AssembledBrief",
    "BriefgenError",
    "Diagnostic",
    "Flavor",
    "Format",
    "Limits",
    "Project",
    "RenderOptions",
    "RenderResult",
    "ValidProject",
    "ValidationFailed",
    "__version__",
    "assemble_all",
    "build_report",
    "check",
    "check_briefs",
    "draft_yaml",
    "dry_run_text",
    "init_project",
    "load_project",
    "lock",
    "plan_add",
    "project_schema",
    "render",
    "report_json",
    "suggest",
    "validate",
    "watch",
    "write_plan",
]

if TYPE_CHECKING:
    from briefgen.assemble import AssembledBrief, assemble_all
    from briefgen.build.api import RenderResult, check, check_briefs, lock, render
    from briefgen.build.watch import watch
    from briefgen.errors import BriefgenError, Diagnostic, ValidationFailed
    from briefgen.formats import Flavor, Format, RenderOptions
    from briefgen.limits import Limits
    from briefgen.project.load import load_project
    from briefgen.project.model import Project
    from briefgen.project.schema import project_schema
    from briefgen.project.validate import ValidProject, validate
    from briefgen.tools.add import dry_run_text, plan_add, write_plan
    from briefgen.tools.draft import draft_yaml
    from briefgen.tools.report import build_report, report_json
    from briefgen.tools.starter import init_project
    from briefgen.tools.suggest import suggest


def __getattr__(name: str) -> Any:
    if name in _EXPORTS:
        return getattr(importlib.import_module(_EXPORTS[name]), name)
    raise AttributeError(f"module 'briefgen' has no attribute {name!r}")
