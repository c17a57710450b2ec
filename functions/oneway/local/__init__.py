"""The embedded stack for `make dev` and the end-to-end tests (never deployed)."""
