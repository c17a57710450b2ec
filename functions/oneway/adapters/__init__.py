"""Adapters: the only code that talks to AWS (or to this machine's stand-ins)."""
