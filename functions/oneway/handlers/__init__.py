"""Thin Lambda entry points: parse the event, call a use case, shape the answer."""
