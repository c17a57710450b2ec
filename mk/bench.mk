# Benchmarks (bench/): each figure beside its baseline in one run. Included by the root Makefile.
#   make bench                              every figure, about 10 minutes on 2 cores
#   make bench BENCH="cold_start scale"     some of them (see python -m bench --help)
# Writes bench/results/latest.md and latest.json; `make test` does not run it.

BENCH ?=

.PHONY: bench

## bench: speed, scale and cost, each beside its baseline; writes bench/results/latest.{md,json}
bench: venv system web
	PYTHONPATH=$(CURDIR)/functions:$(CURDIR) $(PY) -m bench $(BENCH)
