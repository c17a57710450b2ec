"""Oneway's benchmarks: `make bench` runs each figure beside its baseline and writes bench/results/."""
