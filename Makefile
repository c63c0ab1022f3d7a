# FlowGuard: one-command setup. `make test` works on a fresh machine.
SHELL := /bin/bash
PYTHON ?= python3.11
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
KAFKA_LIBS := .local/kafka/libs/.resolved
PYTEST_ARGS ?=

.PHONY: help install system-deps demo test test-unit lint bench services-up services-down services-status clean

help:
	@echo "make demo | test | test-unit | lint | bench | services-up | services-down | services-status"

# PYTHONWARNINGS: setuptools' editable-install banner is not for the person running `make demo`.
$(STAMP): pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	PYTHONWARNINGS=ignore $(PY) -m pip install -q -e '.[dev]'
	touch $@

install: $(STAMP)

$(KAFKA_LIBS): infra/kafka/pom.xml
	bash infra/kafka/fetch-jars.sh

demo: install
	$(PY) -m entrypoints.cli demo

# Missing system packages first: fetching the Kafka jars needs Maven.
system-deps:
	bash infra/system-deps.sh

# Starts every service, runs the whole suite, and stops the services even when tests fail
# (with-services.sh: up, run, always down; pytest's exit status, 5 = nothing collected, is kept).
test: system-deps install $(KAFKA_LIBS)
	bash infra/with-services.sh $(PY) -m pytest $(PYTEST_ARGS)

test-unit: install
	$(PY) -m pytest -m unit -q

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check domain application
	$(VENV)/bin/mypy domain application
	$(VENV)/bin/mypy adapters entrypoints pipelines
	$(VENV)/bin/lint-imports

bench: system-deps install $(KAFKA_LIBS)
	bash infra/with-services.sh $(PY) -m benchmarks

services-up: system-deps install $(KAFKA_LIBS)
	$(PY) -m entrypoints.services up

services-down: install
	$(PY) -m entrypoints.services down

services-status: install
	$(PY) -m entrypoints.services status

clean: services-down
	rm -rf .local
