# Two commands do all the set-up on a fresh machine (Python 3.11+):
#   make demo    build the graph from ../shared/corpus and print "approvals by age and date"
#   make check   lint (ruff), type-check (mypy) and run the whole test suite (pytest)
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
CORPUS ?= ../shared/corpus
STORE  ?= .dermkg/store

.PHONY: demo check test lint install clean

$(BIN)/dermkg: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(BIN)/dermkg

install: $(BIN)/dermkg

demo: install
	$(BIN)/dermkg build --corpus $(CORPUS) --store $(STORE)
	$(BIN)/dermkg query approvals-by-age-and-date --store $(STORE) --format table

lint: install
	$(BIN)/ruff check src graph loaders tests benchmarks scripts
	$(BIN)/mypy

test: install
	$(BIN)/pytest -q

check: lint test

clean:
	rm -rf $(VENV) .dermkg build dist *.egg-info .pytest_cache .mypy_cache .ruff_cache
