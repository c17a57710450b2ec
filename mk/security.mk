# Security, reliability and privacy proofs (tests/security, tests/load). Included by the root Makefile.
#   make test-security  the fast part: authorization matrix, tokens, privacy, uploads, pipeline faults (moto in process)
#   make test-heavy     API fuzzing (schemathesis) and the load run (100 candidates x 3 answers), each on its own local stack
# `make test` runs both: its pytest session collects every file under tests/, the heavy ones included.

.PHONY: test-security test-heavy

## test-security: authorization matrix, tokens, uploads, pipeline faults and privacy on moto (under 3 minutes)
test-security: venv
	$(PY) -m pytest tests/security -q -m "not heavy"

## test-heavy: schemathesis against the local stack's OpenAPI document, then 100 concurrent candidates (prints p50/p95)
test-heavy: venv
	$(PY) -m pytest tests/security tests/load -q -s -m heavy
