# Static checks, each at zero findings: ruff (lint and import order), mypy (types), ESLint (web/).
# ruff and mypy read every Python directory: functions/, infra/, tests/ and bench/.
# Included by the root Makefile; `make test` runs `lint` before pytest.
#   make lint          all three (settings: pyproject.toml's [tool.ruff] and [tool.mypy], web/eslint.config.js)
#   .venv/bin/ruff check --fix   repairs what ruff can (no formatter runs on Oneway)
# Each tool keeps a cache, so a run after a small change only looks again at what changed:
# .venv/.cache/ruff, .venv/.cache/mypy and web/node_modules/.cache/eslint.

.PHONY: lint lint-python lint-web

## lint: ruff and mypy over all Python code (mypy strict on domain, service and ports), ESLint over web/, all at zero findings
lint: lint-python lint-web

lint-python: venv
	$(VENV)/bin/ruff check --quiet
	$(VENV)/bin/mypy

# web.mk's WEB_DEPS, spelled out: web.mk is read after this file.
lint-web: web/node_modules/.package-lock.json
	cd web && npm run --silent lint
