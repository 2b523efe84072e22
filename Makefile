# policy-ie: set-up, dataset, tests. `make dataset` and `make test` are all a newcomer needs.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
SHARED ?= ../shared

.PHONY: install dataset test lint bench clean

# The virtual environment, with the project installed editable and its dev extras.
# Re-installs only when pyproject.toml changes, so it is quick when already done.
$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

dataset: install
	$(BIN)/policy-ie build --input corpora --output outputs

test: install
	$(BIN)/python -m pytest

lint: install
	$(BIN)/ruff check pipeline extractors tests bench scripts

bench: install
	$(BIN)/python -m bench

clean:
	rm -rf $(VENV) build *.egg-info .pytest_cache .ruff_cache .hypothesis
	find . -name __pycache__ -type d -prune -exec rm -rf {} +
	find outputs -mindepth 1 ! -name README.md -delete 2>/dev/null || true
