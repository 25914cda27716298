# The two commands of the README: `make run` and `make test`. Everything they need is installed here.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
HOST   ?= 127.0.0.1
PORT   ?= 5000

.PHONY: run test install install-test migrate demo check bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e '.[test]'
	touch $(VENV)/.installed $@

install: $(VENV)/.installed
install-test: $(VENV)/.installed-test

migrate: install
	$(BIN)/helpline db upgrade heads

demo: migrate
	$(BIN)/helpline demo load

run: demo
	@echo "Serving the helpline on http://$(HOST):$(PORT)  (Ctrl-C to stop)"
	$(BIN)/helpline run --host $(HOST) --port $(PORT)

test: install-test
	$(BIN)/python -m pytest

clean:
	rm -rf $(VENV) instance/helpline.db
