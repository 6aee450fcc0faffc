"""briefgen: sourced policy briefs in Markdown and PDF (and wikitext, HTML, JSON) from articles and curated facts.

Everything the command line does is a function here::

    import briefgen
    valid = briefgen.check(Path("briefs.yaml"))          # raises briefgen.ValidationFailed
    result = briefgen.render(Path("briefs.yaml"), ["korea-poland"], briefgen.RenderOptions((briefgen.Format.MD,)))

Names are imported on first use, so `import briefgen` (and `briefgen --help`) stays fast.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

_EXPORTS = {
    "check": "briefgen.build",
    "render": "briefgen.build",
    "lock": "briefgen.build",
    "watch": "briefgen.watch",
    "Format": "briefgen.formats",
    "Flavor": "briefgen.formats",
    "RenderOptions": "briefgen.build",
    "Limits": "briefgen.limits",
    "RenderResult": "briefgen.build",
    "load_project": "briefgen.load",
    "validate": "briefgen.validate",
    "ValidProject": "briefgen.validate",
    "assemble_all": "briefgen.assemble",
    "AssembledBrief": "briefgen.assemble",
    "BriefgenError": "briefgen.errors",
    "ValidationFailed": "briefgen.errors",
    "Diagnostic": "briefgen.errors",
    "Project": "briefgen.model",
    "build_report": "briefgen.report",
    "init_project": "briefgen.starter",
    "project_schema": "briefgen.schema",
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
    "init_project",
    "load_project",
    "lock",
    "project_schema",
    "render",
    "validate",
    "watch",
]

if TYPE_CHECKING:
    from .assemble import AssembledBrief, assemble_all
    from .build import RenderOptions, RenderResult, check, lock, render
    from .errors import BriefgenError, Diagnostic, ValidationFailed
    from .formats import Flavor, Format
    from .limits import Limits
    from .load import load_project
    from .model import Project
    from .report import build_report
    from .schema import project_schema
    from .starter import init_project
    from .validate import ValidProject, validate
    from .watch import watch


def __getattr__(name: str) -> Any:
    if name in _EXPORTS:
        return getattr(importlib.import_module(_EXPORTS[name]), name)
    raise AttributeError(f"module 'briefgen' has no attribute {name!r}")
