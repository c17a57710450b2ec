# Oneway: `make dev` runs it on this machine, `make test` proves it.
SHELL := /bin/bash
.SHELLFLAGS := -o pipefail -c
VENV  := .venv
PY    := $(VENV)/bin/python
PIP   := $(VENV)/bin/pip
# The one Python version (pyproject's requires-python): the functions' runtime, the layer and the venv.
PYTHON_VERSION := $(shell sed -n 's/^requires-python = ">=\([0-9.]*\),.*/\1/p' pyproject.toml)
export PYTHONPATH := $(CURDIR)/functions
export JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION := 20

.PHONY: help dev test test-fast test-unit test-integration test-infra test-e2e venv system openapi bench clean

help:
	@grep -hE '^## ' $(MAKEFILE_LIST) | sed 's/^## /  /'

## dev: run Oneway locally (embedded AWS, API, media workers, site) on http://127.0.0.1:8000
dev: venv web
	$(PY) -m oneway.local

## test: install what is missing, run the static checks (make lint), every suite (unit, integration, infra, e2e), then synthesize the CDK app
test: venv checkov system web lint
	$(PY) -m pytest tests -q -p no:cacheprovider --durations=25
	$(MAKE) --no-print-directory synth

## test-fast: the unit and service suites (use cases on in-memory ports, no moto), in seconds
test-fast: venv
	$(PY) -m pytest tests/unit tests/service -q -p no:cacheprovider
test-unit: venv
	$(PY) -m pytest tests/unit -q
test-integration: venv
	$(PY) -m pytest tests/integration -q
test-infra: venv checkov
	$(PY) -m pytest tests/infra -q
test-e2e: venv system web
	$(PY) -m pytest tests/e2e -q

# The virtual environment, rebuilt when pyproject.toml changes.
$(VENV)/.installed: pyproject.toml
	@if [ -x $(PY) ] && ! $(PY) -c 'import sys; sys.exit("%d.%d" % sys.version_info[:2] != "$(PYTHON_VERSION)")'; then \
		echo "rebuilding $(VENV) for Python $(PYTHON_VERSION)"; rm -rf $(VENV); fi
	@test -x $(PY) || { python=$$(mk/find-python $(PYTHON_VERSION)) && $$python -m venv $(VENV); }
	$(PIP) install -q --disable-pip-version-check -e '.[local,infra,dev]' 2>&1 | { grep -v 'is ignored: it is neither a file nor a directory' || true; }
	@touch $@

venv: $(VENV)/.installed

## system: Debian packages the tests and the local stack start (Chromium for the browser tests, espeak-ng for test speech)
# Each program that code under tests/, functions/ or bench/ starts, with its Debian package
# (tests/unit/test_installed_programs.py keeps this list complete).
SYSTEM_PROGRAMS := chromium:chromium espeak-ng:espeak-ng
SYSTEM_PACKAGES := $(foreach p,$(SYSTEM_PROGRAMS),$(lastword $(subst :, ,$(p)))) fonts-liberation
system:
	@missing=$$(for p in $(SYSTEM_PROGRAMS); do command -v $${p%%:*} >/dev/null || echo $${p%%:*}; done); \
	if [ -n "$$missing" ]; then \
		echo "installing Debian packages for: $$missing"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $(SYSTEM_PACKAGES) >/dev/null; \
	fi

## openapi: write web/openapi.json from the API's pydantic models
openapi: venv
	$(PY) -m oneway.handlers.openapi > web/openapi.json

clean:
	rm -rf $(VENV) web/node_modules web/dist cdk.out build .state

include $(wildcard mk/*.mk)
