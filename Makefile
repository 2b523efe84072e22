# policy-ie: set-up, dataset, tests. `make dataset` and `make test` are all a newcomer needs.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
EXTRAS := $(VENV)/.installed-extras
SHARED ?= ../shared

.PHONY: install install-extras install-pkuseg model topic-model dataset test lint bench dev-eval gazetteer browser clean

# The virtual environment, with the project installed editable and its dev extras.
# Re-installs only when pyproject.toml changes, so it is quick when already done.
$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

# Start-up caches built from the installed files (README, "A cold start"): the regular
# expressions' compiled programs, the data files parsed and the index of jieba's dictionary
# with the domain words. Each is checked when read and ignored when stale (same results,
# slower start); rebuilt here when the code, the data or the environment change.
CACHES := policy_ie/cache/jieba_dict.index
$(CACHES): $(STAMP) $(shell find policy_ie/text extractors pipeline -name '*.py' -o -name '*.yaml' -o -name '*.tsv')
	$(BIN)/python -m policy_ie.pipeline.startup_caches

install: $(STAMP) $(CACHES)

# Optional extras the test suite covers too (dask engine); the default install stays light.
$(EXTRAS): $(STAMP)
	$(BIN)/python -m pip install --quiet -e '.[dev,dask]'
	touch $(EXTRAS)

install-extras: $(EXTRAS) $(CACHES)

# The optional pkuseg segmenter (a source package: about a minute to build; its default
# model ships inside it and works offline).
PKUSEG := $(VENV)/.installed-pkuseg
$(PKUSEG): $(STAMP)
	$(BIN)/python -m pip install --quiet cython numpy wheel
	$(BIN)/python -m pip install --quiet --no-build-isolation 'pkuseg==0.0.25'
	touch $(PKUSEG)

install-pkuseg: $(PKUSEG)

dataset: install
	$(BIN)/policy-ie build --input corpora --output outputs $(if $(wildcard reviews.csv),--reviews reviews.csv)

test: install-extras install-pkuseg
	$(BIN)/python -m pytest

lint: install
	$(BIN)/ruff check policy_ie pipeline extractors tests bench scripts

bench: install-extras
	$(BIN)/python -m bench

# Score the pipeline on the hand-labelled dev sets (tests/dev/*_dev.json; their texts are read
# from $(SHARED)/corpus/news_sample.jsonl): P/R/F1 per set, batch and field.
dev-eval: install
	$(BIN)/policy-ie eval --dev --shared $(SHARED)

# Rebuild the shipped gazetteer from the national division lists in ../shared/data.
gazetteer: install
	$(BIN)/python scripts/build_gazetteer.py --source $(SHARED)/data/admin_divisions --output extractors/data/gazetteer

# Retrain the statistical metric model (skipped with a message when ../shared is absent).
model: install
	$(BIN)/python scripts/train_model.py --shared $(SHARED)

# Retrain the topic classifier from tests/dev/topic_dev.json and the shared archive (skipped
# with a message when ../shared is absent); then set the threshold it prints in
# extractors/data/topic.yaml.
topic-model: install
	$(BIN)/python scripts/train_topic.py --shared $(SHARED)

# Debian's Chromium (and CJK fonts, for legible screenshots) for the report's browser test; needs root.
browser:
	apt-get update && apt-get install -y --no-install-recommends chromium fonts-noto-cjk

clean:
	rm -rf $(VENV) build *.egg-info .pytest_cache .ruff_cache .hypothesis policy_ie/cache
	find . -name __pycache__ -type d -prune -exec rm -rf {} +
	find outputs -mindepth 1 ! -name README.md -delete 2>/dev/null || true
