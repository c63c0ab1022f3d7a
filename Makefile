# FlowGuard: one-command setup. `make test` works on a fresh machine.
SHELL := /bin/bash
PYTHON ?= python3.11
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
KAFKA_LIBS := .local/kafka/libs/.resolved
PYTEST_ARGS ?=

.PHONY: help install demo test test-unit lint bench services-up services-down services-status clean

help:
	@echo "make demo | test | test-unit | lint | bench | services-up | services-down | services-status"

$(STAMP): pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -e '.[dev]'
	touch $@

install: $(STAMP)

$(KAFKA_LIBS): infra/kafka/pom.xml
	bash infra/kafka/fetch-jars.sh

demo: install
	$(PY) -m entrypoints.cli demo

# Starts every service, runs the whole suite, and stops the services even when tests fail.
test: install $(KAFKA_LIBS)
	bash infra/system-deps.sh
	$(PY) -m entrypoints.cli services up
	set -a; source .local/services.env; set +a; \
	  $(PY) -m pytest $(PYTEST_ARGS); rc=$$?; \
	  $(PY) -m entrypoints.cli services down; exit $$rc

test-unit: install
	$(PY) -m pytest -m unit -q

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check domain application
	$(VENV)/bin/mypy domain application
	$(VENV)/bin/mypy adapters entrypoints pipelines
	$(VENV)/bin/lint-imports

bench: install $(KAFKA_LIBS)
	$(PY) -m entrypoints.cli services up
	set -a; source .local/services.env; set +a; \
	  $(PY) -m benchmarks; rc=$$?; \
	  $(PY) -m entrypoints.cli services down; exit $$rc

services-up: install $(KAFKA_LIBS)
	$(PY) -m entrypoints.cli services up

services-down: install
	$(PY) -m entrypoints.cli services down

services-status: install
	$(PY) -m entrypoints.cli services status

clean: services-down
	rm -rf .local
