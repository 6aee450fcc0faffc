"""Limits: defaults, environment overrides, and refusing nonsense values."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from briefgen.errors import UsageError
from briefgen.limits import Limits, env_name
from tests.conftest import REPO


def test_defaults_apply_without_environment() -> None:
    assert Limits.from_env({}) == Limits()


def test_each_limit_has_its_environment_variable() -> None:
    environ = {env_name(name): "1_234" for name in Limits.__dataclass_fields__}
    limits = Limits.from_env(environ)
    assert all(getattr(limits, name) == 1234 for name in Limits.__dataclass_fields__)
    assert env_name("yaml_bytes") == "BRIEFGEN_MAX_YAML_BYTES"


@pytest.mark.parametrize("value", ["-1", "0", "lots", "1e6", "2.5"])
def test_a_nonsense_value_is_a_usage_error_naming_the_variable(value: str) -> None:
    with pytest.raises(UsageError, match="BRIEFGEN_MAX_QUOTE_CHARS must be a positive whole number"):
        Limits.from_env({"BRIEFGEN_MAX_QUOTE_CHARS": value})


@pytest.mark.slow
def test_hostile_input_fails_without_eating_memory() -> None:
    """Peak memory of `check` in a fresh process (tools/hostile_input_costs.py): an alias bomb that
    would expand to 20**10 values, and 3 GB files, each refused within a small, fixed budget."""
    cases = {"alias-bomb": 200, "briefs-yaml-3gb": 80, "article-3gb": 80}  # MB; the shipped project takes ~40
    result = subprocess.run(
        [sys.executable, str(REPO / "tools" / "hostile_input_costs.py"), *cases],
        capture_output=True,
        text=True,
        check=True,
    )
    rows = {row["case"]: row for row in map(json.loads, result.stdout.splitlines())}
    for case, budget in cases.items():
        assert "error:" in rows[case]["outcome"], rows[case]
        assert rows[case]["peak_rss_mb"] < budget, rows[case]
