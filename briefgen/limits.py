"""Resource ceilings: hostile or broken input fails fast, with a clear message, instead of eating memory.

Each limit can be changed with an environment variable (`BRIEFGEN_MAX_YAML_BYTES=20000000`). They are
deliberately not settings in briefs.yaml: the YAML limits must be known before briefs.yaml is parsed,
and a shared (semi-trusted) briefs.yaml should not be able to lift the ceilings that protect the
machine it runs on — a CI runner, a colleague's laptop. SECURITY.md explains each one.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, fields

from briefgen.errors import UsageError

ENV_PREFIX = "BRIEFGEN_MAX_"


@dataclass(frozen=True)
class Limits:
    """The ceilings; the defaults are far above what real projects need (see SECURITY.md)."""

    yaml_bytes: int = 16_000_000  # briefs.yaml size; refused before it is read
    yaml_values: int = 500_000  # values in briefs.yaml, counted as parsed and again as aliases expand
    yaml_depth: int = 64  # nesting of lists and mappings
    article_bytes: int = 2_000_000  # each article; refused before it is read
    quote_chars: int = 1_000  # each quote: evidence is a clause or two, not a page

    @classmethod
    def from_env(cls, environ: Mapping[str, str] = os.environ) -> Limits:
        """Defaults, overridden by `BRIEFGEN_MAX_<NAME>` environment variables (positive whole numbers)."""
        values: dict[str, int] = {}
        for field in fields(cls):
            name = env_name(field.name)
            raw = environ.get(name, "").strip()
            if not raw:
                continue
            digits = raw.replace("_", "")
            if not digits.isdigit() or int(digits) <= 0:
                raise UsageError(f"{name} must be a positive whole number, not {raw!r}")
            values[field.name] = int(digits)
        return cls(**values)


def env_name(limit: str) -> str:
    """The environment variable that sets a limit: `yaml_bytes` → `BRIEFGEN_MAX_YAML_BYTES`."""
    return ENV_PREFIX + limit.upper()


def raise_hint(limit: str) -> str:
    """How to lift a limit that real data has reached."""
    return f"if the input is genuine, raise the limit: {env_name(limit)}=<number> (see SECURITY.md)"
