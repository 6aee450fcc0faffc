# Everything a newcomer needs: `make render` renders every brief into out/, `make test` runs the
# test suite. Each creates .venv and installs what it needs on first use.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin

.PHONY: render check test lint golden bench clean

render: $(VENV)/.installed
	@scripts/system-deps.sh render
	$(BIN)/briefgen render

check: $(VENV)/.installed
	$(BIN)/briefgen check

test: $(VENV)/.installed-test
	@scripts/system-deps.sh test
	$(BIN)/ruff check briefgen tests
	$(BIN)/ruff format --check briefgen tests
	$(BIN)/mypy
	$(BIN)/lint-imports --no-cache
	BRIEFGEN_REQUIRE_TOOLS=1 $(BIN)/pytest -n auto

# Rewrite tests/golden/* and schemas/brief.schema.json from the current code, templates and briefs.yaml;
# review the diff, then commit.
golden: $(VENV)/.installed-test
	BRIEFGEN_UPDATE_GOLDEN=1 $(BIN)/pytest tests/test_golden.py -q

# The benchmark: briefgen against pandoc and raw WeasyPrint, incremental builds, a synthetic project
# of 1,000 articles (about 8 minutes on 2 cores; results and the machine are in bench/RESULTS.md).
bench: $(VENV)/.installed
	@scripts/system-deps.sh test
	$(BIN)/python bench/run.py

$(VENV)/.created:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	touch $@

$(VENV)/.installed: pyproject.toml $(VENV)/.created
	$(BIN)/python -m pip install -q -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml $(VENV)/.installed
	$(BIN)/python -m pip install -q -e '.[test]'
	touch $@

clean:
	rm -rf $(VENV) out/*.md out/*.pdf out/*.html .pytest_cache .mypy_cache .ruff_cache
