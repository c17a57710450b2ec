# The contract walk against a running Oneway, with its verdict (functions/oneway/cli/smoke.py).
# Included by the root Makefile.
#   make smoke                         the deployed stack STACK (default oneway) in your AWS configuration's region
#   make smoke STACK=demo REGION=eu-west-1
#   make smoke LOCAL=1                 a running `make dev` (ONEWAY_PORT / ONEWAY_AWS_PORT, default 8000 / 8001)
# It makes a temporary admin, organization, interview and candidate, and removes them all, even on failure.
# The test suite runs the same walk against its own local stack (tests/integration/test_smoke.py).

STACK ?= oneway
REGION ?=
LOCAL ?=
SMOKE_TIMEOUT ?= 600

.PHONY: smoke

## smoke: the whole contract walk (sign in ... erase) against the deployed stack, or `make dev` with LOCAL=1
smoke: venv
	$(PY) -m oneway.cli smoke $(if $(LOCAL),--local,--stack $(STACK) $(if $(REGION),--region $(REGION))) --timeout $(SMOKE_TIMEOUT)
