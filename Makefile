# `make` alone lists the targets. Everything installs into .venv from the
# package registry by name (pyproject.toml); nothing downloads at run time.
PYTHON ?= python3
VENV   ?= .venv
BIN     = $(VENV)/bin
STAMP   = $(VENV)/.installed

.DEFAULT_GOAL := help
.PHONY: help install demo test lint validate clean

help: ## List the targets
	@grep -E '^[a-z0-9-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-14s %s\n", $$1, $$2}'

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(STAMP)

install: $(STAMP) ## Create .venv and install checker with its test tools

demo: $(STAMP) ## Check the bundled NYPD-Clearview case (claims/ and evidence/)
	$(BIN)/checker check .

validate: $(STAMP) ## Validate the bundled case's files
	$(BIN)/checker validate .

test: $(STAMP) ## Run the test suite (fails if no test ran)
	bash .ci/browser
	$(BIN)/python -m pytest

lint: $(STAMP) ## ruff and mypy
	$(BIN)/ruff check checker tests bench
	$(BIN)/mypy checker bench

.PHONY: bench bench-100k
bench: $(STAMP) ## Ingest, extract, engine vs their baselines at 1k and 10k messages (~2 min)
	$(BIN)/python bench/run.py --sizes 1000 10000

bench-100k: $(STAMP) ## The same at 100k messages (1M engine facts: ~7 GB, ~15 min)
	$(BIN)/python bench/run.py --sizes 100000

.PHONY: bench-extract
bench-extract: $(STAMP) ## Extraction: precision/recall on bench/phrasings, speed vs bare spaCy, synthetic and real mail (~2 min)
	$(BIN)/python bench/extract_quality.py
	$(BIN)/python bench/extract_speed.py --messages 2000 --repeat 3
	@if [ -d ../shared/corpora/enron-maildir ]; then \
		$(BIN)/python bench/extract_speed.py --mail ../shared/corpora/enron-maildir --repeat 3; \
	else echo "(../shared/corpora/enron-maildir not here: real-mail speed skipped)"; fi

.PHONY: bench-search
bench-search: $(STAMP) ## Full-text search over 100,000 records against a LIKE scan and Python `in` (~10 min)
	$(BIN)/python bench/search.py --messages 20000 --replicate 5

.PHONY: bench-engine
bench-engine: $(STAMP) ## Rule engine at 10k, 100k and 1M facts against clingo (~4 min, 6.5 GB)
	$(BIN)/python bench/engine.py --facts 10000 100000 1000000

clean: ## Remove the virtual environment and caches
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache *.egg-info
