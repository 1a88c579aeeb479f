# Two commands matter: `make serve` and `make test`. Both set up .venv themselves.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
export NO_MKDOCS_2_WARNING := 1
export DISABLE_MKDOCS_2_WARNING := true
export PYTHONDONTWRITEBYTECODE := 1

.PHONY: serve build test check lint lint-js lock bench schema golden medicine-pages update clean

# .venv gets requirements-dev.lock: every package the tests need, each version and file hash fixed.
# The deploy build uses a venv of its own with LOCK=requirements.lock (what `mkdocs build` needs).
LOCK ?= requirements-dev.lock

$(STAMP): requirements.lock requirements-dev.lock
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check --require-hashes -r $(LOCK)
	touch $(STAMP)

# The locks are resolved against PyPI alone, whatever pip.conf or PIP_* say here, so each hash is
# PyPI's and every file of a version is listed (any platform installs). The runtime lock is held to
# the dev lock's versions: the site is deployed with the versions the tests ran with.
LOCK_ENV := env -u PIP_INDEX_URL -u PIP_EXTRA_INDEX_URL -u PIP_FIND_LINKS -u PIP_CONSTRAINT \
	PIP_CONFIG_FILE=/dev/null CUSTOM_COMPILE_COMMAND="make lock"
PIP_COMPILE := $(LOCK_ENV) $(BIN)/pip-compile --quiet --generate-hashes --allow-unsafe --strip-extras $(LOCK_ARGS)

lock:  ## after editing requirements*.txt: rewrite both .lock files (LOCK_ARGS=--upgrade also moves unpinned ones on)
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	test -x $(BIN)/pip-compile || $(BIN)/pip install --quiet --disable-pip-version-check \
		"$$(grep -i '^pip-tools==' requirements-dev.txt)"
	$(PIP_COMPILE) --output-file=requirements-dev.lock requirements-dev.txt
	$(PIP_COMPILE) --constraint=requirements-dev.lock --output-file=requirements.lock requirements.txt

serve: $(STAMP)  ## live preview on http://127.0.0.1:8000 (edits to docs, data and macros reload)
	$(BIN)/mkdocs serve --strict --livereload

build: $(STAMP)  ## build into site/ only if the whole build succeeds
	rm -rf .site-tmp
	$(BIN)/mkdocs build --strict --site-dir .site-tmp
	rm -rf site && mv .site-tmp site

check: $(STAMP) lint  ## the quick loop (under a minute): every test but the browser ones and those marked slow
	$(BIN)/python -m pytest --ignore=tests/browser -m "not slow"

# One worker per core (pytest-xdist), each test file kept on one worker so its module fixtures
# (a browser, a built copy) are made once; TEST_WORKERS=0 runs them in this process.
TEST_WORKERS ?= auto
test: $(STAMP) lint  ## every test, including a strict build of the whole site and the browser tests
	$(BIN)/python -m pytest -n $(TEST_WORKERS) --dist loadfile

PY_LINTED := macros scripts tests benchmarks main.py

lint: $(STAMP) lint-js  ## ruff (style, imports, complexity, MkDocs only in the adapter), mypy --strict, tsc, eslint
	$(BIN)/ruff check $(PY_LINTED)
	$(BIN)/ruff format --check $(PY_LINTED)
	$(BIN)/mypy

# The site's JavaScript is served as written (no build step); tests/js/ holds the checkers only.
JS_STAMP := tests/js/node_modules/.installed
JS_BIN := tests/js/node_modules/.bin
JS_LINTED := overrides/assets/javascripts docs/sw.js tests/planner tests/js/eslint.config.mjs

$(JS_STAMP): tests/js/package.json tests/js/package-lock.json
	npm ci --prefix tests/js --no-audit --no-fund
	touch $(JS_STAMP)

lint-js: $(JS_STAMP)  ## type check (tsc reads the JSDoc types) and lint (eslint) the site's JavaScript
	$(JS_BIN)/tsc -p tests/js/tsconfig.json
	$(JS_BIN)/tsc -p tests/js/tsconfig.sw.json
	$(JS_BIN)/eslint -c tests/js/eslint.config.mjs --max-warnings 0 $(JS_LINTED)

NPM_STAMP := benchmarks/node_modules/.installed

$(NPM_STAMP): benchmarks/package.json benchmarks/package-lock.json
	npm ci --prefix benchmarks --no-audit --no-fund
	touch $(NPM_STAMP)

# Lighthouse runs Debian's /usr/bin/chromium (or $$CHROME_PATH); it never downloads a browser.
bench: $(STAMP) $(NPM_STAMP)  ## measurements, not tests: build time (1× and 10×), page weight, hostile input refused, Lighthouse
	$(BIN)/python benchmarks/build_time.py
	$(BIN)/python benchmarks/page_weight.py
	$(BIN)/python benchmarks/hostile_input.py
	$(BIN)/python benchmarks/lighthouse.py

schema: $(STAMP)  ## JSON Schema for every data file (editors validate YAML while typing)
	$(BIN)/python -m scripts.write_schemas schemas

medicine-pages: $(STAMP)  ## a page for every medicine in data/medications.yaml that has none yet
	$(BIN)/python -m scripts.new_medicine_pages

update: $(STAMP)  ## after editing data/ or the engine: refresh every generated file, and list what changed
	$(BIN)/python -m scripts.update

# The planner's parity vectors need no target: tests/planner/ generates them in every test run.
golden: $(STAMP)  ## rewrite tests/golden/ after a deliberate engine or schedule change
	$(BIN)/python -m tests.golden_update

clean:
	rm -rf site .site-tmp .cache .pytest_cache .hypothesis
