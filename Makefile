# Two commands matter: `make serve` and `make test`. Both set up .venv themselves.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
export NO_MKDOCS_2_WARNING := 1
export DISABLE_MKDOCS_2_WARNING := true
export PYTHONDONTWRITEBYTECODE := 1

.PHONY: serve build check test lint bench schema golden medicine-pages clean

$(STAMP): requirements.txt requirements-dev.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	touch $(STAMP)

serve: $(STAMP)  ## live preview on http://127.0.0.1:8000 (edits to docs, data and macros reload)
	$(BIN)/mkdocs serve --strict --livereload

build: $(STAMP)  ## build into site/ only if the whole build succeeds
	rm -rf .site-tmp
	$(BIN)/mkdocs build --strict --site-dir .site-tmp
	rm -rf site && mv .site-tmp site

check: $(STAMP) lint  ## the quick loop (under a minute): every test but the browser ones and those marked slow
	$(BIN)/python -m pytest --ignore=tests/browser -m "not slow"

test: $(STAMP) lint  ## every test, including a strict build of the whole site and the browser tests
	$(BIN)/python -m pytest

lint: $(STAMP)
	$(BIN)/ruff check macros tests benchmarks main.py
	$(BIN)/ruff format --check macros tests benchmarks main.py

NPM_STAMP := benchmarks/node_modules/.installed

$(NPM_STAMP): benchmarks/package.json benchmarks/package-lock.json
	npm ci --prefix benchmarks --no-audit --no-fund
	touch $(NPM_STAMP)

# Lighthouse runs Debian's /usr/bin/chromium (or $$CHROME_PATH); it never downloads a browser.
bench: $(STAMP) $(NPM_STAMP)  ## measurements, not tests: build time (1× and 10×), page weight, Lighthouse
	$(BIN)/python benchmarks/build_time.py
	$(BIN)/python benchmarks/page_weight.py
	$(BIN)/python benchmarks/lighthouse.py

schema: $(STAMP)  ## JSON Schema for every data file (editors validate YAML while typing)
	$(BIN)/python -m macros.schema schemas

medicine-pages: $(STAMP)  ## a page for every medicine in data/medications.yaml that has none yet
	$(BIN)/python -m macros.medicine_pages

# The planner's parity vectors need no target: tests/planner/ generates them in every test run.
golden: $(STAMP)  ## rewrite tests/golden/ after a deliberate engine or schedule change
	$(BIN)/python -m tests.golden_update

clean:
	rm -rf site .site-tmp .cache .pytest_cache .hypothesis
