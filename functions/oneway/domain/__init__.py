"""Oneway's domain: models and rules, with no I/O."""
