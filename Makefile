# The two commands of the README: `make run` and `make test`. Everything they need is installed here.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
HOST   ?= 127.0.0.1
PORT   ?= 5000
TRANSLATIONS := helpline/translations
CATALOGUES   := $(patsubst %.po,%.mo,$(wildcard $(TRANSLATIONS)/*/LC_MESSAGES/messages.po))

# The Nu HTML checker of the accessibility tests (tests/browser/test_browser_accessibility.py): npm's
# vnu-jar package, a 30 MB jar too large to vendor, in the git-ignored build/vnu (java runs it).
# Without npm it is left out: the test skips with the reason, and fails where CI is set (rule below).
VNU_VERSION := 26.9.27
VNU_DIR     := build/vnu
VNU_STAMP   := $(VNU_DIR)/.installed-$(VNU_VERSION)

.PHONY: run serve test install install-test browser migrate demo check bench clean translations fuzz screenshots format
.DELETE_ON_ERROR:  # a catalogue pybabel failed to compile is not left behind as up to date

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e '.[test]'
	touch $(VENV)/.installed $@

install: $(VENV)/.installed $(CATALOGUES)
install-test: $(VENV)/.installed-test $(CATALOGUES) $(VNU_STAMP)

$(VNU_STAMP):
	@if command -v npm >/dev/null; then \
	  npm install --prefix $(VNU_DIR) --no-save --no-audit --no-fund --ignore-scripts --loglevel=error \
	    vnu-jar@$(VNU_VERSION) && touch $@; \
	else echo "WARNING: npm is not installed: the Nu HTML checker test will be skipped (and fail where CI is set)"; fi

# Translations the Flask-Babel way: babel.cfg says where the messages are, each language has one
# helpline/translations/<lang>/LC_MESSAGES/messages.po, and the install compiles it to the git-ignored .mo.
$(TRANSLATIONS)/%/LC_MESSAGES/messages.mo: $(TRANSLATIONS)/%/LC_MESSAGES/messages.po | $(VENV)/.installed
	$(BIN)/pybabel compile --statistics -d $(TRANSLATIONS) -l $*

# After adding or changing a message in the code: extract, merge into each messages.po (new messages
# come untranslated, or marked fuzzy with a guess; tests/foundation/test_translations.py lists them), compile.
# File names without line numbers and sorted entries keep the diffs (and merges) small.
translations: $(VENV)/.installed
	$(BIN)/pybabel extract -F babel.cfg --add-location=file --sort-output -o $(TRANSLATIONS)/messages.pot .
	$(BIN)/pybabel update -i $(TRANSLATIONS)/messages.pot -d $(TRANSLATIONS) --ignore-pot-creation-date --ignore-obsolete
	$(BIN)/pybabel compile --statistics -d $(TRANSLATIONS)

migrate: install
	$(BIN)/helpline db upgrade

demo: migrate
	$(BIN)/helpline demo load

run: demo
	@echo "Serving the helpline on http://$(HOST):$(PORT)  (Ctrl-C to stop)"
	$(BIN)/helpline run --host $(HOST) --port $(PORT)

# Production-style serving: gunicorn with WEB_WORKERS workers (deploy/gunicorn.conf.py), the same
# command as deploy/helpline-web.service. Run `helpline db upgrade` once per deploy before it.
serve: install
	$(BIN)/gunicorn --config deploy/gunicorn.conf.py --bind $(HOST):$(PORT)

# The browser tests drive Debian's Chromium (never a browser downloaded by Playwright).
# apt-get update runs only when the package is not found in the current lists.
CHROMIUM := /usr/bin/chromium
SUDO     := $(shell [ "$$(id -u)" = 0 ] || echo sudo -n)
browser:
	@if [ ! -x $(CHROMIUM) ]; then \
	  echo "Installing Debian's chromium for the browser tests"; \
	  $(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends chromium \
	  || { $(SUDO) apt-get update && $(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends chromium; } \
	  || echo "WARNING: could not install chromium: the browser tests will be skipped (and fail where CI is set)"; \
	fi

test: install-test browser
	$(BIN)/python -m pytest

# The README's screenshots (docs/screenshots): the browser tests, writing there instead of build/screenshots.
screenshots: install-test browser
	SCREENSHOTS_DIR=docs/screenshots $(BIN)/python -m pytest -q tests/browser

# Random exploration, never part of CI (which replays derandomized examples): the property tests under the
# "fuzz" hypothesis profile (ten times the examples, new ones each run), then FUZZ_EXAMPLES random inputs each
# on the triage command, the preview, the call form and the signed webhooks, counting tracebacks and 5xx.
FUZZ_EXAMPLES ?= 10000
fuzz: install-test
	HYPOTHESIS_PROFILE=fuzz $(BIN)/python -m pytest -q tests/security/test_property_inputs.py tests/triage \
	  tests/topics/test_topics_textprep.py tests/directory/test_hsds_invalid.py tests/directory/test_hsds_export.py
	$(BIN)/python tests/fuzz.py --examples $(FUZZ_EXAMPLES)

# Checks: ruff (lint and format, configured in pyproject.toml), bandit (medium and high findings) and
# pip-audit (see .ci/pip_audit.sh when offline).
check: install-test
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/bandit -q -r helpline models triage_rules -ll
	.ci/pip_audit.sh $(BIN)

# Fix what ruff can fix (imports, modern syntax), then format the whole tree.
format: install-test
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

# The scale benchmark: 1,000 and 1,000,000 calls on SQLite and PostgreSQL (127.0.0.1:5432, user postgres).
bench: install
	$(BIN)/python bench/scale_bench.py

clean:
	rm -rf $(VENV) instance/helpline.db
