"""Oneway: self-hosted, zero-ops asynchronous video interviews."""
