# Two commands on a fresh machine: `make run` (offline extraction of the bundled minutes)
# and `make test`. Both create .venv when it is missing.
PYTHON ?= python3
VENV   ?= .venv
BIN     = $(VENV)/bin

.PHONY: run test eval lint cassettes clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip

$(VENV)/.installed: $(BIN)/python pyproject.toml
	$(BIN)/python -m pip install -q -e .
	touch $@

$(VENV)/.installed-dev: $(VENV)/.installed
	$(BIN)/python -m pip install -q -e '.[dev]'
	touch $@

run: $(VENV)/.installed
	$(BIN)/kpi-extract run eval/corpus --db kpis.db --backend rules

test: $(VENV)/.installed-dev
	$(BIN)/python -m pytest

eval: $(VENV)/.installed
	$(BIN)/kpi-extract eval --gold eval/gold --docs eval/corpus --backend rules --json eval/reports/rules-latest.json

cassettes: $(VENV)/.installed-dev
	$(BIN)/python tests/record_cassettes.py

lint: $(VENV)/.installed-dev
	$(BIN)/ruff check extractor tests

clean:
	rm -rf $(VENV) kpis.db *.egg-info
